"""The diff printer: what a fix would change, as a unified diff a reviewer trusts.

It owns the text of ``fix``'s dry run: git-style unified diffs (paths, hunks,
``\\ No newline at end of file``, git's colours), the choice of colour from
``--color`` and the environment, paths shown relative to the current
directory, the closing summary of files changed and fixes per rule, and the
same run as a JSON document (``fix --format json``).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from difflib import SequenceMatcher
from pathlib import PurePath
from typing import Any

from fixer.output.common import (
    BOLD,
    CYAN,
    GREEN,
    RED,
    ChangedFile,
    SkippedFile,
    as_skipped,
    paint,
    plural,
)
from fixer.rules.base import Finding

NO_NEWLINE_MARKER = "\\ No newline at end of file"

COLOR_OPTIONS = ("auto", "always", "never")


# --- paths -----------------------------------------------------------------


def display_path(path: str | os.PathLike[str], cwd: str | os.PathLike[str]) -> str:
    """``path`` relative to ``cwd`` when it lies under it, else ``path`` as given.

    Purely lexical: nothing is resolved on disk, so symlinks are not followed.
    A relative ``path`` is taken to be relative to ``cwd`` already and is
    returned as given. The relative form uses ``/`` separators, as diffs do.
    ``path == cwd`` gives ``"."``.
    """
    given = os.fspath(path)
    if not os.path.isabs(given):
        return given
    base = os.fspath(cwd)
    if not os.path.isabs(base):
        return given
    # normpath so that "/repo/../other/x.tf" is not mistaken for a path under /repo.
    target = PurePath(os.path.normpath(given))
    try:
        return target.relative_to(os.path.normpath(base)).as_posix()
    except ValueError:
        return given


def _quote_path(name: str) -> str:
    """Quote a diff header path the way git does (with ``core.quotePath=false``).

    Names holding a double quote, a backslash or a control character are
    written C-style in double quotes; other characters, non-ASCII included,
    are kept so that people can read them. ``git apply`` understands both.
    """
    if not any(ch in '"\\' or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name):
        return name
    escapes = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f"}
    escapes |= {"\r": "\\r", '"': '\\"', "\\": "\\\\"}
    out = []
    for ch in name:
        if ch in escapes:
            out.append(escapes[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):03o}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _header(marker: str, prefix: str, path: str | None, color: bool) -> str:
    """A ``---`` or ``+++`` line; ``path`` None stands for ``/dev/null``."""
    if path is None:
        return paint(f"{marker} /dev/null", BOLD, color) + "\n"
    # git strips one leading "/" of an absolute path before adding "a/" or "b/".
    name = _quote_path(prefix + (path[1:] if path.startswith("/") else path))
    # git ends a name holding a space with a tab (after the colour), so patch(1) finds its end.
    tab = "\t" if " " in path else ""
    return paint(f"{marker} {name}", BOLD, color) + tab + "\n"


# --- colour ----------------------------------------------------------------


def should_use_color(option: str, *, is_tty: bool, env: Mapping[str, str]) -> bool:
    """Decide whether to colour output, for ``--color auto|always|never``.

    ``always`` and ``never`` decide alone: a flag given on the command line
    beats the environment, as https://no-color.org asks. In ``auto`` mode, in
    this order: ``NO_COLOR`` set to any non-empty value disables colour;
    ``FORCE_COLOR`` set to any non-empty value enables it (so NO_COLOR wins
    when both are set, the safer choice for logs); ``TERM=dumb`` disables it;
    otherwise colour follows ``is_tty``. Raises ``ValueError`` for any other
    ``option``.
    """
    if option not in COLOR_OPTIONS:
        raise ValueError(f"--color must be one of {', '.join(COLOR_OPTIONS)}, not {option!r}")
    if option != "auto":
        return option == "always"
    if env.get("NO_COLOR", ""):
        return False
    if env.get("FORCE_COLOR", ""):
        return True
    if env.get("TERM", "") == "dumb":
        return False
    return is_tty


# --- unified diff ----------------------------------------------------------


def _split_lines(text: str) -> list[str]:
    """Lines with their endings, split on LF only (as git does: a lone CR is content)."""
    if not text:
        return []
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _hunk_range(start: int, stop: int) -> str:
    """``start,count`` as git writes it: ``,1`` is omitted; an empty range names the line before."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    if length == 0:
        return f"{start},0"
    return f"{start + 1},{length}"


