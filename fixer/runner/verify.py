"""Asking Terraform itself whether a fixed module is valid: ``fix --verify``.

For each module a fix changed, this runs ``terraform init -backend=false
-input=false`` and then ``terraform validate``, and returns one
:class:`Verification` per module (ok, or failed with Terraform's first error).
After a write the module is checked where it is; in a dry run a temporary
copy holding the new texts is checked instead and removed afterwards. The copy
sits at the same path inside a mirror of the directories above the module (their
other entries linked to the originals), so relative references such as a local
module ``source = "../modules/x"`` resolve as they do from the module. It lives
in the runner because it starts processes and touches files; it prints nothing.

``-backend=false`` keeps the check offline and free of credentials, so it
cannot see a missing backend value or a variable in a backend block: the
rules do that. What it does see is whether Terraform can read and load the
module the fix produced (syntax, references, provider requirements).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

# Long enough for init to install providers on a slow link; a hung Terraform
# (a prompt it should not show, a registry that never answers) still ends.
DEFAULT_TIMEOUT = 300.0

# Terraform settings of the user's environment that a verification keeps: where
# the CLI configuration is (provider mirrors, credentials for private
# registries), the plugin cache, registry tuning and registry tokens. Every
# other TF_* variable is dropped, because it changes what these commands do:
# TF_CLI_ARGS* could add flags, TF_DATA_DIR would point at the user's own
# .terraform, TF_WORKSPACE selects state, TF_LOG floods the output we read.
_KEPT_TF_VARIABLES = frozenset(
    {
        "TF_CLI_CONFIG_FILE",
        "TF_PLUGIN_CACHE_DIR",
        "TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE",
        "TF_REGISTRY_DISCOVERY_RETRY",
        "TF_REGISTRY_CLIENT_TIMEOUT",
    }
)
_KEPT_TF_PREFIXES = ("TF_TOKEN_",)

# The dependency lock file is the one file init writes into the module itself;
# it is put back exactly as it was (or removed again) after an in-place check.
LOCK_FILE = ".terraform.lock.hcl"
# Terraform's default data directory; a copy never takes the user's.
_DATA_DIR = ".terraform"

# Diagnostics as Terraform prints them with -no-color (the "│ " prefix is what
# they look like when colour could not be turned off).
_ERROR_LINE = re.compile(r"^(?:│ )?Error: (?P<summary>.*\S)\s*$")
_WARNING_LINE = re.compile(r"^(?:│ )?Warning: ")
_LOCATION_LINE = re.compile(r"^(?:│ )?\s*on (?P<file>.+?) line (?P<line>\d+)(?:,|:|$)")


@dataclass(frozen=True, slots=True)
class TerraformTool:
    """The Terraform binary a verification runs, and the version it reports (None if unknown)."""

    path: str
    version: str | None

    def describe(self) -> str:
        version = f"v{self.version}" if self.version else "(version unknown)"
        return f"Terraform {version} ({self.path})"


@dataclass(frozen=True, slots=True)
class Verification:
    """What Terraform said about one changed module.

    ``step`` and ``message`` are empty when ``ok``; otherwise ``step`` is the
    command that failed (``init`` or ``validate``) and ``message`` Terraform's
    first error on one line, as ``file:line: summary`` when it names a place.
    ``in_copy`` is True when a temporary copy was checked (dry run).
    """

    directory: str
    ok: bool
    step: str = ""
    message: str = ""
    in_copy: bool = False

    def __str__(self) -> str:
        if self.ok:
            return f"{self.directory}: ok"
        return f"{self.directory}: failed: terraform {self.step}: {self.message}"


def find_terraform(
    env: Mapping[str, str] | None = None, name: str = "terraform"
) -> TerraformTool | None:
    """The ``terraform`` on ``PATH`` (of ``env``, default the process's), or None.

    Asks it for its version; a binary that cannot say is still returned, with
    ``version`` None, so that the verification itself reports what goes wrong.
    """
    environment = dict(os.environ if env is None else env)
    path = shutil.which(name, path=environment.get("PATH", os.defpath))
    if path is None:
        return None
    version = None
    with tempfile.TemporaryDirectory(prefix="backend-fixer-verify-") as scratch:
        try:
            done = subprocess.run(
                [path, "version", "-json"],
                env=verification_env(environment, os.path.join(scratch, "data")),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=60,
                cwd=scratch,
            )
            version = json.loads(done.stdout).get("terraform_version")
        except (OSError, subprocess.TimeoutExpired, ValueError, AttributeError):
            version = None
    return TerraformTool(path, version if isinstance(version, str) else None)


def verification_env(base: Mapping[str, str], data_dir: str) -> dict[str, str]:
    """The environment for Terraform: ``base`` without the TF_* variables that
    change what init and validate do, plus automation settings and a private
    data directory. Raises nothing; ``base`` is not modified."""
    env = {
        name: value
        for name, value in base.items()
        if not name.startswith("TF_")
        or name in _KEPT_TF_VARIABLES
        or name.startswith(_KEPT_TF_PREFIXES)
    }
    env.update(
        TF_IN_AUTOMATION="1",
        CHECKPOINT_DISABLE="1",
        TF_INPUT="0",
        TF_DATA_DIR=data_dir,
    )
    return env


def verify_module(
    directory: str,
    tool: TerraformTool,
    new_texts: Mapping[str, str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Verification:
    """Run ``init -backend=false`` and ``validate`` for one module; never raises.

    With ``new_texts`` None the module is checked in place (after a write): init's
    data directory is a temporary one, so the module's own ``.terraform`` is not
    touched, and its lock file is put back byte for byte (or removed, if init
    created it). With ``new_texts`` (path to text, for each file the fix changes
    or creates) a temporary copy is checked: those files are written there, the
    lock file is copied, every other entry is a symlink to the original, and
    the directories above it mirror the real ones (see :func:`_copy_module`),
    so references that leave the module's folder (``source = "../x"``) work.
    """
    base = dict(os.environ if env is None else env)
    with tempfile.TemporaryDirectory(prefix="backend-fixer-verify-") as scratch:
        environment = verification_env(base, os.path.join(scratch, "data"))
        try:
            if new_texts is None:
                with kept_lock_file(directory):
                    failure = _init_and_validate(directory, tool, environment, timeout)
            else:
                copy = _copy_module(directory, new_texts, os.path.join(scratch, "mirror"))
                failure = _init_and_validate(copy, tool, environment, timeout)
        except OSError as error:
            failure = ("init", f"could not prepare the module: {error}")
    if failure is None:
        return Verification(directory, True, in_copy=new_texts is not None)
    step, message = failure
    return Verification(directory, False, step, message, in_copy=new_texts is not None)


# -- the two commands -----------------------------------------------------------------------


def _init_and_validate(
    cwd: str, tool: TerraformTool, env: Mapping[str, str], timeout: float
) -> tuple[str, str] | None:
    """(step, first error) of the first command that fails, or None when both pass."""
    commands = (
        ("init", ("init", "-backend=false", "-input=false", "-no-color")),
        ("validate", ("validate", "-no-color")),
    )
    for step, args in commands:
        failure = _run(tool.path, args, cwd, env, timeout)
        if failure is not None:
            return step, failure
    return None


def _run(
    binary: str, args: tuple[str, ...], cwd: str, env: Mapping[str, str], timeout: float
) -> str | None:
    """Run one command; None on success, else its first error as one line."""
    try:
        process = subprocess.Popen(
            [binary, *args],
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            # Its own process group, so a timeout also ends the provider plugins it started.
            start_new_session=True,
        )
    except OSError as error:
        return f"could not run {binary}: {error}"
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        return f"timed out after {timeout:.0f}s"
    if process.returncode == 0:
        return None
    return first_error(stderr + "\n" + stdout) or f"exited with status {process.returncode}"


def _kill_group(process: subprocess.Popen[str]) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.communicate(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def first_error(output: str) -> str | None:
    """Terraform's first error in ``output`` (text diagnostics) as one line, or None.

    Prefers the first error that names a place (``main.tf:12: summary``): init
    opens with a general "Terraform encountered problems during initialisation"
    before the error that says what is wrong. Falls back to the first line of
    an error without a place, then to the first non-empty line.
    """
    lines = output.splitlines()
    # (summary, "file:line" or None), in the order Terraform printed them.
    errors: list[tuple[str, str | None]] = []
    in_error = False
    for line in lines:
        match = _ERROR_LINE.match(line)
        if match:
            errors.append((match["summary"], None))
            in_error = True
        elif _WARNING_LINE.match(line):
            in_error = False
        elif in_error and errors[-1][1] is None and (located := _LOCATION_LINE.match(line)):
            errors[-1] = (errors[-1][0], f"{located['file']}:{located['line']}")
    for summary, place in errors:
        if place is not None:
            return f"{place}: {summary}"
    if errors:
        return errors[0][0]
    return next((line.strip() for line in lines if line.strip()), None)


# -- files --------------------------------------------------------------------------------------


@contextmanager
def kept_lock_file(directory: str) -> Iterator[None]:
    """On the way out, the module's lock file is exactly as it was on the way in:
    rewritten if it changed, removed if it did not exist. No-op if nothing changed."""
    path = Path(directory, LOCK_FILE)
    try:
        before: bytes | None = path.read_bytes()
    except FileNotFoundError:
        before = None
    try:
        yield
    finally:
        if before is None:
            path.unlink(missing_ok=True)
        elif not path.is_file() or path.read_bytes() != before:
            path.write_bytes(before)


def _link_entries(real: str, mirror: str, *, skip: str) -> None:
    """Link every entry of directory ``real`` into ``mirror``, except ``skip``.

    A directory that cannot be listed is mirrored empty: references through it
    fail in the copy as they would for a user who cannot read it.
    """
    try:
        entries = list(os.scandir(real))
    except OSError:
        return
    for entry in entries:
        if entry.name != skip:
            os.symlink(entry.path, os.path.join(mirror, entry.name))


def _copy_module(directory: str, new_texts: Mapping[str, str], mirror: str) -> str:
    """A temporary stand-in for ``directory`` with ``new_texts`` applied; returns its path.

    Terraform resolves a local module's ``source = "../modules/x"`` (and
    ``path.module``-relative files) from the module's directory, so a copy
    alone in a temporary folder cannot load them. The stand-in is placed at
    the module's real path inside ``mirror``: each directory from the
    file-system root down to the module is a real directory there, holding
    symlinks to the original's other entries, so ``..`` leads where it leads
    from the module. Only links are made above the module; nothing of the
    original is written to, and removing ``mirror`` removes links, not targets.
    """
    real = os.path.realpath(directory)
    os.mkdir(mirror)
    current_real, current = os.path.abspath(os.sep), mirror
    for part in Path(real).parts[1:]:
        _link_entries(current_real, current, skip=part)
        current_real, current = os.path.join(current_real, part), os.path.join(current, part)
        os.mkdir(current)
    destination = current
    replaced = {os.path.basename(path): text for path, text in new_texts.items()}
    for entry in os.scandir(directory):
        if entry.name in replaced or entry.name == _DATA_DIR:
            continue
        target = os.path.join(destination, entry.name)
        if entry.name == LOCK_FILE:
            # Copied, not linked: init may update it, and must not do so in the original.
            shutil.copyfile(entry.path, target)
        else:
            os.symlink(os.path.abspath(entry.path), target)
    for name, text in replaced.items():
        # newline="" writes the text's own line endings (CRLF stays CRLF).
        with open(os.path.join(destination, name), "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    return destination
