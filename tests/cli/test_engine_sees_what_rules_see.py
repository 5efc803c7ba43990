"""The runner's shortcuts lose no finding: every rule sample, checked through the engine.

The engine reads only modules whose bytes can hold a backend and parses only the
files a check needs (terraform blocks, AWS providers and region variables when a
region may be missing, locals when the backend reads one). Each rule sample's
``expected.json`` was written for the full module view; checked through the
runner it must give exactly the same findings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixer.runner.engine import Runner, RunOptions

RULES = Path(__file__).resolve().parents[2] / "samples" / "rules"
SAMPLES = sorted(p.parent for p in RULES.glob("*/*/expected.json"))


@pytest.mark.parametrize("directory", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_engine_reports_the_expected_findings(directory: Path) -> None:
    expected = sorted(
        (item["code"], item["file"], item["line"], item["column"])
        for item in json.loads((directory / "expected.json").read_text())
    )
    results = list(Runner(RunOptions(paths=(str(directory),), jobs=1)).results())
    assert not [p for r in results for p in r.problems]
    found = sorted(
        (f.code, Path(f.location.path).name, f.location.line, f.location.column)
        for r in results
        for f in r.findings
    )
    assert found == expected
