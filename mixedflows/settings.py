"""Where the project's configuration lives: `--config-dir`, else $MIXEDFLOWS_CONFIG_DIR, else `./config`.

The configuration (validation rules, acknowledgements, alert channels) belongs to the deployment, not
to the installed code: it is never looked up beside the package, which after a non-editable install
would be a folder inside site-packages nobody edits or commits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

#: Environment variable naming the configuration directory (a deployment's, a test's).
CONFIG_DIR_ENV = "MIXEDFLOWS_CONFIG_DIR"

#: The folder looked for in the working directory when neither an option nor the variable names one.
WORKING_CONFIG_DIR = "config"


def config_dir(explicit: Path | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The configuration directory: `explicit`, else $MIXEDFLOWS_CONFIG_DIR, else `./config` if it exists.

    None when none of these names one: the rules' defaults apply and nothing is acknowledged
    (`missing_config_warning` says so, once, at the start of a command).
    """
    if explicit is not None:
        return explicit
    environ = os.environ if environ is None else environ
    named = environ.get(CONFIG_DIR_ENV, "").strip()
    if named:
        return Path(named)
    working = Path.cwd() / WORKING_CONFIG_DIR
    return working if working.is_dir() else None


def missing_config_warning() -> str:
    """The warning shown when no configuration directory was found."""
    return (
        f"no configuration: no --config-dir, no ${CONFIG_DIR_ENV} and no {WORKING_CONFIG_DIR}/ in {Path.cwd()}; "
        "using the rules' defaults with nothing acknowledged and no alert channels"
    )
