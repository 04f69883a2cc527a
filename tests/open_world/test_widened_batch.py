"""The widened open-world batch (SYNTHETIC issues, `tests/open_world/widened.py`): structure and name drifts at once.

200 issues, DTM and UNHCR alternating, each with its family's structure drifts and names drawn from hdx's
own data. No figure may ever come out wrong (value, or a key the issue does not print: a wrong code is a
wrong key), no issue may be refused whole, and at least 99 % of the printed figures must come out; what
cannot be read is a problem of its section, never a guess.

Run alone: `.venv/bin/python -m pytest tests/open_world/test_widened_batch.py -s` (it prints the score;
about two minutes on two processes).
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from extractors import extract
from extractors.errors import ExtractionError
from tests.open_world.test_dtm_batch import IssueScore
from tests.open_world.widened import WIDENED_SIZE, render_widened, widened_cases
from tests.support.truth_check import truth_key

#: Share of the batch's printed figures that must come out (measured 2026-12-04: 99.56 %).
MIN_RECALL = 0.99


def score_widened(numbered: tuple[int, bool]) -> tuple[IssueScore, list[tuple[str, str]]]:
    """Draw issue `index` of the batch, read it (on past unreadable sections), compare with its truth."""
    index, _ = numbered
    case, nil = list(widened_cases(index + 1))[index]
    with tempfile.TemporaryDirectory() as folder:
        pdf, truth = render_widened(case, nil, Path(folder))
        expected = {truth_key(r): r["value"] for r in truth["facts"]}
        score = IssueScore(case.name, len(expected))
        try:
            report = extract(pdf, strict=False)
        except ExtractionError as error:
            score.refused, score.missed = str(error), len(expected)
            return score, []
    got = {truth_key(f.to_record()): f.to_record()["value"] for f in report.facts}
    score.wrong = [f"{k}: read {v}, truth {expected.get(k, 'absent')}" for k, v in got.items() if expected.get(k) != v]
    score.exact = sum(1 for k, v in expected.items() if k in got and got[k] == v)
    score.missed = len(expected) - score.exact
    score.problems = [f"{p.rule} {p.section}: {p.detail}" for p in report.problems if p.rule != "fuzzy_label"]
    fuzzy = [(p.printed or "", p.detail) for p in report.problems if p.rule == "fuzzy_label"]
    return score, fuzzy


@pytest.mark.slow
def test_widened_batch_reads_every_figure_it_returns_exactly() -> None:
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(score_widened, [(i, False) for i in range(WIDENED_SIZE)], chunksize=8))
    scores = [s for s, _ in results]
    expected, exact = sum(s.expected for s in scores), sum(s.exact for s in scores)
    fuzzy = [f for _, found in results for f in found]
    print(
        f"\n{len(scores)} synthetic issues: {exact}/{expected} figures exact ({exact / expected:.2%}), "
        f"{sum(1 for s in scores if s.missed)} with sections held back, {len(fuzzy)} fuzzy matches (all checked "
        "against the truth: a wrong code would be a wrong key)"
    )
    wrong = [f"{s.name}: {w}" for s in scores for w in s.wrong]
    assert not wrong, f"{len(wrong)} wrong figures, e.g. {wrong[:5]}"
    refused = [f"{s.name}: {s.refused}" for s in scores if s.refused]
    assert not refused, f"{len(refused)} issues refused whole, e.g. {refused[:3]}"
    silent = [s.name for s in scores if s.missed and not s.problems]
    assert not silent, f"figures missing with no problem to say why: {silent[:5]}"
    assert exact / expected >= MIN_RECALL
