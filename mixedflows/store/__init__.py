"""Versioned outputs: the Delta tables under `output/`, publishing to them, their versions, diffs and exports."""

from __future__ import annotations

from .errors import (
    ReportStateError,
    StoreConflictError,
    StoreError,
    StoreInputError,
    StoreNotFoundError,
    VersionNotFoundError,
)
from .export import ExportResult
from .history import StoreVersion
from .publish import PublishResult
from .store import PlannedReport, Store
from .tables import FACTS, QUARANTINE, REPORTS, VIOLATIONS

__all__ = [
    "FACTS",
    "QUARANTINE",
    "REPORTS",
    "VIOLATIONS",
    "ExportResult",
    "PlannedReport",
    "PublishResult",
    "ReportStateError",
    "Store",
    "StoreConflictError",
    "StoreError",
    "StoreInputError",
    "StoreNotFoundError",
    "StoreVersion",
    "VersionNotFoundError",
]
