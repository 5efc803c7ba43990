"""The config file's exclude and per-file-ignores (ruff's names), and paths with nothing in them.

``exclude`` takes gitignore-style patterns relative to the config file: those
paths are not walked, beside what ``.gitignore`` leaves out; ``--exclude`` adds
patterns relative to the current directory; a file named on the command line
is checked anyway unless ``--force-exclude`` (the pre-commit hooks use it).
``per-file-ignores`` maps a pattern to rules switched off there: not reported,
not fixed. A path with no Terraform file is a warning, exit 0, not "No
problems found".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_samples import PARTIAL, UNENCRYPTED, Run, write_tree


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path,
        {
            "envs/prod/main.tf": PARTIAL,
            "legacy/old/main.tf": PARTIAL,
            "vendor/mod/main.tf": PARTIAL,
            "envs/dev/main.tf": UNENCRYPTED,
        },
    )


def _reported(stdout: str) -> list[str]:
    return sorted(line.split(":")[0] for line in stdout.splitlines() if ": BF0" in line)


def test_exclude_leaves_paths_out_of_the_walk(bf: Run, repo: Path) -> None:
    (repo / ".backend-fixer.toml").write_text('exclude = ["legacy/", "vendor/**"]\n')
    result = bf("check", ".", cwd=repo)
    assert _reported(result.stdout) == ["envs/dev/main.tf", "envs/prod/main.tf"]
    # Patterns are relative to the config file, wherever the command runs.
    inside = bf("check", "..", cwd=repo / "envs")
    assert _reported(inside.stdout) == ["../envs/dev/main.tf", "../envs/prod/main.tf"]
    # The command line adds its own.
    more = bf("check", ".", "--exclude", "envs/dev", cwd=repo)
    assert _reported(more.stdout) == ["envs/prod/main.tf"]
    # Nothing is fixed there either.
    bf("fix", ".", "--write", cwd=repo)
    assert (repo / "legacy/old/main.tf").read_bytes() == PARTIAL


def test_a_named_file_is_excluded_only_with_force_exclude(bf: Run, repo: Path) -> None:
    (repo / ".backend-fixer.toml").write_text('exclude = ["legacy/"]\n')
    named = bf("check", "legacy/old/main.tf", cwd=repo)
    assert named.returncode == 1 and _reported(named.stdout) == ["legacy/old/main.tf"]
    forced = bf("check", "legacy/old/main.tf", "--force-exclude", cwd=repo)
    assert forced.returncode == 0 and forced.stdout == ""


def test_per_file_ignores_switch_rules_off_where_a_pattern_matches(bf: Run, repo: Path) -> None:
    (repo / "pyproject.toml").write_text(
        "[tool.backend-fixer.per-file-ignores]\n"
        '"legacy/**" = ["BF001"]\n'
        '"envs/*/main.tf" = ["unencrypted-state"]\n'
    )
    result = bf("check", ".", cwd=repo)
    assert _reported(result.stdout) == ["envs/prod/main.tf", "vendor/mod/main.tf"]
    dry = bf("fix", ".", cwd=repo)
    assert "legacy/old/main.tf" not in dry.stdout and "envs/dev/main.tf" not in dry.stdout


def test_per_file_ignores_must_name_rules(bf: Run, repo: Path) -> None:
    (repo / ".backend-fixer.toml").write_text('[per-file-ignores]\n"legacy/**" = ["BF999"]\n')
    result = bf("check", ".", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == (
        "backend-fixer: error: per-file-ignores 'legacy/**': unknown rule 'BF999'; "
        "`backend-fixer rules` lists them\n"
    )
    (repo / ".backend-fixer.toml").write_text('[per-file-ignores]\n"legacy/**" = "BF001"\n')
    wrong = bf("check", ".", cwd=repo)
    assert wrong.returncode == 2 and "maps a pattern to a list of rules" in wrong.stderr


def test_a_path_without_terraform_files_is_a_warning(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"docs/README.md": "# docs\n", "envs/prod/main.tf": PARTIAL})
    result = bf("check", "docs", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "backend-fixer: warning: no Terraform files found under docs\n"
    (tmp_path / "empty").mkdir()
    fixing = bf("fix", "empty", cwd=tmp_path)
    assert (fixing.returncode, fixing.stdout) == (0, "")
    assert fixing.stderr == "backend-fixer: warning: no Terraform files found under empty\n"
    file = bf("check", "docs/README.md", cwd=tmp_path)
    assert file.returncode == 0
    assert "docs/README.md is not a Terraform configuration file" in file.stderr
    # A path with Terraform files says nothing of the kind; one that is missing is an error.
    assert "warning" not in bf("check", "docs", "envs", cwd=tmp_path).stderr.replace(
        "warning: no Terraform files found under docs", ""
    )
    missing = bf("check", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr == "backend-fixer: error: nowhere: no such file or directory\n"


def test_the_current_directory_without_terraform_files(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"notes.txt": "nothing here\n"})
    for args in (("check",), ("check", "."), ("check", "./")):
        result = bf(*args, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (0, ""), args
        assert result.stderr.startswith("backend-fixer: warning: no Terraform files found under .")
