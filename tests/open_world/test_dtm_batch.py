"""A seeded batch of unseen DTM issues (synthetic imitations), every drift of issue 10 drawn at random.

Each issue is drawn by the variant generator (`tests/variants`) in another month and style: headings
re-wrapped, reworded, in another case, weight, font and size; pages reordered, sections moved to a page of
their own, figure-free pages inserted; headline blocks swapped and resized; other thousands separators and
nil dashes. Every figure must come out exactly as its truth says, and no figure may ever be wrong.

Run it alone (a few minutes): `.venv/bin/python -m pytest tests/open_world/test_dtm_batch.py -s`
(it prints the score), or `.venv/bin/python -m tests.open_world.test_dtm_batch [COUNT]`.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import pytest

from extractors import extract
from extractors.errors import ExtractionError
from tests.support.truth_check import truth_key
from tests.variants import VariantCase, render_case
from tests.variants.generate import dtm_drift
from tests.variants.style import Style

#: Issues in the batch, and the seed that draws them (the same issues every run).
BATCH_SIZE = 120
BATCH_SEED = 20261204
TEMPLATES = ("dtm_wb/2024-10", "dtm_wb/2024-11", "dtm_wb/2024-12", "dtm_wb/2023-06")


def batch_cases(count: int = BATCH_SIZE, seed: int = BATCH_SEED) -> Iterator[VariantCase]:
    """`count` DTM issues, each with its template, month, countries lacking nationality data and style drawn."""
    rng = random.Random(seed)
    for index in range(count):
        template = TEMPLATES[index % len(TEMPLATES)]
        layout = "v2023" if template.endswith("2023-06") else "v2024"
        year = rng.choice((2022, 2023)) if layout == "v2023" else rng.choice((2024, 2025, 2026))
        month = rng.randint(1, 12)
        absent = tuple(sorted(rng.sample(("ALB", "BIH", "MNE", "MKD", "SRB", "XKX"), rng.choice((0, 1, 1, 2)))))
        style = Style(**dtm_drift(rng, layout), accent=rng.choice(("#0033A0", "#1F3F8F", "#123C7C")))
        name = f"batch-{index:03d}-{layout}-{year}-{month:02d}"
        yield VariantCase(name, template, year, month, seed=index, style=style, absent=absent)


@dataclasses.dataclass
class IssueScore:
    """How one issue read: figures of its truth found exactly, missed and wrong, and why it was refused."""

    name: str
    expected: int
    exact: int = 0
    missed: int = 0
    wrong: list[str] = dataclasses.field(default_factory=list)
    refused: str = ""
    problems: list[str] = dataclasses.field(default_factory=list)


def score_case(case: VariantCase) -> IssueScore:
    """Draw one issue, read it (other sections read on past an unreadable one) and compare with its truth."""
    with tempfile.TemporaryDirectory() as folder:
        pdf, truth = render_case(case, folder)
        expected = {truth_key(r): r["value"] for r in truth["facts"]}
        score = IssueScore(case.name, len(expected))
        try:
            report = extract(pdf, strict=False)
        except ExtractionError as error:
            score.refused = str(error)
            score.missed = len(expected)
            return score
    got = {truth_key(f.to_record()): f.to_record()["value"] for f in report.facts}
    for key, value in got.items():
        if key not in expected or expected[key] != value:
            score.wrong.append(f"{key}: read {value}, truth {expected.get(key, 'absent')}")
    score.exact = sum(1 for key, value in expected.items() if key in got and got[key] == value)
    score.missed = sum(1 for key in expected if key not in got)
    score.problems = [f"{p.rule} {p.section}: {p.detail}" for p in report.problems]
    return score


def run_batch(count: int = BATCH_SIZE, workers: int = 4) -> list[IssueScore]:
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(score_case, batch_cases(count), chunksize=4))


def summary(scores: list[IssueScore]) -> str:
    expected = sum(s.expected for s in scores)
    exact = sum(s.exact for s in scores)
    complete = sum(1 for s in scores if s.exact == s.expected and not s.wrong and not s.problems)
    refused = sum(1 for s in scores if s.refused)
    partial = sum(1 for s in scores if not s.refused and s.missed)
    wrong = sum(len(s.wrong) for s in scores)
    return (
        f"{len(scores)} synthetic DTM issues: {complete} read completely, {partial} with sections unreadable, "
        f"{refused} refused; figures {exact}/{expected} exact ({exact / expected:.2%}), "
        f"{expected - exact} missed, {wrong} wrong"
    )


@pytest.mark.slow
def test_seeded_batch_of_unseen_issues_reads_exactly() -> None:
    """Every figure of every issue of the batch is read exactly, and none is ever wrong."""
    scores = run_batch()
    print("\n" + summary(scores))
    wrong = [f"{s.name}: {w}" for s in scores for w in s.wrong]
    assert not wrong, f"{len(wrong)} wrong figures, e.g. {wrong[:5]}"
    failed = [f"{s.name}: {s.refused or (s.problems[:1] or [f'{s.missed} missed'])[0]}" for s in scores if s.missed]
    assert not failed, f"{len(failed)} issues not read completely, e.g. {failed[:5]}"


if __name__ == "__main__":
    results = run_batch(int(sys.argv[1]) if len(sys.argv) > 1 else BATCH_SIZE)
    for result in results:
        if result.missed or result.wrong:
            print(json.dumps(dataclasses.asdict(result))[:600])
    print(summary(results))
