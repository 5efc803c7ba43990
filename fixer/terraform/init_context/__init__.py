"""The init context: every place the repository runs init, and what each passes.

A partial backend is broken only where something runs ``terraform init``
without its values. This package finds those places in CI pipelines (GitHub
Actions, GitLab CI, Azure Pipelines, CircleCI, Bitbucket, Jenkins), task
runners (make, just, Task), scripts, Terragrunt, Atlantis and documentation,
works out which module directory each reaches and which backend arguments it
supplies, and answers per module. It is knowledge: pure functions over file
texts that the runner reads; nothing here opens a file or prints.
"""

from fixer.terraform.init_context.build import (
    build_init_context,
    classify,
    is_init_context_file,
    might_be_init_context,
)
from fixer.terraform.init_context.context import InitContext
from fixer.terraform.init_context.conventions import is_terragrunt_generated
from fixer.terraform.init_context.model import (
    BackendConfigArgument,
    DeclaredInit,
    InitPath,
    InitSite,
    Mechanism,
    ModuleInits,
    Reach,
    SuppliedValue,
    TerragruntUnit,
)
from fixer.terraform.init_context.values import Parameter

__all__ = [
    "BackendConfigArgument",
    "DeclaredInit",
    "InitContext",
    "InitPath",
    "InitSite",
    "Mechanism",
    "ModuleInits",
    "Parameter",
    "Reach",
    "SuppliedValue",
    "TerragruntUnit",
    "build_init_context",
    "classify",
    "is_init_context_file",
    "is_terragrunt_generated",
    "might_be_init_context",
]
