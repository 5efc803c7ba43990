"""GitHub Actions workflow commands and their escaping."""

from __future__ import annotations

from fixer.output.report import escape_data, escape_property, render_github
from fixer.rules.base import Finding, Location, Severity


def _unescape(text: str) -> str:
    """The Actions runner's unescaping, applied in its order (``%25`` last)."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def test_data_escaping() -> None:
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    # '%' is escaped first, so a literal "%0A" in the text does not become a newline.
    assert escape_data("%0A") == "%250A"


def test_property_escaping() -> None:
    assert escape_property("a:b,c%d\re\nf") == "a%3Ab%2Cc%25d%0De%0Af"
    assert escape_property("%3A") == "%253A"


def test_escaping_round_trips_through_the_runner() -> None:
    tricky = "50%: a,b\r\n%0A::x"
    assert _unescape(escape_property(tricky)) == tricky
    assert _unescape(escape_data(tricky)) == tricky


def test_commands_by_severity(findings: list[Finding]) -> None:
    lines = render_github(findings).splitlines()
    assert lines == [
        "::error file=envs/dev/provider.tf,line=2,col=3,endLine=2,endColumn=18,"
        "title=BF001 partial-backend::"
        'backend "s3" misses bucket, key, region; terraform init -input=false fails'
        "%0Ano *.s3.tfbackend file beside it supplies them",
        "::warning file=envs/prod/backend.tf,line=2,col=3,endLine=2,endColumn=17,"
        "title=BF005 no-state-locking::"
        'backend "s3" has no state locking: add use_lockfile = true (Terraform >= 1.10)',
        "::error file=envs/prod/backend.tf,line=4,col=5,endLine=4,endColumn=24,"
        "title=BF003 hardcoded-credentials::"
        "access_key is a literal: it ends up in .terraform/ and plan files",
    ]


def test_info_is_a_notice_and_values_are_escaped() -> None:
    finding = Finding(
        code="BF007",
        name="empty-placeholder",
        severity=Severity.INFO,
        message='bucket = "" is rejected: 100%\r\nfill it in',
        location=Location("envs/a,b:c/main.tf", 3, 5, 3, 16),
        notes=("second line",),
    )
    (line,) = render_github([finding]).splitlines()
    assert line == (
        "::notice file=envs/a%2Cb%3Ac/main.tf,line=3,col=5,endLine=3,endColumn=16,"
        "title=BF007 empty-placeholder::"
        'bucket = "" is rejected: 100%25%0D%0Afill it in%0Asecond line'
    )
    assert "\r" not in line


def test_multi_line_findings_have_no_columns() -> None:
    # The runner drops col/endColumn when line != endLine, with a warning; we do not send them.
    finding = Finding(
        "BF001", "partial-backend", Severity.ERROR, "m", Location("main.tf", 2, 3, 6, 4)
    )
    assert render_github([finding]) == (
        "::error file=main.tf,line=2,endLine=6,title=BF001 partial-backend::m\n"
    )


def test_skipped_files_and_empty_input() -> None:
    assert render_github([]) == ""
    assert render_github([], skipped=[("bad.tf", "does not parse: line 1, column 2")]) == (
        "::error file=bad.tf,title=backend-fixer::does not parse: line 1, column 2\n"
    )
