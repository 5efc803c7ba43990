"""Bad input through the command line: one clear line per file, and the run goes on.

Every case puts one bad thing beside a good module (``good/main.tf``, a partial
S3 backend) and runs ``check`` (and ``fix`` where it matters) as a user would.
Each asserts the exact one-line message naming the file (with line and column
where there is one), that the good module is still reported, that the exit
code is 2, that the bad file's bytes are untouched, and that no Python
traceback reaches the user. Faults that need monkeypatching (unreadable files
as root, a bug in a rule) run ``main()`` in-process.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from reliability_cli import PARTIAL, Outcome, make_module, run_cli, run_main

from fixer.pipeline import load as pipeline_load
from fixer.pipeline import process as pipeline_process
from fixer.runner import engine, files

GOOD_FINDING = "good/main.tf:2:3: BF001 "


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    make_module(root, "good", {"main.tf": PARTIAL})
    return root


def assert_clean_failure(outcome: Outcome, *messages: str) -> None:
    """Exit code 2, exactly ``messages`` as the error lines, the good module still handled.

    ``check`` reports the good module's finding; ``fix`` lists it among the
    files it changes (or would change).
    """
    assert "Traceback" not in outcome.text
    assert outcome.errors == list(messages)
    assert any(line.startswith(GOOD_FINDING) for line in outcome.out.splitlines()) or (
        "  good/main.tf" in outcome.err.splitlines()
    )
    assert outcome.code == 2


def assert_good_module_fixed(outcome: Outcome, repo: Path) -> None:
    """A dry-run fix still shows the good module's diff and says so."""
    assert "+++ b/good/main.tf" in outcome.out
    assert (repo / "good" / "main.tf").read_bytes() == PARTIAL


# -- invalid text ------------------------------------------------------------------------------

INVALID_HCL = [
    pytest.param(
        b'terraform {\n  backend "s3" {\n}\n',
        "4:1: unexpected end of file: the block opened at line 1, column 11 is never closed",
        id="unclosed-block",
    ),
    pytest.param(
        b'terraform {\n  backend "s3" {\n    bucket = "x\n  }\n}\n',
        "3:16: quoted string is not closed before the end of the line",
        id="unclosed-string",
    ),
    pytest.param(
        b'terraform {\n  backend "s3" {\n    bucket = = "x"\n  }\n}\n',
        "3:14: unexpected '='; expected an expression",
        id="double-equals",
    ),
    pytest.param(
        b'terraform {\n  backend "s3" {\n    policy = <<EOT\nabc\n  }\n}\n',
        "3:14: heredoc <<EOT is never closed: expected a line holding only EOT",
        id="unclosed-heredoc",
    ),
    pytest.param(
        b'terraform {\n  backend "s3" {}\n}\n}\n',
        "4:1: unexpected '}': there is no open bracket for it to close",
        id="stray-brace",
    ),
    pytest.param(
        b'\r\r terraform {\r  backend "s3" {}\r}\r',
        "1:1: carriage return not followed by a newline",
        id="bare-cr",
    ),
]


@pytest.mark.parametrize(("text", "message"), INVALID_HCL)
def test_invalid_hcl_names_file_line_and_column(repo: Path, text: bytes, message: str) -> None:
    make_module(repo, "bad", {"main.tf": text})
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(outcome, f"bad/main.tf:{message}")
    fixing = run_cli("fix", ".", cwd=repo)
    assert_clean_failure(fixing, f"bad/main.tf:{message}")
    assert_good_module_fixed(fixing, repo)
    assert (repo / "bad" / "main.tf").read_bytes() == text


def test_an_unclosed_long_string_is_reported_at_once(repo: Path) -> None:
    # A quoted string left open before the end of a long line. The lexer's
    # string pattern once nested `+` inside `*` and backtracked through every
    # way of splitting the line: 24 characters took a second, 45 hours.
    tail = "the-bucket-of-the-platform-team-in-production"
    text = f'terraform {{\n  backend "s3" {{\n    bucket = "{tail}\n  }}\n}}\n'.encode()
    make_module(repo, "bad", {"main.tf": text})
    outcome = run_cli("check", ".", cwd=repo, timeout=20)
    assert_clean_failure(
        outcome,
        f"bad/main.tf:3:{15 + len(tail)}: quoted string is not closed before the end of the line",
    )


