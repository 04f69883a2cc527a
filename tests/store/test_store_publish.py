"""Publishing reports into the Delta tables: one commit per table, idempotence, quarantine and release."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from deltalake import DeltaTable

from mixedflows.store import (
    FACTS,
    QUARANTINE,
    REPORTS,
    VIOLATIONS,
    ReportStateError,
    Store,
    StoreInputError,
    StoreNotFoundError,
)
from mixedflows.store.tables import RETENTION
from tests.support.store_inputs import (
    EXTRACTOR_VERSION,
    changed_pdf,
    no_violations,
    report_id,
    sha256_of,
    truth_facts,
    truth_violations,
)

DTM = "dtm_wb/2024-12"
UNHCR = "unhcr_wb/2024-12"
TABLES = (FACTS, VIOLATIONS, QUARANTINE, REPORTS)


def publish(store: Store, report: str, facts: pd.DataFrame | None = None, **kwargs):
    """Publish a sample report's truth rows (or `facts`), with its truth violations as warnings unless given."""
    facts = truth_facts(report) if facts is None else facts
    options = {
        "pdf_sha256": str(facts["pdf_sha256"].iloc[0]) if len(facts) else sha256_of(report),
        "extractor_version": EXTRACTOR_VERSION,
        "run_id": "run-1",
        "blocked": False,
    }
    options.update(kwargs)
    violations = options.pop("violations", truth_violations(report, severity="warning"))
    return store.publish_report(report_id(report), facts, violations, **options)


def heads(store: Store) -> dict[str, int]:
    return {name: DeltaTable(store.paths[name]).version() for name in TABLES}


def rows_of(frame: pd.DataFrame, report: str) -> pd.DataFrame:
    picked = frame[frame["report_id"] == report_id(report)]
    return picked.sort_values(["indicator", "geo", "period_start", "period_end", "breakdown", "rank"]).reset_index(
        drop=True
    )


def test_first_publish_commits_each_table_once_and_reads_back(tmp_path: Path) -> None:
    """The figures read back exactly as given; violations, facts and the ledger each got one commit."""
    store = Store(tmp_path / "output")
    result = publish(store, DTM)
    assert result.status == "published"
    assert result.written == {VIOLATIONS: 1, FACTS: 1, REPORTS: 1}
    assert result.version == 1 and result.fact_count == 209 and result.violation_count == 1
    pd.testing.assert_frame_equal(rows_of(store.read_facts(), DTM), rows_of(truth_facts(DTM), DTM))
    ledger = store.read_reports().iloc[0]
    assert (ledger["report_id"], ledger["family"], ledger["report_month"]) == ("dtm-wb-2024-12", "dtm_wb", "2024-12")
    assert (ledger["pdf_sha256"], ledger["status"], ledger["run_id"]) == (sha256_of(DTM), "published", "run-1")
    assert (ledger["fact_count"], ledger["violation_count"]) == (209, 1)
    assert store.read_violations()["severity"].tolist() == ["warning"]


def test_republishing_identical_content_writes_no_version(tmp_path: Path) -> None:
    """Same PDF, same code, same rows (in another order, another run): no table gets a new version."""
    store = Store(tmp_path / "output")
    publish(store, DTM)
    publish(store, UNHCR)
    before = heads(store)
    shuffled = truth_facts(DTM).sample(frac=1, random_state=3)
    again = publish(store, DTM, shuffled, run_id="run-2")
    assert again.status == "unchanged" and again.written == {} and again.version == 2
    assert heads(store) == before
    assert store.read_reports().set_index("report_id").loc["dtm-wb-2024-12", "run_id"] == "run-1"


def test_a_changed_pdf_replaces_only_its_reports_rows_in_one_commit_per_table(tmp_path: Path) -> None:
    """A re-issued report replaces its own figures by predicate overwrite; the other report is untouched."""
    store = Store(tmp_path / "output")
    publish(store, DTM)
    publish(store, UNHCR)
    before = heads(store)
    changed = changed_pdf(truth_facts(DTM))
    result = publish(store, DTM, changed, run_id="run-2")
    # Violations are replaced too: they now name the new PDF.
    assert result.written == {name: before[name] + 1 for name in (VIOLATIONS, FACTS, REPORTS)}
    assert heads(store) == {**before, **result.written}
    assert store.read_violations()["pdf_sha256"].tolist() == [changed["pdf_sha256"].iloc[0]]
    facts = store.read_facts()
    pd.testing.assert_frame_equal(rows_of(facts, DTM), rows_of(changed, DTM))
    pd.testing.assert_frame_equal(rows_of(facts, UNHCR), rows_of(truth_facts(UNHCR), UNHCR))
    commit = DeltaTable(store.paths[FACTS]).history(1)[0]
    assert commit["operationParameters"]["predicate"] == "report_id = 'dtm-wb-2024-12'"
    assert commit["mixedflows"]["run_id"] == "run-2"
    assert commit["mixedflows"]["pdf_sha256"] == changed["pdf_sha256"].iloc[0]


