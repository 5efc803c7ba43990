"""The command line: typer commands, options and exit codes.

This is the only layer that prints. Commands import the layers they need lazily,
so ``backend-fixer --version`` and ``--help`` stay fast and never build the
parser.
"""

from __future__ import annotations

import typer

from fixer import __version__

app = typer.Typer(
    name="backend-fixer",
    help="Find Terraform backend configurations that cannot initialise unattended, and fix them.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


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
) -> None:
    """Find Terraform backend configurations that cannot initialise unattended, and fix them."""


def main() -> None:
    """Console-script entry point."""
    app()
