"""The fix lifecycle in the pipeline: fix, fill in, enable, or restore; never lose a value.

Every test runs the pipeline on in-memory bytes, in LF and in a CRLF twin made
here: comment mode, then what a person does to the file, then ``restore`` or
``enable``, checking the exact bytes that come out (or that nothing does).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest
from pipeline_support import module_input

from fixer.fixes.plan import OVERRIDE_TEXT, FixOptions
from fixer.pipeline import (
    BackendValues,
    CheckRequest,
    EnableRequest,
    FixRequest,
    ModuleResult,
    RestoreRequest,
    process_module,
)
from fixer.rules.base import Mode

PARTIAL = (
    b"terraform {\n"
    b'  required_version = ">= 1.11"\n'
    b"\n"
    b'  backend "s3" {}\n'
    b"}\n"
    b"\n"
    b'provider "aws" {\n'
    b'  region = "eu-west-1"\n'
    b"}\n"
)
# A multi-line block whose completion rewrites a line (was/new) and adds a group.
MULTI = (
    b"terraform {\n"
    b'  required_version = ">= 1.11"\n'
    b"\n"
    b'  backend "s3" {\n'
    b'    bucket = ""\n'
    b'    key    = "app/terraform.tfstate" # one per app\n'
    b"  }\n"
    b"}\n"
)
COMPLETE = (
    b"terraform {\n"
    b'  required_version = ">= 1.11"\n'
    b"\n"
    b'  backend "s3" {\n'
    b'    bucket = "acme-state"\n'
    b'    key    = "app/terraform.tfstate"\n'
    b'    region = "eu-west-1"\n'
    b"  }\n"
    b"}\n"
)


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


@pytest.fixture(params=["lf", "crlf"])
def style(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _bytes(data: bytes, style: str) -> bytes:
    return _crlf(data) if style == "crlf" else data


def _run(files: Mapping[str, bytes], request: object, **facts: object) -> ModuleResult:
    result = process_module(module_input(dict(files), **facts), request)  # type: ignore[arg-type]
    return result


def _texts(result: ModuleResult) -> dict[str, str | None]:
    return {f.path.rsplit("/", 1)[-1]: f.new_text for f in result.files}


def _commented(data: bytes, **options: object) -> str:
    result = _run({"main.tf": data}, FixRequest(fix=FixOptions(mode=Mode.COMMENT, **options)))  # type: ignore[arg-type]
    assert not result.problems, [str(p) for p in result.problems]
    text = _texts(result)["main.tf"]
    assert text is not None and "backend-fixer:begin local-state" in text
    return text


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -- restore never discards an edit ------------------------------------------------------------


def test_restore_of_an_untouched_region_gives_the_original_bytes(style: str) -> None:
    original = _bytes(PARTIAL, style)
    result = _run({"main.tf": _commented(original).encode()}, RestoreRequest())
    assert not result.problems
    assert _texts(result)["main.tf"] == original.decode()


def test_restore_refuses_a_filled_in_value_and_names_its_line(style: str) -> None:
    filled = _commented(_bytes(PARTIAL, style)).replace("REPLACE_ME-bucket", "acme-state")
    result = _run({"main.tf": filled.encode()}, RestoreRequest())
    assert result.files == ()
    (problem,) = result.problems
    line = _line_of(filled, "acme-state")
    assert problem.line == line
    assert problem.message.startswith(f"restore refused: line {line} was edited since")
    assert (
        "restore --discard-edits" in problem.message and "backend-fixer enable" in problem.message
    )
    assert "\n" not in str(problem)


def test_restore_discarding_the_edits_gives_the_original_bytes(style: str) -> None:
    original = _bytes(PARTIAL, style)
    filled = _commented(original).replace("REPLACE_ME-bucket", "acme-state")
    result = _run({"main.tf": filled.encode()}, RestoreRequest(discard_edits=True))
    assert not result.problems
    assert _texts(result)["main.tf"] == original.decode()


def test_an_edited_header_line_is_named_too(style: str) -> None:
    commented = _commented(_bytes(PARTIAL, style))
    edited = commented.replace(
        "# Local state is in use", "# We keep local state for now. Local state is in use"
    )
    (problem,) = _run({"main.tf": edited.encode()}, RestoreRequest()).problems
    assert problem.line == _line_of(edited, "We keep local state")


def test_edits_elsewhere_in_the_file_do_not_block_restore_and_stay(style: str) -> None:
    original = _bytes(PARTIAL, style)
    commented = _commented(original)
    newline = "\r\n" if style == "crlf" else "\n"
    edited = commented.replace('region = "eu-west-1"', 'region = "eu-central-1"')
    edited += f'{newline}output "x" {{{newline}  value = 1{newline}}}{newline}'
    result = _run({"main.tf": edited.encode()}, RestoreRequest())
    assert not result.problems
    expected = original.decode().replace('region = "eu-west-1"', 'region = "eu-central-1"')
    assert (
        _texts(result)["main.tf"]
        == expected + f'{newline}output "x" {{{newline}  value = 1{newline}}}{newline}'
    )


def test_discarding_cannot_rebuild_an_original_line_that_was_edited(style: str) -> None:
    commented = _commented(_bytes(MULTI, style))
    edited = commented.replace("# one per app", "# one per app and region")
    assert edited != commented
    result = _run({"main.tf": edited.encode()}, RestoreRequest(discard_edits=True))
    assert result.files == ()
    (problem,) = result.problems
    assert problem.line == _line_of(edited, "one per app and region")
    assert "cannot put back the original" in problem.message
    assert "version control" in problem.message


def test_a_region_without_a_record_is_refused_unless_the_edits_are_discarded(style: str) -> None:
    original = _bytes(PARTIAL, style)
    commented = _commented(original)
    marker_start = commented.index("# backend-fixer:end local-state") + len(
        "# backend-fixer:end local-state"
    )
    legacy = (
        commented[:marker_start]
        + commented[commented.index("\n", marker_start) - (1 if style == "crlf" else 0) :]
    )
    (problem,) = _run({"main.tf": legacy.encode()}, RestoreRequest()).problems
    assert "holds no record" in problem.message
    result = _run({"main.tf": legacy.encode()}, RestoreRequest(discard_edits=True))
    assert _texts(result)["main.tf"] == original.decode()


def test_a_damaged_region_is_reported_not_skipped() -> None:
    commented = _commented(PARTIAL)
    cut = commented[: commented.index("  # backend-fixer:end local-state")] + "}\n"
    (problem,) = _run({"main.tf": cut.encode()}, RestoreRequest()).problems
    assert problem.line == _line_of(cut, "backend-fixer:begin")
    assert "version control" in problem.message


# -- enable ---------------------------------------------------------------------------------------


def test_enable_refuses_while_placeholders_are_left_and_names_each(style: str) -> None:
    commented = _commented(_bytes(PARTIAL, style).replace(b">= 1.11", b">= 1.5"))
    assert commented.count("REPLACE_ME") == 3  # the header names it too
    result = _run({"main.tf": commented.encode()}, EnableRequest())
    assert result.files == ()
    refused = sorted((p.line, p.column, p.message) for p in result.problems)
    assert [(line, column) for line, column, _ in refused] == [
        (_line_of(commented, '"REPLACE_ME-bucket"'), 24),
        (_line_of(commented, '"REPLACE_ME-dynamodb-table"'), 24),
    ]
    assert (
        '`bucket         = "REPLACE_ME-bucket"` still holds a REPLACE_ME placeholder'
        in refused[0][2]
    )


def test_enable_after_filling_in_gives_an_active_block_check_calls_clean(style: str) -> None:
    filled = _commented(_bytes(PARTIAL, style)).replace("REPLACE_ME-bucket", "acme-state")
    result = _run({"main.tf": filled.encode()}, EnableRequest())
    assert not result.problems, [str(p) for p in result.problems]
    enabled = _texts(result)["main.tf"]
    assert enabled is not None
    newline = "\r\n" if style == "crlf" else "\n"
    block = newline.join(
        [
            '  backend "s3" {',
            '    bucket       = "acme-state"',
            '    key          = "envs/prod/terraform.tfstate"',
            '    region       = "eu-west-1"',
            "    encrypt      = true",
            "    use_lockfile = true",
            "  }",
        ]
    )
    expected = _bytes(PARTIAL, style).decode().replace('  backend "s3" {}', block)
    assert enabled == expected
    check = _run({"main.tf": enabled.encode()}, CheckRequest())
    assert check.findings == () and check.problems == ()
    again = _run({"main.tf": enabled.encode()}, EnableRequest())
    assert again.files == () and again.problems == ()


def test_enable_drops_was_lines_and_new_marks_and_keeps_a_persons_header_line(style: str) -> None:
    commented = _commented(_bytes(MULTI, style))
    assert "backend-fixer:was" in commented and "backend-fixer:new" in commented
    filled = commented.replace("REPLACE_ME-bucket", "acme-state").replace(
        "REPLACE_ME-region", "eu-west-1"
    )
    filled = filled.replace(
        "# backend-fixer:end local-state",
        "# Ask the platform team for the bucket.\n  # backend-fixer:end local-state".replace(
            "\n", "\r\n" if style == "crlf" else "\n"
        ),
    )
    result = _run({"main.tf": filled.encode()}, EnableRequest())
    assert not result.problems, [str(p) for p in result.problems]
    enabled = _texts(result)["main.tf"]
    assert enabled is not None
    assert "backend-fixer" not in enabled
    assert "  # Ask the platform team for the bucket." in enabled
    assert '    bucket = "acme-state"' in enabled
    assert '    key    = "app/terraform.tfstate" # one per app' in enabled
    assert _run({"main.tf": enabled.encode()}, CheckRequest()).findings == ()


def test_enable_refuses_what_an_init_breaking_rule_finds_at_the_line_it_is_on_now() -> None:
    filled = _commented(PARTIAL).replace("REPLACE_ME-bucket", "acme-state")
    lines = filled.splitlines(keepends=True)
    key_line = _line_of(filled, "#   key ")
    without_key = "".join(line for number, line in enumerate(lines, 1) if number != key_line)
    result = _run({"main.tf": without_key.encode()}, EnableRequest())
    assert result.files == ()
    (problem,) = result.problems
    assert problem.message.startswith("enable refused: BF001 ")
    assert "key" in problem.message
    # Where `backend` stands in the file as it reads now, after the '# '.
    assert (problem.line, problem.column) == (_line_of(without_key, '  # backend "s3" {'), 5)


def test_enable_takes_a_block_a_person_uncommented_by_hand() -> None:
    filled = _commented(PARTIAL).replace("REPLACE_ME-bucket", "acme-state")
    start = filled.index('  # backend "s3" {')
    block_end = filled.index("  # }\n", start) + len("  # }\n")
    by_hand = filled[:start] + filled[start:block_end].replace("  # ", "  ") + filled[block_end:]
    assert '\n  backend "s3" {\n' in by_hand
    result = _run({"main.tf": by_hand.encode()}, EnableRequest())
    assert not result.problems
    enabled = _texts(result)["main.tf"]
    assert enabled is not None and "backend-fixer" not in enabled
    (problem,) = _run({"main.tf": by_hand.encode()}, RestoreRequest()).problems
    assert "were edited since" in problem.message


# -- restore undoes everything fix --write wrote ------------------------------------------------


def test_restore_removes_the_lines_a_targeted_fix_added(style: str) -> None:
    original = _bytes(COMPLETE, style)
    fixed = _texts(_run({"main.tf": original}, FixRequest()))["main.tf"]
    assert fixed is not None and "# backend-fixer:added" in fixed and "use_lockfile = true" in fixed
    result = _run({"main.tf": fixed.encode()}, RestoreRequest())
    assert not result.problems
    assert _texts(result)["main.tf"] == original.decode()


def test_restore_keeps_a_persons_edit_elsewhere_in_a_fixed_block(style: str) -> None:
    original = _bytes(COMPLETE, style)
    fixed = _texts(_run({"main.tf": original}, FixRequest()))["main.tf"]
    assert fixed is not None
    edited = fixed.replace('"acme-state"', '"acme-state-2"')
    result = _run({"main.tf": edited.encode()}, RestoreRequest())
    assert not result.problems
    assert _texts(result)["main.tf"] == original.decode().replace('"acme-state"', '"acme-state-2"')


def test_restore_refuses_an_edited_added_line_unless_discarding(style: str) -> None:
    original = _bytes(COMPLETE, style)
    fixed = _texts(_run({"main.tf": original}, FixRequest()))["main.tf"]
    assert fixed is not None
    edited = fixed.replace("use_lockfile = true", "use_lockfile = false")
    result = _run({"main.tf": edited.encode()}, RestoreRequest())
    assert result.files == ()
    (problem,) = result.problems
    assert problem.line == _line_of(edited, "use_lockfile = false")
    discarded = _run({"main.tf": edited.encode()}, RestoreRequest(discard_edits=True))
    assert _texts(discarded)["main.tf"] == original.decode()


def test_restore_gives_back_a_one_line_block_complete_mode_rewrote(style: str) -> None:
    original = _bytes(PARTIAL, style)
    sets = {"bucket": "acme-state", "key": "app/terraform.tfstate"}
    request = FixRequest(fix=FixOptions(mode=Mode.COMPLETE), values=BackendValues(sets=sets))
    completed = _texts(_run({"main.tf": original}, request))["main.tf"]
    assert (
        completed is not None
        and "# backend-fixer:fixed" in completed
        and '(was: backend "s3" {})' in completed
    )
    result = _run({"main.tf": completed.encode()}, RestoreRequest())
    assert not result.problems
    assert _texts(result)["main.tf"] == original.decode()


def test_a_rewrite_restore_cannot_undo_is_said_not_guessed() -> None:
    deprecated = COMPLETE.replace(b">= 1.11", b">= 1.6.0").replace(
        b'    region = "eu-west-1"\n', b'    region = "eu-west-1"\n    force_path_style = true\n'
    )
    fixed = _texts(_run({"main.tf": deprecated}, FixRequest()))["main.tf"]
    assert fixed is not None and "use_path_style" in fixed
    result = _run({"main.tf": fixed.encode()}, RestoreRequest())
    assert result.files == () and result.problems == ()
    (warning,) = result.warnings
    assert "cannot undo" in warning and "version control" in warning


def test_restore_deletes_the_override_file_it_wrote_and_only_that() -> None:
    fixed = _run({"main.tf": PARTIAL}, FixRequest(fix=FixOptions(mode=Mode.OVERRIDE)))
    assert _texts(fixed)["backend_override.tf"] == OVERRIDE_TEXT
    files = {"main.tf": PARTIAL, "backend_override.tf": OVERRIDE_TEXT.encode()}
    result = _run(files, RestoreRequest())
    assert not result.problems
    assert _texts(result) == {"backend_override.tf": None}
    assert result.files[0].deleted
    theirs = {"main.tf": PARTIAL, "backend_override.tf": b'terraform {\n  backend "local" {}\n}\n'}
    assert _run(theirs, RestoreRequest()).files == ()
    edited = OVERRIDE_TEXT.replace('backend "local" {}', 'backend "local" {\n    path = "x"\n  }')
    ours_edited = {"main.tf": PARTIAL, "backend_override.tf": edited.encode()}
    (problem,) = _run(ours_edited, RestoreRequest()).problems
    assert "edited since" in problem.message
    assert _texts(_run(ours_edited, RestoreRequest(discard_edits=True))) == {
        "backend_override.tf": None
    }


def test_restore_takes_the_readme_section_out_exactly(style: str) -> None:
    readme = _bytes(b"# App\n\nDeploys the app.\n", style).decode()
    fix = FixRequest(fix=FixOptions(mode=Mode.COMMENT, readme=True))
    fixed = _texts(_run({"main.tf": PARTIAL}, fix, readme=readme))
    written = fixed["README.md"]
    assert written is not None and written.startswith(readme)
    result = _run({"main.tf": fixed["main.tf"].encode()}, RestoreRequest(), readme=written)  # type: ignore[union-attr]
    assert not result.problems
    assert _texts(result) == {"main.tf": PARTIAL.decode(), "README.md": readme}
    edited = written.replace("local state", "local state (for now)", 1)
    (problem,) = _run({"main.tf": PARTIAL}, RestoreRequest(), readme=edited).problems
    assert problem.path.endswith("README.md") and "edited since" in problem.message


def test_readme_created_by_the_fix_is_deleted_by_restore() -> None:
    fix = FixRequest(fix=FixOptions(mode=Mode.COMMENT, readme=True))
    fixed = _texts(_run({"main.tf": PARTIAL}, fix))
    created = fixed["README.md"]
    assert created is not None and "backend-fixer:begin backend" in created
    result = _run({"main.tf": fixed["main.tf"].encode()}, RestoreRequest(), readme=created)  # type: ignore[union-attr]
    assert _texts(result) == {"main.tf": PARTIAL.decode(), "README.md": None}


# -- what to run next ----------------------------------------------------------------------------


def test_a_fix_that_changes_settings_says_reconfigure_and_why() -> None:
    result = _run({"main.tf": COMPLETE}, FixRequest(), initialised=True)
    (step,) = result.next_steps
    assert step.command == "terraform init -reconfigure"
    assert step.initialised
    assert "encrypt, use_lockfile" in step.why and "Backend configuration changed" in step.why


def test_comment_mode_says_reconfigure_and_enable_says_migrate_state_over_local_state() -> None:
    commented = _commented(PARTIAL)
    (step,) = _run({"main.tf": PARTIAL}, FixRequest(), initialised=True).next_steps
    assert step.command == "terraform init -reconfigure"
    filled = commented.replace("REPLACE_ME-bucket", "acme-state")
    enabled = _run(
        {"main.tf": filled.encode()}, EnableRequest(), initialised=True, local_state=True
    )
    (step,) = enabled.next_steps
    assert step.command == "terraform init -migrate-state"
    assert "answer yes" in step.why and "-force-copy" in step.why
    # Local state without .terraform/ (init with local state and no providers makes none).
    (step,) = _run({"main.tf": filled.encode()}, EnableRequest(), local_state=True).next_steps
    assert step.command == "terraform init -migrate-state"
    assert "fresh checkout" not in step.why
    fresh = _run({"main.tf": filled.encode()}, EnableRequest())
    assert [s.command for s in fresh.next_steps] == ["terraform init"]


# -- OpenTofu ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "sentence"),
    [
        (">= 1.8.0", "OpenTofu evaluates variables and locals in backend blocks, so values may"),
        (">= 1.6.0", "OpenTofu evaluates variables and locals in backend blocks from 1.8.0 on;"),
        ("~> 1.7.0", "Backend blocks cannot use variables or locals before OpenTofu 1.8.0."),
    ],
)
def test_an_opentofu_module_gets_a_header_that_speaks_of_tofu(version: str, sentence: str) -> None:
    source = PARTIAL.replace(b">= 1.11", version.encode())
    result = _run({"main.tofu": source}, FixRequest(), initialised=True)
    assert not result.problems, [str(p) for p in result.problems]
    header = " ".join(
        line.strip().removeprefix("#").strip()
        for line in (_texts(result)["main.tofu"] or "").splitlines()
    )
    assert "`tofu init -input=false`" in header and "`tofu init -migrate-state`" in header
    assert "terraform init" not in header
    assert sentence in header
    assert "in Terraform" not in header
    (step,) = result.next_steps
    assert step.command.startswith("tofu init ")


def test_a_terraform_module_header_says_what_terraform_forbids() -> None:
    header = " ".join(_commented(PARTIAL).split())
    assert "Backend blocks cannot use variables or locals in Terraform." in header.replace("# ", "")


def test_restore_peels_stacked_fixes_one_layer_at_a_time() -> None:
    """A targeted fix, then (the block made partial by a person) comment mode on top."""
    fixed = _texts(_run({"main.tf": COMPLETE}, FixRequest()))["main.tf"]
    assert fixed is not None and "# backend-fixer:added" in fixed
    partial = fixed.replace('    bucket = "acme-state"\n', "")
    commented = _commented(partial.encode())
    first = _run({"main.tf": commented.encode()}, RestoreRequest())
    assert not first.problems, [str(p) for p in first.problems]
    assert _texts(first)["main.tf"] == partial
    second = _run({"main.tf": partial.encode()}, RestoreRequest())
    assert not second.problems, [str(p) for p in second.problems]
    assert _texts(second)["main.tf"] == COMPLETE.decode().replace('    bucket = "acme-state"\n', "")


def test_enable_lays_out_what_a_person_added_as_fmt_would(
    tmp_path: Path, terraform_bin: str, terraform_env: dict[str, str]
) -> None:
    commented = _commented(MULTI)
    filled = commented.replace("REPLACE_ME-bucket", "acme-state").replace(
        "REPLACE_ME-region", "eu-west-1"
    )
    # A line typed by hand into the added group, with a longer name and no alignment.
    filled = filled.replace(
        "  #   encrypt      = true\n", '  #   encrypt      = true\n  #   kms_key_id="alias/state"\n'
    )
    result = _run({"main.tf": filled.encode()}, EnableRequest())
    assert not result.problems, [str(p) for p in result.problems]
    enabled = _texts(result)["main.tf"]
    assert enabled is not None
    assert '    kms_key_id   = "alias/state"\n' in enabled
    assert '    key    = "app/terraform.tfstate" # one per app\n' in enabled
    path = tmp_path / "main.tf"
    path.write_text(enabled)
    fmt = subprocess.run(
        [terraform_bin, "fmt", "-check", "-diff", "-no-color", str(path)],
        capture_output=True,
        text=True,
        env=terraform_env,
        timeout=60,
        check=False,
    )
    assert fmt.returncode == 0, fmt.stdout


def test_named_files_are_restored_alone() -> None:
    """pre-commit passes the staged files: their siblings stay as they are."""
    commented = _commented(PARTIAL).encode()
    files = {"main.tf": commented, "other.tf": commented.replace(b"terraform {", b"terraform  {")}
    result = _run(files, RestoreRequest(), context_only=frozenset({"envs/prod/other.tf"}))
    assert not result.problems
    assert _texts(result) == {"main.tf": PARTIAL.decode()}


def test_terraform_fmt_after_a_persons_line_does_not_block_restore(
    tmp_path: Path, terraform_bin: str, terraform_env: dict[str, str]
) -> None:
    fixed = _texts(_run({"main.tf": COMPLETE}, FixRequest()))["main.tf"]
    assert fixed is not None
    # A person adds a longer argument to the group the fix added, then runs fmt,
    # which realigns the fix's lines.
    path = tmp_path / "main.tf"
    path.write_text(
        fixed.replace(
            "    encrypt      = true\n",
            "    encrypt      = true\n    skip_region_validation = true\n",
        )
    )
    subprocess.run(
        [terraform_bin, "fmt", str(path)], env=terraform_env, check=True, capture_output=True
    )
    formatted = path.read_text()
    assert "    use_lockfile = true\n" not in formatted  # realigned by fmt
    result = _run({"main.tf": formatted.encode()}, RestoreRequest())
    assert not result.problems, [str(p) for p in result.problems]
    restored = _texts(result)["main.tf"]
    assert restored is not None
    assert "use_lockfile" not in restored and "encrypt" not in restored
    assert "skip_region_validation = true" in restored
