"""Drifts of a UNHCR issue, one at a time, on SYNTHETIC issues drawn by tests/variants: read exactly or refused."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from extractors import extract
from extractors.families.unhcr_wb.headings import HEADINGS
from extractors.layout.headings import HeadingAnchor, classify, closest
from tests.support.truth_check import assert_matches_truth
from tests.variants import VariantCase
from tests.variants.style import Style
from tests.variants.unhcr_drift import drifted_cases, render_drifted

#: The drifted issue where the UASC figure was read as a neighbouring block's number (issue 10): its UASC
#: panel moved to the top of a swapped column, beside the persons-present table, a figure-free page before it.
UASC_BESIDE_A_TABLE = dict(
    uasc_place="below", section_order="swapped", section_move="nationalities", blank_page=2, thousands=""
)


def _case(template: str, year: int, month: int, **drift) -> VariantCase:
    style = dataclasses.replace(Style(font="helvetica", jitter=1.5, jitter_seed=5), **drift)
    return VariantCase(f"drift-{template[-7:]}", template, year, month, seed=11, style=style)


#: Drifts one at a time and together (also read by both document engines in test_engine_identity).
DRIFTS = [
    ("unhcr_wb/2023-06", UASC_BESIDE_A_TABLE),
    ("unhcr_wb/2024-12", dict(uasc_place="left", section_order="swapped", thousands="\u202f")),
    ("unhcr_wb/2024-12", dict(key_blocks="stacked", key_block_scale=1.3, block_seed=4, nil_dash="\u2212")),
    ("unhcr_wb/2023-06", dict(key_blocks="stacked", key_block_scale=0.9, block_seed=9, thousands="\u00a0")),
    ("unhcr_wb/2024-11", dict(heading_wrap=0.35, heading_bold=False, heading_font="times", heading_case="upper")),
    ("unhcr_wb/2023-06", dict(heading_wrap=0.4, heading_reword=77, heading_case="lower", blank_page=1)),
    ("unhcr_wb/2024-12", dict(key_blocks="swapped", uasc_place="right", thousands="\u2009", blank_page=3)),
]


@pytest.mark.parametrize(("template", "drift"), DRIFTS)
def test_a_drifted_issue_reads_exactly(template: str, drift: dict, tmp_path: Path) -> None:
    """Blocks moved, swapped or resized, headings wrapped, reworded, recased or in regular weight, other
    separators, dashes and an extra page: every figure is read exactly, none paired with a neighbour's."""
    pdf, truth = render_drifted(_case(template, 2025, 7, **drift), nil=True, out_dir=tmp_path)
    report = extract(pdf, strict=False)
    assert not report.problems, report.problems[0].detail
    assert_matches_truth(report, truth)


def test_issue_10_uasc_is_never_a_neighbouring_blocks_number(tmp_path: Path) -> None:
    """The batch issue whose UASC figure the old extractor read as the persons-present table's 3,435
    (printed: 222) reads its own figure: the one inside the UASC panel, with nothing printed between."""
    case, nil = next((c, n) for c, n in drifted_cases(120, 20241210) if c.name == "drift-107-v2023-2019-12")
    pdf, truth = render_drifted(case, nil, tmp_path)
    report = extract(pdf, strict=False)
    assert [f.value for f in report.facts if f.indicator == "uasc_present"] == [222.0]
    assert_matches_truth(report, truth)


def test_a_heading_wrapped_and_reworded_finds_its_section() -> None:
    """Headings read as word sequences across lines: a word added, dropped or swapped, any case."""
    assert classify("NEW ARRIVALS TO EVERY\nCOUNTRY BETWEEN JANUARY AND MAY", HEADINGS).section == "arrivals_chart"
    assert classify("Persons present at the end of every month, 2023", HEADINGS).section == "present_by_month"
    assert classify("Persons present at the end of June 2023", HEADINGS).section == "persons_present"
    assert classify("Refugees, asylum-seekers and other people in mixed movements", HEADINGS) is None


def test_a_heading_as_close_to_two_sections_is_no_section() -> None:
    """A heading as near one anchor as another belongs to neither: which section it is would be a guess."""
    anchors = (HeadingAnchor("a", ("people present at the end",)), HeadingAnchor("b", ("persons present at the end",)))
    assert {m.section for m in closest("present at the end", anchors)} == {"a", "b"}
    assert classify("present at the end", anchors) is None
