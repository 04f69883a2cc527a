"""`python -m tests.variants OUT_DIR`: write every variant case as a PDF and its `.truth.json` (synthetic)."""

from __future__ import annotations

import argparse
import sys
import time

from . import render_case, variant_cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.variants",
        description="Write the synthetic variant issues (PDF + .truth.json each) for score.py.",
    )
    parser.add_argument("out_dir", help="folder to write <report_id>.pdf and <report_id>.truth.json into")
    parser.add_argument("--only", action="append", default=[], help="render only cases whose name contains this")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    cases = [c for c in variant_cases() if not args.only or any(o in c.name for o in args.only)]
    for case in cases:
        pdf, truth = render_case(case, args.out_dir)
        print(f"{pdf}  {len(truth['facts'])} facts  {case.name}")
    print(f"{len(cases)} synthetic issues in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
