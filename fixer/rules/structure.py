"""The shape of the backend configuration: how many blocks, which type, how written.

BF009 finds object arguments written as nested blocks, BF011 duplicate backend
(or cloud) blocks, BF012 a backend beside a cloud block, BF013 backend types the
admitted versions removed and BF014 types nobody knows. Terraform reports all of
them before it touches the backend, so each one stops init by itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import PurePath

from fixer.rules.base import (
    MODE_FIX,
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
from fixer.rules.locations import argument_location, backend_location, label_location
from fixer.rules.tables import row_lines, rows_where, sources_of, type_lines
from fixer.rules.written import schema_of
from fixer.terraform import (
    CLOUD_BLOCK,
    BackendBlock,
    BackendType,
    Coverage,
    Dialect,
    ModuleView,
    Syntax,
    VersionRange,
    argument,
    backend_type,
    backend_types,
    releases,
    removed_backend_types,
)

_BACKEND_DOCS = "https://developer.hashicorp.com/terraform/language/backend"
_CLOUD_DOCS = "https://developer.hashicorp.com/terraform/cli/cloud/settings"
_OVERRIDE_DOCS = "https://developer.hashicorp.com/terraform/language/files/override"


def _where(backend: BackendBlock) -> str:
    """``main.tf:2`` (``main.tf`` for blocks from ``.tf.json``)."""
    name = PurePath(backend.path).name
    return f"{name}:{backend.block.line}" if backend.block is not None else name


def _groups(view: ModuleView) -> Iterator[tuple[BackendBlock, ...]]:
    """Blocks that Terraform merges into one module setting and so must not repeat.

    The primary files form one group; each override file is a group of its own
    (its blocks replace what came before, but it may not hold two itself).
    """
    yield tuple(b for b in view.backends if not b.is_override)
    by_file: dict[str, list[BackendBlock]] = {}
    for backend in view.backends:
        if backend.is_override:
            by_file.setdefault(backend.path, []).append(backend)
    for blocks in by_file.values():
        yield tuple(blocks)


def _distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) that turn ``a`` into ``b``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def closest_name(name: str, candidates: Sequence[str]) -> str | None:
    """The candidate within a typo's reach of ``name``, or None.

    A typo is at most two edits, and at most one for names of three letters or
    fewer (so ``s4`` suggests ``s3`` but ``xy`` does not suggest ``pg``). Ties go
    to the first candidate.
    """
    limit = min(2, len(name) // 2)
    scored = sorted((_distance(name, c), i, c) for i, c in enumerate(candidates))
    if not scored or scored[0][0] > limit:
        return None
    return scored[0][2]


class ObjectAsBlock:
    info = RuleInfo(
        code="BF009",
        name="object-as-block",
        severity=Severity.ERROR,
        summary="An object argument (assume_role, endpoints) written as a block instead of = { }",
        category=Category.INIT_BREAKING,
        fix=targeted_fix(Applicability.SAFE, in_mode=True),
        doc=RuleDoc(
            what=(
                "An argument of the effective backend whose value is an object, written "
                "as a nested block: `assume_role { ... }` instead of `assume_role = { ... }`."
            ),
            why=(
                "These arguments are attributes with object values, not blocks. Init fails "
                'with "Unsupported block type: Blocks of type "assume_role" are not '
                'expected here. Did you mean to define argument "assume_role"? If so, use '
                'the equals sign to assign it a value."'
            ),
            example=(
                "terraform {\n"
                '  required_version = ">= 1.6"\n'
                "\n"
                '  backend "s3" {\n'
                '    bucket       = "acme-state"\n'
                '    key          = "app/terraform.tfstate"\n'
                '    region       = "us-east-1"\n'
                "    use_lockfile = true\n"
                "    encrypt      = true\n"
                "\n"
                "    assume_role {\n"
                '      role_arn = "arn:aws:iam::123456789012:role/terraform"\n'
                "    }\n"
                "  }\n"
                "}\n"
            ),
            fix="Targeted: turns the block into an attribute, `assume_role { ... }` -> "
            "`assume_role = { ... }`, keeping its contents.",
            versions="Object arguments:\n"
            + row_lines(rows_where(lambda r: r.syntax is Syntax.OBJECT)),
            sources=sources_of(
                *(r.sources for r in rows_where(lambda r: r.syntax is Syntax.OBJECT))
            ),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None or schema_of(backend) is None:
            return
        for value in (*backend.arguments.values(), *backend.repeated):
            name = value.name
            row = argument(backend.type, name)
            if row is None or row.syntax is not Syntax.OBJECT or not value.written_as_block:
                continue
            added = row.lifecycle(view.dialect.dialect).added
            since = f" (since {engine(view)} {short_version(added)})" if added else ""
            yield finding(
                self.info,
                f"{name} in {backend_title(backend)} is written as a block, but it is an "
                f"argument whose value is an object{since}: write {name} = {{ ... }}. Init "
                f'fails with "Unsupported block type: Blocks of type "{name}" are not '
                'expected here."',
                argument_location(backend, value),
                subject=name,
            )


class MultipleBackends:
    info = RuleInfo(
        code="BF011",
        name="multiple-backends",
        severity=Severity.ERROR,
        summary="More than one backend (or cloud) block in a module",
        category=Category.INIT_BREAKING,
        fix=NO_FIX,
        doc=RuleDoc(
            what=(
                "A second `backend` block in the module's primary files (all `.tf` "
                "files of the directory count, not only one `terraform` block), or two in "
                "one override file; likewise a second `cloud` block. Each block after the "
                "first is a finding. A backend in an override file that replaces the "
                "primary one is not."
            ),
            why=(
                'Init fails with "Duplicate backend configuration: A module may have only '
                'one backend configuration." Which one was meant is a human decision.'
            ),
            example=(
                "terraform {\n"
                '  backend "s3" {\n'
                '    bucket       = "acme-state"\n'
                '    key          = "app/terraform.tfstate"\n'
                '    region       = "us-east-1"\n'
                "    use_lockfile = true\n"
                "    encrypt      = true\n"
                "  }\n"
                "\n"
                '  backend "local" {}\n'
                "}\n"
            ),
            fix="No automatic fix: remove the blocks that are not meant.",
            versions="Every Terraform and OpenTofu version.",
            sources=(_BACKEND_DOCS, _OVERRIDE_DOCS),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        for group in _groups(view):
            yield from self._duplicates([b for b in group if not b.is_cloud], is_cloud=False)
            yield from self._duplicates([b for b in group if b.is_cloud], is_cloud=True)

    def _duplicates(self, blocks: Sequence[BackendBlock], *, is_cloud: bool) -> Iterator[Finding]:
        if len(blocks) < 2:
            return
        first = blocks[0]
        kind = CLOUD_BLOCK if is_cloud else "backend"
        summary = (
            "Duplicate cloud configurations" if is_cloud else "Duplicate backend configuration"
        )
        earlier = "the one" if is_cloud else backend_title(first)
        for backend in blocks[1:]:
            yield finding(
                self.info,
                f"{backend_title(backend)}: a module may have only one {kind} block, and this "
                f"one comes after {earlier} at {_where(first)}; init fails with "
                f'"{summary}".',
                backend_location(backend),
                subject=backend.type,
            )


class BackendAndCloud:
    info = RuleInfo(
        code="BF012",
        name="backend-and-cloud",
        severity=Severity.ERROR,
        summary="A backend block together with a cloud block",
        category=Category.INIT_BREAKING,
        fix=NO_FIX,
        doc=RuleDoc(
            what=(
                "A `backend` block and a `cloud` block in the module's primary files (or "
                "both in one override file). The finding points at the backend block, as "
                "Terraform's error does."
            ),
            why=(
                'Init fails with "Both a backend and cloud configuration are present: A '
                "module may declare either one 'cloud' block OR one 'backend' block "
                'configuring a state backend."'
            ),
            example=(
                "terraform {\n"
                "  cloud {\n"
                '    organization = "acme"\n'
                "\n"
                "    workspaces {\n"
                '      name = "app"\n'
                "    }\n"
                "  }\n"
                "\n"
                '  backend "local" {}\n'
                "}\n"
            ),
            fix="No automatic fix: keep the cloud block for HCP Terraform, or the backend.",
            versions=(
                "Terraform 1.1 and later (the cloud block came in 1.1) and every OpenTofu version."
            ),
            sources=(_CLOUD_DOCS,),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        for group in _groups(view):
            backends = [b for b in group if not b.is_cloud]
            clouds = [b for b in group if b.is_cloud]
            if not backends or not clouds:
                continue
            backend = backends[0]
            yield finding(
                self.info,
                f"{backend_title(backend)} sits beside the cloud block at {_where(clouds[0])}: "
                "a module may declare either one cloud block or one backend block. Init "
                'fails with "Both a backend and cloud configuration are present".',
                backend_location(backend),
                subject=backend.type,
            )


class RemovedBackendType:
    info = RuleInfo(
        code="BF013",
        name="removed-backend-type",
        severity=Severity.ERROR,
        summary="A backend type that admitted versions removed (artifactory, etcd, swift, azure...)",
        category=Category.INIT_BREAKING,
        fix=MODE_FIX,
        doc=RuleDoc(
            what=(
                "An effective `backend` whose type some admitted version no longer has: "
                "`artifactory`, `etcd`, `etcdv3`, `manta` and `swift` (removed in "
                "Terraform 1.3, never in OpenTofu), and the `azure` alias of `azurerm`. "
                "One admitted version without it is enough; a module that requires "
                "Terraform < 1.3 is not a finding."
            ),
            why=(
                'Init fails with "Unsupported backend type: The "etcd" backend is not '
                'supported in Terraform v1.3 or later." The state stays where it is, '
                "but no current version can read it through that backend."
            ),
            example='terraform {\n  backend "etcd" {\n    path = "app"\n  }\n}\n',
            fix=(
                "Backend-wide, chosen with `--mode`: comment (comments the block out, so "
                "the module uses local state; `restore` undoes it) or override (writes "
                "`backend_override.tf` with a local backend). Complete mode cannot supply "
                "a removed backend. For `azure` the message names `azurerm`: only the name "
                "changed."
            ),
            versions=type_lines(removed_backend_types(Dialect.TERRAFORM)),
            sources=sources_of(t.source for t in removed_backend_types(Dialect.TERRAFORM)),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None or backend.is_cloud:
            return
        known = backend_type(backend.type)
        if known is None:
            return
        dialect = view.dialect.dialect
        if known.status(dialect, view.version_range).removed is Coverage.NONE:
            return
        name = engine(view)
        removed = known.removed_in(dialect)
        if not known.lifecycle(dialect).supported:
            terraform_removed = known.removed_in(Dialect.TERRAFORM)
            when = (
                f" (Terraform removed it in {short_version(terraform_removed)})"
                if terraform_removed is not None
                else ""
            )
            head = f'{name} has no "{backend.type}" backend{when}'
            quoted = f'There is no backend type named "{backend.type}".'
        else:
            assert removed is not None  # removed coverage is not NONE
            version = short_version(removed)
            head = (
                f'the "{backend.type}" backend was removed in {name} {version}, and the '
                f"module admits {versions_phrase(view)}"
            )
            quoted = f'The "{backend.type}" backend is not supported in {name} v{version} or later.'
        advice = (
            f' Use backend "{known.alias_of}" instead: only the name changed.'
            if known.alias_of
            else " Move the state to a supported backend."
        )
        yield finding(
            self.info,
            f'{head}: init fails with "Unsupported backend type: {quoted}"{advice}',
            label_location(backend),
            subject=backend.type,
        )


class UnknownBackendType:
    def _too_new(
        self, view: ModuleView, backend: BackendBlock, known: BackendType
    ) -> Iterator[Finding]:
        """A type that came after some admitted version: those versions do not know it."""
        dialect = view.dialect.dialect
        lifecycle = known.lifecycle(dialect)
        if not lifecycle.supported or lifecycle.added is None or known.removed_in(dialect):
            return
        lacking = releases(dialect, view.version_range).intersect(
            VersionRange.below(lifecycle.added)
        )
        if lacking.is_empty() or admits_nothing(view):
            return
        name = engine(view)
        yield finding(
            self.info,
            f'the "{backend.type}" backend came with {name} {short_version(lifecycle.added)}, '
            f"but the module admits {versions_phrase(view)}: {name} {lacking.describe()} fails "
            f'init with "Unsupported backend type: There is no backend type named '
            f'"{backend.type}"." Require ">= {short_version(lifecycle.added)}" in required_version.',
            label_location(backend),
            subject=backend.type,
        )

    info = RuleInfo(
        code="BF014",
        name="unknown-backend-type",
        severity=Severity.ERROR,
        summary='A backend type an admitted version lacks: "Unsupported backend type"',
        category=Category.INIT_BREAKING,
        fix=NO_FIX,
        doc=RuleDoc(
            what=(
                "An effective `backend` whose type is not in the backend table, such as "
                '`backend "s4"`. The message suggests the closest known type.'
            ),
            why='Init fails with "Unsupported backend type: There is no backend type named "s4"."',
            example='terraform {\n  backend "s4" {\n    bucket = "acme-state"\n  }\n}\n',
            fix="No automatic fix: the intended type is a guess. The message names the closest one.",
            versions="Every Terraform and OpenTofu version. Known backend types:\n"
            + type_lines(t for t in backend_types() if not t.is_cloud_block),
            sources=(_BACKEND_DOCS,),
        ),
    )

    def check(self, view: ModuleView) -> Iterator[Finding]:
        backend = view.effective_backend
        if backend is None or backend.is_cloud:
            return
        dialect = view.dialect.dialect
        known = backend_type(backend.type)
        if known is not None and known.is_cloud_block:
            yield finding(
                self.info,
                f'"{backend.type}" is not a backend type: init fails with "Unsupported backend '
                f'type: There is no explicit backend type named "{backend.type}". To configure '
                "HCP Terraform, declare a 'cloud' block instead.\" Write `cloud { ... }` in the "
                "terraform block instead of a backend block.",
                label_location(backend),
                subject=backend.type,
            )
            return
        if known is not None:
            yield from self._too_new(view, backend, known)
            return
        candidates = [
            t.name
            for t in backend_types()
            if not t.is_cloud_block and t.removed_in(dialect) is None
        ]
        close = closest_name(backend.type, candidates)
        hint = f' Did you mean "{close}"?' if close else ""
        yield finding(
            self.info,
            f'"{backend.type}" is not a backend type {engine(view)} knows: init fails with '
            f'"Unsupported backend type: There is no backend type named "{backend.type}"."' + hint,
            label_location(backend),
            subject=backend.type,
        )
