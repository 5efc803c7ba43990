"""What a backend or cloud block may refer to, and what each reference root means.

Terraform configures the backend before it evaluates anything, so a backend
block holds literals only; OpenTofu 1.8 added early evaluation of variables,
locals and pure functions. This module keeps those facts, and the names of
HCL's reference roots (``var``, ``local``, ``path``...), as data beside the
backend table, so the rule that judges references names none of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fixer.terraform.dialect import Dialect
from fixer.terraform.versions import NEVER, Lifecycle, Version

__all__ = [
    "CALL_KIND",
    "EARLY_EVALUATION",
    "LOCAL_ROOT",
    "EarlyEvaluation",
    "early_kinds",
    "reference_kind",
]

LOCAL_ROOT = "local"
"""The root of a reference to a local value (``local.name``)."""

CALL_KIND = "function call"
"""The kind :func:`reference_kind` callers use for a function call."""

# What a reference's first step says it refers to.
_ROOT_KINDS = {
    "var": "input variable",
    LOCAL_ROOT: "local value",
    "path": "path value",
    "terraform": "terraform.workspace",
    "data": "data source",
    "module": "module output",
    "each": "each value",
    "count": "count value",
    "self": "self reference",
}


@dataclass(frozen=True, slots=True)
class EarlyEvaluation:
    """Which references a backend block may hold once a dialect evaluates them at init.

    ``lifecycle`` says per dialect from which version variables and locals are
    allowed; ``allowed_roots`` are the reference roots that early evaluation
    can resolve (everything else, such as resources, ``data.*`` and
    ``module.*``, stays an error); function calls are allowed with them.
    """

    terraform: Lifecycle
    opentofu: Lifecycle
    allowed_roots: frozenset[str]
    sources: tuple[str, ...]

    def lifecycle(self, dialect: Dialect) -> Lifecycle:
        return self.terraform if dialect is Dialect.TERRAFORM else self.opentofu


EARLY_EVALUATION = EarlyEvaluation(
    terraform=NEVER,
    opentofu=Lifecycle(added=Version("1.8.0")),
    # OpenTofu's static evaluator resolves input variables, locals, path.* and
    # terraform.workspace; a local that reads a resource is refused like the
    # resource itself.
    allowed_roots=frozenset({"var", LOCAL_ROOT, "path", "terraform"}),
    sources=(
        "https://developer.hashicorp.com/terraform/language/backend",
        "https://opentofu.org/docs/v1.8/intro/whats-new/",
        "https://opentofu.org/docs/language/settings/backends/configuration/",
    ),
)
"""Variables and locals in backend blocks: never in Terraform, from OpenTofu 1.8."""


def reference_kind(steps: Sequence[str]) -> str:
    """What a reference with traversal ``steps`` refers to: ``input variable``, ``resource``...

    A two-step reference with an unknown root is a resource (``aws_s3_bucket.x``);
    a bare name is a ``reference``.
    """
    root = steps[0]
    if root in _ROOT_KINDS:
        return _ROOT_KINDS[root]
    return "resource" if len(steps) > 1 else "reference"


def early_kinds() -> frozenset[str]:
    """The kinds early evaluation resolves: function calls and the allowed roots' kinds."""
    return frozenset({CALL_KIND} | {_ROOT_KINDS[r] for r in EARLY_EVALUATION.allowed_roots})
