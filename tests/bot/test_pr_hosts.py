"""The bot's behaviour, once per host: GitHub's stand-in and GitLab's (through python-gitlab).

Each test runs ``run_pr`` (or the real ``backend-fixer pr``) in the user's clone
of a bare remote with the variables the host's CI would set, then looks at what
really happened: the remote's refs and commits, the stand-in's requests and
comments, the calls the bot made (each checked against the host's API
description by the fixture), and the user's checkout, which must end exactly as
it started with no trace of the token.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bot_hosts import Host
from bot_repos import DEV_MAIN_TF, Repos, comment_out_backends, git

from fixer.bot import (
    ApiError,
    FixFailedError,
    FixOutcome,
    PrOptions,
    PrStatus,
    render_dry_run,
    run_pr,
)
from fixer.bot.body import parse_marker
from fixer.bot.errors import secret_forms

BRANCH = "backend-fixer/comment"


def options(repos: Repos, host: Host, **overrides: object) -> PrOptions:
    overrides.setdefault("path", repos.work)
    return PrOptions(environ=host.environ(), **overrides)  # type: ignore[arg-type]


def assert_untouched(repos: Repos, before: tuple[str, str, str], host: Host) -> None:
    assert repos.work_state() == before
    assert repos.leftovers() == ("", "")
    for path in (repos.work / ".git").rglob("*"):
        if path.is_file() and path.stat().st_size < 1_000_000:
            data = path.read_bytes()
            assert all(form.encode() not in data for form in secret_forms(host.token)), path


def assert_no_token(host: Host, *texts: str | None) -> None:
    for text in texts:
        assert all(form not in (text or "") for form in secret_forms(host.token))


# -- opening, updating, leaving alone -----------------------------------------------------


def test_first_run_opens_one_request(repos: Repos, host: Host) -> None:
    before = repos.work_state()

    result = run_pr(options(repos, host), comment_out_backends)

    assert result.status is PrStatus.OPENED and result.host == host.name
    assert result.pushed and result.pr_number == 1
    [request] = host.requests()
    assert (request["head"], request["base"], request["state"]) == (BRANCH, "main", "open")
    assert request["title"] == result.title
    assert request["body"] == result.body
    marker = parse_marker(request["body"])
    assert marker is not None and marker.change == result.change_hash
    assert f"or revert this {host.request_word}." in request["body"]
    assert result.message == (
        f"Opened {host.request_word} {host.ref(1)} from {BRANCH} into main: {result.pr_url}"
    )
    tip = repos.remote_sha(BRANCH)
    assert tip == result.commit
    assert git(repos.bare, "rev-parse", f"{tip}^") == repos.remote_sha("main")
    assert f"Backend-Fixer-Change: {result.change_hash}" in repos.remote_show(tip)
    assert '# backend "s3" {}' in repos.remote_file(tip, "envs/prod/main.tf")
    assert_untouched(repos, before, host)
    assert_no_token(host, result.message, result.body, result.commit_message)


def test_merge_request_has_labels_and_removes_its_branch(repos: Repos, host: Host) -> None:
    result = run_pr(options(repos, host), comment_out_backends)

    if host.name == "gitlab":
        [mr] = host.fake.merge_requests
        assert mr["labels"] == ["backend-fixer"]
        assert mr["force_remove_source_branch"] is True
        assert result.pr_url == "https://gitlab.example/acme/infra/-/merge_requests/1"
        create = next(r for r in host.fake.requests if r.method == "POST")
        assert create.headers["private-token"] == host.token
        assert "authorization" not in create.headers
    else:
        assert host.requests()[0]["labels"] == []  # GitHub's create call takes none
        assert result.pr_url == "https://github.example/acme/infra/pull/1"


def test_second_run_sends_nothing_and_a_changed_fix_updates(repos: Repos, host: Host) -> None:
    first = run_pr(options(repos, host), comment_out_backends)
    tip = repos.remote_sha(BRANCH)
    sent = len(host.calls())

    second = run_pr(options(repos, host), comment_out_backends)

    assert second.status is PrStatus.UP_TO_DATE and not second.pushed
    assert second.pr_number == first.pr_number and repos.remote_sha(BRANCH) == tip
    assert "list" in host.calls()[sent:] and host.mutating() == ["create"]

    new_main = repos.push_to_base({"envs/dev/main.tf": DEV_MAIN_TF}, "Add dev environment")
    third = run_pr(options(repos, host), comment_out_backends)

    assert third.status is PrStatus.UPDATED and third.pushed
    assert third.change_hash != first.change_hash
    assert third.message.startswith(f"Updated {host.request_word} {host.ref(1)}: pushed")
    [request] = host.requests()
    assert "envs/dev/main.tf" in request["body"]
    assert parse_marker(request["body"]).change == third.change_hash
    assert git(repos.bare, "rev-parse", f"{repos.remote_sha(BRANCH)}^") == new_main
    assert host.mutating() == ["create", "update"]


def test_a_persons_commit_makes_the_bot_back_off(repos: Repos, host: Host) -> None:
    run_pr(options(repos, host), comment_out_backends)
    human = repos.human_commit_on(BRANCH, {"NOTES.md": "reviewed\n"}, "Add review notes")
    repos.push_to_base({"envs/dev/main.tf": DEV_MAIN_TF}, "Add dev environment")
    if host.name == "gitlab":  # GitLab's own note on the push must not count as the bot's
        host.fake.system_note(1, "added 1 commit")

    result = run_pr(options(repos, host), comment_out_backends)

    assert result.status is PrStatus.TAKEN_OVER
    assert result.commented and not result.pushed
    assert repos.remote_sha(BRANCH) == human
    [comment] = host.comments(1)[-1:]
    assert human[:7] in comment and "Test Person" in comment and "envs/dev/main.tf" in comment
    assert f"commented on {host.ref(1)}" in result.message
    assert "update" not in host.mutating()

    again = run_pr(options(repos, host), comment_out_backends)

    assert again.status is PrStatus.TAKEN_OVER and not again.commented
    assert host.mutating() == ["create", "comment"]  # said once per change
    assert repos.remote_sha(BRANCH) == human


def test_a_closed_request_is_not_reopened_until_the_change_differs(
    repos: Repos, host: Host
) -> None:
    run_pr(options(repos, host), comment_out_backends)
    host.close(1)
    tip = repos.remote_sha(BRANCH)

    declined = run_pr(options(repos, host), comment_out_backends)

    assert declined.status is PrStatus.CLOSED_UNMERGED and not declined.pushed
    assert declined.pr_number == 1 and host.ref(1) in declined.message
    assert [r["state"] for r in host.requests()] == ["closed"]
    assert repos.remote_sha(BRANCH) == tip

    # The branch deleted after closing does not bring it back either.
    git(repos.bare, "update-ref", "-d", f"refs/heads/{BRANCH}")
    assert run_pr(options(repos, host), comment_out_backends).status is PrStatus.CLOSED_UNMERGED
    assert repos.remote_sha(BRANCH) is None

    repos.push_to_base({"envs/dev/main.tf": DEV_MAIN_TF}, "Add dev environment")
    changed = run_pr(options(repos, host), comment_out_backends)

    assert changed.status is PrStatus.OPENED and changed.pr_number == 2
    assert [r["state"] for r in host.requests()] == ["closed", "open"]


def test_a_merged_request_does_not_block_a_new_one(repos: Repos, host: Host) -> None:
    run_pr(options(repos, host), comment_out_backends)
    host.close(1, merged=True)  # merged, then reverted on main

    result = run_pr(options(repos, host), comment_out_backends)

    assert result.status is PrStatus.OPENED and result.pr_number == 2


def test_a_declined_request_is_found_across_pages(repos: Repos, host: Host) -> None:
    run_pr(options(repos, host), comment_out_backends)
    host.close(1)
    for _ in range(3):
        host.add_closed_request("other")
    host.set_page_cap(1)

    result = run_pr(options(repos, host), comment_out_backends)

    assert result.status is PrStatus.CLOSED_UNMERGED and result.pr_number == 1
    pages = [
        r.query.get("page", ["1"])[0]
        for r in host.fake.requests
        if r.method == "GET" and r.path.endswith(("/pulls", "/merge_requests"))
    ]
    assert pages[-4:] == ["1", "2", "3", "4"]


# -- dry run ------------------------------------------------------------------------------------


def test_dry_run_sends_nothing_and_needs_no_token(repos: Repos, host: Host) -> None:
    refs, before = repos.remote_refs(), repos.work_state()
    environ = host.environ()
    del environ[host.token_env]

    result = run_pr(PrOptions(path=repos.work, dry_run=True, environ=environ), comment_out_backends)

    assert result.status is PrStatus.DRY_RUN and result.host == host.name
    assert (result.branch, result.base) == (BRANCH, "main")
    assert result.body and parse_marker(result.body).change == result.change_hash
    assert f"open or update its {host.request_word}" in result.message
    assert f"\n{host.request_word} body\n" in render_dry_run(result)
    assert host.fake.requests == []
    assert repos.remote_refs() == refs
    assert_untouched(repos, before, host)


# -- failures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "status"), [("list", 401), ("create", 500), ("list", 404)])
def test_api_errors_are_one_line_scrubbed_and_leave_nothing_behind(
    repos: Repos, host: Host, kind: str, status: int
) -> None:
    git(repos.work, "checkout", "--quiet", "-b", "feature")
    (repos.work / "scratch.txt").write_text("uncommitted\n")
    before = repos.work_state()
    host.fail(kind, status, {"message": f"refused for {host.token}"}, times=1)

    with pytest.raises(ApiError) as caught:
        run_pr(options(repos, host), comment_out_backends)

    message = str(caught.value)
    assert "\n" not in message and caught.value.status == status
    assert f"failed with {status} " in message and "refused for ***" in message
    assert_no_token(host, message)
    assert_untouched(repos, before, host)
    assert (repos.work / "scratch.txt").read_text() == "uncommitted\n"
    if kind == "list":  # refused before anything was pushed
        assert repos.remote_sha(BRANCH) is None
    else:  # pushed, not opened: the next run opens it without pushing again
        pushed = repos.remote_sha(BRANCH)
        result = run_pr(options(repos, host), comment_out_backends)
        assert result.status is PrStatus.OPENED and not result.pushed
        assert repos.remote_sha(BRANCH) == pushed


def test_an_unreachable_api_is_one_clear_line(repos: Repos, host: Host) -> None:
    before = repos.work_state()
    url = "http://127.0.0.1:9/api/v3" if host.name == "github" else "http://127.0.0.1:9"
    opts = options(repos, host, api_url=url)  # port 9: discard, nothing listens

    with pytest.raises(ApiError, match=r"could not reach http://127\.0\.0\.1:9") as caught:
        run_pr(opts, comment_out_backends)

    assert caught.value.status is None and "\n" not in str(caught.value)
    assert_no_token(host, str(caught.value))
    assert_untouched(repos, before, host)


def test_a_failing_fix_sends_and_pushes_nothing(repos: Repos, host: Host) -> None:
    def broken(target: Path) -> FixOutcome:
        raise RuntimeError(f"parser exploded near {host.token}")

    before = repos.work_state()
    with pytest.raises(FixFailedError, match=r"RuntimeError: parser exploded near \*\*\*"):
        run_pr(options(repos, host), broken)

    assert repos.remote_sha(BRANCH) is None and host.mutating() == []
    assert_untouched(repos, before, host)


# -- the command line ------------------------------------------------------------------------------


def backend_fixer(*args: str, cwd: Path, environ: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fixer", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_the_command_opens_the_request_and_never_prints_the_token(repos: Repos, host: Host) -> None:
    environ = host.environ()
    environ.pop("CI", None)

    opened = backend_fixer("pr", ".", cwd=repos.work, environ=environ)

    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.startswith(f"Opened {host.request_word} {host.ref(1)} from {BRANCH}")
    [request] = host.requests()
    assert "BF001" in request["body"] and "envs/prod/main.tf" in request["body"]
    assert "```diff" in request["body"]

    host.fail("list", 401, {"message": f"401 Unauthorized {host.token}"})
    refused = backend_fixer("pr", ".", cwd=repos.work, environ=environ)

    assert refused.returncode == 2 and refused.stdout == ""
    assert len(refused.stderr.splitlines()) == 1
    assert refused.stderr.startswith("backend-fixer: error: pr: ")
    assert_no_token(host, opened.stdout, opened.stderr, refused.stdout, refused.stderr)
