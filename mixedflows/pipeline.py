"""The work done for one report, without Prefect: extract, validate against history, publish or quarantine.

Flows (`flows/`) read reports in parallel (`read_report`) and decide them one at a time in
`decision_order` (`decide_report`); `mixedflows publish` comes to the same `publish_extracted`.
Everything a run decides about a report is decided here, so it is tested without a Prefect server.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from extractors import ExtractedReport
from extractors.bounded import extract_bounded as extract
from extractors.errors import ExtractionError
from extractors.facts import facts_to_frame
from extractors.geo import AliasesError
from mixedflows.acquire import ArchivedPdf
from mixedflows.extractor_version import extractor_version as current_extractor_version
from mixedflows.store import PlannedReport, PublishResult, Store, StoreError
from mixedflows.validation import ValidationOutcome, finish_validation, prepare_validation, validate_extracted
from schemas.validate import PreparedReport

#: Statuses a report can end a run in. `unchanged`: the store already held exactly this.
STATUSES = ("published", "quarantined", "unchanged", "failed")


@dataclasses.dataclass(frozen=True)
class ReportOutcome:
    """What a run did with one report, in a form flows can pass around and write to disk."""

    family: str
    month: str
    report_id: str
    pdf: str
    pdf_sha256: str
    status: str
    fact_count: int = 0
    error_count: int = 0
    warning_count: int = 0
    store_version: int | None = None
    detail: str = ""
    violations: tuple[dict[str, Any], ...] = ()

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def to_record(self) -> dict[str, Any]:
        record = dataclasses.asdict(self)
        record["violations"] = list(self.violations)
        return record


def report_id_for(family: str, month: str) -> str:
    """`dtm_wb`, `2024-12` -> `dtm-wb-2024-12` (DATA_CONTRACT.md)."""
    return f"{family.replace('_', '-')}-{month}"


@dataclasses.dataclass(frozen=True)
class ReadReport:
    """One archived PDF after reading, before anything is decided or written about it.

    Exactly one of `report` (figures to validate and publish), `failure` (a one-line reason to
    record) and `unchanged` (the store already published these bytes with this extractor) is set.
    Reading needs no history and writes nothing, so any number of reports are read in parallel.
    """

    archived: ArchivedPdf
    report_id: str
    report: ExtractedReport | None = None
    failure: str | None = None
    unchanged: ReportOutcome | None = None
    #: The checks that need no history, done where the report was read (`extract_report`).
    prepared: PreparedReport | None = None


def decision_order(report_id: str) -> tuple[str, str]:
    """Sort key of the order reports are decided in: by month, then family (`dtm-wb-2024-12` -> (2024-12, dtm-wb)).

    A report is validated against what the store holds when it is decided: earlier months of its
    family (and the other families' same month) decided before it in this run. A fixed order makes
    the violations and publish decisions the same whatever the workers and their timing.
    """
    return report_id[-7:], report_id[:-8]


def process_report(
    archived: ArchivedPdf,
    *,
    store: Store,
    run_id: str,
    extractor_version: str | None = None,
    run_metadata: dict[str, Any] | None = None,
) -> ReportOutcome:
    """Extract, validate and publish one archived PDF; never raises for a bad report.

    Parameters
    ----------
    archived
        The PDF and its provenance (family, month, sha256, source URL) from the archive.
    store
        The versioned tables the report is published to (or quarantined in).
    run_id
        Recorded on every commit, so a version can be traced to the run that made it.
    extractor_version
        Part of what makes a re-run "the same": same PDF bytes and same code publish nothing new
        (default: `mixedflows.extractor_version.extractor_version()`).

    Returns
    -------
    ReportOutcome
        `published`, `quarantined` (unacknowledged error-level violations), `unchanged`, or
        `failed` with a one-line `detail` naming the file and what is wrong.
    """
    version = extractor_version or current_extractor_version()
    read = read_report(archived, store=store, extractor_version=version)
    return decide_report(read, store=store, run_id=run_id, extractor_version=version, run_metadata=run_metadata)


def read_report(archived: ArchivedPdf, *, store: Store, extractor_version: str) -> ReadReport:
    """Extract one archived PDF unless the store already published it; never writes, never raises for a bad PDF."""
    expected_id = report_id_for(archived.family, archived.month)
    if already_published(store, expected_id, archived.sha256, extractor_version):
        # Resuming a run, or re-running the same PDFs: nothing to read again, nothing to write.
        state = store.report_state(expected_id) or {}
        unchanged = ReportOutcome(
            **_base(archived),
            report_id=expected_id,
            status="unchanged",
            fact_count=state.get("fact_count", 0),
            store_version=store.version().version,
            detail="already published from these bytes",
        )
        return ReadReport(archived, expected_id, unchanged=unchanged)
    return extract_report(archived)


def extract_report(archived: ArchivedPdf) -> ReadReport:
    """Extract one archived PDF without asking the store anything; never writes, never raises for a bad PDF."""
    expected_id = report_id_for(archived.family, archived.month)
    try:
        # Sections that cannot be read become violations (the report is quarantined, not failed).
        report = extract(archived.path, source_url=archived.source_url, strict=False, second_reading=True)
        _check_identity(report, archived, expected_id)
    except (ExtractionError, AliasesError) as exc:
        return ReadReport(archived, expected_id, failure=str(exc))
    return ReadReport(archived, expected_id, report=report, prepared=prepare_validation(report))


def unchanged_reads(pdfs: Sequence[ArchivedPdf], *, store: Store, extractor_version: str) -> dict[str, ReadReport]:
    """The PDFs the store already published from the same bytes and code, by report id: the ledger read once.

    What `read_report` finds report by report, for a whole run: the others still need reading.
    """
    if not store.exists():
        return {}
    ledger = {row["report_id"]: row for row in store.read_reports().to_dict("records")}
    version = None
    found = {}
    for archived in pdfs:
        report_id = report_id_for(archived.family, archived.month)
        state = ledger.get(report_id)
        if not state or (state["status"], state["pdf_sha256"], state["extractor_version"]) != (
            "published",
            archived.sha256,
            extractor_version,
        ):
            continue
        version = store.version().version if version is None else version
        unchanged = ReportOutcome(
            **_base(archived),
            report_id=report_id,
            status="unchanged",
            fact_count=int(state["fact_count"]),
            store_version=version,
            detail="already published from these bytes",
        )
        found[report_id] = ReadReport(archived, report_id, unchanged=unchanged)
    return found


def decide_report(
    read: ReadReport,
    *,
    store: Store,
    run_id: str,
    extractor_version: str,
    run_metadata: dict[str, Any] | None = None,
) -> ReportOutcome:
    """Validate a read report against the store's history and publish or quarantine it (or record its failure).

    Call it for a run's reports one at a time, in `decision_order`: each report's history is then
    its earlier issues as this run decided them.
    """
    archived = read.archived
    if read.unchanged is not None:
        return read.unchanged
    metadata = {"pdf": archived.path.name, "source_url": archived.source_url, **(run_metadata or {})}
    if read.report is None:
        detail = read.failure or f"{archived.path.name}: not read"
        return _record_failure(store, read.report_id, _base(archived), detail, run_id, extractor_version, metadata)
    return publish_extracted(
        read.report,
        pdf=archived.path,
        store=store,
        run_id=run_id,
        extractor_version=extractor_version,
        run_metadata=metadata,
    )


def decide_batch(
    reads: Sequence[ReadReport],
    *,
    store: Store,
    run_id: str,
    extractor_version: str,
    run_metadata: dict[str, Any] | None = None,
) -> list[ReportOutcome]:
    """`decide_report` for several read reports at once: history read once, one commit per table for all.

    Reports are validated in the order given (`decision_order`), each against the store's history
    with the reports decided before it in this batch as if they had been published; the batch is
    then written with `Store.publish_batch`. Gives the same violations and decisions as deciding the
    reports one at a time.
    """
    history = _History(store)
    planned: list[tuple[dict[str, Any], PlannedReport, ValidationOutcome | None, str]] = []
    done: dict[str, ReportOutcome] = {}
    for read in reads:
        archived = read.archived
        if read.unchanged is not None:
            done[read.report_id] = read.unchanged
            continue
        metadata = {"pdf": archived.path.name, "source_url": archived.source_url, **(run_metadata or {})}
        if read.report is None:
            base = _base(archived)
            detail = " ".join((read.failure or f"{archived.path.name}: not read").split())
            try:
                failure = store.plan_failure(
                    read.report_id,
                    pdf_sha256=base["pdf_sha256"],
                    extractor_version=extractor_version,
                    run_id=run_id,
                    detail=detail,
                    run_metadata=metadata,
                )
            except StoreError as exc:
                detail = f"{detail} (and the failure could not be recorded: {exc})"
                done[read.report_id] = ReportOutcome(**base, report_id=read.report_id, status="failed", detail=detail)
                continue
            planned.append((base, failure, None, detail))
            continue
        report = read.report
        base = _published_base(report, archived.path)
        prepared = read.prepared or prepare_validation(report)
        validation = finish_validation(prepared, history.without(report.report_id))
        try:
            publish = _plan(store, report, validation, run_id, extractor_version, metadata)
        except StoreError as exc:
            done[read.report_id] = _not_published(base, len(report.facts), exc)
            continue
        if not validation.blocked:
            # Held-back figures leave the last published ones in place, as the store will.
            history.replace(report.report_id, publish.facts)
        planned.append((base, publish, validation, ""))
    try:
        results = store.publish_batch([publish for _, publish, _, _ in planned])
    except StoreError as exc:
        for base, publish, validation, detail in planned:
            if validation is None:
                done[publish.report_id] = ReportOutcome(
                    **base,
                    report_id=publish.report_id,
                    status="failed",
                    detail=f"{detail} (and the failure could not be recorded: {exc})",
                )
            else:
                count = publish.facts.num_rows if publish.facts is not None else 0
                done[publish.report_id] = _not_published(base, count, exc)
    else:
        for (base, publish, validation, detail), result in zip(planned, results, strict=True):
            if validation is None:
                done[publish.report_id] = ReportOutcome(
                    **base, report_id=publish.report_id, status="failed", store_version=result.version, detail=detail
                )
            else:
                done[publish.report_id] = _published_outcome(base, publish.report_id, validation, result)
    return [done[read.report_id] for read in reads]


class _History:
    """The published figures decisions are validated against, read once and kept up to date by the batch."""

    def __init__(self, store: Store) -> None:
        facts = store.read_facts() if store.exists() else None
        self._by_report: dict[str, pd.DataFrame] = {}
        if facts is not None and len(facts):
            self._by_report = {str(k): rows for k, rows in facts.groupby("report_id", sort=False)}

    def without(self, report_id: str) -> pd.DataFrame | None:
        """Every figure of the other reports, as `published_history` gives it."""
        frames = [rows for key, rows in self._by_report.items() if key != report_id]
        return pd.concat(frames, ignore_index=True) if frames else None

    def replace(self, report_id: str, facts: pa.Table | None) -> None:
        """A report's figures as published (its rows as the store will hold and read them back)."""
        from mixedflows.store.tables import FACTS, SPECS, arrow_to_frame

        if facts is None or facts.num_rows == 0:
            self._by_report.pop(report_id, None)
        else:
            self._by_report[report_id] = arrow_to_frame(facts, SPECS[FACTS])


def publish_extracted(
    report: ExtractedReport,
    *,
    store: Store,
    run_id: str,
    extractor_version: str,
    run_metadata: dict[str, Any],
    pdf: Path,
) -> ReportOutcome:
    """Validate one extracted report with the store's published history, then publish or quarantine it.

    The one place a report is judged: the flows and `mixedflows publish` both come here, so the same
    PDF and store give the same violations whichever way it was published.
    """
    base = _published_base(report, pdf)
    history = published_history(store, report.report_id)
    validation = validate_extracted(report, history)
    try:
        (result,) = store.publish_batch([_plan(store, report, validation, run_id, extractor_version, run_metadata)])
    except StoreError as exc:
        return _not_published(base, len(report.facts), exc)
    return _published_outcome(base, report.report_id, validation, result)


def _plan(
    store: Store,
    report: ExtractedReport,
    validation: ValidationOutcome,
    run_id: str,
    extractor_version: str,
    run_metadata: dict[str, Any],
) -> PlannedReport:
    return store.plan_publish(
        report.report_id,
        facts_to_frame(report.facts),
        validation.frame,
        pdf_sha256=report.pdf_sha256,
        extractor_version=extractor_version,
        run_id=run_id,
        blocked=validation.blocked,
        run_metadata=run_metadata,
    )


def _published_base(report: ExtractedReport, pdf: Path) -> dict[str, Any]:
    return {
        "family": report.report_id[:-8].replace("-", "_"),
        "month": report.report_id[-7:],
        "pdf": str(pdf),
        "pdf_sha256": report.pdf_sha256,
    }


def _not_published(base: dict[str, Any], fact_count: int, exc: Exception) -> ReportOutcome:
    report_id = report_id_for(base["family"], base["month"])
    return ReportOutcome(
        **base,
        report_id=report_id,
        status="failed",
        fact_count=fact_count,
        detail=f"{Path(base['pdf']).name}: not published: {exc}",
    )


def _published_outcome(
    base: dict[str, Any], report_id: str, validation: ValidationOutcome, result: PublishResult
) -> ReportOutcome:
    return ReportOutcome(
        **base,
        report_id=report_id,
        status=result.status,
        fact_count=result.fact_count,
        error_count=validation.error_count,
        warning_count=validation.warning_count,
        store_version=result.version,
        detail=_describe(validation, result.status),
        violations=tuple(_json_ready(validation.violations)),
    )


def _base(archived: ArchivedPdf) -> dict[str, Any]:
    return {
        "family": archived.family,
        "month": archived.month,
        "pdf": str(archived.path),
        "pdf_sha256": archived.sha256,
    }


def already_published(store: Store, report_id: str, pdf_sha256: str, extractor_version: str) -> bool:
    """Whether the store's ledger says this report was published from these bytes by this code.

    Quarantined and failed reports are processed again: an acknowledgement or a fix may have come since.
    """
    state = store.report_state(report_id)
    return bool(state) and (state["status"], state["pdf_sha256"], state["extractor_version"]) == (
        "published",
        pdf_sha256,
        extractor_version,
    )


def _check_identity(report: ExtractedReport, archived: ArchivedPdf, expected_id: str) -> None:
    # The archive files a PDF under the family and month it was downloaded for; a PDF whose own text
    # says otherwise (a mis-filed or re-used link) must not overwrite another report's figures.
    if report.report_id != expected_id:
        raise ExtractionError(
            f"{archived.path.name}: archived as {expected_id} but the PDF itself is {report.report_id}"
        )


def _record_failure(
    store: Store,
    report_id: str,
    base: dict[str, Any],
    detail: str,
    run_id: str,
    extractor_version: str,
    metadata: dict[str, Any],
) -> ReportOutcome:
    detail = " ".join(detail.split())
    version = None
    try:
        version = store.record_failure(
            report_id,
            pdf_sha256=base["pdf_sha256"],
            extractor_version=extractor_version,
            run_id=run_id,
            detail=detail,
            run_metadata=metadata,
        ).version
    except StoreError as exc:
        detail = f"{detail} (and the failure could not be recorded: {exc})"
    return ReportOutcome(**base, report_id=report_id, status="failed", store_version=version, detail=detail)


def published_history(store: Store, report_id: str) -> pd.DataFrame | None:
    """Every published figure of other reports: earlier issues of the family and the other publisher's.

    History rules compare a report with its family's previous issue (year to date accumulates, printed
    changes agree) and, as warnings, with the other publisher's issue of the same month.
    """
    if not store.exists():
        return None
    facts = store.read_facts()
    facts = facts[facts["report_id"] != report_id]
    return facts.reset_index(drop=True) if len(facts) else None


def _describe(validation: ValidationOutcome, status: str) -> str:
    if status == "quarantined":
        rules = ", ".join(validation.blocking_rules)
        return f"held in quarantine: {validation.error_count} unacknowledged error(s) ({rules})"
    if validation.error_count or validation.warning_count:
        return f"{validation.error_count} error(s), {validation.warning_count} warning(s)"
    return "no violations"


def _json_ready(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return json.loads(json.dumps(list(rows), default=str))


def write_run_record(output_dir: Path, run_id: str, outcomes: Sequence[ReportOutcome], extra: dict[str, Any]) -> Path:
    """Write `output/runs/<run_id>.json`: what a run did, for people, reports and alerts (atomic write)."""
    runs = Path(output_dir) / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    target = runs / f"{run_id}.json"
    temporary = target.with_suffix(".json.part")
    record = {"run_id": run_id, **extra, "reports": [o.to_record() for o in outcomes]}
    temporary.write_text(json.dumps(record, indent=1, ensure_ascii=False, default=str) + "\n")
    temporary.replace(target)
    return target
