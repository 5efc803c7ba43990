"""Terraform and OpenTofu version numbers and ``required_version`` constraints.

A :class:`Version` is a release or prerelease number; a constraint string such as
``">= 1.5, ~> 1.9"`` parses into :class:`Constraint` values with the semantics of
hashicorp/go-version, which Terraform uses for ``required_version``. Every
``required_version`` of a module applies, so the constraints intersect into one
:class:`VersionRange`: the releases that may run the module. A :class:`Lifecycle`
records when a fact (an argument, a backend type) came, was deprecated and went,
and :meth:`Lifecycle.status` judges it against a range.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

__all__ = [
    "ALWAYS",
    "NEVER",
    "Constraint",
    "ConstraintSet",
    "Coverage",
    "FactStatus",
    "Interval",
    "Lifecycle",
    "Version",
    "VersionRange",
    "combine",
    "coverage",
    "parse_constraints",
    "pessimistic_upper",
]

# The version syntax go-version accepts: any number of numeric segments, an
# optional prerelease (after "-", or directly after the numbers when it starts
# with a letter, as in "1.0rc1") and optional build metadata after "+".
_IDENT = r"[0-9A-Za-z\-~]+(?:\.[0-9A-Za-z\-~]+)*"
_VERSION_PATTERN = (
    r"v?(?P<release>[0-9]+(?:\.[0-9]+)*)"
    rf"(?:-(?P<pre>{_IDENT})|(?P<pre_bare>[A-Za-z\-~][0-9A-Za-z\-~]*(?:\.[0-9A-Za-z\-~]+)*))?"
    rf"(?:\+(?P<meta>{_IDENT}))?"
)
_VERSION_RE = re.compile(_VERSION_PATTERN)
_CONSTRAINT_RE = re.compile(rf"\s*(?P<op>~>|>=|<=|!=|=|>|<)?\s*(?P<version>{_VERSION_PATTERN})\s*")


@functools.total_ordering
@dataclass(frozen=True, eq=False, init=False)
class Version:
    """A version number such as ``1.10``, ``1.5.7`` or ``1.11.0-beta1``.

    ``Version("1.10")`` parses its text and raises ValueError when it is not a
    version; :meth:`parse` returns None instead. Versions compare as go-version
    does: missing segments count as zero (``1.10 == 1.10.0``), a prerelease sorts
    before its release, and build metadata is ignored.
    """

    release: tuple[int, ...]
    prerelease: str
    metadata: str

    def __init__(self, text: str) -> None:
        match = _VERSION_RE.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"not a version: {text!r}")
        object.__setattr__(self, "release", tuple(int(s) for s in match["release"].split(".")))
        object.__setattr__(self, "prerelease", match["pre"] or match["pre_bare"] or "")
        object.__setattr__(self, "metadata", match["meta"] or "")
        # Computed once: versions are compared and hashed a great many times.
        object.__setattr__(self, "_sort_key", self._compute_key())

    @classmethod
    def parse(cls, text: str) -> Version | None:
        """The version written in ``text``, or None when it is not one."""
        try:
            return cls(text)
        except ValueError:
            return None

    @classmethod
    def of(cls, *release: int) -> Version:
        """A release version from its segments: ``Version.of(1, 10)``."""
        return cls(".".join(str(s) for s in release))

    @property
    def is_prerelease(self) -> bool:
        return bool(self.prerelease)

    @property
    def release_padded(self) -> tuple[int, ...]:
        """The release segments padded with zeros to at least three, as go-version keeps them."""
        return self.release + (0,) * (3 - len(self.release))

    @property
    def base(self) -> Version:
        """The release this version belongs to: ``1.11.0-beta1`` -> ``1.11.0``."""
        return Version.of(*self.release)

    @property
    def _key(self) -> tuple[tuple[int, ...], tuple[object, ...]]:
        return self._sort_key  # type: ignore[attr-defined, no-any-return]

    def _compute_key(self) -> tuple[tuple[int, ...], tuple[object, ...]]:
        release = list(self.release)
        while len(release) > 1 and release[-1] == 0:
            release.pop()
        if not self.prerelease:
            return tuple(release), (1,)
        # Terraform's own prereleases have one part ("beta1", "rc2"), so the
        # semver-like ordering used here agrees with go-version wherever it matters.
        parts: list[object] = [0]
        for part in self.prerelease.split("."):
            parts.append((0, int(part), "") if part.isdigit() else (1, 0, part))
        return tuple(release), tuple(parts)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key == other._key

    def __lt__(self, other: Version) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key < other._key  # type: ignore[operator]

    def __hash__(self) -> int:
        return hash(self._key)

    def __str__(self) -> str:
        text = ".".join(str(s) for s in self.release)
        if self.prerelease:
            text += f"-{self.prerelease}"
        if self.metadata:
            text += f"+{self.metadata}"
        return text

    def __repr__(self) -> str:
        return f"Version({str(self)!r})"


# -- intervals and ranges -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Interval:
    """A run of versions between two bounds; None means unbounded on that side."""

    lower: Version | None = None
    lower_closed: bool = False
    upper: Version | None = None
    upper_closed: bool = False

    @property
    def is_empty(self) -> bool:
        if self.lower is None or self.upper is None:
            return False
        if self.lower < self.upper:
            return False
        return self.lower > self.upper or not (self.lower_closed and self.upper_closed)

    def contains(self, version: Version) -> bool:
        low, high = self.lower, self.upper
        if low is not None and (version < low or (version == low and not self.lower_closed)):
            return False
        return not (
            high is not None and (version > high or (version == high and not self.upper_closed))
        )

    def intersect(self, other: Interval) -> Interval:
        lower, lower_closed = _max_lower(self, other)
        upper, upper_closed = _min_upper(self, other)
        return Interval(lower, lower_closed, upper, upper_closed)

    def describe(self) -> str:
        if self.lower is not None and self.lower == self.upper:
            return f"= {self.lower}"
        parts = []
        if self.lower is not None:
            parts.append(f"{'>=' if self.lower_closed else '>'} {self.lower}")
        if self.upper is not None:
            parts.append(f"{'<=' if self.upper_closed else '<'} {self.upper}")
        return ", ".join(parts) if parts else "any version"


def _max_lower(a: Interval, b: Interval) -> tuple[Version | None, bool]:
    if a.lower is None:
        return b.lower, b.lower_closed
    if b.lower is None or a.lower > b.lower:
        return a.lower, a.lower_closed
    if b.lower > a.lower:
        return b.lower, b.lower_closed
    return a.lower, a.lower_closed and b.lower_closed


def _min_upper(a: Interval, b: Interval) -> tuple[Version | None, bool]:
    if a.upper is None:
        return b.upper, b.upper_closed
    if b.upper is None or a.upper < b.upper:
        return a.upper, a.upper_closed
    if b.upper < a.upper:
        return b.upper, b.upper_closed
    return a.upper, a.upper_closed and b.upper_closed


def _lower_key(interval: Interval) -> tuple[int, object, int]:
    if interval.lower is None:
        return (0, (), 0)
    # A closed lower bound starts before an open one at the same version.
    return (1, interval.lower._key, 0 if interval.lower_closed else 1)


def _touches(left: Interval, right: Interval) -> bool:
    """True when ``right`` (starting no earlier) overlaps or adjoins ``left``."""
    if left.upper is None or right.lower is None:
        return True
    if right.lower < left.upper:
        return True
    return right.lower == left.upper and (left.upper_closed or right.lower_closed)


def _normalise(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    pending = sorted((i for i in intervals if not i.is_empty), key=_lower_key)
    merged: list[Interval] = []
    for interval in pending:
        if merged and _touches(merged[-1], interval):
            last = merged[-1]
            upper, upper_closed = _max_upper(last, interval)
            merged[-1] = Interval(last.lower, last.lower_closed, upper, upper_closed)
        else:
            merged.append(interval)
    return tuple(merged)


def _max_upper(a: Interval, b: Interval) -> tuple[Version | None, bool]:
    if a.upper is None or b.upper is None:
        return None, False
    if a.upper > b.upper:
        return a.upper, a.upper_closed
    if b.upper > a.upper:
        return b.upper, b.upper_closed
    return a.upper, a.upper_closed or b.upper_closed


@dataclass(frozen=True, slots=True)
class VersionRange:
    """A set of release versions: sorted, disjoint, non-empty intervals.

    Versions are treated as dense (``1.2.3.1`` lies between ``1.2.3`` and
    ``1.2.4``), which is what go-version allows. Prereleases are not members of
    a range: go-version admits them only under constraints that name a
    prerelease, so ask :meth:`ConstraintSet.admits` for those.
    """

    intervals: tuple[Interval, ...] = (Interval(),)

    @classmethod
    def everything(cls) -> VersionRange:
        """The range an absent ``required_version`` admits."""
        return cls((Interval(),))

    @classmethod
    def nothing(cls) -> VersionRange:
        return cls(())

    @classmethod
    def of(cls, intervals: Iterable[Interval]) -> VersionRange:
        return cls(_normalise(intervals))

    @classmethod
    def at_least(cls, version: Version) -> VersionRange:
        return cls((Interval(version, True, None, False),))

    @classmethod
    def below(cls, version: Version) -> VersionRange:
        return cls((Interval(None, False, version, False),))

    @classmethod
    def exactly(cls, version: Version) -> VersionRange:
        return cls((Interval(version, True, version, True),))

    @classmethod
    def between(cls, lower: Version | None, upper: Version | None) -> VersionRange:
        """Versions ``>= lower`` and ``< upper``; either side may be None (open)."""
        return cls.of([Interval(lower, lower is not None, upper, False)])

    def intersect(self, other: VersionRange) -> VersionRange:
        return VersionRange.of(a.intersect(b) for a in self.intervals for b in other.intervals)

    def union(self, other: VersionRange) -> VersionRange:
        return VersionRange.of((*self.intervals, *other.intervals))

    def is_empty(self) -> bool:
        """True when no version satisfies the constraints (init always fails)."""
        return not self.intervals

    def is_everything(self) -> bool:
        return self.intervals == (Interval(),)

    def is_subset_of(self, other: VersionRange) -> bool:
        return self.intersect(other) == self

    def contains(self, version: Version) -> bool:
        """True when the release ``version`` is admitted (prereleases: see class doc)."""
        return any(i.contains(version) for i in self.intervals)

    def admits_below(self, version: Version) -> bool:
        """True when some admitted version is lower than ``version``."""
        return not self.intersect(VersionRange.below(version)).is_empty()

    def admits_at_least(self, version: Version) -> bool:
        """True when some admitted version is ``version`` or higher."""
        return not self.intersect(VersionRange.at_least(version)).is_empty()

    def requires_at_least(self, version: Version) -> bool:
        """True when every admitted version is ``version`` or higher.

        Vacuously True for an empty range; check :meth:`is_empty` first when that
        matters.
        """
        return not self.admits_below(version)

    def lowest(self) -> Version | None:
        """The lower bound of the range, or None when unbounded below or empty.

        For ``> 1.5`` the bound is 1.5 itself, which is not admitted; use
        :attr:`intervals` when open and closed bounds must be told apart.
        """
        return self.intervals[0].lower if self.intervals else None

    def highest(self) -> Version | None:
        """The upper bound of the range, or None when unbounded above or empty."""
        return self.intervals[-1].upper if self.intervals else None

    def describe(self) -> str:
        """The range in constraint syntax, e.g. ``>= 1.5, < 2.0`` or ``any version``."""
        if not self.intervals:
            return "no version"
        return " or ".join(i.describe() for i in self.intervals)

    def __str__(self) -> str:
        return self.describe()


# -- constraints -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Constraint:
    """One comparison such as ``>= 1.5`` or ``~> 1.2.3``; a bare version means ``=``."""

    operator: str
    version: Version
    text: str

    def admits(self, version: Version) -> bool:
        """Whether ``version`` satisfies this constraint, exactly as go-version decides.

        A prerelease version only satisfies ``=``/``!=`` or a constraint whose own
        version is a prerelease of the same release; ``~>`` with a prerelease
        admits only prereleases.
        """
        c = self.version
        op = self.operator
        if op == "=":
            return version == c
        if op == "!=":
            return version != c
        if not _prerelease_check(version, c):
            return False
        if op == ">":
            return version > c
        if op == ">=":
            return version >= c
        if op == "<":
            return version < c
        if op == "<=":
            return version <= c
        return _pessimistic(version, c)

    def range(self) -> VersionRange:
        """The release versions this constraint admits."""
        c = self.version
        op = self.operator
        if op == "=":
            return VersionRange.nothing() if c.is_prerelease else VersionRange.exactly(c)
        if op == "!=":
            if c.is_prerelease:
                return VersionRange.everything()
            return VersionRange.of(
                [Interval(None, False, c, False), Interval(c, False, None, False)]
            )
        if op == ">":
            return VersionRange.of([Interval(c, False, None, False)])
        if op == ">=":
            return VersionRange.at_least(c)
        if op == "<":
            return VersionRange.below(c)
        if op == "<=":
            return VersionRange.of([Interval(None, False, c, True)])
        if c.is_prerelease:
            return VersionRange.nothing()
        return VersionRange.between(c, pessimistic_upper(c))

    def __str__(self) -> str:
        return f"{self.operator} {self.version}"


def pessimistic_upper(version: Version) -> Version | None:
    """The exclusive upper bound of ``~> version``, or None when it has none.

    ``~> 1.2`` allows ``< 2.0`` and ``~> 1.2.3`` allows ``< 1.3.0``: the last
    written segment may grow, the one before it may not. ``~> 1`` has no upper
    bound in go-version (it behaves like ``>= 1``).
    """
    release = version.release
    if len(release) < 2:
        return None
    return Version.of(*release[:-2], release[-2] + 1, 0)


def _prerelease_check(version: Version, c: Version) -> bool:
    if version.is_prerelease:
        # go-version: a prerelease only matches a constraint naming a
        # prerelease of the very same release.
        return c.is_prerelease and version.release_padded == c.release_padded
    return True


def _pessimistic(version: Version, c: Version) -> bool:
    if c.is_prerelease != version.is_prerelease:
        return False
    if version < c:
        return False
    cs = c.release_padded
    vs = version.release_padded
    if len(cs) > len(vs):
        return False
    if any(vs[i] != cs[i] for i in range(len(c.release) - 1)):
        return False
    return cs[-1] <= vs[len(cs) - 1]


@dataclass(frozen=True, slots=True)
class ConstraintSet:
    """The constraints written in one constraint string (e.g. one ``required_version``).

    ``error`` is None when ``text`` parsed; otherwise it names the offending part
    and ``constraints`` is empty: Terraform rejects the whole string, so no part
    of it narrows the range.
    """

    text: str
    constraints: tuple[Constraint, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def admits(self, version: Version) -> bool:
        """Whether ``version`` (release or prerelease) satisfies every constraint."""
        return all(c.admits(version) for c in self.constraints)

    def range(self) -> VersionRange:
        """The releases admitted; everything when the text was invalid."""
        result = VersionRange.everything()
        for constraint in self.constraints:
            result = result.intersect(constraint.range())
        return result


def parse_constraints(text: str) -> ConstraintSet:
    """Parse a constraint string such as ``">= 1.5, < 2.0"``; never raises.

    Parts are separated by commas and all must hold. Operators: ``=``, ``!=``,
    ``>``, ``>=``, ``<``, ``<=``, ``~>``; a bare version means ``=``. An empty
    string, an empty part or an unknown operator yields a ConstraintSet whose
    ``error`` quotes the offending part.
    """
    constraints = []
    for part in text.split(","):
        match = _CONSTRAINT_RE.fullmatch(part)
        if match is None:
            shown = part.strip()
            if not shown:
                return ConstraintSet(text, (), "empty version constraint")
            return ConstraintSet(text, (), f"malformed version constraint {shown!r}")
        constraints.append(Constraint(match["op"] or "=", Version(match["version"]), part.strip()))
    return ConstraintSet(text, tuple(constraints))


def combine(sets: Iterable[ConstraintSet]) -> VersionRange:
    """The releases that satisfy every constraint set (all ``required_version`` s apply).

    Invalid sets contribute nothing; no sets at all admit everything.
    """
    result = VersionRange.everything()
    for constraint_set in sets:
        result = result.intersect(constraint_set.range())
    return result


# -- facts over versions -----------------------------------------------------------


class Coverage(StrEnum):
    """How many of the admitted versions a fact holds for."""

    NONE = "none"
    SOME = "some"
    ALL = "all"


def coverage(admitted: VersionRange, holds: VersionRange) -> Coverage:
    """How much of ``admitted`` lies inside ``holds``.

    NONE when they do not meet (also when ``admitted`` is empty), ALL when
    ``admitted`` lies wholly inside, SOME otherwise.
    """
    inside = admitted.intersect(holds)
    if inside.is_empty():
        return Coverage.NONE
    if inside == admitted:
        return Coverage.ALL
    return Coverage.SOME


@dataclass(frozen=True, slots=True)
class FactStatus:
    """A fact judged against a module's admitted versions.

    ``available``: versions that accept it; ``experimental``: versions where it
    exists but is not yet generally available; ``deprecated``: versions that
    accept it with a warning; ``removed``: versions that reject it.
    """

    available: Coverage
    experimental: Coverage
    deprecated: Coverage
    removed: Coverage


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """When one fact (an argument, a backend type) came and went, for one dialect.

    ``added`` is the first version accepting it (None: since before any version
    this table tracks); ``stable`` the version it left experimental status (None:
    stable when added); ``deprecated`` the first version warning about it;
    ``removed`` the first version rejecting it. ``supported=False`` means no
    version of the dialect ever accepted it.
    """

    added: Version | None = None
    stable: Version | None = None
    deprecated: Version | None = None
    removed: Version | None = None
    supported: bool = True

    def available(self) -> VersionRange:
        if not self.supported:
            return VersionRange.nothing()
        return VersionRange.between(self.added, self.removed)

    def experimental(self) -> VersionRange:
        if self.stable is None:
            return VersionRange.nothing()
        return self.available().intersect(VersionRange.below(self.stable))

    def deprecated_range(self) -> VersionRange:
        if self.deprecated is None:
            return VersionRange.nothing()
        return self.available().intersect(VersionRange.at_least(self.deprecated))

    def removed_range(self) -> VersionRange:
        if not self.supported:
            return VersionRange.everything()
        if self.removed is None:
            return VersionRange.nothing()
        return VersionRange.at_least(self.removed)

    def status(self, admitted: VersionRange) -> FactStatus:
        """Judge this fact against ``admitted`` (e.g. a module's required_version range).

        Versions before ``added`` neither accept nor reject-as-removed the fact:
        they simply do not know it, which shows as ``available`` below ALL.
        """
        return _status(self, admitted)

    def _judge(self, admitted: VersionRange) -> FactStatus:
        return FactStatus(
            available=coverage(admitted, self.available()),
            experimental=coverage(admitted, self.experimental()),
            deprecated=coverage(admitted, self.deprecated_range()),
            removed=coverage(admitted, self.removed_range()),
        )


@lru_cache(maxsize=4096)
def _status(lifecycle: Lifecycle, admitted: VersionRange) -> FactStatus:
    # Every rule asks about every argument of every module: the same few
    # (fact, range) pairs over and over in a large tree. Equal versions spelled
    # differently (1.5, 1.5.0) share an entry, which is harmless here: a status
    # holds coverages only, no version text.
    return lifecycle._judge(admitted)


ALWAYS = Lifecycle()
"""A fact every version of a dialect has accepted and still accepts."""

NEVER = Lifecycle(supported=False)
"""A fact no version of a dialect accepts."""
