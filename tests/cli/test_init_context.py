"""Partial backends judged with the repository's inits, through the real command line.

Every mechanism the init context reads has a sample repository under
``samples/init/<mechanism>/`` with a ``served`` case (its init passes every
missing value) and an ``unserved`` twin (the same kind of init without them).
Each sample is copied into its own git repository and checked as a user
would: the served backend is an info finding naming the init's file and line,
``fix`` leaves it untouched (and with ``--unsafe`` says which pipeline would
lose its state); the twin is an error citing the line of the init that fails.
The seed case, where nothing runs init, stays the error it always was.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from fixer.output import report_schema

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "init"
SEED = REPO / "samples" / "fixes" / "seed-provider" / "before"

# (sample, the module it is about): every mechanism of item 1 of the issue.
SERVED = [
    ("github-actions/served", "infra/prod"),
    ("github-actions/composite-action", "stacks/network"),
    ("github-actions/matrix", "envs/prod"),
    ("github-actions/reusable-workflow", "platform/core"),
    ("gitlab-ci/served", "terraform"),
    ("gitlab-ci/include-extends", "stacks/billing"),
    ("azure-pipelines/served", "infra"),
    ("azure-pipelines/aws-task-template", "aws/app"),
    ("circleci/served", "terraform"),
    ("bitbucket/served", "deploy"),
    ("jenkins/served", "envs/prod"),
    ("makefile/served", "envs/dev"),
    ("makefile/called-from-ci", "envs/prod"),
    ("justfile/served", "infra/edge"),
    ("taskfile/served", "terraform/dns"),
    ("script/served", "environments/prod"),
    ("terragrunt/served", "modules/vpc"),
    ("atlantis/served", "projects/search"),
    ("docs/served", "stacks/analytics"),
    ("declared/served", "regions/eu"),
]
UNSERVED = [
    ("github-actions/unserved", "infra/prod"),
    ("gitlab-ci/unserved", "infrastructure"),
    ("azure-pipelines/unserved", "infra"),
    ("circleci/unserved", "terraform"),
    ("bitbucket/unserved", "deploy"),
    ("jenkins/unserved", "envs/prod"),
    ("makefile/unserved", "stack"),
    ("justfile/unserved", "infra/edge"),
    ("taskfile/unserved", "terraform/dns"),
    ("script/unserved", "environments/prod"),
    ("terragrunt/unserved", "modules/queue"),
    ("atlantis/unserved", "projects/search"),
    ("docs/unserved", "stacks/analytics"),
    ("declared/served", "regions/us"),
]
MECHANISMS = {
    "github-actions",
    "gitlab-ci",
    "azure-pipelines",
    "circleci",
    "bitbucket",
    "jenkins",
    "makefile",
    "justfile",
    "taskfile",
    "script",
    "terragrunt",
    "atlantis",
    "docs",
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fixer", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def repository(sample: str, tmp_path: Path) -> Path:
    """The sample copied into a git repository of its own, as a user's checkout."""
    target = tmp_path / "repo"
    shutil.copytree(SAMPLES / sample, target)
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    return target


