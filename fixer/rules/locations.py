"""Where findings point: the locations of syntax nodes, blocks, labels and arguments.

Rules agree on one convention so that the fix planner, reports and suppressions
can rely on it: a location spans exactly the node the finding is about (a whole
``backend``/``cloud`` block, one attribute, one nested block, or a block's type
label). Blocks read from ``.tf.json`` carry no syntax nodes but spans: the
``"s3": {...}`` member stands for the block, its key for the label, an
argument's member for the argument; without spans they point at the file's start.
"""

from __future__ import annotations

from fixer.rules.base import Finding, Location
from fixer.syntax import Node, Token
from fixer.terraform import ArgumentValue, BackendBlock, ModuleView, TextSpan

__all__ = [
    "argument_location",
    "backend_location",
    "backend_of",
    "file_location",
    "label_location",
    "location_of",
    "span_location",
]


def location_of(path: str, node: Node | Token) -> Location:
    """The location of a syntax node or token in file ``path``."""
    return Location(
        path=path,
        line=node.line,
        column=node.column,
        end_line=node.end_line,
        end_column=node.end_column,
        start=node.start,
        end=node.end,
    )


def span_location(path: str, span: TextSpan) -> Location:
    """The location of a span of file ``path`` (a ``.tf.json`` member)."""
    return Location(
        path=path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        start=span.start,
        end=span.end,
    )


def file_location(path: str) -> Location:
    """The start of file ``path``: used for ``.tf.json`` blocks, which carry no nodes."""
    return Location(path=path, line=1, column=1, end_line=1, end_column=1, start=0, end=0)


def backend_location(backend: BackendBlock) -> Location:
    """The whole ``backend``/``cloud`` block, from its type keyword to its closing brace."""
    if backend.block is None:
        if backend.span is not None:
            return span_location(backend.path, backend.span)
        return file_location(backend.path)
    return location_of(backend.path, backend.block)


def label_location(backend: BackendBlock) -> Location:
    """The type label of a ``backend`` block (``"s3"``); the block itself when it has none."""
    block = backend.block
    if block is None:
        if backend.label_span is not None:
            return span_location(backend.path, backend.label_span)
        return file_location(backend.path)
    if not block.labels:
        return location_of(backend.path, block)
    return location_of(backend.path, block.labels[0])


def argument_location(backend: BackendBlock, value: ArgumentValue) -> Location:
    """An argument's attribute (name through value) or nested block, in its own file."""
    node = value.node
    if node is None and value.span is not None:
        return span_location(value.path, value.span)
    if node is None:
        return (
            backend_location(backend) if value.path == backend.path else file_location(value.path)
        )
    return location_of(value.path, node)


def backend_of(view: ModuleView, finding: Finding) -> BackendBlock | None:
    """The backend or cloud block a finding points into (by file and offset), or None.

    None also for blocks read from ``.tf.json``, which have no offsets.
    """
    for backend in view.backends:
        block = backend.block
        if (
            block is not None
            and backend.path == finding.location.path
            and block.start <= finding.location.start <= block.end
        ):
            return backend
    return None
