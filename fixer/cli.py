"""The command line: typer commands, options and exit codes.

This is the only layer that prints. Commands import the layers they need lazily,
so ``backend-fixer --version`` and ``--help`` stay fast and never build the
parser. Exit codes: 0 clean (or written), 1 findings (or changes a dry run
would make), 2 errors (a file could not be read, parsed or written; bad usage).
No traceback reaches the user unless ``--debug`` is given.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import typer

from fixer import __version__

if TYPE_CHECKING:
    from fixer.fixes.plan import FixOptions
    from fixer.runner.config import Config
    from fixer.runner.engine import ModuleResult, Runner, RunOptions

app = typer.Typer(
    name="backend-fixer",
    help="Find Terraform backend configurations that cannot initialise unattended, and fix "
    "them.\n\nExit codes: 0 clean, 1 findings (or changes a dry run would make), 2 errors. "
    "Every error is one line on stderr: backend-fixer: error: ...",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    # click itself suggests the command meant; typer's own suggestion would repeat it.
    suggest_commands=False,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github", "gitlab")


class _State:
    debug = False
    # --quiet: findings, diffs and errors only; no summary, warnings or progress lines.
    quiet = False


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"backend-fixer {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version_callback,
        is_eager=True,
        help="Show the version and exit.",
    ),
    debug: bool = typer.Option(
        False, "--debug", help="Show Python tracebacks for internal errors."
    ),
) -> None:
    """Find Terraform backend configurations that cannot initialise unattended, and fix them."""
    _State.debug = debug
    # Set per command by its --quiet; a command without one (restore) is never quiet.
    _State.quiet = False


# -- shared options -----------------------------------------------------------------------

PathsArgument = typer.Argument(
    None, help="Files or directories to check (default: the current directory)."
)
SelectOption = typer.Option(
    None,
    "--select",
    help="Only these rules (codes, names or code prefixes); repeatable or comma-separated.",
)
IgnoreOption = typer.Option(
    None, "--ignore", help="Skip these rules; repeatable or comma-separated."
)
DialectOption = typer.Option(
    None, "--dialect", help="terraform or opentofu (default: detected per module)."
)
VersionOption = typer.Option(
    None,
    "--terraform-version",
    help="Judge versions against this version or constraint, not required_version.",
)
NoIgnoreOption = typer.Option(
    False, "--no-ignore", help="Also walk files that .gitignore excludes."
)
ExcludeOption = typer.Option(
    None,
    "--exclude",
    help="Leave out paths matching this gitignore-style pattern, besides the config "
    "file's exclude; repeatable.",
)
ForceExcludeOption = typer.Option(
    False,
    "--force-exclude",
    help="Leave out excluded files even when named as PATHs (what the pre-commit hooks use).",
)
JobsOption = typer.Option(
    None, "--jobs", "-j", min=1, help="Worker processes (default: the number of CPUs)."
)
ConfigOption = typer.Option(
    None,
    "--config",
    help="Config file (default: nearest .backend-fixer.toml or pyproject.toml); it may set "
    "select, ignore, fail-on, exclude, per-file-ignores, mode and more (see the README).",
)
ColorOption = typer.Option("auto", "--color", help="Colour output: auto, always or never.")
FailOnOption = typer.Option(
    None,
    "--fail-on",
    help="The lowest severity that makes the exit code 1: error, warning or info "
    "(default: warning; an info finding, a backend its pipelines serve, is a note).",
)
WholeModuleOption = typer.Option(
    False,
    "--whole-module",
    help="Files named as PATHs stand for their whole modules: every file of their "
    "directories is reported and fixed, not only them (what the pre-commit hooks use).",
)
StdinFilenameOption = typer.Option(
    None,
    "--stdin-filename",
    help="The path of the text read from standard input (PATH -), for editors: findings "
    "name it, and its module is the files beside it on disk.",
)
QuietOption = typer.Option(
    False,
    "--quiet",
    "-q",
    help="Print only findings (check) or diffs (fix) and errors: no summary, no warnings.",
)
ShowFixesOption = typer.Option(
    False,
    "--show-fixes",
    help="List the fix each finding would get (check), or each fix made (fix).",
)
ExitZeroOption = typer.Option(
    False,
    "--exit-zero",
    help="Exit 0 even with findings (or changes a dry run would make); errors still exit 2.",
)


PROGRAM = "backend-fixer"


def _error(message: object) -> None:
    """One line on stderr in the one error format: ``backend-fixer: error: ...``."""
    typer.echo(f"{PROGRAM}: error: {message}", err=True)


def _warning(message: object) -> None:
    if not _State.quiet:
        typer.echo(f"{PROGRAM}: warning: {message}", err=True)


def _fail(message: str) -> typer.Exit:
    """Print ``message`` as an error; the caller raises the returned exit (code 2)."""
    _error(message)
    return typer.Exit(EXIT_ERROR)


def _load_config(config_path: Path | None, paths: Sequence[str]) -> Config:
    from fixer.runner.config import ConfigError, find_config, load_config

    try:
        path = config_path or find_config(Path(paths[0]) if paths else Path.cwd())
        return load_config(path)
    except ConfigError as error:
        raise _fail(str(error)) from None


def _pairs(items: Sequence[str] | None) -> dict[str, str]:
    """``--set`` pairs; an empty value is a usage error.

    The keys are judged with the run's options (a key no backend type has is
    a usage error there); a key some backend types have and a module's backend
    lacks is that module's problem, named when it is completed.
    """
    result: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise _fail(f"--set takes KEY=VALUE, not {item!r}")
        key = key.strip()
        if not value.strip():
            raise _fail(
                f"--set {key}= is empty: init rejects or ignores an empty value; give the real one"
            )
        result[key] = value
    return result


def _backend_config(path: Path | None) -> tuple[dict[str, Any], str]:
    """The constant values of a ``--backend-config`` file, as Terraform would read it."""
    if path is None:
        return {}, "--backend-config"
    from fixer.runner.engine import read_backend_config

    try:
        return read_backend_config(path)
    except ValueError as error:
        raise _fail(str(error)) from None


def _read_stdin(paths: Sequence[str] | None, stdin_filename: str | None) -> bytes | None:
    """Standard input's bytes when the one PATH is ``-`` (or only --stdin-filename is given)."""
    given = list(paths or [])
    if "-" in given and given != ["-"]:
        raise _fail("- (standard input) is the only PATH when given")
    if stdin_filename is not None and given not in ([], ["-"]):
        raise _fail("--stdin-filename names the text read from standard input: give - as PATH")
    if given != ["-"] and stdin_filename is None:
        return None
    return sys.stdin.buffer.read()


