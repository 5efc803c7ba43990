"""Grouping files into modules and the module view built from parsed files."""

from __future__ import annotations

from pathlib import PurePath

import pytest

from fixer.syntax import parse
from fixer.terraform.backends import argument
from fixer.terraform.dialect import Dialect
from fixer.terraform.module import (
    ModuleView,
    build_module_view,
    group_into_modules,
    is_backend_config_file,
    is_override_file,
)
from fixer.terraform.versions import Version

SEED_PROVIDER = """\
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Partial backend config: values are injected at `terraform init` time
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region
}
"""

VARIABLES = """\
variable "aws_region" {
  type    = string
  default = "us-east-1"
}

variable "environment_suffix" {
  type = string
}
"""


def view(files: dict[str, str], **kwargs: object) -> ModuleView:
    parsed = [(path, parse(text, path)) for path, text in files.items()]
    backend_configs = kwargs.pop("backend_configs", {})
    return build_module_view(
        parsed,
        backend_configs=[(p, parse(t, p)) for p, t in backend_configs.items()],  # type: ignore[union-attr]
        **kwargs,  # type: ignore[arg-type]
    )


# -- grouping ------------------------------------------------------------------------


def test_group_by_directory_with_overrides_and_backend_configs() -> None:
    modules = group_into_modules(
        [
            "infra/main.tf",
            "infra/provider.tf",
            "infra/override.tf",
            "infra/backend_override.tf",
            "infra/dev.s3.tfbackend",
            "infra/backend.hcl",
            "infra/README.md",
            "infra/terraform.tfvars",
            "app/main.tofu",
            "app/vars.tf.json",
            "app/backend_override.tofu",
            "app/prod.backend.hcl",
        ]
    )
    assert [m.directory for m in modules] == ["app", "infra"]
    app, infra = modules
    assert infra.config_files == ("infra/main.tf", "infra/provider.tf")
    assert infra.override_files == ("infra/backend_override.tf", "infra/override.tf")
    assert infra.backend_config_files == ("infra/backend.hcl", "infra/dev.s3.tfbackend")
    assert app.config_files == ("app/main.tofu", "app/vars.tf.json")
    assert app.override_files == ("app/backend_override.tofu",)
    assert app.backend_config_files == ("app/prod.backend.hcl",)


def test_grouping_skips_terraform_and_git_directories_and_editor_files() -> None:
    modules = group_into_modules(
        [
            "m/main.tf",
            "m/.terraform/modules/vpc/main.tf",
            ".terraform/providers/x.tf",
            "repo/.git/hooks/x.tf",
            "m/.hidden.tf",
            "m/main.tf~",
            "m/#main.tf#",
            "only-config/backend.hcl",
        ]
    )
    assert [(m.directory, m.config_files) for m in modules] == [("m", ("m/main.tf",))]


def test_grouping_accepts_path_objects_and_drops_duplicates() -> None:
    modules = group_into_modules([PurePath("a/b/main.tf"), "a/b/main.tf", "a/x.tf"])
    assert [(m.directory, m.config_files) for m in modules] == [
        ("a", ("a/x.tf",)),
        ("a/b", ("a/b/main.tf",)),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("override.tf", True),
        ("backend_override.tf", True),
        ("override.tf.json", True),
        ("x_override.tf.json", True),
        ("override.tofu", True),
        ("local_override.tofu.json", True),
        ("overrides.tf", False),
        ("my-override.tf", False),
        ("main.tf", False),
        ("override.hcl", False),
    ],
)
def test_override_file_names(name: str, expected: bool) -> None:
    assert is_override_file(name) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("config.s3.tfbackend", True),
        ("backend.hcl", True),
        ("prod.backend.hcl", True),
        ("backend.prod.hcl", True),
        ("backend-dev.hcl", True),
        ("main.hcl", False),
        ("backend.tf", False),
        ("terraform.tfvars", False),
    ],
)
def test_backend_config_file_names(name: str, expected: bool) -> None:
    assert is_backend_config_file(name) is expected


