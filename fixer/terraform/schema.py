"""What Terraform and OpenTofu check in a backend's values, as data with a small vocabulary.

A :class:`Check` is one validation Terraform applies to one argument (must not
be empty, must not start or end with ``/``, one of an enumeration, an ARN of a
role, a region the release knows...), with the :class:`Diagnostic` each program
prints and the versions it prints it in. An :class:`ArgumentSet` is a rule over
several arguments (only one of them, exactly one, at least one, all or none).
:func:`type_problem` follows Terraform's type conversions (``"true"`` is a bool,
``"5"`` a number, a list a set). The rows that use all this live in
:mod:`fixer.terraform.backends`; everything here is pure.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from fixer.terraform.dialect import Dialect
from fixer.terraform.versions import Version, VersionRange, parse_constraints

__all__ = [
    "AWS_REGIONS",
    "ArgumentSet",
    "Check",
    "CheckKind",
    "Diagnostic",
    "Phase",
    "Rejection",
    "Relation",
    "ValueKind",
    "as_bool",
    "as_text",
    "check_rejections",
    "diagnostics_range",
    "tf",
    "tofu",
    "type_problem",
    "versions",
]


class Phase(StrEnum):
    """When init reports a diagnostic: what a run without the service still sees.

    ``decode``, ``prepare`` and ``configure`` come before any request to the
    service, so an offline init shows them; ``service`` ones appear only once
    the backend has reached its service (offline: a connection error instead).
    """

    DECODE = "decode"
    PREPARE = "prepare"
    CONFIGURE = "configure"
    SERVICE = "service"


def versions(constraint: str) -> VersionRange:
    """The releases a constraint string admits (``"*"``: all); raises ValueError when malformed."""
    if constraint.strip() in ("", "*"):
        return VersionRange.everything()
    parsed = parse_constraints(constraint)
    if parsed.error is not None:
        raise ValueError(f"{constraint!r}: {parsed.error}")
    return parsed.range()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """What one program prints for a failed check, and in which of its versions."""

    dialect: Dialect
    versions: VersionRange
    headline: str
    detail: str = ""
    phase: Phase = Phase.PREPARE

    def describe_versions(self) -> str:
        return f"{self.dialect.display_name} {self.versions.describe()}"


def tf(
    constraint: str, headline: str, detail: str = "", phase: Phase = Phase.PREPARE
) -> Diagnostic:
    """A Terraform diagnostic for the versions ``constraint`` admits."""
    return Diagnostic(Dialect.TERRAFORM, versions(constraint), headline, detail, phase)


def tofu(
    constraint: str, headline: str, detail: str = "", phase: Phase = Phase.PREPARE
) -> Diagnostic:
    """An OpenTofu diagnostic for the versions ``constraint`` admits."""
    return Diagnostic(Dialect.OPENTOFU, versions(constraint), headline, detail, phase)


def diagnostics_range(diagnostics: Sequence[Diagnostic], dialect: Dialect) -> VersionRange:
    """The versions of ``dialect`` in which any of ``diagnostics`` is printed."""
    result = VersionRange.nothing()
    for diagnostic in diagnostics:
        if diagnostic.dialect is dialect:
            result = result.union(diagnostic.versions)
    return result


# -- single-argument checks --------------------------------------------------------------


class CheckKind(StrEnum):
    """The vocabulary of value checks; each reads the parameters its comment names."""

    NOT_EMPTY = "not-empty"  # "" is rejected
    NOT_BLANK = "not-blank"  # "" and whitespace-only are rejected
    NO_EDGE = "no-edge"  # must not start or end with any of ``values``
    NO_PREFIX = "no-prefix"  # must not start with any of ``values``
    NO_SUBSTRING = "no-substring"  # must not contain any of ``values``
    ENUM = "enum"  # one of ``values`` (``case_sensitive``)
    PATTERN = "pattern"  # ``pattern`` must match (re.search: anchors are the pattern's)
    LENGTH = "length"  # between ``low`` and ``high`` characters
    ARN = "arn"  # no ``values``: an ARN; with them: an ARN's resource starts with one of them
    REGION = "region"  # an AWS region the release knows (AWS_REGIONS)
    BASE64 = "base64"  # exactly ``low`` characters of standard base64
    JSON = "json"  # parses as JSON (blank values are another check's)
    JSON_OBJECT = "json-object"  # JSON that holds an object (unparsable: another check's)
    DURATION = "duration"  # a Go duration string between ``low`` and ``high`` seconds
    URL = "url"  # parses as a URL; with ``values`` == ("absolute",) scheme and host too
    SCHEME = "scheme"  # starts with one of ``values`` (case-insensitive): http://, https://
    NUMBER_RANGE = "number-range"  # a number between ``low`` and ``high``
    UNUSABLE = "unusable"  # any value fails (the backend cannot use the argument at all)


@dataclass(frozen=True, slots=True)
class Check:
    """One validation of one argument's value, with what each program prints.

    A check applies in the versions its diagnostics cover, per dialect (no
    diagnostic for a dialect: that program does not check it). ``unless``
    names bool arguments of the same block that switch the check off when
    true (``skip_region_validation``). ``each``: the value is a list or set and
    every element is checked. ``valid`` and ``invalid`` are example values:
    tests feed them to the check and to Terraform itself.
    """

    kind: CheckKind
    words: str
    diagnostics: tuple[Diagnostic, ...]
    values: tuple[str, ...] = ()
    pattern: str | None = None
    low: float | None = None
    high: float | None = None
    case_sensitive: bool = True
    unless: tuple[str, ...] = ()
    each: bool = False
    # Examples document the check; they take no part in its identity (a nested
    # block's example is a dict, which cannot be hashed).
    valid: tuple[Any, ...] = field(default=(), compare=False)
    invalid: tuple[Any, ...] = field(default=(), compare=False)
    sources: tuple[str, ...] = ()

    def applies(self, dialect: Dialect) -> VersionRange:
        return diagnostics_range(self.diagnostics, dialect)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A value a check rejects: what is printed, and in which admitted versions."""

    diagnostic: Diagnostic
    versions: VersionRange


