"""GitLab behind the hosting interface: merge requests through ``python-gitlab``, and GitLab CI.

:class:`GitLab` makes the calls the bot needs on one project (by numeric id or
path, on gitlab.com or a self-managed instance): the default branch, the merge
requests from a source branch, create (with labels and ``remove_source_branch``),
update, and the notes of a merge request. Every failure becomes an
:class:`ApiError` naming the call, the status and GitLab's own message, with the
token scrubbed; nothing is retried but what GitLab asks to (429). :data:`PROVIDER`
reads GitLab CI's predefined variables and the token: ``GITLAB_TOKEN`` (a project
or group access token), else the job's ``CI_JOB_TOKEN``, which GitLab does not let
touch merge requests; the error then says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from fixer import __version__
from fixer.bot.errors import ApiError, ConfigError, secret_forms
from fixer.bot.hosting import (
    GITLAB_TERMS,
    ChangeRequest,
    Comment,
    Credentials,
    RequestState,
    Terms,
)
from fixer.bot.types import PrOptions

if TYPE_CHECKING:
    import gitlab

DEFAULT_URL = "https://gitlab.com"
JOB_TOKEN_ENV = "CI_JOB_TOKEN"
_MAX_ITEMS = 2_000  # merge requests or notes: far past any bot branch's history
# A project is named by its numeric id or its full path, group/subgroup/project.
_PROJECT = re.compile(r"\d+|[\w.-]+(?:/[\w.-]+)+")

# "locked" is the short state of a merge request while it is being merged.
_STATES = {
    "opened": RequestState.OPEN,
    "locked": RequestState.OPEN,
    "closed": RequestState.CLOSED,
    "merged": RequestState.MERGED,
}

ACCESS_TOKEN_ADVICE = (
    "set GITLAB_TOKEN to a project or group access token with the Developer role "
    "and the api and write_repository scopes"
)
_HINTS = {
    401: "the token was rejected; check that it is set and not expired",
    403: "the token may lack permission; " + ACCESS_TOKEN_ADVICE,
    404: "the project was not found, or the token cannot see it",
}
# GitLab's job token reaches only the endpoints GitLab lists for it (packages,
# releases, deployments, ...), not merge requests; and it pushes only to its own
# project when "Allow Git push requests to the repository" is on (GitLab 17.2+).
JOB_TOKEN_HINT = (
    "CI_JOB_TOKEN cannot list, open or edit merge requests: GitLab lets the job token "
    "call only a few API endpoints, and merge requests are not among them; " + ACCESS_TOKEN_ADVICE
)

T = TypeVar("T")


def merge_request(data: Mapping[str, Any]) -> ChangeRequest:
    """A :class:`ChangeRequest` from GitLab's merge request JSON (``iid`` is its number)."""
    return ChangeRequest(
        number=int(data["iid"]),
        state=_STATES.get(str(data.get("state", "")), RequestState.CLOSED),
        title=str(data.get("title") or ""),
        body=str(data.get("description") or ""),
        url=str(data.get("web_url") or ""),
        head_ref=str(data.get("source_branch") or ""),
    )


def base_url(url: str) -> str:
    """The instance's URL as python-gitlab wants it: no trailing ``/`` or ``/api/v4``."""
    return re.sub(r"/api/v4/?$", "", url.strip()).rstrip("/")


def _detail(message: object) -> str:
    # GitLab answers {"message": "..."}, {"message": ["..."]} or {"message": {"field": ["..."]}}.
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    if isinstance(message, list):
        return "; ".join(_detail(m) for m in message)
    if isinstance(message, dict):
        return "; ".join(f"{key} {_detail(value)}" for key, value in message.items())
    return str(message)[:300]


