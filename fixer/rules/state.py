"""How the s3 backend protects the state it stores: locking (BF006) and encryption (BF008).

Both judge only a complete effective ``backend "s3"``: a partial one receives
its remaining settings at init, so what it locks or encrypts with cannot be
seen from the code (BF001 reports it instead). Values set by a backend
configuration file beside the module count as written.
"""

from __future__ import annotations

from collections.abc import Iterator

from fixer.rules.base import Finding, RuleDoc, RuleInfo, Severity
from fixer.rules.common import (
    argument_location,
    backend_location,
    backend_title,
    finding,
    needs_init_values,
    short_version,
    versions_phrase,
)
from fixer.rules.registry import register
from fixer.rules.tables import row_lines, rows_where, sources_of
from fixer.terraform import (
    ArgumentValue,
    BackendArgument,
    BackendBlock,
    Coverage,
    ModuleView,
    argument,
)

# The backend type these rules are about: the only one in the table whose
# locking and encryption are opt-in arguments (gcs and azurerm always lock).
_S3 = "s3"
_LOCKING = ("use_lockfile", "dynamodb_table")
_S3_STATE_LOCKING = "https://developer.hashicorp.com/terraform/language/backend/s3#state-locking"
_ENCRYPTION = ("encrypt", "kms_key_id", "sse_customer_key")


def _is_false(value: ArgumentValue | None) -> bool:
    return value is not None and value.value is not None and value.value.value is False


def _is_true_or_unknown(value: ArgumentValue | None) -> bool:
    """True for a literal true or any expression (which another rule judges)."""
    if value is None or _is_false(value):
        return False
    literal = value.value
    return literal is None or literal.value is True


def _judged_backend(view: ModuleView) -> BackendBlock | None:
    backend = view.effective_backend
    if backend is None or backend.type != _S3 or needs_init_values(view, backend):
        return None
    return backend


def _locking_rows() -> tuple[BackendArgument, ...]:
    return rows_where(lambda r: r.backend == _S3 and r.name in _LOCKING)


def _encryption_rows() -> tuple[BackendArgument, ...]:
    return rows_where(lambda r: r.backend == _S3 and r.name in _ENCRYPTION)


