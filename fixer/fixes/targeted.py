"""Targeted fixes: one mechanical edit per finding, where a safe one exists.

Each builder takes a finding, the backend block it is about and a
:class:`~fixer.fixes.block_edit.BlockEditor`, records its operations on the
editor and returns the fix's applicability (None when there is nothing it can
do safely, for example when the module's versions do not have the replacement).
Builders only touch the block the finding is in, and read everything they need
to know about arguments (replacements, conversions, roles) from the backend
table. :data:`BUILDERS` maps each rule whose declaration says ``targeted`` to
its builder; a test ties the two together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fixer.fixes.block_edit import BlockEditor
from fixer.fixes.completion import lock_flag_everywhere
from fixer.fixes.render import Raw, hcl_string, hcl_value
from fixer.fixes.values import ValueSources, resolve
from fixer.rules.base import Applicability, Finding
from fixer.rules.credentials import HardcodedCredentials
from fixer.rules.state import NoStateLocking, UnencryptedState
from fixer.rules.structure import ObjectAsBlock
from fixer.rules.versions import DeprecatedArgument, RemovedArgument
from fixer.syntax import Attribute
from fixer.terraform import (
    BackendArgument,
    BackendBlock,
    Conversion,
    Coverage,
    ModuleView,
    Role,
    argument,
    arguments,
    role_argument,
)


@dataclass(frozen=True, slots=True)
class FixContext:
    """What a targeted fix may consult besides the finding.

    ``keep_lock_table``: when switching to the backend's own locking, keep the
    lock table too (``--keep-dynamodb-table``), for a migration in two steps.
    """

    view: ModuleView
    backend: BackendBlock
    sources: ValueSources
    keep_lock_table: bool = False


Builder = Callable[[Finding, FixContext, BlockEditor], "tuple[Applicability, str] | None"]


def _attribute(context: FixContext, name: str | None) -> Attribute | None:
    if name is None:
        return None
    found = context.backend.argument(name)
    return found.attribute if found is not None else None


def _replacement_applicability(context: FixContext, name: str) -> Applicability | None:
    """SAFE when every admitted version accepts ``name``, UNSAFE when only some do, else None.

    A module that admits versions on both sides of a rename cannot keep every
    one of them working: moving to the replacement is then the user's decision.
    """
    row = argument(context.backend.type, name)
    if row is None:
        return None
    status = row.status(context.view.dialect.dialect, context.view.version_range)
    if status.available is Coverage.ALL and status.removed is Coverage.NONE:
        return Applicability.SAFE
    if status.available is not Coverage.NONE:
        return Applicability.UNSAFE
    return None


def _removed_somewhere(row: BackendArgument, context: FixContext) -> bool:
    """Does some admitted version reject ``row``? Then moving off it may be worth a risk."""
    status = row.status(context.view.dialect.dialect, context.view.version_range)
    return status.removed is not Coverage.NONE


def fix_deprecated(
    finding: Finding, context: FixContext, editor: BlockEditor
) -> tuple[Applicability, str] | None:
    """Rewrite a deprecated or removed argument to its replacement (BF004, BF005)."""
    name = finding.subject
    attribute = _attribute(context, name)
    row = argument(context.backend.type, name or "")
    if attribute is None or row is None or row.replacement is None:
        return None
    if row.replacement_attribute is not None:
        return _into_object(context, editor, row.replacement_head or "")
    if row.conversion is Conversion.SWITCH:
        return _switch(context, editor, row, attribute)
    replacement = row.replacement
    if _replacement_applicability(context, replacement) is not Applicability.SAFE:
        return None
    if context.backend.argument(replacement) is not None:
        return None
    if row.conversion is Conversion.LIST:
        editor.set_value(attribute, f"[{attribute.expr.text}]", new_name=replacement)
        return Applicability.SAFE, f"rename {row.name} to {replacement} = [ ... ]"
    editor.rename(attribute, replacement)
    return Applicability.SAFE, f"rename {row.name} to {replacement}"


def _switch(
    context: FixContext, editor: BlockEditor, row: BackendArgument, attribute: Attribute
) -> tuple[Applicability, str] | None:
    """Replace an argument by another mechanism turned on (a lock table by native locking)."""
    target = argument(context.backend.type, row.replacement or "")
    view = context.view
    if target is None or not target.generally_available(view.dialect.dialect, view.version_range):
        return None
    if context.keep_lock_table:
        if context.backend.argument(target.name) is not None:
            return None
        editor.add(target.name, "true")
        return (
            Applicability.SAFE,
            f"add {target.name} = true and keep {row.name} while migrating",
        )
    editor.set_value(attribute, "true", new_name=target.name)
    # Replacing the lock mechanism under running pipelines is a decision, not a rename.
    return Applicability.UNSAFE, f"replace {row.name} with {target.name} = true"


def _converted(row: BackendArgument, attribute: Attribute) -> Raw | None:
    """The value of ``attribute`` as its replacement attribute takes it, or None when it cannot be converted."""
    if row.conversion is Conversion.DURATION:
        literal = attribute.expr.literal()
        if literal is None or not isinstance(literal.value, int) or isinstance(literal.value, bool):
            return None  # only a literal number of seconds converts mechanically
        return Raw(hcl_string(f"{literal.value}s"))
    if row.conversion is Conversion.LIST:
        return Raw(f"[{attribute.expr.text}]")
    return Raw(attribute.expr.text)


def _into_object(
    context: FixContext, editor: BlockEditor, head: str
) -> tuple[Applicability, str] | None:
    """Move every argument whose replacement lives in object ``head`` into ``head = { ... }``.

    Keys the object already holds stay where they are. Nothing is recorded on
    the editor unless the whole move can be made (values convertible, the
    object's required attributes present).
    """
    head_row = argument(context.backend.type, head)
    applicability = _replacement_applicability(context, head)
    if head_row is None or applicability is None:
        return None
    existing = context.backend.argument(head)
    items: dict[str, Raw] = {}
    if existing is not None:
        if existing.attribute is None or existing.attribute.expr.kind != "object":
            return None
        for item in existing.attribute.expr.object_items():
            key = item.object_key_name()
            if key is None:
                return None
            items[key] = Raw(item.object_value().text)
    moves: list[tuple[BackendArgument, Attribute]] = []
    for row in arguments(context.backend.type):
        attribute = _attribute(context, row.name)
        key = row.replacement_attribute
        if attribute is None or row.replacement_head != head or key is None or key in items:
            continue
        value = _converted(row, attribute)
        if value is None:
            return None
        items[key] = value
        moves.append((row, attribute))
    if not moves:
        return None
    if any(a.required and a.name not in items for a in head_row.attributes):
        return None
    if applicability is Applicability.UNSAFE and not any(
        _removed_somewhere(row, context) for row, _ in moves
    ):
        # Only deprecated, and the replacement not everywhere: the old form is the one that works.
        return None
    for _, attribute in moves:
        editor.remove(attribute)
    value = hcl_value(items, editor.inner, editor.unit, editor.newline)
    if existing is not None and existing.attribute is not None:
        editor.set_value(existing.attribute, value)
    else:
        editor.add(head, value)
    moved = ", ".join(row.name for row, _ in moves)
    return applicability, f"move {moved} into {head} = {{ ... }}"


def fix_object_as_block(
    finding: Finding, context: FixContext, editor: BlockEditor
) -> tuple[Applicability, str] | None:
    """``assume_role { ... }`` becomes ``assume_role = { ... }`` (BF009).

    The block is the one the finding points at: a block written twice is
    converted twice, each in its place (the result is then a duplicate, which
    the re-check reports instead of writing it).
    """
    nested = next(
        (
            value.block
            for value in (*context.backend.arguments.values(), *context.backend.repeated)
            if value.block is not None and value.block.start == finding.location.start
        ),
        None,
    )
    if nested is None or nested.labels:
        return None
    editor.block_to_object(nested)
    return Applicability.SAFE, f"write {nested.type} as an attribute: {nested.type} = {{ ... }}"


def fix_credentials(
    finding: Finding, context: FixContext, editor: BlockEditor
) -> tuple[Applicability, str] | None:
    """Remove a hardcoded credential, leaving a comment on where it belongs (BF003)."""
    attribute = _attribute(context, finding.subject)
    if attribute is None:
        return None
    row = argument(context.backend.type, attribute.name)
    env = (
        " or ".join(row.env_vars[:2])
        if row is not None and row.env_vars
        else "an environment variable"
    )
    profile = role_argument(context.backend.type, Role.PROFILE)
    alternative = " or use a profile" if profile is not None else ""
    # Short enough to read in a diff; the finding's message says why.
    comment = f"# {attribute.name} removed (backend-fixer): set {env}{alternative}"
    editor.remove(attribute, comment)
    # Runs that relied on the literal need the environment set up first.
    return Applicability.UNSAFE, f"remove {attribute.name} and point to {env}"


def fix_locking(
    finding: Finding, context: FixContext, editor: BlockEditor
) -> tuple[Applicability, str] | None:
    """Add the locking argument the module's versions support (BF006)."""
    backend = context.backend.type
    flag = role_argument(backend, Role.LOCK_FLAG)
    table = role_argument(backend, Role.LOCK_TABLE)
    if any(row is not None and editor.adds(row.name) for row in (flag, table)):
        return None  # complete mode already adds a lock
    everywhere = lock_flag_everywhere(backend, context.view)
    if flag is not None:
        disabled = _attribute(context, flag.name)
        if disabled is not None:
            if not everywhere:
                return None
            editor.set_value(disabled, "true")
            # Someone turned locking off on purpose; turning it on is their call.
            return Applicability.UNSAFE, f"set {flag.name} = true"
        if everywhere:
            editor.add(flag.name, "true")
            return Applicability.SAFE, f"add {flag.name} = true"
    if table is None:
        return None
    value = resolve(table.name, context.backend, context.view, context.sources)
    if value is None:
        return None
    rendered = hcl_value(value.value)
    editor.add(table.name, rendered)
    return Applicability.SAFE, f"add {table.name} = {rendered} ({value.source})"


def fix_encryption(
    finding: Finding, context: FixContext, editor: BlockEditor
) -> tuple[Applicability, str] | None:
    """Turn on encryption at rest (BF008)."""
    row = role_argument(context.backend.type, Role.ENCRYPT)
    if row is None:
        return None
    attribute = _attribute(context, row.name)
    if attribute is None:
        if editor.adds(row.name):
            return None
        editor.add(row.name, "true")
        return Applicability.SAFE, f"add {row.name} = true"
    literal = attribute.expr.literal()
    if literal is not None and literal.value is False:
        editor.set_value(attribute, "true")
        return Applicability.UNSAFE, f"set {row.name} = true"
    return None


BUILDERS: dict[str, Builder] = {
    HardcodedCredentials.info.code: fix_credentials,
    DeprecatedArgument.info.code: fix_deprecated,
    RemovedArgument.info.code: fix_deprecated,
    NoStateLocking.info.code: fix_locking,
    UnencryptedState.info.code: fix_encryption,
    ObjectAsBlock.info.code: fix_object_as_block,
}
"""The targeted fix of each rule that declares one, by rule code."""
