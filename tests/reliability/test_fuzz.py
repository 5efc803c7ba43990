"""Fuzzing: mutated samples either parse losslessly or raise ParseError, and fixes always parse.

Seeds are the real files under ``samples/``. A mutation is a short list of byte
edits: bit flips, truncations, deletions, duplications and insertions of the
pieces HCL's lexer is most fragile around (braces, quotes, ``${``, ``%{``,
heredoc markers, CR and LF, a BOM, NUL), or, for a share of the examples, only
layout edits (blank and whitespace-only lines, comments, trailing blanks, CRLF,
a BOM, the final newline) that keep the file valid so the fixes run on it. Two
properties:

* the parser accepts with an exact round trip (the tokens and the trivia gaps
  between them rebuild the text, and every gap is only whitespace and
  comments) or raises :class:`ParseError`, never another exception;
* ``fix`` in comment, complete and override mode, and ``restore``, run on the
  mutated module (the sample's siblings beside it) never raise, and every text
  they would write parses again (``json.loads`` for ``.tf.json``); with
  ``--write`` the file on disk is that text; a block comment mode commented out
  restores to the exact original.

``BACKEND_FIXER_FUZZ_EXAMPLES`` sets the number of examples per property
(default 300, well under a minute together); ``BACKEND_FIXER_FUZZ_SEED`` fixes the
random seed for a reproducible run.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, seed, settings
from hypothesis import strategies as st

from fixer.fixes.comment import find_commented_regions, restored_text
from fixer.fixes.plan import FixOptions
from fixer.runner.engine import Runner, RunOptions
from fixer.syntax import ParseError, decode, parse

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
EXAMPLES = int(os.environ.get("BACKEND_FIXER_FUZZ_EXAMPLES", "300"))
_SEED = os.environ.get("BACKEND_FIXER_FUZZ_SEED")

NATIVE = (".tf", ".tofu", ".tfbackend", ".hcl", ".tfvars")
JSON = (".tf.json", ".tofu.json")


@dataclass(frozen=True)
class Seed:
    """A sample file and the module directory it sits in."""

    path: Path

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()


def _seeds() -> list[Seed]:
    found: dict[bytes, Seed] = {}
    for path in sorted(SAMPLES.rglob("*")):
        if path.is_file() and path.name.endswith((*NATIVE, *JSON)) and not path.is_symlink():
            found.setdefault(path.read_bytes(), Seed(path))
    return list(found.values())


SEEDS = _seeds()
NATIVE_SEEDS = [s for s in SEEDS if s.path.name.endswith(NATIVE)]
BACKEND_SEEDS = [s for s in SEEDS if re.search(rb'backend\s*"|cloud\s*\{|"backend"', s.data)]

# Pieces the lexer is most fragile around.
PIECES = [
    b"{", b"}", b"[", b"]", b"(", b")", b'"', b"'", b"${", b"%{", b"~}", b"$${", b"%%{",
    b"<<EOT\n", b"<<-EOT\n", b"\nEOT\n", b"  EOT\n", b"<<", b"\r\n", b"\r", b"\n",
    b"\xef\xbb\xbf", b"\x00", b"#", b"//", b"/*", b"*/", b"=", b",", b":", b"\\",
    b"\t", b'backend "s3" {}', b"terraform {\n", b"\xff", b"\xc3", b"\xe2\x80\xa8",
]  # fmt: skip


# Edits that keep a file valid but change its layout: what editors and people do.
GENTLE_LINES = [
    b"\n",
    b"  \n",
    b"\t\n",
    b" \r\n",
    b"# fuzz\n",
    b"// fuzz\n",
    b"/* fuzz */\n",
    b"  ",
    b"\t",
]


def _gentle(rng: random.Random, data: bytearray) -> None:
    """One layout edit: a blank, comment or indentation at a line start, trailing blanks,
    a comment at a line end, CRLF everywhere, a BOM, or the final newline toggled."""
    starts = [0, *(i + 1 for i, byte in enumerate(data) if byte == 0x0A)]
    kind = rng.choice(("line", "line", "line", "trailing", "end-comment", "crlf", "bom", "final"))
    if kind == "line":
        at = rng.choice(starts)
        data[at:at] = rng.choice(GENTLE_LINES)
    elif kind in ("trailing", "end-comment") and len(starts) > 1:
        at = rng.choice(starts[1:]) - 1
        if at > 0 and data[at - 1] == 0x0D:
            at -= 1
        data[at:at] = rng.choice((b" ", b"  ", b"\t")) if kind == "trailing" else b" # fuzz"
    elif kind == "crlf":
        data[:] = bytes(data).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    elif kind == "bom" and not data.startswith(b"\xef\xbb\xbf"):
        data[0:0] = b"\xef\xbb\xbf"
    elif kind == "final":
        if data.endswith(b"\n"):
            del data[-2 if data.endswith(b"\r\n") else -1 :]
        else:
            data.extend(b"\n")


@st.composite
def mutations(draw: st.DrawFn, seeds: list[Seed], gentle_share: float = 0.2) -> tuple[Seed, bytes]:
    """A seed and its bytes after one to four random edits.

    With probability ``gentle_share`` the edits only change layout (see
    :func:`_gentle`), so the file usually stays valid and the fixes get to run
    on it; otherwise they are anything, valid or not. Positions come from a
    seeded ``random.Random`` that hypothesis controls: its own integers lean to
    small values, which would make most edits land at offset 0.
    """
    rng = draw(st.randoms(use_true_random=False))
    chosen = rng.choice(seeds)
    data = bytearray(chosen.data)
    gentle = rng.random() < gentle_share
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        if gentle:
            _gentle(rng, data)
            continue
        size = len(data)
        position = rng.randint(0, size)
        kind = rng.choice(("flip", "truncate", "insert", "insert", "insert", "delete", "copy"))
        if kind == "flip" and size:
            data[min(position, size - 1)] ^= 1 << rng.randrange(8)
        elif kind == "truncate":
            del data[position:]
        elif kind == "insert":
            if rng.random() < 0.8:
                piece = rng.choice(PIECES)
            else:
                piece = bytes(rng.randrange(256) for _ in range(rng.randint(1, 3)))
            data[position:position] = piece * rng.choice((1, 1, 1, 2, 3))
        elif kind == "delete":
            del data[position : position + rng.randint(1, 8)]
        elif kind == "copy" and size:
            target = rng.randint(0, size)
            data[target:target] = data[position : position + rng.randint(1, 40)]
    return chosen, bytes(data)


def _settings(*, max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def _seeded(test):  # type: ignore[no-untyped-def]
    return seed(int(_SEED))(test) if _SEED else test


class TooSlow(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` on the way swallows it."""