INVALID_JSON = [
    pytest.param(
        b'{"terraform": {"backend": {"s3": {}}}',
        "1:38: invalid JSON: Expecting ',' delimiter",
        id="unclosed",
    ),
    pytest.param(
        b'{\n  "terraform": {\n    "backend": {"s3": {"bucket": \'x\'}}\n  }\n}\n',
        "3:34: invalid JSON: Expecting value",
        id="single-quotes",
    ),
    pytest.param(
        b'[{"terraform": {"backend": {"s3": {}}}}]',
        "1:1: the root of a JSON configuration must be an object",
        id="root-array",
    ),
]


@pytest.mark.parametrize(("text", "message"), INVALID_JSON)
def test_invalid_json_names_file_line_and_column(repo: Path, text: bytes, message: str) -> None:
    make_module(repo, "bad", {"main.tf.json": text})
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(outcome, f"bad/main.tf.json:{message}")


def test_json_nested_beyond_the_decoder_is_a_clear_message(repo: Path) -> None:
    deep = b"[" * 3000 + b"]" * 3000
    make_module(
        repo,
        "bad",
        {"main.tf.json": b'{"terraform": {"backend": {"s3": {"bucket": ' + deep + b"}}}}"},
    )
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(outcome, "bad/main.tf.json: JSON nested too deeply to read, skipped")


def test_invalid_utf8_in_the_first_bytes(repo: Path) -> None:
    text = b'terraform {\n  backend "s3" {\n    bucket = "caf\xe9"\n  }\n}\n'
    make_module(repo, "bad", {"main.tf": text})
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(outcome, "bad/main.tf:3:18: not UTF-8 text (byte 0xe9), skipped")
    assert (repo / "bad" / "main.tf").read_bytes() == text


def test_invalid_utf8_past_the_sniffed_bytes(repo: Path) -> None:
    # Past the first 8 KiB, which the reader sniffs: the decoder finds it.
    text = PARTIAL + b"# " + b"x" * 9000 + b"\n# caf\xe9\n"
    make_module(repo, "bad", {"main.tf": text})
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(
        outcome, "bad/main.tf:5:6: file is not valid UTF-8 (byte 0xe9 at offset 9040)"
    )


def test_an_unreadable_file_in_a_module_stops_its_fix_not_the_run(repo: Path) -> None:
    # versions.tf says >= 1.11 but cannot be parsed: a fix planned without it
    # would pick dynamodb_table, so the module is reported and left alone.
    bad = make_module(
        repo,
        "bad",
        {"main.tf": PARTIAL, "versions.tf": b'terraform {\n  required_version = ">= 1.11"\n'},
    )
    outcome = run_cli(
        "fix",
        ".",
        "--write",
        "--mode",
        "complete",
        *_sets("bucket=b", "key=k", "region=us-east-1", "dynamodb_table=t"),
        cwd=repo,
    )
    assert "Traceback" not in outcome.text
    assert outcome.errors == [
        "bad/versions.tf:3:1: unexpected end of file: the block opened at line 1, column 11 is never closed",
        "bad: not fixed: one of its files could not be read or parsed",
    ]
    assert outcome.code == 2
    assert (bad / "main.tf").read_bytes() == PARTIAL
    assert b'bucket         = "b"' in (repo / "good" / "main.tf").read_bytes()


def _sets(*pairs: str) -> list[str]:
    return [item for pair in pairs for item in ("--set", pair)]


# -- binary files ---------------------------------------------------------------------------------

