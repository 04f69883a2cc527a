"""The monthly run: for each family, fetch (optional), then extract, validate, publish and alert."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from extractors import EXTRACTORS
from flows.summary import final_state, publish_artifacts
from flows.tasks import alert, fetch, latest_archived_month, new_run_id, process_in_order, report, run_name
from mixedflows.acquire import archived
from mixedflows.extractor_version import extractor_version
from mixedflows.pipeline import write_run_record


@flow(name="mixedflows-monthly", log_prints=True, flow_run_name=run_name("monthly"))
def monthly(
    month: str | None = None,
    source: str = "local",
    raw_dir: str = "raw_pdfs",
    output_dir: str = "output",
    families: list[str] | None = None,
    run_id: str | None = None,
):
    """Process one month's reports of every family.

    Parameters
    ----------
    month
        `YYYY-MM`; default: the latest month in the archive, per family (after fetching, with web).
    source
        `local` reads the archive only (offline); `web` first fetches from the publishers' sites.
    raw_dir, output_dir
        The archive of PDFs and the folder of published tables.
    families
        Keys of `extractors.EXTRACTORS` (default: all).
    run_id
        Recorded on every commit and names the run record `output/runs/<run_id>.json`.
    """
    logger = get_run_logger()
    run_id = run_id or flow_run.get_name() or new_run_id("monthly")
    raw, output = Path(raw_dir), Path(output_dir)
    families = families or list(EXTRACTORS)
    source_notes: list[str] = []
    source_failures: list[str] = []
    unreachable: set[str] = set()
    if source == "web":
        futures = {family: fetch.submit(family, month, raw) for family in families}
        for family, future in futures.items():
            future.wait()
            if future.state.is_completed():
                fetched = future.result()
                source_notes += [r.message() for r in fetched.results if r.ok]
                source_failures += list(fetched.failures)
                if fetched.failures and not fetched.results:
                    unreachable.add(family)
            else:
                source_failures.append(f"{family}: {future.state.message}")
                unreachable.add(family)
    elif source != "local":
        raise ValueError(f"source must be 'local' or 'web', not {source!r}")

    pdfs = []
    for family in families:
        wanted = month or latest_archived_month(raw, family)
        found = archived(raw, family, wanted) if wanted else []
        if not found and family not in unreachable:
            # A source that could not be reached already has its one line; no second one for it.
            source_failures.append(f"{family}: no report for {wanted or 'any month'} in {raw}/")
        pdfs.extend(found)
    for line in source_failures:
        logger.error(line)

    outcomes = sorted(process_in_order(pdfs, output, run_id, extractor_version()), key=lambda o: o.family)
    for outcome in outcomes:
        log = logger.error if outcome.failed else logger.info
        log("%s: %s (%s)", outcome.report_id, outcome.status, outcome.detail)
    record = write_run_record(
        output,
        run_id,
        outcomes,
        {
            "flow": "monthly",
            "month": month,
            "source": source,
            "sources": source_notes,
            "source_failures": source_failures,
        },
    )
    for line in alert(outcomes, report(record, output, raw)):
        logger.info("alert: %s", line)
    publish_artifacts("monthly", f"Monthly run {run_id}", outcomes, record, source_notes + source_failures)
    return final_state(outcomes, source_failures, record)
