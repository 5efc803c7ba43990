"""GitLab CI, Azure Pipelines, CircleCI, Bitbucket Pipelines and Jenkins, from the samples."""

from __future__ import annotations

from init_support import context, line_text, only_site, values

from fixer.terraform.init_context import Mechanism, build_init_context

GITLAB_STATE = {
    "address": None,
    "lock_address": None,
    "unlock_address": None,
    "username": None,
    "password": None,
    "lock_method": "POST",
    "unlock_method": "DELETE",
    "retry_wait_min": "5",
}


# -- GitLab CI ---------------------------------------------------------------------------


def test_gitlab_terraform_runs_in_tf_root_and_supplies_gitlab_managed_state() -> None:
    ctx, files = context("gitlab-ci/served")
    # validate runs init with -backend=false and plan-json runs none: not sites.
    assert [(s.line, s.command, s.job) for s in ctx.sites] == [
        (20, "gitlab-terraform plan", "plan"),
        (26, "gitlab-terraform apply", "apply"),
    ]
    for site in ctx.sites:
        assert site.program == "gitlab-terraform"
        assert site.mechanism is Mechanism.GITLAB_CI
        # `apply` never cd's: the wrapper itself runs in $TF_ROOT.
        assert site.directories == ("terraform",)
        assert "gitlab-terraform" in line_text(files, site)
    for path in ctx.for_module("terraform").paths:
        assert values(path) == GITLAB_STATE
        assert path.supplies("address").origin == "gitlab-terraform (GitLab-managed state)"  # type: ignore[union-attr]
        assert path.environment == frozenset({"TF_ROOT", "TF_STATE_NAME"})


def test_gitlab_plain_init_after_cd_tf_root() -> None:
    ctx, _ = context("gitlab-ci/unserved")
    site = only_site(ctx)
    assert (site.line, site.command, site.directories) == (
        11,
        "terraform init -input=false",
        ("infrastructure",),
    )


def test_gitlab_local_include_extends_and_reference() -> None:
    ctx, files = context("gitlab-ci/include-extends")
    site = only_site(ctx)
    # The init is in the included file, in a folded scalar pulled in by !reference.
    assert (site.path, site.line, site.job) == ("ci/terraform.gitlab-ci.yml", 8, "plan billing")
    assert line_text(files, site).strip() == "terraform init -input=false"
    assert site.directories == ("stacks/billing",)
    (path,) = ctx.for_module("stacks/billing").paths
    assert values(path) == {"bucket": "acme-billing-state", "key": "billing/terraform.tfstate"}
    # Global variables, the job's and the hidden parent's before_script export reach it.
    assert path.environment == frozenset({"AWS_DEFAULT_REGION", "STACK", "TF_IN_AUTOMATION"})
    assert path.provides("s3", "region").origin == "AWS_DEFAULT_REGION in the environment"  # type: ignore[union-attr]


def test_gitlab_terraform_template_include_is_the_wrapper_convention() -> None:
    ctx, _ = context("gitlab-ci/template")
    site = only_site(ctx)
    assert (site.line, site.command, site.program) == (
        2,
        "include: template: Terraform.gitlab-ci.yml",
        "gitlab-terraform",
    )
    (path,) = ctx.for_module(".").paths
    assert values(path) == GITLAB_STATE


def test_gitlab_parallel_matrix_and_after_script() -> None:
    pipeline = """\
deploy:
  parallel:
    matrix:
      - ENV: [dev, prod]
  script:
    - terraform -chdir=envs/$ENV init -backend-config=key=$ENV.tfstate
  after_script:
    - pwd && terraform init -backend=false
"""
    ctx = build_init_context({".gitlab-ci.yml": pipeline})
    site = only_site(ctx, line=6)
    assert site.directories == ("envs/dev", "envs/prod")
    assert [r.label for r in site.reaches] == ["matrix ENV=dev", "matrix ENV=prod"]
    (prod,) = ctx.for_module("envs/prod").paths
    assert values(prod) == {"key": "prod.tfstate"}
    after = only_site(ctx, line=8)
    assert after.directories == (".",) and not after.initializes_backend


# -- Azure Pipelines ---------------------------------------------------------------------


def test_azure_terraform_task_inputs_become_backend_values() -> None:
    ctx, files = context("azure-pipelines/served")
    site = only_site(ctx)
    assert (site.line, site.program, site.job) == (21, "azure-task", "plan")
    assert line_text(files, site).strip() == "command: init"
    assert site.command == "task: TerraformTaskV4@4 (command: init)"
    assert site.directories == ("infra",)
    (path,) = ctx.for_module("infra").paths
    assert values(path) == {
        "storage_account_name": "acmetfstate",
        "container_name": "tfstate",
        "key": "infra.terraform.tfstate",
        "resource_group_name": "rg-terraform-state",
        "subscription_id": None,
        "tenant_id": None,
        "client_id": None,
    }
    assert path.supplies("key").origin == "backendAzureRmKey input of TerraformTaskV4"  # type: ignore[union-attr]


def test_azure_script_step_in_working_directory() -> None:
    ctx, files = context("azure-pipelines/unserved")
    site = only_site(ctx)
    assert (site.line, site.directories) == (9, ("infra",))
    assert line_text(files, site).strip() == "terraform init -input=false"


