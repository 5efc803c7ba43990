"""Findings reports: the text, JSON, SARIF and GitHub formats of ``check``.

Each renderer turns :class:`~fixer.rules.base.Finding` values (and, where the
format wants rule metadata, :class:`~fixer.rules.base.RuleInfo` values) into a
string or a JSON-ready dict; none prints or reads a file. Findings are always
reported in the same order (path, line, column, code), so output is stable
from run to run whatever order the rules ran in.

JSON report, version 1 (the JSON Schema is ``report.schema.json`` beside this
module; :func:`report_schema` loads it)::

    {
      "version": 1,                       # bumped on any incompatible change
      "tool": {"name": "backend-fixer", "version": "0.1.0"},
      "summary": {
        "findings": 3, "errors": 1, "warnings": 1, "infos": 1,
        "files": 2,                       # files with at least one finding
        "fixable": 2,                     # findings with a safe fix
        "unsafe_fixable": 1,              # findings whose fixes all need --unsafe
        "skipped": 0                      # files that could not be checked
      },
      "findings": [{
        "code": "BF001", "name": "partial-backend", "severity": "error",
        "message": "...", "notes": ["..."],
        "location": {"path": "envs/dev/provider.tf", "line": 3, "column": 3,
                     "end_line": 3, "end_column": 20,   # end is exclusive
                     "start": 41, "end": 58},           # character offsets
        "fingerprint": "<64 hex digits>[:N]",          # see fingerprint()
        "fixable": true,
        "fixes": [{"description": "...", "applicability": "safe" | "unsafe",
                   "mode": "comment" | "complete" | "override" | null,
                   "changes": [{"path": "...", "creates": false,
                                "edits": [{"start": 41, "end": 58, "new_text": "..."}]}]}]
      }],
      "rules": {"BF001": {"name": "...", "severity": "error", "summary": "...",
                          "fixable": true,
                          "doc": {"what": "...", "why": "...", "example": "...", "fix": "...",
                                  "versions": "...", "sources": ["https://..."]}}},
      "skipped": [{"path": "...", "reason": "..."}]
    }

``rules`` holds the rules that have findings in this report, by code.
Offsets count characters (Unicode code points) of the file's text with its
line endings as they are, the same units as the edits.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from fixer.output.common import (
    BOLD,
    BOLD_RED,
    BOLD_YELLOW,
    CYAN,
    SkippedFile,
    as_skipped,
    paint,
    plural,
)
from fixer.rules.base import Applicability, Finding, Fix, RuleDoc, RuleInfo, Severity, Source

TOOL_NAME = "backend-fixer"
REPORT_VERSION = 1
# The package's home until the project has its own documentation site.
INFORMATION_URI = "https://pypi.org/project/terraform-backend-fixer/"
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# The base that relative artifact URIs are resolved against; GitHub code
# scanning resolves it to the repository root when the log does not define it.
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "backendFixer/v1"


# --- shared pieces ---------------------------------------------------------


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(
        findings,
        key=lambda f: (f.location.path, f.location.line, f.location.column, f.code, f.message),
    )


def _safe_fixable(finding: Finding) -> bool:
    return any(fix.applicability is Applicability.SAFE for fix in finding.fixes)


def _unsafe_only(finding: Finding) -> bool:
    return bool(finding.fixes) and not _safe_fixable(finding)


def _relative_path(path: str, root: str | os.PathLike[str] | None) -> str | None:
    """``path`` as a ``/``-separated path relative to ``root``; None when absolute and outside it.

    A relative ``path`` is taken to be relative to ``root`` already. Purely
    lexical: nothing on disk is consulted.
    """
    if not os.path.isabs(path):
        return PurePath(path).as_posix()
    if root is None or not os.path.isabs(root):
        return None
    try:
        return PurePath(os.path.normpath(path)).relative_to(os.path.normpath(root)).as_posix()
    except ValueError:
        return None


def _normalized(text: str) -> str:
    # Whitespace runs collapse so that re-indenting, `terraform fmt` alignment or
    # a switch between LF and CRLF does not turn an old finding into a new one.
    return " ".join(text.split())


def fingerprint(finding: Finding, source: str | None = None, root: str | None = None) -> str:
    """A stable identity for ``finding``: SHA-256 of rule code, path and offending text.

    The offending text is ``source[location.start:location.end]`` with
    whitespace runs collapsed, so the fingerprint survives lines being added
    above the finding, re-indentation and newline style; it changes when the
    flagged text itself changes. Without ``source``, or when the location has
    an empty or out-of-range span, the message stands in for the text. The
    path is taken relative to ``root`` when it lies under it, so the value
    does not depend on where the repository is checked out. Returns 64 hex
    digits; the reports add ``:N`` to the second and later findings that
    would otherwise share one.
    """
    location = finding.location
    text = finding.message
    if source is not None and 0 <= location.start < location.end <= len(source):
        text = source[location.start : location.end]
    elif finding.excerpt:
        text = finding.excerpt
    path = _relative_path(location.path, root) or PurePath(location.path).as_posix()
    payload = "\0".join((finding.code, path, _normalized(text)))
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def _fingerprints(
    ordered: Sequence[Finding], sources: Mapping[str, str] | None, root: str | None
) -> list[str]:
    seen: Counter[str] = Counter()
    result = []
    for finding in ordered:
        source = sources.get(finding.location.path) if sources is not None else None
        value = fingerprint(finding, source, root)
        seen[value] += 1
        # Two findings of one rule on the same text in one file stay distinct,
        # numbered in file order as GitHub numbers its own line hashes.
        result.append(value if seen[value] == 1 else f"{value}:{seen[value]}")
    return result


def _with_notes(finding: Finding) -> str:
    return "\n".join((finding.message, *finding.notes))


# --- text ------------------------------------------------------------------

_SEVERITY_STYLE = {Severity.ERROR: BOLD_RED, Severity.WARNING: BOLD_YELLOW, Severity.INFO: CYAN}


def summary_line(findings: Iterable[Finding], *, skipped: int = 0) -> str:
    """``Found N problems (X errors, Y warnings) in M files; K fixable with backend-fixer fix``.

    Problems are errors and warnings; info findings (a backend served by its
    pipelines) are not problems and are counted apart as notes. Findings whose
    fixes all need ``--unsafe`` are counted apart. No problems gives ``No
    problems found``. ``skipped`` files that could not be checked add a clause.
    No trailing newline.
    """
    findings = list(findings)
    problems = [f for f in findings if f.severity is not Severity.INFO]
    notes = len(findings) - len(problems)
    clauses: list[str] = []
    if not problems:
        clauses.append("No problems found")
    else:
        by_severity = Counter(f.severity for f in problems)
        counts = [
            plural(by_severity[Severity.ERROR], "error"),
            plural(by_severity[Severity.WARNING], "warning"),
        ]
        files = len({f.location.path for f in problems})
        clauses.append(
            f"Found {plural(len(problems), 'problem')} ({', '.join(counts)}) "
            f"in {plural(files, 'file')}"
        )
        fixable = sum(map(_safe_fixable, problems))
        unsafe = sum(map(_unsafe_only, problems))
        if fixable:
            clauses.append(f"{fixable} fixable with {TOOL_NAME} fix")
        if unsafe:
            word = "more" if fixable else "fixable"
            clauses.append(f"{unsafe} {word} with {TOOL_NAME} fix --unsafe")
    if notes:
        clauses.append(plural(notes, "note"))
    if skipped:
        clauses.append(f"{plural(skipped, 'file')} could not be checked")
    return "; ".join(clauses)


def render_text(
    findings: Iterable[Finding],
    *,
    show_name: bool = False,
    show_notes: bool = False,
    color: bool = False,
    skipped: Iterable[SkippedFile | tuple[str, str]] = (),
    list_skipped: bool = True,
    show_fixes: bool = False,
    summary: bool = True,
) -> str:
    """One line per finding, ``path:line:col: CODE message``, then a blank line and a summary.

    ``show_name`` adds the rule name in brackets after the code
    (``BF001 [partial-backend] ...``); ``show_notes`` prints each note
    indented below its finding, and ``show_fixes`` each fix it would get (or
    that it gets none). Files that could not be checked come before
    the summary as ``path: skipped: reason`` (with ``list_skipped`` False they
    are only counted, for a caller that reports them elsewhere). A message holding newlines is
    printed as it is. With ``color`` paths are bold and codes coloured by
    severity; without it there is no ANSI escape. With no findings and no
    skipped files the result is just ``No problems found``. ``summary`` False
    leaves out the blank line and the summary (``--quiet``): then the result
    may be empty; otherwise it ends with a newline.
    """
    ordered = _ordered(findings)
    skipped_files = as_skipped(skipped)
    lines: list[str] = []
    for finding in ordered:
        loc = finding.location
        code = paint(finding.code, _SEVERITY_STYLE[finding.severity], color)
        name = f" [{finding.name}]" if show_name else ""
        path = paint(loc.path, BOLD, color)
        lines.append(f"{path}:{loc.line}:{loc.column}: {code}{name} {finding.message}")
        if show_notes:
            lines.extend(f"    note: {note}" for note in finding.notes)
        if show_fixes:
            lines.extend(f"    {line}" for line in fix_lines(finding))
    if list_skipped:
        lines.extend(
            f"{paint(item.where, BOLD, color)}: skipped: {item.reason}" for item in skipped_files
        )
    if not summary:
        return "".join(line + "\n" for line in lines)
    if lines:
        lines.append("")
    lines.append(paint(summary_line(ordered, skipped=len(skipped_files)), BOLD, color))
    return "\n".join(lines) + "\n"


def fix_lines(finding: Finding) -> list[str]:
    """What ``--show-fixes`` prints under a finding: one ``fix ...:`` line per fix it would get.

    ``fix: <description>`` for a safe fix, ``fix (<mode> mode): ...`` for the
    backend-wide fix of a mode, ``fix (unsafe, needs --unsafe): ...``; a finding
    without fixes gets ``fix: none``.
    """
    if not finding.fixes:
        return [f"fix: none; `{TOOL_NAME} rules {finding.code}` says what to do"]
    lines = []
    for fix in finding.fixes:
        labels = []
        if fix.mode is not None:
            labels.append(f"{fix.mode} mode")
        if fix.applicability is Applicability.UNSAFE:
            labels.append("unsafe, needs --unsafe")
        label = f" ({', '.join(labels)})" if labels else ""
        lines.append(f"fix{label}: {fix.description}")
    return lines


# --- statistics ------------------------------------------------------------


def statistics(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Counts per rule, as ``--statistics --format json`` prints them, most frequent first.

    Each entry: ``code``, ``name``, ``severity``, ``count``, ``fixable`` (findings
    with a safe fix) and ``unsafe_fixable`` (findings whose fixes all need
    ``--unsafe``). Ties are ordered by code.
    """
    by_code: dict[str, list[Finding]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
    rows = [
        {
            "code": code,
            "name": group[0].name,
            "severity": group[0].severity.value,
            "count": len(group),
            "fixable": sum(map(_safe_fixable, group)),
            "unsafe_fixable": sum(map(_unsafe_only, group)),
        }
        for code, group in by_code.items()
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["code"]))


