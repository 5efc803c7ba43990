"""The syntax layer: a lossless HCL2 parser, its tree, and queries over it.

``parse(text)`` returns a :class:`ConfigFile` whose nodes know their exact spans;
``ParseError`` is the only exception it raises for bad input.
"""

from fixer.syntax.errors import ParseError
from fixer.syntax.lexer import Token
from fixer.syntax.nodes import Attribute, Block, Body, ConfigFile, Expression, Literal, Node
from fixer.syntax.parser import decode, parse, parse_bytes, warm_up
from fixer.syntax.query import (
    Comment,
    backend_blocks,
    cloud_blocks,
    comments_in,
    leading_comments,
    terraform_blocks,
    trailing_comment,
)

__all__ = [
    "Attribute",
    "Block",
    "Body",
    "Comment",
    "ConfigFile",
    "Expression",
    "Literal",
    "Node",
    "ParseError",
    "Token",
    "backend_blocks",
    "cloud_blocks",
    "comments_in",
    "decode",
    "leading_comments",
    "parse",
    "parse_bytes",
    "terraform_blocks",
    "trailing_comment",
    "warm_up",
]
