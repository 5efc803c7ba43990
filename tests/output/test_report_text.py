"""The text report: one ``path:line:col: CODE message`` line per finding and a summary."""

from __future__ import annotations

from fixer.output.report import render_text, summary_line
from fixer.rules.base import Finding, Location, Severity


def test_lines_are_sorted_and_formatted(findings: list[Finding]) -> None:
    assert render_text(findings) == (
        'envs/dev/provider.tf:2:3: BF001 backend "s3" misses bucket, key, region; '
        "terraform init -input=false fails\n"
        'envs/prod/backend.tf:2:3: BF005 backend "s3" has no state locking: '
        "add use_lockfile = true (Terraform >= 1.10)\n"
        "envs/prod/backend.tf:4:5: BF003 access_key is a literal: "
        "it ends up in .terraform/ and plan files\n"
        "\n"
        "Found 3 problems (2 errors, 1 warning) in 2 files; 1 fixable with backend-fixer fix; "
        "1 more with backend-fixer fix --unsafe\n"
    )


def test_rule_name_and_notes(findings: list[Finding]) -> None:
    lines = render_text(findings, show_name=True, show_notes=True).splitlines()
    assert lines[0].startswith("envs/dev/provider.tf:2:3: BF001 [partial-backend] backend")
    assert lines[1] == "    note: no *.s3.tfbackend file beside it supplies them"
    assert lines[2].startswith("envs/prod/backend.tf:2:3: BF005 [no-state-locking] ")


def test_no_findings() -> None:
    assert render_text([]) == "No problems found\n"


def test_skipped_files_are_listed_and_counted() -> None:
    text = render_text([], skipped=[("bad.tf", "does not parse at 2:7: unexpected '}'")])
    assert text == (
        "bad.tf: skipped: does not parse at 2:7: unexpected '}'\n"
        "\n"
        "No problems found; 1 file could not be checked\n"
    )


def test_summary_counts_info_only_when_present_and_pluralises() -> None:
    def finding(severity: Severity, path: str) -> Finding:
        return Finding("BF002", "x", severity, "m", Location(path, 1, 1, 1, 2))

    assert summary_line([finding(Severity.ERROR, "a.tf")]) == (
        "Found 1 problem (1 error, 0 warnings) in 1 file"
    )
    # Info findings (a backend its pipelines serve) are notes, not problems.
    assert summary_line(
        [finding(Severity.INFO, "a.tf"), finding(Severity.WARNING, "b.tf")], skipped=2
    ) == ("Found 1 problem (0 errors, 1 warning) in 1 file; 1 note; 2 files could not be checked")
    assert summary_line([finding(Severity.INFO, "a.tf")]) == "No problems found; 1 note"


def test_colour_marks_paths_and_codes_by_severity(findings: list[Finding]) -> None:
    text = render_text(findings, color=True)
    assert "\x1b[1menvs/dev/provider.tf\x1b[m:2:3: \x1b[1;31mBF001\x1b[m " in text
    assert "\x1b[1;33mBF005\x1b[m" in text
    assert "\x1b" not in render_text(findings, color=False)
