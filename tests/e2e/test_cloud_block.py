"""A ``cloud`` block without ``workspaces``: what Terraform and check say, and the fixes.

Terraform 1.11 validates the cloud block before it contacts HCP Terraform, so
its refusal is pinned offline; a proxy that refuses every connection makes sure
nothing leaves the machine even if Terraform got further. ``check`` must name
the missing ``workspaces`` on the line Terraform blames, and comment and
override mode must give a module that inits and applies with local state.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_harness import Terraform
from fixer_cli import BackendFixer, file_bytes

pytestmark = pytest.mark.e2e

SCENARIO = "cloud-without-workspaces"
OFFLINE = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}


def test_check_and_init_agree_on_the_missing_workspaces(
    terraform: Terraform, backend_fixer: BackendFixer, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)

    check = backend_fixer.check(module, "--format=json")
    init = terraform.init(module, env=OFFLINE)

    assert check.returncode == 1, check.explain()
    (finding,) = check.json()["findings"]
    assert finding["code"] == "BF001"
    assert "workspaces is missing" in finding["message"]
    assert init.returncode == 1, init.explain()
    assert "Error: Invalid workspaces configuration" in init.stderr
    assert "Missing workspace mapping strategy." in " ".join(init.stderr.split())
    assert f"on main.tf line {finding['location']['line']}, in terraform:" in init.stderr
    assert "app.terraform.io" not in init.output


@pytest.mark.parametrize("mode", ["comment", "override"])
def test_local_state_fixes_deploy_offline(
    terraform: Terraform, backend_fixer: BackendFixer, scenario: Callable[[str], Path], mode: str
) -> None:
    module = scenario(SCENARIO)
    tracked = file_bytes(module)

    fix = backend_fixer.fix(module, mode)

    assert fix.returncode == 0, fix.explain()
    if mode == "override":
        # A backend block in an override file replaces the cloud block.
        assert {k: v for k, v in file_bytes(module).items() if k in tracked} == tracked
    init = terraform.init(module, env=OFFLINE)
    assert init.returncode == 0, init.explain()
    apply = terraform.apply(module, env=OFFLINE)
    assert apply.returncode == 0, apply.explain()
    state = json.loads((module / "terraform.tfstate").read_text())
    assert [resource["name"] for resource in state["resources"]] == ["marker"]
    check = backend_fixer.check(module)
    assert check.returncode == 0, check.explain()


def test_complete_mode_without_workspaces_changes_nothing(
    backend_fixer: BackendFixer, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)
    before = file_bytes(module)

    fix = backend_fixer.fix(module, "complete")

    assert fix.returncode == 2, fix.explain()
    assert "no value for workspaces" in fix.stderr
    assert file_bytes(module) == before
