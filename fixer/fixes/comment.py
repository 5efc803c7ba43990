"""Comment mode, ``restore`` and ``enable``: switch a module to local state, and back.

Comment mode replaces the lines of a backend block with a region: a begin
marker, a documented header, an end marker and the block commented out line by
line (``# `` at the block's own indentation). Missing values appear in the
commented block as an ``added`` group, so uncommenting it gives a complete
block; lines the completion changes stay as ``backend-fixer:was`` comments
followed by their new version marked ``backend-fixer:new``; a one-line original
(``backend "s3" {}``) is recorded on the begin marker instead.

The end marker carries the region's record: ``<digest>.<codes> <original>``, a
:class:`~fixer.fixes.record.Record` of every line of the region except the end
marker itself (so any edit of the header or the commented block is seen, and
the edited lines can be named), and the digest of the original block, which
restore must give back. A region looks like this::

    # backend-fixer:begin local-state (was: backend "s3" {})
    # ...header...
    # backend-fixer:end local-state 1a2b3c4d.k3m9x0q2... 9f8e7d6c
    # backend "s3" {
    #   bucket = "REPLACE_ME-bucket"
    # }

:meth:`CommentedRegion.restore` gives back the original lines (dropping the
header and the added lines, unwrapping ``was`` lines), and refuses when the
record says a person edited the region, unless told to discard the edits (then
the original must still be recoverable exactly). :meth:`CommentedRegion.enable`
turns the commented block, as edited, into the active block: markers, header,
``was`` lines and ``new`` marks go, lines a person added to the header stay. A
block a person uncommented by hand after the header is found too.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from fixer.edits import Edit, apply_edits, line_ending
from fixer.fixes.block_edit import BlockEditor
from fixer.fixes.completion import PLACEHOLDER
from fixer.fixes.record import Record, digest_text, line_numbers
from fixer.fixes.render import (
    indentation,
    line_end,
    line_start,
)
from fixer.syntax import Block, ConfigFile, ParseError, parse
from fixer.syntax.errors import LexError
from fixer.syntax.lexer import tokenize
from fixer.syntax.source import Source
from fixer.terraform import CLOUD_BLOCK, Coverage, Dialect
from fixer.terraform.evaluation import EARLY_EVALUATION

BEGIN = "backend-fixer:begin local-state"
END = "backend-fixer:end local-state"
ADDED = "backend-fixer:added (restore removes these lines)"
WAS = "backend-fixer:was "  # an original line the completed block changes
NEW = "backend-fixer:new"  # a changed line of the completed block

_BEGIN_RE = re.compile(r"^([ \t]*)# backend-fixer:begin local-state(?: \(was: (.*)\))?[ \t]*$")
_END_RE = re.compile(r"^[ \t]*# backend-fixer:end local-state(?:[ \t]+(.*?))?[ \t]*$")
# Comment mode's own group marker, on an uncommented line. A fix's record in an
# active block also starts with "backend-fixer:added", followed by its record.
_ADDED_RE = re.compile(r"^[ \t]*# " + re.escape(ADDED) + r"\s*$")
_WAS_RE = re.compile(r"^([ \t]*)# backend-fixer:was (.*)$", re.DOTALL)
_NEW_SUFFIX = f" # {NEW}"
_DIGEST_RE = re.compile(r"^[0-9a-f]{8}$")

DISCARD_HINT = "`backend-fixer restore --discard-edits` puts back the original and drops the edits"
ENABLE_HINT = "`backend-fixer enable` turns the block on as edited"


@dataclass(frozen=True, slots=True)
class Undo:
    """What undoing one region gives: the text to put in its place, or why not.

    ``line`` (1-based, in the file as it is now) says where the problem is.
    """

    text: str | None
    problem: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A value still marked ``REPLACE_ME`` in a block to enable: its line now and its text."""

    line: int
    column: int
    text: str


@dataclass(frozen=True, slots=True)
class Enabled:
    """A region turned into an active block: the new text and where each of its lines came from.

    ``sources[i]`` is the 1-based line, in the file as it is now, of line ``i``
    of ``text``, and ``shifts[i]`` how many characters uncommenting took from
    its start (add it to a column to find the column now); ``placeholders``
    are the values still to fill in, placed as the file reads now.
    """

    text: str
    sources: tuple[int, ...]
    shifts: tuple[int, ...]
    placeholders: tuple[Placeholder, ...]


