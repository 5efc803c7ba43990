"""A ``cloud`` block without ``workspaces``: Terraform refuses it, check does not see it.

Terraform 1.11 validates the cloud block before it contacts HCP Terraform, so
the refusal is pinned offline (a proxy that refuses every connection makes sure
of it). The check's side is a strict xfail until the rules learn it: a
``cloud`` block needs a workspaces mapping (``name`` or ``tags``), or
``TF_WORKSPACE`` at init time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_harness import Terraform
from fixer_cli import BackendFixer

pytestmark = pytest.mark.e2e

SCENARIO = "cloud-without-workspaces"
# Nothing may leave the machine even if Terraform got past the configuration.
OFFLINE = {"HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}


def test_init_rejects_a_cloud_block_without_workspaces(
    terraform: Terraform, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)

    init = terraform.init(module, env=OFFLINE)

    assert init.returncode == 1, init.explain()
    assert "Error: Invalid workspaces configuration" in init.stderr
    assert "Missing workspace mapping strategy." in " ".join(init.stderr.split())
    assert "on main.tf line 6, in terraform:" in init.stderr
    assert "app.terraform.io" not in init.output


@pytest.mark.xfail(
    strict=True,
    reason=(
        "engine: check reports nothing for a cloud block without workspaces, which "
        "Terraform 1.11 rejects at init (reported to the lead, issue 5 note)"
    ),
)
def test_check_reports_the_missing_workspaces(
    backend_fixer: BackendFixer, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)

    check = backend_fixer.check(module, "--format=json")

    assert check.returncode == 1, check.explain()
    messages = [f["message"] for f in check.json()["findings"]]
    assert any("workspaces" in message for message in messages), messages