def check_json(repo: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = run("check", ".", "--format", "json", *args, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, report_schema())
    return result.returncode, document


def module_findings(document: dict, module: str) -> list[dict]:  # type: ignore[type-arg]
    return [f for f in document["findings"] if f["location"]["path"].startswith(module + "/")]


def line_of(repo: Path, path: str, line: int) -> str:
    return (repo / path).read_text(encoding="utf-8").splitlines()[line - 1]


def assert_is_the_init(repo: Path, source: dict) -> None:  # type: ignore[type-arg]
    """The cited line holds the init: its command, or what Terragrunt and Atlantis run it from."""
    text = line_of(repo, source["path"], source["line"]).strip()
    assert text, source
    if source["mechanism"] in ("terragrunt", "atlantis", "azure-pipelines"):
        return  # a remote_state block, a project entry, a task: no command line to quote
    program = source["what"].split()[0]
    assert program in text or "init" in text, (text, source)


def test_the_samples_cover_every_mechanism() -> None:
    assert {s.split("/")[0] for s, _ in SERVED} >= MECHANISMS
    assert {s.split("/")[0] for s, _ in UNSERVED} >= MECHANISMS


@pytest.mark.parametrize(("sample", "module"), SERVED, ids=[f"{s}:{m}" for s, m in SERVED])
def test_served_backend_is_reported_as_served_and_left_alone(
    sample: str, module: str, tmp_path: Path
) -> None:
    repo = repository(sample, tmp_path)
    _, document = check_json(repo)
    found = module_findings(document, module)
    assert not [f for f in found if f["category"] == "init-breaking"], found
    (served,) = [f for f in found if f["code"] == "BF015"]
    assert served["severity"] == "info" and served["category"] == "context"
    assert served["sources"], served
    for source in served["sources"]:
        if source["mechanism"] == "declared":
            continue
        # The message names the init's file and line, and that line is the init.
        assert f"{Path(source['path']).as_posix()}:{source['line']}" in served["message"]
        assert_is_the_init(repo, source)
        assert source["supplies"] and not source["lacks"]
    before = {p: p.read_bytes() for p in (repo / module).iterdir() if p.is_file()}
    fixed = run("fix", ".", "--write", cwd=repo)
    assert fixed.returncode in (0, 1), fixed.stderr
    assert {p: p.read_bytes() for p in (repo / module).iterdir() if p.is_file()} == before


@pytest.mark.parametrize(("sample", "module"), UNSERVED, ids=[f"{s}:{m}" for s, m in UNSERVED])
def test_unserved_twin_is_an_error_citing_the_init_line(
    sample: str, module: str, tmp_path: Path
) -> None:
    repo = repository(sample, tmp_path)
    code, document = check_json(repo)
    assert code == 1
    (error,) = [f for f in module_findings(document, module) if f["category"] == "init-breaking"]
    assert error["code"] == "BF001" and error["severity"] == "error"
    lacking = [s for s in error["sources"] if s["lacks"]]
    assert lacking, error
    for source in lacking:
        if source["mechanism"] == "declared":
            assert source["path"] in error["message"]
            continue
        assert f"{Path(source['path']).as_posix()}:{source['line']}" in error["message"]
        assert_is_the_init(repo, source)


def test_a_served_backend_is_commented_out_only_with_unsafe_and_the_pipeline_is_named(
    tmp_path: Path,
) -> None:
    repo = repository("github-actions/served", tmp_path)
    main = repo / "infra" / "prod" / "main.tf"
    before = main.read_bytes()
    safe = run("fix", ".", cwd=repo)
    assert safe.returncode == 0, safe.stderr
    assert "BF015: needs --unsafe: .github/workflows/deploy.yml:24 would lose its remote state" in (
        safe.stderr
    )
    unsafe = run("fix", ".", "--unsafe", "--write", cwd=repo)
    assert unsafe.returncode == 0, unsafe.stderr
    assert (
        "warning: .github/workflows/deploy.yml:24: `terraform init -input=false "
        "-backend-config=prod.s3.tfbackend` initialises this s3 backend with its own values; "
        "after comment mode it initialises local state instead" in unsafe.stderr
    )
    assert main.read_bytes() != before and b"# backend-fixer:begin local-state" in main.read_bytes()


def test_complete_mode_writes_the_values_every_init_agrees_on(tmp_path: Path) -> None:
    repo = repository("github-actions/served", tmp_path)
    result = run("fix", ".", "--mode", "complete", "--write", cwd=repo)
    assert result.returncode == 0, result.stderr
    text = (repo / "infra" / "prod" / "main.tf").read_text()
    assert 'bucket = "acme-terraform-state"' in text
    assert 'key    = "infra/prod/terraform.tfstate"' in text
    # The pipeline's region is in its environment, invisible here: the provider's is used.
    assert 'region = "eu-west-1"' in text


def test_terragrunt_managed_module_is_never_commented_out(tmp_path: Path) -> None:
    repo = repository("terragrunt/unserved", tmp_path)
    before = (repo / "modules" / "queue" / "main.tf").read_bytes()
    for extra in ((), ("--unsafe",)):
        result = run("fix", ".", "--write", *extra, cwd=repo)
        assert "Terragrunt manages this module" in result.stderr, result.stderr
        assert (repo / "modules" / "queue" / "main.tf").read_bytes() == before


def test_a_file_terragrunt_generated_is_never_edited(tmp_path: Path) -> None:
    repo = repository("terragrunt/generate", tmp_path)
    generated = next(p for p in repo.rglob("*.tf") if b"Generated by Terragrunt" in p.read_bytes())
    text = generated.read_text()
    generated.write_text(text.replace("bucket", "# no bucket\n    # bucket", 1))
    before = generated.read_bytes()
    result = run(
        "fix",
        ".",
        "--mode",
        "complete",
        "--set",
        "bucket=x",
        "--set",
        "dynamodb_table=t",
        "--write",
        cwd=repo,
    )
    assert generated.read_bytes() == before
    assert "generated by Terragrunt" in result.stderr or "Terragrunt manages" in result.stderr, (
        result.stderr
    )


def test_seed_case_without_any_pipeline_is_still_an_error_and_commented_out(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SEED, repo / "seed-provider")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    code, document = check_json(repo)
    assert code == 1
    (error,) = [f for f in document["findings"] if f["code"] == "BF001"]
    assert error["sources"] == []
    assert any("Nothing in the repository runs init" in note for note in error["notes"])
    expected = REPO / "samples" / "fixes" / "seed-provider" / "after-comment" / "provider.tf"
    result = run("fix", ".", "--write", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "seed-provider" / "provider.tf").read_bytes() == expected.read_bytes()


def test_inits_command_shows_what_was_understood(tmp_path: Path) -> None:
    repo = repository("makefile/served", tmp_path)
    text = run("inits", ".", cwd=repo)
    assert text.returncode == 0, text.stderr
    assert "envs/dev\n  Makefile:9  $(TERRAFORM) -chdir=$(STACK_DIR) init" in text.stdout
    assert 'bucket = "acme-dev-state"  from -backend-config=dev.s3.tfbackend' in text.stdout
    assert "parameter: ENV (default 'dev', Makefile:1)" in text.stdout
    assert "envs/prod\n  might reach it (directory set at run time): Makefile:9" in text.stdout
    data = json.loads(run("inits", ".", "--format", "json", cwd=repo).stdout)
    dev = next(entry for entry in data if entry["module"] == "envs/dev")
    (path,) = dev["inits"]
    assert path["site"]["path"] == "Makefile" and path["site"]["line"] == 9
    assert {v["name"]: v["value"] for v in path["supplied"]} == {
        "bucket": "acme-dev-state",
        "key": "envs/dev/terraform.tfstate",
        "region": "eu-west-1",
    }


def test_sarif_points_at_the_init_as_a_related_location(tmp_path: Path) -> None:
    repo = repository("github-actions/unserved", tmp_path)
    result = run("check", ".", "--format", "sarif", cwd=repo)
    document = json.loads(result.stdout)
    (error,) = [r for r in document["runs"][0]["results"] if r["ruleId"] == "BF001"]
    (related,) = error["relatedLocations"]
    location = related["physicalLocation"]
    assert location["artifactLocation"]["uri"] == ".github/workflows/deploy.yml"
    line = location["region"]["startLine"]
    assert "terraform init" in line_of(repo, ".github/workflows/deploy.yml", line)
    assert "lacks bucket, key, region" in related["message"]["text"]
