"""The GitLab CI template, as the README tells people to include it, run for real.

The pipeline is the README's ``.gitlab-ci.yml`` snippet with its ``include:``
resolved to ``templates/gitlab/backend-fixer.gitlab-ci.yml`` and merged the way
GitLab merges included files. It must be valid for GitLab's own CI schema
(vendored, see ``data/README.md``), its rules must pick the right jobs, and each
job's ``before_script`` and ``script`` lines run in bash, as a runner would run
them, in a fresh clone of a sample repository with GitLab CI's predefined
variables set: the install line (overridden only to install this checkout, the
package not being published) puts backend-fixer in a virtual environment,
``check`` writes a Code Quality report that validates, and ``pr`` opens a merge
request on the GitLab stand-in and pushes its branch to the bare remote.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bot_fake_gitlab import GITLAB_TOKEN, JOB_TOKEN, FakeGitLab
from bot_repos import Repos, git
from jsonschema import Draft7Validator

from fixer.bot.errors import secret_forms

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = "templates/gitlab/backend-fixer.gitlab-ci.yml"
DATA = Path(__file__).parent / "data"
CODE_QUALITY_SCHEMA = ROOT / "tests" / "output" / "data" / "gitlab-codequality.schema.json"


# -- the pipeline the README describes ----------------------------------------------------------


def readme_snippet() -> dict[str, Any]:
    """The README's ``.gitlab-ci.yml`` block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(# \.gitlab-ci\.yml\n.*?)```", readme, flags=re.S)
    assert len(blocks) == 1, "the README shows one .gitlab-ci.yml"
    return yaml.safe_load(blocks[0])


def merged(base: Any, override: Any) -> Any:
    """GitLab's merge of an included file (``base``) with the including one: deep, last wins."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = merged(base[key], value) if key in base else value
        return out
    return override


def pipeline() -> dict[str, Any]:
    snippet = readme_snippet()
    [include] = snippet.pop("include")
    location = include.get("remote") or include.get("local")
    assert location.endswith("/" + TEMPLATE_PATH) or location == TEMPLATE_PATH, location
    template = yaml.safe_load((ROOT / TEMPLATE_PATH).read_text(encoding="utf-8"))
    return merged(template, snippet)


def job(document: dict[str, Any], name: str) -> dict[str, Any]:
    """A job with its ``extends`` resolved (GitLab merges the hidden job under it)."""
    body = document[name]
    parent = body.get("extends")
    if parent is None:
        return body
    return merged(job(document, parent), {k: v for k, v in body.items() if k != "extends"})


def schema_errors(document: Any) -> list[str]:
    schema = json.loads((DATA / "gitlab-ci.json").read_text(encoding="utf-8"))
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft7Validator(schema).iter_errors(document)
    ]


def test_template_and_readme_pipeline_are_valid_gitlab_ci() -> None:
    template = yaml.safe_load((ROOT / TEMPLATE_PATH).read_text(encoding="utf-8"))
    assert schema_errors(template) == []
    assert schema_errors(readme_snippet()) == []
    assert schema_errors(pipeline()) == []
    # The schema does catch mistakes, so the checks above mean something.
    broken = merged(template, {"backend-fixer:check": {"artifacts": {"reports": {"cq": "x"}}}})
    broken["backend-fixer:pr"]["rules"][0]["when"] = "sometimes"
    assert len(schema_errors(broken)) >= 2


def test_the_jobs_fit_together() -> None:
    document = pipeline()
    check, pr = job(document, "backend-fixer:check"), job(document, "backend-fixer:pr")
    for one in (check, pr):
        assert one["image"] == "$BACKEND_FIXER_IMAGE"
        assert all(isinstance(line, str) for line in one["before_script"] + one["script"])
        assert any("$BACKEND_FIXER_SPEC" in line for line in one["before_script"])
    report = check["artifacts"]["reports"]["codequality"]
    assert f"--output {report}" in check["script"][0] and check["artifacts"]["when"] == "always"
    assert pr["variables"]["GIT_DEPTH"] == "0" and pr["resource_group"]
    for name, value in document["variables"].items():
        assert name.startswith("BACKEND_FIXER_") and isinstance(value, str), name
    assert document["variables"]["BACKEND_FIXER_PATHS"] == "envs modules"  # the README's


def rule_matches(expression: str, env: dict[str, str]) -> bool:
    """GitLab's ``rules:if`` for what the template uses: $VAR, "text", ==, !=, &&, ||."""

    def value(token: str) -> str | None:
        token = token.strip()
        if token.startswith("$"):
            return env.get(token[1:]) or None
        assert token.startswith('"') and token.endswith('"'), token
        return token[1:-1]

    def term(text: str) -> bool:
        for op in ("==", "!="):
            if op in text:
                left, right = text.split(op)
                return (value(left) == value(right)) == (op == "==")
        return value(text) is not None

    return any(
        all(term(part) for part in alternative.split("&&"))
        for alternative in expression.split("||")
    )


def jobs_for(document: dict[str, Any], env: dict[str, str]) -> list[str]:
    chosen = []
    for name in document:
        if name.startswith(".") or not isinstance(document[name], dict):
            continue
        for rule in job(document, name).get("rules", []):
            if rule_matches(rule["if"], env):
                if rule.get("when", "on_success") != "never":
                    chosen.append(name)
                break
    return chosen