def _rule_keys(values: Sequence[str] | None) -> tuple[str, ...]:
    """``--select A --select B,C`` as ``(A, B, C)``: repeated or comma-separated, as in ruff."""
    return tuple(key.strip() for value in values or () for key in value.split(",") if key.strip())


def _run_options(
    config: Config,
    paths: Sequence[str] | None,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    dialect: str | None,
    terraform_version: str | None,
    no_ignore: bool,
    jobs: int | None,
    exclude: Sequence[str] | None = None,
    **extra: Any,
) -> RunOptions:
    from fixer.runner.discovery import Exclusion
    from fixer.runner.engine import PerFileIgnore, RunOptions

    default_jobs = config.get("jobs") or os.cpu_count() or 1
    # The config file's patterns are relative to its directory, the command line's to here.
    base = str(config.path.parent.resolve()) if config.path is not None else os.getcwd()
    exclusions = []
    if config.get("exclude"):
        exclusions.append(Exclusion(base, tuple(config.get("exclude"))))
    if exclude:
        exclusions.append(Exclusion(os.getcwd(), tuple(exclude)))
    per_file = tuple(
        PerFileIgnore(base, pattern, tuple(rules))
        for pattern, rules in config.get("per-file-ignores", {}).items()
    )
    return RunOptions(
        paths=tuple(paths or ["."]),
        select=_rule_keys(select) or tuple(config.get("select", [])),
        ignore=_rule_keys(ignore) or tuple(config.get("ignore", [])),
        dialect=dialect or config.get("dialect"),
        terraform_version=terraform_version or config.get("terraform-version"),
        honour_gitignore=not no_ignore and config.get("respect-gitignore", True),
        jobs=jobs or default_jobs,
        templates=config.values,
        raise_internal_errors=_State.debug,
        declared_inits=_declared_inits(config),
        exclude=tuple(exclusions),
        per_file_ignores=per_file,
        **extra,
    )


def _declared_inits(config: Config) -> tuple[Any, ...]:
    """The config file's ``[[init]]`` entries as the init context takes them."""
    from fixer.terraform.init_context import DeclaredInit

    label = f"[[init]] in {config.path.name}" if config.path is not None else "[[init]]"
    return tuple(
        DeclaredInit(
            modules=tuple(entry["modules"]),
            backend_config=tuple(entry.get("backend-config", ())),
            label=entry.get("label", label),
        )
        for entry in config.declared_inits
    )


def _fix_options(
    config: Config,
    mode: str | None,
    unsafe: bool,
    keep_dynamodb_table: bool = False,
    readme: bool = False,
) -> FixOptions:
    """The fix options from the command line, falling back to the config file."""
    from fixer.fixes.plan import FixOptions

    try:
        return FixOptions(
            mode=mode or config.get("mode", "comment"),
            unsafe=unsafe or config.get("unsafe", False),
            keep_dynamodb_table=keep_dynamodb_table or config.get("keep-dynamodb-table", False),
            readme=readme,
        )
    except ValueError as error:
        raise _fail(str(error)) from None


def _values_options(sets: Sequence[str] | None, backend_config: Path | None) -> dict[str, Any]:
    """The RunOptions fields that carry backend values (--set, --backend-config)."""
    values, name = _backend_config(backend_config)
    return {"sets": _pairs(sets), "backend_config": values, "backend_config_name": name}


def _runner(options: RunOptions) -> Runner:
    from fixer.runner.engine import Runner

    try:
        runner = Runner(options)
    except ValueError as error:
        raise _fail(str(error)) from None
    for warning in runner.warnings:
        _warning(warning)
    return runner


