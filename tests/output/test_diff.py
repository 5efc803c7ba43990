"""Unit tests of the diff printer's edges, the colour choice, paths and the fix summary."""

from __future__ import annotations

import pytest

from fixer.output.common import SkippedFile
from fixer.output.diff import display_path, fix_summary, should_use_color, unified_diff
from fixer.rules.base import Finding, Location, Severity

# --- unified_diff edges ------------------------------------------------------


def test_equal_texts_give_no_diff() -> None:
    assert unified_diff("a\n", "a\n", "x.tf", color=True) == ""
    assert unified_diff("", "", "x.tf", color=False) == ""


def test_created_empty_file_has_headers_only() -> None:
    assert unified_diff("", "", "x.tf", color=False, created=True) == "--- /dev/null\n+++ b/x.tf\n"


def test_deleted_file() -> None:
    assert unified_diff("a\nb", "", "x.tf", color=False, deleted=True) == (
        "--- a/x.tf\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n\\ No newline at end of file\n"
    )


def test_created_requires_empty_old_and_deleted_empty_new() -> None:
    with pytest.raises(ValueError, match="created"):
        unified_diff("a\n", "b\n", "x.tf", color=False, created=True)
    with pytest.raises(ValueError, match="deleted"):
        unified_diff("a\n", "b\n", "x.tf", color=False, deleted=True)


def test_negative_context_is_rejected() -> None:
    with pytest.raises(ValueError, match="context"):
        unified_diff("a\n", "b\n", "x.tf", color=False, context=-1)


def test_single_line_ranges_omit_the_count() -> None:
    assert unified_diff("a\n", "b\n", "x.tf", color=False) == (
        "--- a/x.tf\n+++ b/x.tf\n@@ -1 +1 @@\n-a\n+b\n"
    )


def test_zero_context_and_pure_insertion_name_the_line_before() -> None:
    old = "a\nb\nc\n"
    new = "a\nb\nX\nc\n"
    assert unified_diff(old, new, "x.tf", color=False, context=0) == (
        "--- a/x.tf\n+++ b/x.tf\n@@ -2,0 +3 @@\n+X\n"
    )


def test_changes_close_together_share_a_hunk_and_far_apart_split() -> None:
    old = "".join(f"{i}\n" for i in range(20))
    near = old.replace("3\n", "three\n").replace("9\n", "nine\n")  # 5 lines apart: one hunk
    far = old.replace("3\n", "three\n").replace("11\n", "eleven\n")  # 7 lines apart: two
    assert unified_diff(old, near, "x", color=False).count("@@ -") == 1
    assert unified_diff(old, far, "x", color=False).count("@@ -") == 2


def test_a_lone_cr_is_content_not_a_line_break() -> None:
    diff = unified_diff("a\rb\n", "a\rc\n", "x.tf", color=False)
    assert diff.endswith("@@ -1 +1 @@\n-a\rb\n+a\rc\n")


def test_line_ending_change_shows_as_removed_and_added() -> None:
    diff = unified_diff("a\r\nb\r\n", "a\r\nb\n", "x.tf", color=False)
    assert diff.endswith(" a\r\n-b\r\n+b\n")


def test_a_change_among_equal_lines_is_shown_where_it_happened() -> None:
    # Common head and tail are matched first, as git does, so the edit to the
    # first of two "}" lines is not reported as an edit to the second.
    old = "a {\n}\n}\n"
    new = "a {\n} # x\n}\n"
    assert unified_diff(old, new, "x", color=False).endswith(" a {\n-}\n+} # x\n }\n")


def test_paths_with_a_space_end_with_a_tab_as_git_writes_them() -> None:
    diff = unified_diff("a\n", "b\n", "my envs/x.tf", color=False)
    assert diff.startswith("--- a/my envs/x.tf\t\n+++ b/my envs/x.tf\t\n")
    colored = unified_diff("a\n", "b\n", "my envs/x.tf", color=True)
    assert colored.startswith("\x1b[1m--- a/my envs/x.tf\x1b[m\t\n")


def test_paths_with_quotes_or_control_characters_are_c_quoted() -> None:
    diff = unified_diff("a\n", "b\n", 'q"x\t.tf', color=False)
    assert diff.startswith('--- "a/q\\"x\\t.tf"\n+++ "b/q\\"x\\t.tf"\n')
    # Non-ASCII names stay readable (git with core.quotePath=false).
    assert unified_diff("a\n", "b\n", "été.tf", color=False).startswith("--- a/été.tf\n")


def test_absolute_paths_lose_one_slash_as_in_git() -> None:
    assert unified_diff("a\n", "b\n", "/tmp/x.tf", color=False).startswith("--- a/tmp/x.tf\n")


