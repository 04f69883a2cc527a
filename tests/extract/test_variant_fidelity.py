"""The variant renderer draws each sample PDF again from the sample's own truth and style: same words, same places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_PDFS, sample_id, truth_path
from tests.variants.compare import compare
from tests.variants.render import render
from tests.variants.style import Style

#: Words of an unjittered sample must land within this many points of the sample's.
TOLERANCE = 1.0
#: A jittered sample moves each block by its own random offset, and its later blocks follow the earlier
#: ones (measured: up to 6.7 pt at jitter 4); ours moves blocks independently, so allow this many jitters.
JITTER_ALLOWANCE = 2.5


@pytest.mark.slow
@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=sample_id)
def test_rendering_a_samples_truth_reproduces_its_words(pdf: Path, tmp_path: Path) -> None:
    """Every word (text and size class) of every page is drawn again, none added, each near its sample place."""
    truth = json.loads(truth_path(pdf).read_text())
    style = Style.from_dict(truth["style"])
    rendered = tmp_path / pdf.name
    render(truth, style, rendered)
    tolerance = TOLERANCE + JITTER_ALLOWANCE * style.jitter
    diffs = compare(pdf, rendered, tolerance)
    problems = [d.summary() for d in diffs if d.missing or d.extra or d.moved]
    assert not problems, "\n".join(problems)
    assert all(d.matched > 50 for d in diffs), [d.matched for d in diffs]


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=sample_id)
def test_rendering_a_samples_truth_prints_each_figure_on_its_page(pdf: Path, tmp_path: Path) -> None:
    """Each fact of the sample's truth is printed, on the page the truth names."""
    truth = json.loads(truth_path(pdf).read_text())
    printed = render(truth, Style.from_dict(truth["style"]), tmp_path / pdf.name)
    pages = {
        tuple(r[k] for k in ("indicator", "geo", "period_start", "period_end", "breakdown", "rank")): r["page"]
        for r in printed["facts"]
    }
    wrong = [
        (r["indicator"], r["geo"], r["period_start"], r["page"])
        for r in truth["facts"]
        if pages[(r["indicator"], r["geo"], r["period_start"], r["period_end"], r["breakdown"], r["rank"])] != r["page"]
    ]
    assert len(printed["facts"]) == len(truth["facts"])
    assert not wrong, wrong[:5]
