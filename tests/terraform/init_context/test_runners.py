"""Makefiles, justfiles, Taskfiles and scripts: read on their own and called from pipelines."""

from __future__ import annotations

from init_support import context, line_text, only_site, values

from fixer.terraform.init_context import Mechanism, build_init_context

# -- Makefile ----------------------------------------------------------------------------


def test_makefile_parameter_default_is_expanded_and_recorded() -> None:
    ctx, files = context("makefile/served")
    site = only_site(ctx)
    assert site.mechanism is Mechanism.MAKEFILE
    assert (site.path, site.line, site.job) == ("Makefile", 9, "init")
    assert (
        site.command
        == "$(TERRAFORM) -chdir=$(STACK_DIR) init -input=false -backend-config=$(ENV).s3.tfbackend"
    )
    assert line_text(files, site).startswith("\t$(TERRAFORM) -chdir=")
    assert site.directories == ("envs/dev",)
    (path,) = ctx.for_module("envs/dev").paths
    assert values(path) == {
        "bucket": "acme-dev-state",
        "key": "envs/dev/terraform.tfstate",
        "region": "eu-west-1",
    }
    assert path.supplies("bucket").file == "envs/dev/dev.s3.tfbackend"  # type: ignore[union-attr]
    (parameter,) = path.parameters
    assert (parameter.name, parameter.default, parameter.declared_at) == (
        "ENV",
        "dev",
        "Makefile:1",
    )
    # `make init ENV=prod` would reach envs/prod: with another value of the
    # parameter the same init might, so it is listed as unresolved there.
    prod = ctx.for_module("envs/prod")
    assert prod.paths == ()
    assert prod.unresolved == (site,)
    assert ctx.for_module("stacks/other").is_empty


def test_makefile_called_from_a_pipeline_with_an_override_and_prerequisites() -> None:
    ctx, _ = context("makefile/called-from-ci")
    called = only_site(ctx, via=(".github/workflows/release.yml:11",))
    # `make deploy ENV=prod` runs the `init` prerequisite with the override.
    assert (called.path, called.line, called.job) == ("Makefile", 4, "init")
    assert called.directories == ("envs/prod",)
    (prod,) = ctx.for_module("envs/prod").paths
    assert values(prod)["bucket"] == "acme-prod-state"
    assert prod.parameters == ()
    # make exports variables set on its command line to the recipes (GNU make 5.7.2).
    assert prod.environment == frozenset({"ENV"})
    # People run it too: `make init` with the default.
    alone = only_site(ctx, via=())
    assert alone.directories == ("envs/dev",)
    (dev,) = ctx.for_module("envs/dev").paths
    assert [p.name for p in dev.parameters] == ["ENV"]
    assert dev.environment == frozenset()


def test_makefile_recipe_lines_are_separate_shells() -> None:
    makefile = (
        "init:\n"
        "\tcd stack\n"
        "\tterraform init\n"
        "\tcd stack && terraform init \\\n"
        "\t  -backend-config=key=x\n"
        "\t-$(MAKE) -C sub init\n"
    )
    ctx = build_init_context(
        {"Makefile": makefile, "sub/Makefile": "init:\n\t@terraform init -backend=false\n"}
    )
    first = only_site(ctx, line=3)
    assert first.directories == (".",)
    second = only_site(ctx, line=4)
    assert second.directories == ("stack",)
    assert second.command == "terraform init -backend-config=key=x"
    sub = only_site(ctx, path="sub/Makefile", via=("Makefile:6",))
    assert sub.directories == ("sub",) and not sub.initializes_backend


def test_makefile_unserved() -> None:
    ctx, _ = context("makefile/unserved")
    site = only_site(ctx)
    assert (site.line, site.command, site.directories) == (4, "$(TF) init -input=false", ("stack",))


# -- justfile ----------------------------------------------------------------------------


def test_justfile_recipe_parameters_variables_and_path_join() -> None:
    ctx, files = context("justfile/served")
    site = only_site(ctx)
    assert (site.path, site.line, site.job) == ("justfile", 6, "init")
    assert (
        line_text(files, site).lstrip().startswith("cd {{stack_dir}}/{{stack}} && terraform init")
    )
    assert site.directories == ("infra/edge",)
    (path,) = ctx.for_module("infra/edge").paths
    assert values(path) == {
        "bucket": "acme-edge-state",
        "key": "edge/terraform.tfstate",
        "region": "eu-west-1",
    }
    assert [(p.name, p.default) for p in path.parameters] == [
        ("stack", "edge"),
        ("region", "eu-west-1"),
    ]


