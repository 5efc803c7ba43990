"""Every sample file parses and gives back exactly its bytes, in LF and in CRLF.

Samples are read as raw bytes, never dedented or normalised. The CRLF twin of
each LF file is made here, so every construct is also checked with Windows
line endings. Besides ``tree.text``, the test rebuilds the file from tokens and
the gaps between them and checks that every gap is pure trivia.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixer.syntax import ConfigFile, parse, parse_bytes

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
SUFFIXES = {".tf", ".tofu", ".tfvars", ".tfbackend", ".hcl"}
SAMPLE_FILES = sorted(
    p
    for p in SAMPLES.rglob("*")
    if p.is_file() and p.suffix in SUFFIXES and "invalid" not in p.relative_to(SAMPLES).parts
)
TRIVIA = re.compile(r"(?:[ \t\r\n]|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.DOTALL)


def ids(path: Path) -> str:
    return str(path.relative_to(SAMPLES))


def assert_lossless(tree: ConfigFile, text: str) -> None:
    assert tree.text == text
    pieces = []
    position = 1 if text.startswith("\ufeff") else 0
    pieces.append(text[:position])
    for token in tree.tokens():
        gap = text[position : token.start]
        assert TRIVIA.fullmatch(gap), f"non-trivia gap {gap!r} before {token!r}"
        assert text[token.start : token.end] == token.value
        pieces.append(gap)
        pieces.append(token.value)
        position = token.end
    tail = text[position:]
    assert TRIVIA.fullmatch(tail), f"non-trivia tail {tail!r}"
    pieces.append(tail)
    assert "".join(pieces) == text


def test_there_are_samples_for_every_kind_of_file() -> None:
    assert {p.suffix for p in SAMPLE_FILES} >= SUFFIXES
    assert len(SAMPLE_FILES) >= 15


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=ids)
def test_sample_round_trips_byte_for_byte(path: Path) -> None:
    data = path.read_bytes()
    tree = parse_bytes(data, str(path))
    assert tree.text.encode("utf-8") == data
    assert_lossless(tree, tree.text)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=ids)
def test_crlf_twin_round_trips(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    twin = text.replace("\r\n", "\n").replace("\n", "\r\n")
    tree = parse(twin)
    assert_lossless(tree, twin)
    # The same structure: the twin has as many items and tokens as the LF file.
    original = parse(text.replace("\r\n", "\n"))
    assert [t.type for t in tree.tokens()] == [t.type for t in original.tokens()]


@pytest.mark.parametrize(
    "text",
    ["", "\n", "\ufeff", "# only a comment", "a = 1", "a = 1\r\n", "\ufeffa = 1\n", "\t\n  \n"],
)
def test_edge_files_round_trip(text: str) -> None:
    assert_lossless(parse(text), text)
