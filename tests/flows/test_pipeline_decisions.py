"""`mixedflows publish` judges a report as the flows do (history included), and a changed extractor re-reads.

The two reports are synthetic variants (`tests/variants`): DTM January and February 2024, drawn
independently, so February's changes and year to date disagree with January's published figures.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import extractors
from mixedflows.acquire import archived
from mixedflows.cli import app
from mixedflows.extractor_version import EXTRACTION_CONFIG_FILES, extractor_version, source_digest
from mixedflows.pipeline import process_report, read_report
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
