"""The pre-commit hooks, run by the real ``pre-commit`` client on a real git repository.

``pre-commit try-repo`` installs this repository's hooks as a user's
``.pre-commit-config.yaml`` would (a virtual environment with the package) and
runs them on the staged files. A change in one file of a module can break
another file of it, so the hooks check the whole module of every staged file;
and ``.tf.json`` files are staged files too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_samples import PARTIAL, write_tree

REPO = Path(__file__).resolve().parents[2]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}
VERSIONS = b'terraform {\n  required_version = ">= 1.11"\n}\n'
BACKEND = (
    b'terraform {\n  backend "s3" {\n    bucket       = "b"\n    key          = "k"\n'
    b'    region       = "eu-west-1"\n    use_lockfile = true\n    encrypt      = true\n  }\n}\n'
)
JSON_PARTIAL = b'{\n  "terraform": {\n    "backend": {\n      "s3": {}\n    }\n  }\n}\n'


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment cache for the module's runs (installed once per hooks revision)."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, env={**os.environ, **GIT_ENV})


def _repo(root: Path, files: dict[str, bytes]) -> Path:
    write_tree(root, files)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "-c", "commit.gpgsign=false", "commit", "-qm", "init")
    return root


def _try_repo(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo <this repository> <hook>`` on ``repo``'s staged files."""
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "CI": "1"}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_check_hook_sees_what_a_staged_file_breaks_in_another_file(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    repo = _repo(tmp_path / "infra", {"versions.tf": VERSIONS, "backend.tf": BACKEND})
    # Lowering required_version makes use_lockfile in backend.tf unsupported (BF007).
    (repo / "versions.tf").write_bytes(VERSIONS.replace(b">= 1.11", b">= 1.5"))
    _git(repo, "add", "versions.tf")
    result = _try_repo(repo, "backend-fixer-check", pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "backend-fixer check" in result.stdout and "Failed" in result.stdout
    assert "backend.tf:6:5: BF007 use_lockfile" in result.stdout


def test_check_hook_runs_on_a_staged_tf_json(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = _repo(tmp_path / "infra", {"README.md": b"# infra\n"})
    write_tree(repo, {"stack/main.tf.json": JSON_PARTIAL})
    _git(repo, "add", "stack/main.tf.json")
    result = _try_repo(repo, "backend-fixer-check", pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "stack/main.tf.json:4:7: BF001" in result.stdout


def test_fix_hook_fixes_the_staged_module(tmp_path: Path, pre_commit_home: Path) -> None:
    repo = _repo(tmp_path / "infra", {"README.md": b"# infra\n"})
    write_tree(repo, {"envs/prod/main.tf": PARTIAL})
    _git(repo, "add", "envs/prod/main.tf")
    result = _try_repo(repo, "backend-fixer-fix", pre_commit_home)
    # pre-commit fails a hook that changed files, so that the user stages the fix.
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert "# backend-fixer:begin local-state" in (repo / "envs/prod/main.tf").read_text()
