"""Errors raised by the syntax layer.

Every problem with a file's text, from an undecodable byte to a missing brace,
becomes one :class:`ParseError` that knows where it happened and can describe
itself in one line. No Lark exception ever leaves this package.
"""

from __future__ import annotations


class LexError(Exception):
    """Raised by the lexer with an offset; turned into a ParseError by the parser."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class ParseError(Exception):
    """Invalid input, with its location.

    ``line`` and ``column`` are 1-based; ``column`` counts characters. ``source_line``
    is the offending line without its newline (empty when unknown). ``str(error)``
    is the one-line form ``path:line:column: message``.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int = 1,
        column: int = 1,
        source_line: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.source_line = source_line

    def with_path(self, path: str) -> ParseError:
        """Return a copy of this error that names ``path``."""
        return ParseError(
            self.message,
            path=path,
            line=self.line,
            column=self.column,
            source_line=self.source_line,
        )

    @property
    def caret(self) -> str:
        """The offending source line and a caret under the column, on two lines."""
        prefix = "".join(c if c == "\t" else " " for c in self.source_line[: self.column - 1])
        return f"{self.source_line}\n{prefix}^"

    def __str__(self) -> str:
        where = f"{self.path}:" if self.path else ""
        return f"{where}{self.line}:{self.column}: {self.message}"
