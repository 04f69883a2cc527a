"""The one seam between extraction and publishing: a report's violations and whether they block it.

Both `mixedflows publish` and the flows call `validate_extracted`; the rules live in `schemas/`,
the rule settings and acknowledgements in the configuration directory (`mixedflows.settings`).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pandas as pd

from extractors import ExtractedReport
from mixedflows.settings import config_dir

if TYPE_CHECKING:
    from schemas.validate import PreparedReport


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
    return finish_validation(prepare_validation(report), history)


def prepare_validation(report: ExtractedReport) -> PreparedReport:
    """The half of `validate_extracted` that needs no history (the contract, arithmetic, extraction problems).

    Needs only the report, so backfills run it where they read the report, in parallel.
    """
    from schemas import load_config, report_frame
    from schemas.validate import prepare_report

    return prepare_report(report_frame(report), load_config(config_dir()), report.problems, report_id=report.report_id)


def finish_validation(prepared: PreparedReport, history: pd.DataFrame | None = None) -> ValidationOutcome:
    """The rules comparing a prepared report with `history`: the same outcome as `validate_extracted`."""
    from schemas import blocking, load_config
    from schemas.validate import finish_report
    from schemas.violations import violation_records

    violations = finish_report(prepared, history, load_config(config_dir()))
    return ValidationOutcome(
        frame=violations,
        violations=tuple(violation_records(violations)),
        blocked=not blocking(violations).empty,
    )
