"""Validation through real extraction: `mixedflows validate` on the sample PDFs, alone and with their archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors import extract
from mixedflows.cli import app
from schemas import report_frame, validate_report
from tests.conftest import SAMPLE_PDFS, TESTS, sample_id, truth_path
from tests.support import parsed

ARCHIVE = TESTS / "pdfs"


def expected_errors(pdf: Path) -> list[str]:
    return sorted(v["rule"] for v in json.loads(truth_path(pdf).read_text())["expected_violations"])


def validate_cli(*args: str, config_dir: Path):
    return CliRunner().invoke(app, ["validate", "--format", "json", "--config-dir", str(config_dir), *args])


def test_december_2024_discrepancy_through_the_cli(tmp_path: Path) -> None:
    """`mixedflows validate tests/pdfs/dtm_wb/2024-12.pdf` reports 957 vs 1,017 on page 4 as an error, exit 1."""
    result = validate_cli(str(ARCHIVE / "dtm_wb" / "2024-12.pdf"), config_dir=tmp_path)
    assert result.exit_code == 1, result.output
    errors = [v for v in json.loads(result.stdout) if v["severity"] == "error"]
    assert [(v["rule"], v["key"], v["expected"], v["actual"], v["pages"]) for v in errors] == [
        ("sum_to_total", "asylum_applications/WB/2024-01-01..2024-12-31", 1017.0, 957.0, [4])
    ]


@pytest.mark.slow
@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=sample_id)
def test_each_sample_gives_its_expected_errors(pdf: Path, tmp_path: Path) -> None:
    """Each sample PDF, with the archive of samples as history, gives exactly the errors its truth file expects."""
    result = validate_cli("--history", str(ARCHIVE), str(pdf), config_dir=tmp_path)
    assert "error:" not in result.stderr, result.stderr
    violations = json.loads(result.stdout)
    assert sorted(v["rule"] for v in violations if v["severity"] == "error") == expected_errors(pdf)
    assert result.exit_code == (1 if expected_errors(pdf) else 0)


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=sample_id)
def test_extracted_facts_keep_the_contract(pdf: Path) -> None:
    """What the extractors read passes the schema, arrows and second printings included."""
    frame = report_frame(parsed.report(pdf))
    assert len(frame) > 0
    violations = validate_report(frame)
    assert violations[violations["rule"] == "schema"].empty, violations["detail"].tolist()


@pytest.mark.slow
def test_arrows_and_second_printings_reach_validation() -> None:
    """The DTM reader keeps each change's arrow and each repeated figure; flipping either is reported."""
    report = extract(ARCHIVE / "dtm_wb" / "2024-12.pdf")
    frame = report_frame(report)
    changes = frame["indicator"] == "arrival_nationality_share_change"
    assert frame.loc[changes, "arrow"].notna().all() and changes.sum() == 15
    assert frame["repeat"].sum() == len(report.repeats) > 0
    assert validate_report(frame)["rule"].tolist() == ["sum_to_total"]

    flipped = frame.copy()
    down = flipped.index[flipped["arrow"] == "down"][0]
    flipped.loc[down, "arrow"] = "up"
    assert "arrow_sign" in validate_report(flipped)["rule"].tolist()

    misprinted = frame.copy()
    again = misprinted.index[misprinted["repeat"] & (misprinted["indicator"] == "avrr_returns")][0]
    misprinted.loc[again, "value"] = 334.0
    found = validate_report(misprinted)
    assert found.loc[found["rule"] == "repeated_figure", "actual"].tolist() == [334.0]
