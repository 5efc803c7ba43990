"""GitHub Actions: workflows, reusable workflows and composite actions in the repository.

Each ``run`` step is read by the shell parser in its working directory
(``working-directory`` of the step, else ``defaults.run`` of the job, else of
the workflow, relative to the workspace root) with the ``env`` of the
workflow, the job and the step. ``${{ }}`` expressions are replaced before
the shell sees the text, as the runner does: ``matrix.*`` per combination of
a literal matrix (``include`` and ``exclude`` honoured), ``env.*`` and
``inputs.*`` when literal in scope, ``github.workspace`` as the root;
``secrets.*``, ``vars.*`` and the rest are known to be there but not visible.
Local composite actions (``uses: ./path``) and reusable workflows
(``jobs.<id>.uses: ./.github/workflows/x.yml``) are followed with their
``with:`` inputs; external reusable workflows and actions that run Terraform
are recorded as opaque. ``hashicorp/setup-terraform`` only installs Terraform.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import yaml

from fixer.terraform.init_context.model import (
    BackendConfigArgument,
    Mechanism,
    Reach,
)
from fixer.terraform.init_context.scan import Scan
from fixer.terraform.init_context.shell import ShellState, parse_init_arguments, split_words
from fixer.terraform.init_context.source import Expanded, substitute
from fixer.terraform.init_context.values import (
    ROOT,
    display,
    is_literal,
    join_path,
    opaque,
    parameter,
    pattern,
    plain,
)
from fixer.terraform.init_context.yaml_nodes import (
    YamlFile,
    key_node,
    mapping,
    scalar,
    sequence,
    to_python,
)

__all__ = ["is_workflow", "read_action", "read_workflow"]

_EXPR_RE = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
_GITHUB_ENV_RE = re.compile(
    r"""echo\s+["']?([A-Za-z_][A-Za-z0-9_]*)=([^"'\n>]*)["']?\s*>>\s*["']?\$\{?GITHUB_ENV"""
)
_MAX_COMBINATIONS = 256
_TERRAFORM_WORDS = re.compile(r"terraform|terragrunt|opentofu|tofu", re.IGNORECASE)
_DIRECTORY_INPUTS = ("path", "working-directory", "working_directory", "tg_dir", "chdir", "dir")


def is_workflow(path: str) -> bool:
    return path.startswith(".github/workflows/") and path.endswith((".yml", ".yaml"))


@dataclass(slots=True)
class _Scope:
    """What ``${{ }}`` can see at one step."""

    path: str
    env: dict[str, str] = field(default_factory=dict)
    matrix: dict[str, object] | None = None
    has_matrix: bool = False
    inputs: dict[str, str] | None = None
    action_dir: str | None = None
    label: str = ""

    def child(self, **changes: object) -> _Scope:
        scope = _Scope(
            self.path,
            dict(self.env),
            self.matrix,
            self.has_matrix,
            self.inputs,
            self.action_dir,
            self.label,
        )
        for key, value in changes.items():
            setattr(scope, key, value)
        return scope


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _evaluate(expression: str, written: str, scope: _Scope) -> str:
    """The value of one ``${{ expression }}``, opaque when it cannot be known here."""
    expression = expression.strip()
    quoted = re.fullmatch(r"'((?:[^']|'')*)'", expression)
    if quoted:
        return quoted.group(1).replace("''", "'")
    if not re.fullmatch(r"[A-Za-z_][\w.-]*(\['[^']*'\][\w.-]*)*", expression):
        return opaque(written)
    names = [s for s in re.split(r"\.|\['|'\]", expression) if s]
    head = names[0] if names else ""
    if head == "matrix" and scope.has_matrix and scope.matrix is not None:
        value: object = scope.matrix
        for name in names[1:]:
            if not isinstance(value, dict) or name not in value:
                return opaque(written)
            value = value[name]
        if value is None or isinstance(value, dict | list):
            return opaque(written)
        return _value(value)
    if head == "env" and len(names) == 2 and names[1] in scope.env:
        return scope.env[names[1]]
    if head == "inputs" or names[:3] == ["github", "event", "inputs"]:
        name = names[-1]
        if scope.inputs is not None and name in scope.inputs and len(names) in (2, 4):
            return scope.inputs[name]
        return opaque(written)
    if names == ["github", "workspace"]:
        return ROOT
    if names == ["github", "action_path"] and scope.action_dir is not None:
        return ROOT + scope.action_dir
    return opaque(written)


def _expand(text: str, scope: _Scope) -> Expanded:
    return substitute(text, _EXPR_RE, lambda m: _evaluate(m.group(1), m.group(0), scope))


