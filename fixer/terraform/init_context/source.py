"""Where a piece of script text came from: its file, lines, and text as written.

Mechanisms hand the shell parser text that is not always a slice of the file:
a YAML block scalar loses its indentation, a Makefile's ``$(VAR)`` is replaced
before the shell sees it. :func:`substitute` makes such replacements while
keeping a map back to the text as written, and :class:`ScriptSource` answers,
for any offset in the text the parser sees, the file's 1-based line and the
command as the author wrote it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from fixer.syntax.source import Source

__all__ = ["Expanded", "ScriptSource", "line_starts", "one_line", "substitute"]


def line_starts(text: str) -> list[int]:
    """Offsets at which the lines of ``text`` start (lines end at LF only)."""
    return Source(text).line_starts()


def one_line(text: str) -> str:
    """``text`` on one line: continuations joined, runs of blanks made one space."""
    return " ".join(text.replace("\\\r\n", " ").replace("\\\n", " ").split())


@dataclass(frozen=True, slots=True)
class Expanded:
    """Text after replacements, with the way back to the original.

    ``spans`` holds ``(start, end, original_start, original_end)`` for each
    replacement, in order.
    """

    text: str
    original: str
    spans: tuple[tuple[int, int, int, int], ...] = ()

    def to_original(self, offset: int) -> int:
        """The offset in ``original`` that ``offset`` in ``text`` comes from.

        An offset inside a replacement maps to the replaced text's start.
        """
        index = bisect_right(self.spans, (offset, float("inf"))) - 1
        if index < 0:
            return offset
        _, end, original_start, original_end = self.spans[index]
        if offset < end:
            return original_start
        return offset - end + original_end


def substitute(
    text: str, regex: re.Pattern[str], replace: Callable[[re.Match[str]], str | None]
) -> Expanded:
    """Replace each match of ``regex`` by ``replace(match)`` (None keeps it as is)."""
    pieces: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    position = 0
    length = 0
    for match in regex.finditer(text):
        new = replace(match)
        if new is None:
            continue
        before = text[position : match.start()]
        pieces.append(before)
        length += len(before)
        pieces.append(new)
        spans.append((length, length + len(new), match.start(), match.end()))
        length += len(new)
        position = match.end()
    if not spans:
        return Expanded(text, text)
    pieces.append(text[position:])
    return Expanded("".join(pieces), text, tuple(spans))


@dataclass(slots=True)
class ScriptSource:
    """A script's text as the parser sees it, and how it maps to its file.

    ``expanded`` is what the parser reads; ``expanded.original`` is the text as
    written (a YAML scalar's value, a recipe's lines). ``lines`` gives the file
    line of each line of the original text; ``line_offset`` is added when
    ``lines`` is empty (the original starts at file line ``line_offset + 1``).
    """

    path: str
    expanded: Expanded
    lines: Sequence[int] = ()
    line_offset: int = 0
    _starts: list[int] = field(default_factory=list)

    @classmethod
    def plain(cls, path: str, text: str, first_line: int = 1) -> ScriptSource:
        return cls(path, Expanded(text, text), (), first_line - 1)

    @property
    def text(self) -> str:
        return self.expanded.text

    def _original_line_index(self, offset: int) -> int:
        if not self._starts:
            self._starts = line_starts(self.expanded.original)
        original = self.expanded.to_original(offset)
        return bisect_right(self._starts, original) - 1

    def line(self, offset: int) -> int:
        """The file's 1-based line of ``offset`` in the parsed text."""
        index = self._original_line_index(offset)
        if self.lines:
            return self.lines[min(index, len(self.lines) - 1)]
        return self.line_offset + index + 1

    def written(self, start: int, end: int) -> str:
        """The text between two parsed offsets as written, on one line."""
        original = self.expanded.original
        a = self.expanded.to_original(start)
        b = self.expanded.to_original(end - 1) + 1 if end > start else a
        # A replacement at the very end maps to its start: take it whole.
        for s, e, _, oe in self.expanded.spans:
            if s < end <= e:
                b = max(b, oe)
        return one_line(original[a:b])
