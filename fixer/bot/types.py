"""The values that cross the bot's boundary: what a fix did, what to run, what happened.

:class:`FixOutcome` is what the fix engine hands the bot; :class:`PrOptions` is
what the CLI hands :func:`fixer.bot.run_pr`; :class:`PrResult` is what comes
back. All are frozen, so a result can be printed, serialised or compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from fixer.rules.base import Finding, Mode

MODES = tuple(mode.value for mode in Mode)
DEFAULT_AUTHOR = "backend-fixer <backend-fixer@users.noreply.github.com>"


@dataclass(frozen=True)
class FixOutcome:
    """What one application of the fix did in a checkout.

    An empty ``changed_files`` means there was nothing to change.
    """

    # Relative to the repository root (absolute paths inside the checkout are accepted
    # too); created files included.
    changed_files: tuple[str, ...]
    diff: str  # the unified diff of the change, no colour
    findings: tuple[Finding, ...]  # the findings the change addresses
    mode: str  # "comment" | "complete" | "override"
    init_commands: tuple[str, ...]  # the `terraform init ...` commands to use afterwards
    restore_hint: str  # how to undo, e.g. "backend-fixer restore path/"


# Applies the fix under the given directory (the counterpart of ``PrOptions.path``
# inside a fresh checkout of the base branch), writes files there, says what it did.
ApplyFix = Callable[[Path], FixOutcome]


@dataclass(frozen=True)
class PrOptions:
    """Everything ``run_pr`` needs besides the fix; mirrors ``backend-fixer pr`` options.

    ``None`` means "work it out": ``host`` is detected from the CI variables
    (GitHub Actions, GitLab CI; else ``github``); ``branch`` is
    ``backend-fixer/<mode>``; ``base`` is the repository's default branch (from
    the host; in a dry run, the remote's ``HEAD`` as last fetched, else the
    current branch). On GitHub ``repo`` comes from ``GITHUB_REPOSITORY``,
    ``api_url`` from ``GITHUB_API_URL`` and the token from ``GITHUB_TOKEN``; on
    GitLab ``repo`` (a project id or path) from ``CI_PROJECT_ID`` or
    ``CI_PROJECT_PATH``, ``api_url`` (the instance's URL) from ``CI_SERVER_URL``,
    the token from ``GITLAB_TOKEN``, else ``CI_JOB_TOKEN``. ``token_env`` names
    another variable for the token. ``labels`` None means the host's default
    (GitLab: ``backend-fixer``; GitHub: none). ``author`` is
    :data:`DEFAULT_AUTHOR`. ``environ`` replaces ``os.environ`` for those
    look-ups and for git (tests use it; the CLI leaves it None).
    """

    path: Path = Path(".")
    mode: str = "comment"
    branch: str | None = None
    base: str | None = None
    remote: str = "origin"
    repo: str | None = None
    token_env: str | None = None
    api_url: str | None = None
    host: str | None = None  # "github" | "gitlab"
    labels: tuple[str, ...] | None = None
    dry_run: bool = False
    author: str | None = None
    git_timeout: float = 120.0
    api_timeout: float = 30.0
    environ: Mapping[str, str] | None = field(default=None, repr=False, compare=False)


class PrStatus(StrEnum):
    """How a run ended. Every status is a success: failures raise ``BotError``."""

    NOTHING_TO_CHANGE = "nothing-to-change"  # the fix changed no file
    DRY_RUN = "dry-run"  # computed everything, touched neither remote nor API
    OPENED = "opened"  # pushed the branch and opened a pull (merge) request
    UPDATED = "updated"  # pushed and/or edited the open request
    UP_TO_DATE = "up-to-date"  # branch and request already match: nothing sent
    CLOSED_UNMERGED = "closed-unmerged"  # a request for this very change was declined
    TAKEN_OVER = "taken-over"  # someone else committed to the branch: left alone


@dataclass(frozen=True)
class PrResult:
    """What ``run_pr`` did (or, in a dry run, would do).

    ``message`` is one or two sentences for the user. ``commit_message``,
    ``title`` and ``body`` are filled whenever there was a change, also in a
    dry run; ``pr_number``/``pr_url`` whenever a pull request (on GitLab, a merge
    request: its iid and page) is involved.
    """

    status: PrStatus
    message: str
    branch: str
    base: str = ""
    change_hash: str | None = None
    commit_message: str | None = None
    title: str | None = None
    body: str | None = None
    diff: str = ""
    pushed: bool = False
    commit: str | None = None
    pr_number: int | None = None
    pr_url: str | None = None
    commented: bool = False
    outcome: FixOutcome | None = field(default=None, repr=False)
    host: str = "github"  # the host the request lives on (its words, in messages)