def _env(node: yaml.Node | None, scope: _Scope) -> dict[str, str]:
    """An ``env:`` mapping, each value expanded in ``scope`` (which it then extends)."""
    found: dict[str, str] = {}
    items = mapping(node)
    if node is not None and not items and scalar(node) is not None:
        return found  # `env: ${{ fromJSON(...) }}`: nothing known
    for name, value in items.items():
        text = scalar(value)
        found[name] = _expand(text, scope).text if text is not None else opaque(f"env.{name}")
    return found


def _directory(node: yaml.Node | None, scope: _Scope, base: str = ".") -> str | None:
    text = scalar(node)
    if text is None:
        return None
    expanded = _expand(text, scope).text
    return join_path(base, expanded) or opaque(display(expanded))


def matrix_combinations(node: yaml.Node | None) -> list[dict[str, object]] | None:
    """The combinations of a literal ``strategy.matrix``; None when it is computed.

    GitHub's rules: the product of the matrix keys, less each ``exclude`` entry
    that matches, then each ``include`` entry added to every combination whose
    original values it does not change, or appended as a new combination.
    """
    if node is None:
        return [{}]
    data = to_python(node)
    if not isinstance(data, dict):
        return None
    keys = [k for k in data if k not in ("include", "exclude")]
    lists: list[list[object]] = []
    for key in keys:
        values = data[key]
        if not isinstance(values, list):
            return None
        lists.append(values)
    combos: list[dict[str, object]] = [
        dict(zip(keys, values, strict=True))
        for values in itertools.islice(itertools.product(*lists), _MAX_COMBINATIONS)
    ]
    if not keys:
        combos = []
    excludes = data.get("exclude") or []
    if isinstance(excludes, list):
        combos = [
            c
            for c in combos
            if not any(
                isinstance(e, dict) and e and all(c.get(k) == v for k, v in e.items())
                for e in excludes
            )
        ]
    includes = data.get("include") or []
    if isinstance(includes, list):
        for extra in includes:
            if not isinstance(extra, dict):
                continue
            matched = False
            for combo in combos:
                original = {k: combo[k] for k in keys if k in combo}
                if all(original.get(k, v) == v for k, v in extra.items() if k in keys):
                    for k, v in extra.items():
                        if k not in keys:
                            combo[k] = v
                    matched = True
            if not matched:
                combos.append(dict(extra))
    return combos[:_MAX_COMBINATIONS] or [{}]


def _label(combo: dict[str, object]) -> str:
    shown = ", ".join(
        f"{k}={_value(v)}" for k, v in combo.items() if not isinstance(v, dict | list)
    )
    return f"matrix {shown}" if shown else ""


def _input_defaults(node: yaml.Node | None, where: str) -> dict[str, str]:
    """Inputs' literal defaults, each marked as a parameter (the caller may pass another)."""
    found: dict[str, str] = {}
    for name, spec in mapping(node).items():
        default = scalar(mapping(spec).get("default"))
        if default is not None and "${{" not in default:
            found[name] = parameter(name, default, where)
    return found


def read_workflow(
    scan: Scan,
    path: str,
    *,
    inputs: dict[str, str] | None = None,
    via: tuple[str, ...] = (),
) -> None:
    """Read one workflow; ``inputs`` are a caller's ``with:`` values (None: standalone)."""
    document = scan.yaml(path)
    if document is None:
        return
    root = mapping(document.root)
    triggers = mapping(root.get("on"))
    # Defaults fill what a caller does not pass (and everything when read on its own).
    values: dict[str, str] = {}
    for trigger in ("workflow_dispatch", "workflow_call"):
        node = mapping(triggers.get(trigger)).get("inputs")
        values.update(_input_defaults(node, f"{path}:{document.line(node) if node else 1}"))
    values.update(inputs or {})
    scope = _Scope(path, inputs=values)
    scope.env = _env(root.get("env"), scope)
    default_dir = _directory(
        mapping(mapping(root.get("defaults")).get("run")).get("working-directory"), scope
    )
    for job_id, job_node in mapping(root.get("jobs")).items():
        _read_job(scan, document, job_id, mapping(job_node), job_node, scope, default_dir, via)


