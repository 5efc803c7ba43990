"""How a backend protects the state it stores: locking (BF006) and encryption (BF008).

Both judge the backends whose table rows have opt-in locking (``lock-flag``,
``lock-table`` roles) or encryption (``encrypt``), today s3's, and only a
complete effective block: a partial one receives its remaining settings at
init, so what it locks or encrypts with cannot be seen from the code (BF001
reports it instead). Values set by a backend configuration file beside the
module count as written.
"""

from __future__ import annotations

from collections.abc import Iterator

from fixer.rules.base import (
    Applicability,
    Category,
    Finding,
    RuleDoc,
    RuleInfo,
    Severity,
    targeted_fix,
)
from fixer.rules.common import (
    backend_title,
    finding,
    join_words,
    needs_init_values,
    short_version,
    versions_phrase,
)
from fixer.rules.inits import served, supplied_for
from fixer.rules.locations import argument_location, backend_location
from fixer.rules.tables import row_lines, rows_where, sources_of
from fixer.terraform import (
    ArgumentValue,
    BackendArgument,
    BackendBlock,
    Coverage,
    ModuleView,
    Role,
    arguments_with_role,
    as_bool,
    role_argument,
)

_S3_STATE_LOCKING = "https://developer.hashicorp.com/terraform/language/backend/s3#state-locking"
_LOCK_ROLES = (Role.LOCK_FLAG, Role.LOCK_TABLE)


def _is_false(value: ArgumentValue | None) -> bool:
    """A literal that Terraform converts to false (``false``, ``"false"``, ``"0"``)."""
    return value is not None and value.value is not None and as_bool(value.value.value) is False


def _is_true_or_unknown(value: ArgumentValue | None) -> bool:
    """True for a literal Terraform converts to true (``"true"`` too) or any other value.

    ``null`` is no value at all; a value that converts to no bool is a type
    error another rule reports, so it is not judged here.
    """
    if value is None or _is_false(value):
        return False
    literal = value.value
    return literal is None or literal.value is not None


def _judged_backend(view: ModuleView, *roles: Role) -> BackendBlock | None:
    """The effective backend, when it is complete and has an argument playing one of ``roles``."""
    backend = view.effective_backend
    if backend is None or (needs_init_values(view, backend) and not served(view, backend)):
        return None
    if not any(arguments_with_role(backend.type, role) for role in roles):
        return None
    return backend


def _locking_rows() -> tuple[BackendArgument, ...]:
    return rows_where(lambda r: any(role in r.roles for role in _LOCK_ROLES))


def _encryption_rows() -> tuple[BackendArgument, ...]:
    return rows_where(lambda r: bool(r.roles & {Role.ENCRYPT, Role.ENCRYPTION_KEY}))


def _names(backend: str, role: Role) -> tuple[str, ...]:
    return tuple(row.name for row in arguments_with_role(backend, role))


class NoStateLocking:
    info = RuleInfo(
        code="BF006",
        name="no-state-locking",
        severity=Severity.WARNING,
        summary="An s3 backend without state locking (neither use_lockfile nor dynamodb_table)",
        category=Category.SECURITY,
        fix=targeted_fix(
            Applicability.SAFE,
            Applicability.UNSAFE,
            unsafe_when="turning on a lock switched off on purpose (use_lockfile = false)",
        ),
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
        backend = _judged_backend(view, *_LOCK_ROLES)
        if backend is None:
            return
        row = role_argument(backend.type, Role.LOCK_FLAG)
        table_row = role_argument(backend.type, Role.LOCK_TABLE)
        if row is None or table_row is None:
            return
        flag, table_name = row.name, table_row.name
        lockfile = backend.argument(flag)
        table = backend.argument(table_name)
        if _is_true_or_unknown(lockfile) or table is not None:
            return
        if any(supplied_for(view, backend, name) for name in (flag, table_name)):
            return
        dialect = view.dialect.dialect
        status = row.status(dialect, view.version_range)
        lifecycle = row.lifecycle(dialect)
        admits = versions_phrase(view)
        generally_available = lifecycle.stable or lifecycle.added
        if status.available is Coverage.ALL and status.experimental is Coverage.NONE:
            subject = flag
            verb = "set" if lockfile is not None else "add"
            advice = f"the module admits {admits}, so {verb} {flag} = true"
        else:
            subject = table_name
            if status.available is Coverage.ALL and lifecycle.added is not None:
                without = f"where {flag} is experimental ({short_version(lifecycle.added)})"
            elif lifecycle.added is not None:
                without = f"before {short_version(lifecycle.added)}, which have no {flag}"
            else:
                without = f"without {flag}"
            raise_to = (
                f'require ">= {short_version(generally_available)}" and use {flag} = true'
                if generally_available is not None
                else f"use {flag} = true where it exists"
            )
            advice = (
                f"the module admits {admits}, including versions {without}, so lock with "
                f"{table_name} (or {raise_to})"
            )
        switched_off = f" ({flag} = false)" if _is_false(lockfile) else ""
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
        category=Category.SECURITY,
        fix=targeted_fix(
            Applicability.SAFE,
            Applicability.UNSAFE,
            unsafe_when="turning on encryption switched off on purpose (encrypt = false)",
        ),
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
        backend = _judged_backend(view, Role.ENCRYPT)
        if backend is None:
            return
        row = role_argument(backend.type, Role.ENCRYPT)
        assert row is not None  # _judged_backend checked the role
        name = row.name
        encrypt = backend.argument(name)
        if _is_true_or_unknown(encrypt) or supplied_for(view, backend, name):
            return
        keys = [
            n for n in _names(backend.type, Role.ENCRYPTION_KEY) if backend.argument(n) is not None
        ]
        ignored = (
            f"; {join_words(keys)} {'is' if len(keys) == 1 else 'are'} ignored without it"
            if keys
            else ""
        )
        state = f"{name} = false" if _is_false(encrypt) else f"no {name} = true"
        location = (
            argument_location(backend, encrypt)
            if encrypt is not None
            else backend_location(backend)
        )
        yield finding(
            self.info,
            f"{backend_title(backend)} has {state}, so it does not ask S3 to encrypt the "
            f"state, which holds every secret the configuration touches{ignored}. "
            f"Set {name} = true.",
            location,
            subject=name,
        )
