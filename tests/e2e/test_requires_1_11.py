"""A module that requires Terraform 1.11 and the S3 lock file it may use.

Pins that Terraform accepts ``use_lockfile = true`` written into the backend
block (the lock then shows up in the bucket), and that a misspelled argument
is only an error when no ``-backend-config`` is given: with one, init passes
and the module silently runs without a lock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, held_lock, object_keys, read_json_object

pytestmark = pytest.mark.e2e

SCENARIO = "requires-1-11"
KEY = "requires-1-11/terraform.tfstate"
BACKEND_BODY = """\
    key    = "requires-1-11/terraform.tfstate"
    region = "us-east-1"
"""


def with_backend_argument(module: Path, name: str) -> None:
    """Add ``<name> = true`` to the backend block, aligned as terraform fmt would."""
    main = module / "main.tf"
    text = main.read_text()
    assert BACKEND_BODY in text
    width = max(len("region"), len(name))
    body = (
        f'    {"key".ljust(width)} = "{KEY}"\n'
        f'    {"region".ljust(width)} = "us-east-1"\n'
        f"    {name.ljust(width)} = true\n"
    )
    main.write_text(text.replace(BACKEND_BODY, body))


def test_engine_meets_the_required_version(terraform: Terraform) -> None:
    assert terraform.engine.version_tuple >= (1, 11, 0), terraform.engine.describe()


def test_unattended_init_fails_naming_only_the_bucket(
    terraform: Terraform, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)

    result = terraform.init(module)

    assert result.returncode == 1, result.explain()
    assert result.stderr.count("Error: Missing Required Value") == 1, result.explain()
    assert 'The attribute "bucket" is required by the backend.' in result.stderr
    assert "on main.tf line 7, in terraform:" in result.stderr
    assert "region" not in result.stderr


def test_use_lockfile_in_the_backend_block_is_accepted_and_locks(
    terraform: Terraform,
    scenario: Callable[[str], Path],
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = scenario(SCENARIO)
    with_backend_argument(module, "use_lockfile")
    fmt = terraform.run(module, "fmt", "-check", "-no-color")
    assert fmt.returncode == 0, fmt.explain()
    bucket = tfbackend("bucket", {"bucket": state_bucket})

    init = terraform.init(
        module, f"-backend-config={bucket}", f"-backend-config={moto_tfbackend}", env=aws_env
    )
    assert init.returncode == 0, init.explain()
    with held_lock(terraform, module, aws_env) as holder:
        lock = read_json_object(s3, state_bucket, f"{KEY}.tflock")
        assert lock["Path"] == f"{state_bucket}/{KEY}"
        plan = terraform.plan(
            module, "-lock-timeout=0s", "-var=lock_release_file=/nonexistent", env=aws_env
        )
        assert plan.returncode == 1, plan.explain()
        assert "Error: Error acquiring the state lock" in plan.stderr

    assert holder.result is not None and holder.result.returncode == 0, holder.result
    assert object_keys(s3, state_bucket) == [KEY]
    state = read_json_object(s3, state_bucket, KEY)
    assert {resource["name"] for resource in state["resources"]} == {"marker", "lock_holder"}


def test_misspelled_argument_is_ignored_once_backend_config_is_given(
    terraform: Terraform,
    scenario: Callable[[str], Path],
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = scenario(SCENARIO)
    with_backend_argument(module, "use_lock_file")
    bucket = tfbackend("bucket", {"bucket": state_bucket})

    init = terraform.init(
        module, f"-backend-config={bucket}", f"-backend-config={moto_tfbackend}", env=aws_env
    )
    assert init.returncode == 0, init.explain()
    assert "use_lock_file" not in init.output
    with held_lock(terraform, module, aws_env) as holder:
        assert f"{KEY}.tflock" not in object_keys(s3, state_bucket)
        plan = terraform.plan(
            module, "-lock-timeout=0s", "-var=lock_release_file=/nonexistent", env=aws_env
        )
        # Nothing holds a lock, so the concurrent plan goes ahead.
        assert plan.returncode == 0, plan.explain()

    assert holder.result is not None and holder.result.returncode == 0, holder.result


def test_misspelled_argument_is_an_error_without_backend_config(
    terraform: Terraform, scenario: Callable[[str], Path]
) -> None:
    module = scenario("complete-s3")
    main = module / "main.tf"
    main.write_text(main.read_text().replace("use_lockfile = true", "use_lock_file = true"))

    result = terraform.init(module)

    assert result.returncode == 1, result.explain()
    assert "Error: Unsupported argument" in result.stderr
    assert 'An argument named "use_lock_file" is not expected here.' in result.stderr
    assert "on main.tf line 11, in terraform:" in result.stderr