def test_tofu_shadows_tf_of_the_same_name() -> None:
    (module,) = group_into_modules(
        ["m/main.tf", "m/main.tofu", "m/vars.tf", "m/x.tf.json", "m/x.tofu.json"]
    )
    assert module.shadowed_by_tofu() == (
        ("m/main.tf", "m/main.tofu"),
        ("m/x.tf.json", "m/x.tofu.json"),
    )
    assert module.load_order(Dialect.OPENTOFU) == ("m/main.tofu", "m/vars.tf", "m/x.tofu.json")
    assert module.load_order(Dialect.TERRAFORM) == ("m/main.tf", "m/vars.tf", "m/x.tf.json")


# -- the view: the seed case ------------------------------------------------------------


def test_seed_provider_view() -> None:
    v = view({"m/provider.tf": SEED_PROVIDER, "m/variables.tf": VARIABLES})
    assert v.directory == "m"
    assert v.dialect.dialect is Dialect.TERRAFORM
    assert len(v.terraform_blocks) == 1
    (backend,) = v.backends
    assert v.effective_backend is backend
    assert backend.type == "s3" and not backend.is_cloud and not backend.is_override
    assert backend.arguments == {}
    assert backend.block is not None and backend.block.line == 12
    (required,) = v.required_versions
    assert required.text == ">= 1.5.0" and required.error is None
    assert required.attribute is not None and required.attribute.line == 2
    assert v.version_range.describe() == ">= 1.5.0"
    assert v.version_range.admits_below(Version("1.10"))
    region_row = argument("s3", "region")
    assert region_row is not None
    region, default = v.inferred(region_row)
    assert (region.value, region.via, region.label) == (
        "us-east-1",
        "var.aws_region",
        'provider "aws"',
    )
    assert default.label == 'variable "aws_region"' and default.value == "us-east-1"


def test_backend_arguments_literal_and_not() -> None:
    v = view(
        {
            "m/main.tf": """\
terraform {
  backend "s3" {
    bucket = "state"
    key    = "${var.env}/terraform.tfstate"
    encrypt = true
    assume_role {
      role_arn = "arn:aws:iam::123456789012:role/x"
    }
  }
}
"""
        }
    )
    args = v.effective_backend.arguments
    assert args["bucket"].value.value == "state"
    assert args["encrypt"].value.value is True
    assert not args["key"].is_literal
    assert args["assume_role"].written_as_block
    assert args["assume_role"].node.line == 6


# -- override semantics -----------------------------------------------------------------


def test_override_backend_replaces_the_base_backend() -> None:
    v = view(
        {
            "m/main.tf": 'terraform {\n  backend "s3" {\n    bucket = "a"\n  }\n}\n',
            "m/backend_override.tf": 'terraform {\n  backend "local" {}\n}\n',
        }
    )
    assert [b.type for b in v.backends] == ["s3", "local"]
    assert v.effective_backend.type == "local"
    assert v.effective_backend.is_override
    assert [b.type for b in v.base_backends] == ["s3"]


def test_override_cloud_replaces_backend_and_backend_replaces_cloud() -> None:
    cloud_over = view(
        {
            "m/main.tf": 'terraform {\n  backend "s3" {}\n}\n',
            "m/override.tf": 'terraform {\n  cloud {\n    organization = "o"\n  }\n}\n',
        }
    )
    assert cloud_over.effective_backend.is_cloud
    assert len(cloud_over.cloud_blocks) == 1 and len(cloud_over.backend_blocks) == 1
    backend_over = view(
        {
            "m/main.tf": 'terraform {\n  cloud {\n    organization = "o"\n  }\n}\n',
            "m/override.tf": 'terraform {\n  backend "local" {}\n}\n',
        }
    )
    assert backend_over.effective_backend.type == "local"


def test_later_override_files_win() -> None:
    v = view(
        {
            "m/z_override.tf": 'terraform {\n  backend "gcs" {}\n}\n',
            "m/a_override.tf": 'terraform {\n  backend "local" {}\n}\n',
            "m/main.tf": 'terraform {\n  backend "s3" {}\n}\n',
        }
    )
    assert [b.type for b in v.backends] == ["s3", "local", "gcs"]
    assert v.effective_backend.type == "gcs"


def test_override_without_backend_keeps_the_base_backend() -> None:
    v = view(
        {
            "m/main.tf": 'terraform {\n  backend "s3" {}\n}\n',
            "m/override.tf": 'terraform {\n  required_version = ">= 1.10"\n}\n',
        }
    )
    assert v.effective_backend.type == "s3"


