"""What a backend block writes, argument by argument, nested ones included, with its table row.

The schema-driven rules (unknown arguments, types, values, duplicates,
combinations) all need the same walk: every attribute and nested block of the
effective backend, the attributes inside object values (``assume_role = { ...
}``) and inside nested blocks (``workspaces { ... }``), each with its dotted
name, its row in the backend table (None when the table has none), its
constant value when it has one and the node a finding points at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from fixer.rules.base import Location
from fixer.rules.locations import argument_location, file_location, location_of
from fixer.rules.memo import remember_last
from fixer.syntax import Attribute, Block, Expression
from fixer.terraform import (
    FIRST_RELEASE,
    ArgumentValue,
    BackendArgument,
    BackendBlock,
    BackendType,
    Dialect,
    ModuleView,
    Syntax,
    VersionRange,
    argument,
    backend_type,
    releases,
)

__all__ = [
    "NOT_CONSTANT",
    "Written",
    "schema_of",
    "switched_on",
    "versions_words",
    "written_arguments",
]


class _NotConstant:
    """The value of an argument built from references or calls (BF002 judges those)."""

    def __repr__(self) -> str:
        return "NOT_CONSTANT"


NOT_CONSTANT: Any = _NotConstant()


@dataclass(frozen=True, slots=True)
class Written:
    """One argument as written: dotted name, table row, value and where it is.

    ``value`` is the constant (None for ``null``, NOT_CONSTANT when it has
    references; for a nested block, a dict of its constant attributes).
    ``parent`` is the row of the object or block it sits in (None at the top).
    ``repeat`` marks a second (third...) occurrence of the same name.
    """

    name: str
    row: BackendArgument | None
    value: Any
    locate: Callable[[], Location]
    is_block: bool
    parent: BackendArgument | None = None
    repeat: bool = False
    in_object: bool = False

    @property
    def location(self) -> Location:
        # Computed when a finding needs it: lines and columns cost more than the
        # checks, and most arguments are never reported.
        return self.locate()

    @property
    def leaf(self) -> str:
        return self.name.rpartition(".")[2]


def schema_of(backend: BackendBlock) -> BackendType | None:
    """The table row that describes ``backend``'s arguments, or None.

    None for an unknown type, and for a ``backend`` block whose label names the
    cloud block's row (``backend "cloud"`` is no backend type).
    """
    found = backend_type(backend.type)
    if found is None or found.is_cloud_block != backend.is_cloud:
        return None
    return found


def _block_value(block: Block) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in block.body.items:
        if isinstance(item, Attribute):
            constant = item.expr.constant()
            values.setdefault(item.name, constant.value if constant is not None else NOT_CONSTANT)
        else:
            values.setdefault(item.type, _block_value(item))
    return values


def _value_of(found: ArgumentValue) -> Any:
    if found.block is not None:
        return _block_value(found.block)
    constant = found.constant()
    if constant is not None:
        return constant.value
    return NOT_CONSTANT


def _object_items(
    path: str, expression: Expression, prefix: str, row: BackendArgument
) -> Iterator[Written]:
    for item in expression.object_items():
        key = item.object_key_name()
        if key is None:
            continue
        constant = item.object_value().constant()
        yield Written(
            f"{prefix}.{key}",
            row.attribute(key),
            constant.value if constant is not None else NOT_CONSTANT,
            partial(location_of, path, item),
            is_block=False,
            parent=row,
            in_object=True,
        )


def _block_items(path: str, block: Block, prefix: str, row: BackendArgument) -> Iterator[Written]:
    seen: set[str] = set()
    for item in block.body.items:
        if isinstance(item, Attribute):
            constant = item.expr.constant()
            name, value, is_block = (
                item.name,
                (constant.value if constant is not None else NOT_CONSTANT),
                False,
            )
        else:
            name, value, is_block = item.type, _block_value(item), True
        yield Written(
            f"{prefix}.{name}",
            row.attribute(name),
            value,
            partial(location_of, path, item),
            is_block=is_block,
            parent=row,
            repeat=name in seen,
        )
        seen.add(name)


@remember_last
def written_arguments(backend: BackendBlock) -> tuple[Written, ...]:
    """Every argument ``backend`` writes, in source order per level, nested ones after their parent.

    Attributes inside an object value come with ``in_object`` (Terraform
    drops unknown keys there silently); those inside a nested block do not.
    ``.tf.json`` blocks give their members (nested objects as values only).
    Remembered: the schema rules walk the same block one after the other.
    """
    return tuple(_walk(backend))


def _walk(backend: BackendBlock) -> Iterator[Written]:
    occurrences = [*backend.arguments.values(), *backend.repeated]
    if backend.block is not None:
        occurrences.sort(key=lambda a: a.node.start if a.node is not None else 0)
    seen: set[str] = set()
    for found in occurrences:
        row = argument(backend.type, found.name)
        repeat = found.name in seen
        seen.add(found.name)
        if found.node is None and found.path != backend.path:
            locate = partial(file_location, found.path)
        else:
            locate = partial(argument_location, backend, found)
        yield Written(
            found.name,
            row,
            _value_of(found),
            locate,
            is_block=found.block is not None,
            repeat=repeat,
        )
        if row is None or not row.attributes or repeat:
            continue
        if found.block is not None and row.syntax is Syntax.BLOCK:
            yield from _block_items(found.path, found.block, found.name, row)
        elif found.attribute is not None and found.attribute.expr.kind == "object":
            yield from _object_items(found.path, found.attribute.expr, found.name, row)


def switched_on(backend: BackendBlock, name: str) -> bool:
    """True when ``backend`` sets the bool argument ``name`` to true (``"true"`` and ``"1"`` count)."""
    found = backend.argument(name)
    constant = found.constant() if found is not None else None
    if constant is None:
        return False
    return constant.value is True or constant.value in ("true", "1")


def versions_words(view: ModuleView, versions: VersionRange, dialect: Dialect | None = None) -> str:
    """``Terraform >= 1.6``, ``every Terraform version``: the admitted versions a fact holds for."""
    dialect = dialect or view.dialect.dialect
    real = releases(dialect, versions)
    name = dialect.display_name
    if real.is_everything() or real == releases(dialect, VersionRange.everything()):
        return f"every {name} version"
    # A lower bound at the dialect's first release says nothing: leave it out.
    text = real.describe().replace(f">= {FIRST_RELEASE[dialect]}, ", "")
    return f"{name} {text}"