@contextmanager
def time_limit(seconds: float, text: str) -> Iterator[None]:
    """Fail an example that burns more than ``seconds`` of CPU: a hang must fail, not stall CI.

    CPU time, not wall time, so a loaded machine or a slow fsync cannot fail a
    fast example. The first thing this caught: the lexer's string patterns
    nested ``+`` in ``*`` and backtracked exponentially over an unclosed string
    on a long line (45 characters: hours), fixed with possessive quantifiers.
    """

    def alarm(signum: int, frame: object) -> None:
        raise TooSlow

    previous = signal.signal(signal.SIGVTALRM, alarm)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    except TooSlow:
        raise AssertionError(f"took more than {seconds} s of CPU on {text!r}") from None
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


# Whitespace and comments: all a gap between two tokens may hold.
_TRIVIA = re.compile(r"(?:[ \t\r\n\ufeff]+|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.DOTALL)


def assert_lossless(text: str) -> None:
    """Parse ``text``; if it is accepted, the tokens and trivia gaps must rebuild it."""
    try:
        tree = parse(text, "fuzz.tf")
    except ParseError as error:
        assert error.line >= 1 and error.column >= 1
        assert "\n" not in str(error)
        return
    assert tree.text == text
    pieces: list[str] = []
    position = 0
    for token in tree.tokens():
        assert token.start >= position, "tokens overlap or go backwards"
        gap = text[position : token.start]
        assert _TRIVIA.fullmatch(gap), f"non-trivia gap {gap!r} at {position}"
        assert text[token.start : token.end] == token.value
        pieces.extend((gap, token.value))
        position = token.end
    tail = text[position:]
    assert _TRIVIA.fullmatch(tail), f"non-trivia tail {tail!r}"
    pieces.append(tail)
    assert "".join(pieces) == text


@_seeded
@_settings(max_examples=EXAMPLES)
@given(mutations(NATIVE_SEEDS))
def test_parser_round_trips_or_raises_parse_error(case: tuple[Seed, bytes]) -> None:
    _, data = case
    try:
        text = decode(data, "fuzz.tf")
    except ParseError as error:
        assert error.line >= 1 and error.column >= 1
        return
    with time_limit(3, text):
        assert_lossless(text)


def test_every_seed_parses_losslessly() -> None:
    """The unmutated seeds are valid: the fuzzer starts from files Terraform accepts."""
    assert len(NATIVE_SEEDS) > 50
    for item in NATIVE_SEEDS:
        assert_lossless(decode(item.data, str(item.path)))


# -- fixing ----------------------------------------------------------------------------------

SETS = {"bucket": "fuzz-bucket", "key": "fuzz/terraform.tfstate", "region": "eu-west-1"}


def _copy_module(item: Seed, data: bytes, into: Path) -> Path:
    """The seed's directory (its candidate files) in ``into``, the seed replaced by ``data``."""
    module = into / "module"
    module.mkdir()
    for sibling in item.path.parent.iterdir():
        if sibling.is_file() and sibling.name.endswith((*NATIVE, *JSON)):
            shutil.copyfile(sibling, module / sibling.name)
    (module / item.path.name).write_bytes(data)
    return module


def _assert_parses(path: str, text: str) -> None:
    if path.endswith(JSON):
        json.loads(text)
    elif path.endswith(NATIVE):
        parse(text, path)


def _run(module: Path, **options: object) -> list:  # type: ignore[type-arg]
    # raise_internal_errors: a bug must fail the test, not become a message.
    runner = Runner(RunOptions(paths=(str(module),), raise_internal_errors=True, **options))  # type: ignore[arg-type]
    return list(runner.results())


@_seeded
@_settings(max_examples=EXAMPLES)
@given(
    mutations(BACKEND_SEEDS, gentle_share=0.5),
    st.sampled_from(["comment", "complete", "override"]),
    st.booleans(),
    st.booleans(),
)
def test_fix_never_raises_and_always_writes_parsable_files(
    case: tuple[Seed, bytes], mode: str, with_values: bool, write: bool
) -> None:
    item, data = case
    with (
        tempfile.TemporaryDirectory() as scratch,
        time_limit(10, data.decode("utf-8", "replace")),
    ):
        module = _copy_module(item, data, Path(scratch))
        before = {p.name: p.read_bytes() for p in module.iterdir()}
        results = _run(
            module, fix=FixOptions(mode=mode), write=write, sets=SETS if with_values else {}
        )
        for result in results:
            for problem in result.problems:
                assert "\n" not in str(problem)
            for file in result.files:
                _assert_parses(file.path, file.new_text)
                if (
                    file.old_text is not None
                    and find_commented_regions(file.new_text)
                    and not find_commented_regions(file.old_text)
                ):
                    # Commented out by comment mode: restore gives back the exact bytes.
                    assert restored_text(file.new_text) == file.old_text
                if write:
                    assert file.written
                    assert Path(file.path).read_bytes() == file.new_text.encode("utf-8")
        changed = {Path(f.path).name for r in results for f in r.files}
        # Shown by --hypothesis-show-statistics: how often the fix had something to do.
        event(f"{mode}: " + ("changed files" if changed else "no change"))
        if any(r.problems for r in results):
            event(f"{mode}: reported a problem")
        for name, old in before.items():
            if name not in changed or not write:
                assert (module / name).read_bytes() == old, f"{name} changed unreported"
        # What was written can be restored without raising either (a file restore
        # deletes, such as the override file, has no new text).
        for result in _run(module, restore=True):
            for file in result.files:
                if file.new_text is not None:
                    _assert_parses(file.path, file.new_text)


# -- what the fuzzer found, pinned ------------------------------------------------------------


def test_comment_then_restore_keeps_whitespace_only_lines() -> None:
    """Found by the fuzzer (16,459th example): restore must give back the exact bytes.

    A line of only blanks inside the backend block (editors leave them) is
    commented as a bare ``#`` and restored as an empty line, so ``restore``
    does not undo comment mode exactly.
    """
    for blank in ("  ", "\t", " \r"):
        text = f'terraform {{\n  backend "s3" {{\n{blank}\n    bucket = "b"\n  }}\n}}\n'
        with tempfile.TemporaryDirectory() as scratch:
            module = Path(scratch)
            (module / "main.tf").write_text(text, newline="")
            (result,) = _run(module, fix=FixOptions(mode="comment"))
            (file,) = result.files
            assert file.old_text == text
            assert restored_text(file.new_text) == text, repr(blank)


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c"])
@pytest.mark.parametrize("place", ["comment", "string"])
def test_comment_then_restore_with_characters_python_calls_line_breaks(
    odd: str, place: str
) -> None:
    """Found by the fuzzer (13,198th example of the second long run).

    HCL ends lines only at LF, but ``str.splitlines`` also splits at U+2028,
    U+2029, U+0085, form feed, vertical tab and U+001C-U+001E. With one of
    them in a comment or a string of the backend block, comment mode writes a
    file that ``restore`` then refuses ("the restored block does not parse").
    """
    if place == "comment":
        text = f'terraform {{\n  backend "s3" {{\n    # note{odd}more\n    bucket = "b"\n  }}\n}}\n'
    else:
        text = f'terraform {{\n  backend "s3" {{\n    bucket = "b{odd}c"\n  }}\n}}\n'
    with tempfile.TemporaryDirectory() as scratch:
        module = Path(scratch)
        (module / "main.tf").write_text(text, newline="")
        (result,) = _run(module, fix=FixOptions(mode="comment"))
        (file,) = result.files
        assert restored_text(file.new_text) == text
