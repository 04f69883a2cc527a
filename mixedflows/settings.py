"""Where the project's configuration lives: `config/` beside the code, or a directory named explicitly."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

#: The configuration versioned with the project (validation rules, acknowledgements, alert channels).
PROJECT_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"

#: Environment variable naming another configuration directory (a deployment's, a test's).
CONFIG_DIR_ENV = "MIXEDFLOWS_CONFIG_DIR"


def config_dir(explicit: Path | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The configuration directory: `explicit`, else $MIXEDFLOWS_CONFIG_DIR, else the project's `config/`."""
    if explicit is not None:
        return explicit
    environ = os.environ if environ is None else environ
    named = environ.get(CONFIG_DIR_ENV, "").strip()
    return Path(named) if named else PROJECT_CONFIG_DIR
