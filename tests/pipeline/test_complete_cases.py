"""Complete mode writes only what the backend accepts: one test per case seen in real repositories.

Each module here is written for the case it shows (issue 12): an empty
variable default, a backend.hcl written for another backend, a nested block in
a backend configuration file, a lock table nobody names, values that disagree
between a .tfbackend and the provider, and the --set keys a backend lacks.
Every written result also passes the re-check (the pipeline's second run),
so what is written here is what the tool's own check calls clean.
"""

from __future__ import annotations

import pytest
from pipeline_support import module_input, texts

from fixer.fixes.plan import FixOptions
from fixer.pipeline import BackendValues, CheckRequest, FixRequest, Judgement, process_module
from fixer.rules.base import Category, Mode

COMPLETE = FixOptions(mode=Mode.COMPLETE)


def _complete(
    files: dict[str, str], **request: object
) -> tuple[dict[str, str | None], list[str], list[str]]:
    result = process_module(module_input(files), FixRequest(fix=COMPLETE, **request))  # type: ignore[arg-type]
    return texts(result.files), [p.message for p in result.problems], list(result.warnings)


def _clean(files: dict[str, str], new: dict[str, str | None]) -> None:
    """The written module has no init-breaking error left, by the tool's own check."""
    merged = {**files, **{k: v for k, v in new.items() if v is not None}}
    result = process_module(module_input(merged), CheckRequest())
    breaking = [f for f in result.findings if f.category is Category.INIT_BREAKING]
    assert breaking == [], [f.message for f in breaking]


S3_PARTIAL = 'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {}\n}\n'


def test_an_empty_variable_default_is_no_region() -> None:
    files = {"main.tf": S3_PARTIAL, "variables.tf": 'variable "region" {\n  default = ""\n}\n'}
    new, problems, _ = _complete(files, values=BackendValues(sets={"bucket": "b", "key": "k"}))
    assert new == {}
    assert len(problems) == 1 and "no value for region" in problems[0]


def test_an_empty_variable_default_gives_way_to_the_provider() -> None:
    files = {
        "main.tf": S3_PARTIAL,
        "variables.tf": 'variable "region" {\n  default = ""\n}\n',
        "provider.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n',
    }
    new, problems, _ = _complete(files, values=BackendValues(sets={"bucket": "b", "key": "k"}))
    assert problems == []
    assert 'region       = "eu-west-1"' in (new["main.tf"] or "")
    assert 'region       = ""' not in (new["main.tf"] or "")
    _clean(files, new)


GCS = 'terraform {\n  backend "gcs" {\n    prefix = "app"\n  }\n}\n'


def test_a_backend_hcl_for_another_backend_puts_no_region_into_gcs() -> None:
    files = {"main.tf": GCS, "backend.hcl": 'bucket = "acme-state"\nregion = "eu-west-1"\n'}
    new, problems, warnings = _complete(files)
    assert problems == []
    text = new["main.tf"] or ""
    assert 'bucket = "acme-state"' in text
    assert "region" not in text
    assert any("region, which the gcs backend does not have" in w for w in warnings)
    _clean(files, new)


REMOTE = 'terraform {\n  backend "remote" {\n    organization = "acme"\n  }\n}\n'


def test_a_workspaces_block_in_a_backend_config_file_is_written_as_a_block() -> None:
    files = {"main.tf": REMOTE, "backend.hcl": 'workspaces {\n  name = "ws"\n}\n'}
    new, problems, _ = _complete(files)
    assert problems == []
    text = new["main.tf"] or ""
    assert "workspaces {" in text and 'name = "ws"' in text
    assert "name = {" not in text
    _clean(files, new)


def test_a_workspaces_attribute_in_a_backend_config_file_is_not_used() -> None:
    # init rejects `workspaces = { ... }` in a -backend-config file: "Unsupported argument".
    files = {"main.tf": REMOTE, "backend.hcl": 'workspaces = {\n  name = "ws"\n}\n'}
    new, problems, _ = _complete(files)
    assert new == {}
    assert len(problems) == 1 and "no value for workspaces" in problems[0]


S3_1_5 = 'terraform {\n  required_version = ">= 1.5"\n\n  backend "s3" {}\n}\n'


def test_no_lock_table_under_1_5_is_a_warning_not_a_refusal() -> None:
    files = {"main.tf": S3_1_5}
    sets = {"bucket": "b", "key": "app/terraform.tfstate", "region": "us-east-1"}
    new, problems, warnings = _complete(files, values=BackendValues(sets=sets))
    assert problems == []
    text = new["main.tf"] or ""
    assert "dynamodb_table" not in text and "use_lockfile" not in text
    assert any("without state locking" in w and "--set dynamodb_table=" in w for w in warnings)
    _clean(files, new)


def test_ignore_bf006_is_honoured_by_completion() -> None:
    files = {"main.tf": S3_1_5}
    sets = {"bucket": "b", "key": "app/terraform.tfstate", "region": "us-east-1"}
    new, problems, warnings = _complete(
        files, values=BackendValues(sets=sets), judgement=Judgement(ignore=("BF006", "BF008"))
    )
    assert problems == []
    text = new["main.tf"] or ""
    assert "dynamodb_table" not in text and "encrypt" not in text
    assert not any("locking" in w for w in warnings)


