"""``restore`` after comment mode, and the way back to the remote backend.

``restore --write`` must give back the original bytes of every file, after
which Terraform must be able to use the S3 backend again. How it gets there
depends on what is on disk, and the tests pin each way that really works
unattended with Terraform 1.11:

- after a local deploy (``terraform.tfstate`` beside the module), plain
  ``init -input=false`` and ``init -reconfigure`` both stop at the question
  whether to migrate the local state (see ``test_restore.py``); only
  ``-migrate-state -force-copy`` answers it, and it is safe only because the
  state key in the bucket is still empty: over existing remote state it
  overwrites that state, which is why the comment-mode header says never to
  use it;
- in a clean copy (a fresh checkout: no ``.terraform/``, no local state)
  ``init -reconfigure`` simply configures the backend;
- ``restore --set ...`` completes the restored block, giving the same bytes as
  complete mode on the original (less the marker by which ``restore`` could
  undo complete mode: a completed restore is no fix to undo), so init needs no
  values at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, instance_ids, object_keys, read_json_object
from fixer_cli import BackendFixer, file_bytes

pytestmark = pytest.mark.e2e

SEED = "seed-pipeline"
KEY = "pipeline/terraform.tfstate"


def commented_and_deployed(
    terraform: Terraform, backend_fixer: BackendFixer, module: Path
) -> dict[str, Any]:
    """Comment mode, then init and apply with local state; returns that state."""
    fix = backend_fixer.fix(module, "comment")
    assert fix.returncode == 0, fix.explain()
    init = terraform.init(module)
    assert init.returncode == 0, init.explain()
    apply = terraform.apply(module)
    assert apply.returncode == 0, apply.explain()
    state: dict[str, Any] = json.loads((module / "terraform.tfstate").read_text())
    assert len(instance_ids(state)) == 5
    return state


def restore_exactly(backend_fixer: BackendFixer, module: Path, original: dict[str, bytes]) -> None:
    restore = backend_fixer.restore(module)
    assert restore.returncode == 0, restore.explain()
    assert "Changed 1 file:" in restore.stderr
    assert file_bytes(module) == original
    # The original is partial again, and check says so.
    check = backend_fixer.check(module)
    assert check.returncode == 1, check.explain()
    assert "BF001" in check.stdout


@pytest.fixture
def backend_values(
    tfbackend: Callable[[str, Mapping[str, object]], Path], state_bucket: str
) -> Path:
    """The partial backend's values, as the pipeline would pass them."""
    return tfbackend("values", {"bucket": state_bucket, "key": KEY, "region": "us-east-1"})


