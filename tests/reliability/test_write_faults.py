"""Faults while ``fix --write`` writes: the original survives, no temp file is left, one line says why.

``tests/runner/test_files.py`` proves each fault at the level of ``write_atomic``;
these drive the whole command (``main()`` in-process, so the faults can be
monkeypatched) over a repository of two modules, fault one file, and check that
the faulted file keeps its bytes (or the bytes someone else saved), that no
temporary file is left anywhere, that the message is the expected line, that
the exit code is 2, and that the other module is still written.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from reliability_cli import PARTIAL, Outcome, make_module, run_main

from fixer.runner import engine, files

COMMENTED = b"backend-fixer:begin local-state"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    make_module(root, "alpha", {"main.tf": PARTIAL})
    make_module(root, "beta", {"main.tf": PARTIAL, "outputs.tf": b'output "x" {\n  value = 1\n}\n'})
    return root


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if files.is_temp_file(p.name)]


def assert_fault_handled(outcome: Outcome, repo: Path, message: str) -> None:
    """beta/main.tf intact with ``message`` as the only error; alpha written; no temp files."""
    assert "Traceback" not in outcome.text
    assert outcome.errors == [message]
    assert outcome.code == 2
    assert temp_files(repo) == []
    assert COMMENTED in (repo / "alpha" / "main.tf").read_bytes()
    assert "Changed 1 file:\n  alpha/main.tf\n" in outcome.err


def fix(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *extra: str
) -> Outcome:
    return run_main("fix", ".", "--write", *extra, cwd=repo, monkeypatch=monkeypatch, capsys=capsys)


def _is_beta(name: object) -> bool:
    return isinstance(name, str | os.PathLike) and "beta" in os.fspath(name)


def test_an_exception_in_write(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_open = open
    real_os_open = os.open
    beta_fds: set[int] = set()

    def os_opening(name, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        fd = real_os_open(name, flags, *args, **kwargs)
        if flags & os.O_CREAT and _is_beta(name):
            beta_fds.add(fd)
        return fd

    class FullDisk:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            return self.handle.__exit__(*exc)

        def write(self, data: bytes) -> int:
            self.handle.write(data[:5])  # part of it lands, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self.handle, name)

    def opening(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        handle = real_open(target, *args, **kwargs)
        return FullDisk(handle) if target in beta_fds else handle

    monkeypatch.setattr(os, "open", os_opening)
    monkeypatch.setattr(files, "open", opening, raising=False)
    outcome = fix(repo, monkeypatch, capsys)
    assert_fault_handled(
        outcome,
        repo,
        "beta/main.tf: cannot write a temporary file: No space left on device; not written",
    )
    assert (repo / "beta" / "main.tf").read_bytes() == PARTIAL


def test_an_exception_in_fsync(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_fsync = os.fsync

    def failing(fd: int) -> None:
        if "beta" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing)
    outcome = fix(repo, monkeypatch, capsys)
    assert_fault_handled(
        outcome,
        repo,
        "beta/main.tf: cannot write a temporary file: Input/output error; not written",
    )
    assert (repo / "beta" / "main.tf").read_bytes() == PARTIAL


def test_an_exception_in_rename(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_replace = os.replace

    def failing(source, target):  # type: ignore[no-untyped-def]
        if _is_beta(target):
            assert files.is_temp_file(os.path.basename(source)) and os.path.exists(source)
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    outcome = fix(repo, monkeypatch, capsys)
    assert_fault_handled(
        outcome,
        repo,
        "beta/main.tf: cannot replace the file: Invalid cross-device link; not written",
    )
    assert (repo / "beta" / "main.tf").read_bytes() == PARTIAL


EDITED_SAME_SIZE = PARTIAL.replace(b'"s3"', b'"gc"')
EDITED_LONGER = PARTIAL + b"# saved by an editor meanwhile\n"


@pytest.mark.parametrize(
    ("edited", "keep_mtime", "message"),
    [
        pytest.param(EDITED_LONGER, False, "file changed after it was read", id="grown"),
        # Same size and the old mtime put back: only the content hash can tell.
        pytest.param(
            EDITED_SAME_SIZE,
            True,
            "file content changed after it was read",
            id="same-size-same-mtime",
        ),
    ],
)
def test_a_file_changed_between_read_and_write(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    edited: bytes,
    keep_mtime: bool,
    message: str,
) -> None:
    real_write = engine.write_atomic
    target = repo / "beta" / "main.tf"

    def editor_saves_first(snapshot, data, *, root):  # type: ignore[no-untyped-def]
        if _is_beta(snapshot.path):
            before = os.stat(target)
            target.write_bytes(edited)
            if keep_mtime:
                os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
        return real_write(snapshot, data, root=root)

    monkeypatch.setattr(engine, "write_atomic", editor_saves_first)
    outcome = fix(repo, monkeypatch, capsys)
    assert_fault_handled(outcome, repo, f"beta/main.tf: {message}; not written")
    assert target.read_bytes() == edited  # the editor's bytes, not ours


def test_a_file_changed_while_the_temp_file_is_written(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The last look, with the content hash, comes after the temp file is synced.
    real_fsync = os.fsync
    target = repo / "beta" / "main.tf"

    def saving_meanwhile(fd: int) -> None:
        real_fsync(fd)
        name = os.readlink(f"/proc/self/fd/{fd}")
        if "beta" in name and files.is_temp_file(os.path.basename(name)):
            before = os.stat(target)
            target.write_bytes(EDITED_SAME_SIZE)
            os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))

    monkeypatch.setattr(os, "fsync", saving_meanwhile)
    outcome = fix(repo, monkeypatch, capsys)
    assert_fault_handled(
        outcome, repo, "beta/main.tf: file content changed after it was read; not written"
    )
    assert target.read_bytes() == EDITED_SAME_SIZE


def test_a_file_removed_or_replaced_between_read_and_write(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_write = engine.write_atomic
    target = repo / "beta" / "main.tf"

    def removing(snapshot, data, *, root):  # type: ignore[no-untyped-def]
        if _is_beta(snapshot.path):
            target.unlink()
        return real_write(snapshot, data, root=root)

    monkeypatch.setattr(engine, "write_atomic", removing)
    outcome = fix(repo, monkeypatch, capsys)
    assert_fault_handled(outcome, repo, "beta/main.tf: file no longer exists; not written")
    assert not target.exists()


def _read_only(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``directory`` refuse new files: the mode bits, and a patched ``os.open`` for root."""
    directory.chmod(0o555)
    probe = directory / "probe"
    try:
        probe.write_bytes(b"")
    except PermissionError:
        return
    probe.unlink()
    real_open = os.open

    def refusing(name, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & os.O_CREAT and os.path.dirname(os.path.abspath(name)) == str(directory):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)


