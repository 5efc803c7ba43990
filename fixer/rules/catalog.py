"""The built-in rules, in code order, and choosing among them.

Rule modules define rule classes and import nothing from here; this module
instantiates each one, so adding a rule is adding it to :data:`RULES`. Codes
and names are checked for duplicates when the module is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from fixer.rules.base import Rule
from fixer.rules.credentials import HardcodedCredentials
from fixer.rules.inits import ServedBackend, UnfollowedInit
from fixer.rules.partial import EmptyValue, PartialBackend
from fixer.rules.references import BackendReferences
from fixer.rules.schema import (
    ArgumentCombination,
    DuplicateArgument,
    InvalidValue,
    UnsupportedArgument,
    WrongType,
)
from fixer.rules.state import NoStateLocking, UnencryptedState
from fixer.rules.structure import (
    BackendAndCloud,
    MultipleBackends,
    ObjectAsBlock,
    RemovedBackendType,
    UnknownBackendType,
)
from fixer.rules.versions import DeprecatedArgument, LockfileUnsupported, RemovedArgument

__all__ = ["RULES", "all_rules", "rule_by_key", "selected_rules"]


def _sorted(rules: Sequence[Rule]) -> tuple[Rule, ...]:
    codes = [r.info.code for r in rules]
    names = [r.info.name for r in rules]
    for values in (codes, names):
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule codes or names: {', '.join(duplicates)}")
    return tuple(sorted(rules, key=lambda r: r.info.code))


RULES: tuple[Rule, ...] = _sorted(
    [
        PartialBackend(),
        BackendReferences(),
        HardcodedCredentials(),
        DeprecatedArgument(),
        RemovedArgument(),
        NoStateLocking(),
        LockfileUnsupported(),
        UnencryptedState(),
        ObjectAsBlock(),
        EmptyValue(),
        MultipleBackends(),
        BackendAndCloud(),
        RemovedBackendType(),
        UnknownBackendType(),
        ServedBackend(),
        UnfollowedInit(),
        UnsupportedArgument(),
        WrongType(),
        InvalidValue(),
        DuplicateArgument(),
        ArgumentCombination(),
    ]
)
"""Every built-in rule, sorted by code."""


def all_rules() -> tuple[Rule, ...]:
    """Every built-in rule, sorted by code."""
    return RULES


def rule_by_key(key: str) -> Rule | None:
    """The rule whose code (case-insensitive) or kebab-case name is ``key``, or None."""
    upper = key.upper()
    return next(
        (r for r in RULES if r.info.code == upper or r.info.name == key.lower()),
        None,
    )


def _matches(rule: Rule, key: str) -> bool:
    upper = key.upper()
    return (
        rule.info.code == upper
        or rule.info.name == key.lower()
        or (upper.isalnum() and rule.info.code.startswith(upper))
    )


def selected_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> tuple[Rule, ...]:
    """The rules to run: ``select`` (codes, names or code prefixes; empty: all) minus ``ignore``.

    Raises ValueError naming any key that matches no rule.
    """
    # Asked for every module of a run, always with the run's same keys.
    return _selected(tuple(select), tuple(ignore))


@lru_cache(maxsize=64)
def _selected(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[Rule, ...]:
    for key in (*select, *ignore):
        if not any(_matches(r, key) for r in RULES):
            raise ValueError(f"unknown rule {key!r}; `backend-fixer rules` lists them")
    chosen = [r for r in RULES if not select or any(_matches(r, k) for k in select)]
    return tuple(r for r in chosen if not any(_matches(r, k) for k in ignore))
