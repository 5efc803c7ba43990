"""The fix lifecycle through the command line: fix, fill in, enable, or restore.

Each test drives the real console entry point in a subprocess on a module
written here as raw bytes (CRLF twins made here too) and checks exit codes,
the one-line messages and the exact bytes left on disk.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

MAIN = (
    b"terraform {\n"
    b'  required_version = ">= 1.11"\n'
    b"\n"
    b'  backend "s3" {}\n'
    b"}\n"
    b"\n"
    b'provider "aws" {\n'
    b'  region = "eu-west-1"\n'
    b"}\n"
)
COMPLETE = (
    b"terraform {\n"
    b'  required_version = ">= 1.11"\n'
    b"\n"
    b'  backend "s3" {\n'
    b'    bucket = "acme-state"\n'
    b'    key    = "app/terraform.tfstate"\n'
    b'    region = "eu-west-1"\n'
    b"  }\n"
    b"}\n"
)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")
    }
    return subprocess.run(
        [sys.executable, "-m", "fixer", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    prefix = "backend-fixer: "
    return [
        line.removeprefix(prefix)
        for line in result.stderr.splitlines()
        if line.removeprefix(prefix).startswith("error: ")
    ]


@pytest.fixture(params=["lf", "crlf"])
def module(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    directory = tmp_path / "app"
    directory.mkdir()
    data = MAIN if request.param == "lf" else MAIN.replace(b"\n", b"\r\n")
    (directory / "main.tf").write_bytes(data)
    return directory


def _commented(module: Path) -> bytes:
    fixed = run("fix", ".", "--write", cwd=module)
    assert fixed.returncode == 0, fixed.stderr
    data = (module / "main.tf").read_bytes()
    assert b"backend-fixer:begin local-state" in data
    return data


def _line_of(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


def test_restore_refuses_an_edited_commented_block_and_leaves_the_file_alone(
    module: Path,
) -> None:
    filled = _commented(module).replace(b"REPLACE_ME-bucket", b"acme-state")
    (module / "main.tf").write_bytes(filled)

    result = run("restore", ".", "--write", cwd=module)

    assert result.returncode == 2
    (error,) = errors(result)
    line = _line_of(filled, b"acme-state")
    assert error.startswith(f"error: main.tf:{line}: restore refused: line {line} was edited")
    assert "`backend-fixer restore --discard-edits`" in error and "`backend-fixer enable`" in error
    assert (module / "main.tf").read_bytes() == filled


def test_restore_discard_edits_gives_the_original_bytes(module: Path) -> None:
    original = (module / "main.tf").read_bytes()
    filled = _commented(module).replace(b"REPLACE_ME-bucket", b"acme-state")
    (module / "main.tf").write_bytes(filled)

    result = run("restore", ".", "--discard-edits", "--write", cwd=module)

    assert result.returncode == 0, result.stderr
    assert (module / "main.tf").read_bytes() == original


def test_enable_refuses_a_placeholder_left_and_names_it(module: Path) -> None:
    commented = _commented(module)

    result = run("enable", ".", "--write", cwd=module)

    assert result.returncode == 2
    (error,) = errors(result)
    line = _line_of(commented, b'"REPLACE_ME-bucket"')
    column = commented.splitlines()[line - 1].index(b'"REPLACE_ME-bucket"') + 1
    assert error == (
        f'error: main.tf:{line}:{column}: enable refused: `bucket       = "REPLACE_ME-bucket"` '
        "still holds a REPLACE_ME placeholder; fill in the real value first"
    )
    assert (module / "main.tf").read_bytes() == commented


def test_enable_after_filling_in_gives_a_block_check_calls_clean(module: Path) -> None:
    original = (module / "main.tf").read_bytes()
    filled = _commented(module).replace(b"REPLACE_ME-bucket", b"acme-state")
    (module / "main.tf").write_bytes(filled)

    dry = run("enable", ".", cwd=module)
    assert dry.returncode == 1, dry.stderr
    assert '+  backend "s3" {' in dry.stdout
    assert (module / "main.tf").read_bytes() == filled
    result = run("enable", ".", "--write", cwd=module)

    assert result.returncode == 0, result.stderr
    newline = b"\r\n" if b"\r\n" in original else b"\n"
    block = newline.join(
        [
            b'  backend "s3" {',
            b'    bucket       = "acme-state"',
            b'    key          = "terraform.tfstate"',
            b'    region       = "eu-west-1"',
            b"    encrypt      = true",
            b"    use_lockfile = true",
            b"  }",
        ]
    )
    assert (module / "main.tf").read_bytes() == original.replace(b'  backend "s3" {}', block)
    assert "Next step:" in result.stderr and "`terraform init`" in result.stderr
    check = run("check", ".", cwd=module)
    assert check.returncode == 0, check.stdout
    assert run("enable", ".", cwd=module).returncode == 0


def test_enable_judges_the_block_for_the_versions_terraform_version_names(
    module: Path,
) -> None:
    # use_path_style came with Terraform 1.6: a module admitting 1.5 cannot enable it,
    # one whose pipelines run 1.6 and later (--terraform-version) can.
    main = module / "main.tf"
    main.write_bytes(main.read_bytes().replace(b">= 1.11", b">= 1.5"))
    filled = _commented(module).replace(b"REPLACE_ME-bucket", b"acme-state")
    filled = filled.replace(b"REPLACE_ME-dynamodb-table", b"acme-locks")
    newline = b"\r\n" if b"\r\n" in filled else b"\n"
    region = b'  #   region         = "eu-west-1"'
    assert region in filled
    filled = filled.replace(region, region + newline + b"  #   use_path_style = true")
    main.write_bytes(filled)

    refused = run("enable", ".", "--write", cwd=module)
    assert refused.returncode == 2
    assert "enable refused: BF017 use_path_style" in refused.stderr
    assert main.read_bytes() == filled
    narrowed = run("enable", ".", "--write", "--terraform-version", ">= 1.6", cwd=module)
    assert narrowed.returncode == 0, narrowed.stderr
    assert b"    use_path_style = true" in main.read_bytes()


def test_enable_leaves_a_warning_to_the_exit_code_as_fix_does(module: Path) -> None:
    # dynamodb_table is deprecated from Terraform 1.11: enabling the block works, and the
    # warning left makes the exit code 1 unless --fail-on raises the bar.
    filled = _commented(module).replace(b"REPLACE_ME-bucket", b"acme-state")
    lockfile = b"  #   use_lockfile = true"
    assert lockfile in filled
    filled = filled.replace(lockfile, b'  #   dynamodb_table = "acme-locks"')
    (module / "main.tf").write_bytes(filled)

    dry_run = run("enable", ".", "--fail-on", "error", cwd=module)
    assert dry_run.returncode == 1  # a dry run with a pending change is 1 whatever the bar
    written = run("enable", ".", "--write", cwd=module)
    assert written.returncode == 1, written.stderr
    assert "BF004: no fix applies here" in written.stderr

    (module / "main.tf").write_bytes(filled)
    errors_only = run("enable", ".", "--write", "--fail-on", "error", cwd=module)
    assert errors_only.returncode == 0, errors_only.stderr
    assert b"backend-fixer" not in (module / "main.tf").read_bytes()


def test_enable_over_local_state_says_migrate_state(module: Path) -> None:
    filled = _commented(module).replace(b"REPLACE_ME-bucket", b"acme-state")
    (module / "main.tf").write_bytes(filled)
    (module / ".terraform").mkdir()
    (module / "terraform.tfstate").write_text("{}")

    result = run("enable", ".", "--write", cwd=module)

    assert result.returncode == 0, result.stderr
    (step,) = [line for line in result.stderr.splitlines() if "terraform init" in line]
    assert step.startswith("  .: `terraform init -migrate-state` (initialised here")
    assert "answer yes" in step


def test_override_mode_then_restore_deletes_only_its_own_file(tmp_path: Path) -> None:
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "main.tf").write_bytes(MAIN)
    fixed = run("fix", ".", "--mode", "override", "--write", cwd=ours)
    assert fixed.returncode == 0, fixed.stderr
    assert (ours / "backend_override.tf").is_file()

    dry = run("restore", ".", cwd=ours)
    assert dry.returncode == 1
    assert "+++ /dev/null" in dry.stdout and "backend_override.tf (deleted)" in dry.stderr
    restored = run("restore", ".", "--write", cwd=ours)

    assert restored.returncode == 0, restored.stderr
    assert not (ours / "backend_override.tf").exists()
    assert (ours / "main.tf").read_bytes() == MAIN
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "main.tf").write_bytes(MAIN)
    own = b'# for my laptop\nterraform {\n  backend "local" {}\n}\n'
    (theirs / "backend_override.tf").write_bytes(own)
    untouched = run("restore", ".", "--write", cwd=theirs)
    assert untouched.returncode == 0, untouched.stderr
    assert "Nothing to change." in untouched.stderr
    assert (theirs / "backend_override.tf").read_bytes() == own


def test_readme_is_created_by_fix_and_removed_by_restore(module: Path) -> None:
    original = (module / "main.tf").read_bytes()
    fixed = run("fix", ".", "--readme", "--write", cwd=module)
    assert fixed.returncode == 0, fixed.stderr
    readme = (module / "README.md").read_text()
    assert readme.startswith("<!-- backend-fixer:begin backend ")
    assert "uses **local state**" in readme

    restored = run("restore", ".", "--write", cwd=module)

    assert restored.returncode == 0, restored.stderr
    assert not (module / "README.md").exists()
    assert (module / "main.tf").read_bytes() == original


def test_readme_that_cannot_be_read_does_not_fail_the_fix(module: Path) -> None:
    (module / "README.md").write_bytes(b"\x89PNG\r\n\x1a\n not a readme")
    fixed = run("fix", ".", "--readme", "--write", cwd=module)
    assert fixed.returncode == 0, fixed.stderr
    assert "README not updated" in fixed.stderr
    assert b"backend-fixer:begin local-state" in (module / "main.tf").read_bytes()


def test_restore_undoes_the_lines_a_safe_fix_added(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(COMPLETE)
    fixed = run("fix", ".", "--write", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert b"use_lockfile = true" in (tmp_path / "main.tf").read_bytes()

    restored = run("restore", ".", "--write", cwd=tmp_path)

    assert restored.returncode == 0, restored.stderr
    assert (tmp_path / "main.tf").read_bytes() == COMPLETE


def test_a_fix_in_an_initialised_directory_names_the_init_flag_and_why(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(COMPLETE)
    (tmp_path / ".terraform").mkdir()

    fixed = run("fix", ".", "--write", cwd=tmp_path)

    assert fixed.returncode == 0, fixed.stderr
    lines = fixed.stderr.splitlines()
    step = lines[lines.index("Next step:") + 1]
    assert step.startswith("  .: `terraform init -reconfigure` (initialised here")
    assert "encrypt, use_lockfile" in step and "Backend configuration changed" in step


def test_opentofu_chosen_on_the_command_line_speaks_of_tofu(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_bytes(MAIN.replace(b">= 1.11", b">= 1.8"))
    fixed = run("fix", ".", "--write", "--dialect", "opentofu", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    header = " ".join(
        line.strip().lstrip("#").strip() for line in (tmp_path / "main.tf").read_text().splitlines()
    )
    assert "`tofu init -input=false`" in header and "terraform init" not in header
    assert "OpenTofu evaluates variables and locals in backend blocks" in header
    assert "`tofu init -reconfigure`" in fixed.stderr