def render_statistics(findings: Iterable[Finding], *, color: bool = False) -> str:
    """``--statistics`` as text: one line per rule, ``COUNT  CODE  name  N fixable``.

    Columns are aligned; the fix column says how many findings ``fix`` and
    ``fix --unsafe`` would fix, and is empty when none. No findings give ``""``.
    """
    rows = statistics(findings)
    if not rows:
        return ""
    count_width = max(len(str(row["count"])) for row in rows)
    code_width = max(len(row["code"]) for row in rows)
    name_width = max(len(row["name"]) for row in rows)
    lines = []
    for row in rows:
        fixes = []
        if row["fixable"]:
            fixes.append(f"{row['fixable']} fixable")
        if row["unsafe_fixable"]:
            fixes.append(f"{row['unsafe_fixable']} with --unsafe")
        code = paint(row["code"], _SEVERITY_STYLE[Severity(row["severity"])], color)
        code += " " * (code_width - len(row["code"]))
        line = f"{row['count']:>{count_width}}  {code}  {row['name']:<{name_width}}  {', '.join(fixes)}"
        lines.append(line.rstrip())
    return "\n".join(lines) + "\n"


# --- JSON ------------------------------------------------------------------


@cache
def _schema_text() -> str:
    return resources.files("fixer.output").joinpath("report.schema.json").read_text("utf-8")


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of :func:`render_json`'s document, shipped with the package."""
    return json.loads(_schema_text())


