"""Prefect's settings for mixedflows, applied before Prefect is imported: local, quiet, offline by default."""

from __future__ import annotations

import os
from pathlib import Path

#: Settings that keep an unconfigured run inside the project and off the network. Prefect's temporary
#: server otherwise writes to ~/.prefect, and its analytics try to reach the internet (an ERROR line).
OFFLINE_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_CLI_PROMPT": "false",
    # The project's own loggers (a channel that failed, a skipped file) reach the flow run's log in
    # the Prefect UI, not only the terminal of whoever started the run.
    "PREFECT_LOGGING_EXTRA_LOGGERS": "mixedflows,extractors,schemas",
    # The same loggers also log outside flow runs (`validate --alert`): nothing to send then, no warning.
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
    # The temporary server's first start migrates a new SQLite database: 20+ s on an idle 2-core machine,
    # past Prefect's 20 s default under load (seen: "Timed out while attempting to connect to ephemeral
    # Prefect API server" on a fresh clone while tests ran beside it).
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def configure(project_dir: str | Path | None = None) -> Path:
    """Set Prefect's defaults (environment variables already set win); return PREFECT_HOME.

    With no `PREFECT_API_URL`, flows run on Prefect's temporary local server (SQLite) kept in
    `<project>/.prefect`; with it set, they report to that server instead.
    """
    home = Path(project_dir or Path.cwd()) / ".prefect"
    os.environ.setdefault("PREFECT_HOME", str(home))
    for name, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(name, value)
    return Path(os.environ["PREFECT_HOME"])
