"""The backfill: every report of a range of months, in parallel through a task runner, resumable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from extractors import EXTRACTORS
from flows.summary import final_state, publish_artifacts
from flows.tasks import alert, fetch, new_run_id, process_in_order, report, run_name
from mixedflows.acquire import archived
from mixedflows.extractor_version import extractor_version
from mixedflows.pipeline import ReportOutcome, write_run_record
from mixedflows.store import Store

#: A backfill that wrote at least this many reports merges the tables' small files afterwards.
COMPACT_AFTER_REPORTS = 24

#: Called in the flow's process as each report finishes (the CLI's progress bar listens here).
_listeners: list[Callable[[ReportOutcome, int], None]] = []


#: Called with the name of each step after the reports (the run report, alerts), for the progress display.
_step_listeners: list[Callable[[str], None]] = []


def on_report_done(listener: Callable[[ReportOutcome, int], None]) -> Callable[[], None]:
    """Register `listener(outcome, total)`; returns a function that unregisters it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener)


def on_step(listener: Callable[[str], None]) -> Callable[[], None]:
    """Register `listener(step)`, told when the backfill moves on to a step after the reports."""
    _step_listeners.append(listener)
    return lambda: _step_listeners.remove(listener)


def _step(name: str) -> None:
    for listener in list(_step_listeners):
        listener(name)


def months_between(first: str, last: str) -> list[str]:
    """Every `YYYY-MM` from `first` to `last`, inclusive; ValueError naming a bad or reversed range."""
    try:
        start = dt.date.fromisoformat(f"{first}-01")
        end = dt.date.fromisoformat(f"{last}-01")
    except ValueError:
        raise ValueError(f"months must be YYYY-MM, got {first!r} and {last!r}") from None
    if start > end:
        raise ValueError(f"--from {first} is after --to {last}")
    months = []
    while start <= end:
        months.append(f"{start:%Y-%m}")
        start = (start + dt.timedelta(days=32)).replace(day=1)
    return months


@flow(name="mixedflows-backfill", log_prints=True, flow_run_name=run_name("backfill"))
def backfill(
    first_month: str,
    last_month: str,
    source: str = "local",
    raw_dir: str = "raw_pdfs",
    output_dir: str = "output",
    families: list[str] | None = None,
    run_id: str | None = None,
):
    """Process every archived report of a range of months: read in parallel, decided in month order; resumable.

    A report the store already published from the same PDF bytes and code is skipped, so a
    backfill that was stopped picks up where it left off, and a second run writes nothing.

    Parameters
    ----------
    first_month, last_month
        The range, `YYYY-MM`, inclusive.
    source
        `local` (the archive) or `web` (fetch each month first).
    raw_dir, output_dir, families, run_id
        As for the monthly flow.
    """
    logger = get_run_logger()
    months = months_between(first_month, last_month)
    run_id = run_id or flow_run.get_name() or new_run_id("backfill")
    raw, output = Path(raw_dir), Path(output_dir)
    families = families or list(EXTRACTORS)
    notes: list[str] = []
    failures: list[str] = []
    if source == "web":
        fetches = [fetch.submit(family, month, raw) for family in families for month in months]
        for future in fetches:
            future.wait()
            if future.state.is_completed():
                fetched = future.result()
                notes += [r.message() for r in fetched.results if r.ok]
                failures += list(fetched.failures)
            else:
                failures.append(str(future.state.message))
    elif source != "local":
        raise ValueError(f"source must be 'local' or 'web', not {source!r}")

    pdfs = [pdf for family in families for pdf in archived(raw, family) if pdf.month in months]
    if not pdfs:
        failures.append(f"no archived report between {first_month} and {last_month} in {raw}/")

    def tell_listeners(outcome: ReportOutcome, total: int) -> None:
        for listener in list(_listeners):
            listener(outcome, total)

    outcomes = process_in_order(pdfs, output, run_id, extractor_version(), tell_listeners)
    written = sum(1 for o in outcomes if o.status in ("published", "quarantined"))
    if written >= COMPACT_AFTER_REPORTS:
        _step("compacting the tables")
        for table, (before, after) in Store(output).compact().items():
            logger.info("compacted %s: %d data files -> %d (every version still reads)", table, before, after)
    outcomes.sort(key=lambda o: (o.family, o.month))
    for line in failures:
        logger.error(line)
    record = write_run_record(
        output,
        run_id,
        outcomes,
        {"flow": "backfill", "months": months, "source": source, "sources": notes, "source_failures": failures},
    )
    _step("building the run report")
    url = report(record, output, raw)
    _step("sending alerts")
    for line in alert(outcomes, url):
        logger.info("alert: %s", line)
    publish_artifacts(
        "backfill", f"Backfill {first_month}..{last_month} ({run_id})", outcomes, record, notes + failures
    )
    return final_state(outcomes, failures, record)
