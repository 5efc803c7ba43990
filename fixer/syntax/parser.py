"""Parsing HCL text into the lossless tree.

Lark compiles ``grammar/hcl2.lark`` into LALR tables once; the tables are cached
on disk (keyed by a hash of the grammar) so a cold process loads them instead of
rebuilding. Parsing drives those tables with the tokens of our own lexer and
builds :mod:`fixer.syntax.nodes` directly in the reduction callbacks. Every
failure, from a bad byte to an unexpected token, leaves as a :class:`ParseError`.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from fixer.syntax.errors import LexError, ParseError
from fixer.syntax.lexer import Token, tokenize
from fixer.syntax.nodes import Attribute, Block, Body, ConfigFile, Expression
from fixer.syntax.source import Source

# -- grammar and tables ----------------------------------------------------------


def grammar_path() -> Path:
    """Where ``hcl2.lark`` is: inside the installed package, or the source tree's ``grammar/``."""
    package_dir = Path(__file__).resolve().parent.parent
    installed = package_dir / "grammar" / "hcl2.lark"
    if installed.is_file():
        return installed
    return package_dir.parent / "grammar" / "hcl2.lark"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "backend-fixer"


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    """Return the start row of the parse table, building or loading the tables once.

    Each row maps a symbol to the next row (a shift or a goto) or to a reduction
    ``(size, origin, callback)``, where a ``None`` callback means the reduced
    value is the single child itself.
    """
    import lark

    from fixer.syntax._lark_lexer import ExternalLexer

    grammar = grammar_path().read_text(encoding="utf-8")
    digest = hashlib.sha256(
        f"{grammar}{lark.__version__}{sys.version_info[:2]}".encode()
    ).hexdigest()[:20]
    cache_file: str | bool = False
    for directory in (_cache_dir(), Path(tempfile.gettempdir())):
        candidate = directory / f"parser-{digest}.lark"
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if candidate.exists() or os.access(directory, os.W_OK):
            cache_file = str(candidate)
            break
    built = lark.Lark(
        grammar, parser="lalr", lexer=ExternalLexer, maybe_placeholders=False, cache=cache_file
    )
    table = built.parser.parser.parser.parse_table  # ParsingFrontend -> LALR_Parser -> _Parser
    reductions = _reductions(built.rules)
    rows: dict[Any, dict[str, Any]] = {state: {} for state in table.states}
    for state, row in table.states.items():
        compiled = rows[state]
        for symbol, (action, arg) in row.items():
            compiled[symbol] = rows[arg] if action.name == "Shift" else reductions[arg]
    return rows[table.start_states["start"]]


# How each symbol of a rule's expansion contributes to the reduced value.
_DROP, _ONE, _MANY = 0, 1, 2


def _reductions(rules: list[Any]) -> dict[Any, tuple[int, str, Any]]:
    """Compile Lark's rules into reduction callbacks that build our nodes.

    Lark's conventions are kept: terminals named ``_X`` are dropped, rules named
    ``_x`` (and Lark's ``__x_star_n`` helpers) are spliced into their parent, and a
    ``?rule`` with one child is replaced by that child. Inlined rules that always
    produce exactly one child pass it through; the others produce lists.
    """
    builder = _TreeBuilder()
    by_origin: dict[str, list[Any]] = {}
    for rule in rules:
        by_origin.setdefault(rule.origin.name, []).append(rule)

    # An inlined rule is "single" when every alternative keeps exactly one child
    # that is itself single; otherwise it yields a list. Iterate to a fixed point.
    single = {name for name in by_origin if name.startswith("_")}
    changed = True
    while changed:
        changed = False
        for name in list(single):
            for rule in by_origin[name]:
                kinds = [_kind(sym, single) for sym in rule.expansion]
                if kinds.count(_DROP) != len(kinds) - 1 or _MANY in kinds:
                    single.discard(name)
                    changed = True
                    break

    compiled: dict[Any, tuple[int, str, Any]] = {}
    for rule in rules:
        name = rule.origin.name
        kinds = tuple(_kind(sym, single) for sym in rule.expansion)
        size = len(kinds)
        if name.startswith("_"):
            callback = None if name in single and kinds == (_ONE,) else _flattener(kinds)
            if name in single and callback is not None:
                index = kinds.index(_ONE)
                callback = _picker(index)
        else:
            # An aliased alternative always builds its node; a plain `?rule` with one
            # child is that child.
            expand1 = rule.options.expand1 and rule.alias is None
            if expand1 and kinds == (_ONE,):
                callback = None
            else:
                method = getattr(builder, rule.alias or name)
                callback = _node_callback(kinds, method, expand1)
        compiled[rule] = (size, name, callback)
    return compiled


