"""Store versions: what each records, old versions read back exactly, and the diff of figures between two."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mixedflows.store import FACTS, QUARANTINE, VIOLATIONS, Store, VersionNotFoundError
from tests.support.store_inputs import (
    EXTRACTOR_VERSION,
    changed_pdf,
    no_violations,
    report_id,
    truth_facts,
    truth_violations,
)

DTM = "dtm_wb/2024-12"
UNHCR = "unhcr_wb/2024-12"


def publish(store: Store, report: str, facts: pd.DataFrame, run_id: str, blocked: bool = False):
    return store.publish_report(
        report_id(report),
        facts,
        truth_violations(report, "error") if blocked else no_violations(),
        pdf_sha256=str(facts["pdf_sha256"].iloc[0]),
        extractor_version=EXTRACTOR_VERSION,
        run_id=run_id,
        blocked=blocked,
    )


@pytest.fixture
def history(tmp_path: Path) -> Store:
    """Versions 1-2: both reports; 3: DTM re-issued; 4: DTM re-issued again but quarantined; 5: released."""
    store = Store(tmp_path / "output")
    publish(store, DTM, truth_facts(DTM), "march")
    publish(store, UNHCR, truth_facts(UNHCR), "march")
    publish(store, DTM, changed_pdf(truth_facts(DTM)), "april")
    publish(store, DTM, changed_pdf(changed_pdf(truth_facts(DTM))), "may", blocked=True)
    store.release_quarantined("dtm-wb-2024-12", run_id="may-ack", acknowledged_by="analyst")
    return store


def test_versions_record_run_action_reports_and_table_versions(history: Store) -> None:
    """Each version says when, what, which run, which reports, and which table versions it reads."""
    versions = history.versions()
    assert [v.version for v in versions] == [0, 1, 2, 3, 4, 5]
    assert [v.action for v in versions] == ["create", "publish", "publish", "publish", "publish", "release"]
    assert [v.run_id for v in versions] == [None, "march", "march", "april", "may", "may-ack"]
    assert [v.status for v in versions] == [None, "published", "published", "published", "quarantined", "published"]
    assert [v.report_ids for v in versions[1:3]] == [("dtm-wb-2024-12",), ("unhcr-wb-2024-12",)]
    assert [v.tables[FACTS] for v in versions] == [0, 1, 2, 3, 3, 4]
    assert [v.tables[QUARANTINE] for v in versions] == [0, 0, 0, 0, 1, 2]
    assert [v.tables[VIOLATIONS] for v in versions] == [0, 0, 0, 0, 1, 1]
    assert all(a.timestamp <= b.timestamp for a, b in zip(versions, versions[1:], strict=False))
    assert versions[5].metadata["acknowledged_by"] == "analyst"
    assert versions[3].to_record()["timestamp"].endswith("Z")


def test_an_old_version_reads_back_exactly(history: Store) -> None:
    """What was published in March reads back row for row after April's re-issue replaced it."""
    march = history.read_facts(2)
    expected = pd.concat([truth_facts(DTM), truth_facts(UNHCR)], ignore_index=True)
    key = ["report_id", "indicator", "geo", "period_start", "period_end", "breakdown", "rank"]
    pd.testing.assert_frame_equal(
        march.sort_values(key).reset_index(drop=True), expected.sort_values(key).reset_index(drop=True)
    )
    assert len(history.read_facts(4)) == len(history.read_facts(3))  # the quarantine changed no figure
    assert history.read_reports(2)["run_id"].tolist() == ["march", "march"]


def test_diff_lists_figures_added_removed_and_changed(history: Store) -> None:
    """April's re-issue: one figure corrected, one dropped, one new; nothing else reported."""
    changes = history.diff(2, 3)
    assert changes["change"].tolist() == ["added", "changed", "removed"]
    added, changed, removed = (changes.iloc[i] for i in range(3))
    assert added["indicator"] == "new_indicator_for_tests" and pd.isna(added["value_before"])
    assert (changed["indicator"], changed["geo"], changed["period_start"]) == (
        "registrations_on_arrival",
        "WB",
        "2024-12-01",
    )
    assert (changed["value_before"], changed["value_after"]) == (3100.0, 3101.0)
    assert removed["indicator"] == "trafficking_residence_permits" and pd.isna(removed["value_after"])
    assert (changes["report_id"] == "dtm-wb-2024-12").all()


def test_diff_both_ways_and_between_equal_versions(history: Store) -> None:
    """Reversing the versions swaps added and removed; versions with the same figures differ in nothing."""
    assert history.diff(3, 2)["change"].tolist() == ["removed", "changed", "added"]
    assert history.diff(3, 4).empty
    assert len(history.diff(0, 2)) == 209 + 43


def test_unknown_versions_are_one_line_errors(history: Store) -> None:
    """Asking for a version never written names it and the range that exists."""
    with pytest.raises(VersionNotFoundError, match=r"there is no version 9 \(versions 0 to 5"):
        history.read_facts(9)
    with pytest.raises(VersionNotFoundError, match=r"there is no version -1"):
        history.diff(-1, 2)


def test_compaction_keeps_every_version_readable(history: Store) -> None:
    """After compaction every store version reads the same figures, ledger and violations as before it."""
    versions = [v.version for v in history.versions()[1:]]
    before = {v: (history.read_facts(v), history.read_violations(v), history.read_reports(v)) for v in versions}
    files = history.compact()
    assert set(files) == {FACTS, VIOLATIONS, QUARANTINE}
    assert all(after <= count for count, after in files.values())
    assert [v.version for v in history.versions()[1:]] == versions  # compaction is no store version
    for v, (facts, violations, reports) in before.items():
        pd.testing.assert_frame_equal(history.read_facts(v), facts)
        pd.testing.assert_frame_equal(history.read_violations(v), violations)
        pd.testing.assert_frame_equal(history.read_reports(v), reports)
