"""GitLab Code Quality output, validated against a schema of GitLab's documented fields.

The schema (``data/gitlab-codequality.schema.json``, sources in ``data/README.md``)
is checked to reject malformed reports, so a passing validation means something.
The command-line tests run the real console script on real trees.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from fixer.output import SkippedFile, fingerprint, render_gitlab, render_json
from fixer.output.codequality import SKIPPED_CHECK
from fixer.rules.base import Finding, Location, Severity

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "gitlab-codequality.schema.json").read_text("utf-8")
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


def assert_valid(report: object, validator: jsonschema.Draft202012Validator) -> None:
    validator.validate(report)
    assert isinstance(report, list)
    prints = [issue["fingerprint"] for issue in report]
    assert len(prints) == len(set(prints)), "GitLab shows issues with one fingerprint once"


# -- the renderer ----------------------------------------------------------------------


def test_report_validates_and_carries_every_finding(findings, sources, validator) -> None:
    report = render_gitlab(findings, sources=sources, root="/work/repo")

    assert_valid(report, validator)
    assert [(i["check_name"], i["location"]["path"]) for i in report] == [
        ("BF001", "envs/dev/provider.tf"),
        ("BF005", "envs/prod/backend.tf"),
        ("BF003", "envs/prod/backend.tf"),
    ]
    partial = report[0]
    assert partial["severity"] == "major"
    assert partial["location"] == {"path": "envs/dev/provider.tf", "lines": {"begin": 2}}
    assert partial["description"].startswith('BF001 partial-backend: backend "s3" misses')
    assert partial["description"].endswith("Note: no *.s3.tfbackend file beside it supplies them")
    assert report[1]["severity"] == "minor"  # a warning
    assert json.loads(json.dumps(report)) == report


def test_fingerprints_are_the_json_report_s(findings, rules, sources) -> None:
    report = render_gitlab(findings, sources=sources, root="/work/repo")
    document = render_json(findings, rules, tool_version="0", sources=sources, root="/work/repo")

    assert [i["fingerprint"] for i in report] == [f["fingerprint"] for f in document["findings"]]


def test_fingerprints_survive_unrelated_edits_and_change_with_the_finding() -> None:
    text = 'terraform {\n  backend "s3" {}\n}\n'
    moved = '# a comment above\nlocals {}\n\nterraform {\r\n    backend   "s3"   {}\r\n}\r\n'

    def finding(source: str, path: str = "envs/prod/main.tf", code: str = "BF001") -> Finding:
        needle = "backend" if code else ""
        start = source.index(needle)
        end = source.index("}", start) + 1
        line = source.count("\n", 0, start) + 1
        return Finding(
            code,
            "partial-backend",
            Severity.ERROR,
            "partial",
            Location(path, line, 3, line, 18, start, end),
        )

    def print_of(source: str, **kwargs: str) -> str:
        found = finding(source, **kwargs)
        return render_gitlab([found], sources={found.location.path: source})[0]["fingerprint"]

    base = print_of(text)
    assert print_of(moved) == base  # lines above, re-indentation, CRLF
    assert print_of(text.replace('"s3"', '"gcs"')) != base  # the flagged text itself
    assert print_of(text, path="envs/dev/main.tf") != base
    assert print_of(text, code="BF011") != base
    assert base == fingerprint(finding(text), text)


def test_repeated_findings_get_distinct_fingerprints(validator) -> None:
    source = 'terraform {\n  backend "s3" {}\n  backend "s3" {}\n}\n'
    first, second = source.index("backend"), source.rindex("backend")
    twins = [
        Finding(
            "BF011",
            "multiple-backends",
            Severity.ERROR,
            "two backends",
            Location("main.tf", line, 3, line, 18, start, start + 15),
        )
        for line, start in ((2, first), (3, second))
    ]

    report = render_gitlab(twins, sources={"main.tf": source})

    assert_valid(report, validator)
    assert report[1]["fingerprint"] == report[0]["fingerprint"] + ":2"


def test_paths_are_repository_relative(findings, validator) -> None:
    absolute = [
        replace(f, location=replace(f.location, path=f"/work/repo/{f.location.path}"))
        for f in findings
    ]
    dotted = [
        replace(f, location=replace(f.location, path=f"./{f.location.path}")) for f in findings
    ]

    for variant in (absolute, dotted):
        report = render_gitlab(variant, root="/work/repo")
        assert_valid(report, validator)
        assert {i["location"]["path"] for i in report} == {
            "envs/dev/provider.tf",
            "envs/prod/backend.tf",
        }


def test_skipped_files_are_issues_at_their_line(validator) -> None:
    report = render_gitlab(
        [],
        skipped=[
            SkippedFile("envs/broken/main.tf", "unexpected newline; expected an expression", 3, 14),
            ("envs/binary/main.tf", "not a text file (git-crypt)"),
        ],
    )

    assert_valid(report, validator)
    broken, binary = report
    assert broken["check_name"] == binary["check_name"] == SKIPPED_CHECK
    assert broken["location"] == {"path": "envs/broken/main.tf", "lines": {"begin": 3}}
    assert binary["location"] == {"path": "envs/binary/main.tf", "lines": {"begin": 1}}
    assert "unexpected newline" in broken["description"]
    assert broken["severity"] == "major"


def test_no_findings_is_an_empty_array(validator) -> None:
    assert render_gitlab([]) == []
    assert_valid([], validator)


@pytest.mark.parametrize(
    ("break_it", "why"),
    [
        (lambda i: i.pop("fingerprint"), "'fingerprint' is a required property"),
        (lambda i: i.update(severity="error"), "is not one of"),
        (lambda i: i["location"].update(path="./envs/a.tf"), "should not be valid"),
        (lambda i: i["location"].update(path="/abs/a.tf"), "should not be valid"),
        (lambda i: i["location"]["lines"].update(begin=0), "less than the minimum"),
        (lambda i: i["location"].pop("lines"), "is not valid under any of the given schemas"),
        (
            lambda i: i["location"].update(positions={"begin": {"line": 1}}),
            "is not valid under any of the given schemas",
        ),
        (lambda i: i.update(check_name=""), "should be non-empty"),
    ],
)
def test_the_schema_rejects_what_gitlab_would_not_read(
    findings, validator, break_it, why: str
) -> None:
    report = render_gitlab(findings)
    break_it(report[0])
    errors = [e.message for e in validator.iter_errors(report)]
    assert any(why in e for e in errors), errors


# -- the command line ---------------------------------------------------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    return subprocess.run(
        [sys.executable, "-m", "fixer", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(REPO / "samples" / "fixes" / "seed-provider" / "before", root / "envs" / "prod")
    return root


def test_check_format_gitlab_validates_and_exits_like_text(tree: Path, validator) -> None:
    gitlab = run("check", "--format", "gitlab", cwd=tree)
    text = run("check", cwd=tree)

    assert gitlab.returncode == text.returncode == 1
    report = json.loads(gitlab.stdout)
    assert_valid(report, validator)
    assert report and all(i["location"]["path"].startswith("envs/prod/") for i in report)
    # One issue per finding the text format lists.
    assert len(report) == sum(1 for line in text.stdout.splitlines() if ": BF0" in line)

    again = run("check", "--format", "gitlab", "--output", "gl-code-quality.json", cwd=tree)
    assert again.returncode == 1 and again.stdout == ""
    assert json.loads((tree / "gl-code-quality.json").read_text("utf-8")) == report


def test_check_format_gitlab_on_a_clean_tree_and_a_broken_file(tmp_path: Path, validator) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "main.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    assert run("check", "--format", "gitlab", cwd=clean).returncode == 0
    assert json.loads(run("check", "--format", "gitlab", cwd=clean).stdout) == []

    (clean / "broken.tf").write_text('terraform {\n  backend "s3" {\n    bucket =\n}\n')
    gitlab = run("check", "--format", "gitlab", cwd=clean)
    assert gitlab.returncode == run("check", cwd=clean).returncode == 2
    report = json.loads(gitlab.stdout)
    assert_valid(report, validator)
    assert [(i["check_name"], i["location"]["path"]) for i in report] == [
        (SKIPPED_CHECK, "broken.tf")
    ]