class NoStateLocking:
    info = RuleInfo(
        code="BF006",
        name="no-state-locking",
        severity=Severity.WARNING,
        summary="An s3 backend without state locking (neither use_lockfile nor dynamodb_table)",
        fixable=True,
        doc=RuleDoc(
            what=(
                'A complete `backend "s3"` with neither `use_lockfile` nor '
                "`dynamodb_table` (or with `use_lockfile = false` and no table), in the "
                "block or in a backend configuration file beside the module. The "
                "message names the lock that suits the module's versions: `use_lockfile` "
                "when it is generally available in every admitted version (Terraform "
                "1.11, OpenTofu 1.10), `dynamodb_table` when `required_version` admits "
                "versions without it or with it only as an experiment (Terraform 1.10)."
            ),
            why=(
                "Without a lock two runs (a CI job and a laptop, two pipelines) can write "
                "the state at the same time; the last write wins and resources are "
                "orphaned or duplicated. The s3 backend locks only when asked to."
            ),
            example=(
                "terraform {\n"
                '  required_version = ">= 1.11"\n'
                "\n"
                '  backend "s3" {\n'
                '    bucket  = "acme-state"\n'
                '    key     = "app/terraform.tfstate"\n'
                '    region  = "us-east-1"\n'
                "    encrypt = true\n"
                "  }\n"
                "}\n"
            ),
            fix=(
                "Targeted: adds `use_lockfile = true` to the block when every admitted "
                "version has it generally available. When only `dynamodb_table` suits, it "
                "is added only if its name is given (`--set dynamodb_table=...` or a "
                "backend configuration file): the table has to exist first."
            ),
            versions=row_lines(_locking_rows()),
            sources=sources_of([_S3_STATE_LOCKING], *(r.sources for r in _locking_rows())),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = _judged_backend(view)
        if backend is None:
            return
        lockfile = backend.argument("use_lockfile")
        table = backend.argument("dynamodb_table")
        if _is_true_or_unknown(lockfile) or table is not None:
            return
        if any(view.supplied_by(name) for name in _LOCKING):
            return
        row = argument(backend.type, "use_lockfile")
        if row is None:
            return
        dialect = view.dialect.dialect
        status = row.status(dialect, view.version_range)
        lifecycle = row.lifecycle(dialect)
        admits = versions_phrase(view)
        generally_available = lifecycle.stable or lifecycle.added
        if status.available is Coverage.ALL and status.experimental is Coverage.NONE:
            subject = "use_lockfile"
            verb = "set" if lockfile is not None else "add"
            advice = f"the module admits {admits}, so {verb} use_lockfile = true"
        else:
            subject = "dynamodb_table"
            if status.available is Coverage.ALL and lifecycle.added is not None:
                without = f"where use_lockfile is experimental ({short_version(lifecycle.added)})"
            elif lifecycle.added is not None:
                without = f"before {short_version(lifecycle.added)}, which have no use_lockfile"
            else:
                without = "without use_lockfile"
            raise_to = (
                f'require ">= {short_version(generally_available)}" and use use_lockfile = true'
                if generally_available is not None
                else "use use_lockfile = true where it exists"
            )
            advice = (
                f"the module admits {admits}, including versions {without}, so lock with "
                f"dynamodb_table (or {raise_to})"
            )
        switched_off = " (use_lockfile = false)" if _is_false(lockfile) else ""
        location = (
            argument_location(backend, lockfile)
            if lockfile is not None and _is_false(lockfile)
            else backend_location(backend)
        )
        yield finding(
            self.info,
            f"{backend_title(backend)} has no state locking{switched_off}: two runs at once "
            f"can overwrite each other's state; {advice}.",
            location,
            subject=subject,
        )


class UnencryptedState:
    info = RuleInfo(
        code="BF008",
        name="unencrypted-state",
        severity=Severity.WARNING,
        summary="An s3 backend that does not ask for server-side encryption (encrypt = true)",
        fixable=True,
        doc=RuleDoc(
            what=(
                'A complete `backend "s3"` whose `encrypt` is missing or false, in the '
                "block and in the backend configuration files beside the module. A "
                "`kms_key_id` or `sse_customer_key` alone does not count: the backend "
                "uses them only when `encrypt = true`."
            ),
            why=(
                "State holds every secret the configuration touches (passwords, keys, "
                "tokens), in plain text. Without `encrypt = true` the backend does not "
                "request server-side encryption and the state is only as protected as "
                "the bucket's default encryption, which someone else configures."
            ),
            example=(
                "terraform {\n"
                '  backend "s3" {\n'
                '    bucket       = "acme-state"\n'
                '    key          = "app/terraform.tfstate"\n'
                '    region       = "us-east-1"\n'
                "    use_lockfile = true\n"
                "  }\n"
                "}\n"
            ),
            fix="Targeted: adds `encrypt = true` to the block, or sets `encrypt = false` to true.",
            versions="Every Terraform and OpenTofu version:\n" + row_lines(_encryption_rows()),
            sources=sources_of(*(r.sources for r in _encryption_rows())),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = _judged_backend(view)
        if backend is None:
            return
        encrypt = backend.argument("encrypt")
        if _is_true_or_unknown(encrypt) or view.supplied_by("encrypt"):
            return
        keys = [n for n in _ENCRYPTION[1:] if backend.argument(n) is not None]
        ignored = (
            f"; {' and '.join(keys)} {'is' if len(keys) == 1 else 'are'} ignored without it"
            if keys
            else ""
        )
        state = "encrypt = false" if _is_false(encrypt) else "no encrypt = true"
        location = (
            argument_location(backend, encrypt)
            if encrypt is not None
            else backend_location(backend)
        )
        yield finding(
            self.info,
            f"{backend_title(backend)} has {state}, so it does not ask S3 to encrypt the "
            f"state, which holds every secret the configuration touches{ignored}. "
            "Set encrypt = true.",
            location,
            subject="encrypt",
        )


register(NoStateLocking())
register(UnencryptedState())