def _kind(symbol: Any, single: set[str]) -> int:
    if symbol.is_term:
        return _DROP if symbol.filter_out or symbol.name.startswith("_") else _ONE
    if symbol.name.startswith("_") and symbol.name not in single:
        return _MANY
    return _ONE


def _picker(index: int) -> Any:
    return lambda children: children[index]


def _flattener(kinds: tuple[int, ...]) -> Any:
    """Build a function turning raw children into the flat list of kept values.

    Specialised for the shapes the grammar produces, because it runs on most
    reductions: keep everything, keep some, or extend a left-recursive list.
    """
    kept = [(index, kind) for index, kind in enumerate(kinds) if kind != _DROP]
    if all(kind == _ONE for _, kind in kept):
        if len(kept) == len(kinds):
            return _same_list  # the driver hands over a fresh slice
        indices = tuple(index for index, _ in kept)
        if len(indices) == 1:
            only = indices[0]
            return lambda children: [children[only]]
        return lambda children: [children[i] for i in indices]
    first_index, first_kind = kept[0]
    rest = tuple(index for index, _ in kept[1:])
    if first_kind == _MANY and all(kinds[i] == _ONE for i in rest):
        # A left-recursive list helper: extend the list built so far instead of copying it.
        def extend_first(children: list[Any]) -> list[Any]:
            first = children[first_index]
            for i in rest:
                first.append(children[i])
            return first

        return extend_first

    def flatten(children: list[Any]) -> list[Any]:
        out: list[Any] = []
        for index, kind in kept:
            if kind == _ONE:
                out.append(children[index])
            else:
                out.extend(children[index])
        return out

    return flatten


def _same_list(children: list[Any]) -> list[Any]:
    return children


def _node_callback(kinds: tuple[int, ...], method: Any, expand1: bool) -> Any:
    flatten = _flattener(kinds)
    if flatten is _same_list and not expand1:
        return method

    def build(children: list[Any]) -> Any:
        kept = flatten(children)
        if expand1 and len(kept) == 1:
            return kept[0]
        return method(kept)

    return build


def warm_up() -> None:
    """Load (or build and cache) the parser tables now rather than on the first parse."""
    _tables()


# -- tree building -----------------------------------------------------------------

# HCL operator precedence, higher binds tighter; every binary operator is left-associative.
_PRECEDENCE = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}


def _nest_binary(parts: list[Any]) -> Expression:
    """Turn ``operand op operand op ...`` into nested ``binary_op`` nodes by precedence."""
    operands: list[Any] = [parts[0]]
    operators: list[Token] = []
    for i in range(1, len(parts), 2):
        op = parts[i]
        rank = _PRECEDENCE[op.value]
        while operators and _PRECEDENCE[operators[-1].value] >= rank:
            right = operands.pop()
            operands[-1] = Expression("binary_op", (operands[-1], operators.pop(), right))
        operators.append(op)
        operands.append(parts[i + 1])
    while operators:
        right = operands.pop()
        operands[-1] = Expression("binary_op", (operands[-1], operators.pop(), right))
    return operands[0]


def _expression(kind: str) -> Any:
    def build(children: list[Any]) -> Expression:
        return Expression(kind, tuple(children))

    return build


