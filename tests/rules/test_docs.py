"""Every rule explains itself, and its example is a test: it must trigger the rule.

Codes and names are a contract with users' suppression comments, config files
and the fix engine, so they are pinned here. docs/rules.md is generated from the
registry and the samples; the test fails when it is out of date (set
BACKEND_FIXER_WRITE_DOCS=1 to rewrite it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from rules_support import REPO, RULE_SAMPLES, expected, findings, sample_dirs, view_of

from fixer.output.rule_docs import (
    HEADINGS,
    RuleSample,
    render_rule_doc,
    render_rule_list,
    render_rules_markdown,
)
from fixer.rules.base import Rule, Severity
from fixer.rules.catalog import all_rules

RULES = all_rules()
DOCS = REPO / "docs" / "rules.md"

STABLE = {
    "BF001": ("partial-backend", Severity.ERROR),
    "BF002": ("backend-references", Severity.ERROR),
    "BF003": ("hardcoded-credentials", Severity.ERROR),
    "BF004": ("deprecated-argument", Severity.WARNING),
    "BF005": ("removed-argument", Severity.ERROR),
    "BF006": ("no-state-locking", Severity.WARNING),
    "BF007": ("lockfile-unsupported", Severity.ERROR),
    "BF008": ("unencrypted-state", Severity.WARNING),
    "BF009": ("object-as-block", Severity.ERROR),
    "BF010": ("empty-value", Severity.ERROR),
    "BF011": ("multiple-backends", Severity.ERROR),
    "BF012": ("backend-and-cloud", Severity.ERROR),
    "BF013": ("removed-backend-type", Severity.ERROR),
    "BF014": ("unknown-backend-type", Severity.ERROR),
    "BF015": ("served-backend", Severity.INFO),
    "BF016": ("unfollowed-init", Severity.WARNING),
    "BF017": ("unsupported-argument", Severity.ERROR),
    "BF018": ("wrong-type", Severity.ERROR),
    "BF019": ("invalid-value", Severity.ERROR),
    "BF020": ("duplicate-argument", Severity.ERROR),
    "BF021": ("argument-combination", Severity.ERROR),
}

# The context rules judge a backend with the inits of its repository: their
# examples are shown with a pipeline that serves the module, or one the tool
# cannot follow.
PIPELINES = {
    "BF015": {
        ".github/workflows/deploy.yml": (
            "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: terraform -chdir=module init -input=false "
            "-backend-config=envs/prod.s3.tfbackend\n"
        ),
        "module/envs/prod.s3.tfbackend": 'bucket = "b"\nkey    = "k"\nregion = "eu-west-1"\n',
    },
    "BF016": {
        ".github/workflows/deploy.yml": (
            "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: terraform -chdir=module init -backend-config=${{ secrets.BACKEND }}\n"
        ),
    },
}


def test_codes_names_and_severities_are_stable() -> None:
    assert {r.info.code: (r.info.name, r.info.severity) for r in RULES} == STABLE


def test_codes_and_names_are_unique_and_well_formed() -> None:
    codes = [r.info.code for r in RULES]
    names = [r.info.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in RULES:
        assert re.fullmatch(r"BF\d{3}", rule.info.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.info.name)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.info.code)
def test_rule_docs_are_complete(rule: Rule) -> None:
    info = rule.info
    doc = info.doc
    assert info.summary and not info.summary.endswith(".")
    for section in (doc.what, doc.why, doc.example, doc.fix, doc.versions):
        assert section.strip(), info.code
    assert doc.sources, info.code
    for url in doc.sources:
        assert re.fullmatch(r"https://\S+", url), url
    assert len(set(doc.sources)) == len(doc.sources)
    # A rule is fixable exactly when its doc describes a fix.
    assert info.fixable == (not doc.fix.startswith("No automatic fix")), info.code


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.info.code)
def test_example_triggers_its_rule(rule: Rule) -> None:
    view = view_of({"main.tf": rule.info.doc.example}, pipelines=PIPELINES.get(rule.info.code))
    got = [f.code for f in findings(view, (rule,))]
    assert got == [rule.info.code]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.info.code)
def test_example_is_terraform_fmt_clean(rule: Rule) -> None:
    example = rule.info.doc.example
    assert example.endswith("\n") and not example.startswith("\n")
    assert "\t" not in example
    for line in example.split("\n"):
        assert line == line.rstrip()
        assert (len(line) - len(line.lstrip(" "))) % 2 == 0


def test_rule_list_has_a_row_per_rule() -> None:
    text = render_rule_list(RULES)
    lines = text.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "CATEGORY", "FIX", "SUMMARY"]
    assert len(lines) == len(RULES) + 1
    for line, rule in zip(lines[1:], RULES, strict=True):
        info = rule.info
        assert line.split()[:5] == [
            info.code,
            info.name,
            info.severity.value,
            info.category.value,
            info.fix.describe(),
        ]
        assert line.endswith(info.summary)
    # Columns line up: the summary starts at the same offset on every line.
    assert len({line.index(r.info.summary) for line, r in zip(lines[1:], RULES, strict=True)}) == 1


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.info.code)
def test_rule_doc_has_the_fixed_headings_in_order(rule: Rule) -> None:
    text = render_rule_doc(rule.info)
    assert text.startswith(f"{rule.info.code} {rule.info.name} ({rule.info.severity.value}")
    headings = [line for line in text.splitlines() if line in HEADINGS]
    assert headings == list(HEADINGS)
    for line in text.splitlines():
        # Only the example and single unbreakable words (URLs) may run long.
        if not line.startswith("    ") and " " in line.strip().removeprefix("- "):
            assert len(line) <= 88, line
    for url in rule.info.doc.sources:
        assert f"- {url}" in text
    # The example is shown verbatim, indented.
    for line in rule.info.doc.example.strip("\n").splitlines():
        assert (f"    {line}" if line else "") in text.splitlines()


def test_rule_doc_accepts_a_rule_or_its_info() -> None:
    rule = RULES[0]
    assert render_rule_doc(rule) == render_rule_doc(rule.info)


def _samples() -> dict[str, list[RuleSample]]:
    found: dict[str, list[RuleSample]] = {}
    for directory in sample_dirs():
        code = directory.parent.name.split("-", 1)[0]
        rows = [f"{e.code} {e.file}:{e.line}:{e.column}" for e in expected(directory)]
        relative = os.path.relpath(directory, DOCS.parent).replace(os.sep, "/")
        found.setdefault(code, []).append(
            RuleSample(code, directory.name, relative + "/", tuple(rows))
        )
    return found


def test_markdown_lists_rules_and_samples() -> None:
    text = render_rules_markdown(RULES, _samples())
    for rule in RULES:
        info = rule.info
        assert f"## {info.code} `{info.name}`" in text
        assert f"[{info.code}](#{info.code.lower()}-{info.name})" in text
    assert (
        "[`seed`](../samples/rules/BF001-partial-backend/seed/): `BF001 provider.tf:12:3`" in text
    )
    assert "[`complete`](../samples/rules/BF001-partial-backend/complete/): nothing" in text
    for link in re.findall(r"\]\((\.\./samples/[^)]+)\)", text):
        assert (DOCS.parent / link).resolve().is_dir(), link
    # Every section heading appears once per rule.
    for heading in HEADINGS:
        assert text.count(f"### {heading}\n") == len(RULES)


def test_docs_rules_md_is_up_to_date() -> None:
    text = render_rules_markdown(RULES, _samples())
    if os.environ.get("BACKEND_FIXER_WRITE_DOCS") == "1":
        DOCS.write_text(text, encoding="utf-8")
    assert DOCS.read_text(encoding="utf-8") == text, (
        "docs/rules.md is stale: BACKEND_FIXER_WRITE_DOCS=1 .venv/bin/pytest tests/rules/test_docs.py"
    )


def test_samples_exist_for_docs() -> None:
    assert RULE_SAMPLES.is_dir()
    assert isinstance(RULE_SAMPLES, Path)
