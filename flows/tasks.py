"""Prefect tasks: thin wrappers around the plain functions that do the work."""

from __future__ import annotations

from pathlib import Path

from prefect import task

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
