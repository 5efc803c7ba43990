"""Terraform's strictest reading of what the fixer wrote: init with no -backend-config.

Given any ``-backend-config``, Terraform 1.11 silently ignores backend arguments
it does not know (``test_requires_1_11.py``), so the other scenario tests prove
their fixes by the objects in the bucket. Here nothing comes from outside the
code: the settings that point the backend at moto go into the block through the
fixer's own ``--backend-config`` file (``use_path_style``, ``skip_*``), and only
the endpoints come from the AWS SDK's ``AWS_ENDPOINT_URL_*`` variables. Init
then checks every argument the fixer wrote against the backend's schema.

Two promises are held to this: a ``fix --write`` that exits 0 leaves a module
Terraform can init, and the comment-mode header's "fill in the values below and
run ``backend-fixer enable --write``, or uncomment the block" gives a block
Terraform accepts either way, also where the original block held arguments
1.11 rejects (``assume_role`` as a block, ``role_arn``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import MotoServer, Terraform, moto_backend_settings, object_keys
from fixer_cli import BackendFixer, file_bytes, uncomment_backend

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Case:
    scenario: str
    key: str
    needs_table: bool
    flags: tuple[str, ...] = ()


CASES = {
    "seed-pipeline": Case("seed-pipeline", "pipeline/terraform.tfstate", True),
    "requires-1-11": Case("requires-1-11", "requires-1-11/terraform.tfstate", False),
    "variables-in-backend": Case(
        "variables-in-backend", "variables-in-backend/terraform.tfstate", True
    ),
    "assume-role-block": Case("assume-role-block", "assume-role-block/terraform.tfstate", False),
    # assume_role needs Terraform 1.6 and the module admits 1.5: moving role_arn
    # into it is an unsafe fix, so complete mode makes it only when asked.
    "removed-role-arn": Case(
        "removed-role-arn", "removed-role-arn/terraform.tfstate", True, ("--unsafe",)
    ),
}


@dataclass(frozen=True)
class Strict:
    """The fixer's --backend-config file with moto's scalar settings, and the
    environment that gives Terraform the endpoints and dummy credentials."""

    settings: Path
    env: dict[str, str]


@pytest.fixture
def strict(
    moto_server: MotoServer,
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    aws_env: dict[str, str],
) -> Strict:
    scalars = {
        name: value
        for name, value in moto_backend_settings(moto_server.endpoint).items()
        if name != "endpoints"
    }
    endpoints = {
        f"AWS_ENDPOINT_URL_{service}": moto_server.endpoint
        # STS too: assume_role makes Terraform call AssumeRole before it reads state.
        for service in ("S3", "DYNAMODB", "STS")
    }
    return Strict(tfbackend("moto-scalars", scalars), {**aws_env, **endpoints})


def values_for(case: Case, bucket: str, table: str) -> dict[str, str]:
    values = {"bucket": bucket, "key": case.key, "region": "us-east-1"}
    if case.needs_table:
        values["dynamodb_table"] = table
    return values


def assert_strict_init_and_apply(
    terraform: Terraform, module: Path, strict: Strict, s3: Any, bucket: str, key: str
) -> None:
    init = terraform.init(module, env=strict.env)
    assert init.returncode == 0, init.explain()
    assert 'Successfully configured the backend "s3"!' in init.stdout
    warnings = [line for line in init.output.splitlines() if line.startswith("Warning: ")]
    # Terraform 1.15 deprecates dynamodb_table, which a module admitting versions
    # before 1.10 still needs; 1.11 says nothing. Any other warning is the fix's fault.
    if warnings == ["Warning: Deprecated Parameter"]:
        assert 'The parameter "dynamodb_table" is deprecated.' in init.output, init.explain()
    else:
        assert warnings == [], init.explain()
    apply = terraform.apply(module, env=strict.env)
    assert apply.returncode == 0, apply.explain()
    assert object_keys(s3, bucket) == [key]


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_complete_fix_passes_strict_init(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    strict: Strict,
    s3: Any,
    state_bucket: str,
    lock_table: str,
    case: Case,
) -> None:
    module = scenario(case.scenario)
    before = file_bytes(module)

    # The moto settings use arguments from Terraform 1.6 on, which a module that
    # still admits 1.5 cannot have (the re-check refuses them): judge the fix for
    # 1.6 and later, as after narrowing required_version. Judged so, some cases
    # keep a no-state-locking warning (no use_lockfile before 1.10): only errors
    # may fail this run, since init is what is tested here.
    fix = backend_fixer.fix(
        module,
        "complete",
        f"--backend-config={strict.settings}",
        "--terraform-version=>= 1.6",
        "--fail-on=error",
        *case.flags,
        sets=values_for(case, state_bucket, lock_table),
    )

    assert fix.returncode == 0, fix.explain()
    assert file_bytes(module) != before
    assert_strict_init_and_apply(terraform, module, strict, s3, state_bucket, case.key)


def test_complete_mode_without_unsafe_refuses_and_writes_nothing(
    backend_fixer: BackendFixer, scenario: Callable[[str], Path], state_bucket: str
) -> None:
    """Without --unsafe the only complete fix Terraform 1.11 would accept is not
    made, so nothing is: half a fix would exit 0 and still fail init."""
    case = CASES["removed-role-arn"]
    module = scenario(case.scenario)
    before = file_bytes(module)

    fix = backend_fixer.fix(module, "complete", sets=values_for(case, state_bucket, "locks"))

    assert fix.returncode == 2, fix.explain()
    assert "--unsafe" in fix.stderr and "role_arn" in fix.stderr, fix.explain()
    assert file_bytes(module) == before


@pytest.mark.parametrize("how", ["by-hand", "enable"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_uncommenting_the_block_as_the_header_says_passes_strict_init(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    strict: Strict,
    s3: Any,
    state_bucket: str,
    lock_table: str,
    case: Case,
    how: str,
) -> None:
    """With every value given, the commented block has nothing to fill in: the
    header says to enable it or uncomment it, and Terraform must then accept it
    as it is."""
    module = scenario(case.scenario)
    fix = backend_fixer.fix(
        module,
        "comment",
        f"--backend-config={strict.settings}",
        sets=values_for(case, state_bucket, lock_table),
    )
    assert fix.returncode == 0, fix.explain()
    main = next(path for path in module.glob("*.tf") if "backend-fixer:end" in path.read_text())
    text = main.read_text()
    assert "REPLACE_ME" not in text
    header = " ".join(text.replace("#", " ").split())
    assert "fill in the values below and run `backend-fixer enable --write`, or uncomment" in header

    if how == "enable":
        # enable judges the block like check, and the moto settings need 1.6 (see
        # above): judge it for the Terraform that runs it here. The seed's
        # dynamodb_table is deprecated there, a warning left that is not this
        # test's subject.
        enable = backend_fixer.run(
            module.parent,
            "enable",
            module.name,
            "--write",
            f"--terraform-version={terraform.version}",
            "--fail-on=error",
        )
        assert enable.returncode == 0, enable.explain()
        assert "backend-fixer" not in main.read_text()
    else:
        main.write_text(uncomment_backend(text))

    assert_strict_init_and_apply(terraform, module, strict, s3, state_bucket, case.key)


@pytest.mark.parametrize(
    ("name", "code", "error"),
    [
        pytest.param(
            "assume-role-block", "BF009", "Unsupported block type", id="assume-role-block"
        ),
        pytest.param("removed-role-arn", "BF005", "Unsupported argument", id="removed-role-arn"),
    ],
)
def test_check_predicts_the_error_terraform_stops_at(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    name: str,
    code: str,
    error: str,
) -> None:
    """The two scenarios as they are: Terraform refuses the block before it asks
    for the missing bucket, on the line and with the words the check names."""
    module = scenario(name)

    check = backend_fixer.check(module, "--format=json")
    init = terraform.init(module, env={"AWS_EC2_METADATA_DISABLED": "true"})

    assert check.returncode == 1, check.explain()
    (finding,) = [f for f in check.json()["findings"] if f["code"] == code]
    assert error in finding["message"]
    assert init.returncode == 1, init.explain()
    assert f"Error: {error}" in init.stderr
    assert f"on main.tf line {finding['location']['line']}, in terraform:" in init.stderr
