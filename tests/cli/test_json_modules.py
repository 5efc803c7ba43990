"""A backend in ``.tf.json``: the same check in every format, a fix that leaves it alone.

Comment mode cannot comment out JSON. That used to leak into ``check``: with
``--format json`` or ``sarif`` (which attach fixes) the check exited 2 where
text and github exited 1, and the GitHub Action stopped before uploading its
annotations. And ``fix`` on the README's own samples exited 2. Now a check's
exit code is the same in every format, and comment mode leaves a JSON module
alone, each finding saying why, without failing the run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from cli_samples import PARTIAL, Run, write_tree

REPO = Path(__file__).resolve().parents[2]
FORMATS = ("text", "json", "sarif", "github", "gitlab")
JSON_PARTIAL = b'{\n  "terraform": {\n    "backend": {\n      "s3": {}\n    }\n  }\n}\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {"json/main.tf.json": JSON_PARTIAL, "hcl/main.tf": PARTIAL})


@pytest.mark.parametrize("fmt", FORMATS)
def test_check_exits_1_in_every_format(bf: Run, tree: Path, fmt: str) -> None:
    result = bf("check", "json", "--format", fmt, cwd=tree)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""


def test_check_of_the_bundled_samples_exits_1_in_every_format(bf: Run, tmp_path: Path) -> None:
    samples = shutil.copytree(REPO / "samples", tmp_path / "samples")
    codes = {
        fmt: bf("check", "samples", "-f", fmt, cwd=samples.parent).returncode for fmt in FORMATS
    }
    assert codes == dict.fromkeys(FORMATS, 1)


def test_fix_of_the_bundled_samples_exits_1_and_prints_the_diff(bf: Run) -> None:
    """The README's quick start: a dry run over samples/ shows changes and changes nothing."""
    before = {p: p.read_bytes() for p in (REPO / "samples").rglob("*") if p.is_file()}
    result = bf("fix", "samples/", cwd=REPO)
    assert result.returncode == 1, result.stderr
    assert "backend-fixer: error" not in result.stderr
    assert "+++ b/samples/fixes/seed-provider/before/provider.tf" in result.stdout
    assert "+  # backend-fixer:begin local-state" in result.stdout
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize("write", [False, True], ids=["dry-run", "write"])
def test_comment_mode_leaves_a_json_module_alone_and_fixes_the_rest(
    bf: Run, tree: Path, write: bool
) -> None:
    before = (tree / "json" / "main.tf.json").read_bytes()
    result = bf("fix", ".", *(["--write"] if write else []), cwd=tree)
    assert result.returncode == 1, result.stderr
    assert "backend-fixer: error" not in result.stderr
    assert (
        "  json/main.tf.json:4:7: BF001: comment mode cannot comment out the backend in "
        "main.tf.json (JSON has no comments); use --mode override or --mode complete"
    ) in result.stderr.splitlines()
    assert (tree / "json" / "main.tf.json").read_bytes() == before
    assert ("# backend-fixer:begin" in (tree / "hcl" / "main.tf").read_text()) is write
    # Override mode handles it.
    override = bf("fix", "json", "--mode", "override", "--write", cwd=tree)
    assert override.returncode == 0, override.stderr
    assert (tree / "json" / "backend_override.tf").exists()


def test_json_findings_point_at_the_member_in_every_format(bf: Run, tmp_path: Path) -> None:
    text = (
        b'{\n  "terraform": {\n    "required_version": ">= 1.11",\n    "backend": {\n'
        b'      "s3": {\n        "bucket": "",\n        "key": "k",\n'
        b'        "region": "eu-west-1",\n        "use_lockfile": true,\n'
        b'        "encrypt": true\n      }\n    }\n  }\n}\n'
    )
    write_tree(tmp_path, {"main.tf.json": text})
    report = bf("check", ".", cwd=tmp_path)
    assert report.returncode == 1
    assert report.stdout.startswith("main.tf.json:6:9: BF010 bucket in backend")
    github = bf("check", ".", "-f", "github", cwd=tmp_path).stdout
    assert github.startswith(
        "::error file=main.tf.json,line=6,col=9,endLine=6,endColumn=21,title=BF010 empty-value::"
    )
    sarif = json.loads(bf("check", ".", "-f", "sarif", cwd=tmp_path).stdout)
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    start = region["charOffset"]
    assert text.decode()[start : start + region["charLength"]] == '"bucket": ""'
