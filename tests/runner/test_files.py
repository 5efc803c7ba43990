"""Reading snapshots and writing atomically, on real files under ``tmp_path``.

Each fault is provoked for real where the file system allows it and by
monkeypatching where it does not (root reads a chmod-000 file and writes into a
read-only directory). Every failing write checks the same three things: the
original bytes are intact, no temporary file is left, and the message is the
expected one line.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from fixer.runner import files
from fixer.runner.files import (
    DEFAULT_SIZE_LIMIT,
    FileProblem,
    FileSnapshot,
    ReadError,
    TextStyle,
    WriteError,
    create_file,
    delete_file,
    read_file,
    style_changes,
    try_read_file,
    write_atomic,
)
from fixer.syntax import ParseError, decode

BACKEND = b'terraform {\n  backend "s3" {}\n}\n'
FIXED = b'terraform {\n  # backend "s3" {}\n}\n'


def listing(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


def assert_intact(path: Path, data: bytes, before: list[str]) -> None:
    """The original is byte for byte what it was and the directory holds nothing new."""
    assert path.read_bytes() == data
    assert listing(path.parent) == before
    assert not [name for name in listing(path.parent) if files.is_temp_file(name)]


@pytest.fixture
def module(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "network").mkdir(parents=True)
    (root / "network" / "main.tf").write_bytes(BACKEND)
    return root


# -- reading -----------------------------------------------------------------------------


def test_snapshot_records_what_identifies_the_version(module: Path) -> None:
    path = module / "network" / "main.tf"
    path.chmod(0o640)
    snapshot = read_file(path)
    info = os.stat(path)
    assert snapshot.data == BACKEND
    assert snapshot.size == len(BACKEND)
    assert snapshot.sha256 == hashlib.sha256(BACKEND).hexdigest()
    assert snapshot.mtime_ns == info.st_mtime_ns
    assert stat.S_IMODE(snapshot.mode) == 0o640
    assert (snapshot.device, snapshot.inode) == (info.st_dev, info.st_ino)
    assert (snapshot.uid, snapshot.gid) == (info.st_uid, info.st_gid)
    assert "terraform" not in repr(snapshot)  # no file content in reprs


def test_empty_file_is_a_valid_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "empty.tf"
    path.write_bytes(b"")
    snapshot = read_file(path)
    assert snapshot.data == b""
    assert snapshot.style == TextStyle(
        bom=False, newline="\n", mixed_newlines=False, has_line_breaks=False, final_newline=False
    )


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"\x00GITCRYPT\x00" + bytes(range(256)), "binary file (git-crypt encrypted), skipped"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image), skipped"),
        (b"PK\x03\x04\x14\x00\x00\x00", "binary file (ZIP archive), skipped"),
        (b"\x1f\x8b\x08\x00", "binary file (gzip data), skipped"),
        (b'variable "x" {}\n\x00\x01\x02', "binary file (NUL byte at offset 16), skipped"),
    ],
    ids=["git-crypt", "png", "zip", "gzip", "nul"],
)
def test_binary_files_are_recognised_from_their_first_bytes(
    tmp_path: Path, head: bytes, message: str
) -> None:
    path = tmp_path / "secrets.tf"
    path.write_bytes(head)
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert caught.value.problem == FileProblem(path, message, "binary")
    assert str(caught.value) == f"{path}: {message}"


def test_a_binary_file_is_skipped_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "terraform.tf"
    with open(path, "wb") as handle:
        handle.write(b"\x00GITCRYPT\x00")
        handle.truncate(32 * 1024 * 1024)  # sparse: 32 MiB that cost nothing to make
    asked: list[int] = []
    real_open = open

    class Counting:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            return self.handle.__exit__(*exc)

        def read(self, size: int = -1) -> bytes:
            asked.append(size)
            return self.handle.read(size)

    monkeypatch.setattr(files, "open", lambda *a, **k: Counting(real_open(*a, **k)), raising=False)
    assert try_read_file(path).kind == "binary"  # type: ignore[union-attr]
    assert asked == [files.SNIFF_BYTES]


def test_invalid_utf8_in_the_first_bytes_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.tf"
    path.write_bytes(b'terraform {\n  # caf\xe9\n  backend "s3" {}\n}\n')
    problem = try_read_file(path)
    assert problem == FileProblem(path, "not UTF-8 text (byte 0xe9), skipped", "not-utf8", 2, 8)
    assert str(problem) == f"{path}:2:8: not UTF-8 text (byte 0xe9), skipped"


def test_invalid_utf8_later_in_the_file_is_left_to_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "late.tf"
    body = b"# " + b"x" * 10_000 + b"\n# caf\xe9\n"
    path.write_bytes(body)
    snapshot = read_file(path)
    assert snapshot.data == body
    with pytest.raises(ParseError) as caught:
        decode(snapshot.data, str(path))
    assert (caught.value.line, caught.value.column) == (2, 6)


def test_a_character_cut_by_the_sniff_window_is_not_mistaken_for_bad_utf8(tmp_path: Path) -> None:
    path = tmp_path / "euro.tf"
    # "€" is three bytes; put its first byte at the window's last position.
    body = b"#" * (files.SNIFF_BYTES - 1) + "€\n".encode()
    path.write_bytes(body)
    assert read_file(path).data == body


def test_a_50_mb_generated_file_is_read_and_written(tmp_path: Path) -> None:
    block = b'variable "v" {\n  type    = string\n  default = "generated"\n}\n\n'
    body = BACKEND + block * (50_000_000 // len(block))
    assert len(body) >= 50_000_000
    path = tmp_path / "generated.tf"
    path.write_bytes(body)
    snapshot = read_file(path)
    assert snapshot.size == len(body)
    assert snapshot.sha256 == hashlib.sha256(body).hexdigest()
    write_atomic(snapshot, FIXED + body[len(BACKEND) :], root=tmp_path)
    assert path.read_bytes()[: len(FIXED)] == FIXED
    assert path.stat().st_size == len(body) + 2


def test_files_above_the_size_limit_are_skipped_unread(tmp_path: Path) -> None:
    assert DEFAULT_SIZE_LIMIT >= 64 * 1024 * 1024
    path = tmp_path / "huge.tf"
    with open(path, "wb") as handle:
        handle.truncate(DEFAULT_SIZE_LIMIT + 1)
    problem = try_read_file(path)
    assert problem == FileProblem(
        path, "file is too large (64.0 MiB, limit 64.0 MiB), skipped", "too-large"
    )
    small = tmp_path / "small.tf"
    small.write_bytes(BACKEND)
    assert try_read_file(small, size_limit=10) == FileProblem(
        small, f"file is too large ({len(BACKEND)} bytes, limit 10 bytes), skipped", "too-large"
    )


def test_fifos_and_directories_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.tf"
    os.mkfifo(fifo)
    assert try_read_file(fifo) == FileProblem(fifo, "not a regular file, skipped", "not-regular")
    folder = tmp_path / "folder.tf"
    folder.mkdir()
    assert try_read_file(folder) == FileProblem(folder, "a directory, skipped", "not-regular")


def test_missing_file_and_symlink_loop(tmp_path: Path) -> None:
    missing = tmp_path / "gone.tf"
    assert try_read_file(missing) == FileProblem(missing, "no such file", "missing")
    (tmp_path / "a.tf").symlink_to("b.tf")
    (tmp_path / "b.tf").symlink_to("a.tf")
    problem = try_read_file(tmp_path / "a.tf")
    assert isinstance(problem, FileProblem)
    assert problem.kind == "symlink-loop"
    assert str(problem).startswith(f"{tmp_path / 'a.tf'}: cannot read: ")


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.tf"
    path.write_bytes(BACKEND)
    path.chmod(0)
    try:
        open(path, "rb").close()
    except PermissionError:
        pass  # an ordinary user: the real file system refuses
    else:
        # Root reads anything; refuse this one path the way the kernel would.
        real_open = os.open

        def refusing(name, *args, **kwargs):  # type: ignore[no-untyped-def]
            if os.fspath(name) == os.fspath(path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(name))
            return real_open(name, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing)
    assert try_read_file(path) == FileProblem(path, "cannot read: Permission denied")


def test_file_names_with_control_characters_stay_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "two\nlines.tf"
    path.write_bytes(b"\x00")
    message = str(try_read_file(path))
    assert "\n" not in message
    assert "two\\nlines.tf" in message


# -- text style ---------------------------------------------------------------------------


def test_text_style_measures_bom_newlines_and_final_newline() -> None:
    assert TextStyle.of(b"\xef\xbb\xbfa\r\nb\r\n") == TextStyle(True, "\r\n", False, True, True)
    assert TextStyle.of(b"a\nb") == TextStyle(False, "\n", False, True, False)
    assert TextStyle.of(b"a\r\nb\r\nc\n") == TextStyle(False, "\r\n", True, True, True)
    assert TextStyle.of(b"one line") == TextStyle(False, "\n", False, False, False)


def test_style_changes_names_what_a_fix_broke() -> None:
    crlf_bom = b"\xef\xbb\xbfterraform {\r\n}\r\n"
    assert style_changes(crlf_bom, b"\xef\xbb\xbf# terraform {\r\n# }\r\n") == ()
    assert style_changes(crlf_bom, b"terraform {\r\n}\r\n") == (
        "the UTF-8 byte order mark was removed",
    )
    assert style_changes(crlf_bom, b"\xef\xbb\xbfterraform {\r\n  x = 1\n}\r\n") == (
        "line breaks changed from CRLF to mixed",
    )
    assert style_changes(b"a\nb\n", b"a\r\nb\r\n") == ("line breaks changed from LF to CRLF",)
    assert style_changes(b"a\nb\n", b"a\nb") == ("the final newline was removed",)
    assert style_changes(b"a\nb", b"a\nb\n") == ("a final newline was added",)
    # No rule to keep: one-line, mixed and empty originals.
    assert style_changes(b"a", b"a\r\nb") == ()
    assert style_changes(b"a\r\nb\n", b"a\nb\r\nc\n") == ()
    assert style_changes(b"", b"a\n") == ()


def test_a_write_that_keeps_the_style_keeps_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    original = b'\xef\xbb\xbfterraform {\r\n  backend "s3" {}\r\n}'
    path.write_bytes(original)
    snapshot = read_file(path)
    new = original.replace(b'  backend "s3" {}', b'  # backend "s3" {}')
    assert style_changes(snapshot.data, new) == ()
    write_atomic(snapshot, new, root=tmp_path)
    assert path.read_bytes() == new
    assert read_file(path).style == snapshot.style


# -- writing: success ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o600, 0o755, 0o664])
def test_write_replaces_content_and_keeps_the_mode(module: Path, mode: int) -> None:
    path = module / "network" / "main.tf"
    path.chmod(mode)
    before = listing(path.parent)
    snapshot = read_file(path)
    write_atomic(snapshot, FIXED, root=module)
    assert path.read_bytes() == FIXED
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert listing(path.parent) == before


def test_write_keeps_the_owner(module: Path) -> None:
    path = module / "network" / "main.tf"
    if os.geteuid() == 0:
        os.chown(path, 12345, 23456)  # root can give the file to anyone
    owner = (path.stat().st_uid, path.stat().st_gid)
    write_atomic(read_file(path), FIXED, root=module)
    assert (path.stat().st_uid, path.stat().st_gid) == owner
    assert path.read_bytes() == FIXED


def test_write_through_a_symlink_inside_the_root_rewrites_the_target(module: Path) -> None:
    target = module / "network" / "main.tf"
    link = module / "main.tf"
    link.symlink_to("network/main.tf")
    write_atomic(read_file(link), FIXED, root=module)
    assert link.is_symlink()
    assert target.read_bytes() == FIXED


# -- writing: refusals and faults -----------------------------------------------------


def test_symlink_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    outside = tmp_path / "elsewhere" / "shared.tf"
    outside.parent.mkdir()
    outside.write_bytes(BACKEND)
    link = root / "shared.tf"
    link.symlink_to(outside)
    before = listing(outside.parent)
    snapshot = read_file(link)
    with pytest.raises(WriteError) as caught:
        write_atomic(snapshot, FIXED, root=root)
    assert str(caught.value) == (
        f"{link}: symlink leads out of {root} (to {outside}); refusing to write"
    )
    assert_intact(outside, BACKEND, before)
    assert link.is_symlink()


def test_a_directory_symlinked_out_of_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "shared").mkdir()
    outside = tmp_path / "shared" / "main.tf"
    outside.write_bytes(BACKEND)
    (root / "modules").symlink_to(tmp_path / "shared")
    path = root / "modules" / "main.tf"
    with pytest.raises(WriteError) as caught:
        write_atomic(read_file(path), FIXED, root=root)
    assert str(caught.value) == (
        f"{path}: file lies outside {root} (at {outside}); refusing to write"
    )
    assert outside.read_bytes() == BACKEND


def test_a_fifo_is_not_written(module: Path) -> None:
    snapshot = read_file(module / "network" / "main.tf")
    fifo = module / "network" / "pipe.tf"
    os.mkfifo(fifo)
    with pytest.raises(WriteError) as caught:
        write_atomic(replace(snapshot, path=fifo), FIXED, root=module)
    assert str(caught.value) == f"{fifo}: not a regular file; refusing to write"


def test_hard_linked_files_are_not_split(module: Path) -> None:
    path = module / "network" / "main.tf"
    os.link(path, module / "network" / "copy.tf")
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        write_atomic(read_file(path), FIXED, root=module)
    assert str(caught.value) == (f"{path}: file has 2 hard links; replacing it would split them")
    assert_intact(path, BACKEND, before)


def test_content_changed_between_read_and_write(module: Path) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)
    path.write_bytes(BACKEND + b"# edited\n")
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        write_atomic(snapshot, FIXED, root=module)
    assert str(caught.value) == f"{path}: file changed after it was read; not written"
    assert_intact(path, BACKEND + b"# edited\n", before)


def test_same_size_different_bytes_with_mtime_restored_is_caught(module: Path) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)
    sneaky = BACKEND.replace(b"s3", b"gc")
    assert len(sneaky) == len(BACKEND)
    path.write_bytes(sneaky)
    os.utime(path, ns=(snapshot.mtime_ns, snapshot.mtime_ns))
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        write_atomic(snapshot, FIXED, root=module)
    assert str(caught.value) == f"{path}: file content changed after it was read; not written"
    assert_intact(path, sneaky, before)


def test_a_change_while_the_temp_file_is_written_is_caught(
    module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)
    sneaky = BACKEND.replace(b"s3", b"gc")
    real_fsync = os.fsync

    def editor_saves(fd: int) -> None:
        # An editor saves in place, keeping size and mtime, while we sync our temp file.
        path.write_bytes(sneaky)
        os.utime(path, ns=(snapshot.mtime_ns, snapshot.mtime_ns))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", editor_saves)
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        write_atomic(snapshot, FIXED, root=module)
    assert str(caught.value) == f"{path}: file content changed after it was read; not written"
    assert_intact(path, sneaky, before)


def test_a_file_replaced_or_removed_after_reading(module: Path) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)
    fresh = module / "network" / "fresh"
    fresh.write_bytes(BACKEND)
    os.utime(fresh, ns=(snapshot.mtime_ns, snapshot.mtime_ns))
    os.replace(fresh, path)  # what an editor's "safe write" does
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        write_atomic(snapshot, FIXED, root=module)
    assert str(caught.value) == f"{path}: file was replaced after it was read; not written"
    assert_intact(path, BACKEND, before)
    path.unlink()
    with pytest.raises(WriteError) as caught:
        write_atomic(snapshot, FIXED, root=module)
    assert str(caught.value) == f"{path}: file no longer exists; not written"
    assert not path.exists()


def test_an_exception_in_write_leaves_the_original(
    module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)
    real_open = open

    class FullDisk:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            return self.handle.__exit__(*exc)

        def write(self, data: bytes) -> int:
            self.handle.write(data[:3])  # a partial write, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def opening(*args, **kwargs):  # type: ignore[no-untyped-def]
        handle = real_open(*args, **kwargs)
        return FullDisk(handle) if "w" in (args[1] if len(args) > 1 else kwargs["mode"]) else handle

    monkeypatch.setattr(files, "open", opening, raising=False)
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        write_atomic(snapshot, FIXED, root=module)
    assert str(caught.value) == (
        f"{path}: cannot write a temporary file: No space left on device; not written"
    )
    assert_intact(path, BACKEND, before)


def test_an_exception_in_fsync_leaves_the_original(
    module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)

    def failing(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", failing)
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        write_atomic(snapshot, FIXED, root=module)
    assert str(caught.value) == (
        f"{path}: cannot write a temporary file: Input/output error; not written"
    )
    assert_intact(path, BACKEND, before)


def test_an_exception_in_rename_leaves_the_original(
    module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)

    def failing(source: str, target: str) -> None:
        assert os.path.exists(source)  # the temp file is there, synced, when the rename fails
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY))

    monkeypatch.setattr(os, "replace", failing)
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        write_atomic(snapshot, FIXED, root=module)
    assert str(caught.value) == (
        f"{path}: cannot replace the file: Device or resource busy; not written"
    )
    assert_intact(path, BACKEND, before)


def test_an_interrupt_mid_write_leaves_the_original_and_propagates(
    module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    before = listing(path.parent)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(snapshot, FIXED, root=module)
    assert_intact(path, BACKEND, before)


def _refuse_creation_in(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``directory`` read-only for real, and by monkeypatching if we are root."""
    directory.chmod(0o555)
    probe = directory / "probe"
    try:
        probe.write_bytes(b"")
    except PermissionError:
        return  # an ordinary user: the real permission bits refuse
    probe.unlink()
    real_open = os.open

    def refusing(name, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & os.O_CREAT and os.path.dirname(os.path.abspath(name)) == str(directory):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), name)
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)