def test_colour_codes_follow_git() -> None:
    diff = unified_diff("a\nb\n", "a\nc\n", "x.tf", color=True)
    assert diff == (
        "\x1b[1m--- a/x.tf\x1b[m\n"
        "\x1b[1m+++ b/x.tf\x1b[m\n"
        "\x1b[36m@@ -1,2 +1,2 @@\x1b[m\n"
        " a\n"
        "\x1b[31m-b\x1b[m\n"
        "\x1b[32m+c\x1b[m\n"
    )


# --- display_path --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "cwd", "expected"),
    [
        ("/repo/envs/dev/provider.tf", "/repo", "envs/dev/provider.tf"),
        ("/repo/envs/dev/provider.tf", "/repo/", "envs/dev/provider.tf"),
        ("/repo/provider.tf", "/repo", "provider.tf"),
        ("/other/provider.tf", "/repo", "/other/provider.tf"),
        ("/repository/provider.tf", "/repo", "/repository/provider.tf"),  # prefix is not a parent
        ("/repo/../other/x.tf", "/repo", "/repo/../other/x.tf"),  # '..' leaves the tree
        ("envs/dev/provider.tf", "/repo", "envs/dev/provider.tf"),  # relative: as given
        ("./x.tf", "/repo", "./x.tf"),
        ("/repo/x.tf", "relative/cwd", "/repo/x.tf"),
    ],
)
def test_display_path(path: str, cwd: str, expected: str) -> None:
    assert display_path(path, cwd) == expected


# --- should_use_color ----------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "is_tty", "env", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": "0"}, False),  # any non-empty value
        ("auto", True, {"NO_COLOR": ""}, True),  # empty means unset
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", False, {"FORCE_COLOR": ""}, False),
        ("auto", False, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ("auto", True, {"TERM": "dumb"}, False),
        ("always", False, {"NO_COLOR": "1"}, True),  # the flag beats the environment
        ("never", True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_should_use_color(option: str, is_tty: bool, env: dict[str, str], expected: bool) -> None:
    assert should_use_color(option, is_tty=is_tty, env=env) is expected


def test_unknown_color_option_is_rejected() -> None:
    with pytest.raises(ValueError, match="--color"):
        should_use_color("sometimes", is_tty=True, env={})


# --- fix_summary ---------------------------------------------------------------


def _finding(code: str, name: str, path: str) -> Finding:
    return Finding(code, name, Severity.ERROR, "m", Location(path, 1, 1, 1, 2, 0, 1))


def test_fix_summary_counts_fixes_per_rule_and_lists_files() -> None:
    applied = [
        _finding("BF001", "partial-backend", "a.tf"),
        _finding("BF010", "assume-role-block", "b.tf"),
        _finding("BF001", "partial-backend", "b.tf"),
    ]
    text = fix_summary(
        ["a.tf", "b.tf", "a.tf"],
        applied,
        [SkippedFile("c.tf", "does not parse: line 3, column 5"), ("d.tf", "needs --unsafe")],
        written=True,
    )
    assert text == (
        "Changed 2 files:\n"
        "  a.tf\n"
        "  b.tf\n"
        "Fixes applied (3):\n"
        "  BF001  partial-backend    2\n"
        "  BF010  assume-role-block  1\n"
        "Left alone (2 findings in 2 files):\n"
        "  c.tf: does not parse: line 3, column 5\n"
        "  d.tf: needs --unsafe\n"
    )


def test_fix_summary_dry_run_wording() -> None:
    text = fix_summary(["a.tf"], [_finding("BF001", "partial-backend", "a.tf")], written=False)
    assert text == (
        "Would change 1 file:\n  a.tf\nFixes to apply (1):\n  BF001  partial-backend  1\n"
    )


def test_fix_summary_nothing_to_do() -> None:
    assert fix_summary([], [], [], written=False) == "Nothing to change.\n"


def test_fix_summary_only_left_alone() -> None:
    assert fix_summary([], [], [("x.tf", "safety net: output does not parse")], written=True) == (
        "Changed no files.\nLeft alone (1 finding in 1 file):\n"
        "  x.tf: safety net: output does not parse\n"
    )


def test_fix_summary_counts_findings_left_alone_and_their_files_apart() -> None:
    left = [
        SkippedFile("a.tf", "BF003: needs --unsafe", 4, 5),
        SkippedFile("a.tf", "BF003: needs --unsafe", 5, 5),
        SkippedFile("b.tf", "BF011: no automatic fix", 2, 3),
    ]
    assert fix_summary([], [], left, written=False) == (
        "Would change no files.\n"
        "Left alone (3 findings in 2 files):\n"
        "  a.tf:4:5: BF003: needs --unsafe\n"
        "  a.tf:5:5: BF003: needs --unsafe\n"
        "  b.tf:2:3: BF011: no automatic fix\n"
    )


def test_fix_summary_colour() -> None:
    plain = fix_summary(["a.tf"], [], written=True)
    colored = fix_summary(["a.tf"], [], written=True, color=True)
    assert "\x1b" not in plain
    assert colored == "\x1b[1mChanged 1 file:\x1b[m\n  a.tf\n"
