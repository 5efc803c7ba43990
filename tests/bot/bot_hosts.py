"""One view of the two stand-ins, so a behaviour test is written once and run for each host.

:class:`Host` wraps :class:`~bot_fake_github.FakeGitHub` or
:class:`~bot_fake_gitlab.FakeGitLab` and answers in the same terms: the
requests (pull or merge) as plain dicts, the calls the bot made by kind, the
environment the host's CI would give the bot, and knobs to close a request or
make a call fail.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from bot_fake_github import TOKEN, FakeGitHub
from bot_fake_gitlab import GITLAB_TOKEN, FakeGitLab

# Per call kind: (method, path pattern) on each host.
_CALLS = {
    "github": {
        "project": ("GET", r"^/repos/acme/infra$"),
        "list": ("GET", r"/pulls$"),
        "create": ("POST", r"/pulls$"),
        "update": ("PATCH", r"/pulls/\d+$"),
        "comments": ("GET", r"/comments$"),
        "comment": ("POST", r"/comments$"),
    },
    "gitlab": {
        "project": ("GET", r"^/projects/[^/]+$"),
        "list": ("GET", r"/merge_requests$"),
        "create": ("POST", r"/merge_requests$"),
        "update": ("PUT", r"/merge_requests/\d+$"),
        "comments": ("GET", r"/notes$"),
        "comment": ("POST", r"/notes$"),
    },
}


@dataclass
class Host:
    name: str  # "github" | "gitlab"
    fake: Any  # FakeGitHub | FakeGitLab

    @classmethod
    def of(cls, fake: FakeGitHub | FakeGitLab) -> Host:
        return cls("github" if isinstance(fake, FakeGitHub) else "gitlab", fake)

    # -- what the bot is given ------------------------------------------------------

    @property
    def token(self) -> str:
        return TOKEN if self.name == "github" else GITLAB_TOKEN

    @property
    def token_env(self) -> str:
        return "GITHUB_TOKEN" if self.name == "github" else "GITLAB_TOKEN"

    @property
    def request_word(self) -> str:
        return "pull request" if self.name == "github" else "merge request"

    def ref(self, number: int) -> str:
        return f"{'#' if self.name == 'github' else '!'}{number}"

    def ci_environ(self) -> dict[str, str]:
        """The variables the host's CI sets for a job (GitLab's without the job token)."""
        if self.name == "github":
            return {
                "GITHUB_ACTIONS": "true",
                "GITHUB_REPOSITORY": "acme/infra",
                "GITHUB_API_URL": self.fake.url,
            }
        return {
            "GITLAB_CI": "true",
            "CI_SERVER_URL": self.fake.url,
            "CI_PROJECT_ID": str(self.fake.project_id),
            "CI_PROJECT_PATH": self.fake.path_with_namespace,
            "CI_DEFAULT_BRANCH": self.fake.default_branch,
        }

    def environ(self, **extra: str) -> dict[str, str]:
        """The test process's environment, the CI variables and the token."""
        return {**os.environ, **self.ci_environ(), self.token_env: self.token, **extra}

    # -- what happened --------------------------------------------------------------

    def requests(self) -> list[dict[str, Any]]:
        """Every pull/merge request, oldest first, in one shape."""
        if self.name == "github":
            return [
                {
                    "number": p["number"],
                    "state": "merged" if p["merged_at"] else p["state"],
                    "head": p["head"],
                    "base": p["base"],
                    "title": p["title"],
                    "body": p["body"],
                    "labels": [],
                }
                for p in self.fake.pulls
            ]
        return [
            {
                "number": m["iid"],
                "state": {"opened": "open"}.get(m["state"], m["state"]),
                "head": m["source_branch"],
                "base": m["target_branch"],
                "title": m["title"],
                "body": m["description"],
                "labels": m["labels"],
            }
            for m in self.fake.merge_requests
        ]

    def comments(self, number: int) -> list[str]:
        store = self.fake.comments if self.name == "github" else self.fake.notes
        return [c["body"] for c in store.get(number, [])]

    def calls(self) -> list[str]:
        """The bot's requests by kind (``project``, ``list``, ``create``, ...), in order."""
        kinds = []
        for request in self.fake.requests:
            for kind, (method, pattern) in _CALLS[self.name].items():
                if request.method == method and re.search(pattern, request.path):
                    kinds.append(kind)
                    break
            else:
                kinds.append(f"{request.method} {request.path}")
        return kinds

    def mutating(self) -> list[str]:
        return [c for c in self.calls() if c in ("create", "update", "comment")]

    # -- knobs ----------------------------------------------------------------------

    def close(self, number: int, *, merged: bool = False) -> None:
        if self.name == "github":
            self.fake.close_pull(number, merged=merged)
        else:
            self.fake.close_mr(number, merged=merged)

    def fail(self, kind: str, status: int, payload: Any, times: int | None = None) -> None:
        method, pattern = _CALLS[self.name][kind]
        self.fake.fail(method, pattern, status, payload, times=times)

    def set_page_cap(self, cap: int) -> None:
        self.fake.page_cap = cap

    def add_closed_request(self, body: str) -> None:
        """Another closed request from the bot's branch, newer than those there, with ``body``."""
        if self.name == "github":
            first = self.fake.pulls[0]
            n = len(self.fake.pulls) + 1
            self.fake.pulls.append({**first, "number": n, "id": 2000 + n, "body": body})
        else:
            first = self.fake.merge_requests[0]
            n = len(self.fake.merge_requests) + 1
            created = f"2024-01-01T00:01:{n:02d}.000Z"
            self.fake.merge_requests.append(
                {**first, "iid": n, "id": 9000 + n, "created_at": created, "description": body}
            )
