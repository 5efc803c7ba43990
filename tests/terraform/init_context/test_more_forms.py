"""Forms each mechanism accepts beyond the samples: string includes, defaults, quotes, orbs."""

from __future__ import annotations

from init_support import only_site, values

from fixer.terraform.init_context import build_init_context


def test_prefilter_skips_files_that_cannot_init() -> None:
    # Broken YAML that mentions no init is never parsed, so it is no problem.
    files = {
        ".github/workflows/lint.yml": "on: push\njobs: [\n",
        ".github/workflows/tf.yml": "on: push\njobs:\n  a:\n    steps:\n      - run: terraform init\n",
    }
    ctx = build_init_context(files)
    assert ctx.problems == ()
    assert only_site(ctx).path == ".github/workflows/tf.yml"


def test_gitlab_string_include_default_before_script_and_hidden_jobs() -> None:
    files = {
        ".gitlab-ci.yml": "include: '/ci/common.yml'\n\nplan:\n  extends: .base\n  script:\n    - terraform plan\n",
        "ci/common.yml": (
            "default:\n"
            "  before_script:\n"
            "    - cd stack\n"
            "    - terraform init -backend-config=key=$CI_PROJECT_NAME.tfstate\n"
            ".base:\n"
            "  variables:\n"
            "    TF_IN_AUTOMATION: '1'\n"
            ".hidden:\n"
            "  script:\n"
            "    - terraform init\n"
        ),
    }
    ctx = build_init_context(files)
    site = only_site(ctx)
    # Included files belong to the pipeline: they are not read again on their own.
    assert (site.path, site.line, site.job) == ("ci/common.yml", 4, "plan")
    (path,) = ctx.for_module("stack").paths
    assert values(path) == {"key": None}
    assert path.environment == frozenset({"TF_IN_AUTOMATION"})


def test_azure_bash_step_variables_list_and_runtime_expressions() -> None:
    pipeline = """\
variables:
  - name: stack
    value: network
  - group: secrets
jobs:
  - job: a
    steps:
      - bash: |
          terraform init -backend-config=key=$(stack).tfstate -backend-config=bucket=$[variables.bucket]
        workingDirectory: stacks/$(stack)
"""
    ctx = build_init_context({"azure-pipelines.yml": pipeline})
    site = only_site(ctx)
    assert (site.line, site.directories) == (9, ("stacks/network",))
    (path,) = ctx.for_module("stacks/network").paths
    assert values(path) == {"key": "network.tfstate", "bucket": None}
    assert "STACK" in path.environment


def test_circleci_reusable_command_and_orb() -> None:
    config = """\
version: 2.1
orbs:
  terraform: circleci/terraform@3
commands:
  tf-init:
    parameters:
      dir:
        type: string
    steps:
      - run: terraform -chdir=<< parameters.dir >> init -backend-config=key=<< parameters.dir >>
jobs:
  plan:
    steps:
      - checkout
      - tf-init:
          dir: infra
      - terraform/init:
          path: other
workflows:
  main:
    jobs:
      - plan
"""
    ctx = build_init_context({".circleci/config.yml": config})
    command = only_site(ctx, program="terraform")
    assert (command.line, command.directories) == (10, ("infra",))
    assert values(ctx.for_module("infra").paths[0]) == {"key": "infra"}
    orb = only_site(ctx, program="orb")
    assert (orb.line, orb.directories) == (17, ("other",))
    assert ctx.for_module("other").paths[0].opaque == (
        "orb command terraform/init runs Terraform; what it passes is not known",
    )


def test_jenkins_triple_double_quotes_interpolate_and_single_quotes_do_not() -> None:
    jenkinsfile = '''\
pipeline {
  environment {
    STACK = 'network'
    TOKEN = credentials('tf-token')
  }
  stages {
    stage('init') {
      steps {
        sh """
          terraform -chdir=stacks/${STACK} init \\\\
            -backend-config=key=${env.STACK}.tfstate -backend-config=token=\\$TOKEN
        """
        sh 'terraform -chdir=stacks/$STACK init -backend=false'
      }
    }
  }
}
'''
    ctx = build_init_context({"Jenkinsfile": jenkinsfile})
    first = only_site(ctx, line=10)
    assert first.directories == ("stacks/network",)
    (path, validate) = ctx.for_module("stacks/network").paths
    assert values(path) == {"key": "network.tfstate", "token": None}
    assert path.environment == frozenset({"STACK", "TOKEN"})
    assert validate.site.line == 13 and not validate.initializes_backend


def test_makefile_export_and_curdir() -> None:
    makefile = (
        "export AWS_REGION = eu-west-1\n"
        "ROOT := $(CURDIR)\n"
        "init:\n"
        "\tterraform -chdir=$(ROOT)/stack init -backend-config=bucket=$${BUCKET:-acme}\n"
    )
    ctx = build_init_context({"infra/Makefile": makefile})
    (path,) = ctx.for_module("infra/stack").paths
    assert path.site.line == 4
    assert values(path) == {"bucket": "acme"}
    assert [p.name for p in path.parameters] == ["BUCKET"]
    assert path.environment == frozenset({"AWS_REGION"})


def test_taskfile_task_calls_and_cli_vars() -> None:
    taskfile = """\
version: '3'
tasks:
  deploy:
    cmds:
      - task: init
        vars: {STACK: prod}
  init:
    dir: '{{.TASKFILE_DIR}}/stacks/{{.STACK}}'
    cmds:
      - terraform init -backend-config=key={{.STACK}}.tfstate
"""
    workflow = "on: push\njobs:\n  a:\n    steps:\n      - run: task deploy\n"
    ctx = build_init_context({"Taskfile.yml": taskfile, ".github/workflows/a.yml": workflow})
    called = only_site(ctx, via=(".github/workflows/a.yml:5",))
    assert (called.line, called.directories) == (10, ("stacks/prod",))
    alone = only_site(ctx, via=())
    assert alone.unresolved  # STACK has no default when `init` runs on its own


def test_a_workflow_run_by_events_and_called_by_another_keeps_both_readings() -> None:
    reusable = """\
on:
  push:
  workflow_call:
    inputs:
      dir:
        type: string
        default: stacks/a
jobs:
  init:
    runs-on: x
    steps:
      - run: terraform -chdir=${{ inputs.dir }} init
"""
    caller = "on: push\njobs:\n  b:\n    uses: ./.github/workflows/tf.yml\n    with:\n      dir: stacks/b\n"
    ctx = build_init_context(
        {".github/workflows/tf.yml": reusable, ".github/workflows/caller.yml": caller}
    )
    assert [(s.via, s.directories) for s in ctx.sites] == [
        ((), ("stacks/a",)),
        ((".github/workflows/caller.yml:4",), ("stacks/b",)),
    ]
    (a,) = ctx.for_module("stacks/a").paths
    assert [p.name for p in a.parameters] == ["dir"]


def test_a_script_read_on_its_own_gives_way_to_its_caller() -> None:
    files = {
        "a/init.sh": 'terraform -chdir="$1" init\n',
        "b/run.sh": "./a/init.sh stack\n",
    }
    ctx = build_init_context(files)
    site = only_site(ctx)
    assert (site.path, site.via, site.directories) == ("a/init.sh", ("b/run.sh:1",), ("stack",))
