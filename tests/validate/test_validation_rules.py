"""Each validation rule: silent on the consistent samples, and made to fail by a planted inconsistency."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from schemas import RULES, validate_report
from schemas.arithmetic import (
    arrow_sign,
    ratio_matches,
    repeated_figure,
    share_sum,
    sum_to_total,
)
from schemas.config import RuleSettings, ValidationConfig
from schemas.history import (
    change_matches_figures,
    cross_publisher,
    plausible_change,
    revised_figure,
    ytd_accumulates,
)
from schemas.parts import part_within_whole, rows_complete
from schemas.second_reading import second_reading
from tests.support.truth_frames import REPORTS, planted, rows, truth, truth_frame


def all_other_reports(report_id: str) -> pd.DataFrame:
    """Every other sample's truth facts: the history a monthly run would pass."""
    return pd.concat([truth_frame(r) for r in REPORTS if r != report_id], ignore_index=True)


def with_marks(frame: pd.DataFrame, arrows: dict[int, str] | None = None) -> pd.DataFrame:
    """The frame with the `arrow` and `repeat` columns a report frame carries."""
    marked = frame.copy()
    marked["arrow"] = pd.Series([None] * len(frame), index=frame.index, dtype="string")
    for index, arrow in (arrows or {}).items():
        marked.loc[index, "arrow"] = arrow
    marked["repeat"] = False
    return marked


@pytest.mark.parametrize("report_id", REPORTS)
def test_samples_give_exactly_their_expected_violations(report_id: str) -> None:
    """With every other sample as history, each sample reports exactly the violations its truth file expects."""
    violations = validate_report(truth_frame(report_id), all_other_reports(report_id))
    errors = violations[violations["severity"] == "error"]
    expected = truth(report_id)["expected_violations"]
    assert sorted(errors["rule"]) == sorted(v["rule"] for v in expected)
    assert violations[violations["severity"] == "warning"].empty, violations["detail"].tolist()


def test_december_2024_asylum_discrepancy_is_an_error_with_its_figures() -> None:
    """The real DTM Dec 2024 asylum table (957 vs 1,017) is reported by sum_to_total, as the truth file describes it."""
    violations = validate_report(truth_frame("dtm-wb-2024-12"))
    (row,) = violations.itertuples(index=False)
    assert (row.rule, row.severity, row.acknowledged) == ("sum_to_total", "error", False)
    assert (row.expected, row.actual, row.pages) == (1017.0, 957.0, [4])
    assert row.key == "asylum_applications/WB/2024-01-01..2024-12-31"
    assert "17+216+113+269+172+170" in row.detail and "957" in row.detail and "1,017" in row.detail
    assert len(row.keys) == 7


def test_sum_to_total_reports_a_planted_country_value() -> None:
    """A country's reception capacity changed by one no longer adds up to the region's."""
    facts = planted(truth_frame("dtm-wb-2024-11"), "reception_capacity", 4611, geo="BIH")
    (violation,) = sum_to_total(facts)
    assert violation.key == "reception_capacity/WB/2024-11-30..2024-11-30"
    assert (violation.expected, violation.actual) == (12282, 12283)


def test_sum_to_total_allows_the_rounding_of_an_approximate_total() -> None:
    """A total printed as 'some 4,700' may be off the countries' sum by half its rounding unit, not more."""
    facts = truth_frame("unhcr-wb-2023-06")  # persons present per country add up to 4,661
    wb = rows(facts, "persons_present", geo="WB", period_start="2023-06-30")
    facts.loc[wb, "qualifier"] = "approximate"
    assert sum_to_total(planted(facts, "persons_present", 4700, geo="WB", period_start="2023-06-30")) == []
    (violation,) = sum_to_total(planted(facts, "persons_present", 4600, geo="WB", period_start="2023-06-30"))
    assert (violation.expected, violation.actual) == (4600, 4661)