def _doc_json(doc: RuleDoc) -> dict[str, Any]:
    return {
        "what": doc.what,
        "why": doc.why,
        "example": doc.example,
        "fix": doc.fix,
        "versions": doc.versions,
        "sources": list(doc.sources),
    }


def _fix_json(fix: Fix) -> dict[str, Any]:
    return {
        "description": fix.description,
        "applicability": fix.applicability.value,
        "mode": fix.mode,
        "changes": [
            {
                "path": change.path,
                "creates": change.creates,
                "edits": [
                    {"start": e.start, "end": e.end, "new_text": e.new_text} for e in change.edits
                ],
            }
            for change in fix.changes
        ],
    }


def render_json(
    findings: Iterable[Finding],
    rules: Iterable[RuleInfo],
    *,
    tool_version: str,
    sources: Mapping[str, str] | None = None,
    root: str | None = None,
    skipped: Iterable[SkippedFile | tuple[str, str]] = (),
) -> dict[str, Any]:
    """The JSON report (version 1, described in this module's docstring) as a dict.

    ``rules`` may hold more rules than have findings; only those with
    findings are included. A finding whose code is not among ``rules`` is
    still reported, and its rule is left out of ``rules``. ``sources`` maps a
    finding's path to the file's text, for fingerprints (see
    :func:`fingerprint`, also for ``root``). Paths are reported as given.
    """
    ordered = _ordered(findings)
    known = {}
    for rule in rules:
        known.setdefault(rule.code, rule)
    skipped_files = as_skipped(skipped)
    by_severity = Counter(f.severity for f in ordered)
    problems = [f for f in ordered if f.severity is not Severity.INFO]
    fingerprints = _fingerprints(ordered, sources, root)
    return {
        "version": REPORT_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version},
        "summary": {
            "findings": len(ordered),
            "errors": by_severity[Severity.ERROR],
            "warnings": by_severity[Severity.WARNING],
            "infos": by_severity[Severity.INFO],
            "files": len({f.location.path for f in ordered}),
            # Counted over problems: a served backend (info) is no call to fix anything.
            "fixable": sum(map(_safe_fixable, problems)),
            "unsafe_fixable": sum(map(_unsafe_only, problems)),
            "skipped": len(skipped_files),
        },
        "findings": [
            {
                "code": f.code,
                "name": f.name,
                "severity": f.severity.value,
                "category": f.category.value,
                "message": f.message,
                "notes": list(f.notes),
                "location": {
                    "path": f.location.path,
                    "line": f.location.line,
                    "column": f.location.column,
                    "end_line": f.location.end_line,
                    "end_column": f.location.end_column,
                    "start": f.location.start,
                    "end": f.location.end,
                },
                "fingerprint": fp,
                "fixable": _safe_fixable(f),
                "fixes": [_fix_json(fix) for fix in f.fixes],
                "sources": [_source_json(source) for source in f.sources],
            }
            for f, fp in zip(ordered, fingerprints, strict=True)
        ],
        "rules": {
            code: {
                "name": rule.name,
                "severity": rule.severity.value,
                "summary": rule.summary,
                "category": rule.category.value,
                "fixable": rule.fixable,
                "fix": rule.fix.describe(),
                "doc": _doc_json(rule.doc),
            }
            for code in sorted({f.code for f in ordered})
            if (rule := known.get(code)) is not None
        },
        "skipped": [_skipped_json(item) for item in skipped_files],
    }


