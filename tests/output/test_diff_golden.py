"""Golden tests of the diff printer: each case under golden/ holds raw before/after files.

The expected diffs (``expected.diff`` without colour, ``expected.color.diff``
with it) are compared byte for byte. Set ``UPDATE_GOLDEN=1`` to rewrite them
after a deliberate change, then review the new files before committing.
A case without ``before.tf`` is a created file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fixer.output.diff import unified_diff

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _case(name: str) -> tuple[str, str, str, bool]:
    folder = GOLDEN / name
    before = folder / "before.tf"
    created = not before.exists()
    # Raw bytes, decoded without newline translation: CRLF must reach the printer.
    old = "" if created else before.read_bytes().decode("utf-8")
    new = (folder / "after.tf").read_bytes().decode("utf-8")
    path = "envs/dev/backend_override.tf" if created else "envs/dev/provider.tf"
    return old, new, path, created


def test_every_required_case_is_present() -> None:
    required = {
        "comment_mode",
        "crlf",
        "crlf_no_newline",
        "created",
        "insert_start",
        "insert_end",
        "multiple_hunks",
        "no_newline_old",
        "no_newline_new",
        "no_newline_both",
    }
    assert required <= set(CASES)


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
@pytest.mark.parametrize("name", CASES)
def test_golden(name: str, color: bool) -> None:
    old, new, path, created = _case(name)
    got = unified_diff(old, new, path, color=color, created=created).encode("utf-8")
    expected_file = GOLDEN / name / ("expected.color.diff" if color else "expected.diff")
    if UPDATE:
        expected_file.write_bytes(got)
    assert got == expected_file.read_bytes()


@pytest.mark.parametrize("name", CASES)
def test_plain_diff_is_a_patch_git_applies(name: str, tmp_path: Path) -> None:
    """The uncoloured diff turns the before file into the after file, byte for byte."""
    git = shutil.which("git")
    assert git, "git is needed to check that our diffs are valid patches"
    old, new, path, created = _case(name)
    target = tmp_path / path
    if not created:
        target.parent.mkdir(parents=True)
        target.write_bytes(old.encode("utf-8"))
    patch = tmp_path / "fix.patch"
    patch.write_bytes(unified_diff(old, new, path, color=False, created=created).encode("utf-8"))
    subprocess.run([git, "apply", "--whitespace=nowarn", str(patch)], cwd=tmp_path, check=True)
    assert target.read_bytes() == new.encode("utf-8")


@pytest.mark.parametrize("name", CASES)
def test_colour_only_adds_escapes(name: str) -> None:
    """Stripping git's SGR codes from the coloured diff gives the plain one."""
    old, new, path, created = _case(name)
    plain = unified_diff(old, new, path, color=False, created=created)
    colored = unified_diff(old, new, path, color=True, created=created)
    assert "\x1b" not in plain
    assert "\x1b[" in colored
    for code in ("\x1b[1m", "\x1b[36m", "\x1b[31m", "\x1b[32m", "\x1b[m"):
        colored = colored.replace(code, "")
    assert colored == plain
