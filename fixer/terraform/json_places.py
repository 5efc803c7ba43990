"""Where things are in a ``.tf.json`` file: an offset-aware scanner and the backends' members.

``json.loads`` gives values without positions, so findings in JSON files used to
point at 1:1. This module scans the text itself: :func:`scan_object` returns an
object's members with the spans of their keys and values (values are skipped,
not decoded), and :func:`json_backend_places` finds every ``backend`` and
``cloud`` block in the shapes Terraform's JSON syntax allows (an object or a
list of objects at each level), in the order the module view reads them, with
the span of each block, its label and its arguments. Duplicate keys resolve as
``json.loads`` resolves them (the last value wins, in the first key's place).
Pure: it reads text, never a file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from fixer.syntax.source import Source
from fixer.terraform.backends import CLOUD_BLOCK

__all__ = [
    "JsonBackendPlace",
    "JsonObject",
    "JsonScanError",
    "Member",
    "TextSpan",
    "backend_objects",
    "json_backend_places",
    "objects_at",
    "scan_object",
]

_WHITESPACE = " \t\r\n"
# One character or one escape at a time: no nested repetition to backtrack through.
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrtu])*"')
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null")
_TERRAFORM_KEY = re.compile(r'"terraform"\s*:\s*')
_DECODER = json.JSONDecoder()


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
    key_end: int = -1


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

    def entries(self) -> list[Member]:
        """One member per key, as ``json.loads`` builds the dict: the first key's place, the
        last duplicate's value."""
        order: dict[str, Member] = {}
        for member in self.members:
            order[member.key] = member
        first = {}
        for member in self.members:
            first.setdefault(member.key, member)
        return [order[key] for key in sorted(order, key=lambda k: first[k].key_start)]


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
        members.append(Member(key, key_start, value_start, value_end, key_end))
        position = _skip_whitespace(text, value_end)
        if position < len(text) and text[position] == ",":
            position = _skip_whitespace(text, position + 1)
            continue
        if position < len(text) and text[position] == "}":
            return JsonObject(start, position + 1, tuple(members))
        raise JsonScanError("expected ',' or '}'", position)


def objects_at(text: str, position: int) -> list[JsonObject]:
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


def _root(text: str) -> JsonObject:
    return scan_object(text, _skip_whitespace(text, 1 if text.startswith("\ufeff") else 0))


def backend_objects(text: str, backend_type: str) -> list[JsonObject]:
    """Every ``terraform`` -> ``backend`` -> ``backend_type`` object in ``text``, in file order.

    Follows the members ``json.loads`` keeps (the last of duplicate keys), as
    the module view does. ``cloud`` blocks are found with ``backend_type``
    :data:`~fixer.terraform.CLOUD_BLOCK` (``terraform`` -> ``cloud``). Returns an empty list when there
    is none; raises :class:`JsonScanError` for text that is not JSON.
    """
    root = _root(text)
    found: list[JsonObject] = []
    terraform = root.last("terraform")
    if terraform is None:
        return found
    for block in objects_at(text, terraform.value_start):
        if backend_type == CLOUD_BLOCK:
            cloud = block.last(CLOUD_BLOCK)
            if cloud is not None:
                found.extend(objects_at(text, cloud.value_start))
            continue
        backend = block.last("backend")
        if backend is None:
            continue
        for labels in objects_at(text, backend.value_start):
            body = labels.last(backend_type)
            if body is not None:
                found.extend(objects_at(text, body.value_start))
    return found


# -- places -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A span of a file's text: character offsets and the 1-based positions of both ends.

    ``end`` and ``end_column`` are exclusive, as the syntax tree's are.
    """

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class JsonBackendPlace:
    """Where one backend (or cloud) block of a ``.tf.json`` file is written.

    ``span`` covers the member that holds the body (``"s3": {...}``, or
    ``"cloud": {...}``), from its key to the end of its value; ``label`` is the
    key alone; ``arguments`` maps each argument to its member, key through value.
    """

    type: str
    is_cloud: bool
    span: TextSpan
    label: TextSpan
    arguments: Mapping[str, TextSpan] = field(default_factory=lambda: MappingProxyType({}))


def _span(source: Source, start: int, end: int) -> TextSpan:
    line, column = source.position(start)
    end_line, end_column = source.position(end)
    return TextSpan(start, end, line, column, end_line, end_column)


def _place(
    source: Source, kind: str, holder: Member, body: JsonObject, *, is_cloud: bool
) -> JsonBackendPlace:
    span = _span(source, holder.key_start, holder.value_end)
    label = _span(source, holder.key_start, holder.key_end)
    arguments = {
        member.key: _span(source, member.key_start, member.value_end)
        for member in body.entries()
        if is_cloud or not member.key.startswith("//")
    }
    return JsonBackendPlace(kind, is_cloud, span, label, MappingProxyType(arguments))


def _terraform_value(text: str, document: Mapping[str, Any] | None) -> int | None:
    """Where the value of the root's ``terraform`` member starts, or None without one.

    Skipping every other member of the root in Python costs seconds for the
    50 MB files cdktf can write; so when the loaded ``document`` is given, the
    ``"terraform":`` keys are found by a regular expression instead and the one
    whose value decodes to the document's is taken. Only when that is not
    exactly one key is the root scanned member by member.
    """
    if document is not None:
        if "terraform" not in document:
            return None
        wanted = document["terraform"]
        found = []
        for match in _TERRAFORM_KEY.finditer(text):
            try:
                value, _ = _DECODER.raw_decode(text, match.end())
            except ValueError:
                continue
            if value == wanted:
                found.append(match.end())
        if len(found) == 1:
            return found[0]
    member = _root(text).last("terraform")
    return member.value_start if member is not None else None


def json_backend_places(
    text: str, document: Mapping[str, Any] | None = None
) -> list[JsonBackendPlace]:
    """The ``backend`` and ``cloud`` blocks of a ``.tf.json`` text, where each is written.

    In the module view's order: per ``terraform`` object, its backends (each
    label's bodies) and then its cloud blocks. A body given as a list of
    objects yields one place per object, all sharing the label's span.
    ``document`` (what ``json.loads`` made of ``text``) lets a large file be
    searched rather than scanned. Raises :class:`JsonScanError` for text that
    is not JSON.
    """
    source = Source(text)
    places: list[JsonBackendPlace] = []
    start = _terraform_value(text, document)
    if start is None:
        return places
    for block in objects_at(text, start):
        backend = block.last("backend")
        if backend is not None:
            for labels in objects_at(text, backend.value_start):
                for holder in labels.entries():
                    for body in objects_at(text, holder.value_start):
                        places.append(_place(source, holder.key, holder, body, is_cloud=False))
        cloud = block.last(CLOUD_BLOCK)
        if cloud is not None:
            for body in objects_at(text, cloud.value_start):
                places.append(_place(source, CLOUD_BLOCK, cloud, body, is_cloud=True))
    return places