def _source_json(source: Source) -> dict[str, Any]:
    return {
        "path": source.path,
        "line": source.line,
        "what": source.what,
        "mechanism": source.mechanism,
        "supplies": list(source.supplies),
        "lacks": list(source.lacks),
    }


def _source_text(source: Source) -> str:
    """``terraform init ... (github-actions): supplies bucket, key; lacks region``."""
    parts = []
    if source.supplies:
        parts.append("supplies " + ", ".join(source.supplies))
    if source.lacks:
        parts.append("lacks " + ", ".join(source.lacks))
    kind = f" ({source.mechanism})" if source.mechanism else ""
    return f"{source.what}{kind}" + (": " + "; ".join(parts) if parts else "")


def _related_locations(finding: Finding, root: str | None) -> list[dict[str, Any]]:
    """The inits that decide a finding, as SARIF related locations (declared ones have no line)."""
    related = []
    for index, source in enumerate(finding.sources):
        if source.line < 1:
            continue
        related.append(
            {
                "id": index,
                "physicalLocation": {
                    "artifactLocation": _artifact_location(source.path, root),
                    "region": {"startLine": source.line},
                },
                "message": {"text": _source_text(source)},
            }
        )
    return related


def _skipped_json(item: SkippedFile) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": item.path, "reason": item.reason}
    if item.line is not None:
        entry["line"] = item.line
        if item.column is not None:
            entry["column"] = item.column
    return entry


