"""Targeted fixes: one mechanical edit per finding, where a safe one exists.

Each builder takes a finding, the backend block it is about and a
:class:`~fixer.fixes.block_edit.BlockEditor`, records its operations on the
editor and returns the fix's applicability (None when there is nothing it can
do safely, for example when the module's versions do not have the replacement).
Builders only touch the block the finding is in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fixer.fixes.block_edit import BlockEditor
from fixer.fixes.completion import lockfile_is_safe
from fixer.fixes.render import Raw, hcl_key, hcl_string, hcl_value
from fixer.fixes.values import ValueSources, resolve
from fixer.rules.base import Applicability, Finding
from fixer.syntax import Attribute
from fixer.terraform import BackendBlock, Coverage, ModuleView, argument


@dataclass(frozen=True, slots=True)
class FixContext:
    """What a targeted fix may consult besides the finding."""

    view: ModuleView
    backend: BackendBlock
    sources: ValueSources
    keep_dynamodb_table: bool = False


Builder = Callable[[Finding, FixContext, BlockEditor], "tuple[Applicability, str] | None"]

# Deprecated S3 endpoint arguments and their key in the `endpoints` object.
_ENDPOINT_KEYS = {
    "endpoint": "s3",
    "dynamodb_endpoint": "dynamodb",
    "iam_endpoint": "iam",
    "sts_endpoint": "sts",
}

# The top-level role_arn family and its name inside `assume_role = { ... }`.
_ASSUME_ROLE_KEYS = {
    "role_arn": "role_arn",
    "session_name": "session_name",
    "external_id": "external_id",
    "assume_role_duration_seconds": "duration",
    "assume_role_policy": "policy",
    "assume_role_policy_arns": "policy_arns",
    "assume_role_tags": "tags",
    "assume_role_transitive_tag_keys": "transitive_tag_keys",
}


def _attribute(context: FixContext, name: str | None) -> Attribute | None:
    if name is None:
        return None
    found = context.backend.argument(name)
    return found.attribute if found is not None else None


def _replacement_available(context: FixContext, backend: str, name: str) -> bool:
    """Do all the module's admitted versions accept the replacement argument ``name``?"""
    return _replacement_applicability(context, backend, name) is Applicability.SAFE


def _replacement_applicability(
    context: FixContext, backend: str, name: str
) -> Applicability | None:
    """SAFE when every admitted version accepts ``name``, UNSAFE when only some do, else None.

    A module that admits versions on both sides of a rename cannot keep every
    one of them working: moving to the replacement is then the user's decision.
    """
    row = argument(backend, name)
    if row is None:
        return None
    status = row.status(context.view.dialect.dialect, context.view.version_range)
    if status.available is Coverage.ALL and status.removed is Coverage.NONE:
        return Applicability.SAFE
    if status.available is not Coverage.NONE:
        return Applicability.UNSAFE
    return None


def fix_deprecated(
    finding: Finding, context: FixContext, editor: BlockEditor
) -> tuple[Applicability, str] | None:
    """Rewrite a deprecated or removed argument to its replacement (BF004, BF005)."""
    name = finding.subject
    attribute = _attribute(context, name)
    backend = context.backend.type
    if attribute is None or name is None:
        return None
    if name in _ENDPOINT_KEYS:
        return _to_endpoints(context, editor)
    if name in _ASSUME_ROLE_KEYS:
        return _to_assume_role(context, editor)
    if name == "dynamodb_table":
        if not _replacement_available(context, backend, "use_lockfile") or not lockfile_is_safe(
            context.view
        ):
            return None
        if context.keep_dynamodb_table:
            if context.backend.argument("use_lockfile") is not None:
                return None
            editor.add("use_lockfile", "true")
            return (
                Applicability.SAFE,
                "add use_lockfile = true and keep dynamodb_table while migrating",
            )
        editor.set_value(attribute, "true", new_name="use_lockfile")
        # Replacing the lock mechanism under running pipelines is a decision, not a rename.
        return Applicability.UNSAFE, "replace dynamodb_table with use_lockfile = true"
    row = argument(backend, name)
    replacement = row.replacement if row is not None else None
    if (
        replacement is None
        or "." in replacement
        or not _replacement_available(context, backend, replacement)
    ):
        return None
    if context.backend.argument(replacement) is not None:
        return None
    new_row = argument(backend, replacement)
    if name == "shared_credentials_file" and new_row is not None:
        editor.set_value(attribute, f"[{attribute.expr.text}]", new_name=replacement)
        return Applicability.SAFE, f"rename {name} to {replacement} = [ ... ]"
    editor.rename(attribute, replacement)
    return Applicability.SAFE, f"rename {name} to {replacement}"


