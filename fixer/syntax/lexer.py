"""The mode-aware HCL lexer that feeds the Lark LALR parser.

HCL cannot be tokenised by one context-free set of regular expressions: newlines
matter in bodies and objects but not inside brackets, quoted strings and heredocs
nest expressions inside text, and `for`/`in`/`if` are keywords only inside `for`
expressions. This module owns those rules with a small stack of contexts. Tokens
carry offsets only; whitespace and comments are never emitted, so the gaps between
consecutive tokens are exactly the file's trivia and the tree stays lossless.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fixer.syntax.errors import LexError

# Context kinds on the lexer's stack. Newlines are significant only in BODY and
# OBJECT; every other context ignores them, as HCL's own parser does.
BODY = 0
OBJECT = 1
PAREN = 2
BRACKET = 3
FOR = 4  # a `for` expression in [ ] or { }: newlines ignored, `in` and `if` are keywords
INTERP = 5  # ${ ... } inside a template
DIRECTIVE = 6  # %{ if ... } / %{ for ... } header inside a template
TEMPLATE = 7  # literal text of a quoted template or heredoc (lexed by _lex_template_text)

_NEWLINE_SIGNIFICANT = (True, True, False, False, False, False, False, False)

# Operators that are only ever binary. `-` (unary too) and `*` (splat too) get
# their own token types so the grammar can tell the uses apart.
_BINOPS = frozenset(("||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "/", "%"))

_PUNCT_TYPES = {
    "{": "LBRACE",
    "}": "RBRACE",
    "[": "LSQB",
    "]": "RSQB",
    "(": "LPAR",
    ")": "RPAR",
    "=": "EQUAL",
    ":": "COLON",
    ",": "COMMA",
    ".": "DOT",
    "?": "QMARK",
    "...": "ELLIPSIS",
    "=>": "FATARROW",
    "::": "DCOLON",
    "-": "MINUS",
    "!": "BANG",
    "*": "STAR",
}

_IDENT = r"[^\W\d][\w\-]*"

# One pattern for everything that can start a token (or a gap) in expression and
# body context. The alternatives are ordered so that longer operators win.
_EXPR_RE = re.compile(
    r"""[ \t]*(?:
      (?P<nl>\r?\n)
    | (?P<comment>\#[^\n]*|//[^\n]*|/\*.*?\*/)
    | (?P<ident>"""
    + _IDENT
    + r""")
    | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
    | (?P<string>"(?:[^"\\\r\n$%]++|\\(?:[nrt"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})|\$\$\{|%%\{|\$(?!\{)|%(?!\{))*+")
    | (?P<quote>")
    | (?P<heredoc><<(?P<strip>-?)(?P<marker>"""
    + _IDENT
    + r""")\r?\n)
    | (?P<close_strip>~\})
    | (?P<bad>/\*|<<)
    | (?P<op>\.\.\.|=>|::|==|!=|<=|>=|&&|\|\||[{}\[\]()=:,.?\-!*<>+/%])
    | (?P<eof>\Z)
    )""",
    re.VERBOSE | re.DOTALL,
)

# Literal text inside a quoted template: anything up to the closing quote, a
# newline (not allowed in quoted templates), or an unescaped ${ / %{. The
# possessive quantifiers (++, *+) matter: the alternatives never overlap, and
# without them an unclosed string backtracks exponentially.
_QUOTED_LITERAL_RE = re.compile(
    r"""(?:[^"\\\r\n$%]++|\\(?:[nrt"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})|\$\$\{|%%\{|\$(?!\{)|%(?!\{))++"""
)
# Literal text on one heredoc line. Backslashes are not escapes in heredocs.
_HEREDOC_LITERAL_RE = re.compile(r"(?:[^$%\n]++|\$\$\{|%%\{|\$(?!\{)|%(?!\{))++\n?|\n")
_INTERP_OPEN_RE = re.compile(r"\$\{~?")
_DIRECTIVE_RE = re.compile(r"%\{(~?)\s*(if|for|else|endif|endfor)\b(?:\s*(~?)\})?")
_CLOSE_RE = re.compile(r"~?\}")
_WS_RE = re.compile(r"[ \t]*")
_TEMPLATE_MARKER_RE = re.compile(r"(?<!\$)\$\{|(?<!%)%\{")


class Token:
    """A terminal: its grammar type, its text and its [start, end) offsets.

    ``src`` is the shared :class:`~fixer.syntax.source.Source`, which turns
    offsets into lines and columns on demand.
    """

    __slots__ = ("end", "src", "start", "type", "value")

    def __init__(self, type_: str, value: str, start: int, end: int, src: object) -> None:
        self.type = type_
        self.value = value
        self.start = start
        self.end = end
        self.src = src

    @property
    def line(self) -> int:
        return self.src.position(self.start)[0]  # type: ignore[attr-defined]

    @property
    def column(self) -> int:
        return self.src.position(self.start)[1]  # type: ignore[attr-defined]

    @property
    def end_line(self) -> int:
        return self.src.position(self.end)[0]  # type: ignore[attr-defined]

    @property
    def end_column(self) -> int:
        return self.src.position(self.end)[1]  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"Token({self.type}, {self.value!r}, {self.start}:{self.end})"


class _Context:
    """One level of the lexer's stack: the bracket or template we are inside."""

    __slots__ = ("for_stage", "kind", "marker", "opened_at", "saw_equals")

    def __init__(self, kind: int, opened_at: int, marker: str | None = None) -> None:
        self.kind = kind
        self.opened_at = opened_at
        self.marker = marker  # TEMPLATE: None for a quoted template, else the heredoc marker
        self.saw_equals = False  # BODY: the current line is an attribute, so `{` opens an object
        self.for_stage = -1  # FOR or a %{ for } header: 0 before `in`, 1 after it


_GROUP = _EXPR_RE.groupindex
_NL_GROUP = _GROUP["nl"]
_COMMENT_GROUP = _GROUP["comment"]
_IDENT_GROUP = _GROUP["ident"]
_NUMBER_GROUP = _GROUP["number"]
_STRING_GROUP = _GROUP["string"]
_QUOTE_GROUP = _GROUP["quote"]
_HEREDOC_GROUP = _GROUP["heredoc"]
_CLOSE_STRIP_GROUP = _GROUP["close_strip"]
_OP_GROUP = _GROUP["op"]
_EOF_GROUP = _GROUP["eof"]
_BAD_GROUP = _GROUP["bad"]


def tokenize(text: str, src: object) -> Iterator[Token]:
    """Yield the significant tokens of ``text``; raise :class:`LexError` on bad input.

    A UTF-8 byte-order mark at offset 0 is trivia. The generator ends after the
    last token; it does not yield an end marker. Errors are raised in file
    order, so the first problem in the text is the one reported.
    """
    pos = 1 if text.startswith("\ufeff") else 0
    length = len(text)
    stack: list[_Context] = [_Context(BODY, 0)]
    top = stack[0]
    last_type = "_NL"  # suppresses a newline at the start of the file
    expr_match = _EXPR_RE.match
    punct_types = _PUNCT_TYPES
    template_tokens: list[Token] = []

    # Branches are ordered by how often real files take them.
    while pos < length:
        m = expr_match(text, pos)
        if m is None:
            _raise_unexpected(text, _skip_blanks(text, pos), stack)
        group = m.lastindex
        end = m.end()

        if group == _IDENT_GROUP:
            start = m.start(group)
            value = m.group(group)
            type_ = "IDENT"
            if value == "for":
                if last_type == "LSQB" or (last_type == "LBRACE" and top.kind == OBJECT):
                    top.kind = FOR
                    top.for_stage = 0
                    type_ = "FOR"
            elif value == "in":
                if top.for_stage == 0:
                    top.for_stage = 1
                    type_ = "IN"
            elif value == "if" and top.kind == FOR and top.for_stage == 1:
                type_ = "IF"
            last_type = type_
            yield Token(type_, value, start, end, src)
            pos = end
            continue

        if group == _OP_GROUP:
            start = m.start(group)
            value = m.group(group)
            type_ = punct_types.get(
                value, "BINOP"
            )  # operators missing from the table are binary-only
            if type_ == "EQUAL":
                top.saw_equals = True
            elif type_ == "LBRACE":
                # In a body, `{` opens a block unless the line is an attribute.
                top = _Context(BODY if top.kind == BODY and not top.saw_equals else OBJECT, start)
                stack.append(top)
            elif type_ == "RBRACE":
                if top.kind == INTERP or top.kind == DIRECTIVE:
                    group = _CLOSE_STRIP_GROUP  # ends a template part, like `~}`: handled below
                else:
                    if (
                        top.kind == BRACKET
                        or top.kind == PAREN
                        or len(stack) == 1
                        or (top.kind == FOR and text[top.opened_at] == "[")
                    ):
                        _raise_mismatched(text, start, stack)
                    stack.pop()
                    top = stack[-1]
            elif type_ == "LSQB":
                top = _Context(BRACKET, start)
                stack.append(top)
            elif type_ == "RSQB":
                if top.kind not in (BRACKET, FOR) or text[top.opened_at] != "[":
                    _raise_mismatched(text, start, stack)
                stack.pop()
                top = stack[-1]
            elif type_ == "LPAR":
                top = _Context(PAREN, start)
                stack.append(top)
            elif type_ == "RPAR":
                if top.kind != PAREN:
                    _raise_mismatched(text, start, stack)
                stack.pop()
                top = stack[-1]
            if group == _OP_GROUP:
                last_type = type_
                yield Token(type_, value, start, end, src)
                pos = end
                continue

        elif group == _NL_GROUP:
            # Newlines right after an object's `{` or `,` separate nothing; a
            # block's `{` must be followed by one unless the block is one line.
            if (
                _NEWLINE_SIGNIFICANT[top.kind]
                and last_type != "_NL"
                and not (top.kind == OBJECT and (last_type == "LBRACE" or last_type == "COMMA"))
            ):
                last_type = "_NL"
                yield Token("_NL", m.group(group), m.start(group), end, src)
            if top.kind == BODY:
                top.saw_equals = False
            pos = end
            continue

        elif group == _STRING_GROUP:
            last_type = "STRING"
            yield Token("STRING", m.group(group), m.start(group), end, src)
            pos = end
            continue

        elif group in (_COMMENT_GROUP, _EOF_GROUP):
            pos = end
            continue

        elif group == _NUMBER_GROUP:
            start = m.start(group)
            if last_type == "DOT":
                # `foo.0` is the legacy spelling of foo[0]; Terraform rejects `foo.0.1`.
                end = start
                while end < length and text[end].isdigit():
                    end += 1
                if text.startswith(".", end) and end + 1 < length and text[end + 1].isdigit():
                    raise LexError(
                        "legacy index syntax allows one number per step: use [0][1]", start
                    )
                last_type = "LEGACY_INDEX"
                yield Token("LEGACY_INDEX", text[start:end], start, end, src)
            else:
                last_type = "NUMBER"
                yield Token("NUMBER", m.group(group), start, end, src)
            pos = end
            continue

        # The rest switches to template mode: the tokens come from _lex_template_text.
        start = m.start(m.lastindex)  # not `group`: a `}` may have been redirected here
        if group == _BAD_GROUP:
            _raise_unexpected(text, start, stack)
        if group == _CLOSE_STRIP_GROUP:
            # `}` or `~}` ends an interpolation or a directive header: back to the template.
            if top.kind != INTERP and top.kind != DIRECTIVE:
                _raise_unexpected(text, start, stack)
            type_ = "INTERP_CLOSE" if top.kind == INTERP else "DIRECTIVE_CLOSE"
            yield Token(type_, text[start:end], start, end, src)
            stack.pop()
            pos = _lex_template_text(text, end, stack, src, template_tokens)
        elif group == _QUOTE_GROUP:
            # A quoted template holding ${ } or %{ } (the simple case is STRING).
            yield Token("QUOTE_OPEN", '"', start, end, src)
            stack.append(_Context(TEMPLATE, start))
            pos = _lex_template_text(text, end, stack, src, template_tokens)
        else:  # heredoc
            marker = m.group("marker")
            close = _find_heredoc_close(text, end, marker)
            if close is None:
                raise LexError(
                    f"heredoc <<{m.group('strip')}{marker} is never closed: "
                    f"expected a line holding only {marker}",
                    start,
                )
            close_start, close_end = close
            if _TEMPLATE_MARKER_RE.search(text, end, close_start) is None:
                last_type = "HEREDOC"
                yield Token("HEREDOC", text[start:close_end], start, close_end, src)
                pos = close_end
                continue
            yield Token("HEREDOC_OPEN", text[start:end], start, end, src)
            stack.append(_Context(TEMPLATE, start, marker))
            pos = _lex_template_text(text, end, stack, src, template_tokens)

        yield from template_tokens
        last_type = template_tokens[-1].type
        template_tokens.clear()
        top = stack[-1]

    if len(stack) > 1:
        _raise_unclosed(text, stack)


def _skip_blanks(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _lex_template_text(
    text: str, pos: int, stack: list[_Context], src: object, out: list[Token]
) -> int:
    """Lex template text from ``pos`` until an interpolation or the template's end.

    The template context is on top of ``stack``. Appends tokens to ``out`` (at
    least one) and returns the new position. At ``${`` or a directive header it
    pushes an INTERP/DIRECTIVE context and returns so the expression lexer takes
    over; at the closing quote or marker it pops the template context.
    """
    ctx = stack[-1]
    marker = ctx.marker
    quoted = marker is None
    length = len(text)
    # Back from an interpolation mid-line, the closing marker cannot be next.
    line_start = pos if not quoted and text[pos - 1] == "\n" else -1
    while True:
        if pos >= length:
            if quoted:
                raise LexError("quoted string is never closed: expected '\"'", ctx.opened_at)
            raise LexError(
                f"heredoc is never closed: expected a line holding only {marker}", ctx.opened_at
            )
        if pos == line_start:
            close_end = _match_heredoc_close(text, pos, marker)  # type: ignore[arg-type]
            if close_end is not None:
                out.append(Token("HEREDOC_CLOSE", text[pos:close_end], pos, close_end, src))
                stack.pop()
                return close_end
        ch = text[pos]
        if ch == "$" and text.startswith("${", pos):
            m = _INTERP_OPEN_RE.match(text, pos)
            out.append(Token("INTERP_OPEN", m.group(), pos, m.end(), src))  # type: ignore[union-attr]
            stack.append(_Context(INTERP, pos))
            return m.end()  # type: ignore[union-attr]
        if ch == "%" and text.startswith("%{", pos):
            m = _DIRECTIVE_RE.match(text, pos)
            if m is None:
                raise LexError("template directive must be if, else, endif, for or endfor", pos)
            keyword = m.group(2)
            closed = m.group(3) is not None
            type_ = "DIRECTIVE_" + keyword.upper()
            out.append(Token(type_, m.group(), pos, m.end(), src))
            if keyword in ("else", "endif", "endfor"):
                if not closed:
                    raise LexError(f"%{{ {keyword} }} must be closed with '}}'", m.end())
                pos = m.end()
                continue
            if closed:
                raise LexError(f"%{{ {keyword} }} needs an expression", pos)
            inner = _Context(DIRECTIVE, pos)
            if keyword == "for":
                inner.for_stage = 0
            stack.append(inner)
            return m.end()
        if quoted:
            if ch == '"':
                out.append(Token("QUOTE_CLOSE", '"', pos, pos + 1, src))
                stack.pop()
                return pos + 1
            m = _QUOTED_LITERAL_RE.match(text, pos)
            if m is None:
                if ch == "\n" or ch == "\r":
                    raise LexError("quoted string is not closed before the end of the line", pos)
                if ch == "\\":
                    raise LexError("invalid escape sequence in quoted string", pos)
                raise LexError(
                    f"unexpected character {ch!r} in quoted string", pos
                )  # pragma: no cover
            out.append(Token("TEMPLATE_LITERAL", m.group(), pos, m.end(), src))
            pos = m.end()
        else:
            m = _HEREDOC_LITERAL_RE.match(text, pos)
            end = m.end()  # type: ignore[union-attr]
            out.append(Token("TEMPLATE_LITERAL", text[pos:end], pos, end, src))
            if text[end - 1] == "\n":
                line_start = end
            pos = end


def _match_heredoc_close(text: str, pos: int, marker: str) -> int | None:
    """Return the end of a closing-marker line starting at ``pos``, or None.

    The marker may be indented and followed by spaces; the newline after it is
    not part of the heredoc.
    """
    ws_end = _WS_RE.match(text, pos).end()  # type: ignore[union-attr]
    if not text.startswith(marker, ws_end):
        return None
    after = _WS_RE.match(text, ws_end + len(marker)).end()  # type: ignore[union-attr]
    # Terraform needs a newline after the marker, even at the end of the file.
    if text.startswith("\n", after) or text.startswith("\r\n", after):
        return ws_end + len(marker)
    return None


def _find_heredoc_close(text: str, pos: int, marker: str) -> tuple[int, int] | None:
    """Find the closing marker line of a heredoc whose content starts at ``pos``."""
    line_start = pos
    length = len(text)
    while line_start <= length:
        end = _match_heredoc_close(text, line_start, marker)
        if end is not None:
            return line_start, end
        nl = text.find("\n", line_start)
        if nl < 0:
            return None
        line_start = nl + 1
    return None


_CONTEXT_NAMES = {
    BODY: "block",
    OBJECT: "object",
    PAREN: "'('",
    BRACKET: "'['",
    FOR: "for expression",
    INTERP: "interpolation '${'",
    DIRECTIVE: "template directive '%{'",
    TEMPLATE: "string",
}
_CLOSERS = {BODY: "}", OBJECT: "}", PAREN: ")", BRACKET: "]", INTERP: "}", DIRECTIVE: "}"}


def _opened(text: str, ctx: _Context) -> str:
    line = text.count("\n", 0, ctx.opened_at) + 1
    column = ctx.opened_at - (text.rfind("\n", 0, ctx.opened_at) + 1) + 1
    return f"{_CONTEXT_NAMES[ctx.kind]} opened at line {line}, column {column}"


def _raise_mismatched(text: str, pos: int, stack: list[_Context]) -> None:
    ch = text[pos]
    top = stack[-1]
    if len(stack) == 1:
        raise LexError(f"unexpected '{ch}': there is no open bracket for it to close", pos)
    closer = "]" if top.kind == FOR and text[top.opened_at] == "[" else _CLOSERS.get(top.kind, "}")
    raise LexError(f"unexpected '{ch}': expected '{closer}' to close the {_opened(text, top)}", pos)


def _raise_unexpected(text: str, pos: int, stack: list[_Context]) -> None:
    ch = text[pos]
    if ch == "/" and text.startswith("/*", pos):
        raise LexError("comment '/*' is never closed with '*/'", pos)
    if ch == "<" and text.startswith("<<", pos):
        raise LexError("a heredoc starts with <<NAME or <<-NAME followed by a newline", pos)
    if ch in "}])":
        _raise_mismatched(text, pos, stack)
    if ch == "~":
        raise LexError("unexpected '~': strip markers only stand inside ${ } and %{ }", pos)
    if ch == "\r":
        raise LexError("carriage return not followed by a newline", pos)
    if not ch.isprintable():
        raise LexError(f"unexpected control character U+{ord(ch):04X}", pos)
    raise LexError(f"unexpected character {ch!r}", pos)


def _raise_unclosed(text: str, stack: list[_Context]) -> None:
    raise LexError(
        f"unexpected end of file: the {_opened(text, stack[-1])} is never closed", len(text)
    )