def test_a_backend_hcl_named_in_the_note_is_used_by_complete_mode() -> None:
    files = {
        "main.tf": S3_PARTIAL,
        "backend.hcl": 'bucket = "acme-state"\nkey    = "app/terraform.tfstate"\nregion = "eu-west-1"\n',
    }
    check = process_module(module_input(files), CheckRequest())
    (partial,) = [f for f in check.findings if f.code == "BF001"]
    assert any("backend.hcl" in note for note in partial.notes)
    new, problems, _ = _complete(files)
    assert problems == []
    text = new["main.tf"] or ""
    assert 'bucket       = "acme-state"' in text and 'region       = "eu-west-1"' in text
    _clean(files, new)


def test_the_modules_tfbackend_wins_over_the_provider_region() -> None:
    files = {
        "main.tf": S3_PARTIAL,
        "provider.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n',
        "prod.s3.tfbackend": 'bucket = "acme-state"\nkey    = "app.tfstate"\nregion = "eu-west-1"\n',
    }
    new, problems, warnings = _complete(files)
    assert problems == []
    assert 'region       = "eu-west-1"' in (new["main.tf"] or "")
    assert any('"eu-west-1"' in w and "us-east-1" in w for w in warnings), warnings
    _clean(files, new)


def test_backend_config_files_that_disagree_supply_nothing() -> None:
    files = {
        "main.tf": S3_PARTIAL,
        "dev.s3.tfbackend": 'bucket = "dev"\nkey    = "app.tfstate"\nregion = "eu-west-1"\n',
        "prod.s3.tfbackend": 'bucket = "prod"\nkey    = "app.tfstate"\nregion = "eu-west-1"\n',
    }
    new, problems, _ = _complete(files)
    assert new == {}
    assert len(problems) == 1 and "no value for bucket" in problems[0]


@pytest.mark.parametrize(
    ("block", "key"),
    [
        ('backend "gcs" {\n    bucket = "b"\n  }', "region"),
        ('backend "consul" {\n    path = "p"\n  }', "bucket"),
        ('backend "http" {\n    address = "https://example.com/state"\n  }', "key"),
        ('backend "remote" {\n    organization = "acme"\n  }', "bucket"),
        ('cloud {\n    organization = "acme"\n  }', "region"),
    ],
    ids=["gcs", "consul", "http", "remote", "cloud"],
)
def test_a_set_key_the_backend_lacks_is_a_one_line_problem(block: str, key: str) -> None:
    files = {"main.tf": f"terraform {{\n  {block}\n}}\n"}
    new, problems, _ = _complete(files, values=BackendValues(sets={key: "x"}))
    assert new == {}
    assert len(problems) == 1
    assert f"{key}: the " in problems[0] and "has no such argument; it accepts" in problems[0]


def test_a_removed_backend_type_is_never_completed() -> None:
    files = {"main.tf": 'terraform {\n  backend "etcd" {\n    path = "app"\n  }\n}\n'}
    new, problems, _ = _complete(files, values=BackendValues(sets={"bucket": "b"}))
    assert new == {}
    assert len(problems) == 1 and 'cannot complete backend "etcd"' in problems[0]


def test_a_blank_key_is_replaced_not_left_in_place() -> None:
    files = {
        "main.tf": (
            'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {\n'
            '    bucket = "acme-state"\n    key    = "   "\n    region = "us-east-1"\n  }\n}\n'
        )
    }
    new, problems, _ = _complete(files, values=BackendValues(sets={"key": "app/terraform.tfstate"}))
    assert problems == []
    text = new["main.tf"] or ""
    assert 'key    = "app/terraform.tfstate"' in text and '"   "' not in text
    _clean(files, new)


def test_encrypt_as_the_string_true_is_encryption() -> None:
    files = {
        "main.tf": (
            'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {\n'
            '    bucket       = "acme-state"\n    key          = "app/terraform.tfstate"\n'
            '    region       = "us-east-1"\n    use_lockfile = true\n    encrypt      = "true"\n  }\n}\n'
        )
    }
    result = process_module(module_input(files), CheckRequest())
    assert result.findings == ()


TWO_BLOCKS = (
    'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {\n'
    '    bucket       = "acme-state"\n    key          = "app/terraform.tfstate"\n'
    '    region       = "us-east-1"\n    use_lockfile = true\n    encrypt      = true\n\n'
    '    assume_role {\n      role_arn = "arn:aws:iam::123456789012:role/a"\n    }\n\n'
    '    assume_role {\n      role_arn = "arn:aws:iam::123456789012:role/b"\n    }\n  }\n}\n'
)
ROLE_BESIDE_BLOCK = (
    'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {\n'
    '    bucket       = "acme-state"\n    key          = "app/terraform.tfstate"\n'
    '    region       = "us-east-1"\n    use_lockfile = true\n    encrypt      = true\n'
    '    role_arn     = "arn:aws:iam::123456789012:role/a"\n\n    assume_role {\n    }\n  }\n}\n'
)


@pytest.mark.parametrize("text", [TWO_BLOCKS, ROLE_BESIDE_BLOCK], ids=["two-blocks", "role-beside"])
def test_a_fix_that_leaves_init_failing_writes_nothing(text: str) -> None:
    result = process_module(module_input({"main.tf": text}), FixRequest())
    assert result.files == ()
    assert len(result.problems) == 1
    assert "after the fix init would still fail" in result.problems[0].message
