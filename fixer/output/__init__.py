"""The output layer: diffs and findings reports, rendered as strings or JSON-ready dicts.

Nothing here prints, reads or writes a file; the CLI decides where text goes.
It imports only the rules' result types (:mod:`fixer.rules.base`), the edits
and the standard library, so every renderer is a pure function.
"""

from fixer.output.codequality import render_gitlab
from fixer.output.common import ChangedFile, SkippedFile
from fixer.output.diff import (
    display_path,
    fix_summary,
    render_fix_json,
    should_use_color,
    unified_diff,
)
from fixer.output.report import (
    escape_data,
    escape_property,
    fingerprint,
    render_github,
    render_json,
    render_sarif,
    render_statistics,
    render_text,
    report_schema,
    rule_help,
    statistics,
    summary_line,
)

__all__ = [
    "ChangedFile",
    "SkippedFile",
    "display_path",
    "escape_data",
    "escape_property",
    "fingerprint",
    "fix_summary",
    "render_fix_json",
    "render_github",
    "render_gitlab",
    "render_json",
    "render_sarif",
    "render_statistics",
    "render_text",
    "report_schema",
    "rule_help",
    "should_use_color",
    "statistics",
    "summary_line",
    "unified_diff",
]
