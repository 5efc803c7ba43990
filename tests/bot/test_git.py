"""The git layer: credentials over HTTP, timeouts and scrubbing, with real git processes.

The HTTP tests serve the bare remote through ``git http-backend`` behind
Basic auth on 127.0.0.1, as GitHub serves HTTPS remotes, so the token really
has to travel in the header the bot sets, and nowhere else.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bot_fake_github import TOKEN, FakeGitHub
from bot_repos import GitHttpServer, Repos, comment_out_backends, git

from fixer.bot import GitError, PrOptions, PrStatus, run_pr
from fixer.bot.errors import scrub, secret_forms
from fixer.bot.git import Author, Git, credential_config


@pytest.fixture
def http_remote(repos: Repos) -> Iterator[GitHttpServer]:
    server = GitHttpServer(repos.bare.parent.parent, TOKEN)
    server.start()
    try:
        git(repos.work, "remote", "set-url", "origin", server.url_for(repos.bare))
        yield server
    finally:
        server.stop()


def _options(repos: Repos, github: FakeGitHub, token: str = TOKEN) -> PrOptions:
    environ = {
        **os.environ,
        "GITHUB_TOKEN": token,
        "GITHUB_REPOSITORY": "acme/infra",
        "GITHUB_API_URL": github.url,
    }
    return PrOptions(path=repos.work, environ=environ)


def test_push_over_http_sends_the_token_only_as_a_header(
    repos: Repos, github: FakeGitHub, http_remote: GitHttpServer
) -> None:
    result = run_pr(_options(repos, github), comment_out_backends)

    assert result.status is PrStatus.OPENED
    assert repos.remote_sha("backend-fixer/comment") == result.commit
    # Exactly one Authorization header on every authenticated request.
    assert http_remote.auth_headers and all(len(h) == 1 for h in http_remote.auth_headers)
    # Nothing about the token was written anywhere in the user's repository.
    git_dir = repos.work / ".git"
    for path in git_dir.rglob("*"):
        if path.is_file() and path.stat().st_size < 1_000_000:
            data = path.read_bytes()
            assert all(form.encode() not in data for form in secret_forms(TOKEN)), path
    assert "127.0.0.1" in git(repos.work, "remote", "get-url", "origin")
    assert "@" not in git(repos.work, "remote", "get-url", "origin")


def test_a_header_persisted_by_actions_checkout_is_replaced_not_doubled(
    repos: Repos, github: FakeGitHub, http_remote: GitHttpServer
) -> None:
    # actions/checkout stores the workflow token this way; a second header would be sent too.
    stale = "AUTHORIZATION: basic " + "eC1hY2Nlc3MtdG9rZW46b2xk"  # x-access-token:old
    key = f"http.http://127.0.0.1:{http_remote.port}/.extraheader"
    git(repos.work, "config", "--local", key, stale)

    result = run_pr(_options(repos, github), comment_out_backends)

    assert result.status is PrStatus.OPENED
    assert all(len(h) == 1 for h in http_remote.auth_headers)
    assert git(repos.work, "config", "--local", "--get", key) == stale  # left as the user had it


def test_a_rejected_token_fails_with_a_scrubbed_one_line_message(
    repos: Repos, github: FakeGitHub, http_remote: GitHttpServer
) -> None:
    wrong = "ghs_WrongToken9876543210zyxwvuZYXWVU"
    github.token = wrong  # the API accepts it; the git server does not
    before = repos.work_state()

    with pytest.raises(GitError) as caught:
        run_pr(_options(repos, github, token=wrong), comment_out_backends)

    message = str(caught.value)
    assert "ls-remote" in message and "\n" not in message
    assert all(form not in message for form in secret_forms(wrong))
    assert repos.work_state() == before
    assert repos.remote_sha("backend-fixer/comment") is None


def test_credentials_are_scoped_to_the_remote_host() -> None:
    env = credential_config("https://github.example:8443/acme/infra.git", TOKEN)
    assert env["GIT_CONFIG_COUNT"] == "2"
    assert (
        env["GIT_CONFIG_KEY_0"]
        == env["GIT_CONFIG_KEY_1"]
        == ("http.https://github.example:8443/.extraheader")
    )
    assert env["GIT_CONFIG_VALUE_0"] == ""  # resets headers configured for the same host
    assert env["GIT_CONFIG_VALUE_1"].startswith("AUTHORIZATION: basic ")
    # Entries are numbered after ones the environment already had.
    shifted = credential_config("https://h/x", TOKEN, {"GIT_CONFIG_COUNT": "3"})
    assert shifted["GIT_CONFIG_COUNT"] == "5" and "GIT_CONFIG_KEY_3" in shifted
    # ssh and file remotes carry their own credentials; nothing is added.
    assert credential_config("git@github.com:acme/infra.git", TOKEN) == {}
    assert credential_config("file:///srv/infra.git", TOKEN) == {}
    assert credential_config("https://github.com/acme/infra.git", "") == {}


def test_a_hanging_remote_times_out_and_its_processes_are_killed(tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])  # accept, then never answer
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        repo = tmp_path / "r"
        git(tmp_path, "init", "--quiet", str(repo))
        runner = Git(repo, timeout=1.0, secrets=secret_forms(TOKEN))
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/x.git"
        started = time.monotonic()
        with pytest.raises(GitError, match=r"git ls-remote .* timed out after 1 s"):
            runner.with_credentials(url, TOKEN).ls_remote(url, ["refs/heads/main"])
        assert time.monotonic() - started < 10
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        listener.close()


def test_git_errors_are_scrubbed_of_url_credentials(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    git(tmp_path, "init", "--quiet", str(repo))
    runner = Git(repo, timeout=10)
    with pytest.raises(GitError) as caught:
        runner.fetch(f"https://user:{TOKEN}@127.0.0.1:9/x.git", ["refs/heads/main"])
    assert TOKEN not in str(caught.value)
    assert "127.0.0.1:9/x.git" in str(caught.value)


def test_git_runs_outside_hooks_and_repository_variables(tmp_path: Path) -> None:
    repo = tmp_path / "r"
    git(tmp_path, "init", "--quiet", str(repo))
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho hook ran >&2\nexit 1\n")
    hook.chmod(0o755)
    # As if called from inside another repository's hook.
    environ = {**os.environ, "GIT_DIR": str(tmp_path / "elsewhere"), "GIT_INDEX_FILE": "/nope"}
    runner = Git(repo, environ=environ)
    (repo / "f").write_text("x\n")
    runner.run("add", "f")
    runner.run("commit", "--quiet", "-m", "no hook")  # the failing hook did not run
    assert runner.out("log", "--format=%s") == "no hook"


def test_scrub_masks_every_form_of_the_token() -> None:
    forms = secret_forms(TOKEN)
    text = " ".join(["token", *forms, "https://a:b@host/x", "http://tok@h/"])
    masked = scrub(text, forms)
    assert all(form not in masked for form in forms)
    assert "https://***@host/x" in masked and "http://***@h/" in masked
    assert scrub("abc", ["ab"]) == "abc"  # too short to be a secret worth mangling text for


def test_author_parsing() -> None:
    assert Author.parse("Infra Bot <bot@example.com>") == Author("Infra Bot", "bot@example.com")
    assert str(Author.parse(" A B  <a@b.c> ")) == "A B <a@b.c>"
    assert Author.parse("no email") is None
    assert Author.parse("<a@b.c>") is None
    assert Author.parse("Name <not-an-email>") is None