def test_restore_after_a_local_deploy_then_migrate_state_moves_it_to_the_bucket(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    backend_values: Path,
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = scenario(SEED)
    original = file_bytes(module)
    local = commented_and_deployed(terraform, backend_fixer, module)

    restore_exactly(backend_fixer, module, original)

    # -force-copy is safe only into an empty key; see the module docstring.
    assert object_keys(s3, state_bucket) == []
    init = terraform.init(
        module,
        "-migrate-state",
        "-force-copy",
        f"-backend-config={backend_values}",
        f"-backend-config={moto_tfbackend}",
        env=aws_env,
    )
    assert init.returncode == 0, init.explain()
    assert 'Successfully configured the backend "s3"!' in init.stdout
    assert object_keys(s3, state_bucket) == [KEY]
    remote = read_json_object(s3, state_bucket, KEY)
    assert instance_ids(remote) == instance_ids(local)
    plan = terraform.plan(module, "-detailed-exitcode", env=aws_env)
    assert plan.returncode == 0, plan.explain()
    assert "No changes." in plan.stdout


def test_restore_then_reconfigure_in_a_clean_copy_uses_the_bucket(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    backend_values: Path,
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
    tmp_path: Path,
) -> None:
    module = scenario(SEED)
    original = file_bytes(module)
    commented_and_deployed(terraform, backend_fixer, module)
    restore_exactly(backend_fixer, module, original)
    # What a fresh checkout of the restored repository holds: the tracked files
    # only, without the .terraform/ folder and the state of the local deploy.
    clean = tmp_path / "checkout" / SEED
    clean.mkdir(parents=True)
    for name, data in file_bytes(module).items():
        (clean / name).write_bytes(data)

    init = terraform.init(
        clean,
        "-reconfigure",
        f"-backend-config={backend_values}",
        f"-backend-config={moto_tfbackend}",
        env=aws_env,
    )

    assert init.returncode == 0, init.explain()
    assert 'Successfully configured the backend "s3"!' in init.stdout
    apply = terraform.apply(clean, env=aws_env)
    assert apply.returncode == 0, apply.explain()
    assert "Apply complete! Resources: 5 added, 0 changed, 0 destroyed." in apply.stdout
    assert object_keys(s3, state_bucket) == [KEY]
    assert len(instance_ids(read_json_object(s3, state_bucket, KEY))) == 5
    assert not (clean / "terraform.tfstate").exists()


def test_restore_with_values_equals_complete_mode_and_inits_without_backend_config(
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
    sets = {"bucket": state_bucket, "key": KEY, "region": "us-east-1", "dynamodb_table": lock_table}
    completed = scenario(SEED)
    complete = backend_fixer.fix(completed, "complete", sets=sets)
    assert complete.returncode == 0, complete.explain()
    module = scenario(SEED)
    fix = backend_fixer.fix(module, "comment")
    assert fix.returncode == 0, fix.explain()

    restore = backend_fixer.restore(module, sets=sets)

    assert restore.returncode == 0, restore.explain()
    marked = file_bytes(completed)["provider.tf"].splitlines(keepends=True)
    (marker,) = [line for line in marked if b"# backend-fixer:fixed " in line]
    unmarked = b"".join(line for line in marked if line != marker)
    assert file_bytes(module) == {**file_bytes(completed), "provider.tf": unmarked}
    init = terraform.init(module, f"-backend-config={moto_tfbackend}", env=aws_env)
    assert init.returncode == 0, init.explain()
    apply = terraform.apply(module, env=aws_env)
    assert apply.returncode == 0, apply.explain()
    assert object_keys(s3, state_bucket) == [KEY]
    # The table holds the state's digest: the backend used the table it was given.
    items = dynamodb.scan(TableName=lock_table)["Items"]
    assert [item["LockID"]["S"] for item in items] == [f"{state_bucket}/{KEY}-md5"]


def test_force_copy_overwrites_state_already_in_the_bucket(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    backend_values: Path,
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    """Why the comment-mode header warns against -force-copy: the remote state
    another pipeline wrote is replaced, without a question, by the local one."""
    remote_user = scenario(SEED)
    init = terraform.init(
        remote_user,
        f"-backend-config={backend_values}",
        f"-backend-config={moto_tfbackend}",
        env=aws_env,
    )
    assert init.returncode == 0, init.explain()
    assert terraform.apply(remote_user, "-var=environment_suffix=prod", env=aws_env).returncode == 0
    prod = read_json_object(s3, state_bucket, KEY)
    module = scenario(SEED)
    original = file_bytes(module)
    local = commented_and_deployed(terraform, backend_fixer, module)
    header = " ".join((module / "provider.tf").read_text().replace("#", " ").split())
    assert "never use -force-copy, which can overwrite the remote state" in header
    restore_exactly(backend_fixer, module, original)

    init = terraform.init(
        module,
        "-migrate-state",
        "-force-copy",
        f"-backend-config={backend_values}",
        f"-backend-config={moto_tfbackend}",
        env=aws_env,
    )

    assert init.returncode == 0, init.explain()
    remote = read_json_object(s3, state_bucket, KEY)
    assert instance_ids(remote) == instance_ids(local)
    assert not instance_ids(remote) & instance_ids(prod)
    assert remote["outputs"]["artifact_store_name"]["value"] == "pipeline-dev-artifacts"
