"""GitLab CI: ``.gitlab-ci.yml``, its local includes, jobs, variables and scripts.

A pipeline is the root file merged with its ``include: local:`` files (and
``include: 'path'`` strings, wildcards allowed), the root's own keys winning.
Each job (hidden ``.jobs`` only through ``extends``) runs ``before_script``
(its own, else ``default:``'s, else the global one) and ``script`` in one
shell, and ``after_script`` in another, from the project directory, with the
global and job ``variables`` exported (a value may refer to others:
``TF_ROOT: ${CI_PROJECT_DIR}/infra``). ``extends`` merges parents, ``!reference``
tags are resolved, and a literal ``parallel: matrix:`` runs once per
combination. ``gitlab-terraform`` runs in ``$TF_ROOT`` and configures
GitLab-managed state (see ``conventions``). GitLab's own
``include: template: Terraform*.gitlab-ci.yml`` templates and the OpenTofu
component run that wrapper in ``TF_ROOT`` / ``root_dir``; other external
includes that mention Terraform are recorded as opaque.
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from dataclasses import dataclass, field

import yaml

from fixer.terraform.init_context.conventions import gitlab_state_values
from fixer.terraform.init_context.model import Mechanism, Reach
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import ShellState, expand_value
from fixer.terraform.init_context.values import (
    ROOT,
    display,
    is_literal,
    join_path,
    opaque,
    pattern,
    plain,
)
from fixer.terraform.init_context.yaml_nodes import (
    YamlFile,
    mapping,
    scalar,
    sequence,
    to_python,
)

__all__ = ["read_all"]

_RESERVED = frozenset(
    {
        "default",
        "include",
        "stages",
        "variables",
        "workflow",
        "image",
        "services",
        "cache",
        "before_script",
        "after_script",
        "spec",
        "types",
    }
)
_TERRAFORM_TEMPLATE_RE = re.compile(r"^Terraform(/Base)?(\.latest)?\.gitlab-ci\.yml$")
_TERRAFORM_WORDS = re.compile(r"terraform|terragrunt|opentofu|tofu", re.IGNORECASE)
_MAX_INCLUDES = 150


@dataclass(slots=True)
class _Pipeline:
    root: str
    keys: dict[str, tuple[YamlFile, yaml.Node]] = field(default_factory=dict)
    templates: list[tuple[YamlFile, yaml.Node, str]] = field(default_factory=list)
    components: list[tuple[YamlFile, yaml.Node, str, dict[str, str]]] = field(default_factory=list)
    external: list[tuple[YamlFile, yaml.Node, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def _document_root(document: YamlFile) -> yaml.Node | None:
    # A file with a `spec:` header holds its configuration in the second document.
    if len(document.documents) > 1 and "spec" in mapping(document.documents[0]):
        return document.documents[1]
    return document.root


def _local_targets(scan: Scan, value: str) -> list[str]:
    path = value.strip().lstrip("/")
    if any(ch in path for ch in "*?["):
        return sorted(p for p in scan.files if fnmatch.fnmatchcase(p, path))
    return [path]


def _load(scan: Scan, path: str, pipeline: _Pipeline, seen: set[str]) -> None:
    if path in seen or len(seen) > _MAX_INCLUDES:
        return
    seen.add(path)
    if path != pipeline.root:
        scan.reached.add(path)
    document = scan.yaml(path)
    if document is None:
        return
    pipeline.files.append(path)
    root = mapping(_document_root(document))
    include = root.get("include")
    entries = (
        sequence(include)
        if isinstance(include, yaml.SequenceNode)
        else [include]
        if include
        else []
    )
    for entry in entries:
        text = scalar(entry)
        if text is not None:
            if text.startswith(("http://", "https://")):
                pipeline.external.append((document, entry, text))
            else:
                for target in _local_targets(scan, text):
                    if target in scan.files:
                        _load(scan, target, pipeline, seen)
                    else:
                        scan.requested.add(target)
            continue
        spec = mapping(entry)
        if "local" in spec:
            for target in _local_targets(scan, scalar(spec["local"]) or ""):
                if target in scan.files:
                    _load(scan, target, pipeline, seen)
                else:
                    scan.requested.add(target)
        elif "template" in spec:
            pipeline.templates.append((document, entry, scalar(spec["template"]) or ""))
        elif "component" in spec:
            inputs = {k: scalar(v) or "" for k, v in mapping(spec.get("inputs")).items()}
            pipeline.components.append((document, entry, scalar(spec["component"]) or "", inputs))
        else:
            shown = " ".join(str(v) for v in (to_python(entry) or {}).values())  # type: ignore[union-attr]
            pipeline.external.append((document, entry, shown))
    # Included files were loaded first: this file's own keys win over theirs.
    for key, value in root.items():
        if key != "include":
            pipeline.keys[key] = (document, value)


def read_all(scan: Scan, paths: list[str]) -> None:
    """Read every pipeline: ``.gitlab-ci.yml`` first, then files nothing includes."""
    ordered = sorted(paths, key=lambda p: (p != ".gitlab-ci.yml", p))
    covered: set[str] = set()
    for path in ordered:
        if path in covered:
            continue
        pipeline = _Pipeline(path)
        # Only the main file is surely a pipeline; another may turn out to be included.
        scan.root = None if path == ".gitlab-ci.yml" else path
        _load(scan, path, pipeline, set())
        covered.update(pipeline.files)
        _read_pipeline(scan, pipeline)
    scan.root = None


def _variables(node: yaml.Node | None, state: ShellState, path: str) -> None:
    for name, value in mapping(node).items():
        spec = mapping(value)
        text = scalar(spec.get("value")) if spec else scalar(value)
        if text is None:
            state.export(name, opaque(f"${name}"))
            continue
        if spec and scalar(spec.get("expand")) == "false":
            state.export(name, text)
            continue
        state.export(name, expand_value(text, state, path))


def _base_state(pipeline: _Pipeline) -> ShellState:
    state = ShellState()
    state.export("CI_PROJECT_DIR", ROOT)
    state.export("CI_BUILDS_DIR", opaque("$CI_BUILDS_DIR"))
    entry = pipeline.keys.get("variables")
    if entry is not None:
        _variables(entry[1], state, entry[0].path)
    return state


def _resolve_job(
    pipeline: _Pipeline, name: str, depth: int = 0
) -> tuple[dict[str, tuple[YamlFile, yaml.Node]], list[tuple[YamlFile, yaml.Node]], list[str]]:
    """A job with ``extends`` merged: its keys, its variables nodes in order, unknown parents."""
    entry = pipeline.keys.get(name)
    if entry is None or depth > 11:
        return {}, [], [name]
    document, node = entry
    job = mapping(node)
    keys: dict[str, tuple[YamlFile, yaml.Node]] = {}
    variables: list[tuple[YamlFile, yaml.Node]] = []
    missing: list[str] = []
    extends = job.get("extends")
    parents = (
        [scalar(n) for n in sequence(extends)]
        if isinstance(extends, yaml.SequenceNode)
        else [scalar(extends)]
    )
    for parent in parents:
        if not parent:
            continue
        parent_keys, parent_variables, parent_missing = _resolve_job(pipeline, parent, depth + 1)
        keys.update(parent_keys)
        variables.extend(parent_variables)
        missing.extend(parent_missing)
    for key, value in job.items():
        if key == "variables":
            variables.append((document, value))
        else:
            keys[key] = (document, value)
    return keys, variables, missing


def _script_nodes(
    pipeline: _Pipeline, document: YamlFile, node: yaml.Node | None, depth: int = 0
) -> list[tuple[YamlFile, yaml.Node]]:
    """A script's lines as scalar nodes, ``!reference [job, key]`` tags resolved."""
    if node is None or depth > 8:
        return []
    if node.tag == "!reference" and isinstance(node, yaml.SequenceNode):
        names = [scalar(n) or "" for n in node.value]
        keys, _, _ = _resolve_job(pipeline, names[0]) if names else ({}, [], [])
        found = keys.get(names[1]) if len(names) > 1 else None
        if found is None:
            return []
        target_document, target = found
        for name in names[2:]:
            target = mapping(target).get(name)  # type: ignore[assignment]
        return _script_nodes(pipeline, target_document, target, depth + 1)
    if isinstance(node, yaml.ScalarNode):
        return [(document, node)] if scalar(node) is not None else []
    out = []
    for item in sequence(node):
        out.extend(_script_nodes(pipeline, document, item, depth + 1))
    return out


