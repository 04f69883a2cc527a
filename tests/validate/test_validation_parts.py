"""part_within_whole, rows_complete and plausible_change on what the extractors read from the sample PDFs.

The sample PDFs are read once per session; each test edits a copy of a report's frame (a figure
misread, a row lost) the way a slip in extraction would, and checks the rule names it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from extractors import extract
from schemas import RULES, report_frame, validate_report
from schemas.config import RuleSettings, ValidationConfig
from schemas.history import plausible_change
from schemas.parts import part_within_whole, rows_complete
from schemas.validate import MARK_COLUMNS
from tests.conftest import SAMPLE_PDFS
from tests.support import parsed
from tests.support.truth_frames import rows
from tests.variants import VariantCase, render_case, variant_cases
from tests.variants.style import Style

NEW_RULES = (part_within_whole, rows_complete, plausible_change)


@pytest.fixture(scope="session")
def extracted() -> dict[str, pd.DataFrame]:
    """Every sample PDF, extracted once, as a validation frame (arrows and second printings included)."""
    frames = {}
    for pdf in SAMPLE_PDFS:
        report = parsed.report(pdf)
        frames[report.report_id] = report_frame(report)
    return frames


def sample(extracted: dict[str, pd.DataFrame], report_id: str) -> pd.DataFrame:
    return extracted[report_id].copy()


def history_for(extracted: dict[str, pd.DataFrame], report_id: str) -> pd.DataFrame:
    """Every other sample's facts, as a monthly run passes them."""
    others = [frame for other, frame in extracted.items() if other != report_id]
    history = pd.concat(others, ignore_index=True)
    return history[~history["repeat"]].drop(columns=list(MARK_COLUMNS))


def edited(frame: pd.DataFrame, indicator: str, value: float, **where: object) -> pd.DataFrame:
    """A copy with the one (first) printing of a figure changed to `value`."""
    mask = rows(frame, indicator, **where) & ~frame["repeat"]
    assert mask.sum() == 1, f"{indicator} {where} matches {int(mask.sum())} rows"
    changed = frame.copy()
    changed.loc[mask, "value"] = value
    return changed


def without(frame: pd.DataFrame, indicator: str, **where: object) -> pd.DataFrame:
    """A copy without the rows of `indicator` matching `where` (second printings included), as if never read."""
    mask = rows(frame, indicator, **where)
    assert mask.any(), f"{indicator} {where} matches no row"
    return frame[~mask].reset_index(drop=True)


def errors(violations: pd.DataFrame) -> list[str]:
    return sorted(violations.loc[violations["severity"] == "error", "rule"])


@pytest.mark.parametrize("report_id", ["dtm-wb-2023-06", "dtm-wb-2024-10", "dtm-wb-2024-11", "dtm-wb-2024-12"])
def test_the_nationality_grid_may_lack_serbia(extracted: dict[str, pd.DataFrame], report_id: str) -> None:
    """Every DTM sample's grid lacks Serbia (the design prints countries with data): no row is missing."""
    frame = sample(extracted, report_id)
    grid = frame[frame["indicator"] == "arrival_nationality_share"]
    assert "SRB" not in set(grid["geo"]) and len(grid) == 15
    assert rows_complete(frame) == []


def test_every_sample_keeps_its_parts_rows_and_changes(extracted: dict[str, pd.DataFrame]) -> None:
    """What the extractors read from each sample, with the other samples as history, breaks none of the three rules."""
    found = {
        report_id: [v.detail for rule in NEW_RULES for v in rule(frame, history_for(extracted, report_id))]
        for report_id, frame in extracted.items()
    }
    assert len(found) == 7
    assert found == {report_id: [] for report_id in found}


def test_a_country_above_the_region(extracted: dict[str, pd.DataFrame]) -> None:
    """Bosnia's October 1,675 read as 16,750 is more than the region's 5,105."""
    frame = edited(
        sample(extracted, "dtm-wb-2024-10"), "registrations_on_arrival", 16750, geo="BIH", period_start="2024-10-01"
    )
    (violation,) = part_within_whole(frame)
    assert violation.key == "registrations_on_arrival/BIH/2024-10-01..2024-10-31"
    assert (violation.expected, violation.actual) == (5105, 16750)
    assert "registrations_on_arrival/WB/2024-10-01..2024-10-31" in violation.keys
    assert "part_within_whole" in errors(validate_report(frame))


