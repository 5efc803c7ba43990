"""Invalid input raises ParseError with the right line, column and a plain message.

Each case is text Terraform itself rejects (checked against ``terraform fmt`` in
test_terraform_agreement.py); the expected position is that of the first
offending character, 1-based, columns counted in characters.
"""

from __future__ import annotations

import pytest

from fixer.syntax import ParseError, decode, parse, parse_bytes

INVALID = [
    # (text, line, column, words the message must contain)
    ("a = \n", 1, 5, "unexpected newline; expected an expression"),
    ("a = 1 2\n", 1, 7, "unexpected number '2'"),
    ("a\n", 1, 2, "expected '='"),
    ("= 1\n", 1, 1, "unexpected '='"),
    ('a = "unterminated\n', 1, 18, "not closed before the end of the line"),
    ("a = {\n  b = 1\n", 3, 1, "object opened at line 1, column 5 is never closed"),
    ("a = [1, 2\n", 2, 1, "'[' opened at line 1, column 5 is never closed"),
    ("b {\n  c = 1\n", 3, 1, "block opened at line 1, column 3 is never closed"),
    ("a = f(1,\n", 2, 1, "'(' opened at line 1, column 6 is never closed"),
    ("}\n", 1, 1, "no open bracket"),
    ("b {\n  a = 1 }\n", 2, 9, "closing '}' goes on its own line"),
    ("b { a = 1\n}\n", 1, 10, "one-line block must close on the same line"),
    ("b { c {} }\n", 1, 7, "at most one attribute"),
    ('a = "\\x"\n', 1, 6, "invalid escape sequence"),
    ('a = "\\uZZZZ"\n', 1, 6, "invalid escape sequence"),
    ("a = <<EOT\nx\n", 1, 5, "heredoc <<EOT is never closed"),
    ("a = <<EOT\nx\nEOT", 1, 5, "heredoc <<EOT is never closed"),
    ("a = <<EOT \nx\nEOT\n", 1, 5, "<<NAME or <<-NAME followed by a newline"),
    ("a = foo.0.1\n", 1, 9, "legacy index"),
    ("a = { a = 1\n, b = 2 }\n", 2, 1, "unexpected ','"),
    ("a = 1 +\n", 1, 8, "unexpected newline"),
    ("a = x ? y\n  : z\n", 1, 10, "expected ':'"),
    ('a = "%{ else }"\n', 1, 6, "unexpected '%{ else }'"),
    ('a = "%{ x }"\n', 1, 6, "directive must be if, else, endif, for or endfor"),
    ('a = "${"\n', 1, 9, "not closed before the end of the line"),
    ("a = 1;\n", 1, 6, "unexpected character ';'"),
    ("a = `x`\n", 1, 5, "unexpected character '`'"),
    ('b "${x}" {\n}\n', 1, 3, "block labels are plain strings"),
    ("b 1 {\n}\n", 1, 3, "unexpected number '1'"),
    ("a = f(x...,)\n", 1, 11, "expected ')'"),
    ("a = [for, in]\n", 1, 9, "expected a name"),
    ("a = 1 /* never closed\n", 1, 7, "comment '/*' is never closed"),
    ('resource "a" "b" {\n  x = [\n    1,\n    2\n  }\n}\n', 5, 3, "expected ']' to close the '['"),
    ('a = "ok"\n\nb = "${var.x"\n', 3, 13, "expected an operator, '.', '[' or '}'"),
    ("a = {b = 1 c = 2}\n", 1, 12, "unexpected name 'c'"),
    ("a = [1 2]\n", 1, 8, "expected an operator, ',', '.', '[' or ']'"),
    ("x = y = 1\n", 1, 7, "unexpected '='"),
    ("a = \x00\n", 1, 5, "control character U+0000"),
    ("a = 1\r\nb = \r\n", 2, 5, "unexpected newline"),
    ("\ufeffa = 1 2\n", 1, 7, "unexpected number '2'"),
    ("locals {\n\tx = 1 2\n}\n", 2, 8, "unexpected number '2'"),
    ("caf\u00e9 = 1 2\n", 1, 10, "unexpected number '2'"),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "words"), INVALID, ids=[repr(c[0]) for c in INVALID]
)
def test_invalid_input_reports_line_and_column(
    text: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text, "config/main.tf")
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert words in error.message
    assert str(error) == f"config/main.tf:{line}:{column}: {error.message}"
    assert "\n" not in str(error), "the error must be one line"
    # The caret line points at the reported column.
    source_line, caret = error.caret.split("\n")
    assert len(caret) == column and caret.endswith("^")
    assert source_line == text.lstrip("\ufeff").split("\n")[line - 1].rstrip("\r")


def test_errors_are_only_parse_errors() -> None:
    """No Lark exception or other error type escapes for any of the cases."""
    for text, *_ in INVALID:
        try:
            parse(text)
        except ParseError:
            continue
        pytest.fail(f"accepted invalid input {text!r}")


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b'a = "caf\xe9"\n', 1, 9),
        (b'a = 1\nb = "\xff\xfe"\n', 2, 6),
        (b"\x89PNG\r\n\x1a\n\x00\x00", 1, 1),
    ],
)
def test_undecodable_bytes_are_a_parse_error(data: bytes, line: int, column: int) -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, "bad.tf")
    assert (caught.value.line, caught.value.column) == (line, column)
    assert "not valid UTF-8" in str(caught.value)
    assert str(caught.value).startswith(f"bad.tf:{line}:{column}: ")


def test_decode_keeps_bom_and_crlf() -> None:
    assert decode(b"\xef\xbb\xbfa = 1\r\n") == "\ufeffa = 1\r\n"


def test_with_path_names_the_file() -> None:
    with pytest.raises(ParseError) as caught:
        parse("a = \n")
    assert str(caught.value) == caught.value.with_path("x.tf").__str__().removeprefix("x.tf:")
    assert str(caught.value.with_path("x.tf")).startswith("x.tf:1:5: ")
