"""The config file: ``[tool.backend-fixer]`` in ``pyproject.toml`` or ``.backend-fixer.toml``.

Defaults for the command line live here so a repository can pin its mode, rule
selection, dialect, paths to leave out (``exclude``), rules to switch off per
path (``per-file-ignores``, as in ruff) and the value templates complete mode uses. The nearest file
at or above the starting directory wins (``.backend-fixer.toml`` before
``pyproject.toml`` in the same directory). Command-line options override it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_NAMES = (".backend-fixer.toml", "pyproject.toml")

_KNOWN_KEYS = {
    "select": list,
    "ignore": list,
    "mode": str,
    "dialect": str,
    "terraform-version": str,
    "unsafe": bool,
    "keep-dynamodb-table": bool,
    "respect-gitignore": bool,
    "jobs": int,
    "format": str,
    "fail-on": str,
    "values": dict,
    "init": list,
    "exclude": list,
    "per-file-ignores": dict,
}

# The keys of one [[init]] entry and their types (modules is required).
_INIT_KEYS = {"modules": list, "backend-config": list, "label": str}


class ConfigError(Exception):
    """The config file is unreadable or holds an unknown key or a wrong type (one line)."""


@dataclass(frozen=True, slots=True)
class Config:
    """Settings from the config file; ``path`` is None when there is none."""

    path: Path | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)

    @property
    def declared_inits(self) -> tuple[dict[str, Any], ...]:
        """The ``[[init]]`` entries: inits run where the tool cannot read them (checked on load)."""
        return tuple(self.settings.get("init", ()))

    @property
    def values(self) -> Mapping[str, str]:
        """Value templates for complete mode, e.g. ``key = "{module_path}/terraform.tfstate"``."""
        return {str(k): str(v) for k, v in self.settings.get("values", {}).items()}


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a file or directory), or None.

    A ``pyproject.toml`` without a ``[tool.backend-fixer]`` table does not count.
    """
    directory = start if start.is_dir() else start.parent
    for candidate_dir in (directory.resolve(), *directory.resolve().parents):
        dotted = candidate_dir / CONFIG_NAMES[0]
        if dotted.is_file():
            return dotted
        pyproject = candidate_dir / CONFIG_NAMES[1]
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "backend-fixer" in tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def load_config(path: Path | None) -> Config:
    """Read and validate the config at ``path`` (None: an empty config).

    Raises :class:`ConfigError` naming the file for invalid TOML, unknown keys
    and wrong types.
    """
    if path is None:
        return Config()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the config file: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    table = (
        document.get("tool", {}).get("backend-fixer", {})
        if path.name == "pyproject.toml"
        else document
    )
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.backend-fixer] must be a table")
    for key, value in table.items():
        expected = _KNOWN_KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(_KNOWN_KEYS))
            raise ConfigError(f"{path}: unknown setting {key!r} (known: {known})")
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(
                f"{path}: {key} must be a {expected.__name__}, not {type(value).__name__}"
            )
    for index, entry in enumerate(table.get("init", []), 1):
        _check_init(path, index, entry)
    for pattern in table.get("exclude", []):
        if not isinstance(pattern, str):
            raise ConfigError(f"{path}: exclude holds patterns (strings), not {pattern!r}")
    for pattern, rules in table.get("per-file-ignores", {}).items():
        if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
            raise ConfigError(
                f"{path}: per-file-ignores maps a pattern to a list of rules, "
                f"not {pattern!r} = {rules!r}"
            )
    return Config(path, table)


def _check_init(path: Path, index: int, entry: Any) -> None:
    """One ``[[init]]`` entry: a table with ``modules`` (strings), ``backend-config`` (strings), ``label``."""
    where = f"{path}: [[init]] entry {index}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} must be a table")
    for key, value in entry.items():
        expected = _INIT_KEYS.get(key)
        if expected is None:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(_INIT_KEYS)})")
        if not isinstance(value, expected):
            raise ConfigError(f"{where}: {key} must be a {expected.__name__}")
        if expected is list and not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where}: {key} must hold strings only")
    if not entry.get("modules"):
        raise ConfigError(f'{where} needs modules = ["PATTERN", ...]')
