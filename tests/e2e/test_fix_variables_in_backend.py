"""``bucket = "x-${var.env}"``: what check says, what Terraform says, and the fix.

Terraform configures the backend before it evaluates any variable, so init
fails however ``env`` is set. ``check`` must report it (BF002) on the line
Terraform blames, and complete mode must replace the expression with a literal
(the variable's default, or a ``--set`` value) that Terraform then uses.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from e2e_harness import Terraform, create_bucket, object_keys, unique_name
from fixer_cli import BackendFixer, file_bytes

pytestmark = pytest.mark.e2e

SCENARIO = "variables-in-backend"
KEY = "variables-in-backend/terraform.tfstate"
ORIGINAL_DEFAULT = '  default = "dev"\n'


def test_check_and_init_agree_on_the_variable(
    terraform: Terraform, backend_fixer: BackendFixer, scenario: Callable[[str], Path]
) -> None:
    module = scenario(SCENARIO)

    check = backend_fixer.check(module, "--format=json")
    init = terraform.init(module)

    assert check.returncode == 1, check.explain()
    (finding,) = [f for f in check.json()["findings"] if f["code"] == "BF002"]
    assert "var.env" in finding["message"]
    assert "Variables may not be used here." in finding["message"]
    assert init.returncode == 1, init.explain()
    assert "Error: Variables not allowed" in init.stderr
    assert "Variables may not be used here." in init.stderr
    assert f"on main.tf line {finding['location']['line']}, in terraform:" in init.stderr
    assert finding["location"]["path"].endswith("/main.tf")


@pytest.mark.parametrize("source", ["variable-default", "set"])
def test_complete_mode_replaces_the_variable_and_init_works(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    moto_tfbackend: Path,
    aws_env: dict[str, str],
    s3: Any,
    dynamodb: Any,
    lock_table: str,
    source: str,
) -> None:
    module = scenario(SCENARIO)
    sets = {"dynamodb_table": lock_table}
    if source == "variable-default":
        # A default of our own keeps the bucket name unique in the shared server;
        # the fix must read it from the variable, as it would read "dev".
        env_value = unique_name("e2e")
        variables = module / "main.tf"
        text = variables.read_text()
        assert ORIGINAL_DEFAULT in text
        variables.write_text(text.replace(ORIGINAL_DEFAULT, f'  default = "{env_value}"\n'))
        bucket = create_bucket(s3, f"x-{env_value}")
    else:
        bucket = create_bucket(s3)
        sets["bucket"] = bucket
    fmt = terraform.run(module, "fmt", "-check", "-no-color")
    assert fmt.returncode == 0, fmt.explain()
    before = file_bytes(module)

    fix = backend_fixer.fix(module, "complete", sets=sets)

    assert fix.returncode == 0, fix.explain()
    main = (module / "main.tf").read_text()
    assert f'    bucket = "{bucket}"\n' in main
    assert "${var.env}" not in main.split("variable ")[0]
    assert f'dynamodb_table = "{lock_table}"' in main
    # Only the backend block changed: the variable and the resource are untouched.
    assert main.split("variable ")[1] == before["main.tf"].decode().split("variable ")[1]
    fmt = terraform.run(module, "fmt", "-check", "-no-color")
    assert fmt.returncode == 0, fmt.explain()
    check = backend_fixer.check(module)
    assert check.returncode == 0, check.explain()

    init = terraform.init(module, f"-backend-config={moto_tfbackend}", env=aws_env)
    assert init.returncode == 0, init.explain()
    assert "Variables" not in init.output
    config = json.loads((module / ".terraform" / "terraform.tfstate").read_text())["backend"][
        "config"
    ]
    assert (config["bucket"], config["dynamodb_table"]) == (bucket, lock_table)
    apply = terraform.apply(module, env=aws_env)
    assert apply.returncode == 0, apply.explain()
    assert object_keys(s3, bucket) == [KEY]
    items = dynamodb.scan(TableName=lock_table)["Items"]
    assert [item["LockID"]["S"] for item in items] == [f"{bucket}/{KEY}-md5"]


def test_complete_mode_evaluates_the_defaults_and_warns_about_locking(
    backend_fixer: BackendFixer, scenario: Callable[[str], Path]
) -> None:
    # The bucket comes from the variable's default; no lock table is named, which
    # is a warning, not a reason to leave the module failing init.
    module = scenario(SCENARIO)

    fix = backend_fixer.fix(module, "complete")

    # Exit 1, as ruff check --fix: the no-state-locking warning is left for a person.
    assert fix.returncode == 1, fix.explain()
    assert "main.tf:6:3: BF006: no fix applies here" in fix.stderr
    assert "completed without state locking" in fix.stderr
    text = (module / "main.tf").read_text()
    assert 'bucket  = "x-dev"' in text or 'bucket = "x-dev"' in text, text
    assert "x-${var.env}" not in text
    check = backend_fixer.run(
        module.parent, "check", module.name, "--select=BF001", "--select=BF002", "--select=BF010"
    )
    assert check.returncode == 0, check.explain()