def _stream(runner: Runner) -> Iterator[ModuleResult]:
    """Results, with a progress bar on a terminal when the run is long (never in CI logs)."""
    long_run = len(runner.modules) >= 200
    if not (long_run and sys.stderr.isatty() and not os.environ.get("CI")):
        yield from runner.results()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("checking modules"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True, console=_stderr_console()) as progress:
        task = progress.add_task("modules", total=len(runner.modules))
        for result in runner.results():
            progress.advance(task)
            yield result


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _color(option: str) -> bool:
    from fixer.output import should_use_color

    if option not in ("auto", "always", "never"):
        raise _fail(f"--color takes auto, always or never, not {option!r}")
    return should_use_color(option, is_tty=sys.stdout.isatty(), env=os.environ)


def _write_bytes(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _os_reason(path: Path, error: OSError) -> str:
    """Why ``path`` cannot be written, in words: a file in the way of a directory is named."""
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} is not a directory"
            break
    return error.strerror or type(error).__name__


def _write_out(text: str, output: Path | None = None) -> None:
    """Write ``text`` byte for byte: CRLF and ANSI codes pass through untouched.

    An ``output`` file's missing parent directories are created (as ruff does),
    so a CI step can name ``reports/backend.sarif``; a file that still cannot be
    written is a one-line error with exit code 2.
    """
    if output is not None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            raise _fail(
                f"cannot write the report to {output}: {_os_reason(output, error)}"
            ) from None
        return
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _report_warnings(runner: Runner) -> None:
    """The warnings the run found on its way: pipeline files the init context could not read."""
    for warning in runner.context_warnings:
        _warning(warning)


SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class _ExitPolicy:
    """Which outcomes make the exit code 1: findings at or above ``fail_on``, pending changes.

    ``exit_zero`` turns both into 0 (ruff's ``--exit-zero``); errors that stop
    a file or module from being handled are 2 whatever the policy.
    """

    fail_on: str = "warning"
    exit_zero: bool = False

    def fails(self, finding: Any) -> bool:
        return SEVERITIES.index(finding.severity.value) <= SEVERITIES.index(self.fail_on)

    def code(self, *, errors: bool, findings: Sequence[Any] = (), pending: bool = False) -> int:
        if errors:
            return EXIT_ERROR
        if self.exit_zero:
            return EXIT_CLEAN
        if pending or any(self.fails(f) for f in findings):
            return EXIT_FINDINGS
        return EXIT_CLEAN


def _exit_policy(config: Config, fail_on: str | None, exit_zero: bool) -> _ExitPolicy:
    # Info findings (a backend its pipelines serve) are notes, not failures, by default.
    value = fail_on or config.get("fail-on", "warning")
    if value not in SEVERITIES:
        raise _fail(f"--fail-on takes {', '.join(SEVERITIES)}, not {value!r}")
    return _ExitPolicy(value, exit_zero)


def _report_problems(problems: Sequence[Any]) -> None:
    for problem in problems:
        _error(problem)


# -- check ------------------------------------------------------------------------------------


@app.command(short_help="Report backend problems as path:line:col: CODE message.")
def check(
    paths: list[str] | None = PathsArgument,
    output_format: str = typer.Option(
        None, "--format", "-f", help="text, json, sarif, github or gitlab."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the report to this file."
    ),
    select: list[str] | None = SelectOption,
    ignore: list[str] | None = IgnoreOption,
    dialect: str | None = DialectOption,
    terraform_version: str | None = VersionOption,
    no_ignore: bool = NoIgnoreOption,
    exclude: list[str] | None = ExcludeOption,
    force_exclude: bool = ForceExcludeOption,
    jobs: int | None = JobsOption,
    config_path: Path | None = ConfigOption,
    color: str = ColorOption,
    show_notes: bool = typer.Option(
        True, "--notes/--no-notes", help="Print the notes below each finding."
    ),
    fail_on: str | None = FailOnOption,
    exit_zero: bool = ExitZeroOption,
    whole_module: bool = WholeModuleOption,
    quiet: bool = QuietOption,
    statistics: bool = typer.Option(
        False,
        "--statistics",
        help="Print the number of findings per rule instead of each finding "
        "(--format text or json).",
    ),
    show_fixes: bool = ShowFixesOption,
    stdin_filename: str | None = StdinFilenameOption,
) -> None:
    """Report backend problems as path:line:col: CODE message.

    PATH - reads the text to check from standard input (with --stdin-filename
    naming it). A path without Terraform files is a warning. Exit code 0 when
    clean, 1 when there are findings (at or above --fail-on; 0 with
    --exit-zero), 2 when a file could not be read or parsed (the other files
    are still checked). The code is the same in every --format.
    """
    stdin = _read_stdin(paths, stdin_filename)
    config = _load_config(config_path, [stdin_filename] if stdin_filename else paths or [])
    fmt = output_format or config.get("format", "text")
    if fmt not in FORMATS:
        raise _fail(f"--format takes {', '.join(FORMATS)}, not {fmt!r}")
    if statistics and fmt not in ("text", "json"):
        raise _fail(f"--statistics prints text or json, not {fmt}")
    policy = _exit_policy(config, fail_on, exit_zero)
    _State.quiet = quiet
    style = _ReportStyle(fmt, output, color, show_notes, show_fixes, quiet, statistics)
    options = _run_options(
        config,
        paths,
        select,
        ignore,
        dialect,
        terraform_version,
        no_ignore,
        jobs,
        exclude,
        attach_fixes=style.needs_fixes,
        # The text format counts and describes fixes; JSON and SARIF show their edits.
        exact_fixes=style.fmt != "text",
        whole_module=whole_module,
        stdin=stdin,
        stdin_filename=stdin_filename,
        force_exclude=force_exclude,
    )
    from fixer.runner.engine import RunTally

    runner = _runner(options)
    tally = RunTally.of(runner)
    for result in _stream(runner):
        tally.add(result)
    _report_warnings(runner)
    findings, problems = tally.findings, tally.problems
    _report_problems(problems)
    if runner.modules or problems or style.fmt != "text":
        # Nothing to check at all: the warning said so; "No problems found" would mislead.
        _emit_report(style, findings, problems)
    raise typer.Exit(policy.code(errors=bool(problems), findings=findings))


