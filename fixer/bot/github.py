"""GitHub behind the hosting interface: a small REST client over ``httpx``, and its CI.

:class:`GitHub` makes the six calls the bot needs: it reads the repository's
default branch, lists pull requests by head branch, opens and edits a pull
request, and lists and writes issue comments. Every failure becomes an
:class:`ApiError` naming the call, the status and GitHub's own message, with the
token scrubbed. Nothing is retried: a POST retried after a lost response could
open a second pull request. :data:`PROVIDER` finds the repository, API and token
in GitHub Actions' variables.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx

from fixer import __version__
from fixer.bot.errors import ApiError, ConfigError, secret_forms
from fixer.bot.hosting import (
    GITHUB_TERMS,
    ChangeRequest,
    Comment,
    Credentials,
    RequestState,
    Terms,
)
from fixer.bot.types import PrOptions

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
_MAX_PAGES = 20  # 2,000 pull requests or comments: far past any bot branch's history

_HINTS = {
    301: "the repository was renamed or moved; pass its new owner/name",
    401: "the token was rejected; check that it is set and not expired",
    403: "the token may lack permission (contents: write, pull-requests: write)",
    404: "the repository was not found, or the token cannot see it",
}


def pull_request(data: Mapping[str, Any]) -> ChangeRequest:
    """A :class:`ChangeRequest` from GitHub's pull request JSON (closed + ``merged_at``: merged)."""
    head = data.get("head") or {}
    state = RequestState.OPEN if data.get("state") == "open" else RequestState.CLOSED
    if state is RequestState.CLOSED and data.get("merged_at"):
        state = RequestState.MERGED
    return ChangeRequest(
        number=int(data["number"]),
        state=state,
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        url=str(data.get("html_url") or ""),
        head_ref=str(head.get("ref") or ""),
    )


def _comment(data: Mapping[str, Any]) -> Comment:
    return Comment(int(data["id"]), str(data.get("body") or ""), str(data.get("html_url") or ""))


def split_repo(repo: str) -> tuple[str, str]:
    """Split ``owner/name``; ConfigError for anything else."""
    match = re.fullmatch(r"([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)", repo.strip())
    if not match:
        raise ConfigError(f"--repo must look like owner/name, got {repo!r}")
    return match.group(1), match.group(2)


