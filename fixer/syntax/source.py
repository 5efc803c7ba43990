"""The text of one file and the mapping from offsets to lines and columns.

Tokens and nodes store character offsets only. This object, shared by all of a
file's tokens, computes 1-based line and column numbers on demand, so lexing
never pays for positions that nobody asks for.
"""

from __future__ import annotations

from bisect import bisect_right


class Source:
    """A file's text and, lazily, the offsets at which its lines start."""

    __slots__ = ("_line_starts", "path", "text")

    def __init__(self, text: str, path: str | None = None) -> None:
        self.text = text
        self.path = path
        self._line_starts: list[int] | None = None

    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts = starts
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of ``offset``; columns count characters.

        An offset equal to ``len(text)`` is the position just after the last
        character. A byte-order mark at the start does not count as a column.
        """
        starts = self.line_starts()
        index = bisect_right(starts, offset) - 1
        column = offset - starts[index] + 1
        if index == 0 and self.text.startswith("\ufeff") and offset > 0:
            column -= 1
        return index + 1, column

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its line ending ("" past the end)."""
        starts = self.line_starts()
        if not 1 <= line <= len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        text = self.text[start:end]
        if line == 1:
            text = text.lstrip("\ufeff")
        return text.rstrip("\r")