@dataclass(frozen=True, slots=True)
class _ReportStyle:
    """How ``check`` reports: the format, where to, and what the text format shows."""

    fmt: str
    output: Path | None
    color: str
    notes: bool
    fixes: bool
    quiet: bool
    statistics: bool

    @property
    def needs_fixes(self) -> bool:
        """Whether findings must carry their fixes: JSON and SARIF list them; the text
        summary and --statistics count them, --show-fixes prints them."""
        if self.fmt in ("json", "sarif"):
            return True
        return self.fmt == "text" and (not self.quiet or self.fixes or self.statistics)


def _emit_report(style: _ReportStyle, findings: Sequence[Any], problems: Sequence[Any]) -> None:
    from fixer.output import (
        SkippedFile,
        render_github,
        render_gitlab,
        render_json,
        render_sarif,
        render_statistics,
        render_text,
        statistics,
        summary_line,
    )
    from fixer.rules.catalog import all_rules

    # File problems already end in "skipped"; the report says it once.
    skipped = [
        SkippedFile(p.path, p.message.removesuffix(", skipped"), p.line, p.column) for p in problems
    ]
    rules = [r.info for r in all_rules()]
    root = os.getcwd()
    fmt, output = style.fmt, style.output
    color = _color(style.color) and output is None
    if style.statistics and fmt == "json":
        text = json.dumps(statistics(findings), indent=2, ensure_ascii=False) + "\n"
    elif style.statistics:
        text = render_statistics(findings, color=color)
        if not style.quiet:
            text += ("\n" if text else "") + summary_line(findings, skipped=len(skipped)) + "\n"
    elif fmt == "text":
        # Files that could not be checked are errors on stderr; the report only counts them.
        text = render_text(
            findings,
            show_notes=style.notes,
            color=color,
            skipped=skipped,
            list_skipped=False,
            show_fixes=style.fixes,
            summary=not style.quiet,
        )
    elif fmt == "github":
        text = render_github(findings, skipped=skipped)
    elif fmt == "gitlab":
        issues = render_gitlab(findings, root=root, skipped=skipped)
        text = json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "json":
        document = render_json(
            findings, rules, tool_version=__version__, root=root, skipped=skipped
        )
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        document = render_sarif(findings, rules, __version__, root=root, skipped=skipped)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    _write_out(text, output)


# -- fix ----------------------------------------------------------------------------------------


ModeOption = typer.Option(None, "--mode", "-m", help="comment (default), complete or override.")
SetOption = typer.Option(
    None, "--set", help="A backend value for complete mode, KEY=VALUE; repeatable."
)
BackendConfigOption = typer.Option(
    None, "--backend-config", help="A .tfbackend file whose values complete the backend."
)


@app.command(short_help="Fix backend problems: print the diff, or change the files (--write).")
def fix(
    paths: list[str] | None = PathsArgument,
    mode: str | None = ModeOption,
    write: bool = typer.Option(
        False, "--write", "-w", help="Change the files in place (default: print a diff)."
    ),
    sets: list[str] | None = SetOption,
    backend_config: Path | None = BackendConfigOption,
    unsafe: bool = typer.Option(False, "--unsafe", help="Also apply fixes marked unsafe."),
    keep_dynamodb_table: bool = typer.Option(
        False,
        "--keep-dynamodb-table",
        help="Add use_lockfile but keep dynamodb_table while migrating.",
    ),
    readme: bool = typer.Option(
        False, "--readme", help="Add or update a section in the module's README.md on its backend."
    ),
    verify: bool = typer.Option(
        False,
        "--verify",
        help="Run `terraform init -backend=false` and `terraform validate` in each changed "
        "module (on a temporary copy in a dry run); a failure makes the exit code 2.",
    ),
    select: list[str] | None = SelectOption,
    ignore: list[str] | None = IgnoreOption,
    dialect: str | None = DialectOption,
    terraform_version: str | None = VersionOption,
    no_ignore: bool = NoIgnoreOption,
    exclude: list[str] | None = ExcludeOption,
    force_exclude: bool = ForceExcludeOption,
    jobs: int | None = JobsOption,
    config_path: Path | None = ConfigOption,
    color: str = ColorOption,
    fail_on: str | None = FailOnOption,
    exit_zero: bool = ExitZeroOption,
    whole_module: bool = WholeModuleOption,
    quiet: bool = QuietOption,
    show_fixes: bool = ShowFixesOption,
    stdin_filename: str | None = StdinFilenameOption,
    output_format: str = typer.Option(
        "text",
        "--format",
        "-f",
        help="text (diffs and a summary) or json (the planned changes: each file's old and "
        "new text, its diff and the findings it fixes).",
    ),
) -> None:
    """Fix backend problems: print the diff (dry run), or change the files with --write.

    PATH - fixes the text read from standard input: a dry run prints its diff,
    --write prints the fixed text. Exit code 0 when nothing is left to do; 1
    when a dry run would change something, or findings (at or above --fail-on)
    remain that the fix leaves alone, as ruff check --fix does; 2 on errors.
    """
    if output_format not in ("text", "json"):
        raise _fail(f"fix --format takes text or json, not {output_format!r}")
    stdin = _read_stdin(paths, stdin_filename)
    config = _load_config(config_path, [stdin_filename] if stdin_filename else paths or [])
    policy = _exit_policy(config, fail_on, exit_zero)
    _State.quiet = quiet
    fix_options = _fix_options(config, mode, unsafe, keep_dynamodb_table, readme)
    options = _run_options(
        config,
        paths,
        select,
        ignore,
        dialect,
        terraform_version,
        no_ignore,
        jobs,
        exclude,
        fix=fix_options,
        force_exclude=force_exclude,
        # Standard input is never written back: --write prints the fixed text instead.
        write=write and stdin is None,
        whole_module=whole_module,
        stdin=stdin,
        stdin_filename=stdin_filename,
        **_values_options(sets, backend_config),
    )
    _apply_and_report(
        _runner(options),
        write and stdin is None,
        color,
        verify=verify,
        policy=policy,
        show_fixes=show_fixes,
        stdin_echo=stdin if write else None,
        fmt=output_format,
    )


