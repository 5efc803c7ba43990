"""Values with markers, YAML lines, which files are read, backend config files, the resolver."""

from __future__ import annotations

import pytest
from init_support import only_site, values

from fixer.terraform.init_context import (
    BackendConfigArgument,
    InitContext,
    InitSite,
    Mechanism,
    Reach,
    build_init_context,
    classify,
    is_init_context_file,
)
from fixer.terraform.init_context.backend_files import read_backend_config, resolve_argument
from fixer.terraform.init_context.values import (
    ROOT,
    display,
    is_literal,
    join_path,
    opaque,
    parameter,
    parameters,
    pattern,
    plain,
)
from fixer.terraform.init_context.yaml_nodes import load_yaml, mapping, sequence

# -- values ------------------------------------------------------------------------------


def test_markers_survive_and_describe_themselves() -> None:
    text = "envs/" + opaque("${{ matrix.env }}") + "/" + parameter("REGION", "eu", "Makefile:2")
    assert not is_literal(text)
    assert plain(text) is None
    assert display(text) == "envs/${{ matrix.env }}/eu"
    assert pattern(text) == "envs/*/eu"
    (found,) = parameters(text)
    assert (found.name, found.default, found.declared_at) == ("REGION", "eu", "Makefile:2")
    assert plain("a/" + parameter("X", "b", "f:1")) == "a/b"


@pytest.mark.parametrize(
    ("base", "path", "expected"),
    [
        (".", "envs/prod", "envs/prod"),
        ("envs/prod", "../../config", "config"),
        ("envs", "./prod/", "envs/prod"),
        ("a", ROOT + "/b", "b"),
        ("a", ROOT + "x/../y", "y"),
        (".", "..", None),
        (".", "/abs", None),
        (".", "~/project", None),
    ],
)
def test_join_path(base: str, path: str, expected: str | None) -> None:
    assert join_path(base, path) == expected


def test_join_path_keeps_unknown_segments() -> None:
    joined = join_path("envs", opaque("$ENV") + "/..")
    assert joined is not None and pattern(joined) == "envs/*"


# -- YAML lines --------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("bom", ["", "\ufeff"], ids=["plain", "bom"])
def test_block_scalar_lines_are_exact(newline: str, bom: str) -> None:
    text = bom + newline.join(
        [
            "steps:",
            "  - run: |",
            "",
            "      first",
            "",
            "",
            "      second \\",
            "        third",
            "  - run: >",
            "      folded one",
            "      folded two",
            "  - run: plain",
            "",
        ]
    )
    document, problem = load_yaml("w.yml", text)
    assert problem is None and document is not None
    literal, folded, simple = (mapping(n)["run"] for n in sequence(mapping(document.root)["steps"]))
    assert document.script(literal).line(0) == 3
    assert [
        document.script(literal).line(document.script(literal).text.index(w))
        for w in ("first", "second", "third")
    ] == [4, 7, 8]
    folded_source = document.script(folded)
    assert folded_source.line(0) == 10
    assert document.script(simple).line(0) == 12


def test_broken_yaml_gives_path_line_and_column() -> None:
    document, problem = load_yaml("ci.yml", "a: 1\nb: [2,\n")
    assert document is None
    assert problem == "ci.yml:3:1: while parsing a flow node did not find expected node content"
    _, problem = load_yaml("ci.yml", "a: *nowhere\n")
    assert problem is not None and problem.startswith("ci.yml:1:4: ")


def test_merge_keys_and_unknown_tags() -> None:
    document, _ = load_yaml(
        "x.yml", "base: &b {a: 1, b: 2}\njob:\n  <<: *b\n  b: 3\n  s: !reference [.x, y]\n"
    )
    assert document is not None
    job = mapping(mapping(document.root)["job"])
    assert {k: getattr(v, "value", None) for k, v in job.items() if k != "s"} == {
        "a": "1",
        "b": "3",
    }
    assert job["s"].tag == "!reference"


