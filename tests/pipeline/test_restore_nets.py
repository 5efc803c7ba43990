"""Restore passes the same safety nets as a fix, and refuses (writing nothing) when one fails.

Two ways a restore could go wrong besides an edit it refuses to drop: the
commented block was edited into text that does not parse once uncommented
(reachable when the region carries no record, as older versions wrote it, and
the edits are discarded), or the restore would change bytes outside the
region or block it undoes. In both the module is left alone and the problem
says why, through the pipeline and on disk through the runner.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pipeline_support import module_input, texts

from fixer.edits import Edit
from fixer.fixes.plan import FixOptions
from fixer.fixes.undo import BlockUndo
from fixer.pipeline import FixRequest, RestoreRequest, process_module
from fixer.pipeline import lifecycle as lifecycle
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


def _without_record(text: str) -> str:
    """The region as a version before records wrote it: a bare end marker."""
    return re.sub(r"(# backend-fixer:end local-state) .*", r"\1", text)


def _broken() -> str:
    broken = _without_record(_commented()).replace('#   key = "app/', '#   key = = "app/')
    assert broken != _without_record(_commented())
    return broken


def test_restore_names_the_edit_that_would_not_parse() -> None:
    broken = _commented().replace('#   key = "app/', '#   key = = "app/')
    result = process_module(module_input({"main.tf": broken}), RestoreRequest())
    assert result.files == ()
    (problem,) = result.problems
    line = broken[: broken.index("key = =")].count("\n") + 1
    assert (problem.line, problem.message.split(";")[0]) == (
        line,
        f"restore refused: line {line} was edited since backend-fixer wrote it",
    )


def test_restore_that_would_not_parse_is_refused() -> None:
    result = process_module(
        module_input({"main.tf": _broken()}), RestoreRequest(discard_edits=True)
    )
    assert result.files == ()
    (problem,) = result.problems
    assert problem.path.endswith("main.tf")
    assert "does not parse" in problem.message and "not written" in problem.message


def test_restore_that_would_reach_outside_its_block_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    complete = MAIN.replace(
        '    key = "app/terraform.tfstate"\n',
        '    key = "app/k"\n    bucket = "b"\n    region = "eu-west-1"\n',
    )
    fixed = process_module(module_input({"main.tf": complete}), FixRequest())
    assert not fixed.problems
    text = texts(fixed.files)["main.tf"]
    assert text is not None and "# backend-fixer:added" in text
    real = lifecycle.undo_block

    def reaching(source: str, block: object, **options: bool) -> BlockUndo:
        # The real undo, widened to the terraform block's closing brace: outside the block.
        undone = real(source, block, **options)  # type: ignore[arg-type]
        assert undone.edit is not None
        end = source.rindex("}") + 1
        edit = Edit(undone.edit.start, end, undone.edit.new_text + "} # changed")
        return BlockUndo(edit)

    monkeypatch.setattr(lifecycle, "undo_block", reaching)
    result = process_module(module_input({"main.tf": text}), RestoreRequest())
    assert result.files == ()
    (problem,) = result.problems
    assert "outside the span it may change" in problem.message


def test_refused_restore_writes_nothing_on_disk(tmp_path: Path) -> None:
    module = tmp_path / "app"
    module.mkdir()
    broken = _broken().encode()
    (module / "main.tf").write_bytes(broken)
    options = RunOptions(paths=(str(module),), restore=True, discard_edits=True, write=True)
    results = list(Runner(options).results())
    assert [f for r in results for f in r.files] == []
    assert any("does not parse" in p.message for r in results for p in r.problems)
    assert (module / "main.tf").read_bytes() == broken
