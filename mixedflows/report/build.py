"""Gather what a run did (its record, the store, the archive) and write `run-reports/<run_id>/index.html`."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from extractors.registry import FAMILIES, family_module
from mixedflows.acquire import archived
from mixedflows.acquire.errors import ArchiveError
from mixedflows.report import crops, plots
from mixedflows.report.page import ReportView, ViolationView, render_page
from mixedflows.store import Store, StoreError
from mixedflows.store.history import StoreVersion, diff_facts
from mixedflows.store.tables import FACTS, QUARANTINE, SPECS, VIOLATIONS, arrow_to_frame, read_table

#: Folder, under the output directory, of one folder per run report. Not `reports`: that is the
#: store's Delta ledger table, whose folder must hold only what its log lists.
REPORTS_DIR = "run-reports"
#: Environment variable with the public URL the reports folder is served from; alerts then carry
#: `<base>/<run_id>/index.html` instead of a local path.
REPORT_BASE_URL_ENV = "MIXEDFLOWS_REPORT_BASE_URL"
#: Folder, inside one run's report folder, of the PDFs it links to (so the folder is self-contained).
PDFS_DIR = "pdfs"
#: Most figure changes listed per report; the rest are counted, so a first publication stays readable.
MAX_CHANGES_LISTED = 40


class ReportError(ValueError):
    """A run record that cannot be read, or a report that cannot be written; the message names the file."""


def latest_run_record(output_dir: Path) -> Path:
    """The newest `runs/<run_id>.json` under the output directory (by modification time)."""
    records = sorted((Path(output_dir) / "runs").glob("*.json"), key=lambda p: (p.stat().st_mtime, p.name))
    if not records:
        raise ReportError(f"{Path(output_dir) / 'runs'}: no run record here yet (run `mixedflows run` first)")
    return records[-1]


def report_url(report: Path, run_id: str) -> str:
    """What alerts point people to: the configured public URL of the report, else its local path."""
    base = os.environ.get(REPORT_BASE_URL_ENV, "").strip()
    return f"{base.rstrip('/')}/{run_id}/index.html" if base else str(report)


def build_report(run_record_path: Path, *, store: Store, raw_dir: Path | None, out_dir: Path) -> Path:
    """Write the HTML report of one run, with its crops and plots beside it.

    Parameters
    ----------
    run_record_path
        `output/runs/<run_id>.json`, as the flows write it.
    store
        The versioned tables the run published to: figure changes, the facts each violation
        involves (page and bbox), and the series of the trend plots come from here.
    raw_dir
        The archive of PDFs (None: the paths in the record); each report's PDF is placed in the
        report's own `pdfs/` folder and linked there, so the report folder is self-contained.
    out_dir
        The reports folder (`output/run-reports`); the report goes to `<out_dir>/<run_id>/index.html`,
        replacing an earlier report of the same run.

    Returns
    -------
    Path
        The `index.html` written.

    Raises
    ------
    ReportError
        When the run record is missing or not a run record.
    """
    record = _read_record(Path(run_record_path))
    run_id = str(record["run_id"])
    target = Path(out_dir) / run_id
    staging = Path(out_dir) / f".{run_id}.part"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        view = _gather(record, store, raw_dir, staging)
        (staging / "index.html").write_text(render_page(view), encoding="utf-8")
        # Readers never see a half-written report: the folder appears complete or keeps the old one.
        shutil.rmtree(target, ignore_errors=True)
        staging.replace(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "index.html"


def _read_record(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{path}: no such run record") from None
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path}: not a readable run record ({' '.join(str(exc).split())})") from None
    if not isinstance(record, dict) or "run_id" not in record or not isinstance(record.get("reports"), list):
        raise ReportError(f"{path}: not a run record (needs run_id and a list of reports)")
    return record


@dataclasses.dataclass
class _StoreView:
    """The store as one build reads it: the history once, `facts` and `quarantine` once each.

    A report's rows change only in the store versions that list it, so its rows at the version a
    run left it in are its rows at the latest version unless a later version touched it; only then
    (a report re-published by a later run) are they read at that version, one partition each.
    """

    store: Store
    versions: Mapping[int, StoreVersion]
    facts: pd.DataFrame
    quarantine: pd.DataFrame

    @classmethod
    def read(cls, store: Store) -> _StoreView | None:
        try:
            history = store.versions()
        except StoreError:
            return None
        latest = history[-1]
        if set(latest.tables) != {FACTS, VIOLATIONS, QUARANTINE}:
            return None
        tables = {name: _read(store, name, latest.tables[name]) for name in (FACTS, QUARANTINE)}
        return cls(store, {v.version: v for v in history}, tables[FACTS], tables[QUARANTINE])

    def __post_init__(self) -> None:
        # Each report's rows, split once: a backfill's report asks for every report's rows.
        self._by_report = {
            name: {str(k): rows for k, rows in frame.groupby("report_id", sort=False)} if len(frame) else {}
            for name, frame in ((FACTS, self.facts), (QUARANTINE, self.quarantine))
        }

    def _touched_after(self, report_id: str, version: int) -> bool:
        return any(v.version > version and report_id in v.report_ids for v in self.versions.values())

    def _touched_before(self, report_id: str, version: int) -> bool:
        return any(0 < v.version < version and report_id in v.report_ids for v in self.versions.values())

    def _rows(self, table: str, report_id: str, version: int) -> pd.DataFrame:
        if not self._touched_after(report_id, version):
            frame = self.facts if table == FACTS else self.quarantine
            return self._by_report[table].get(report_id, frame.iloc[0:0])
        at = self.versions.get(version)
        if at is None or table not in at.tables:
            return pd.DataFrame()
        return _read(self.store, table, at.tables[table], report_id)

    def figures_of(self, outcome: Mapping[str, Any]) -> pd.DataFrame:
        """The facts of one report at the version the run left it in: published or held in quarantine."""
        version = outcome.get("store_version")
        if version is None or version not in self.versions:
            return pd.DataFrame()
        frames = [self._rows(name, outcome["report_id"], version) for name in (FACTS, QUARANTINE)]
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def changes(self, outcome: Mapping[str, Any]) -> dict[str, Any] | None:
        """Figures of the report added, removed and changed by the version the run published."""
        version = outcome.get("store_version")
        if outcome.get("status") != "published" or not version or version - 1 not in self.versions:
            return None
        report_id = outcome["report_id"]
        after = self._rows(FACTS, report_id, version)
        before = (
            _read(self.store, FACTS, self.versions[version - 1].tables[FACTS], report_id)
            if self._touched_before(report_id, version) and FACTS in self.versions[version - 1].tables
            else after.iloc[0:0]
        )
        if before.empty:  # a first publication: every figure is new, nothing to compare
            return {"added": len(after), "removed": 0, "changed": 0, "rows": [], "previous_version": version - 1}
        diff = diff_facts(before, after)
        counts = diff["change"].value_counts()
        return {
            "added": int(counts.get("added", 0)),
            "removed": int(counts.get("removed", 0)),
            "changed": int(counts.get("changed", 0)),
            "rows": diff[diff["change"] != "added"].head(MAX_CHANGES_LISTED).to_dict("records"),
            "previous_version": version - 1,
        }


def _read(store: Store, table: str, version: int, report_id: str | None = None) -> pd.DataFrame:
    return arrow_to_frame(read_table(store.paths[table], SPECS[table], version, report_id), SPECS[table])


def _gather(record: Mapping[str, Any], store: Store, raw_dir: Path | None, folder: Path) -> ReportView:
    tables = _StoreView.read(store) if store.exists() else None
    reports, violations = [], []
    linked = _LinkedPdfs(folder)
    with crops.PageSource() as pages:
        for outcome in record["reports"]:
            pdf = _pdf_of(outcome, raw_dir)
            link = linked.link(pdf, outcome)
            figures = tables.figures_of(outcome) if tables else pd.DataFrame()
            by_key = {_key_of(row): row for row in figures.to_dict("records")} if not figures.empty else {}
            reports.append({**outcome, "pdf_link": link, "changes": tables.changes(outcome) if tables else None})
            for number, violation in enumerate(outcome.get("violations") or [], start=1):
                images = _crops(violation, by_key, pdf, folder, f"{outcome['report_id']}-{number}", pages)
                violations.append(ViolationView(row=violation, pdf_link=link, crops=images))
    return ReportView(
        run_id=str(record["run_id"]),
        flow=str(record.get("flow", "")),
        notes=[*record.get("sources", []), *record.get("source_failures", [])],
        reports=reports,
        violations=violations,
        plots=_plots(tables, record, folder) if tables else [],
    )


def _pdf_of(outcome: Mapping[str, Any], raw_dir: Path | None) -> Path | None:
    if raw_dir is not None:
        try:
            found = archived(Path(raw_dir), outcome["family"], outcome["month"])
        except (ArchiveError, ValueError, OSError):
            found = []
        same = [p for p in found if p.sha256 == outcome.get("pdf_sha256")] or found
        if same:
            return same[0].path
    path = Path(outcome.get("pdf") or "")
    return path if path.is_file() else None


class _LinkedPdfs:
    """The PDFs a report links to, placed in its own `pdfs/` folder, so that the report folder can be
    copied or served anywhere and its links still work (a hard link where the file system allows:
    no extra space, and the archive never rewrites a file in place)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.placed: dict[Path, str] = {}

    def link(self, pdf: Path | None, outcome: Mapping[str, Any]) -> str | None:
        if pdf is None:
            return None
        if pdf not in self.placed:
            sha = str(outcome.get("pdf_sha256") or "")[:8]
            name = _safe(f"{outcome['report_id']}{'-' + sha if sha else ''}") + ".pdf"
            target = self.folder / PDFS_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(pdf, target)
            except OSError:
                shutil.copyfile(pdf, target)
            self.placed[pdf] = f"{PDFS_DIR}/{name}"
        return self.placed[pdf]


