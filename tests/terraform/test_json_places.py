"""Where a ``.tf.json`` file writes its backends: spans for blocks, labels and arguments.

The module view reads JSON with ``json.loads``, which knows no positions;
:func:`json_backend_places` finds them in the text, in the order the view reads
the blocks, so that findings point at the member they are about instead of 1:1.
Each case checks the spans against the text itself.
"""

from __future__ import annotations

import json

import pytest

from fixer.rules.catalog import RULES
from fixer.rules.check import check_module
from fixer.terraform import build_module_view
from fixer.terraform.json_places import JsonScanError, json_backend_places

PRETTY = """{
  "terraform": {
    "required_version": ">= 1.11",
    "backend": {
      "s3": {
        "bucket": "",
        "key": "app.tfstate",
        "region": "eu-west-1",
        "encrypt": false
      }
    }
  }
}
"""


def _text(text: str, start: int, end: int) -> str:
    return text[start:end]


def test_block_label_and_arguments_of_a_pretty_file() -> None:
    (place,) = json_backend_places(PRETTY)
    assert (place.type, place.is_cloud) == ("s3", False)
    assert _text(PRETTY, place.label.start, place.label.end) == '"s3"'
    assert (place.label.line, place.label.column) == (5, 7)
    block = _text(PRETTY, place.span.start, place.span.end)
    assert block.startswith('"s3": {') and block.endswith("}")
    assert (place.span.end_line, place.span.end_column) == (10, 8)
    assert list(place.arguments) == ["bucket", "key", "region", "encrypt"]
    region = place.arguments["region"]
    assert _text(PRETTY, region.start, region.end) == '"region": "eu-west-1"'
    assert (region.line, region.column, region.end_column) == (8, 9, 30)


def test_list_forms_and_a_cloud_block_in_view_order() -> None:
    text = json.dumps(
        {
            "terraform": [
                {"backend": [{"s3": [{"bucket": "a"}]}, {"gcs": {"bucket": "b"}}]},
                {"cloud": {"organization": "acme", "workspaces": {"name": "w"}}},
            ]
        }
    )
    places = json_backend_places(text)
    assert [(p.type, p.is_cloud) for p in places] == [
        ("s3", False),
        ("gcs", False),
        ("cloud", True),
    ]
    assert all(p.span.line == 1 for p in places)
    cloud = places[2]
    assert _text(text, cloud.label.start, cloud.label.end) == '"cloud"'
    assert list(cloud.arguments) == ["organization", "workspaces"]


def test_duplicate_keys_resolve_as_json_loads_does() -> None:
    # json.loads keeps the last "s3" body, in the first key's place.
    text = '{"terraform": {"backend": {"s3": {"bucket": "old"}, "s3": {"key": "new"}}}}'
    (place,) = json_backend_places(text)
    assert list(place.arguments) == ["key"]
    assert _text(text, place.span.start, place.span.end) == '"s3": {"key": "new"}'


def test_crlf_tabs_and_a_bom_count_as_the_parser_counts_them() -> None:
    text = (
        '\ufeff{\r\n\t"terraform": {\r\n\t\t"backend": {\r\n\t\t\t"s3": {}\r\n\t\t}\r\n\t}\r\n}\r\n'
    )
    (place,) = json_backend_places(text)
    assert (place.label.line, place.label.column) == (4, 4)


def test_text_that_is_not_json_raises() -> None:
    with pytest.raises(JsonScanError):
        json_backend_places('{"terraform": {"backend": ')


def test_findings_in_json_point_at_the_member() -> None:
    view = build_module_view(
        [],
        directory="m",
        json_files=[("m/main.tf.json", json.loads(PRETTY))],
        json_texts={"m/main.tf.json": PRETTY},
    )
    found = {f.code: f.location for f in check_module(view, RULES)}
    # BF010: the empty bucket; BF008: encrypt = false; BF006: no locking, on the block.
    assert _text(PRETTY, found["BF010"].start, found["BF010"].end) == '"bucket": ""'
    assert (found["BF010"].line, found["BF010"].column) == (6, 9)
    assert _text(PRETTY, found["BF008"].start, found["BF008"].end) == '"encrypt": false'
    assert (found["BF006"].line, found["BF006"].column) == (5, 7)


def test_without_the_text_findings_still_point_at_the_file() -> None:
    view = build_module_view([], directory="m", json_files=[("m/main.tf.json", json.loads(PRETTY))])
    locations = {(f.location.line, f.location.column) for f in check_module(view, RULES)}
    assert locations == {(1, 1)}


def test_a_text_that_is_not_the_document_gives_no_place() -> None:
    other = '{"terraform": {"backend": {"gcs": {}}}}'
    view = build_module_view(
        [],
        directory="m",
        json_files=[("m/main.tf.json", json.loads(PRETTY))],
        json_texts={"m/main.tf.json": other},
    )
    assert {b.span for b in view.backends} == {None}


def test_a_nested_terraform_key_with_the_same_value_is_not_taken_for_the_root() -> None:
    """With the document given, "terraform": keys are searched, not scanned; when two
    decode alike the root is scanned member by member, so the place is the root's."""
    body = '{"backend": {"s3": {}}}'
    text = f'{{"//": {{"copy": {{"terraform": {body}}}}}, "terraform": {body}}}'
    document = json.loads(text)
    (searched,) = json_backend_places(text, document)
    (scanned,) = json_backend_places(text)
    assert searched == scanned
    assert searched.label.start == text.rindex('"s3"')
    single = '{"terraform": {"backend": {"s3": {}}}, "variable": {"terraform": {}}}'
    (place,) = json_backend_places(single, json.loads(single))
    assert place.label.start == single.index('"s3"')
