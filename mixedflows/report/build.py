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

from mixedflows.acquire import archived
from mixedflows.acquire.errors import ArchiveError
from mixedflows.report import crops, plots
from mixedflows.report.page import ReportView, ViolationView, render_page
from mixedflows.store import Store, StoreError

#: Folder, under the output directory, of one folder per run report. Not `reports`: that is the
#: store's Delta ledger table, whose folder must hold only what its log lists.
REPORTS_DIR = "run-reports"
#: Environment variable with the public URL the reports folder is served from; alerts then carry
#: `<base>/<run_id>/index.html` instead of a local path.
REPORT_BASE_URL_ENV = "MIXEDFLOWS_REPORT_BASE_URL"
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
        The archive of PDFs; the report links to each report's PDF there (None: the paths in the record).
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
        view = _gather(record, store, raw_dir, staging, target)
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


def _gather(record: Mapping[str, Any], store: Store, raw_dir: Path | None, folder: Path, final: Path) -> ReportView:
    has_store = store.exists()
    reports, violations = [], []
    for outcome in record["reports"]:
        pdf = _pdf_of(outcome, raw_dir)
        link = _link(pdf, final)
        figures = _figures_of(store, outcome) if has_store else pd.DataFrame()
        reports.append(
            {
                **outcome,
                "pdf_link": link,
                "changes": _changes(store, outcome) if has_store else None,
            }
        )
        for number, violation in enumerate(outcome.get("violations") or [], start=1):
            images = _crops(violation, figures, pdf, folder, f"{outcome['report_id']}-{number}")
            violations.append(ViolationView(row=violation, pdf_link=link, crops=images))
    return ReportView(
        run_id=str(record["run_id"]),
        flow=str(record.get("flow", "")),
        notes=[*record.get("sources", []), *record.get("source_failures", [])],
        reports=reports,
        violations=violations,
        plots=_plots(store, record, folder) if has_store else [],
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


def _link(pdf: Path | None, report_folder: Path) -> str | None:
    # Relative, so the reports and the archive can be copied or served together.
    return Path(os.path.relpath(pdf.resolve(), report_folder.resolve())).as_posix() if pdf else None


def _figures_of(store: Store, outcome: Mapping[str, Any]) -> pd.DataFrame:
    """The facts of one report at the version the run left it in: published or held in quarantine."""
    version = outcome.get("store_version")
    if version is None:
        return pd.DataFrame()
    try:
        frames = [store.read_facts(version), store.read_quarantine(version)]
    except StoreError:
        return pd.DataFrame()
    frames = [f[f["report_id"] == outcome["report_id"]] for f in frames]
    return pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) else frames[0]


def _changes(store: Store, outcome: Mapping[str, Any]) -> dict[str, Any] | None:
    version = outcome.get("store_version")
    if outcome.get("status") != "published" or not version:
        return None
    try:
        diff = store.diff(version - 1, version)
    except StoreError:
        return None
    diff = diff[diff["report_id"] == outcome["report_id"]]
    counts = diff["change"].value_counts()
    return {
        "added": int(counts.get("added", 0)),
        "removed": int(counts.get("removed", 0)),
        "changed": int(counts.get("changed", 0)),
        "rows": diff[diff["change"] != "added"].head(MAX_CHANGES_LISTED).to_dict("records"),
        "previous_version": version - 1,
    }


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
    violation: Mapping[str, Any], figures: pd.DataFrame, pdf: Path | None, folder: Path, stem: str
) -> list[dict[str, str]]:
    """One boxed crop per page the violation's figures are printed on (or where its own box is: a label
    no resolver knows, a section that could not be read)."""
    own = _own_box(violation)
    if pdf is None or (figures.empty and own is None):
        return []
    by_key = {_key_of(row): row for row in figures.to_dict("records")} if not figures.empty else {}
    keys = list(violation.get("keys") or []) or [violation.get("key")]
    boxes: list[crops.Box] = [own] if own is not None else []
    for key in keys:
        row = by_key.get(key)
        if row is None or row.get("page") is None or pd.isna(row["page"]) or row.get("bbox") is None:
            continue
        boxes.append(crops.Box(int(row["page"]), tuple(float(v) for v in row["bbox"]), key))
    main = by_key.get(violation.get("key"))
    if main is not None and main.get("bbox") is not None and not pd.isna(main.get("page")):
        boxes += _echoes(pdf, main, boxes)
    images = []
    for page in sorted({b.page for b in boxes}):
        name = f"crop-{_safe(stem)}-p{page}.png"
        try:
            crops.render_crop(pdf, page, boxes, folder / name)
        except (ValueError, OSError, crops.pypdfium2.PdfiumError):
            continue
        labels = [b.label for b in boxes if b.page == page and not b.echo]
        echoes = sum(1 for b in boxes if b.page == page and b.echo)
        alt = f"page {page}: " + ", ".join(labels) + (f" (+{echoes} other printing(s))" if echoes else "")
        images.append({"src": name, "alt": alt, "page": str(page)})
    return images


def _own_box(violation: Mapping[str, Any]) -> crops.Box | None:
    bbox, pages = violation.get("bbox"), list(violation.get("pages") or [])
    if bbox is None or len(bbox) != 4 or len(pages) != 1:
        return None
    return crops.Box(int(pages[0]), tuple(float(v) for v in bbox), str(violation.get("key")))


def _echoes(pdf: Path, main: Mapping[str, Any], boxes: list[crops.Box]) -> list[crops.Box]:
    value = main.get("value")
    if value is None or pd.isna(value) or float(value) != int(value):
        return []
    page = int(main["page"])
    taken = [b.bbox for b in boxes if b.page == page]
    found = []
    for bbox in crops.printings(pdf, page, f"{int(value):,}"):
        if not any(_overlaps(bbox, other) for other in taken):
            found.append(crops.Box(page, bbox, f"{int(value):,} printed again", echo=True))
    return found


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def _plots(store: Store, record: Mapping[str, Any], folder: Path) -> list[plots.Plot]:
    facts = store.read_facts()
    held = {o["report_id"] for o in record["reports"] if o.get("status") == "quarantined"}
    if held:
        # The run's held-back figures are exactly the ones under review: show them in their series.
        quarantine = store.read_quarantine()
        quarantine = quarantine[quarantine["report_id"].isin(held)]
        if len(quarantine):
            facts = pd.concat([facts, quarantine], ignore_index=True) if len(facts) else quarantine
    builders = (
        (plots.registrations_plot, "registrations.png"),
        (plots.persons_present_plot, "persons-present.png"),
        (plots.arrivals_year_on_year_plot, "arrivals-year-on-year.png"),
    )
    made = []
    for builder, name in builders:
        plot = builder(facts, folder / name)
        if plot is not None:
            note = " Includes the figures this run held in quarantine." if held else ""
            made.append(dataclasses.replace(plot, caption=plot.caption + note))
    return made