def test_sum_to_total_with_a_dash_only_bounds_the_total() -> None:
    """Serbia's 2022 voluntary returns print a dash: Bosnia's 561 may not exceed the total, and does not."""
    facts = truth_frame("dtm-wb-2024-12")
    assert sum_to_total(facts) != [] and all(v.indicator == "asylum_applications" for v in sum_to_total(facts))
    (violation,) = [
        v
        for v in sum_to_total(
            planted(facts, "voluntary_returns_authorities", 600, geo="BIH", period_start="2022-01-01")
        )
        if v.indicator == "voluntary_returns_authorities"
    ]
    assert "already add up to 600" in violation.detail


def test_share_sum_reports_a_planted_share() -> None:
    """81 % male and 20 % female is one point over 100: more than two integer shares can be off."""
    facts = planted(truth_frame("dtm-wb-2024-12"), "avrr_returns_share", 81, breakdown="sex:male")
    (violation,) = share_sum(facts)
    assert violation.key == "avrr_returns_share/WB/2024-01-01..2024-12-31"
    assert (violation.expected, violation.actual) == (100, 101)


def test_share_sum_over_countries_at_their_printed_decimals() -> None:
    """UNHCR's shares of persons present (35 + 34.5 + ...) printed to 0.5: 36 instead of 35 is reported."""
    facts = truth_frame("unhcr-wb-2024-12")
    assert share_sum(facts) == []
    (violation,) = share_sum(planted(facts, "persons_present_share", 36, geo="SRB"))
    assert violation.key == "persons_present_share/WB/2024-12-31..2024-12-31"
    assert violation.actual == 101


def test_shares_of_a_top_list_may_not_exceed_100() -> None:
    """A top-3 list covers part of the arrivals: 36 + 27 + 7 is fine, 76 + 27 + 7 is not."""
    facts = truth_frame("dtm-wb-2024-12")
    (violation,) = share_sum(planted(facts, "arrival_nationality_share", 76, geo="ALB", rank=1))
    assert violation.geo == "ALB" and violation.actual == 110 and "top 3" in violation.detail


def test_arrow_sign() -> None:
    """An arrow up beside -8 % is reported; up beside +16 and '=' beside 0 are not."""
    facts = truth_frame("dtm-wb-2024-11")
    syr = rows(facts, "arrival_nationality_share_change", geo="MNE", breakdown="nationality:SYR")  # -46
    pak = rows(facts, "arrival_nationality_share_change", geo="MNE", breakdown="nationality:PAK")  # +12
    egy = rows(facts, "arrival_nationality_share_change", geo="XKX", breakdown="nationality:EGY")  # 0
    arrows = {facts.index[syr][0]: "down", facts.index[pak][0]: "up", facts.index[egy][0]: "flat"}
    assert arrow_sign(with_marks(facts, arrows)) == []
    arrows[facts.index[syr][0]] = "up"
    (violation,) = arrow_sign(with_marks(facts, arrows))
    assert violation.key.startswith("arrival_nationality_share_change/MNE/") and violation.actual == -46
    assert "↑ -46" in violation.detail


def test_repeated_figure_compares_both_printings() -> None:
    """A headline repeated by a table's Total: equal is fine, 1,071 against 1,017 is reported with both pages."""
    facts = with_marks(truth_frame("dtm-wb-2024-12"))
    headline = rows(facts, "asylum_applications", geo="WB", period_start="2024-01-01")
    again = facts[headline].assign(repeat=True)
    assert repeated_figure(pd.concat([facts, again], ignore_index=True)) == []
    again = again.assign(value=1071.0, page=3)
    (violation,) = repeated_figure(pd.concat([facts, again], ignore_index=True))
    assert (violation.expected, violation.actual, violation.pages) == (1017, 1071, (3, 4))


def test_repeated_figure_through_validate_report() -> None:
    """A second printing does not count as a duplicate key, and its mismatch is reported as an error."""
    facts = with_marks(truth_frame("dtm-wb-2024-11"))
    again = facts[rows(facts, "avrr_returns", geo="WB", period_start="2024-01-01")].assign(repeat=True, value=341.0)
    violations = validate_report(pd.concat([facts, again], ignore_index=True))
    assert violations["rule"].tolist() == ["repeated_figure"]
    assert violations["severity"].tolist() == ["error"]


