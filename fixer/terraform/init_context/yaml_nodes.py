"""YAML files as node trees that know their lines: the base of every CI reader.

``yaml.compose`` keeps each node's position, resolves anchors and aliases, and
leaves unknown tags (GitLab's ``!reference``) alone instead of failing, so CI
files are composed, never constructed. :class:`YamlFile` adds what readers ask:
mappings with ``<<`` merge keys applied, scalars as text, and for a scalar that
holds a script the file line of each of its lines, exact for ``|`` block
scalars whatever their blank lines or line endings.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from fixer.terraform.init_context.source import Expanded, ScriptSource, line_starts

__all__ = ["YamlFile", "load_yaml"]

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(slots=True)
class YamlFile:
    """One composed YAML file: its documents' root nodes and how to place them."""

    path: str
    text: str
    documents: list[yaml.Node]
    bom: int = 0
    _starts: list[int] | None = None

    @property
    def root(self) -> yaml.Node | None:
        """The first document's root node, None for an empty file."""
        return self.documents[0] if self.documents else None

    def line(self, node: yaml.Node) -> int:
        """The 1-based line where ``node`` starts (LF line breaks, as the tool counts)."""
        return self._line_of(node.start_mark.index + self.bom)

    def _line_of(self, offset: int) -> int:
        if self._starts is None:
            self._starts = line_starts(self.text)
        return bisect_right(self._starts, offset)

    def script(self, node: yaml.Node, expanded: Expanded | None = None) -> ScriptSource:
        """A scalar's value as script text, with the file line of each of its lines.

        ``expanded`` is the value after a mechanism's own substitutions (it must
        be built from ``scalar(node)``). A ``|`` block scalar maps its lines one
        to one, starting on the line after the indicator; other styles are
        placed by finding each value line's text in the node's source lines.
        """
        value = scalar(node) or ""
        expanded = expanded if expanded is not None else Expanded(value, value)
        return ScriptSource(self.path, expanded, self.value_lines(node, value))

    def value_lines(self, node: yaml.Node, value: str) -> list[int]:
        """The file line of each ``\\n``-separated line of a scalar's value."""
        value_lines = value.split("\n")
        first = self.line(node)
        style = getattr(node, "style", None)
        if style not in ("|", ">"):
            if "\n" not in value.rstrip("\n"):
                return [first] * len(value_lines)
        else:
            first += 1  # a block scalar's content starts below its indicator
        if self._starts is None:
            self._starts = line_starts(self.text)
        end = max(self._line_of(node.end_mark.index + self.bom), first)
        source_lines = [self._source_line(n) for n in range(first, end + 1)]
        if style == "|":
            # Literal: one value line per source line, blank lines included.
            lines = [first + index for index in range(len(value_lines))]
            if all(
                text.strip() in source_lines[index] if index < len(source_lines) else not text
                for index, text in enumerate(value_lines)
            ):
                return lines
        # Folded, plain or quoted over several lines: find each line's text in order.
        lines = []
        cursor = 0
        for text in value_lines:
            probe = text.strip()[:40]
            if probe:
                for index in range(cursor, len(source_lines)):
                    if probe in source_lines[index]:
                        cursor = index
                        break
            lines.append(first + cursor)
        return lines

    def _source_line(self, line: int) -> str:
        assert self._starts is not None
        start = self._starts[line - 1] if line - 1 < len(self._starts) else len(self.text)
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[start:end]


def load_yaml(path: str, text: str) -> tuple[YamlFile | None, str | None]:
    """Compose every document of ``text``; on bad YAML return ``(None, "path:line:col: message")``.

    Never raises for bad input. A leading byte-order mark is skipped (the C
    loader leaves it out of its offsets) and counted back in for lines.
    """
    bom = 1 if text.startswith("\ufeff") else 0
    body = text[bom:]
    try:
        documents = [d for d in yaml.compose_all(body, Loader=_Loader) if d is not None]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(filter(None, [error.context, error.problem])) or "invalid YAML"
        if mark is None:
            return None, f"{path}:1:1: {message}"
        return None, f"{path}:{mark.line + 1}:{mark.column + 1}: {message}"
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        return None, f"{path}:1:1: invalid YAML: {error}"
    return YamlFile(path, text, documents, bom), None


def mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    """A mapping node's items by key, ``<<`` merge keys applied; {} for other nodes.

    Keys written in the mapping win over merged ones; non-scalar keys are skipped.
    """
    if not isinstance(node, yaml.MappingNode):
        return {}
    merged: dict[str, yaml.Node] = {}
    own: dict[str, yaml.Node] = {}
    for key, value in node.value:
        if key.tag == _MERGE_TAG or (isinstance(key, yaml.ScalarNode) and key.value == "<<"):
            sources = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for source in sources:
                for k, v in mapping(source).items():
                    merged.setdefault(k, v)
            continue
        if isinstance(key, yaml.ScalarNode):
            own[str(key.value)] = value
    merged.update(own)
    return merged


def key_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The key node itself (for its line) of ``key`` in a mapping, or None."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, _ in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k
    return None


def sequence(node: yaml.Node | None) -> list[yaml.Node]:
    """A sequence node's items; [] for other nodes."""
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def scalar(node: yaml.Node | None) -> str | None:
    """A scalar's text (numbers and booleans as written); None for null and non-scalars."""
    if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL_TAG:
        return None
    return str(node.value)


def scalars(node: yaml.Node | None) -> list[yaml.Node]:
    """A scalar or a sequence of scalars as a list of scalar nodes (GitLab's ``script``)."""
    if isinstance(node, yaml.ScalarNode):
        return [node] if scalar(node) is not None else []
    out: list[yaml.Node] = []
    for item in sequence(node):
        out.extend(scalars(item))
    return out


def to_python(node: yaml.Node | None, depth: int = 0) -> object:
    """A node as plain Python values (strings, lists, dicts); anchors followed, tags ignored."""
    if node is None or depth > 64:
        return None
    if isinstance(node, yaml.ScalarNode):
        return scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return [to_python(item, depth + 1) for item in node.value]
    return {k: to_python(v, depth + 1) for k, v in mapping(node).items()}


def strings(values: Sequence[object]) -> list[str]:
    return [str(v) for v in values if isinstance(v, str | int | float)]