# --- SARIF -----------------------------------------------------------------


def _fence(text: str) -> str:
    # A fence longer than any backtick run inside, so an example cannot close it.
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def rule_help(rule: RuleInfo) -> dict[str, str]:
    """SARIF ``help`` for ``rule``: ``text`` and ``markdown`` built from its :class:`RuleDoc`.

    Both carry the same sections in the same order: what it finds, why it
    matters, an example (a fenced ``hcl`` block in Markdown), the fix,
    versions and sources. Sections whose text is empty are left out.
    """
    doc = rule.doc
    example = doc.example.strip("\n")
    sections = [
        ("What it finds", doc.what),
        ("Why it matters", doc.why),
        ("Example", example),
        ("Fix", doc.fix),
        ("Versions", doc.versions),
    ]
    text_parts = [f"{rule.code} {rule.name}: {rule.summary}"]
    markdown_parts = [f"**{rule.code}** `{rule.name}`: {rule.summary}"]
    for title, body in sections:
        if not body.strip():
            continue
        if title == "Example":
            indented = "\n".join(f"    {line}" if line else "" for line in body.split("\n"))
            text_parts.append(f"{title}:\n{indented}")
            fence = _fence(body)
            markdown_parts.append(f"## {title}\n\n{fence}hcl\n{body}\n{fence}")
        else:
            text_parts.append(f"{title}:\n{body.strip()}")
            markdown_parts.append(f"## {title}\n\n{body.strip()}")
    if doc.sources:
        text_parts.append("Sources:\n" + "\n".join(f"- {s}" for s in doc.sources))
        markdown_parts.append("## Sources\n\n" + "\n".join(f"- <{s}>" for s in doc.sources))
    return {"text": "\n\n".join(text_parts), "markdown": "\n\n".join(markdown_parts)}