def _read_job(
    scan: Scan,
    document: YamlFile,
    job_id: str,
    job: dict[str, yaml.Node],
    job_node: yaml.Node,
    workflow: _Scope,
    default_dir: str | None,
    via: tuple[str, ...],
) -> None:
    matrix_node = mapping(job.get("strategy")).get("matrix")
    combos = matrix_combinations(matrix_node)
    for combo in combos if combos is not None else [None]:
        scope = workflow.child(
            matrix=combo, has_matrix=combos is not None, label=_label(combo) if combo else ""
        )
        if "uses" in job:
            _call_workflow(scan, document, job, scope, via)
            continue
        scope.env.update(_env(job.get("env"), scope))
        run_defaults = mapping(mapping(job.get("defaults")).get("run"))
        directory = _directory(run_defaults.get("working-directory"), scope) or default_dir or "."
        shell = scalar(run_defaults.get("shell"))
        _read_steps(
            scan, document, sequence(job.get("steps")), scope, directory, shell, job_id, via
        )


def _read_steps(
    scan: Scan,
    document: YamlFile,
    steps: list[yaml.Node],
    scope: _Scope,
    directory: str,
    shell: str | None,
    job_id: str,
    via: tuple[str, ...],
) -> None:
    job_env = dict(scope.env)
    for step_node in steps:
        step = mapping(step_node)
        step_scope = scope.child(env=dict(job_env))
        step_scope.env.update(_env(step.get("env"), step_scope))
        run = step.get("run")
        if run is not None and scalar(run) is not None:
            text = scalar(run) or ""
            expanded = _expand(text, step_scope)
            if (scalar(step.get("shell")) or shell or "").startswith(("pwsh", "powershell")):
                expanded = _powershell(expanded)
            workdir = _directory(step.get("working-directory"), step_scope) or directory
            state = ShellState(cwd=workdir, env=dict(step_scope.env), exported=set(step_scope.env))
            scan.run(
                document.script(run, expanded),
                state,
                mechanism=Mechanism.GITHUB_ACTIONS,
                job=job_id,
                via=via,
                label=scope.label,
            )
            # A step may set variables for the steps after it.
            for name, value in _GITHUB_ENV_RE.findall(expanded.text):
                job_env[name] = value.strip() if "$" not in value else opaque(value.strip())
            continue
        uses = scalar(step.get("uses"))
        if uses is None:
            continue
        with_values = {
            name: _expand(scalar(node) or "", step_scope).text
            for name, node in mapping(step.get("with")).items()
        }
        line = document.line(step.get("uses"))  # type: ignore[arg-type]
        if uses.startswith("./"):
            action_dir = join_path(".", uses[2:])
            if action_dir is not None:
                read_action(
                    scan,
                    action_dir,
                    inputs=with_values,
                    env=step_scope.env,
                    via=(*via, f"{document.path}:{line}"),
                    label=scope.label,
                    job=job_id,
                )
            continue
        name = uses.split("@", 1)[0].lower()
        if name == "aws-actions/configure-aws-credentials" and "aws-region" in with_values:
            # The action exports AWS_REGION and AWS_DEFAULT_REGION for the steps after it.
            for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):
                job_env[variable] = with_values["aws-region"]
        elif (
            _TERRAFORM_WORDS.search(name)
            and "setup-" not in name
            and not uses.startswith("docker://")
        ):
            _external_action(
                scan, document, step_node, uses, with_values, directory, scope, job_id, via
            )


def _powershell(expanded: Expanded) -> Expanded:
    # PowerShell continues lines with a backtick and reads variables as $env:NAME.
    def replace(match: re.Match[str]) -> str:
        return "\\" if match.group(0).startswith("`") else "${" + match.group(1) + "}"

    inner = substitute(expanded.text, re.compile(r"`(?=\r?\n)|\$env:(\w+)"), replace)
    if not inner.spans:
        return expanded
    if expanded.spans:
        # Both layers rewrote text: keep the outer map, lines stay right.
        return Expanded(inner.text, expanded.original, expanded.spans)
    return inner


def _external_action(
    scan: Scan,
    document: YamlFile,
    step_node: yaml.Node,
    uses: str,
    with_values: dict[str, str],
    directory: str,
    scope: _Scope,
    job_id: str,
    via: tuple[str, ...],
) -> None:
    """An action from another repository that runs Terraform: recorded, not followed."""
    step = mapping(step_node)
    where = next((with_values[k] for k in _DIRECTORY_INPUTS if k in with_values), None)
    target = join_path(directory, where) if where is not None else directory
    arguments: list[BackendConfigArgument] = []
    for key in ("backend_config", "backend-config"):
        for line in (with_values.get(key) or "").replace(",", "\n").splitlines():
            if line.strip():
                arguments.append(
                    BackendConfigArgument(
                        line.strip(), f"{key}: {line.strip()}", f"{uses} input {key}", target
                    )
                )
    for key in ("backend_config_file", "backend-config-file"):
        for line in (with_values.get(key) or "").replace(",", "\n").splitlines():
            if line.strip():
                arguments.append(
                    BackendConfigArgument(
                        line.strip(), f"{key}: {line.strip()}", f"{uses} input {key}", "."
                    )
                )
    reason = f"the action {display(uses)} runs init itself; what else it passes is not known"
    reach = _reach_at(target, tuple(arguments), frozenset(scope.env), reason, scope.label)
    line = document.line(step.get("uses"))  # type: ignore[arg-type]
    scan.add_reach(
        Mechanism.GITHUB_ACTIONS,
        document.path,
        line,
        f"uses: {uses}",
        "action",
        reach,
        True,
        job_id,
        via,
    )


