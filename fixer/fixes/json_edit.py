"""Span-precise edits to the backend object of a ``.tf.json`` file.

JSON configuration cannot carry comments, so the only fix that edits one is
complete mode: it adds ``"name": value`` members to the backend object (and
fills in members whose value is an empty string). A small offset-aware scanner
finds ``terraform`` -> ``backend`` -> ``<type>`` in the original text, in any of
the shapes Terraform's JSON syntax allows (an object or a list of objects at
each level); the new members are written in the file's own indentation,
newline style and separators, and every other character is kept. Pure: no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fixer.edits import Edit, apply_edits, line_ending
from fixer.terraform import CLOUD_BLOCK

LiteralValue = str | int | float | bool | None

_WHITESPACE = " \t\r\n"
# One character or one escape at a time: no nested repetition to backtrack through.
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrtu])*"')
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null")


class JsonScanError(ValueError):
    """The text is not the JSON the scanner expected (``offset`` says where)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} at offset {offset}")
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Member:
    """One ``"key": value`` of an object: the key and the spans of key and value."""

    key: str
    key_start: int
    value_start: int
    value_end: int


@dataclass(frozen=True, slots=True)
class JsonObject:
    """An object in the text: ``start`` at its ``{``, ``end`` just after its ``}``."""

    start: int
    end: int
    members: tuple[Member, ...]

    def last(self, key: str) -> Member | None:
        """The member named ``key`` that ``json.loads`` keeps (the last of duplicates)."""
        found = None
        for member in self.members:
            if member.key == key:
                found = member
        return found


# -- scanning ---------------------------------------------------------------------------------


def _skip_whitespace(text: str, position: int) -> int:
    while position < len(text) and text[position] in _WHITESPACE:
        position += 1
    return position


def _string_end(text: str, position: int) -> int:
    match = _STRING.match(text, position)
    if match is None:
        raise JsonScanError("expected a string", position)
    return match.end()


def _value_end(text: str, position: int) -> int:
    """The offset just after the value starting at ``position``; iterative, so depth is no limit."""
    if position >= len(text):
        raise JsonScanError("expected a value", position)
    first = text[position]
    if first == '"':
        return _string_end(text, position)
    if first not in "{[":
        match = _SCALAR.match(text, position)
        if match is None:
            raise JsonScanError("expected a value", position)
        return match.end()
    depth = 0
    while position < len(text):
        char = text[position]
        if char == '"':
            position = _string_end(text, position)
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    raise JsonScanError("unclosed object or array", position)


def scan_object(text: str, position: int) -> JsonObject:
    """The object whose ``{`` is at ``position`` (after whitespace), with its members' spans.

    Member values are skipped, not scanned. Raises :class:`JsonScanError` when
    the text there is not an object.
    """
    start = _skip_whitespace(text, position)
    if start >= len(text) or text[start] != "{":
        raise JsonScanError("expected an object", start)
    position = _skip_whitespace(text, start + 1)
    members: list[Member] = []
    if position < len(text) and text[position] == "}":
        return JsonObject(start, position + 1, ())
    while True:
        key_start = position
        key_end = _string_end(text, key_start)
        key = json.loads(text[key_start:key_end])
        position = _skip_whitespace(text, key_end)
        if position >= len(text) or text[position] != ":":
            raise JsonScanError("expected ':'", position)
        value_start = _skip_whitespace(text, position + 1)
        value_end = _value_end(text, value_start)
        members.append(Member(key, key_start, value_start, value_end))
        position = _skip_whitespace(text, value_end)
        if position < len(text) and text[position] == ",":
            position = _skip_whitespace(text, position + 1)
            continue
        if position < len(text) and text[position] == "}":
            return JsonObject(start, position + 1, tuple(members))
        raise JsonScanError("expected ',' or '}'", position)


def _objects_at(text: str, position: int) -> list[JsonObject]:
    """The object at ``position``, or each object of the array there (block bodies may be either)."""
    if text[position] == "{":
        return [scan_object(text, position)]
    if text[position] != "[":
        return []
    found = []
    position = _skip_whitespace(text, position + 1)
    while position < len(text) and text[position] != "]":
        if text[position] == "{":
            found.append(scan_object(text, position))
        position = _skip_whitespace(text, _value_end(text, position))
        if position < len(text) and text[position] == ",":
            position = _skip_whitespace(text, position + 1)
    return found


def backend_objects(text: str, backend_type: str) -> list[JsonObject]:
    """Every ``terraform`` -> ``backend`` -> ``backend_type`` object in ``text``, in file order.

    Follows the members ``json.loads`` keeps (the last of duplicate keys), as
    the module view does. ``cloud`` blocks are found with ``backend_type``
    :data:`~fixer.terraform.CLOUD_BLOCK` (``terraform`` -> ``cloud``). Returns an empty list when there
    is none; raises :class:`JsonScanError` for text that is not JSON.
    """
    root = scan_object(text, _skip_whitespace(text, 1 if text.startswith("\ufeff") else 0))
    found: list[JsonObject] = []
    terraform = root.last("terraform")
    if terraform is None:
        return found
    for block in _objects_at(text, terraform.value_start):
        if backend_type == CLOUD_BLOCK:
            cloud = block.last(CLOUD_BLOCK)
            if cloud is not None:
                found.extend(_objects_at(text, cloud.value_start))
            continue
        backend = block.last("backend")
        if backend is None:
            continue
        for labels in _objects_at(text, backend.value_start):
            body = labels.last(backend_type)
            if body is not None:
                found.extend(_objects_at(text, body.value_start))
    return found


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
