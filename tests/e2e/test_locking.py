"""State locking on the S3 backend, seen from the bucket and the table.

While one apply holds the lock, the lock is visible where the backend keeps it
(a ``<key>.tflock`` object with ``use_lockfile``, an item keyed ``<bucket>/<key>``
with ``dynamodb_table``) and a concurrent ``plan -lock-timeout=0s`` fails at
once naming that lock; after the apply the lock is gone. Also pins that an
argument Terraform does not know is silently ignored once ``-backend-config``
is given, so a fix must be proven by the lock it takes, not by init passing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, held_lock, object_keys, read_json_object

pytestmark = pytest.mark.e2e

KEY = "pipeline/terraform.tfstate"
LOCK_KEY = f"{KEY}.tflock"


def init_seed(
    terraform: Terraform,
    module: Path,
    values: Path,
    endpoints: Path,
    env: Mapping[str, str],
) -> None:
    result = terraform.init(
        module, f"-backend-config={values}", f"-backend-config={endpoints}", env=env
    )
    assert result.returncode == 0, result.explain()


def assert_plan_blocked_by(
    terraform: Terraform, module: Path, env: Mapping[str, str], lock_id: str, lock_path: str
) -> str:
    plan = terraform.plan(
        module, "-lock-timeout=0s", "-var=lock_release_file=/nonexistent", env=env
    )
    assert plan.returncode == 1, plan.explain()
    assert "Error: Error acquiring the state lock" in plan.stderr, plan.explain()
    assert f"ID:        {lock_id}" in plan.stderr
    assert f"Path:      {lock_path}" in plan.stderr
    assert "Operation: OperationTypeApply" in plan.stderr
    return plan.stderr


def test_use_lockfile_puts_a_tflock_object_in_the_bucket_while_locked(
    terraform: Terraform,
    scenario: Callable[[str], Path],
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = scenario("seed-pipeline")
    values = tfbackend(
        "values",
        {"bucket": state_bucket, "key": KEY, "region": "us-east-1", "use_lockfile": True},
    )
    init_seed(terraform, module, values, moto_tfbackend, aws_env)

    with held_lock(terraform, module, aws_env) as holder:
        assert LOCK_KEY in object_keys(s3, state_bucket)
        lock = read_json_object(s3, state_bucket, LOCK_KEY)
        assert lock["Operation"] == "OperationTypeApply"
        assert lock["Path"] == f"{state_bucket}/{KEY}"
        assert lock["Version"] == terraform.version
        stderr = assert_plan_blocked_by(terraform, module, aws_env, lock["ID"], lock["Path"])
        # The S3 lock is a conditional PutObject that the bucket refuses.
        assert "api error PreconditionFailed" in " ".join(stderr.split())

    assert holder.result is not None and holder.result.returncode == 0, holder.result
    assert object_keys(s3, state_bucket) == [KEY]


def test_dynamodb_table_puts_a_lock_item_in_the_table_while_locked(
    terraform: Terraform,
    scenario: Callable[[str], Path],
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    dynamodb: Any,
    state_bucket: str,
    lock_table: str,
) -> None:
    module = scenario("seed-pipeline")
    values = tfbackend(
        "values",
        {"bucket": state_bucket, "key": KEY, "region": "us-east-1", "dynamodb_table": lock_table},
    )
    init_seed(terraform, module, values, moto_tfbackend, aws_env)
    lock_id = f"{state_bucket}/{KEY}"

    def lock_item() -> dict[str, Any] | None:
        reply = dynamodb.get_item(TableName=lock_table, Key={"LockID": {"S": lock_id}})
        return reply.get("Item")

    with held_lock(terraform, module, aws_env) as holder:
        item = lock_item()
        assert item is not None, "no lock item while the apply holds the lock"
        info = json.loads(item["Info"]["S"])
        assert info["Path"] == lock_id
        assert info["Version"] == terraform.version
        stderr = assert_plan_blocked_by(terraform, module, aws_env, info["ID"], lock_id)
        assert "ConditionalCheckFailedException" in stderr
        # No S3 lock file when only the table is configured.
        assert LOCK_KEY not in object_keys(s3, state_bucket)

    assert holder.result is not None and holder.result.returncode == 0, holder.result
    assert lock_item() is None
    # What stays is the state's digest, kept for consistency checks.
    items = dynamodb.scan(TableName=lock_table)["Items"]
    assert [entry["LockID"]["S"] for entry in items] == [f"{lock_id}-md5"]
    assert object_keys(s3, state_bucket) == [KEY]
