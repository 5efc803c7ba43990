"""Small values and helpers shared by the diff printer and the reports.

It owns the ANSI styles (git's colour conventions), English plurals, and the
two values the output layer adds to the rules' result types:
:class:`SkippedFile`, a file or finding left alone with the reason why, and
:class:`ChangedFile`, a file a fix changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

# SGR codes as git emits them: git resets with the short ``ESC[m``, not ``ESC[0m``.
RESET = "\x1b[m"
BOLD = "\x1b[1m"
RED = "\x1b[31m"
GREEN = "\x1b[32m"
YELLOW = "\x1b[33m"
CYAN = "\x1b[36m"
BOLD_RED = "\x1b[1;31m"
BOLD_YELLOW = "\x1b[1;33m"


class SkippedFile(NamedTuple):
    """A file that was left alone (not fixed, or not checked), and why, in one sentence.

    ``line`` and ``column`` (1-based) say where in the file, when the reason
    has a position (a parse error); the path never carries them.
    """

    path: str
    reason: str
    line: int | None = None
    column: int | None = None

    @property
    def where(self) -> str:
        """``path``, ``path:line`` or ``path:line:column``."""
        if self.line is None:
            return self.path
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


class ChangedFile(NamedTuple):
    """A file a fix changes, for ``fix --format json``: both texts, and whether it is written.

    ``old_text`` is None for a file the fix creates, ``new_text`` None for one it deletes.
    """

    path: str
    old_text: str | None
    new_text: str | None
    written: bool = False


def paint(text: str, style: str, color: bool) -> str:
    """``text`` wrapped in ``style`` and a reset when ``color``; unchanged otherwise or when empty."""
    if not color or not text or not style:
        return text
    return f"{style}{text}{RESET}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 file"``, ``"2 files"``; ``plural_form`` for irregular words."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def as_skipped(items: Iterable[SkippedFile | tuple[str, str]]) -> list[SkippedFile]:
    """Accept plain ``(path, reason)`` pairs as well as :class:`SkippedFile` values."""
    return [item if isinstance(item, SkippedFile) else SkippedFile(*item) for item in items]
