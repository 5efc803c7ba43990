"""Restore passes the same safety nets as a fix, and refuses (writing nothing) when one fails.

Two ways a restore could go wrong: the commented block was edited into text
that does not parse once uncommented, or the restore would change bytes
outside the region comment mode marked. In both the module is left alone and
the problem says why, through the pipeline and on disk through the runner.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_support import module_input, texts

from fixer.edits import Edit
from fixer.fixes.plan import FixOptions
from fixer.pipeline import FixRequest, RestoreRequest, process_module
from fixer.pipeline import process as process
from fixer.rules.base import Mode
from fixer.runner.engine import Runner, RunOptions

MAIN = (
    "terraform {\n"
    '  required_version = ">= 1.11"\n'
    "\n"
    '  backend "s3" {\n'
    '    key = "app/terraform.tfstate"\n'
    "  }\n"
    "}\n"
)


def _commented() -> str:
    result = process_module(
        module_input({"main.tf": MAIN}), FixRequest(fix=FixOptions(mode=Mode.COMMENT))
    )
    assert not result.problems
    new = texts(result.files)["main.tf"]
    assert new is not None and "backend-fixer:begin local-state" in new
    return new


def test_restore_of_an_untouched_block_gives_the_original_back() -> None:
    result = process_module(module_input({"main.tf": _commented()}), RestoreRequest())
    assert not result.problems
    assert texts(result.files) == {"main.tf": MAIN}


def test_restore_that_would_not_parse_is_refused() -> None:
    broken = _commented().replace('#   key = "app/', '#   key = = "app/')
    assert broken != _commented()
    result = process_module(module_input({"main.tf": broken}), RestoreRequest())
    assert result.files == ()
    (problem,) = result.problems
    assert problem.path.endswith("main.tf")
    assert "does not parse" in problem.message and "not written" in problem.message


def test_restore_that_would_reach_outside_its_markers_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    commented = _commented()
    real = process.restore_edits

    def reaching(text: str) -> list[Edit]:
        # One edit more: the closing brace of the terraform block, outside the region.
        edits = real(text)
        end = text.rindex("}")
        return [*edits, Edit(end, end + 1, "} # changed")]

    monkeypatch.setattr(process, "restore_edits", reaching)
    result = process_module(module_input({"main.tf": commented}), RestoreRequest())
    assert result.files == ()
    (problem,) = result.problems
    assert "outside the span it may change" in problem.message


def test_refused_restore_writes_nothing_on_disk(tmp_path: Path) -> None:
    module = tmp_path / "app"
    module.mkdir()
    broken = _commented().replace('#   key = "app/', '#   key = = "app/').encode()
    (module / "main.tf").write_bytes(broken)
    results = list(Runner(RunOptions(paths=(str(module),), restore=True, write=True)).results())
    assert [f for r in results for f in r.files] == []
    assert any("does not parse" in p.message for r in results for p in r.problems)
    assert (module / "main.tf").read_bytes() == broken
