"""The validation vocabulary and Terraform's type conversions, held to the table's own examples.

Every check in the backend table carries valid and invalid examples; each must
be judged as its row says (the differential test then asks Terraform about the
same examples). The helpers that mimic Go (durations, url.Parse) and cty (type
conversion) are pinned on the cases the research probed.
"""

from __future__ import annotations

import pytest

from fixer.terraform import (
    ARGUMENT_SETS,
    ARGUMENTS,
    BackendArgument,
    CheckKind,
    Dialect,
    Relation,
    Version,
    VersionRange,
    argument,
    check_rejections,
    type_problem,
)
from fixer.terraform.schema import AWS_REGIONS, go_duration, go_url

EVERYTHING = VersionRange.everything()


def _rows() -> list[BackendArgument]:
    return [nested for row in ARGUMENTS for nested in (row, *row.attributes)]


CHECKED = [
    (row, index)
    for row in _rows()
    for index, check in enumerate(row.checks)
    if check.kind is not CheckKind.UNUSABLE
]


@pytest.mark.parametrize(
    ("row", "index"), CHECKED, ids=[f"{r.qualified_name}-{i}" for r, i in CHECKED]
)
def test_every_check_judges_its_own_examples(row: BackendArgument, index: int) -> None:
    check = row.checks[index]
    assert check.invalid, f"{row.qualified_name}: a check needs an invalid example"
    dialects = [d for d in Dialect if not check.applies(d).is_empty()]
    assert dialects, "a check applies in some dialect"
    for dialect in dialects:
        for value in check.valid:
            assert check_rejections(check, value, dialect, EVERYTHING) == (), (dialect, value)
        for value in check.invalid:
            assert check_rejections(check, value, dialect, EVERYTHING), (dialect, value)


def test_every_check_quotes_a_headline_and_a_source() -> None:
    for row in _rows():
        for check in row.checks:
            assert check.diagnostics and all(d.headline for d in check.diagnostics)
            assert check.sources


def test_argument_sets_name_arguments_the_table_has() -> None:
    for rule in ARGUMENT_SETS:
        for name in rule.names:
            head, _, rest = name.partition(".")
            row = argument(rule.backend, head)
            assert row is not None, (rule.backend, name)
            assert not rest or row.attribute(rest) is not None, (rule.backend, name)
        assert rule.diagnostics


def test_conflicts_and_sets() -> None:
    path_style = next(r for r in ARGUMENT_SETS if "use_path_style" in r.names)
    assert path_style.relation is Relation.CONFLICT
    assert path_style.violated(["force_path_style", "use_path_style"])
    assert not path_style.violated(["use_path_style"])
    workspaces = next(r for r in ARGUMENT_SETS if r.backend == "remote")
    assert workspaces.parent == "workspaces"
    assert workspaces.violated([]) and workspaces.violated(["workspaces.name", "workspaces.prefix"])


def test_conversions_follow_terraform() -> None:
    # research: general.json conv.*
    assert type_problem("bool", "true") is None
    assert type_problem("bool", "yes") == "a bool is required"
    assert type_problem("bool", 1) == "bool required"
    assert type_problem("number", "5") is None and type_problem("number", 2.5) is None
    assert type_problem("number", "five") == "a number is required"
    assert type_problem("string", 5) is None and type_problem("string", True) is None
    assert type_problem("string", ["x"]) == "string required"
    assert type_problem("set(string)", ["a", 1]) is None
    assert type_problem("set(string)", "a") == "set of string required"
    assert type_problem("object", "http://x") == "object required"
    assert type_problem("object", {}, {"role_arn": ("string", True)}) == (
        'attribute "role_arn" is required'
    )
    assert type_problem("object", {}, {"s3": ("string", False)}) is None
    assert type_problem("map(string)", {"a": 1}) is None


def test_kms_key_ids_as_terraform_reads_them() -> None:
    checks = argument("s3", "kms_key_id").checks

    def rejected(value: str) -> bool:
        return any(check_rejections(c, value, Dialect.TERRAFORM, EVERYTHING) for c in checks)

    # AWS's own documentation example has version digit 3 in the wrong place: rejected.
    assert rejected("1234abcd-12ab-34cd-56ef-1234567890ab")
    assert rejected("1234ABCD-12AB-44CD-A6EF-1234567890AB")
    assert not rejected("1234abcd-12ab-44cd-a6ef-1234567890ab")
    assert not rejected("alias/terraform")
    assert not rejected("mrk-" + "a" * 32)
    # Anchored only at its two ends, as in Go: these pass.
    assert not rejected("xyz alias/x")
    assert rejected("arn:aws:kms:us-east-1:123456789012:user/x")


def test_regions_follow_each_release() -> None:
    (check,) = [c for c in argument("s3", "region").checks if c.kind is CheckKind.REGION]

    def rejected_in(region: str, version: str) -> bool:
        admitted = VersionRange.exactly(Version(version))
        return bool(check_rejections(check, region, Dialect.TERRAFORM, admitted))

    assert rejected_in("ca-west-1", "1.9.8") and not rejected_in("ca-west-1", "1.10.5")
    assert rejected_in("ap-southeast-6", "1.13.5") and not rejected_in("ap-southeast-6", "1.14.9")
    assert rejected_in("US-EAST-1", "1.11.4") and rejected_in("us-east-1 ", "1.11.4")
    assert not rejected_in("us-east-1", "1.5.7")
    # A release after the last one probed is not judged: its list may be longer.
    assert not rejected_in("xx-new-1", "1.16.0")
    assert not check_rejections(
        check, "xx-fake-1", Dialect.TERRAFORM, EVERYTHING, switched_off=lambda name: True
    )
    assert len({name for name, _ in AWS_REGIONS}) == len(AWS_REGIONS)


def test_go_durations() -> None:
    assert go_duration("1h30m") == 5400
    assert go_duration("900s") == 900
    assert go_duration("3600") is None  # a unit is required
    assert go_duration("0") == 0
    assert go_duration("1.5h") == 5400


def test_go_url_parse() -> None:
    assert go_url("http://127.0.0.1:9000") == (True, True)
    assert go_url("127.0.0.1:9000") == (False, False)  # first path segment has a colon
    assert go_url("localhost:9000") == (True, False)  # scheme "localhost", opaque
    assert go_url("s3.example.com") == (True, False)
    assert go_url("http://host:port") == (False, False)
    assert go_url("http://x/%zz") == (False, False)