def _matrix(keys: dict[str, tuple[YamlFile, yaml.Node]]) -> list[dict[str, str]]:
    entry = keys.get("parallel")
    if entry is None:
        return [{}]
    data = to_python(mapping(entry[1]).get("matrix"))
    if not isinstance(data, list):
        return [{}]
    combos: list[dict[str, str]] = []
    for group in data:
        if not isinstance(group, dict):
            continue
        names = list(group)
        lists = [v if isinstance(v, list) else [v] for v in group.values()]
        for values in itertools.islice(itertools.product(*lists), 200):
            combos.append({n: str(v) for n, v in zip(names, values, strict=True)})
    return combos or [{}]


def _read_pipeline(scan: Scan, pipeline: _Pipeline) -> None:
    base = _base_state(pipeline)
    default = mapping(pipeline.keys.get("default", (None, None))[1])
    for name, (document, node) in pipeline.keys.items():
        if name in _RESERVED or name.startswith(".") or not isinstance(node, yaml.MappingNode):
            continue
        keys, variables, missing = _resolve_job(pipeline, name)
        if "trigger" in keys:
            continue
        for combo in _matrix(keys):
            state = base.copy()
            for variables_document, variables_node in variables:
                _variables(variables_node, state, variables_document.path)
            for variable, value in combo.items():
                state.export(variable, value)
            label = "matrix " + ", ".join(f"{k}={v}" for k, v in combo.items()) if combo else ""
            _read_job(scan, pipeline, name, keys, default, state, label)
            template_parent = next((m for m in missing if m.startswith(".terraform")), None)
            if template_parent is not None and "script" not in keys and pipeline.templates:
                _wrapper_site(
                    scan, document, node, state, f"extends: {template_parent}", name, label
                )
    for document, node, template in pipeline.templates:
        if _TERRAFORM_TEMPLATE_RE.match(template) and "/Base" not in template:
            _wrapper_site(scan, document, node, base, f"include: template: {template}", "", "")
    for document, node, component, inputs in pipeline.components:
        if "opentofu" in component:
            state = base.copy()
            state.export(
                "TF_ROOT", expand_value(inputs.get("root_dir", "${CI_PROJECT_DIR}"), state)
            )
            _wrapper_site(
                scan,
                document,
                node,
                state,
                f"include: component: {component}",
                "",
                "",
                "gitlab-tofu",
            )
        elif _TERRAFORM_WORDS.search(component):
            _opaque_site(scan, document, node, f"component {component}")
    for document, node, shown in pipeline.external:
        if _TERRAFORM_WORDS.search(shown):
            _opaque_site(scan, document, node, f"included configuration {shown}")


