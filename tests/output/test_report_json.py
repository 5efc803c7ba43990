"""The JSON report, validated against the schema we ship (draft 2020-12)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from fixer.output.report import render_json, report_schema
from fixer.rules.base import Finding, Location, RuleInfo, Severity


@pytest.fixture
def validator() -> jsonschema.Draft202012Validator:
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_report_validates(findings, rules, sources, validator) -> None:
    report = render_json(
        findings, rules, tool_version="0.1.0", sources=sources, skipped=[("bad.tf", "unreadable")]
    )
    validator.validate(report)
    # And survives a JSON round trip unchanged (no tuples, enums or other Python-only values).
    assert json.loads(json.dumps(report)) == report


def test_empty_report_validates(validator) -> None:
    report = render_json([], [], tool_version="0.1.0")
    validator.validate(report)
    assert report["summary"] == {
        "findings": 0,
        "errors": 0,
        "warnings": 0,
        "infos": 0,
        "files": 0,
        "fixable": 0,
        "unsafe_fixable": 0,
        "skipped": 0,
    }


def test_report_content(findings, rules, sources) -> None:
    report = render_json(findings, rules, tool_version="0.1.0", sources=sources)
    assert report["version"] == 1
    assert report["tool"] == {"name": "backend-fixer", "version": "0.1.0"}
    assert report["summary"]["findings"] == 3
    assert report["summary"]["fixable"] == 1
    assert report["summary"]["unsafe_fixable"] == 1
    assert [f["code"] for f in report["findings"]] == ["BF001", "BF005", "BF003"]
    # Only rules with findings are described.
    assert sorted(report["rules"]) == ["BF001", "BF003", "BF005"]
    first = report["findings"][0]
    assert first["location"] == {
        "path": "envs/dev/provider.tf",
        "line": 2,
        "column": 3,
        "end_line": 2,
        "end_column": 18,
        "start": 14,
        "end": 29,
    }
    assert first["notes"] == ["no *.s3.tfbackend file beside it supplies them"]
    assert [fix["mode"] for fix in first["fixes"]] == ["comment", "override"]
    assert first["fixes"][1]["changes"][0] == {
        "path": "envs/dev/backend_override.tf",
        "creates": True,
        "edits": [{"start": 0, "end": 0, "new_text": 'terraform {\n  backend "local" {}\n}\n'}],
    }
    assert report["findings"][2]["fixes"][0]["applicability"] == "unsafe"


def test_schema_rejects_what_the_report_must_not_contain(findings, rules, validator) -> None:
    """The schema is strict enough to catch drift: extra keys and bad values fail."""
    report = render_json(findings, rules, tool_version="0.1.0")
    broken = json.loads(json.dumps(report))
    broken["findings"][0]["extra"] = 1
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
    broken = json.loads(json.dumps(report))
    broken["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)
    broken = json.loads(json.dumps(report))
    broken["findings"][0]["location"]["line"] = 0
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(broken)


def test_finding_of_an_unknown_rule_is_reported_without_its_rule(validator) -> None:
    finding = Finding("BF099", "mystery", Severity.INFO, "m", Location("a.tf", 1, 1, 1, 2, 0, 1))
    report = render_json([finding], list[RuleInfo](), tool_version="0.1.0")
    validator.validate(report)
    assert report["rules"] == {}
    assert report["findings"][0]["code"] == "BF099"
