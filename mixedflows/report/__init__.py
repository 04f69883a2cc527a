"""The run report: a self-contained HTML page per run, with each violation cropped from its PDF and trend plots."""

from __future__ import annotations

from .build import REPORTS_DIR, ReportError, build_report, latest_run_record, report_url

__all__ = ["REPORTS_DIR", "ReportError", "build_report", "latest_run_record", "report_url"]
