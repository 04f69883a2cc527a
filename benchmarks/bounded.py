"""Bounded-extraction benchmark: what the reader process costs per report, and what the limits are made of.

For each sample report (synthetic, tests/pdfs) it prints, as medians over repeated runs:
- `in-process`: `extractors.extract` in this process;
- `bounded`: `extractors.bounded.extract_bounded` (a persistent reader process: request, parse, reply);
- their ratio (target: at most 1.15x, i.e. the pipe and pickling cost little beside the parse);
and the measurements the limits in `extractors/limits.py` are chosen from: pages, the largest
decoded page content stream, and the peak resident memory a fresh process adds while extracting.
It also times the start of a new reader (paid once per process, and after a reader is killed).

Run by hand: `.venv/bin/python benchmarks/bounded.py [--repeat N] [PDF ...]`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
from pdfminer.pdftypes import resolve1

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import extract  # noqa: E402
from extractors.bounded import _POOL, extract_bounded  # noqa: E402
from extractors.limits import ExtractionLimits  # noqa: E402

#: Ratio of bounded to in-process extraction that we aim to stay under.
TARGET_RATIO = 1.15

_PEAK = """
import resource, sys
from extractors import extract
def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1])
before = rss_kb()
extract(sys.argv[1])
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)
"""


def median_seconds(func, path: Path, repeat: int) -> float:
    func(path)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def largest_stream(path: Path) -> tuple[int, int]:
    with pdfplumber.open(path) as pdf:
        sizes = [sum(len(resolve1(s).get_data()) for s in page.page_obj.contents) for page in pdf.pages]
        return len(pdf.pages), max(sizes)


def peak_growth_mb(path: Path) -> float:
    out = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True, cwd=ROOT, check=True)
    return float(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    pdfs = args.pdfs or sorted((ROOT / "tests" / "pdfs").glob("*/*.pdf"))

    _POOL.close()
    start = time.perf_counter()
    extract_bounded(pdfs[0])
    print(f"first call (reader start + one report): {(time.perf_counter() - start) * 1000:.0f} ms")

    print(f"{'report':<22}{'pages':>6}{'stream B':>10}{'peak +MB':>10}{'in-proc ms':>12}{'bounded ms':>12}{'ratio':>7}")
    ratios, overheads = [], []
    for pdf in pdfs:
        pages, stream = largest_stream(pdf)
        inside = median_seconds(extract, pdf, args.repeat)
        bounded = median_seconds(extract_bounded, pdf, args.repeat)
        ratios.append(bounded / inside)
        overheads.append(bounded - inside)
        name = f"{pdf.parent.name}/{pdf.stem}"
        print(
            f"{name:<22}{pages:>6}{stream:>10,}{peak_growth_mb(pdf):>10.1f}{inside * 1000:>12.1f}"
            f"{bounded * 1000:>12.1f}{bounded / inside:>7.2f}"
        )
    overall = statistics.median(ratios)
    verdict = "within" if overall <= TARGET_RATIO else "OVER"
    print(f"median bounded/in-process ratio: {overall:.2f} ({verdict} the {TARGET_RATIO}x target); ")
    print(f"median overhead per report: {statistics.median(overheads) * 1000:.1f} ms")
    print(f"limits: {ExtractionLimits.from_env()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
