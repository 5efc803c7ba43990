"""Fixtures for the bot tests: isolated git, real repositories, fake GitHub and GitLab APIs.

Git runs with a throw-away HOME and global config under ``tmp_path`` and its
identity from environment variables, so the user's own git configuration is
neither read nor written. Servers listen on 127.0.0.1 and are stopped by the
fixture that started them. ``host`` runs a test once against each host, through
the :class:`~bot_hosts.Host` adapter over the two stand-ins.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from bot_fake_github import TOKEN, FakeGitHub, FakeServer, OpenApi
from bot_fake_gitlab import FakeGitLab, FakeGitLabServer
from bot_hosts import Host
from bot_repos import Repos, make_repos

# Variables of the CI systems the bot reads; a test sets what it needs, nothing leaks in.
CI_VARIABLES = (
    "GITHUB_TOKEN",
    "GITHUB_REPOSITORY",
    "GITHUB_API_URL",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "GITLAB_TOKEN",
    "CI_JOB_TOKEN",
    "CI_SERVER_URL",
    "CI_PROJECT_ID",
    "CI_PROJECT_PATH",
    "CI_DEFAULT_BRANCH",
)


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    config = home / ".gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Person")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "person@example.com")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Person")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "person@example.com")
    for name in (*CI_VARIABLES, "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_CONFIG_COUNT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def openapi() -> OpenApi:
    return OpenApi()


@pytest.fixture
def repos(tmp_path: Path) -> Repos:
    return make_repos(tmp_path)


@pytest.fixture
def github(openapi: OpenApi, repos: Repos) -> Iterator[FakeGitHub]:
    fake = FakeGitHub(spec=openapi, token=TOKEN, owner="acme", repo="infra", bare=repos.bare)
    server = FakeServer(fake)
    server.start()
    try:
        yield fake
    finally:
        server.stop()
    assert fake.problems == [], "requests or responses that break GitHub's OpenAPI description"


@pytest.fixture
def gitlab(repos: Repos) -> Iterator[FakeGitLab]:
    fake = FakeGitLab(bare=repos.bare)
    server = FakeGitLabServer(fake)
    server.start()
    try:
        yield fake
    finally:
        server.stop()
    assert fake.problems == [], "requests that GitLab's API documentation does not allow"


@pytest.fixture(params=["github", "gitlab"])
def host(request: pytest.FixtureRequest) -> Host:
    """The same behaviour test against GitHub's stand-in and GitLab's."""
    fake = request.getfixturevalue(request.param)
    return Host.of(fake)
