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
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from fixer import __version__

if TYPE_CHECKING:
    from fixer.fixes.plan import FixOptions
    from fixer.runner.config import Config
    from fixer.runner.engine import ModuleResult, Runner, RunOptions

app = typer.Typer(
    name="backend-fixer",
    help="Find Terraform backend configurations that cannot initialise unattended, and fix them.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github", "gitlab")


class _State:
    debug = False


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


# -- shared options -----------------------------------------------------------------------

PathsArgument = typer.Argument(
    None, help="Files or directories to check (default: the current directory)."
)
SelectOption = typer.Option(
    None, "--select", help="Only these rules (codes, names or code prefixes); repeatable."
)
IgnoreOption = typer.Option(None, "--ignore", help="Skip these rules; repeatable.")
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
JobsOption = typer.Option(
    None, "--jobs", "-j", min=1, help="Worker processes (default: the number of CPUs)."
)
ConfigOption = typer.Option(
    None, "--config", help="Config file (default: nearest .backend-fixer.toml or pyproject.toml)."
)
ColorOption = typer.Option("auto", "--color", help="Colour output: auto, always or never.")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"backend-fixer: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def _load_config(config_path: Path | None, paths: Sequence[str]) -> Config:
    from fixer.runner.config import ConfigError, find_config, load_config

    try:
        path = config_path or find_config(Path(paths[0]) if paths else Path.cwd())
        return load_config(path)
    except ConfigError as error:
        raise _fail(str(error)) from None


def _pairs(items: Sequence[str] | None) -> dict[str, str]:
    """``--set`` pairs; a key no backend type has, or an empty value, is a usage error.

    A key some backend types have and a module's backend lacks is that
    module's problem, named when it is completed.
    """
    from fixer.terraform.backends import argument_names

    result: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise _fail(f"--set takes KEY=VALUE, not {item!r}")
        key = key.strip()
        if key not in argument_names():
            raise _usage_error(f"--set {key}: no backend type has an argument {key!r}")
        if not value.strip():
            raise _usage_error(
                f"--set {key}= is empty: init rejects or ignores an empty value; give the real one"
            )
        result[key] = value
    return result


def _usage_error(message: str) -> typer.Exit:
    typer.echo(f"backend-fixer: error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def _check_templates(config: Config) -> None:
    """The config file's value templates name arguments some backend type has."""
    from fixer.terraform.backends import argument_names

    for key in config.values:
        if key not in argument_names():
            raise _usage_error(
                f"[values] {key} in the config file: no backend type has an argument {key!r}"
            )


def _backend_config(path: Path | None) -> tuple[dict[str, Any], str]:
    """The constant values of a ``--backend-config`` file, as Terraform would read it."""
    if path is None:
        return {}, "--backend-config"
    from fixer.runner.engine import read_backend_config

    try:
        return read_backend_config(path)
    except ValueError as error:
        raise _fail(str(error)) from None


def _run_options(
    config: Config,
    paths: Sequence[str] | None,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    dialect: str | None,
    terraform_version: str | None,
    no_ignore: bool,
    jobs: int | None,
    **extra: Any,
) -> RunOptions:
    from fixer.runner.engine import RunOptions

    default_jobs = config.get("jobs") or os.cpu_count() or 1
    _check_templates(config)
    return RunOptions(
        paths=tuple(paths or ["."]),
        select=tuple(select or config.get("select", [])),
        ignore=tuple(ignore or config.get("ignore", [])),
        dialect=dialect or config.get("dialect"),
        terraform_version=terraform_version or config.get("terraform-version"),
        honour_gitignore=not no_ignore and config.get("respect-gitignore", True),
        jobs=jobs or default_jobs,
        templates=config.values,
        raise_internal_errors=_State.debug,
        **extra,
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
        return Runner(options)
    except ValueError as error:
        raise _fail(str(error)) from None


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


def _write_out(text: str, output: Path | None = None) -> None:
    """Write ``text`` byte for byte: CRLF and ANSI codes pass through untouched."""
    if output is not None:
        output.write_text(text, encoding="utf-8", newline="")
        return
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _report_problems(problems: Sequence[Any]) -> None:
    for problem in problems:
        typer.echo(f"error: {problem}", err=True)


# -- check ------------------------------------------------------------------------------------


@app.command()
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
    jobs: int | None = JobsOption,
    config_path: Path | None = ConfigOption,
    color: str = ColorOption,
    show_notes: bool = typer.Option(
        True, "--notes/--no-notes", help="Print the notes below each finding."
    ),
) -> None:
    """Report backend problems as [bold]path:line:col: CODE message[/bold].

    Exit code 0 when clean, 1 when there are findings, 2 when a file could not
    be read or parsed (the other files are still checked).
    """
    config = _load_config(config_path, paths or [])
    fmt = output_format or config.get("format", "text")
    if fmt not in FORMATS:
        raise _fail(f"--format takes {', '.join(FORMATS)}, not {fmt!r}")
    options = _run_options(
        config,
        paths,
        select,
        ignore,
        dialect,
        terraform_version,
        no_ignore,
        jobs,
        attach_fixes=fmt in ("json", "sarif"),
    )
    from fixer.runner.engine import RunTally

    runner = _runner(options)
    tally = RunTally.of(runner)
    for result in _stream(runner):
        tally.add(result)
    findings, problems = tally.findings, tally.problems
    _emit_report(fmt, findings, problems, output, color, show_notes)
    _report_problems(problems)
    if problems:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if findings else EXIT_CLEAN)