def test_ytd_accumulates_within_the_report() -> None:
    """The year to date must be the sum of the months the chart prints."""
    facts = planted(
        truth_frame("dtm-wb-2024-12"),
        "registrations_on_arrival",
        56313,
        geo="WB",
        period_start="2024-01-01",
        period_end="2024-12-31",
    )
    (violation,) = ytd_accumulates(facts)
    assert (violation.expected, violation.actual) == (56213, 56313)
    assert "12 months" in violation.detail


def test_ytd_accumulates_against_the_previous_issue() -> None:
    """Dec YTD = Nov issue's YTD + December; a wrong November YTD shows up in December's check."""
    december, november = truth_frame("dtm-wb-2024-12"), truth_frame("dtm-wb-2024-11")
    assert ytd_accumulates(december, november) == []
    wrong = planted(
        november, "registrations_on_arrival", 53000, geo="WB", period_start="2024-01-01", period_end="2024-11-30"
    )
    (violation,) = ytd_accumulates(december, wrong)
    assert (violation.expected, violation.actual) == (56100, 56213)
    assert "dtm-wb-2024-11:registrations_on_arrival/WB/2024-01-01..2024-11-30" in violation.keys


def test_ytd_may_not_fall_when_the_month_is_not_printed() -> None:
    """Asylum applications to December may not be fewer than to November (no monthly figure is printed)."""
    december = truth_frame("dtm-wb-2024-12")
    november = planted(truth_frame("dtm-wb-2024-11"), "asylum_applications", 300, geo="MKD", period_start="2024-01-01")
    (violation,) = ytd_accumulates(december, november)
    assert violation.key == "asylum_applications/MKD/2024-01-01..2024-12-31"
    assert (violation.expected, violation.actual) == (300, 269)


def test_change_matches_the_months_the_report_prints() -> None:
    """-33 % is 3,100 against November's 4,628; a printed -30 % is reported without any history."""
    facts = truth_frame("dtm-wb-2024-12")
    assert change_matches_figures(facts) == []
    (violation,) = change_matches_figures(planted(facts, "registrations_on_arrival_change", -30))
    assert violation.actual == -30 and violation.expected == pytest.approx(-33.02, abs=0.01)


def test_change_of_a_share_needs_the_previous_issue() -> None:
    """Albania's Syrian share went 44 -> 36: -8 pp agrees, -6 pp is reported, and only with November as history."""
    december, november = truth_frame("dtm-wb-2024-12"), truth_frame("dtm-wb-2024-11")
    wrong = planted(december, "arrival_nationality_share_change", -6, geo="ALB", breakdown="nationality:SYR")
    assert change_matches_figures(wrong) == []
    assert change_matches_figures(december, november) == []
    (violation,) = change_matches_figures(wrong, november)
    assert (violation.expected, violation.actual) == (-8, -6)
    assert "dtm-wb-2024-11" in violation.detail


def test_ratio_matches_reports_a_planted_rate() -> None:
    """Bosnia's occupancy rate 31 % is 1,408 / 4,610; a printed 41 % is reported."""
    facts = truth_frame("dtm-wb-2024-11")
    assert ratio_matches(facts) == []
    (violation,) = ratio_matches(planted(facts, "reception_occupancy_rate", 41, geo="BIH"))
    assert violation.actual == 41 and violation.expected == pytest.approx(30.54, abs=0.01)


def test_revised_figure_is_a_warning_against_the_previous_issue() -> None:
    """November registrations printed 4,628 in November's issue and 4,700 in December's: a warning."""
    december = planted(
        truth_frame("dtm-wb-2024-12"), "registrations_on_arrival", 4700, geo="WB", period_start="2024-11-01"
    )
    found = revised_figure(december, truth_frame("dtm-wb-2024-11"))
    assert [(v.key, v.expected, v.actual) for v in found] == [
        ("registrations_on_arrival/WB/2024-11-01..2024-11-30", 4628, 4700)
    ]
    assert RULES["revised_figure"].severity == "warning"


