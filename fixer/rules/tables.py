"""Rule documentation drawn from the backend table, so docs and checks share one source.

A rule's "Versions" and "Sources" sections list the table rows it judges: which
arguments, added, deprecated or removed in which Terraform and OpenTofu
versions, and the URLs recorded for them. Adding a row updates the docs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from fixer.rules.common import short_version
from fixer.terraform import (
    ARGUMENTS,
    BackendArgument,
    BackendType,
    Dialect,
    Lifecycle,
    backend_type,
)

__all__ = [
    "describe_lifecycle",
    "required_lines",
    "row_lines",
    "rows_where",
    "sources_of",
    "type_lines",
]


def describe_lifecycle(lifecycle: Lifecycle) -> str:
    """``added in 1.10, experimental until 1.11, deprecated in 1.11, removed in 1.12``."""
    if not lifecycle.supported:
        return "not supported"
    parts = []
    if lifecycle.added is not None:
        parts.append(f"added in {short_version(lifecycle.added)}")
    if lifecycle.stable is not None:
        parts.append(f"experimental until {short_version(lifecycle.stable)}")
    if lifecycle.deprecated is not None:
        parts.append(f"deprecated in {short_version(lifecycle.deprecated)}")
    if lifecycle.removed is not None:
        parts.append(f"removed in {short_version(lifecycle.removed)}")
    return ", ".join(parts) if parts else "supported in every version"


def _both(terraform: Lifecycle, opentofu: Lifecycle) -> str:
    return f"Terraform: {describe_lifecycle(terraform)}; OpenTofu: {describe_lifecycle(opentofu)}"


def rows_where(predicate: Callable[[BackendArgument], bool]) -> tuple[BackendArgument, ...]:
    """The argument rows for which ``predicate(row)`` is true, in table order."""
    return tuple(row for row in ARGUMENTS if predicate(row))


def row_lines(rows: Iterable[BackendArgument], with_replacement: bool = False) -> str:
    """One line per row: ``- s3 dynamodb_table (-> use_lockfile): Terraform: ...; OpenTofu: ...``."""
    lines = []
    for row in rows:
        arrow = f" (-> {row.replacement})" if with_replacement and row.replacement else ""
        lines.append(f"- {row.qualified_name}{arrow}: {_both(row.terraform, row.opentofu)}")
    return "\n".join(lines)


def required_lines() -> str:
    """One line per backend type: its required arguments and the variables that can supply them.

    ``- s3: bucket, key, region (or AWS_REGION, AWS_DEFAULT_REGION)``; a type that
    came later says since when (``oci``, Terraform 1.12).
    """
    by_backend: dict[str, list[str]] = {}
    for row in rows_where(lambda r: r.required):
        text = f"`{row.name}`"
        if row.env_vars:
            text += f" (or {', '.join(row.env_vars)})"
        by_backend.setdefault(row.backend, []).append(text)
    lines = []
    for name, arguments in by_backend.items():
        found = backend_type(name)
        since = ""
        if found is not None and found.terraform.added is not None:
            since = f" (Terraform {short_version(found.terraform.added)} and later)"
        lines.append(f"- {name}{since}: {', '.join(arguments)}")
    return "\n".join(lines)


def type_lines(types: Iterable[BackendType]) -> str:
    """One line per backend type with its lifecycle in both dialects."""
    return "\n".join(
        f'- backend "{t.name}": {_both(t.lifecycle(Dialect.TERRAFORM), t.lifecycle(Dialect.OPENTOFU))}'
        for t in types
    )


def sources_of(*groups: Iterable[str]) -> tuple[str, ...]:
    """The URLs of ``groups`` in order, each once.

    Empty strings are dropped, and so is the probe's note (facts verified by
    running Terraform): a rule's page says that in its Versions section.
    """
    seen: dict[str, None] = {}
    for group in groups:
        for url in group:
            if url.startswith("https://"):
                seen.setdefault(url, None)
    return tuple(seen)
