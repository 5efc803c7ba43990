"""GitHub Actions: sites, exact lines, directories and values read from the samples."""

from __future__ import annotations

import pytest
from init_support import context, line_text, only_site, values

from fixer.terraform.init_context import Mechanism, build_init_context


def test_served_workflow_init_line_directory_and_file() -> None:
    ctx, files = context("github-actions/served")
    site = only_site(ctx)
    assert site.mechanism is Mechanism.GITHUB_ACTIONS
    assert (site.path, site.line) == (".github/workflows/deploy.yml", 24)
    assert site.command == "terraform init -input=false -backend-config=prod.s3.tfbackend"
    assert site.program == "terraform"
    assert site.directories == ("infra/prod",)
    assert site.job == "apply"
    assert "terraform init" in line_text(files, site)
    (path,) = ctx.for_module("infra/prod").paths
    assert values(path) == {"bucket": "acme-terraform-state", "key": "infra/prod/terraform.tfstate"}
    bucket = path.supplies("bucket")
    assert bucket is not None
    assert bucket.origin == "-backend-config=prod.s3.tfbackend"
    assert bucket.file == "infra/prod/prod.s3.tfbackend"
    # configure-aws-credentials exports the region for the steps after it.
    assert {"AWS_REGION", "AWS_DEFAULT_REGION"} <= path.environment
    region = path.provides("s3", "region")
    assert region is not None and region.origin == "AWS_REGION in the environment"


def test_unserved_workflow_init_passes_nothing() -> None:
    ctx, _files = context("github-actions/unserved")
    site = only_site(ctx)
    assert (site.line, site.command) == (16, "terraform init -input=false")
    (path,) = ctx.for_module("infra/prod").paths
    assert path.supplied == ()
    assert path.environment == frozenset()
    assert path.provides("s3", "region") is None


def test_matrix_expands_literal_combinations_with_include_and_exclude() -> None:
    ctx, files = context("github-actions/matrix")
    site = only_site(ctx)
    # A folded `>-` scalar: the command starts on the line below the indicator.
    assert site.line == 26
    assert line_text(files, site).strip() == "terraform init -input=false"
    # staging is excluded; include adds `approval` to prod and a new sandbox combination.
    assert site.directories == ("envs/dev", "envs/prod", "envs/sandbox")
    labels = [r.label for r in site.reaches]
    assert labels == [
        "matrix env=dev, os=ubuntu-latest",
        "matrix env=prod, os=ubuntu-latest, approval=required",
        "matrix env=sandbox, os=ubuntu-latest",
    ]
    (dev,) = ctx.for_module("envs/dev").paths
    assert values(dev) == {
        "bucket": "acme-dev-state",
        "key": "envs/dev/terraform.tfstate",
        "region": "eu-west-1",
    }
    assert dev.supplies("region").file == "config/dev.s3.tfbackend"  # type: ignore[union-attr]
    (prod,) = ctx.for_module("envs/prod").paths
    assert prod.supplies("region").value == "eu-central-1"  # type: ignore[union-attr]
    assert ctx.for_module("envs/staging").is_empty
    (sandbox,) = ctx.for_module("envs/sandbox").paths
    assert sandbox.supplied == ()
    assert sandbox.opaque == (
        "-backend-config=../../config/sandbox.s3.tfbackend: config/sandbox.s3.tfbackend is not in the repository",
    )
    assert ctx.requested == ("config/sandbox.s3.tfbackend",)
    assert dev.environment == frozenset({"TF_IN_AUTOMATION"})


def test_composite_action_is_followed_with_inputs_defaults_and_env() -> None:
    ctx, files = context("github-actions/composite-action")
    site = only_site(ctx)
    assert (site.path, site.line) == (".github/actions/terraform-init/action.yml", 17)
    assert site.via == (".github/workflows/ci.yml:13",)
    assert site.directories == ("stacks/network",)
    assert line_text(files, site).strip() == "terraform init -input=false \\"
    (path,) = ctx.for_module("stacks/network").paths
    assert values(path) == {
        "bucket": "acme-shared-state",
        "key": "stacks/network/terraform.tfstate",
        "region": "us-east-2",
    }
    assert path.supplies("key").origin == "-backend-config=key=stacks/network/terraform.tfstate"  # type: ignore[union-attr]
    # The bucket came from the input's default: whoever calls may pass another.
    (parameter,) = path.parameters
    assert (parameter.name, parameter.default) == ("state-bucket", "acme-shared-state")
    assert parameter.declared_at == ".github/actions/terraform-init/action.yml:3"
    assert path.environment == frozenset({"AWS_REGION"})


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
def test_multiline_run_block_gives_the_exact_line_with_blank_lines(crlf: bool) -> None:
    ctx, files = context("github-actions/multiline-run", crlf=crlf)
    init = only_site(ctx, initializes_backend=True)
    assert (init.line, init.directories) == (20, ("live/app",))
    assert line_text(files, init).strip() == "terraform init \\"
    assert init.command == "terraform init -input=false -backend-config=backend.hcl"
    validate = only_site(ctx, initializes_backend=False)
    # The second block starts with a blank line.
    assert validate.line == 28
    assert validate.command == "terraform -chdir=live/app init -backend=false"
    paths = ctx.for_module("live/app").paths
    assert [p.initializes_backend for p in paths] == [True, False]
    assert values(paths[0])["region"] == "ap-southeast-2"
    assert paths[1].supplied == ()