def _finding_key(finding: Any) -> tuple[str, int, str, str]:
    # Applied findings carry the fix they got attached; their place and words identify them.
    return (finding.location.path, finding.location.start, finding.code, finding.message)


def _unfixed_reason(finding: Any) -> str:
    """Why a finding got no fix, when the planner gave no reason of its own."""
    from fixer.rules.catalog import rule_by_key

    rule = rule_by_key(finding.code)
    if rule is None or not rule.info.fixable:
        return f"no automatic fix (`backend-fixer rules {finding.code}` says what to do)"
    if finding.location.path.endswith(".json"):
        return "its fix edits native syntax (.tf) only, not JSON"
    return "no fix applies here"


def _left_alone(result: ModuleResult, cwd: str, written: bool) -> tuple[list[Any], list[Any]]:
    """What one module keeps after its fix: the findings, and those to list with a reason.

    The findings are the second run's on the fixed texts (what ``check`` would
    say afterwards), or all of them when nothing changes. Each finding the fix
    did not apply and that is still there is listed, at its place after the
    fix when it was written, with the planner's reason; a finding that went
    away with the fix (its block commented out) is not. A module with problems
    lists nothing: its error lines say why nothing changed. Findings the fixed
    text has and the original had not are listed too (at their place only when
    written: in a dry run the place is in text not on disk).
    """
    from fixer.output import SkippedFile, display_path

    remaining = list(result.remaining if result.remaining is not None else result.findings)
    if result.problems:
        return remaining, []
    applied = {_finding_key(f) for f in result.applied}
    reasons = {_finding_key(s.finding): s.reason for s in result.skipped}
    # Locations move when the file changes, so a finding is matched by file and rule.
    still: dict[tuple[str, str], list[Any]] = {}
    for finding in remaining:
        still.setdefault((finding.location.path, finding.code), []).append(finding)
    left = []
    for finding in result.findings:
        key = _finding_key(finding)
        candidates = still.get((finding.location.path, finding.code))
        if key in applied or not candidates:
            continue
        after = candidates.pop(0)
        location = (after if written else finding).location
        reason = reasons.get(key) or _unfixed_reason(finding)
        left.append(
            SkippedFile(
                display_path(location.path, cwd),
                f"{finding.code}: {reason}",
                location.line,
                location.column,
            )
        )
    # What the fixed text has that the original had not (a value the fix wrote
    # that some admitted version deprecates): it remains too, so it is listed.
    for findings in still.values():
        for finding in findings:
            location = finding.location
            shown = location if written else None
            left.append(
                SkippedFile(
                    display_path(location.path, cwd),
                    f"{finding.code}: appears with the fix ({finding.name}); "
                    "`backend-fixer check` explains",
                    shown.line if shown else None,
                    shown.column if shown else None,
                )
            )
    return remaining, left


