"""Where the values for a completed backend come from.

Complete mode (and the commented block of comment mode) needs a value for every
required argument the block lacks. Sources are tried in a fixed order:
``--set KEY=VALUE``, ``--backend-config FILE``, the module's own
``*.<type>.tfbackend`` when exactly one exists, templates from the config file
(``key = "{module_path}/terraform.tfstate"``), and inference from the code where
the backend table names a source (for s3's region: a literal ``region`` of
``provider "aws"`` or a region variable's default). Each value remembers its
source for the report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from fixer.syntax import Expression
from fixer.terraform import BackendBlock, ModuleView, ValueType, argument

# Constants: literals, and lists and dicts of them (a --backend-config file may hold
# `endpoints = { s3 = "..." }`).
LiteralValue = str | int | float | bool | None | list[Any] | dict[str, Any]


@dataclass(frozen=True, slots=True)
class ResolvedValue:
    """A value for one backend argument and a few words on where it came from."""

    name: str
    value: LiteralValue
    source: str


@dataclass(frozen=True, slots=True)
class ValueSources:
    """Everything the user and the repository offer as backend values.

    ``sets`` are ``--set`` pairs (text, converted by the argument's type);
    ``backend_config`` the literal values of ``--backend-config FILE`` (with the
    file's name in ``backend_config_name``); ``templates`` the config file's
    ``[tool.backend-fixer.values]`` (``{module_path}``, ``{module_name}`` and
    ``{backend}`` are substituted); ``module_path`` the module's directory
    relative to the repository root, in POSIX form.
    """

    sets: Mapping[str, str] = field(default_factory=dict)
    backend_config: Mapping[str, LiteralValue] = field(default_factory=dict)
    backend_config_name: str = "--backend-config"
    templates: Mapping[str, str] = field(default_factory=dict)
    module_path: str = "."
    # Values every init of the module passes alike: (text, where from), by argument.
    served: Mapping[str, tuple[str, str]] = field(default_factory=dict)


_TEMPLATE_FIELD = re.compile(r"\{(module_path|module_name|backend)\}")


def convert(name: str, backend: str, text: str) -> LiteralValue:
    """Turn ``--set`` text into the argument's type (bool and number rows); else keep text.

    Raises ValueError for a bool or number argument given something else.
    """
    row = argument(backend, name)
    if row is None or row.type is ValueType.STRING:
        return text
    if row.type is ValueType.BOOL:
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise ValueError(f"{name} takes true or false, not {text!r}")
    if row.type is ValueType.NUMBER:
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                raise ValueError(f"{name} takes a number, not {text!r}") from None
    return text


def module_backend_file_values(view: ModuleView, backend: str) -> Mapping[str, LiteralValue]:
    """The constant values of the module's one ``*.<backend>.tfbackend`` file ({} without one)."""
    own = _module_tfbackend(view, backend)
    return own[1] if own is not None else {}


def _module_tfbackend(
    view: ModuleView, backend: str
) -> tuple[str, Mapping[str, LiteralValue]] | None:
    """The module's one ``*.<backend>.tfbackend`` file (name, values), or None (none or several)."""
    suffix = f".{backend}.tfbackend"
    own = [f for f in view.backend_config_files if PurePosixPath(f.path).name.endswith(suffix)]
    if len(own) != 1:
        return None
    values: dict[str, LiteralValue] = {}
    for name, value in own[0].values.items():
        constant = value.attribute.expr.constant() if value.attribute is not None else None
        if constant is not None:
            values[name] = constant.value
    return PurePosixPath(own[0].path).name, values


def _template(template: str, sources: ValueSources, backend: str) -> str:
    fields = {
        "module_path": sources.module_path,
        "module_name": PurePosixPath(sources.module_path).name
        or PurePosixPath(sources.module_path).as_posix(),
        "backend": backend,
    }
    return _TEMPLATE_FIELD.sub(lambda m: fields[m.group(1)], template)


def _inferred(name: str, backend: BackendBlock, view: ModuleView) -> ResolvedValue | None:
    """The first value the module's code offers for ``name``, where the table says where to look."""
    row = argument(backend.type, name)
    found = view.inferred(row) if row is not None else ()
    if not found:
        return None
    chosen = found[0]
    where = f"{chosen.label} in {PurePosixPath(chosen.path).name}"
    if chosen.via:
        where += f" (through {chosen.via})"
    return ResolvedValue(name, chosen.value, f"inferred from {where}")


def resolve(
    name: str, backend: BackendBlock, view: ModuleView, sources: ValueSources
) -> ResolvedValue | None:
    """The value for argument ``name`` of ``backend`` from the first source that has one.

    Returns None when no source supplies it. ``--set`` text is converted to the
    argument's type; a bad conversion raises ValueError.
    """
    if name in sources.sets:
        return ResolvedValue(
            name, convert(name, backend.type, sources.sets[name]), f"--set {name}=..."
        )
    if name in sources.backend_config:
        return ResolvedValue(name, sources.backend_config[name], sources.backend_config_name)
    if name in sources.served:
        text, where = sources.served[name]
        return ResolvedValue(name, convert(name, backend.type, text), where)
    own = _module_tfbackend(view, backend.type)
    if own is not None and name in own[1]:
        return ResolvedValue(name, own[1][name], own[0])
    if name in sources.templates:
        value = _template(sources.templates[name], sources, backend.type)
        return ResolvedValue(name, convert(name, backend.type, value), "config file template")
    return _inferred(name, backend, view)


def evaluate_with_defaults(expression: Expression, view: ModuleView) -> str | None:
    """The string a template like ``"x-${var.env}"`` yields with the variables' defaults.

    Only quoted templates made of literal text and ``${var.NAME}`` whose variable
    has a literal string (or number/bool) default are evaluated; anything else
    (locals, functions, directives, references without defaults) returns None.
    """
    defaults = _variable_defaults(view)
    if expression.kind == "variable" or expression.kind == "get_attr":
        steps = expression.traversal()
        if steps and len(steps) == 2 and steps[0] == "var" and steps[1] in defaults:
            return defaults[steps[1]]
        return None
    if expression.kind != "template":
        return None
    pieces: list[str] = []
    for part in expression.parts[1:-1]:
        if not isinstance(part, Expression):
            from fixer.syntax.nodes import unescape_quoted

            pieces.append(unescape_quoted(part.value))
            continue
        if part.kind != "interpolation":
            return None
        inner = part.parts[1]
        steps = inner.traversal() if isinstance(inner, Expression) else None
        if not steps or len(steps) != 2 or steps[0] != "var" or steps[1] not in defaults:
            return None
        pieces.append(defaults[steps[1]])
    return "".join(pieces)


def _variable_defaults(view: ModuleView) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for source in view.files:
        for block in source.config.body.blocks("variable"):
            if len(block.label_values) != 1:
                continue
            default = block.body.attribute("default")
            literal = default.expr.literal() if default is not None else None
            if literal is None or literal.value is None or isinstance(literal.value, bool):
                continue
            defaults.setdefault(block.label_values[0], str(literal.value))
    return defaults
