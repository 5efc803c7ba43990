"""What a backend block needs to be complete, and where each value comes from.

:func:`plan_completion` compares one backend block with the table: required
arguments that are absent, empty-string placeholders and values built from
variables (which Terraform rejects in a backend) all need a literal value. It
also adds ``encrypt = true`` and the locking argument that suits the module's
versions to S3 backends. Values come from :mod:`fixer.fixes.values`; what no
source supplies is listed as missing, never invented (comment mode alone puts
clearly marked placeholders there).
"""

from __future__ import annotations

from dataclasses import dataclass

from fixer.fixes.values import (
    LiteralValue,
    ResolvedValue,
    ValueSources,
    evaluate_with_defaults,
    module_backend_file_values,
    resolve,
)
from fixer.syntax import Attribute
from fixer.terraform import (
    BackendBlock,
    Dialect,
    ModuleView,
    Version,
    argument,
    credential_arguments,
    required_arguments,
)

PLACEHOLDER = "REPLACE_ME"
DEFAULT_KEY_TEMPLATE = "{module_path}/terraform.tfstate"

# S3 state locking without DynamoDB: generally available from these versions.
LOCKFILE_SINCE = {Dialect.TERRAFORM: Version("1.11"), Dialect.OPENTOFU: Version("1.10")}


@dataclass(frozen=True, slots=True)
class Replacement:
    """An existing attribute whose value must change, and the value to put there."""

    attribute: Attribute
    value: ResolvedValue


@dataclass(frozen=True, slots=True)
class Completion:
    """The plan for one backend block: additions, replacements and what is missing."""

    backend: BackendBlock
    additions: tuple[ResolvedValue, ...]
    replacements: tuple[Replacement, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...] = ()


def lockfile_is_safe(view: ModuleView) -> bool:
    """True when every version the module admits has GA ``use_lockfile``."""
    dialect = view.dialect.dialect
    return view.version_range.requires_at_least(LOCKFILE_SINCE[dialect])


def _references_rejected(view: ModuleView) -> bool:
    """Does some admitted version reject references in a backend block?"""
    if view.dialect.dialect is Dialect.TERRAFORM:
        return True
    return view.version_range.admits_below(Version("1.8"))


def plan_completion(
    backend: BackendBlock,
    view: ModuleView,
    sources: ValueSources,
    *,
    placeholders: bool = False,
) -> Completion:
    """Plan how to complete ``backend`` (an HCL backend block of ``view``).

    With ``placeholders`` (comment mode) a value no source supplies becomes a
    marked placeholder, and ``key`` defaults to ``{module_path}/terraform.tfstate``;
    without it, such names are returned in ``missing``. Raises ValueError for
    ``--set`` text of the wrong type.
    """
    dialect = view.dialect.dialect
    additions: dict[str, ResolvedValue] = {}
    replacements: list[Replacement] = []
    missing: list[str] = []
    notes: list[str] = []
    credentials = {row.name for row in credential_arguments(backend.type)}

    def fallback(name: str) -> ResolvedValue | None:
        if not placeholders:
            return None
        if name == "key":
            template = DEFAULT_KEY_TEMPLATE.replace("{module_path}", sources.module_path)
            return ResolvedValue(name, template.removeprefix("./"), "suggested default")
        return ResolvedValue(name, _placeholder(name, backend.type), "placeholder")

    def need(name: str) -> ResolvedValue | None:
        found = resolve(name, backend, view, sources) or fallback(name)
        if found is None:
            missing.append(name)
        return found

    # Required arguments that are absent or unusable.
    for row in required_arguments(backend.type, dialect, view.version_range):
        present = backend.argument(row.name)
        if present is None:
            value = need(row.name)
            if value is not None:
                additions[row.name] = value
        elif (
            present.attribute is not None
            and present.value is not None
            and present.value.value == ""
        ):
            value = need(row.name)
            if value is not None:
                replacements.append(Replacement(present.attribute, value))

    # Arguments built from variables: Terraform refuses them in a backend.
    if _references_rejected(view):
        for present in backend.arguments.values():
            attribute = present.attribute
            if (
                attribute is None
                or present.value is not None
                or not any(attribute.expr.references())
            ):
                continue
            if any(r.attribute is attribute for r in replacements):
                continue
            value = resolve(present.name, backend, view, sources)
            if value is None:
                evaluated = evaluate_with_defaults(attribute.expr, view)
                if evaluated is not None:
                    value = ResolvedValue(present.name, evaluated, "the variables' default values")
            if value is None:
                value = fallback(present.name)
            if value is None:
                missing.append(present.name)
            else:
                replacements.append(Replacement(attribute, value))

    # Everything the user passed explicitly (and the module's own backend file) goes in too.
    # Like `init -backend-config=FILE`: every value of the file goes in, wherever
    # the file comes from (--backend-config, or the module's own *.tfbackend).
    offered = [
        *sources.sets,
        *sources.backend_config,
        *module_backend_file_values(view, backend.type),
    ]
    for name in offered:
        if backend.argument(name) is None and name not in additions:
            if name in credentials:
                notes.append(f"{name} was not written into the configuration: it is a credential")
                continue
            value = resolve(name, backend, view, sources)
            if value is not None:
                additions[name] = value

    if backend.type == "s3":
        _s3_defaults(backend, view, sources, additions, missing, need)

    return Completion(
        backend,
        tuple(additions.values()),
        tuple(replacements),
        tuple(dict.fromkeys(missing)),
        tuple(notes),
    )


def _s3_defaults(
    backend: BackendBlock,
    view: ModuleView,
    sources: ValueSources,
    additions: dict[str, ResolvedValue],
    missing: list[str],
    need: object,
) -> None:
    """Add encryption and the locking argument the module's versions support."""
    if backend.argument("encrypt") is None and "encrypt" not in additions:
        additions["encrypt"] = resolve("encrypt", backend, view, sources) or ResolvedValue(
            "encrypt", True, "encryption at rest by default"
        )
    has_lock = any(
        backend.argument(n) is not None or n in additions
        for n in ("use_lockfile", "dynamodb_table")
    )
    if has_lock:
        return
    offered = resolve("use_lockfile", backend, view, sources)
    if offered is not None:
        additions["use_lockfile"] = offered
        return
    if lockfile_is_safe(view):
        additions["use_lockfile"] = ResolvedValue(
            "use_lockfile", True, "S3 native locking (all admitted versions)"
        )
        return
    table = need("dynamodb_table")  # type: ignore[operator]
    if table is not None:
        additions["dynamodb_table"] = table


def _placeholder(name: str, backend: str) -> LiteralValue:
    row = argument(backend, name)
    if row is not None and row.type.value == "bool":
        return True
    if row is not None and row.type.value == "number":
        return 0
    return f"{PLACEHOLDER}-{name.replace('_', '-')}"
