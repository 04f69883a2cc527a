"""Validation benchmark: what each rule costs per report, beside the whole validation and the extraction.

For each sample report (extracted once), with the other samples as history, it times as medians
over repeated runs: every rule alone (`rule.check`), the whole `validate_report` (schema, rules,
acknowledgements) and the extraction itself, and prints each rule's share of the validation and
of extraction + validation. Times are CPU time of this process (`time.process_time`), so that
other work on the machine does not count. The sample PDFs are synthetic imitations of the real reports.

Run by hand: `.venv/bin/python benchmarks/validation.py [--repeat N]`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors import extract  # noqa: E402
from schemas import RULES, report_frame, validate_report  # noqa: E402
from schemas.validate import MARK_COLUMNS  # noqa: E402

#: The rules added for issues 10 and 13, summed in the last columns.
NEW_RULES = ("part_within_whole", "rows_complete", "plausible_change")


def median_seconds(repeat: int, action: Callable[..., object], *args: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        action(*args)
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    pdfs = sorted((ROOT / "tests" / "pdfs").glob("*/*.pdf"))
    extract_seconds = {}
    frames = {}
    for pdf in pdfs:
        report = extract(pdf)
        frames[report.report_id] = report_frame(report)
        extract_seconds[report.report_id] = median_seconds(max(3, args.repeat // 5), extract, pdf)
    print(f"{'report':<18}{'extract ms':>11}{'validate ms':>12}{'new rules ms':>13}{'of validate':>12}{'of both':>9}")
    totals = {"new": 0.0, "validate": 0.0, "extract": 0.0}
    per_rule = dict.fromkeys((r for r in RULES if r != "schema"), 0.0)
    for report_id, frame in frames.items():
        others = pd.concat([f for other, f in frames.items() if other != report_id], ignore_index=True)
        history = others[~others["repeat"]].drop(columns=list(MARK_COLUMNS))
        validate = median_seconds(args.repeat, validate_report, frame, history)
        rule_seconds = {
            rule_id: median_seconds(args.repeat, rule.check, frame, history)
            for rule_id, rule in RULES.items()
            if rule_id != "schema"
        }
        for rule_id, seconds in rule_seconds.items():
            per_rule[rule_id] += seconds
        new = sum(rule_seconds[rule_id] for rule_id in NEW_RULES)
        both = validate + extract_seconds[report_id]
        print(
            f"{report_id:<18}{extract_seconds[report_id] * 1e3:>11.1f}{validate * 1e3:>12.1f}"
            f"{new * 1e3:>13.2f}{new / validate:>12.1%}{new / both:>9.1%}"
        )
        totals["new"] += new
        totals["validate"] += validate
        totals["extract"] += extract_seconds[report_id]
    count = len(frames)
    print(
        f"{'mean':<18}{totals['extract'] / count * 1e3:>11.1f}{totals['validate'] / count * 1e3:>12.1f}"
        f"{totals['new'] / count * 1e3:>13.2f}{totals['new'] / totals['validate']:>12.1%}"
        f"{totals['new'] / (totals['validate'] + totals['extract']):>9.1%}"
    )
    print("mean ms per report, rule by rule: " + ", ".join(f"{r} {t / count * 1e3:.2f}" for r, t in per_rule.items()))


if __name__ == "__main__":
    main()
