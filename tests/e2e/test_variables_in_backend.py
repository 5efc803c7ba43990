"""A backend that interpolates a variable: ``bucket = "x-${var.env}"``.

Pins that Terraform's own init rejects it with "Variables may not be used
here", that an offline ``init -backend=false`` plus ``validate`` does not notice
(so a verify step cannot stand in for the check), and that a ``-backend-config``
value for the same argument replaces the expression before it is evaluated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, object_keys

pytestmark = pytest.mark.e2e

SCENARIO = "variables-in-backend"
KEY = "variables-in-backend/terraform.tfstate"


def test_init_fails_with_variables_not_allowed(
    terraform: Terraform, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)

    result = terraform.init(module)

    assert result.returncode == 1, result.explain()
    assert "Error: Variables not allowed" in result.stderr
    assert "Variables may not be used here." in result.stderr
    assert "on main.tf line 7, in terraform:" in result.stderr
    assert '7:     bucket = "x-${var.env}"' in result.stderr
    # Passing the variable does not help: backends are configured before variables.
    with_var = terraform.init(module, "-var=env=prod")
    assert with_var.returncode == 1, with_var.explain()
    assert "Variables may not be used here." in with_var.stderr


def test_offline_init_and_validate_do_not_see_it(
    terraform: Terraform, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)

    init = terraform.init(module, "-backend=false")
    assert init.returncode == 0, init.explain()
    validate = terraform.run(module, "validate", "-no-color")
    assert validate.returncode == 0, validate.explain()
    assert "Success! The configuration is valid." in validate.stdout


def test_backend_config_value_replaces_the_interpolation(
    terraform: Terraform,
    scenario: Callable[[str], Path],
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    state_bucket: str,
) -> None:
    module = scenario(SCENARIO)
    bucket = tfbackend("bucket", {"bucket": state_bucket})

    init = terraform.init(
        module, f"-backend-config={bucket}", f"-backend-config={moto_tfbackend}", env=aws_env
    )
    assert init.returncode == 0, init.explain()
    assert "Variables" not in init.output
    apply = terraform.apply(module, env=aws_env)
    assert apply.returncode == 0, apply.explain()
    assert object_keys(s3, state_bucket) == [KEY]
