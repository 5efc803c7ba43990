"""Option values the command line refuses up front instead of accepting silently.

A value that would be ignored or misread (a dialect nobody knows, a version
that is not one, a ``--set`` key with a typo) is a usage error: one line, exit
code 2, nothing checked. An ``--output`` file that cannot be written is the
same kind of error, never an internal one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_samples import PARTIAL, Run, write_tree

ERROR = "backend-fixer: error: "


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "module", {"main.tf": PARTIAL})


def test_a_terraform_version_that_is_not_one_is_refused(bf: Run, module: Path) -> None:
    result = bf("check", ".", "--terraform-version", "banana", cwd=module)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{ERROR}invalid --terraform-version 'banana': malformed version constraint "
        "'banana'; give a version (1.9.5) or a constraint (>= 1.10)"
    ]
    # A version and a constraint are both fine.
    assert bf("check", ".", "--terraform-version", "1.9.5", cwd=module).returncode == 1
    assert bf("check", ".", "--terraform-version", ">= 1.10", cwd=module).returncode == 1


def test_an_unknown_dialect_is_a_usage_error_not_a_module_skipped(bf: Run, module: Path) -> None:
    for command in ("check", "fix"):
        result = bf(command, ".", "--dialect", "pulumi", cwd=module)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            f"{ERROR}unknown dialect 'pulumi': expected terraform (tf) or opentofu (tofu)"
        ]
    (module / ".backend-fixer.toml").write_text('dialect = "pulumi"\n')
    from_config = bf("check", ".", cwd=module)
    assert from_config.returncode == 2 and "unknown dialect 'pulumi'" in from_config.stderr


def test_a_set_key_with_a_typo_is_refused_with_the_name_meant(bf: Run, module: Path) -> None:
    before = (module / "main.tf").read_bytes()
    result = bf("fix", ".", "--mode", "complete", "--write", "--set", "bukcet=state", cwd=module)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{ERROR}--set bukcet: no backend type has an argument 'bukcet'; did you mean 'bucket'?"
    ]
    assert (module / "main.tf").read_bytes() == before


def test_a_set_key_no_backend_type_has_is_refused(bf: Run, module: Path) -> None:
    # Written as given it would be the "Unsupported argument" init stops on.
    result = bf(
        "fix",
        ".",
        "--mode",
        "complete",
        *("--set", "bucket=b", "--set", "key=k", "--set", "region=eu-west-1"),
        *("--set", "zz_custom_flag=on"),
        cwd=module,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"{ERROR}--set zz_custom_flag: no backend type has an argument 'zz_custom_flag'"
    ]
    assert result.stdout == ""


def test_an_output_file_that_cannot_be_written_is_one_line(bf: Run, module: Path) -> None:
    (module / "blocker").write_text("a file where a directory should be\n")
    result = bf("check", ".", "--output", "blocker/report.json", "--format", "json", cwd=module)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{ERROR}cannot write the report to blocker/report.json: blocker is not a directory"
    ]
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_an_output_file_gets_its_missing_directories(bf: Run, module: Path) -> None:
    result = bf("check", ".", "-o", "reports/ci/backend.sarif", "-f", "sarif", cwd=module)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert '"ruleId": "BF001"' in (module / "reports" / "ci" / "backend.sarif").read_text()


def test_whole_module_reports_every_file_of_a_named_files_module(bf: Run, tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "versions.tf": b'terraform {\n  required_version = ">= 1.5"\n}\n',
            "backend.tf": b'terraform {\n  backend "s3" {\n    use_lockfile = true\n  }\n}\n',
        },
    )
    named = bf("check", "versions.tf", cwd=tmp_path)
    assert named.returncode == 0 and "backend.tf" not in named.stdout
    whole = bf("check", "versions.tf", "--whole-module", cwd=tmp_path)
    assert whole.returncode == 1
    assert "backend.tf:3:5: BF007" in whole.stdout