def test_azure_template_with_parameters_matrix_and_aws_task() -> None:
    ctx, _ = context("azure-pipelines/aws-task-template")
    site = only_site(ctx)
    assert (site.path, site.line) == (".azure-pipelines/templates/terraform-job.yml", 18)
    assert site.via == ("azure-pipelines.yml:7",)
    (path,) = ctx.for_module("aws/app").paths
    assert path.label == "matrix primary"
    assert values(path) == {
        "bucket": "acme-aws-state",
        "key": "app/primary.tfstate",
        "region": None,
    }
    assert (
        path.supplies("region").origin == "backendServiceAWS service connection of TerraformTaskV4"
    )  # type: ignore[union-attr]
    (parameter,) = path.parameters
    assert (parameter.name, parameter.default) == ("bucket", "acme-aws-state")


def test_azure_task_command_options_and_other_commands() -> None:
    pipeline = """\
steps:
  - task: TerraformTaskV4@4
    inputs:
      provider: aws
      command: plan
      workingDirectory: stack
  - task: TerraformCLI@1
    inputs:
      command: init
      workingDirectory: $(Build.SourcesDirectory)/stack
      backendType: self-configured
      commandOptions: -backend-config=bucket=acme -backend-config="key=$(stateKey)"
"""
    ctx = build_init_context({"azure-pipelines.yml": pipeline})
    site = only_site(ctx)
    assert site.line == 9
    (path,) = ctx.for_module("stack").paths
    assert values(path) == {"bucket": "acme", "key": None}


# -- CircleCI ----------------------------------------------------------------------------


def test_circleci_run_step_working_directory_parameters_and_environment() -> None:
    ctx, files = context("circleci/served")
    site = only_site(ctx)
    assert (site.line, site.directories, site.job) == (20, ("terraform",), "plan")
    assert line_text(files, site).strip() == "terraform init -input=false \\"
    (path,) = ctx.for_module("terraform").paths
    assert values(path) == {"bucket": "acme-circle-state", "key": "terraform/terraform.tfstate"}
    assert path.environment == frozenset({"AWS_REGION"})
    (parameter,) = path.parameters
    assert parameter.name == "state-bucket"


def test_circleci_cd_and_init_in_one_run_string() -> None:
    ctx, _ = context("circleci/unserved")
    site = only_site(ctx)
    assert (site.line, site.command, site.directories) == (
        9,
        "terraform init -input=false",
        ("terraform",),
    )


# -- Bitbucket ---------------------------------------------------------------------------


def test_bitbucket_anchored_step_and_custom_pipeline_variables() -> None:
    ctx, _files = context("bitbucket/served")
    anchored = only_site(ctx, line=9)
    assert anchored.job == "branches main"
    assert anchored.directories == ("deploy",)
    custom = only_site(ctx, line=23)
    assert custom.job == "custom redeploy"
    assert custom.directories == ("deploy",)
    paths = ctx.for_module("deploy").paths
    assert [values(p)["region"] for p in paths] == ["eu-west-2", "eu-west-2"]
    assert [str(p) for p in paths[1].parameters] == [
        "STACK (default 'deploy', bitbucket-pipelines.yml:18)"
    ]


def test_bitbucket_default_pipeline() -> None:
    ctx, _ = context("bitbucket/unserved")
    site = only_site(ctx)
    assert (site.line, site.job, site.directories) == (8, "default", ("deploy",))


# -- Jenkins -----------------------------------------------------------------------------


def test_jenkins_dir_scope_environment_params_and_multiline_sh() -> None:
    ctx, files = context("jenkins/served")
    first = only_site(ctx, line=18)
    assert line_text(files, first).strip() == "terraform init -input=false \\\\"
    assert (first.job, first.directories) == ("Init", ("envs/prod",))
    second = only_site(ctx, line=22)
    assert second.command.startswith(
        "terraform init -reconfigure -backend-config=bucket=${params.STATE_BUCKET}"
    )
    validate = only_site(ctx, line=28)
    assert not validate.initializes_backend
    assert validate.directories == ("envs/prod",)
    paths = ctx.for_module("envs/prod").paths
    assert [p.site.line for p in paths] == [18, 22, 28]
    assert values(paths[0]) == {"bucket": None, "key": "envs/prod/terraform.tfstate"}
    assert paths[0].supplies("bucket").origin == "-backend-config=bucket=$STATE_BUCKET"  # type: ignore[union-attr]
    assert values(paths[1]) == {
        "bucket": "acme-jenkins-state",
        "key": "envs/prod/terraform.tfstate",
    }
    assert [p.name for p in paths[1].parameters] == ["STATE_BUCKET"]
    assert paths[0].environment == frozenset({"AWS_REGION", "TF_IN_AUTOMATION"})


def test_jenkins_scripted_pipeline_and_comments() -> None:
    ctx, files = context("jenkins/unserved")
    site = only_site(ctx)
    assert (site.line, site.directories, site.job) == (6, ("envs/prod",), "Plan")
    assert line_text(files, site).strip() == "sh 'terraform init -input=false'"


def test_jenkins_with_env_and_scope_end() -> None:
    jenkinsfile = """\
node {
    withEnv(['TF_CLI_ARGS_init=-backend-config=bucket=acme', "AWS_REGION=eu-west-1"]) {
        dir("stack") {
            sh "terraform init"
        }
    }
    sh 'terraform init -input=false'  // back at the workspace root
}
"""
    ctx = build_init_context({"Jenkinsfile": jenkinsfile})
    inner = only_site(ctx, line=4)
    assert inner.directories == ("stack",)
    (path,) = ctx.for_module("stack").paths
    assert values(path) == {"bucket": "acme"}
    assert path.supplies("bucket").origin == "TF_CLI_ARGS_init"  # type: ignore[union-attr]
    outer = only_site(ctx, line=7)
    assert outer.directories == (".",)
    assert outer.environment == frozenset()
