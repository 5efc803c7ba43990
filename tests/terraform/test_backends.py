"""The backend table: facts per argument and dialect, and the lookups over them."""

from __future__ import annotations

import pytest

from fixer.terraform.backends import (
    ARGUMENTS,
    BACKEND_TYPES,
    PROBE_SOURCE,
    Syntax,
    ValueType,
    argument,
    arguments,
    backend_type,
    credential_arguments,
    deprecated_arguments,
    removed_backend_types,
    required_arguments,
)
from fixer.terraform.dialect import Dialect
from fixer.terraform.versions import Coverage, Version, VersionRange, parse_constraints

TF = Dialect.TERRAFORM
TOFU = Dialect.OPENTOFU

ROLE_FAMILY = {
    "role_arn": "assume_role.role_arn",
    "session_name": "assume_role.session_name",
    "external_id": "assume_role.external_id",
    "assume_role_duration_seconds": "assume_role.duration",
    "assume_role_policy": "assume_role.policy",
    "assume_role_policy_arns": "assume_role.policy_arns",
    "assume_role_tags": "assume_role.tags",
    "assume_role_transitive_tag_keys": "assume_role.transitive_tag_keys",
}


def admitted(text: str) -> VersionRange:
    return parse_constraints(text).range()


def names(rows: tuple) -> list[str]:
    return [r.name for r in rows]


def test_every_row_names_a_known_backend_and_a_source() -> None:
    known = {t.name for t in BACKEND_TYPES}
    for row in ARGUMENTS:
        assert row.backend in known
        assert row.source.startswith("https://") or row.source == PROBE_SOURCE, row.qualified_name
        assert all(s.startswith("https://") or s == PROBE_SOURCE for s in row.sources)
    for backend in BACKEND_TYPES:
        assert backend.doc_url.startswith("https://")


def test_s3_required_arguments_and_how_they_are_supplied() -> None:
    assert names(required_arguments("s3")) == ["bucket", "key", "region"]
    bucket, key, region = (argument("s3", n) for n in ("bucket", "key", "region"))
    assert bucket.prompts and key.prompts
    assert bucket.rejects_empty and key.rejects_empty
    # region is required in practice but Optional in the schema: init never prompts.
    assert region.required and not region.prompts
    assert region.env_vars == ("AWS_REGION", "AWS_DEFAULT_REGION")


@pytest.mark.parametrize(
    ("constraint", "tf_available", "tf_experimental", "tofu_available"),
    [
        (">= 1.5", Coverage.SOME, Coverage.SOME, Coverage.SOME),
        ("~> 1.9.0", Coverage.NONE, Coverage.NONE, Coverage.NONE),
        ("~> 1.10.0", Coverage.ALL, Coverage.ALL, Coverage.ALL),
        (">= 1.10", Coverage.ALL, Coverage.SOME, Coverage.ALL),
        (">= 1.11", Coverage.ALL, Coverage.NONE, Coverage.ALL),
    ],
)
def test_use_lockfile_versions(
    constraint: str, tf_available: Coverage, tf_experimental: Coverage, tofu_available: Coverage
) -> None:
    row = argument("s3", "use_lockfile")
    assert row.type is ValueType.BOOL
    tf = row.status(TF, admitted(constraint))
    assert (tf.available, tf.experimental) == (tf_available, tf_experimental)
    tofu = row.status(TOFU, admitted(constraint))
    assert tofu.available is tofu_available
    assert tofu.experimental is Coverage.NONE


@pytest.mark.parametrize(
    ("constraint", "deprecated"),
    [
        (">= 1.5.0", Coverage.SOME),
        ("~> 1.10.0", Coverage.NONE),
        (">= 1.10", Coverage.SOME),
        (">= 1.11", Coverage.ALL),
        ("~> 1.11", Coverage.ALL),
    ],
)
def test_dynamodb_table_is_deprecated_by_terraform_1_11_only(
    constraint: str, deprecated: Coverage
) -> None:
    row = argument("s3", "dynamodb_table")
    assert row.replacement == "use_lockfile"
    assert row.status(TF, admitted(constraint)).deprecated is deprecated
    tofu = row.status(TOFU, admitted(constraint))
    assert tofu.deprecated is Coverage.NONE
    assert tofu.available is Coverage.ALL


@pytest.mark.parametrize(("name", "replacement"), sorted(ROLE_FAMILY.items()))
def test_role_arn_family_deprecated_1_6_removed_1_10_in_terraform_only(
    name: str, replacement: str
) -> None:
    row = argument("s3", name)
    assert row.replacement == replacement
    assert row.terraform.deprecated == Version("1.6.0")
    assert row.terraform.removed == Version("1.10.0")
    assert row.status(TF, admitted("~> 1.5.0")).deprecated is Coverage.NONE
    assert row.status(TF, admitted("~> 1.6.0")).deprecated is Coverage.ALL
    assert row.status(TF, admitted(">= 1.10")).removed is Coverage.ALL
    assert row.status(TF, admitted(">= 1.5")).removed is Coverage.SOME
    assert row.status(TOFU, admitted(">= 1.10")).removed is Coverage.NONE
    assert row.status(TOFU, admitted(">= 1.10")).deprecated is Coverage.ALL