def _key_of(row: Mapping[str, Any]) -> str:
    from schemas.figures import fact_key

    rank = row.get("rank")
    return fact_key(
        str(row["indicator"]),
        str(row["geo"]),
        pd.Timestamp(row["period_start"]).date(),
        pd.Timestamp(row["period_end"]).date(),
        None if pd.isna(row.get("breakdown")) else str(row["breakdown"]),
        None if rank is None or pd.isna(rank) else int(rank),
    )


def _crops(
    violation: Mapping[str, Any],
    by_key: Mapping[str, Mapping[str, Any]],
    pdf: Path | None,
    folder: Path,
    stem: str,
    pages: crops.PageSource,
) -> list[dict[str, str]]:
    """One boxed crop per page the violation's figures are printed on (or of the box it names itself)."""
    if pdf is None:
        return []
    boxes: list[crops.Box] = list(_own_box(violation))
    keys = list(violation.get("keys") or []) or [violation.get("key")]
    for key in keys:
        row = by_key.get(key)
        if row is None or row.get("page") is None or pd.isna(row["page"]) or row.get("bbox") is None:
            continue
        boxes.append(crops.Box(int(row["page"]), tuple(float(v) for v in row["bbox"]), key))
    main = by_key.get(violation.get("key"))
    if main is not None and main.get("bbox") is not None and not pd.isna(main.get("page")):
        boxes += _echoes(pdf, main, boxes, pages)
    images = []
    for page in sorted({b.page for b in boxes}):
        name = f"crop-{_safe(stem)}-p{page}.png"
        try:
            pages.render_crop(pdf, page, boxes, folder / name)
        except (ValueError, OSError, crops.pypdfium2.PdfiumError):
            continue
        labels = [b.label for b in boxes if b.page == page and not b.echo]
        echoes = sum(1 for b in boxes if b.page == page and b.echo)
        alt = f"page {page}: " + ", ".join(labels) + (f" (+{echoes} other printing(s))" if echoes else "")
        images.append({"src": name, "alt": alt, "page": str(page)})
    return images