def test_every_commit_carries_the_runs_metadata(tmp_path: Path) -> None:
    """Run id, reports, PDF, code version and the caller's run metadata are in each commit of a publish."""
    store = Store(tmp_path / "output")
    publish(store, DTM, run_metadata={"flow_run": "monthly/abc", "month": "2024-12"})
    for name in (VIOLATIONS, FACTS, REPORTS):
        meta = DeltaTable(store.paths[name]).history(1)[0]["mixedflows"]
        assert meta["run_id"] == "run-1" and meta["report_ids"] == ["dtm-wb-2024-12"]
        assert meta["extractor_version"] == EXTRACTOR_VERSION and meta["pdf_sha256"] == sha256_of(DTM)
        assert meta["run"] == {"flow_run": "monthly/abc", "month": "2024-12"}


def test_a_blocked_report_goes_to_quarantine_and_the_published_figures_stay(tmp_path: Path) -> None:
    """Unacknowledged errors hold the new figures in quarantine; facts keep the last published issue."""
    store = Store(tmp_path / "output")
    publish(store, DTM)
    published = store.read_facts()
    changed = changed_pdf(truth_facts(DTM))
    result = publish(store, DTM, changed, violations=truth_violations(DTM, "error"), blocked=True, run_id="run-2")
    assert result.status == "quarantined"
    assert FACTS not in result.written and QUARANTINE in result.written
    pd.testing.assert_frame_equal(store.read_facts(), published)
    pd.testing.assert_frame_equal(rows_of(store.read_quarantine(), DTM), rows_of(changed, DTM))
    assert store.report_state("dtm-wb-2024-12")["status"] == "quarantined"
    assert store.read_violations()["severity"].tolist() == ["error"]
    assert publish(store, DTM, changed, violations=truth_violations(DTM, "error"), blocked=True).status == "unchanged"


def test_release_publishes_quarantined_figures_and_a_rerun_stays_released(tmp_path: Path) -> None:
    """After acknowledgement the held figures reach facts; re-running the same PDF does not hold them again."""
    store = Store(tmp_path / "output")
    changed = changed_pdf(truth_facts(DTM))
    publish(store, DTM, changed, violations=truth_violations(DTM, "error"), blocked=True)
    assert len(store.read_facts()) == 0
    released = store.release_quarantined("dtm-wb-2024-12", run_id="run-2", acknowledged_by="analyst@example.org")
    assert released.status == "published" and set(released.written) == {FACTS, QUARANTINE, REPORTS}
    pd.testing.assert_frame_equal(rows_of(store.read_facts(), DTM), rows_of(changed, DTM))
    assert len(store.read_quarantine()) == 0
    state = store.report_state("dtm-wb-2024-12")
    assert state["status"] == "published" and state["detail"] == "released by analyst@example.org"
    before = heads(store)
    rerun = publish(store, DTM, changed, violations=truth_violations(DTM, "error"), blocked=True, run_id="run-3")
    assert rerun.status == "unchanged" and heads(store) == before


def test_releasing_a_report_that_is_not_quarantined_is_refused(tmp_path: Path) -> None:
    """Only a quarantined report can be released; the message names the report and its status."""
    store = Store(tmp_path / "output")
    publish(store, DTM)
    with pytest.raises(ReportStateError, match=r"dtm-wb-2024-12 is published, not quarantined"):
        store.release_quarantined("dtm-wb-2024-12", run_id="run-2", acknowledged_by="analyst")
    with pytest.raises(ReportStateError, match=r"unhcr-wb-2024-12 has never been published"):
        store.release_quarantined("unhcr-wb-2024-12", run_id="run-2", acknowledged_by="analyst")


