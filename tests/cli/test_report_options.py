"""--statistics, --quiet and --show-fixes, with the meanings ruff gives them.

``--statistics`` prints the number of findings per rule instead of each one
(text or JSON); ``--quiet`` prints only findings (check) or diffs (fix) and
errors, never a summary or a warning; ``--show-fixes`` lists the fix each
finding would get (check) or each fix made (fix). None of them changes the exit
code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_samples import CREDENTIALS, PARTIAL, TWO_BACKENDS, UNENCRYPTED, Run, write_tree

BROKEN = b'terraform {\n  backend "s3" {\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write_tree(
        tmp_path,
        {
            "a/main.tf": PARTIAL,
            "b/main.tf": PARTIAL,
            "c/main.tf": CREDENTIALS,
            "d/main.tf": UNENCRYPTED,
        },
    )
    return write_tree(tmp_path / "e", TWO_BACKENDS).parent


def test_statistics_counts_findings_per_rule(bf: Run, tree: Path) -> None:
    result = bf("check", ".", "--statistics", cwd=tree)
    assert result.returncode == 1
    assert result.stdout == (
        "2  BF001  partial-backend        2 fixable\n"
        "1  BF003  hardcoded-credentials  1 with --unsafe\n"
        "1  BF008  unencrypted-state      1 fixable\n"
        "1  BF011  multiple-backends\n"
        "\n"
        "Found 5 problems (4 errors, 1 warning) in 5 files; 3 fixable with backend-fixer fix; "
        "1 more with backend-fixer fix --unsafe\n"
    )


def test_statistics_as_json(bf: Run, tree: Path) -> None:
    result = bf("check", ".", "--statistics", "--format", "json", cwd=tree)
    assert result.returncode == 1
    rows = json.loads(result.stdout)
    assert rows[0] == {
        "code": "BF001",
        "name": "partial-backend",
        "severity": "error",
        "count": 2,
        "fixable": 2,
        "unsafe_fixable": 0,
    }
    assert [row["code"] for row in rows] == ["BF001", "BF003", "BF008", "BF011"]
    sarif = bf("check", ".", "--statistics", "--format", "sarif", cwd=tree)
    assert sarif.returncode == 2
    assert sarif.stderr == "backend-fixer: error: --statistics prints text or json, not sarif\n"


def test_quiet_check_prints_findings_only(bf: Run, tree: Path) -> None:
    (tree / "x" / "main.tf").parent.mkdir()
    (tree / "x" / "main.tf").write_bytes(BROKEN)
    result = bf("check", ".", "--quiet", "--no-notes", cwd=tree)
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and all(": BF0" in line for line in lines)
    assert "Found" not in result.stdout
    # Errors are never silenced.
    assert result.stderr.startswith("backend-fixer: error: x/main.tf:3:1: ")


def test_quiet_fix_prints_diffs_only(bf: Run, tmp_path: Path) -> None:
    write_tree(tmp_path, {"main.tf": PARTIAL})
    result = bf("fix", ".", "-q", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("--- a/main.tf\n+++ b/main.tf\n")
    assert result.stderr == ""
    written = bf("fix", ".", "-q", "--write", cwd=tmp_path)
    assert (written.returncode, written.stdout, written.stderr) == (0, "", "")


def test_quiet_hides_warnings(bf: Run, tmp_path: Path) -> None:
    # Before 1.10 locking needs a lock table nobody named: complete mode warns.
    write_tree(tmp_path, {"main.tf": PARTIAL.replace(b">= 1.11", b"~> 1.9.0")})
    args = ("fix", ".", "--mode", "complete", "--set", "bucket=b", "--set", "key=k")
    args += ("--set", "region=eu-west-1")
    loud = bf(*args, cwd=tmp_path)
    assert (
        "backend-fixer: warning: the s3 backend was completed without state locking" in loud.stderr
    )
    assert bf(*args, "--quiet", cwd=tmp_path).stderr == ""


def test_show_fixes_in_check_lists_each_findings_fix(bf: Run, tree: Path) -> None:
    result = bf("check", ".", "--show-fixes", "--no-notes", cwd=tree)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    after = {lines[i].split(" ")[1]: lines[i + 1] for i in range(0, 10, 2)}
    assert after["BF001"] == (
        "    fix (comment mode): comment out the backend: local state, "
        "with a header on how to enable it again"
    )
    assert after["BF003"].startswith("    fix (unsafe, needs --unsafe): ")
    assert after["BF008"] == "    fix: add encrypt = true"
    assert after["BF011"] == "    fix: none; `backend-fixer rules BF011` says what to do"


def test_show_fixes_in_fix_lists_each_fix_with_its_place(bf: Run, tree: Path) -> None:
    result = bf("fix", ".", "--show-fixes", cwd=tree)
    assert result.returncode == 1
    section = result.stderr.split("Would fix:\n", 1)[1].split("Left alone")[0]
    assert section.splitlines() == [
        "  a/main.tf:4:3: BF001 comment out the backend: local state, "
        "with a header on how to enable it again",
        "  b/main.tf:4:3: BF001 comment out the backend: local state, "
        "with a header on how to enable it again",
        "  d/main.tf:4:3: BF008 add encrypt = true",
    ]


def test_fix_format_json_lists_the_planned_changes(bf: Run, tree: Path) -> None:
    result = bf("fix", ".", "--format", "json", cwd=tree)
    assert result.returncode == 1
    assert result.stderr == "", "the document says it all"
    document = json.loads(result.stdout)
    assert (document["version"], document["mode"], document["written"]) == (1, "comment", False)
    assert document["summary"] == {"files": 3, "fixes": 3, "left_alone": 2, "errors": 0}
    by_path = {f["path"]: f for f in document["files"]}
    assert sorted(by_path) == ["a/main.tf", "b/main.tf", "d/main.tf"]
    encrypted = by_path["d/main.tf"]
    assert encrypted["change"] == "modify" and encrypted["old_text"] == UNENCRYPTED.decode()
    assert encrypted["new_text"].endswith("    encrypt = true\n  }\n}\n")
    assert encrypted["diff"].startswith("--- a/d/main.tf\n+++ b/d/main.tf\n@@ ")
    (fixed,) = encrypted["fixes"]
    assert fixed["code"] == "BF008" and fixed["location"]["line"] == 4
    assert fixed["fix"] == {
        "description": "add encrypt = true",
        "applicability": "safe",
        "mode": None,
    }
    assert {(e["path"], e["code"]) for e in document["left_alone"]} == {
        ("c/main.tf", "BF003"),
        ("e/b.tf", "BF011"),
    }
    # Nothing was written, and the texts apply: new_text is what --write writes.
    assert (tree / "d" / "main.tf").read_bytes() == UNENCRYPTED
    assert bf("fix", ".", "--write", cwd=tree).returncode == 1
    assert (tree / "d" / "main.tf").read_text() == encrypted["new_text"]
    again = json.loads(bf("fix", ".", "-f", "json", cwd=tree).stdout)
    assert again["files"] == []


def test_rules_format_json_is_the_catalog(bf: Run, tmp_path: Path) -> None:
    result = bf("rules", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0
    catalog = json.loads(result.stdout)
    codes = [rule["code"] for rule in catalog["rules"]]
    assert codes == sorted(codes) and len(codes) >= 14
    locking = next(rule for rule in catalog["rules"] if rule["code"] == "BF006")
    assert locking["category"] == "security" and locking["severity"] == "warning"
    assert locking["fix"]["kind"] == "targeted"
    assert locking["fix"]["applicabilities"] == ["safe", "unsafe"]
    assert locking["fix"]["column"] == "safe/unsafe" and locking["fix"]["unsafe_when"]
    assert set(locking["doc"]) == {"what", "why", "example", "fix", "versions", "sources"}
    one = json.loads(bf("rules", "partial-backend", "-f", "json", cwd=tmp_path).stdout)
    assert one["code"] == "BF001" and one["fix"]["kind"] == "mode"
    assert one == next(rule for rule in catalog["rules"] if rule["code"] == "BF001")
