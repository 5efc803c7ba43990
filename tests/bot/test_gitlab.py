"""What only GitLab has: CI detection, its tokens, projects by path, self-managed URLs, labels.

The bot runs against the GitLab stand-in through python-gitlab, and against
real git (a bare remote over ``file://``, or over HTTP through ``git
http-backend`` where the credentials matter).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from bot_fake_gitlab import GITLAB_TOKEN, JOB_TOKEN, FakeGitLab, FakeGitLabServer
from bot_repos import GitHttpServer, Repos, comment_out_backends, git

from fixer.bot import ApiError, ConfigError, PrOptions, PrStatus, run_pr
from fixer.bot.errors import secret_forms
from fixer.bot.gitlab import PROVIDER, base_url
from fixer.bot.hosting import detect, provider, select

BRANCH = "backend-fixer/comment"


def ci(fake: FakeGitLab, **extra: str) -> dict[str, str]:
    """A GitLab CI job's environment with a project access token (``extra`` overrides)."""
    environ = {
        **os.environ,
        "GITLAB_CI": "true",
        "CI_SERVER_URL": fake.url,
        "CI_PROJECT_ID": str(fake.project_id),
        "CI_PROJECT_PATH": fake.path_with_namespace,
        "CI_DEFAULT_BRANCH": fake.default_branch,
        "GITLAB_TOKEN": GITLAB_TOKEN,
        **extra,
    }
    return {k: v for k, v in environ.items() if v}


def run(repos: Repos, environ: dict[str, str], **overrides: object) -> object:
    overrides.setdefault("path", repos.work)
    return run_pr(PrOptions(environ=environ, **overrides), comment_out_backends)  # type: ignore[arg-type]


# -- choosing the host and the token --------------------------------------------------------


def test_the_host_is_detected_from_the_ci_variables() -> None:
    assert detect({}) == "github"
    assert detect({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "a/b"}) == "github"
    assert detect({"GITLAB_CI": "true"}) == "gitlab"
    assert detect({"CI_SERVER_URL": "https://git.example", "CI_PROJECT_PATH": "a/b"}) == "gitlab"
    assert detect({"CI_SERVER_URL": "https://git.example"}) == "github"  # no project: not a job
    assert select("gitlab", {"GITHUB_ACTIONS": "true"}).name == "gitlab"  # --host wins
    assert select(None, {"GITLAB_CI": "true"}).terms.request == "merge request"
    with pytest.raises(ConfigError, match="unknown host 'bitbucket': use one of github, gitlab"):
        provider("bitbucket")


def test_the_token_comes_from_gitlab_token_then_the_job_token() -> None:
    both = {"GITLAB_TOKEN": "glpat-a", "CI_JOB_TOKEN": "job-b"}
    assert PROVIDER.credentials(None, both).token == "glpat-a"
    assert PROVIDER.credentials(None, both).git_user == "oauth2"
    job = PROVIDER.credentials(None, {"CI_JOB_TOKEN": "job-b", "GITLAB_TOKEN": " "})
    assert (job.token, job.git_user, job.source) == ("job-b", "gitlab-ci-token", "CI_JOB_TOKEN")
    named = PROVIDER.credentials("BOT_TOKEN", {"BOT_TOKEN": "x", "GITLAB_TOKEN": "y"})
    assert (named.token, named.git_user) == ("x", "oauth2")
    with pytest.raises(ConfigError, match=r"no token: set BOT_TOKEN$"):
        PROVIDER.credentials("BOT_TOKEN", both)
    with pytest.raises(ConfigError) as caught:
        PROVIDER.credentials(None, {})
    assert "set GITLAB_TOKEN to a project or group access token" in str(caught.value)
    assert "api and write_repository scopes" in str(caught.value)


def test_instance_urls_are_taken_as_gitlab_gives_them() -> None:
    assert base_url("https://gitlab.example.com/") == "https://gitlab.example.com"
    assert base_url("https://example.com/gitlab/api/v4") == "https://example.com/gitlab"


