"""Comment mode and ``restore``: switch a module to local state, and back.

Comment mode replaces the lines of a backend block with a documented header
between marker comments and the block commented out line by line (``# `` at
the block's own indentation). Missing values appear in the commented block as
an ``added`` group, so uncommenting it gives a complete block; the original
lines are kept verbatim, so :func:`restore_edits` can give back the exact
original bytes: it drops the header and the added lines and uncomments the rest.
A one-line original (``backend "s3" {}``) is recorded on the begin marker.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from fixer.edits import Edit, apply_edits, line_ending
from fixer.fixes.block_edit import BlockEditor
from fixer.fixes.completion import PLACEHOLDER
from fixer.fixes.render import (
    indentation,
    line_end,
    line_start,
)
from fixer.syntax import Block, ConfigFile, parse
from fixer.syntax.errors import LexError
from fixer.syntax.lexer import tokenize
from fixer.syntax.source import Source
from fixer.terraform import CLOUD_BLOCK

BEGIN = "backend-fixer:begin local-state"
END = "backend-fixer:end local-state"
ADDED = "backend-fixer:added (restore removes these lines)"
WAS = "backend-fixer:was "  # an original line the completed block changes
NEW = "backend-fixer:new"  # a changed line of the completed block

_BEGIN_RE = re.compile(r"^([ \t]*)# backend-fixer:begin local-state(?: \(was: (.*)\))?[ \t]*$")
_END_RE = re.compile(r"^[ \t]*# backend-fixer:end local-state[ \t]*$")
_ADDED_RE = re.compile(r"^[ \t]*#[ \t]*# backend-fixer:added\b")


@dataclass(frozen=True, slots=True)
class CommentedRegion:
    """A commented-out backend found in a file: where it is and what it restores to."""

    start: int
    end: int
    original: str  # the original lines, exactly
    backend_type: str | None


def header_lines(
    backend_type: str,
    *,
    backend_files: Sequence[str],
    placeholders: bool,
    is_cloud: bool,
    width: int = 72,
) -> list[str]:
    """The documented header's lines (without ``# `` and newlines), wrapped at ``width``."""
    if is_cloud:
        enable = "To use the cloud block again, fill in the values below and uncomment it."
    else:
        example = backend_files[0] if backend_files else f"<name>.{backend_type}.tfbackend"
        enable = (
            f'To use the "{backend_type}" backend again, fill in the values below and '
            f'uncomment the block, or uncomment it as `backend "{backend_type}" {{}}` and '
            f"run `terraform init -backend-config={example}`."
        )
    if placeholders:
        enable += f" Values marked {PLACEHOLDER} must be replaced first."
    if not is_cloud:
        enable += " Backend blocks cannot use variables or locals in Terraform."
    paragraphs = [
        "Local state is in use, so this module deploys as is: "
        "`terraform init -input=false` needs no backend values.",
        enable,
        "Then run `terraform init -migrate-state` to copy this state to the backend, "
        "or `terraform init -reconfigure` to start clean; never use -force-copy, "
        "which can overwrite the remote state. `backend-fixer restore` puts the "
        "original block back.",
    ]
    lines: list[str] = []
    for paragraph in paragraphs:
        # Commands in backticks must not be split across lines: glue their words first.
        glued = re.sub(r"`[^`]*`", lambda m: m.group().replace(" ", "\x00"), paragraph)
        wrapped = textwrap.wrap(glued, width=width, break_on_hyphens=False, break_long_words=False)
        lines.extend(line.replace("\x00", " ") for line in wrapped)
    return lines


