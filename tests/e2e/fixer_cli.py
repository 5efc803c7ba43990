"""Run the real ``backend-fixer`` command line for the end-to-end tests.

The scenario tests drive the tool the way a pipeline does: as a subprocess,
with its exit code, stdout and stderr, in the same isolated environment the
Terraform runner uses. This module also reads what the tool and Terraform say
about a partial backend, so a test can check that the two name the same values.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_TIMEOUT = 120.0

# "backend "s3" is partial: bucket, key and region are missing, ..." (BF001's message).
_PARTIAL_MESSAGE = re.compile(r"is partial: (?P<names>.+?) (?:is|are) missing")
# Terraform 1.11's diagnostics for a partial s3 backend under -input=false.
_MISSING_REQUIRED = re.compile(r'The attribute "(?P<name>\w+)" is required by the backend\.')
_MISSING_REGION = "Error: Missing region value"
_DIAGNOSTIC_LOCATION = re.compile(r"on (?P<file>\S+) line (?P<line>\d+), in terraform:")


def _command() -> list[str]:
    """The console script installed beside this interpreter, else ``python -m fixer``.

    The console script is what users run, so it is preferred; the fallback keeps
    the tests usable from an interpreter where the package is importable but not
    installed as a script."""
    script = Path(sys.executable).with_name("backend-fixer")
    if script.is_file():
        return [str(script)]
    found = shutil.which("backend-fixer")
    if found and Path(found).resolve().parent == Path(sys.executable).resolve().parent:
        return [found]
    return [sys.executable, "-m", "fixer"]


@dataclass(frozen=True)
class CliResult:
    """What one ``backend-fixer`` command did."""

    args: tuple[str, ...]
    cwd: Path
    returncode: int
    stdout: str
    stderr: str
    duration: float

    def explain(self) -> str:
        """A block of text for assertion messages."""
        return (
            f"backend-fixer {' '.join(self.args)} (in {self.cwd}) exited {self.returncode} "
            f"after {self.duration:.1f}s\n--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )

    def json(self) -> Any:
        return json.loads(self.stdout)


class BackendFixer:
    """Runs ``backend-fixer`` as a subprocess in a given environment.

    stdin is /dev/null and every call has a timeout, like the Terraform runner,
    so a command that waits for input fails instead of hanging the suite.
    """

    def __init__(self, base_env: Mapping[str, str]) -> None:
        self.base_env = dict(base_env)
        self.command = _command()

    def run(
        self,
        cwd: Path,
        *args: str,
        env: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> CliResult:
        started = time.monotonic()
        done = subprocess.run(
            [*self.command, *args],
            cwd=cwd,
            env={**self.base_env, **(env or {})},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return CliResult(
            tuple(args), cwd, done.returncode, done.stdout, done.stderr, time.monotonic() - started
        )

    def check(self, module: Path, *args: str, env: Mapping[str, str] | None = None) -> CliResult:
        """``check`` on a module, run from its parent so paths print as ``<module>/<file>``."""
        return self.run(module.parent, "check", module.name, *args, env=env)

    def fix(
        self,
        module: Path,
        mode: str,
        *args: str,
        sets: Mapping[str, str] | None = None,
        write: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> CliResult:
        """``fix --mode <mode> [--write] [--set K=V ...]`` on a module, from its parent."""
        flags = [f"--set={key}={value}" for key, value in (sets or {}).items()]
        if write:
            flags.append("--write")
        return self.run(module.parent, "fix", module.name, f"--mode={mode}", *flags, *args, env=env)

    def restore(
        self,
        module: Path,
        *args: str,
        sets: Mapping[str, str] | None = None,
        write: bool = True,
    ) -> CliResult:
        flags = [f"--set={key}={value}" for key, value in (sets or {}).items()]
        if write:
            flags.append("--write")
        return self.run(module.parent, "restore", module.name, *flags, *args)


# --------------------------------------------------------------------------- reading what was said


@dataclass(frozen=True)
class MissingValues:
    """The backend values someone says are missing, and where the block is."""

    names: frozenset[str]
    file: str
    line: int


def missing_from_check(report: Mapping[str, Any]) -> MissingValues:
    """The values BF001 names in a ``check --format json`` report (exactly one BF001)."""
    (finding,) = [f for f in report["findings"] if f["code"] == "BF001"]
    match = _PARTIAL_MESSAGE.search(finding["message"])
    assert match, f"BF001 message names no missing values: {finding['message']!r}"
    names = re.split(r", | and ", match["names"])
    location = finding["location"]
    return MissingValues(frozenset(names), Path(location["path"]).name, location["line"])


def missing_from_init(stderr: str) -> MissingValues:
    """The values a failed ``init -input=false`` says are missing, and the line it blames."""
    names = {match["name"] for match in _MISSING_REQUIRED.finditer(stderr)}
    if _MISSING_REGION in stderr:
        names.add("region")
    locations = {(m["file"], int(m["line"])) for m in _DIAGNOSTIC_LOCATION.finditer(stderr)}
    assert len(locations) == 1, f"expected one blamed location, got {locations}:\n{stderr}"
    ((file, line),) = locations
    return MissingValues(frozenset(names), file, line)


# --------------------------------------------------------------------------- files


def file_bytes(module: Path, patterns: Iterable[str] = ("*.tf",)) -> dict[str, bytes]:
    """The exact bytes of the module's files matching ``patterns`` (top level,
    files only: ``.terraform/`` and other folders are Terraform's, not the user's)."""
    found: dict[str, bytes] = {}
    for pattern in patterns:
        for path in sorted(module.glob(pattern)):
            if path.is_file():
                found[path.name] = path.read_bytes()
    return found


# --------------------------------------------------------------------------- following the header

_END_MARKER = "# backend-fixer:end local-state"
_COMMENTED_OPEN = re.compile(r"^(?P<indent>[ \t]*)# (?P<rest>(?:backend \"\w+\"|cloud) \{.*)$")


def uncomment_backend(text: str) -> str:
    """Uncomment the block that comment mode wrote, as a user following its header
    would with an editor's toggle-comment: on each line from the commented
    ``# backend "..." {`` to its ``# }``, drop the ``#`` (and one space) after the
    block's indentation. The header stays; nothing else is touched. Raises
    AssertionError if the text holds no commented block."""
    lines = text.splitlines(keepends=True)
    # The end marker carries the record of what was written after its words.
    ends = [i for i, line in enumerate(lines) if line.strip().startswith(_END_MARKER)]
    assert ends, "no comment-mode header in the text"
    start = ends[0] + 1
    opening = _COMMENTED_OPEN.match(lines[start].rstrip("\r\n"))
    assert opening, f"no commented block after the header: {lines[start]!r}"
    indent = opening["indent"]
    for index in range(start, len(lines)):
        line = lines[index]
        body = line.rstrip("\r\n")
        newline = line[len(body) :]
        assert body.startswith(indent + "#"), f"line {index + 1} is not commented: {line!r}"
        rest = body[len(indent) + 1 :]
        rest = rest[1:] if rest.startswith(" ") else rest
        lines[index] = (indent + rest if rest else "") + newline
        if rest == "}":
            break
    return "".join(lines)
