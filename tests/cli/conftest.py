"""Running the real console script for the CLI tests.

``bf(*args, cwd=..., stdin=..., env=...)`` starts ``python -m fixer`` in a child
process (what users and CI run) with colour and progress bars off, and returns
the :class:`subprocess.CompletedProcess` with text streams. The modules the
tests run on are in ``cli_samples.py`` beside this file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

# The helper module sits beside this file; with --import-mode=importlib the test
# directory is not on sys.path by itself.
sys.path.insert(0, str(Path(__file__).parent))


def _env(extra: Mapping[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["CI"] = "1"  # no progress bar
    env.update(extra or {})
    return env


@pytest.fixture
def bf() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m fixer ARGS`` in ``cwd``; ``stdin`` is fed to it as text."""

    def run(
        *args: str,
        cwd: Path,
        stdin: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "fixer", *args],
            cwd=cwd,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            env=_env(env),
            timeout=180,
            check=False,
        )

    return run
