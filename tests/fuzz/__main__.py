"""Run the fuzzing harness by hand: `python -m tests.fuzz --count N --seed S --out DIR`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .harness import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Damage the sample PDFs and classify how each is read.")
    parser.add_argument("--count", type=int, default=1000, help="how many damaged files to make and read")
    parser.add_argument("--seed", type=int, default=0, help="seed of the mutations (a run is reproducible)")
    parser.add_argument("--first", type=int, default=0, help="first index (one file: --first I --count 1)")
    parser.add_argument("--out", type=Path, required=True, help="folder for results.jsonl, defects/, summary.json")
    parser.add_argument("--cli-every", type=int, default=50, help="also run `mixedflows extract` on every Nth file")
    args = parser.parse_args(argv)
    summary = run(args.count, args.seed, args.out, first=args.first, cli_every=args.cli_every)
    print(json.dumps(summary, indent=2))
    return 1 if summary["classes"].get("defect") else 0


if __name__ == "__main__":
    sys.exit(main())