def as_text(value: Any) -> str | None:
    """A scalar as Terraform converts it to a string (``5`` -> ``"5"``); None for other values."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    return None


_GO_DURATION = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_GO_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}


def as_bool(value: Any) -> bool | None:
    """A value as Terraform converts it to a bool (``"true"``, ``"1"``...), or None when it cannot."""
    if isinstance(value, bool):
        return value
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    return None


def go_duration(text: str) -> float | None:
    """Seconds in a Go duration string (``1h30m``, ``900s``); None when Go would not parse it.

    Go requires a unit on every number except a lone ``0``.
    """
    body = text[1:] if text[:1] in "+-" else text
    if body == "0":
        return 0.0
    if not body:
        return None
    total, position = 0.0, 0
    while position < len(body):
        match = _GO_DURATION.match(body, position)
        if match is None or match.group(1) in ("", "."):
            return None
        total += float(match.group(1)) * _GO_UNITS[match.group(2)]
        position = match.end()
    return -total if text.startswith("-") else total


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def go_url(text: str) -> tuple[bool, bool]:
    """How Go's ``url.Parse`` takes ``text``: (parses, has scheme and host).

    The failures modelled are the ones Go reports before any network access:
    control characters, a colon in the first path segment of a URL without a
    scheme (``127.0.0.1:9000``), bad percent escapes and a non-numeric port.
    """
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return False, False
    if _BAD_ESCAPE.search(text.split("#", 1)[0]):
        return False, False
    scheme, rest = "", text
    match = _SCHEME.match(text)
    if match is not None and text[match.end() : match.end() + 1] == ":":
        scheme, rest = match.group(0), text[match.end() + 1 :]
    elif text[:1] == ":":
        return False, False  # "missing protocol scheme"
    rest = rest.split("#", 1)[0].split("?", 1)[0]
    if not scheme:
        first = rest.split("/", 1)[0]
        if not rest.startswith("/") and ":" in first:
            return False, False
    host = ""
    if rest.startswith("//"):
        authority = rest[2:].split("/", 1)[0]
        host = authority.rsplit("@", 1)[-1]
        if host.startswith("["):
            if "]" not in host:
                return False, False
            port = host[host.index("]") + 1 :]
            if port and (not port.startswith(":") or (not port[1:].isdigit() and port != ":")):
                return False, False
        elif ":" in host:
            name, _, port = host.rpartition(":")
            if port and not port.isdigit():
                return False, False
            host = name
    elif scheme and not rest.startswith("/") and rest:
        return True, False  # opaque: "localhost:9000" is scheme "localhost"
    return True, bool(scheme) and bool(host)


_ARN = re.compile(r"arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)", re.DOTALL)


def _arn_resource(text: str) -> str | None:
    """The resource part of an ARN, or None when it is not one (arn.Parse's rules)."""
    match = _ARN.fullmatch(text)
    if match is None:
        return None
    return match.group(5)


def _region_accepted(region: str, version: Version) -> bool | None:
    """Whether the release ``version`` knows ``region`` (None: unknown: no release data)."""
    if version > LAST_REGION_RELEASE:
        return None
    for name, first in AWS_REGIONS:
        if name == region:
            return first is None or version >= first
    return False


def _region_rejections(
    check: Check, region: str, dialect: Dialect, admitted: VersionRange
) -> list[Rejection]:
    found = []
    for diagnostic in check.diagnostics:
        if diagnostic.dialect is not dialect:
            continue
        window = admitted.intersect(diagnostic.versions)
        if window.is_empty():
            continue
        known = next((first for name, first in AWS_REGIONS if name == region), "unknown")
        if dialect is Dialect.OPENTOFU:
            # OpenTofu's own region lists were not probed: only a name no release
            # of either program knows is claimed.
            rejected = window if known == "unknown" else VersionRange.nothing()
        elif known == "unknown":
            rejected = window.intersect(_through_last_release())
        elif known is None:
            rejected = VersionRange.nothing()
        else:
            assert isinstance(known, Version)
            rejected = window.intersect(VersionRange.below(known))
        if not rejected.is_empty():
            found.append(Rejection(diagnostic, rejected))
    return found


def _through_last_release() -> VersionRange:
    """Versions up to the last release whose region list was probed (its whole minor series)."""
    last = LAST_REGION_RELEASE.release_padded
    return VersionRange.below(Version.of(last[0], last[1] + 1))


def _fails(check: Check, value: Any) -> bool:
    """True when ``value`` (converted to the argument's type) fails ``check``."""
    kind = check.kind
    if kind is CheckKind.UNUSABLE:
        return True
    if kind is CheckKind.NUMBER_RANGE:
        number = _as_number(value)
        if number is None:
            return False
        low = check.low if check.low is not None else float("-inf")
        high = check.high if check.high is not None else float("inf")
        return not low <= number <= high
    text = as_text(value)
    if text is None:
        return False
    if kind is CheckKind.NOT_EMPTY:
        return text == ""
    if kind is CheckKind.NOT_BLANK:
        return not text.strip()
    if kind is CheckKind.NO_EDGE:
        return any(text.startswith(v) or text.endswith(v) for v in check.values)
    if kind is CheckKind.NO_PREFIX:
        return any(text.startswith(v) for v in check.values)
    if kind is CheckKind.NO_SUBSTRING:
        return any(v in text for v in check.values)
    if kind is CheckKind.ENUM:
        if check.case_sensitive:
            return text not in check.values
        return text.lower() not in {v.lower() for v in check.values}
    if kind is CheckKind.PATTERN:
        assert check.pattern is not None
        return re.search(check.pattern, text) is None
    if kind is CheckKind.LENGTH:
        low = check.low or 0
        high = check.high if check.high is not None else float("inf")
        return not low <= len(text) <= high
    if kind is CheckKind.ARN:
        resource = _arn_resource(text)
        if not check.values:
            return bool(text.strip()) and resource is None
        return resource is not None and not any(resource.startswith(v) for v in check.values)
    if kind is CheckKind.BASE64:
        if len(text) != (check.low or 0):
            return True
        try:
            base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return True
        return False
    if kind in (CheckKind.JSON, CheckKind.JSON_OBJECT):
        if not text.strip():
            return False
        try:
            document = json.loads(text)
        except ValueError:
            return kind is CheckKind.JSON
        return kind is CheckKind.JSON_OBJECT and not isinstance(document, dict)
    if kind is CheckKind.DURATION:
        seconds = go_duration(text)
        if seconds is None:
            return True
        low = check.low if check.low is not None else float("-inf")
        high = check.high if check.high is not None else float("inf")
        return not low <= seconds <= high
    if kind is CheckKind.URL:
        parses, absolute = go_url(text)
        return not parses or ("absolute" in check.values and not absolute)
    if kind is CheckKind.SCHEME:
        return bool(text) and not any(text.lower().startswith(v) for v in check.values)
    raise AssertionError(f"unhandled check kind {kind}")


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def check_rejections(
    check: Check,
    value: Any,
    dialect: Dialect,
    admitted: VersionRange,
    *,
    switched_off: Callable[[str], bool] = lambda name: False,
) -> tuple[Rejection, ...]:
    """The diagnostics ``check`` prints for ``value`` in the admitted versions of ``dialect``.

    ``value`` is a constant (str, number, bool, list, dict); None (``null``)
    is never checked: it means the argument is absent. ``switched_off(name)``
    tells whether a bool argument named in ``unless`` is true in the block.
    Empty when the value passes, or no admitted version checks it.
    """
    if value is None or any(switched_off(name) for name in check.unless):
        return ()
    items = value if check.each and isinstance(value, list) else [value]
    if check.kind is CheckKind.REGION:
        texts = [as_text(item) for item in items]
        found: list[Rejection] = []
        for text in texts:
            # An empty region is a missing one: the not-empty check says so.
            if text:
                found.extend(_region_rejections(check, text, dialect, admitted))
        return tuple(found)
    if not any(_fails(check, item) for item in items if item is not None):
        return ()
    result = []
    for diagnostic in check.diagnostics:
        if diagnostic.dialect is not dialect:
            continue
        window = admitted.intersect(diagnostic.versions)
        if not window.is_empty():
            result.append(Rejection(diagnostic, window))
    return tuple(result)


# -- rules over several arguments -----------------------------------------------------------


class Relation(StrEnum):
    """How the arguments of an :class:`ArgumentSet` must relate."""

    CONFLICT = "conflict"  # at most one of them
    EXACTLY_ONE = "exactly-one"  # one, no more, no fewer
    AT_LEAST_ONE = "at-least-one"  # one or more
    TOGETHER = "together"  # all of them or none
    REQUIRES = "requires"  # the first needs all the others


@dataclass(frozen=True, slots=True)
class ArgumentSet:
    """A rule over several arguments of one backend, and what each program prints.

    Names may be dotted: ``endpoints.s3`` is a key of an object argument,
    ``workspaces.name`` an attribute of a nested block. When every name lies
    inside the same parent, the rule applies only when the parent is written.
    An argument counts as set when it is written and not null; ``true_only``
    names bools that count only when true, and with ``empty_is_unset`` an
    empty string counts as unset. ``env_vars`` can stand in for the whole set
    (the finding then says so).
    """

    backend: str
    relation: Relation
    names: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    true_only: frozenset[str] = frozenset()
    empty_is_unset: bool = False
    env_vars: tuple[str, ...] = ()
    note: str = ""
    sources: tuple[str, ...] = ()

    @property
    def parent(self) -> str | None:
        """The argument every name lies inside, or None for top-level names."""
        return _common_parent(self.names)

    def violated(self, written: Sequence[str]) -> bool:
        """True when the arguments ``written`` (those that count as set) break the rule."""
        count = sum(1 for name in self.names if name in written)
        if self.relation is Relation.CONFLICT:
            return count > 1
        if self.relation is Relation.EXACTLY_ONE:
            return count != 1
        if self.relation is Relation.AT_LEAST_ONE:
            return count == 0
        if self.relation is Relation.TOGETHER:
            return 0 < count < len(self.names)
        return self.names[0] in written and count < len(self.names)

    def applies(self, dialect: Dialect) -> VersionRange:
        return diagnostics_range(self.diagnostics, dialect)


@lru_cache(maxsize=512)
def _common_parent(names: tuple[str, ...]) -> str | None:
    # Memoised: a check asks it of every set of the backend in every module.
    heads = {name.partition(".")[0] for name in names}
    if len(heads) == 1 and all("." in name for name in names):
        return heads.pop()
    return None


# -- types ------------------------------------------------------------------------------


class ValueKind(StrEnum):
    """The shape of a constant value, as Terraform's type system sees it."""

    STRING = "string"
    NUMBER = "number"
    BOOL = "bool"
    TUPLE = "tuple"
    OBJECT = "object"
    NULL = "null"


def value_kind(value: Any) -> ValueKind:
    if value is None:
        return ValueKind.NULL
    if isinstance(value, bool):
        return ValueKind.BOOL
    if isinstance(value, int | float):
        return ValueKind.NUMBER
    if isinstance(value, str):
        return ValueKind.STRING
    if isinstance(value, list):
        return ValueKind.TUPLE
    return ValueKind.OBJECT


_NUMBER_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _primitive_problem(type_name: str, value: Any) -> str | None:
    """Why ``value`` does not convert to the primitive ``type_name``, in Terraform's words."""
    kind = value_kind(value)
    if kind is ValueKind.NULL:
        return None
    if type_name == "string":
        if kind in (ValueKind.STRING, ValueKind.NUMBER, ValueKind.BOOL):
            return None
        return "string required"
    if type_name == "bool":
        if kind is ValueKind.BOOL:
            return None
        # cty converts exactly these strings; anything else, and numbers, fail.
        if kind is ValueKind.STRING and value in ("true", "false", "1", "0"):
            return None
        return "a bool is required" if kind is ValueKind.STRING else "bool required"
    if type_name == "number":
        if kind is ValueKind.NUMBER:
            return None
        if kind is ValueKind.STRING and _NUMBER_TEXT.fullmatch(value):
            return None
        return "a number is required" if kind is ValueKind.STRING else "number required"
    return None


def type_problem(
    type_name: str,
    value: Any,
    attributes: Mapping[str, tuple[str, bool]] | None = None,
) -> str | None:
    """Why ``value`` is not of ``type_name`` after Terraform's conversions, or None.

    ``type_name`` is a :class:`~fixer.terraform.backends.ValueType` value
    (``string``, ``bool``, ``number``, ``list(string)``, ``set(string)``,
    ``map(string)``, ``object``); ``attributes`` maps an object's attribute
    names to (type, required). The words are those after "Inappropriate value
    for attribute ...:" in Terraform's "Incorrect attribute value type".
    """
    attributes = attributes or {}
    kind = value_kind(value)
    if kind is ValueKind.NULL:
        return None
    if type_name in ("string", "bool", "number"):
        return _primitive_problem(type_name, value)
    if type_name in ("list(string)", "set(string)"):
        label = "list" if type_name.startswith("list") else "set"
        if kind is not ValueKind.TUPLE:
            return f"{label} of string required"
        for item in value:
            if _primitive_problem("string", item) is not None:
                return f"{label} of string required"
        return None
    if type_name == "map(string)":
        if kind is not ValueKind.OBJECT:
            return "map of string required"
        for item in value.values():
            if _primitive_problem("string", item) is not None:
                return "map of string required"
        return None
    if type_name == "object":
        if kind is not ValueKind.OBJECT:
            return "object required"
        for name, (attribute_type, required) in attributes.items():
            if required and value.get(name) is None:
                return f'attribute "{name}" is required'
            problem = type_problem(attribute_type, value.get(name))
            if problem is not None:
                return f'attribute "{name}": {problem}'
        return None
    return None


# -- AWS regions --------------------------------------------------------------------------

# The regions the s3 backend's region check accepts (aws-sdk-go-base's partition
# data compiled into each release), with the first Terraform release known to
# accept each; None: every release in the table's scope (1.5 on). Established by
# running `terraform init` with each name on 1.6.6, 1.8.4, 1.9.8, 1.10.5, 1.11.4,
# 1.12.2, 1.13.5, 1.14.9 and 1.15.5: a region first seen in a probed release is
# dated from the first release of that minor series (no release lies between the
# last rejecting and that one). Source of the names: the AWS SDK's partitions
# file; source of the versions: the probe, kept in
# tests/differential/data/regions-probe.json (global pseudo-regions such as
# aws-global are rejected by every release, so they are not listed).
_V = Version
_EVERY_RELEASE = (
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ca-central-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
)
AWS_REGIONS: tuple[tuple[str, Version | None], ...] = (
    *((name, None) for name in _EVERY_RELEASE),
    ("ca-west-1", _V("1.10.0")),
    ("ap-southeast-5", _V("1.10.0")),
    ("mx-central-1", _V("1.11.0")),
    ("ap-southeast-7", _V("1.11.0")),
    ("us-isof-south-1", _V("1.11.0")),
    ("us-isof-east-1", _V("1.11.0")),
    ("eu-isoe-west-1", _V("1.10.0")),
    ("us-isob-west-1", _V("1.14.0")),
    ("ap-east-2", _V("1.13.0")),
    ("eusc-de-east-1", _V("1.13.0")),
    ("ap-southeast-6", _V("1.14.0")),
)
LAST_REGION_RELEASE = _V("1.15.5")
"""The newest release whose region list was probed; later ones are not judged."""
