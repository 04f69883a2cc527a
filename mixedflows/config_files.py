"""Every configuration file the commands use, loaded and checked once, at the start of a command.

A malformed file must stop a command before it writes anything, with one line naming the file and
what is wrong, whichever command it is (`validate`, `publish`, `run`, `backfill`, `report`, ...).
Each known file has a checker (`CONFIG_FILES`); any other `*.toml` in the directory must at least
be valid TOML, so a file added later is never read for the first time halfway through a run.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any


class ConfigFileError(ValueError):
    """A configuration file cannot be read or says something impossible; the message names the file."""


def _check_validation(directory: Path) -> Any:
    from schemas.config import load_config

    return load_config(directory)


def _check_alerts(directory: Path) -> Any:
    from mixedflows.alerts import load_alert_config

    # The file is checked even when $MIXEDFLOWS_ALERT_URLS would override its URLs.
    return load_alert_config(directory, environ={})


def _check_aliases(directory: Path) -> Any:
    from extractors.geo import load_aliases

    return load_aliases(directory / "aliases.toml")


#: What checks each configuration file; a checker raises an error whose message names the file.
#: `validation` reads both validation.toml and acknowledgements.toml. Register a new file here.
CONFIG_FILES: dict[str, tuple[tuple[str, ...], Callable[[Path], Any]]] = {
    "validation": (("validation.toml", "acknowledgements.toml"), _check_validation),
    "alerts": (("alerts.toml",), _check_alerts),
    "aliases": (("aliases.toml",), _check_aliases),
}


@dataclasses.dataclass(frozen=True)
class CheckedConfig:
    """The configuration directory (it may not exist: defaults) and what each checker loaded from it."""

    directory: Path
    loaded: dict[str, Any]


def check_config_dir(directory: Path) -> CheckedConfig:
    """Load every configuration file of `directory`; `ConfigFileError` naming the first bad one.

    Raises
    ------
    ConfigFileError
        When `directory` is not a folder, a known file does not pass its checker, or another
        `*.toml` file is not valid TOML.
    """
    if not directory.exists():
        # Missing altogether: the defaults apply (the caller warns); `acknowledge` may create it.
        return CheckedConfig(directory, {})
    if not directory.is_dir():
        raise ConfigFileError(f"configuration directory {directory} is a file, not a folder")
    loaded = {}
    known = set()
    for name, (files, checker) in CONFIG_FILES.items():
        known.update(files)
        for file in files:
            path = directory / file
            if path.exists() and not path.is_file():
                raise ConfigFileError(f"{path}: not a file")
        try:
            loaded[name] = checker(directory)
        except (ValueError, OSError) as exc:
            raise ConfigFileError(" ".join(str(exc).split())) from None
    for path in sorted(directory.glob("*.toml")):
        if path.name in known:
            continue
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise ConfigFileError(f"{path}: not valid TOML ({' '.join(str(exc).split())})") from None
    return CheckedConfig(directory, loaded)