def test_reusable_workflow_in_the_repository_is_followed_and_an_external_one_is_opaque() -> None:
    ctx, _files = context("github-actions/reusable-workflow")
    inner = only_site(ctx, path=".github/workflows/terraform.yml")
    assert inner.line == 21
    assert inner.via == (".github/workflows/main.yml:8",)
    assert inner.directories == ("platform/core",)
    (path,) = ctx.for_module("platform/core").paths
    assert values(path) == {
        "bucket": "acme-platform-state",
        "key": "platform/core/terraform.tfstate",
        "region": None,
    }
    assert path.supplies("region").origin == "-backend-config=region=${{ secrets.region }}"  # type: ignore[union-attr]
    outer = only_site(ctx, program="reusable-workflow")
    assert (outer.path, outer.line) == (".github/workflows/main.yml", 14)
    (shared,) = ctx.for_module("platform/shared").paths
    assert shared.opaque == (
        "reusable workflow acme-org/terraform-workflows/.github/workflows/apply.yml@v2",
    )
    assert shared.environment == frozenset()


def test_computed_directories_are_unresolved_with_a_pattern() -> None:
    ctx, _ = context("github-actions/computed-directory")
    first = only_site(ctx, line=18)
    assert first.unresolved and first.directories == ()
    assert first.reaches[0].pattern == "services/*"
    assert (
        "its directory services/${{ github.event.inputs.service }} is computed"
        in first.reaches[0].opaque
    )
    # TF_CLI_ARGS_init of the job adds arguments to every init in it.
    origins = {a.origin for a in first.reaches[0].arguments}
    assert origins == {
        "TF_CLI_ARGS_init",
        "-backend-config=key=services/${{ github.event.inputs.service }}.tfstate",
    }
    second = only_site(ctx, line=19)
    assert second.reaches[0].pattern == "*"
    inits = ctx.for_module("services/api")
    assert inits.paths == ()
    assert [s.line for s in inits.unresolved] == [18, 19]
    assert [s.line for s in ctx.for_module("elsewhere").unresolved] == [19]


def test_broken_yaml_is_one_problem_and_the_rest_goes_on() -> None:
    ctx, _ = context("github-actions/broken-yaml")
    assert ctx.problems == (
        ".github/workflows/broken.yml:9:1: while parsing a flow sequence did not find expected ',' or ']'",
    )
    site = only_site(ctx)
    assert (site.path, site.directories) == (".github/workflows/fine.yml", ("infra",))


def test_setup_terraform_is_not_an_init_and_external_terraform_actions_are_opaque() -> None:
    workflow = """\
on: push
jobs:
  plan:
    runs-on: ubuntu-latest
    steps:
      - uses: hashicorp/setup-terraform@v3
      - uses: dflook/terraform-plan@v1
        with:
          path: envs/prod
          backend_config: bucket=acme,key=prod.tfstate
"""
    ctx = build_init_context({".github/workflows/plan.yml": workflow})
    site = only_site(ctx)
    assert (site.line, site.program, site.command) == (
        7,
        "action",
        "uses: dflook/terraform-plan@v1",
    )
    (path,) = ctx.for_module("envs/prod").paths
    assert values(path) == {"bucket": "acme", "key": "prod.tfstate"}
    assert path.opaque == (
        "the action dflook/terraform-plan@v1 runs init itself; what else it passes is not known",
    )


def test_expressions_env_literal_in_scope_secrets_opaque_and_github_env() -> None:
    workflow = """\
on: push
env:
  STATE_BUCKET: acme-state
jobs:
  init:
    runs-on: ubuntu-latest
    env:
      TF_CLI_ARGS: -backend-config=bucket=${{ env.STATE_BUCKET }}
    steps:
      - run: echo "AWS_REGION=eu-west-1" >> "$GITHUB_ENV"
      - run: terraform -chdir=${{ github.workspace }}/stack init -backend-config="key=${{ vars.STATE_KEY }}"
        env:
          TF_TOKEN: ${{ secrets.TOKEN }}
"""
    ctx = build_init_context({".github/workflows/ci.yml": workflow})
    (path,) = ctx.for_module("stack").paths
    assert values(path) == {"bucket": "acme-state", "key": None}
    assert path.supplies("bucket").origin == "TF_CLI_ARGS"  # type: ignore[union-attr]
    assert path.environment == frozenset({"STATE_BUCKET", "TF_CLI_ARGS", "AWS_REGION", "TF_TOKEN"})