class GitHub:
    """GitHub's REST API for one repository, authenticated with one token.

    ``transport`` lets tests route requests elsewhere; by default httpx's own.
    Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        repo: str,
        token: str,
        *,
        api_url: str = DEFAULT_API_URL,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.owner, self.name = split_repo(repo)
        self.api_url = api_url.rstrip("/")
        self._secrets = secret_forms(token)
        self._client = httpx.Client(
            base_url=self.api_url,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"backend-fixer/{__version__}",
            },
        )

    def __enter__(self) -> GitHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    @property
    def _repo_path(self) -> str:
        return f"/repos/{quote(self.owner, safe='')}/{quote(self.name, safe='')}"

    # -- the calls (fixer.bot.hosting.Hosting) ------------------------------------

    terms: Terms = GITHUB_TERMS
    # GitHub answers 422 Validation Failed to a second open pull request from one head.
    duplicate_status = 422

    def default_branch(self) -> str:
        """The repository's default branch (``GET /repos/{owner}/{repo}``)."""
        data = self._request("GET", self._repo_path).json()
        branch = data.get("default_branch") if isinstance(data, dict) else None
        if not isinstance(branch, str) or not branch:
            raise ApiError("GitHub API: the repository has no default branch", status=None)
        return branch

    def requests_for_branch(self, branch: str) -> list[ChangeRequest]:
        """All pull requests (open and closed) whose head is ``branch`` in this repository.

        Newest first, as GitHub sorts by creation by default. Empty when none.
        """
        params = {"state": "all", "head": f"{self.owner}:{branch}", "per_page": "100"}
        return [pull_request(item) for item in self._paginate(f"{self._repo_path}/pulls", params)]

    def create_request(
        self, *, title: str, head: str, base: str, body: str, labels: Sequence[str] = ()
    ) -> ChangeRequest:
        """Open a pull request from ``head`` into ``base``.

        GitHub's create call takes no labels; ``labels`` must be empty (ConfigError).
        """
        if labels:
            raise ConfigError("labels are not supported for GitHub pull requests")
        payload = {
            "title": title,
            "head": head,
            "base": base,
            "body": body,
            "maintainer_can_modify": True,
        }
        response = self._request("POST", f"{self._repo_path}/pulls", json=payload)
        return pull_request(response.json())

    def update_request(self, number: int, *, title: str, body: str) -> ChangeRequest:
        """Replace the title and body of pull request ``number``."""
        payload = {"title": title, "body": body}
        response = self._request("PATCH", f"{self._repo_path}/pulls/{number}", json=payload)
        return pull_request(response.json())

    def comments(self, number: int) -> list[Comment]:
        """The comments on pull request (issue) ``number``, oldest first."""
        items = self._paginate(f"{self._repo_path}/issues/{number}/comments", {"per_page": "100"})
        return [_comment(c) for c in items]

    def create_comment(self, number: int, body: str) -> Comment:
        """Comment on pull request (issue) ``number``."""
        response = self._request(
            "POST", f"{self._repo_path}/issues/{number}/comments", json={"body": body}
        )
        return _comment(response.json())

    # -- plumbing --------------------------------------------------------------

    def _paginate(self, path: str, params: Mapping[str, str]) -> Iterator[Mapping[str, Any]]:
        url: str | None = path
        query: Mapping[str, str] | None = params
        for _ in range(_MAX_PAGES):
            if url is None:
                return
            response = self._request("GET", url, params=query)
            page = response.json()
            if not isinstance(page, list):
                raise ApiError(f"GitHub API: GET {path} did not return a list", status=None)
            yield from page
            url = self._next_page(response)
            query = None  # the next link carries the query

    def _next_page(self, response: httpx.Response) -> str | None:
        link = response.links.get("next", {}).get("url")
        # Follow only links back into the same API: the token goes with every request.
        if link and link.startswith(self.api_url + "/"):
            return link
        return None

    def _request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        shown = url.removeprefix(self.api_url)
        try:
            response = self._client.request(method, url, params=params, json=json)
        except httpx.HTTPError as exc:
            raise ApiError(
                f"GitHub API: {method} {shown} failed: could not reach {self.api_url} ({exc})",
                status=None,
                secrets=self._secrets,
            ) from exc
        if response.is_success:
            return response
        raise ApiError(
            self._describe_failure(method, shown, response),
            status=response.status_code,
            secrets=self._secrets,
        )

    @staticmethod
    def _describe_failure(method: str, path: str, response: httpx.Response) -> str:
        status = f"{response.status_code} {response.reason_phrase}".strip()
        detail = ""
        try:
            data = response.json()
        except ValueError:
            data = None
        if isinstance(data, dict):
            detail = str(data.get("message") or "")
            errors = data.get("errors")
            if isinstance(errors, list):
                texts = [
                    str(e.get("message") or e.get("code") or "") if isinstance(e, dict) else str(e)
                    for e in errors
                ]
                texts = [t for t in texts if t]
                if texts:
                    detail += f" ({'; '.join(texts)})"
        elif response.text:
            detail = response.text[:200]
        message = f"GitHub API: {method} {path} failed with {status}"
        if detail:
            message += f": {detail}"
        hint = _HINTS.get(response.status_code)
        if hint:
            message += f" - {hint}"
        return message


# -- the provider ----------------------------------------------------------------------


@dataclass(frozen=True)
class GitHubProvider:
    """GitHub as a :class:`~fixer.bot.hosting.Provider`: Actions' variables, ``GITHUB_TOKEN``."""

    name: str = "github"
    title: str = "GitHub"
    terms: Terms = GITHUB_TERMS
    default_labels: tuple[str, ...] = ()
    supports_labels: bool = False

    def in_ci(self, environ: Mapping[str, str]) -> bool:
        return environ.get("GITHUB_ACTIONS") == "true"

    def credentials(self, token_env: str | None, environ: Mapping[str, str]) -> Credentials:
        name = token_env or "GITHUB_TOKEN"
        token = environ.get(name, "").strip()
        if not token:
            raise ConfigError(
                f"no token: set {name}"
                + (" (or name another variable with --token-env)" if name == "GITHUB_TOKEN" else "")
            )
        return Credentials(token, "x-access-token", name)

    def connect(
        self, options: PrOptions, environ: Mapping[str, str], credentials: Credentials
    ) -> GitHub:
        repo = options.repo or environ.get("GITHUB_REPOSITORY", "")
        if not repo:
            raise ConfigError("no repository: pass --repo owner/name or set GITHUB_REPOSITORY")
        api_url = options.api_url or environ.get("GITHUB_API_URL") or DEFAULT_API_URL
        return GitHub(repo, credentials.token, api_url=api_url, timeout=options.api_timeout)


PROVIDER = GitHubProvider()
