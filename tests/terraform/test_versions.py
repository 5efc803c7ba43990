"""Versions and required_version constraints, checked against go-version's rules."""

from __future__ import annotations

import pytest

from fixer.terraform.versions import (
    Coverage,
    Lifecycle,
    Version,
    VersionRange,
    combine,
    coverage,
    parse_constraints,
    pessimistic_upper,
)

V = Version


def admitted(text: str) -> VersionRange:
    parsed = parse_constraints(text)
    assert parsed.error is None, parsed.error
    return parsed.range()


# -- versions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "release", "prerelease"),
    [
        ("1.5.0", (1, 5, 0), ""),
        ("1.10", (1, 10), ""),
        ("v1.6.2", (1, 6, 2), ""),
        ("1.11.0-beta1", (1, 11, 0), "beta1"),
        ("1.0rc1", (1, 0), "rc1"),
        ("1.2.3.4", (1, 2, 3, 4), ""),
    ],
)
def test_version_parses(text: str, release: tuple[int, ...], prerelease: str) -> None:
    version = V(text)
    assert version.release == release
    assert version.prerelease == prerelease


@pytest.mark.parametrize("text", ["", "one", "1.", "1..2", ">= 1.0", "1.0 beta"])
def test_invalid_version_raises_and_parse_returns_none(text: str) -> None:
    with pytest.raises(ValueError):
        V(text)
    assert Version.parse(text) is None


def test_versions_order_numerically_not_as_text() -> None:
    assert V("1.9") < V("1.10") < V("1.11")
    assert V("1.10") == V("1.10.0") == V("1.10.0.0")
    assert hash(V("1.10")) == hash(V("1.10.0"))
    assert V("1.2.3") < V("1.2.3.1") < V("1.2.4")


def test_prerelease_sorts_before_its_release_and_metadata_is_ignored() -> None:
    assert V("1.11.0-alpha20240606") < V("1.11.0-beta1") < V("1.11.0-rc1") < V("1.11.0")
    assert V("1.10.5") < V("1.11.0-beta1")
    assert V("1.6.0+ent") == V("1.6.0")
    assert str(V("1.11.0-beta1+abc")) == "1.11.0-beta1+abc"


# -- constraints -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("~> 1.2", ">= 1.2, < 2.0"),
        ("~> 1.2.3", ">= 1.2.3, < 1.3.0"),
        ("~> 1.2.0", ">= 1.2.0, < 1.3.0"),
        ("~> 1.10", ">= 1.10, < 2.0"),
        ("~> 0.12", ">= 0.12, < 1.0"),
        ("~> 1", ">= 1"),
        ("~> 1.2.3.4", ">= 1.2.3.4, < 1.2.4.0"),
        (">= 1.5.0", ">= 1.5.0"),
        ("> 1.5", "> 1.5"),
        ("< 1.10", "< 1.10"),
        ("<= 1.9.8", "<= 1.9.8"),
        ("1.5.7", "= 1.5.7"),
        ("= 1.5.7", "= 1.5.7"),
        ("!= 1.6.0", "< 1.6.0 or > 1.6.0"),
        (">=1.3,<2", ">= 1.3, < 2"),
        (">= 1.0, != 1.3.0, < 2.0", ">= 1.0, < 1.3.0 or > 1.3.0, < 2.0"),
    ],
)
def test_constraint_ranges(text: str, described: str) -> None:
    assert admitted(text).describe() == described


def test_pessimistic_upper_bounds() -> None:
    assert pessimistic_upper(V("1.2")) == V("2.0")
    assert pessimistic_upper(V("1.2.3")) == V("1.3.0")
    assert pessimistic_upper(V("1")) is None


@pytest.mark.parametrize(
    ("constraint", "version", "expected"),
    [
        ("~> 1.2", "1.2.0", True),
        ("~> 1.2", "1.99.0", True),
        ("~> 1.2", "2.0.0", False),
        ("~> 1.2", "1.1.9", False),
        ("~> 1.2.3", "1.2.3", True),
        ("~> 1.2.3", "1.2.99", True),
        ("~> 1.2.3", "1.3.0", False),
        ("~> 1.2.3", "1.2.2", False),
        ("~> 1", "7.0.0", True),
        ("~> 1.5", "1.5.0-rc1", False),
        ("~> 1.11.0-beta1", "1.11.0", False),
        ("~> 1.11.0-beta1", "1.11.0-beta2", True),
        (">= 1.5", "1.11.0-beta1", False),
        (">= 1.11.0-beta1", "1.11.0-beta2", True),
        (">= 1.11.0-beta1", "1.11.0", True),
        (">= 1.11.0-beta1", "1.12.0-beta1", False),
        ("= 1.11.0-beta1", "1.11.0-beta1", True),
        ("!= 1.6.0", "1.6", False),
        ("< 1.10", "1.9.8", True),
        ("< 1.10", "1.10.0", False),
    ],
)
def test_constraint_admits_like_go_version(constraint: str, version: str, expected: bool) -> None:
    parsed = parse_constraints(constraint)
    assert parsed.admits(V(version)) is expected


def test_releases_in_range_agree_with_exact_check() -> None:
    samples = [V(f"1.{minor}.{patch}") for minor in range(14) for patch in (0, 1, 7)]
    for text in ["~> 1.2", "~> 1.5.0", ">= 1.5, < 1.11", "!= 1.6.0", "> 1.9.9", "<= 1.10"]:
        parsed = parse_constraints(text)
        for version in samples:
            assert parsed.range().contains(version) is parsed.admits(version), (text, version)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty version constraint"),
        (">= 1.0,", "empty version constraint"),
        (">= one", "'>= one'"),
        ("=> 1.0", "'=> 1.0'"),
        (">= 1.0, ~ 1.2", "'~ 1.2'"),
        ("latest", "'latest'"),
    ],
)
def test_invalid_constraints_are_reported_not_raised(text: str, fragment: str) -> None:
    parsed = parse_constraints(text)
    assert parsed.error is not None and fragment in parsed.error
    assert not parsed.ok
    assert parsed.range().is_everything()


