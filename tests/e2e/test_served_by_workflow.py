"""A backend its pipeline serves keeps its remote state through ``fix``.

The scenario is a repository whose GitHub Actions workflow runs
``terraform init -backend-config=prod.s3.tfbackend -backend-config=...`` in
``infra/`` with ``AWS_REGION`` in the job's environment, against a partial
``backend "s3"``. The test runs the workflow step's own init command (read
from the workflow file, run as the step would) against the local S3:

1. init and apply put the state into the bucket;
2. ``backend-fixer check`` reports the backend as served by that step (no
   error), and ``fix --write`` (the default, comment mode) leaves it alone;
3. in a fresh checkout the step's init configures the S3 backend again and
   finds the remote state intact: ``plan`` shows no changes;
4. ``fix --unsafe`` says which pipeline would lose its state, and written, it
   does: the step's init then succeeds with local state ("-backend-config was
   used without a backend block") and ``plan`` would create everything again.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from e2e_harness import (
    Terraform,
    moto_backend_settings,
    object_keys,
    read_json_object,
    write_tfbackend,
)
from fixer_cli import BackendFixer

pytestmark = pytest.mark.e2e

SCENARIO = "served-by-workflow"
KEY = "infra/terraform.tfstate"
WORKFLOW = ".github/workflows/deploy.yml"


def init_step(repo: Path) -> tuple[list[str], Path, dict[str, str], int]:
    """The workflow's init step: its arguments after ``terraform``, directory, env and line."""
    text = (repo / WORKFLOW).read_text()
    job = yaml.safe_load(text)["jobs"]["deploy"]
    command = next(step["run"] for step in job["steps"] if "init" in step.get("run", ""))
    words = shlex.split(command)
    assert words[:2] == ["terraform", "init"], command
    directory = repo / job["defaults"]["run"]["working-directory"]
    line = next(i for i, row in enumerate(text.splitlines(), 1) if command in row)
    return words[1:], directory, {str(k): str(v) for k, v in job["env"].items()}, line


def run_step(terraform: Terraform, repo: Path, aws_env: dict[str, str]) -> Any:
    arguments, directory, env, _ = init_step(repo)
    return terraform.run(directory, *arguments, "-no-color", env={**aws_env, **env})


def fresh_checkout(repo: Path) -> None:
    shutil.rmtree(repo / "infra" / ".terraform", ignore_errors=True)
    (repo / "infra" / ".terraform.lock.hcl").unlink(missing_ok=True)


@pytest.fixture
def repo(scenario: Callable[[str], Path], state_bucket: str, moto_server: Any) -> Path:
    copy = scenario(SCENARIO)
    write_tfbackend(copy / "infra" / "prod.s3.tfbackend", {"bucket": state_bucket, "key": KEY})
    write_tfbackend(
        copy / "infra" / "endpoints.s3.tfbackend", moto_backend_settings(moto_server.endpoint)
    )
    subprocess.run(["git", "init", "-q", str(copy)], check=True)
    return copy


def test_fix_keeps_the_pipelines_remote_state(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    repo: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    infra = repo / "infra"
    init = run_step(terraform, repo, aws_env)
    assert init.returncode == 0, init.explain()
    assert 'Successfully configured the backend "s3"!' in init.stdout
    apply = terraform.apply(infra, env={**aws_env, "AWS_REGION": "us-east-1"})
    assert apply.returncode == 0, apply.explain()
    assert object_keys(s3, state_bucket) == [KEY]

    check = backend_fixer.run(repo, "check", ".", "--format", "json")
    assert check.returncode == 0, check.explain()
    (served,) = [f for f in check.json()["findings"] if f["code"] == "BF015"]
    _, _, _, line = init_step(repo)
    assert f"{WORKFLOW}:{line}" in served["message"]
    assert [(s["path"], s["line"]) for s in served["sources"]] == [(WORKFLOW, line)]

    before = {p.name: p.read_bytes() for p in infra.iterdir() if p.is_file()}
    fix = backend_fixer.run(repo, "fix", ".", "--write")
    assert fix.returncode == 0, fix.explain()
    assert {p.name: p.read_bytes() for p in infra.iterdir() if p.is_file()} == before

    fresh_checkout(repo)
    again = run_step(terraform, repo, aws_env)
    assert again.returncode == 0, again.explain()
    assert 'Successfully configured the backend "s3"!' in again.stdout
    plan = terraform.plan(infra, "-detailed-exitcode", env={**aws_env, "AWS_REGION": "us-east-1"})
    assert plan.returncode == 0, plan.explain()  # 0: no changes, the remote state is intact
    state = read_json_object(s3, state_bucket, KEY)
    assert [r["type"] for r in state["resources"]] == ["terraform_data"]


def test_unsafe_comment_mode_names_the_pipeline_that_loses_its_state(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    repo: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    infra = repo / "infra"
    assert run_step(terraform, repo, aws_env).returncode == 0
    apply = terraform.apply(infra, env={**aws_env, "AWS_REGION": "us-east-1"})
    assert apply.returncode == 0, apply.explain()
    _, _, _, line = init_step(repo)

    dry = backend_fixer.run(repo, "fix", ".", "--unsafe")
    assert dry.returncode == 1, dry.explain()
    assert f"warning: {WORKFLOW}:{line}: `terraform init -input=false" in dry.stderr
    assert "after comment mode it initialises local state instead" in dry.stderr

    written = backend_fixer.run(repo, "fix", ".", "--unsafe", "--write")
    assert written.returncode == 0, written.explain()
    fresh_checkout(repo)
    lost = run_step(terraform, repo, aws_env)
    # Exactly the failure the default refuses to cause: init succeeds, with local state.
    assert lost.returncode == 0, lost.explain()
    assert "-backend-config was used without a" in lost.stdout + lost.stderr
    plan = terraform.plan(infra, "-detailed-exitcode", env=aws_env)
    assert plan.returncode == 2, plan.explain()  # 2: it would create everything again
    assert object_keys(s3, state_bucket) == [KEY]  # the remote state is still there, unused