def _reach_at(
    directory: str | None,
    arguments: tuple[BackendConfigArgument, ...],
    environment: frozenset[str],
    reason: str,
    label: str,
) -> Reach:
    """The reach of something that runs init where nothing here can see how."""
    if directory is not None and is_literal(directory):
        return Reach(plain(directory), None, arguments, (), environment, (reason,), label=label)
    where = pattern(directory) if directory is not None else None
    return Reach(None, where, arguments, (), environment, (reason,), label=label)


def _call_workflow(
    scan: Scan,
    document: YamlFile,
    job: dict[str, yaml.Node],
    scope: _Scope,
    via: tuple[str, ...],
) -> None:
    uses = scalar(job.get("uses")) or ""
    line = document.line(job["uses"])
    with_values = {
        name: _expand(scalar(node) or "", scope).text
        for name, node in mapping(job.get("with")).items()
    }
    if uses.startswith("./"):
        target = join_path(".", uses[2:].split("@", 1)[0])
        if target is not None and scan.text(target) is not None:
            if any(v.startswith(f"{target}:") for v in via):
                return
            scan.reached.add(target)
            read_workflow(scan, target, inputs=with_values, via=(*via, f"{document.path}:{line}"))
        return
    # A reusable workflow from another repository: whether and how it runs init
    # cannot be seen. Record it when it looks like Terraform at all.
    shown = " ".join([uses, *with_values, *with_values.values()])
    if not _TERRAFORM_WORDS.search(display(shown)) and "init" not in shown:
        return
    where = next((with_values[k] for k in _DIRECTORY_INPUTS if k in with_values), None)
    directory = join_path(".", where) if where is not None else None
    arguments = []
    for key, value in with_values.items():
        if "backend" in key.lower():
            configs, _, _ = (
                parse_init_arguments(split_words(value))
                if value.lstrip().startswith("-")
                else ([], True, [])
            )
            arguments.extend(
                BackendConfigArgument(t, w, f"{uses} input {key}", directory) for t, w in configs
            )
    # A reusable workflow inherits no env from its caller.
    reach = _reach_at(
        directory, tuple(arguments), frozenset(), f"reusable workflow {uses}", scope.label
    )
    scan.add_reach(
        Mechanism.GITHUB_ACTIONS, document.path, line, f"uses: {uses}", "reusable-workflow", reach
    )


def read_action(
    scan: Scan,
    action_dir: str,
    *,
    inputs: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
    via: tuple[str, ...] = (),
    label: str = "",
    job: str = "",
) -> bool:
    """Read a composite action's ``run`` steps (``action.yml`` or ``action.yaml`` in ``action_dir``).

    ``inputs`` are the caller's ``with:`` values (defaults fill the rest, as
    parameters); None reads it standalone. Returns False when there is no such
    composite action.
    """
    path = (
        next(
            (
                p
                for p in (f"{action_dir}/action.yml", f"{action_dir}/action.yaml")
                if p in scan.files
            ),
            None,
        )
        if action_dir != "."
        else next((p for p in ("action.yml", "action.yaml") if p in scan.files), None)
    )
    if path is None or any(v.startswith(f"{path}:") for v in via):
        return False
    document = scan.yaml(path)
    if document is None:
        return False
    if inputs is not None:
        scan.reached.add(path)
    root = mapping(document.root)
    runs = mapping(root.get("runs"))
    if (scalar(runs.get("using")) or "") != "composite":
        return False
    declared = key_node(document.root, "inputs")
    values = _input_defaults(
        root.get("inputs"), f"{path}:{document.line(declared) if declared else 1}"
    )
    values.update(inputs or {})
    if inputs is None:
        for name in mapping(root.get("inputs")):
            values.setdefault(name, opaque(f"${{{{ inputs.{name} }}}}"))
    scope = _Scope(path, env=dict(env or {}), inputs=values, action_dir=action_dir, label=label)
    _read_steps(scan, document, sequence(runs.get("steps")), scope, ".", None, job or path, via)
    return True
