"""The safety nets every change passes before it may be written, in every mode.

A change of a file is its original text, the edits the fix declared and the
spans those edits may touch. It passes when: the original round-trips exactly
through the parser's tokens, the new text differs from the original only
inside the declared edits, every edit lies inside an allowed span (the lines of
the backend blocks for a fix, the marked regions for a restore), the byte order
mark and the newline style are kept, and the new text parses again. The second
run (the same request on the new texts changes nothing) is the pipeline's,
since it needs the whole module. Each net answers with the first failure as a
short message, or None.
"""

from __future__ import annotations

from collections.abc import Sequence

from fixer.edits import Edit, changes_confined
from fixer.syntax import ConfigFile, ParseError, parse

__all__ = ["Span", "check_native_change", "newline_style_kept"]

Span = tuple[int, int]
"""A half-open range of character offsets a fix may change."""


def _style(text: str) -> str | None:
    """``"\\r\\n"`` or ``"\\n"`` when every line break of ``text`` is written that way, else None."""
    breaks = text.count("\n")
    if not breaks:
        return None
    crlf = text.count("\r\n")
    if crlf == breaks:
        return "\r\n"
    return "\n" if crlf == 0 else None


def newline_style_kept(old: str, edits: Sequence[Edit]) -> bool:
    """Do the edits write line breaks the way ``old`` writes all of its own?

    A file with one consistent style (all LF or all CRLF) must get new lines in
    that style; a file that mixes them, or has no line break, is not judged.
    """
    style = _style(old)
    if style is None:
        return True
    for edit in edits:
        breaks = edit.new_text.count("\n")
        crlf = edit.new_text.count("\r\n")
        if (style == "\n" and crlf) or (style == "\r\n" and crlf != breaks):
            return False
    return True


def _round_trips(tree: ConfigFile) -> bool:
    position = 0
    old = tree.text
    for token in tree.tokens():
        if token.start < position or old[token.start : token.end] != token.value:
            return False
        position = token.end
    return True


def check_native_change(
    tree: ConfigFile, new: str, edits: Sequence[Edit], spans: Sequence[Span]
) -> tuple[str | None, ConfigFile | None]:
    """Run the nets on ``new``, the changed text of ``tree``'s file, made by ``edits``.

    ``spans`` are where the edits may lie. Returns (the first net it fails, as
    a message, None) or (None, the parsed new text).
    """
    path, old = tree.path or "", tree.text
    if not _round_trips(tree):
        return "the original does not round-trip exactly", None
    if not changes_confined(old, new, edits):
        return "the change reaches outside the edits the fix declared", None
    for edit in edits:
        if not any(start <= edit.start and edit.end <= end for start, end in spans):
            return f"an edit at offset {edit.start} lies outside the span it may change", None
    if old.startswith("\ufeff") != new.startswith("\ufeff"):
        return "the byte order mark would change", None
    if not newline_style_kept(old, edits):
        return "the change would mix newline styles", None
    try:
        return None, parse(new, path)
    except ParseError as error:
        return (
            f"the changed text does not parse ({error.line}:{error.column}: {error.message})",
            None,
        )
