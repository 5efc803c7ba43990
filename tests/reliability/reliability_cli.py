"""Running ``backend-fixer`` the way a user does, and reading what it said.

:func:`run_cli` starts the console entry point in a child process (``python -m
fixer``), so exit codes, streams and the no-traceback promise are the real ones.
:func:`run_main` calls the same ``main()`` in this process, for faults that must
be injected by monkeypatching; it passes ``--jobs 1`` so no worker process
escapes the patches.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PARTIAL = b'terraform {\n  backend "s3" {}\n}\n'
"""A partial S3 backend: BF001 at 2:3, fixable in every mode."""


@dataclass(frozen=True)
class Outcome:
    """What one run printed and returned."""

    code: int
    out: str
    err: str

    @property
    def errors(self) -> list[str]:
        """The ``backend-fixer: error:`` lines on stderr, without the prefix."""
        prefix = "backend-fixer: error: "
        return [line[len(prefix) :] for line in self.err.splitlines() if line.startswith(prefix)]

    @property
    def text(self) -> str:
        return self.out + self.err


def _env() -> dict[str, str]:
    env = dict(os.environ)
    # No colour, no progress bar: what a pipe or a CI log gets.
    env.update({"CI": "1", "NO_COLOR": "1", "COLUMNS": "200"})
    env.pop("FORCE_COLOR", None)
    return env


def run_cli(*args: str, cwd: Path, timeout: float = 120) -> Outcome:
    """Run ``python -m fixer ARGS`` in ``cwd`` and collect its exit code and streams."""
    done = subprocess.run(
        [sys.executable, "-m", "fixer", *args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Outcome(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def run_main(
    *args: str,
    cwd: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Outcome:
    """Call ``fixer.cli.main()`` in this process with ``ARGS`` (and ``--jobs 1`` for commands that run modules)."""
    from fixer import cli

    command = list(args)
    if command and command[0] in ("check", "fix"):
        command[1:1] = ["--jobs", "1"]
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["backend-fixer", *command])
    for name, value in {"CI": "1", "NO_COLOR": "1", "COLUMNS": "200"}.items():
        monkeypatch.setenv(name, value)
    capsys.readouterr()
    try:
        cli.main()
        code = 0
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 1
    finally:
        cli._State.debug = False
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def make_module(root: Path, name: str, files: dict[str, bytes]) -> Path:
    """Write a module directory ``root/name`` holding ``files`` (raw bytes)."""
    directory = root / name
    directory.mkdir(parents=True, exist_ok=True)
    for file_name, data in files.items():
        (directory / file_name).write_bytes(data)
    return directory
