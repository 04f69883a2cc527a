"""Every seeded variant issue (unseen months and styles): every printed figure extracted exactly, as generated."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import extract
from tests.support.truth_check import assert_matches_truth
from tests.variants import VariantCase, render_case, variant_cases


@pytest.mark.parametrize("case", variant_cases(), ids=lambda case: case.name)
def test_every_printed_figure_matches_variant_truth(case: VariantCase, tmp_path: Path) -> None:
    """Every figure of a generated issue is extracted with its exact value and page, and nothing else is."""
    pdf, truth = render_case(case, tmp_path)
    report = extract(pdf)
    assert_matches_truth(report, truth)