@pytest.mark.parametrize(
    ("overrides", "drop", "message"),
    [
        ({}, ("CI_PROJECT_ID", "CI_PROJECT_PATH"), "no project: pass --repo group/project"),
        ({"repo": "not a project"}, (), "--repo must be a GitLab project id or path"),
        ({"labels": ("a,b",)}, (), "labels must be non-empty and without commas"),
    ],
)
def test_configuration_errors(
    repos: Repos, gitlab: FakeGitLab, overrides: dict, drop: tuple[str, ...], message: str
) -> None:
    environ = ci(gitlab)
    for name in drop:
        environ.pop(name)
    with pytest.raises(ConfigError, match=message) as caught:
        run(repos, environ, **overrides)
    assert caught.value.exit_code == 2 and gitlab.requests == []


def test_github_refuses_labels(repos: Repos) -> None:
    environ = {**os.environ, "GITHUB_TOKEN": "t", "GITHUB_REPOSITORY": "acme/infra"}
    with pytest.raises(ConfigError, match="GitHub pull requests get no labels"):
        run(repos, environ, labels=("infra",))


# -- projects, instances, branches ---------------------------------------------------------------


@pytest.fixture
def self_managed(repos: Repos) -> Iterator[FakeGitLab]:
    """An instance under a relative URL root, https://host/gitlab, as self-managed ones may be."""
    fake = FakeGitLab(bare=repos.bare, prefix="/gitlab", default_branch="release")
    server = FakeGitLabServer(fake)
    server.start()
    try:
        yield fake
    finally:
        server.stop()
    assert fake.problems == []


def test_project_by_path_on_a_self_managed_instance_with_the_default_branch_from_the_api(
    repos: Repos, self_managed: FakeGitLab
) -> None:
    repos.push_to_base({"README.md": "# infra (release)\n"}, "release line", branch="release")
    environ = ci(self_managed, CI_PROJECT_ID="", CI_DEFAULT_BRANCH="")

    result = run(repos, environ)

    assert result.status is PrStatus.OPENED and result.base == "release"
    assert [(r.method, r.path) for r in self_managed.requests][:2] == [
        ("GET", "/projects/acme%2Finfra"),  # the default branch, as CI did not say
        ("GET", "/projects/acme%2Finfra/merge_requests"),
    ]
    assert self_managed.merge_requests[0]["target_branch"] == "release"
    assert result.pr_url == "https://gitlab.example/gitlab/acme/infra/-/merge_requests/1"


def test_ci_default_branch_saves_a_request_but_only_for_the_pipeline_s_project(
    repos: Repos, gitlab: FakeGitLab
) -> None:
    assert run(repos, ci(gitlab)).status is PrStatus.OPENED
    assert not any(r.endpoint == "project" for r in gitlab.requests)

    # --repo names another project: CI's default branch says nothing about it.
    environ = ci(gitlab, CI_PROJECT_ID="7", CI_PROJECT_PATH="other/app", CI_DEFAULT_BRANCH="nope")
    result = run(repos, environ, repo="acme/infra")
    assert result.status is PrStatus.UP_TO_DATE and result.base == "main"
    assert any(r.endpoint == "project" for r in gitlab.requests)


def test_labels_and_no_labels(repos: Repos, gitlab: FakeGitLab) -> None:
    run(repos, ci(gitlab), labels=("terraform", "bots"))
    assert gitlab.merge_requests[0]["labels"] == ["bots", "terraform"]

    gitlab.close_mr(1, merged=True)
    run(repos, ci(gitlab), labels=())
    create = [r for r in gitlab.requests if r.endpoint == "create merge request"][-1]
    assert "labels" not in create.body and gitlab.merge_requests[1]["labels"] == []


def test_a_fork_s_merge_request_from_a_branch_of_the_same_name_is_not_the_bot_s(
    repos: Repos, gitlab: FakeGitLab
) -> None:
    fork = gitlab.add_mr(source_branch=BRANCH, source_project_id=99, title="from a fork")

    result = run(repos, ci(gitlab))

    assert result.status is PrStatus.OPENED and result.pr_number == 2
    assert fork["title"] == "from a fork" and fork["description"] is None  # left alone