def _apply_and_report(
    runner: Runner,
    write: bool,
    color: str,
    verify: bool = False,
    policy: _ExitPolicy | None = None,
    show_fixes: bool = False,
    stdin_echo: bytes | None = None,
    fmt: str = "text",
) -> None:
    """Stream the results of a fix or restore run: diffs, then errors, summary, verification.

    ``stdin_echo`` (``fix - --write``) holds the text read from standard input:
    the fixed text is printed instead of a diff (the original when nothing
    changes), as formatters do for editors. ``fmt`` ``json`` prints one
    document of the whole run instead of diffs and summary.
    """
    from fixer.output import (
        ChangedFile,
        SkippedFile,
        display_path,
        fix_summary,
        render_fix_json,
        unified_diff,
    )
    from fixer.pipeline import Problem
    from fixer.runner.engine import RunTally

    policy = policy or _ExitPolicy()
    use_color = _color(color)
    tally = RunTally.of(runner)
    changed: list[str] = []
    left_alone: list[Any] = []
    remaining: list[Any] = []
    echoed: str | None = None
    changed_files: list[Any] = []
    to_verify: list[tuple[str, dict[str, str] | None]] = []
    cwd = os.getcwd()
    for result in _stream(runner):
        tally.add(result)
        if verify and result.files:
            # Written modules are checked in place; a dry run's on a copy with the new texts.
            written = all(file.written for file in result.files)
            texts = (
                None
                if written
                else {f.path: f.new_text for f in result.files if f.new_text is not None}
            )
            to_verify.append((result.directory, texts))
        for warning in result.warnings:
            _warning(warning)
        after, left = _left_alone(result, cwd, write)
        remaining.extend(after)
        left_alone.extend(left)
        for file in result.files:
            shown = display_path(file.path, cwd)
            changed.append(f"{shown} (deleted)" if file.deleted else shown)
            if fmt == "json":
                changed_files.append(
                    ChangedFile(file.path, file.old_text, file.new_text, file.written)
                )
                continue
            if stdin_echo is not None:
                if file.path != runner.options.stdin_path:
                    tally.problems.append(
                        Problem(file.path, "not changed: fix - --write prints the standard input")
                    )
                elif file.new_text is not None:
                    echoed = file.new_text
                continue
            if not write:
                diff = unified_diff(
                    file.old_text or "",
                    file.new_text or "",
                    shown,
                    color=use_color,
                    created=file.old_text is None,
                    deleted=file.deleted,
                )
                _write_out(diff)
    problems = tally.problems
    if fmt == "json":
        document = render_fix_json(
            changed_files,
            tally.applied,
            left_alone,
            [SkippedFile(display_path(p.path, cwd), p.message, p.line, p.column) for p in problems],
            tool_version=__version__,
            mode=runner.options.fix.mode.value if runner.options.fix else None,
            written=write,
            cwd=cwd,
        )
        _write_out(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    elif stdin_echo is not None:
        _write_bytes(echoed.encode("utf-8") if echoed is not None else stdin_echo)
    _report_warnings(runner)
    # The errors first: a summary that says "Nothing to change." reads as the end of it.
    _report_problems(problems)
    fixed = [
        SkippedFile(
            display_path(f.location.path, cwd),
            f"{f.code} {f.fixes[0].description if f.fixes else f.name}",
            f.location.line,
            f.location.column,
        )
        for f in tally.applied
    ]
    if not _State.quiet and fmt == "text" and (runner.modules or problems):
        summary = fix_summary(
            changed,
            tally.applied,
            left_alone,
            # The fixed standard input went out whole: "Changed", as for a written file.
            written=write or stdin_echo is not None,
            color=use_color,
            fixed=fixed if show_fixes else (),
        )
        sys.stderr.write(summary)
    if not _State.quiet and fmt == "text":
        _report_next_steps(tally.next_steps, cwd, written=write)
    verified = _verify_and_report(to_verify, cwd) if verify else True
    raise typer.Exit(
        policy.code(
            errors=bool(problems) or not verified,
            findings=remaining,
            pending=bool(changed) and not write and (stdin_echo is None or fmt == "json"),
        )
    )


def _report_next_steps(steps: Sequence[Any], cwd: str, *, written: bool) -> None:
    """Which ``init`` each changed backend needs, and why: one line per module, on stderr."""
    from fixer.output import display_path

    if not steps:
        return
    typer.echo("Next step:" if written else "Next step, once written:", err=True)
    for step in steps:
        shown = display_path(step.directory, cwd) or "."
        here = " (initialised here, so Terraform stops until then)" if step.initialised else ""
        typer.echo(f"  {shown}: `{step.command}`{here}: {step.why}", err=True)


def _verify_and_report(modules: Sequence[tuple[str, dict[str, str] | None]], cwd: str) -> bool:
    """``fix --verify``: one line per changed module on stderr; False if any failed."""
    from fixer.output import display_path
    from fixer.runner.verify import find_terraform, verify_module

    if not modules:
        if not _State.quiet:
            typer.echo("verify: no module changed, nothing to verify", err=True)
        return True
    tool = find_terraform()
    if tool is None:
        typer.echo(
            f"verify: skipped, no `terraform` on PATH: {len(modules)} changed module(s) "
            "NOT verified",
            err=True,
        )
        return True
    if not _State.quiet:
        typer.echo(f"verify: with {tool.describe()}", err=True)
    ok = True
    for directory, texts in modules:
        outcome = verify_module(directory, tool, texts)
        shown = display_path(directory, cwd)
        if outcome.ok:
            if not _State.quiet:
                typer.echo(f"verify: {shown}: ok", err=True)
        else:
            ok = False
            typer.echo(
                f"verify: {shown}: failed: terraform {outcome.step}: {outcome.message}", err=True
            )
    return ok


# -- restore --------------------------------------------------------------------------------------


@app.command(short_help="Undo what fix --write wrote, exactly; never a person's edits.")
def restore(
    paths: list[str] | None = PathsArgument,
    write: bool = typer.Option(
        False, "--write", "-w", help="Change the files in place (default: print a diff)."
    ),
    discard_edits: bool = typer.Option(
        False,
        "--discard-edits",
        help="Undo even what a person edited since the fix (the original bytes come back).",
    ),
    sets: list[str] | None = SetOption,
    dialect: str | None = DialectOption,
    no_ignore: bool = NoIgnoreOption,
    config_path: Path | None = ConfigOption,
    color: str = ColorOption,
) -> None:
    """Undo what [bold]fix --write[/bold] wrote: the original backend blocks, exactly.

    Comment mode's blocks, the lines fixes added to active blocks, the override
    file and the README section it wrote. Refuses (naming the lines) to drop
    anything a person edited since, unless --discard-edits. With --set
    KEY=VALUE the restored backend is also completed with those values.
    Exit codes as for fix.
    """
    config = _load_config(config_path, paths or [])
    options = _run_options(
        config,
        paths,
        None,
        None,
        dialect,
        None,
        no_ignore,
        1,
        restore=True,
        discard_edits=discard_edits,
        write=write,
        sets=_pairs(sets),
    )
    _apply_and_report(_runner(options), write, color)


# -- enable ---------------------------------------------------------------------------------------


@app.command(short_help="Turn comment mode's block, as filled in, into the backend.")
def enable(
    paths: list[str] | None = PathsArgument,
    write: bool = typer.Option(
        False, "--write", "-w", help="Change the files in place (default: print a diff)."
    ),
    verify: bool = typer.Option(
        False,
        "--verify",
        help="Run `terraform init -backend=false` and `terraform validate` in each changed "
        "module (on a temporary copy in a dry run); a failure makes the exit code 2.",
    ),
    dialect: str | None = DialectOption,
    terraform_version: str | None = VersionOption,
    no_ignore: bool = NoIgnoreOption,
    config_path: Path | None = ConfigOption,
    color: str = ColorOption,
    fail_on: str | None = FailOnOption,
    exit_zero: bool = ExitZeroOption,
) -> None:
    """Turn comment mode's commented backend, as you filled it in, into the active backend.

    Refuses while a REPLACE_ME placeholder is left, or while any init-breaking
    rule finds the result wanting; says which init to run next. Exit codes as
    for fix: findings left in the enabled block (at or above --fail-on, such as
    a deprecation warning) make it 1.
    """
    config = _load_config(config_path, paths or [])
    policy = _exit_policy(config, fail_on, exit_zero)
    options = _run_options(
        config,
        paths,
        None,
        None,
        dialect,
        terraform_version,
        no_ignore,
        1,
        enable=True,
        write=write,
    )
    _apply_and_report(_runner(options), write, color, verify=verify, policy=policy)


# -- pr -----------------------------------------------------------------------------------------------


@app.command(short_help="Open or update one pull (merge) request that fixes the backends.")
def pr(
    path: Path = typer.Argument(Path("."), help="The directory to fix, inside a git checkout."),
    mode: str | None = ModeOption,
    sets: list[str] | None = SetOption,
    backend_config: Path | None = BackendConfigOption,
    unsafe: bool = typer.Option(False, "--unsafe", help="Also apply fixes marked unsafe."),
    select: list[str] | None = SelectOption,
    ignore: list[str] | None = IgnoreOption,
    dialect: str | None = DialectOption,
    terraform_version: str | None = VersionOption,
    branch: str | None = typer.Option(
        None, "--branch", help="Branch to push (default: backend-fixer/<mode>)."
    ),
    base: str | None = typer.Option(
        None, "--base", help="Base branch (default: the repository's default branch)."
    ),
    remote: str = typer.Option("origin", "--remote", help="Git remote to push to."),
    host: str | None = typer.Option(
        None,
        "--host",
        help="github or gitlab (default: detected from GitHub Actions' or GitLab CI's variables).",
    ),
    repo: str | None = typer.Option(
        None,
        "--repo",
        help="GitHub: OWNER/NAME ($GITHUB_REPOSITORY); GitLab: the project's path or id "
        "($CI_PROJECT_ID).",
    ),
    api_url: str | None = typer.Option(
        None,
        "--api-url",
        help="GitHub: the API base ($GITHUB_API_URL); GitLab: the instance URL ($CI_SERVER_URL).",
    ),
    token_env: str | None = typer.Option(
        None,
        "--token-env",
        help="Environment variable holding the token (default: GITHUB_TOKEN; GitLab: "
        "GITLAB_TOKEN, else CI_JOB_TOKEN).",
    ),
    labels: list[str] | None = typer.Option(
        None, "--label", help="GitLab: a label of the merge request (default: backend-fixer)."
    ),
    author: str | None = typer.Option(None, "--author", help='Commit author, "Name <email>".'),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show branch, commit, PR and diff; push nothing."
    ),
    config_path: Path | None = ConfigOption,
) -> None:
    """Open (or update) one pull request (GitLab: merge request) that fixes the backends under PATH.

    Runs the fix on a fresh checkout of the base branch, commits it on a
    deterministic branch, pushes it and opens or updates the pull request.
    Exit code 0 for every outcome, 2 on errors.
    """
    from fixer.bot import BotError, PrOptions, render_dry_run, run_pr
    from fixer.bot.apply import engine_apply_fix
    from fixer.runner.engine import check_options

    config = _load_config(config_path, [str(path)])
    fix_options = _fix_options(config, mode, unsafe)
    options = _run_options(
        config,
        [str(path)],
        select,
        ignore,
        dialect,
        terraform_version,
        False,
        1,
        fix=fix_options,
        **_values_options(sets, backend_config),
    )
    try:
        # Refused here, before a scratch checkout is made for a run that cannot start.
        check_options(options)
    except ValueError as error:
        raise _fail(str(error)) from None
    try:
        result = run_pr(
            PrOptions(
                path=path,
                mode=fix_options.mode.value,
                branch=branch,
                base=base,
                remote=remote,
                repo=repo,
                token_env=token_env,
                api_url=api_url,
                host=host,
                labels=tuple(labels) if labels else None,
                dry_run=dry_run,
                author=author,
            ),
            engine_apply_fix(options),
        )
    except BotError as error:
        raise _fail(f"pr: {error}") from None
    _write_out(render_dry_run(result) if dry_run else result.message + "\n")


