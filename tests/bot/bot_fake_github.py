"""A stand-in for the GitHub REST API on 127.0.0.1 that checks every request it gets.

The server keeps pull requests and comments between calls and behaves like
GitHub where the bot depends on it (head filters, one open pull request per
head, 422 for a head branch that does not exist on the remote). Each request
is checked against the operations cut from GitHub's published OpenAPI
description (``data/github-openapi-subset.json``): the route, every path and
query parameter, and the JSON body (with ``jsonschema``). Each response the
fake sends is checked against the documented response schema too (with
``required`` relaxed, since the fake returns only the fields the bot reads),
so the fake cannot drift into shapes GitHub never sends. Problems are
recorded and answered with 400; the fixture fails the test if any occurred.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bot_http import Failure, JsonHandler, StandInServer
from jsonschema import Draft202012Validator

SPEC_PATH = Path(__file__).parent / "data" / "github-openapi-subset.json"
TOKEN = "ghs_TestToken0123456789abcdefABCDEF"  # a made-up token the tests search output for
API_PREFIX = "/api/v3"  # served under a GitHub Enterprise-style base path, as GITHUB_API_URL allows


# -- the OpenAPI description ---------------------------------------------------------


def _to_json_schema(node: Any, *, relax_required: bool = False) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema: ``nullable`` becomes a ``null`` alternative."""
    if isinstance(node, list):
        return [_to_json_schema(item, relax_required=relax_required) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: _to_json_schema(value, relax_required=relax_required)
        for key, value in node.items()
        if key not in ("nullable", "example", "examples", "discriminator")
        and not (relax_required and key == "required" and isinstance(value, list))
    }
    if node.get("nullable") is True:
        if "type" in out and isinstance(out["type"], str):
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        else:
            return {"anyOf": [out, {"type": "null"}]}
    return out


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    operation: dict[str, Any]


