"""Expanded text: literal strings that remember which parts nobody can see.

Every mechanism expands its own syntax (``${{ secrets.X }}``, ``$(VAR)``,
``{{.ENV}}``, ``$BUCKET``) before the shell parser and the resolver look at the
result. A part whose value is not visible becomes an *opaque marker* that keeps
the text as written; a part that took a parameter's default (``ENV ?= dev``) is
wrapped in a *parameter marker* that keeps the value and where the default was
declared. Markers use Unicode private-use characters and hexadecimal payloads,
so they pass through shell word splitting, quoting and path joins unchanged,
and any string can be asked what it hides. ``ROOT`` marks an absolute path at
the repository root (``$GITHUB_WORKSPACE``, ``$(dirname "$0")/..`` resolved).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "ROOT",
    "Parameter",
    "display",
    "is_literal",
    "join_path",
    "opaque",
    "opaque_parts",
    "parameter",
    "parameters",
    "pattern",
    "plain",
    "strip_parameters",
]

_OPAQUE_OPEN = "\ue000"
_OPAQUE_CLOSE = "\ue001"
_PARAM_OPEN = "\ue002"
_PARAM_SEP = "\ue003"
_PARAM_CLOSE = "\ue004"
ROOT = "\ue005"
"""Prefix of a path anchored at the repository root rather than the working directory."""

_OPAQUE_RE = re.compile(f"{_OPAQUE_OPEN}([0-9a-f]*){_OPAQUE_CLOSE}")
_PARAM_HEAD_RE = re.compile(f"{_PARAM_OPEN}([0-9a-f]*){_PARAM_SEP}")
_MARKS = str.maketrans("", "", _PARAM_CLOSE)


@dataclass(frozen=True, slots=True)
class Parameter:
    """A variable that took its literal default: ``ENV ?= dev`` at ``Makefile:3``.

    The init reaches what the default names, but whoever runs it may pass
    another value (``make init ENV=prod``); messages say so.
    """

    name: str
    default: str
    declared_at: str

    def __str__(self) -> str:
        return f"{self.name} (default {self.default!r}, {self.declared_at})"


def _hex(text: str) -> str:
    return text.encode("utf-8").hex()


def _unhex(text: str) -> str:
    try:
        return bytes.fromhex(text).decode("utf-8")
    except ValueError:
        return text


def opaque(shown: str) -> str:
    """A marker for a value nobody can see here, shown as ``shown`` in messages."""
    return f"{_OPAQUE_OPEN}{_hex(shown)}{_OPAQUE_CLOSE}"


def parameter(name: str, default: str, declared_at: str) -> str:
    """``default`` wrapped so that it remembers it is parameter ``name``'s default."""
    payload = _hex(f"{name}\0{declared_at}")
    return f"{_PARAM_OPEN}{payload}{_PARAM_SEP}{default}{_PARAM_CLOSE}"


def is_literal(text: str) -> bool:
    """True when no part of ``text`` is opaque (parameter defaults count as literal)."""
    return _OPAQUE_OPEN not in text


def strip_parameters(text: str) -> str:
    """``text`` with parameter markers removed and their values kept; opaque markers
    and the root anchor stay."""
    if _PARAM_OPEN not in text:
        return text
    return _PARAM_HEAD_RE.sub("", text).translate(_MARKS)


def plain(text: str) -> str | None:
    """The literal value of ``text``, or None when some part of it is opaque."""
    return strip_parameters(text) if is_literal(text) else None


def display(text: str) -> str:
    """``text`` for messages: opaque parts as written (``$BUCKET``), defaults as values,
    root-anchored paths as repo-relative ones."""
    shown = strip_parameters(text).replace(ROOT + "/", "").replace(ROOT, "")
    return _OPAQUE_RE.sub(lambda m: _unhex(m.group(1)), shown)


def pattern(text: str) -> str:
    """``text`` as an ``fnmatch`` pattern: each opaque part matches anything."""
    stripped = strip_parameters(text).replace(ROOT + "/", "").replace(ROOT, "")
    return _OPAQUE_RE.sub("*", stripped.replace("[", "[[]"))


def opaque_parts(text: str) -> list[str]:
    """The opaque parts of ``text`` as written, in order, each once."""
    seen: dict[str, None] = {}
    for match in _OPAQUE_RE.finditer(text):
        seen.setdefault(_unhex(match.group(1)), None)
    return list(seen)


def parameters(text: str) -> list[Parameter]:
    """The parameters whose defaults ``text`` holds, in order, each once."""
    found: dict[Parameter, None] = {}
    for match in _PARAM_HEAD_RE.finditer(text):
        start = match.end()
        depth, i = 1, start
        while i < len(text) and depth:
            if text[i] == _PARAM_OPEN:
                depth += 1
            elif text[i] == _PARAM_CLOSE:
                depth -= 1
            i += 1
        name, _, where = _unhex(match.group(1)).partition("\0")
        found.setdefault(Parameter(name, display(text[start : i - 1]), where), None)
    return list(found)


def join_path(base: str, path: str) -> str | None:
    """``path`` resolved against directory ``base`` as a repo-relative POSIX path.

    Both may carry markers. ``path`` starting with ``ROOT`` is anchored at the
    repository root; an absolute ``/...`` path lies outside the repository and
    gives None, as does a path that climbs above the root. ``"."`` is the root.
    Opaque parts are kept as single path segments.
    """
    if path.startswith("/") or path.startswith("~"):
        return None
    root = path.rfind(ROOT)
    if root >= 0:
        # Everything before the last root anchor is discarded, as `cd /abs` would.
        base, path = ".", path[root + 1 :]
    parts: list[str] = [] if base in (".", "") else base.split("/")
    for part in path.split("/"):
        bare = strip_parameters(part)
        if bare in ("", "."):
            continue
        if bare == "..":
            if not parts:
                return None
            if not is_literal(parts[-1]):
                # An unknown segment may hold several levels: `..` after it is unknown too.
                parts[-1] = opaque(display(parts[-1]) + "/..")
                continue
            parts.pop()
            continue
        parts.append(part)
    return "/".join(parts) if parts else "."
