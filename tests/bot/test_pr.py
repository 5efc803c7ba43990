"""``run_pr`` against real git repositories and the fake GitHub API.

Each test runs the bot in the user's clone of a bare remote, then looks at
what really happened: the remote's refs and commits, the fake API's pull
requests and comments, the requests the bot sent (each checked against
GitHub's OpenAPI description by the fixture), and the user's checkout, which
must end exactly as it started.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from bot_fake_github import TOKEN, FakeGitHub
from bot_repos import DEV_MAIN_TF, Repos, comment_out_backends, git

from fixer.bot import (
    ApiError,
    ConfigError,
    FixFailedError,
    FixOutcome,
    GitError,
    PrOptions,
    PrStatus,
    run_pr,
)
from fixer.bot.body import parse_marker

BRANCH = "backend-fixer/comment"


def options(repos: Repos, github: FakeGitHub | None = None, **overrides: Any) -> PrOptions:
    environ = dict(os.environ)
    environ["GITHUB_TOKEN"] = TOKEN
    environ["GITHUB_REPOSITORY"] = "acme/infra"
    if github is not None:
        environ["GITHUB_API_URL"] = github.url
    overrides.setdefault("path", repos.work)
    return PrOptions(environ=environ, **overrides)


def assert_untouched(repos: Repos, before: tuple[str, str, str]) -> None:
    assert repos.work_state() == before
    assert repos.leftovers() == ("", "")
    config = (repos.work / ".git" / "config").read_text(encoding="utf-8")
    assert TOKEN not in config


# -- the happy path -----------------------------------------------------------------


def test_first_run_opens_one_pull_request(repos: Repos, github: FakeGitHub) -> None:
    before = repos.work_state()

    result = run_pr(options(repos, github), comment_out_backends)

    assert result.status is PrStatus.OPENED
    assert result.pushed and result.pr_number == 1
    assert len(github.pulls) == 1
    pull = github.pulls[0]
    assert (pull["head"], pull["base"], pull["state"]) == (BRANCH, "main", "open")
    assert pull["title"] == result.title
    marker = parse_marker(pull["body"])
    assert marker is not None and marker.change == result.change_hash and marker.mode == "comment"
    # The branch holds one bot commit on top of main, with the fix and the trailers.
    tip = repos.remote_sha(BRANCH)
    assert tip == result.commit
    assert git(repos.bare, "rev-parse", f"{tip}^") == repos.remote_sha("main")
    header = repos.remote_show(tip)
    assert header.startswith("backend-fixer <backend-fixer@users.noreply.github.com>")
    assert f"Backend-Fixer-Change: {result.change_hash}" in header
    assert '# backend "s3" {}' in repos.remote_file(tip, "envs/prod/main.tf")
    # The user's clone: same branch, same commit, same (clean) files, no leftovers.
    assert_untouched(repos, before)
    assert "# backend" not in (repos.work / "envs/prod/main.tf").read_text()


def test_second_run_with_the_same_change_changes_nothing(repos: Repos, github: FakeGitHub) -> None:
    first = run_pr(options(repos, github), comment_out_backends)
    tip = repos.remote_sha(BRANCH)
    sent = len(github.requests)

    second = run_pr(options(repos, github), comment_out_backends)

    assert second.status is PrStatus.UP_TO_DATE
    assert not second.pushed
    assert second.pr_number == first.pr_number
    assert repos.remote_sha(BRANCH) == tip
    assert len(github.pulls) == 1
    assert [r.method for r in github.requests[sent:]] == ["GET", "GET"]  # repo, pulls


def test_changed_input_updates_the_branch_and_the_pull_request(
    repos: Repos, github: FakeGitHub
) -> None:
    first = run_pr(options(repos, github), comment_out_backends)
    new_main = repos.push_to_base({"envs/dev/main.tf": DEV_MAIN_TF}, "Add dev environment")

    second = run_pr(options(repos, github), comment_out_backends)

    assert second.status is PrStatus.UPDATED
    assert second.pushed and second.change_hash != first.change_hash
    assert len(github.pulls) == 1
    tip = repos.remote_sha(BRANCH)
    assert tip == second.commit != first.commit
    assert git(repos.bare, "rev-parse", f"{tip}^") == new_main  # rebuilt on the new base
    assert "envs/dev/main.tf" in github.pulls[0]["body"]
    assert parse_marker(github.pulls[0]["body"]).change == second.change_hash
    assert any(r.method == "PATCH" for r in github.requests)


def test_pull_request_is_opened_again_after_a_failed_create(
    repos: Repos, github: FakeGitHub
) -> None:
    github.fail("POST", r"/pulls$", 500, "upstream hiccup", times=1)
    with pytest.raises(ApiError):
        run_pr(options(repos, github), comment_out_backends)
    pushed = repos.remote_sha(BRANCH)
    assert pushed is not None and github.pulls == []

    result = run_pr(options(repos, github), comment_out_backends)

    assert result.status is PrStatus.OPENED and not result.pushed
    assert repos.remote_sha(BRANCH) == pushed


# -- backing off -------------------------------------------------------------------------


def test_human_commit_stops_force_pushes_and_the_bot_comments(
    repos: Repos, github: FakeGitHub
) -> None:
    run_pr(options(repos, github), comment_out_backends)
    human = repos.human_commit_on(BRANCH, {"NOTES.md": "reviewed\n"}, "Add review notes")
    repos.push_to_base({"envs/dev/main.tf": DEV_MAIN_TF}, "Add dev environment")

    result = run_pr(options(repos, github), comment_out_backends)

    assert result.status is PrStatus.TAKEN_OVER
    assert result.commented and not result.pushed
    assert repos.remote_sha(BRANCH) == human
    comments = github.comments[1]
    assert len(comments) == 1
    assert human[:7] in comments[0]["body"] and "Test Person" in comments[0]["body"]
    assert "envs/dev/main.tf" in comments[0]["body"]  # the fix it would make now
    assert not any(r.method == "PATCH" for r in github.requests)

    again = run_pr(options(repos, github), comment_out_backends)

    assert again.status is PrStatus.TAKEN_OVER and not again.commented
    assert len(github.comments[1]) == 1  # said once per change, not on every run
    assert repos.remote_sha(BRANCH) == human


def test_human_commit_without_an_open_pull_request_is_left_alone(
    repos: Repos, github: FakeGitHub
) -> None:
    # A person created the bot's branch themselves, before any bot run.
    git(repos.upstream, "checkout", "--quiet", "-b", BRANCH)
    (repos.upstream / "x.txt").write_text("mine\n")
    git(repos.upstream, "add", "x.txt")
    git(repos.upstream, "commit", "--quiet", "-m", "My own work")
    git(repos.upstream, "push", "--quiet", "origin", f"HEAD:refs/heads/{BRANCH}")
    human = repos.remote_sha(BRANCH)

    result = run_pr(options(repos, github), comment_out_backends)

    assert result.status is PrStatus.TAKEN_OVER and not result.commented
    assert repos.remote_sha(BRANCH) == human
    assert github.pulls == [] and github.mutating_requests() == []


def test_closed_pull_request_is_not_reopened_until_the_change_differs(
    repos: Repos, github: FakeGitHub
) -> None:
    run_pr(options(repos, github), comment_out_backends)
    github.close_pull(1)
    tip = repos.remote_sha(BRANCH)

    declined = run_pr(options(repos, github), comment_out_backends)

    assert declined.status is PrStatus.CLOSED_UNMERGED
    assert declined.pr_number == 1 and not declined.pushed
    assert len(github.pulls) == 1 and github.pulls[0]["state"] == "closed"
    assert repos.remote_sha(BRANCH) == tip

    # Deleting the branch (GitHub's button after closing) does not bring it back either.
    git(repos.bare, "update-ref", "-d", f"refs/heads/{BRANCH}")
    assert run_pr(options(repos, github), comment_out_backends).status is PrStatus.CLOSED_UNMERGED
    assert repos.remote_sha(BRANCH) is None

    repos.push_to_base({"envs/dev/main.tf": DEV_MAIN_TF}, "Add dev environment")
    changed = run_pr(options(repos, github), comment_out_backends)

    assert changed.status is PrStatus.OPENED and changed.pr_number == 2
    assert [p["state"] for p in github.pulls] == ["closed", "open"]


def test_declined_pull_request_is_found_across_pages(repos: Repos, github: FakeGitHub) -> None:
    run_pr(options(repos, github), comment_out_backends)
    github.close_pull(1)
    # Later, unrelated closed pull requests from the same branch push #1 to the last page.
    for n in range(2, 5):
        github.pulls.append({**github.pulls[0], "number": n, "id": 2000 + n, "body": "other"})
    github.page_cap = 1

    result = run_pr(options(repos, github), comment_out_backends)

    assert result.status is PrStatus.CLOSED_UNMERGED and result.pr_number == 1
    pages = [r.query.get("page") for r in github.requests if r.path.endswith("/pulls")]
    assert pages[-3:] == [["2"], ["3"], ["4"]]


def test_merged_pull_request_does_not_block_a_new_one(repos: Repos, github: FakeGitHub) -> None:
    run_pr(options(repos, github), comment_out_backends)
    github.close_pull(1, merged=True)  # merged elsewhere, but main does not have it (a revert)

    result = run_pr(options(repos, github), comment_out_backends)

    assert result.status is PrStatus.OPENED and result.pr_number == 2


def test_lease_refuses_to_overwrite_a_commit_pushed_meanwhile(
    repos: Repos, github: FakeGitHub
) -> None:
    run_pr(options(repos, github), comment_out_backends)
    repos.push_to_base({"envs/dev/main.tf": DEV_MAIN_TF}, "Add dev environment")
    pushed_meanwhile: list[str] = []

    def racing_fix(target: Path) -> FixOutcome:
        # A person pushes to the bot's branch after the bot looked at it, before it pushes.
        pushed_meanwhile.append(repos.human_commit_on(BRANCH, {"late.txt": "x\n"}, "Late"))
        return comment_out_backends(target)

    before = repos.work_state()
    with pytest.raises(GitError, match=r"stale info|rejected"):
        run_pr(options(repos, github), racing_fix)

    assert repos.remote_sha(BRANCH) == pushed_meanwhile[0]
    assert_untouched(repos, before)


# -- failures ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status", "payload", "expected"),
    [
        (
            "GET",
            r"/repos/acme/infra$",
            401,
            {"message": f"Bad credentials for {TOKEN}", "documentation_url": "https://x"},
            "GET /repos/acme/infra failed with 401 Unauthorized: Bad credentials for ***"
            " - the token was rejected",
        ),
        (
            "POST",
            r"/pulls$",
            422,
            {
                "message": "Validation Failed",
                "errors": [
                    {
                        "resource": "PullRequest",
                        "code": "custom",
                        "message": f"No commits between main and {TOKEN}",
                    }
                ],
            },
            "POST /repos/acme/infra/pulls failed with 422 Unprocessable Entity: "
            "Validation Failed (No commits between main and ***)",
        ),
        (
            "GET",
            r"/pulls$",
            500,
            f"<html>Internal error; Authorization: Bearer {TOKEN}</html>",
            "GET /repos/acme/infra/pulls failed with 500 Internal Server Error: "
            "<html>Internal error; Authorization: Bearer ***</html>",
        ),
    ],
    ids=["401", "422", "500"],
)
def test_api_errors_are_clear_scrubbed_and_leave_the_checkout_clean(
    repos: Repos,
    github: FakeGitHub,
    method: str,
    path: str,
    status: int,
    payload: Any,
    expected: str,
) -> None:
    git(repos.work, "checkout", "--quiet", "-b", "feature")
    (repos.work / "scratch.txt").write_text("uncommitted\n")
    before = repos.work_state()
    github.fail(method, path, status, payload)

    with pytest.raises(ApiError) as caught:
        run_pr(options(repos, github), comment_out_backends)

    message = str(caught.value)
    assert expected in message
    assert TOKEN not in message and "\n" not in message
    assert caught.value.status == status
    assert caught.value.exit_code == 2
    assert_untouched(repos, before)
    assert (repos.work / "scratch.txt").read_text() == "uncommitted\n"


def test_unreachable_api_gives_a_clear_message(repos: Repos) -> None:
    before = repos.work_state()
    opts = options(repos, api_url="http://127.0.0.1:9/api/v3")  # port 9: discard, nothing listens

    with pytest.raises(ApiError, match=r"could not reach http://127\.0\.0\.1:9/api/v3") as caught:
        run_pr(opts, comment_out_backends)

    assert caught.value.status is None
    assert_untouched(repos, before)


def test_a_failing_fix_commits_and_pushes_nothing(repos: Repos, github: FakeGitHub) -> None:
    def broken(target: Path) -> FixOutcome:
        (target / "envs/prod/main.tf").write_text("half-written")
        raise RuntimeError(f"parser exploded near {TOKEN}")

    before = repos.work_state()
    with pytest.raises(FixFailedError, match=r"RuntimeError: parser exploded near \*\*\*"):
        run_pr(options(repos, github), broken)

    assert repos.remote_sha(BRANCH) is None
    assert github.mutating_requests() == []
    assert_untouched(repos, before)


@pytest.mark.parametrize(
    ("overrides", "environ_drop", "message"),
    [
        ({}, "GITHUB_TOKEN", "no token: set GITHUB_TOKEN"),
        ({"token_env": "BOT_TOKEN"}, "", "no token: set BOT_TOKEN"),
        ({}, "GITHUB_REPOSITORY", "no repository: pass --repo"),
        ({"repo": "not a repo"}, "", "--repo must look like owner/name"),
        ({"mode": "delete"}, "", "unknown mode 'delete'"),
        ({"author": "just a name"}, "", '--author must look like "Name <email>"'),
        ({"branch": "bad..branch"}, "", "not a valid branch name"),
        ({"path": Path("/")}, "", "not inside a git repository"),
    ],
)
def test_configuration_errors(
    repos: Repos, overrides: dict[str, Any], environ_drop: str, message: str
) -> None:
    opts = options(repos, **overrides)
    if environ_drop:
        env = dict(opts.environ or {})
        env.pop(environ_drop)
        opts = PrOptions(**{**opts.__dict__, "environ": env})

    with pytest.raises(ConfigError) as caught:
        run_pr(opts, comment_out_backends)

    assert message in str(caught.value)
    assert caught.value.exit_code == 2


# -- dry run, nothing to change, options -------------------------------------------------------


def test_dry_run_makes_no_request_and_no_push(repos: Repos, github: FakeGitHub) -> None:
    refs = repos.remote_refs()
    before = repos.work_state()
    opts = options(repos, github, dry_run=True)
    env = dict(opts.environ or {})
    del env["GITHUB_TOKEN"]  # a dry run needs no token

    result = run_pr(PrOptions(**{**opts.__dict__, "environ": env}), comment_out_backends)

    assert result.status is PrStatus.DRY_RUN
    assert (result.branch, result.base) == (BRANCH, "main")
    assert result.commit_message and "Backend-Fixer-Change: " in result.commit_message
    assert result.title and result.body and parse_marker(result.body).change == result.change_hash
    assert result.diff.startswith("--- a/envs/prod/main.tf\n+++ b/envs/prod/main.tf\n")
    assert not result.pushed and result.pr_number is None
    assert github.requests == []
    assert repos.remote_refs() == refs
    assert_untouched(repos, before)


def test_dry_run_matches_the_real_run(repos: Repos, github: FakeGitHub) -> None:
    dry = run_pr(options(repos, github, dry_run=True), comment_out_backends)
    real = run_pr(options(repos, github), comment_out_backends)

    assert (dry.change_hash, dry.title, dry.body, dry.commit_message) == (
        real.change_hash,
        real.title,
        real.body,
        real.commit_message,
    )


def test_nothing_to_change(repos: Repos, github: FakeGitHub) -> None:
    def nothing(target: Path) -> FixOutcome:
        return FixOutcome((), "", (), "comment", (), "")

    result = run_pr(options(repos, github, base="main"), nothing)

    assert result.status is PrStatus.NOTHING_TO_CHANGE
    assert "Nothing to change" in result.message
    assert repos.remote_sha(BRANCH) is None
    # --base given: the default branch was not asked; only whether a bot PR is still open.
    assert [(r.method, r.path) for r in github.requests] == [("GET", "/repos/acme/infra/pulls")]


def test_nothing_to_change_points_at_a_pull_request_still_open(
    repos: Repos, github: FakeGitHub
) -> None:
    opened = run_pr(options(repos, github), comment_out_backends)
    # Someone fixes main by hand; the bot's pull request is now redundant.
    repos.push_to_base(
        {"envs/prod/main.tf": repos.remote_file(opened.commit, "envs/prod/main.tf")}, "By hand"
    )

    result = run_pr(options(repos, github), comment_out_backends)

    assert result.status is PrStatus.NOTHING_TO_CHANGE
    assert result.pr_number == 1 and "#1" in result.message and "still open" in result.message
    assert github.pulls[0]["state"] == "open"  # closing it is left to people
    assert [r.method for r in github.mutating_requests()] == ["POST"]  # the first run's


def test_reported_files_that_did_not_change_count_as_nothing(
    repos: Repos, github: FakeGitHub
) -> None:
    def claims(target: Path) -> FixOutcome:
        return FixOutcome(("envs/prod/main.tf",), "", (), "comment", (), "")

    result = run_pr(options(repos, github), claims)

    assert result.status is PrStatus.NOTHING_TO_CHANGE


def test_fix_reporting_a_path_outside_the_repository_is_refused(
    repos: Repos, github: FakeGitHub
) -> None:
    for escaping in ("../outside.tf", str(repos.root / "outside.tf")):

        def escapes(target: Path, name: str = escaping) -> FixOutcome:
            return FixOutcome((name,), "", (), "comment", (), "")

        with pytest.raises(FixFailedError, match="outside the repository"):
            run_pr(options(repos, github), escapes)


def test_user_checkout_with_local_edits_on_another_branch_is_untouched(
    repos: Repos, github: FakeGitHub
) -> None:
    git(repos.work, "checkout", "--quiet", "-b", "wip")
    main_tf = repos.work / "envs/prod/main.tf"
    main_tf.write_text(main_tf.read_text() + "# my local edit\n")
    (repos.work / "new.tf").write_text('backend "s3" {}\n')
    before = repos.work_state()

    result = run_pr(options(repos, github), comment_out_backends)

    assert result.status is PrStatus.OPENED
    # The fix was made on main as the remote has it, not on the user's edits.
    assert "# my local edit" not in repos.remote_file(BRANCH, "envs/prod/main.tf")
    assert "new.tf" not in git(repos.bare, "ls-tree", "-r", "--name-only", BRANCH)
    assert_untouched(repos, before)
    assert main_tf.read_text().endswith("# my local edit\n")


def test_subdirectory_path_and_custom_branch_author_and_base(
    repos: Repos, github: FakeGitHub
) -> None:
    repos.push_to_base({"envs/dev/main.tf": DEV_MAIN_TF}, "dev on release", branch="release")
    seen: list[Path] = []

    def fix(target: Path) -> FixOutcome:
        seen.append(target)
        return comment_out_backends(target)

    result = run_pr(
        options(
            repos,
            github,
            path=repos.work / "envs" / "prod",
            branch="bots/terraform-backends",
            author="Infra Bot <infra-bot@example.com>",
            base="release",
        ),
        fix,
    )

    assert result.status is PrStatus.OPENED
    assert seen[0].parts[-2:] == ("envs", "prod") and repos.work not in seen[0].parents
    assert github.pulls[0]["head"] == "bots/terraform-backends"
    assert github.pulls[0]["base"] == "release"
    sha = repos.remote_sha("bots/terraform-backends")
    assert repos.remote_show(sha, "%an <%ae>|%cn <%ce>") == (
        "Infra Bot <infra-bot@example.com>|Infra Bot <infra-bot@example.com>"
    )
    # Only the given directory was fixed, on top of the release branch.
    tree = git(repos.bare, "diff", "--name-only", f"{sha}^", sha)
    assert tree == "envs/prod/main.tf"
    assert git(repos.bare, "rev-parse", f"{sha}^") == repos.remote_sha("release")


def test_default_branch_comes_from_the_api(repos: Repos, github: FakeGitHub) -> None:
    repos.push_to_base({"README.md": "# infra (release)\n"}, "release line", branch="release")
    github.default_branch = "release"

    result = run_pr(options(repos, github), comment_out_backends)

    assert result.base == "release" and github.pulls[0]["base"] == "release"


# -- what the engine hands over ---------------------------------------------------------------


def test_scratch_checkout_paths_in_the_engine_output_are_made_relative(
    repos: Repos, github: FakeGitHub
) -> None:
    def absolute(target: Path) -> FixOutcome:
        # An engine that labels its diff and hints with the paths it was given.
        result = comment_out_backends(target)
        diff = result.diff.replace("a/envs", f"{target}/envs").replace("b/envs", f"{target}/envs")
        location = replace(result.findings[0].location, path=f"{target}/envs/prod/main.tf")
        return replace(
            result,
            changed_files=tuple(str(target / name) for name in result.changed_files),
            diff=diff,
            findings=(replace(result.findings[0], location=location),),
            restore_hint=f"backend-fixer restore {target}/envs/prod/",
            init_commands=(f"terraform -chdir={target}/envs/prod init -input=false",),
        )

    first = run_pr(options(repos, github), absolute)
    second = run_pr(options(repos, github), absolute)

    assert "backend-fixer-" not in (first.body or "") + (first.commit_message or "")
    assert "backend-fixer restore envs/prod/" in (first.body or "")
    assert "`envs/prod/main.tf` line 4" in (first.body or "")
    assert "--- envs/prod/main.tf" in first.diff
    assert second.status is PrStatus.UP_TO_DATE  # same text on every run: nothing to patch


def test_changed_files_relative_to_the_wrong_directory_are_refused(
    repos: Repos, github: FakeGitHub
) -> None:
    def target_relative(target: Path) -> FixOutcome:
        result = comment_out_backends(target)
        return replace(result, changed_files=("main.tf",))  # relative to envs/prod, not the root

    with pytest.raises(FixFailedError, match="relative to the repository root"):
        run_pr(options(repos, github, path=repos.work / "envs" / "prod"), target_relative)
    assert repos.remote_sha(BRANCH) is None


def test_override_file_is_committed_even_when_gitignored(repos: Repos, github: FakeGitHub) -> None:
    # Terraform's usual .gitignore excludes *_override.tf; the override fix writes one.
    repos.push_to_base({".gitignore": "*_override.tf\n.terraform/\n"}, "Ignore overrides")
    override = 'terraform {\n  backend "local" {}\n}\n'

    def write_override(target: Path) -> FixOutcome:
        (target / "envs/prod/backend_override.tf").write_text(override)
        (target / "envs/prod/.terraform").mkdir()
        (target / "envs/prod/.terraform/junk").write_text("not reported, not committed")
        return FixOutcome(
            changed_files=("envs/prod/backend_override.tf",),
            diff="",
            findings=(),
            mode="override",
            init_commands=("terraform -chdir=envs/prod init -input=false -reconfigure",),
            restore_hint="rm envs/prod/backend_override.tf",
        )

    result = run_pr(options(repos, github, mode="override"), write_override)

    assert result.status is PrStatus.OPENED and result.branch == "backend-fixer/override"
    sha = repos.remote_sha("backend-fixer/override")
    assert repos.remote_file(sha, "envs/prod/backend_override.tf") + "\n" == override
    files = git(repos.bare, "diff", "--name-only", f"{sha}^", sha)
    assert files == "envs/prod/backend_override.tf"
    assert "+++ b/envs/prod/backend_override.tf" in result.diff  # git's diff when none given
