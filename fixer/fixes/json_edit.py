"""Span-precise edits to the backend object of a ``.tf.json`` file.

JSON configuration cannot carry comments, so the only fix that edits one is
complete mode: it adds ``"name": value`` members to the backend object (and
fills in members whose value is an empty string). The knowledge layer's
offset-aware scanner (:mod:`fixer.terraform.json_places`) finds ``terraform``
-> ``backend`` -> ``<type>`` in the original text; the new members are written
in the file's own indentation, newline style and separators, and every other
character is kept. Pure: no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from fixer.edits import Edit, apply_edits, line_ending
from fixer.terraform.json_places import (
    JsonObject,
    JsonScanError,
    Member,
    backend_objects,
    scan_object,
)

LiteralValue = str | int | float | bool | None

__all__ = [
    "JsonObject",
    "JsonScanError",
    "Member",
    "backend_objects",
    "complete_text",
    "completion_edits",
    "scan_object",
    "verify_completion",
]


# -- writing ------------------------------------------------------------------------------------


def _line_indent(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = start
    while end < len(text) and text[end] in " \t":
        end += 1
    return text[start:end]


def _starts_line(text: str, offset: int) -> bool:
    start = text.rfind("\n", 0, offset) + 1
    return not text[start:offset].strip(" \t")


def _indent_unit(text: str) -> str:
    """The file's indentation step: the first indented line's whitespace (two spaces if none)."""
    match = re.search(r"\n([ \t]+)\S", text)
    if match is None:
        return "  "
    indent = match.group(1)
    return "\t" if indent.startswith("\t") else " " * len(indent)


def _separators(text: str) -> tuple[str, str]:
    """(item separator, key separator) as the file writes them: ``", "``/``","`` and ``": "``/``":"``."""
    key = ": " if re.search(r'"\s*:\s', text) or not re.search(r'"\s*:\S', text) else ":"
    item = ", " if re.search(r",[ ]", text) or not re.search(r",\S", text) else ","
    return item, key


def _member_text(name: str, value: LiteralValue, key_separator: str) -> str:
    return f"{json.dumps(name, ensure_ascii=False)}{key_separator}{json.dumps(value, ensure_ascii=False)}"


def completion_edits(
    text: str,
    target: JsonObject,
    additions: Sequence[tuple[str, LiteralValue]],
    replacements: Mapping[str, LiteralValue] | None = None,
) -> list[Edit]:
    """Edits that add ``additions`` to ``target`` and set the values named in ``replacements``.

    New members follow the object's last member: on lines of their own at its
    indentation when the object spans lines, on the same line after ``, ``
    when it is written on one line. An empty object becomes a multi-line one
    in a multi-line file (one level deeper than the line holding it) and stays
    on one line in a file written on one line. Returns no edits when there is
    nothing to change. Raises ``ValueError`` when a replacement names a member
    the object does not have.
    """
    edits: list[Edit] = []
    item_separator, key_separator = _separators(text)
    for name, value in (replacements or {}).items():
        member = target.last(name)
        if member is None:
            raise ValueError(f"the backend object has no member {name!r} to replace")
        edits.append(
            Edit(member.value_start, member.value_end, json.dumps(value, ensure_ascii=False))
        )
    if not additions:
        return edits
    newline = line_ending(text)
    members = [_member_text(name, value, key_separator) for name, value in additions]
    body = text[target.start : target.end]
    multi_line = "\n" in text
    if not target.members:
        if not multi_line:
            edits.append(Edit(target.start, target.end, "{" + item_separator.join(members) + "}"))
            return edits
        outer = _line_indent(text, target.start)
        inner = outer + _indent_unit(text)
        joined = ("," + newline).join(inner + member for member in members)
        edits.append(Edit(target.start, target.end, "{" + newline + joined + newline + outer + "}"))
        return edits
    last = target.members[-1]
    if "\n" in body and _starts_line(text, last.key_start):
        indent = _line_indent(text, last.key_start)
        insertion = "".join("," + newline + indent + member for member in members)
    else:
        insertion = "".join(item_separator + member for member in members)
    edits.append(Edit(last.value_end, last.value_end, insertion))
    return edits


def verify_completion(old: str, new: str, backend_type: str) -> str | None:
    """The first way ``new`` is not a completion of ``old``, as a message, or None.

    ``new`` must load as JSON and hold exactly one ``backend_type`` object;
    outside it, ``new`` must be ``old`` character for character; inside, every
    member of the old object must still be there with its value, unless that
    value was an empty string (which completion fills in). New members are
    what completion adds.
    """
    try:
        json.loads(new)
    except ValueError as error:
        return f"the completed JSON does not load ({error})"
    try:
        before = backend_objects(old, backend_type)
        after = backend_objects(new, backend_type)
    except JsonScanError as error:
        return f"the backend object cannot be found again ({error})"
    if len(before) != 1 or len(after) != 1:
        return "the backend object cannot be found again"
    old_object, new_object = before[0], after[0]
    if (
        old[: old_object.start] != new[: new_object.start]
        or old[old_object.end :] != new[new_object.end :]
    ):
        return "the change reaches outside the backend object"
    old_members = json.loads(old[old_object.start : old_object.end])
    new_members = json.loads(new[new_object.start : new_object.end])
    for name, value in old_members.items():
        if name not in new_members:
            return f"member {name!r} of the backend was lost"
        if value != "" and new_members[name] != value:
            return f"member {name!r} of the backend changed"
    return None


def complete_text(
    text: str,
    backend_type: str,
    additions: Sequence[tuple[str, LiteralValue]],
    replacements: Mapping[str, LiteralValue] | None = None,
) -> str:
    """``text`` with the one ``backend_type`` object completed (for tests and tools).

    Raises ``ValueError`` unless the text holds exactly one such object.
    """
    objects = backend_objects(text, backend_type)
    if len(objects) != 1:
        raise ValueError(f"expected one {backend_type!r} backend object, found {len(objects)}")
    return apply_edits(text, completion_edits(text, objects[0], additions, replacements))