# -- which files are read ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (".github/workflows/deploy.yml", "github-workflow"),
        (".github/workflows/deploy.yaml", "github-workflow"),
        (".github/actions/init/action.yml", "github-action"),
        ("tools/action.yaml", "github-action"),
        (".gitlab-ci.yml", "gitlab"),
        ("ci/terraform.gitlab-ci.yml", "gitlab"),
        (".gitlab/ci/jobs.yml", "gitlab"),
        ("azure-pipelines.yml", "azure"),
        ("azure-pipelines-prod.yaml", "azure"),
        ("deploy.azure-pipelines.yml", "azure"),
        (".azure-pipelines/templates/job.yml", "azure"),
        (".pipelines/build.yml", "azure"),
        (".circleci/config.yml", "circleci"),
        ("bitbucket-pipelines.yml", "bitbucket"),
        ("Jenkinsfile", "jenkins"),
        ("ci/Jenkinsfile.deploy", "jenkins"),
        ("deploy.jenkinsfile", "jenkins"),
        ("Makefile", "make"),
        ("infra/GNUmakefile", "make"),
        ("mk/terraform.mk", "make"),
        ("justfile", "just"),
        (".justfile", "just"),
        ("Taskfile.yml", "task"),
        ("taskfile.yaml", "task"),
        ("scripts/init.sh", "script"),
        ("bin/deploy.bash", "script"),
        ("live/terragrunt.hcl", "terragrunt"),
        ("live/root.hcl", "terragrunt"),
        ("live/env.hcl", "terragrunt"),
        ("atlantis.yaml", "atlantis"),
        ("envs/prod.s3.tfbackend", "backend-config"),
        ("backend.hcl", "backend-config"),
        ("envs/prod.backend.hcl", "backend-config"),
        ("backend-prod.hcl", "backend-config"),
        ("backend.conf", "backend-config"),
        ("prod.backend.conf", "backend-config"),
        ("backend.tfvars", "backend-config"),
        ("prod.backend.tfvars", "backend-config"),
        ("README.md", "docs"),
        ("stacks/api/README.md", "docs"),
        ("docs/setup/state.md", "docs"),
    ],
)
def test_init_context_files(path: str, kind: str) -> None:
    assert classify(path) == kind
    assert is_init_context_file(path)


@pytest.mark.parametrize(
    "path",
    [
        "main.tf",
        "terraform.tfvars",
        ".terraform.lock.hcl",
        ".github/workflows/nested/x.yml",
        ".terraform/modules/x/Makefile",
        "live/.terragrunt-cache/abc/terragrunt.hcl",
        "node_modules/pkg/install.sh",
        "CHANGELOG.md",
        "config.yml",
        "src/app.py",
    ],
)
def test_not_init_context_files(path: str) -> None:
    assert not is_init_context_file(path)


# -- backend configuration files ---------------------------------------------------------


def test_backend_config_file_values_and_problems() -> None:
    values_, problem = read_backend_config(
        "b.hcl", 'bucket = "a"\nencrypt = true\nretries = 3\nassume_role = { role_arn = "x" }\n'
    )
    assert problem is None and values_ is not None
    assert dict(values_.values) == {
        "bucket": "a",
        "encrypt": "true",
        "retries": "3",
        "assume_role": None,
    }
    broken, problem = read_backend_config("b.hcl", 'bucket = "a\n')
    assert broken is None and problem is not None and problem.startswith("b.hcl:1:")
    json_values, _ = read_backend_config("b.json", '{"bucket": "a", "use_lockfile": true}')
    assert json_values is not None and dict(json_values.values) == {
        "bucket": "a",
        "use_lockfile": "true",
    }


def test_resolve_argument_kinds() -> None:
    configs = {}
    pair = BackendConfigArgument("key=a/b=c", "-backend-config=key=a/b=c", "flag", ".")
    assert resolve_argument(pair, configs, {})[0][0].value == "a/b=c"
    hidden = BackendConfigArgument(opaque("$FILE"), "-backend-config=$FILE", "flag", ".")
    assert resolve_argument(hidden, configs, {})[1] == [
        "-backend-config=$FILE: $FILE is not known here"
    ]
    absent = BackendConfigArgument("x.hcl", "-backend-config=x.hcl", "flag", "envs")
    assert resolve_argument(absent, configs, {}) == (
        [],
        ["-backend-config=x.hcl: envs/x.hcl is not in the repository"],
        "envs/x.hcl",
    )
    nowhere = BackendConfigArgument("x.hcl", "-backend-config=x.hcl", "flag", None)
    assert resolve_argument(nowhere, configs, {})[1] == [
        "-backend-config=x.hcl: relative to a directory that is not known (unknown)"
    ]


