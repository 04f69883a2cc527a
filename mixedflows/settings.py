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


def config_dir(explicit: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The configuration directory: `explicit`, else $MIXEDFLOWS_CONFIG_DIR, else `./config`.

    It may not exist: then the rules' defaults apply, nothing is acknowledged and there are no alert
    channels (every command says so in a warning at its start, `missing_config_warning`).
    """
    if explicit is not None:
        return explicit
    environ = os.environ if environ is None else environ
    named = environ.get(CONFIG_DIR_ENV, "").strip()
    return Path(named) if named else Path.cwd() / WORKING_CONFIG_DIR


def missing_config_warning(directory: Path) -> str:
    """The warning shown when the configuration directory does not exist."""
    return (
        f"no configuration: {directory} does not exist (set it with --config-dir or ${CONFIG_DIR_ENV}); "
        "using the rules' defaults with nothing acknowledged and no alert channels"
    )
