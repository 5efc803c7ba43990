"""Fingerprints of what backend-fixer wrote, so an undo can tell whether a person edited it.

A :class:`Record` is what a marker comment carries about the lines the tool
wrote: a digest of all of them and a two-character code per line. It travels
in the file itself (``1a2b3c4d.k3m9x0``), so a run committed through the bot's
pull request can still be undone from the committed files alone. Comparing a
record with the lines found now says exactly which of them were edited,
inserted or removed since; lines outside the recorded ones never count.
Whitespace is not an edit, only what it separates (``terraform fmt`` re-indents
comments and realigns ``=``, editors strip trailing blanks), and neither is the
newline style.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Record", "digest_text", "line_numbers"]

_CODE_CHARS = 2  # 10 bits a line: enough to name the edited lines
_DIGEST_CHARS = 8  # 32 bits over all lines: what decides that something was edited
_TOKEN = re.compile(r"^([0-9a-f]{8})\.([a-z2-7]*)$")


def _normal(line: str) -> str:
    # Runs of blanks count as one space: fmt's realignment changes none of the words.
    return " ".join(line.split())


@lru_cache(maxsize=4096)
def _code(line: str) -> str:
    # Memoised: the lines of comment headers recur in every module of a tree.
    raw = hashlib.sha256(_normal(line).encode("utf-8")).digest()
    return base64.b32encode(raw[:2]).decode("ascii").lower()[:_CODE_CHARS]


def digest_text(text: str) -> str:
    """A short digest of ``text`` exactly as it is, except that CRLF counts as LF."""
    data = text.replace("\r\n", "\n").encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:_DIGEST_CHARS]


@dataclass(frozen=True, slots=True)
class Record:
    """The fingerprint of some lines: ``digest`` over all of them, ``codes`` two characters each."""

    digest: str
    codes: str

    @classmethod
    def of(cls, lines: Sequence[str]) -> Record:
        """The record of ``lines`` (with or without their line endings)."""
        joined = "\n".join(_normal(line) for line in lines)
        digest = hashlib.sha256(joined.encode("utf-8")).hexdigest()[:_DIGEST_CHARS]
        return cls(digest, "".join(_code(line) for line in lines))

    def render(self) -> str:
        """The record as one token: ``<digest>.<codes>``."""
        return f"{self.digest}.{self.codes}"

    @classmethod
    def parse(cls, token: str) -> Record | None:
        """The record a token holds, or None when it is not one (damaged or missing)."""
        match = _TOKEN.match(token)
        if match is None or len(match.group(2)) % _CODE_CHARS:
            return None
        return cls(match.group(1), match.group(2))

    @property
    def line_count(self) -> int:
        return len(self.codes) // _CODE_CHARS

    def _line_codes(self) -> list[str]:
        return [self.codes[i : i + _CODE_CHARS] for i in range(0, len(self.codes), _CODE_CHARS)]

    def matches(self, lines: Sequence[str]) -> bool:
        """True when ``lines`` are the recorded lines (whitespace at the ends aside)."""
        return Record.of(lines) == self

    def alignment(self, lines: Sequence[str]) -> dict[int, int]:
        """Which recorded line is which line of ``lines`` now: recorded index -> current index.

        Only lines that are still there unchanged are mapped; edited, inserted
        and removed lines are not.
        """
        current = [_code(line) for line in lines]
        matcher = difflib.SequenceMatcher(a=self._line_codes(), b=current, autojunk=False)
        mapping: dict[int, int] = {}
        for tag, i1, i2, j1, _ in matcher.get_opcodes():
            if tag == "equal":
                mapping.update((i1 + k, j1 + k) for k in range(i2 - i1))
        return mapping

    def edited(self, lines: Sequence[str]) -> tuple[int, ...]:
        """Indices of ``lines`` that were edited or inserted since the record; () when none was.

        A removed line is reported as the line now in its place (or the last
        line, when it was at the end). Should the codes agree while the digest
        does not (one chance in a thousand), every line is reported, since the
        edit cannot be placed.
        """
        if self.matches(lines):
            return ()
        current = [_code(line) for line in lines]
        matcher = difflib.SequenceMatcher(a=self._line_codes(), b=current, autojunk=False)
        found: set[int] = set()
        for tag, _, _, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if j2 > j1:
                found.update(range(j1, j2))
            elif lines:
                found.add(min(j1, len(lines) - 1))
        if not found:
            found = set(range(len(lines)))
        return tuple(sorted(found))


def line_numbers(numbers: Sequence[int]) -> str:
    """``line 4``, ``lines 4 and 7``, ``lines 4-6 and 9``: 1-based line numbers in words."""
    ranges: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in ranges]
    noun = "line" if len(parts) == 1 and ranges[0][0] == ranges[0][1] else "lines"
    if len(parts) > 1:
        return f"{noun} {', '.join(parts[:-1])} and {parts[-1]}"
    return f"{noun} {parts[0]}" if parts else "no lines"