def test_unaccompanied_children_above_the_persons_present(extracted: dict[str, pd.DataFrame]) -> None:
    """Issue 10's misread (a neighbour's 5,061 as the children present) is an error; within 'some 2,300' it is not."""
    frame = sample(extracted, "unhcr-wb-2024-12")
    misread = edited(frame, "uasc_present", 5061)
    (violation,) = part_within_whole(misread)
    assert violation.key == "uasc_present/WB/2024-12-31..2024-12-31"
    assert (violation.expected, violation.actual) == (2300, 5061)
    assert "counted among the persons present" in violation.detail
    assert errors(validate_report(misread)) == ["part_within_whole"]
    # "Some 2,300" is rounded to the hundred: up to 2,350 persons may be present.
    assert part_within_whole(edited(frame, "uasc_present", 2340)) == []
    assert len(part_within_whole(edited(frame, "uasc_present", 2351))) == 1


def test_a_share_risen_by_more_than_it_is(extracted: dict[str, pd.DataFrame]) -> None:
    """Albania's Syrian share is 36 %: it cannot have risen by 40 points (its previous share would be negative)."""
    frame = sample(extracted, "dtm-wb-2024-12")
    risen = edited(frame, "arrival_nationality_share_change", 36, geo="ALB", breakdown="nationality:SYR")
    assert part_within_whole(risen) == []
    (violation,) = part_within_whole(
        edited(frame, "arrival_nationality_share_change", 40, geo="ALB", breakdown="nationality:SYR")
    )
    assert violation.key == "arrival_nationality_share_change/ALB/2024-12-01..2024-12-31/nationality:SYR/rank:1"
    assert (violation.expected, violation.actual) == (36, 40)


def test_a_breakdown_above_its_total(extracted: dict[str, pd.DataFrame]) -> None:
    """A count by nationality (none is printed today) may not exceed the country's total: 700 Syrians of 607."""
    frame = sample(extracted, "dtm-wb-2024-10")
    albania = frame[rows(frame, "registrations_on_arrival", geo="ALB", period_start="2024-10-01") & ~frame["repeat"]]
    syrians = albania.assign(breakdown="nationality:SYR", value=700.0)
    (violation,) = part_within_whole(pd.concat([frame, syrians], ignore_index=True))
    assert violation.key == "registrations_on_arrival/ALB/2024-10-01..2024-10-31/nationality:SYR"
    assert (violation.expected, violation.actual) == (607, 700)


def test_a_lost_kosovo_row_is_an_error(extracted: dict[str, pd.DataFrame]) -> None:
    """Issue 13's damaged table: the UNHCR June 2023 table without Kosovo adds up to less than its total, so
    sum_to_total is silent; rows_complete names the missing row."""
    frame = without(sample(extracted, "unhcr-wb-2023-06"), "persons_present", geo="XKX")
    violations = validate_report(frame)
    assert errors(violations) == ["rows_complete"]
    (detail,) = violations["detail"]
    assert "persons_present 2023-06-30..2023-06-30: the table by country lacks XKX" in detail


def test_a_lost_row_of_the_facilities_snapshot(extracted: dict[str, pd.DataFrame]) -> None:
    """Kosovo's panel lost from the DTM snapshot: each of its four figures is named."""
    frame = sample(extracted, "dtm-wb-2024-11")
    for indicator in ("reception_centres", "reception_capacity", "reception_occupancy", "reception_occupancy_rate"):
        frame = without(frame, indicator, geo="XKX")
    found = rows_complete(frame)
    assert sorted(v.indicator for v in found) == [
        "reception_capacity",
        "reception_centres",
        "reception_occupancy",
        "reception_occupancy_rate",
    ]
    assert all("lacks XKX" in v.detail and v.geo == "XKX" for v in found)


