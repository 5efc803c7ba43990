"""Text edits: the only way backend-fixer changes a file.

A fix is a list of :class:`Edit` values, each replacing the characters in
``[start, end)`` of the original text. Edits are applied to the original string
in one pass, so bytes outside every edit are copied, never re-printed. This
module also holds the checks that prove a result touched nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    """Replace ``original[start:end]`` with ``new_text``; ``start == end`` inserts."""

    start: int
    end: int
    new_text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid edit span [{self.start}, {self.end})")


class OverlappingEditsError(ValueError):
    """Two edits claim the same characters (or the same insertion point ambiguously)."""


def sort_and_check(edits: Iterable[Edit]) -> list[Edit]:
    """Return ``edits`` sorted by position; raise :class:`OverlappingEditsError` on overlap.

    Two insertions at the same offset are kept in their given order. An
    insertion at the start or end of a replaced span does not overlap it.
    """
    ordered = sorted(enumerate(edits), key=lambda pair: (pair[1].start, pair[1].end, pair[0]))
    result = [edit for _, edit in ordered]
    for previous, current in pairwise(result):
        if current.start < previous.end:
            raise OverlappingEditsError(
                f"edits overlap: [{previous.start}, {previous.end}) and [{current.start}, {current.end})"
            )
    return result


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply ``edits`` to ``text`` and return the new text.

    Raises :class:`OverlappingEditsError` when edits overlap and ``ValueError``
    when one reaches past the end of ``text``. No edits returns ``text`` itself.
    """
    ordered = sort_and_check(edits)
    if not ordered:
        return text
    if ordered[-1].end > len(text):
        raise ValueError(
            f"edit [{ordered[-1].start}, {ordered[-1].end}) is past the end of the text"
        )
    pieces: list[str] = []
    position = 0
    for edit in ordered:
        pieces.append(text[position : edit.start])
        pieces.append(edit.new_text)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def changes_confined(original: str, new: str, edits: Sequence[Edit]) -> bool:
    """True when ``new`` differs from ``original`` only inside the spans of ``edits``.

    Rebuilds the text from the original's bytes outside the edits and the new
    text inside them, independently of :func:`apply_edits`, and compares: the
    check holds even if the applying code were wrong.
    """
    ordered = sort_and_check(edits)
    shift = 0
    for edit in ordered:
        new_start = edit.start + shift
        if new[new_start : new_start + len(edit.new_text)] != edit.new_text:
            return False
        shift += len(edit.new_text) - (edit.end - edit.start)
    if len(new) != len(original) + shift:
        return False
    # Every gap between edits must be copied verbatim.
    position = 0
    shift = 0
    for edit in ordered:
        if original[position : edit.start] != new[position + shift : edit.start + shift]:
            return False
        shift += len(edit.new_text) - (edit.end - edit.start)
        position = edit.end
    return original[position:] == new[position + shift :]


def line_ending(text: str) -> str:
    """The newline style of ``text``: ``"\\r\\n"`` when most line ends are CRLF, else ``"\\n"``."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