class _TreeBuilder:
    """Reduction callbacks: one per grammar rule or alias, each returning a node."""

    def start(self, children: list[Any]) -> Body:
        return children[0]

    def body(self, children: list[Any]) -> Body:
        # The span is set by the enclosing block (or the file): it covers the trivia too.
        return Body(tuple(children), -1, -1, None)  # type: ignore[arg-type]

    def attribute(self, children: list[Any]) -> Attribute:
        return Attribute(children[0], children[1], children[2])

    def block(self, children: list[Any]) -> Block:
        open_, body, close = children[-3], children[-2], children[-1]
        body.start = open_.end
        body.end = close.start
        body.src = open_.src
        return Block(children[0], tuple(children[1:-3]), open_, body, close)

    def binary(self, children: list[Any]) -> Expression:
        return _nest_binary(children)

    def conditional(self, children: list[Any]) -> Expression:
        # The condition arrives as a flat operand/operator sequence.
        condition = _nest_binary(children[:-4]) if len(children) > 5 else children[0]
        return Expression("conditional", (condition, *children[-4:]))

    def object_item(self, children: list[Any]) -> Expression:
        key = _nest_binary(children[:-2]) if len(children) > 3 else children[0]
        return Expression("object_item", (key, children[-2], children[-1]))

    unary_op = staticmethod(_expression("unary_op"))
    get_attr = staticmethod(_expression("get_attr"))
    splat = staticmethod(_expression("splat"))
    index = staticmethod(_expression("index"))
    literal = staticmethod(_expression("literal"))
    variable = staticmethod(_expression("variable"))
    parens = staticmethod(_expression("parens"))
    call = staticmethod(_expression("call"))
    tuple = staticmethod(_expression("tuple"))
    object = staticmethod(_expression("object"))
    for_tuple = staticmethod(_expression("for_tuple"))
    for_object = staticmethod(_expression("for_object"))
    template = staticmethod(_expression("template"))
    heredoc_template = staticmethod(_expression("heredoc_template"))
    interpolation = staticmethod(_expression("interpolation"))
    template_if = staticmethod(_expression("template_if"))
    template_for = staticmethod(_expression("template_for"))


# -- parsing -------------------------------------------------------------------------


def parse(text: str, path: str | None = None) -> ConfigFile:
    """Parse HCL native syntax (``.tf``, ``.tofu``, ``.tfvars``, ``.tfbackend``, ``.hcl``).

    Returns the tree, whose ``text`` is ``text`` itself. Raises :class:`ParseError`
    with ``path``, line and column for any invalid input; never a Lark exception.
    """
    src = Source(text, path)
    start_row = _tables()
    state_stack: list[dict[str, Any]] = [start_row]
    value_stack: list[Any] = []
    token: Token | None = None
    try:
        for token in tokenize(text, src):
            _shift(token, state_stack, value_stack)
        token = Token("$END", "", len(text), len(text), src)
        _shift(token, state_stack, value_stack)
    except LexError as error:
        raise _error_at(src, error.offset, error.message) from None
    except _Unexpected as error:
        raise _error_at(src, error.token.start, error.message) from None
    except RecursionError:
        raise _error_at(src, token.start if token else 0, "expression nested too deeply") from None
    body: Body = value_stack[-1]
    body.start, body.end, body.src = 0, len(text), src
    return ConfigFile(body, src)


def _shift(token: Token, state_stack: list[dict[str, Any]], value_stack: list[Any]) -> None:
    """Lark's LALR step: apply the reductions ``token`` triggers, then shift it.

    Table rows are dicts; a shift or goto is the next row itself, a reduction is
    a ``(size, origin, callback)`` tuple. This runs for every token of every file.
    """
    type_ = token.type
    while True:
        row = state_stack[-1]
        action = row.get(type_)
        if type(action) is dict:
            state_stack.append(action)
            value_stack.append(token)
            return
        if action is None:
            raise _Unexpected(token, _unexpected_message(token, state_stack))
        size, origin, callback = action
        if callback is None:  # a unit rule: the value stays, only the state changes
            del state_stack[-1]
        else:
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            value_stack.append(callback(children))
        if origin == "start":
            return
        state_stack.append(state_stack[-1][origin])


def parse_bytes(data: bytes, path: str | None = None) -> ConfigFile:
    """Decode ``data`` as UTF-8 (a BOM allowed) and parse it.

    Undecodable bytes raise :class:`ParseError` at the line and column of the
    first bad byte.
    """
    return parse(decode(data, path), path)


