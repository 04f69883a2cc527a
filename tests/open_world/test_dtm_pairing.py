"""Headline figures paired with their labels by block, on generated DTM issues (synthetic) whose headline
blocks are swapped, resized and moved out of line: each figure is read exactly or its section is refused,
never paired with a neighbour's label."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import extract
from tests.support.truth_check import truth_key
from tests.variants import VariantCase, render_case
from tests.variants.style import Style


def _case(template: str, year: int, month: int, **style: object) -> VariantCase:
    name = f"pairing-{template.replace('/', '-')}-{year}-{month:02d}"
    return VariantCase(name, template, year, month, seed=7, style=Style(**style))


@pytest.mark.parametrize(
    "case",
    [
        _case("dtm_wb/2024-12", 2025, 3, headline_order=(2, 0, 1), headline_width=128.0),
        _case("dtm_wb/2024-11", 2025, 4, headline_order=(1, 2, 0), headline_width=160.0, headline_shift=(9, 0, 4)),
        _case("dtm_wb/2023-06", 2023, 5, headline_order=(2, 1, 0), headline_width=140.0, headline_shift=(0, 10, 3)),
    ],
    ids=lambda case: case.name,
)
def test_swapped_resized_and_shifted_blocks_read_exactly(case: VariantCase, tmp_path: Path) -> None:
    """Blocks in another order, width and height on their row: every headline figure keeps its own label."""
    pdf, truth = render_case(case, tmp_path)
    report = extract(pdf)
    expected = {truth_key(r): r["value"] for r in truth["facts"]}
    got = {truth_key(f.to_record()): f.value for f in report.facts}
    assert got == expected


@pytest.mark.parametrize("shift", [(0, 30, 0), (40, 0, 20), (0, 0, 36)])
def test_blocks_moved_off_their_row_are_read_exactly_or_refused(shift: tuple[int, int, int], tmp_path: Path) -> None:
    """Blocks moved down past their neighbours' figures: a headline is read exactly or its section is an
    unreadable_section; no figure ever takes a neighbour's label."""
    case = _case("dtm_wb/2024-12", 2025, 6, headline_order=(1, 0, 2), headline_shift=shift)
    pdf, truth = render_case(case, tmp_path)
    report = extract(pdf, strict=False)
    expected = {truth_key(r): r["value"] for r in truth["facts"]}
    for fact in report.facts:
        key = truth_key(fact.to_record())
        assert key in expected and expected[key] == fact.value, f"{key}: read {fact.value}, truth {expected.get(key)}"
    refused = {p.section for p in report.problems}
    assert refused <= {"registrations", "avrr", "asylum"}
    assert all(p.rule == "unreadable_section" and p.page and p.bbox for p in report.problems)
    assert len(report.facts) == len(expected) or refused


def test_a_label_in_two_blocks_is_refused_not_guessed(tmp_path: Path) -> None:
    """The middle block moved below its neighbours: its caption sits under two figures, so the registrations
    headlines are an unreadable_section naming the label, and the other sections are still read."""
    case = _case("dtm_wb/2024-12", 2025, 6, headline_order=(1, 0, 2), headline_shift=(0, 30, 0))
    pdf, _ = render_case(case, tmp_path)
    report = extract(pdf, strict=False)
    problems = {p.section: p for p in report.problems}
    assert "registrations" in problems
    assert "sits in the blocks of two headline figures" in problems["registrations"].detail
    assert problems["registrations"].page == 1 and problems["registrations"].printed
    assert {f.indicator for f in report.facts} >= {"arrival_nationality_share", "reception_occupancy", "avrr_returns"}
