"""The fingerprint a marker carries: which of the lines the tool wrote were edited since.

A record must name exactly the lines a person changed, inserted or removed,
ignore what editors and ``terraform fmt`` do to the ends of lines, and never
mistake a damaged token for a record.
"""

from __future__ import annotations

import pytest

from fixer.fixes.record import Record, digest_text, line_numbers

WRITTEN = [
    "  # backend-fixer:begin local-state\n",
    "  # header line one\n",
    '  # backend "s3" {\n',
    '  #   bucket = "REPLACE_ME-bucket"\n',
    '  #   key    = "app/terraform.tfstate"\n',
    "  # }\n",
]


def test_unchanged_lines_match_and_name_nothing() -> None:
    record = Record.of(WRITTEN)
    assert record.matches(WRITTEN)
    assert record.edited(WRITTEN) == ()
    assert record.line_count == len(WRITTEN)


def test_an_edited_value_is_named_by_its_line() -> None:
    record = Record.of(WRITTEN)
    edited = list(WRITTEN)
    edited[3] = '  #   bucket = "real-bucket"\n'
    assert record.edited(edited) == (3,)


def test_inserted_and_removed_lines_are_named_where_they_are_now() -> None:
    record = Record.of(WRITTEN)
    inserted = [*WRITTEN[:4], '  #   region = "eu-west-1"\n', *WRITTEN[4:]]
    assert record.edited(inserted) == (4,)
    removed = [*WRITTEN[:1], *WRITTEN[2:]]
    assert record.edited(removed) == (1,)


def test_whitespace_and_crlf_are_not_edits() -> None:
    record = Record.of(WRITTEN)
    reindented = [line.replace("  #", "    #", 1).replace("\n", "  \r\n") for line in WRITTEN]
    assert record.edited(reindented) == ()
    realigned = [line.replace("key    =", "key        =") for line in WRITTEN]
    assert realigned != WRITTEN and record.edited(realigned) == ()
    assert record.edited([line.replace("key ", "kex ") for line in WRITTEN]) == (4,)


def test_render_and_parse_round_trip_and_damage_is_not_a_record() -> None:
    record = Record.of(WRITTEN)
    token = record.render()
    assert Record.parse(token) == record
    assert Record.parse(token[:-1]) is None  # half a line code
    assert Record.parse("not-a-record") is None
    assert Record.parse(token.upper()) is None


def test_alignment_maps_unchanged_lines_across_an_insertion() -> None:
    record = Record.of(WRITTEN)
    inserted = ["  # a person's note\n", *WRITTEN]
    assert record.alignment(inserted) == {i: i + 1 for i in range(len(WRITTEN))}


def test_digest_text_ignores_only_the_newline_style() -> None:
    assert digest_text("a\nb\n") == digest_text("a\r\nb\r\n")
    assert digest_text("a\nb\n") != digest_text("a\nb \n")


@pytest.mark.parametrize(
    ("numbers", "words"),
    [
        ([4], "line 4"),
        ([4, 7], "lines 4 and 7"),
        ([4, 5, 6, 9], "lines 4-6 and 9"),
        ([3, 4], "lines 3-4"),
    ],
)
def test_line_numbers_in_words(numbers: list[int], words: str) -> None:
    assert line_numbers(numbers) == words
