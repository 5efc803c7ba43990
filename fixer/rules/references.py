"""BF002: variables, locals, other references and function calls in a backend block.

Terraform configures the backend before it evaluates anything, so any expression
that is not a literal fails init. OpenTofu 1.8 evaluates variables, locals and
pure functions early, but never resources, data sources or module outputs, not
even through a local. The facts live in :mod:`fixer.terraform.evaluation`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from fixer.rules.base import MODE_FIX, Category, Finding, RuleDoc, RuleInfo, Severity
from fixer.rules.common import (
    admits_nothing,
    backend_title,
    engine,
    finding,
    join_words,
    nested_attributes,
    short_version,
    versions_phrase,
)
from fixer.rules.locations import location_of
from fixer.syntax import Attribute, Expression
from fixer.terraform import Coverage, Dialect, ModuleView, releases
from fixer.terraform.evaluation import (
    CALL_KIND,
    EARLY_EVALUATION,
    LOCAL_ROOT,
    early_kinds,
    reference_kind,
)

_ALLOWED = EARLY_EVALUATION.allowed_roots
# The first OpenTofu release that evaluates variables and locals in a backend block.
_FIRST = EARLY_EVALUATION.opentofu.added
_SINCE = short_version(_FIRST) if _FIRST is not None else "its first release"


@dataclass(frozen=True, slots=True)
class _Use:
    """One reference or call in an argument: its text and what it refers to."""

    text: str
    kind: str  # a function call, "input variable", "resource", ...
    refused_via: str | None = None  # a refused reference reached through a local

    @property
    def refused(self) -> bool:
        return self.kind not in _EARLY_KINDS or self.refused_via is not None


_EARLY_KINDS = early_kinds()


def _locals(view: ModuleView) -> dict[str, Expression]:
    found: dict[str, Expression] = {}
    for source in view.files:
        for block in source.config.body.blocks("locals"):
            for attribute in block.body.attributes():
                found.setdefault(attribute.name, attribute.expr)
    return found


def _refused_through_local(
    name: str, local_values: Mapping[str, Expression], seen: set[str]
) -> str | None:
    """The first reference ``local.<name>`` leads to that early evaluation refuses, or None."""
    if name in seen or name not in local_values:
        return None
    seen.add(name)
    for ref in _references(local_values[name]):
        steps = ref.traversal()
        if steps is None:
            continue
        if steps[0] == LOCAL_ROOT and len(steps) > 1:
            found = _refused_through_local(steps[1], local_values, seen)
            if found is not None:
                return found
        elif reference_kind(steps) not in _EARLY_KINDS:
            return ref.text
    return None


def _object_keys(expr: Expression) -> set[int]:
    """Node ids of bare-identifier object keys: ``team`` in ``{ team = "x" }`` is a name.

    ``Expression.references`` yields them as variables, so they are dropped here.
    """
    keys = set()
    for node in expr.walk():
        if isinstance(node, Expression) and node.kind == "object":
            for item in node.object_items():
                key = item.parts[0]
                if isinstance(key, Expression) and key.kind == "variable":
                    keys.add(id(key))
    return keys


def _references(expr: Expression) -> Iterator[Expression]:
    keys = _object_keys(expr)
    return (ref for ref in expr.references() if id(ref) not in keys)


def _uses(attribute: Attribute, local_values: Mapping[str, Expression]) -> list[_Use]:
    uses = []
    for ref in _references(attribute.expr):
        if ref.kind == "call":
            uses.append(_Use(f"{ref.call_name}()", CALL_KIND))
            continue
        steps = ref.traversal() or [ref.text]
        via = None
        if steps[0] == LOCAL_ROOT and len(steps) > 1:
            via = _refused_through_local(steps[1], local_values, set())
        uses.append(_Use(ref.text, reference_kind(steps), via))
    return uses


def _attributes(view: ModuleView) -> Iterator[tuple[str, str, Attribute]]:
    """(path, dotted name, attribute) for every attribute of the effective backend."""
    backend = view.effective_backend
    if backend is None or backend.block is None:
        return
    for item in backend.block.body.items:
        if isinstance(item, Attribute):
            yield backend.path, item.name, item
        else:
            for name, attribute in nested_attributes(item, item.type):
                yield backend.path, name, attribute


def _shown(uses: list[_Use]) -> str:
    return join_words(dict.fromkeys(u.text for u in uses))


def _terraform_message(name: str, title: str, uses: list[_Use]) -> str:
    refs = [u for u in uses if u.kind != CALL_KIND]
    calls = [u for u in uses if u.kind == CALL_KIND]
    reasons = []
    if refs:
        reasons.append('"Variables not allowed: Variables may not be used here."')
    if calls:
        reasons.append('"Function calls not allowed: Functions may not be called here."')
    return (
        f"{name} in {title} uses {_shown(uses)}: Terraform configures the backend before it "
        f"evaluates anything, so every Terraform version fails init with {' and '.join(reasons)}"
    )


class BackendReferences:
    info = RuleInfo(
        code="BF002",
        name="backend-references",
        severity=Severity.ERROR,
        summary="Variables, locals, references or function calls in a backend block",
        category=Category.INIT_BREAKING,
        fix=MODE_FIX,
        doc=RuleDoc(
            what=(
                "An argument of the effective `backend` or `cloud` block (or of a block "
                "nested in it) whose value is not a literal: it refers to a variable, a "
                "local, a resource, a data source or a module output, or calls a function."
            ),
            why=(
                "Terraform initialises the backend before it evaluates any expression, so "
                'init fails with "Variables not allowed: Variables may not be used here." '
                'or "Function calls not allowed: Functions may not be called here.", '
                "whatever `-var` says. `terraform validate` after `init -backend=false` "
                "does not notice. OpenTofu 1.8 evaluates variables, locals and pure "
                "functions early, but resources, data sources and module outputs (also "
                "through a local) stay an error, and a module whose `required_version` "
                "admits OpenTofu before 1.8 fails on those versions."
            ),
            example=(
                'variable "env" {\n'
                "  type = string\n"
                "}\n"
                "\n"
                "terraform {\n"
                '  backend "s3" {\n'
                '    bucket = "state-${var.env}"\n'
                '    key    = "app/terraform.tfstate"\n'
                '    region = "us-east-1"\n'
                "  }\n"
                "}\n"
            ),
            fix=(
                "Backend-wide, chosen with `--mode`:\n"
                "- comment: comments the block out under a header that says how to enable "
                "it again, so the module uses local state; `restore` undoes it exactly.\n"
                "- complete: replaces each expression with a literal from `--set`, a "
                "`--backend-config` file or a variable's default.\n"
                "- override: leaves tracked files alone and writes `backend_override.tf` "
                "with a local backend."
            ),
            versions=(
                "Terraform: never allowed (every version). OpenTofu: variables, locals and "
                f"pure functions from {_SINCE}; "
                "resources, data sources and module outputs never."
            ),
            sources=EARLY_EVALUATION.sources,
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None:
            return
        title = backend_title(backend)
        dialect = view.dialect.dialect
        local_values = _locals(view) if dialect is Dialect.OPENTOFU else {}
        for path, name, attribute in _attributes(view):
            uses = _uses(attribute, local_values)
            if not uses:
                continue
            if dialect is Dialect.TERRAFORM:
                message = _terraform_message(name, title, uses)
            else:
                message = self._opentofu_message(view, name, title, uses)
                if message is None:
                    continue
            yield finding(self.info, message, location_of(path, attribute), subject=name)

    @staticmethod
    def _opentofu_message(view: ModuleView, name: str, title: str, uses: list[_Use]) -> str | None:
        refused = [u for u in uses if u.refused]
        if refused:
            details = []
            for use in refused:
                if use.refused_via is not None:
                    details.append(f"{use.text} (which reads {use.refused_via})")
                else:
                    details.append(f"{use.text} (a {use.kind})")
            return (
                f"{name} in {title} uses {join_words(details)}: OpenTofu evaluates only "
                "variables, locals and pure functions before init, never resources, data "
                "sources or module outputs, so init fails in every version."
            )
        if admits_nothing(view):
            return None
        early = EARLY_EVALUATION.opentofu
        status = early.status(releases(Dialect.OPENTOFU, view.version_range))
        if status.available is Coverage.ALL:
            return None
        since = _SINCE
        return (
            f"{name} in {title} uses {_shown(uses)}: OpenTofu evaluates variables and locals "
            f"in a backend block only from {since}, and the module admits "
            f"{versions_phrase(view)}; OpenTofu before {since} fails init with "
            f'"Variables may not be used here". Require {engine(view)} >= {since} in '
            "required_version, or write literal values."
        )
