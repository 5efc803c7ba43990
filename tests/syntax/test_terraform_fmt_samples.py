"""Every .tf sample is what `terraform fmt` would write, unless listed as unformatted.

samples/syntax/UNFORMATTED names the files that are deliberately not formatted
(and why); the list itself is checked too, so it cannot go stale.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SYNTAX = Path(__file__).resolve().parents[2] / "samples" / "syntax"
UNFORMATTED = {
    line.split()[0]
    for line in (SYNTAX / "UNFORMATTED").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}
TF_SAMPLES = sorted(SYNTAX.glob("*.tf"))


def _fmt_check(binary: str, env: dict[str, str], path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary, "fmt", "-check", "-no-color", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("path", TF_SAMPLES, ids=lambda p: p.name)
def test_sample_formatting_is_as_declared(
    path: Path, terraform_bin: str, terraform_env: dict[str, str]
) -> None:
    result = _fmt_check(terraform_bin, terraform_env, path)
    if path.name in UNFORMATTED:
        assert result.returncode == 3, f"{path.name} is listed as unformatted but fmt accepts it"
    else:
        assert result.returncode == 0, (
            f"{path.name} is not fmt-clean: {result.stdout}{result.stderr}"
        )


def test_unformatted_list_names_existing_files() -> None:
    assert UNFORMATTED <= {p.name for p in TF_SAMPLES}
