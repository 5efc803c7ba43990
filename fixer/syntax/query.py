"""Questions asked of a syntax tree: where are the terraform, backend and cloud
blocks, and which comments belong to an item.

Comments are not nodes: they live in the gaps between tokens. An item's leading
comments are the comment lines directly above it (no blank line between); its
trailing comment is one that starts on the line where the item ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fixer.syntax.nodes import Attribute, Block, Body, ConfigFile

_COMMENT_RE = re.compile(r"#[^\n]*|//[^\n]*|/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment's [start, end) offsets and text (without its line ending)."""

    start: int
    end: int
    text: str


def terraform_blocks(config: ConfigFile) -> list[Block]:
    """Every top-level ``terraform`` block, in file order."""
    return config.body.blocks("terraform")


def backend_blocks(config: ConfigFile) -> list[Block]:
    """Every ``backend "<type>"`` block inside a top-level ``terraform`` block."""
    return [b for t in terraform_blocks(config) for b in t.body.blocks("backend")]


def cloud_blocks(config: ConfigFile) -> list[Block]:
    """Every ``cloud`` block inside a top-level ``terraform`` block."""
    return [b for t in terraform_blocks(config) for b in t.body.blocks("cloud")]


def comments_in(text: str, start: int, end: int) -> list[Comment]:
    """The comments inside ``text[start:end]``, which must be pure trivia."""
    return [
        Comment(m.start(), m.end(), m.group().rstrip("\r"))
        for m in _COMMENT_RE.finditer(text, start, end)
    ]


def _gap_before(body: Body, item: Attribute | Block) -> tuple[int, int]:
    index = body.items.index(item)
    start = body.items[index - 1].end if index else body.start
    return start, item.start


def leading_comments(body: Body, item: Attribute | Block) -> list[Comment]:
    """The comments directly above ``item`` in ``body``.

    A comment is leading when only whitespace and other leading comments separate
    it from the item and no blank line intervenes. A comment on the previous
    item's last line is that item's trailing comment, not a leading one. Returns
    [] when there is none; raises ValueError when ``item`` is not in ``body``.
    """
    text = body.src.text
    gap_start, gap_end = _gap_before(body, item)
    comments = comments_in(text, gap_start, gap_end)
    if body.items.index(item) > 0:
        # Drop a trailing comment of the previous item (on the same line as its end).
        comments = [c for c in comments if "\n" in text[gap_start : c.start]]
    kept: list[Comment] = []
    boundary = gap_end
    for comment in reversed(comments):
        between = text[comment.end : boundary]
        if between.count("\n") > 1 or between.strip():
            break
        kept.append(comment)
        boundary = comment.start
    # A comment that shares its line with code before it is not a leading comment.
    result = []
    for comment in reversed(kept):
        line_start = text.rfind("\n", 0, comment.start) + 1
        if text[line_start : comment.start].strip() and line_start >= gap_start:
            continue
        result.append(comment)
    return result


def trailing_comment(body: Body, item: Attribute | Block) -> Comment | None:
    """The comment that starts on the line where ``item`` ends, or None."""
    text = body.src.text
    index = body.items.index(item)
    limit = body.items[index + 1].start if index + 1 < len(body.items) else body.end
    line_end = text.find("\n", item.end, limit)
    if line_end < 0:
        line_end = limit
    comments = comments_in(text, item.end, line_end)
    return comments[0] if comments else None
