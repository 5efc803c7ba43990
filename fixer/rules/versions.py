"""Arguments judged against the versions a module admits: deprecated, removed, too new.

BF004 and BF005 read each argument's lifecycle in the backend table and compare
it with the ``required_version`` range (or ``--terraform-version``); BF007 does
the same for ``use_lockfile``, which older versions do not know. A fact that
holds for only some admitted versions is judged as documented on each rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from fixer.rules.base import (
    NO_FIX,
    Applicability,
    Category,
    Finding,
    RuleDoc,
    RuleInfo,
    Severity,
    targeted_fix,
)
from fixer.rules.common import (
    admits_nothing,
    backend_title,
    engine,
    finding,
    short_version,
    versions_phrase,
)
from fixer.rules.locations import argument_location
from fixer.rules.tables import row_lines, rows_where, sources_of
from fixer.terraform import (
    BackendArgument,
    Coverage,
    Dialect,
    ModuleView,
    Role,
    argument,
    role_argument,
)


def replacement_text(row: BackendArgument) -> str | None:
    """How to write the replacement: ``use_lockfile``, ``assume_role = { role_arn = ... }``."""
    if row.replacement is None:
        return None
    head, _, nested = row.replacement.partition(".")
    return f"{head} = {{ {nested} = ... }}" if nested else head


def _replacement_row(row: BackendArgument) -> BackendArgument | None:
    if row.replacement is None:
        return None
    return argument(row.backend, row.replacement.partition(".")[0])


def _replacement_works_everywhere(row: BackendArgument, view: ModuleView) -> bool:
    """True when the replacement is generally available in every admitted version."""
    replacement = _replacement_row(row)
    if replacement is None:
        return False
    status = replacement.status(view.dialect.dialect, view.version_range)
    return status.available is Coverage.ALL and status.experimental is Coverage.NONE


def _other(dialect: Dialect) -> Dialect:
    return Dialect.OPENTOFU if dialect is Dialect.TERRAFORM else Dialect.TERRAFORM


def _lifecycle_rows(kind: str) -> tuple[BackendArgument, ...]:
    def matches(row: BackendArgument) -> bool:
        lifecycles = (row.terraform, row.opentofu)
        if kind == "deprecated":
            return any(lc.deprecated is not None for lc in lifecycles)
        return any(lc.removed is not None or not lc.supported for lc in lifecycles)

    return rows_where(matches)


class DeprecatedArgument:
    info = RuleInfo(
        code="BF004",
        name="deprecated-argument",
        severity=Severity.WARNING,
        summary="A backend argument that the versions the module admits deprecate",
        category=Category.HYGIENE,
        fix=targeted_fix(
            Applicability.SAFE,
            Applicability.UNSAFE,
            unsafe_when=(
                "the replacement changes behaviour (dynamodb_table -> use_lockfile), or only "
                "some admitted versions accept it"
            ),
        ),
        doc=RuleDoc(
            what=(
                "An argument of the effective backend that the versions admitted by "
                "`required_version` deprecate. When every admitted version deprecates it, "
                "it is a finding. When only some do (e.g. `>= 1.5` and an argument "
                "deprecated in 1.6), it is a finding only if its replacement is generally "
                "available in every admitted version; otherwise the old argument is the "
                "only one that works across the range, and switching would break the "
                "older versions. So `dynamodb_table` is a finding only when the module "
                "requires Terraform >= 1.11 (its replacement `use_lockfile` is "
                "experimental in 1.10), and never for OpenTofu, which keeps it."
            ),
            why=(
                "Init warns about it on every run, and a deprecated argument is removed in "
                "a later version (the top-level `role_arn` family was deprecated in 1.6 "
                "and removed in Terraform 1.10), so the module stops initialising on an "
                "upgrade."
            ),
            example=(
                "terraform {\n"
                '  required_version = ">= 1.11"\n'
                "\n"
                '  backend "s3" {\n'
                '    bucket         = "acme-state"\n'
                '    key            = "app/terraform.tfstate"\n'
                '    region         = "us-east-1"\n'
                '    dynamodb_table = "terraform-locks"\n'
                "    encrypt        = true\n"
                "  }\n"
                "}\n"
            ),
            fix=(
                "Targeted: renames the argument to its replacement where every admitted "
                "version accepts the replacement: `force_path_style` -> `use_path_style`, "
                "`endpoint` -> `endpoints = { s3 = ... }`, `role_arn` -> `assume_role = "
                "{ role_arn = ... }`, `dynamodb_table` -> `use_lockfile = true`."
            ),
            versions="Deprecated arguments (-> replacement):\n"
            + row_lines(_lifecycle_rows("deprecated"), with_replacement=True),
            sources=sources_of(
                *(r.sources for r in _lifecycle_rows("deprecated")),
            ),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None:
            return
        dialect = view.dialect.dialect
        for name, value in backend.arguments.items():
            row = argument(backend.type, name)
            if row is None:
                continue
            status = row.status(dialect, view.version_range)
            if status.removed is not Coverage.NONE or status.deprecated is Coverage.NONE:
                continue
            if status.deprecated is Coverage.SOME and not _replacement_works_everywhere(row, view):
                continue
            since = row.lifecycle(dialect).deprecated
            assert since is not None  # deprecated coverage is not NONE
            replacement = replacement_text(row)
            advice = f"Use {replacement} instead." if replacement else "Remove it."
            yield finding(
                self.info,
                f"{name} in {backend_title(backend)} is deprecated since {engine(view)} "
                f"{short_version(since)}, and the module admits {versions_phrase(view)}. " + advice,
                argument_location(backend, value),
                subject=name,
            )


class RemovedArgument:
    info = RuleInfo(
        code="BF005",
        name="removed-argument",
        severity=Severity.ERROR,
        summary="A backend argument that some admitted version no longer accepts",
        category=Category.INIT_BREAKING,
        fix=targeted_fix(
            Applicability.SAFE,
            Applicability.UNSAFE,
            unsafe_when="only some admitted versions accept the replacement",
            in_mode=True,
        ),
        doc=RuleDoc(
            what=(
                "An argument of the effective backend that some version admitted by "
                "`required_version` rejects: removed in that version (the top-level "
                "`role_arn` family in Terraform 1.10, `use_legacy_workflow` in OpenTofu "
                "1.8) or never accepted by the dialect (`state_tags` in Terraform). One "
                "admitted version that rejects it is enough: that version fails init."
            ),
            why=(
                'Init fails with "Unsupported argument: An argument named "role_arn" is '
                'not expected here." on every version that removed it.'
            ),
            example=(
                "terraform {\n"
                '  required_version = ">= 1.10"\n'
                "\n"
                '  backend "s3" {\n'
                '    bucket       = "acme-state"\n'
                '    key          = "app/terraform.tfstate"\n'
                '    region       = "us-east-1"\n'
                '    role_arn     = "arn:aws:iam::123456789012:role/terraform"\n'
                "    use_lockfile = true\n"
                "    encrypt      = true\n"
                "  }\n"
                "}\n"
            ),
            fix=(
                "Targeted, when every admitted version accepts the replacement: moves "
                "the top-level `role_arn` family into `assume_role = { ... }` and the "
                "endpoint arguments into `endpoints = { ... }`. Otherwise (e.g. `>= 1.5`, "
                "where 1.5 has no `assume_role`) there is no automatic fix: narrow "
                "`required_version` first. Arguments without a replacement are left for "
                "a person to remove."
            ),
            versions="Removed or dialect-specific arguments (-> replacement):\n"
            + row_lines(_lifecycle_rows("removed"), with_replacement=True),
            sources=sources_of(*(r.sources for r in _lifecycle_rows("removed"))),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None:
            return
        dialect = view.dialect.dialect
        for name, value in backend.arguments.items():
            row = argument(backend.type, name)
            if row is None:
                continue
            if row.status(dialect, view.version_range).removed is Coverage.NONE:
                continue
            yield finding(
                self.info,
                self._message(view, row, backend_title(backend)),
                argument_location(backend, value),
                subject=name,
                notes=self._notes(view, row),
            )

    @staticmethod
    def _message(view: ModuleView, row: BackendArgument, title: str) -> str:
        dialect = view.dialect.dialect
        lifecycle = row.lifecycle(dialect)
        rejected = f'"Unsupported argument: An argument named "{row.name}" is not expected here."'
        if not lifecycle.supported:
            other = _other(dialect)
            added = row.lifecycle(other).added
            since = f" from {short_version(added)}" if added is not None else ""
            head = (
                f"{row.name} in {title} is not a {engine(view)} argument "
                f"(only {other.display_name} has it{since})"
            )
        else:
            assert lifecycle.removed is not None  # removed coverage is not NONE
            head = (
                f"{row.name} in {title} was removed in {engine(view)} "
                f"{short_version(lifecycle.removed)}, and the module admits {versions_phrase(view)}"
            )
        replacement = replacement_text(row)
        tail = f" Use {replacement} instead." if replacement else " Remove it."
        return f"{head}: init fails there with {rejected}{tail}"

    @staticmethod
    def _notes(view: ModuleView, row: BackendArgument) -> list[str]:
        replacement = _replacement_row(row)
        if replacement is None:
            return []
        dialect = view.dialect.dialect
        status = replacement.status(dialect, view.version_range)
        added = replacement.lifecycle(dialect).added
        if status.available is Coverage.ALL or added is None:
            return []
        return [
            f"{replacement.name} needs {engine(view)} {short_version(added)} or later; "
            "narrow required_version to versions that have it."
        ]


class LockfileUnsupported:
    info = RuleInfo(
        code="BF007",
        name="lockfile-unsupported",
        severity=Severity.ERROR,
        summary="use_lockfile while required_version admits versions without it",
        category=Category.INIT_BREAKING,
        fix=NO_FIX,
        doc=RuleDoc(
            what=(
                "`use_lockfile` in the effective backend while `required_version` admits "
                "a version that does not know it: Terraform before 1.10, OpenTofu before "
                "1.10 (a missing `required_version` admits them all). Terraform 1.10 "
                "accepts it as experimental; that alone is not a finding."
            ),
            why=(
                'Those versions fail init with "Unsupported argument: An argument named '
                '"use_lockfile" is not expected here." Anyone on an older Terraform '
                "that `required_version` still promises to support cannot initialise "
                "the module."
            ),
            example=(
                "terraform {\n"
                '  required_version = ">= 1.5.0"\n'
                "\n"
                '  backend "s3" {\n'
                '    bucket       = "acme-state"\n'
                '    key          = "app/terraform.tfstate"\n'
                '    region       = "us-east-1"\n'
                "    use_lockfile = true\n"
                "    encrypt      = true\n"
                "  }\n"
                "}\n"
            ),
            fix=(
                "No automatic fix: either raise `required_version` to `>= 1.10` (`>= "
                "1.11` for general availability in Terraform), or lock with "
                "`dynamodb_table` instead."
            ),
            versions=row_lines(rows_where(lambda r: Role.LOCK_FLAG in r.roles)),
            sources=sources_of(
                *(r.sources for r in rows_where(lambda r: Role.LOCK_FLAG in r.roles))
            ),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None:
            return
        row = role_argument(backend.type, Role.LOCK_FLAG)
        table = role_argument(backend.type, Role.LOCK_TABLE)
        value = backend.argument(row.name) if row is not None else None
        if value is None or row is None or admits_nothing(view):
            return
        flag = row.name
        instead = f", or lock with {table.name} instead" if table is not None else ""
        dialect = view.dialect.dialect
        status = row.status(dialect, view.version_range)
        if status.available is Coverage.ALL:
            return
        lifecycle = row.lifecycle(dialect)
        name = engine(view)
        if lifecycle.added is None or not lifecycle.supported:
            needs = f"{name} does not accept it"
        else:
            needs = f"it needs {name} {short_version(lifecycle.added)} or later"
            if lifecycle.stable is not None:
                needs += (
                    f" (experimental in {short_version(lifecycle.added)}, generally "
                    f"available from {short_version(lifecycle.stable)})"
                )
        notes = []
        if lifecycle.added is not None:
            notes.append(
                f'Require ">= {short_version(lifecycle.stable or lifecycle.added)}" in '
                f"required_version{instead}."
            )
        yield finding(
            self.info,
            f"{flag} in {backend_title(backend)}: {needs}, but the module admits "
            f"{versions_phrase(view)}; older versions fail init with "
            f'"Unsupported argument: An argument named "{flag}" is not expected here."',
            argument_location(backend, value),
            subject=flag,
            notes=notes,
        )