class OpenApi:
    """The extracted description: routes, parameter and body checks."""

    def __init__(self, path: Path = SPEC_PATH) -> None:
        self.document = json.loads(path.read_text(encoding="utf-8"))
        self.source = self.document["x-extracted-from"]
        strict = _to_json_schema(self.document)
        relaxed = _to_json_schema(self.document, relax_required=True)
        self._components = strict["components"]
        self._relaxed_components = relaxed["components"]
        self.routes: list[Route] = []
        for template, methods in self.document["paths"].items():
            regex = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
            for method, operation in methods.items():
                self.routes.append(Route(method.upper(), template, re.compile(regex), operation))

    def route(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            match = route.pattern.match(path)
            if match and route.method == method:
                return route, match.groupdict()
        return None

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            _, _, section, name = node["$ref"].split("/")
            node = self.document["components"][section][name]
        return node

    def _validator(self, schema: Any, *, relaxed: bool = False) -> Draft202012Validator:
        components = self._relaxed_components if relaxed else self._components
        return Draft202012Validator(
            {"$ref": "#/$defs/target", "$defs": {"target": schema}, "components": components}
        )

    def _errors(self, schema: Any, value: Any, *, relaxed: bool = False) -> list[str]:
        converted = _to_json_schema(schema, relax_required=relaxed)
        validator = self._validator(converted, relaxed=relaxed)
        return [
            f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
            for error in validator.iter_errors(value)
        ]

    def check_request(
        self,
        route: Route,
        path_params: dict[str, str],
        query: dict[str, list[str]],
        body: Any,
        has_body: bool,
    ) -> list[str]:
        problems: list[str] = []
        where = f"{route.method} {route.template}"
        params = [self._resolve(p) for p in route.operation.get("parameters", [])]
        declared_query = {p["name"]: p for p in params if p["in"] == "query"}
        for param in params:
            name, place = param["name"], param["in"]
            if place == "path":
                raw = [path_params.get(name)] if name in path_params else []
            elif place == "query":
                raw = query.get(name, [])
            else:
                continue
            if not raw:
                if param.get("required"):
                    problems.append(f"{where}: required {place} parameter {name!r} missing")
                continue
            if len(raw) > 1:
                problems.append(f"{where}: {place} parameter {name!r} given {len(raw)} times")
            value = _coerce(raw[0], param.get("schema", {}))
            for error in self._errors(param.get("schema", {}), value):
                problems.append(f"{where}: {place} parameter {name!r}={raw[0]!r}: {error}")
        for name in query:
            if name not in declared_query:
                problems.append(f"{where}: undocumented query parameter {name!r}")
        request_body = route.operation.get("requestBody")
        if request_body is None:
            if has_body:
                problems.append(f"{where}: takes no request body")
            return problems
        schema = request_body["content"]["application/json"]["schema"]
        if not has_body:
            if request_body.get("required"):
                problems.append(f"{where}: request body required")
            return problems
        problems += [f"{where}: body {e}" for e in self._errors(schema, body)]
        # Stricter than GitHub, which ignores unknown keys: an unknown key is a bot bug.
        if isinstance(body, dict):
            for key in body:
                if key not in schema.get("properties", {}):
                    problems.append(f"{where}: body has undocumented property {key!r}")
        return problems

    def check_response(self, route: Route, status: int, payload: Any) -> list[str]:
        where = f"{route.method} {route.template} -> {status}"
        response = route.operation["responses"].get(str(status))
        if response is None:
            return [f"{where}: status not documented"]
        response = self._resolve(response)
        content = response.get("content", {}).get("application/json")
        if content is None:
            return [] if payload is None else [f"{where}: documented without a JSON body"]
        schema = content["schema"]
        problems = [f"{where}: {e}" for e in self._errors(schema, payload, relaxed=True)]
        # The fake may leave fields out, but must not invent any.
        resolved = self._resolve(schema)
        item_schema = (
            self._resolve(resolved["items"]) if resolved.get("type") == "array" else resolved
        )
        items = payload if isinstance(payload, list) else [payload]
        known = set(item_schema.get("properties", {}))
        for item in items:
            if known and isinstance(item, dict):
                problems += [f"{where}: undocumented field {k!r}" for k in item if k not in known]
        return problems


def _coerce(raw: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer":
        try:
            return int(raw)
        except ValueError:
            return raw
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    return raw


# -- the server ----------------------------------------------------------------------------


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]


@dataclass
class FakeGitHub:
    """State and knobs of the fake API; the handler reads and changes it under ``lock``."""

    spec: OpenApi
    token: str
    owner: str
    repo: str
    bare: Path  # the remote repository, to answer "does the head branch exist"
    default_branch: str = "main"
    page_cap: int = 100  # GitHub's own maximum per page; tests lower it to force paging
    url: str = ""
    pulls: list[dict[str, Any]] = field(default_factory=list)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _next_id: int = 1000
    _link_next: bool = False

    # -- knobs for tests -------------------------------------------------------

    def fail(
        self, method: str, path_pattern: str, status: int, payload: Any, times: int | None = None
    ) -> None:
        """Answer matching requests with ``status`` and ``payload`` (``times`` times or always)."""
        with self.lock:
            self.failures.append(Failure(method, path_pattern, status, payload, times))

    def close_pull(self, number: int, *, merged: bool = False) -> None:
        with self.lock:
            pull = self._pull(number)
            assert pull is not None, number
            pull["state"] = "closed"
            pull["closed_at"] = "2024-01-02T00:00:00Z"
            pull["merged_at"] = "2024-01-02T00:00:00Z" if merged else None

    def open_pulls(self) -> list[dict[str, Any]]:
        return [p for p in self.pulls if p["state"] == "open"]

    def mutating_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.method != "GET"]

    # -- behaviour -----------------------------------------------------------------

    def _pull(self, number: int) -> dict[str, Any] | None:
        return next((p for p in self.pulls if p["number"] == number), None)

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _branch_sha(self, branch: str) -> str | None:
        result = subprocess.run(
            [
                "git",
                "--git-dir",
                str(self.bare),
                "rev-parse",
                "--verify",
                "--quiet",
                f"refs/heads/{branch}",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        return result.stdout.strip() or None

    def _pull_json(self, pull: dict[str, Any], *, full: bool) -> dict[str, Any]:
        base_url = f"{self.url}/repos/{self.owner}/{self.repo}"
        html = f"https://github.example/{self.owner}/{self.repo}/pull/{pull['number']}"
        data = {
            "url": f"{base_url}/pulls/{pull['number']}",
            "id": pull["id"],
            "number": pull["number"],
            "html_url": html,
            "state": pull["state"],
            "locked": False,
            "title": pull["title"],
            "body": pull["body"],
            "created_at": pull["created_at"],
            "updated_at": pull["created_at"],
            "closed_at": pull["closed_at"],
            "merged_at": pull["merged_at"],
            "user": {"login": "backend-fixer", "id": 1, "type": "Bot"},
            "head": {
                "label": f"{self.owner}:{pull['head']}",
                "ref": pull["head"],
                "sha": pull["head_sha"],
            },
            "base": {
                "label": f"{self.owner}:{pull['base']}",
                "ref": pull["base"],
                "sha": pull["base_sha"],
            },
            "draft": False,
        }
        if full:
            data["merged"] = pull["merged_at"] is not None
        return data

    def handle(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        headers: dict[str, str],
        route: Route,
        params: dict[str, str],
    ) -> tuple[int, Any]:
        """The business logic; returns (status, payload)."""
        if headers.get("authorization") != f"Bearer {self.token}":
            return 401, {
                "message": "Bad credentials",
                "documentation_url": "https://docs.github.com/rest",
            }
        if (params.get("owner"), params.get("repo")) != (self.owner, self.repo):
            return 404, {
                "message": "Not Found",
                "documentation_url": "https://docs.github.com/rest",
            }
        op = route.operation["operationId"]
        if op == "repos/get":
            return 200, {
                "id": 1,
                "name": self.repo,
                "full_name": f"{self.owner}/{self.repo}",
                "default_branch": self.default_branch,
                "private": True,
            }
        if op == "pulls/list":
            state = query.get("state", ["open"])[0]
            items = [p for p in self.pulls if state == "all" or p["state"] == state]
            if "head" in query:
                owner, _, ref = query["head"][0].partition(":")
                items = [p for p in items if owner == self.owner and p["head"] == ref]
            items.sort(key=lambda p: p["number"], reverse=True)  # created, desc
            return 200, self._page(items, query, lambda p: self._pull_json(p, full=False))
        if op == "pulls/create":
            head = body["head"].split(":", 1)[-1]
            head_sha = self._branch_sha(head)
            if head_sha is None:
                return 422, _validation("head", "invalid")
            if self._branch_sha(body["base"]) is None:
                return 422, _validation("base", "invalid")
            if any(p["head"] == head and p["base"] == body["base"] for p in self.open_pulls()):
                return 422, {
                    "message": "Validation Failed",
                    "errors": [
                        {
                            "resource": "PullRequest",
                            "code": "custom",
                            "message": f"A pull request already exists for {self.owner}:{head}.",
                        }
                    ],
                    "documentation_url": "https://docs.github.com/rest",
                }
            number = len(self.pulls) + 1
            pull = {
                "number": number,
                "id": self._new_id(),
                "state": "open",
                "title": body.get("title", ""),
                "body": body.get("body"),
                "head": head,
                "base": body["base"],
                "head_sha": head_sha,
                "base_sha": self._branch_sha(body["base"]),
                "created_at": f"2024-01-01T00:00:{number:02d}Z",
                "closed_at": None,
                "merged_at": None,
            }
            self.pulls.append(pull)
            return 201, self._pull_json(pull, full=True)
        if op == "pulls/update":
            pull = self._pull(int(params["pull_number"]))
            if pull is None:
                return 404, {"message": "Not Found"}
            for key in ("title", "body"):
                if key in body:
                    pull[key] = body[key]
            return 200, self._pull_json(pull, full=True)
        if op == "issues/list-comments":
            number = int(params["issue_number"])
            if self._pull(number) is None:
                return 404, {"message": "Not Found"}
            return 200, self._page(self.comments.get(number, []), query, dict)
        if op == "issues/create-comment":
            number = int(params["issue_number"])
            if self._pull(number) is None:
                return 404, {"message": "Not Found"}
            comment_id = self._new_id()
            comment = {
                "id": comment_id,
                "body": body["body"],
                "html_url": f"https://github.example/c/{comment_id}",
                "created_at": "2024-01-01T00:00:00Z",
                "updated_at": "2024-01-01T00:00:00Z",
            }
            self.comments.setdefault(number, []).append(comment)
            return 201, comment
        return 500, {"message": f"fake has no handler for {op}"}

    def _page(self, items: list[Any], query: dict[str, list[str]], render: Any) -> Any:
        per_page = min(int(query.get("per_page", ["30"])[0]), self.page_cap)
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * per_page : page * per_page]
        # The Link header is added by the handler from this hint.
        self._link_next = page * per_page < len(items)
        return [render(item) for item in chunk]


def _validation(field_name: str, code: str) -> dict[str, Any]:
    return {
        "message": "Validation Failed",
        "errors": [{"resource": "PullRequest", "field": field_name, "code": code}],
        "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
    }


def make_handler(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        json_type = "application/json; charset=utf-8"

        def _serve(self) -> None:
            incoming = self.read_incoming()
            parts, query, body, headers = (
                incoming.parts,
                incoming.query,
                incoming.body,
                incoming.headers,
            )
            path = parts.path.removeprefix(API_PREFIX)
            problems = incoming.problems
            with fake.lock:
                fake.requests.append(Recorded(self.command, path, query, body, headers))
                if not parts.path.startswith(API_PREFIX + "/"):
                    problems.append(f"{parts.path}: not under the API base path {API_PREFIX}")
                found = fake.spec.route(self.command, path)
                if found is None:
                    problems.append(f"{self.command} {path}: no such operation in the spec")
                else:
                    route, params = found
                    problems += fake.spec.check_request(
                        route, params, query, body, bool(incoming.raw)
                    )
                if headers.get("accept") != "application/vnd.github+json":
                    problems.append(
                        f"{self.command} {path}: Accept header is {headers.get('accept')!r}"
                    )
                if not headers.get("x-github-api-version"):
                    problems.append(f"{self.command} {path}: no X-GitHub-Api-Version")
                if problems:
                    fake.problems.extend(problems)
                    self.send(400, {"message": "; ".join(problems)})
                    return
                if self.play_failure(fake.failures, path):
                    return
                fake._link_next = False
                status, payload = fake.handle(
                    self.command, path, query, body, headers, route, params
                )
                extra: dict[str, str] = {}
                if fake._link_next:
                    nxt = {k: v[0] for k, v in query.items()}
                    nxt["page"] = str(int(nxt.get("page", "1")) + 1)
                    extra["Link"] = f'<{fake.url}{path}?{urlencode(nxt)}>; rel="next"'
                if status != 401:
                    response_problems = fake.spec.check_response(route, status, payload)
                    fake.problems.extend(response_problems)
            self.send(status, payload, extra)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    return Handler


class FakeServer(StandInServer):
    """Runs a :class:`FakeGitHub` on 127.0.0.1 in a thread; ``stop`` ends it."""

    def __init__(self, fake: FakeGitHub) -> None:
        self.fake = fake

        def bound(base: str) -> None:
            fake.url = base + API_PREFIX

        super().__init__(make_handler(fake), bound)


def deep_copy_pulls(fake: FakeGitHub) -> list[dict[str, Any]]:
    with fake.lock:
        return copy.deepcopy(fake.pulls)
