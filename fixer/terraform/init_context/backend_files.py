"""Backend configuration files named by ``-backend-config=FILE``: their keys and values.

Terraform reads such a file as HCL attributes (JSON when the name ends in
``.json``) and treats a ``-backend-config`` value that contains ``=`` as a
``key=value`` pair instead (``command/init.go``'s ``backendConfigOverrideBody``).
This module reads a file's text into argument names and literal values with
``fixer.syntax``, and turns one ``-backend-config`` value into the arguments it
supplies, or says why it cannot be followed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from fixer.syntax import Attribute, ParseError, parse
from fixer.terraform.init_context.model import BackendConfigArgument, SuppliedValue
from fixer.terraform.init_context.values import (
    ROOT,
    display,
    is_literal,
    join_path,
    opaque_parts,
    plain,
    strip_parameters,
)
from fixer.terraform.module import is_backend_config_file

__all__ = ["ConfigValues", "is_config_name", "read_backend_config", "resolve_argument"]

_MORE_SUFFIXES = (".backend.conf", ".backend.tfvars")
_MORE_NAMES = frozenset({"backend.conf", "backend.tfvars"})


def is_config_name(name: str) -> bool:
    """True for conventional backend configuration file names: the module view's
    (``prod.s3.tfbackend``, ``backend.hcl``, ``backend-prod.hcl``...) and the
    ``backend.conf`` / ``backend.tfvars`` families that scripts pass too."""
    return is_backend_config_file(name) or name in _MORE_NAMES or name.endswith(_MORE_SUFFIXES)


@dataclass(frozen=True, slots=True)
class ConfigValues:
    """A backend configuration file's arguments: name -> literal value (None when
    the expression is not a literal, e.g. an object or a function call)."""

    path: str
    values: Mapping[str, str | None]


def _literal_text(attribute: Attribute) -> str | None:
    literal = attribute.expr.literal()
    if literal is None:
        return None
    value = literal.value
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def read_backend_config(path: str, text: str) -> tuple[ConfigValues | None, str | None]:
    """Read a backend configuration file; ``(None, "path:line:col: message")`` when
    Terraform could not read it either. Never raises."""
    if path.endswith(".json"):
        try:
            document = json.loads(text)
        except ValueError as error:
            return None, f"{path}:1:1: invalid JSON: {error}"
        if not isinstance(document, dict):
            return None, f"{path}:1:1: a backend configuration file must hold an object"
        return ConfigValues(
            path,
            {
                str(k): (v if isinstance(v, str) else json.dumps(v) if v is not None else None)
                for k, v in document.items()
            },
        ), None
    try:
        config = parse(text, path)
    except ParseError as error:
        return None, str(error.with_path(path))
    values: dict[str, str | None] = {}
    for attribute in config.body.attributes():
        values.setdefault(attribute.name, _literal_text(attribute))
    return ConfigValues(path, values), None


def resolve_argument(
    argument: BackendConfigArgument,
    configs: Mapping[str, ConfigValues],
    unreadable: Mapping[str, str],
) -> tuple[list[SuppliedValue], list[str], str | None]:
    """What one ``-backend-config`` value supplies.

    Returns ``(supplied values, opaque reasons, file path)``: a ``key=value``
    pair supplies ``key`` (its value None when not visible); a file supplies
    each of its arguments; a file that is absent, unreadable or computed, and a
    value that is not visible at all, give a reason instead.
    """
    text = argument.text
    bare = strip_parameters(text)
    if "=" in bare:
        key = bare.partition("=")[0].strip()
        if not is_literal(key) or not key:
            return [], [f"{argument.written}: the argument name is not known here"], None
        value = text.split("=", 1)[1] if "=" in text else bare.partition("=")[2]
        literal = plain(value)
        if literal is not None and ROOT in literal:
            literal = None  # a path on the CI machine, not a value the repository holds
        return [SuppliedValue(key, literal, argument.origin)], [], None
    if not is_literal(text):
        hidden = ", ".join(opaque_parts(text))
        return [], [f"{argument.written}: {hidden} is not known here"], None
    if argument.base is None or not is_literal(argument.base):
        where = "unknown" if argument.base is None else display(argument.base)
        return (
            [],
            [f"{argument.written}: relative to a directory that is not known ({where})"],
            None,
        )
    path = join_path(plain(argument.base) or ".", plain(text) or "")
    if path is None:
        return [], [f"{argument.written}: the file is outside the repository"], None
    if path in configs:
        values = configs[path].values
        return [SuppliedValue(k, v, argument.origin, path) for k, v in values.items()], [], path
    if path in unreadable:
        return [], [f"{argument.written}: {path} cannot be read ({unreadable[path]})"], path
    return [], [f"{argument.written}: {path} is not in the repository"], path