def test_justfile_called_with_arguments() -> None:
    justfile = (
        'init env="dev":\n    terraform -chdir=envs/{{env}} init -backend-config={{env}}.hcl\n'
    )
    workflow = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: just init prod\n"
    ctx = build_init_context({"justfile": justfile, ".github/workflows/a.yml": workflow})
    called = only_site(ctx, via=(".github/workflows/a.yml:6",))
    assert called.directories == ("envs/prod",)
    assert ctx.for_module("envs/prod").paths[0].parameters == ()
    alone = only_site(ctx, via=())
    assert alone.directories == ("envs/dev",)


# -- Taskfile ----------------------------------------------------------------------------


def test_taskfile_vars_env_dir_default_and_deps() -> None:
    ctx, files = context("taskfile/served")
    site = only_site(ctx)
    assert (site.path, site.line, site.job) == ("Taskfile.yml", 14, "init")
    assert line_text(files, site).strip().startswith("- terraform init")
    assert site.directories == ("terraform/dns",)
    (path,) = ctx.for_module("terraform/dns").paths
    assert values(path) == {"bucket": "acme-dns-state", "key": "dns.tfstate"}
    assert path.environment == frozenset({"AWS_REGION"})
    assert [(p.name, p.default) for p in path.parameters] == [("STACK", "dns")]


def test_taskfile_cmd_mapping() -> None:
    ctx, _ = context("taskfile/unserved")
    site = only_site(ctx)
    assert (site.line, site.directories) == (7, ("terraform/dns",))


# -- scripts -----------------------------------------------------------------------------


def test_script_dirname_cd_and_literal_loop() -> None:
    ctx, files = context("script/served")
    site = only_site(ctx)
    assert site.mechanism is Mechanism.SCRIPT
    assert (site.path, site.line) == ("scripts/init-all.sh", 9)
    assert line_text(files, site).strip().startswith('terraform -chdir="environments/$env" init')
    assert site.directories == ("environments/dev", "environments/prod")
    for env in ("dev", "prod"):
        (path,) = ctx.for_module(f"environments/{env}").paths
        assert path.supplies("bucket").value == f"acme-{env}-state"  # type: ignore[union-attr]
        assert path.supplies("bucket").file == f"environments/{env}/backend.hcl"  # type: ignore[union-attr]


def test_script_called_with_arguments_and_a_default_parameter() -> None:
    ctx, _ = context("script/parameters")
    called = only_site(ctx, path="bin/tf-init.sh")
    assert called.via == (".gitlab-ci.yml:4",)
    assert called.line == 6
    # pushd "stacks/${ENV}" with ENV=$1=prod; "$@" after `shift` is -upgrade.
    assert called.directories == ("stacks/prod",)
    (prod,) = ctx.for_module("stacks/prod").paths
    assert prod.opaque == ()
    assert prod.supplies("key").value == "stacks/prod/terraform.tfstate"  # type: ignore[union-attr]
    alone = only_site(ctx, path="bin/init-default.sh")
    assert alone.directories == ("stacks/dev",)
    (dev,) = ctx.for_module("stacks/dev").paths
    assert [str(p) for p in dev.parameters] == ["STACK (default 'dev', bin/init-default.sh:3)"]


def test_script_nobody_calls_with_positional_arguments_is_opaque() -> None:
    script = '#!/bin/sh\ncd "stacks/$1"\nterraform init -backend-config="$2" "$@"\n'
    ctx = build_init_context({"scripts/init.sh": script})
    site = only_site(ctx)
    assert site.unresolved
    reach = site.reaches[0]
    assert reach.pattern == "stacks/*"
    assert "init argument $@: arguments given to scripts/init.sh" in reach.opaque
    inits = ctx.for_module("stacks/prod")
    assert inits.unresolved == (site,)
    path = ctx.for_module("stacks/prod")
    assert path.paths == ()


def test_unserved_script() -> None:
    ctx, _ = context("script/unserved")
    site = only_site(ctx)
    assert (site.line, site.directories) == (4, ("environments/prod",))