def _rule_descriptor(rule: RuleInfo, help_uri: str | None) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc.what or rule.summary},
        "help": rule_help(rule),
    }
    uri = help_uri.format(code=rule.code, name=rule.name) if help_uri else None
    uri = uri or (rule.doc.sources[0] if rule.doc.sources else None)
    if uri:
        descriptor["helpUri"] = uri
    descriptor["defaultConfiguration"] = {"level": rule.severity.sarif_level}
    tags = ["terraform", "backend"]
    if rule.fixable:
        tags.append("fixable")
    descriptor["properties"] = {"tags": tags}
    return descriptor


def _artifact_location(path: str, root: str | None) -> dict[str, str]:
    relative = _relative_path(path, root)
    if relative is None:
        return {"uri": PurePath(path).as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


def _region(finding: Finding) -> dict[str, int]:
    loc = finding.location
    region = {"startLine": loc.line, "startColumn": loc.column}
    # SARIF's endColumn is exclusive, as ours is; an end before the start is dropped.
    if (loc.end_line, loc.end_column) >= (loc.line, loc.column):
        region |= {"endLine": loc.end_line, "endColumn": loc.end_column}
    if loc.end > loc.start:
        region |= {"charOffset": loc.start, "charLength": loc.end - loc.start}
    return region


def _sarif_fix(fix: Fix, root: str | None) -> dict[str, Any]:
    label = f"{fix.mode} mode: " if fix.mode else ""
    suffix = (
        " (unsafe: applied only with --unsafe)" if fix.applicability is Applicability.UNSAFE else ""
    )
    return {
        "description": {"text": f"{label}{fix.description}{suffix}"},
        "artifactChanges": [
            {
                "artifactLocation": _artifact_location(change.path, root),
                "replacements": [
                    {
                        "deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start},
                        "insertedContent": {"text": e.new_text},
                    }
                    for e in change.edits
                ],
            }
            for change in fix.changes
            if change.edits
        ],
    }


def render_sarif(
    findings: Iterable[Finding],
    rules: Iterable[RuleInfo],
    tool_version: str,
    *,
    root: str | None = None,
    sources: Mapping[str, str] | None = None,
    skipped: Iterable[SkippedFile | tuple[str, str]] = (),
    information_uri: str = INFORMATION_URI,
    help_uri: str | None = None,
) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run, in the shape GitHub code scanning accepts.

    ``tool.driver.rules`` lists every rule in ``rules`` (first of each code
    wins), then a bare descriptor for any finding's code not among them, so
    every result's ``ruleIndex`` is valid. Artifact URIs are relative, with
    ``uriBaseId`` ``%SRCROOT%``: a relative path is taken as relative to the
    repository root, an absolute one is made relative to ``root`` when it
    lies under it, else written as a ``file://`` URI. When ``root`` is an
    absolute path, ``originalUriBaseIds`` records it. Columns and character
    offsets count Unicode code points (``columnKind``), as our locations do.
    Each result carries ``partialFingerprints[backendFixer/v1]`` (see
    :func:`fingerprint`; ``sources`` maps a path to its text) and, where the
    finding has fixes, every fix as ``artifactChanges`` with replacements by
    ``charOffset``/``charLength``. ``help_uri`` is a template with ``{code}``
    and ``{name}``; without it a rule's first documentation source is used,
    and a rule with neither has no ``helpUri``. Files that could not be
    checked become error notifications of the run's invocation.
    """
    ordered = _ordered(findings)
    descriptors: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule in rules:
        if rule.code not in index:
            index[rule.code] = len(descriptors)
            descriptors.append(_rule_descriptor(rule, help_uri))
    for finding in ordered:
        if finding.code not in index:
            index[finding.code] = len(descriptors)
            descriptors.append({"id": finding.code, "name": finding.name})

    results = []
    for finding, fp in zip(ordered, _fingerprints(ordered, sources, root), strict=True):
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": finding.severity.sarif_level,
            "message": {"text": _with_notes(finding)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact_location(finding.location.path, root),
                        "region": _region(finding),
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fp},
            "properties": {"category": finding.category.value},
        }
        related = _related_locations(finding, root)
        if related:
            result["relatedLocations"] = related
        fixes = [_sarif_fix(fix, root) for fix in finding.fixes]
        if fixes:
            result["fixes"] = fixes
        results.append(result)

    invocation: dict[str, Any] = {"executionSuccessful": True}
    notifications = [
        {
            "level": "error",
            "message": {"text": item.reason},
            "locations": [{"physicalLocation": _skipped_location(item, root)}],
        }
        for item in as_skipped(skipped)
    ]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": tool_version,
                "semanticVersion": tool_version,
                "informationUri": information_uri,
                "rules": descriptors,
            }
        },
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if root is not None and os.path.isabs(root):
        base = PurePath(root).as_uri().rstrip("/") + "/"
        run["originalUriBaseIds"] = {SRCROOT: {"uri": base}}
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


# --- GitHub Actions --------------------------------------------------------

_GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message: ``%``, CR and LF, in that order (``%`` first)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value: as :func:`escape_data`, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, properties: Sequence[tuple[str, object]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return (
        f"::{kind} {props}::{escape_data(message)}"
        if props
        else f"::{kind}::{escape_data(message)}"
    )


def _skipped_location(item: SkippedFile, root: str | None) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": _artifact_location(item.path, root)}
    if item.line is not None:
        region: dict[str, int] = {"startLine": item.line}
        if item.column is not None:
            region["startColumn"] = item.column
        location["region"] = region
    return location


def render_github(
    findings: Iterable[Finding],
    *,
    skipped: Iterable[SkippedFile | tuple[str, str]] = (),
) -> str:
    """GitHub Actions workflow commands, one line per finding, for annotations on a run.

    ``::error file=...,line=...,col=...,endLine=...,endColumn=...,title=CODE name::message``
    with ``error``, ``warning`` or ``notice`` by severity; notes follow the
    message on lines of their own. Columns are given only when the finding
    starts and ends on one line: GitHub drops them otherwise (and warns in
    the log). Values are escaped as the Actions runner unescapes them
    (:func:`escape_data`, :func:`escape_property`), so no line of output holds
    a raw CR or LF. Skipped files become ``::error file=...,title=backend-fixer::reason``.
    Empty input gives ``""``; otherwise the result ends with a newline.
    """
    lines = []
    for finding in _ordered(findings):
        loc = finding.location
        props: list[tuple[str, object]] = [("file", loc.path), ("line", loc.line)]
        if loc.end_line == loc.line and loc.end_column >= loc.column:
            props += [("col", loc.column), ("endLine", loc.end_line), ("endColumn", loc.end_column)]
        elif loc.end_line > loc.line:
            props.append(("endLine", loc.end_line))
        props.append(("title", f"{finding.code} {finding.name}"))
        lines.append(_command(_GITHUB_COMMAND[finding.severity], props, _with_notes(finding)))
    for item in as_skipped(skipped):
        props = [("file", item.path)]
        if item.line is not None:
            props.append(("line", item.line))
            if item.column is not None:
                props.append(("col", item.column))
        props.append(("title", TOOL_NAME))
        lines.append(_command("error", props, item.reason))
    return "".join(line + "\n" for line in lines)


__all__ = [
    "FINGERPRINT_KEY",
    "INFORMATION_URI",
    "REPORT_VERSION",
    "SARIF_SCHEMA_URI",
    "TOOL_NAME",
    "escape_data",
    "escape_property",
    "fingerprint",
    "render_github",
    "render_json",
    "render_sarif",
    "render_statistics",
    "render_text",
    "report_schema",
    "rule_help",
    "statistics",
    "summary_line",
]