@dataclass(frozen=True, slots=True)
class CommentedRegion:
    """A comment-mode region found in a file: where it is, what it holds and restores to.

    ``start``/``end`` are offsets of its whole lines; ``first_line`` is the
    1-based line of the begin marker; ``lines`` the region's lines with their
    endings, ``end_marker`` the index of the end marker among them; ``record``
    and ``original_digest`` come from the end marker (None when it has none,
    as written by an older version, or when it was damaged); ``commented`` is
    False when a person uncommented the block after the header by hand.
    """

    start: int
    end: int
    original: str  # the original lines, as restore would give them back now
    backend_type: str | None
    first_line: int = 1
    lines: tuple[str, ...] = ()
    end_marker: int = 0
    record: Record | None = None
    original_digest: str | None = None
    commented: bool = True

    @property
    def recorded_lines(self) -> list[str]:
        """The lines the record covers: all but the end marker."""
        return [line for i, line in enumerate(self.lines) if i != self.end_marker]

    def _file_line(self, index: int) -> int:
        """The 1-based file line of ``recorded_lines[index]``."""
        return self.first_line + index + (1 if index >= self.end_marker else 0)

    def edited_lines(self) -> tuple[int, ...] | None:
        """The 1-based lines edited since comment mode wrote them; None without a record."""
        if self.record is None:
            return None
        return tuple(self._file_line(i) for i in self.record.edited(self.recorded_lines))

    def restore(self, *, discard_edits: bool = False) -> Undo:
        """The original lines, or why they cannot be put back (see the module docstring)."""
        edited = self.edited_lines()
        if edited is None:
            if not discard_edits:
                return Undo(
                    None,
                    "restore refused: the end marker holds no record of what backend-fixer "
                    "wrote (an older version wrote it, or the marker was changed), so an edit "
                    f"cannot be ruled out; {DISCARD_HINT}, {ENABLE_HINT}",
                    self.first_line + self.end_marker,
                )
            return Undo(self.original)
        if edited and not discard_edits:
            verb, pronoun = ("was", "it") if len(edited) == 1 else ("were", "them")
            return Undo(
                None,
                f"restore refused: {line_numbers(edited)} {verb} edited since backend-fixer "
                f"wrote {pronoun}; {DISCARD_HINT}, {ENABLE_HINT}",
                edited[0],
            )
        if edited and self.original_digest != digest_text(self.original):
            return Undo(
                None,
                f"cannot put back the original: {line_numbers(edited)}, which held it, "
                f"{'was' if len(edited) == 1 else 'were'} edited; take it from version "
                "control (`git checkout -- FILE`)",
                edited[0],
            )
        return Undo(self.original)

    def enable(self) -> Enabled:
        """The region as an active block: header and marks gone, the block as a person left it."""
        kept_header: set[int] = set()
        if self.record is not None:
            # Header lines the tool wrote and nobody touched go; a person's lines stay.
            mapped = set(self.record.alignment(self.recorded_lines).values())
            kept_header = {i for i in range(1, self.end_marker) if i not in mapped}
        pieces: list[str] = []
        sources: list[int] = []
        shifts: list[int] = []
        for index in sorted(kept_header):
            pieces.append(self.lines[index])
            sources.append(self.first_line + index)
            shifts.append(0)
        block = list(self.lines[self.end_marker + 1 :])
        first_block_line = self.first_line + self.end_marker + 1
        for offset, line in enumerate(block):
            plain = _uncomment(line) if self.commented else line
            body = plain.rstrip("\r\n")
            ending = plain[len(body) :]
            if _ADDED_RE.match(body) or _WAS_RE.match(body):
                continue
            body = body.removesuffix(_NEW_SUFFIX)
            if not body.strip():
                body = ""  # a blank line, as fmt writes it
            pieces.append(body + ending)
            sources.append(first_block_line + offset)
            shifts.append(len(line.rstrip("\r\n")) - len(plain.rstrip("\r\n")))
        text = "".join(pieces)
        placeholders = tuple(_placeholders(text, sources, shifts))
        return Enabled(_laid_out(text), tuple(sources), tuple(shifts), placeholders)


def _laid_out(text: str) -> str:
    """``text`` (an enabled block) with its runs of attributes aligned as ``fix`` writes them.

    A person's edits may have left a run unaligned; text that does not parse
    is left as it is (the nets report it).
    """
    try:
        config = parse(text)
    except ParseError:
        return text
    blocks = [*config.body.blocks("backend"), *config.body.blocks(CLOUD_BLOCK)]
    edits = [edit for block in blocks for edit in BlockEditor(text, block).realign()]
    return apply_edits(text, edits) if edits else text


