"""The pre-commit hooks, run by the real ``pre-commit`` client on a real git repository.

Each test repository has a ``.pre-commit-config.yaml`` naming this project's
hooks, as a user's would; ``pre-commit run`` installs them (a virtual
environment with the package) and runs them on the staged files. The hooks
``repo:`` is a git repository made of this checkout's package files, committed
at a fixed date, so it works from any copy of the sources and pre-commit
installs it once for the module's tests. A change in one file of a module can
break another file of it, so the hooks check the whole module of every staged
file; and ``.tf.json`` files are staged files too.
"""

from __future__ import annotations

import os
import shutil
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


# What `pip install .` of the hooks repository needs, and the hooks themselves.
PACKAGE_FILES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "fixer", "grammar")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment cache for the module's runs (installed once per hooks revision)."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of this checkout's package and hooks, as a hooks ``repo:`` is."""
    root = tmp_path_factory.mktemp("hooks") / "backend-fixer"
    root.mkdir()
    for name in PACKAGE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    dated = {
        "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z",
        "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z",
    }
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "-c", "commit.gpgsign=false", "commit", "-qm", "hooks", env=dated)
    return root


def _head(repo: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    environment = {**os.environ, **GIT_ENV, **(env or {})}
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=environment)


def _repo(root: Path, files: dict[str, bytes], hooks: Path, hook: str) -> Path:
    """A repository whose committed .pre-commit-config.yaml uses ``hook`` from ``hooks``."""
    config = f"repos:\n  - repo: {hooks}\n    rev: {_head(hooks)}\n    hooks:\n      - id: {hook}\n"
    write_tree(root, {**files, ".pre-commit-config.yaml": config.encode()})
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "-c", "commit.gpgsign=false", "commit", "-qm", "init")
    return root


def _run(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """``pre-commit run`` in ``repo``: its hooks on the staged files."""
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "CI": "1"}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--color", "never"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_check_hook_sees_what_a_staged_file_breaks_in_another_file(
    tmp_path: Path, hooks_repo: Path, pre_commit_home: Path
) -> None:
    files = {"versions.tf": VERSIONS, "backend.tf": BACKEND}
    repo = _repo(tmp_path / "infra", files, hooks_repo, "backend-fixer-check")
    # Lowering required_version makes use_lockfile in backend.tf unsupported (BF007).
    (repo / "versions.tf").write_bytes(VERSIONS.replace(b">= 1.11", b">= 1.5"))
    _git(repo, "add", "versions.tf")
    result = _run(repo, pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "backend-fixer check" in result.stdout and "Failed" in result.stdout
    assert "backend.tf:6:5: BF007 use_lockfile" in result.stdout


def test_check_hook_runs_on_a_staged_tf_json(
    tmp_path: Path, hooks_repo: Path, pre_commit_home: Path
) -> None:
    repo = _repo(tmp_path / "infra", {"README.md": b"# infra\n"}, hooks_repo, "backend-fixer-check")
    write_tree(repo, {"stack/main.tf.json": JSON_PARTIAL})
    _git(repo, "add", "stack/main.tf.json")
    result = _run(repo, pre_commit_home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "stack/main.tf.json:4:7: BF001" in result.stdout


def test_fix_hook_fixes_the_staged_module(
    tmp_path: Path, hooks_repo: Path, pre_commit_home: Path
) -> None:
    repo = _repo(tmp_path / "infra", {"README.md": b"# infra\n"}, hooks_repo, "backend-fixer-fix")
    write_tree(repo, {"envs/prod/main.tf": PARTIAL})
    _git(repo, "add", "envs/prod/main.tf")
    result = _run(repo, pre_commit_home)
    # pre-commit fails a hook that changed files, so that the user stages the fix.
    assert result.returncode == 1, result.stdout + result.stderr
    assert "files were modified by this hook" in result.stdout
    assert "# backend-fixer:begin local-state" in (repo / "envs/prod/main.tf").read_text()
