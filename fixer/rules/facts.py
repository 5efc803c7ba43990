"""Facts about backend blocks as a whole that the per-argument backend table has no row for.

Today that is one fact: which expressions a backend or cloud block may hold.
Terraform allows only literal values; OpenTofu 1.8 added early evaluation of
variables and locals. It is data, kept apart from the rule that reads it, and a
candidate to move into :mod:`fixer.terraform` beside the backend table.
"""

from __future__ import annotations

from dataclasses import dataclass

from fixer.terraform import Dialect, Lifecycle, Version
from fixer.terraform.versions import NEVER

__all__ = ["EARLY_EVALUATION", "EarlyEvaluation"]


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
    allowed_roots=frozenset({"var", "local", "path", "terraform"}),
    sources=(
        "https://developer.hashicorp.com/terraform/language/backend",
        "https://opentofu.org/docs/v1.8/intro/whats-new/",
        "https://opentofu.org/docs/language/settings/backends/configuration/",
    ),
)
"""Variables and locals in backend blocks: never in Terraform, from OpenTofu 1.8."""
