"""Flow benchmark: backfill speedup with 1 and 2 workers, Prefect's overhead per report, peak memory.

All figures come from one run on this machine, each against a baseline measured in the same run:
- `plain`: `mixedflows.pipeline.process_report` over every report, sequentially, no Prefect;
- `backfill 1 worker` / `2 workers`: the backfill flow (ThreadPoolTaskRunner) on the same archive,
  each into a fresh output, after one warm-up flow run (so the temporary server's start-up is not
  counted); speedup = 1-worker / 2-worker time; overhead per report = (1-worker - plain) / N;
- peak memory (max RSS of a child process) of a backfill of N reports, for growing N.

The archive is the sample PDFs plus synthetic variants from `tests/variants` (other months), so
every report is distinct. Run by hand: `./dev bench-flows [--reports N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mixedflows import prefect_env  # noqa: E402

prefect_env.configure(Path(tempfile.mkdtemp(prefix="mixedflows-bench-prefect-")))


def build_archive(target: Path, reports: int) -> list[str]:
    """Samples plus rendered variants in the raw_pdfs layout; returns the months covered."""
    from tests.variants import render_case, variant_cases

    rendered = target.parent / "variants"
    sources: list[tuple[str, str, Path]] = []
    for pdf in sorted((ROOT / "tests" / "pdfs").glob("*/*.pdf")):
        sources.append((pdf.parent.name, pdf.stem, pdf))
    for case in variant_cases():
        pdf, truth = render_case(case, rendered)
        family = truth["family"]
        sources.append((family, truth["report_id"][-7:], pdf))
    chosen = {}
    for family, month, pdf in sources:
        chosen.setdefault((family, month), pdf)
    months = []
    for (family, month), pdf in sorted(chosen.items())[:reports]:
        destination = target / family / f"{month}.pdf"
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, destination)
        months.append(month)
    return sorted(months)


def plain_seconds(raw: Path, output: Path) -> tuple[float, int]:
    from mixedflows.acquire import archived
    from mixedflows.pipeline import process_report
    from mixedflows.store import Store

    pdfs = archived(raw)
    store = Store(output)
    start = time.perf_counter()
    for pdf in pdfs:
        process_report(pdf, store=store, run_id="bench-plain")
    return time.perf_counter() - start, len(pdfs)


def backfill_seconds(raw: Path, output: Path, months: list[str], workers: int) -> float:
    from prefect.task_runners import ThreadPoolTaskRunner

    from flows.backfill import backfill

    flow = backfill.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers))
    start = time.perf_counter()
    state = flow(
        months[0], months[-1], raw_dir=str(raw), output_dir=str(output), run_id=f"bench-{workers}", return_state=True
    )
    elapsed = time.perf_counter() - start
    if not (state.is_completed() or state.is_failed()):
        raise RuntimeError(f"backfill ended {state.name}: {state.message}")
    return elapsed


def peak_memory_mb(raw: Path, months: list[str], reports: int, scratch: Path) -> float:
    """Max RSS of a child process running a backfill over the first `reports` reports of the archive."""
    subset = scratch / f"raw-{reports}"
    for pdf in sorted(raw.glob("*/*.pdf"))[:reports]:
        destination = subset / pdf.parent.name / pdf.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, destination)
    code = (
        "import sys; sys.path.insert(0, {!r})\n"
        "from mixedflows import prefect_env; prefect_env.configure({!r})\n"
        "from flows.backfill import backfill\n"
        "backfill({!r}, {!r}, raw_dir={!r}, output_dir={!r}, return_state=True)\n"
    ).format(str(ROOT), str(scratch), months[0], months[-1], str(subset), str(scratch / f"out-{reports}"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env=os.environ.copy())
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: the sizes are asked in increasing order.
    return max(after, before) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=16, help="reports in the archive (at most 31)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mixedflows-bench-") as tmp:
        scratch = Path(tmp)
        raw = scratch / "raw"
        months = build_archive(raw, args.reports)
        plain, count = plain_seconds(raw, scratch / "out-plain")
        from flows.backfill import backfill

        backfill(months[0], months[0], raw_dir=str(raw), output_dir=str(scratch / "out-warm"), return_state=True)
        one = backfill_seconds(raw, scratch / "out-1", months, 1)
        two = backfill_seconds(raw, scratch / "out-2", months, 2)
        print(f"reports: {count} ({months[0]}..{months[-1]}), cores: {os.cpu_count()}")
        print(f"plain pipeline, sequential, no Prefect: {plain:7.2f} s  ({plain / count * 1000:.0f} ms/report)")
        print(f"backfill, 1 worker:                     {one:7.2f} s")
        print(f"backfill, 2 workers:                    {two:7.2f} s  speedup x{one / two:.2f}")
        print(
            f"Prefect overhead per report:            {(one - plain) / count * 1000:7.0f} ms "
            f"({(one - plain) / plain * 100:.0f}% of the plain pipeline)"
        )
        sizes = sorted({n for n in (1, 4, count // 2, count) if n >= 1})
        memory = {n: peak_memory_mb(raw, months, n, scratch) for n in sizes}
        print(
            "peak memory of a backfill (max RSS):   "
            + ", ".join(f"{n} reports {mb:.0f} MB" for n, mb in memory.items())
        )
        print(
            json.dumps(
                {"reports": count, "plain_s": plain, "one_worker_s": one, "two_workers_s": two, "peak_rss_mb": memory}
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
