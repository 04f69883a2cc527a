"""Prefect tasks: thin wrappers around the plain functions that do the work."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from mixedflows.acquire import AcquireConfig, ArchivedPdf, FamilyFetch, archived, fetch_family, make_client
from mixedflows.pipeline import (
    ReadReport,
    ReportOutcome,
    decide_batch,
    decision_order,
    extract_report,
    report_id_for,
    unchanged_reads,
)
from mixedflows.store import Store


def new_run_id(kind: str) -> str:
    """`monthly-20250120T060000Z-1a2b3c`: the kind of run, when it started, and a few random digits."""
    return f"{kind}-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"


def run_name(kind: str) -> Callable[[], str]:
    """A flow-run name function: the run id given as parameter, else a new one (the flow then uses it as run id).

    The flow run in the Prefect UI and the run record, the store commits and the run report then
    carry the same name.
    """

    def name() -> str:
        from prefect.runtime import flow_run

        return flow_run.parameters.get("run_id") or new_run_id(kind)

    return name


@task(name="fetch", task_run_name="fetch {family} {month}", cache_policy=NO_CACHE)
def fetch(family: str, month: str | None, raw_dir: Path) -> FamilyFetch:
    """Discover and download a family's issues; each failure is one line in the result, never an exception.

    Not retried here: the HTTP layer (`mixedflows.acquire.transport`) is the one place that retries,
    and only what a retry can help (timeouts, 429/5xx, broken connections), never a DNS failure or a
    refused connection.
    """
    config = AcquireConfig.from_env()
    with make_client(config) as client:
        return fetch_family(family, month, raw_dir, config=config, client=client)


@task(name="read-report", task_run_name="read {pdf.family} {pdf.month}", cache_policy=NO_CACHE)
def read(pdf: ArchivedPdf) -> ReadReport:
    """Extract one archived PDF (no history needed, nothing written): the part run in parallel."""
    return extract_report(pdf)


@task(name="decide-reports", cache_policy=NO_CACHE)
def decide(reads: list[ReadReport], output_dir: Path, run_id: str, extractor_version: str) -> list[ReportOutcome]:
    """Validate a batch of read reports against the store's history, then publish, quarantine or record failures.

    One commit per table for the whole batch (`mixedflows.pipeline.decide_batch`).
    """
    return decide_batch(reads, store=Store(output_dir), run_id=run_id, extractor_version=extractor_version)


#: Reports decided and written together, in one commit per table. Larger batches mean fewer, larger
#: commits; the reads of a batch are held in memory until it is decided, so this bounds memory too.
BATCH_REPORTS = 48


def process_in_order(
    pdfs: Sequence[ArchivedPdf],
    output_dir: Path,
    run_id: str,
    extractor_version: str,
    on_outcome: Callable[[ReportOutcome, int], None] | None = None,
    batch_reports: int = BATCH_REPORTS,
) -> list[ReportOutcome]:
    """Read every PDF in parallel (the task runner's workers), then decide them in batches in `decision_order`.

    The ledger is read once to leave out what the store already published from the same bytes and
    code. Deciding in a fixed order makes each report's history the earlier issues as this run
    decided them, so the violations and publish decisions do not depend on the number of workers,
    timing or batch size; a batch is decided while the workers read the next.
    """
    ordered = sorted(pdfs, key=lambda pdf: decision_order(report_id_for(pdf.family, pdf.month)))
    known = unchanged_reads(ordered, store=Store(output_dir), extractor_version=extractor_version)
    to_read = iter([pdf for pdf in ordered if report_id_for(pdf.family, pdf.month) not in known])
    futures: dict[str, Any] = {}

    def read_ahead() -> None:
        # At most a batch of reads in flight or waiting: memory stays flat however long the archive.
        while len(futures) < batch_reports and (pdf := next(to_read, None)) is not None:
            futures[report_id_for(pdf.family, pdf.month)] = read.submit(pdf)

    read_ahead()
    outcomes: list[ReportOutcome] = []
    for start in range(0, len(ordered), batch_reports):
        reads = []
        for pdf in ordered[start : start + batch_reports]:
            report_id = report_id_for(pdf.family, pdf.month)
            if report_id in known:
                reads.append(known[report_id])
                continue
            done = futures.pop(report_id).result(raise_on_failure=False)
            read_ahead()
            if not isinstance(done, ReadReport):
                # The task itself crashed (a worker died): the report failed, the others go on.
                detail = f"{pdf.path.name}: could not be read ({type(done).__name__}: {done})"
                done = ReadReport(pdf, report_id, failure=detail)
            reads.append(done)
        if all(r.unchanged is not None for r in reads):
            decided = [r.unchanged for r in reads]
        else:
            decided = decide(reads, output_dir, run_id, extractor_version)
        for outcome in decided:
            outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome, len(ordered))
    return outcomes


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
