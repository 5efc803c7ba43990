"""A backend with every value in the code: init needs no values at all.

The only ``-backend-config`` file is the test's endpoint file that points the
backend at moto. Pins that such a module inits and applies unattended, that
``encrypt = true`` reaches the bucket as server-side encryption and that the
lock file is cleaned up after the apply.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, object_keys, read_json_object

pytestmark = pytest.mark.e2e

BUCKET = "complete-s3-state"
KEY = "complete-s3/terraform.tfstate"


@pytest.fixture
def complete_s3_bucket(s3: Any) -> str:
    """The bucket the module names, created empty (and emptied if a rerun left it)."""
    existing = {bucket["Name"] for bucket in s3.list_buckets()["Buckets"]}
    if BUCKET in existing:
        for key in object_keys(s3, BUCKET):
            s3.delete_object(Bucket=BUCKET, Key=key)
    else:
        s3.create_bucket(Bucket=BUCKET)
    return BUCKET


def test_complete_backend_inits_and_applies_unattended(
    terraform: Terraform,
    scenario: Any,
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    complete_s3_bucket: str,
) -> None:
    module = scenario("complete-s3")

    init = terraform.init(module, f"-backend-config={moto_tfbackend}", env=aws_env)
    assert init.returncode == 0, init.explain()
    assert 'Successfully configured the backend "s3"!' in init.stdout
    apply = terraform.apply(module, "-var=environment_suffix=ci", env=aws_env)
    assert apply.returncode == 0, apply.explain()
    assert "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." in apply.stdout

    assert object_keys(s3, complete_s3_bucket) == [KEY]
    head = s3.head_object(Bucket=complete_s3_bucket, Key=KEY)
    assert head["ServerSideEncryption"] == "AES256"
    state = read_json_object(s3, complete_s3_bucket, KEY)
    assert state["outputs"]["marker"]["value"] == "complete-s3-ci"
    assert not (module / "terraform.tfstate").exists()
