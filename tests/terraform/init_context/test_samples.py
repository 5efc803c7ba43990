"""Every mechanism's served sample supplies the backend values; its unserved twin does not.

A module is served when at least one init reaches it and every init that
reaches it (``-backend=false`` ones aside) supplies each required argument,
through a flag, a file, a task input, a convention or the environment, with
nothing opaque or unresolved. The unserved twin runs the same kind of init
without them.
"""

from __future__ import annotations

import pytest
from init_support import AZURERM, S3, context, missing, modules

CASES = [
    ("github-actions/served", "infra/prod", "s3", S3),
    ("gitlab-ci/served", "terraform", "http", ("address",)),
    ("azure-pipelines/served", "infra", "azurerm", AZURERM),
    ("azure-pipelines/aws-task-template", "aws/app", "s3", S3),
    ("circleci/served", "terraform", "s3", S3),
    ("bitbucket/served", "deploy", "s3", S3),
    ("jenkins/served", "envs/prod", "s3", S3),
    ("makefile/served", "envs/dev", "s3", S3),
    ("justfile/served", "infra/edge", "s3", S3),
    ("taskfile/served", "terraform/dns", "s3", S3),
    ("script/served", "environments/dev", "s3", S3),
    ("script/served", "environments/prod", "s3", S3),
    ("terragrunt/served", "modules/vpc", "s3", S3),
    ("atlantis/served", "projects/search", "s3", S3),
    ("docs/served", "stacks/analytics", "s3", S3),
]

UNSERVED = [
    ("github-actions/unserved", "infra/prod", "s3", S3),
    ("gitlab-ci/unserved", "infrastructure", "s3", S3),
    ("azure-pipelines/unserved", "infra", "azurerm", AZURERM),
    ("circleci/unserved", "terraform", "s3", S3),
    ("bitbucket/unserved", "deploy", "s3", S3),
    ("jenkins/unserved", "envs/prod", "s3", S3),
    ("makefile/unserved", "stack", "s3", S3),
    ("justfile/unserved", "infra/edge", "s3", S3),
    ("taskfile/unserved", "terraform/dns", "s3", S3),
    ("script/unserved", "environments/prod", "s3", S3),
    ("terragrunt/unserved", "modules/queue", "s3", S3),
    ("atlantis/unserved", "projects/search", "s3", S3),
    ("docs/unserved", "stacks/analytics", "s3", S3),
]


@pytest.mark.parametrize(
    ("case", "module", "backend", "names"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES]
)
def test_served_sample_supplies_every_value(
    case: str, module: str, backend: str, names: tuple[str, ...]
) -> None:
    ctx, _ = context(case)
    assert ctx.problems == ()
    inits = ctx.for_module(module)
    assert inits.paths, f"no init reaches {module}"
    assert inits.unresolved == ()
    for path in inits.paths:
        assert missing(path, backend, names) == [], path.site.location
        assert path.opaque == (), path.site.location


@pytest.mark.parametrize(
    ("case", "module", "backend", "names"), UNSERVED, ids=[f"{c[0]}:{c[1]}" for c in UNSERVED]
)
def test_unserved_twin_reaches_the_module_without_values(
    case: str, module: str, backend: str, names: tuple[str, ...]
) -> None:
    ctx, _ = context(case)
    assert ctx.problems == ()
    inits = ctx.for_module(module)
    assert inits.paths, f"no init reaches {module}"
    assert any(missing(path, backend, names) == list(names) for path in inits.paths)


def test_every_mechanism_has_a_served_and_an_unserved_sample() -> None:
    served = {case.split("/")[0] for case, *_ in CASES}
    unserved = {case.split("/")[0] for case, *_ in UNSERVED}
    mechanisms = {p.split("/")[0] for p, *_ in CASES + UNSERVED}
    assert served == unserved | {"azure-pipelines"} == mechanisms
    assert len(mechanisms) == 13


@pytest.mark.parametrize("case", sorted({c[0] for c in CASES + UNSERVED}))
def test_each_sample_module_has_a_partial_backend(case: str) -> None:
    from init_support import case_dir

    found = modules(case)
    assert found
    texts = [
        (case_dir(case) / m / "main.tf").read_text()
        for m in found
        if (case_dir(case) / m / "main.tf").exists()
    ]
    # Partial: the values init must supply are absent (the samples keep only the
    # settings every environment shares, encryption and locking, in code).
    assert any('backend "' in t and "bucket" not in t and "address =" not in t for t in texts)
