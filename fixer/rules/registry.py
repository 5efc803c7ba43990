"""The rule contract and the registry that runs rules over a module.

A rule is an object with ``info`` (its :class:`~fixer.rules.base.RuleInfo`) and a
``check(view)`` method yielding findings for one module. Rules read the module
view and the knowledge tables only: no I/O, no printing. The registry keeps
them in code order, applies ``--select``/``--ignore`` and inline suppressions,
and never lets one rule's bug stop the others silently: it raises.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Protocol

from fixer.rules.base import Finding, Location, RuleInfo
from fixer.syntax import Node, Token
from fixer.terraform import BackendBlock, ModuleView


class Rule(Protocol):
    """What every rule provides."""

    info: RuleInfo

    def check(self, view: ModuleView) -> Iterator[Finding]:
        """Yield this rule's findings for one module (nothing when it does not apply)."""
        ...


_RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add ``rule`` to the registry; raises ValueError on a duplicate code or name."""
    code = rule.info.code
    if code in _RULES:
        raise ValueError(f"duplicate rule code {code}")
    if any(r.info.name == rule.info.name for r in _RULES.values()):
        raise ValueError(f"duplicate rule name {rule.info.name}")
    _RULES[code] = rule
    return rule


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, sorted by code."""
    _load_builtin_rules()
    return tuple(_RULES[code] for code in sorted(_RULES))


def rule_by_key(key: str) -> Rule | None:
    """The rule whose code (case-insensitive) or kebab-case name is ``key``, or None."""
    _load_builtin_rules()
    upper = key.upper()
    if upper in _RULES:
        return _RULES[upper]
    return next((r for r in _RULES.values() if r.info.name == key.lower()), None)


def _load_builtin_rules() -> None:
    # Imported for its side effect: each rule module registers its rules.
    import fixer.rules.catalog  # noqa: F401


def selected_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> tuple[Rule, ...]:
    """The rules to run: ``select`` (codes, names or code prefixes; empty: all) minus ``ignore``.

    Raises ValueError naming any key that matches no rule.
    """
    rules = all_rules()

    def matches(rule: Rule, key: str) -> bool:
        upper = key.upper()
        return (
            rule.info.code == upper
            or rule.info.name == key.lower()
            or (upper.isalnum() and rule.info.code.startswith(upper))
        )

    for key in (*select, *ignore):
        if not any(matches(r, key) for r in rules):
            raise ValueError(f"unknown rule {key!r}; `backend-fixer rules` lists them")
    chosen = [r for r in rules if not select or any(matches(r, k) for k in select)]
    return tuple(r for r in chosen if not any(matches(r, k) for k in ignore))


def check_module(view: ModuleView, rules: Iterable[Rule]) -> list[Finding]:
    """Run ``rules`` on one module; drop suppressed findings; sort by location.

    Every finding is stamped with the module directory.
    """
    from fixer.rules.suppression import is_suppressed

    findings: list[Finding] = []
    for rule in rules:
        for finding in rule.check(view):
            if not is_suppressed(finding, view):
                findings.append(replace(finding, module=view.directory))
    findings.sort(key=lambda f: (f.location.path, f.location.start, f.code))
    return findings


def backend_of(view: ModuleView, finding: Finding) -> BackendBlock | None:
    """The backend or cloud block a finding points into (by file and offset), or None.

    None also for blocks read from ``.tf.json``, which have no offsets.
    """
    for backend in view.backends:
        block = backend.block
        if (
            block is not None
            and backend.path == finding.location.path
            and block.start <= finding.location.start <= block.end
        ):
            return backend
    return None


def location_of(path: str, node: Node | Token) -> Location:
    """The location of a syntax node or token in file ``path``."""
    return Location(
        path=path,
        line=node.line,
        column=node.column,
        end_line=node.end_line,
        end_column=node.end_column,
        start=node.start,
        end=node.end,
    )
