"""The seed's partial backend, fixed by the real ``backend-fixer`` and deployed.

Each test runs the tool as a pipeline would (a subprocess, its exit code and
messages), then hands the result to real Terraform: ``check`` must name the
values that ``init -input=false`` then says are missing; comment and override
mode must give a module that inits and applies with local state; complete mode
must give a backend that stores its state in the (moto) bucket and locks in the
DynamoDB table the user named, proven by the lock item, not by init passing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, held_lock, object_keys, read_json_object
from fixer_cli import BackendFixer, file_bytes, missing_from_check, missing_from_init

pytestmark = pytest.mark.e2e

SEED = "seed-pipeline"
KEY = "pipeline/terraform.tfstate"
STAGES = ("build", "deploy", "source", "test")
SEED_ADDRESSES = sorted(
    ["terraform_data.artifact_store", *(f'terraform_data.stage["{s}"]' for s in STAGES)]
)


def resource_addresses(state: Mapping[str, Any]) -> list[str]:
    addresses = []
    for resource in state["resources"]:
        for instance in resource["instances"]:
            key = instance.get("index_key")
            suffix = f'["{key}"]' if key is not None else ""
            addresses.append(f"{resource['type']}.{resource['name']}{suffix}")
    return sorted(addresses)


def assert_fmt_clean(terraform: Terraform, module: Path) -> None:
    fmt = terraform.run(module, "fmt", "-check", "-no-color")
    assert fmt.returncode == 0, fmt.explain()
    assert fmt.stdout == "", fmt.explain()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(SEED, {"bucket", "key", "region"}, id="seed-pipeline"),
        pytest.param("requires-1-11", {"bucket"}, id="requires-1-11"),
    ],
)
def test_check_names_the_values_that_init_says_are_missing(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    name: str,
    expected: set[str],
) -> None:
    module = scenario(name)

    check = backend_fixer.check(module, "--format=json")
    init = terraform.init(module)

    assert check.returncode == 1, check.explain()
    assert [f["code"] for f in check.json()["findings"]] == ["BF001"], check.explain()
    predicted = missing_from_check(check.json())
    assert init.returncode == 1, init.explain()
    reported = missing_from_init(init.stderr)
    assert predicted.names == reported.names == expected
    # Both blame the backend block's own line.
    assert (predicted.file, predicted.line) == (reported.file, reported.line)
    text = backend_fixer.check(module)
    assert text.returncode == 1, text.explain()
    assert f"{module.name}/{reported.file}:{reported.line}:" in text.stdout
    assert "BF001" in text.stdout


def test_comment_mode_deploys_with_local_state(
    terraform: Terraform, backend_fixer: BackendFixer, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SEED)
    before = file_bytes(module)
    assert_fmt_clean(terraform, module)

    fix = backend_fixer.fix(module, "comment")

    assert fix.returncode == 0, fix.explain()
    assert "Changed 1 file:" in fix.stderr
    after = file_bytes(module)
    assert {name for name in after if after[name] != before[name]} == {"provider.tf"}
    provider = after["provider.tf"].decode()
    assert "  # backend-fixer:begin local-state" in provider
    assert "  # backend-fixer:end local-state" in provider
    assert '\n  backend "s3"' not in provider
    assert_fmt_clean(terraform, module)

    init = terraform.init(module)
    assert init.returncode == 0, init.explain()
    assert "Successfully configured the backend" not in init.stdout
    apply = terraform.apply(module, "-var=environment_suffix=qa")
    assert apply.returncode == 0, apply.explain()
    assert "Apply complete! Resources: 5 added, 0 changed, 0 destroyed." in apply.stdout
    state = json.loads((module / "terraform.tfstate").read_text())
    assert resource_addresses(state) == SEED_ADDRESSES
    assert state["outputs"]["stage_names"]["value"]["deploy"] == "pipeline-qa-deploy"

    check = backend_fixer.check(module)
    assert check.returncode == 0, check.explain()
    assert "No problems found" in check.stdout
    again = backend_fixer.fix(module, "comment", write=False)
    assert again.returncode == 0, again.explain()
    assert again.stdout == ""


def test_complete_mode_with_a_dynamodb_table_stores_and_locks_remotely(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    dynamodb: Any,
    state_bucket: str,
    lock_table: str,
) -> None:
    """required_version ">= 1.5.0" admits Terraform without use_lockfile, so the
    fix must lock with the table it is given; the lock item proves it does."""
    module = scenario(SEED)
    sets = {"bucket": state_bucket, "key": KEY, "region": "us-east-1", "dynamodb_table": lock_table}

    fix = backend_fixer.fix(module, "complete", sets=sets)

    assert fix.returncode == 0, fix.explain()
    provider = (module / "provider.tf").read_text()
    assert f'dynamodb_table = "{lock_table}"' in provider
    assert "use_lockfile" not in provider
    assert_fmt_clean(terraform, module)
    check = backend_fixer.check(module)
    assert check.returncode == 0, check.explain()

    # Only the endpoints come from outside: every backend value is in the code now.
    init = terraform.init(module, f"-backend-config={moto_tfbackend}", env=aws_env)
    assert init.returncode == 0, init.explain()
    assert 'Successfully configured the backend "s3"!' in init.stdout
    recorded = json.loads((module / ".terraform" / "terraform.tfstate").read_text())
    config = recorded["backend"]["config"]
    assert (config["bucket"], config["key"], config["region"]) == (state_bucket, KEY, "us-east-1")
    assert (config["dynamodb_table"], config["encrypt"]) == (lock_table, True)

    lock_id = f"{state_bucket}/{KEY}"
    with held_lock(terraform, module, aws_env) as holder:
        reply = dynamodb.get_item(TableName=lock_table, Key={"LockID": {"S": lock_id}})
        assert "Item" in reply, "no lock item in the table while the apply holds the lock"
        info = json.loads(reply["Item"]["Info"]["S"])
        assert info["Operation"] == "OperationTypeApply"
        plan = terraform.plan(
            module, "-lock-timeout=0s", "-var=lock_release_file=/nonexistent", env=aws_env
        )
        assert plan.returncode == 1, plan.explain()
        assert "Error: Error acquiring the state lock" in plan.stderr
        assert f"ID:        {info['ID']}" in plan.stderr
        assert f"{KEY}.tflock" not in object_keys(s3, state_bucket)

    assert holder.result is not None and holder.result.returncode == 0, holder.result.explain()
    assert object_keys(s3, state_bucket) == [KEY]
    state = read_json_object(s3, state_bucket, KEY)
    assert resource_addresses(state) == sorted([*SEED_ADDRESSES, "terraform_data.lock_holder"])
    # encrypt = true reached S3: the state object was written with server-side encryption.
    assert s3.head_object(Bucket=state_bucket, Key=KEY)["ServerSideEncryption"] == "AES256"
    assert not (module / "terraform.tfstate").exists()


def test_complete_mode_without_a_lock_table_completes_and_warns(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    state_bucket: str,
    moto_tfbackend: Path,
    aws_env: dict[str, str],
) -> None:
    # No lock table can be invented, but a missing one must not block the
    # completion: the module initialises, and the warning says how to add one.
    module = scenario(SEED)

    fix = backend_fixer.fix(
        module, "complete", sets={"bucket": state_bucket, "key": KEY, "region": "us-east-1"}
    )

    # Exit 1, as ruff check --fix: the no-state-locking warning is left for a person.
    assert fix.returncode == 1, fix.explain()
    assert "BF006: appears with the fix (no-state-locking)" in fix.stderr
    assert "completed without state locking" in fix.stderr
    assert "--set dynamodb_table=NAME" in fix.stderr
    text = (module / "provider.tf").read_text()
    assert "dynamodb_table" not in text and "use_lockfile" not in text
    init = terraform.init(module, f"-backend-config={moto_tfbackend}", env=aws_env)
    assert init.returncode == 0, init.explain()


def test_override_mode_deploys_with_local_state_and_keeps_tracked_bytes(
    terraform: Terraform, backend_fixer: BackendFixer, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SEED)
    tracked = file_bytes(module, ("*",))

    fix = backend_fixer.fix(module, "override")

    assert fix.returncode == 0, fix.explain()
    after = file_bytes(module, ("*",))
    override = after.pop("backend_override.tf")
    assert after == tracked
    assert b'backend "local" {}' in override
    assert_fmt_clean(terraform, module)

    init = terraform.init(module)
    assert init.returncode == 0, init.explain()
    assert 'Successfully configured the backend "local"!' in init.stdout
    apply = terraform.apply(module)
    assert apply.returncode == 0, apply.explain()
    assert "Apply complete! Resources: 5 added, 0 changed, 0 destroyed." in apply.stdout
    state = json.loads((module / "terraform.tfstate").read_text())
    assert resource_addresses(state) == SEED_ADDRESSES
    recorded = json.loads((module / ".terraform" / "terraform.tfstate").read_text())
    assert recorded["backend"]["type"] == "local"
    # Terraform wrote only its own files; the tracked ones are byte for byte as before.
    assert {name: data for name, data in file_bytes(module, ("*",)).items() if name in tracked} == (
        tracked
    )
    check = backend_fixer.check(module)
    assert check.returncode == 0, check.explain()