def comment_out_edit(
    config: ConfigFile,
    block: Block,
    editor: BlockEditor | None,
    header: Sequence[str],
) -> Edit:
    """The edit that turns ``block`` into the header plus the commented, completed block.

    ``editor`` holds what the block needs to be valid and complete when
    uncommented (values to add, values to replace, arguments to rewrite); None
    comments the block out as it is. The edit covers the block's whole lines
    (from the start of its first line to the end of its last line, newline
    included), nothing else.
    """
    text = config.text
    newline = line_ending(text)
    outer = indentation(text, block.start)
    start = line_start(text, block.start)
    end = line_end(text, block.end)
    original = text[start:end]
    first_line_end = line_end(text, block.start)
    was = ""
    if block.is_single_line:
        was = f" (was: {text[start + len(outer) : first_line_end].rstrip(chr(13) + chr(10))})"

    completed = _completed_block_text(text, block, editor, start, end)
    lines = split_lines(completed)
    commented = "".join(_comment_line(line, outer) for line in lines)
    if not commented.endswith("\n"):
        commented += newline
    head = f"{outer}# {BEGIN}{was}{newline}"
    head += "".join(f"{outer}# {line}".rstrip() + newline for line in header)
    head += f"{outer}# {END}{newline}"
    new = head + commented
    if not original.endswith("\n"):
        new = new.removesuffix(newline)
    return Edit(start, end, new)


