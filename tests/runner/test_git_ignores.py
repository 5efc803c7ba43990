"""git_ignores answers for one path (even one not yet created) as git check-ignore does."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fixer.runner.discovery import git_ignores


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / ".gitignore").write_text("*_override.tf\n")
    (tmp_path / "a" / "b" / ".gitignore").write_text("!backend_override.tf\n")
    (tmp_path / ".git" / "info" / "exclude").write_text("excluded.tf\n")
    return tmp_path


@pytest.mark.parametrize(
    "relative",
    [
        "a/backend_override.tf",
        "a/b/backend_override.tf",
        "backend_override.tf",
        "a/excluded.tf",
        "a/main.tf",
    ],
)
def test_same_verdict_as_git(repo: Path, relative: str) -> None:
    check = subprocess.run(
        ["git", "-C", str(repo), "check-ignore", "-q", "--no-index", str(repo / relative)],
        check=False,
    )
    assert git_ignores(repo / relative) is (check.returncode == 0)


def test_outside_a_work_tree_there_is_no_verdict(tmp_path: Path) -> None:
    assert git_ignores(tmp_path / "backend_override.tf") is None
