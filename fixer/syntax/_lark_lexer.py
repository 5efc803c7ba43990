"""A placeholder lexer class for Lark.

Lark needs a lexer to compile a grammar, and its cache pickles the lexer's class,
so it must live at module level. Tokens really come from fixer.syntax.lexer.
"""

from typing import Any

from lark.lexer import Lexer


class ExternalLexer(Lexer):
    """Never called: :func:`fixer.syntax.parser.parse` feeds the LALR tables itself."""

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, lexer_state: Any, parser_state: Any) -> Any:  # pragma: no cover
        raise NotImplementedError("tokens come from fixer.syntax.lexer")
