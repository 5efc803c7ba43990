"""A stand-in for GitLab's REST API (v4) on 127.0.0.1, written from GitLab's API documentation.

It keeps merge requests and notes between calls and behaves like GitLab where
the bot depends on it: projects addressed by numeric id or URL-encoded path,
merge requests filtered by ``source_branch`` and ``state``, one open merge
request per source and target branch (409), source and target branches that
must exist on the remote, offset pagination with GitLab's ``Link`` and
``X-*`` headers, and the job token refused on these endpoints. Every request is
checked against :data:`ENDPOINTS`, a table of the attributes GitLab documents for
each endpoint (Projects, Merge requests and Notes API pages): the route, each
attribute's type and allowed values, required attributes, the JSON body and
the authentication header. Problems are recorded and answered with 400; the
fixture fails the test if any occurred. The tests drive it through the real
``python-gitlab`` client, so the client's requests are what gets checked.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode

from bot_http import Failure, JsonHandler, StandInServer

GITLAB_TOKEN = "glpat-TestToken0123456789abcdef"  # a made-up project access token
JOB_TOKEN = "glcbt-64_TestJobToken9876543210zyx"  # a made-up CI job token
API_PREFIX = "/api/v4"

# -- the documented endpoints ------------------------------------------------------------

# Attribute kinds: "string", "integer", "boolean", "labels" (a comma-separated string or
# an array of strings), or a tuple of allowed string values.
Kind = str | tuple[str, ...]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    template: str  # with :id and :merge_request_iid as GitLab's docs write them
    attributes: dict[str, Kind]
    required: tuple[str, ...] = ()
    body: bool = False  # attributes travel as a JSON body (POST/PUT), else in the query
    at_least_one: bool = False  # "at least one non-required attribute must be given"

    @property
    def pattern(self) -> re.Pattern[str]:
        regex = re.escape(self.template)
        regex = regex.replace(":id", "(?P<id>[^/]+)").replace(
            ":merge_request_iid", "(?P<iid>[^/]+)"
        )
        return re.compile(f"^{regex}$")


PAGINATION: dict[str, Kind] = {"page": "integer", "per_page": "integer"}

ENDPOINTS = (
    # https://docs.gitlab.com/api/projects/#get-a-single-project
    Endpoint(
        "project",
        "GET",
        "/projects/:id",
        {"license": "boolean", "statistics": "boolean", "with_custom_attributes": "boolean"},
    ),
    # https://docs.gitlab.com/api/merge_requests/#list-project-merge-requests
    Endpoint(
        "list merge requests",
        "GET",
        "/projects/:id/merge_requests",
        {
            **PAGINATION,
            "state": ("opened", "closed", "locked", "merged", "all"),
            "order_by": ("created_at", "updated_at", "merged_at", "title", "label_priority"),
            "sort": ("asc", "desc"),
            "source_branch": "string",
            "target_branch": "string",
            "labels": "labels",
            "milestone": "string",
            "view": ("simple",),
            "with_labels_details": "boolean",
            "with_merge_status_recheck": "boolean",
            "created_after": "string",
            "created_before": "string",
            "updated_after": "string",
            "updated_before": "string",
            "scope": ("created_by_me", "assigned_to_me", "all"),
            "author_id": "integer",
            "author_username": "string",
            "search": "string",
            "draft": ("yes", "no"),
        },
    ),
    # https://docs.gitlab.com/api/merge_requests/#create-mr
    Endpoint(
        "create merge request",
        "POST",
        "/projects/:id/merge_requests",
        {
            "source_branch": "string",
            "target_branch": "string",
            "title": "string",
            "allow_collaboration": "boolean",
            "assignee_id": "integer",
            "description": "string",
            "labels": "labels",
            "milestone_id": "integer",
            "remove_source_branch": "boolean",
            "squash": "boolean",
            "target_project_id": "integer",
        },
        required=("source_branch", "target_branch", "title"),
        body=True,
    ),
    # https://docs.gitlab.com/api/merge_requests/#update-mr
    Endpoint(
        "update merge request",
        "PUT",
        "/projects/:id/merge_requests/:merge_request_iid",
        {
            "add_labels": "labels",
            "allow_collaboration": "boolean",
            "assignee_id": "integer",
            "description": "string",
            "discussion_locked": "boolean",
            "labels": "labels",
            "milestone_id": "integer",
            "remove_labels": "labels",
            "remove_source_branch": "boolean",
            "squash": "boolean",
            "state_event": ("close", "reopen"),
            "target_branch": "string",
            "title": "string",
        },
        body=True,
        at_least_one=True,
    ),
    # https://docs.gitlab.com/api/notes/#list-all-merge-request-notes
    Endpoint(
        "list notes",
        "GET",
        "/projects/:id/merge_requests/:merge_request_iid/notes",
        {**PAGINATION, "sort": ("asc", "desc"), "order_by": ("created_at", "updated_at")},
    ),
    # https://docs.gitlab.com/api/notes/#create-new-merge-request-note
    Endpoint(
        "create note",
        "POST",
        "/projects/:id/merge_requests/:merge_request_iid/notes",
        {
            "body": "string",
            "created_at": "string",
            "internal": "boolean",
            "merge_request_diff_head_sha": "string",
        },
        required=("body",),
        body=True,
    ),
)


def _kind_problem(name: str, kind: Kind, value: Any, *, in_query: bool) -> str | None:
    """Why ``value`` is not a valid ``kind``; None when it is."""
    if in_query:  # query values are strings; GitLab coerces them
        if kind == "integer" and not re.fullmatch(r"-?\d+", value):
            return f"{name}={value!r} is not an integer"
        if kind == "boolean" and value not in ("true", "false"):
            return f"{name}={value!r} is not a boolean"
        if isinstance(kind, tuple) and value not in kind:
            return f"{name}={value!r} is not one of {', '.join(kind)}"
        return None
    if kind == "string" and not isinstance(value, str):
        return f"{name} must be a string, got {type(value).__name__}"
    if kind == "integer" and (not isinstance(value, int) or isinstance(value, bool)):
        return f"{name} must be an integer, got {type(value).__name__}"
    if kind == "boolean" and not isinstance(value, bool):
        return f"{name} must be a boolean, got {type(value).__name__}"
    if kind == "labels" and not (
        isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    ):
        return f"{name} must be a comma-separated string or an array of strings"
    if isinstance(kind, tuple) and value not in kind:
        return f"{name}={value!r} is not one of {', '.join(kind)}"
    return None


def check_request(
    endpoint: Endpoint, query: dict[str, list[str]], body: Any, has_body: bool
) -> list[str]:
    """Everything about a request that GitLab's documentation of ``endpoint`` does not allow."""
    where = f"{endpoint.method} {endpoint.template}"
    problems: list[str] = []
    for name, values in query.items():
        if endpoint.body or name not in endpoint.attributes:
            problems.append(f"{where}: undocumented query attribute {name!r}")
            continue
        if len(values) > 1:
            problems.append(f"{where}: query attribute {name!r} given {len(values)} times")
        problem = _kind_problem(name, endpoint.attributes[name], values[0], in_query=True)
        if problem:
            problems.append(f"{where}: {problem}")
    if not endpoint.body:
        if has_body:
            problems.append(f"{where}: takes no request body")
        return problems
    if not isinstance(body, dict):
        return [*problems, f"{where}: the body must be a JSON object"]
    for name, value in body.items():
        if name not in endpoint.attributes:
            # Stricter than GitLab, which ignores unknown keys: an unknown key is a bot bug.
            problems.append(f"{where}: undocumented attribute {name!r}")
            continue
        problem = _kind_problem(name, endpoint.attributes[name], value, in_query=False)
        if problem:
            problems.append(f"{where}: {problem}")
    for name in endpoint.required:
        if name not in body:
            problems.append(f"{where}: required attribute {name!r} missing")
    if endpoint.at_least_one and not body:
        problems.append(f"{where}: at least one attribute must be given")
    return problems