Opcode = tuple[str, int, int, int, int]


def _opcodes(old: list[str], new: list[str]) -> list[Opcode]:
    """difflib opcodes from ``old`` to ``new``, the common head and tail matched first.

    git trims the lines both sides share at the start and the end before it
    diffs the rest; doing the same makes a change to one of several equal
    lines (``}``, blank lines) show where git shows it, at the edit itself,
    rather than wherever difflib's longest match happens to fall.
    """
    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    # autojunk off: a file full of "}" lines must not have them treated as noise.
    middle = SequenceMatcher(
        None, old[head : len(old) - tail], new[head : len(new) - tail], autojunk=False
    )
    codes: list[Opcode] = []
    if head:
        codes.append(("equal", 0, head, 0, head))
    for tag, i1, i2, j1, j2 in middle.get_opcodes():
        codes.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    if tail:
        codes.append(("equal", len(old) - tail, len(old), len(new) - tail, len(new)))
    merged: list[Opcode] = []
    for code in codes:
        if merged and code[0] == "equal" == merged[-1][0]:
            merged[-1] = ("equal", merged[-1][1], code[2], merged[-1][3], code[4])
        else:
            merged.append(code)
    return merged


def _grouped_opcodes(codes: list[Opcode], context: int) -> list[list[Opcode]]:
    """Split ``codes`` into hunks with ``context`` lines around each change.

    Two changes share a hunk when at most ``2 * context`` equal lines lie
    between them, the rule git follows. No change gives no hunk.
    """
    groups: list[list[Opcode]] = []
    group: list[Opcode] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(codes):
        if tag != "equal":
            group.append((tag, i1, i2, j1, j2))
            continue
        first, last = index == 0, index == len(codes) - 1
        if first:
            # Leading equal lines: keep only the last ``context`` of them.
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        if last:
            i2, j2 = min(i2, i1 + context), min(j2, j1 + context)
        if not first and not last and i2 - i1 > 2 * context:
            group.append(("equal", i1, i1 + context, j1, j1 + context))
            groups.append(group)
            group = []
            i1, j1 = i2 - context, j2 - context
        if i2 > i1 or (not first and not last):
            group.append(("equal", i1, i2, j1, j2))
    if any(tag != "equal" for tag, *_ in group):
        groups.append(group)
    return [[code for code in g if code[0] != "equal" or code[2] > code[1]] for g in groups]


def _diff_line(sign: str, line: str, style: str, color: bool) -> str:
    """One content line. The CR of a CRLF line is kept, after the colour reset as git puts it."""
    if line.endswith("\r\n"):
        body, ending = line[:-2], "\r\n"
    elif line.endswith("\n"):
        body, ending = line[:-1], "\n"
    else:
        body, ending = line, ""
    text = paint(sign + body, style, color)
    if ending:
        return text + ending
    # Only the file's last line can lack a newline; git marks it right after the line.
    return f"{text}\n{NO_NEWLINE_MARKER}\n"


