"""Missing values are inferred only where the backend table says so.

The s3 backend's region may come from ``provider "aws"`` or a region
variable; no other backend's may. A Tencent ``cos`` backend beside an AWS
provider once got the AWS region written into it and a note citing the AWS
provider: these tests keep that from coming back.
"""

from __future__ import annotations

from pipeline_support import module_input, texts

from fixer.fixes.plan import FixOptions
from fixer.pipeline import CheckRequest, FixRequest, process_module
from fixer.rules.base import Mode

PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n'
COS = 'terraform {\n  backend "cos" {\n    bucket = "tf-state-1250000000"\n  }\n}\n'
S3 = 'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {\n    bucket = "acme-state"\n    key    = "app/terraform.tfstate"\n  }\n}\n'


def test_cos_beside_aws_check_names_no_aws_provider() -> None:
    result = process_module(module_input({"main.tf": COS, "provider.tf": PROVIDER}), CheckRequest())
    (finding,) = [f for f in result.findings if f.code == "BF001"]
    assert "region" in finding.message
    assert "TENCENTCLOUD_REGION" in finding.message
    assert not any("aws" in note for note in finding.notes), finding.notes


def test_cos_beside_aws_complete_writes_no_region() -> None:
    module = module_input({"main.tf": COS, "provider.tf": PROVIDER})
    result = process_module(module, FixRequest(fix=FixOptions(mode=Mode.COMPLETE)))
    assert result.files == ()
    (problem,) = result.problems
    assert "no value for region" in problem.message
    assert "us-east-1" not in problem.message and "aws" not in problem.message


def test_cos_beside_aws_comment_mode_leaves_a_placeholder_not_the_aws_region() -> None:
    module = module_input({"main.tf": COS, "provider.tf": PROVIDER})
    result = process_module(module, FixRequest(fix=FixOptions(mode=Mode.COMMENT)))
    assert not result.problems
    new = texts(result.files)["main.tf"]
    assert new is not None
    assert '#   region = "REPLACE_ME-region"' in new
    assert "us-east-1" not in new


def test_s3_beside_aws_still_takes_the_provider_region() -> None:
    module = module_input({"main.tf": S3, "provider.tf": PROVIDER})
    check = process_module(module, CheckRequest())
    (finding,) = [f for f in check.findings if f.code == "BF001"]
    assert 'provider "aws" in provider.tf uses region "us-east-1".' in finding.notes
    fixed = process_module(module, FixRequest(fix=FixOptions(mode=Mode.COMPLETE)))
    assert not fixed.problems
    new = texts(fixed.files)["main.tf"]
    assert new is not None and 'region       = "us-east-1"' in new