def _labels(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item.strip()]


# -- the state and behaviour ---------------------------------------------------------------


@dataclass
class Recorded:
    method: str
    path: str  # below /api/v4, percent-encoding kept as sent
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]
    endpoint: str = ""


@dataclass
class FakeGitLab:
    """State and knobs of the stand-in; the handler reads and changes it under ``lock``."""

    bare: Path  # the project's repository, to answer "does this branch exist"
    token: str = GITLAB_TOKEN
    job_token: str = JOB_TOKEN
    project_id: int = 42
    path_with_namespace: str = "acme/infra"
    default_branch: str = "main"
    prefix: str = ""  # a relative URL root of a self-managed instance, e.g. /gitlab
    page_cap: int = 100  # GitLab's maximum per_page; tests lower it to force paging
    url: str = ""  # the instance's URL (what CI_SERVER_URL holds)
    merge_requests: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Runs (under the lock) when a create request arrives: another run racing the bot.
    before_create: Callable[[], None] | None = None
    _next_id: int = 5000

    @property
    def web_url(self) -> str:
        return f"https://gitlab.example{self.prefix}/{self.path_with_namespace}"

    # -- knobs for tests -------------------------------------------------------

    def fail(
        self, method: str, path_pattern: str, status: int, payload: Any, times: int | None = None
    ) -> None:
        """Answer matching requests with ``status`` and ``payload`` (``times`` times or always)."""
        with self.lock:
            self.failures.append(Failure(method, path_pattern, status, payload, times))

    def close_mr(self, iid: int, *, merged: bool = False) -> None:
        """A person closes (or merges) merge request ``iid`` in the web interface."""
        with self.lock:
            mr = self._mr(iid)
            assert mr is not None, iid
            mr["state"] = "merged" if merged else "closed"
            mr["closed_at" if not merged else "merged_at"] = "2024-01-02T00:00:00.000Z"

    def add_mr(self, **fields: Any) -> dict[str, Any]:
        """A merge request made elsewhere (by a person, or from a fork)."""
        with self.lock:
            return self._add_mr(**fields)

    def _add_mr(self, **fields: Any) -> dict[str, Any]:
        iid = len(self.merge_requests) + 1
        mr = self._new_mr(iid, fields.pop("source_branch"), fields.pop("target_branch", "main"))
        mr.update(fields)
        self.merge_requests.append(mr)
        return mr

    def mutating_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.method != "GET"]

    # -- behaviour -------------------------------------------------------------

    def _mr(self, iid: int) -> dict[str, Any] | None:
        return next((m for m in self.merge_requests if m["iid"] == iid), None)

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _branch_sha(self, name: str) -> str | None:
        branch = f"refs/heads/{name}"
        result = subprocess.run(
            ["git", "--git-dir", str(self.bare), "rev-parse", "--verify", "--quiet", branch],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        return result.stdout.strip() or None

    def _new_mr(self, iid: int, source: str, target: str) -> dict[str, Any]:
        return {
            "id": self._new_id(),
            "iid": iid,
            "project_id": self.project_id,
            "source_project_id": self.project_id,
            "target_project_id": self.project_id,
            "title": "",
            "description": None,
            "state": "opened",
            "source_branch": source,
            "target_branch": target,
            "labels": [],
            "force_remove_source_branch": False,
            "sha": self._branch_sha(source),
            "created_at": f"2024-01-01T00:00:{iid:02d}.000Z",
            "merged_at": None,
            "closed_at": None,
        }

    def _mr_json(self, mr: dict[str, Any]) -> dict[str, Any]:
        """The merge request as GitLab's API shows it (the documented fields the bot can read)."""
        iid = mr["iid"]
        return {
            **mr,
            "updated_at": mr["created_at"],
            "author": {
                "id": 7,
                "username": "project_42_bot",
                "name": "backend-fixer",
                "state": "active",
                "web_url": "https://gitlab.example/project_42_bot",
            },
            "draft": False,
            "work_in_progress": False,
            "merge_status": "can_be_merged",
            "detailed_merge_status": "mergeable",
            "should_remove_source_branch": None,
            "user_notes_count": len(self.notes.get(iid, [])),
            "reference": f"!{iid}",
            "references": {
                "short": f"!{iid}",
                "relative": f"!{iid}",
                "full": f"{self.path_with_namespace}!{iid}",
            },
            "web_url": f"{self.web_url}/-/merge_requests/{iid}",
            "squash": False,
            "has_conflicts": False,
            "blocking_discussions_resolved": True,
        }

    def _project_json(self) -> dict[str, Any]:
        name = self.path_with_namespace.rsplit("/", 1)[-1]
        return {
            "id": self.project_id,
            "name": name,
            "path": name,
            "path_with_namespace": self.path_with_namespace,
            "name_with_namespace": self.path_with_namespace.replace("/", " / "),
            "default_branch": self.default_branch,
            "visibility": "private",
            "web_url": self.web_url,
            "http_url_to_repo": f"{self.web_url}.git",
            "created_at": "2024-01-01T00:00:00.000Z",
        }

    def _authenticated(self, method: str, headers: dict[str, str]) -> tuple[int, Any] | None:
        """None when the request may go on; else GitLab's answer to it."""
        given = [h for h in ("private-token", "job-token", "authorization") if h in headers]
        if given == ["private-token"] and headers["private-token"] == self.token:
            return None
        if given == ["job-token"] and headers["job-token"] == self.job_token:
            # The job token is not accepted on these endpoints, so the request counts as
            # anonymous; GitLab then hides a private project's resources (404) from
            # reads and refuses writes (401).
            if method == "GET":
                return 404, {"message": "404 Project Not Found"}
            return 401, {"message": "401 Unauthorized"}
        return 401, {"message": "401 Unauthorized"}

    def handle(
        self,
        endpoint: Endpoint,
        params: dict[str, str],
        query: dict[str, list[str]],
        body: Any,
        headers: dict[str, str],
    ) -> tuple[int, Any, list[dict[str, Any]] | None]:
        """The business logic: (status, payload, the whole list when the answer is a page)."""
        denied = self._authenticated(endpoint.method, headers)
        if denied is not None:
            return (*denied, None)
        project = unquote(params["id"])
        if project not in (str(self.project_id), self.path_with_namespace):
            return 404, {"message": "404 Project Not Found"}, None
        if endpoint.name == "project":
            return 200, self._project_json(), None
        if endpoint.name == "list merge requests":
            items = list(self.merge_requests)
            state = query.get("state", ["all"])[0]
            if state != "all":
                items = [m for m in items if m["state"] == state]
            if "source_branch" in query:
                items = [m for m in items if m["source_branch"] == query["source_branch"][0]]
            if "target_branch" in query:
                items = [m for m in items if m["target_branch"] == query["target_branch"][0]]
            order = query.get("order_by", ["created_at"])[0]
            descending = query.get("sort", ["desc"])[0] == "desc"
            items.sort(key=lambda m: (m.get(order) or "", m["iid"]), reverse=descending)
            return 200, None, [self._mr_json(m) for m in items]
        if endpoint.name == "create merge request":
            if self.before_create is not None:
                self.before_create()
            source, target = body["source_branch"], body["target_branch"]
            if self._branch_sha(source) is None:
                return 422, {"message": [f'Source branch "{source}" does not exist']}, None
            if self._branch_sha(target) is None:
                return 422, {"message": [f'Target branch "{target}" does not exist']}, None
            if source == target:
                return (
                    422,
                    {"message": ["You can't use same project/branch for source and target"]},
                    None,
                )
            for other in self.merge_requests:
                if (
                    other["state"] == "opened"
                    and other["source_project_id"] == self.project_id
                    and other["source_branch"] == source
                    and other["target_branch"] == target
                ):
                    return (
                        409,
                        {
                            "message": [
                                "Another open merge request already exists for this source "
                                f"branch: !{other['iid']}"
                            ]
                        },
                        None,
                    )
            mr = self._new_mr(len(self.merge_requests) + 1, source, target)
            mr["title"] = body["title"]
            mr["description"] = body.get("description")
            mr["labels"] = sorted(set(_labels(body.get("labels", []))))
            mr["force_remove_source_branch"] = bool(body.get("remove_source_branch", False))
            self.merge_requests.append(mr)
            return 201, self._mr_json(mr), None
        mr = self._mr(int(params["iid"])) if params.get("iid", "").isdigit() else None
        if mr is None:
            return 404, {"message": "404 Not found"}, None
        if endpoint.name == "update merge request":
            for key in ("title", "description", "target_branch"):
                if key in body:
                    mr[key] = body[key]
            if "labels" in body:
                mr["labels"] = sorted(set(_labels(body["labels"])))
            return 200, self._mr_json(mr), None
        if endpoint.name == "list notes":
            items = list(self.notes.get(mr["iid"], []))
            if query.get("sort", ["desc"])[0] == "desc":
                items.reverse()
            return 200, None, items
        if endpoint.name == "create note":
            note_id = self._new_id()
            note = {
                "id": note_id,
                "type": None,
                "body": body["body"],
                "author": {"id": 7, "username": "project_42_bot", "name": "backend-fixer"},
                "created_at": "2024-01-01T00:00:00.000Z",
                "updated_at": "2024-01-01T00:00:00.000Z",
                "system": False,
                "noteable_id": mr["id"],
                "noteable_type": "MergeRequest",
                "noteable_iid": mr["iid"],
                "project_id": self.project_id,
                "resolvable": False,
                "confidential": False,
                "internal": False,
            }
            self.notes.setdefault(mr["iid"], []).append(note)
            return 201, note, None
        return 500, {"message": f"stand-in has no handler for {endpoint.name}"}, None

    def system_note(self, iid: int, body: str) -> None:
        """A note GitLab itself writes ("added 1 commit")."""
        with self.lock:
            self.notes.setdefault(iid, []).append(
                {"id": self._new_id(), "body": body, "system": True, "noteable_iid": iid}
            )


def _page_headers(
    url: str, path: str, query: dict[str, list[str]], total: int, page: int, per_page: int
) -> dict[str, str]:
    """GitLab's offset-pagination headers, as its Pagination documentation lists them."""
    pages = max(1, -(-total // per_page))
    base = {k: v[0] for k, v in query.items()}

    def link(number: int) -> str:
        return (
            f"{url}{API_PREFIX}{path}?{urlencode({**base, 'page': number, 'per_page': per_page})}"
        )

    rels = []
    if page > 1:
        rels.append(f'<{link(page - 1)}>; rel="prev"')
    if page < pages:
        rels.append(f'<{link(page + 1)}>; rel="next"')
    rels += [f'<{link(1)}>; rel="first"', f'<{link(pages)}>; rel="last"']
    return {
        "Link": ", ".join(rels),
        "X-Page": str(page),
        "X-Per-Page": str(per_page),
        "X-Next-Page": str(page + 1) if page < pages else "",
        "X-Prev-Page": str(page - 1) if page > 1 else "",
        "X-Total": str(total),
        "X-Total-Pages": str(pages),
    }


def make_handler(fake: FakeGitLab) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        def _serve(self) -> None:
            incoming = self.read_incoming()
            query, body, headers = incoming.query, incoming.body, incoming.headers
            # Match on the raw path: a project path arrives percent-encoded (acme%2Finfra).
            full = incoming.parts.path
            problems = incoming.problems
            with fake.lock:
                root = fake.prefix + API_PREFIX
                path = full.removeprefix(root)
                record = Recorded(self.command, path, query, body, headers)
                fake.requests.append(record)
                found = None
                if not full.startswith(root + "/"):
                    problems.append(f"{full}: not under the API base path {root}")
                else:
                    for endpoint in ENDPOINTS:
                        match = endpoint.pattern.match(path)
                        if match and endpoint.method == self.command:
                            found = (endpoint, match.groupdict())
                            break
                    if found is None:
                        problems.append(f"{self.command} {path}: no such endpoint in the table")
                if found is not None:
                    endpoint, params = found
                    record.endpoint = endpoint.name
                    problems += check_request(endpoint, query, body, bool(incoming.raw))
                if problems:
                    fake.problems.extend(problems)
                    self.send(400, {"message": "; ".join(problems)})
                    return
                assert found is not None
                endpoint, params = found
                if self.play_failure(fake.failures, path):
                    return
                status, payload, listing = fake.handle(endpoint, params, query, body, headers)
                extra: dict[str, str] = {}
                if listing is not None:
                    per_page = min(int(query.get("per_page", ["20"])[0]), fake.page_cap)
                    page = max(1, int(query.get("page", ["1"])[0]))
                    payload = listing[(page - 1) * per_page : page * per_page]
                    extra = _page_headers(fake.url, path, query, len(listing), page, per_page)
            self.send(status, payload, extra)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    return Handler


class FakeGitLabServer(StandInServer):
    """Runs a :class:`FakeGitLab` on 127.0.0.1 in a thread; ``stop`` ends it."""

    def __init__(self, fake: FakeGitLab) -> None:
        self.fake = fake

        def bound(base: str) -> None:
            fake.url = base + fake.prefix

        super().__init__(make_handler(fake), bound)