def _emit_report(
    fmt: str,
    findings: Sequence[Any],
    problems: Sequence[Any],
    output: Path | None,
    color: str,
    show_notes: bool,
) -> None:
    from fixer.output import (
        SkippedFile,
        render_github,
        render_gitlab,
        render_json,
        render_sarif,
        render_text,
    )
    from fixer.rules.catalog import all_rules

    # File problems already end in "skipped"; the report says it once.
    skipped = [
        SkippedFile(p.path, p.message.removesuffix(", skipped"), p.line, p.column) for p in problems
    ]
    rules = [r.info for r in all_rules()]
    root = os.getcwd()
    if fmt == "text":
        text = render_text(
            findings, show_notes=show_notes, color=_color(color) and output is None, skipped=skipped
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


@app.command()
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
    jobs: int | None = JobsOption,
    config_path: Path | None = ConfigOption,
    color: str = ColorOption,
) -> None:
    """Fix backend problems: print the diff (dry run), or change the files with [bold]--write[/bold].

    Exit code in a dry run: 0 when nothing would change, 1 when something
    would, 2 on errors. With --write: 0 on success, 2 on errors.
    """
    config = _load_config(config_path, paths or [])
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
        fix=fix_options,
        write=write,
        **_values_options(sets, backend_config),
    )
    _apply_and_report(_runner(options), write, color, verify=verify)


def _apply_and_report(runner: Runner, write: bool, color: str, verify: bool = False) -> None:
    from fixer.output import display_path, fix_summary, unified_diff
    from fixer.runner.engine import RunTally

    use_color = _color(color)
    tally = RunTally.of(runner)
    changed: list[str] = []
    left_alone: list[tuple[str, str]] = []
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
            typer.echo(f"warning: {warning}", err=True)
        for item in result.skipped:
            left_alone.append(
                (
                    display_path(item.finding.location.path, cwd),
                    f"{item.finding.code}: {item.reason}",
                )
            )
        for file in result.files:
            shown = display_path(file.path, cwd)
            changed.append(shown)
            if not write:
                diff = unified_diff(
                    file.old_text or "",
                    file.new_text or "",
                    shown,
                    color=use_color,
                    created=file.old_text is None,
                )
                _write_out(diff)
    problems = tally.problems
    summary = fix_summary(changed, tally.applied, left_alone, written=write, color=use_color)
    sys.stderr.write(summary)
    _report_problems(problems)
    verified = _verify_and_report(to_verify, cwd) if verify else True
    if problems or not verified:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FINDINGS if changed and not write else EXIT_CLEAN)


def _verify_and_report(modules: Sequence[tuple[str, dict[str, str] | None]], cwd: str) -> bool:
    """``fix --verify``: one line per changed module on stderr; False if any failed."""
    from fixer.output import display_path
    from fixer.runner.verify import find_terraform, verify_module

    if not modules:
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
    typer.echo(f"verify: with {tool.describe()}", err=True)
    ok = True
    for directory, texts in modules:
        outcome = verify_module(directory, tool, texts)
        shown = display_path(directory, cwd)
        if outcome.ok:
            typer.echo(f"verify: {shown}: ok", err=True)
        else:
            ok = False
            typer.echo(
                f"verify: {shown}: failed: terraform {outcome.step}: {outcome.message}", err=True
            )
    return ok


# -- restore --------------------------------------------------------------------------------------


@app.command()
def restore(
    paths: list[str] | None = PathsArgument,
    write: bool = typer.Option(
        False, "--write", "-w", help="Change the files in place (default: print a diff)."
    ),
    sets: list[str] | None = SetOption,
    no_ignore: bool = NoIgnoreOption,
    config_path: Path | None = ConfigOption,
    color: str = ColorOption,
) -> None:
    """Undo comment mode: put the original backend blocks back, exactly.

    With --set KEY=VALUE the restored backend is also completed with those
    values, for going back to a real remote backend.
    """
    config = _load_config(config_path, paths or [])
    options = _run_options(
        config,
        paths,
        None,
        None,
        None,
        None,
        no_ignore,
        1,
        restore=True,
        write=write,
        sets=_pairs(sets),
    )
    _apply_and_report(_runner(options), write, color)


# -- pr -----------------------------------------------------------------------------------------------


@app.command()
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


# -- rules ------------------------------------------------------------------------------------------


@app.command()
def rules(
    code: str | None = typer.Argument(None, help="A rule code or name to show in full."),
) -> None:
    """List the rules, or show one rule's documentation."""
    from fixer.output.rule_docs import render_rule_doc, render_rule_list
    from fixer.rules.catalog import all_rules, rule_by_key

    if code is None:
        _write_out(render_rule_list([r.info for r in all_rules()]))
        return
    rule = rule_by_key(code)
    if rule is None:
        raise _fail(f"unknown rule {code!r}; `backend-fixer rules` lists them")
    _write_out(render_rule_doc(rule.info))


# -- entry point ------------------------------------------------------------------------------------


def main() -> None:
    """Console-script entry point: runs the app and turns internal errors into one line."""
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        typer.echo("backend-fixer: interrupted", err=True)
        sys.exit(130)
    except Exception as error:  # the promise: no traceback unless --debug
        if _State.debug or "--debug" in sys.argv:
            traceback.print_exc()
        else:
            typer.echo(
                f"backend-fixer: internal error: {type(error).__name__}: {error} (run with --debug for details)",
                err=True,
            )
        sys.exit(EXIT_ERROR)
