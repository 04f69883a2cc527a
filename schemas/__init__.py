"""pandera schemas of the `facts` table and the validation rules: violations as data.

The names below are imported on first use, so that `schemas.indicators` (which extractors may
import) does not pull in the extractors in turn.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "FactsSchema": "schemas.facts",
    "ProvenanceSchema": "schemas.facts",
    "INDICATORS": "schemas.indicators",
    "RULES": "schemas.rules",
    "Rule": "schemas.rules",
    "ValidationConfig": "schemas.config",
    "load_config": "schemas.config",
    "ValidationConfigError": "schemas.errors",
    "Acknowledgement": "schemas.acknowledgements",
    "append_acknowledgement": "schemas.acknowledgements",
    "Violation": "schemas.violations",
    "ViolationsSchema": "schemas.violations",
    "VIOLATION_COLUMNS": "schemas.violations",
    "blocking": "schemas.violations",
    "report_frame": "schemas.validate",
    "validate_report": "schemas.validate",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'schemas' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