def _placeholders(text: str, sources: Sequence[int], shifts: Sequence[int]) -> list[Placeholder]:
    """The ``REPLACE_ME`` values left in ``text`` (code only: comments do not count)."""
    found: list[Placeholder] = []
    try:
        tokens = list(tokenize(text, Source(text)))
    except LexError:
        return found
    for token in tokens:
        if PLACEHOLDER not in token.value:
            continue
        line = text.count("\n", 0, token.start)
        start = line_start(text, token.start)
        shown = text[start : line_end(text, token.start)].strip()
        found.append(Placeholder(sources[line], token.start - start + 1 + shifts[line], shown))
    return found


def header_lines(
    backend_type: str,
    *,
    backend_files: Sequence[str],
    placeholders: bool,
    is_cloud: bool,
    width: int = 72,
    dialect: Dialect = Dialect.TERRAFORM,
    early_evaluation: Coverage = Coverage.NONE,
) -> list[str]:
    """The documented header's lines (without ``# `` and newlines), wrapped at ``width``.

    ``dialect`` names the program in the commands (``terraform init``, ``tofu
    init``); ``early_evaluation`` says how many of the versions the module
    admits evaluate variables and locals in a backend block (OpenTofu 1.8+),
    so the header never forbids what the module's program allows.
    """
    command = dialect.command
    enable_command = "`backend-fixer enable --write`"
    if is_cloud:
        enable = f"To use the cloud block again, fill in the values below and run {enable_command}."
    else:
        example = backend_files[0] if backend_files else f"<name>.{backend_type}.tfbackend"
        enable = (
            f'To use the "{backend_type}" backend again, fill in the values below and run '
            f"{enable_command}, or uncomment the block as `backend "
            f'"{backend_type}" {{}}` and run `{command} init -backend-config={example}`.'
        )
    if placeholders:
        enable += f" Values marked {PLACEHOLDER} must be replaced first."
    if not is_cloud:
        enable += " " + _references_sentence(dialect, early_evaluation)
    paragraphs = [
        "Local state is in use, so this module deploys as is: "
        f"`{command} init -input=false` needs no backend values.",
        enable,
        f"Then run `{command} init -migrate-state` to copy this state to the backend, "
        f"or `{command} init -reconfigure` to start clean; never use -force-copy, "
        "which can overwrite the remote state. `backend-fixer restore` puts the "
        "original block back.",
    ]
    return [line for paragraph in paragraphs for line in _wrapped(paragraph, width)]


@lru_cache(maxsize=256)
def _wrapped(paragraph: str, width: int) -> tuple[str, ...]:
    # Memoised: the modules of a tree mostly share their headers' paragraphs, and
    # a check plans the header of every module it finds a fixable problem in.
    # Commands in backticks must not be split across lines: glue their words first.
    glued = re.sub(r"`[^`]*`", lambda m: m.group().replace(" ", "\x00"), paragraph)
    wrapped = textwrap.wrap(glued, width=width, break_on_hyphens=False, break_long_words=False)
    return tuple(line.replace("\x00", " ") for line in wrapped)


def _references_sentence(dialect: Dialect, early: Coverage) -> str:
    """What the module's program allows in a backend block: variables and locals, or not."""
    name = dialect.display_name
    since = EARLY_EVALUATION.lifecycle(dialect).added
    if dialect is Dialect.TERRAFORM or since is None:
        return f"Backend blocks cannot use variables or locals in {name}."
    if early is Coverage.ALL:
        return f"{name} evaluates variables and locals in backend blocks, so values may come from them."
    if early is Coverage.SOME:
        return (
            f"{name} evaluates variables and locals in backend blocks from {since} on; "
            "older versions the module admits reject them."
        )
    return f"Backend blocks cannot use variables or locals before {name} {since}."


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
    included), nothing else. The end marker records what the edit writes.
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
    new = head + commented
    if not original.endswith("\n"):
        new = new.removesuffix(newline)
    record = Record.of(split_lines(new))
    end_marker = f"{outer}# {END} {record.render()} {digest_text(original)}{newline}"
    return Edit(start, end, head + end_marker + new[len(head) :])


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
            pieces.append(f"{body}{_NEW_SUFFIX}{line[len(body) :]}" if body.strip() else line)
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