@pytest.mark.parametrize(
    ("name", "replacement"),
    [
        ("endpoint", "endpoints.s3"),
        ("dynamodb_endpoint", "endpoints.dynamodb"),
        ("iam_endpoint", "endpoints.iam"),
        ("sts_endpoint", "endpoints.sts"),
        ("force_path_style", "use_path_style"),
        ("shared_credentials_file", "shared_credentials_files"),
    ],
)
def test_arguments_renamed_in_1_6(name: str, replacement: str) -> None:
    row = argument("s3", name)
    assert row.replacement == replacement
    for dialect in (TF, TOFU):
        assert row.lifecycle(dialect).deprecated == Version("1.6.0")
        assert row.lifecycle(dialect).removed is None
    assert row.status(TF, admitted("~> 1.5.0")).deprecated is Coverage.NONE
    assert row.status(TF, admitted(">= 1.6")).deprecated is Coverage.ALL
    # Every OpenTofu release is 1.6 or later, so every one of them warns.
    assert row.status(TOFU, admitted(">= 1.0")).deprecated is Coverage.ALL


@pytest.mark.parametrize("name", ["assume_role", "endpoints", "assume_role_with_web_identity"])
def test_object_arguments_must_be_attributes(name: str) -> None:
    row = argument("s3", name)
    assert row.syntax is Syntax.OBJECT
    assert row.terraform.added == Version("1.6.0")
    assert row.status(TF, admitted("~> 1.5.0")).available is Coverage.NONE
    assert row.status(TOFU, admitted(">= 1.0")).available is Coverage.ALL


def test_new_arguments_of_1_6_exist() -> None:
    for name in ("use_path_style", "shared_credentials_files"):
        assert argument("s3", name).terraform.added == Version("1.6.0")


def test_s3_credentials() -> None:
    assert names(credential_arguments("s3")) == [
        "access_key",
        "secret_key",
        "token",
        "sse_customer_key",
    ]
    assert argument("s3", "sse_customer_key").env_vars == ("AWS_SSE_CUSTOMER_KEY",)
    assert not argument("s3", "profile").credential
    assert argument("s3", "encrypt").type is ValueType.BOOL
    assert argument("s3", "kms_key_id") is not None
    assert argument("s3", "workspace_key_prefix") is not None
    assert {r.name for r in arguments("s3") if r.name.startswith("skip_")} >= {
        "skip_credentials_validation",
        "skip_region_validation",
        "skip_metadata_api_check",
        "skip_requesting_account_id",
    }


def test_opentofu_only_arguments() -> None:
    row = argument("s3", "state_tags")
    assert row.status(TF, VersionRange.everything()).available is Coverage.NONE
    assert row.status(TOFU, admitted(">= 1.11")).available is Coverage.ALL


@pytest.mark.parametrize(
    ("backend", "required"),
    [
        ("gcs", ["bucket"]),
        ("azurerm", ["storage_account_name", "container_name", "key"]),
        ("consul", ["path"]),
        ("pg", []),
        ("kubernetes", ["secret_suffix"]),
        ("http", ["address"]),
        ("oss", ["bucket"]),
        ("cos", ["bucket", "region"]),
        ("oci", ["bucket", "namespace"]),
        ("remote", ["organization", "workspaces"]),
        ("cloud", ["organization", "workspaces"]),
        ("local", []),
    ],
)
def test_required_arguments_of_other_backends(backend: str, required: list[str]) -> None:
    assert names(required_arguments(backend)) == required


def test_schema_required_arguments_prompt() -> None:
    for backend in ("gcs", "consul", "kubernetes", "oci"):
        for row in required_arguments(backend):
            assert row.prompts, row.qualified_name
    # These validate their own settings and fail instead of prompting (Terraform 1.11.4).
    for backend in ("azurerm", "http", "oss", "cos"):
        for row in required_arguments(backend):
            assert not row.prompts, row.qualified_name
    # Schema-required, so prompted with input (research: probe prompt.remote); without
    # input the backend's own check fails with "Invalid organization value".
    assert argument("remote", "organization").prompts
    assert argument("remote", "workspaces").syntax is Syntax.BLOCK


def test_backend_types_removed_in_1_3() -> None:
    removed = {t.name for t in removed_backend_types(TF)}
    assert removed == {"artifactory", "etcd", "etcdv3", "manta", "swift", "azure"}
    for name in removed:
        row = backend_type(name)
        assert row.removed_in(TF) == Version("1.3.0")
        assert row.status(TF, admitted("~> 1.2.0")).available is Coverage.ALL
        assert row.status(TF, admitted(">= 1.3")).removed is Coverage.ALL
        assert row.status(TOFU, VersionRange.everything()).available is Coverage.NONE
        assert row.removed_in(TOFU) == Version("1.6.0")
    assert backend_type("azure").alias_of == "azurerm"
    assert argument("azure", "storage_account_name") is argument("azurerm", "storage_account_name")
    assert backend_type("s3").removed_in(TF) is None


def test_cloud_block_and_unknown_names() -> None:
    cloud = backend_type("cloud")
    assert cloud.is_cloud_block
    assert cloud.status(TF, admitted("~> 1.0.0")).available is Coverage.NONE
    assert cloud.status(TF, admitted(">= 1.1")).available is Coverage.ALL
    assert backend_type("nope") is None
    assert argument("s3", "nope") is None
    assert argument("nope", "bucket") is None
    assert arguments("nope") == ()
    assert required_arguments("nope") == ()


def test_required_arguments_follow_the_admitted_versions() -> None:
    # oci exists only from 1.12: for a module pinned below, nothing is required of it.
    assert required_arguments("oci", TF, admitted("~> 1.11.0")) == ()
    assert names(required_arguments("oci", TF, admitted(">= 1.12"))) == ["bucket", "namespace"]


def test_deprecated_arguments_differ_by_dialect() -> None:
    tf = set(names(deprecated_arguments("s3", TF)))
    tofu = set(names(deprecated_arguments("s3", TOFU)))
    assert "dynamodb_table" in tf and "dynamodb_table" not in tofu
    assert set(ROLE_FAMILY) <= tf and set(ROLE_FAMILY) <= tofu