def test_duplicate_base_backends_are_all_listed_and_the_first_is_effective() -> None:
    v = view(
        {
            "m/a.tf": 'terraform {\n  backend "s3" {}\n}\n',
            "m/b.tf": 'terraform {\n  backend "gcs" {}\n}\n\nterraform {\n  cloud {}\n}\n',
        }
    )
    assert [b.type for b in v.base_backends] == ["s3", "gcs", "cloud"]
    assert v.effective_backend.type == "s3"


def test_no_backend() -> None:
    v = view({"m/main.tf": 'resource "null_resource" "x" {}\n'})
    assert v.backends == () and v.effective_backend is None
    assert v.version_range.is_everything()


# -- required_version -------------------------------------------------------------------


def test_required_versions_across_blocks_and_files_all_apply() -> None:
    v = view(
        {
            "m/a.tf": 'terraform {\n  required_version = ">= 1.5"\n}\n',
            "m/b.tf": 'terraform {\n  required_version = "< 1.11"\n}\n\nterraform {\n  required_version = "!= 1.7.0"\n}\n',
        }
    )
    assert [r.text for r in v.required_versions] == [">= 1.5", "< 1.11", "!= 1.7.0"]
    assert v.version_range.describe() == ">= 1.5, < 1.7.0 or > 1.7.0, < 1.11"
    assert v.declared_range == v.version_range


def test_override_required_version_replaces_all_base_constraints() -> None:
    v = view(
        {
            "m/a.tf": 'terraform {\n  required_version = "< 1.6"\n}\n',
            "m/b.tf": 'terraform {\n  required_version = ">= 1.5"\n}\n',
            "m/override.tf": 'terraform {\n  required_version = ">= 1.11"\n}\n',
        }
    )
    assert [r.text for r in v.required_versions] == [">= 1.11"]
    assert [r.text for r in v.replaced_required_versions] == ["< 1.6", ">= 1.5"]
    assert v.version_range.requires_at_least(Version("1.11"))


def test_invalid_required_version_is_reported() -> None:
    v = view(
        {
            "m/a.tf": 'terraform {\n  required_version = ">= banana"\n}\n',
            "m/b.tf": "terraform {\n  required_version = var.tf_version\n}\n",
            "m/c.tf": 'terraform {\n  required_version = ">= 1.6"\n}\n',
        }
    )
    assert len(v.version_errors) == 2
    assert "a.tf" in v.version_errors[0] and "banana" in v.version_errors[0]
    assert "literal string" in v.version_errors[1]
    assert v.required_versions[1].text is None
    assert v.version_range.describe() == ">= 1.6"


def test_terraform_version_override_in_the_view() -> None:
    v = view(
        {"m/a.tf": 'terraform {\n  required_version = ">= 1.5"\n}\n'}, terraform_version="1.11.2"
    )
    assert v.declared_range.describe() == ">= 1.5"
    assert v.version_range.describe() == "= 1.11.2"
    bad = view(
        {"m/a.tf": 'terraform {\n  required_version = ">= 1.5"\n}\n'}, terraform_version="newest"
    )
    assert bad.version_range == bad.declared_range
    assert any("--terraform-version" in e for e in bad.version_errors)


# -- dialect and .tofu files ------------------------------------------------------------


def test_tofu_file_shadows_tf_file_for_opentofu() -> None:
    v = view(
        {
            "m/main.tf": 'terraform {\n  backend "s3" {\n    dynamodb_table = "locks"\n  }\n}\n',
            "m/main.tofu": 'terraform {\n  backend "s3" {\n    use_lockfile = true\n  }\n}\n',
        }
    )
    assert v.dialect.dialect is Dialect.OPENTOFU
    assert [f.path for f in v.files] == ["m/main.tofu"]
    assert v.ignored_files == ("m/main.tf",)
    assert "use_lockfile" in v.effective_backend.arguments
    assert v.notes == ("main.tf is ignored by OpenTofu because main.tofu exists beside it",)