def test_several_required_versions_all_apply() -> None:
    combined = combine([parse_constraints(">= 1.5.0"), parse_constraints("< 1.10")])
    assert combined.describe() == ">= 1.5.0, < 1.10"
    assert combine([]).is_everything()
    assert combine([parse_constraints("bogus"), parse_constraints(">= 1.6")]).describe() == ">= 1.6"


def test_contradictory_constraints_admit_nothing() -> None:
    empty = admitted(">= 1.10, < 1.6")
    assert empty.is_empty()
    assert empty.describe() == "no version"
    assert empty.lowest() is None
    assert not empty.admits_below(V("99"))
    assert admitted(">= 1.5, < 1.5").is_empty()
    assert not admitted(">= 1.5, <= 1.5").is_empty()


# -- questions rules ask, at the boundaries 1.5, 1.6, 1.10 and 1.11 ------------------


@pytest.mark.parametrize(
    ("text", "below_1_10", "below_1_11", "at_least_1_6"),
    [
        (">= 1.5.0", True, True, False),
        (">= 1.6", True, True, True),
        (">= 1.10", False, True, True),
        (">= 1.10.0", False, True, True),
        ("~> 1.10", False, True, True),
        ("~> 1.10.0", False, True, True),
        (">= 1.11", False, False, True),
        ("~> 1.11.0", False, False, True),
        ("> 1.10", False, True, True),
        ("> 1.10.99", False, True, True),
        ("~> 1.9", True, True, True),
        ("< 1.6", True, True, False),
        ("= 1.5.7", True, True, False),
        ("1.11.2", False, False, True),
    ],
)
def test_boundary_questions(
    text: str, below_1_10: bool, below_1_11: bool, at_least_1_6: bool
) -> None:
    r = admitted(text)
    assert r.admits_below(V("1.10")) is below_1_10
    assert r.admits_below(V("1.11")) is below_1_11
    assert r.requires_at_least(V("1.6")) is at_least_1_6
    assert r.requires_at_least(V("1.11")) is (not below_1_11)


def test_absent_constraint_admits_everything() -> None:
    r = VersionRange.everything()
    assert r.is_everything() and not r.is_empty()
    assert r.admits_below(V("0.1"))
    assert not r.requires_at_least(V("1.0"))
    assert r.lowest() is None and r.highest() is None
    assert r.describe() == "any version"


def test_lowest_and_highest() -> None:
    r = admitted(">= 1.5.0, < 2.0.0")
    assert r.lowest() == V("1.5.0")
    assert r.highest() == V("2.0.0")
    assert admitted("> 1.5").lowest() == V("1.5")
    assert admitted("< 1.6").lowest() is None


def test_ranges_compose() -> None:
    a = admitted(">= 1.5")
    b = admitted("< 1.6")
    assert a.intersect(b).describe() == ">= 1.5, < 1.6"
    assert a.union(b).is_everything()
    assert admitted("~> 1.10.0").is_subset_of(admitted(">= 1.10"))
    assert not admitted(">= 1.5").is_subset_of(admitted(">= 1.10"))
    assert admitted("< 1.5").union(admitted(">= 1.5")).is_everything()
    assert not admitted("< 1.5").union(admitted("> 1.5")).is_everything()


# -- lifecycles ------------------------------------------------------------------------


def test_coverage() -> None:
    holds = VersionRange.at_least(V("1.11"))
    assert coverage(admitted(">= 1.11"), holds) is Coverage.ALL
    assert coverage(admitted(">= 1.5"), holds) is Coverage.SOME
    assert coverage(admitted("< 1.11"), holds) is Coverage.NONE
    assert coverage(VersionRange.nothing(), holds) is Coverage.NONE


def test_lifecycle_of_an_argument_deprecated_then_removed() -> None:
    role_arn = Lifecycle(deprecated=V("1.6.0"), removed=V("1.10.0"))
    old = role_arn.status(admitted("~> 1.5.0"))
    assert (old.available, old.deprecated, old.removed) == (
        Coverage.ALL,
        Coverage.NONE,
        Coverage.NONE,
    )
    mid = role_arn.status(admitted(">= 1.6, < 1.10"))
    assert (mid.available, mid.deprecated, mid.removed) == (
        Coverage.ALL,
        Coverage.ALL,
        Coverage.NONE,
    )
    new = role_arn.status(admitted(">= 1.10"))
    assert (new.available, new.removed) == (Coverage.NONE, Coverage.ALL)
    wide = role_arn.status(admitted(">= 1.5"))
    assert (wide.available, wide.deprecated, wide.removed) == (Coverage.SOME,) * 3


def test_lifecycle_of_an_experimental_argument() -> None:
    use_lockfile = Lifecycle(added=V("1.10.0"), stable=V("1.11.0"))
    assert use_lockfile.status(admitted(">= 1.11")).experimental is Coverage.NONE
    assert use_lockfile.status(admitted("~> 1.10.0")).experimental is Coverage.ALL
    status = use_lockfile.status(admitted(">= 1.5"))
    assert status.available is Coverage.SOME
    assert status.experimental is Coverage.SOME


def test_unsupported_lifecycle_is_removed_everywhere() -> None:
    never = Lifecycle(supported=False)
    status = never.status(VersionRange.everything())
    assert status.available is Coverage.NONE
    assert status.removed is Coverage.ALL
