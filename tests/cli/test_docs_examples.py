"""The README's and docs/bot.md's examples are real runs of the command line, kept fresh.

A repository holding the module the README uses (``envs/prod/main.tf``: a partial
``backend "s3" {}`` under ``required_version = ">= 1.11"``, and a ``provider
"aws"`` with a region) is made in a temporary folder; ``check``, ``fix`` and
``pr --dry-run`` run on it, and their output must be what the documents show:
exactly for docs/bot.md's dry run and the README's check and diff, line by line
(with its ``[...]`` elisions) for the README's shortened dry run.
``BACKEND_FIXER_WRITE_DOCS=1`` rewrites the exact blocks from the real runs.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from cli_samples import Run, write_tree

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
BOT = REPO / "docs" / "bot.md"
WRITE = os.environ.get("BACKEND_FIXER_WRITE_DOCS") == "1"
MAIN_TF = (
    'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {}\n}\n\n'
    'provider "aws" {\n  region = "eu-west-1"\n}\n'
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Docs",
    "GIT_AUTHOR_EMAIL": "docs@example.com",
    "GIT_COMMITTER_NAME": "Docs",
    "GIT_COMMITTER_EMAIL": "docs@example.com",
}


@pytest.fixture
def example(tmp_path: Path) -> Path:
    repo = write_tree(tmp_path / "infra", {"envs/prod/main.tf": MAIN_TF})
    env = {**os.environ, **GIT_ENV}
    for args in (
        ("init", "-q", "-b", "main"),
        ("add", "-A"),
        ("-c", "commit.gpgsign=false", "commit", "-qm", "Add envs/prod"),
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env)
    return repo


def _block(text: str, opening: str, fence: str) -> tuple[int, int]:
    """The span of the lines after ``opening`` up to the line ``fence`` that closes it."""
    start = text.index(opening) + len(opening)
    return start, text.index(f"\n{fence}\n", start - 1) + 1


def _compare(path: Path, opening: str, fence: str, actual: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, end = _block(text, opening, fence)
    if WRITE:
        path.write_text(text[:start] + actual + text[end:], encoding="utf-8")
        return
    assert text[start:end] == actual, (
        f"{path.name} is stale: BACKEND_FIXER_WRITE_DOCS=1 pytest {Path(__file__).name}"
    )


def test_readme_check_example_is_a_real_run(bf: Run, example: Path) -> None:
    result = bf("check", "envs/prod", cwd=example)
    assert result.returncode == 1
    _compare(README, "```console\n$ backend-fixer check envs/prod\n", "```", result.stdout)


def test_readme_diff_is_a_real_run(bf: Run, example: Path) -> None:
    result = bf("fix", "envs/prod", cwd=example)
    assert result.returncode == 1
    hunks = result.stdout[result.stdout.index("@@ ") :]
    # The README shows it inside a list item, indented by two spaces (and without the
    # trailing blanks that would make of a blank context line).
    indented = "".join(f"  {line}".rstrip() + "\n" for line in hunks.splitlines())
    _compare(README, "  ```diff\n", "  ```", indented)


def test_bot_md_dry_run_is_a_real_run(bf: Run, example: Path) -> None:
    result = bf("pr", "envs/prod", "--dry-run", cwd=example, env=GIT_ENV)
    assert result.returncode == 0, result.stderr
    _compare(BOT, "````console\n$ backend-fixer pr envs/prod --dry-run\n", "````", result.stdout)


def _matches(shown: str, real: list[str]) -> bool:
    """Whether the README's shortened lines appear in ``real`` in order.

    ``[...]`` at the end of a line stands for the rest of it; a line that is
    only ``[... words ...]`` stands for any number of lines.
    """
    position = 0
    for line in shown.splitlines():
        if re.fullmatch(r"\[\.\.\. .* \.\.\.\]", line):
            continue
        prefix = line.removesuffix(" [...]")
        while position < len(real) and not (
            real[position] == line or (prefix != line and real[position].startswith(prefix))
        ):
            position += 1
        if position == len(real):
            return False
        position += 1
    return True


def test_readme_dry_run_is_a_shortened_real_run(bf: Run, example: Path) -> None:
    result = bf("pr", "envs/prod", "--dry-run", cwd=example, env=GIT_ENV)
    text = README.read_text(encoding="utf-8")
    start, end = _block(text, "````console\n$ backend-fixer pr envs/prod --dry-run\n", "````")
    assert _matches(text[start:end], result.stdout.splitlines()), (
        "the README's pr --dry-run example no longer matches a real run"
    )
