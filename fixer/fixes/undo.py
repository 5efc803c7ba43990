"""Recording the edits a fix makes to an active backend block, so ``restore`` can undo them.

Comment mode records itself (see :mod:`fixer.fixes.comment`); targeted fixes
and complete mode edit a block that stays active. Their record is one marker
comment inside the block, at its inner indentation:

- ``# backend-fixer:added <record> +9-11 (backend-fixer restore removes these lines)``
  sits on the first line of the group the fix added (most fixes only add:
  locking, encryption, missing values); ``+9-11`` are the added lines, counted
  from the block's first line as the fix wrote it, without marker lines.
- ``# backend-fixer:fixed <record> (was: backend "s3" {})`` on the line after
  the opening one: the fix rewrote a one-line block, recorded whole.
- ``# backend-fixer:fixed (backend-fixer restore cannot undo this rewrite: ...)``:
  the fix changed lines that existed (a rename, a new value, a realigned run, a
  removed secret). No copy of them is kept in the file, so restore says so and
  points to version control instead of guessing.

The record's digest covers the lines the fix owns (the added lines, or the
whole rewritten block) and its codes every line of the block as written, so
restore finds the owned lines again after a person edited other lines of the
block, which never blocks it. Pure text functions; no I/O.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from fixer.edits import Edit, apply_edits, line_ending
from fixer.fixes.record import Record, line_numbers
from fixer.fixes.render import indentation, line_end, line_start
from fixer.syntax import Attribute, Block

__all__ = [
    "ADDED_MARK",
    "FIXED_MARK",
    "BlockUndo",
    "has_marks",
    "recorded_block_edit",
    "undo_block",
    "undoable",
]

ADDED_MARK = "backend-fixer:added"
FIXED_MARK = "backend-fixer:fixed"
_ADDED_NOTE = "(backend-fixer restore removes these lines)"
_CANNOT = "(backend-fixer restore cannot undo this rewrite: use version control)"
_MARK_RE = re.compile(r"^[ \t]*# backend-fixer:(added|fixed)\b(.*)$")
_HUNK_RE = re.compile(r"^\+(\d+)-(\d+)$")
_WAS_RE = re.compile(r"\(was: (.*)\)$")


def _split(text: str) -> list[str]:
    lines = text.split("\n")
    result = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


def _is_mark(line: str) -> bool:
    return _MARK_RE.match(line.rstrip("\r\n")) is not None


def undoable(text: str) -> bool:
    """Does ``text`` (a block's lines) still hold a record restore would act on?

    A rewrite marked as beyond undoing does not count: it stays by design.
    """
    for line in _split(text):
        match = _MARK_RE.match(line.rstrip("\r\n"))
        if match and (match.group(1) == "added" or _WAS_RE.search(match.group(2).strip())):
            return True
    return False


def has_marks(text: str, block: Block) -> bool:
    """Does ``block`` (of ``text``) carry a record of a fix?"""
    start, end = line_start(text, block.start), line_end(text, block.end)
    return any(_is_mark(line) for line in _split(text[start:end]))


def _mentions(
    block: Block, line_range: tuple[int, int], text: str, secrets: Collection[str]
) -> bool:
    """Does an attribute named in ``secrets`` start within the block's lines ``line_range``?"""
    first = text.count("\n", 0, line_start(text, block.start))
    lo, hi = line_range
    stack: list[Block] = [block]
    while stack:
        current = stack.pop()
        for item in current.body.items:
            if isinstance(item, Block):
                stack.append(item)
            elif isinstance(item, Attribute) and item.name in secrets:
                line = text.count("\n", 0, item.start) - first
                if lo <= line < hi:
                    return True
    return False


def recorded_block_edit(
    text: str, block: Block, edits: Sequence[Edit], *, secrets: Collection[str] = ()
) -> Edit:
    """One edit over the block's whole lines: ``edits`` applied, and the marker recording them.

    ``secrets`` are the names of the backend's credential arguments: a rewrite
    of lines that hold one is never copied into a marker. ``edits`` must lie
    inside the block's lines (a :class:`~fixer.fixes.block_edit.BlockEditor`'s do).
    """
    start, end = line_start(text, block.start), line_end(text, block.end)
    shift = sum(len(e.new_text) - (e.end - e.start) for e in edits)
    new = apply_edits(text, edits)[start : end + shift]
    old = text[start:end]
    newline = line_ending(text)
    old_lines = [line for line in _split(old) if not _is_mark(line)]
    new_all = _split(new)
    new_lines = [line for line in new_all if not _is_mark(line)]
    inner = indentation(text, block.start) + _unit(new_all, indentation(text, block.start))
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not changes:
        return Edit(start, end, new)
    codes = Record.of(new_lines).codes
    if all(tag == "insert" for tag, *_ in changes):
        owned = [line for _, _, _, j1, j2 in changes for line in new_lines[j1:j2]]
        record = Record(Record.of(owned).digest, codes)
        hunks = ",".join(f"+{j1 + 1}-{j2}" for _, _, _, j1, j2 in changes)
        mark = f"{inner}# {ADDED_MARK} {record.render()} {hunks} {_ADDED_NOTE}"
        # On the group's first line that is not blank: above the added attributes.
        j1, j2 = changes[0][3], changes[0][4]
        at = next((j for j in range(j1, j2) if new_lines[j].strip()), j1)
    elif len(_split(old)) == 1 and not _mentions(block, (0, 1), text, secrets):
        record = Record(Record.of(new_lines).digest, codes)
        was = old.strip(" \t\r\n")
        mark = f"{inner}# {FIXED_MARK} {record.render()} (was: {was})"
        at = 1
    else:
        mark = f"{inner}# {FIXED_MARK} {_CANNOT}"
        at = 1
    # Insert among the lines as written, previous marks included.
    position = _position(new_all, at)
    new_all.insert(position, mark + newline)
    result = "".join(new_all)
    if not new.endswith("\n") and result.endswith(newline) and not old.endswith("\n"):
        result = result.removesuffix(newline)
    return Edit(start, end, result)


def _unit(lines: Sequence[str], outer: str) -> str:
    for line in lines[1:]:
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        if line.strip() and lead.startswith(outer) and len(lead) > len(outer):
            return lead[len(outer) :]
    return "\t" if outer.startswith("\t") else "  "


def _position(all_lines: Sequence[str], at: int) -> int:
    """The index among ``all_lines`` (marks included) of the ``at``-th line without marks."""
    seen = 0
    for index, line in enumerate(all_lines):
        if _is_mark(line):
            continue
        if seen == at:
            return index
        seen += 1
    return len(all_lines)


@dataclass(frozen=True, slots=True)
class BlockUndo:
    """What undoing one block's records gives.

    ``edit`` (None when there is nothing to undo) replaces the block's lines;
    ``problems`` refuse (with the 1-based line), ``notes`` say what cannot be
    undone and why; both leave the block as it is.
    """

    edit: Edit | None
    problems: tuple[tuple[int, str], ...] = ()
    notes: tuple[tuple[int, str], ...] = ()


def undo_block(text: str, block: Block, *, discard_edits: bool = False) -> BlockUndo:
    """Undo every recorded fix of ``block`` (of ``text``), or say why not.

    The owned lines of each record must be there unchanged (their digest), or
    the undo is refused with their line numbers unless ``discard_edits``. A
    person's edits to other lines of the block are kept.
    """
    start, end = line_start(text, block.start), line_end(text, block.end)
    first = text.count("\n", 0, start) + 1
    all_lines = _split(text[start:end])
    marks = [(i, _MARK_RE.match(line.rstrip("\r\n"))) for i, line in enumerate(all_lines)]
    found = [(i, m) for i, m in marks if m is not None]
    if not found:
        return BlockUndo(None)
    plain_index = [i for i, m in marks if m is None]  # block line -> index among all_lines
    plain = [all_lines[i] for i in plain_index]
    drop: set[int] = set()  # indices among all_lines
    replace_all: str | None = None
    problems: list[tuple[int, str]] = []
    notes: list[tuple[int, str]] = []
    for index, match in found:
        kind, rest = match.group(1), match.group(2).strip()
        parts = rest.split()
        record = Record.parse(parts[0]) if parts else None
        line = first + index
        was = _WAS_RE.search(rest)
        if kind == "fixed" and (record is None or was is None):
            notes.append(
                (
                    line,
                    "restore cannot undo the rewrite this block records (backend-fixer keeps "
                    "no copy of the lines it changed): take them from version control",
                )
            )
            continue
        if record is None:
            problems.append((line, "restore refused: the record on this marker is damaged"))
            continue
        if kind == "fixed":
            owned = list(range(record.line_count))
        else:
            owned = [k for piece in parts[1:] for k in _hunk_lines(piece)]
        mapping = record.alignment(plain)
        present = [mapping.get(k) for k in owned]
        intact = bool(owned) and all(p is not None for p in present)
        intact = intact and Record.of([plain[p] for p in present if p is not None]).digest == (
            record.digest
        )
        span = _owned_span(mapping, owned) if owned else None
        if not intact and not discard_edits:
            edited = [
                k for k in record.edited(plain) if span is None or span[0] - 1 <= k <= span[1]
            ]
            numbers = sorted({first + plain_index[min(k, len(plain) - 1)] for k in edited}) or [
                line
            ]
            problems.append(
                (
                    numbers[0],
                    f"restore refused: {line_numbers(numbers)}, which a fix wrote, "
                    f"{'was' if len(numbers) == 1 else 'were'} edited since; "
                    "`backend-fixer restore --discard-edits` undoes the fix anyway",
                )
            )
            continue
        drop.add(index)
        if kind == "fixed":
            assert was is not None
            lead = all_lines[0][: len(all_lines[0]) - len(all_lines[0].lstrip(" \t"))]
            ending = all_lines[-1][len(all_lines[-1].rstrip("\r\n")) :]
            replace_all = f"{lead}{was.group(1)}{ending}"
            continue
        if intact:
            drop.update(plain_index[p] for p in present if p is not None)
        elif span is None:
            problems.append((line, "restore refused: the lines a fix added cannot be told apart"))
        else:
            drop.update(plain_index[k] for k in range(*span))
    if problems:
        return BlockUndo(None, tuple(problems), tuple(notes))
    if replace_all is not None:
        return BlockUndo(Edit(start, end, replace_all), (), tuple(notes))
    if not drop:
        return BlockUndo(None, (), tuple(notes))
    kept = "".join(line for i, line in enumerate(all_lines) if i not in drop)
    return BlockUndo(Edit(start, end, kept), (), tuple(notes))


def _hunk_lines(piece: str) -> range:
    """The 0-based recorded lines of a hunk written ``+9-11`` (1-based, inclusive)."""
    match = _HUNK_RE.match(piece.strip(","))
    return range(int(match.group(1)) - 1, int(match.group(2))) if match else range(0)


def _owned_span(mapping: dict[int, int], owned: Sequence[int]) -> tuple[int, int] | None:
    """The current lines between the unchanged lines around the owned ones: [start, stop).

    None when the line before or after them is gone too, so the owned lines
    can no longer be told apart from a person's.
    """
    before = mapping.get(min(owned) - 1)
    after = mapping.get(max(owned) + 1)
    if before is None or after is None or after <= before:
        return None
    return before + 1, after
