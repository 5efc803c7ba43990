"""Remembering the last answer of a question the rules ask of one module in turn.

``check_module`` runs every rule on one module before the next; several rules ask
the same derived question of it (its block's arguments, its missing values, its
inits' verdict). :func:`remember_last` answers a repeat from the last call.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

__all__ = ["remember_last"]

Result = TypeVar("Result")


def _same(a: Any, b: Any) -> bool:
    # Views and blocks are immutable and compared by identity; tuples of names by value.
    return a is b or (type(a) is tuple and type(b) is tuple and a == b)


def remember_last(function: Callable[..., Result]) -> Callable[..., Result]:
    """Wrap ``function`` (positional arguments only) to answer a call like the last from memory.

    The remembered arguments are held, so an identity test can never match a
    new object at a reused address.
    """
    last: tuple[tuple[Any, ...], Result] | None = None

    @wraps(function)
    def remembered(*args: Any) -> Result:
        nonlocal last
        if (
            last is not None
            and len(args) == len(last[0])
            and all(_same(a, b) for a, b in zip(args, last[0], strict=True))
        ):
            return last[1]
        result = function(*args)
        last = (args, result)
        return result

    return remembered
