"""The `mixedflows` console script: one Typer app, one module per group of subcommands."""

from __future__ import annotations

from typing import Annotated

import typer

from mixedflows import __version__

app = typer.Typer(
    name="mixedflows",
    help="Turn the monthly DTM and UNHCR Western Balkans reports into validated, versioned data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mixedflows {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Turn the monthly DTM and UNHCR Western Balkans reports into validated, versioned data."""


# Each module registers its commands on `app` when imported.
from mixedflows.cli import acquire as _acquire  # noqa: E402,F401
from mixedflows.cli import extract as _extract  # noqa: E402,F401
from mixedflows.cli import flows as _flows  # noqa: E402,F401
from mixedflows.cli import report as _report  # noqa: E402,F401
from mixedflows.cli import store as _store  # noqa: E402,F401
from mixedflows.cli import validate as _validate  # noqa: E402,F401


def main() -> None:
    app()
