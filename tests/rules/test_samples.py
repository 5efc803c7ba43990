"""Every rule sample reports exactly the findings its expected.json lists.

The samples are real module directories; each test builds the module view as
the runner would and runs every rule, so a case also proves that no other rule
fires where it should not. The location contract the fix engine relies on is
checked on every finding: ``location`` spans the node ``subject`` names.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rules_support import (
    REPO,
    RULE_SAMPLES,
    Expected,
    expected,
    findings,
    load_view,
    sample,
    sample_dirs,
    sample_findings,
    sample_id,
)

from fixer.rules.base import Finding
from fixer.rules.catalog import all_rules

SAMPLES = sample_dirs()
BLOCK_RULES = {"BF001", "BF006", "BF008", "BF011", "BF012", "BF015", "BF016", "BF021"}
LABEL_RULES = {"BF013", "BF014"}
TYPE_SUBJECT_RULES = {"BF001", "BF011", "BF012", "BF015", "BF016", "BF021"}


def _as_expected(finding: Finding) -> Expected:
    location = finding.location
    return Expected(finding.code, Path(location.path).name, location.line, location.column)


def test_there_are_samples() -> None:
    assert len(SAMPLES) >= 90


@pytest.mark.parametrize("directory", SAMPLES, ids=sample_id)
def test_sample_reports_exactly_the_expected_findings(directory: Path) -> None:
    got = sorted(_as_expected(f) for f in sample_findings(directory))
    want = sorted(expected(directory))
    assert got == want


@pytest.mark.parametrize("directory", SAMPLES, ids=sample_id)
def test_location_spans_the_node_the_subject_names(directory: Path) -> None:
    for finding in sample_findings(directory):
        location = finding.location
        assert finding.subject, finding
        assert finding.module == str(directory)
        text = Path(location.path).read_bytes().decode("utf-8")
        span = text[location.start : location.end]
        assert (location.line, location.column) == _position(text, location.start)
        assert (location.end_line, location.end_column) == _position(text, location.end)
        if location.path.endswith(".json"):
            # .tf.json blocks have no nodes: a block is its `"s3": {...}` member, an
            # argument its `"name": value` member, a label its key.
            key = finding.subject if finding.code in LABEL_RULES | BLOCK_RULES else None
            name = key or finding.subject.rsplit(".", 1)[-1]
            if finding.code in BLOCK_RULES and finding.code not in TYPE_SUBJECT_RULES:
                assert re.match(r'"\w+"\s*:\s*[{\[]', span), span
            else:
                assert re.match(rf'"{re.escape(name)}"\s*:', span) or span == f'"{name}"', span
            continue
        if finding.code in LABEL_RULES:
            assert span == f'"{finding.subject}"'
        elif finding.code in BLOCK_RULES and span.startswith(("backend ", "cloud")):
            assert span.endswith("}"), span
            if finding.code in TYPE_SUBJECT_RULES:
                keyword = "cloud" if finding.subject == "cloud" else f'backend "{finding.subject}"'
                assert span.startswith(keyword), span
            else:
                # BF006 and BF008 name the argument a fix would add to the block.
                assert finding.subject in ("use_lockfile", "dynamodb_table", "encrypt")
        else:
            name = finding.subject.rsplit(".", 1)[-1]
            assert re.match(rf"{re.escape(name)}\s*(=|{{)", span), span


@pytest.mark.parametrize("directory", SAMPLES, ids=sample_id)
def test_crlf_twin_reports_the_same_findings(directory: Path, tmp_path: Path) -> None:
    twin = tmp_path / directory.name
    for path in sorted(directory.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.name != "expected.json":
            data = data.replace(b"\n", b"\r\n")
        target = twin / path.relative_to(directory)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    found = sample_findings(twin)
    assert sorted(_as_expected(f) for f in found) == sorted(expected(directory))
    originals = sample_findings(directory)
    for twin_finding, original in zip(found, originals, strict=True):
        assert _span(twin_finding).replace("\r\n", "\n") == _span(original)


def _span(finding: Finding) -> str:
    text = Path(finding.location.path).read_bytes().decode("utf-8")
    return text[finding.location.start : finding.location.end]


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_every_rule_has_positive_and_negative_samples() -> None:
    for rule in all_rules():
        folder = RULE_SAMPLES / f"{rule.info.code}-{rule.info.name}"
        assert folder.is_dir(), f"no samples for {rule.info.code}"
        cases = [d for d in SAMPLES if d.parent == folder]
        positive = [d for d in cases if any(e.code == rule.info.code for e in expected(d))]
        negative = [d for d in cases if not any(e.code == rule.info.code for e in expected(d))]
        assert positive, f"{rule.info.code} has no positive sample"
        assert negative, f"{rule.info.code} has no negative sample"


def test_sample_folders_are_named_after_rules() -> None:
    names = {f"{r.info.code}-{r.info.name}" for r in all_rules()}
    folders = {p.name for p in RULE_SAMPLES.iterdir() if p.is_dir()}
    assert folders == names


def test_seed_provider_reports_the_partial_backend() -> None:
    got = sample_findings(sample("BF001-partial-backend", "seed"))
    assert [(f.code, f.location.line, f.location.column) for f in got] == [("BF001", 12, 3)]


def test_seed_pipeline_module_reports_only_the_partial_backend() -> None:
    got = findings(load_view(REPO / "samples" / "e2e" / "seed-pipeline"))
    assert [(f.code, Path(f.location.path).name, f.location.line) for f in got] == [
        ("BF001", "provider.tf", 5)
    ]


@pytest.mark.parametrize(
    ("case", "subject"),
    [
        ("tf-1-5", "dynamodb_table"),
        ("tf-1-10", "dynamodb_table"),
        ("tf-1-11", "use_lockfile"),
        ("tofu-1-10", "use_lockfile"),
    ],
)
def test_locking_advice_follows_the_version_boundary(case: str, subject: str) -> None:
    (finding,) = sample_findings(sample("BF006-no-state-locking", case))
    assert finding.subject == subject


def test_versions_override_changes_the_verdict() -> None:
    directory = sample("BF007-lockfile-unsupported", "tf-1-11")
    assert sample_findings(directory) == []
    (finding,) = sample_findings(directory, terraform_version="1.9.5")
    assert finding.code == "BF007"
    assert "(--terraform-version)" in finding.message


def test_dialect_override_changes_the_verdict() -> None:
    directory = sample("BF004-deprecated-argument", "dynamodb-table-tf-1-11")
    assert [f.code for f in sample_findings(directory)] == ["BF004"]
    assert sample_findings(directory, dialect="opentofu") == []


UNFORMATTABLE = ("BF020-duplicate-argument/bucket-twice",)


def _fmt_clean(
    terraform_bin: str, env: dict[str, str], folder: Path
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [terraform_bin, "fmt", "-check", "-recursive", "-list=true", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_samples_are_terraform_fmt_clean(
    terraform_bin: str, terraform_env: dict[str, str], tmp_path: Path
) -> None:
    # terraform fmt reads only .tf files, so .tofu files and backend configuration
    # files are checked under a .tf name.
    copy = tmp_path / "samples"
    shutil.copytree(RULE_SAMPLES, copy)
    for name in UNFORMATTABLE:
        # terraform fmt refuses an argument written twice (an HCL error), which is
        # exactly what this sample shows.
        shutil.rmtree(copy / name)
    for path in list(copy.rglob("*")):
        if path.suffix in (".tofu", ".tfbackend"):
            path.rename(path.with_name(path.name + ".tf"))
    done = _fmt_clean(terraform_bin, terraform_env, copy)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