def test_unreadable_backend_config_is_a_problem_and_opaque_for_the_init() -> None:
    files = {
        "Makefile": "init:\n\tterraform -chdir=stack init -backend-config=backend.hcl\n",
        "stack/backend.hcl": 'bucket = "unterminated\n',
    }
    ctx = build_init_context(files)
    assert len(ctx.problems) == 1 and ctx.problems[0].startswith("stack/backend.hcl:1:")
    (path,) = ctx.for_module("stack").paths
    assert path.supplied == ()
    assert path.opaque[0].startswith(
        "-backend-config=backend.hcl: stack/backend.hcl cannot be read ("
    )


# -- the resolver ------------------------------------------------------------------------


def test_later_values_win_and_environment_variables_provide() -> None:
    files = {
        "run.sh": (
            "export AWS_DEFAULT_REGION=eu-west-1\n"
            "terraform -chdir=s init -backend-config=a.hcl -backend-config=bucket=override\n"
        ),
        "s/a.hcl": 'bucket = "from-file"\nkey = "k"\n',
    }
    ctx = build_init_context(files)
    (path,) = ctx.for_module("s").paths
    assert values(path) == {"bucket": "override", "key": "k"}
    assert [v.value for v in path.supplied if v.name == "bucket"] == ["from-file", "override"]
    region = path.provides("s3", "region")
    assert region is not None and (region.value, region.origin) == (
        None,
        "AWS_DEFAULT_REGION in the environment",
    )
    assert path.provides("s3", "dynamodb_table") is None
    # Supplied values count for any backend; environment variables only for known ones.
    assert path.provides("no-such-backend", "bucket") is path.supplies("bucket")
    assert path.provides("no-such-backend", "region") is None


def test_sites_are_sorted_and_for_module_is_cached() -> None:
    site_b = InitSite(Mechanism.SCRIPT, "b.sh", 1, "terraform init", "terraform", (Reach("m"),))
    site_a = InitSite(
        Mechanism.SCRIPT, "a.sh", 9, "terraform init", "terraform", (Reach(None, "m*"),)
    )
    ctx = InitContext([site_b, site_a], ["x:1:1: bad", "x:1:1: bad"])
    assert [s.path for s in ctx.sites] == ["a.sh", "b.sh"]
    assert ctx.problems == ("x:1:1: bad",)
    inits = ctx.for_module("m")
    assert inits is ctx.for_module("m")
    assert [p.site.path for p in inits.paths] == ["b.sh"]
    assert inits.unresolved == (site_a,)
    assert ctx.for_module("other").is_empty


def test_empty_and_odd_inputs_never_raise() -> None:
    odd = {
        ".github/workflows/a.yml": "",
        ".github/workflows/b.yml": "- just a list\n",
        ".gitlab-ci.yml": "init: just a string\n",
        "azure-pipelines.yml": "steps: 3\n",
        ".circleci/config.yml": "jobs: [1, 2]\n",
        "bitbucket-pipelines.yml": "pipelines: nope\n",
        "Jenkinsfile": "sh(",
        "Makefile": "init:\n\t$(\n",
        "justfile": "init x=\n    {{\n",
        "Taskfile.yml": "tasks: {init: 3}\n",
        "atlantis.yaml": "projects: nope\n",
        "live/terragrunt.hcl": "include {",
        "README.md": "```sh\nterraform init $(\n",
    }
    ctx = build_init_context(odd)
    assert ctx.problems == (
        "live/terragrunt.hcl:1:10: unexpected end of file: the block opened at line 1, column 9 is never closed",
    )
    # Projects that are not a list are no projects: Atlantis plans what changes.
    assert [(s.path, s.line) for s in ctx.sites] == [("README.md", 2), ("atlantis.yaml", 1)]
    assert only_site(ctx, path="README.md").reaches[0].opaque == (
        "init argument $(): not known here",
    )
