"""Complete mode on a module that requires Terraform 1.11: the S3 lock file.

When ``required_version`` admits only versions with a generally available
``use_lockfile``, complete mode adds ``use_lockfile = true`` (and ``encrypt``)
instead of asking for a DynamoDB table. Terraform must accept the argument and
really lock with it: a misspelled argument would pass init silently once a
``-backend-config`` is given, so the proof is the ``.tflock`` object in the
bucket and the concurrent plan it turns away.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, held_lock, object_keys, read_json_object
from fixer_cli import BackendFixer, file_bytes

pytestmark = pytest.mark.e2e

SCENARIO = "requires-1-11"
KEY = "requires-1-11/terraform.tfstate"
LOCK_KEY = f"{KEY}.tflock"


def test_complete_mode_adds_use_lockfile_and_terraform_locks_with_it(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = scenario(SCENARIO)
    before = file_bytes(module)

    fix = backend_fixer.fix(
        module, "complete", sets={"bucket": state_bucket, "key": KEY, "region": "us-east-1"}
    )

    assert fix.returncode == 0, fix.explain()
    main = (module / "main.tf").read_text()
    assert "use_lockfile = true" in main
    assert "encrypt      = true" in main
    assert "dynamodb_table" not in main
    # The values already in the block are kept as they were.
    assert before["main.tf"].decode().split('  backend "s3" {\n')[0] in main
    fmt = terraform.run(module, "fmt", "-check", "-no-color")
    assert fmt.returncode == 0, fmt.explain()
    init = terraform.init(module, f"-backend-config={moto_tfbackend}", env=aws_env)
    assert init.returncode == 0, init.explain()
    # The recorded configuration is decoded with the backend's schema: a misspelled
    # argument would leave use_lockfile null here although init passed.
    config = json.loads((module / ".terraform" / "terraform.tfstate").read_text())["backend"][
        "config"
    ]
    assert (config["bucket"], config["use_lockfile"], config["encrypt"]) == (
        state_bucket,
        True,
        True,
    )

    with held_lock(terraform, module, aws_env) as holder:
        assert LOCK_KEY in object_keys(s3, state_bucket)
        lock = read_json_object(s3, state_bucket, LOCK_KEY)
        assert lock["Path"] == f"{state_bucket}/{KEY}"
        assert lock["Operation"] == "OperationTypeApply"
        plan = terraform.plan(
            module, "-lock-timeout=0s", "-var=lock_release_file=/nonexistent", env=aws_env
        )
        assert plan.returncode == 1, plan.explain()
        assert "Error: Error acquiring the state lock" in plan.stderr
        assert f"ID:        {lock['ID']}" in plan.stderr

    assert holder.result is not None and holder.result.returncode == 0, holder.result.explain()
    assert object_keys(s3, state_bucket) == [KEY]
    state = read_json_object(s3, state_bucket, KEY)
    assert {resource["name"] for resource in state["resources"]} == {"marker", "lock_holder"}
    assert s3.head_object(Bucket=state_bucket, Key=KEY)["ServerSideEncryption"] == "AES256"
    check = backend_fixer.check(module)
    assert check.returncode == 0, check.explain()
