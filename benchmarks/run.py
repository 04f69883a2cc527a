"""Extraction benchmark: our full extraction beside the parse floors, measured in the same run.

For each sample report it times, as medians over repeated runs:
- `extract`: mixedflows' full extraction (`extractors.extract`), every figure of every section;
- `pdfplumber`: one plain `extract_words()` pass over the same pages (the parse floor of our library);
- `pypdfium2`: raw text extraction of the same pages (the physical floor);
and prints the ratios. Target: extract <= 1.3x the pdfplumber pass.

Then the two document engines (issue 12): full extraction with the pdfium engine beside raw pypdfium2
text of the same pages (target: at most 5x) and beside full extraction with the pdfplumber engine
(target: at least 8x faster), and the document layer alone with each engine.

It also prints what resolving place and nationality names costs (`extractors.geo`, hdx-python-country):
the one-time load of hdx's names in a fresh process, and the time spent resolving labels as a share of
extraction time, with every label new (an empty per-label cache) and with the cache warm (steady state).

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
    engine_comparison(pdfs, args.repeat)
    name_resolution_cost(pdfs, args.repeat)
    return 0


#: Issue 12's targets for the pdfium engine: at most this many times raw pdfium text ...
PDFIUM_FLOOR_TARGET = 5.0
#: ... and at least this many times faster than the pdfplumber engine (full extraction both).
PDFIUM_SPEEDUP_TARGET = 8.0


def engine_comparison(pdfs: list[Path], repeat: int) -> None:
    """Full extraction with the pdfium engine beside raw pypdfium2 text and the pdfplumber engine, same run.

    Also the document layer alone (`Document.open`: words and rules, no section reader) per engine, and
    whether the pdfium engine read the file itself or handed it to the reference engine.
    """
    from extractors.document import Document

    def with_engine(engine: str) -> Callable[[Path], int]:
        return lambda path: len(extract(path, engine=engine).facts)

    def document_only(engine: str) -> Callable[[Path], int]:
        return lambda path: len(Document.open(path, engine=engine).pages)

    print(
        f"\n{'report':<22}{'fast ms':>9}{'raw ms':>8}{'ref ms':>9}{'fast doc':>10}{'ref doc':>9}"
        f"{'fast/raw':>10}{'ref/fast':>10}{'doc ref/fast':>14}  read by"
    )
    floor_ratios, speedups = [], []
    for pdf in pdfs:
        fast = median_seconds(with_engine("pdfium"), pdf, repeat)
        raw = median_seconds(raw_pdfium, pdf, repeat)
        reference = median_seconds(with_engine("pdfplumber"), pdf, repeat)
        fast_doc = median_seconds(document_only("pdfium"), pdf, repeat)
        reference_doc = median_seconds(document_only("pdfplumber"), pdf, repeat)
        floor_ratios.append(fast / raw)
        speedups.append(reference / fast)
        name = f"{pdf.parent.name}/{pdf.stem}"
        print(
            f"{name:<22}{fast * 1000:>9.1f}{raw * 1000:>8.1f}{reference * 1000:>9.1f}{fast_doc * 1000:>10.1f}"
            f"{reference_doc * 1000:>9.1f}{fast / raw:>10.1f}{reference / fast:>10.1f}"
            f"{reference_doc / fast_doc:>14.1f}  {read_by(pdf)}"
        )
    floor, speedup = statistics.median(floor_ratios), statistics.median(speedups)
    print(
        f"median pdfium engine / raw pypdfium2 text: {floor:.1f}x (target <= {PDFIUM_FLOOR_TARGET:g}x: "
        f"{'met' if floor <= PDFIUM_FLOOR_TARGET else 'NOT met'}); pdfplumber engine / pdfium engine: "
        f"{speedup:.1f}x (target >= {PDFIUM_SPEEDUP_TARGET:g}x: "
        f"{'met' if speedup >= PDFIUM_SPEEDUP_TARGET else 'NOT met'})"
    )


def read_by(pdf: Path) -> str:
    """Which engine reads `pdf` when the pdfium engine is asked: pdfium, or the reference and why."""
    from extractors.engine_pdfium import UseReference, read_pages
    from extractors.limits import ExtractionLimits

    try:
        read_pages(pdf, pdf.read_bytes(), ExtractionLimits.from_env())
    except UseReference as reason:
        return f"pdfplumber ({reason})"
    return "pdfium"


def name_resolution_cost(pdfs: list[Path], repeat: int) -> None:
    """Print hdx's first load (fresh process) and label resolution's share of extraction time."""
    import subprocess

    from extractors import geo

    code = "from extractors import geo; print(geo.warm())"
    first = float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True).stdout)
    print(f"names: first load of hdx's names and config/aliases.toml (fresh process, once): {first * 1000:.0f} ms")
    spent = [0.0]
    calls = [0]
    resolver_class = type(geo._resolver())
    originals = {name: getattr(resolver_class, name) for name in ("place", "nationality")}

    def timed(method):
        def wrapper(self, label):
            start = time.perf_counter()
            try:
                return method(self, label)
            finally:
                spent[0] += time.perf_counter() - start
                calls[0] += 1

        return wrapper

    for name, method in originals.items():
        setattr(resolver_class, name, timed(method))
    try:
        for state in ("new labels", "cached"):
            spent[0], calls[0], total = 0.0, 0, 0.0
            for pdf in pdfs:
                for _ in range(repeat):
                    if state == "new labels":
                        resolver = geo._resolver()
                        resolver._places.clear()
                        resolver._nationalities.clear()
                    start = time.perf_counter()
                    full_extract(pdf)
                    total += time.perf_counter() - start
            runs = len(pdfs) * repeat
            print(
                f"names: resolution, {state}: {spent[0] / runs * 1000:.2f} ms per report "
                f"({calls[0] // runs} lookups), {spent[0] / total:.1%} of extraction time"
            )
    finally:
        for name, method in originals.items():
            setattr(resolver_class, name, method)


if __name__ == "__main__":
    raise SystemExit(main())