def test_a_read_only_directory_leaves_the_original(
    module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)
    before = listing(path.parent)
    _refuse_creation_in(path.parent, monkeypatch)
    try:
        with pytest.raises(WriteError) as caught:
            write_atomic(snapshot, FIXED, root=module)
        assert str(caught.value) == (
            f"{path}: directory {path.parent} is not writable (Permission denied); not written"
        )
        assert_intact(path, BACKEND, before)
    finally:
        path.parent.chmod(0o755)


def test_a_failing_directory_sync_says_the_file_was_written(
    module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)
    real_fsync = os.fsync

    def failing_on_directories(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_on_directories)
    with pytest.raises(WriteError) as caught:
        write_atomic(snapshot, FIXED, root=module)
    assert str(caught.value) == (
        f"{path}: written, but syncing its directory failed: Input/output error"
    )
    assert path.read_bytes() == FIXED


# -- creating ---------------------------------------------------------------------------


def test_create_file_makes_a_new_file_with_the_umask_mode(module: Path) -> None:
    path = module / "network" / "backend_override.tf"
    umask = os.umask(0o022)
    try:
        create_file(path, b'terraform {\n  backend "local" {}\n}\n', root=module)
    finally:
        os.umask(umask)
    assert path.read_bytes() == b'terraform {\n  backend "local" {}\n}\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert listing(path.parent) == ["backend_override.tf", "main.tf"]


