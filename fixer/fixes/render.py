"""Rendering new HCL text the way ``terraform fmt`` writes it.

Fixes never re-print existing code; they only produce the few lines they add.
Those lines follow fmt's conventions: the block's own indentation plus one
indent unit per level, ``=`` signs aligned within a run of single-line
attributes (a blank line, a comment line or a multi-line value ends a run),
strings quoted and escaped, and the file's own newline sequence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Value = str | int | float | bool | None | Sequence["Value"] | Mapping[str, "Value"]

_IDENTIFIER = re.compile(r"^[^\W\d][\w-]*$")


@dataclass(frozen=True, slots=True)
class Raw:
    """HCL text to insert as it is (an expression the caller already rendered)."""

    text: str


def hcl_string(value: str) -> str:
    """Quote ``value`` as an HCL string literal, escaping what HCL would read specially."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
        .replace("${", "$${")
        .replace("%{", "%%{")
    )
    return f'"{escaped}"'


def hcl_key(name: str) -> str:
    """An object key: bare when it is an identifier, quoted otherwise."""
    return name if _IDENTIFIER.match(name) else hcl_string(name)


def hcl_value(value: Value | Raw, indent: str = "", unit: str = "  ", newline: str = "\n") -> str:
    """Render a Python value as an HCL expression.

    Strings, numbers, bools and None become literals; sequences become one-line
    tuples; mappings become multi-line objects indented from ``indent`` (the
    indentation of the line the value starts on). Raises TypeError for other types.
    """
    if isinstance(value, Raw):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return hcl_string(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        inner = indent + unit
        lines = format_attributes(
            [(hcl_key(k), hcl_value(v, inner, unit, newline)) for k, v in value.items()], inner
        )
        return "{" + newline + "".join(line + newline for line in lines) + indent + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(hcl_value(v, indent, unit, newline) for v in value) + "]"
    raise TypeError(f"cannot render {type(value).__name__} as HCL")


def format_attributes(items: Sequence[tuple[str, str]], indent: str) -> list[str]:
    """Lines ``name = value`` at ``indent``, with ``=`` aligned as fmt aligns it.

    ``items`` are (name, rendered value). A value spanning several lines ends the
    run of aligned attributes before it and is not aligned itself, exactly as
    ``terraform fmt`` does; a :class:`NestedBlock` value becomes a nested block. Returned lines carry no newline characters; a
    multi-line value keeps the newlines it was rendered with.
    """
    lines: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(name) for name, _ in run), default=0)
        lines.extend(f"{indent}{name.ljust(width)} = {value}" for name, value in run)
        run.clear()

    for name, value in items:
        if isinstance(value, NestedBlock):
            flush()
            lines.append(f"{indent}{name} {value}")
        elif "\n" in value:
            flush()
            lines.append(f"{indent}{name} = {value}")
        else:
            run.append((name, value))
    flush()
    return lines


class NestedBlock(str):
    """A rendered block body (``{ ... }``): written ``name { ... }``, without ``=``."""


# -- reading the layout of existing text -------------------------------------------


def line_start(text: str, offset: int) -> int:
    """Offset of the first character of the line holding ``offset``."""
    return text.rfind("\n", 0, offset) + 1


def line_end(text: str, offset: int) -> int:
    """Offset just past the line holding ``offset``, its newline included (or len(text))."""
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def indentation(text: str, offset: int) -> str:
    """The whitespace that starts the line holding ``offset``."""
    start = line_start(text, offset)
    end = start
    while end < len(text) and text[end] in " \t":
        end += 1
    return text[start:end]


def indent_unit(text: str, offset: int, outer: str) -> str:
    """The indentation step used inside the block starting at ``offset``.

    Looks for the first more-indented line after ``offset`` and returns the
    extra whitespace; falls back to a tab for tab-indented files and two spaces
    (fmt's choice) otherwise.
    """
    position = line_end(text, offset)
    while position < len(text):
        inner = indentation(text, position)
        rest = text[position + len(inner) : line_end(text, position)].strip()
        if rest and rest != "}":
            if inner.startswith(outer) and len(inner) > len(outer):
                return inner[len(outer) :]
            break
        position = line_end(text, position)
    return "\t" if outer.startswith("\t") else "  "