@pytest.mark.parametrize(
    ("env", "jobs"),
    [
        ({"CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main"}, ["backend-fixer:pr"]),
        (
            {"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main"},
            ["backend-fixer:check", "backend-fixer:pr"],
        ),
        ({"CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "feature"}, ["backend-fixer:check"]),
        (
            {
                "CI_PIPELINE_SOURCE": "push",
                "CI_COMMIT_BRANCH": "feature",
                "CI_OPEN_MERGE_REQUESTS": "acme/infra!3",
            },
            [],  # the merge request pipeline runs it instead
        ),
        ({"CI_PIPELINE_SOURCE": "merge_request_event"}, ["backend-fixer:check"]),
    ],
)
def test_rules_run_check_on_changes_and_pr_on_the_default_branch_and_schedules(
    env: dict[str, str], jobs: list[str]
) -> None:
    assert jobs_for(pipeline(), {"CI_DEFAULT_BRANCH": "main", **env}) == jobs


# -- running the jobs ---------------------------------------------------------------------------


def run_job(
    document: dict[str, Any], name: str, checkout: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run a job's before_script and script lines in one bash, stopping at the first failure."""
    body = job(document, name)
    variables = {**document["variables"], **body.get("variables", {}), **env}
    script = "\n".join(body["before_script"] + body["script"])
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=checkout,
        env=variables,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_readme_pipeline_checks_and_opens_a_merge_request(
    repos: Repos, gitlab: FakeGitLab, tmp_path: Path
) -> None:
    repos.push_to_base({"modules/network/main.tf": 'variable "cidr" {}\n'}, "Add a module")
    document = pipeline()
    real_home = pwd.getpwuid(os.getuid()).pw_dir
    environ = {
        **{k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"},
        # pip's cache from the real home keeps the install quick; git's config stays isolated.
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", f"{real_home}/.cache/pip"),
        # GitLab CI's predefined variables for a push to the default branch.
        "CI": "true",
        "GITLAB_CI": "true",
        "CI_SERVER_URL": gitlab.url,
        "CI_PROJECT_ID": str(gitlab.project_id),
        "CI_PROJECT_PATH": gitlab.path_with_namespace,
        "CI_DEFAULT_BRANCH": "main",
        "CI_COMMIT_BRANCH": "main",
        "CI_PIPELINE_SOURCE": "push",
        "CI_JOB_TOKEN": JOB_TOKEN,
        # The project's masked CI/CD variable.
        "GITLAB_TOKEN": GITLAB_TOKEN,
        # The one override: install this checkout, since the package is not on PyPI yet.
        "BACKEND_FIXER_SPEC": str(ROOT),
        "BACKEND_FIXER_VENV": str(tmp_path / "venv"),
    }
    assert jobs_for(document, environ) == ["backend-fixer:check", "backend-fixer:pr"]

    def fresh_checkout(label: str) -> Path:
        checkout = tmp_path / "builds" / label
        git(tmp_path, "clone", "--quiet", repos.url, str(checkout))
        return checkout

    checkout = fresh_checkout("check")
    check = run_job(
        document, "backend-fixer:check", checkout, {**environ, "CI_PROJECT_DIR": str(checkout)}
    )

    assert check.returncode == 1, check.stderr  # findings fail the job ...
    report = json.loads((checkout / "gl-code-quality-report.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(json.loads(CODE_QUALITY_SCHEMA.read_text("utf-8"))).validate(
        report
    )
    assert [(i["check_name"], i["location"]["path"]) for i in report][:1] == [
        ("BF001", "envs/prod/main.tf")
    ]
    assert check.stdout.strip() == "backend-fixer 0.1.0"  # the report went to the artifact

    checkout = fresh_checkout("pr")
    pr = run_job(
        document, "backend-fixer:pr", checkout, {**environ, "CI_PROJECT_DIR": str(checkout)}
    )

    assert pr.returncode == 0, pr.stderr
    assert "Opened merge request !1 from backend-fixer/comment into main" in pr.stdout
    [mr] = gitlab.merge_requests
    assert mr["labels"] == ["backend-fixer"] and mr["force_remove_source_branch"] is True
    assert "BF001" in mr["description"] and "envs/prod/main.tf" in mr["description"]
    tip = repos.remote_sha("backend-fixer/comment")
    assert "backend-fixer:begin local-state" in repos.remote_file(tip, "envs/prod/main.tf")

    again = run_job(document, "backend-fixer:pr", fresh_checkout("pr-2"), environ)
    assert again.returncode == 0 and "Merge request !1 is up to date" in again.stdout
    for output in (check.stdout, check.stderr, pr.stdout, pr.stderr, again.stdout, again.stderr):
        assert all(form not in output for form in secret_forms(GITLAB_TOKEN))


@pytest.mark.parametrize(("mode", "expected"), [("", "pr ."), ("override", "pr . --mode override")])
def test_the_pr_job_passes_a_mode_only_when_one_is_set(
    tmp_path: Path, mode: str, expected: str
) -> None:
    """An empty BACKEND_FIXER_MODE (the template's default) passes no --mode, so the
    repository's config file decides; a set one overrides it."""
    stub = tmp_path / "bin" / "backend-fixer"
    stub.parent.mkdir()
    stub.write_text('#!/usr/bin/env bash\nprintf "%s\\n" "$*" > "$STUB_LOG"\n')
    stub.chmod(0o755)
    template = yaml.safe_load((ROOT / TEMPLATE_PATH).read_text(encoding="utf-8"))
    variables = {**template["variables"], "BACKEND_FIXER_MODE": mode}
    script = "\n".join(job(template, "backend-fixer:pr")["script"])
    log = tmp_path / "calls.txt"
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env={**variables, "PATH": f"{stub.parent}:{os.environ['PATH']}", "STUB_LOG": str(log)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert log.read_text().strip() == expected
