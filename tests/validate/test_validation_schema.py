"""The pandera facts schema: every sample passes, and every contract failure is reported at once, by fact."""

from __future__ import annotations

import pandas as pd
import pytest

from schemas import FactsSchema, ViolationsSchema, validate_report
from schemas.facts import schema_violations
from schemas.indicators import INDICATORS
from tests.support.truth_frames import REPORTS, rows, truth, truth_frame


@pytest.mark.parametrize("report_id", REPORTS)
def test_every_sample_keeps_the_contract(report_id: str) -> None:
    """Each sample's facts validate strictly against FactsSchema."""
    validated = FactsSchema.validate(truth_frame(report_id), lazy=True)
    assert len(validated) == len(truth(report_id)["facts"])


def test_all_contract_failures_are_reported_at_once() -> None:
    """Unknown indicator and geo, wrong unit, negative count, share over 100, reversed period, duplicate key."""
    facts = truth_frame("dtm-wb-2024-12")
    first = facts.index[rows(facts, "registrations_on_arrival", geo="WB", period_start="2024-12-01")][0]
    facts.loc[first, "value"] = -5.0
    share = facts.index[rows(facts, "avrr_returns_share", breakdown="sex:male")][0]
    facts.loc[share, "value"] = 180.0
    facts.loc[facts.index[rows(facts, "reintegration_grants")][0], "indicator"] = "reintegration_grant"
    facts.loc[facts.index[rows(facts, "trafficking_residence_permits")][0], "geo"] = "HRV"
    facts.loc[facts.index[rows(facts, "refugee_status_decisions")][0], "unit"] = "persons"
    decisions = facts.index[rows(facts, "complementary_protection_decisions")][0]
    facts.loc[decisions, "period_start"] = pd.Timestamp("2025-01-01")
    facts = pd.concat([facts, facts.loc[[share]]], ignore_index=True)
    found, frame = schema_violations(facts)
    details = " | ".join(v.detail for v in found)
    assert frame is not None
    for expected in (
        "registrations_on_arrival/WB/2024-12-01..2024-12-31: value_within_range",
        "avrr_returns_share/WB/2024-01-01..2024-12-31/sex:male: value_within_range",
        "reintegration_grant/WB/",
        "trafficking_residence_permits/HRV/",
        "refugee_status_decisions/WB/2024-01-01..2024-12-31: unit_matches_indicator",
        "complementary_protection_decisions/WB/2025-01-01..2024-12-31: period_start_not_after_period_end",
        "key_is_unique",
    ):
        assert expected in details
    assert all(v.rule == "schema" and v.pages for v in found)


def test_unknown_columns_and_unreadable_types_are_schema_errors() -> None:
    """A column the contract lacks, and values that are not numbers, fail the contract without a crash."""
    facts = truth_frame("unhcr-wb-2024-12").assign(colour="blue")
    facts["value"] = facts["value"].astype(object)
    facts.loc[facts.index[0], "value"] = "twelve"
    violations = validate_report(facts)
    assert set(violations["rule"]) == {"schema"}
    assert violations["severity"].eq("error").all()
    assert any("colour" in d for d in violations["detail"])
    assert any("twelve" in d for d in violations["detail"])


def test_a_period_after_the_report_month_is_refused() -> None:
    """A November report cannot print a figure for December."""
    facts = truth_frame("dtm-wb-2024-11")
    facts.loc[facts.index[0], "period_end"] = pd.Timestamp("2024-12-31")
    found, _ = schema_violations(facts)
    assert any("period_ends_by_report_month" in v.detail for v in found)


def test_an_indicator_of_the_other_family_is_refused() -> None:
    """UNHCR does not print DTM's assisted voluntary returns."""
    facts = truth_frame("unhcr-wb-2024-12")
    facts.loc[facts.index[0], "indicator"] = "avrr_returns"
    found, _ = schema_violations(facts)
    assert any("indicator_printed_by_family" in v.detail for v in found)


def test_violations_frame_has_its_fixed_schema() -> None:
    """An empty result and a full one both carry the violations schema's columns and dtypes."""
    empty = validate_report(truth_frame("dtm-wb-2024-11"))
    full = validate_report(truth_frame("dtm-wb-2024-12"))
    assert list(empty.columns) == list(full.columns) == list(ViolationsSchema.to_schema().columns)
    ViolationsSchema.validate(full)
    assert full["acknowledged"].dtype == bool


def test_indicator_registry_matches_the_contract_document() -> None:
    """Every indicator named in DATA_CONTRACT.md's tables is registered, with the unit the contract gives it."""
    from tests.conftest import TESTS

    contract = (TESTS.parent / "docs" / "DATA_CONTRACT.md").read_text(encoding="utf-8")
    named = {}
    for line in contract.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].islower() and "_" in cells[0] and " " not in cells[0]:
            named[cells[0]] = cells[1]
    named = {n: u for n, u in named.items() if u in ("persons", "percent", "percentage_points", "count")}
    assert len(named) >= 25
    assert {n: INDICATORS[n].unit for n in named if n in INDICATORS} == named
