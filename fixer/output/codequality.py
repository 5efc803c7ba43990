"""GitLab's Code Quality report: the JSON artifact that its merge request widget reads.

:func:`render_gitlab` turns findings, and the files that could not be checked,
into the array of issues that GitLab documents for ``artifacts:reports:codequality``
(a subset of the Code Climate issue format): ``description``, ``check_name``,
``fingerprint``, ``severity`` and ``location`` with a repository-relative ``path``
and the line. Fingerprints are the ones the JSON and SARIF reports carry, so a
finding keeps its identity across formats, runs and unrelated edits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import PurePath
from typing import Any

from fixer.output.common import SkippedFile, as_skipped
from fixer.output.report import TOOL_NAME, _fingerprints, _normalized, _ordered, _relative_path
from fixer.rules.base import Finding, Severity

# GitLab's scale is info < minor < major < critical < blocker. An error stops
# `terraform init`, which is major for a pipeline; nothing here blocks a merge by
# itself, so blocker and critical are left to security scanners.
SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
SKIPPED_CHECK = f"{TOOL_NAME}/unreadable"


def _repository_path(path: str, root: str | None) -> str:
    """``path`` relative to ``root``, ``/``-separated, without a leading ``./``.

    GitLab resolves the path against the repository and ignores issues it cannot
    place; an absolute path outside ``root`` is kept as it is rather than guessed.
    """
    relative = _relative_path(path, root)
    return relative if relative is not None else PurePath(path).as_posix()


def _location(path: str, line: int, root: str | None) -> dict[str, Any]:
    # Code Climate allows `lines` or `positions`, not both; GitLab reads the line only.
    return {"path": _repository_path(path, root), "lines": {"begin": max(line, 1)}}


def _description(finding: Finding) -> str:
    # The widget shows one line per issue: the code first, so a reader can look it up
    # with `backend-fixer rules CODE`; notes follow in the same line.
    text = f"{finding.code} {finding.name}: {_normalized(finding.message)}"
    for note in finding.notes:
        text += f" Note: {_normalized(note)}"
    return text


def _skipped_issue(item: SkippedFile, root: str | None) -> dict[str, Any]:
    path, line = item.path, item.line or 1
    shown = _repository_path(path, root)
    # No text to hash: the file did not parse. Path and reason identify the problem;
    # the position is left out so an edit above it does not make it a new issue.
    payload = "\0".join((SKIPPED_CHECK, shown, _normalized(item.reason)))
    return {
        "description": f"{TOOL_NAME} could not check this file: {_normalized(item.reason)}",
        "check_name": SKIPPED_CHECK,
        "fingerprint": hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest(),
        "severity": "major",
        "location": _location(path, line, root),
    }


def render_gitlab(
    findings: Iterable[Finding],
    *,
    sources: Mapping[str, str] | None = None,
    root: str | None = None,
    skipped: Iterable[SkippedFile | tuple[str, str]] = (),
) -> list[dict[str, Any]]:
    """The Code Quality report as a JSON-ready list, one issue per finding and skipped file.

    Findings come in the reports' stable order (path, line, column, code), then
    the skipped files in the order given. ``check_name`` is the rule code;
    ``severity`` maps error, warning and info to ``major``, ``minor`` and
    ``info``. ``fingerprint`` is :func:`fixer.output.fingerprint` (rule, path
    and the whitespace-normalised flagged text from ``sources``), with ``:N``
    added to repeats so every issue is distinct, as GitLab requires. Paths are
    made relative to ``root`` (see :func:`fixer.output.fingerprint`). A skipped
    file is placed at its problem's line, or line 1 when it has none.
    No findings and no skipped files give ``[]``, which GitLab reads as "no issues".
    """
    ordered = _ordered(findings)
    issues = [
        {
            "description": _description(finding),
            "check_name": finding.code,
            "fingerprint": fp,
            "severity": SEVERITIES[finding.severity],
            "location": _location(finding.location.path, finding.location.line, root),
        }
        for finding, fp in zip(ordered, _fingerprints(ordered, sources, root), strict=True)
    ]
    issues.extend(_skipped_issue(item, root) for item in as_skipped(skipped))
    return issues


__all__ = ["SEVERITIES", "SKIPPED_CHECK", "render_gitlab"]
