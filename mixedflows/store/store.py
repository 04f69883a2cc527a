"""`Store`: the versioned Delta tables under one output directory, and everything flows and the CLI do with them."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable
from deltalake.exceptions import CommitFailedError

from .errors import StoreInputError, StoreNotFoundError
from .export import ExportResult, write_export
from .history import StoreVersion, diff_facts, list_versions, resolve
from .publish import (
    MAX_ATTEMPTS,
    CommitHook,
    Planner,
    PublishResult,
    apply,
    apply_batch,
    plan_failure,
    plan_publish,
    plan_release,
)
from .tables import (
    FACTS,
    QUARANTINE,
    REPORTS,
    SEVERITIES,
    SPECS,
    VIOLATIONS,
    arrow_to_frame,
    duplicate_keys,
    frame_to_arrow,
    parse_report_id,
    read_table,
    sort_rows,
)

_SHA256_RE = re.compile(r"[0-9a-f]{64}")

#: Columns of `schemas.violations.VIOLATION_COLUMNS` the store does not keep (the key already names the period).
_VALIDATION_ONLY = frozenset({"period_start", "period_end", "bbox"})


@dataclasses.dataclass(frozen=True)
class PlannedReport:
    """One report's publish or failure record, its input checked, waiting for `Store.publish_batch`.

    `facts` holds the figures as the `facts` table will store them (None for a failure record).
    """

    report_id: str
    plan: Planner
    facts: pa.Table | None = None


class Store:
    """The published outputs: Delta tables `facts`, `violations`, `quarantine` and `reports` in one directory.

    Every publish replaces one report's rows, one commit per table that changed, and ends with a commit
    of the `reports` ledger. Each ledger commit is a *store version*: it carries the run's metadata and
    the versions of the other tables it stands for, so any version reads back exactly, even when a
    process died half-way through a later publish. Nothing is written when nothing changed.

    Parameters
    ----------
    output_dir
        Directory holding the tables (created on the first publish).
    on_commit
        Called after every commit with the table name and the version it produced (for progress logs).
    max_attempts
        How many times a publish is recomputed on a fresh snapshot when other writers commit first.

    Examples
    --------
    A flow publishing one extracted report, then what changed::

        store = Store("output")
        result = store.publish_report("dtm-wb-2024-12", facts, violations, pdf_sha256=sha,
                                      extractor_version="0.1.0", run_id="2025-01-15-monthly", blocked=False)
        result.status, result.version        # ("published", 3), or ("unchanged", 2) on a re-run
        store.diff(2, 3)                     # figures added, removed, changed
    """

    def __init__(
        self, output_dir: str | Path, on_commit: CommitHook | None = None, max_attempts: int = MAX_ATTEMPTS
    ) -> None:
        self.root = Path(output_dir)
        self.paths = {name: self.root / name for name in SPECS}
        self.on_commit = on_commit
        self.max_attempts = max_attempts

    # -- writing ---------------------------------------------------------------------------------------

    def publish_report(
        self, report_id: str, facts: pd.DataFrame, violations: pd.DataFrame, **options: Any
    ) -> PublishResult:
        """Replace a report's rows with a new extraction, or hold them in quarantine.

        Parameters
        ----------
        report_id
            `dtm-wb-YYYY-MM` or `unhcr-wb-YYYY-MM`; every row of `facts` and `violations` must carry it.
        facts
            The report's figures with the contract's columns (`extractors.facts.facts_to_frame`).
        violations
            Validation findings (`schemas.validate_report`): at least `rule, severity, detail`; the
            table's other columns (`report_id`, `pdf_sha256`, the figures involved, pages,
            acknowledgement) are filled in or left empty when absent; may be empty.
        pdf_sha256, extractor_version, run_id
            Which PDF, which code and which run; recorded in the ledger and the commits.
        blocked
            True when validation found unacknowledged error-level violations: the figures go to
            `quarantine` (the report's previously published figures stay in `facts`) until
            `release_quarantined`. Content that was already released is not held back again.
        run_metadata
            Extra JSON-serialisable facts about the run (flow run id, deployment, ...) for every commit.

        Returns
        -------
        PublishResult
            Status `published`, `quarantined` or `unchanged` (nothing written), and the store version.

        Raises
        ------
        StoreInputError
            When a frame does not fit (other report's rows, duplicate keys, missing columns, wrong sha256).
        StoreConflictError
            When other writers kept winning the commit race for all of the bounded retries.
        """
        return self.publish_batch([self.plan_publish(report_id, facts, violations, **options)])[0]

    def release_quarantined(
        self, report_id: str, *, run_id: str, acknowledged_by: str, run_metadata: Mapping[str, Any] | None = None
    ) -> PublishResult:
        """Publish a quarantined report's figures to `facts`, once someone acknowledged its violations.

        Raises
        ------
        ReportStateError
            When the report is not quarantined.
        """
        parse_report_id(report_id)
        if not acknowledged_by.strip():
            raise StoreInputError(f"{report_id}: say who acknowledged the violations (acknowledged_by is empty)")
        metadata = self._metadata(report_id, run_id, run_metadata)
        plan = plan_release(report_id, run_id=run_id, acknowledged_by=acknowledged_by, metadata=metadata)
        return apply(self.paths, report_id, plan, self.on_commit, self.max_attempts)

    def record_failure(self, report_id: str, **options: Any) -> PublishResult:
        """Record in the ledger that a report could not be read; its published figures stay as they are.

        Takes `plan_failure`'s arguments (`pdf_sha256`, `extractor_version`, `run_id`, `detail`, `run_metadata`).
        """
        return self.publish_batch([self.plan_failure(report_id, **options)])[0]

    def plan_publish(
        self,
        report_id: str,
        facts: pd.DataFrame,
        violations: pd.DataFrame,
        *,
        pdf_sha256: str,
        extractor_version: str,
        run_id: str,
        blocked: bool,
        run_metadata: Mapping[str, Any] | None = None,
    ) -> PlannedReport:
        """What `publish_report` would write, its input checked, for `publish_batch`.

        `publish_report` takes these arguments and raises what this raises.
        """
        fact_rows = self._facts_input(report_id, facts, pdf_sha256)
        violation_rows = self._violations_input(report_id, violations, pdf_sha256)
        metadata = self._metadata(report_id, run_id, run_metadata, pdf_sha256, extractor_version)
        plan = plan_publish(
            report_id,
            fact_rows,
            violation_rows,
            pdf_sha256=pdf_sha256,
            extractor_version=extractor_version,
            run_id=run_id,
            blocked=blocked,
            metadata=metadata,
        )
        return PlannedReport(report_id, plan, fact_rows)

    def plan_failure(
        self,
        report_id: str,
        *,
        pdf_sha256: str,
        extractor_version: str,
        run_id: str,
        detail: str,
        run_metadata: Mapping[str, Any] | None = None,
    ) -> PlannedReport:
        """What `record_failure` would write, its input checked, for `publish_batch`."""
        parse_report_id(report_id)
        self._check_sha(report_id, pdf_sha256)
        metadata = self._metadata(report_id, run_id, run_metadata, pdf_sha256, extractor_version)
        plan = plan_failure(
            report_id,
            pdf_sha256=pdf_sha256,
            extractor_version=extractor_version,
            run_id=run_id,
            detail=detail,
            metadata=metadata,
        )
        return PlannedReport(report_id, plan)

    def publish_batch(self, planned: Sequence[PlannedReport]) -> list[PublishResult]:
        """Write a batch of planned publishes and failure records: at most one commit per table for all of them.

        The ledger commit that ends the batch is one store version holding every report the batch
        changed (each ledger row names its run); reports whose content the store already holds are
        `unchanged`, and a batch that changes nothing writes nothing. A process killed half-way leaves
        the store at its previous version, and the same batch run again completes it.

        Returns
        -------
        list of PublishResult
            One per planned report, in order; each carries the store version after the batch.

        Raises
        ------
        StoreConflictError
            When other writers kept winning the commit race for all of the bounded retries.
        """
        if not planned:
            return []
        plans = [(p.report_id, p.plan) for p in planned]
        return apply_batch(self.paths, plans, self.on_commit, self.max_attempts)

    def compact(self) -> dict[str, tuple[int, int]]:
        """Merge small data files of `facts`, `violations` and `quarantine`, keeping every version readable.

        Compaction adds a version to each data table with the same rows in fewer files; it deletes
        nothing (no vacuum), so older versions, and every store version, read exactly as before. The
        ledger is left as it is: its commits are the store versions. Tables are partitioned by report,
        so files merge only within a report's partition. A table another process is writing to is
        skipped (its files are merged next time).

        Returns
        -------
        dict
            Live data files per table, before and after.
        """
        self._require()
        files = {}
        for name in (FACTS, VIOLATIONS, QUARANTINE):
            table = DeltaTable(self.paths[name])
            before = len(table.file_uris())
            with contextlib.suppress(CommitFailedError):
                table.optimize.compact(
                    commit_properties=CommitProperties(custom_metadata={"mixedflows": {"action": "compact"}})
                )
            files[name] = (before, len(DeltaTable(self.paths[name]).file_uris()))
        return files

    # -- reading ---------------------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether anything was ever published here."""
        return DeltaTable.is_deltatable(str(self.paths[REPORTS]))

    def versions(self) -> list[StoreVersion]:
        """Every store version, oldest first: when, what, which run, which reports, which table versions."""
        self._require()
        return list_versions(self.paths[REPORTS])

    def version(self, version: int | None = None) -> StoreVersion:
        """One store version (None: the latest)."""
        return resolve(self.versions(), version, self.root)

    def read_facts(self, version: int | None = None) -> pd.DataFrame:
        """The published figures at a store version (None: the latest), with the contract's columns."""
        return arrow_to_frame(self._read(FACTS, self.version(version)), SPECS[FACTS])

    def read_violations(self, version: int | None = None) -> pd.DataFrame:
        """The validation findings at a store version."""
        return arrow_to_frame(self._read(VIOLATIONS, self.version(version)), SPECS[VIOLATIONS])

    def read_quarantine(self, version: int | None = None) -> pd.DataFrame:
        """The figures held back at a store version."""
        return arrow_to_frame(self._read(QUARANTINE, self.version(version)), SPECS[QUARANTINE])

    def read_reports(self, version: int | None = None) -> pd.DataFrame:
        """The ledger at a store version: one row per report with its PDF, code, run and status."""
        return arrow_to_frame(self._read(REPORTS, self.version(version)), SPECS[REPORTS])

    def report_state(self, report_id: str) -> dict[str, Any] | None:
        """The report's current ledger row (None if never processed); flows use it to skip known PDFs."""
        if not self.exists():
            return None
        rows = read_table(self.paths[REPORTS], SPECS[REPORTS], report_id=report_id).to_pylist()
        return rows[0] if rows else None

    def diff(self, v1: int, v2: int) -> pd.DataFrame:
        """Figures added, removed and changed from store version `v1` to `v2`.

        Returns
        -------
        pandas.DataFrame
            One row per difference: `change` (`added`, `removed`, `changed`), the facts key
            (DATA_CONTRACT.md), and `value`, `unit`, `qualifier` before and after.
        """
        versions = self.versions()
        before, after = resolve(versions, v1, self.root), resolve(versions, v2, self.root)
        return diff_facts(
            arrow_to_frame(self._read(FACTS, before), SPECS[FACTS]),
            arrow_to_frame(self._read(FACTS, after), SPECS[FACTS]),
        )

    def export(self, version: int | None, out_dir: str | Path, fmt: str = "parquet", hxl: bool = False) -> ExportResult:
        """Write `facts`, `violations` and `reports` at a store version, with a Frictionless `datapackage.json`.

        Parameters
        ----------
        version
            Store version to export (None: the latest).
        out_dir
            A new (or empty) directory; it appears complete or not at all.
        fmt
            `parquet` or `csv`.
        hxl
            CSV only: put a row of HXL hashtags (`#country+code`, `#indicator+value+num`, ...) under the header.
        """
        found = self.version(version)
        tables = {name: self._read(name, found) for name in (FACTS, VIOLATIONS, REPORTS)}
        return write_export(tables, found, Path(out_dir), fmt, hxl)

    # -- helpers ---------------------------------------------------------------------------------------

    def _require(self) -> None:
        if not self.exists():
            raise StoreNotFoundError(f"{self.root}: no published tables here yet (publish a report first)")

    def _read(self, table: str, version: StoreVersion) -> pa.Table:
        at = version.version if table == REPORTS else version.tables[table]
        return read_table(self.paths[table], SPECS[table], version=at)

    def _metadata(
        self,
        report_id: str,
        run_id: str,
        run_metadata: Mapping[str, Any] | None,
        pdf_sha256: str | None = None,
        extractor_version: str | None = None,
    ) -> dict[str, Any]:
        if not run_id or not run_id.strip():
            raise StoreInputError(f"{report_id}: run_id is empty")
        try:
            json.dumps(dict(run_metadata or {}), allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise StoreInputError(f"{report_id}: run_metadata must be JSON (it goes into the commits): {exc}") from exc
        metadata: dict[str, Any] = {"run": dict(run_metadata or {}), "run_id": run_id, "report_ids": [report_id]}
        if pdf_sha256 is not None:
            metadata.update(pdf_sha256=pdf_sha256, extractor_version=extractor_version)
        return metadata

    def _check_sha(self, report_id: str, pdf_sha256: str) -> None:
        if not _SHA256_RE.fullmatch(pdf_sha256 or ""):
            raise StoreInputError(f"{report_id}: pdf_sha256 {pdf_sha256!r} is not 64 lowercase hex digits")

    def _facts_input(self, report_id: str, facts: pd.DataFrame, pdf_sha256: str) -> pa.Table:
        parse_report_id(report_id)
        self._check_sha(report_id, pdf_sha256)
        rows = frame_to_arrow(facts, SPECS[FACTS], f"{report_id}: facts")
        _same_everywhere(rows, "report_id", report_id, f"{report_id}: facts")
        _same_everywhere(rows, "pdf_sha256", pdf_sha256, f"{report_id}: facts")
        repeated = duplicate_keys(rows, SPECS[FACTS].key)
        if repeated:
            raise StoreInputError(f"{report_id}: facts repeat the key of another row {repeated} time(s)")
        return sort_rows(rows, SPECS[FACTS])

    def _violations_input(self, report_id: str, violations: pd.DataFrame, pdf_sha256: str) -> pa.Table:
        frame = violations.copy()
        for name, value in (("report_id", report_id), ("pdf_sha256", pdf_sha256)):
            if name not in frame.columns:
                frame[name] = pd.Series([value] * len(frame), index=frame.index, dtype="string")
        spec = SPECS[VIOLATIONS]
        for column in spec.columns:
            if column.name not in frame.columns and not column.required:
                frame[column.name] = pd.Series([None] * len(frame), index=frame.index, dtype="object")
        # Validation frames carry a few columns of their own (period bounds) that the table does not keep.
        frame = frame[[c for c in frame.columns if c in spec.column_names or c not in _VALIDATION_ONLY]]
        rows = frame_to_arrow(frame, spec, f"{report_id}: violations")
        _same_everywhere(rows, "report_id", report_id, f"{report_id}: violations")
        bad = sorted(set(rows.column("severity").to_pylist()) - set(SEVERITIES))
        if bad:
            raise StoreInputError(f"{report_id}: violations have severity {bad}, not one of {list(SEVERITIES)}")
        return sort_rows(rows, SPECS[VIOLATIONS])


def _same_everywhere(rows: pa.Table, column: str, value: str, what: str) -> None:
    others = pc.unique(pc.filter(rows.column(column), pc.not_equal(rows.column(column), value))).to_pylist()
    if others:
        raise StoreInputError(f"{what}: {column} must be {value!r} on every row, found {others[:3]}")
