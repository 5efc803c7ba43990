"""Messages name the argument, the versions and what Terraform itself would say.

A finding has to be actionable from its message alone (CI logs, SARIF, the
GitHub annotation), so these tests pin the facts each message must carry, on the
samples and on small modules written here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rules_support import findings, sample, sample_dirs, sample_findings, sample_id, view_of

from fixer.rules.base import Finding, Severity


def one(rule_dir: str, case: str, code: str | None = None) -> Finding:
    found = [f for f in sample_findings(sample(rule_dir, case)) if code in (None, f.code)]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("directory", sample_dirs(), ids=sample_id)
def test_every_message_names_its_subject(directory: Path) -> None:
    for finding in sample_findings(directory):
        assert finding.subject is not None
        assert finding.subject in finding.message, finding.message
        assert finding.message.strip() == finding.message
        assert "\n" not in finding.message


def test_partial_backend_lists_missing_values_and_ci_failure() -> None:
    finding = one("BF001-partial-backend", "seed")
    message = finding.message
    assert finding.severity is Severity.ERROR
    assert finding.subject == "s3"
    assert "bucket, key and region are missing" in message
    assert "Terraform >= 1.5.0" in message
    assert "Terraform would prompt for bucket and key" in message
    assert 'with -input=false init stops with "Missing Required Value"' in message
    assert "AWS_REGION or AWS_DEFAULT_REGION" in message


def test_partial_backend_notes_the_backend_config_file_beside_it() -> None:
    finding = one("BF001-partial-backend", "tfbackend-beside")
    assert any(
        "prod.s3.tfbackend beside the module sets bucket, key and region" in note
        and "-backend-config=prod.s3.tfbackend" in note
        for note in finding.notes
    ), finding.notes


def test_partial_backend_notes_the_provider_region() -> None:
    view = view_of(
        {
            "main.tf": 'terraform {\n  backend "s3" {}\n}\n',
            "provider.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n',
        }
    )
    (finding,) = findings(view)
    assert 'provider "aws" in provider.tf uses region "eu-west-1".' in finding.notes


def test_partial_cloud_block_names_the_environment_variable() -> None:
    finding = one("BF001-partial-backend", "cloud-without-organization")
    assert finding.subject == "cloud"
    assert "organization is missing" in finding.message
    assert "TF_CLOUD_ORGANIZATION" in finding.message


def test_opentofu_partial_backend_speaks_of_opentofu() -> None:
    finding = one("BF001-partial-backend", "tofu")
    assert "OpenTofu >= 1.10 requires them" in finding.message
    assert "OpenTofu would prompt for bucket and key" in finding.message


def test_references_quote_terraforms_errors() -> None:
    variable = one("BF002-backend-references", "terraform-variable")
    assert variable.subject == "bucket"
    assert "var.env" in variable.message
    assert "Variables may not be used here." in variable.message
    by_subject = {
        f.subject: f.message
        for f in sample_findings(sample("BF002-backend-references", "terraform-local-and-function"))
    }
    assert "local.key" in by_subject["key"]
    assert "lower()" in by_subject["region"]
    assert "Functions may not be called here." in by_subject["region"]


def test_references_name_the_opentofu_version() -> None:
    finding = one("BF002-backend-references", "tofu-1-6-variable")
    assert "only from 1.8" in finding.message
    assert "OpenTofu >= 1.6" in finding.message
    assert "Require OpenTofu >= 1.8" in finding.message


def test_references_name_what_opentofu_cannot_evaluate() -> None:
    resource = one("BF002-backend-references", "tofu-resource")
    assert "terraform_data.state.output (a resource)" in resource.message
    through_local = one("BF002-backend-references", "tofu-local-reads-data-source")
    assert "which reads data.aws_caller_identity.current.account_id" in through_local.message


def test_references_in_nested_blocks_use_a_dotted_subject() -> None:
    finding = one("BF002-backend-references", "cloud-workspace-variable")
    assert finding.subject == "workspaces.name"
    assert "var.workspace" in finding.message


def test_object_keys_are_not_references() -> None:
    view = view_of(
        {
            "versions.tf": 'terraform {\n  required_version = ">= 1.11"\n}\n',
            "main.tf": (
                'terraform {\n  backend "s3" {\n    bucket       = "b"\n    key          = "k"\n'
                '    region       = "us-east-1"\n    use_lockfile = true\n'
                "    encrypt      = true\n\n    endpoints = {\n"
                '      s3 = "https://s3.example.com"\n    }\n  }\n}\n'
            ),
        }
    )
    assert findings(view) == []


def test_credentials_point_to_the_environment() -> None:
    by_subject = {
        f.subject: f.message
        for f in sample_findings(sample("BF003-hardcoded-credentials", "s3-static-keys"))
    }
    assert set(by_subject) == {"access_key", "secret_key"}
    assert "AWS_ACCESS_KEY_ID" in by_subject["access_key"]
    assert "AWS_SECRET_ACCESS_KEY" in by_subject["secret_key"]
    assert ".terraform/terraform.tfstate and every plan file" in by_subject["access_key"]
    assert "use a profile" in by_subject["access_key"]


def test_credentials_in_a_backend_config_file_point_at_that_file() -> None:
    finding = one("BF003-hardcoded-credentials", "secret-in-tfbackend")
    assert finding.location.path.endswith("prod.s3.tfbackend")
    assert "secret_key in prod.s3.tfbackend" in finding.message


def test_deprecation_names_version_and_replacement() -> None:
    table = one("BF004-deprecated-argument", "dynamodb-table-tf-1-11")
    assert table.severity is Severity.WARNING
    assert "dynamodb_table" in table.message
    assert "deprecated since Terraform 1.11" in table.message
    assert "Terraform >= 1.11" in table.message
    assert "Use use_lockfile instead." in table.message
    role = one("BF004-deprecated-argument", "role-arn-tf-1-6-to-1-9")
    assert "Use assume_role = { role_arn = ... } instead." in role.message
    endpoint = one("BF004-deprecated-argument", "endpoint-tf-1-6")
    assert "endpoints = { s3 = ... }" in endpoint.message


def test_removal_names_the_version_that_rejects_it() -> None:
    finding = one("BF005-removed-argument", "role-arn-tf-1-5")
    assert "role_arn" in finding.message
    assert "removed in Terraform 1.10" in finding.message
    assert "Terraform >= 1.5.0" in finding.message
    assert 'An argument named "role_arn" is not expected here.' in finding.message
    assert any("assume_role needs Terraform 1.6 or later" in note for note in finding.notes)


def test_argument_of_the_other_dialect() -> None:
    finding = one("BF005-removed-argument", "state-tags-terraform")
    assert "not a Terraform argument (only OpenTofu has it from 1.11)" in finding.message
    removed = one("BF005-removed-argument", "use-legacy-workflow-tofu-1-8")
    assert "removed in OpenTofu 1.8" in removed.message


def test_locking_message_names_the_suitable_lock() -> None:
    new = one("BF006-no-state-locking", "tf-1-11")
    assert "add use_lockfile = true" in new.message
    assert "Terraform >= 1.11" in new.message
    experimental = one("BF006-no-state-locking", "tf-1-10")
    assert "use_lockfile is experimental (1.10)" in experimental.message
    assert "dynamodb_table" in experimental.message
    old = one("BF006-no-state-locking", "tf-1-5")
    assert "before 1.10, which have no use_lockfile" in old.message
    switched_off = one("BF006-no-state-locking", "use-lockfile-false")
    assert "(use_lockfile = false)" in switched_off.message
    assert "set use_lockfile = true" in switched_off.message


def test_lockfile_unsupported_names_the_versions() -> None:
    finding = one("BF007-lockfile-unsupported", "tf-1-5")
    assert "needs Terraform 1.10 or later" in finding.message
    assert "experimental in 1.10, generally available from 1.11" in finding.message
    assert "Terraform >= 1.5.0" in finding.message
    assert any('">= 1.11"' in note for note in finding.notes)
    tofu = one("BF007-lockfile-unsupported", "tofu-1-9")
    assert "needs OpenTofu 1.10 or later" in tofu.message
    assert "experimental" not in tofu.message


def test_unencrypted_state_explains_kms_key_without_encrypt() -> None:
    finding = one("BF008-unencrypted-state", "kms-key-without-encrypt")
    assert "kms_key_id is ignored without it" in finding.message
    assert "Set encrypt = true." in finding.message


def test_object_as_block_quotes_terraform() -> None:
    finding = one("BF009-object-as-block", "assume-role-block")
    assert "write assume_role = { ... }" in finding.message
    assert 'Blocks of type "assume_role" are not expected here.' in finding.message
    assert "since Terraform 1.6" in finding.message


def test_empty_value_quotes_terraform() -> None:
    finding = one("BF010-empty-value", "empty-bucket-tfbackend-beside")
    assert "The value cannot be empty or all whitespace" in finding.message
    assert finding.notes == (
        "prod.s3.tfbackend sets bucket, but only when passed as -backend-config.",
    )


def test_duplicates_name_the_first_block() -> None:
    finding = one("BF011-multiple-backends", "two-files")
    assert 'backend "local" at backend.tf:3' in finding.message
    assert "Duplicate backend configuration" in finding.message
    cloud = one("BF011-multiple-backends", "two-cloud-blocks")
    assert "Duplicate cloud configurations" in cloud.message


def test_backend_and_cloud_names_the_cloud_block() -> None:
    finding = one("BF012-backend-and-cloud", "separate-files")
    assert "cloud block at cloud.tf:3" in finding.message
    assert "Both a backend and cloud configuration are present" in finding.message


def test_removed_backend_type_quotes_terraform() -> None:
    etcd = one("BF013-removed-backend-type", "etcd-tf-1-3")
    assert 'The "etcd" backend is not supported in Terraform v1.3 or later.' in etcd.message
    azure = one("BF013-removed-backend-type", "azure-alias")
    assert 'Use backend "azurerm" instead' in azure.message
    swift = one("BF013-removed-backend-type", "swift-tofu")
    assert 'OpenTofu has no "swift" backend' in swift.message


@pytest.mark.parametrize(("case", "hint"), [("s4", "s3"), ("gsc", "gcs")])
def test_unknown_backend_type_suggests_the_closest(case: str, hint: str) -> None:
    finding = one("BF014-unknown-backend-type", case)
    assert f'Did you mean "{hint}"?' in finding.message


def test_unknown_backend_type_without_a_close_name_suggests_nothing() -> None:
    finding = one("BF014-unknown-backend-type", "no-close-name")
    assert "Did you mean" not in finding.message
