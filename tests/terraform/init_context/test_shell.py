"""The shell-command parser on its own: words, quoting, directories, loops, calls."""

from __future__ import annotations

import pytest

from fixer.terraform.init_context.shell import (
    ShellInit,
    ShellState,
    parse_init_arguments,
    run_script,
    split_words,
)
from fixer.terraform.init_context.source import ScriptSource
from fixer.terraform.init_context.values import display, parameters


def inits(text: str, state: ShellState | None = None, path: str = "run.sh") -> list[ShellInit]:
    found, _, _ = run_script(ScriptSource.plain(path, text), state)
    return found


def one(text: str, state: ShellState | None = None, path: str = "run.sh") -> ShellInit:
    found = inits(text, state, path)
    assert len(found) == 1, found
    return found[0]


def configs(init: ShellInit) -> list[str]:
    return [display(text) for text, _ in init.arguments]


@pytest.mark.parametrize(
    "flag",
    [
        "-backend-config=bucket=acme",
        "-backend-config bucket=acme",
        "--backend-config=bucket=acme",
        "-backend-config='bucket=acme'",
        '"-backend-config=bucket=acme"',
        '-backend-config=bucket="acme"',
    ],
)
def test_every_backend_config_spelling(flag: str) -> None:
    assert configs(one(f"terraform init {flag} -input=false")) == ["bucket=acme"]


def test_backend_false_and_other_flags() -> None:
    init = one("tofu init -backend=false -upgrade")
    assert (init.program, init.initializes_backend, init.arguments) == ("tofu", False, ())
    assert one("terraform init -backend=true").initializes_backend


def test_chdir_before_init_and_cd_forms() -> None:
    assert one("terraform -chdir=envs/prod init").directory == "envs/prod"
    assert one("cd envs/prod && terraform init").directory == "envs/prod"
    assert one("cd envs\ncd prod\nterraform init").directory == "envs/prod"
    assert one("cd envs; cd ..; cd x && terraform -chdir=../y init").directory == "y"


def test_subshell_and_pushd_popd_restore_the_directory() -> None:
    found = inits(
        "(cd a && terraform init)\nterraform init\npushd b\nterraform init\npopd\nterraform init\n"
    )
    assert [i.directory for i in found] == ["a", ".", "b", "."]


def test_lines_of_commands_with_continuations() -> None:
    text = (
        "echo one\n\nterraform init \\\n  -backend-config=a=1 \\\n  -input=false\nterraform init\n"
    )
    found = inits(text)
    assert [i.line for i in found] == [3, 6]
    assert found[0].command == "terraform init -backend-config=a=1 -input=false"


def test_quoting_single_quotes_stay_literal() -> None:
    state = ShellState(env={"B": "acme"})
    assert configs(one('terraform init -backend-config="bucket=$B"', state)) == ["bucket=acme"]
    assert configs(one("terraform init -backend-config='bucket=$B'", state)) == ["bucket=$B"]
    unknown = one('terraform init -backend-config="bucket=$NOT_SET"')
    assert configs(unknown) == ["bucket=$NOT_SET"]


def test_defaults_are_parameters() -> None:
    init = one('ENV="${ENV:-dev}"\nterraform -chdir="envs/$ENV" init', path="scripts/init.sh")
    assert display(init.directory or "") == "envs/dev"
    (parameter,) = parameters(init.directory or "")
    assert (parameter.name, parameter.default, parameter.declared_at) == (
        "ENV",
        "dev",
        "scripts/init.sh:1",
    )


def test_literal_for_loop_and_glob_loop() -> None:
    found = inits("for env in dev prod; do\n  terraform -chdir=envs/$env init\ndone\n")
    assert [i.directory for i in found] == ["envs/dev", "envs/prod"]
    assert all(i.line == 2 for i in found)
    globbed = one("for d in envs/*/; do terraform -chdir=$d init; done")
    assert display(globbed.directory or "") == "envs/*"


def test_functions_are_run_where_they_are_called() -> None:
    text = (
        'tf_init() {\n  terraform -chdir="$1" init -backend-config="$2"\n}\ntf_init envs/a a.hcl\n'
    )
    init = one(text)
    assert (init.line, init.directory, configs(init)) == (2, "envs/a", ["a.hcl"])


def test_heredocs_are_data_and_command_substitution_is_searched() -> None:
    text = "cat > notes.txt <<'EOF'\nterraform init\nEOF\nout=$(terraform -chdir=x init 2>&1)\n"
    assert [(i.line, i.directory) for i in inits(text)] == [(4, "x")]


def test_echo_and_comments_are_not_inits() -> None:
    assert inits('echo "terraform init"\n# terraform init\nprintf terraform init\n') == []


