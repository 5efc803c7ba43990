"""SARIF output, validated against the official OASIS SARIF 2.1.0 schema (see data/README.md)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from fixer.output.report import FINGERPRINT_KEY, render_sarif, rule_help
from fixer.rules.base import Category, Finding, Location, RuleDoc, RuleInfo, Severity

SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    return jsonschema.Draft4Validator(
        SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def _run(log: dict) -> dict:
    assert len(log["runs"]) == 1
    return log["runs"][0]


def test_log_validates_against_the_official_schema(findings, rules, sources, validator) -> None:
    log = render_sarif(
        findings,
        rules,
        "0.1.0",
        root="/work/repo",
        sources=sources,
        skipped=[("envs/broken/main.tf", "does not parse at 3:1")],
    )
    validator.validate(log)
    assert json.loads(json.dumps(log)) == log


def test_empty_log_validates(validator) -> None:
    log = render_sarif([], [], "0.1.0")
    validator.validate(log)
    assert _run(log)["results"] == []


def test_schema_catches_a_malformed_log(findings, rules, validator) -> None:
    """A guard that the vendored schema really constrains what we test."""
    log = render_sarif(findings, rules, "0.1.0")
    _run(log)["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(log)


def test_driver_and_rules(findings, rules) -> None:
    driver = _run(render_sarif(findings, rules, "0.1.0"))["tool"]["driver"]
    assert driver["name"] == "backend-fixer"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == ["BF001", "BF003", "BF005", "BF009"]
    partial = driver["rules"][0]
    assert partial["name"] == "partial-backend"
    assert partial["shortDescription"] == {"text": "Backend block misses required arguments"}
    assert partial["fullDescription"]["text"].startswith("A backend block without")
    assert partial["helpUri"] == (
        "https://developer.hashicorp.com/terraform/language/backend#partial-configuration"
    )
    assert partial["defaultConfiguration"] == {"level": "error"}
    assert partial["properties"]["tags"] == ["terraform", "backend", "fixable"]
    assert driver["rules"][2]["defaultConfiguration"] == {"level": "warning"}
    # A rule without sources and no help_uri template has no helpUri.
    assert "helpUri" not in driver["rules"][3]


def test_help_uri_template(rules) -> None:
    driver = _run(render_sarif([], rules, "0.1.0", help_uri="https://example.org/rules/{code}"))
    assert driver["tool"]["driver"]["rules"][0]["helpUri"] == "https://example.org/rules/BF001"


def test_rule_help_has_every_section_in_text_and_markdown() -> None:
    rule = RuleInfo(
        "BF001",
        "partial-backend",
        Severity.ERROR,
        "Backend block misses required arguments",
        RuleDoc(
            what="WHAT",
            why="WHY",
            example='backend "s3" {\n  # ```tricky```\n}\n',
            fix="FIX",
            versions="VERSIONS",
            sources=("https://a.example/1", "https://b.example/2"),
        ),
        Category.INIT_BREAKING,
    )
    help_ = rule_help(rule)
    for part in ("WHAT", "WHY", "FIX", "VERSIONS", "https://a.example/1", "https://b.example/2"):
        assert part in help_["text"]
        assert part in help_["markdown"]
    assert '\n    backend "s3" {\n      # ```tricky```\n    }' in help_["text"]
    # The fence is longer than the backticks inside the example, so it cannot close early.
    assert '````hcl\nbackend "s3" {\n  # ```tricky```\n}\n````' in help_["markdown"]
    headings = [line for line in help_["markdown"].splitlines() if line.startswith("## ")]
    assert headings == [
        "## What it finds",
        "## Why it matters",
        "## Example",
        "## Fix",
        "## Versions",
        "## Sources",
    ]


def test_results(findings, rules, sources) -> None:
    run = _run(render_sarif(findings, rules, "0.1.0", sources=sources))
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["BF001", "BF005", "BF003"]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    first = results[0]
    assert first["level"] == "error"
    assert first["message"]["text"] == (
        'backend "s3" misses bucket, key, region; terraform init -input=false fails\n'
        "no *.s3.tfbackend file beside it supplies them"
    )
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "envs/dev/provider.tf", "uriBaseId": "%SRCROOT%"},
        "region": {
            "startLine": 2,
            "startColumn": 3,
            "endLine": 2,
            "endColumn": 18,
            "charOffset": 14,
            "charLength": 15,
        },
    }
    assert results[1]["level"] == "warning"
    assert "fixes" not in results[1]
    assert run["columnKind"] == "unicodeCodePoints"


def test_fixes_as_replacements(findings, rules) -> None:
    results = _run(render_sarif(findings, rules, "0.1.0"))["results"]
    comment, override = results[0]["fixes"]
    assert comment["description"]["text"].startswith("comment mode: Comment out")
    assert comment["artifactChanges"] == [
        {
            "artifactLocation": {"uri": "envs/dev/provider.tf", "uriBaseId": "%SRCROOT%"},
            "replacements": [
                {
                    "deletedRegion": {"charOffset": 14, "charLength": 0},
                    "insertedContent": {"text": "# "},
                }
            ],
        }
    ]
    assert (
        override["artifactChanges"][0]["artifactLocation"]["uri"] == "envs/dev/backend_override.tf"
    )
    (unsafe,) = results[2]["fixes"]
    assert unsafe["description"]["text"].endswith("(unsafe: applied only with --unsafe)")
    deleted = unsafe["artifactChanges"][0]["replacements"][0]
    assert deleted["insertedContent"] == {"text": ""}
    assert deleted["deletedRegion"]["charLength"] > 0


def test_paths_are_relative_to_root_and_percent_encoded() -> None:
    finding = Finding(
        "BF001",
        "partial-backend",
        Severity.ERROR,
        "m",
        Location("/work/repo/my envs/dev/provider.tf", 1, 1, 1, 2, 0, 1),
    )
    outside = dataclasses.replace(
        finding, location=dataclasses.replace(finding.location, path="/elsewhere/x.tf")
    )
    run = _run(render_sarif([finding, outside], [], "0.1.0", root="/work/repo"))
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert locations == [
        {"uri": "file:///elsewhere/x.tf"},
        {"uri": "my%20envs/dev/provider.tf", "uriBaseId": "%SRCROOT%"},
    ]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///work/repo/"}}
    # An unknown rule code still gets a descriptor, so ruleIndex stays valid.
    assert run["tool"]["driver"]["rules"] == [{"id": "BF001", "name": "partial-backend"}]


def test_skipped_files_become_notifications(validator) -> None:
    log = render_sarif([], [], "0.1.0", skipped=[("bad.tf", "does not parse")])
    validator.validate(log)
    (invocation,) = _run(log)["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"] == {"text": "does not parse"}


# --- fingerprints --------------------------------------------------------------


def _fingerprint(findings, sources, **kwargs) -> list[str]:
    results = _run(render_sarif(findings, [], "0.1.0", sources=sources, **kwargs))["results"]
    return [r["partialFingerprints"][FINGERPRINT_KEY] for r in results]


def _finding_at(source: str, needle: str, path: str = "main.tf", code: str = "BF001") -> Finding:
    start = source.index(needle)
    line = source.count("\n", 0, start) + 1
    return Finding(
        code,
        "partial-backend",
        Severity.ERROR,
        f"message at line {line}",
        Location(path, line, 3, line, 3 + len(needle), start, start + len(needle)),
    )


def test_fingerprint_ignores_line_numbers_indentation_and_newline_style() -> None:
    before = 'terraform {\n  backend "s3" {}\n}\n'
    after = '# a comment\n\nterraform {\r\n    backend  "s3"  {}\r\n}\r\n'
    one = _fingerprint([_finding_at(before, 'backend "s3" {}')], {"main.tf": before})
    two = _fingerprint([_finding_at(after, 'backend  "s3"  {}')], {"main.tf": after})
    assert one == two
    assert len(one[0]) == 64


def test_fingerprint_changes_with_rule_path_and_text() -> None:
    text = 'backend "s3" {}\nbackend "gcs" {}\n'
    base = _fingerprint([_finding_at(text, 'backend "s3" {}')], {"main.tf": text})
    other_rule = _fingerprint(
        [_finding_at(text, 'backend "s3" {}', code="BF002")], {"main.tf": text}
    )
    other_path = _fingerprint([_finding_at(text, 'backend "s3" {}', path="b.tf")], {"b.tf": text})
    other_text = _fingerprint([_finding_at(text, 'backend "gcs" {}')], {"main.tf": text})
    assert len({*base, *other_rule, *other_path, *other_text}) == 4


def test_fingerprint_is_independent_of_the_checkout_location() -> None:
    text = 'backend "s3" {}\n'
    relative = _finding_at(text, 'backend "s3" {}', path="envs/main.tf")
    absolute = _finding_at(text, 'backend "s3" {}', path="/ci/build/envs/main.tf")
    assert _fingerprint([relative], {"envs/main.tf": text}) == _fingerprint(
        [absolute], {"/ci/build/envs/main.tf": text}, root="/ci/build"
    )


def test_repeated_text_gets_numbered_fingerprints() -> None:
    text = 'backend "s3" {}\n'
    first = _finding_at(text, 'backend "s3" {}')
    second = dataclasses.replace(
        first, location=dataclasses.replace(first.location, line=5, end_line=5)
    )
    base, repeat = _fingerprint([second, first], {"main.tf": text})
    assert repeat == f"{base}:2"


def test_without_sources_the_message_stands_in() -> None:
    text = 'backend "s3" {}\n'
    finding = _finding_at(text, 'backend "s3" {}')
    assert _fingerprint([finding], None) != _fingerprint([finding], {"main.tf": text})
    assert _fingerprint([finding], None) == _fingerprint([finding], None)
