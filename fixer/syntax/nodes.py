"""The lossless syntax tree: files, bodies, attributes, blocks and expressions.

Nodes never copy text: each one knows its [start, end) character offsets in the
shared :class:`~fixer.syntax.source.Source`, and the gaps between tokens hold the
whitespace and comments. So a node's text is always a slice of the original, and
the whole file's text is exactly what was parsed. Nodes are built once by the
parser and treated as immutable afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fixer.syntax.lexer import Token
from fixer.syntax.source import Source


class Node:
    """Base of all tree nodes: a span of the source."""

    __slots__ = ("end", "src", "start")

    start: int
    end: int
    src: Source

    @property
    def text(self) -> str:
        """The exact source text of this node, trivia between its tokens included."""
        return self.src.text[self.start : self.end]

    @property
    def line(self) -> int:
        return self.src.position(self.start)[0]

    @property
    def column(self) -> int:
        return self.src.position(self.start)[1]

    @property
    def end_line(self) -> int:
        return self.src.position(self.end)[0]

    @property
    def end_column(self) -> int:
        return self.src.position(self.end)[1]

    def children(self) -> tuple[Node | Token, ...]:
        """Direct children in source order (nodes and tokens)."""
        raise NotImplementedError

    def tokens(self) -> Iterator[Token]:
        """Every token under this node, in source order."""
        stack: list[Any] = [self]
        while stack:
            item = stack.pop()
            if isinstance(item, Token):
                yield item
            else:
                stack.extend(reversed(item.children()))

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first, in source order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(c for c in reversed(node.children()) if isinstance(c, Node))


class Expression(Node):
    """Any expression. ``kind`` says which; ``parts`` are its tokens and subexpressions.

    Kinds: literal (NUMBER, STRING or plain HEREDOC token), variable, template,
    heredoc_template, interpolation, template_if, template_for, tuple, object,
    object_item, for_tuple, for_object, call, parens, get_attr, index, splat,
    unary_op, binary_op, conditional.
    """

    __slots__ = ("kind", "parts")

    def __init__(self, kind: str, parts: tuple[Node | Token, ...]) -> None:
        self.kind = kind
        self.parts = parts
        first = parts[0]
        self.start = first.start
        self.end = parts[-1].end
        self.src = first.src  # type: ignore[assignment]

    def children(self) -> tuple[Node | Token, ...]:
        return self.parts

    def __repr__(self) -> str:
        return f"Expression({self.kind}, {self.text!r})"

    # -- literal values -------------------------------------------------------

    def literal(self) -> Literal | None:
        """The value of a plain string, number, bool or null; None for anything else.

        A quoted string or heredoc with ``${ }`` or ``%{ }`` is not a literal.
        Parentheses and unary minus on numbers are looked through (iteratively:
        generated files nest them deeply).
        """
        node: Expression = self
        negate = False
        while node.kind == "parens" or (node.kind == "unary_op" and node.parts[0].value == "-"):  # type: ignore[union-attr]
            if node.kind == "unary_op":
                negate = not negate
            node = node.parts[1]  # type: ignore[assignment]
        kind = node.kind
        value: str | int | float | bool | None
        if kind == "literal":
            token = node.parts[0]
            assert isinstance(token, Token)
            if token.type == "NUMBER":
                value = _number(token.value)
            elif token.type == "STRING":
                value = unescape_quoted(token.value[1:-1])
            else:
                value = heredoc_value(token.value)
        elif kind == "variable" and node.parts[0].value in _KEYWORD_VALUES:  # type: ignore[union-attr]
            value = _KEYWORD_VALUES[node.parts[0].value]  # type: ignore[union-attr]
        else:
            return None
        if negate:
            if not isinstance(value, int | float) or isinstance(value, bool):
                return None
            value = -value
        return Literal(value)

    def constant(self, _depth: int = 0) -> Literal | None:
        """The value of a constant: a literal, or a tuple or object built only of constants.

        Tuples become lists and objects dicts (keys: identifiers or plain
        strings). Anything with a reference, a call or a template gives None, as
        does nesting deeper than 32 levels.
        """
        if self.kind == "tuple":
            if _depth > 32:
                return None
            items = []
            for item in self.tuple_items():
                value = item.constant(_depth + 1)
                if value is None:
                    return None
                items.append(value.value)
            return Literal(items)  # type: ignore[arg-type]
        if self.kind == "object":
            if _depth > 32:
                return None
            members: dict[str, object] = {}
            for item in self.object_items():
                key = item.object_key_name()
                value = item.object_value().constant(_depth + 1)
                if key is None or value is None:
                    return None
                members[key] = value.value
            return Literal(members)  # type: ignore[arg-type]
        return self.literal()

    def object_items(self) -> list[Expression]:
        """The ``object_item`` children of an object constructor ([] for other kinds)."""
        if self.kind != "object":
            return []
        return [p for p in self.parts if isinstance(p, Expression)]

    def object_get(self, key: str) -> Expression | None:
        """The value for ``key`` in an object constructor, or None.

        Keys match when they are a bare identifier or a plain string equal to ``key``.
        """
        for item in self.object_items():
            if item.object_key_name() == key:
                return item.object_value()
        return None

    def object_key_name(self) -> str | None:
        """For an ``object_item``: its key as text when it is an identifier or plain string."""
        key = self.parts[0]
        if not isinstance(key, Expression):
            return None
        if key.kind == "variable":
            return key.parts[0].value  # type: ignore[union-attr]
        value = key.literal()
        return value.value if value is not None and isinstance(value.value, str) else None

    def object_value(self) -> Expression:
        """For an ``object_item``: the value expression."""
        return self.parts[2]  # type: ignore[return-value]

    def tuple_items(self) -> list[Expression]:
        """The element expressions of a tuple constructor ([] for other kinds)."""
        if self.kind != "tuple":
            return []
        return [p for p in self.parts if isinstance(p, Expression)]

    @property
    def call_name(self) -> str | None:
        """For a function call: its full name, e.g. ``provider::aws::arn_parse``."""
        if self.kind != "call":
            return None
        names = []
        for part in self.parts:
            if isinstance(part, Token) and part.type == "LPAR":
                break
            names.append(part.value)  # type: ignore[union-attr]
        return "".join(names)

    def traversal(self) -> list[str] | None:
        """For ``var.a.b`` and ``local.x[0]``: the root name and attribute names.

        Returns None when the expression is not rooted in a variable; index steps
        appear as ``"[]"``.
        """
        steps: list[str] = []
        node: Expression = self
        while True:
            if node.kind == "variable":
                steps.append(node.parts[0].value)  # type: ignore[union-attr]
                return steps[::-1]
            if node.kind == "get_attr":
                steps.append(node.parts[2].value)  # type: ignore[union-attr]
            elif node.kind in ("index", "splat"):
                steps.append("[]")
            else:
                return None
            node = node.parts[0]  # type: ignore[assignment]

    def references(self) -> Iterator[Expression]:
        """Every reference and function call in this expression, in source order.

        A reference is the longest traversal rooted in a variable (``var.a.b``,
        ``local.x[0]``), yielded once as a whole; ``true``, ``false`` and ``null``
        are not references. Calls are yielded too, then their arguments are
        searched. Names bound by ``for`` expressions are not filtered out.
        """
        stack: list[Node | Token] = [self]
        while stack:
            node = stack.pop()
            if not isinstance(node, Expression):
                continue
            if node.kind in _TRAVERSAL_KINDS and node.traversal() is not None:
                if node.kind != "variable" or node.parts[0].value not in _KEYWORD_VALUES:  # type: ignore[union-attr]
                    yield node
                # Index expressions inside the chain may hold references of their own.
                inner: list[Node | Token] = []
                step: Expression = node
                while step.kind != "variable":
                    if step.kind == "index":
                        inner.append(step.parts[2])
                    step = step.parts[0]  # type: ignore[assignment]
                stack.extend(inner)
                continue
            if node.kind == "call":
                yield node
            if node.kind == "object_item":
                key = node.parts[0]
                # A bare key names an attribute of the object; it refers to nothing.
                if isinstance(key, Expression) and key.kind == "variable":
                    stack.append(node.parts[2])
                    continue
            stack.extend(reversed(node.parts))


@dataclass(frozen=True, slots=True)
class Literal:
    """A literal value read from the source: str, int, float, bool or None."""

    value: str | int | float | bool | None


_KEYWORD_VALUES: dict[str, bool | None] = {"true": True, "false": False, "null": None}
_TRAVERSAL_KINDS = frozenset(("variable", "get_attr", "index", "splat"))


class Attribute(Node):
    """``name = expression`` in a body."""

    __slots__ = ("equals", "expr", "name_token")

    def __init__(self, name_token: Token, equals: Token, expr: Expression) -> None:
        self.name_token = name_token
        self.equals = equals
        self.expr = expr
        self.start = name_token.start
        self.end = expr.end
        self.src = name_token.src  # type: ignore[assignment]

    @property
    def name(self) -> str:
        return self.name_token.value

    def children(self) -> tuple[Node | Token, ...]:
        return (self.name_token, self.equals, self.expr)

    def __repr__(self) -> str:
        return f"Attribute({self.name}, {self.expr.text!r})"


class Block(Node):
    """``type "label" ... { body }``."""

    __slots__ = ("body", "close", "labels", "open", "type_token")

    def __init__(
        self,
        type_token: Token,
        labels: tuple[Token, ...],
        open_: Token,
        body: Body,
        close: Token,
    ) -> None:
        self.type_token = type_token
        self.labels = labels
        self.open = open_
        self.body = body
        self.close = close
        self.start = type_token.start
        self.end = close.end
        self.src = type_token.src  # type: ignore[assignment]

    @property
    def type(self) -> str:
        return self.type_token.value

    @property
    def label_values(self) -> tuple[str, ...]:
        """Labels as plain strings: quoted labels are unquoted and unescaped."""
        return tuple(
            unescape_quoted(t.value[1:-1]) if t.type == "STRING" else t.value for t in self.labels
        )

    @property
    def is_single_line(self) -> bool:
        """True for ``a {}`` and ``a { b = 1 }``: the braces are on one line."""
        return "\n" not in self.src.text[self.open.start : self.close.end]

    def children(self) -> tuple[Node | Token, ...]:
        return (self.type_token, *self.labels, self.open, self.body, self.close)

    def __repr__(self) -> str:
        labels = " ".join(repr(v) for v in self.label_values)
        return f"Block({self.type} {labels})".replace(" )", ")")


class Body(Node):
    """The attributes and blocks of a file or a block.

    Its span is the whole region between the braces (or the whole file), so the
    trivia before the first item and after the last belongs to the body.
    """

    __slots__ = ("items",)

    def __init__(
        self, items: tuple[Attribute | Block, ...], start: int, end: int, src: Source
    ) -> None:
        self.items = items
        self.start = start
        self.end = end
        self.src = src

    def children(self) -> tuple[Node | Token, ...]:
        return self.items

    def attributes(self) -> list[Attribute]:
        return [i for i in self.items if isinstance(i, Attribute)]

    def attribute(self, name: str) -> Attribute | None:
        """The attribute called ``name``, or None. Terraform forbids duplicates; the first wins."""
        for item in self.items:
            if isinstance(item, Attribute) and item.name == name:
                return item
        return None

    def blocks(self, type_: str | None = None, *labels: str) -> list[Block]:
        """Blocks of ``type_`` (any type when None) whose first labels equal ``labels``."""
        found = []
        for item in self.items:
            if isinstance(item, Block) and (type_ is None or item.type == type_):
                if labels and item.label_values[: len(labels)] != labels:
                    continue
                found.append(item)
        return found

    def __repr__(self) -> str:
        return f"Body({len(self.items)} items)"


class ConfigFile(Node):
    """The root of a parsed file: its source and top-level body."""

    __slots__ = ("body",)

    def __init__(self, body: Body, src: Source) -> None:
        self.body = body
        self.src = src
        self.start = 0
        self.end = len(src.text)

    @property
    def path(self) -> str | None:
        return self.src.path

    def children(self) -> tuple[Node | Token, ...]:
        return (self.body,)

    def __repr__(self) -> str:
        return f"ConfigFile({self.path or '<string>'}, {len(self.body.items)} items)"


# -- literal decoding ----------------------------------------------------------

_ESCAPE_RE = re.compile(r'\\(?:([nrt"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))|\$\$\{|%%\{')
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape_match(m: re.Match[str]) -> str:
    text = m.group()
    if text == "$${":
        return "${"
    if text == "%%{":
        return "%{"
    if m.group(1):
        return _SIMPLE_ESCAPES[m.group(1)]
    return chr(int(m.group(2) or m.group(3), 16))


def unescape_quoted(body: str) -> str:
    """Decode the inside of a quoted string (without its quotes)."""
    if "\\" not in body and "$${" not in body and "%%{" not in body:
        return body
    return _ESCAPE_RE.sub(_unescape_match, body)


def heredoc_value(text: str) -> str:
    """The string value of a plain heredoc token (``<<EOT ... EOT``).

    ``<<-`` heredocs lose the indentation common to all their non-blank lines,
    as Terraform does.
    """
    first_newline = text.index("\n")
    header = text[:first_newline].rstrip("\r")
    last_newline = text.rindex("\n")
    content = text[first_newline + 1 : last_newline + 1]
    content = content.replace("$${", "${").replace("%%{", "%{")
    if header.startswith("<<-"):
        lines = content.split("\n")
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        content = "\n".join(line[cut:] for line in lines)
    return content


def _number(text: str) -> int | float:
    return int(text) if text.isdigit() else float(text)
