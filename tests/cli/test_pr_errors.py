"""``pr`` errors name files as the repository does, not as the scratch checkout does.

``pr`` runs the fix in a temporary ``git worktree``; an engine error used to
print that checkout's path (``/tmp/backend-fixer-x1y2/checkout/envs/prod``),
which differs on every run and exists nowhere once the run ends.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from cli_samples import PARTIAL, Run, write_tree

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def _repo(root: Path, files: dict[str, bytes]) -> Path:
    write_tree(root, files)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(root), "-c", "commit.gpgsign=false", "commit", "-qm", "init"],
        check=True,
        env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
    )
    return root


def test_an_engine_error_names_the_module_in_the_repository(bf: Run, tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo", {"envs/prod/main.tf": PARTIAL})
    result = bf("pr", ".", "--mode", "complete", "--dry-run", cwd=repo, env=GIT_ENV)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        "backend-fixer: error: pr: the fix could not be applied: envs/prod: cannot complete "
        "the s3 backend: no value for bucket, key"
    ), line
    assert tempfile.gettempdir() not in line and "checkout" not in line


def test_a_file_that_does_not_parse_is_named_from_the_repository_root(
    bf: Run, tmp_path: Path
) -> None:
    repo = _repo(
        tmp_path / "repo",
        {"envs/prod/main.tf": PARTIAL, "envs/prod/bad.tf": b'terraform {\n  backend "s3" {\n'},
    )
    result = bf("pr", ".", "--dry-run", cwd=repo, env=GIT_ENV)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert "envs/prod/bad.tf:3:1: unexpected end of file" in line
    assert tempfile.gettempdir() not in line