def test_cross_publisher_warns_only_on_a_gap_like_a_misread_digit() -> None:
    """DTM's 1,017 asylum applications against UNHCR's 1,125 is normal; against 11,250 it is a warning."""
    dtm, unhcr = truth_frame("dtm-wb-2024-12"), truth_frame("unhcr-wb-2024-12")
    assert cross_publisher(dtm, unhcr) == []
    misread = planted(unhcr, "asylum_applications", 11250)
    (violation,) = cross_publisher(dtm, misread)
    assert violation.key == "asylum_applications/WB/2024-01-01..2024-12-31"
    assert violation.expected == 11250 and violation.actual == 1017
    violations = validate_report(dtm, misread)
    assert violations.loc[violations["rule"] == "cross_publisher", "severity"].tolist() == ["warning"]


def test_part_within_whole_reports_a_month_above_its_year_to_date() -> None:
    """Albania's June 691 read as 6,910 exceeds its January-June 6,510 (a digit too many), not the region's 7,409."""
    facts = truth_frame("dtm-wb-2023-06")
    assert part_within_whole(facts) == []
    (violation,) = part_within_whole(
        planted(facts, "registrations_on_arrival", 6910, geo="ALB", period_start="2023-06-01", period_end="2023-06-30")
    )
    assert violation.key == "registrations_on_arrival/ALB/2023-06-01..2023-06-30"
    assert (violation.expected, violation.actual) == (6510, 6910)
    assert "2023-01-01..2023-06-30" in violation.detail


def test_rows_complete_names_a_lost_kosovo_row() -> None:
    """Kosovo's capacity row lost: the five others (12,006) stay under 12,282, so only rows_complete sees it."""
    facts = truth_frame("dtm-wb-2024-11")
    lost = facts[~rows(facts, "reception_capacity", geo="XKX")]
    assert rows_complete(facts) == [] and sum_to_total(lost) == []
    (violation,) = rows_complete(lost)
    assert violation.key == "reception_capacity/WB/2024-11-30..2024-11-30"
    assert "lacks XKX" in violation.detail


def test_plausible_change_warns_on_a_tenfold_figure() -> None:
    """December's 3,100 registrations after November's 4,628 is fine; 31,000 (a digit too many) is a warning."""
    december, november = truth_frame("dtm-wb-2024-12"), truth_frame("dtm-wb-2024-11")
    assert plausible_change(december, november) == []
    misread = planted(december, "registrations_on_arrival", 31000, geo="WB", period_start="2024-12-01")
    (violation,) = plausible_change(misread, november)
    assert (violation.expected, violation.actual) == (4628, 31000)
    assert "6.7 times" in violation.detail
    assert RULES["plausible_change"].severity == "warning"


def test_every_rule_has_a_planted_failure_here() -> None:
    """Each registered rule id appears in this module, so a new rule comes with its failing test."""
    source = Path(__file__).read_text(encoding="utf-8")
    missing = [rule_id for rule_id in RULES if rule_id != "schema" and rule_id not in source]
    assert missing == []


def test_disabled_rule_and_changed_severity() -> None:
    """Configuration can turn a rule off, or make an error a warning that no longer blocks."""
    facts = truth_frame("dtm-wb-2024-12")
    defaults = ValidationConfig.defaults()
    off = dict(defaults.rules, sum_to_total=RuleSettings(False, "error", {"tolerance": 0.0}))
    assert validate_report(facts, config=ValidationConfig(off)).empty
    softer = dict(defaults.rules, sum_to_total=RuleSettings(True, "warning", {"tolerance": 0.0}))
    assert validate_report(facts, config=ValidationConfig(softer))["severity"].tolist() == ["warning"]
    wider = dict(defaults.rules, sum_to_total=RuleSettings(True, "error", {"tolerance": 60.0}))
    assert validate_report(facts, config=ValidationConfig(wider)).empty


