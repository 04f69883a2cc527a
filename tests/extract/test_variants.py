"""Every seeded variant issue (unseen months and styles): every printed figure extracted exactly, as generated."""

from __future__ import annotations

import pytest

from tests.support import parsed
from tests.support.truth_check import assert_matches_truth
from tests.variants import VariantCase, variant_cases


@pytest.mark.parametrize("case", variant_cases(), ids=lambda case: case.name)
def test_every_printed_figure_matches_variant_truth(case: VariantCase) -> None:
    """Every figure of a generated issue is extracted with its exact value and page, and nothing else is."""
    _, truth = parsed.variant(case)
    assert_matches_truth(parsed.variant_report(case), truth)