BINARIES = [
    pytest.param(b"\x00GITCRYPT\x00" + os.urandom(64), "git-crypt encrypted", id="git-crypt"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR", "PNG image", id="png"),
    pytest.param(b'terraform {\n  backend "s3" {}\x00\n}\n', "NUL byte at offset 29", id="nul"),
    pytest.param(PARTIAL.decode().encode("utf-16"), "NUL byte at offset 3", id="utf-16"),
]


@pytest.mark.parametrize(("data", "what"), BINARIES)
@pytest.mark.parametrize("name", ["main.tf", "secrets.tfvars.tf", "main.tf.json"])
def test_binary_files_are_skipped_with_one_line(
    repo: Path, data: bytes, what: str, name: str
) -> None:
    make_module(repo, "crypt", {name: data})
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(outcome, f"crypt/{name}: binary file ({what}), skipped")
    fixing = run_cli("fix", ".", "--write", cwd=repo)
    assert_clean_failure(fixing, f"crypt/{name}: binary file ({what}), skipped")
    assert (repo / "crypt" / name).read_bytes() == data
    assert b"backend-fixer:begin" in (repo / "good" / "main.tf").read_bytes()


def test_a_binary_file_is_never_parsed_nor_read_whole(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # git-crypt output of a big tfvars: terraform fmt stalls on such files for minutes.
    crypt = make_module(repo, "crypt", {"main.tf": PARTIAL})
    secret = crypt / "secrets.tf"
    with secret.open("wb") as handle:
        handle.write(b"\x00GITCRYPT\x00" + os.urandom(1024))
        handle.truncate(40 * 1024 * 1024)
    decoded: list[str] = []
    read_bytes: list[int] = []
    real_decode = pipeline_load.decode
    real_open = open

    def recording_decode(data: bytes, path: str | None = None) -> str:
        decoded.append(str(path))
        return real_decode(data, path)

    class Counting:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self.handle = handle

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc):  # type: ignore[no-untyped-def]
            return self.handle.__exit__(*exc)

        def read(self, size: int = -1) -> bytes:
            data = self.handle.read(size)
            if os.path.samefile(os.readlink(f"/proc/self/fd/{self.handle.fileno()}"), secret):
                read_bytes.append(len(data))
            return data

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self.handle, name)

    def opening(*args, **kwargs):  # type: ignore[no-untyped-def]
        handle = real_open(*args, **kwargs)
        return Counting(handle) if isinstance(args[0], int) else handle

    monkeypatch.setattr(pipeline_load, "decode", recording_decode)
    monkeypatch.setattr(files, "open", opening, raising=False)
    outcome = run_main("check", ".", cwd=repo, monkeypatch=monkeypatch, capsys=capsys)
    assert_clean_failure(outcome, "crypt/secrets.tf: binary file (git-crypt encrypted), skipped")
    assert any(line.startswith("crypt/main.tf:2:3: BF001 ") for line in outcome.out.splitlines())
    assert str(secret.relative_to(repo)) not in decoded
    assert "crypt/main.tf" in decoded  # its sibling was read and parsed
    assert sum(read_bytes) <= files.SNIFF_BYTES


# -- empty, huge, deep and long --------------------------------------------------------------------


def test_empty_files_are_valid_and_need_no_message(repo: Path) -> None:
    # Terraform loads an empty file (or one of blank lines, or a lone BOM) as an empty body.
    make_module(repo, "empty", {"main.tf": b""})
    make_module(repo, "good", {"empty.tf": b"", "blank.tf": b"\r\n\r\n", "bom.tf": b"\xef\xbb\xbf"})
    outcome = run_cli("check", ".", cwd=repo)
    assert "Traceback" not in outcome.text
    assert outcome.errors == []
    assert any(line.startswith(GOOD_FINDING) for line in outcome.out.splitlines())
    assert outcome.code == 1  # the good module's finding, nothing worse
    fixing = run_cli("fix", ".", "--write", cwd=repo)
    assert fixing.errors == []
    assert fixing.code == 0
    assert (repo / "empty" / "main.tf").read_bytes() == b""
    assert (repo / "good" / "bom.tf").read_bytes() == b"\xef\xbb\xbf"


