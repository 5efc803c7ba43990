"""Fixtures shared by every test folder: where the samples are, and Terraform.

Terraform is located once; tests that need it ask for ``terraform_bin`` and are
skipped with a reason only when no binary exists. The environment handed to it
points ``TF_CLI_CONFIG_FILE`` at an empty file so the machine's settings never
leak in.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES = REPO_ROOT / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def terraform_bin() -> str:
    """The terraform binary on PATH; skips the test when there is none."""
    found = shutil.which("terraform")
    if found is None:
        pytest.skip("terraform is not installed on this machine")
    return found


@pytest.fixture(scope="session")
def terraform_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment for running terraform that ignores the machine's CLI config."""
    home = tmp_path_factory.mktemp("tf-home")
    config = home / "empty.tfrc"
    config.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "AWS_"))}
    env.update(
        {
            "HOME": str(home),
            "TF_CLI_CONFIG_FILE": str(config),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
        }
    )
    return env
