"""The seed's ``terraform`` block with the real AWS provider, fixed and applied.

Uses hashicorp/aws from the machine's plugin directory (no download) and moto
for both the state and the bucket the module creates. Complete mode must infer
the region from the ``provider "aws"`` block (through the variable's default)
and the result must apply a real ``aws_s3_bucket``. Comment mode is proven on
``seed-pipeline`` only: the provider does not meet the backend, and each run
of hashicorp/aws costs seconds just to start.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import MotoServer, Terraform, object_keys, read_json_object, unique_name
from fixer_cli import BackendFixer

pytestmark = pytest.mark.e2e

SCENARIO = "aws-bucket"
KEY = "aws-bucket/terraform.tfstate"


def apply_bucket(
    terraform: Terraform, module: Path, env: dict[str, str], s3: Any
) -> dict[str, str]:
    """Apply with a unique suffix; returns the created bucket's tags from moto."""
    suffix = unique_name("e2e")
    apply = terraform.apply(module, f"-var=environment_suffix={suffix}", env=env)
    assert apply.returncode == 0, apply.explain()
    assert "aws_s3_bucket.artifacts: Creation complete" in apply.stdout
    name = f"pipeline-artifacts-{suffix}"
    assert name in {bucket["Name"] for bucket in s3.list_buckets()["Buckets"]}
    tags = s3.get_bucket_tagging(Bucket=name)["TagSet"]
    return {tag["Key"]: tag["Value"] for tag in tags} | {"_name": name}


def test_complete_mode_infers_the_region_and_applies_a_real_bucket(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    tf_plugin_dir: Path,
    moto_tfbackend: Path,
    moto_server: MotoServer,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
    lock_table: str,
) -> None:
    module = scenario(SCENARIO)

    fix = backend_fixer.fix(
        module,
        "complete",
        sets={"bucket": state_bucket, "key": KEY, "dynamodb_table": lock_table},
    )

    assert fix.returncode == 0, fix.explain()
    provider = (module / "provider.tf").read_text()
    # Not given with --set: read from provider "aws" { region = var.aws_region }.
    assert '    region         = "us-east-1"\n' in provider
    fmt = terraform.run(module, "fmt", "-check", "-no-color")
    assert fmt.returncode == 0, fmt.explain()
    env = {**aws_env, "TF_VAR_aws_endpoint": moto_server.endpoint}
    init = terraform.init(
        module, f"-plugin-dir={tf_plugin_dir}", f"-backend-config={moto_tfbackend}", env=env
    )
    assert init.returncode == 0, init.explain()
    assert 'Successfully configured the backend "s3"!' in init.stdout

    created = apply_bucket(terraform, module, env, s3)

    assert created["Environment"] == created["_name"].removeprefix("pipeline-artifacts-")
    assert object_keys(s3, state_bucket) == [KEY]
    (resource,) = read_json_object(s3, state_bucket, KEY)["resources"]
    assert resource["type"] == "aws_s3_bucket"
    assert resource["instances"][0]["attributes"]["bucket"] == created["_name"]