def test_a_merge_request_opened_by_a_racing_run_is_updated_not_duplicated(
    repos: Repos, gitlab: FakeGitLab
) -> None:
    def racing_run() -> None:
        gitlab.before_create = None
        gitlab._add_mr(source_branch=BRANCH, title="opened by another run")

    gitlab.before_create = racing_run

    result = run(repos, ci(gitlab))

    assert result.status is PrStatus.UPDATED and result.pr_number == 1
    assert len(gitlab.merge_requests) == 1
    assert gitlab.merge_requests[0]["title"] == result.title  # the bot's text replaced it
    assert [r.endpoint for r in gitlab.requests if r.method != "GET"] == [
        "create merge request",  # answered 409 Conflict
        "update merge request",
    ]


# -- tokens on the wire ----------------------------------------------------------------------------


@pytest.fixture
def http_remote(repos: Repos, request: pytest.FixtureRequest) -> Iterator[GitHttpServer]:
    user, token = request.param
    server = GitHttpServer(repos.bare.parent.parent, token, user=user)
    server.start()
    try:
        git(repos.work, "remote", "set-url", "origin", server.url_for(repos.bare))
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("http_remote", [("oauth2", GITLAB_TOKEN)], indirect=True)
def test_an_access_token_pushes_as_oauth2_and_is_written_nowhere(
    repos: Repos, gitlab: FakeGitLab, http_remote: GitHttpServer
) -> None:
    result = run(repos, ci(gitlab))

    assert result.status is PrStatus.OPENED
    assert repos.remote_sha(BRANCH) == result.commit
    assert http_remote.auth_headers and all(len(h) == 1 for h in http_remote.auth_headers)
    for path in (repos.work / ".git").rglob("*"):
        if path.is_file() and path.stat().st_size < 1_000_000:
            data = path.read_bytes()
            assert all(form.encode() not in data for form in secret_forms(GITLAB_TOKEN)), path
    assert "@" not in git(repos.work, "remote", "get-url", "origin")


@pytest.mark.parametrize("http_remote", [("gitlab-ci-token", JOB_TOKEN)], indirect=True)
def test_the_job_token_fetches_but_gitlab_refuses_it_merge_requests_and_the_error_says_so(
    repos: Repos, gitlab: FakeGitLab, http_remote: GitHttpServer
) -> None:
    before = repos.work_state()
    environ = ci(gitlab, GITLAB_TOKEN="", CI_JOB_TOKEN=JOB_TOKEN)

    with pytest.raises(ApiError) as caught:
        run(repos, environ)

    message = str(caught.value)
    assert message.startswith(
        "GitLab API: GET /projects/42/merge_requests failed with 404 Not Found: "
        "404 Project Not Found - CI_JOB_TOKEN cannot list, open or edit merge requests"
    )
    assert "set GITLAB_TOKEN to a project or group access token" in message
    assert all(form not in message for form in secret_forms(JOB_TOKEN))
    # git authenticated as gitlab-ci-token (the server takes nothing else) ...
    assert http_remote.auth_headers and all(len(h) == 1 for h in http_remote.auth_headers)
    # ... the API got the job token in its own header, and nothing was pushed or left.
    assert gitlab.requests[-1].headers.get("job-token") == JOB_TOKEN
    assert repos.remote_sha(BRANCH) is None and gitlab.merge_requests == []
    assert repos.work_state() == before and repos.leftovers() == ("", "")


def test_a_rejected_access_token_is_named_without_being_shown(
    repos: Repos, gitlab: FakeGitLab
) -> None:
    wrong = "glpat-WrongToken9876543210zyxwvu"
    with pytest.raises(ApiError) as caught:
        run(repos, ci(gitlab, GITLAB_TOKEN=wrong))

    message = str(caught.value)
    assert "failed with 401 Unauthorized: 401 Unauthorized - the token was rejected" in message
    assert all(form not in message for form in secret_forms(wrong))
    assert repos.remote_sha(BRANCH) is None


def test_dry_run_in_gitlab_ci_needs_no_token_and_speaks_of_merge_requests(
    repos: Repos, gitlab: FakeGitLab
) -> None:
    environ = ci(gitlab, GITLAB_TOKEN="")

    result = run(repos, environ, dry_run=True, path=Path(repos.work / "envs"))

    assert result.status is PrStatus.DRY_RUN and result.host == "gitlab"
    assert "or revert this merge request." in (result.body or "")
    assert "pull request" not in (result.body or "") + result.message
    assert gitlab.requests == []