def _own_box(violation: Mapping[str, Any]) -> list[crops.Box]:
    """The box a violation names itself (`page` or its first `pages`, and `bbox`): a section that could not be
    read, a label no resolver knows; such findings are about a place on a page, not about a figure's key."""
    bbox = violation.get("bbox")
    page = violation.get("page")
    if page is None and violation.get("pages"):
        page = list(violation["pages"])[0]
    if bbox is None or page is None or len(bbox) != 4:
        return []
    try:
        box = tuple(float(v) for v in bbox)
        number = int(page)
    except (TypeError, ValueError):
        return []
    label = str(violation.get("key") or violation.get("rule") or "finding")
    return [crops.Box(number, box, label)]


def _echoes(pdf: Path, main: Mapping[str, Any], boxes: list[crops.Box], pages: crops.PageSource) -> list[crops.Box]:
    value = main.get("value")
    if value is None or pd.isna(value) or float(value) != int(value):
        return []
    page = int(main["page"])
    taken = [b.bbox for b in boxes if b.page == page]
    found = []
    for bbox in pages.printings(pdf, page, f"{int(value):,}"):
        if not any(_overlaps(bbox, other) for other in taken):
            found.append(crops.Box(page, bbox, f"{int(value):,} printed again", echo=True))
    return found


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def _plots(tables: _StoreView, record: Mapping[str, Any], folder: Path) -> list[plots.Plot]:
    facts = tables.facts
    held = {o["report_id"] for o in record["reports"] if o.get("status") == "quarantined"}
    if held:
        # The run's held-back figures are exactly the ones under review: show them in their series.
        quarantine = tables.quarantine[tables.quarantine["report_id"].isin(held)]
        if len(quarantine):
            facts = pd.concat([facts, quarantine], ignore_index=True) if len(facts) else quarantine
    builders = [built for family in FAMILIES for built in family_module(family, "plots").PLOTS]
    made = []
    for builder, name in builders:
        plot = builder(facts, folder / name)
        if plot is not None:
            note = " Includes the figures this run held in quarantine." if held else ""
            made.append(dataclasses.replace(plot, caption=plot.caption + note))
    return made