def test_a_failure_is_recorded_once_and_keeps_the_published_figures(tmp_path: Path) -> None:
    """A report that could not be read gets a failed ledger row; its figures stay; the same failure adds nothing."""
    store = Store(tmp_path / "output")
    publish(store, DTM)
    published = store.read_facts()
    options = {"pdf_sha256": "f" * 64, "extractor_version": EXTRACTOR_VERSION, "detail": "2024-12.pdf: truncated"}
    failed = store.record_failure("dtm-wb-2024-12", run_id="run-2", **options)
    assert failed.status == "failed" and failed.written.keys() == {REPORTS}
    assert store.report_state("dtm-wb-2024-12")["detail"] == "2024-12.pdf: truncated"
    pd.testing.assert_frame_equal(store.read_facts(), published)
    assert store.record_failure("dtm-wb-2024-12", run_id="run-3", **options).status == "unchanged"


def _other_report(facts: pd.DataFrame) -> pd.DataFrame:
    facts.loc[3, "report_id"] = "dtm-wb-2024-11"
    return facts


def _duplicate_key(facts: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([facts, facts.iloc[[5]]], ignore_index=True)


def _no_geo(facts: pd.DataFrame) -> pd.DataFrame:
    facts.loc[2, "geo"] = None
    return facts


@pytest.mark.parametrize(
    ("spoil", "kwargs", "message"),
    [
        (_other_report, {}, r"dtm-wb-2024-12: facts: report_id must be 'dtm-wb-2024-12' on every row"),
        (_duplicate_key, {}, r"dtm-wb-2024-12: facts repeat the key of another row 1 time"),
        (_no_geo, {}, r"dtm-wb-2024-12: facts: column 'geo' has 1 empty value"),
        (
            lambda f: f.drop(columns=["method"]),
            {},
            r"facts: columns do not fit the facts table \(missing \['method'\]\)",
        ),
        (lambda f: f, {"pdf_sha256": "0" * 64}, r"facts: pdf_sha256 must be '0000"),
        (lambda f: f, {"pdf_sha256": "abc"}, r"pdf_sha256 'abc' is not 64 lowercase hex digits"),
        (lambda f: f, {"run_id": " "}, r"run_id is empty"),
        (lambda f: f, {"run_metadata": {"when": object()}}, r"run_metadata must be JSON"),
        (
            lambda f: f,
            {"violations": truth_violations(DTM, severity="fatal")},
            r"violations have severity \['fatal'\], not one of \['error', 'warning'\]",
        ),
    ],
    ids=[
        "other-report",
        "duplicate-key",
        "missing-geo",
        "missing-column",
        "sha-mismatch",
        "bad-sha",
        "no-run",
        "metadata",
        "severity",
    ],
)
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(tmp_path: Path, spoil, kwargs, message) -> None:
    """A frame that does not fit gets one line naming the report and what is wrong; no table is touched."""
    store = Store(tmp_path / "output")
    facts = spoil(truth_facts(DTM))
    with pytest.raises(StoreInputError, match=message) as caught:
        publish(store, DTM, facts, **{"pdf_sha256": sha256_of(DTM), **kwargs})
    assert "\n" not in str(caught.value)
    assert not store.exists() and not (tmp_path / "output").exists()


def test_a_malformed_report_id_is_refused(tmp_path: Path) -> None:
    """Report ids follow the contract (`dtm-wb-YYYY-MM`)."""
    store = Store(tmp_path / "output")
    with pytest.raises(StoreInputError, match=r"report id 'dtm_wb_2024_12' is not like 'dtm-wb-2024-12'"):
        store.publish_report(
            "dtm_wb_2024_12",
            truth_facts(DTM),
            no_violations(),
            pdf_sha256=sha256_of(DTM),
            extractor_version="x",
            run_id="r",
            blocked=False,
        )


def test_every_table_is_created_with_long_retention(tmp_path: Path) -> None:
    """Log and deleted-file retention are set on creation, so old versions stay readable."""
    store = Store(tmp_path / "output")
    publish(store, DTM)
    for name in TABLES:
        configuration = DeltaTable(store.paths[name]).metadata().configuration
        assert configuration["delta.logRetentionDuration"] == RETENTION
        assert configuration["delta.deletedFileRetentionDuration"] == RETENTION
        assert DeltaTable(store.paths[name]).metadata().partition_columns == ["report_id"]


def test_reading_an_empty_output_says_nothing_was_published(tmp_path: Path) -> None:
    """Reads before the first publish fail with one line naming the directory."""
    store = Store(tmp_path / "output")
    with pytest.raises(StoreNotFoundError, match=r"output: no published tables here yet"):
        store.versions()
    assert store.report_state("dtm-wb-2024-12") is None
