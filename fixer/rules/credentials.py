"""BF003: secrets written as literal values in a backend block or a backend config file.

Which arguments hold secrets is the backend table's ``credential`` column. Every
backend block counts, not only the effective one, and so do the ``*.tfbackend``
and ``backend.hcl`` files beside the module: a secret in the repository leaks
whichever block init ends up using.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

from fixer.rules.base import (
    Applicability,
    Category,
    Finding,
    RuleDoc,
    RuleInfo,
    Severity,
    targeted_fix,
)
from fixer.rules.common import backend_title, finding, join_words
from fixer.rules.locations import argument_location, location_of
from fixer.rules.tables import rows_where, sources_of
from fixer.terraform import (
    ArgumentValue,
    BackendArgument,
    ModuleView,
    Role,
    argument,
    role_argument,
)

_SENSITIVE_DATA = (
    "https://developer.hashicorp.com/terraform/language/backend#credentials-and-sensitive-data"
)


def _is_secret(value: ArgumentValue) -> bool:
    literal = value.value
    return literal is not None and isinstance(literal.value, str) and bool(literal.value.strip())


def _advice(row: BackendArgument) -> str:
    ways = []
    if row.env_vars:
        ways.append(f"set {join_words(row.env_vars, 'or')} in the environment")
    profile = role_argument(row.backend, Role.PROFILE)
    if profile is not None and profile.name != row.name:
        ways.append("use a profile")
    if not ways:
        ways.append("pass it at init time from a secret store")
    return f"remove it and {join_words(ways, 'or')}"


def _message(row: BackendArgument, where: str) -> str:
    return (
        f"{row.name} in {where} is a literal credential: init copies it into "
        ".terraform/terraform.tfstate and every plan file, and it is committed with "
        f"the code; {_advice(row)}."
    )


def _credential_lines() -> str:
    by_backend: dict[str, list[str]] = {}
    for row in rows_where(lambda r: r.credential):
        by_backend.setdefault(row.backend, []).append(f"`{row.name}`")
    return "\n".join(f"- {backend}: {', '.join(names)}" for backend, names in by_backend.items())


class HardcodedCredentials:
    info = RuleInfo(
        code="BF003",
        name="hardcoded-credentials",
        severity=Severity.ERROR,
        summary="A secret (access key, token, SSE-C key...) written into the backend configuration",
        category=Category.SECURITY,
        fix=targeted_fix(
            Applicability.UNSAFE,
            unsafe_when="always: runs that relied on the literal need the environment set up first",
        ),
        doc=RuleDoc(
            what=(
                "A literal, non-empty value for an argument the backend table marks as a "
                "credential (`access_key`, `secret_key`, `token`, `sse_customer_key` for "
                "s3, and the secret arguments of other backends), in any backend or cloud "
                "block of the module or in a backend configuration file beside it."
            ),
            why=(
                "Terraform writes the backend configuration in plain text to "
                "`.terraform/terraform.tfstate` and into every plan file, which CI "
                "systems keep as artifacts; and the value is committed with the code. "
                "Each backend reads the same secrets from environment variables or its "
                "own credential files, which never leave the machine."
            ),
            example=(
                "terraform {\n"
                '  backend "s3" {\n'
                '    bucket       = "acme-state"\n'
                '    key          = "app/terraform.tfstate"\n'
                '    region       = "us-east-1"\n'
                "    use_lockfile = true\n"
                "    encrypt      = true\n"
                '    access_key   = "AKIAIOSFODNN7EXAMPLE"\n'
                "  }\n"
                "}\n"
            ),
            fix=(
                "Removes the attribute. The message names the environment variable that "
                "supplies the same value (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, "
                "`AWS_SESSION_TOKEN`...) or, for s3, a profile. Rotate the secret: it is in "
                "the repository's history."
            ),
            versions="Every Terraform and OpenTofu version. Credential arguments:\n"
            + _credential_lines(),
            sources=sources_of(
                [_SENSITIVE_DATA], (r.source for r in rows_where(lambda r: r.credential))
            ),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        for backend in view.backends:
            for name, value in backend.arguments.items():
                row = argument(backend.type, name)
                if row is None or not row.credential or not _is_secret(value):
                    continue
                yield finding(
                    self.info,
                    _message(row, backend_title(backend)),
                    argument_location(backend, value),
                    subject=name,
                )
        effective = view.effective_backend
        if effective is None:
            return
        for config in view.backend_config_files:
            for name, value in config.values.items():
                row = argument(effective.type, name)
                if row is None or not row.credential or not _is_secret(value):
                    continue
                if value.attribute is None:
                    continue
                yield finding(
                    self.info,
                    _message(row, PurePath(config.path).name),
                    location_of(config.path, value.attribute),
                    subject=name,
                )