# -- inits --------------------------------------------------------------------------------------------


@app.command(short_help="Show how each module is initialised and what each init passes.")
def inits(
    paths: list[str] | None = PathsArgument,
    output_format: str = typer.Option("text", "--format", "-f", help="text or json."),
    no_ignore: bool = NoIgnoreOption,
    config_path: Path | None = ConfigOption,
) -> None:
    """Show how each module is initialised: every init found and the values it passes.

    Reads the repository's CI pipelines (GitHub Actions, GitLab CI, Azure
    Pipelines, CircleCI, Bitbucket, Jenkins), Makefiles, justfiles, Taskfiles,
    scripts, Terragrunt, Atlantis, the docs and the config file's [[init]]
    entries, as check and fix do. Lists the modules some init reaches and the
    ones with backend findings.
    """
    from fixer.output import display_path
    from fixer.output.inits import inits_json, render_inits_text

    if output_format not in ("text", "json"):
        raise _fail(f"--format takes text or json, not {output_format!r}")
    config = _load_config(config_path, paths or [])
    options = _run_options(config, paths, None, None, None, None, no_ignore, 1)
    runner = _runner(options)
    cwd = os.getcwd()
    entries = []
    results = {result.directory: result for result in _stream(runner)}
    for module in runner.modules:
        found = runner.inits_for(module)
        result = results.get(module.directory)
        if (found is None or found.is_empty) and not (result and result.findings):
            continue
        entries.append((display_path(module.directory, cwd), found))
    _report_warnings(runner)
    if output_format == "json":
        _write_out(json.dumps(inits_json(entries), indent=2, ensure_ascii=False) + "\n")
    else:
        _write_out(render_inits_text(entries) or "No modules with a backend or an init found.\n")


