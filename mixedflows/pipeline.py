"""The work done for one report, without Prefect: extract, validate against history, publish or quarantine.

Flows (`flows/`) call `process_report` once per archived PDF and only orchestrate; everything a run
decides about a report is decided here, so it is tested without a Prefect server.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from extractors import ExtractedReport
from extractors.bounded import extract_bounded as extract
from extractors.errors import ExtractionError
from extractors.facts import facts_to_frame
from mixedflows import __version__
from mixedflows.acquire import ArchivedPdf
from mixedflows.store import Store, StoreError
from mixedflows.validation import ValidationOutcome, validate_extracted

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


def process_report(
    archived: ArchivedPdf,
    *,
    store: Store,
    run_id: str,
    extractor_version: str = __version__,
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
        Part of what makes a re-run "the same": same PDF bytes and same code publish nothing new.

    Returns
    -------
    ReportOutcome
        `published`, `quarantined` (unacknowledged error-level violations), `unchanged`, or
        `failed` with a one-line `detail` naming the file and what is wrong.
    """
    expected_id = report_id_for(archived.family, archived.month)
    metadata = {"pdf": archived.path.name, "source_url": archived.source_url, **(run_metadata or {})}
    base = {
        "family": archived.family,
        "month": archived.month,
        "pdf": str(archived.path),
        "pdf_sha256": archived.sha256,
    }
    if already_published(store, expected_id, archived.sha256, extractor_version):
        # Resuming a run, or re-running the same PDFs: nothing to read again, nothing to write.
        state = store.report_state(expected_id) or {}
        return ReportOutcome(
            **base,
            report_id=expected_id,
            status="unchanged",
            fact_count=state.get("fact_count", 0),
            store_version=store.version().version,
            detail="already published from these bytes",
        )
    try:
        report = extract(archived.path, source_url=archived.source_url)
        _check_identity(report, archived, expected_id)
    except ExtractionError as exc:
        return _record_failure(store, expected_id, base, str(exc), run_id, extractor_version, metadata)

    facts = facts_to_frame(report.facts)
    history = published_history(store, report.report_id)
    validation = validate_extracted(report, history)
    try:
        result = store.publish_report(
            report.report_id,
            facts,
            validation.frame,
            pdf_sha256=report.pdf_sha256,
            extractor_version=extractor_version,
            run_id=run_id,
            blocked=validation.blocked,
            run_metadata=metadata,
        )
    except StoreError as exc:
        return ReportOutcome(
            **base,
            report_id=report.report_id,
            status="failed",
            fact_count=len(facts),
            detail=f"{archived.path.name}: not published: {exc}",
        )
    return ReportOutcome(
        **base,
        report_id=report.report_id,
        status=result.status,
        fact_count=result.fact_count,
        error_count=validation.error_count,
        warning_count=validation.warning_count,
        store_version=result.version,
        detail=_describe(validation, result.status),
        violations=tuple(_json_ready(validation.violations)),
    )


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
