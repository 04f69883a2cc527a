"""The widened open-world batch: SYNTHETIC issues of both families with every drift of issue 10 at once.

Each issue takes the structure drifts of its family's batch (`test_dtm_batch.batch_cases`,
`tests.variants.unhcr_drift.drifted_cases`: headings re-wrapped, reworded, recased, in another font or
weight; sections and blocks moved; figure-free pages; separators and dashes) and, on top, names drawn
from hdx's own country data (`Style.name_drift`: UN short forms, Rep./Dem./Fed., "&", accents stripped,
nationalities no sample prints). Seeds differ from the family batches', so these issues are new to them.

`python -m tests.open_world.widened OUT_DIR [--count N]` writes N issues (half DTM, half UNHCR) with
their `.truth.json`, one folder each (two issues may share a report id), for `score.py` folder by folder;
`test_widened_batch.py` reads them and requires every figure exact.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.open_world.test_dtm_batch import batch_cases
from tests.variants import VariantCase, render_case
from tests.variants.unhcr_drift import drifted_cases, render_drifted

WIDENED_SIZE = 200
WIDENED_SEED = 20261205


def widened_cases(count: int = WIDENED_SIZE, seed: int = WIDENED_SEED) -> Iterator[tuple[VariantCase, bool]]:
    """`count` issues, DTM and UNHCR alternating: (case, print a nil?). Names drift in every issue."""
    rng = random.Random(seed)
    dtm = batch_cases((count + 1) // 2, seed)
    unhcr = iter(drifted_cases(count // 2, seed))
    for index in range(count):
        if index % 2 == 0:
            case, nil = next(dtm), False
        else:
            case, nil = next(unhcr)
        style = dataclasses.replace(case.style, name_drift=rng.randint(1, 10**6))
        yield dataclasses.replace(case, name=f"widened-{index:03d}-{case.name}", style=style), nil


def render_widened(case: VariantCase, nil: bool, out_dir: Path) -> tuple[Path, dict[str, Any]]:
    """Draw one widened issue to `<out_dir>/<report_id>.pdf` with its truth (SYNTHETIC)."""
    if case.family == "unhcr_wb":
        return render_drifted(case, nil, out_dir)
    return render_case(case, out_dir)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.open_world.widened", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=WIDENED_SIZE)
    parser.add_argument("--seed", type=int, default=WIDENED_SEED)
    args = parser.parse_args(argv)
    for case, nil in widened_cases(args.count, args.seed):
        # Two issues may share a report id (a month drawn twice): one folder each, scored one by one.
        folder = args.out_dir / f"{case.name.split('-')[1]}-{case.family}"
        pdf, truth = render_widened(case, nil, folder)
        print(f"{pdf}  {len(truth['facts'])} facts  {case.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