# -- rules ------------------------------------------------------------------------------------------


@app.command(short_help="List the rules, or show one rule's documentation.")
def rules(
    code: str | None = typer.Argument(None, help="A rule code or name to show in full."),
    output_format: str = typer.Option(
        "text",
        "--format",
        "-f",
        help="text, or json (each rule's code, name, severity, category, fix declaration "
        "and documentation).",
    ),
) -> None:
    """List the rules, or show one rule's documentation."""
    from fixer.output.rule_docs import render_rule_doc, render_rule_list, rule_json, rules_json
    from fixer.rules.catalog import all_rules, rule_by_key

    if output_format not in ("text", "json"):
        raise _fail(f"rules --format takes text or json, not {output_format!r}")
    as_json = output_format == "json"
    if code is None:
        infos = [r.info for r in all_rules()]
        if as_json:
            document = rules_json(infos, tool_version=__version__)
            _write_out(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        else:
            _write_out(render_rule_list(infos))
        return
    rule = rule_by_key(code)
    if rule is None:
        raise _fail(f"unknown rule {code!r}; `backend-fixer rules` lists them")
    if as_json:
        _write_out(json.dumps(rule_json(rule.info), indent=2, ensure_ascii=False) + "\n")
    else:
        _write_out(render_rule_doc(rule.info))


# -- entry point ------------------------------------------------------------------------------------


def _usage_error(error: click.UsageError) -> None:
    """A usage error as one line in the one format, with where to read more."""
    command = error.ctx.command_path if error.ctx is not None else PROGRAM
    _error(f"{error.format_message()} (see '{command} --help')")


def main() -> None:
    """Console-script entry point: runs the app and turns every failure into one line.

    Usage errors (an unknown command or option, a bad value) and internal errors
    are printed as ``backend-fixer: error: ...``; no traceback unless ``--debug``.
    """
    # Rich draws help in boxes as wide as the terminal and cuts what does not fit;
    # in a pipe or a file there is no terminal to fit, so click's plain help is
    # printed instead, wrapped and never cut.
    app.rich_markup_mode = "rich" if sys.stdout.isatty() else None
    try:
        code = app(prog_name=PROGRAM, standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        error.show()
        sys.exit(EXIT_ERROR)
    except click.UsageError as error:
        _usage_error(error)
        sys.exit(EXIT_ERROR)
    except click.ClickException as error:
        _error(error.format_message())
        sys.exit(error.exit_code)
    except (KeyboardInterrupt, click.Abort):
        _error("interrupted")
        sys.exit(130)
    except Exception as error:  # the promise: no traceback unless --debug
        if _State.debug or "--debug" in sys.argv:
            traceback.print_exc()
        else:
            _error(
                f"internal error: {type(error).__name__}: {error} (run with --debug for details)"
            )
        sys.exit(EXIT_ERROR)
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
