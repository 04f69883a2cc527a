"""The `mixedflows` console script: one Typer app, one module per group of subcommands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from mixedflows import __version__


class _Commands(TyperGroup):
    """Keeps the subcommand's arguments where the root callback can see them (its `--config-dir`, `--help`)."""

    def resolve_command(self, ctx, args):
        ctx.meta["mixedflows.command_args"] = list(args)
        return super().resolve_command(ctx, args)


app = typer.Typer(
    name="mixedflows",
    cls=_Commands,
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
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    config_dir: Annotated[
        Path | None,
        typer.Option(
            "--config-dir",
            help="Configuration directory (default $MIXEDFLOWS_CONFIG_DIR, else ./config); "
            "commands that take --config-dir themselves accept it there too.",
        ),
    ] = None,
) -> None:
    """Turn the monthly DTM and UNHCR Western Balkans reports into validated, versioned data."""
    args = ctx.meta.get("mixedflows.command_args", [])
    if ctx.resilient_parsing or "--help" in args:
        return
    _check_configuration(ctx, _option_value(args, "--config-dir") or config_dir)


def _option_value(args: list[str], name: str) -> Path | None:
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith(name + "="):
            return Path(arg.split("=", 1)[1])
    return None


def _check_configuration(ctx: typer.Context, explicit: Path | None) -> None:
    """Load and check every configuration file once, before the command does anything (exit 2 if bad)."""
    from mixedflows.cli.checks import fail
    from mixedflows.cli.output import warning_line
    from mixedflows.config_files import ConfigFileError, check_config_dir
    from mixedflows.settings import CONFIG_DIR_ENV, config_dir, missing_config_warning

    directory = config_dir(explicit)
    if not directory.exists():
        warning_line(missing_config_warning(directory))
    try:
        ctx.obj = check_config_dir(directory)
    except ConfigFileError as exc:
        fail(str(exc))
    _check_engine()
    # Flows, tasks and Dask workers started by this command read the same, checked folder.
    previous = os.environ.get(CONFIG_DIR_ENV)
    os.environ[CONFIG_DIR_ENV] = str(directory.resolve())
    ctx.call_on_close(lambda: _restore(CONFIG_DIR_ENV, previous))


def _check_engine() -> None:
    """An unknown $MIXEDFLOWS_ENGINE is one line and exit 2 before anything starts (not one failure per report)."""
    from extractors.document import engine_setting
    from extractors.errors import ExtractionError
    from mixedflows.cli.checks import fail

    try:
        engine_setting()
    except ExtractionError as exc:
        fail(str(exc))


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


# Each module registers its commands on `app` when imported.
from mixedflows.cli import acquire as _acquire  # noqa: E402,F401
from mixedflows.cli import extract as _extract  # noqa: E402,F401
from mixedflows.cli import flows as _flows  # noqa: E402,F401
from mixedflows.cli import report as _report  # noqa: E402,F401
from mixedflows.cli import store as _store  # noqa: E402,F401
from mixedflows.cli import validate as _validate  # noqa: E402,F401


def main() -> None:
    app()
