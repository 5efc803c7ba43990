"""Odd modules the rules must take calmly: no backend, no label, JSON, empty ranges.

Nothing here may raise; each case pins what is (and is not) reported.
"""

from __future__ import annotations

from rules_support import findings, view_of

from fixer.terraform import build_module_view

COMPLETE_WITH_LOCKFILE = (
    '  backend "s3" {\n'
    '    bucket       = "acme-state"\n'
    '    key          = "app/terraform.tfstate"\n'
    '    region       = "us-east-1"\n'
    "    use_lockfile = true\n"
    "    encrypt      = true\n"
    "  }\n"
)


def codes(files: dict[str, str], terraform_version: str | None = None) -> list[str]:
    return [f.code for f in findings(view_of(files, terraform_version=terraform_version))]


def test_module_without_backend_reports_nothing() -> None:
    assert (
        codes(
            {"main.tf": 'locals {\n  a = 1\n}\n\nterraform {\n  required_version = ">= 1.5"\n}\n'}
        )
        == []
    )


def test_empty_module_reports_nothing() -> None:
    assert findings(build_module_view([])) == []


def test_backend_without_a_label_is_not_a_backend() -> None:
    # Terraform rejects it while parsing; the view has no backend to judge.
    assert codes({"main.tf": "terraform {\n  backend {}\n}\n"}) == []


def test_json_backend_findings_point_at_the_file() -> None:
    view = build_module_view(
        [],
        directory="module",
        json_files=[
            (
                "module/main.tf.json",
                {
                    "terraform": {
                        "required_version": ">= 1.11",
                        "backend": {
                            "s3": {
                                "bucket": "",
                                "key": "k",
                                "region": "us-east-1",
                                "use_lockfile": True,
                                "encrypt": True,
                                "access_key": "AKIAIOSFODNN7EXAMPLE",
                            }
                        },
                    }
                },
            )
        ],
    )
    got = [(f.code, f.subject, f.location.line, f.location.column) for f in findings(view)]
    assert sorted(got) == [("BF003", "access_key", 1, 1), ("BF010", "bucket", 1, 1)]


def test_unsatisfiable_required_version_gives_no_version_verdicts() -> None:
    main = 'terraform {\n  required_version = ">= 1.10, < 1.5"\n\n' + COMPLETE_WITH_LOCKFILE + "}\n"
    assert codes({"main.tf": main}) == []


def test_opentofu_range_below_its_first_release_gives_no_version_verdicts() -> None:
    main = (
        'variable "b" {\n  type = string\n}\n\n'
        'terraform {\n  required_version = "< 1.6"\n\n'
        + COMPLETE_WITH_LOCKFILE.replace('"acme-state"', "var.b       ")
        + "}\n"
    )
    assert codes({"main.tofu": main}) == []


def test_invalid_version_override_keeps_the_declared_range() -> None:
    main = 'terraform {\n  required_version = ">= 1.11"\n\n' + COMPLETE_WITH_LOCKFILE + "}\n"
    assert codes({"main.tf": main}, terraform_version="not a version") == []
    assert codes({"main.tf": main}, terraform_version="~> 1.9.0") == ["BF007"]


def test_removed_alias_is_judged_with_its_target_arguments() -> None:
    got = codes({"main.tf": 'terraform {\n  backend "azure" {}\n}\n'})
    assert got == ["BF001", "BF013"]


def test_unknown_backend_type_has_no_required_arguments() -> None:
    assert codes({"main.tf": 'terraform {\n  backend "s4" {}\n}\n'}) == ["BF014"]


def test_only_the_effective_backend_is_judged_for_init() -> None:
    # The override's local backend wins: the partial, deprecated, unlocked s3
    # block is never configured, so only the committed secret is reported.
    files = {
        "versions.tf": 'terraform {\n  required_version = ">= 1.11"\n}\n',
        "main.tf": (
            'terraform {\n  backend "s3" {\n    dynamodb_table = "t"\n'
            '    access_key     = "AKIAIOSFODNN7EXAMPLE"\n\n    assume_role {\n'
            '      role_arn = "arn"\n    }\n  }\n}\n'
        ),
        "backend_override.tf": 'terraform {\n  backend "local" {}\n}\n',
    }
    assert codes(files) == ["BF003"]


def test_variable_in_a_nested_object_is_found() -> None:
    main = (
        'variable "role" {\n  type = string\n}\n\n'
        'terraform {\n  required_version = ">= 1.11"\n\n'
        + COMPLETE_WITH_LOCKFILE.replace(
            "  }\n", "\n    assume_role = {\n      role_arn = var.role\n    }\n  }\n"
        )
        + "}\n"
    )
    got = findings(view_of({"main.tf": main}))
    assert [(f.code, f.subject) for f in got] == [("BF002", "assume_role")]
    assert "var.role" in got[0].message


def test_remembered_walks_never_answer_for_another_block() -> None:
    """The schema rules share one walk of the block and one list of missing values per
    module: modules checked in turn, and again, each get their own answers."""
    from fixer.rules.common import missing_arguments
    from fixer.rules.written import written_arguments

    first = view_of({"main.tf": 'terraform {\n  backend "s3" {\n    bucket = "a"\n  }\n}\n'})
    second = view_of({"main.tf": 'terraform {\n  backend "s3" {\n    key = "k"\n  }\n}\n'})
    for _ in range(2):
        for view, written, missing in ((first, "bucket", "key"), (second, "key", "bucket")):
            backend = view.effective_backend
            assert backend is not None
            assert [w.name for w in written_arguments(backend)] == [written]
            assert missing in [m.name for m in missing_arguments(view, backend)]
            assert written not in [m.name for m in missing_arguments(view, backend)]
