"""Second-reading benchmark: how often camelot disagrees with our table readers, and what it costs.

For every PDF under the folders given (default: the synthetic samples in tests/pdfs; also give the
folders `python -m tests.variants DIR` and `python -m tests.open_world.widened DIR` write), it reads the
report with `extractors.extract` (strict=False, as the pipeline does) and times it, then times
`extractors.second_reading.read_tables_again`, and counts table figures, figures camelot read
confidently (compared), and disagreements (any is a false alarm on these files, whose figures our
readers read exactly: the suites check them against their truth). It prints each disagreement, the
coverage, and the cost per report in ms and as a share of extraction (medians, CPU-bound, one process).

Run by hand: `.venv/bin/python benchmarks/second_reading.py [DIR_OR_PDF ...]`.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import extract  # noqa: E402
from extractors.errors import ExtractionError  # noqa: E402
from extractors.second_reading import TABLE_METHOD, load_camelot, read_tables_again  # noqa: E402


def main(arguments: list[str]) -> int:
    targets = [Path(a) for a in arguments] or [ROOT / "tests" / "pdfs"]
    pdfs = [p for t in targets for p in (sorted(t.rglob("*.pdf")) if t.is_dir() else [t])]
    load_camelot()
    extract_ms: list[float] = []
    second_ms: list[float] = []
    tables = compared = 0
    disagreements: list[str] = []
    methods: Counter[str] = Counter()
    refused = 0
    for pdf in pdfs:
        started = time.perf_counter()
        try:
            report = extract(pdf, strict=False)
        except ExtractionError:
            refused += 1
            continue
        extracted = time.perf_counter()
        readings = read_tables_again(pdf, report.facts)
        done = time.perf_counter()
        ours = {f.key: f for f in report.facts}
        table_facts = [f for f in report.facts if f.method == TABLE_METHOD]
        if not table_facts:
            continue
        extract_ms.append((extracted - started) * 1000)
        second_ms.append((done - extracted) * 1000)
        tables += len(table_facts)
        compared += len(readings)
        methods.update(r.method for r in readings)
        for reading in readings:
            if abs(ours[reading.key].value - reading.value) > 1e-9:
                disagreements.append(
                    f"{pdf}: {reading.key[1:]} ours {ours[reading.key].value} {reading.method} {reading.value} "
                    f"({reading.printed!r}, page {reading.page})"
                )
    for line in disagreements:
        print("DISAGREE", line)
    print(f"reports with tables: {len(extract_ms)} (of {len(pdfs)} PDFs, {refused} refused)")
    print(
        f"table figures: {tables}; read again confidently: {compared} ({compared / max(tables, 1):.1%}) {dict(methods)}"
    )
    print(f"disagreements: {len(disagreements)}")
    if extract_ms:
        extraction, second = statistics.median(extract_ms), statistics.median(second_ms)
        print(
            f"extraction: median {extraction:.0f} ms; "
            f"second reading: median {second:.0f} ms ({second / extraction:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
