"""Minimal edits inside one block: add, rename, revalue or remove attributes.

Fixes describe what they want as operations on a block; :class:`BlockEditor`
turns them into the smallest :class:`~fixer.edits.Edit` list that leaves the
block as ``terraform fmt`` would write it. Untouched lines are copied, with one
exception fmt itself forces: when a rename or removal changes the widest name
of an aligned run of attributes, the run is realigned (only if it was aligned
before, so a hand-formatted block is never reformatted).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from fixer.edits import Edit, line_ending
from fixer.fixes.render import (
    NestedBlock,
    format_attributes,
    hcl_value,
    indent_unit,
    indentation,
    line_end,
    line_start,
)
from fixer.syntax import Attribute, Block, trailing_comment


@dataclass
class _Line:
    """An attribute alone on its line, with what alignment needs to know."""

    attribute: Attribute
    start: int  # offset of the line
    indent: str
    value_end: int  # end of the value (the line's code)
    comment: tuple[int, str] | None  # (start offset, text) of a trailing comment
    line_stop: int  # offset of the line's newline (or end of text)


@dataclass
class BlockEditor:
    """Collects operations on ``block`` (a block of the file ``text``) and renders edits.

    Operations name attributes by node. An attribute may be touched by one
    operation only; a second one raises ValueError. ``edits()`` may be called
    once all operations are in.
    """

    text: str
    block: Block
    _renames: dict[int, str] = field(default_factory=dict)
    _values: dict[int, str] = field(default_factory=dict)
    _removals: dict[int, str] = field(default_factory=dict)
    _additions: list[tuple[str, str]] = field(default_factory=list)
    _to_object: list[Block] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.newline = line_ending(self.text)
        self.outer = indentation(self.text, self.block.start)
        self.unit = indent_unit(self.text, self.block.open.start, self.outer)
        self.inner = self.outer + self.unit
        self._touched: set[int] = set()

    # -- operations -----------------------------------------------------------------

    def _claim(self, attribute: Attribute) -> int:
        key = attribute.start
        if key in self._touched:
            raise ValueError(f"attribute {attribute.name!r} is already being changed")
        self._touched.add(key)
        return key

    def rename(self, attribute: Attribute, new_name: str) -> None:
        self._renames[self._claim(attribute)] = new_name

    def set_value(self, attribute: Attribute, value_text: str, new_name: str | None = None) -> None:
        """Replace the value (and optionally the name) of ``attribute``."""
        key = self._claim(attribute)
        self._values[key] = value_text
        if new_name is not None:
            self._renames[key] = new_name

    def remove(self, attribute: Attribute, replacement_comment: str = "") -> None:
        """Delete ``attribute``'s line(s), leaving ``replacement_comment`` (one line) if given."""
        self._removals[self._claim(attribute)] = replacement_comment

    def add(self, name: str, value_text: str) -> None:
        """Add ``name = value_text`` (rendered) to the block, after its existing items."""
        self._additions.append((name, value_text))

    def block_to_object(self, nested: Block) -> None:
        """Rewrite ``name { ... }`` as ``name = { ... }`` (same body, one inserted ``=``)."""
        self._to_object.append(nested)

    def add_block(self, name: str, body: Mapping[str, object]) -> None:
        """Add a nested block ``name { ... }`` holding the attributes of ``body``."""
        rendered = hcl_value(dict(body), self.inner, self.unit, self.newline)  # type: ignore[arg-type]
        self._additions.append((name, NestedBlock(rendered)))

    def adds(self, name: str) -> bool:
        """True when an operation already adds attribute ``name``."""
        return any(added == name for added, _ in self._additions)

    @property
    def is_empty(self) -> bool:
        return not (
            self._renames or self._values or self._removals or self._additions or self._to_object
        )

    # -- rendering --------------------------------------------------------------------

    @property
    def additions(self) -> tuple[tuple[str, str], ...]:
        """The attributes to add, as (name, rendered value)."""
        return tuple(self._additions)

    def render_additions(self) -> str:
        """The added attributes as lines at the block's inner indentation, aligned."""
        return self._render(format_attributes(self._additions, self.inner))

    def edits(self, *, include_additions: bool = True) -> list[Edit]:
        """The edits that perform every operation; [] when there are none.

        Without ``include_additions`` the insertion of new attributes is left out
        (a multi-line block only; a one-line block is always rewritten whole).
        """
        if self.is_empty:
            return []
        if self.block.is_single_line:
            return [self._rewrite_single_line()]
        edits: list[Edit] = []
        by_start = {item.start: item for item in self.block.body.attributes()}
        for key, comment in self._removals.items():
            attribute = by_start[key]
            start = line_start(self.text, attribute.start)
            end = line_end(self.text, attribute.end)
            replacement = (
                f"{indentation(self.text, attribute.start)}{comment}{self.newline}"
                if comment
                else ""
            )
            edits.append(Edit(start, end, replacement))
        for nested in self._to_object:
            edits.append(Edit(nested.type_token.end, nested.type_token.end, " ="))
        realigned, handled = self._realigned_runs()
        edits.extend(realigned)
        for key, value in self._values.items():
            if key not in handled:
                attribute = by_start[key]
                edits.append(Edit(attribute.expr.start, attribute.expr.end, value))
        for key, new_name in self._renames.items():
            if key not in handled and key not in self._removals:
                token = by_start[key].name_token
                edits.append(Edit(token.start, token.end, new_name))
        if self._additions and include_additions:
            edits.append(self._insertion())
        return edits

    def _rewrite_single_line(self) -> Edit:
        """``a {}`` or ``a { b = 1 }`` becomes a multi-line block with every attribute."""
        items: list[tuple[str, str]] = []
        for attribute in self.block.body.attributes():
            key = attribute.start
            if key in self._removals:
                continue
            name = self._renames.get(key, attribute.name)
            value = self._values.get(key, attribute.expr.text)
            items.append((name, value))
        items.extend(self._additions)
        lines = format_attributes(items, self.inner)
        body = "".join(line.replace("\n", self.newline) + self.newline for line in lines)
        return Edit(
            self.block.open.end, self.block.close.end, f"{self.newline}{body}{self.outer}}}"
        )

    def _insertion(self) -> Edit:
        close = self.block.close
        start = line_start(self.text, close.start)
        body = self.render_additions()
        has_items = any(item.start not in self._removals for item in self.block.body.items)
        before = self.text[self.block.open.end : start]
        # A blank line keeps the new attributes in a run of their own, so the
        # existing lines keep their alignment untouched.
        separator = self.newline if has_items and not before.endswith(("\n\n", "\n\r\n")) else ""
        if self.text[start : close.start].strip():
            # Something precedes the brace on its line: start a new line for the insertion.
            return Edit(close.start, close.start, f"{self.newline}{separator}{body}{self.outer}")
        return Edit(start, start, separator + body)

    def _render(self, lines: list[str]) -> str:
        """Join rendered lines (values may span lines) with the file's newline."""
        text = "".join(line + "\n" for line in lines)
        return text.replace("\r\n", "\n").replace("\n", self.newline)

    # -- alignment --------------------------------------------------------------------

    def _lines(self) -> list[_Line | None]:
        """The body as alignment sees it: attribute lines, None for anything that breaks a run."""
        text = self.text
        body = self.block.body
        result: list[_Line | None] = []
        previous_end = body.start
        for item in body.items:
            gap = text[previous_end : item.start]
            if gap.count("\n") != 1 or "#" in gap or "//" in gap or "/*" in gap:
                result.append(None)
            if not isinstance(item, Attribute):
                result.append(None)
                previous_end = item.end
                continue
            start = line_start(text, item.start)
            value_single = (
                "\n" not in text[item.start : item.end]
                and item.expr.kind not in ("heredoc_template",)
                and not (item.expr.kind == "literal" and item.expr.parts[0].type == "HEREDOC")
            )  # type: ignore[union-attr]
            if text[start : item.start].strip() or not value_single:
                result.append(None)
                previous_end = item.end
                continue
            comment = trailing_comment(body, item)
            stop = text.find("\n", item.end)
            stop = len(text) if stop < 0 else stop
            if stop > item.start and text[stop - 1] == "\r":
                stop -= 1
            result.append(
                _Line(
                    item,
                    start,
                    text[start : item.start],
                    item.end,
                    (comment.start, comment.text) if comment else None,
                    stop,
                )
            )
            previous_end = comment.end if comment else item.end
        return result

    def _realigned_runs(self) -> tuple[list[Edit], set[int]]:
        """Rewrite, as fmt would, each aligned run whose widths our changes alter.

        Returns the edits and the attributes they already cover (renames and
        new values included). Runs that were not fmt-aligned are left alone.
        """
        edits: list[Edit] = []
        handled: set[int] = set()
        runs: list[list[_Line]] = [[]]
        for line in self._lines():
            if line is None:
                runs.append([])
            else:
                runs[-1].append(line)
        touched = set(self._renames) | set(self._removals) | set(self._values)
        for run in runs:
            if not {line.attribute.start for line in run} & touched or not self._is_formatted(run):
                continue
            if any("\n" in self._values.get(line.attribute.start, "") for line in run):
                continue  # a value becoming multi-line splits the run; keep edits minimal
            # A removed line that leaves a comment behind splits the run in two.
            segments: list[list[_Line]] = [[]]
            for line in run:
                key = line.attribute.start
                if key not in self._removals:
                    segments[-1].append(line)
                elif self._removals[key]:
                    segments.append([])
            for segment in segments:
                for line, new_text in zip(segment, self._format(segment), strict=True):
                    if self.text[line.start : line.line_stop] != new_text:
                        edits.append(Edit(line.start, line.line_stop, new_text))
                    handled.add(line.attribute.start)
        return edits, handled

    def realign(self) -> list[Edit]:
        """Edits that lay out every run of attributes as fmt would, aligned before or not.

        For a block a person has just written (``enable`` turns an edited,
        commented block into one): ``=`` aligned within each run, one space
        around it, trailing comments aligned. [] when the block is laid out so.
        """
        edits: list[Edit] = []
        run: list[_Line] = []
        for line in [*self._lines(), None]:
            if line is not None:
                run.append(line)
                continue
            for item, want in zip(run, self._format(run), strict=True):
                if self.text[item.start : item.line_stop] != want:
                    edits.append(Edit(item.start, item.line_stop, want))
            run = []
        return edits

    def _format(self, run: Sequence[_Line]) -> list[str]:
        """The fmt-formatted text of each line of ``run`` after renames."""
        names = [self._renames.get(line.attribute.start, line.attribute.name) for line in run]
        values = [
            self._values.get(
                line.attribute.start, self.text[line.attribute.expr.start : line.value_end]
            )
            for line in run
        ]
        width = max((len(n) for n in names), default=0)
        codes = [
            f"{line.indent}{name.ljust(width)} = {value}"
            for line, name, value in zip(run, names, values, strict=True)
        ]
        result = list(codes)
        # Trailing comments align within each stretch of consecutive commented lines.
        index = 0
        while index < len(run):
            if run[index].comment is None:
                index += 1
                continue
            stop = index
            while stop < len(run) and run[stop].comment is not None:
                stop += 1
            column = max(len(codes[i]) for i in range(index, stop))
            for i in range(index, stop):
                result[i] = f"{codes[i].ljust(column)} {run[i].comment[1]}"  # type: ignore[index]
            index = stop
        return result

    def _is_formatted(self, run: Sequence[_Line]) -> bool:
        saved = self._renames, self._values
        self._renames, self._values = {}, {}
        try:
            expected = self._format(run)
        finally:
            self._renames, self._values = saved
        return all(
            self.text[line.start : line.line_stop] == want
            for line, want in zip(run, expected, strict=True)
        )
