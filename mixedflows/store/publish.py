"""Publishing one report: replace its rows table by table, then commit the ledger row that makes it visible.

A publish computes the state a report should have in each table, compares it with what the tables hold,
and writes only the tables that differ, each in one commit (a predicate overwrite of the report's
partition). The `reports` ledger is written last: its commit is the store's version and names the
versions of the other tables it stands for, so a reader going through the store sees either all of a
publish or none of it, even if the process dies between two tables. Identical content writes nothing.

Writers coordinate through Delta's optimistic concurrency alone: when another process commits first,
the whole publish is recomputed on a fresh snapshot (tables already written compare equal and are
skipped) a bounded number of times.
"""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
from deltalake import CommitProperties, DeltaTable, write_deltalake
from deltalake.exceptions import CommitFailedError

from .errors import ReportStateError, StoreConflictError
from .tables import (
    FACTS,
    QUARANTINE,
    REPORTS,
    SPECS,
    VIOLATIONS,
    WRITE_ORDER,
    create_table,
    parse_report_id,
    read_rows,
    same_rows,
    split_by_report,
    utc_now,
)

#: Attempts of one publish when other writers keep committing first. Each attempt costs a few
#: milliseconds of reads; in 12 measured races of two processes started together, the loser always
#: landed on its 2nd attempt, so 8 leaves room for several writers without hiding a livelock.
MAX_ATTEMPTS = 8

#: Back-off before a retry: uniform in (0, BACKOFF_SECONDS * attempt) so that racing writers spread out.
BACKOFF_SECONDS = 0.05

#: Called after every commit with the table name and the version it produced (flows log it; tests kill there).
CommitHook = Callable[[str, int], None]

#: Ledger columns that change on every run; a row equal in all other columns is "unchanged".
_RUN_COLUMNS = ("run_id", "published_at")

# One writer at a time per output directory within a process (a threaded task runner would otherwise
# only race itself); other processes are handled by the commit protocol.
_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


@dataclasses.dataclass(frozen=True)
class PublishResult:
    """What a publish, release or failure record did to the store.

    Attributes
    ----------
    report_id
        The report.
    status
        `published`, `quarantined`, `failed`, or `unchanged` when the store already held exactly this.
    version
        The store version after the call (the ledger's version; unchanged calls return the current one).
    fact_count, violation_count
        Rows of the report in the call's input.
    written
        Tables committed to (over all attempts), with the version each commit produced; empty when unchanged.
    attempts
        1, plus one for every time another writer committed first and the publish was recomputed.
    """

    report_id: str
    status: str
    version: int
    fact_count: int
    violation_count: int
    written: Mapping[str, int]
    attempts: int = 1

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return self.status != "unchanged"


@dataclasses.dataclass(frozen=True)
class Target:
    """The state one report should reach: rows per table (None = leave as is) and its ledger row."""

    report_id: str
    rows: Mapping[str, pa.Table | None]
    ledger: Mapping[str, Any]
    metadata: Mapping[str, Any]


#: Computes the target from the tables' current content; called again on every attempt.
Planner = Callable[["ReportSnapshot"], Target]


class Snapshot:
    """The tables opened at their current heads once per attempt, and a batch of reports' rows in them.

    Every commit of the attempt is made on these snapshots, so a commit that another writer overtook
    is checked for conflicts against what this attempt read. Each table is read once for the whole
    batch; planners see one report at a time through `view`.
    """

    def __init__(self, paths: Mapping[str, Path], report_ids: Sequence[str]) -> None:
        self.paths = paths
        self.report_ids = tuple(report_ids)
        # The ledger first: a ledger commit made after this point by anyone makes ours fail (see _write).
        self.tables = {name: DeltaTable(paths[name]) for name in (REPORTS, *WRITE_ORDER[:-1])}
        self._rows: dict[str, dict[str, pa.Table]] = {}

    def rows(self, table: str, report_id: str) -> pa.Table:
        """One report's rows in `table`; the table is read once for every report of the batch."""
        if table not in self._rows:
            spec = SPECS[table]
            if len(self.report_ids) == 1:
                found = {self.report_ids[0]: read_rows(self.tables[table], spec, report_id=self.report_ids[0])}
            else:
                found = split_by_report(read_rows(self.tables[table], spec, report_ids=self.report_ids), spec)
            self._rows[table] = found
        return self._rows[table].get(report_id, SPECS[table].schema.empty_table())

    def view(self, report_id: str) -> ReportSnapshot:
        """What a planner sees: this snapshot, narrowed to one report."""
        return ReportSnapshot(self, report_id)