def test_a_read_only_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    beta = repo / "beta"
    before = sorted(os.listdir(beta))
    _read_only(beta, monkeypatch)
    try:
        outcome = fix(repo, monkeypatch, capsys)
    finally:
        beta.chmod(0o755)
    assert_fault_handled(
        outcome,
        repo,
        f"beta/main.tf: directory {beta} is not writable (Permission denied); not written",
    )
    assert (beta / "main.tf").read_bytes() == PARTIAL
    assert sorted(os.listdir(beta)) == before


def test_override_mode_in_a_read_only_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    beta = repo / "beta"
    before = sorted(os.listdir(beta))
    _read_only(beta, monkeypatch)
    try:
        outcome = fix(repo, monkeypatch, capsys, "--mode", "override")
    finally:
        beta.chmod(0o755)
    assert "Traceback" not in outcome.text
    assert outcome.errors == [
        f"beta/backend_override.tf: directory {beta} is not writable (Permission denied); not written"
    ]
    assert outcome.code == 2
    assert sorted(os.listdir(beta)) == before
    assert (repo / "alpha" / "backend_override.tf").exists()
    assert temp_files(repo) == []


def test_override_file_appearing_before_it_is_created(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Someone else writes backend_override.tf after we planned: theirs is kept.
    real_create = engine.create_file
    theirs = b'terraform {\n  backend "local" {\n    path = "mine.tfstate"\n  }\n}\n'

    def racing(path, data, *, root, replacing=None):  # type: ignore[no-untyped-def]
        if _is_beta(path):
            Path(path).write_bytes(theirs)
        return real_create(path, data, root=root, replacing=replacing)

    monkeypatch.setattr(engine, "create_file", racing)
    outcome = fix(repo, monkeypatch, capsys, "--mode", "override")
    assert outcome.errors == ["beta/backend_override.tf: already exists; refusing to overwrite it"]
    assert outcome.code == 2
    assert (repo / "beta" / "backend_override.tf").read_bytes() == theirs
    assert temp_files(repo) == []


def test_an_interrupt_mid_write_leaves_the_original(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    outcome = fix(repo, monkeypatch, capsys)
    assert outcome.code == 130  # typer turns the interrupt into exit 130, quietly
    assert "Traceback" not in outcome.text
    assert (repo / "alpha" / "main.tf").read_bytes() == PARTIAL
    assert (repo / "beta" / "main.tf").read_bytes() == PARTIAL
    assert temp_files(repo) == []


def test_runner_reports_write_faults_per_module(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine API gives the same answer as the command line."""
    from fixer.fixes.plan import FixOptions
    from fixer.runner.engine import Runner, RunOptions

    def failing(source, target):  # type: ignore[no-untyped-def]
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "replace", failing)
    runner = Runner(RunOptions(paths=(str(repo),), fix=FixOptions(), write=True))
    results = {Path(r.directory).name: r for r in runner.results()}
    for name in ("alpha", "beta"):
        assert results[name].files == ()
        assert [str(p) for p in results[name].problems] == [
            f"{repo / name / 'main.tf'}: cannot replace the file: Read-only file system; not written"
        ]
        assert (repo / name / "main.tf").read_bytes() == PARTIAL
    assert temp_files(repo) == []
