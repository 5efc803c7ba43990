"""Dialect detection and the --dialect / --terraform-version overrides."""

from __future__ import annotations

import pytest

from fixer.syntax import parse
from fixer.terraform.dialect import (
    Dialect,
    apply_version_override,
    detect_dialect,
    parse_dialect,
    releases,
)
from fixer.terraform.versions import Version, VersionRange, parse_constraints

ENCRYPTED = """\
terraform {
  encryption {
    key_provider "pbkdf2" "main" {
      passphrase = var.passphrase
    }
  }
}
"""


def test_plain_module_is_terraform() -> None:
    config = parse('terraform {\n  backend "s3" {}\n}\n', "m/main.tf")
    choice = detect_dialect(["m/main.tf", "m/vars.tf"], [config])
    assert choice.dialect is Dialect.TERRAFORM
    assert not choice.overridden


def test_tofu_files_mean_opentofu() -> None:
    choice = detect_dialect(["m/main.tf", "m/backend.tofu"])
    assert choice.dialect is Dialect.OPENTOFU
    assert "backend.tofu" in choice.reason
    assert detect_dialect(["m/x.tofu.json"]).dialect is Dialect.OPENTOFU


def test_encryption_block_means_opentofu() -> None:
    choice = detect_dialect(["m/main.tf"], [parse(ENCRYPTED, "m/main.tf")])
    assert choice.dialect is Dialect.OPENTOFU
    assert "encryption" in choice.reason


def test_encryption_outside_a_terraform_block_does_not_count() -> None:
    config = parse('resource "x" "y" {\n  encryption {}\n}\n', "m/main.tf")
    assert detect_dialect(["m/main.tf"], [config]).dialect is Dialect.TERRAFORM


def test_explicit_dialect_wins() -> None:
    choice = detect_dialect(["m/main.tofu"], [], override="terraform")
    assert choice.dialect is Dialect.TERRAFORM and choice.overridden
    assert detect_dialect(["m/main.tf"], [], override=Dialect.OPENTOFU).dialect is Dialect.OPENTOFU
    with pytest.raises(ValueError, match="unknown dialect"):
        detect_dialect([], [], override="pulumi")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("terraform", Dialect.TERRAFORM),
        ("TF", Dialect.TERRAFORM),
        ("tofu", Dialect.OPENTOFU),
        ("OpenTofu", Dialect.OPENTOFU),
        ("x", None),
    ],
)
def test_parse_dialect(text: str, expected: Dialect | None) -> None:
    assert parse_dialect(text) is expected


def test_terraform_version_override_replaces_the_range() -> None:
    declared = parse_constraints(">= 1.5.0").range()
    exact, error = apply_version_override(declared, "1.9.5")
    assert error is None
    assert exact.describe() == "= 1.9.5"
    assert not exact.admits_below(Version("1.9.5"))
    wide, _ = apply_version_override(declared, ">= 1.11")
    assert wide.requires_at_least(Version("1.11"))
    same, error = apply_version_override(declared, None)
    assert same == declared and error is None


def test_invalid_terraform_version_override_is_reported() -> None:
    declared = parse_constraints(">= 1.5.0").range()
    kept, error = apply_version_override(declared, "one.two")
    assert kept == declared
    assert error is not None and "one.two" in error


def test_opentofu_has_no_release_before_1_6() -> None:
    everything = VersionRange.everything()
    assert releases(Dialect.OPENTOFU, everything).lowest() == Version("1.6.0")
    assert releases(Dialect.TERRAFORM, parse_constraints(">= 1.5").range()).lowest() == Version(
        "1.5"
    )
    assert releases(Dialect.OPENTOFU, parse_constraints("~> 1.5.0").range()).is_empty()
