"""The one seam between extraction and publishing: a report's violations and whether they block it.

Both `mixedflows publish` and the flows call `validate_extracted`; the rules live in `schemas/`,
the rule settings and acknowledgements in the configuration directory (`mixedflows.settings`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from extractors import ExtractedReport
from mixedflows.settings import config_dir


@dataclasses.dataclass(frozen=True)
class ValidationOutcome:
    """Violations of one report as a frame and as JSON-ready rows, and whether they block publishing."""

    frame: pd.DataFrame
    violations: tuple[dict[str, Any], ...]
    blocked: bool

    @property
    def error_count(self) -> int:
        return sum(1 for v in self.violations if v["severity"] == "error" and not v["acknowledged"])

    @property
    def warning_count(self) -> int:
        return sum(1 for v in self.violations if v["severity"] == "warning")

    @property
    def blocking_rules(self) -> list[str]:
        return sorted({v["rule"] for v in self.violations if v["severity"] == "error" and not v["acknowledged"]})


def validate_extracted(report: ExtractedReport, history: pd.DataFrame | None = None) -> ValidationOutcome:
    """Validate one extracted report against its own arithmetic and earlier issues' published figures."""
    from schemas import blocking, load_config, report_frame, validate_report
    from schemas.violations import violation_records

    violations = validate_report(
        report_frame(report), history, load_config(config_dir()), report.problems, report_id=report.report_id
    )
    return ValidationOutcome(
        frame=violations,
        violations=tuple(violation_records(violations)),
        blocked=not blocking(violations).empty,
    )
