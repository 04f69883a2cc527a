"""Prefect tasks: thin wrappers around the plain functions that do the work."""

from __future__ import annotations

from pathlib import Path

from prefect import get_run_logger, task

from mixedflows.acquire import AcquireConfig, FamilyFetch, archived, fetch_family, make_client
from mixedflows.pipeline import ReportOutcome, process_report
from mixedflows.store import Store


@task(name="fetch", task_run_name="fetch {family} {month}", retries=2, retry_delay_seconds=[30, 120])
def fetch(family: str, month: str | None, raw_dir: Path) -> FamilyFetch:
    """Discover and download a family's issues; retried as a whole only when the listing itself failed."""
    config = AcquireConfig.from_env()
    with make_client(config) as client:
        fetched = fetch_family(family, month, raw_dir, config=config, client=client)
    if fetched.failures and not fetched.results:
        # The listing was unreachable or changed: worth another try later, unlike a bad PDF.
        raise ConnectionError(fetched.failures[0])
    return fetched


@task(name="process-report", task_run_name="{pdf.family} {pdf.month}")
def process(pdf, output_dir: Path, run_id: str, extractor_version: str) -> ReportOutcome:
    """Extract, validate and publish one archived PDF (never raises for a bad report)."""
    return process_report(pdf, store=Store(output_dir), run_id=run_id, extractor_version=extractor_version)


def latest_archived_month(raw_dir: Path, family: str) -> str | None:
    months = [pdf.month for pdf in archived(raw_dir, family)]
    return max(months) if months else None


@task(name="alert")
def alert(outcomes: list[ReportOutcome], report_url: str) -> list[str]:
    """Tell a person about every report held back by unacknowledged errors; one line per delivery."""
    import pandas as pd

    from mixedflows.alerts import load_alert_config, send_alerts
    from mixedflows.settings import config_dir

    rows = [v for outcome in outcomes for v in outcome.violations]
    if not rows:
        return []
    results = send_alerts(pd.DataFrame(rows), report_url=report_url, config=load_alert_config(config_dir()))
    return [
        f"{r.report_id} -> {r.channel}: " + ("delivered" if r.delivered else f"not delivered ({r.error})")
        for r in results
    ]


@task(name="report")
def report(record: Path, output_dir: Path, raw_dir: Path) -> str:
    """Write the run's HTML report; what alerts link to (the run record when the report cannot be written)."""
    from mixedflows.report import REPORTS_DIR, ReportError, report_url
    from mixedflows.report import build_report as build

    try:
        path = build(record, store=Store(output_dir), raw_dir=raw_dir, out_dir=Path(output_dir) / REPORTS_DIR)
    except (ReportError, OSError) as exc:
        # Alerts must still go out, pointing at what exists.
        get_run_logger().error("no run report: %s", exc)
        return str(record)
    return report_url(path, path.parent.name)
