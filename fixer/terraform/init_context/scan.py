"""One scan of a repository's init-context files: what every mechanism reader shares.

A :class:`Scan` holds the file texts, composes YAML and parses HCL once per
file, collects problems, and turns the shell parser's findings into
:class:`InitSite` s. Inits found at one line in several runs (a literal
matrix, a ``for`` loop) become one site with several reaches. When a script
calls a Makefile target, another script, a just recipe or a task that is in
the repository, the scan follows it with the caller's directory, environment
and arguments; the callee's inits keep the chain of callers in ``via``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from fixer.syntax import ConfigFile, ParseError, parse
from fixer.terraform.init_context.backend_files import ConfigValues, read_backend_config
from fixer.terraform.init_context.conventions import GITLAB_WRAPPERS, gitlab_state_values
from fixer.terraform.init_context.model import (
    BackendConfigArgument,
    InitSite,
    Mechanism,
    Reach,
    SuppliedValue,
    TerragruntUnit,
)
from fixer.terraform.init_context.shell import (
    ShellCall,
    ShellInit,
    ShellState,
    parse_init_arguments,
    run_script,
    split_words,
)
from fixer.terraform.init_context.source import ScriptSource
from fixer.terraform.init_context.values import (
    display,
    is_literal,
    join_path,
    parameters,
    pattern,
    plain,
    strip_parameters,
)
from fixer.terraform.init_context.yaml_nodes import YamlFile, load_yaml

__all__ = ["Scan", "reach_of"]

_MAX_CALL_DEPTH = 8
_CLI_ARGS = ("TF_CLI_ARGS", "TF_CLI_ARGS_init")
"""Terraform adds these variables' words to every command (and every init) it runs."""
_PLATFORM_VARIABLES = frozenset(
    {
        "CI_PROJECT_DIR",
        "CI_BUILDS_DIR",
        "SYSTEM_DEFAULTWORKINGDIRECTORY",
        "BUILD_SOURCESDIRECTORY",
        "BITBUCKET_CLONE_DIR",
        "CIRCLE_WORKING_DIRECTORY",
        "WORKSPACE",
        "GITHUB_WORKSPACE",
    }
)
"""Variables a CI platform sets itself (the checkout directory): known to scripts,
not something the repository sets for an init."""

Callee = Callable[["Scan", ShellCall, tuple[str, ...]], bool]


@dataclass(slots=True)
class _Pending:
    reaches: list[Reach] = field(default_factory=list)
    backend: bool = True
    roots: set[str | None] = field(default_factory=set)


def reach_of(
    init: ShellInit, *, label: str = "", supplied: Sequence[SuppliedValue] = ()
) -> tuple[Reach, bool]:
    """The reach of one init the shell parser found, and whether it initialises the backend.

    ``TF_CLI_ARGS`` and ``TF_CLI_ARGS_init`` in its environment add arguments,
    as Terraform splits and adds them itself.
    """
    arguments = [BackendConfigArgument(t, w, w, init.base) for t, w in init.arguments]
    reasons = list(init.opaque)
    backend = init.initializes_backend
    for name in _CLI_ARGS:
        value = init.environment.get(name)
        if value is None:
            continue
        configs, flag, unknown = parse_init_arguments(split_words(value))
        arguments = [BackendConfigArgument(t, w, name, init.base) for t, w in configs] + arguments
        reasons.extend(f"{name}: {u} is not known here" for u in unknown)
        backend = backend and flag
    found = parameters(init.directory or "")
    directory: str | None
    if init.directory is None:
        directory, where = None, None
        reasons.append("it runs outside the repository")
    elif is_literal(init.directory):
        directory, where = plain(init.directory), None
    elif display(init.directory).startswith(("/", "~")):
        # `cd /tmp/copy`: a copy of some module, or none; it may be any of them.
        directory, where = None, None
        reasons.append(f"it runs in {display(init.directory)}, outside the repository")
    else:
        directory, where = None, pattern(init.directory)
        reasons.append(f"its directory {display(init.directory)} is computed")
    reach = Reach(
        directory=directory,
        pattern=where,
        arguments=tuple(arguments),
        supplied=tuple(supplied),
        environment=frozenset(init.environment) - _PLATFORM_VARIABLES,
        opaque=tuple(dict.fromkeys(reasons)),
        parameters=tuple(found),
        label=label,
    )
    return reach, backend


