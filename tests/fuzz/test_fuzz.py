"""A small seeded batch of the fuzzing harness (tests/fuzz): damaged copies of the synthetic samples are
read identically or refused in one line; none is a defect. The large runs are made by hand (docs/EXTRACTION.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fuzz.harness import run

#: Files in the batch: enough to meet every mutation a few times in about a minute on an idle machine.
BATCH = 60


@pytest.mark.slow
def test_a_seeded_batch_of_damaged_samples_has_no_defect(tmp_path: Path) -> None:
    summary = run(BATCH, seed=13, out=tmp_path, cli_every=20, log=lambda line: None)
    defects = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    defects = [d for d in defects if d["kind"] == "defect"]
    assert defects == []
    assert sum(summary["classes"].values()) == BATCH
    # The batch must exercise both outcomes, or it proves nothing.
    assert summary["classes"].get("identical", 0) > 0 and summary["classes"].get("error", 0) > 0
