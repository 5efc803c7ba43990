"""Back to the remote backend after a spell of local state.

What ``restore`` will hand the user: the seed's module deployed with its
backend commented out, then the original ``provider.tf`` put back byte for
byte. Pins that a plain unattended init then refuses (it would have to ask
about migrating the local state), that ``-migrate-state -force-copy`` moves
that state into the bucket (as a new lineage), and that ``-reconfigure`` does
not get round the question while a local ``terraform.tfstate`` exists.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, instance_ids, object_keys, read_json_object

pytestmark = pytest.mark.e2e

KEY = "pipeline/terraform.tfstate"
PARTIAL_BACKEND = '  backend "s3" {}\n'
COMMENTED_BACKEND = '  # backend "s3" {}\n'


@pytest.fixture
def deployed_locally(terraform: Terraform, scenario: Callable[[str], Path]) -> Path:
    """The seed deployed with local state, then its original provider.tf put back."""
    module = scenario("seed-pipeline")
    provider = module / "provider.tf"
    original = provider.read_bytes()
    provider.write_text(original.decode().replace(PARTIAL_BACKEND, COMMENTED_BACKEND))
    assert terraform.init(module).returncode == 0
    apply = terraform.apply(module)
    assert apply.returncode == 0, apply.explain()
    provider.write_bytes(original)
    return module


def test_plain_init_refuses_to_migrate_local_state_unattended(
    terraform: Terraform,
    deployed_locally: Path,
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = deployed_locally
    values = tfbackend("values", {"bucket": state_bucket, "key": KEY, "region": "us-east-1"})

    init = terraform.init(
        module, f"-backend-config={values}", f"-backend-config={moto_tfbackend}", env=aws_env
    )

    assert init.returncode == 1, init.explain()
    assert (
        "Error: Can't ask approval for state migration when interactive input is disabled."
        in init.stderr
    )
    assert 'Please remove the "-input=false" option and try again.' in init.stderr
    assert object_keys(s3, state_bucket) == []
    plan = terraform.plan(module, env=aws_env)
    assert plan.returncode == 1, plan.explain()
    assert 'Error: Backend initialization required, please run "terraform init"' in plan.stderr


def test_migrate_state_moves_local_state_into_the_bucket(
    terraform: Terraform,
    deployed_locally: Path,
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = deployed_locally
    local = json.loads((module / "terraform.tfstate").read_text())
    values = tfbackend("values", {"bucket": state_bucket, "key": KEY, "region": "us-east-1"})

    init = terraform.init(
        module,
        "-migrate-state",
        "-force-copy",
        f"-backend-config={values}",
        f"-backend-config={moto_tfbackend}",
        env=aws_env,
    )

    assert init.returncode == 0, init.explain()
    remote = read_json_object(s3, state_bucket, KEY)
    assert instance_ids(remote) == instance_ids(local)
    assert len(instance_ids(remote)) == 5
    # Copied into an empty backend, the state starts a new lineage at serial 1.
    assert remote["lineage"] != local["lineage"]
    assert remote["serial"] == 1
    # The local file is emptied and a backup kept beside it.
    assert (module / "terraform.tfstate").read_text() == ""
    assert (
        json.loads((module / "terraform.tfstate.backup").read_text())["lineage"] == local["lineage"]
    )
    plan = terraform.plan(module, "-detailed-exitcode", env=aws_env)
    assert plan.returncode == 0, plan.explain()
    assert "No changes." in plan.stdout


def test_reconfigure_does_not_skip_the_migration_question(
    terraform: Terraform,
    deployed_locally: Path,
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = deployed_locally
    values = tfbackend("values", {"bucket": state_bucket, "key": KEY, "region": "us-east-1"})

    init = terraform.init(
        module,
        "-reconfigure",
        f"-backend-config={values}",
        f"-backend-config={moto_tfbackend}",
        env=aws_env,
    )

    assert init.returncode == 1, init.explain()
    assert (
        "Error: Can't ask approval for state migration when interactive input is disabled."
        in init.stderr
    )
    assert object_keys(s3, state_bucket) == []
    assert json.loads((module / "terraform.tfstate").read_text())["resources"]
