"""The words the bot writes: PR body, title, commit message, marker and comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_repos import git

from fixer.bot.body import (
    COLLAPSE_LINES,
    MAX_BODY,
    Marker,
    parse_marker,
    render_body,
    render_commit_message,
    render_dry_run,
    render_marker,
    render_taken_over_comment,
    render_title,
)
from fixer.bot.types import FixOutcome, PrResult, PrStatus
from fixer.rules.base import Finding, Location, Severity

FINDING = Finding(
    code="BF001",
    name="partial-backend",
    severity=Severity.ERROR,
    message='backend "s3" has no bucket,\nkey or region',
    location=Location("envs/prod/main.tf", 4, 3, 4, 18),
    notes=("values were meant to come from -backend-config",),
)


def outcome(diff: str, mode: str = "comment", **changes: object) -> FixOutcome:
    fields = {
        "changed_files": ("envs/prod/main.tf",),
        "diff": diff,
        "findings": (FINDING,),
        "mode": mode,
        "init_commands": ("terraform -chdir=envs/prod init -input=false",),
        "restore_hint": "backend-fixer restore envs/prod/",
    }
    fields.update(changes)
    return FixOutcome(**fields)  # type: ignore[arg-type]


SHORT_DIFF = "--- a/envs/prod/main.tf\n+++ b/envs/prod/main.tf\n@@ -1 +1 @@\n-a\n+b\n"


def body_for(result: FixOutcome) -> str:
    return render_body(result, change_hash="0123abcd", version="9.9.9", branch="b", base="main")


def test_body_explains_findings_mode_commands_and_undo() -> None:
    body = body_for(outcome(SHORT_DIFF))

    assert "**BF001** `partial-backend` (error) in `envs/prod/main.tf` line 4" in body
    assert 'backend "s3" has no bucket, key or region' in body  # folded to one line
    assert "  - values were meant to come from -backend-config" in body
    assert "mode `comment`" in body and "local state" in body
    assert "```sh\nterraform -chdir=envs/prod init -input=false\n```" in body
    assert "```sh\nbackend-fixer restore envs/prod/\n```" in body
    assert "```diff\n" + SHORT_DIFF + "```" in body
    assert "<details>" not in body  # short diffs are shown open
    assert parse_marker(body) == Marker("0123abcd", "comment", "9.9.9")


@pytest.mark.parametrize("mode", ["comment", "complete", "override"])
def test_each_mode_has_its_own_title_and_explanation(mode: str) -> None:
    body = body_for(outcome(SHORT_DIFF, mode=mode))
    assert f"mode `{mode}`" in body and f"**{mode}**" in body
    assert render_title(mode) and render_title(mode) != render_title("other")
    subject = render_commit_message(outcome(SHORT_DIFF, mode=mode), "h", "1").splitlines()[0]
    assert len(subject) <= 72, subject


def test_long_diff_is_collapsed() -> None:
    lines = "".join(f"+line {n}\n" for n in range(COLLAPSE_LINES + 5))
    diff = "--- a/x.tf\n+++ b/x.tf\n@@ -0,0 +1,45 @@\n" + lines
    body = body_for(outcome(diff))
    assert "<details>\n<summary>Diff: 48 lines, 1 file</summary>\n\n```diff\n" in body
    assert "```\n\n</details>" in body


def test_fence_is_longer_than_any_backticks_in_the_diff() -> None:
    diff = "--- a/x.tf\n+++ b/x.tf\n@@ -1 +1 @@\n-# see ```this```\n+# see ````that````\n"
    body = body_for(outcome(diff))
    assert "`````diff\n" + diff + "`````" in body


def test_huge_diff_is_left_out_but_the_marker_stays() -> None:
    diff = "--- a/x.tf\n+++ b/x.tf\n" + "+x = 1\n" * 20_000
    body = body_for(outcome(diff))
    assert len(body) <= MAX_BODY < 65_536
    assert "too long to show here" in body and "+x = 1" not in body
    assert parse_marker(body) is not None


def test_without_init_commands_or_restore_hint() -> None:
    body = body_for(outcome(SHORT_DIFF, init_commands=(), restore_hint="", findings=()))
    assert "runs without extra flags" in body and "Revert this pull request." in body
    assert "reported no individual findings" in body


def test_marker_round_trip_and_edge_cases() -> None:
    marker = Marker("abc", "override", "1.0")
    text = f"quoted: {render_marker(Marker('old', 'comment', '0.1'))}\n{render_marker(marker)}"
    assert parse_marker(text) == marker  # the last marker wins
    assert parse_marker("<!-- backend-fixer {not json} -->") is None
    assert parse_marker("") is None
    comment = render_marker(Marker("abc", comment=True))
    assert parse_marker(comment) is None  # a comment marker is not a PR marker
    assert parse_marker(comment, comment=True) == Marker("abc", comment=True)
    assert "--" not in render_marker(marker)[4:-3]  # would end the HTML comment early


def test_commit_message_trailers_are_read_by_git(tmp_path: Path) -> None:
    message = render_commit_message(outcome(SHORT_DIFF), "0123abcd", "9.9.9")
    subject = message.splitlines()[0]
    assert subject.startswith("backend-fixer: comment out") and len(subject) <= 72
    assert "- BF001 partial-backend: envs/prod/main.tf:4" in message
    assert "Undo with: backend-fixer restore envs/prod/" in message
    parsed = git(tmp_path, "interpret-trailers", "--parse", input=message)
    assert parsed.splitlines() == [
        "Backend-Fixer-Change: 0123abcd",
        "Backend-Fixer-Mode: comment",
        "Backend-Fixer-Version: 9.9.9",
    ]


def test_dry_run_rendering_shows_everything_the_run_would_send() -> None:
    body = body_for(outcome(SHORT_DIFF))
    result = PrResult(
        status=PrStatus.DRY_RUN,
        message="Dry run: would commit.",
        branch="backend-fixer/comment",
        base="main",
        commit_message="subject\n\nBackend-Fixer-Change: h\n",
        title="Title",
        body=body,
        diff=SHORT_DIFF,
    )
    text = render_dry_run(result)
    assert text.startswith("branch:  backend-fixer/comment (from main)\ntitle:   Title\n")
    assert "subject\n\nBackend-Fixer-Change: h\n" in text and body in text
    assert text.endswith(SHORT_DIFF + "\nDry run: would commit.\n")
    nothing = PrResult(status=PrStatus.NOTHING_TO_CHANGE, message="Nothing to change.", branch="b")
    assert render_dry_run(nothing) == "Nothing to change.\n"


def test_taken_over_comment() -> None:
    foreign = [(f"{n:040x}", f"Person {n}") for n in range(7)]
    text = render_taken_over_comment(
        branch="backend-fixer/comment",
        base="main",
        foreign=foreign,
        diff=SHORT_DIFF,
        change_hash="feed",
    )
    assert "0000000 by Person 0" in text and "and 2 more" in text
    assert "will not force-push" in text and "delete it" in text
    assert "<details>" in text  # comments always fold the diff
    assert parse_marker(text, comment=True) == Marker("feed", comment=True)
