"""A separate process that publishes one report, for the crash and concurrency tests.

Run as `python -m tests.support.store_worker`.

It prints the PublishResult as one JSON line, or the store's one-line error on stderr with exit status 1.
`--kill-after TABLE` SIGKILLs the process right after its commit to TABLE; `--pause-after TABLE` waits there
until the file `--go` appears, so the parent can let another process commit in between; `--ready`/`--wait-for`
hold the process, its inputs built, until the parent is ready to watch the publish itself.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import sys
import time
from pathlib import Path

import pandas as pd

from extractors.facts import normalise_frame
from mixedflows.store import PublishResult, Store, StoreError
from tests.support.store_inputs import (
    EXTRACTOR_VERSION,
    changed_pdf,
    no_violations,
    report_id,
    sha256_of,
    truth_facts,
    truth_violations,
)

#: Seconds a paused worker waits for `--go` before giving up (so a failed test never leaves it behind).
PAUSE_LIMIT = 60.0

VARIANTS = ("truth", "changed", "big")


def frames(report: str, variant: str, big_rows: int) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The facts, violations and sha256 a variant publishes."""
    facts = truth_facts(report)
    if variant == "truth":
        return facts, no_violations(), sha256_of(report)
    facts = changed_pdf(facts)
    if variant == "big":
        # Many distinct figures (rank makes each key unique): a write that takes long enough to be killed in.
        repeats = -(-big_rows // len(facts))
        facts = pd.concat([facts] * repeats, ignore_index=True).iloc[:big_rows]
        facts["rank"] = range(len(facts))
        facts = normalise_frame(facts)
    violations = truth_violations(report, severity="warning")
    if violations.empty:
        violations = pd.DataFrame(
            [{"rule": "test_rule", "severity": "warning", "indicator": None, "geo": None, "detail": "for tests"}]
        ).astype("string")
    return facts, violations, str(facts["pdf_sha256"].iloc[0])


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + PAUSE_LIMIT
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.005)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--report", required=True, help="family/YYYY-MM of a sample, e.g. dtm_wb/2024-12")
    parser.add_argument("--variant", choices=VARIANTS, default="truth")
    parser.add_argument("--blocked", action="store_true")
    parser.add_argument("--run-id", default="worker")
    parser.add_argument("--big-rows", type=int, default=20_000)
    parser.add_argument("--kill-after")
    parser.add_argument("--pause-after")
    parser.add_argument("--go", type=Path)
    parser.add_argument("--ready", type=Path, help="file touched once the frames are built")
    parser.add_argument("--wait-for", type=Path, help="file whose appearance starts the publish")
    parser.add_argument("--start-at", type=float, default=0.0, help="time.time() to start publishing at")
    parser.add_argument("--max-attempts", type=int, default=8)
    parser.add_argument("--also", action="append", default=[], help="another report (truth) in the same batch")
    args = parser.parse_args(argv)

    def on_commit(table: str, version: int) -> None:
        if table == args.kill_after:
            os.kill(os.getpid(), signal.SIGKILL)
        if table == args.pause_after:
            args.go.parent.joinpath(f"paused-{os.getpid()}").touch()
            _wait_for(args.go)

    facts, violations, sha = frames(args.report, args.variant, args.big_rows)
    if args.ready:
        args.ready.touch()
    if args.wait_for:
        _wait_for(args.wait_for)
    while time.time() < args.start_at:
        time.sleep(0.001)
    store = Store(args.output, on_commit=on_commit, max_attempts=args.max_attempts)
    try:
        if args.also:
            results = publish_batch(store, args.report, args.variant, args.blocked, args.also, args.run_id)
            print(json.dumps([dataclasses.asdict(r) for r in results]))
            return 0
        result = store.publish_report(
            report_id(args.report),
            facts,
            violations,
            pdf_sha256=sha,
            extractor_version=EXTRACTOR_VERSION,
            run_id=args.run_id,
            blocked=args.blocked,
        )
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(dataclasses.asdict(result)))
    return 0


def publish_batch(
    store: Store, report: str, variant: str, blocked: bool, others: list[str], run_id: str
) -> list[PublishResult]:
    """Publish `report` as `variant` (held back if `blocked`) and the truth of `others`, in one batch."""
    planned = []
    for name, kind, held in [(report, variant, blocked), *((other, "truth", False) for other in others)]:
        facts, violations, sha = frames(name, kind, big_rows=0)
        planned.append(
            store.plan_publish(
                report_id(name),
                facts,
                violations,
                pdf_sha256=sha,
                extractor_version=EXTRACTOR_VERSION,
                run_id=run_id,
                blocked=held,
            )
        )
    return store.publish_batch(planned)


if __name__ == "__main__":
    sys.exit(main())
