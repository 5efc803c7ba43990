"""The harness keeps its promises: isolation, loopback only, timeouts, tidy files.

These run the real tools too, so a harness change that leaks the developer's
environment, exposes moto beyond 127.0.0.1 or leaves a process behind fails here
rather than showing up as a flaky scenario test.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from e2e_harness import (
    SCENARIOS,
    MotoServer,
    Terraform,
    add_lock_holder,
    isolated_env,
    moto_backend_settings,
    processes_in,
    render_tfbackend,
)

pytestmark = pytest.mark.e2e

ENV_PROBE = """\
resource "terraform_data" "env" {
  provisioner "local-exec" {
    command = "env > \\"$OUT\\""

    environment = {
      OUT = "${path.module}/seen.env"
    }
  }
}
"""


def test_environment_leaks_nothing_from_the_machine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name, value in {
        "AWS_PROFILE": "leaked",
        "AWS_ACCESS_KEY_ID": "leaked",
        "AWS_SECRET_ACCESS_KEY": "leaked",
        "AWS_REGION": "eu-west-1",
        "TF_LOG": "TRACE",
        "TF_CLI_ARGS": "-lock=false",
        "TF_CLI_CONFIG_FILE": "/nonexistent/.terraformrc",
    }.items():
        monkeypatch.setenv(name, value)
    cli_config = tmp_path / "empty.tfrc"

    env = isolated_env(tmp_path, cli_config)

    assert not {name for name in env if name.startswith("AWS_") and "FILE" not in name} - {
        "AWS_EC2_METADATA_DISABLED"
    }
    assert "TF_LOG" not in env
    assert "TF_CLI_ARGS" not in env
    assert env["TF_CLI_CONFIG_FILE"] == str(cli_config)
    assert env["HOME"] == str(tmp_path)
    assert env["TF_IN_AUTOMATION"] == "1"
    assert env["CHECKPOINT_DISABLE"] == "1"


def test_terraform_runs_with_the_isolated_environment(terraform: Terraform, tmp_path: Path) -> None:
    module = tmp_path / "probe"
    module.mkdir()
    (module / "main.tf").write_text(ENV_PROBE)

    init = terraform.init(module)
    assert init.returncode == 0, init.explain()
    apply = terraform.apply(module)
    assert apply.returncode == 0, apply.explain()

    # The machine's TF_CLI_CONFIG_FILE names a missing file; ours is empty.
    assert "CLI configuration" not in apply.output
    seen = dict(
        line.split("=", 1) for line in (module / "seen.env").read_text().splitlines() if "=" in line
    )
    home = Path(seen["HOME"])
    assert home != Path.home()
    assert Path(seen["TF_CLI_CONFIG_FILE"]).read_text() == ""
    assert seen["TF_IN_AUTOMATION"] == "1"
    assert seen["CHECKPOINT_DISABLE"] == "1"
    assert "AWS_PROFILE" not in seen
    assert "AWS_ACCESS_KEY_ID" not in seen


def test_moto_listens_on_loopback_only(moto_server: MotoServer) -> None:
    assert moto_server.endpoint == f"http://127.0.0.1:{moto_server.port}"
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp to read listening sockets from")
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port = local.rsplit(":", 1)
            if state == "0A" and int(port, 16) == moto_server.port:
                listening.add(address)
    # 0100007F is 127.0.0.1 as /proc/net/tcp writes it (little-endian hex).
    assert listening == {"0100007F"}


def test_a_command_over_its_timeout_is_killed_with_its_children(
    terraform: Terraform, scenario: Callable[[str], Path]
) -> None:
    module = scenario("seed-pipeline")
    (module / "backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    assert terraform.init(module).returncode == 0
    release = add_lock_holder(module)

    with pytest.raises(TimeoutError, match="took longer than"):
        terraform.run(
            module,
            "apply",
            "-input=false",
            "-auto-approve",
            "-no-color",
            env={"TF_VAR_lock_release_file": str(release)},
            timeout=3,
        )

    # The provisioner's shell loop started (it made the marker) and is gone now.
    assert release.with_name(release.name + ".held").exists()
    assert processes_in(module) == []


def test_moto_backend_file_is_fmt_clean(
    terraform: Terraform,
    moto_server: MotoServer,
    tfbackend: Callable[[str, Mapping[str, object]], Path],
    tmp_path: Path,
) -> None:
    # A map between single-line attributes: each run is aligned on its own.
    values = {"bucket": "b", "key": "k", **moto_backend_settings(moto_server.endpoint)}
    path = tfbackend("moto", values)
    assert path.read_text() == render_tfbackend(values)
    # terraform fmt only reads .tf and .tfvars; a .tfbackend file is the same syntax.
    shutil.copyfile(path, tmp_path / "moto.tfvars")

    fmt = terraform.run(tmp_path, "fmt", "-check", "-diff", "-no-color", "moto.tfvars")

    assert fmt.returncode == 0, fmt.explain()


def test_scenario_files_are_fmt_clean(terraform: Terraform, tmp_path: Path) -> None:
    copy = shutil.copytree(SCENARIOS, tmp_path / "e2e")

    fmt = terraform.run(copy, "fmt", "-check", "-recursive", "-diff", "-no-color")

    assert fmt.returncode == 0, fmt.explain()
    assert fmt.stdout == ""
