"""What every command checks before it starts work, and the one table of exit codes.

Arguments, folders and configuration are checked before anything is read, written or started
(Prefect included): a bad one is one line on stderr naming it and what is wrong, and exit 2.
"""

from __future__ import annotations

import os
import tempfile
from enum import IntEnum
from pathlib import Path
from typing import NoReturn

import typer

from mixedflows.cli.output import error_line


class ExitCode(IntEnum):
    """The exit codes of every `mixedflows` command (docs/OPERATIONS.md, "Exit codes")."""

    #: Done: everything asked for was read and published (or was already), nothing held back.
    OK = 0
    #: Done, but a report is held back: unacknowledged error-level violations (validate, publish, run,
    #: backfill); acknowledge or fix them.
    HELD = 1
    #: Bad input: an argument, a configuration file, a folder, a PDF, a source or a store version that
    #: cannot be read or used. For arguments, configuration and folders nothing was written.
    BAD_INPUT = 2
    #: The work itself failed: the store refused a write (other writers kept winning), or a run stopped
    #: before it finished (its log says why).
    FAILED = 3


def fail(message: str, code: ExitCode = ExitCode.BAD_INPUT) -> NoReturn:
    """One line on stderr, then exit with `code`."""
    error_line(message)
    raise typer.Exit(code=int(code))


def checked_config():
    """The configuration the root command loaded and checked (`mixedflows.config_files.CheckedConfig`)."""
    import click

    from mixedflows.config_files import CheckedConfig, ConfigFileError, check_config_dir
    from mixedflows.settings import config_dir

    context = click.get_current_context(silent=True)
    found = context.find_root().obj if context is not None else None
    if isinstance(found, CheckedConfig):
        return found
    try:
        return check_config_dir(config_dir())
    except ConfigFileError as exc:
        fail(str(exc))


def check_month(value: str | None, option: str = "--month") -> str | None:
    """A `YYYY-MM` month, or exit 2 naming the option: `2024/12` and `2024-13` are refused at once."""
    if value is None:
        return None
    from mixedflows.acquire.archive import check_month as parse

    try:
        return parse(value)
    except ValueError as exc:
        fail(f"{option}: {exc}")


def check_output_dir(path: Path, *, writes: bool = True, option: str = "--output") -> Path:
    """A folder the command can use: not a file, and (when it writes) writable or creatable; exit 2 otherwise.

    Nothing is created: a missing folder is checked through its nearest existing parent.
    """
    if path.exists() and not path.is_dir():
        fail(f"{option} {path}: is a file, not a folder")
    if writes:
        existing = path
        while not existing.exists():
            existing = existing.parent
        if not existing.is_dir():
            fail(f"{option} {path}: {existing} is a file, not a folder")
        if not _writable(existing):
            fail(f"{option} {path}: {existing} is not writable")
    return path


def check_raw_dir(path: Path, *, must_exist: bool = True, option: str = "--raw-dir") -> Path:
    """The archive folder: it must exist (reading) or be creatable (fetching into it); exit 2 otherwise."""
    if must_exist and not path.exists():
        fail(f"{option} {path}: no such folder (the archive of report PDFs: <raw-dir>/<family>/<YYYY-MM>.pdf)")
    if path.exists() and not path.is_dir():
        fail(f"{option} {path}: is a file, not a folder")
    if not must_exist:
        check_output_dir(path, option=option)
    return path


def _writable(folder: Path) -> bool:
    # os.access says yes to root on a read-only mount's permission bits; only trying tells the truth.
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".mixedflows-write-check-"):
            return True
    except OSError:
        return False