class Scan:
    """The shared state of one :func:`build_init_context` run."""

    def __init__(self, files: Mapping[str, str]) -> None:
        self.files = files
        self.problems: list[str] = []
        self.requested: set[str] = set()
        self.units: list[TerragruntUnit] = []
        self.unit_reaches: dict[str, tuple[TerragruntUnit, Reach]] = {}
        self.extra_sites: list[InitSite] = []
        self.reached: set[str] = set()
        self.callees: dict[str, Callee] = {}
        self.configs: dict[str, ConfigValues] = {}
        self.unreadable: dict[str, str] = {}
        self.recursive: set[Reach] = set()
        self.root: str | None = None
        """The file being read on its own, when no caller reached it (see :meth:`sites`)."""
        self._pending: dict[tuple[object, ...], _Pending] = {}
        self._yaml: dict[str, YamlFile | None] = {}
        self._hcl: dict[str, ConfigFile | None] = {}

    # -- files ---------------------------------------------------------------------------

    def text(self, path: str) -> str | None:
        return self.files.get(path)

    def yaml(self, path: str) -> YamlFile | None:
        """The composed YAML file, None (and one problem) when it is not valid YAML."""
        if path not in self._yaml:
            text = self.files.get(path)
            loaded, problem = load_yaml(path, text) if text is not None else (None, None)
            if problem:
                self.problems.append(problem)
            self._yaml[path] = loaded
        return self._yaml[path]

    def hcl(self, path: str) -> ConfigFile | None:
        """The parsed HCL file, None (and one problem) when it does not parse."""
        if path not in self._hcl:
            text = self.files.get(path)
            parsed = None
            if text is not None:
                try:
                    parsed = parse(text, path)
                except ParseError as error:
                    self.problems.append(str(error.with_path(path)))
            self._hcl[path] = parsed
        return self._hcl[path]

    def backend_config(self, path: str) -> None:
        """Read a backend configuration file into ``configs`` (or ``unreadable``)."""
        if path in self.configs or path in self.unreadable:
            return
        text = self.files.get(path)
        if text is None:
            return
        values, problem = read_backend_config(path, text)
        if values is not None:
            self.configs[path] = values
        else:
            self.unreadable[path] = problem or "unreadable"
            self.problems.append(problem or f"{path}:1:1: unreadable")

    def is_script(self, path: str) -> bool:
        return path in self.files and path.endswith((".sh", ".bash"))

    # -- sites ---------------------------------------------------------------------------

    def run(
        self,
        source: ScriptSource,
        state: ShellState,
        *,
        mechanism: Mechanism,
        job: str = "",
        via: tuple[str, ...] = (),
        label: str = "",
        supplied: Sequence[SuppliedValue] = (),
        follow: bool = True,
    ) -> ShellState:
        """Run the shell parser over ``source`` and record what it finds.

        ``supplied`` are values the surrounding mechanism passes to every init
        here (a wrapper's convention). Calls are followed unless ``follow`` is
        False (documentation shows commands, it does not run them).
        """
        inits, calls, state = run_script(source, state, is_script=self.is_script)
        for init in inits:
            self.add(init, mechanism, source.path, job=job, via=via, label=label, supplied=supplied)
        if follow:
            for call in calls:
                self.follow(call, (*via, f"{source.path}:{call.line}"))
        return state

    def add(
        self,
        init: ShellInit,
        mechanism: Mechanism,
        path: str,
        *,
        job: str = "",
        via: tuple[str, ...] = (),
        label: str = "",
        supplied: Sequence[SuppliedValue] = (),
    ) -> None:
        if init.program in GITLAB_WRAPPERS:
            supplied = (*supplied, *gitlab_state_values(init.program))
        reach, backend = reach_of(init, label=label, supplied=supplied)
        self.add_reach(
            mechanism, path, init.line, init.command, init.program, reach, backend, job, via
        )
        if init.program == "terragrunt":
            self._terragrunt_reaches(init, reach)

    def add_reach(
        self,
        mechanism: Mechanism,
        path: str,
        line: int,
        command: str,
        program: str,
        reach: Reach,
        backend: bool = True,
        job: str = "",
        via: tuple[str, ...] = (),
    ) -> None:
        key = (mechanism, path, line, command, program, job, via)
        pending = self._pending.setdefault(key, _Pending())
        if reach not in pending.reaches:
            pending.reaches.append(reach)
        pending.backend = pending.backend and backend
        pending.roots.add(self.root)
        for argument in reach.arguments:
            self.note_file(argument)

    def note_file(self, argument: BackendConfigArgument) -> None:
        """Read the backend configuration file an argument names, or note it as requested."""
        bare = strip_parameters(argument.text)
        if "=" in bare or not is_literal(bare) or argument.base is None:
            return
        base = plain(argument.base)
        if base is None:
            return
        path = join_path(base, bare)
        if path is None:
            return
        if path in self.files:
            self.backend_config(path)
        else:
            self.requested.add(path)

    def _terragrunt_reaches(self, init: ShellInit, reach: Reach) -> None:
        # Terragrunt commands are re-pointed at the units they run once those are known.
        if init.recursive:
            self.recursive.add(reach)

    def sites(self) -> list[InitSite]:
        """Every site recorded, reaches merged per command.

        Sites found only while reading a file on its own are dropped when some
        other file turned out to call that file.
        """
        out = list(self.extra_sites)
        for (mechanism, path, line, command, program, job, via), pending in self._pending.items():
            if None not in pending.roots and pending.roots <= self.reached:
                # Read on its own first, then found called by another file read on
                # its own: the caller's reading (with its `via`) is the one to keep.
                continue
            out.append(
                InitSite(
                    mechanism=mechanism,  # type: ignore[arg-type]
                    path=path,  # type: ignore[arg-type]
                    line=line,  # type: ignore[arg-type]
                    command=command,  # type: ignore[arg-type]
                    program=program,  # type: ignore[arg-type]
                    reaches=tuple(pending.reaches),
                    initializes_backend=pending.backend,
                    via=via,  # type: ignore[arg-type]
                    job=job,  # type: ignore[arg-type]
                )
            )
        return out

    def replace_reaches(self, replace: Callable[[str, Reach], list[Reach] | None]) -> None:
        """Rewrite the reaches of terragrunt commands once the units are known."""
        for key, pending in self._pending.items():
            if key[4] != "terragrunt":
                continue
            new: list[Reach] = []
            for reach in pending.reaches:
                replaced = replace(key[1], reach)  # type: ignore[arg-type]
                new.extend(replaced if replaced is not None else [reach])
            pending.reaches = list(dict.fromkeys(new))

    # -- following calls -----------------------------------------------------------------

    def follow(self, call: ShellCall, via: tuple[str, ...]) -> bool:
        """Follow a call into the repository's Makefile, script, justfile or Taskfile.

        Returns False when there is nothing to follow (not in the repository,
        a computed path, too deep, or a loop).
        """
        if len(via) > _MAX_CALL_DEPTH:
            return False
        handler = self.callees.get(call.kind)
        if handler is None:
            return False
        if call.kind == "script":
            target = plain(call.target) if call.target is not None else None
            if target is None or target not in self.files:
                return False
            if any(v.startswith(f"{target}:") for v in via):
                return False
        return handler(self, call, via)

    def state_for(self, call: ShellCall, *, script: str | None = None) -> ShellState:
        """A child process's shell state: the caller's directory and exported environment."""
        return ShellState(
            cwd=call.cwd,
            env=dict(call.environment),
            exported=set(call.environment),
            positional=list(call.arguments),
            script=script,
        )

    def find_upward(self, directory: str, names: Sequence[str]) -> str | None:
        """The first of ``names`` in ``directory`` or the nearest directory above it, as
        ``just`` and ``task`` look for their files; None when no directory has one."""
        current: str | None = directory
        while current is not None:
            prefix = "" if current == "." else f"{current}/"
            for name in names:
                if f"{prefix}{name}" in self.files:
                    return f"{prefix}{name}"
            current = None if current == "." else join_path(current, "..")
        return None


def follow_script(scan: Scan, call: ShellCall, via: tuple[str, ...]) -> bool:
    """Run a repository script as a call: its arguments are ``$1``... and ``"$@"``."""
    target = plain(call.target or "")
    if target is None:
        return False
    text = scan.text(target)
    if text is None:
        return False
    scan.reached.add(target)
    state = scan.state_for(call, script=target)
    scan.run(
        ScriptSource.plain(target, text), state, mechanism=Mechanism.SCRIPT, job=target, via=via
    )
    return True


def standalone_script(scan: Scan, path: str) -> None:
    """Run a script nobody in the repository calls, as a person would from the root."""
    text = scan.text(path)
    if text is None:
        return
    state = ShellState(cwd=".", positional=None, script=path)
    scan.run(ScriptSource.plain(path, text), state, mechanism=Mechanism.SCRIPT, job=path)
