"""The hosting interface: what the bot asks of GitHub or GitLab, and how a run picks its host.

``run_pr`` is written once against :class:`Hosting`, the few calls it makes (the
default branch, the requests opened from a branch, create, update, comments).
Each host implements it with API calls only, and describes itself as a
:class:`Provider`: its words (pull request or merge request), how it finds its
project and token in the environment of its CI, and how it connects. Nothing
here talks to the network; the host modules are imported only when chosen.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from fixer.bot.errors import ConfigError
from fixer.bot.types import PrOptions

HOSTS = ("github", "gitlab")


class RequestState(StrEnum):
    """Where a pull or merge request stands; GitHub's "closed and merged" is MERGED."""

    OPEN = "open"
    CLOSED = "closed"  # closed without merging: a person declined the change
    MERGED = "merged"


@dataclass(frozen=True, slots=True)
class ChangeRequest:
    """A pull request (GitHub) or merge request (GitLab), with the fields the bot reads."""

    number: int  # what people write after the sigil: GitHub's number, GitLab's iid
    state: RequestState
    title: str
    body: str
    url: str  # the page a person opens
    head_ref: str  # the branch the change comes from


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on a request (a GitLab note): its id, text and page."""

    id: int
    body: str
    url: str


@dataclass(frozen=True, slots=True)
class Terms:
    """How a host names things in the bot's messages and texts."""

    request: str  # "pull request" | "merge request"
    sigil: str  # "#" | "!": a request is referred to as #3 or !3
    changes_tab: str  # the tab that shows a request's diff

    def ref(self, number: int) -> str:
        """``#3`` or ``!3``."""
        return f"{self.sigil}{number}"


GITHUB_TERMS = Terms("pull request", "#", "Files changed")
GITLAB_TERMS = Terms("merge request", "!", "Changes")
TERMS = {"github": GITHUB_TERMS, "gitlab": GITLAB_TERMS}


class Hosting(Protocol):
    """One repository (project) on a host, reached with one token.

    Every method raises :class:`~fixer.bot.errors.ApiError` (one line, token
    scrubbed, ``status`` set when the host answered) when the call fails.
    Nothing is retried: a create retried after a lost answer could open a
    second request.
    """

    terms: Terms
    # The status with which the host refuses a second open request from one branch;
    # run_pr then looks again and updates the one another run opened meanwhile.
    duplicate_status: int

    def default_branch(self) -> str:
        """The repository's default branch."""
        ...

    def requests_for_branch(self, branch: str) -> list[ChangeRequest]:
        """Every request (open, closed, merged) from ``branch`` in this repository, newest first."""
        ...

    def create_request(
        self, *, title: str, head: str, base: str, body: str, labels: Sequence[str]
    ) -> ChangeRequest:
        """Open a request from ``head`` into ``base``; ``labels`` only where supported."""
        ...

    def update_request(self, number: int, *, title: str, body: str) -> ChangeRequest:
        """Replace the title and body of request ``number``."""
        ...

    def comments(self, number: int) -> list[Comment]:
        """The comments on request ``number``, oldest first."""
        ...

    def create_comment(self, number: int, body: str) -> Comment:
        """Comment on request ``number``."""
        ...

    def close(self) -> None:
        """Release the connection; the object is not used afterwards."""
        ...


@dataclass(frozen=True, slots=True)
class Credentials:
    """A token and how git presents it over HTTPS (see :func:`fixer.bot.git.credential_config`)."""

    token: str = ""  # empty in a dry run
    git_user: str = "x-access-token"  # the Basic-auth user name the host expects with it
    source: str = ""  # the environment variable it came from, for messages


class Provider(Protocol):
    """A kind of host: its words, its CI detection and token lookup, and how to connect."""

    name: str  # one of HOSTS
    title: str  # "GitHub" | "GitLab"
    terms: Terms
    default_labels: tuple[str, ...]  # labels of a new request when none are asked for
    supports_labels: bool

    def in_ci(self, environ: Mapping[str, str]) -> bool:
        """True when ``environ`` is a job of this host's CI."""
        ...

    def credentials(self, token_env: str | None, environ: Mapping[str, str]) -> Credentials:
        """The token from ``token_env`` (None: the host's own variables); ConfigError if none."""
        ...

    def connect(
        self, options: PrOptions, environ: Mapping[str, str], credentials: Credentials
    ) -> Hosting:
        """A client for the repository that ``options`` and ``environ`` name.

        Raises ConfigError when no repository is named or the name is malformed;
        sends no request itself.
        """
        ...


def provider(name: str) -> Provider:
    """The provider called ``name`` (one of :data:`HOSTS`); ConfigError for anything else."""
    if name not in HOSTS:
        raise ConfigError(f"unknown host {name!r}: use one of {', '.join(HOSTS)}")
    module = importlib.import_module(f"fixer.bot.{name}")
    found: Provider = module.PROVIDER
    return found


def detect(environ: Mapping[str, str]) -> str:
    """The host whose CI ``environ`` belongs to; ``github`` when it is neither's.

    GitHub Actions is checked first: a GitHub workflow never sets GitLab's
    variables, while a GitLab job may mirror a GitHub repository.
    """
    for name in HOSTS:
        if provider(name).in_ci(environ):
            return name
    return "github"


def select(host: str | None, environ: Mapping[str, str]) -> Provider:
    """The provider for ``host``, or the detected one when ``host`` is None or empty."""
    return provider(host or detect(environ))


__all__ = [
    "GITHUB_TERMS",
    "GITLAB_TERMS",
    "HOSTS",
    "TERMS",
    "ChangeRequest",
    "Comment",
    "Credentials",
    "Hosting",
    "Provider",
    "RequestState",
    "Terms",
    "detect",
    "provider",
    "select",
]