def test_terraform_ignores_tofu_files() -> None:
    v = view(
        {
            "m/main.tf": 'terraform {\n  backend "s3" {}\n}\n',
            "m/main.tofu": 'terraform {\n  backend "local" {}\n}\n',
        },
        dialect="terraform",
    )
    assert v.dialect.overridden
    assert [f.path for f in v.files] == ["m/main.tf"]
    assert v.effective_backend.type == "s3"
    assert v.notes == ("Terraform ignores the .tofu files of this module",)


def test_encryption_block_makes_the_module_opentofu() -> None:
    v = view(
        {
            "m/main.tf": 'terraform {\n  encryption {}\n  backend "s3" {}\n}\n',
        }
    )
    assert v.dialect.dialect is Dialect.OPENTOFU
    assert v.ignored_files == ()


# -- backend configuration files and regions ---------------------------------------------


def test_backend_config_files_supply_arguments() -> None:
    v = view(
        {"m/main.tf": 'terraform {\n  backend "s3" {}\n}\n'},
        backend_configs={
            "m/dev.s3.tfbackend": 'bucket = "dev-state"\nkey    = "app.tfstate"\nregion = "eu-west-1"\n',
            "m/prod.s3.tfbackend": 'bucket = "prod-state"\nassume_role = {\n  role_arn = "arn"\n}\n',
            "m/broken.tfbackend": 'endpoints {\n  s3 = "http://localhost"\n}\n',
        },
    )
    assert v.supplied_by("bucket") == ("m/dev.s3.tfbackend", "m/prod.s3.tfbackend")
    assert v.supplied_by("region") == ("m/dev.s3.tfbackend",)
    assert v.supplied_by("dynamodb_table") == ()
    dev = v.backend_config_files[0]
    assert dev.values["key"].value.value == "app.tfstate"
    prod = v.backend_config_files[1]
    assert not prod.values["assume_role"].is_literal
    # A block is kept as written: whether the backend has a nested block of that
    # name (remote's workspaces) or an object argument (s3's endpoints, which
    # init rejects as a block) is for the rules to say, from the backend table.
    broken = v.backend_config_files[2]
    assert broken.values["endpoints"].written_as_block
    assert broken.values["endpoints"].constant() is None


def test_inferred_regions_with_aliases_and_unresolvable_values() -> None:
    v = view(
        {
            "m/providers.tf": """\
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

provider "aws" {
  alias  = "dynamic"
  region = local.region
}

provider "google" {
  region = "europe-west1"
}
""",
            "m/vars.tf": 'variable "region" {\n  default = "eu-central-1"\n}\n',
        }
    )
    region_row = argument("s3", "region")
    assert region_row is not None
    assert [(r.label, r.value) for r in v.inferred(region_row)] == [
        ('provider "aws"', "us-east-1"),
        ('provider "aws" (alias west)', "us-west-2"),
        ('variable "region"', "eu-central-1"),
    ]
    # The google provider is not a source the table names; nor is any cos argument.
    assert all(value.provider == "aws" for value in v.provider_values)
    cos_region = argument("cos", "region")
    assert cos_region is not None and v.inferred(cos_region) == ()


# -- .tf.json ----------------------------------------------------------------------------


def test_tf_json_documents_contribute_backends_and_versions() -> None:
    v = build_module_view(
        [("m/main.tf", parse('terraform {\n  required_version = ">= 1.5"\n}\n', "m/main.tf"))],
        json_files=[
            (
                "m/backend.tf.json",
                {
                    "terraform": {
                        "required_version": "< 1.11",
                        "backend": {"s3": {"bucket": "b", "key": "k", "encrypt": True}},
                    },
                    "provider": {"aws": [{"region": "ap-south-1"}]},
                },
            )
        ],
    )
    backend = v.effective_backend
    assert backend.type == "s3" and backend.block is None
    assert backend.arguments["encrypt"].value.value is True
    assert v.version_range.describe() == ">= 1.5, < 1.11"
    region_row = argument("s3", "region")
    assert region_row is not None
    assert [r.value for r in v.inferred(region_row)] == ["ap-south-1"]


def test_tf_json_override_replaces_native_backend() -> None:
    v = build_module_view(
        [("m/main.tf", parse('terraform {\n  backend "s3" {}\n}\n', "m/main.tf"))],
        json_files=[("m/override.tf.json", {"terraform": {"backend": {"local": {}}}})],
    )
    assert v.effective_backend.type == "local"
    assert v.effective_backend.is_override