def _generated_resources(size: int) -> bytes:
    """About ``size`` bytes of generated resources, the way terraformer writes them."""
    unit = (
        'resource "aws_s3_bucket" "b{0:07d}" {{\n  bucket = "bucket-{0:07d}"\n'
        '  tags   = {{ Name = "x{0:07d}", Team = "platform" }}\n}}\n\n'
    )
    one = len(unit.format(0).encode())
    return "".join(unit.format(i) for i in range(size // one + 1)).encode()


FIFTY_MB = 50 * 1000 * 1000


def test_a_50_mb_generated_file_without_a_backend_is_never_parsed(repo: Path) -> None:
    # The common case: a huge generated file beside the module's small versions.tf.
    make_module(repo, "good", {"generated.tf": _generated_resources(FIFTY_MB)})
    make_module(repo, "generated", {"main.tf": _generated_resources(FIFTY_MB)})
    outcome = run_cli("check", ".", cwd=repo)
    assert "Traceback" not in outcome.text
    assert outcome.errors == []
    assert outcome.out.splitlines()[0].startswith(GOOD_FINDING)
    assert outcome.code == 1


def test_a_50_mb_file_holding_a_backend_is_reported_not_parsed(repo: Path) -> None:
    data = PARTIAL + _generated_resources(FIFTY_MB)
    make_module(repo, "big", {"main.tf": data})
    size = len(data) / (1024 * 1024)
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(
        outcome, f"big/main.tf: too large to parse ({size:.1f} MiB, limit 8.0 MiB), skipped"
    )
    fixing = run_cli("fix", ".", "--write", cwd=repo)
    assert_clean_failure(
        fixing, f"big/main.tf: too large to parse ({size:.1f} MiB, limit 8.0 MiB), skipped"
    )
    assert (repo / "big" / "main.tf").read_bytes() == data


def test_a_50_mb_generated_tf_json_with_a_backend_is_checked(repo: Path) -> None:
    # cdktf synthesises one big cdk.tf.json, backend included.
    resources = ",\n".join(
        f'      "b{i:07d}": {{"bucket": "bucket-{i:07d}", "tags": {{"Name": "x{i:07d}"}}}}'
        for i in range(FIFTY_MB // 75)
    )
    data = (
        '{\n  "terraform": {"backend": {"s3": {}}},\n  "resource": {\n    "aws_s3_bucket": {\n'
        + resources
        + "\n    }\n  }\n}\n"
    ).encode()
    assert len(data) > FIFTY_MB
    make_module(repo, "cdk", {"cdk.tf.json": data})
    outcome = run_cli("check", ".", cwd=repo)
    assert "Traceback" not in outcome.text
    assert outcome.errors == []
    assert outcome.out.splitlines()[0].startswith("cdk/cdk.tf.json:2:29: BF001 ")
    assert outcome.code == 1


def test_a_file_above_the_read_limit_is_skipped_unread(repo: Path) -> None:
    bad = make_module(repo, "huge", {})
    with (bad / "main.tf").open("wb") as handle:
        handle.truncate(files.DEFAULT_SIZE_LIMIT + 1)  # sparse: costs no disk
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(
        outcome, "huge/main.tf: file is too large (64.0 MiB, limit 64.0 MiB), skipped"
    )


DEEP = 2000
NESTED = [
    pytest.param("[" * DEEP + '"x"' + "]" * DEEP, id="tuples"),
    pytest.param("{a = " * DEEP + '"x"' + "}" * DEEP, id="objects"),
    pytest.param("(" * DEEP + "var.name" + ")" * DEEP, id="parentheses"),
    pytest.param("lower(" * DEEP + "var.name" + ")" * DEEP, id="calls"),
    pytest.param('"${' * DEEP + "var.name" + '}"' * DEEP, id="templates"),
    pytest.param("var.a ? " * DEEP + '"x"' + ' : "y"' * DEEP, id="conditionals"),
    pytest.param("-" * DEEP + "1", id="unary"),
    pytest.param(" + ".join(["var.n"] * DEEP), id="binary"),
    pytest.param("var.list" + "[0]" * DEEP, id="indexes"),
]


@pytest.mark.parametrize("expression", NESTED)
def test_expressions_nested_2000_levels_deep(repo: Path, expression: str) -> None:
    text = f'terraform {{\n  backend "s3" {{\n    bucket = {expression}\n  }}\n}}\n'.encode()
    deep = make_module(repo, "deep", {"main.tf": text})
    outcome = run_cli("check", ".", cwd=repo)
    assert "Traceback" not in outcome.text
    assert outcome.errors == []
    assert any(line.startswith("deep/main.tf:") for line in outcome.out.splitlines())
    assert outcome.code == 1
    for mode in ("comment", "complete", "override"):
        fixing = run_cli(
            "fix",
            "deep",
            "--mode",
            mode,
            *_sets("bucket=b", "key=k", "region=us-east-1", "dynamodb_table=t"),
            cwd=repo,
        )
        assert "Traceback" not in fixing.text
        assert fixing.code in (1, 2), fixing.err  # 1: a diff; 2: a plain "cannot fix" line
        assert all(line.startswith("deep") for line in fixing.errors)
    assert (deep / "main.tf").read_bytes() == text


def test_an_unclosed_nesting_2000_deep_points_at_the_end(repo: Path) -> None:
    text = b'terraform {\n  backend "s3" {\n    bucket = ' + b"[" * DEEP + b"\n  }\n}\n"
    make_module(repo, "deep", {"main.tf": text})
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(
        outcome,
        f"deep/main.tf:4:3: unexpected '}}': expected ']' to close the '[' opened at line 3, column {13 + DEEP}",
    )


def test_very_long_lines(repo: Path) -> None:
    long_value = "a" * 4_000_000
    text = (
        f'terraform {{\n  # {"x" * 1_000_000}\n  backend "s3" {{\n    bucket = "{long_value}"\n  }}\n}}\n'
    ).encode()
    long = make_module(repo, "long", {"main.tf": text})
    outcome = run_cli("check", ".", cwd=repo)
    assert "Traceback" not in outcome.text
    assert outcome.errors == []
    assert any(line.startswith("long/main.tf:3:3: BF001 ") for line in outcome.out.splitlines())
    fixing = run_cli("fix", ".", "--write", cwd=repo)
    assert fixing.errors == [] and fixing.code == 0
    fixed = (long / "main.tf").read_bytes()
    assert f'  #   bucket = "{long_value}"\n'.encode() in fixed
    # An error at the end of a long line gives the real column.
    broken = f'terraform {{\n  backend "s3" {{\n    bucket = "{long_value}" =\n  }}\n}}\n'
    (long / "main.tf").write_text(broken)
    (repo / "good" / "main.tf").write_bytes(PARTIAL)
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(
        outcome,
        f"long/main.tf:3:{len(long_value) + 17}: unexpected '='; expected an operator or a newline",
    )


# -- the file system --------------------------------------------------------------------------------


def test_symlink_loops_and_broken_links(repo: Path) -> None:
    loop = make_module(repo, "loop", {})
    (loop / "a.tf").symlink_to("b.tf")
    (loop / "b.tf").symlink_to("a.tf")
    # Links back up the tree are walked once, not reported: they hold no new file.
    (loop / "self").symlink_to(".")
    (loop / "up").symlink_to("..")
    (loop / "gone.tf").symlink_to("missing.tf")
    outcome = run_cli("check", ".", cwd=repo)
    assert_clean_failure(
        outcome,
        "loop/a.tf: symlink loop, skipped",
        "loop/b.tf: symlink loop, skipped",
        "loop/gone.tf: broken symlink (its target does not exist)",
    )
    fixing = run_cli("fix", ".", "--write", cwd=repo)
    assert fixing.code == 2 and "Traceback" not in fixing.text
    assert b"backend-fixer:begin" in (repo / "good" / "main.tf").read_bytes()
    assert os.readlink(loop / "a.tf") == "b.tf"


def test_a_symlink_loop_named_on_the_command_line(repo: Path) -> None:
    (repo / "a.tf").symlink_to("b.tf")
    (repo / "b.tf").symlink_to("a.tf")
    outcome = run_cli("check", "a.tf", "good", cwd=repo)
    assert_clean_failure(outcome, "a.tf: symlink loop, skipped")


def _refuse(monkeypatch: pytest.MonkeyPatch, target: Path, function: str) -> None:
    """Make ``os.<function>`` refuse ``target`` with EACCES, as the kernel does for a user."""
    real = getattr(os, function)

    def refusing(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not isinstance(path, int) and os.path.abspath(path) == str(target):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, function, refusing)


def test_an_unreadable_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = make_module(repo, "locked", {"main.tf": PARTIAL}) / "main.tf"
    locked.chmod(0)
    try:
        try:
            locked.read_bytes()
        except PermissionError:
            pass  # an ordinary user: the permission bits refuse
        else:
            _refuse(monkeypatch, locked, "open")  # root reads anything
        outcome = run_main("check", ".", cwd=repo, monkeypatch=monkeypatch, capsys=capsys)
        assert_clean_failure(outcome, "locked/main.tf: cannot read: Permission denied")
        fixing = run_main("fix", ".", "--write", cwd=repo, monkeypatch=monkeypatch, capsys=capsys)
        assert_clean_failure(fixing, "locked/main.tf: cannot read: Permission denied")
    finally:
        locked.chmod(0o644)
    assert locked.read_bytes() == PARTIAL
    assert b"backend-fixer:begin" in (repo / "good" / "main.tf").read_bytes()


def test_an_unreadable_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = make_module(repo, "locked", {"main.tf": PARTIAL})
    locked.chmod(0)
    try:
        try:
            os.listdir(locked)
        except PermissionError:
            pass
        else:
            _refuse(monkeypatch, locked, "scandir")
        outcome = run_main("check", ".", cwd=repo, monkeypatch=monkeypatch, capsys=capsys)
    finally:
        locked.chmod(0o755)
    assert_clean_failure(outcome, "locked: cannot read directory: Permission denied, skipped")


# -- bugs -----------------------------------------------------------------------------------------------


def test_a_bug_in_one_module_is_one_line_and_the_run_goes_on(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_module(repo, "poison", {"main.tf": PARTIAL})
    real = pipeline_process.check_module

    def failing(view, rules):  # type: ignore[no-untyped-def]
        if view.directory.endswith("poison"):
            raise KeyError("boom\nsecond line")
        return real(view, rules)

    monkeypatch.setattr(pipeline_process, "check_module", failing)
    outcome = run_main("check", ".", cwd=repo, monkeypatch=monkeypatch, capsys=capsys)
    assert_clean_failure(
        outcome, "poison: internal error: KeyError: 'boom\\nsecond line' (please report this)"
    )


def test_a_bug_outside_the_modules_is_one_line_unless_debug(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("discovery broke")

    monkeypatch.setattr(engine, "discover", failing)
    outcome = run_main("check", ".", cwd=repo, monkeypatch=monkeypatch, capsys=capsys)
    assert outcome.code == 2
    assert "Traceback" not in outcome.text
    assert outcome.err.splitlines() == [
        "backend-fixer: error: internal error: RuntimeError: discovery broke (run with --debug for details)"
    ]
    debugging = run_main("--debug", "check", ".", cwd=repo, monkeypatch=monkeypatch, capsys=capsys)
    assert debugging.code == 2
    assert "Traceback" in debugging.err and "RuntimeError: discovery broke" in debugging.err


def test_engine_lets_a_bug_out_when_asked(repo: Path) -> None:
    from fixer.runner.engine import Runner, RunOptions

    def failing(view, rules):  # type: ignore[no-untyped-def]
        raise KeyError("boom")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline_process, "check_module", failing)
        runner = Runner(RunOptions(paths=(str(repo),), raise_internal_errors=True))
        with pytest.raises(KeyError):
            list(runner.results())


# -- everything at once -----------------------------------------------------------------------------------


def test_every_bad_input_in_one_tree(repo: Path) -> None:
    """One run over all of it: every bad file named once, the good module fixed, nothing else touched."""
    bad = {
        "hcl/main.tf": b'terraform {\n  backend "s3" {\n}\n',
        "utf8/main.tf": b'terraform {\n  backend "s3" {\n    bucket = "caf\xe9"\n  }\n}\n',
        "crypt/main.tf": b"\x00GITCRYPT\x00" + os.urandom(32),
        "png/main.tf": b"\x89PNG\r\n\x1a\n",
        "nul/main.tf": b'terraform {\x00 backend "s3" {}}',
        "json/main.tf.json": b'{"terraform": {"backend": ',
    }
    for name, data in bad.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    make_module(repo, "empty", {"main.tf": b""})
    (repo / "hcl" / "loop.tf").symlink_to("loop.tf")
    expected = [
        "crypt/main.tf: binary file (git-crypt encrypted), skipped",
        "hcl/loop.tf: symlink loop, skipped",
        "hcl/main.tf:4:1: unexpected end of file: the block opened at line 1, column 11 is never closed",
        "json/main.tf.json:1:27: invalid JSON: Expecting value",
        "nul/main.tf: binary file (NUL byte at offset 11), skipped",
        "png/main.tf: binary file (PNG image), skipped",
        "utf8/main.tf:3:18: not UTF-8 text (byte 0xe9), skipped",
    ]
    outcome = run_cli("check", ".", cwd=repo)
    # Discovery's problems come first, then each module's in directory order.
    assert_clean_failure(outcome, expected[1], *expected[:1], *expected[2:])
    fixing = run_cli("fix", ".", "--write", cwd=repo)
    assert "Traceback" not in fixing.text
    assert sorted(fixing.errors) == sorted(expected)
    assert fixing.code == 2
    for name, data in bad.items():
        assert (repo / name).read_bytes() == data
    assert b"backend-fixer:begin" in (repo / "good" / "main.tf").read_bytes()
