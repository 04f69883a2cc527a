"""`mixedflows publish` judges a report as the flows do (history included), and a changed extractor re-reads.

The two reports are synthetic variants (`tests/variants`): DTM January and February 2024, drawn
independently, so February's changes and year to date disagree with January's published figures.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from deltalake import DeltaTable
from typer.testing import CliRunner

import extractors
from mixedflows.acquire import archived
from mixedflows.cli import app
from mixedflows.extractor_version import EXTRACTION_CONFIG_FILES, extractor_version, source_digest
from mixedflows.pipeline import decide_batch, decision_order, process_report, read_report, report_id_for
from mixedflows.store import Store

HISTORY_RULES = {"change_matches_figures", "ytd_accumulates"}


@pytest.fixture(scope="module")
def two_months(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive with the variants dtm-wb-2024-01 and dtm-wb-2024-02 (synthetic)."""
    from tests.variants import render_case, variant_cases

    scratch = tmp_path_factory.mktemp("two-months")
    raw = scratch / "raw" / "dtm_wb"
    raw.mkdir(parents=True)
    for case in variant_cases():
        if case.report_id in ("dtm-wb-2024-01", "dtm-wb-2024-02"):
            pdf, _ = render_case(case, scratch / "variants")
            shutil.copyfile(pdf, raw / f"{case.report_id[-7:]}.pdf")
    return scratch / "raw"


def violation_rows(output: Path) -> list[tuple]:
    frame = Store(output).read_violations().drop(columns=["pdf_sha256"])
    return sorted(tuple(str(v) for v in row) for row in frame.itertuples(index=False))


@pytest.mark.slow
def test_publish_validates_with_history_as_the_flows_do(two_months: Path, tmp_path: Path) -> None:
    """Given in any order, `publish` decides January first and judges February against it, as a run would."""
    pdfs = sorted(two_months.glob("dtm_wb/*.pdf"), reverse=True)
    result = CliRunner().invoke(app, ["publish", *map(str, pdfs), "--output", str(tmp_path / "cli")])
    assert result.exit_code == 1, result.output  # February is held back
    assert result.stdout.index("dtm-wb-2024-01") < result.stdout.index("dtm-wb-2024-02")

    store = Store(tmp_path / "flow")
    for pdf in archived(two_months):
        process_report(pdf, store=store, run_id="flow")
    assert violation_rows(tmp_path / "cli") == violation_rows(tmp_path / "flow")
    rules = set(Store(tmp_path / "cli").read_violations().query("report_id == 'dtm-wb-2024-02'")["rule"])
    assert rules >= HISTORY_RULES


def test_extractor_version_hashes_the_extractor_sources(tmp_path: Path) -> None:
    """A copy of the package hashes the same; one changed line in one module changes the hash."""
    package = Path(extractors.__file__).resolve().parent
    same, fixed = tmp_path / "same" / "extractors", tmp_path / "fixed" / "extractors"
    for copy in (same, fixed):
        shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    numbers = fixed / "numbers.py"
    numbers.write_text(numbers.read_text() + "\n# a fix\n")
    assert source_digest(same, None) == source_digest(package, None)
    assert source_digest(fixed, None) != source_digest(package, None)


def test_a_changed_extraction_config_re_reads_a_published_report(two_months: Path, tmp_path: Path) -> None:
    """Same PDF bytes, same code, other `aliases.toml`: the report is read again, not called unchanged."""
    assert "aliases.toml" in EXTRACTION_CONFIG_FILES
    config = tmp_path / "config"
    config.mkdir()
    before = extractor_version(config)
    assert before == extractor_version(config)  # stable
    store = Store(tmp_path / "out")
    (january,) = archived(two_months, "dtm_wb", "2024-01")
    outcome = process_report(january, store=store, run_id="first", extractor_version=before)
    assert outcome.status == "published"
    assert read_report(january, store=store, extractor_version=before).unchanged is not None

    (config / "aliases.toml").write_text('[nationality]\n"Syrian Arab Rep." = "SYR"\n')
    after = extractor_version(config)
    assert after != before and after.split("+")[0] == before.split("+")[0]
    again = read_report(january, store=store, extractor_version=after)
    assert again.unchanged is None and again.report is not None


def test_a_batch_decides_as_one_report_at_a_time_in_one_commit_per_table(two_months: Path, tmp_path: Path) -> None:
    """February validated in the batch that publishes January: the same violations as one by one, one store version.

    A damaged file in the same batch is recorded as failed in that version; the same batch again writes nothing.
    """
    raw = tmp_path / "raw"
    shutil.copytree(two_months, raw)
    (raw / "unhcr_wb").mkdir()
    (raw / "unhcr_wb" / "2024-01.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF\n")
    pdfs = sorted(archived(raw), key=lambda pdf: decision_order(report_id_for(pdf.family, pdf.month)))

    one_by_one = Store(tmp_path / "one-by-one")
    singles = [process_report(pdf, store=one_by_one, run_id="single") for pdf in pdfs]
    batch = Store(tmp_path / "batch")
    version = extractor_version()
    reads = [read_report(pdf, store=batch, extractor_version=version) for pdf in pdfs]
    outcomes = decide_batch(reads, store=batch, run_id="batch", extractor_version=version)

    assert [o.status for o in outcomes] == [o.status for o in singles] == ["published", "failed", "quarantined"]
    assert [o.violations for o in outcomes] == [o.violations for o in singles]
    assert violation_rows(tmp_path / "batch") == violation_rows(tmp_path / "one-by-one")
    assert {o.store_version for o in outcomes} == {1}  # the creation, then one version for the batch
    for table in ("facts", "violations", "quarantine", "reports"):
        assert DeltaTable(tmp_path / "batch" / table).version() == 1, table
    assert set(batch.version().report_ids) == {o.report_id for o in outcomes}
    assert batch.version().action == "batch" and batch.version().status == "mixed"
    ledger = batch.read_reports().set_index("report_id")
    assert set(ledger["run_id"]) == {"batch"}
    assert ledger.loc["unhcr-wb-2024-01", "status"] == "failed"

    again = [read_report(pdf, store=batch, extractor_version=version) for pdf in pdfs]
    rerun = decide_batch(again, store=batch, run_id="again", extractor_version=version)
    assert [o.status for o in rerun] == ["unchanged", "failed", "unchanged"]  # the failure is still reported
    for table in ("facts", "violations", "quarantine", "reports"):
        assert DeltaTable(tmp_path / "batch" / table).version() == 1, table