def decode(data: bytes, path: str | None = None) -> str:
    """Decode file bytes strictly as UTF-8, keeping a BOM as U+FEFF and CRLF as is."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        good = data[: error.start].decode("utf-8")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        raise ParseError(
            f"file is not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})",
            path=path,
            line=line,
            column=column,
        ) from None


class _Unexpected(Exception):
    def __init__(self, token: Token, message: str) -> None:
        self.token = token
        self.message = message


# -- error messages -----------------------------------------------------------------

_TOKEN_WORDS = {
    "IDENT": "a name",
    "NUMBER": "a number",
    "LEGACY_INDEX": "an index",
    "STRING": "a string",
    "HEREDOC": "a heredoc",
    "QUOTE_OPEN": "a string",
    "QUOTE_CLOSE": "'\"'",
    "HEREDOC_OPEN": "a heredoc",
    "HEREDOC_CLOSE": "the heredoc's closing marker",
    "TEMPLATE_LITERAL": "text",
    "INTERP_OPEN": "'${'",
    "INTERP_CLOSE": "'}'",
    "DIRECTIVE_IF": "'%{ if'",
    "DIRECTIVE_FOR": "'%{ for'",
    "DIRECTIVE_CLOSE": "'}'",
    "DIRECTIVE_ELSE": "'%{ else }'",
    "DIRECTIVE_ENDIF": "'%{ endif }'",
    "DIRECTIVE_ENDFOR": "'%{ endfor }'",
    "FOR": "'for'",
    "IN": "'in'",
    "IF": "'if'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "LPAR": "'('",
    "RPAR": "')'",
    "EQUAL": "'='",
    "COLON": "':'",
    "COMMA": "','",
    "DOT": "'.'",
    "QMARK": "'?'",
    "ELLIPSIS": "'...'",
    "FATARROW": "'=>'",
    "DCOLON": "'::'",
    "BINOP": "an operator",
    "MINUS": "'-'",
    "BANG": "'!'",
    "STAR": "'*'",
    "_NL": "a newline",
    "$END": "the end of the file",
}

_EXPRESSION_STARTS = {
    "IDENT",
    "NUMBER",
    "STRING",
    "QUOTE_OPEN",
    "LSQB",
    "LBRACE",
    "LPAR",
    "MINUS",
    "BANG",
}
_OPERATORS = {"BINOP", "MINUS", "STAR", "QMARK"}


def _describe_token(token: Token) -> str:
    if token.type in ("IDENT", "NUMBER"):
        return f"{_TOKEN_WORDS[token.type].split(' ', 1)[1]} {token.value!r}"
    if token.type == "BINOP":
        return f"operator {token.value!r}"
    words = _TOKEN_WORDS.get(token.type, repr(token.value))
    return words.split(" ", 1)[1] if words.startswith(("a ", "an ")) else words


def _accepts(state_stack: list[dict[str, Any]], type_: str) -> bool:
    """Would ``type_`` be shifted from here? Replays the reductions on a copy of the stack.

    An LALR row may list a terminal that only fails after some reductions, so
    the row's keys alone overstate what may come next.
    """
    stack = list(state_stack)
    while True:
        action = stack[-1].get(type_)
        if action is None:
            return False
        if type(action) is dict:
            return True
        size, origin, _ = action
        if origin == "start":
            return True
        del stack[len(stack) - size :]
        stack.append(stack[-1][origin])


def _unexpected_message(token: Token, state_stack: list[dict[str, Any]]) -> str:
    """A one-line, plain-words description of a syntax error at ``token``."""
    candidates = [name for name in state_stack[-1] if name.isupper()]
    valid = {name for name in candidates if _accepts(state_stack, name)}
    words: list[str] = []
    if _EXPRESSION_STARTS <= valid:
        words.append("an expression")
        valid -= _EXPRESSION_STARTS | {"HEREDOC", "HEREDOC_OPEN"}
    if "BINOP" in valid:
        words.append("an operator")
        valid -= _OPERATORS
    words += sorted({_TOKEN_WORDS[name] for name in valid if name in _TOKEN_WORDS})
    unexpected = _describe_token(token)
    hint = ""
    if token.type == "_NL" and valid == {"RBRACE"}:
        hint = " (a one-line block must close on the same line)"
    elif token.type == "RBRACE" and valid == {"_NL"}:
        hint = " (a block's closing '}' goes on its own line)"
    elif token.type == "_NL" and words[:1] == ["an expression"]:
        hint = " (a value may only break across lines inside ( ) or [ ])"
    elif token.type == "QUOTE_OPEN" and {"STRING", "LBRACE"} <= valid:
        hint = " (block labels are plain strings, without ${ })"
    elif token.type in ("LBRACE", "STRING", "IDENT") and valid == {"EQUAL"}:
        hint = " (a one-line block holds at most one attribute, not a block)"
    if not words:
        return f"unexpected {unexpected}{hint}"
    if len(words) > 6:
        words = [*words[:5], "..."]
    listed = ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else words[0]
    return f"unexpected {unexpected}; expected {listed}{hint}"


def _error_at(src: Source, offset: int, message: str) -> ParseError:
    line, column = src.position(offset)
    return ParseError(
        message, path=src.path, line=line, column=column, source_line=src.line_text(line)
    )
