"""Bitbucket Pipelines: ``bitbucket-pipelines.yml`` steps and their scripts.

Every pipeline (``default``, ``branches``, ``pull-requests``, ``tags``,
``custom``) is read: its steps, inside ``parallel`` and ``stage`` groups too,
and steps shared through ``definitions`` anchors (composed YAML follows the
aliases). A step's ``script`` lines share one shell in the clone directory
(the root); ``after-script`` gets its own. A custom pipeline's ``variables``
with a ``default`` are parameters; without one they are opaque. Pipes that run
Terraform are recorded as opaque.
"""

from __future__ import annotations

import re

import yaml

from fixer.terraform.init_context.model import Mechanism, Reach
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import ShellState
from fixer.terraform.init_context.values import ROOT, opaque, parameter
from fixer.terraform.init_context.yaml_nodes import YamlFile, mapping, scalar, sequence

__all__ = ["read"]

_TERRAFORM_WORDS = re.compile(r"terraform|terragrunt|tofu", re.IGNORECASE)


def read(scan: Scan, path: str) -> None:
    """Read every pipeline's steps."""
    document = scan.yaml(path)
    if document is None:
        return
    pipelines = mapping(mapping(document.root).get("pipelines"))
    for kind, node in pipelines.items():
        if kind == "default":
            _items(scan, document, sequence(node), {}, "default")
            continue
        for name, items in mapping(node).items():
            variables: dict[str, str] = {}
            for item in sequence(items):
                for spec in sequence(mapping(item).get("variables")):
                    entry = mapping(spec)
                    variable = scalar(entry.get("name"))
                    if not variable:
                        continue
                    default = scalar(entry.get("default"))
                    where = f"{path}:{document.line(spec)}"
                    variables[variable] = (
                        parameter(variable, default, where)
                        if default is not None
                        else opaque(f"${variable}")
                    )
            _items(scan, document, sequence(items), variables, f"{kind} {name}")


def _items(
    scan: Scan, document: YamlFile, items: list[yaml.Node], variables: dict[str, str], job: str
) -> None:
    for item in items:
        entry = mapping(item)
        if "step" in entry:
            _step(scan, document, mapping(entry["step"]), variables, job)
        parallel = entry.get("parallel")
        if parallel is not None:
            _items(
                scan,
                document,
                sequence(parallel) or sequence(mapping(parallel).get("steps")),
                variables,
                job,
            )
        if "stage" in entry:
            _items(scan, document, sequence(mapping(entry["stage"]).get("steps")), variables, job)


def _step(
    scan: Scan, document: YamlFile, step: dict[str, yaml.Node], variables: dict[str, str], job: str
) -> None:
    name = scalar(step.get("name"))
    label = f"step {name}" if name else ""
    for key in ("script", "after-script"):
        state = ShellState(env=dict(variables), exported=set(variables))
        state.export("BITBUCKET_CLONE_DIR", ROOT)
        for line in sequence(step.get(key)):
            if isinstance(line, yaml.ScalarNode):
                state = scan.run(
                    document.script(line),
                    state,
                    mechanism=Mechanism.BITBUCKET,
                    job=job,
                    label=label,
                )
                continue
            pipe = scalar(mapping(line).get("pipe"))
            if pipe and _TERRAFORM_WORDS.search(pipe):
                reach = Reach(
                    None,
                    opaque=(f"pipe {pipe} runs Terraform; what it passes is not known",),
                    label=label,
                )
                scan.add_reach(
                    Mechanism.BITBUCKET,
                    document.path,
                    document.line(line),
                    f"pipe: {pipe}",
                    "pipe",
                    reach,
                    True,
                    job,
                )
