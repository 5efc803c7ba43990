"""A text report describes fixes without building their edits: it must describe the same fixes.

``check`` in the text format plans with ``exact_fixes`` False, which skips the
costly part of comment mode (the header and the commented text). Every sample
module of the repository is checked both ways here, and each finding must
carry the same fixes: mode, safety and description.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_support import module_input

from fixer.pipeline import CheckRequest, process_module

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SUFFIXES = (".tf", ".tf.json", ".tfbackend", ".hcl")


def _sample_modules() -> list[Path]:
    directories = {path.parent for path in SAMPLES.rglob("*.tf")}
    return sorted(d for d in directories if any(p.suffix == ".tf" for p in d.iterdir()))


def _fixes(directory: Path, exact: bool) -> list[tuple[str, int, tuple[object, ...]]]:
    files = {
        path.name: path.read_bytes()
        for path in directory.iterdir()
        if path.is_file() and path.name.endswith(SUFFIXES)
    }
    request = CheckRequest(attach_fixes=True, exact_fixes=exact)
    result = process_module(module_input(files, directory="m"), request)
    return [
        (
            f.code,
            f.location.start,
            tuple((x.mode, x.applicability, x.description) for x in f.fixes),
        )
        for f in result.findings
    ]


MODULES = _sample_modules()


def test_there_are_sample_modules_to_compare() -> None:
    assert len(MODULES) > 100


@pytest.mark.parametrize("directory", MODULES, ids=[str(d.relative_to(SAMPLES)) for d in MODULES])
def test_described_fixes_are_the_planned_fixes(directory: Path) -> None:
    assert _fixes(directory, exact=False) == _fixes(directory, exact=True)


def test_described_comment_fixes_carry_no_edits() -> None:
    files = {"main.tf": 'terraform {\n  backend "s3" {}\n}\n'}
    exact, described = (
        process_module(module_input(files), CheckRequest(attach_fixes=True, exact_fixes=flag))
        for flag in (True, False)
    )
    (planned,) = exact.findings[0].fixes
    (shown,) = described.findings[0].fixes
    assert planned.description == shown.description
    assert any(change.edits for change in planned.changes)
    assert not any(change.edits for change in shown.changes)
