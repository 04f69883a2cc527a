"""Every seeded variant issue (unseen months and styles): every printed figure extracted exactly, as generated."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import extract
from tests.variants import VariantCase, render_case, variant_cases

TRUTH_KEY = ("indicator", "geo", "period_start", "period_end", "breakdown", "rank")


def _key(row: dict) -> tuple:
    return tuple(row[k] for k in TRUTH_KEY)


@pytest.mark.parametrize("case", variant_cases(), ids=lambda case: case.name)
def test_every_printed_figure_matches_variant_truth(case: VariantCase, tmp_path: Path) -> None:
    """Every figure of a generated issue is extracted with its exact value and page, and nothing else is."""
    pdf, truth = render_case(case, tmp_path)
    report = extract(pdf)
    assert report.report_id == truth["report_id"]
    assert report.family == truth["family"]
    assert report.layout_version == truth["layout_version"]
    expected = {_key(r): (r["value"], r["page"]) for r in truth["facts"]}
    got = {}
    for fact in report.facts:
        row = fact.to_record()
        got[_key(row)] = (row["value"], row["page"])
    missing = sorted(set(expected) - set(got), key=str)
    extra = sorted(set(got) - set(expected), key=str)
    wrong = sorted((k for k in expected.keys() & got.keys() if expected[k] != got[k]), key=str)
    assert not missing, f"{len(missing)} figures not extracted, e.g. {missing[:5]}"
    assert not extra, f"{len(extra)} figures not in the truth, e.g. {extra[:5]}"
    assert not wrong, "wrong value or page: " + "; ".join(f"{k}: {got[k]} != {expected[k]}" for k in wrong[:5])