def _to_endpoints(context: FixContext, editor: BlockEditor) -> tuple[Applicability, str] | None:
    if not _replacement_available(context, context.backend.type, "endpoints"):
        return None
    existing = context.backend.argument("endpoints")
    items: dict[str, Raw] = {}
    if existing is not None:
        if existing.attribute is None or existing.attribute.expr.kind != "object":
            return None
        for item in existing.attribute.expr.object_items():
            key = item.object_key_name()
            if key is None:
                return None
            items[key] = Raw(item.object_value().text)
    moved = []
    for old, key in _ENDPOINT_KEYS.items():
        attribute = _attribute(context, old)
        if attribute is None or key in items:
            continue
        items[key] = Raw(attribute.expr.text)
        editor.remove(attribute)
        moved.append(old)
    if not moved:
        return None
    value = "{ " + ", ".join(f"{hcl_key(k)} = {v.text}" for k, v in items.items()) + " }"
    if existing is not None and existing.attribute is not None:
        editor.set_value(existing.attribute, value)
    else:
        editor.add("endpoints", value)
    return Applicability.SAFE, f"move {', '.join(moved)} into endpoints = {{ ... }}"


def _to_assume_role(context: FixContext, editor: BlockEditor) -> tuple[Applicability, str] | None:
    if context.backend.argument("assume_role") is not None:
        return None
    applicability = _replacement_applicability(context, context.backend.type, "assume_role")
    if applicability is None:
        return None
    values: dict[str, Raw] = {}
    moved = []
    for old, key in _ASSUME_ROLE_KEYS.items():
        attribute = _attribute(context, old)
        if attribute is None:
            continue
        if old == "assume_role_duration_seconds":
            literal = attribute.expr.literal()
            if (
                literal is None
                or not isinstance(literal.value, int)
                or isinstance(literal.value, bool)
            ):
                return None  # only a literal number of seconds converts mechanically
            values[key] = Raw(hcl_string(f"{literal.value}s"))
        else:
            values[key] = Raw(attribute.expr.text)
        editor.remove(attribute)
        moved.append(old)
    if "role_arn" not in values:
        return None
    editor.add("assume_role", hcl_value(values, editor.inner, editor.unit, editor.newline))
    return applicability, f"move {', '.join(moved)} into assume_role = {{ ... }}"


def fix_object_as_block(
    finding: Finding, context: FixContext, editor: BlockEditor
) -> tuple[Applicability, str] | None:
    """``assume_role { ... }`` becomes ``assume_role = { ... }`` (BF009)."""
    argument_value = context.backend.argument(finding.subject or "")
    nested = argument_value.block if argument_value is not None else None
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
    # Short enough to read in a diff; the finding's message says why.
    comment = f"# {attribute.name} removed (backend-fixer): set {env} or use a profile"
    editor.remove(attribute, comment)
    # Runs that relied on the literal need the environment set up first.
    return Applicability.UNSAFE, f"remove {attribute.name} and point to {env}"


def fix_locking(
    finding: Finding, context: FixContext, editor: BlockEditor
) -> tuple[Applicability, str] | None:
    """Add the locking argument the module's versions support (BF006)."""
    if editor.adds("use_lockfile") or editor.adds("dynamodb_table"):
        return None  # complete mode already adds a lock
    disabled = _attribute(context, "use_lockfile")
    if disabled is not None:
        if not lockfile_is_safe(context.view):
            return None
        editor.set_value(disabled, "true")
        # Someone turned locking off on purpose; turning it on is their call.
        return Applicability.UNSAFE, "set use_lockfile = true"
    if lockfile_is_safe(context.view):
        editor.add("use_lockfile", "true")
        return Applicability.SAFE, "add use_lockfile = true"
    table = resolve("dynamodb_table", context.backend, context.view, context.sources)
    if table is None:
        return None
    editor.add("dynamodb_table", hcl_value(table.value))
    return Applicability.SAFE, f"add dynamodb_table = {hcl_value(table.value)} ({table.source})"


def fix_encryption(
    finding: Finding, context: FixContext, editor: BlockEditor
) -> tuple[Applicability, str] | None:
    """Turn on encryption at rest (BF008)."""
    attribute = _attribute(context, "encrypt")
    if attribute is None:
        if editor.adds("encrypt"):
            return None
        editor.add("encrypt", "true")
        return Applicability.SAFE, "add encrypt = true"
    literal = attribute.expr.literal()
    if literal is not None and literal.value is False:
        editor.set_value(attribute, "true")
        return Applicability.UNSAFE, "set encrypt = true"
    return None


BUILDERS: dict[str, Builder] = {
    "BF003": fix_credentials,
    "BF004": fix_deprecated,
    "BF005": fix_deprecated,
    "BF006": fix_locking,
    "BF008": fix_encryption,
    "BF009": fix_object_as_block,
}