class GitLab:
    """GitLab's REST API (v4) for one project, authenticated with one token.

    ``job_token`` says that ``token`` is a CI job token (sent as ``JOB-TOKEN``);
    otherwise it is an access token (``PRIVATE-TOKEN``). ``default_branch``, when
    known from CI, saves a request. Sends nothing until a method is called.
    """

    terms: Terms = GITLAB_TERMS
    # GitLab answers 409 Conflict to a second open merge request from one source branch.
    duplicate_status = 409

    def __init__(
        self,
        project: str,
        token: str,
        *,
        url: str = DEFAULT_URL,
        job_token: bool = False,
        default_branch: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        import gitlab  # only when GitLab is the host: it pulls in requests

        if not _PROJECT.fullmatch(project.strip()):
            raise ConfigError(
                f"--repo must be a GitLab project id or path (group/project), got {project!r}"
            )
        self.project = project.strip()
        self.url = base_url(url)
        self._job_token = job_token
        self._default_branch = default_branch or None
        self._secrets = secret_forms(token)
        auth = {"job_token": token} if job_token else {"private_token": token}
        self._gl = gitlab.Gitlab(
            self.url,
            timeout=timeout,
            user_agent=f"backend-fixer/{__version__}",
            # Follow pagination links only on this instance: the token goes with them.
            keep_base_url=True,
            retry_transient_errors=False,
            **auth,
        )
        self._project = self._gl.projects.get(self.project, lazy=True)
        self._path = f"/projects/{quote(self.project, safe='')}"

    def __enter__(self) -> GitLab:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._gl.session.close()

    # -- the calls (fixer.bot.hosting.Hosting) ------------------------------------

    def default_branch(self) -> str:
        """The project's default branch: from CI when given, else ``GET /projects/:id``."""
        if self._default_branch:
            return self._default_branch
        project = self._call("GET", self._path, lambda: self._gl.projects.get(self.project))
        branch = getattr(project, "default_branch", None)
        if not isinstance(branch, str) or not branch:
            raise ApiError("GitLab API: the project has no default branch", status=None)
        return branch

    def requests_for_branch(self, branch: str) -> list[ChangeRequest]:
        """Merge requests in any state from ``branch`` of this project (not forks), newest first."""
        path = f"{self._path}/merge_requests"

        def fetch() -> list[dict[str, Any]]:
            found = self._project.mergerequests.list(
                source_branch=branch,
                state="all",
                order_by="created_at",
                sort="desc",
                per_page=100,
                iterator=True,
            )
            return [item.attributes for item in islice(found, _MAX_ITEMS)]

        items = self._call("GET", path, fetch)
        # A fork's merge request into this project may come from a branch of the same name.
        return [
            merge_request(item)
            for item in items
            if item.get("source_project_id") in (None, item.get("project_id"))
        ]

    def create_request(
        self, *, title: str, head: str, base: str, body: str, labels: Sequence[str] = ()
    ) -> ChangeRequest:
        """Open a merge request from ``head`` into ``base`` that deletes ``head`` when merged."""
        payload: dict[str, Any] = {
            "source_branch": head,
            "target_branch": base,
            "title": title,
            "description": body,
            "remove_source_branch": True,
        }
        if labels:
            payload["labels"] = list(labels)
        created = self._call(
            "POST",
            f"{self._path}/merge_requests",
            lambda: self._project.mergerequests.create(payload),
        )
        return merge_request(created.attributes)

    def update_request(self, number: int, *, title: str, body: str) -> ChangeRequest:
        """Replace the title and description of merge request ``number`` (its iid)."""
        data = self._call(
            "PUT",
            f"{self._path}/merge_requests/{number}",
            lambda: self._project.mergerequests.update(
                number, {"title": title, "description": body}
            ),
        )
        return merge_request(data)

    def comments(self, number: int) -> list[Comment]:
        """The notes people (and the bot) wrote on merge request ``number``, oldest first.

        GitLab's system notes ("added 1 commit") are left out.
        """
        notes = self._project.mergerequests.get(number, lazy=True).notes

        def fetch() -> list[dict[str, Any]]:
            found = notes.list(sort="asc", order_by="created_at", per_page=100, iterator=True)
            return [item.attributes for item in islice(found, _MAX_ITEMS)]

        items = self._call("GET", f"{self._path}/merge_requests/{number}/notes", fetch)
        return [_comment(item) for item in items if not item.get("system")]

    def create_comment(self, number: int, body: str) -> Comment:
        """Add a note to merge request ``number``."""
        notes = self._project.mergerequests.get(number, lazy=True).notes
        created = self._call(
            "POST",
            f"{self._path}/merge_requests/{number}/notes",
            lambda: notes.create({"body": body}),
        )
        return _comment(created.attributes)

    # -- plumbing --------------------------------------------------------------

    def _call(self, method: str, path: str, call: Callable[[], T]) -> T:
        import gitlab
        import requests

        try:
            return call()
        except gitlab.GitlabError as exc:
            raise ApiError(
                self._describe_failure(method, path, exc),
                status=exc.response_code,
                secrets=self._secrets,
            ) from exc
        except requests.RequestException as exc:
            raise ApiError(
                f"GitLab API: {method} {path} failed: could not reach {self.url} ({exc})",
                status=None,
                secrets=self._secrets,
            ) from exc

    def _describe_failure(self, method: str, path: str, exc: gitlab.GitlabError) -> str:
        code = exc.response_code
        if code is None:
            return f"GitLab API: {method} {path} failed: {_detail(exc.error_message)}"
        try:
            status = f"{code} {HTTPStatus(code).phrase}"
        except ValueError:
            status = str(code)
        message = f"GitLab API: {method} {path} failed with {status}"
        detail = _detail(exc.error_message)
        if detail:
            message += f": {detail}"
        hint = JOB_TOKEN_HINT if self._job_token and code in _HINTS else _HINTS.get(code)
        if hint:
            message += f" - {hint}"
        return message


def _comment(data: Mapping[str, Any]) -> Comment:
    return Comment(int(data["id"]), str(data.get("body") or ""), "")


# -- the provider ----------------------------------------------------------------------


def _first(environ: Mapping[str, str], names: Iterable[str]) -> str:
    return next((value for name in names if (value := environ.get(name, "").strip())), "")


@dataclass(frozen=True)
class GitLabProvider:
    """GitLab as a :class:`~fixer.bot.hosting.Provider`: GitLab CI's variables and tokens."""

    name: str = "gitlab"
    title: str = "GitLab"
    terms: Terms = GITLAB_TERMS
    default_labels: tuple[str, ...] = ("backend-fixer",)
    supports_labels: bool = True

    def in_ci(self, environ: Mapping[str, str]) -> bool:
        if environ.get("GITLAB_CI") == "true":
            return True
        return bool(environ.get("CI_SERVER_URL")) and bool(
            _first(environ, ("CI_PROJECT_ID", "CI_PROJECT_PATH"))
        )

    def credentials(self, token_env: str | None, environ: Mapping[str, str]) -> Credentials:
        """``token_env``, else ``GITLAB_TOKEN``, else ``CI_JOB_TOKEN``; ConfigError if none.

        Access tokens go to git as ``oauth2:TOKEN``, the job token as
        ``gitlab-ci-token:TOKEN``, the user names GitLab expects with each.
        """
        names = (token_env,) if token_env else ("GITLAB_TOKEN", JOB_TOKEN_ENV)
        for name in names:
            token = environ.get(name, "").strip()
            if token:
                user = "gitlab-ci-token" if name == JOB_TOKEN_ENV else "oauth2"
                return Credentials(token, user, name)
        if token_env:
            raise ConfigError(f"no token: set {token_env}")
        raise ConfigError(
            "no token: " + ACCESS_TOKEN_ADVICE + " (or name another variable with --token-env)"
        )

    def connect(
        self, options: PrOptions, environ: Mapping[str, str], credentials: Credentials
    ) -> GitLab:
        ci_projects = {environ.get(n, "").strip() for n in ("CI_PROJECT_ID", "CI_PROJECT_PATH")}
        ci_projects.discard("")
        project = options.repo or _first(environ, ("CI_PROJECT_ID", "CI_PROJECT_PATH"))
        if not project:
            raise ConfigError(
                "no project: pass --repo group/project (or the project's id) or set CI_PROJECT_ID"
            )
        # CI_DEFAULT_BRANCH belongs to the pipeline's project, not to one named by --repo.
        default_branch = environ.get("CI_DEFAULT_BRANCH") if project in ci_projects else None
        url = options.api_url or environ.get("CI_SERVER_URL") or DEFAULT_URL
        return GitLab(
            project,
            credentials.token,
            url=url,
            job_token=credentials.git_user == "gitlab-ci-token",
            default_branch=default_branch,
            timeout=options.api_timeout,
        )


PROVIDER = GitLabProvider()
