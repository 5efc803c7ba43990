"""What every rule module shares: building findings, naming versions, required arguments.

A finding's ``subject`` names the node it is about (an argument name, dotted
for an attribute inside a nested block, or a backend type); its location
follows the conventions of :mod:`fixer.rules.locations`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from fixer.rules.base import Finding, Location, RuleInfo, Severity
from fixer.rules.memo import remember_last
from fixer.syntax import Attribute, Block
from fixer.terraform import (
    BackendArgument,
    BackendBlock,
    Dialect,
    ModuleView,
    Version,
    VersionRange,
    releases,
    required_arguments,
)

__all__ = [
    "Missing",
    "admits_nothing",
    "backend_title",
    "engine",
    "finding",
    "join_words",
    "missing_arguments",
    "needs_init_values",
    "nested_attributes",
    "short_version",
    "versions_phrase",
]


def finding(
    info: RuleInfo,
    message: str,
    location: Location,
    *,
    subject: str | None,
    notes: Iterable[str] = (),
    severity: Severity | None = None,
) -> Finding:
    """A finding of rule ``info`` (its own severity unless ``severity`` is given)."""
    return Finding(
        code=info.code,
        name=info.name,
        severity=severity or info.severity,
        message=message,
        location=location,
        notes=tuple(notes),
        subject=subject,
    )


def nested_attributes(block: Block, prefix: str) -> Iterator[tuple[str, Attribute]]:
    """Every attribute inside ``block`` and its nested blocks, with a dotted name.

    ``workspaces { name = ... }`` yields ``("workspaces.name", <attribute>)`` for
    ``prefix`` ``"workspaces"``.
    """
    for item in block.body.items:
        if isinstance(item, Attribute):
            yield f"{prefix}.{item.name}", item
        else:
            yield from nested_attributes(item, f"{prefix}.{item.type}")


# -- words ----------------------------------------------------------------------------


def engine(view: ModuleView) -> str:
    """``Terraform`` or ``OpenTofu``: the program the module is judged for."""
    return view.dialect.dialect.display_name


def short_version(version: Version) -> str:
    """``1.10.0`` -> ``1.10``; other versions as written (``1.6.3``, ``1.11.0-beta1``)."""
    release = version.release
    if len(release) == 3 and release[2] == 0 and not version.prerelease:
        return f"{release[0]}.{release[1]}"
    return str(version)


def admits_nothing(view: ModuleView) -> bool:
    """True when no released version of the dialect satisfies ``required_version``.

    Such a module fails on every version before any backend rule matters, so
    verdicts about "versions that lack X" would be noise.
    """
    return releases(view.dialect.dialect, view.version_range).is_empty()


def versions_phrase(view: ModuleView) -> str:
    """The versions the module admits, in words: ``Terraform >= 1.5.0``.

    Without a ``required_version`` that is ``every Terraform version``; a range
    from ``--terraform-version`` says so.
    """
    name = engine(view)
    if view.version_range != view.declared_range:
        return f"{name} {view.version_range.describe()} (--terraform-version)"
    if not view.required_versions or view.version_range.is_everything():
        return f"every {name} version"
    return f"{name} {view.version_range.describe()}"


def backend_title(backend: BackendBlock) -> str:
    """``backend "s3"`` or ``cloud block``: how the messages name the block."""
    return "cloud block" if backend.is_cloud else f'backend "{backend.type}"'


def join_words(words: Iterable[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


# -- required arguments -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Missing:
    """A required argument the block lacks, and the backend config files beside it that set it."""

    argument: BackendArgument
    supplied_by: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.argument.name


@remember_last
def missing_arguments(view: ModuleView, backend: BackendBlock) -> tuple[Missing, ...]:
    """The required arguments of ``backend`` that its block does not write, in table order.

    An argument written with any value counts as present: a reference or an
    empty string is another rule's finding, not a missing value. Remembered:
    several rules ask it of the same module one after the other.
    """
    from fixer.rules.written import schema_of

    if schema_of(backend) is None:
        return ()
    dialect: Dialect = view.dialect.dialect
    admitted: VersionRange = view.version_range
    return tuple(
        Missing(row, view.supplied_by(row.name))
        for row in required_arguments(backend.type, dialect, admitted)
        if backend.argument(row.name) is None
    )


def needs_init_values(view: ModuleView, backend: BackendBlock) -> bool:
    """True when init needs ``-backend-config`` values that nothing beside the module holds.

    Such a block is partial on purpose: the rest of its settings (locking,
    encryption) arrive with those values and cannot be judged from the code.
    Arguments an environment variable can supply do not count.
    """
    return any(
        not m.supplied_by and not m.argument.env_vars for m in missing_arguments(view, backend)
    )
