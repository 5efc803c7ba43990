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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from fixer.syntax import Expression
from fixer.terraform import (
    ArgumentValue,
    BackendArgument,
    BackendBlock,
    BackendConfigFile,
    ModuleView,
    Syntax,
    ValueType,
    argument,
)

# Constants: literals, and lists and dicts of them (a --backend-config file may hold
# `endpoints = { s3 = "..." }`).
LiteralValue = str | int | float | bool | None | list[Any] | dict[str, Any]


@dataclass(frozen=True, slots=True)
class ResolvedValue:
    """A value for one backend argument and a few words on where it came from.

    ``note`` says what else offered a different value (it lost on precedence).
    """

    name: str
    value: LiteralValue
    source: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ConfigFileValues:
    """The values the module's backend configuration files offer one backend.

    ``values`` maps each argument to (value, file name) where every file that
    sets it agrees; ``notes`` say what was left out and why (files that
    disagree, arguments the backend does not have, a nested block type written
    as an attribute).
    """

    values: Mapping[str, tuple[LiteralValue, str]]
    notes: tuple[str, ...] = ()


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
    """The values the module's backend configuration files agree on for ``backend`` ({} without)."""
    return {name: value for name, (value, _) in backend_config_values(view, backend).values.items()}


def _is_blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


def _file_value(found: ArgumentValue, row: BackendArgument) -> tuple[LiteralValue, str | None]:
    """One config-file value as init reads it for ``row``, or (None, why it is not usable)."""
    if found.block is not None:
        if row.syntax is not Syntax.BLOCK:
            return None, f"{row.name} is written as a block, which init rejects there"
        values: dict[str, LiteralValue] = {}
        for attribute in found.block.body.attributes():
            constant = attribute.expr.constant()
            if constant is None:
                return None, f"{row.name}.{attribute.name} is not a constant"
            values[attribute.name] = constant.value
        return values, None
    if row.syntax is Syntax.BLOCK:
        return (
            None,
            f"{row.name} is written as an attribute; init wants a {row.name} {{ ... }} block",
        )
    constant = found.constant()
    if constant is None:
        return None, f"{row.name} is not a constant"
    if constant.value is None or _is_blank(constant.value):
        return None, f"{row.name} is empty"
    return constant.value, None


def backend_config_values(
    view: ModuleView, backend: str, files: Sequence[BackendConfigFile] | None = None
) -> ConfigFileValues:
    """What the backend configuration files the module uses offer ``backend``.

    The single entry point for values from ``-backend-config`` files: ``files``
    defaults to every backend configuration file beside the module, whatever
    its name (an init context can pass the files its inits really use). A
    value counts when every file that sets it agrees; arguments ``backend``
    does not have, block/attribute mix-ups init rejects and empty values are
    left out, each with a note.
    """
    chosen = view.backend_config_files if files is None else files
    offered: dict[str, dict[str, LiteralValue]] = {}
    notes: list[str] = []
    for config in chosen:
        file_name = PurePosixPath(config.path).name
        for name, found in config.values.items():
            row = argument(backend, name)
            if row is None:
                notes.append(
                    f"{file_name} sets {name}, which the {backend} backend does not have; "
                    "it was not used"
                )
                continue
            value, problem = _file_value(found, row)
            if problem is not None:
                notes.append(f"{file_name}: {problem}; it was not used")
                continue
            offered.setdefault(name, {})[file_name] = value
    values: dict[str, tuple[LiteralValue, str]] = {}
    for name, by_file in offered.items():
        distinct = {repr(v) for v in by_file.values()}
        if len(distinct) == 1:
            values[name] = (next(iter(by_file.values())), ", ".join(by_file))
        else:
            notes.append(
                f"{name} differs between {', '.join(by_file)}; pass the one you mean with "
                f"--set {name}=... or --backend-config FILE"
            )
    return ConfigFileValues(values, tuple(dict.fromkeys(notes)))


def _template(template: str, sources: ValueSources, backend: str) -> str:
    fields = {
        "module_path": sources.module_path,
        "module_name": PurePosixPath(sources.module_path).name
        or PurePosixPath(sources.module_path).as_posix(),
        "backend": backend,
    }
    return normalised_path(_TEMPLATE_FIELD.sub(lambda m: fields[m.group(1)], template))


def normalised_path(text: str) -> str:
    """``./terraform.tfstate`` -> ``terraform.tfstate``: the root module's path is ``.``."""
    while text.startswith("./"):
        text = text[2:]
    return text.replace("/./", "/")


def _inferred(name: str, backend: BackendBlock, view: ModuleView) -> ResolvedValue | None:
    """The value the module's code offers for ``name``: variable defaults before providers.

    A variable meant for the backend says more than a provider block, which may
    serve other purposes (a second region, an alias). Empty defaults are no
    value. When the sources disagree the note says so.
    """
    row = argument(backend.type, name)
    found = [v for v in (view.inferred(row) if row is not None else ()) if v.value.strip()]
    if not found:
        return None
    found.sort(key=lambda v: v.provider is not None)
    chosen = found[0]
    where = f"{chosen.label} in {PurePosixPath(chosen.path).name}"
    if chosen.via:
        where += f" (through {chosen.via})"
    others = [v for v in found[1:] if v.value != chosen.value]
    note = ""
    if others:
        other = others[0]
        note = (
            f'{name} "{chosen.value}" from {where} was used; {other.label} in '
            f'{PurePosixPath(other.path).name} says "{other.value}"'
        )
    return ResolvedValue(name, chosen.value, f"inferred from {where}", note)


def resolve(
    name: str, backend: BackendBlock, view: ModuleView, sources: ValueSources
) -> ResolvedValue | None:
    """The value for argument ``name`` of ``backend`` from the first source that has one.

    Precedence: ``--set``, ``--backend-config FILE``, the module's backend
    configuration files, the config file's templates, variable defaults, then
    provider arguments; a later source that disagrees is named in the note.
    Empty or blank values are never returned. ``--set`` text is converted to
    the argument's type; a bad conversion raises ValueError.
    """
    if name in sources.sets:
        return ResolvedValue(
            name, convert(name, backend.type, sources.sets[name]), f"--set {name}=..."
        )
    if name in sources.backend_config and not _is_blank(sources.backend_config[name]):
        return ResolvedValue(name, sources.backend_config[name], sources.backend_config_name)
    if name in sources.served:
        text, where = sources.served[name]
        return ResolvedValue(name, convert(name, backend.type, text), where)
    inferred = _inferred(name, backend, view)
    files = backend_config_values(view, backend.type).values
    if name in files:
        value, file_names = files[name]
        note = ""
        if inferred is not None and inferred.value != value:
            note = (
                f'{name} "{value}" from {file_names} was used; the module\'s code says '
                f'"{inferred.value}" ({inferred.source})'
            )
        return ResolvedValue(name, value, file_names, note)
    if name in sources.templates:
        value = _template(sources.templates[name], sources, backend.type)
        if not _is_blank(value):
            return ResolvedValue(name, convert(name, backend.type, value), "config file template")
    return inferred


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