def unified_diff(
    old: str,
    new: str,
    display_path: str,
    *,
    color: bool,
    context: int = 3,
    created: bool = False,
    deleted: bool = False,
) -> str:
    """A git-style unified diff from ``old`` to ``new``, or ``""`` when they are equal.

    Headers are ``--- a/<path>`` and ``+++ b/<path>``; a ``created`` file has
    ``--- /dev/null`` and a ``deleted`` one ``+++ /dev/null`` (``old`` must be
    empty when created, ``new`` when deleted, else ``ValueError``). Creating
    an empty file gives the two header lines and no hunk. Hunks carry
    ``context`` lines of context (``ValueError`` when negative) and are merged
    when their contexts would touch, as git merges them.

    Lines are split on LF only and printed byte for byte: a CRLF file's lines
    keep their CR, so the uncoloured diff is a valid patch that ``git apply``
    applies to CRLF files, and a line whose only change is its ending shows as
    removed and added. We do not make the CR visible (git paints it as a
    whitespace error): here CRLF is the file's own style, which fixes keep, and
    flagging it on every line would hide the real change. ``\\ No newline at
    end of file`` follows the last line of a side that lacks a final newline,
    exactly where git prints it. With ``color`` headers are bold, hunk headers
    cyan, deletions red and additions green; without it the output has no
    ANSI escape at all. The result ends with a newline unless it is empty.
    """
    if context < 0:
        raise ValueError(f"context must not be negative, got {context}")
    if created and old:
        raise ValueError("a created file has no old text")
    if deleted and new:
        raise ValueError("a deleted file has no new text")
    if old == new and not (created or deleted):
        return ""

    old_lines = _split_lines(old)
    new_lines = _split_lines(new)
    out = [
        _header("---", "a/", None if created else display_path, color),
        _header("+++", "b/", None if deleted else display_path, color),
    ]
    for group in _grouped_opcodes(_opcodes(old_lines, new_lines), context):
        first, last = group[0], group[-1]
        header = f"@@ -{_hunk_range(first[1], last[2])} +{_hunk_range(first[3], last[4])} @@"
        out.append(paint(header, CYAN, color) + "\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_diff_line(" ", line, "", color) for line in old_lines[i1:i2])
                continue
            out.extend(_diff_line("-", line, RED, color) for line in old_lines[i1:i2])
            out.extend(_diff_line("+", line, GREEN, color) for line in new_lines[j1:j2])
    return "".join(out)


# --- summary ---------------------------------------------------------------


def fix_summary(
    changed: Iterable[str],
    applied: Iterable[Finding],
    left_alone: Iterable[SkippedFile | tuple[str, str]] = (),
    *,
    written: bool,
    color: bool = False,
    fixed: Iterable[SkippedFile] = (),
) -> str:
    """The summary after ``fix``: files changed, fixes per rule, files left alone.

    ``changed`` lists the display paths of changed files (duplicates are
    shown once, in first-seen order); ``applied`` holds the findings whose
    fix was applied (a fix that resolves several findings counts once per
    finding); ``left_alone`` holds one item per finding that stays, with its
    place and the reason (needs ``--unsafe``, no automatic fix, a mode that
    cannot handle the file); the heading counts them and their files.
    ``written`` says whether files were written or this was a dry run, which
    only changes the wording. ``fixed`` (``--show-fixes``) lists each fix with
    its place, the reason field holding ``CODE description``. Rules are listed by code. With nothing changed,
    nothing applied and nothing left alone the summary is ``"Nothing to
    change.\\n"``. The result always ends with a newline.
    """
    files = list(dict.fromkeys(changed))
    counts = Counter((finding.code, finding.name) for finding in applied)
    skipped = as_skipped(left_alone)
    if not files and not counts and not skipped:
        return "Nothing to change.\n"

    lines: list[str] = []
    verb = "Changed" if written else "Would change"
    if files:
        lines.append(paint(f"{verb} {plural(len(files), 'file')}:", BOLD, color))
        lines.extend(f"  {path}" for path in files)
    else:
        lines.append(paint(f"{verb} no files.", BOLD, color))
    if counts:
        heading = "Fixes applied" if written else "Fixes to apply"
        lines.append(paint(f"{heading} ({sum(counts.values())}):", BOLD, color))
        ordered = sorted(counts.items())
        code_width = max(len(code) for (code, _), _ in ordered)
        name_width = max(len(name) for (_, name), _ in ordered)
        count_width = max(len(str(count)) for _, count in ordered)
        for (code, name), count in ordered:
            lines.append(
                f"  {code:<{code_width}}  {name:<{name_width}}  {count:>{count_width}}".rstrip()
            )
    shown = list(fixed)
    if shown:
        lines.append(paint("Fixed:" if written else "Would fix:", BOLD, color))
        lines.extend(f"  {item.where}: {item.reason}" for item in shown)
    if skipped:
        files_left = len({item.path for item in skipped})
        heading = f"Left alone ({plural(len(skipped), 'finding')} in {plural(files_left, 'file')}):"
        lines.append(paint(heading, BOLD, color))
        lines.extend(f"  {item.where}: {item.reason}" for item in skipped)
    return "\n".join(lines) + "\n"


# --- JSON ------------------------------------------------------------------


FIX_REPORT_VERSION = 1


def _where(item: SkippedFile) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": item.path}
    if item.line is not None:
        entry["line"] = item.line
        if item.column is not None:
            entry["column"] = item.column
    return entry


def _applied_json(finding: Finding, cwd: str) -> dict[str, Any]:
    location = finding.location
    fix = finding.fixes[0] if finding.fixes else None
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "location": {
            "path": display_path(location.path, cwd),
            "line": location.line,
            "column": location.column,
            "end_line": location.end_line,
            "end_column": location.end_column,
        },
        "fix": None
        if fix is None
        else {
            "description": fix.description,
            "applicability": fix.applicability.value,
            "mode": fix.mode,
        },
    }


