"""Each rule declares its fix once; the planner, the reports, `rules` and the README all read it.

The declaration (:class:`~fixer.rules.base.FixDeclaration`) says whether a rule
is fixed by the backend-wide mode, by a targeted edit (and whether that edit
is safe, unsafe or either), or not at all. These tests tie every consumer to
it: the targeted builders, the fixes the planner attaches to real findings, the
SARIF rule descriptors, the `rules` listing and the README's table.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from fixer.fixes.targeted import BUILDERS
from fixer.output import render_sarif
from fixer.output.rule_docs import FIX_LEGEND, render_rule_list, render_rule_table
from fixer.rules.base import Applicability, FixKind, Mode
from fixer.rules.catalog import RULES
from fixer.runner.engine import Runner, RunOptions, RunTally

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SAMPLES = ROOT / "samples"
DECLARED = {rule.info.code: rule.info.fix for rule in RULES}


def test_targeted_builders_are_exactly_the_targeted_declarations() -> None:
    targeted = {code for code, fix in DECLARED.items() if fix.kind is FixKind.TARGETED}
    assert set(BUILDERS) == targeted


def test_declarations_are_consistent() -> None:
    for code, fix in DECLARED.items():
        if fix.kind is FixKind.NONE:
            assert not fix.applicabilities and not fix.in_mode, code
        if fix.kind is FixKind.MODE:
            # Safe, or unsafe where it takes state away from a pipeline (a served backend).
            assert len(fix.applicabilities) == 1, code
        if fix.in_mode:
            assert fix.kind is FixKind.TARGETED, code
        if Applicability.UNSAFE in fix.applicabilities:
            assert fix.unsafe_when, f"{code} may be unsafe but does not say when"


def _attached_fixes(mode: Mode, unsafe: bool):  # type: ignore[no-untyped-def]
    """Every finding of every sample, with the fixes a check attaches for ``mode``."""
    from fixer.fixes.plan import FixOptions

    options = RunOptions(
        paths=(str(SAMPLES / "rules"), str(SAMPLES / "fixes")),
        attach_fixes=True,
        jobs=1,
    )
    runner = Runner(options)
    # A check attaches with the default options; a fix run shows the chosen mode.
    fix_runner = Runner(RunOptions(paths=options.paths, fix=FixOptions(mode=mode, unsafe=unsafe)))
    tally = RunTally.of(runner)
    for result in runner.results():
        tally.add(result)
    fixed = RunTally.of(fix_runner)
    for result in fix_runner.results():
        fixed.add(result)
    return [*tally.findings, *fixed.findings]


@pytest.mark.parametrize("mode", list(Mode))
def test_every_planned_fix_matches_its_rules_declaration(mode: Mode) -> None:
    findings = _attached_fixes(mode, unsafe=True)
    seen_kinds = set()
    for finding in findings:
        declared = DECLARED[finding.code]
        for fix in finding.fixes:
            if fix.mode is not None:
                # The backend-wide fix resolves mode rules and the in-mode targeted ones.
                assert declared.kind is FixKind.MODE or declared.in_mode, finding.code
                seen_kinds.add(FixKind.MODE)
            else:
                assert declared.kind is FixKind.TARGETED, finding.code
                assert fix.applicability in declared.applicabilities, (
                    f"{finding.code}: a {fix.applicability} fix, declared "
                    f"{declared.describe()}: {fix.description}"
                )
                seen_kinds.add(FixKind.TARGETED)
        if declared.kind is FixKind.NONE:
            assert not finding.fixes, finding.code
    # The samples exercise both kinds, so the checks above ran.
    assert seen_kinds == {FixKind.MODE, FixKind.TARGETED}


def test_sarif_marks_exactly_the_declared_rules_fixable() -> None:
    document = render_sarif([], [r.info for r in RULES], "0")
    for descriptor in document["runs"][0]["tool"]["driver"]["rules"]:
        tags = descriptor.get("properties", {}).get("tags", [])
        assert ("fixable" in tags) == DECLARED[descriptor["id"]].fixable, descriptor["id"]


def test_rules_listing_shows_the_declarations() -> None:
    lines = render_rule_list(RULES).splitlines()[1:]
    for line, rule in zip(lines, RULES, strict=True):
        assert line.split()[4] == rule.info.fix.describe()


def test_readme_table_is_the_declarations() -> None:
    text = README.read_text(encoding="utf-8")
    table = render_rule_table(RULES, "docs/rules.md")
    if os.environ.get("BACKEND_FIXER_WRITE_DOCS") == "1" and table not in text:
        start = text.index("| code | name | severity |")
        end = text.index("\n\n", start)
        README.write_text(text[:start] + table + text[end:], encoding="utf-8")
        text = README.read_text(encoding="utf-8")
    assert table in text, (
        "README's rule table is stale: BACKEND_FIXER_WRITE_DOCS=1 .venv/bin/pytest "
        "tests/rules/test_fix_declarations.py"
    )
    assert FIX_LEGEND in text
    # Every row of the README says what `rules` says about the fix.
    for rule in RULES:
        row = re.search(rf"^\| \[{rule.info.code}\].*$", text, re.MULTILINE)
        assert row is not None
        cells = [c.strip() for c in row.group().strip("|").split("|")]
        assert cells[3:5] == [rule.info.category.value, rule.info.fix.describe()]


def test_json_report_rules_carry_the_declaration() -> None:
    from fixer.output import render_json

    findings = _attached_fixes(Mode.COMMENT, unsafe=False)
    document = render_json(findings, [r.info for r in RULES], tool_version="0")
    assert set(document["rules"]) == {f.code for f in findings}
    for code, rule in document["rules"].items():
        assert rule["fix"] == DECLARED[code].describe()
        assert rule["fixable"] == DECLARED[code].fixable
    for entry in document["findings"]:
        assert entry["category"] == next(
            r.info.category for r in RULES if r.info.code == entry["code"]
        )
    json.dumps(document)