class ReportSnapshot:
    """One report's rows in an attempt's snapshot (the interface planners use)."""

    def __init__(self, batch: Snapshot, report_id: str) -> None:
        self.batch = batch
        self.paths = batch.paths
        self.report_id = report_id

    def rows(self, table: str) -> pa.Table:
        """The report's rows in `table`."""
        return self.batch.rows(table, self.report_id)

    def ledger_row(self) -> dict[str, Any] | None:
        """The report's row in the ledger, None if it was never processed."""
        rows = self.rows(REPORTS).to_pylist()
        return rows[0] if rows else None


def ensure_tables(paths: Mapping[str, Path]) -> None:
    """Create whichever tables are missing; the ledger last, naming the versions it starts from."""
    if DeltaTable.is_deltatable(str(paths[REPORTS])):
        return
    for name in WRITE_ORDER[:-1]:
        create_table(paths[name], SPECS[name])
    links = {name: DeltaTable(paths[name]).version() for name in WRITE_ORDER[:-1]}
    create_table(paths[REPORTS], SPECS[REPORTS], {"mixedflows": {"action": "create", "tables": links}})


def apply(
    paths: Mapping[str, Path],
    report_id: str,
    plan: Planner,
    on_commit: CommitHook | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> PublishResult:
    """Bring one report to the state `plan` computes, retrying on a fresh snapshot when a commit conflicts."""
    return apply_batch(paths, [(report_id, plan)], on_commit, max_attempts)[0]


def apply_batch(
    paths: Mapping[str, Path],
    plans: Sequence[tuple[str, Planner]],
    on_commit: CommitHook | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> list[PublishResult]:
    """Bring every report of a batch to the state its plan computes: one commit per table that changed.

    The ledger commit, written last, holds the rows of every report the batch changed, so a store
    version is the whole batch or none of it; the whole batch is recomputed on a fresh snapshot when a
    commit conflicts. Results come in the order of `plans`.
    """
    report_ids = [report_id for report_id, _ in plans]
    if len(set(report_ids)) != len(report_ids):
        raise ValueError(f"a batch names a report twice: {sorted(report_ids)}")
    root = paths[REPORTS].parent.resolve()
    with _LOCKS_GUARD:
        lock = _LOCKS.setdefault(root, threading.Lock())
    with lock:
        ensure_tables(paths)
        # Over all attempts: a lost race does not undo commits already made.
        written: dict[str, int] = {}
        touched: set[str] = set()
        for attempt in range(1, max_attempts + 1):
            snapshot = Snapshot(paths, report_ids)
            try:
                targets = [plan(snapshot.view(report_id)) for report_id, plan in plans]
                results = _write(paths, snapshot, targets, on_commit, written, touched)
                return [dataclasses.replace(result, attempts=attempt) for result in results]
            except CommitFailedError as exc:
                if attempt == max_attempts:
                    what = report_ids[0] if len(report_ids) == 1 else f"{len(report_ids)} reports"
                    raise StoreConflictError(
                        f"{root}: gave up publishing {what} after {max_attempts} attempt(s): other writers kept "
                        f"committing to the same tables at the same time ({' '.join(str(exc).split())[:120]}); "
                        "run it again"
                    ) from exc
                time.sleep(random.uniform(0, BACKOFF_SECONDS * attempt))
    raise AssertionError("unreachable")


def _write(
    paths: Mapping[str, Path],
    snapshot: Snapshot,
    targets: Sequence[Target],
    on_commit: CommitHook | None,
    written: dict[str, int],
    touched: set[str],
) -> list[PublishResult]:
    for name in WRITE_ORDER[:-1]:
        changed = [
            (target, rows)
            for target in targets
            if (rows := target.rows.get(name)) is not None
            and not same_rows(rows, snapshot.rows(name, target.report_id), SPECS[name])
        ]
        if not changed:
            continue
        rows = pa.concat_tables([rows for _, rows in changed])
        metadata = _commit_metadata([target for target, _ in changed])
        ids = [target.report_id for target, _ in changed]
        written[name] = _overwrite_reports(snapshot.tables[name], ids, rows, metadata, retries=None)
        touched.update(ids)
        if on_commit:
            on_commit(name, written[name])
    # A report whose tables were committed in an earlier attempt gets its ledger row even if another
    # writer's row now matches ours: a version then names the table versions holding our commits.
    ledgers = {target.report_id: dict(target.ledger) for target in targets}
    changed_ids = [
        target.report_id
        for target in targets
        if target.report_id in touched
        or (current := snapshot.view(target.report_id).ledger_row()) is None
        or not _same_ledger(current, ledgers[target.report_id])
    ]
    if not changed_ids:
        version = snapshot.tables[REPORTS].version()
        return [_result(target, "unchanged", version, {}) for target in targets]
    # The links are the heads *now*: they hold this publish's commits and all that any writer committed
    # before. Ours are read after our ledger snapshot was opened, and any ledger commit since then fails
    # ours, so the links of successive ledger versions never go back.
    links = {name: DeltaTable(paths[name]).version() for name in WRITE_ORDER[:-1]}
    now = utc_now()
    for report_id in changed_ids:
        ledgers[report_id]["published_at"] = now
    changing = [target for target in targets if target.report_id in changed_ids]
    metadata = {**_commit_metadata(changing), "tables": links}
    rows = pa.Table.from_pylist([ledgers[report_id] for report_id in changed_ids], schema=SPECS[REPORTS].schema)
    # No silent rebase for the ledger: if anyone committed to it since our snapshot, the links may be stale,
    # so the commit fails and the whole publish is recomputed.
    written[REPORTS] = _overwrite_reports(snapshot.tables[REPORTS], changed_ids, rows, metadata, retries=0)
    if on_commit:
        on_commit(REPORTS, written[REPORTS])
    version = written[REPORTS]
    return [
        _result(target, str(ledgers[target.report_id]["status"]), version, written)
        if target.report_id in changed_ids
        else _result(target, "unchanged", version, {})
        for target in targets
    ]


def _commit_metadata(targets: Sequence[Target]) -> dict[str, Any]:
    """What a commit says about the reports it writes: one report's metadata, or a batch's.

    A batch commit names every report and, under `reports`, each one's own metadata (its PDF, code
    and status); its `action` and `status` are the reports' own when they share one, else `batch`/`mixed`.
    """
    if len(targets) == 1:
        return dict(targets[0].metadata)
    metadata = [dict(target.metadata) for target in targets]
    actions = {m.get("action") for m in metadata}
    statuses = {m.get("status") for m in metadata}
    runs = [m.get("run") or {} for m in metadata]
    shared_run = {k: v for k, v in runs[0].items() if all(k in r and r[k] == v for r in runs[1:])}
    return {
        "run": shared_run,
        "run_id": metadata[0].get("run_id"),
        "report_ids": [target.report_id for target in targets],
        "action": actions.pop() if len(actions) == 1 else "batch",
        "status": statuses.pop() if len(statuses) == 1 else "mixed",
        "reports": {
            target.report_id: {k: v for k, v in m.items() if k not in ("run_id", "report_ids")}
            for target, m in zip(targets, metadata, strict=True)
        },
    }


def _overwrite_reports(
    table: DeltaTable, report_ids: Sequence[str], rows: pa.Table, metadata: Mapping[str, Any], retries: int | None
) -> int:
    """Replace the reports' partitions with `rows` in one commit on `table`; return the version it produced."""
    quoted = ", ".join(f"'{report_id}'" for report_id in report_ids)
    predicate = f"report_id = {quoted}" if len(report_ids) == 1 else f"report_id IN ({quoted})"
    write_deltalake(
        table,
        rows,
        mode="overwrite",
        predicate=predicate,
        commit_properties=CommitProperties(custom_metadata={"mixedflows": dict(metadata)}, max_commit_retries=retries),
    )
    return table.version()


def _same_ledger(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    return all(current.get(k) == v for k, v in wanted.items() if k not in _RUN_COLUMNS)


def _result(target: Target, status: str, version: int, written: Mapping[str, int]) -> PublishResult:
    return PublishResult(
        report_id=target.report_id,
        status=status,
        version=version,
        fact_count=int(target.ledger["fact_count"]),
        violation_count=int(target.ledger["violation_count"]),
        written=dict(written),
    )


def plan_publish(
    report_id: str,
    facts: pa.Table,
    violations: pa.Table,
    *,
    pdf_sha256: str,
    extractor_version: str,
    run_id: str,
    blocked: bool,
    metadata: Mapping[str, Any],
) -> Planner:
    """The target of publishing a report's figures (to `facts`, or to `quarantine` when blocked)."""
    family, month = parse_report_id(report_id)

    def plan(snapshot: ReportSnapshot) -> Target:
        current = snapshot.ledger_row()
        released = blocked and _already_released(snapshot, current, facts, pdf_sha256, extractor_version)
        # Content someone already acknowledged and released is not held back again when it is re-run.
        held = blocked and not released
        ledger = {
            "report_id": report_id,
            "family": family,
            "report_month": month,
            "pdf_sha256": pdf_sha256,
            "extractor_version": extractor_version,
            "status": "quarantined" if held else "published",
            "run_id": run_id,
            "published_at": None,
            "fact_count": facts.num_rows,
            "violation_count": violations.num_rows,
            "detail": current["detail"] if released and current else None,
        }
        rows = {
            VIOLATIONS: violations,
            QUARANTINE: facts if held else _empty(QUARANTINE),
            # A held-back report leaves its last published figures in place until the new ones are released.
            FACTS: None if held else facts,
        }
        return Target(report_id, rows, ledger, {**metadata, "action": "publish", "status": ledger["status"]})

    return plan


def plan_release(report_id: str, *, run_id: str, acknowledged_by: str, metadata: Mapping[str, Any]) -> Planner:
    """The target of releasing a quarantined report's figures to `facts` after acknowledgement."""

    def plan(snapshot: ReportSnapshot) -> Target:
        root = snapshot.paths[REPORTS].parent
        current = require_status(snapshot.ledger_row(), report_id, "quarantined", root)
        held = snapshot.rows(QUARANTINE)
        if held.num_rows == 0 and current["fact_count"]:
            # An earlier release died after moving the rows and before its ledger commit: facts hold them.
            held = snapshot.rows(FACTS)
            shas = set(held.column("pdf_sha256").to_pylist())
            if held.num_rows != current["fact_count"] or shas != {current["pdf_sha256"]}:
                raise ReportStateError(
                    f"{root}: {report_id} is quarantined with {current['fact_count']} figures, but neither "
                    "quarantine nor facts holds them; publish the report again"
                )
        ledger = {**current, "status": "published", "run_id": run_id, "detail": f"released by {acknowledged_by}"}
        rows = {FACTS: held, QUARANTINE: _empty(QUARANTINE)}
        meta = {**metadata, "action": "release", "status": "published", "acknowledged_by": acknowledged_by}
        meta.update(pdf_sha256=current["pdf_sha256"], extractor_version=current["extractor_version"])
        return Target(report_id, rows, ledger, meta)

    return plan


def plan_failure(
    report_id: str, *, pdf_sha256: str, extractor_version: str, run_id: str, detail: str, metadata: Mapping[str, Any]
) -> Planner:
    """The target of recording that a report could not be processed (its published figures stay)."""
    family, month = parse_report_id(report_id)

    def plan(snapshot: ReportSnapshot) -> Target:
        ledger = {
            "report_id": report_id,
            "family": family,
            "report_month": month,
            "pdf_sha256": pdf_sha256,
            "extractor_version": extractor_version,
            "status": "failed",
            "run_id": run_id,
            "published_at": None,
            "fact_count": 0,
            "violation_count": 0,
            "detail": " ".join(detail.split()),
        }
        return Target(report_id, {}, ledger, {**metadata, "action": "record_failure", "status": "failed"})

    return plan


def _already_released(
    snapshot: ReportSnapshot,
    current: Mapping[str, Any] | None,
    facts: pa.Table,
    pdf_sha256: str,
    extractor_version: str,
) -> bool:
    return (
        current is not None
        and current["status"] == "published"
        and current["pdf_sha256"] == pdf_sha256
        and current["extractor_version"] == extractor_version
        and same_rows(facts, snapshot.rows(FACTS), SPECS[FACTS])
    )


def _empty(table: str) -> pa.Table:
    return SPECS[table].schema.empty_table()


def require_status(current: Mapping[str, Any] | None, report_id: str, status: str, root: Path) -> Mapping[str, Any]:
    """The report's ledger row, if it has `status`; else a one-line ReportStateError."""
    if current is None:
        raise ReportStateError(f"{root}: {report_id} has never been published or quarantined")
    if current["status"] != status:
        raise ReportStateError(f"{root}: {report_id} is {current['status']}, not {status}")
    return current