def test_a_lost_rank_of_the_top_3(extracted: dict[str, pd.DataFrame]) -> None:
    """Bosnia's second nationality lost from the grid: share and change both lack rank 2."""
    frame = sample(extracted, "dtm-wb-2024-11")
    frame = without(frame, "arrival_nationality_share", geo="BIH", rank=2)
    frame = without(frame, "arrival_nationality_share_change", geo="BIH", rank=2)
    found = rows_complete(frame)
    assert [(v.indicator, v.key) for v in found] == [
        ("arrival_nationality_share", "arrival_nationality_share/BIH/2024-11-01..2024-11-30"),
        ("arrival_nationality_share_change", "arrival_nationality_share_change/BIH/2024-11-01..2024-11-30"),
    ]
    assert all("lacks rank 2 (printed: 1, 3)" in v.detail for v in found)


def test_a_lost_last_rank_of_the_unhcr_list_goes_unnoticed_but_a_gap_does_not(
    extracted: dict[str, pd.DataFrame],
) -> None:
    """UNHCR's list of nationalities has no fixed length: without rank 5 it is a top 4; without rank 3, a gap."""
    frame = sample(extracted, "unhcr-wb-2024-12")
    assert rows_complete(without(frame, "persons_present_nationality_share", rank=5)) == []
    (violation,) = rows_complete(without(frame, "persons_present_nationality_share", rank=3))
    assert "the top-5 list lacks rank 3" in violation.detail


def test_a_lost_month_of_a_chart(extracted: dict[str, pd.DataFrame]) -> None:
    """A bar lost from DTM's 13-month chart, and a month-end from UNHCR's chart (both layouts), are named."""
    dtm = without(sample(extracted, "dtm-wb-2024-12"), "registrations_on_arrival", geo="WB", period_start="2024-05-01")
    # The bar is also the region's figure beside the table by country of that month.
    chart, table = sorted(rows_complete(dtm), key=lambda v: v.key)
    assert chart.detail == "registrations_on_arrival WB: the chart of months from 2023-12 to 2024-12 lacks 2024-05"
    assert chart.key == "registrations_on_arrival/WB/2023-12-01..2024-12-31"
    assert table.key == "registrations_on_arrival/WB/2024-05-01..2024-05-31" and "lacks WB" in table.detail
    unhcr = without(sample(extracted, "unhcr-wb-2024-11"), "persons_present", geo="WB", period_end="2024-06-30")
    (violation,) = rows_complete(unhcr)
    assert "from 2023-12 to 2024-11 lacks 2024-06" in violation.detail
    june = without(sample(extracted, "unhcr-wb-2023-06"), "persons_present", geo="WB", period_end="2023-03-31")
    (violation,) = rows_complete(june)
    assert "from 2023-01 to 2023-06 lacks 2023-03" in violation.detail


def test_an_occupancy_trend_is_checked_only_where_the_layout_prints_it(extracted: dict[str, pd.DataFrame]) -> None:
    """The 2023 layout prints no occupancy trend (no finding), but a trend missing one month-end is reported."""
    assert rows_complete(sample(extracted, "dtm-wb-2023-06")) == []
    frame = sample(extracted, "dtm-wb-2024-12")
    (violation,) = rows_complete(without(frame, "reception_occupancy", geo="WB", period_end="2024-03-31"))
    assert "reception_occupancy WB: the chart of month-end figures from 2023-12 to 2024-12 lacks 2024-03" in (
        violation.detail
    )


def test_a_lost_female_share(extracted: dict[str, pd.DataFrame]) -> None:
    """AVRR returns by sex: male printed without female is a lost row."""
    frame = without(sample(extracted, "dtm-wb-2024-11"), "avrr_returns_share", breakdown="sex:female")
    (violation,) = rows_complete(frame)
    assert "but not for sex:female" in violation.detail


