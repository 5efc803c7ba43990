"""Which files hold init context, and building the context from their texts.

:func:`is_init_context_file` decides from a path alone whether the runner
should read a file. :func:`build_init_context` classifies the texts it is
given, skips those that cannot hold an init (a cheap substring check before
any YAML or HCL is parsed), and reads the rest in an order that lets callers
come first: CI pipelines and Terragrunt, then GitHub workflows, then composite
actions, reusable workflows and scripts that nothing calls, read on their own
as a person would run them. Makefiles, justfiles and Taskfiles are also read
on their own with their defaults, whoever calls them: people run them too.
What a file read on its own found is dropped when another file turns out to
call it (see ``Scan.sites``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from fixer.terraform.init_context.backend_files import is_config_name
from fixer.terraform.init_context.context import InitContext, declared_site
from fixer.terraform.init_context.model import DeclaredInit

if TYPE_CHECKING:
    from fixer.terraform.init_context.scan import Scan

__all__ = ["build_init_context", "classify", "is_init_context_file", "might_be_init_context"]

_SKIPPED_PARTS = frozenset({".git", ".terraform", ".terragrunt-cache", "node_modules", ".venv"})
_YAML = (".yml", ".yaml")
_EXTENSIONS = frozenset(
    {
        ".yml",
        ".yaml",
        ".sh",
        ".bash",
        ".hcl",
        ".tfbackend",
        ".conf",
        ".tfvars",
        ".md",
        ".markdown",
        ".mk",
        ".just",
        ".jenkinsfile",
    }
)
_NAMES = frozenset(
    {"Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", ".justfile", "JUSTFILE"}
)
_INIT_WORDS = ("init", "terragrunt", "terraform", "Terraform", "tofu")


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def classify(path: str) -> str | None:
    """The kind of init-context file ``path`` is (``"github-workflow"``, ``"make"``...), or None.

    Only the path is looked at. Paths under ``.git``, ``.terraform``,
    ``.terragrunt-cache`` and ``node_modules`` are never init context.
    """
    name = path[path.rfind("/") + 1 :]
    lower = name.lower()
    extension = lower[lower.rfind(".") :] if "." in lower else ""
    # Most files of a repository are rejected here, by their extension alone.
    if extension not in _EXTENSIONS and name not in _NAMES and not name.startswith("Jenkinsfile"):
        return None
    parts = path.split("/")
    if not _SKIPPED_PARTS.isdisjoint(parts[:-1]):
        return None
    directory = "/".join(parts[:-1])
    if directory == ".github/workflows" and lower.endswith(_YAML):
        return "github-workflow"
    if lower in ("action.yml", "action.yaml"):
        return "github-action"
    if lower == ".gitlab-ci.yml" or lower.endswith((".gitlab-ci.yml", ".gitlab-ci.yaml")):
        return "gitlab"
    if (parts[0] == ".gitlab" or "/.gitlab/" in path) and lower.endswith(_YAML):
        return "gitlab"
    if (
        lower.startswith("azure-pipelines")
        or lower.endswith((".azure-pipelines.yml", ".azure-pipelines.yaml"))
        or parts[0] in (".azure-pipelines", ".pipelines", ".azuredevops")
    ) and lower.endswith(_YAML):
        return "azure"
    if directory == ".circleci" and lower in ("config.yml", "config.yaml"):
        return "circleci"
    if lower in ("bitbucket-pipelines.yml", "bitbucket-pipelines.yaml"):
        return "bitbucket"
    if name.startswith("Jenkinsfile") or lower.endswith(".jenkinsfile"):
        return "jenkins"
    if name in ("Makefile", "makefile", "GNUmakefile") or lower.endswith(".mk"):
        return "make"
    if name in ("justfile", "Justfile", ".justfile", "JUSTFILE") or lower.endswith(".just"):
        return "just"
    if lower in ("taskfile.yml", "taskfile.yaml", "taskfile.dist.yml", "taskfile.dist.yaml"):
        return "task"
    if lower.endswith((".sh", ".bash")):
        return "script"
    if lower in ("atlantis.yaml", "atlantis.yml"):
        return "atlantis"
    if is_config_name(name):
        return "backend-config"
    if lower.endswith(".hcl") and lower != ".terraform.lock.hcl":
        return "terragrunt"
    if lower in ("readme.md", "readme.markdown") or (
        lower.endswith((".md", ".markdown"))
        and any(p.lower() in ("docs", "doc", "documentation") for p in parts[:-1])
    ):
        return "docs"
    return None


def might_be_init_context(name: str) -> bool:
    """Could a file called ``name`` be init context wherever it lies? A name check only.

    False means :func:`is_init_context_file` is False for every path ending in
    ``name``; a walker asks this first, before it builds the file's relative path.
    """
    lower = name.lower()
    extension = lower[lower.rfind(".") :] if "." in lower else ""
    return extension in _EXTENSIONS or name in _NAMES or name.startswith("Jenkinsfile")


def is_init_context_file(path: str) -> bool:
    """True when the runner should read ``path`` (repo-relative, POSIX) for init context.

    Cheap: name checks only, nothing is opened.
    """
    return classify(path) is not None


def _mentions(text: str, words: Sequence[str]) -> bool:
    return any(word in text for word in words)


def build_init_context(
    files: Mapping[str, str], declared: Sequence[DeclaredInit] = ()
) -> InitContext:
    """Build the init context from init-context files' texts (repo-relative POSIX path -> text).

    Never raises for bad input: a file that cannot be read becomes a one-line
    problem ``path:line:col: message`` and the rest goes on.
    """
    if not files and not declared:
        return InitContext([])
    # The readers are imported when there is something to read, not with the
    # package: checking a tree without pipeline files never loads YAML or the
    # shell reader.
    from fixer.terraform.init_context import (
        atlantis,
        azure,
        bitbucket,
        circleci,
        docs,
        github,
        gitlab,
        jenkins,
        make,
        taskfile,
        terragrunt,
    )
    from fixer.terraform.init_context import justfile as just
    from fixer.terraform.init_context.scan import Scan, follow_script, standalone_script

    scan = Scan(files)
    scan.callees = {
        "script": follow_script,
        "make": make.follow,
        "just": just.follow,
        "task": taskfile.follow,
    }
    kinds: dict[str, list[str]] = {}
    for path in sorted(files):
        kind = classify(path)
        if kind is not None:
            kinds.setdefault(kind, []).append(path)

    # Files that may init by themselves, and the words that would call them: a file
    # that has none of these cannot lead to an init and is never parsed.
    words = set(_INIT_WORDS) | {"uses: ./", "template", "include", "extends"}
    for kind, word in (("make", "make"), ("just", "just"), ("task", "task")):
        if any(_mentions(files[p], _INIT_WORDS) for p in kinds.get(kind, ())):
            words.add(word)
    for path in kinds.get("script", ()):
        if _mentions(files[path], _INIT_WORDS):
            words.add(_name(path))
    calls = re.compile("|".join(re.escape(w) for w in sorted(words)))

    def relevant(path: str) -> bool:
        return calls.search(files[path]) is not None

    for path in kinds.get("backend-config", ()):
        scan.backend_config(path)

    terragrunt.read_all(scan, kinds.get("terragrunt", ()))

    entries: list[tuple[str, Callable[[Scan, str], None]]] = [
        ("gitlab", gitlab.read_all),
        ("azure", azure.read_all),
        ("circleci", circleci.read),
        ("bitbucket", bitbucket.read),
        ("jenkins", jenkins.read),
        ("atlantis", atlantis.read),
    ]
    for kind, reader in entries:
        paths = [p for p in kinds.get(kind, ()) if kind == "atlantis" or relevant(p)]
        if kind in ("gitlab", "azure"):
            reader(scan, paths)  # type: ignore[arg-type]
            continue
        for path in paths:
            reader(scan, path)
    for path in kinds.get("docs", ()):
        if "init" in files[path]:
            docs.read(scan, path)

    workflows = [p for p in kinds.get("github-workflow", ()) if relevant(p)]
    callable_only = {p for p in workflows if _is_reusable_only(scan, p)}
    for path in workflows:
        if path not in callable_only:
            # Triggered by events: it runs whether or not another workflow calls it.
            github.read_workflow(scan, path)
    standalone: list[tuple[str, Callable[[], None]]] = []
    for path in workflows:
        if path in callable_only:
            standalone.append((path, lambda p=path: github.read_workflow(scan, p)))  # type: ignore[misc]
    for path in kinds.get("github-action", ()):
        if relevant(path):
            directory = path.rsplit("/", 1)[0] if "/" in path else "."
            standalone.append((path, lambda d=directory: github.read_action(scan, d)))  # type: ignore[misc]
    for path in kinds.get("script", ()):
        if relevant(path):
            standalone.append((path, lambda p=path: standalone_script(scan, p)))  # type: ignore[misc]
    for path, read in standalone:
        if path in scan.reached:
            continue
        scan.root = path
        read()
    scan.root = None
    # Task runners are also run by people with their defaults, whoever else calls them.
    runners = (("make", make.standalone), ("just", just.standalone), ("task", taskfile.standalone))
    for kind, runner in runners:
        for path in kinds.get(kind, ()):
            if relevant(path):
                runner(scan, path)

    terragrunt.repoint_commands(scan)
    sites = scan.sites()
    declared_pairs = [(declared_site(d), d) for d in declared]
    sites.extend(site for site, _ in declared_pairs)
    return InitContext(
        sites,
        scan.problems,
        configs=scan.configs,
        unreadable=scan.unreadable,
        units=scan.units,
        declared=declared_pairs,
        requested=sorted(scan.requested - set(files)),
    )


def _is_reusable_only(scan: Scan, path: str) -> bool:
    """True for a workflow whose only trigger is ``workflow_call`` (it runs when called)."""
    text = scan.files[path]
    if "workflow_call" not in text:
        return False
    document = scan.yaml(path)
    if document is None:
        return False
    from fixer.terraform.init_context.yaml_nodes import mapping, scalar, sequence

    on = mapping(document.root).get("on")
    triggers = (
        set(mapping(on))
        if mapping(on)
        else {scalar(n) for n in sequence(on)}
        if sequence(on)
        else {scalar(on)}
    )
    return triggers == {"workflow_call"}
