"""Exit codes and summaries as users of ruff and tflint expect them.

``check`` exits 1 for findings at or above ``--fail-on`` (default: any), the
same in every format; ``fix`` exits 1 while a dry run would change something or
findings remain that the fix leaves alone (ruff's ``check --fix``), and lists
each of those under "Left alone" with the reason; ``--exit-zero`` turns findings
into 0 but never an error (2). The text summary counts what ``fix`` and
``fix --unsafe`` would fix.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from cli_samples import (
    CREDENTIALS,
    PARTIAL,
    TWO_BACKENDS,
    UNENCRYPTED,
    VARIABLE_BUCKET,
    Run,
    write_tree,
)

BROKEN = b'terraform {\n  backend "s3" {\n'


def test_the_text_summary_counts_safe_and_unsafe_fixes(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"a/main.tf": PARTIAL, "b/main.tf": CREDENTIALS, "c/main.tf": UNENCRYPTED})
    write_tree(tmp_path / "d", TWO_BACKENDS)
    result = bf("check", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == (
        "Found 4 problems (3 errors, 1 warning) in 4 files; "
        "2 fixable with backend-fixer fix; 1 more with backend-fixer fix --unsafe"
    )


def test_fix_write_exits_1_while_findings_remain(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"a/main.tf": PARTIAL, "b/main.tf": CREDENTIALS})
    write_tree(tmp_path / "d", TWO_BACKENDS)
    result = bf("fix", ".", "--write", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "backend-fixer:begin" in (tmp_path / "a" / "main.tf").read_text()
    summary = result.stderr.split("Left alone", 1)[1].split("Next step:", 1)[0].splitlines()
    assert summary == [
        " (2 findings in 2 files):",
        "  b/main.tf:10:5: BF003: needs --unsafe",
        "  d/b.tf:2:3: BF011: no automatic fix (`backend-fixer rules BF011` says what to do)",
    ]
    # What is left is what check still reports.
    assert bf("check", ".", "--select", "BF003,BF011", cwd=tmp_path).returncode == 1
    assert bf("check", ".", "--ignore", "BF003", "--ignore", "BF011", cwd=tmp_path).returncode == 0


def test_fix_exits_0_once_nothing_is_left(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": PARTIAL})
    assert bf("fix", ".", "--write", cwd=tmp_path).returncode == 0
    again = bf("fix", ".", cwd=tmp_path)
    assert again.returncode == 0 and again.stderr == "Nothing to change.\n"


def test_a_dry_run_with_only_unfixable_findings_exits_1(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, TWO_BACKENDS)
    result = bf("fix", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Would change no files." in result.stderr
    assert "Left alone (1 finding in 1 file):" in result.stderr


@pytest.mark.parametrize("config", [False, True], ids=["option", "config"])
def test_fail_on_sets_the_lowest_severity_that_fails(bf: Run, tmp_path: Path, config: bool) -> None:
    write_tree(tmp_path, {"main.tf": UNENCRYPTED})
    assert bf("check", ".", cwd=tmp_path).returncode == 1  # a warning fails by default
    if config:
        (tmp_path / ".backend-fixer.toml").write_text('fail-on = "error"\n')
        args: tuple[str, ...] = ()
    else:
        args = ("--fail-on", "error")
    result = bf("check", ".", *args, cwd=tmp_path)
    assert result.returncode == 0
    assert "BF008" in result.stdout, "the warning is still reported"
    # A dry run that would change something still exits 1; once written, 0.
    assert bf("fix", ".", *args, cwd=tmp_path).returncode == 1
    assert bf("fix", ".", "--write", *args, cwd=tmp_path).returncode == 0
    write_tree(tmp_path, TWO_BACKENDS)
    assert bf("check", ".", *args, cwd=tmp_path).returncode == 1  # an error fails


def test_fail_on_takes_a_severity(bf: Run, tmp_path: Path) -> None:
    result = bf("check", ".", "--fail-on", "fatal", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        "backend-fixer: error: --fail-on takes error, warning, info, not 'fatal'\n"
    )


def test_exit_zero_ignores_findings_but_not_errors(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": PARTIAL})
    for command in (("check",), ("fix",), ("check", "--format", "json")):
        assert bf(*command, ".", "--exit-zero", cwd=tmp_path).returncode == 0, command
    (tmp_path / "broken.tf").write_bytes(BROKEN)
    assert bf("check", ".", "--exit-zero", cwd=tmp_path).returncode == 2


def test_findings_the_fix_removes_with_their_block_do_not_remain(bf: Run, tmp_path: Path) -> None:
    """Comment mode comments out a block with a variable in it (BF002); the block's
    missing locking and encryption (BF006, BF008) go with it: nothing remains."""
    write_tree(tmp_path, {"main.tf": VARIABLE_BUCKET})
    check = bf("check", ".", cwd=tmp_path)
    assert [line.split(" ")[1] for line in check.stdout.splitlines()[:3]] == [
        "BF006",
        "BF008",
        "BF002",
    ]
    written = bf("fix", ".", "--write", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert "Left alone" not in written.stderr
    assert bf("check", ".", cwd=tmp_path).returncode == 0


def test_left_alone_shows_where_a_finding_is_after_the_write(bf: Run, tmp_path: Path) -> None:
    """The fix adds lines above the finding it leaves: the listing points at its new line."""
    text = UNENCRYPTED.replace(b"    use_lockfile = true\n", b"    use_lockfile = false\n")
    write_tree(tmp_path, {"main.tf": text})
    dry = bf("fix", ".", cwd=tmp_path)
    assert "  main.tf:8:5: BF006: needs --unsafe" in dry.stderr.splitlines()
    written = bf("fix", ".", "--write", cwd=tmp_path)
    assert written.returncode == 1
    line = next(
        n
        for n, s in enumerate((tmp_path / "main.tf").read_text().splitlines(), 1)
        if "use_lockfile" in s
    )
    assert f"  main.tf:{line}:5: BF006: needs --unsafe" in written.stderr.splitlines()


def test_the_text_summary_counts_what_the_json_report_counts(bf: Run, tmp_path: Path) -> None:
    """The text format plans fixes on what the check read (it only counts them); JSON
    plans them on the whole module (it shows their edits). The counts must agree."""
    samples = shutil.copytree(Path(__file__).resolve().parents[2] / "samples", tmp_path / "s")
    summary = json.loads(bf("check", ".", "-f", "json", cwd=samples).stdout)["summary"]
    last = bf("check", ".", cwd=samples).stdout.splitlines()[-1]
    fixable = re.search(r"(\d+) fixable with backend-fixer fix(;|$)", last)
    unsafe = re.search(r"(\d+) more with backend-fixer fix --unsafe", last)
    assert fixable and unsafe, last
    assert (int(fixable[1]), int(unsafe[1])) == (summary["fixable"], summary["unsafe_fixable"])
    assert summary["fixable"] > 50 and summary["unsafe_fixable"] > 5
