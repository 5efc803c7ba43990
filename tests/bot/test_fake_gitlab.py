"""The GitLab stand-in catches requests GitLab's API documentation does not allow.

If its checks were vacuous, every GitLab bot test would pass against any
request; so each kind of mistake is sent on purpose here and must be caught.
It must also answer the way python-gitlab expects: pagination headers and links
it follows, error bodies it reads.
"""

from __future__ import annotations

from typing import Any

import gitlab as python_gitlab
import httpx
import pytest
from bot_fake_gitlab import GITLAB_TOKEN, JOB_TOKEN, FakeGitLab

HEADERS = {"PRIVATE-TOKEN": GITLAB_TOKEN}
MRS = "/api/v4/projects/42/merge_requests"


@pytest.mark.parametrize(
    ("method", "path", "params", "body", "problem"),
    [
        ("GET", MRS, {"state": "open"}, None, "state='open' is not one of"),
        ("GET", MRS, {"source": "x"}, None, "undocumented query attribute 'source'"),
        ("GET", MRS, {"per_page": "lots"}, None, "is not an integer"),
        ("GET", MRS, {"with_labels_details": "yes"}, None, "is not a boolean"),
        ("POST", MRS, None, {"source_branch": "a", "target_branch": "b"}, "'title' missing"),
        (
            "POST",
            MRS,
            None,
            {"source_branch": "a", "target_branch": "b", "title": "t", "tilte": "x"},
            "undocumented attribute 'tilte'",
        ),
        (
            "POST",
            MRS,
            None,
            {"source_branch": "a", "target_branch": "b", "title": "t", "remove_source_branch": 1},
            "remove_source_branch must be a boolean",
        ),
        (
            "POST",
            MRS,
            None,
            {"source_branch": "a", "target_branch": "b", "title": "t", "labels": [1]},
            "labels must be a comma-separated string or an array of strings",
        ),
        ("POST", MRS, {"title": "t"}, None, "undocumented query attribute 'title'"),
        ("PUT", f"{MRS}/1", None, {}, "at least one attribute must be given"),
        ("PUT", f"{MRS}/1", None, {"state_event": "merge"}, "is not one of close, reopen"),
        ("POST", f"{MRS}/1/notes", None, {}, "'body' missing"),
        ("GET", "/api/v4/projects/acme/infra/merge_requests", None, None, "no such endpoint"),
        ("DELETE", f"{MRS}/1", None, None, "no such endpoint"),
        ("GET", "/api/v3/projects/42", None, None, "not under the API base path"),
    ],
)
def test_requests_outside_the_documentation_are_caught(
    gitlab: FakeGitLab,
    method: str,
    path: str,
    params: dict[str, str] | None,
    body: Any,
    problem: str,
) -> None:
    base = gitlab.url.removesuffix(gitlab.prefix)
    response = httpx.request(
        method, base + path, params=params, json=body, headers=HEADERS, timeout=10
    )
    found = list(gitlab.problems)
    gitlab.problems.clear()  # expected here; the fixture fails on any left over

    assert response.status_code == 400
    assert any(problem in p for p in found), found


def test_authentication_is_checked_like_gitlab(gitlab: FakeGitLab) -> None:
    url = gitlab.url + MRS
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"PRIVATE-TOKEN": "wrong"}).json() == {
        "message": "401 Unauthorized"
    }
    # The job token is not accepted here: a read of a private project is a 404, a write a 401.
    assert httpx.get(url, headers={"JOB-TOKEN": JOB_TOKEN}).status_code == 404
    post = httpx.post(
        url,
        headers={"JOB-TOKEN": JOB_TOKEN},
        json={"source_branch": "main", "target_branch": "main", "title": "t"},
    )
    assert post.status_code == 401
    assert gitlab.problems == []


def test_the_real_client_pages_through_gitlab_s_headers(gitlab: FakeGitLab) -> None:
    for n in range(5):
        gitlab.add_mr(source_branch=f"b{n}", title=f"mr {n}")
    gitlab.page_cap = 2
    client = python_gitlab.Gitlab(gitlab.url, private_token=GITLAB_TOKEN, keep_base_url=True)
    project = client.projects.get("acme/infra", lazy=True)

    listing = project.mergerequests.list(state="all", per_page=100, iterator=True)
    titles = [mr.title for mr in listing]

    assert titles == ["mr 4", "mr 3", "mr 2", "mr 1", "mr 0"]  # newest first, over 3 pages
    assert (listing.total, listing.total_pages, listing.per_page) == (5, 3, 2)
    assert [r.query.get("page", ["1"])[0] for r in gitlab.requests] == ["1", "2", "3"]
    assert client.projects.get(42).default_branch == "main"
    mr = project.mergerequests.get(3, lazy=True)
    assert mr.notes.create({"body": "hi"}).body == "hi"
    with pytest.raises(python_gitlab.GitlabCreateError) as caught:
        project.mergerequests.create(
            {"source_branch": "nope", "target_branch": "main", "title": "t"}
        )
    assert caught.value.response_code == 422
    assert 'Source branch "nope" does not exist' in str(caught.value.error_message)
    assert gitlab.problems == []