def test_create_file_never_overwrites(module: Path) -> None:
    path = module / "network" / "main.tf"
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        create_file(path, FIXED, root=module)
    assert str(caught.value) == f"{path}: already exists; refusing to overwrite it"
    assert_intact(path, BACKEND, before)
    dangling = module / "network" / "dangling.tf"
    dangling.symlink_to("nowhere.tf")
    with pytest.raises(WriteError):
        create_file(dangling, FIXED, root=module)
    assert not (module / "network" / "nowhere.tf").exists()


def test_create_file_replaces_only_with_the_snapshot(module: Path) -> None:
    path = module / "network" / "main.tf"
    create_file(path, FIXED, root=module, replacing=read_file(path))
    assert path.read_bytes() == FIXED


def test_create_file_outside_the_root_is_refused(tmp_path: Path, module: Path) -> None:
    path = tmp_path / "backend_override.tf"
    with pytest.raises(WriteError) as caught:
        create_file(path, FIXED, root=module)
    assert str(caught.value) == f"{path}: lies outside {module}; refusing to write"
    assert not path.exists()


def test_create_file_loses_a_race_without_clobbering(
    module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = module / "network" / "backend_override.tf"
    real_link = os.link

    def someone_was_faster(source: str, target: str, **kwargs: object) -> None:
        Path(target).write_bytes(b"theirs\n")
        real_link(source, target)

    monkeypatch.setattr(os, "link", someone_was_faster)
    with pytest.raises(WriteError) as caught:
        create_file(path, FIXED, root=module)
    assert str(caught.value) == f"{path}: already exists; refusing to overwrite it"
    assert path.read_bytes() == b"theirs\n"
    assert listing(path.parent) == ["backend_override.tf", "main.tf"]


def test_create_file_without_hard_links(module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unsupported(source: str, target: str, **kwargs: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", unsupported)
    path = module / "network" / "backend_override.tf"
    create_file(path, FIXED, root=module)
    assert path.read_bytes() == FIXED
    assert listing(path.parent) == ["backend_override.tf", "main.tf"]


def test_create_file_fault_leaves_nothing(module: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", failing)
    path = module / "network" / "backend_override.tf"
    with pytest.raises(WriteError) as caught:
        create_file(path, FIXED, root=module)
    assert str(caught.value) == (
        f"{path}: cannot write a temporary file: Input/output error; not written"
    )
    assert listing(path.parent) == ["main.tf"]


def test_create_file_in_a_read_only_directory(
    module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = module / "network" / "backend_override.tf"
    _refuse_creation_in(path.parent, monkeypatch)
    try:
        with pytest.raises(WriteError) as caught:
            create_file(path, FIXED, root=module)
        assert str(caught.value) == (
            f"{path}: directory {path.parent} is not writable (Permission denied); not written"
        )
        assert listing(path.parent) == ["main.tf"]
    finally:
        path.parent.chmod(0o755)


# -- deleting (restore removes the override file and a README it created) --------------------


def test_delete_removes_the_file_and_leaves_nothing_behind(module: Path) -> None:
    path = module / "network" / "backend_override.tf"
    path.write_bytes(BACKEND)
    snapshot = read_file(path)
    delete_file(snapshot, root=module)
    assert not path.exists()
    assert listing(path.parent) == ["main.tf"]


def test_delete_of_a_file_changed_after_reading_is_refused(module: Path) -> None:
    path = module / "network" / "main.tf"
    snapshot = read_file(path)
    sneaky = BACKEND.replace(b"s3", b"gc")
    path.write_bytes(sneaky)
    os.utime(path, ns=(snapshot.mtime_ns, snapshot.mtime_ns))
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        delete_file(snapshot, root=module)
    assert str(caught.value) == f"{path}: file content changed after it was read; not written"
    assert_intact(path, sneaky, before)


def test_delete_refuses_a_symlink_even_inside_the_root(module: Path) -> None:
    target = module / "network" / "main.tf"
    link = module / "network" / "backend_override.tf"
    link.symlink_to(target)
    snapshot = read_file(link)
    with pytest.raises(WriteError) as caught:
        delete_file(snapshot, root=module)
    assert str(caught.value) == f"{link}: is a symlink; not deleted"
    assert link.is_symlink() and target.read_bytes() == BACKEND


def test_delete_outside_the_root_is_refused(tmp_path: Path, module: Path) -> None:
    outside = tmp_path / "elsewhere.tf"
    outside.write_bytes(BACKEND)
    snapshot = read_file(outside)
    with pytest.raises(WriteError) as caught:
        delete_file(snapshot, root=module)
    assert "refusing to write" in str(caught.value)
    assert outside.read_bytes() == BACKEND


def test_delete_notices_a_change_between_the_check_and_the_rename(
    module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor saving in the last moment: the file is checked again after it was moved
    aside, and put back under its name when it changed."""
    path = module / "network" / "main.tf"
    snapshot = read_file(path)
    real_rename = os.rename

    def rename_after_a_save(source: str, destination: str) -> None:
        Path(source).write_bytes(BACKEND + b"# saved\n")
        real_rename(source, destination)

    monkeypatch.setattr(files.os, "rename", rename_after_a_save)
    before = listing(path.parent)
    with pytest.raises(WriteError) as caught:
        delete_file(snapshot, root=module)
    assert str(caught.value).endswith("not deleted")
    assert_intact(path, BACKEND + b"# saved\n", before)


def test_snapshot_is_a_frozen_value(module: Path) -> None:
    snapshot = read_file(module / "network" / "main.tf")
    with pytest.raises(AttributeError):
        snapshot.data = b""  # type: ignore[misc]
    assert isinstance(snapshot, FileSnapshot)