def test_several_reports_in_one_frame_are_each_others_history() -> None:
    """A frame of November and December is validated per report; December's YTD is checked against November."""
    november = planted(
        truth_frame("dtm-wb-2024-11"),
        "registrations_on_arrival",
        53000,
        geo="WB",
        period_start="2024-01-01",
        period_end="2024-11-30",
    )
    both = pd.concat([november, truth_frame("dtm-wb-2024-12")], ignore_index=True)
    violations = validate_report(both)
    found = set(zip(violations["report_id"], violations["rule"], strict=True))
    assert ("dtm-wb-2024-12", "ytd_accumulates") in found
    assert ("dtm-wb-2024-11", "ytd_accumulates") in found  # its own months no longer add up
    assert ("dtm-wb-2024-12", "sum_to_total") in found


def _problems():
    from extractors.context import SectionProblem

    return (
        SectionProblem(
            "unknown_label", "nationalities", "x.pdf: unknown nationality 'Freedonia'", 2, (10, 20, 60, 28), "Freedonia"
        ),
        SectionProblem(
            "fuzzy_label", "nationalities", "x.pdf: 'Lebanese Rep.' read as LBN", 2, (10, 40, 70, 48), "Lebanese Rep."
        ),
        SectionProblem("unreadable_section", "uasc", "x.pdf: section 'uasc' not found"),
    )


def test_extraction_problems_are_violations_with_their_page_and_box() -> None:
    """unknown_label and unreadable_section are errors that block; fuzzy_label is a warning; each keeps its box."""
    facts = truth_frame("unhcr-wb-2024-12")
    found = validate_report(facts, problems=_problems(), report_id="unhcr-wb-2024-12")
    rows = {v["rule"]: v for v in found.to_dict("records")}
    assert {rule: v["severity"] for rule, v in rows.items()} == {
        "unknown_label": "error",
        "unreadable_section": "error",
        "fuzzy_label": "warning",
    }
    assert rows["unknown_label"]["key"] == "nationalities/Freedonia/page:2"
    assert list(rows["unknown_label"]["pages"]) == [2] and list(rows["unknown_label"]["bbox"]) == [10, 20, 60, 28]
    assert rows["unreadable_section"]["bbox"] is None and rows["unreadable_section"]["key"] == "uasc"
    assert (found["report_id"] == "unhcr-wb-2024-12").all()


def test_fuzzy_label_severity_is_configurable() -> None:
    """fuzzy_label can be made an error (then it blocks) or switched off, like any rule."""
    facts = truth_frame("unhcr-wb-2024-12")
    defaults = ValidationConfig.defaults()
    stricter = dict(defaults.rules, fuzzy_label=RuleSettings(True, "error", {}))
    found = validate_report(facts, config=ValidationConfig(stricter), problems=_problems()[1:2])
    assert found["severity"].tolist() == ["error"]
    off = dict(defaults.rules, fuzzy_label=RuleSettings(False, "warning", {}))
    assert validate_report(facts, config=ValidationConfig(off), problems=_problems()[1:2]).empty


def test_second_reading_disagreement_blocks_with_the_cell() -> None:
    """A second reader's value beside a figure: equal is silent, different is an error at the figure's box."""
    facts = with_marks(truth_frame("dtm-wb-2024-12"))
    facts["second_reading"] = facts["value"]
    facts["second_reading_method"] = pd.Series("camelot-stream", index=facts.index, dtype="string")
    assert second_reading(facts) == []
    serbia = rows(facts, "asylum_applications", geo="SRB").index[0]
    facts.loc[serbia, "second_reading"] = facts.loc[serbia, "value"] + 1
    (violation,) = second_reading(facts)
    assert (violation.rule, violation.expected, violation.actual) == (
        "second_reading",
        facts.loc[serbia, "value"] + 1,
        facts.loc[serbia, "value"],
    )
    assert violation.pages == (int(facts.loc[serbia, "page"]),) and violation.bbox is not None
    assert RULES["second_reading"].severity == "error"
    assert "second_reading" in validate_report(facts)["rule"].tolist()
