"""The whole fix lifecycle against real Terraform and the local S3: fix, deploy, fill in, enable.

The path most users take after comment mode: the module deploys with local
state, someone fills in the commented block, ``enable --write`` turns it on,
and the next step the output names (``terraform init -migrate-state``, with
Terraform's own question answered yes, as a person at a terminal would) moves
that local state into the bucket. Nothing may be lost on the way: the state
object holds every resource of the local deploy, and a plan changes nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, instance_ids, object_keys, read_json_object
from fixer_cli import BackendFixer

pytestmark = pytest.mark.e2e

SEED = "seed-pipeline"
# What the output names as the next step, in backticks.
_NEXT_STEP = re.compile(r"`(terraform init[^`]*)`")


def test_fix_deploy_fill_in_enable_then_the_next_step_moves_the_state_into_the_bucket(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
    lock_table: str,
) -> None:
    module = scenario(SEED)
    key = f"{module.name}/terraform.tfstate"

    # 1. Comment mode, then a deploy with local state.
    fix = backend_fixer.fix(module, "comment")
    assert fix.returncode == 0, fix.explain()
    assert terraform.init(module).returncode == 0
    apply = terraform.apply(module)
    assert apply.returncode == 0, apply.explain()
    local = json.loads((module / "terraform.tfstate").read_text())
    assert len(instance_ids(local)) == 5

    # 2. Someone fills in the values the commented block asks for.
    provider = module / "provider.tf"
    commented = provider.read_text()
    assert f'#   key            = "{key}"' in commented
    filled = (
        commented.replace("REPLACE_ME-bucket", state_bucket)
        .replace("REPLACE_ME-region", "us-east-1")
        .replace("REPLACE_ME-dynamodb-table", lock_table)
    )
    provider.write_text(filled)
    # Restore would drop those values: it refuses and says so.
    restore = backend_fixer.restore(module)
    assert restore.returncode == 2, restore.explain()
    assert "backend-fixer enable" in restore.stderr
    assert provider.read_text() == filled

    # 3. enable --write turns the block on and names the next step.
    enable = backend_fixer.run(module.parent, "enable", module.name, "--write")
    assert enable.returncode == 0, enable.explain()
    enabled = provider.read_text()
    assert "backend-fixer" not in enabled
    assert f'    bucket         = "{state_bucket}"' in enabled
    (step,) = [line for line in enable.stderr.splitlines() if "terraform init" in line]
    (command,) = _NEXT_STEP.findall(step)
    assert command == "terraform init -migrate-state"
    assert "answer yes" in step
    assert object_keys(s3, state_bucket) == []

    # 4. The next step, as a person would run it: Terraform asks, the answer is yes.
    # The moto endpoints come from a -backend-config file: they are the test's
    # environment, not the module's configuration.
    init = terraform.run(
        module,
        *command.split()[1:],
        "-no-color",
        f"-backend-config={moto_tfbackend}",
        env=aws_env,
        answers="yes\n",
    )
    assert init.returncode == 0, init.explain()
    assert "Do you want to copy existing state to the new backend?" in init.stdout
    assert 'Successfully configured the backend "s3"!' in init.stdout

    # 5. The state object is in the bucket and holds every resource; nothing to change.
    assert object_keys(s3, state_bucket) == [key]
    remote = read_json_object(s3, state_bucket, key)
    assert instance_ids(remote) == instance_ids(local)
    plan = terraform.plan(module, "-detailed-exitcode", env=aws_env)
    assert plan.returncode == 0, plan.explain()
    assert "No changes." in plan.stdout
    check = backend_fixer.check(module)
    assert check.returncode == 0, check.explain()
