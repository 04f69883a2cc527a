"""A real run over sample PDFs without Prefect (process_report + run record), for the report tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from mixedflows.acquire import archived
from mixedflows.pipeline import process_report, write_run_record
from mixedflows.store import Store

TESTS = Path(__file__).parent.parent

#: Two issues per family: history for the plots, and Dec 2024 DTM (asylum 957 vs 1,017) held in quarantine.
SAMPLES = ("dtm_wb/2024-11", "dtm_wb/2024-12", "unhcr_wb/2024-11", "unhcr_wb/2024-12")


def run_samples(root: Path, run_id: str = "report-test", samples: tuple[str, ...] = SAMPLES) -> tuple[Path, Path]:
    """Archive the samples under `root/raw`, publish them to `root/output`; returns (raw dir, run record)."""
    raw, output = root / "raw", root / "output"
    for sample in samples:
        family, month = sample.split("/")
        target = raw / family / f"{month}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TESTS / "pdfs" / family / f"{month}.pdf", target)
    store = Store(output)
    outcomes = []
    for sample in samples:
        family, month = sample.split("/")
        for pdf in archived(raw, family, month):
            outcomes.append(process_report(pdf, store=store, run_id=run_id))
    return raw, write_run_record(output, run_id, outcomes, {"flow": "test"})