def test_wrappers_and_environment_prefixes() -> None:
    init = one("AWS_REGION=eu-west-1 aws-vault exec prod -- terraform init")
    assert init.environment == {"AWS_REGION": "eu-west-1"}
    via_env = one("env TF_CLI_ARGS_init=-backend-config=a=1 terraform init")
    assert via_env.environment == {"TF_CLI_ARGS_init": "-backend-config=a=1"}
    exported = one("export AWS_REGION=us-east-1\nLOCAL=1\nterraform init")
    assert exported.environment == {"AWS_REGION": "us-east-1"}


def test_positional_arguments_unknown_or_given() -> None:
    unknown = one('terraform init "$@"', ShellState(script="bin/init.sh"))
    assert unknown.opaque == ("init argument $@: arguments given to bin/init.sh",)
    given = one('terraform init "$@"', ShellState(positional=["-backend-config=b.hcl"]))
    assert configs(given) == ["b.hcl"] and given.opaque == ()


def test_script_directory_from_dirname_0() -> None:
    state = ShellState(script="infra/scripts/init.sh")
    assert one('cd "$(dirname "$0")/../live" && terraform init', state).directory == "infra/live"
    here = 'DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"\nterraform -chdir="$DIR/../stack" init\n'
    assert one(here, ShellState(script="infra/scripts/init.sh")).directory == "infra/stack"


def test_paths_outside_the_repository() -> None:
    assert display(one("cd /tmp/work && terraform init").directory or "") == "/tmp/work"
    assert one("terraform -chdir=/opt/stack init").directory is None
    assert display(one("cd $WORKDIR && terraform init").directory or "") == "$WORKDIR"


def test_reach_of_an_init_outside_the_repository_might_be_anywhere() -> None:
    from fixer.terraform.init_context.scan import reach_of

    reach, _ = reach_of(one("cd /tmp/work && terraform init"))
    assert (reach.directory, reach.pattern) == (None, None)
    assert reach.opaque == ("it runs in /tmp/work, outside the repository",)
    reach, _ = reach_of(one("terraform -chdir=/opt/stack init"))
    assert reach.opaque == ("it runs outside the repository",)
    reach, _ = reach_of(one("cd envs/$ENV && terraform init"))
    assert (reach.directory, reach.pattern) == (None, "envs/*")


def test_terragrunt_forms() -> None:
    assert one("terragrunt init").recursive is False
    assert one("terragrunt run-all init --terragrunt-working-dir live").directory == "live"
    assert one("terragrunt run --all -- init").recursive
    assert inits("terragrunt run-all plan") == []


def test_gitlab_wrapper_runs_in_tf_root_and_only_its_init_commands() -> None:
    state = ShellState(env={"TF_ROOT": "infra"}, exported={"TF_ROOT"})
    found = inits("gitlab-terraform plan\ngitlab-terraform validate\ngitlab-terraform fmt\n", state)
    assert [(i.line, i.directory, i.program) for i in found] == [(1, "infra", "gitlab-terraform")]


def test_calls_to_make_scripts_just_and_task() -> None:
    text = (
        "make -C infra plan ENV=prod\n"
        "./scripts/init.sh prod\n"
        "bash scripts/other.sh\n"
        "just init prod\n"
        "task init STACK=dns\n"
        "cd sub && $(MAKE) init\n"
    )
    _, calls, _ = run_script(ScriptSource.plain("ci.sh", text))
    assert [(c.kind, c.target, c.names, c.arguments, c.cwd, c.line) for c in calls] == [
        ("make", None, ("plan",), ("ENV=prod",), "infra", 1),
        ("script", "scripts/init.sh", (), ("prod",), ".", 2),
        ("script", "scripts/other.sh", (), (), ".", 3),
        ("just", None, ("init",), ("prod",), ".", 4),
        ("task", None, ("init",), ("STACK=dns",), ".", 5),
        ("make", None, ("init",), (), "sub", 6),
    ]


def test_unbalanced_input_never_raises() -> None:
    for text in [
        'terraform init "unclosed',
        "terraform init $(",
        "cd (",
        "for x in",
        "f() {",
        "<<EOF",
    ]:
        run_script(ScriptSource.plain("x.sh", text))


def test_split_words_and_init_arguments() -> None:
    assert split_words('-backend-config="bucket=a b" -backend-config=c.hcl') == [
        "-backend-config=bucket=a b",
        "-backend-config=c.hcl",
    ]
    found, backend, unknown = parse_init_arguments(
        ["-backend-config", "x.hcl", "-backend=0", "-reconfigure"]
    )
    assert (found, backend, unknown) == ([("x.hcl", "-backend-config=x.hcl")], False, [])
