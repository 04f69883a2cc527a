"""Report benchmark: building the run report of a 31-report backfill, its Delta table reads, beside the backfill.

The archive is the sample PDFs plus the synthetic variants `tests/variants` draws (other months,
SYNTHETIC imitations of the real reports), so every report is distinct. The real Prefect backfill
flow runs over it into a temporary output folder (the flow builds the report once inside the run);
the report is then built from the run record `--repeat` times (median), counting the Delta tables
opened and read in full (the last build).

Run by hand: `.venv/bin/python benchmarks/report.py [--reports N] [--repeat N]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mixedflows import prefect_env  # noqa: E402

prefect_env.configure(Path(tempfile.mkdtemp(prefix="mixedflows-bench-prefect-")))

#: The issue's goal: a 31-report backfill's report in under 3 s.
TARGET_SECONDS = 3.0


class DeltaCounter:
    """Counts `DeltaTable` opens and reads (`to_pyarrow_table`) while installed."""

    def __init__(self) -> None:
        self.opens = self.reads = 0

    def install(self) -> None:
        from deltalake import DeltaTable

        counter, init, read = self, DeltaTable.__init__, DeltaTable.to_pyarrow_table

        def counted_init(table, *args, **kwargs):
            counter.opens += 1
            init(table, *args, **kwargs)

        def counted_read(table, *args, **kwargs):
            counter.reads += 1
            return read(table, *args, **kwargs)

        DeltaTable.__init__, DeltaTable.to_pyarrow_table = counted_init, counted_read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=31, help="reports in the archive (at most 31)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    from benchmarks.flows import build_archive
    from flows.backfill import backfill
    from mixedflows.report import REPORTS_DIR, build_report
    from mixedflows.store import Store

    with tempfile.TemporaryDirectory(prefix="mixedflows-bench-") as tmp:
        raw, output = Path(tmp) / "raw", Path(tmp) / "output"
        months = build_archive(raw, args.reports)
        start = time.perf_counter()
        state = backfill(
            months[0], months[-1], raw_dir=str(raw), output_dir=str(output), run_id="bench", return_state=True
        )
        run_seconds = time.perf_counter() - start
        if not (state.is_completed() or state.is_failed()):
            print(f"backfill ended {state.name}: {state.message}", file=sys.stderr)
            return 1
        record = output / "runs" / "bench.json"
        counter = DeltaCounter()
        counter.install()
        times = []
        for _ in range(args.repeat):
            counter.opens = counter.reads = 0
            start = time.perf_counter()
            index = build_report(record, store=Store(output), raw_dir=raw, out_dir=output / REPORTS_DIR)
            times.append(time.perf_counter() - start)
        images = len(list(index.parent.glob("*.png")))
        violations = index.read_text(encoding="utf-8").count('<tr class="violation')
    report_seconds = statistics.median(times)
    verdict = "within" if report_seconds <= TARGET_SECONDS else "OVER"
    print(f"backfill {months[0]}..{months[-1]}: {len(list(months))} reports, {violations} violation rows")
    print(f"{'run (backfill flow, incl. one report)':<40}{run_seconds:>8.2f} s")
    print(
        f"{'report alone (median of ' + str(args.repeat) + ')':<40}{report_seconds:>8.2f} s  "
        f"({images} images; {verdict} the {TARGET_SECONDS:.0f} s target; x{TARGET_SECONDS / report_seconds:.2f})"
    )
    print(f"Delta tables per report build: {counter.opens} opened, {counter.reads} read")
    print(f"report / run: {report_seconds / run_seconds:.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
