"""The fake GitHub API catches requests that GitHub's OpenAPI description forbids.

If these checks were vacuous, every bot test would pass against any request;
so each kind of mistake is sent on purpose here and must be caught.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from bot_fake_github import TOKEN, FakeGitHub, OpenApi

HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
}


def test_the_description_is_github_s_and_names_its_source(openapi: OpenApi) -> None:
    assert openapi.source["npm-package"] == "@octokit/openapi"
    assert openapi.source["version"] == "23.0.2"
    assert openapi.document["info"]["x-github-plan"] == "api.github.com"
    ops = {route.operation["operationId"] for route in openapi.routes}
    assert ops == {
        "repos/get",
        "pulls/list",
        "pulls/create",
        "pulls/update",
        "issues/list-comments",
        "issues/create-comment",
    }


@pytest.mark.parametrize(
    ("method", "path", "params", "body", "problem"),
    [
        (
            "GET",
            "/repos/acme/infra/pulls",
            {"state": "everything"},
            None,
            "'everything' is not one",
        ),
        ("GET", "/repos/acme/infra/pulls", {"head_branch": "x"}, None, "undocumented query"),
        ("GET", "/repos/acme/infra/pulls", {"per_page": "lots"}, None, "is not of type 'integer'"),
        ("POST", "/repos/acme/infra/pulls", None, {"title": "t", "base": "main"}, "'head' is a"),
        ("POST", "/repos/acme/infra/pulls", None, {"head": 1, "base": "main"}, "not of type"),
        (
            "POST",
            "/repos/acme/infra/pulls",
            None,
            {"head": "h", "base": "m", "tilte": "x"},
            "undocumented property 'tilte'",
        ),
        ("PATCH", "/repos/acme/infra/pulls/one", None, {"title": "t"}, "pull_number"),
        ("PATCH", "/repos/acme/infra/pulls/1", None, {"state": "merged"}, "'merged' is not one"),
        ("POST", "/repos/acme/infra/issues/1/comments", None, {}, "'body' is a required"),
        ("DELETE", "/repos/acme/infra/pulls/1", None, None, "no such operation"),
    ],
)
def test_requests_outside_the_description_are_caught(
    github: FakeGitHub,
    method: str,
    path: str,
    params: dict[str, str] | None,
    body: Any,
    problem: str,
) -> None:
    response = httpx.request(
        method, github.url + path, params=params, json=body, headers=HEADERS, timeout=10
    )
    found = list(github.problems)
    github.problems.clear()  # expected here; the fixture fails on any left over

    assert response.status_code == 400
    assert any(problem in p for p in found), found


def test_missing_api_headers_are_caught(github: FakeGitHub) -> None:
    response = httpx.get(github.url + "/repos/acme/infra", headers={"Authorization": "Bearer x"})
    found = list(github.problems)
    github.problems.clear()
    assert response.status_code == 400
    assert any("Accept header" in p for p in found) and any("Api-Version" in p for p in found)


def test_a_valid_request_passes_and_the_fake_answers_like_github(github: FakeGitHub) -> None:
    response = httpx.get(
        github.url + "/repos/acme/infra/pulls",
        params={"state": "all", "head": "acme:backend-fixer/comment", "per_page": "100"},
        headers=HEADERS,
    )
    assert response.status_code == 200 and response.json() == []
    created = httpx.post(
        github.url + "/repos/acme/infra/pulls",
        json={"title": "t", "head": "no-such-branch", "base": "main"},
        headers=HEADERS,
    )
    assert created.status_code == 422  # GitHub refuses a head branch that is not on the remote
    assert github.problems == []


def test_responses_are_checked_too(openapi: OpenApi) -> None:
    route, _ = openapi.route("GET", "/repos/o/r/pulls") or (None, None)
    assert route is not None
    assert openapi.check_response(route, 200, [{"number": 1, "state": "open"}]) == []
    problems = openapi.check_response(route, 200, [{"number": "1", "surprise": True}])
    assert any("'1' is not of type 'integer'" in p for p in problems)
    assert any("undocumented field 'surprise'" in p for p in problems)
    assert openapi.check_response(route, 418, None) == [
        "GET /repos/{owner}/{repo}/pulls -> 418: status not documented"
    ]
