"""Report benchmark: building the run report of a backfill of every sample month, beside the backfill's own time.

The backfill runs the real Prefect flow over a copy of the samples (tests/pdfs) into a temporary
output folder; the report is then built from its run record `--repeat` times (median). The flow
already builds the report once inside the run, so the run's time includes one report build.

Run by hand: `.venv/bin/python benchmarks/report.py [--repeat N]`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mixedflows import prefect_env  # noqa: E402

#: The report should stay a small part of the run it describes.
TARGET_SHARE = 0.25


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    prefect_env.configure()
    from flows.backfill import backfill
    from mixedflows.report import REPORTS_DIR, build_report
    from mixedflows.store import Store

    samples = sorted((ROOT / "tests" / "pdfs").glob("*/*.pdf"))
    months = sorted(p.stem for p in samples)
    with tempfile.TemporaryDirectory(prefix="mixedflows-bench-") as tmp:
        raw, output = Path(tmp) / "raw", Path(tmp) / "output"
        for pdf in samples:
            (raw / pdf.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pdf, raw / pdf.parent.name / pdf.name)
        start = time.perf_counter()
        state = backfill(
            months[0], months[-1], raw_dir=str(raw), output_dir=str(output), run_id="bench", return_state=True
        )
        run_seconds = time.perf_counter() - start
        if not state.is_completed():
            print(f"backfill failed: {state.message}", file=sys.stderr)
            return 1
        record = output / "runs" / "bench.json"
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            index = build_report(record, store=Store(output), raw_dir=raw, out_dir=output / REPORTS_DIR)
            times.append(time.perf_counter() - start)
        images = len(list(index.parent.glob("*.png")))
    report_seconds = statistics.median(times)
    share = report_seconds / run_seconds
    verdict = "within" if share <= TARGET_SHARE else "OVER"
    print(f"backfill {months[0]}..{months[-1]}: {len(samples)} reports")
    print(f"{'run (backfill flow, incl. one report)':<40}{run_seconds:>8.2f} s")
    print(f"{'report alone (median of ' + str(args.repeat) + ')':<40}{report_seconds:>8.2f} s  ({images} images)")
    print(f"report / run: {share:.0%} ({verdict} the {TARGET_SHARE:.0%} target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