@dataclass(frozen=True, slots=True)
class RegionScan:
    """Every comment-mode region of a text, and the begin markers whose region is damaged.

    ``damaged`` holds the 1-based lines of begin markers without an end marker
    or without a block after it: nothing can undo those.
    """

    regions: tuple[CommentedRegion, ...]
    damaged: tuple[int, ...]


def scan_regions(text: str) -> RegionScan:
    """Find every comment-mode region in ``text``, in order (see :class:`RegionScan`)."""
    regions: list[CommentedRegion] = []
    damaged: list[int] = []
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
            damaged.append(index + 1)
            break
        found = _block_after(lines, end_index + 1)
        if found is None:
            damaged.append(index + 1)
            index = end_index + 1
            continue
        block_lines, commented = found
        start = offsets[index]
        stop_index = end_index + 1 + len(block_lines)
        end = offsets[stop_index] if stop_index < len(lines) else len(text)
        original, backend_type = _restore_text(
            begin.group(1), begin.group(2), block_lines, commented
        )
        record, original_digest = _parse_end_marker(lines[end_index])
        regions.append(
            CommentedRegion(
                start,
                end,
                original,
                backend_type,
                first_line=index + 1,
                lines=tuple(lines[index:stop_index]),
                end_marker=end_index - index,
                record=record,
                original_digest=original_digest,
                commented=commented,
            )
        )
        index = stop_index
    return RegionScan(tuple(regions), tuple(damaged))


def find_commented_regions(text: str) -> list[CommentedRegion]:
    """Every comment-mode region in ``text``, in order; damaged ones are skipped.

    A region runs from its begin marker to the end of the block that follows
    the end marker; ``original`` is what :func:`restore_edits` puts back.
    """
    return list(scan_regions(text).regions)


def _parse_end_marker(line: str) -> tuple[Record | None, str | None]:
    match = _END_RE.match(line.rstrip("\r\n"))
    tail = (match.group(1) or "").split() if match else []
    if len(tail) != 2 or not _DIGEST_RE.match(tail[1]):
        return None, None
    record = Record.parse(tail[0])
    return (record, tail[1]) if record is not None else (None, None)


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


def _block_after(lines: list[str], first: int) -> tuple[list[str], bool] | None:
    """The lines of the block starting at ``first``, through its closing brace, and
    whether they are commented (None when no backend or cloud block starts there).

    A block a person uncommented by hand is found too, as long as all of it was.
    """
    if first >= len(lines):
        return None
    commented = lines[first].lstrip(" \t").startswith("#")
    candidate: list[str] = []
    if commented:
        for line in lines[first:]:
            if not line.lstrip(" \t").startswith("#"):
                break
            candidate.append(line)
        plain = "".join(_uncomment(line) for line in candidate)
    else:
        candidate = lines[first:]
        plain = "".join(candidate)
    if not commented and not re.match(rf'\s*(?:backend\s*"|{CLOUD_BLOCK}\s*\{{)', plain):
        return None  # what follows the header is the module's own code
    depth = 0
    opened = False
    try:
        for token in tokenize(plain, Source(plain)):
            if token.type == "LBRACE":
                depth += 1
                opened = True
            elif token.type == "RBRACE":
                depth -= 1
                if opened and depth == 0:
                    last = plain.count("\n", 0, token.start)
                    return candidate[: last + 1], commented
    except LexError:
        return None
    return None


def _restore_text(
    indent: str, was: str | None, block_lines: list[str], commented: bool = True
) -> tuple[str, str | None]:
    plain = [_uncomment(line) for line in block_lines] if commented else list(block_lines)
    kept = list(plain)
    marker = next((i for i, line in enumerate(kept) if _ADDED_RE.match(line)), None)
    if marker is not None:
        # The added group always runs up to the closing brace, the block's last line.
        kept = kept[:marker] + kept[-1:]
        if marker > 0 and not kept[marker - 1].strip(" \t\r\n"):
            del kept[marker - 1]  # the blank line that separated the group
    kept = [line for line in kept if not line.rstrip("\r\n").endswith(f"# {NEW}")]
    restored = "".join(_unreplace(line) for line in kept)
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
    """Edits that put back every commented-out backend of a file ([] when there is none).

    No edit check: :meth:`CommentedRegion.restore` is the careful way.
    """
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