def render_fix_json(
    files: Sequence[ChangedFile],
    applied: Iterable[Finding],
    left_alone: Iterable[SkippedFile] = (),
    errors: Iterable[SkippedFile] = (),
    *,
    tool_version: str,
    mode: str | None,
    written: bool,
    cwd: str,
) -> dict[str, Any]:
    """``fix --format json``: the changes of a run as a JSON-ready dict (version 1).

    ``files`` lists each changed file once with ``change`` (``modify``,
    ``create`` or ``delete``), both texts, a plain unified ``diff`` and the
    findings whose fix touches it (``fixes``: code, message, location and the
    fix's description, applicability and mode); ``left_alone`` the findings
    that remain with the reason, ``errors`` what stopped a file or module.
    ``written`` says whether the files are on disk. Paths are shown relative
    to ``cwd`` (see :func:`display_path`).
    """
    applied = list(applied)
    entries = []
    for file in files:
        shown = display_path(file.path, cwd)
        change = (
            "create" if file.old_text is None else "delete" if file.new_text is None else "modify"
        )
        fixes = [
            _applied_json(f, cwd)
            for f in applied
            if any(c.path == file.path for fix in f.fixes[:1] for c in fix.changes)
        ]
        entries.append(
            {
                "path": shown,
                "change": change,
                "written": file.written,
                "old_text": file.old_text,
                "new_text": file.new_text,
                "diff": unified_diff(
                    file.old_text or "",
                    file.new_text or "",
                    shown,
                    color=False,
                    created=file.old_text is None,
                    deleted=file.new_text is None,
                ),
                "fixes": fixes,
            }
        )
    left = [
        {**_where(item), "code": code, "reason": reason}
        for item in left_alone
        for code, _, reason in [item.reason.partition(": ")]
    ]
    problems = [{**_where(item), "message": item.reason} for item in errors]
    return {
        "version": FIX_REPORT_VERSION,
        "tool": {"name": "backend-fixer", "version": tool_version},
        "mode": mode,
        "written": written,
        "summary": {
            "files": len(entries),
            "fixes": len(applied),
            "left_alone": len(left),
            "errors": len(problems),
        },
        "files": entries,
        "left_alone": left,
        "errors": problems,
    }


__all__ = [
    "COLOR_OPTIONS",
    "FIX_REPORT_VERSION",
    "NO_NEWLINE_MARKER",
    "display_path",
    "fix_summary",
    "render_fix_json",
    "should_use_color",
    "unified_diff",
]
