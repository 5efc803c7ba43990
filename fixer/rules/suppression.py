"""Inline suppression: ``# backend-fixer: ignore[CODE]`` on or above a block.

A finding is suppressed when a comment naming its code (or ``ignore`` without
codes, or its rule name) stands on the line where the finding starts, on the
first line of the backend or cloud block holding it, or among the comments
directly above that block.
"""

from __future__ import annotations

import re

from fixer.rules.base import Finding
from fixer.rules.locations import backend_of
from fixer.syntax import Block, leading_comments
from fixer.terraform import ModuleView

_DIRECTIVE = re.compile(r"backend-fixer:\s*ignore(?:\[([^\]]*)\])?", re.IGNORECASE)


def _codes(comment: str) -> set[str] | None:
    """The codes a comment suppresses: a set, an empty set for all, None for none."""
    match = _DIRECTIVE.search(comment)
    if match is None:
        return None
    if match.group(1) is None:
        return set()
    return {c.strip().upper() for c in match.group(1).split(",") if c.strip()}


def _suppresses(comment: str, finding: Finding) -> bool:
    codes = _codes(comment)
    if codes is None:
        return False
    return not codes or finding.code in codes or finding.name.upper() in codes


def _line_comment(text: str, offset: int) -> str:
    """The text of the line holding ``offset`` (comments are matched anywhere in it)."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start : end if end >= 0 else len(text)]


def is_suppressed(finding: Finding, view: ModuleView) -> bool:
    """True when an ignore comment covers ``finding`` (see the module docstring)."""
    source = next((f for f in view.files if f.path == finding.location.path), None)
    if source is None:
        return False
    text = source.config.text
    if _suppresses(_line_comment(text, finding.location.start), finding):
        return True
    backend = backend_of(view, finding)
    if backend is None or backend.block is None:
        return False
    block = backend.block
    if _suppresses(_line_comment(text, block.start), finding):
        return True
    parent = backend.terraform_block
    above = (
        leading_comments(parent.body, block)
        if parent is not None and _is_item(parent, block)
        else []
    )
    return any(_suppresses(c.text, finding) for c in above)


def _is_item(parent: Block, block: Block) -> bool:
    return any(item is block for item in parent.body.items)