def _completed_block_text(
    text: str, block: Block, editor: BlockEditor | None, start: int, end: int
) -> str:
    """The block as it should read when uncommented, with what restore needs to undo it.

    A one-line original is simply rewritten (the begin marker records it).
    Otherwise lines the editor changes stay as ``backend-fixer:was`` comments
    followed by their new version marked ``backend-fixer:new``, and added
    arguments form a group of their own before the closing brace, so restore can
    drop every addition and unwrap every original line.
    """
    original = text[start:end]
    if editor is None or editor.is_empty:
        return original
    if block.is_single_line:
        edits = editor.edits()
        shift = sum(len(e.new_text) - (e.end - e.start) for e in edits)
        return apply_edits(text, edits)[start : end + shift]
    newline = editor.newline
    core = editor.edits(include_additions=False)
    shift = sum(len(e.new_text) - (e.end - e.start) for e in core)
    changed = apply_edits(text, core)[start : end + shift]
    old_lines = split_lines(original)
    new_lines = split_lines(changed)
    pieces: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.extend(old_lines[i1:i2])
            continue
        for line in old_lines[i1:i2]:
            body = line.rstrip("\r\n")
            lead = body[: len(body) - len(body.lstrip(" \t"))]
            pieces.append(f"{lead}# {WAS}{body[len(lead) :]}{line[len(body) :]}")
        for line in new_lines[j1:j2]:
            body = line.rstrip("\r\n")
            pieces.append(f"{body} # {NEW}{line[len(body) :]}" if body.strip() else line)
    if editor.additions:
        body = "".join(pieces)
        close_line = body.rfind("\n", 0, len(body.rstrip("\r\n"))) + 1
        before, closing = body[:close_line], body[close_line:]
        # Always one blank line before the group, so restore always removes exactly one.
        separator = newline
        group = f"{editor.inner}# {ADDED}{newline}" + editor.render_additions()
        return before + separator + group + closing
    return "".join(pieces)


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split at LF only (HCL's newline; CR stays with its LF).

    ``str.splitlines`` also splits at form feeds, U+2028 and the like, which HCL
    treats as ordinary characters inside strings and comments.
    """
    lines = text.split("\n")
    result = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result


def _comment_line(line: str, outer: str) -> str:
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    if not body.strip():
        # A blank or whitespace-only line keeps its blanks after the '#', so
        # restore can give them back (fmt would strip them anyway).
        return f"{outer}#{body}{ending}"
    if body.startswith(outer):
        return f"{outer}# {body[len(outer) :]}{ending}"
    return f"# {body}{ending}"


def find_commented_regions(text: str) -> list[CommentedRegion]:
    """Every comment-mode region in ``text``, in order; malformed ones are skipped.

    A region runs from its begin marker to the end of the commented block that
    follows the end marker; ``original`` is what :func:`restore_edits` puts back.
    """
    regions: list[CommentedRegion] = []
    lines = split_lines(text)
    offsets = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line)
    index = 0
    while index < len(lines):
        begin = _BEGIN_RE.match(lines[index].rstrip("\r\n"))
        if not begin:
            index += 1
            continue
        end_index = index + 1
        while end_index < len(lines) and not _END_RE.match(lines[end_index].rstrip("\r\n")):
            end_index += 1
        if end_index >= len(lines):
            break
        block_lines = _commented_block(lines, end_index + 1)
        if block_lines is None:
            index = end_index + 1
            continue
        start = offsets[index]
        stop_index = end_index + 1 + len(block_lines)
        end = offsets[stop_index] if stop_index < len(lines) else len(text)
        original, backend_type = _restore_text(begin.group(1), begin.group(2), block_lines)
        regions.append(CommentedRegion(start, end, original, backend_type))
        index = stop_index
    return regions


def _uncomment(line: str) -> str:
    body = line.rstrip("\r\n")
    ending = line[len(body) :]
    stripped = body.lstrip(" \t")
    lead = body[: len(body) - len(stripped)]
    if not stripped.startswith("#"):
        return line
    rest = stripped[1:]
    if not rest.strip():
        return rest + ending  # a blank or whitespace-only line of the original
    return lead + (rest[1:] if rest.startswith(" ") else rest) + ending


def _unreplace(line: str) -> str:
    """Undo the ``backend-fixer:was`` marker on an uncommented line."""
    stripped = line.lstrip(" \t")
    if stripped.startswith(f"# {WAS}"):
        return line[: len(line) - len(stripped)] + stripped[len(f"# {WAS}") :]
    return line


def _commented_block(lines: list[str], first: int) -> list[str] | None:
    """The commented lines of the block starting at ``first``, through its closing brace."""
    candidate: list[str] = []
    for line in lines[first:]:
        if not line.lstrip(" \t").startswith("#"):
            break
        candidate.append(line)
    uncommented = "".join(_uncomment(line) for line in candidate)
    depth = 0
    opened = False
    try:
        for token in tokenize(uncommented, Source(uncommented)):
            if token.type == "LBRACE":
                depth += 1
                opened = True
            elif token.type == "RBRACE":
                depth -= 1
                if opened and depth == 0:
                    last = uncommented.count("\n", 0, token.start)
                    return candidate[: last + 1]
    except LexError:
        return None
    return None


def _restore_text(indent: str, was: str | None, block_lines: list[str]) -> tuple[str, str | None]:
    kept = list(block_lines)
    marker = next((i for i, line in enumerate(kept) if _ADDED_RE.match(line)), None)
    if marker is not None:
        # The added group always runs up to the closing brace, the block's last line.
        kept = kept[:marker] + kept[-1:]
        if marker > 0 and not kept[marker - 1].strip(" \t#\r\n"):
            del kept[marker - 1]  # the blank line that separated the group
    kept = [line for line in kept if not line.rstrip("\r\n").endswith(f"# {NEW}")]
    restored = "".join(_unreplace(_uncomment(line)) for line in kept)
    match = re.match(r'\s*backend\s+"([^"]*)"', restored)
    backend_type = (
        match.group(1)
        if match
        else (CLOUD_BLOCK if restored.lstrip().startswith(CLOUD_BLOCK) else None)
    )
    if was is not None:
        last = block_lines[-1]
        ending = last[len(last.rstrip("\r\n")) :]
        restored = f"{indent}{was}{ending}"
    elif not block_lines[-1].endswith("\n"):
        restored = restored.rstrip("\r\n")
    return restored, backend_type


def restore_edits(config_text: str) -> list[Edit]:
    """Edits that put back every commented-out backend of a file ([] when there is none)."""
    return [Edit(r.start, r.end, r.original) for r in find_commented_regions(config_text)]


def restored_text(text: str) -> str | None:
    """``text`` with every comment-mode region restored, or None when there is none.

    The result must parse; raises :class:`~fixer.syntax.ParseError` if it does not.
    """
    edits = restore_edits(text)
    if not edits:
        return None
    result = apply_edits(text, edits)
    parse(result)
    return result
