"""Atlantis projects and workflows, init commands in docs, and declared inits."""

from __future__ import annotations

from init_support import context, line_text, load, only_site, values

from fixer.terraform.init_context import DeclaredInit, Mechanism, build_init_context


def test_atlantis_custom_workflow_init_extra_args() -> None:
    ctx, files = context("atlantis/served")
    site = only_site(ctx)
    assert (site.mechanism, site.line, site.job) == (Mechanism.ATLANTIS, 10, "search")
    assert site.command == "init -backend-config=search.s3.tfbackend"
    assert line_text(files, site).strip() == "- init:"
    (path,) = ctx.for_module("projects/search").paths
    assert path.supplies("bucket").file == "projects/search/search.s3.tfbackend"  # type: ignore[union-attr]


def test_atlantis_default_workflow_is_a_plain_init_in_the_project_dir() -> None:
    ctx, files = context("atlantis/unserved")
    site = only_site(ctx)
    assert (site.line, site.program, site.directories) == (4, "atlantis", ("projects/search",))
    assert line_text(files, site).strip() == "dir: projects/search"
    (path,) = ctx.for_module("projects/search").paths
    assert path.supplied == ()


def test_atlantis_run_step_server_side_workflow_and_autoplan() -> None:
    config = """\
version: 3
projects:
  - dir: a
    workflow: custom
  - dir: b
    workflow: from-server
workflows:
  custom:
    plan:
      steps:
        - env:
            name: TF_CLI_ARGS_init
            value: -backend-config=bucket=acme
        - run: terraform init -input=false -backend-config=key=$PROJECT_NAME.tfstate
"""
    ctx = build_init_context({"atlantis.yaml": config})
    (a,) = ctx.for_module("a").paths
    assert values(a) == {"bucket": "acme", "key": "a.tfstate"}
    (b,) = ctx.for_module("b").paths
    assert b.opaque == ("workflow from-server is defined in the Atlantis server's config",)
    auto = build_init_context({"atlantis.yaml": "version: 3\nautomerge: true\n"})
    assert only_site(auto).unresolved


def test_docs_code_block_from_the_readme_directory() -> None:
    ctx, files = context("docs/served")
    site = only_site(ctx)
    assert (site.mechanism, site.path, site.line) == (
        Mechanism.DOCS,
        "stacks/analytics/README.md",
        6,
    )
    assert line_text(files, site) == "terraform init -backend-config=backend.hcl"
    (path,) = ctx.for_module("stacks/analytics").paths
    assert values(path)["key"] == "analytics/terraform.tfstate"


def test_docs_cd_names_the_module() -> None:
    ctx, _files = context("docs/unserved")
    site = only_site(ctx)
    assert (site.line, site.directories) == (5, ("stacks/analytics",))


def test_docs_console_prompts_and_other_languages() -> None:
    readme = """\
# Usage

```console
$ cd infra
$ terraform init -backend-config=prod.hcl
Initializing the backend...
```

```hcl
# terraform init in HCL is not a command
```

```python
print("terraform init")
```
"""
    ctx = build_init_context({"README.md": readme})
    site = only_site(ctx)
    assert (site.line, site.command, site.directories) == (
        5,
        "terraform init -backend-config=prod.hcl",
        ("infra",),
    )


def test_declared_inits_match_modules_by_pattern_with_placeholders() -> None:
    files = load("declared/served")
    declared = DeclaredInit(
        modules=("regions/*",),
        backend_config=("regions/{module_name}/{module_name}.s3.tfbackend", "encrypt=true"),
        label="Jenkins job deploy",
    )
    ctx = build_init_context(files, [declared])
    site = only_site(ctx)
    assert (site.mechanism, site.path, site.job) == (
        Mechanism.DECLARED,
        "Jenkins job deploy",
        "Jenkins job deploy",
    )
    (eu,) = ctx.for_module("regions/eu").paths
    assert values(eu) == {
        "bucket": "acme-eu-state",
        "key": "regions/eu/terraform.tfstate",
        "region": "eu-west-1",
        "encrypt": "true",
    }
    assert eu.supplies("bucket").file == "regions/eu/eu.s3.tfbackend"  # type: ignore[union-attr]
    assert eu.supplies("bucket").origin == (  # type: ignore[union-attr]
        "-backend-config=regions/eu/eu.s3.tfbackend (Jenkins job deploy)"
    )
    (us,) = ctx.for_module("regions/us").paths
    assert us.supplies("region") is None
    assert ctx.for_module("elsewhere").paths == ()
    assert ctx.for_module("elsewhere").unresolved == ()
