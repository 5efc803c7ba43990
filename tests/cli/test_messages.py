"""What the command line says, and where: one error format, each message once, help in full.

Every error, whether a usage mistake, a bad config file or a file that cannot be
read, is one line ``backend-fixer: error: ...`` on stderr; a file that could not
be checked is reported once, not on both streams; the error that explains an
outcome comes before the summary of it; ``--help`` is never cut short when it
goes to a pipe.
"""

from __future__ import annotations

import re
from pathlib import Path

from cli_samples import PARTIAL, Run, write_tree

BROKEN = b'terraform {\n  backend "s3" {\n'
ERROR = "backend-fixer: error: "


def test_a_file_that_cannot_be_read_is_reported_once_as_an_error(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"good/main.tf": PARTIAL, "bad/main.tf": BROKEN})
    result = bf("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad/main.tf" not in result.stdout, "the report does not repeat the error"
    assert result.stdout.rstrip().endswith("; 1 file could not be checked")
    assert result.stderr.splitlines() == [
        f"{ERROR}bad/main.tf:3:1: unexpected end of file: the block opened at line 2, "
        "column 16 is never closed",
    ]


def test_fix_prints_the_error_before_the_summary_it_explains(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": PARTIAL, "other.tf": BROKEN})
    result = bf("fix", ".", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith(ERROR)]
    summary = lines.index("Nothing to change.")
    assert errors and max(errors) < summary, result.stderr
    assert (
        lines.count(
            f"{ERROR}other.tf:3:1: unexpected end of file: the block opened at line 2, column 16 is never closed"
        )
        == 1
    )


def test_a_mistyped_command_is_one_line_with_one_suggestion(bf: Run, tmp_path: Path) -> None:
    result = bf("chek", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{ERROR}No such command 'chek'. Did you mean 'check'? (see 'backend-fixer --help')"
    ]


def test_usage_config_and_rule_errors_share_the_format(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": PARTIAL})
    option = bf("check", "--frmat", "json", ".", cwd=tmp_path)
    assert option.stderr.splitlines() == [
        f"{ERROR}No such option '--frmat'. Did you mean '--format'? "
        "(see 'backend-fixer check --help')"
    ]
    rule = bf("check", "--select", "BF999", ".", cwd=tmp_path)
    assert rule.stderr.splitlines() == [
        f"{ERROR}unknown rule 'BF999'; `backend-fixer rules` lists them"
    ]
    (tmp_path / ".backend-fixer.toml").write_text("colour = 'always'\n")
    config = bf("check", ".", cwd=tmp_path)
    (line,) = config.stderr.splitlines()
    assert line.startswith(ERROR) and "unknown setting 'colour'" in line
    for result in (option, rule, config):
        assert result.returncode == 2 and "Traceback" not in result.stderr


def test_help_is_never_cut_short_in_a_pipe(bf: Run, tmp_path: Path) -> None:
    for command in ((), ("check",), ("fix",), ("pr",)):
        result = bf(*command, "--help", cwd=tmp_path, env={"COLUMNS": "60"})
        assert result.returncode == 0
        assert "…" not in result.stdout, result.stdout
        # click cuts a command's description with "..." when it does not fit.
        assert not re.search(r"[\w:,]\.\.\.$", result.stdout, re.MULTILINE), result.stdout
        assert not re.search(r"[╭╰│]", result.stdout), "no boxes drawn for a terminal"
    check = bf("check", "--help", cwd=tmp_path).stdout
    for option in ("--terraform-version", "--format", "--output", "--no-ignore"):
        assert option in check
    assert ".backend-fixer.toml" in " ".join(check.split())


def test_a_symlink_loop_among_other_files_is_not_an_error(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"envs/prod/main.tf": PARTIAL, "docs/README.md": "# docs\n"})
    (tmp_path / "docs" / "a").symlink_to("b")
    (tmp_path / "docs" / "b").symlink_to("a")
    (tmp_path / "envs" / "prod" / "root").symlink_to("../..")
    result = bf("check", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("envs/prod/main.tf:4:3: BF001 ")
    # A loop under a Terraform file's name is one: Terraform could not read it either.
    (tmp_path / "envs" / "prod" / "loop.tf").symlink_to("loop.tf")
    looped = bf("check", ".", cwd=tmp_path)
    assert looped.returncode == 2
    assert looped.stderr.splitlines() == [
        "backend-fixer: error: envs/prod/loop.tf: symlink loop, skipped"
    ]


CONVENTIONS = {
    "check": (
        "--exit-zero",
        "--fail-on",
        "--statistics",
        "--quiet",
        "--show-fixes",
        "--stdin-filename",
        "--exclude",
        "--force-exclude",
        "--whole-module",
        "per-file-ignores",
    ),
    "fix": ("--exit-zero", "--fail-on", "--quiet", "--show-fixes", "--stdin-filename", "json"),
    "rules": ("--format", "json"),
}


def test_every_convention_is_in_help_and_in_the_readme(bf: Run, tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for command, names in CONVENTIONS.items():
        text = " ".join(bf(command, "--help", cwd=tmp_path).stdout.split())
        for name in names:
            assert name in text, (command, name)
            assert name in readme, name
    root = " ".join(bf("--help", cwd=tmp_path).stdout.split())
    assert "backend-fixer: error:" in root and "backend-fixer: error:" in readme
    for phrase in ("No Terraform files found", "check -", "`--format json`: the planned changes"):
        assert phrase.lower() in readme.lower(), phrase