def test_plausible_change_against_the_previous_issue(extracted: dict[str, pd.DataFrame]) -> None:
    """December's 2,815 accommodated after November's 2,699: fine; 28,150 is a warning that does not block."""
    december = sample(extracted, "dtm-wb-2024-12")
    history = history_for(extracted, "dtm-wb-2024-12")
    misread = edited(december, "reception_occupancy", 28150, geo="WB", period_start="2024-12-31")
    (violation,) = plausible_change(misread, history)
    assert violation.key == "reception_occupancy/WB/2024-12-31..2024-12-31"
    assert (violation.expected, violation.actual) == (2699, 28150)
    assert "10.4 times" in violation.detail and "dtm-wb-2024-11" in violation.detail
    found = validate_report(misread, history)
    assert found.loc[found["rule"] == "plausible_change", "severity"].tolist() == ["warning"]
    wider = dict(ValidationConfig.defaults().rules)
    wider["plausible_change"] = RuleSettings(True, "warning", {"max_ratio": 12.0, "min_count": 20.0})
    assert "plausible_change" not in set(validate_report(misread, history, ValidationConfig(wider))["rule"])


def test_plausible_change_skips_small_counts_and_says_zero(extracted: dict[str, pd.DataFrame]) -> None:
    """3 -> 19 children is below the floor, 3 -> 25 is compared; a zero against 160 or 99 is reported either way."""
    december = sample(extracted, "unhcr-wb-2024-12")
    november = history_for(extracted, "unhcr-wb-2024-12")
    uasc = (november["report_id"] == "unhcr-wb-2024-11") & (november["indicator"] == "uasc_present")
    assert november.loc[uasc, "value"].tolist() == [160.0]

    def warnings(this: float, before: float) -> list[str]:
        history = november.copy()
        history.loc[uasc, "value"] = before
        return [v.detail for v in plausible_change(edited(december, "uasc_present", this), history)]

    assert warnings(99, 160) == []
    assert warnings(19, 3) == []
    assert warnings(0, 0) == []
    (detail,) = warnings(25, 3)
    assert "8.3 times the 3" in detail
    (detail,) = warnings(0, 160)
    assert "to nothing" in detail
    (detail,) = warnings(99, 0)
    assert "from nothing" in detail
    assert RULES["plausible_change"].options == {"max_ratio": 5.0, "min_count": 20.0}


def test_a_january_issue_compares_per_month_with_the_previous_year(
    extracted: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """A generated January 2025 DTM issue against the real December: its one-month AVRR figure is the year to
    date, set against December's twelve months per month, so no warning, though it is a tenth of 343."""
    case = VariantCase("dtm-jan", "dtm_wb/2024-12", 2025, 1, seed=7, style=Style())
    pdf, truth = render_case(case, tmp_path)
    january = report_frame(extract(pdf))
    avrr = january[rows(january, "avrr_returns", geo="WB", period_start="2025-01-01") & ~january["repeat"]]
    assert avrr["value"].tolist()[0] * 5 < 343
    history = history_for(extracted, "no report")
    assert plausible_change(january, history) == []  # its other figures are drawn afresh, not from December's
    misread = edited(january, "avrr_returns", avrr["value"].tolist()[0] * 12 * 6, geo="WB", period_start="2025-01-01")
    (violation,) = plausible_change(misread, history)
    assert violation.key == "avrr_returns/WB/2025-01-01..2025-01-31"
    assert "per month covered" in violation.detail


def test_a_generated_issue_with_its_planted_part_and_a_lost_row(tmp_path: Path) -> None:
    """The variant with more unaccompanied children than persons present, drawn and read back: the planted
    part_within_whole, and rows_complete once a country's arrivals are dropped as a damaged chart would."""
    case = next(c for c in variant_cases() if "part_within_whole" in c.style.plant)
    pdf, truth = render_case(case, tmp_path)
    frame = report_frame(extract(pdf))
    assert [v["rule"] for v in truth["expected_violations"]] == ["part_within_whole"]
    assert errors(validate_report(frame)) == ["part_within_whole"]
    year_start = f"{case.year}-01-01"
    damaged = without(frame, "new_arrivals", geo="MKD", period_start=year_start)
    found = validate_report(damaged)
    assert errors(found) == ["part_within_whole", "rows_complete"]
    (detail,) = found.loc[found["rule"] == "rows_complete", "detail"]
    assert "the table by country lacks MKD" in detail
