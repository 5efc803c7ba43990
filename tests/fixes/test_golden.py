"""Golden before/after samples for every fix mode and targeted fix.

Each ``samples/fixes/<case>/`` holds a module in ``before/``, a ``case.toml``
listing runs (mode and options) and, per run, ``after-<run>/`` with exactly the
files that run changes or creates. Every run goes through the pipeline on the
files' bytes in memory (the runner's own tests cover reading and writing), in LF
and in a CRLF twin made here from the LF files, and is checked for: the expected
bytes, the output parsing, the changed lines lying inside the backend block, a
second run changing nothing, ``restore`` giving back the original (comment
mode), and ``terraform fmt -check`` passing after the fix when it passed
before. ``UPDATE_GOLDEN=1`` rewrites the ``after-*`` directories from the
current output (review the diff!).
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixer.fixes.plan import FixOptions
from fixer.pipeline import (
    BackendValues,
    FileResult,
    FixRequest,
    ModuleFacts,
    ModuleInput,
    RestoreRequest,
    process_module,
)
from fixer.syntax import backend_blocks, parse
from fixer.terraform import group_into_modules

CASES = Path(__file__).resolve().parents[2] / "samples" / "fixes"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@dataclass(frozen=True)
class GoldenRun:
    case: str
    name: str
    mode: str
    sets: dict[str, str]
    unsafe: bool
    keep_dynamodb_table: bool

    @property
    def before(self) -> Path:
        return CASES / self.case / "before"

    @property
    def after(self) -> Path:
        return CASES / self.case / f"after-{self.name}"


def _runs() -> list[GoldenRun]:
    runs = []
    for case in sorted(p for p in CASES.iterdir() if (p / "case.toml").is_file()):
        spec = tomllib.loads((case / "case.toml").read_text())
        for run in spec["run"]:
            runs.append(
                GoldenRun(
                    case.name,
                    run["name"],
                    run.get("mode", "comment"),
                    dict(run.get("set", {})),
                    run.get("unsafe", False),
                    run.get("keep_dynamodb_table", False),
                )
            )
    return runs


RUNS = _runs()


def _crlf(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _module_files(source: Path, crlf: bool) -> dict[str, bytes]:
    """The module's files as raw bytes (a CRLF twin made here), by file name."""
    return {
        path.name: (_crlf(path.read_bytes()) if crlf else path.read_bytes())
        for path in sorted(source.iterdir())
    }


def _input(run: GoldenRun, files: dict[str, bytes]) -> ModuleInput:
    """The module as the pipeline takes it: under a directory named after the case."""
    directory = f"golden/{run.case}"
    contents = {f"{directory}/{name}": data for name, data in files.items()}
    (module,) = group_into_modules(contents)
    return ModuleInput(module, contents, ModuleFacts(module_path=run.case))


def _fix(run: GoldenRun, files: dict[str, bytes]) -> list[FileResult]:
    """Fix the module in memory through the pipeline; no file is read or written."""
    request = FixRequest(
        fix=FixOptions(
            mode=run.mode, unsafe=run.unsafe, keep_dynamodb_table=run.keep_dynamodb_table
        ),
        values=BackendValues(sets=run.sets),
    )
    result = process_module(_input(run, files), request, raise_internal_errors=True)
    assert not result.problems, [str(p) for p in result.problems]
    return list(result.files)


def _applied(files: dict[str, bytes], results: list[FileResult]) -> dict[str, bytes]:
    """``files`` after ``results``: what writing them would leave."""
    after = dict(files)
    for result in results:
        name = Path(result.path).name
        if result.new_text is None:
            del after[name]
        else:
            after[name] = result.new_text.encode("utf-8")
    return after


def _changed_lines_inside_blocks(old: str, new: str) -> bool:
    """Independent of the engine: every changed line of ``old`` belongs to a backend block."""
    tree = parse(old)
    lines = old.splitlines(keepends=True)
    allowed: set[int] = set()
    for block in backend_blocks(tree):
        allowed.update(range(block.line - 1, block.end_line))
    matcher = difflib.SequenceMatcher(a=lines, b=new.splitlines(keepends=True), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        touched = range(i1, i2) if i2 > i1 else range(max(i1 - 1, 0), i1 + 1)
        if tag == "insert":
            # An insertion sits between two lines; one of them must be in a block.
            if not (set(touched) & allowed):
                return False
        elif not set(touched) <= allowed:
            return False
    return True


def test_cases_cover_the_promised_situations() -> None:
    names = {run.case for run in RUNS}
    for needed in (
        "seed-provider",
        "one-line-1-11",
        "comments-inside",
        "tabs",
        "no-final-newline",
        "tfbackend",
        "requires-1-5",
    ):
        assert needed in names
    assert {run.mode for run in RUNS} == {"comment", "complete", "override"}


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("run", RUNS, ids=[f"{r.case}/{r.name}" for r in RUNS])
def test_golden_fix(run: GoldenRun, crlf: bool) -> None:
    files = _module_files(run.before, crlf)
    results = _fix(run, files)
    produced = {Path(r.path).name: r for r in results}

    if UPDATE and not crlf:
        shutil.rmtree(run.after, ignore_errors=True)
        run.after.mkdir()
        for name, result in produced.items():
            (run.after / name).write_bytes(result.new_text.encode("utf-8"))

    expected = {p.name: p.read_bytes() for p in run.after.iterdir()} if run.after.is_dir() else {}
    assert set(produced) == set(expected), "the run changes other files than the golden sample says"
    for name, result in produced.items():
        want = _crlf(expected[name]) if crlf else expected[name]
        assert result.new_text.encode("utf-8") == want, (
            f"{name} differs from after-{run.name}/{name}"
        )
        if result.old_text is not None:
            parse(result.new_text)
            assert _changed_lines_inside_blocks(result.old_text, result.new_text)

    # On the fixed files, a second run finds nothing more to change.
    assert _fix(run, _applied(files, results)) == []


def _comments_out(run: GoldenRun) -> bool:
    return run.after.is_dir() and any(
        b"backend-fixer:begin" in p.read_bytes() for p in run.after.iterdir()
    )


@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize(
    "run", [r for r in RUNS if _comments_out(r)], ids=lambda r: f"{r.case}/{r.name}"
)
def test_comment_then_restore_is_byte_identical(run: GoldenRun, crlf: bool) -> None:
    original = _module_files(run.before, crlf)
    fixed = _applied(original, _fix(run, original))
    result = process_module(_input(run, fixed), RestoreRequest(), raise_internal_errors=True)
    assert not result.problems, [str(p) for p in result.problems]
    assert _applied(fixed, list(result.files)) == original


@pytest.mark.parametrize("run", RUNS, ids=[f"{r.case}/{r.name}" for r in RUNS])
def test_fmt_clean_stays_fmt_clean(
    run: GoldenRun, terraform_bin: str, terraform_env: dict[str, str]
) -> None:
    for after in sorted(run.after.glob("*.tf")) if run.after.is_dir() else []:
        before = run.before / after.name
        if before.is_file() and not _fmt_clean(terraform_bin, terraform_env, before):
            continue
        assert _fmt_clean(terraform_bin, terraform_env, after), (
            f"{after} is not terraform fmt clean"
        )


def _fmt_clean(binary: str, env: dict[str, str], path: Path) -> bool:
    result = subprocess.run(
        [binary, "fmt", "-check", "-no-color", str(path)],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    return result.returncode == 0
