"""Queries over the tree: blocks, attributes, literal values, spans and comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixer.syntax import (
    backend_blocks,
    cloud_blocks,
    leading_comments,
    parse,
    terraform_blocks,
    trailing_comment,
)

SEED = """terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Partial backend config: values are injected at `terraform init` time
  backend "s3" {}
}
"""


def test_finds_terraform_backend_and_its_comment() -> None:
    tree = parse(SEED)
    (terraform,) = terraform_blocks(tree)
    (backend,) = backend_blocks(tree)
    assert backend.type == "backend"
    assert backend.label_values == ("s3",)
    assert backend.is_single_line
    assert backend.body.items == ()
    assert (backend.line, backend.column) == (12, 3)
    assert (backend.end_line, backend.end_column) == (12, 18)
    assert backend.text == 'backend "s3" {}'
    (comment,) = leading_comments(terraform.body, backend)
    assert comment.text.startswith("# Partial backend config")
    assert cloud_blocks(tree) == []


def test_attribute_values_and_spans() -> None:
    tree = parse(SEED)
    terraform = terraform_blocks(tree)[0]
    version = terraform.body.attribute("required_version")
    assert version is not None
    assert version.expr.literal().value == ">= 1.5.0"
    assert tree.text[version.expr.start : version.expr.end] == '">= 1.5.0"'
    assert (version.equals.line, version.equals.column) == (2, 20)
    providers = terraform.body.blocks("required_providers")[0]
    aws = providers.body.attribute("aws")
    assert aws is not None
    assert aws.expr.kind == "object"
    assert aws.expr.object_get("source").literal().value == "hashicorp/aws"
    assert aws.expr.object_get("missing") is None
    assert terraform.body.attribute("nope") is None


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("1", 1),
        ("-1.5", -1.5),
        ("(-(3))", -3),
        ("true", True),
        ("false", False),
        ("null", None),
        ('"a\\tb\\u00e9"', "a\tb\u00e9"),
        ('"$${x} %%{y}"', "${x} %{y}"),
        ("<<EOT\nline\nEOT", "line\n"),
        ("<<-EOT\n    a\n      b\n    EOT", "a\n  b\n"),
    ],
)
def test_literal_values(source: str, value: object) -> None:
    tree = parse(f"a = {source}\n")
    literal = tree.body.attribute("a").expr.literal()
    assert literal is not None
    assert literal.value == value


@pytest.mark.parametrize(
    "source", ['"x-${var.env}"', "var.bucket", "local.x", 'format("%s", 1)', "-var.x", "[1]", "{}"]
)
def test_non_literals_have_no_literal_value(source: str) -> None:
    assert parse(f"a = {source}\n").body.attribute("a").expr.literal() is None


def test_references_find_variables_locals_and_calls() -> None:
    tree = parse('a = "${var.env}-${local.suffix}-${lower(terraform.workspace)}"\n')
    found = [r.traversal() or [r.call_name] for r in tree.body.attribute("a").expr.references()]
    assert found == [["var", "env"], ["local", "suffix"], ["lower"], ["terraform", "workspace"]]


def test_blocks_by_type_and_labels() -> None:
    tree = parse(
        'resource "a" "x" {\n}\nresource "a" "y" {\n}\nresource "b" "x" {\n}\ndata "a" "x" {\n}\n'
    )
    assert [b.label_values for b in tree.body.blocks("resource", "a")] == [("a", "x"), ("a", "y")]
    assert [b.label_values for b in tree.body.blocks("resource", "b", "x")] == [("b", "x")]
    assert len(tree.body.blocks()) == 4


def test_comments_before_and_after_items() -> None:
    text = (
        "terraform {\n"
        '  required_version = ">= 1.5" # trailing\n'
        "\n"
        "  # detached by a blank line\n"
        "\n"
        "  # one\n"
        "  // two\n"
        '  backend "s3" { # on the brace line\n'
        '    bucket = "b"\n'
        "  } /* after */\n"
        "}\n"
    )
    tree = parse(text)
    terraform = terraform_blocks(tree)[0]
    version, backend = terraform.body.items
    assert [c.text for c in leading_comments(terraform.body, backend)] == ["# one", "// two"]
    assert trailing_comment(terraform.body, version).text == "# trailing"
    assert trailing_comment(terraform.body, backend).text == "/* after */"
    assert leading_comments(terraform.body, version) == []


def test_node_positions_count_characters_not_bytes() -> None:
    tree = parse('locals {\n  é = "ü" # ñ\n  b = 1\n}\n')
    b = tree.body.blocks("locals")[0].body.attribute("b")
    assert (b.line, b.column) == (3, 3)
    e = tree.body.blocks("locals")[0].body.attribute("é")
    assert (e.expr.line, e.expr.column, e.expr.end_column) == (2, 7, 10)


def test_walk_and_tokens_cover_nested_expressions() -> None:
    tree = parse("a = { b = [1, f(2)] }\n")
    kinds = [n.kind for n in tree.walk() if hasattr(n, "kind")]
    assert kinds == ["object", "object_item", "variable", "tuple", "literal", "call", "literal"]
    assert [t.value for t in tree.tokens()] == list("a={b=[1,f(2)]}")


def test_seed_provider_sample_parses(samples_dir: Path) -> None:
    for path in samples_dir.rglob("provider.tf"):
        tree = parse(path.read_text())
        assert terraform_blocks(tree)


def test_bare_object_keys_are_not_references() -> None:
    tree = parse('a = { team = "x", (var.k) = local.v, n = { m = var.z } }\n')
    assert [r.text for r in tree.body.attribute("a").expr.references()] == [
        "var.k",
        "local.v",
        "var.z",
    ]