def _read_job(
    scan: Scan,
    pipeline: _Pipeline,
    name: str,
    keys: dict[str, tuple[YamlFile, yaml.Node]],
    default: dict[str, yaml.Node],
    state: ShellState,
    label: str,
) -> None:
    sections: list[list[tuple[YamlFile, yaml.Node]]] = []
    for key in ("before_script", "script"):
        if key in keys:
            document, node = keys[key]
            sections.append(_script_nodes(pipeline, document, node))
        elif key == "before_script":
            fallback = default.get(key)
            holder = pipeline.keys.get("default")
            if fallback is not None and holder is not None:
                sections.append(_script_nodes(pipeline, holder[0], fallback))
            elif "before_script" in pipeline.keys:
                document, node = pipeline.keys["before_script"]
                sections.append(_script_nodes(pipeline, document, node))
    shell = state
    for section in sections:
        for document, node in section:
            shell = scan.run(
                document.script(node), shell, mechanism=Mechanism.GITLAB_CI, job=name, label=label
            )
    after = keys.get("after_script")
    if after is not None:
        fresh = state.copy()
        for document, node in _script_nodes(pipeline, after[0], after[1]):
            fresh = scan.run(
                document.script(node), fresh, mechanism=Mechanism.GITLAB_CI, job=name, label=label
            )


def _wrapper_site(
    scan: Scan,
    document: YamlFile,
    node: yaml.Node,
    state: ShellState,
    command: str,
    job: str,
    label: str,
    program: str = "gitlab-terraform",
) -> None:
    """A GitLab template or component that runs the wrapper in ``$TF_ROOT``."""
    root = state.env.get("TF_ROOT", ROOT)
    directory = join_path(".", root)
    environment = frozenset(state.environment())
    supplied = gitlab_state_values(program)
    if directory is not None and is_literal(directory):
        reach = Reach(plain(directory), supplied=supplied, environment=environment, label=label)
    else:
        reach = Reach(
            None,
            pattern=pattern(directory) if directory is not None else None,
            supplied=supplied,
            environment=environment,
            opaque=(f"TF_ROOT {display(root)} is computed",),
            label=label,
        )
    scan.add_reach(
        Mechanism.GITLAB_CI, document.path, document.line(node), command, program, reach, True, job
    )


def _opaque_site(scan: Scan, document: YamlFile, node: yaml.Node, what: str) -> None:
    reach = Reach(None, opaque=(f"{what} is outside the repository",))
    scan.add_reach(
        Mechanism.GITLAB_CI,
        document.path,
        document.line(node),
        f"include: {what}",
        "include",
        reach,
    )
