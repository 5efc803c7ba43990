"""The command line as users meet it: exit codes, formats, options, config and errors.

Most tests run the real console script in a subprocess (what CI and users run);
the golden diff tests compare its output byte for byte with files under
``tests/cli/golden/`` (``UPDATE_GOLDEN=1`` rewrites them).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from fixer.output import report_schema

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "samples" / "fixes" / "seed-provider" / "before"
GOLDEN = Path(__file__).resolve().parent / "golden"
SARIF_SCHEMA = REPO / "tests" / "output" / "data" / "sarif-schema-2.1.0.json"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")
    }
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "fixer", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    target = tmp_path / "pipeline"
    shutil.copytree(SEED, target)
    return target


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    target = tmp_path / "clean"
    target.mkdir()
    (target / "main.tf").write_text(
        'terraform {\n  required_version = ">= 1.11"\n\n  backend "local" {}\n}\n'
    )
    return target


# -- check ----------------------------------------------------------------------------------


def test_check_exit_codes(seed: Path, clean: Path) -> None:
    assert run("check", ".", cwd=clean).returncode == 0
    found = run("check", ".", cwd=seed)
    assert found.returncode == 1
    assert found.stdout.startswith("provider.tf:12:3: BF001 ")
    assert "Found 1 problem (1 error, 0 warnings) in 1 file" in found.stdout


def test_unreadable_input_is_exit_2_and_the_rest_is_still_checked(seed: Path) -> None:
    (seed / "broken.tf").write_text('terraform {\n  backend "s3" {\n')
    (seed / "secret.tf").write_bytes(b"\x00GITCRYPT\x00\x12\x34binary")
    result = run("check", ".", cwd=seed)
    assert result.returncode == 2
    assert "provider.tf:12:3: BF001" in result.stdout
    errors = [
        line.removeprefix("backend-fixer: error: ")
        for line in result.stderr.splitlines()
        if line.startswith("backend-fixer: error: ")
    ]
    assert any(line.startswith("broken.tf:3:1: unexpected end of file") for line in errors)
    assert any("secret.tf" in line and "git-crypt" in line for line in errors)
    assert "Traceback" not in result.stderr


def test_json_report_matches_its_schema(seed: Path) -> None:
    result = run("check", ".", "--format", "json", cwd=seed)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    jsonschema.validate(document, report_schema())
    (finding,) = document["findings"]
    assert finding["code"] == "BF001"
    assert finding["fixes"], "JSON findings carry their fixes"


def test_sarif_report_is_valid_sarif_2_1_0(seed: Path, tmp_path: Path) -> None:
    output = tmp_path / "report.sarif"
    result = run("check", ".", "--format", "sarif", "--output", str(output), cwd=seed)
    assert result.returncode == 1
    assert result.stdout == ""
    log = json.loads(output.read_text())
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text()))
    (sarif_run,) = log["runs"]
    rule_ids = [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]]
    assert "BF001" in rule_ids and len(rule_ids) >= 14
    (sarif_result,) = sarif_run["results"]
    assert sarif_result["ruleId"] == "BF001"
    assert sarif_result["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    assert sarif_result["fixes"][0]["artifactChanges"][0]["replacements"]


def test_github_format_escapes_workflow_command_values(seed: Path) -> None:
    result = run("check", ".", "--format", "github", cwd=seed)
    assert result.returncode == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(
        "::error file=provider.tf,line=12,col=3,endLine=12,endColumn=18,title=BF001 partial-backend::"
    )
    message = line.split("::", 2)[2]
    assert "\n" not in message and "\r" not in message
    # The message holds ':' and ',' which stay literal in the data part; '%' must be escaped.
    assert "%" not in message.replace("%25", "").replace("%0A", "").replace("%0D", "")


def test_select_ignore_and_unknown_rules(seed: Path) -> None:
    assert run("check", ".", "--ignore", "BF001", cwd=seed).returncode == 0
    assert run("check", ".", "--select", "partial-backend", cwd=seed).returncode == 1
    assert run("check", ".", "--select", "BF00", cwd=seed).returncode == 1
    unknown = run("check", ".", "--select", "BF999", cwd=seed)
    assert unknown.returncode == 2
    assert (
        unknown.stderr.strip()
        == "backend-fixer: error: unknown rule 'BF999'; `backend-fixer rules` lists them"
    )


def test_inline_suppression(seed: Path) -> None:
    provider = seed / "provider.tf"
    provider.write_text(
        provider.read_text().replace(
            '  backend "s3" {}', '  backend "s3" {} # backend-fixer: ignore[BF001]'
        )
    )
    assert run("check", ".", cwd=seed).returncode == 0


@pytest.mark.parametrize("config", ["dotfile", "pyproject"])
def test_config_file_sets_defaults(seed: Path, config: str) -> None:
    if config == "dotfile":
        (seed / ".backend-fixer.toml").write_text('ignore = ["BF001"]\n')
    else:
        (seed / "pyproject.toml").write_text('[tool.backend-fixer]\nignore = ["partial-backend"]\n')
    assert run("check", ".", cwd=seed).returncode == 0
    # The command line wins over the file.
    assert run("check", ".", "--ignore", "BF006", cwd=seed).returncode == 1


def test_bad_config_is_one_line_exit_2(seed: Path) -> None:
    (seed / ".backend-fixer.toml").write_text("colour = 'always'\n")
    result = run("check", ".", cwd=seed)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unknown setting 'colour'" in result.stderr


# -- fix and restore ----------------------------------------------------------------------------


def _golden(name: str, actual: str) -> str:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(actual.encode())
    return path.read_bytes().decode()


@pytest.mark.parametrize("color", ["never", "always"])
def test_fix_dry_run_prints_the_golden_diff(seed: Path, color: str) -> None:
    before = {p.name: p.read_bytes() for p in seed.iterdir()}
    result = run("fix", ".", "--color", color, cwd=seed)
    assert result.returncode == 1
    assert result.stdout == _golden(f"seed-comment.{color}.diff", result.stdout)
    assert ("\x1b[" in result.stdout) == (color == "always")
    assert "Would change 1 file:" in result.stderr
    assert {p.name: p.read_bytes() for p in seed.iterdir()} == before, "a dry run writes nothing"


def test_no_color_environment_variable_wins_in_auto_mode(seed: Path) -> None:
    result = run("fix", ".", "--color", "auto", cwd=seed, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in result.stdout


def test_fix_write_then_nothing_left_then_restore(seed: Path) -> None:
    original = (seed / "provider.tf").read_bytes()
    written = run("fix", ".", "--write", cwd=seed)
    assert written.returncode == 0, written.stderr
    assert written.stdout == ""
    assert "Changed 1 file:" in written.stderr
    assert (seed / "provider.tf").read_bytes() != original
    again = run("fix", ".", cwd=seed)
    assert again.returncode == 0
    assert "Nothing to change." in again.stderr
    assert run("check", ".", cwd=seed).returncode == 0
    restored = run("restore", ".", "--write", cwd=seed)
    assert restored.returncode == 0, restored.stderr
    assert (seed / "provider.tf").read_bytes() == original


def test_restore_with_values_goes_back_to_a_complete_remote_backend(seed: Path) -> None:
    assert run("fix", ".", "--write", cwd=seed).returncode == 0
    result = run(
        "restore",
        ".",
        "--write",
        "--set",
        "bucket=pipeline-state",
        "--set",
        "key=pipeline/terraform.tfstate",
        "--set",
        "dynamodb_table=pipeline-locks",
        cwd=seed,
    )
    assert result.returncode == 0, result.stderr
    text = (seed / "provider.tf").read_text()
    assert "backend-fixer:" not in text
    assert 'bucket         = "pipeline-state"' in text
    assert 'region         = "us-east-1"' in text  # inferred from the provider's variable
    assert run("check", ".", cwd=seed).returncode == 0


def test_complete_mode_without_values_stops_and_says_how(seed: Path) -> None:
    before = (seed / "provider.tf").read_bytes()
    result = run("fix", ".", "--mode", "complete", "--write", cwd=seed)
    assert result.returncode == 2
    error = [
        line for line in result.stderr.splitlines() if line.startswith("backend-fixer: error: ")
    ]
    assert len(error) == 1
    # A lock table nobody names does not stop completion (it is a warning then),
    # but a missing bucket and key do.
    assert "no value for bucket, key;" in error[0]
    assert "--set bucket=VALUE" in error[0]
    assert (seed / "provider.tf").read_bytes() == before
    assert '""' not in (seed / "provider.tf").read_text()


def test_a_set_key_no_backend_has_is_a_usage_error(seed: Path) -> None:
    result = run("fix", ".", "--mode", "complete", "--set", "encrypted=true", cwd=seed)
    assert result.returncode == 2
    assert (
        result.stderr
        == "backend-fixer: error: --set encrypted: no backend type has an argument 'encrypted'; "
        "did you mean 'encrypt'?\n"
    )
    empty = run("fix", ".", "--mode", "complete", "--set", "bucket= ", cwd=seed)
    assert empty.returncode == 2
    assert empty.stderr.startswith("backend-fixer: error: --set bucket= is empty")


def test_a_values_template_no_backend_has_is_a_usage_error(seed: Path) -> None:
    (seed / ".backend-fixer.toml").write_text('[values]\nbuckit = "acme-state"\n')
    result = run("fix", ".", "--mode", "complete", cwd=seed)
    assert result.returncode == 2
    assert "backend-fixer: error: [values] buckit" in result.stderr


def test_override_mode_leaves_tracked_files_untouched(seed: Path) -> None:
    before = {p.name: p.read_bytes() for p in seed.iterdir()}
    result = run("fix", ".", "--mode", "override", "--write", cwd=seed)
    assert result.returncode == 0, result.stderr
    assert ".gitignore" not in result.stderr, "outside git there is no .gitignore to advise on"
    after = {p.name: p.read_bytes() for p in seed.iterdir()}
    assert after.pop("backend_override.tf").startswith(b"# Written by backend-fixer")
    assert after == before


def test_bad_mode_and_set_are_usage_errors(seed: Path) -> None:
    assert run("fix", ".", "--mode", "delete", cwd=seed).returncode == 2
    bad = run("fix", ".", "--mode", "complete", "--set", "bucket", cwd=seed)
    assert bad.returncode == 2
    assert "--set takes KEY=VALUE" in bad.stderr


# -- rules, version, internal errors ----------------------------------------------------------------


def test_rules_lists_and_documents(tmp_path: Path) -> None:
    listing = run("rules", cwd=tmp_path)
    assert listing.returncode == 0
    assert "BF001" in listing.stdout and "partial-backend" in listing.stdout
    doc = run("rules", "BF001", cwd=tmp_path)
    assert doc.returncode == 0
    for heading in ("What it finds", "Why it matters", "Example", "Fix"):
        assert heading in doc.stdout
    assert run("rules", "BF999", cwd=tmp_path).returncode == 2


def test_version(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("backend-fixer ")


def test_internal_errors_are_one_line_unless_debug(
    seed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from fixer import cli
    from fixer.runner import engine

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(engine, "process_module", explode)
    monkeypatch.chdir(seed)
    for argv, traceback_expected in (
        (["backend-fixer", "check", "."], False),
        (["backend-fixer", "--debug", "check", "."], True),
    ):
        monkeypatch.setattr(sys, "argv", argv)
        with pytest.raises(SystemExit) as exit_info:
            cli.main()
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert ("Traceback" in err) == traceback_expected
        assert "simulated bug" in err


def test_readme_section_is_added_then_kept_up_to_date(seed: Path) -> None:
    readme = seed / "README.md"
    original = b"# Pipeline\n\nDeploys the pipeline.\n"
    readme.write_bytes(original)
    assert run("fix", ".", "--readme", "--write", cwd=seed).returncode == 0
    text = readme.read_text()
    assert text.startswith(
        "# Pipeline\n\nDeploys the pipeline.\n\n<!-- backend-fixer:begin backend "
    )
    assert "uses **local state**" in text and "`provider.tf`" in text
    assert text.endswith("<!-- backend-fixer:end backend -->\n")
    # Restore takes the section out again, with the blank line the fix added.
    restored = run("restore", ".", "--write", cwd=seed)
    assert restored.returncode == 0
    assert readme.read_bytes() == original
    # Back to the remote backend, completed: the section comes back once.
    assert run("fix", ".", "--readme", "--write", cwd=seed).returncode == 0
    assert run("restore", ".", "--write", cwd=seed).returncode == 0
    completed = run(
        "fix",
        ".",
        "--readme",
        "--write",
        "--mode",
        "complete",
        "--set",
        "bucket=pipeline-state",
        "--set",
        "key=pipeline/terraform.tfstate",
        "--set",
        "dynamodb_table=pipeline-locks",
        cwd=seed,
    )
    assert completed.returncode == 0, completed.stderr
    text = readme.read_text()
    assert text.count("backend-fixer:begin backend") == 1
    assert 'bucket = "pipeline-state"' in text
    assert text.startswith("# Pipeline\n\nDeploys the pipeline.\n\n")


def test_named_files_are_judged_with_their_whole_module(tmp_path: Path) -> None:
    """pre-commit passes the staged files only; their module still counts, only they are reported."""
    (tmp_path / "versions.tf").write_text('terraform {\n  required_version = ">= 1.11"\n}\n')
    (tmp_path / "backend.tf").write_text(
        'terraform {\n  backend "s3" {\n    bucket         = "b"\n    key            = "k"\n'
        '    region         = "us-east-1"\n    dynamodb_table = "t"\n    encrypt        = true\n  }\n}\n'
    )
    (tmp_path / "other.tf").write_text('terraform {\n  backend "s3" {}\n}\n')
    result = run("check", "backend.tf", "versions.tf", cwd=tmp_path)
    # dynamodb_table is deprecated only because versions.tf requires >= 1.11.
    assert "backend.tf:6:5: BF004" in result.stdout
    # other.tf is read to know the module (two backends!) but not reported.
    assert "other.tf" not in result.stdout
    before = (tmp_path / "other.tf").read_bytes()
    run("fix", "backend.tf", "--write", "--unsafe", cwd=tmp_path)
    assert (tmp_path / "other.tf").read_bytes() == before


def test_inmem_backend_is_known(tmp_path: Path) -> None:
    """Terraform 1.11 still accepts the undocumented inmem backend: not a typo."""
    (tmp_path / "main.tf").write_text('terraform {\n  backend "inmem" {}\n}\n')
    assert run("check", ".", cwd=tmp_path).returncode == 0


def test_locking_turned_off_is_turned_on_only_with_unsafe(tmp_path: Path) -> None:
    main = tmp_path / "main.tf"
    main.write_text(
        'terraform {\n  required_version = ">= 1.11"\n\n  backend "s3" {\n    bucket       = "b"\n'
        '    key          = "k"\n    region       = "us-east-1"\n    use_lockfile = false\n'
        "    encrypt      = true\n  }\n}\n"
    )
    # The finding stays without --unsafe, so the exit code says so (as ruff's does).
    assert run("fix", ".", "--write", cwd=tmp_path).returncode == 1
    assert "use_lockfile = false" in main.read_text()
    assert run("fix", ".", "--write", "--unsafe", cwd=tmp_path).returncode == 0
    text = main.read_text()
    assert "use_lockfile = true" in text and text.count("use_lockfile") == 1


def test_backend_config_file_may_hold_objects_and_counts_like_the_modules_own(
    tmp_path: Path,
) -> None:
    """A --backend-config file and the module's own *.s3.tfbackend complete a block the same way."""
    settings = 'endpoints = {\n  s3 = "http://127.0.0.1:9"\n}\nbucket         = "b"\nuse_path_style = true\n'
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text(
        'terraform {\n  required_version = ">= 1.11"\n  backend "s3" {}\n}\n'
    )
    (tmp_path / "ci.tfbackend").write_text(settings)
    given = run(
        "fix",
        "module",
        "--mode",
        "complete",
        "--backend-config",
        "ci.tfbackend",
        "--set",
        "key=k",
        "--set",
        "region=us-east-1",
        cwd=tmp_path,
    )
    assert given.returncode == 1, given.stderr
    assert 's3 = "http://127.0.0.1:9"' in given.stdout and "use_path_style = true" in given.stdout
    (module / "ci.s3.tfbackend").write_text(settings)
    beside = run(
        "fix",
        "module",
        "--mode",
        "complete",
        "--set",
        "key=k",
        "--set",
        "region=us-east-1",
        cwd=tmp_path,
    )
    assert beside.returncode == 1, beside.stderr
    assert beside.stdout == given.stdout


def test_override_mode_warns_when_git_would_commit_the_override(seed: Path) -> None:
    subprocess.run(["git", "init", "-q", str(seed)], check=True)
    warned = run("fix", ".", "--mode", "override", cwd=seed)
    assert "backend_override.tf is not ignored by .gitignore" in warned.stderr
    (seed / ".gitignore").write_text("*_override.tf\n")
    quiet = run("fix", ".", "--mode", "override", cwd=seed)
    assert ".gitignore" not in quiet.stderr
