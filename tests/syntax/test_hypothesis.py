"""Generated HCL: random valid files round-trip exactly, and python-hcl2 agrees they are valid.

The strategy builds bodies of attributes and (nested, labelled, one-line) blocks
whose values are random expressions: literals, templates with interpolations
and directives, heredocs, tuples and objects in single- and multi-line form,
calls, traversals, operators, conditionals and for expressions. Whitespace,
blank lines, comments and the newline style vary too. It stays inside what
python-hcl2 understands, so its parser can serve as the second opinion.
"""

from __future__ import annotations

import re

from hcl2.api import parses_to_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixer.syntax import parse

NAMES = st.sampled_from(
    ["a", "name", "bucket", "region", "count", "tags", "enabled", "x_1", "key-2"]
)
LABELS = st.sampled_from(['"s3"', '"aws_s3_bucket"', '"main"', '"x y"', "plain"])
BLOCK_TYPES = st.sampled_from(["resource", "locals", "backend", "dynamic", "content", "settings"])
SPACES = st.sampled_from([" ", " ", " ", "  ", "\t"])
STRING_TEXT = st.lists(
    st.sampled_from([*"abcXYZ019 -_./:@é", "\\n", '\\"', "\\\\", "$ ", "% ", "$${x}", "%%{y}"]),
    max_size=12,
).map("".join)


def _literals() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=0, max_value=10**6).map(str),
        st.floats(min_value=0, max_value=1e6, allow_nan=False).map(lambda f: f"{f:.3f}"),
        st.sampled_from(["true", "false", "null", "1e3", "2.5E-2"]),
        STRING_TEXT.map(lambda s: f'"{s}"'),
    )


REFERENCES = st.sampled_from(
    [
        "var.name",
        "local.tags",
        "aws_s3_bucket.main.arn",
        "var.list[0]",
        "module.m.out.0",
        "aws_instance.web[*].id",
    ]
)


def _expressions(depth: int) -> st.SearchStrategy[str]:
    base = st.one_of(_literals(), REFERENCES)
    if depth <= 0:
        return base
    inner = _expressions(depth - 1)
    return st.one_of(
        base,
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.tuples(st.lists(inner, min_size=1, max_size=3), st.booleans()).map(
            lambda t: (
                "[\n" + "".join(f"  {x},\n" for x in t[0]) + "]"
                if t[1]
                else "[" + ", ".join(t[0]) + ",]"
            )
        ),
        st.lists(st.tuples(NAMES, inner), max_size=3, unique_by=lambda p: p[0]).map(
            lambda pairs: "{" + ", ".join(f"{k} = {v}" for k, v in pairs) + "}"
        ),
        st.lists(st.tuples(NAMES, inner), min_size=1, max_size=3, unique_by=lambda p: p[0]).map(
            lambda pairs: "{\n" + "".join(f"  {k} = {v}\n" for k, v in pairs) + "}"
        ),
        st.tuples(
            st.sampled_from(["max", "lookup", "format", "coalesce"]), st.lists(inner, max_size=3)
        ).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(
            inner,
            st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"]),
            inner,
        ).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        inner.map(lambda x: f"!{x}" if not x.startswith(("-", "!")) else x),
        st.tuples(STRING_TEXT, REFERENCES, STRING_TEXT).map(lambda t: f'"{t[0]}${{{t[1]}}}{t[2]}"'),
        st.tuples(REFERENCES, STRING_TEXT, STRING_TEXT).map(
            lambda t: f'"%{{if {t[0]}}}{t[1]}%{{else}}{t[2]}%{{endif}}"'
        ),
        st.tuples(NAMES, REFERENCES, inner).map(lambda t: f"[for {t[0]} in {t[1]} : {t[2]}]"),
        st.tuples(NAMES, REFERENCES, inner).map(
            lambda t: f"{{for {t[0]}, v in {t[1]} : {t[0]} => {t[2]}}}"
        ),
        st.tuples(NAMES, REFERENCES).map(
            lambda t: f"[for {t[0]} in {t[1]} : {t[0]} if {t[0]} != null]"
        ),
    )


HEREDOCS = st.tuples(
    st.sampled_from(["EOT", "POLICY", "END_OF_TEXT"]),
    st.booleans(),
    st.lists(
        st.sampled_from(
            ['line with "quotes"', "  indented", "${var.name} here", "$${escaped}", ""]
        ),
        max_size=4,
    ),
).map(lambda t: f"<<{'-' if t[1] else ''}{t[0]}\n" + "".join(line + "\n" for line in t[2]) + t[0])

COMMENTS = st.sampled_from(["# a hash comment", "// a slash comment", "/* a block comment */"])


@st.composite
def bodies(draw: st.DrawFn, depth: int = 2, indent: str = "") -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            lines.append(f"{indent}{draw(COMMENTS)}")
        if draw(st.integers(min_value=0, max_value=6)) == 0:
            lines.append("")
        kind = draw(st.integers(min_value=0, max_value=4 if depth > 0 else 2))
        if kind <= 1:
            value = draw(_expressions(2))
            trailing = f" {draw(COMMENTS)}" if draw(st.integers(0, 4)) == 0 else ""
            lines.append(f"{indent}{draw(NAMES)}{draw(SPACES)}={draw(SPACES)}{value}{trailing}")
        elif kind == 2:
            lines.append(f"{indent}{draw(NAMES)} = {draw(HEREDOCS)}")
        elif kind == 3:
            labels = "".join(f" {label}" for label in draw(st.lists(LABELS, max_size=2)))
            inner = draw(bodies(depth - 1, indent + "  "))
            lines.append(f"{indent}{draw(BLOCK_TYPES)}{labels} {{\n{inner}{indent}}}")
        else:
            one_line = draw(st.sampled_from(["", f" {draw(NAMES)} = {draw(_literals())} "]))
            lines.append(f"{indent}{draw(BLOCK_TYPES)} {draw(LABELS)} {{{one_line}}}")
    return "".join(line + "\n" for line in lines)


@st.composite
def files(draw: st.DrawFn) -> str:
    text = draw(bodies())
    # Drop the final newline, except after a heredoc, whose marker needs one.
    if draw(st.booleans()) and not re.search(r"\n(EOT|POLICY|END_OF_TEXT)\n*$", text):
        text = text.rstrip("\n")
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        text = text.replace("\n", "\r\n")
    return text


TRIVIA = re.compile(r"(?:[ \t\r\n]|#[^\n]*|//[^\n]*|/\*.*?\*/)*", re.DOTALL)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_generated_hcl_round_trips_and_python_hcl2_agrees(text: str) -> None:
    tree = parse(text)
    assert tree.text == text
    position = 0
    for token in tree.tokens():
        assert TRIVIA.fullmatch(text, position, token.start)
        assert text[token.start : token.end] == token.value
        position = token.end
    assert TRIVIA.fullmatch(text, position)
    # python-hcl2 insists on a final newline; what it parses must be the same file.
    parses_to_tree(text if text.endswith("\n") or not text else text + "\n")
