"""The seed's pipeline as it is and as the seed's author fixed it by hand.

Pins what Terraform really does with ``backend "s3" {}``: unattended init fails
and names every missing value; the same module inits and applies once the values
arrive through ``-backend-config`` files; and the two hand fixes the tool will
automate (comment the backend out, or override it in ``backend_override.tf``)
give a module that deploys with local state.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, object_keys, read_json_object

pytestmark = pytest.mark.e2e

SCENARIO = "seed-pipeline"
PARTIAL_BACKEND = (
    '  # Partial backend config: values are injected at `terraform init` time\n  backend "s3" {}\n'
)
# The seed's IDEAL_RESPONSE: the backend commented out under a header.
SEED_COMMENTED_BACKEND = """\
  # Using local state for testing deployment
  # In production, this would use S3 backend with proper configuration
  # backend "s3" {
  #   bucket         = "terraform-state-${var.environment_suffix}"
  #   key            = "terraform.tfstate"
  #   region         = "us-east-1"
  #   dynamodb_table = "terraform-state-locks-${var.environment_suffix}"
  #   encrypt        = true
  # }
"""
STAGES = ("build", "deploy", "source", "test")


def missing_value_message(attribute: str) -> str:
    return f'The attribute "{attribute}" is required by the backend.'


def resource_addresses(state: Mapping[str, Any]) -> list[str]:
    addresses = []
    for resource in state["resources"]:
        for instance in resource["instances"]:
            key = instance.get("index_key")
            suffix = f'["{key}"]' if key is not None else ""
            addresses.append(f"{resource['type']}.{resource['name']}{suffix}")
    return sorted(addresses)


def expected_addresses() -> list[str]:
    stages = [f'terraform_data.stage["{stage}"]' for stage in STAGES]
    return sorted(["terraform_data.artifact_store", *stages])


def tree_digest(module: Path) -> dict[str, str]:
    """sha256 of every file the module had before Terraform ran."""
    return {
        str(path.relative_to(module)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(module.glob("*.tf"))
    }


def test_unattended_init_fails_naming_each_missing_value(
    terraform: Terraform, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)

    result = terraform.init(module)

    assert result.returncode == 1, result.explain()
    assert result.stderr.count("Error: Missing Required Value") == 2, result.explain()
    assert missing_value_message("bucket") in result.stderr
    assert missing_value_message("key") in result.stderr
    # region has its own message, because the environment can supply it.
    assert "Error: Missing region value" in result.stderr
    assert (
        'The "region" attribute or the "AWS_REGION" or "AWS_DEFAULT_REGION"\n'
        "environment variables must be set." in result.stderr
    )
    assert result.stderr.count("on provider.tf line 5, in terraform:") == 3
    assert '5:   backend "s3" {}' in result.stderr
    # A failed init records no backend and creates no state.
    assert not (module / ".terraform" / "terraform.tfstate").exists()
    assert not (module / "terraform.tfstate").exists()


def test_region_from_the_environment_leaves_bucket_and_key_missing(
    terraform: Terraform, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)

    result = terraform.init(module, env={"AWS_REGION": "us-east-1"})

    assert result.returncode == 1, result.explain()
    assert result.stderr.count("Error: Missing Required Value") == 2, result.explain()
    assert "Missing region value" not in result.stderr


def test_backend_config_files_complete_the_backend(
    terraform: Terraform,
    scenario: Callable[[str], Path],
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = scenario(SCENARIO)
    before = tree_digest(module)
    values = tfbackend(
        "values",
        {"bucket": state_bucket, "key": "pipeline/terraform.tfstate", "region": "us-east-1"},
    )

    init = terraform.init(
        module, f"-backend-config={values}", f"-backend-config={moto_tfbackend}", env=aws_env
    )
    assert init.returncode == 0, init.explain()
    assert 'Successfully configured the backend "s3"!' in init.stdout
    assert "Terraform has been successfully initialized!" in init.stdout
    recorded = json.loads((module / ".terraform" / "terraform.tfstate").read_text())
    assert recorded["backend"]["type"] == "s3"
    assert recorded["backend"]["config"]["bucket"] == state_bucket

    apply = terraform.apply(module, "-var=environment_suffix=ci", env=aws_env)
    assert apply.returncode == 0, apply.explain()
    assert "Apply complete! Resources: 5 added, 0 changed, 0 destroyed." in apply.stdout

    assert object_keys(s3, state_bucket) == ["pipeline/terraform.tfstate"]
    state = read_json_object(s3, state_bucket, "pipeline/terraform.tfstate")
    assert resource_addresses(state) == expected_addresses()
    assert state["outputs"]["artifact_store_name"]["value"] == "pipeline-ci-artifacts"
    assert not (module / "terraform.tfstate").exists()
    assert tree_digest(module) == before


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param(PARTIAL_BACKEND, SEED_COMMENTED_BACKEND, id="commented-as-the-seed-did"),
        pytest.param("\n" + PARTIAL_BACKEND, "", id="removed"),
    ],
)
def test_module_without_backend_deploys_with_local_state(
    terraform: Terraform, scenario: Callable[[str], Path], old: str, new: str
) -> None:
    module = scenario(SCENARIO)
    provider = module / "provider.tf"
    original = provider.read_text()
    assert old in original
    provider.write_text(original.replace(old, new))

    fmt = terraform.run(module, "fmt", "-check", "-no-color")
    assert fmt.returncode == 0, fmt.explain()
    init = terraform.init(module)
    assert init.returncode == 0, init.explain()
    assert "Successfully configured the backend" not in init.stdout
    apply = terraform.apply(module, "-var=environment_suffix=qa")
    assert apply.returncode == 0, apply.explain()
    assert "Apply complete! Resources: 5 added, 0 changed, 0 destroyed." in apply.stdout

    state = json.loads((module / "terraform.tfstate").read_text())
    assert resource_addresses(state) == expected_addresses()
    assert state["outputs"]["stage_names"]["value"]["deploy"] == "pipeline-qa-deploy"
    assert not (module / ".terraform" / "terraform.tfstate").exists()


def test_backend_override_file_deploys_with_local_state_and_leaves_tracked_files(
    terraform: Terraform, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)
    tracked = tree_digest(module)
    (module / "backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')

    init = terraform.init(module)
    assert init.returncode == 0, init.explain()
    assert 'Successfully configured the backend "local"!' in init.stdout
    apply = terraform.apply(module)
    assert apply.returncode == 0, apply.explain()

    state = json.loads((module / "terraform.tfstate").read_text())
    assert resource_addresses(state) == expected_addresses()
    recorded = json.loads((module / ".terraform" / "terraform.tfstate").read_text())
    assert recorded["backend"]["type"] == "local"
    after = tree_digest(module)
    assert after.pop("backend_override.tf")
    assert after == tracked


def test_init_without_backend_and_validate_pass_despite_the_partial_backend(
    terraform: Terraform, scenario: Callable[[str], Path]
) -> None:
    """What a ``--verify`` run can check offline: it does not see the missing values."""
    module = scenario(SCENARIO)

    init = terraform.init(module, "-backend=false")
    assert init.returncode == 0, init.explain()
    assert "Initializing the backend..." not in init.stdout
    validate = terraform.run(module, "validate", "-no-color")
    assert validate.returncode == 0, validate.explain()
    assert "Success! The configuration is valid." in validate.stdout
