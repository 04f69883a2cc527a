"""Extraction benchmark: our full extraction beside the parse floors, measured in the same run.

For each sample report it times, as medians over repeated runs:
- `extract`: mixedflows' full extraction (`extractors.extract`), every figure of every section;
- `pdfplumber`: one plain `extract_words()` pass over the same pages (the parse floor of our library);
- `pypdfium2`: raw text extraction of the same pages (the physical floor);
and prints the ratios. Target: extract <= 1.3x the pdfplumber pass.

Run by hand: `./dev bench [--repeat N] [PDF ...]` (defaults: the samples in tests/pdfs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import extract  # noqa: E402

#: Ratio of our extraction to one plain pdfplumber words pass that we aim to stay under.
TARGET_RATIO = 1.3


def plain_pdfplumber(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_words()) for page in pdf.pages)


def raw_pdfium(path: Path) -> int:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return sum(len(page.get_textpage().get_text_range()) for page in document)
    finally:
        document.close()


def full_extract(path: Path) -> int:
    return len(extract(path).facts)


def median_seconds(func: Callable[[Path], int], path: Path, repeat: int) -> float:
    func(path)  # warm-up: imports, font caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    pdfs = args.pdfs or sorted((ROOT / "tests" / "pdfs").glob("*/*.pdf"))
    header = f"{'report':<22}{'pages':>6}{'facts':>7}{'extract ms':>12}{'plumber ms':>12}{'pdfium ms':>11}"
    print(header + f"{'x plumber':>11}{'x pdfium':>10}")
    ratios = []
    for pdf in pdfs:
        with pdfplumber.open(pdf) as doc:
            pages = len(doc.pages)
        facts = full_extract(pdf)
        ours = median_seconds(full_extract, pdf, args.repeat)
        plumber = median_seconds(plain_pdfplumber, pdf, args.repeat)
        pdfium = median_seconds(raw_pdfium, pdf, args.repeat)
        ratios.append(ours / plumber)
        name = f"{pdf.parent.name}/{pdf.stem}"
        print(
            f"{name:<22}{pages:>6}{facts:>7}{ours * 1000:>12.1f}{plumber * 1000:>12.1f}{pdfium * 1000:>11.1f}"
            f"{ours / plumber:>11.2f}{ours / pdfium:>10.1f}"
        )
    overall = statistics.median(ratios)
    verdict = "within" if overall <= TARGET_RATIO else "OVER"
    print(f"median extract/pdfplumber ratio: {overall:.2f} ({verdict} the {TARGET_RATIO}x target)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
