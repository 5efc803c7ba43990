"""What a backend block needs to be complete, and where each value comes from.

:func:`plan_completion` compares one backend block with the table: required
arguments that are absent, empty-string placeholders and values built from
variables (which Terraform rejects in a backend) all need a literal value. It
also adds what the backend table marks as protecting the state (the argument
with the ``encrypt`` role set to true, and the locking argument that suits the
module's versions) where the backend has them. Values come from
:mod:`fixer.fixes.values`; what no source supplies is listed as missing, never
invented (comment mode alone puts clearly marked placeholders there).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fixer.fixes.values import (
    LiteralValue,
    ResolvedValue,
    ValueSources,
    backend_config_values,
    evaluate_with_defaults,
    normalised_path,
    resolve,
)
from fixer.syntax import Attribute
from fixer.terraform import (
    ArgumentValue,
    BackendBlock,
    ModuleView,
    Role,
    ValueType,
    argument,
    arguments,
    credential_arguments,
    required_arguments,
    role_argument,
)
from fixer.terraform.evaluation import EARLY_EVALUATION

PLACEHOLDER = "REPLACE_ME"


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


def lock_flag_everywhere(backend_type: str, view: ModuleView) -> bool:
    """True when the backend has a locking switch (``lock-flag`` role) every admitted version has, past any experiment."""
    row = role_argument(backend_type, Role.LOCK_FLAG)
    return row is not None and row.generally_available(view.dialect.dialect, view.version_range)


def _references_rejected(view: ModuleView) -> bool:
    """Does some admitted version reject references in a backend block?"""
    lifecycle = EARLY_EVALUATION.lifecycle(view.dialect.dialect)
    if not lifecycle.supported:
        return True
    return lifecycle.added is not None and view.version_range.admits_below(lifecycle.added)


def _unusable(present: ArgumentValue) -> bool:
    """A written value init treats as missing or rejects as empty: null, "" or blanks."""
    if present.attribute is None or present.value is None:
        return False
    value = present.value.value
    return value is None or (isinstance(value, str) and not value.strip())


def unaccepted_keys(backend: BackendBlock, keys: Sequence[str]) -> str | None:
    """A one-line refusal naming the keys ``backend`` does not have and the ones it does, or None."""
    accepted = [row.name for row in arguments(backend.type)]
    unknown = [key for key in keys if key not in accepted]
    if not unknown or not accepted:
        return None  # a type the table does not describe is refused for that reason instead
    names = ", ".join(unknown)
    return (
        f"{names}: the {backend.type} backend has no such argument; it accepts "
        f"{', '.join(accepted)}"
    )


def plan_completion(
    backend: BackendBlock,
    view: ModuleView,
    sources: ValueSources,
    *,
    placeholders: bool = False,
    protect: frozenset[Role] | None = None,
) -> Completion:
    """Plan how to complete ``backend`` (an HCL backend block of ``view``).

    With ``placeholders`` (comment mode) a value no source supplies becomes the
    table's suggestion for it (the state key's ``{module_path}/terraform.tfstate``)
    or a marked placeholder; without it, such names are returned in ``missing``.
    ``protect`` names the roles whose protection may be added (``encrypt``,
    ``lock-flag``, ``lock-table``; None: all), so rules the user ignores do not
    come back through completion. A missing lock table is a note, never a
    missing value. Raises ValueError for ``--set`` text of the wrong type, and
    (without ``placeholders``) for ``--set`` or ``--backend-config`` keys the
    backend does not have.
    """
    if not placeholders:
        refusal = unaccepted_keys(backend, [*sources.sets, *sources.backend_config])
        if refusal is not None:
            raise ValueError(refusal)
    dialect = view.dialect.dialect
    additions: dict[str, ResolvedValue] = {}
    replacements: list[Replacement] = []
    missing: list[str] = []
    notes: list[str] = []
    credentials = {row.name for row in credential_arguments(backend.type)}

    def fallback(name: str) -> ResolvedValue | None:
        if not placeholders:
            return None
        row = argument(backend.type, name)
        if row is not None and row.suggested is not None:
            template = row.suggested.replace("{module_path}", sources.module_path)
            return ResolvedValue(name, normalised_path(template), "suggested default")
        return ResolvedValue(name, _placeholder(name, backend.type), "placeholder")

    def need(name: str) -> ResolvedValue | None:
        found = resolve(name, backend, view, sources) or fallback(name)
        if found is None:
            missing.append(name)
        elif found.note:
            notes.append(found.note)
        return found

    # Required arguments that are absent or unusable.
    for row in required_arguments(backend.type, dialect, view.version_range):
        present = backend.argument(row.name)
        if present is None:
            value = need(row.name)
            if value is not None:
                additions[row.name] = value
        elif _unusable(present):
            assert present.attribute is not None
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
    from_files = backend_config_values(view, backend.type)
    notes.extend(from_files.notes)
    offered = [
        *sources.sets,
        *sources.backend_config,
        *sources.served,
        *from_files.values,
    ]
    for name in offered:
        if backend.argument(name) is None and name not in additions:
            if name in credentials:
                notes.append(f"{name} was not written into the configuration: it is a credential")
                continue
            value = resolve(name, backend, view, sources)
            if value is not None:
                additions[name] = value

    _protection(backend, view, sources, additions, notes, protect, fallback)

    return Completion(
        backend,
        tuple(additions.values()),
        tuple(replacements),
        tuple(dict.fromkeys(missing)),
        tuple(notes),
    )


def _protection(
    backend: BackendBlock,
    view: ModuleView,
    sources: ValueSources,
    additions: dict[str, ResolvedValue],
    notes: list[str],
    protect: frozenset[Role] | None,
    fallback: Callable[[str], ResolvedValue | None],
) -> None:
    """Add encryption and the locking argument the module's versions support, where the backend has them.

    Only the roles in ``protect`` (None: all). A lock table nobody names is
    not invented: the note says how to add one, and completion goes on.
    """
    wanted = protect if protect is not None else frozenset(Role)
    encrypt = role_argument(backend.type, Role.ENCRYPT)
    if encrypt is not None and encrypt.type is ValueType.BOOL and Role.ENCRYPT in wanted:
        name = encrypt.name
        if backend.argument(name) is None and name not in additions:
            additions[name] = resolve(name, backend, view, sources) or ResolvedValue(
                name, True, "encryption at rest by default"
            )
    flag = role_argument(backend.type, Role.LOCK_FLAG)
    table = role_argument(backend.type, Role.LOCK_TABLE)
    if not {Role.LOCK_FLAG, Role.LOCK_TABLE} & wanted:
        return
    names = [row.name for row in (flag, table) if row is not None]
    if not names or any(backend.argument(n) is not None or n in additions for n in names):
        return
    if flag is not None:
        offered = resolve(flag.name, backend, view, sources)
        if offered is not None:
            additions[flag.name] = offered
            return
        if lock_flag_everywhere(backend.type, view):
            additions[flag.name] = ResolvedValue(
                flag.name, True, f"{backend.type} native locking (all admitted versions)"
            )
            return
    if table is not None:
        # Comment mode proposes a marked placeholder; complete mode invents nothing.
        value = resolve(table.name, backend, view, sources) or fallback(table.name)
        if value is not None:
            additions[table.name] = value
            return
        reason = ""
        if flag is not None:
            reason = (
                f"required_version {view.version_range.describe()} admits versions without "
                f"{flag.name}, so "
            )
        notes.append(
            f"the {backend.type} backend was completed without state locking: {reason}locking "
            f"needs {table.name}; pass --set {table.name}=NAME to add it"
        )


def _placeholder(name: str, backend: str) -> LiteralValue:
    row = argument(backend, name)
    if row is not None and row.type is ValueType.BOOL:
        return True
    if row is not None and row.type is ValueType.NUMBER:
        return 0
    return f"{PLACEHOLDER}-{name.replace('_', '-')}"
