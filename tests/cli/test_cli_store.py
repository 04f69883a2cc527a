"""`mixedflows publish | versions | diff | export` on real PDFs and real Delta tables in a temporary output."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from frictionless import validate
from typer.testing import CliRunner

from mixedflows.cli import app
from mixedflows.store import Store
from tests.support.store_inputs import EXTRACTOR_VERSION, changed_pdf, no_violations, report_id, truth_facts

SAMPLES = Path(__file__).parents[1] / "pdfs"
DTM = "dtm_wb/2024-12"


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """An output with versions 1 (DTM December) and 2 (DTM December re-issued)."""
    store = Store(tmp_path / "output")
    for facts in (truth_facts(DTM), changed_pdf(truth_facts(DTM))):
        store.publish_report(
            report_id(DTM),
            facts,
            no_violations(),
            pdf_sha256=str(facts["pdf_sha256"].iloc[0]),
            extractor_version=EXTRACTOR_VERSION,
            run_id="cli-test",
            blocked=False,
        )
    return store.root


@pytest.mark.slow
def test_publish_twice_adds_one_version_per_report_then_none(tmp_path: Path) -> None:
    """Publishing the sample PDFs makes a version per report; publishing them again writes nothing."""
    pdfs = [SAMPLES / "dtm_wb/2024-11.pdf", SAMPLES / "unhcr_wb/2024-12.pdf"]
    first = run("publish", *pdfs, "--output", tmp_path / "out")
    assert first.exit_code == 0, first.output
    assert "dtm-wb-2024-11: published" in first.stdout and "unhcr-wb-2024-12: published" in first.stdout
    assert f"output: {tmp_path / 'out'}/ at store version 2" in first.stdout
    second = run("publish", *pdfs, "--output", tmp_path / "out")
    assert second.exit_code == 0, second.output
    assert second.stdout.count(": unchanged") == 2 and "at store version 2" in second.stdout
    ledger = Store(tmp_path / "out").read_reports()
    assert set(ledger["pdf_sha256"]) == {hashlib.sha256(p.read_bytes()).hexdigest() for p in pdfs}


def test_publish_quarantines_a_report_that_breaks_its_own_arithmetic(tmp_path: Path) -> None:
    """The real Dec 2024 DTM asylum table (957 vs 1,017) is held in quarantine, its violation stored."""
    result = run("publish", SAMPLES / "dtm_wb/2024-12.pdf", "--output", tmp_path / "out")
    assert result.exit_code == 1, result.output  # held back: ExitCode.HELD
    assert "dtm-wb-2024-12: quarantined" in result.stdout
    store = Store(tmp_path / "out")
    assert store.read_facts().empty
    violations = store.read_violations()
    asylum = violations[(violations["rule"] == "sum_to_total") & (violations["indicator"] == "asylum_applications")]
    assert len(asylum) == 1
    row = asylum.iloc[0]
    assert (row["expected"], row["actual"], list(row["pages"])) == (1017.0, 957.0, [4])


def test_publish_names_an_unreadable_file_and_publishes_the_rest(tmp_path: Path) -> None:
    """A bad file gets one stderr line and exit 2; the good one is still published."""
    bad = tmp_path / "page.pdf"
    bad.write_text("<html>Not found</html>")
    result = run("publish", bad, SAMPLES / "unhcr_wb/2024-12.pdf", "--output", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("error: page.pdf")
    assert "unhcr-wb-2024-12: published" in result.stdout


def test_versions_lists_each_version(output: Path) -> None:
    """The table lists versions 0-2 with their action and run; JSON carries the table versions."""
    table = run("versions", "--output", output)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["version", "timestamp", "action"]
    assert [line.split()[0] for line in lines[1:]] == ["0", "1", "2"]
    assert "cli-test" in lines[2] and "dtm-wb-2024-12" in lines[2]
    records = json.loads(run("versions", "--output", output, "--format", "json").stdout)
    assert [r["tables"]["facts"] for r in records] == [0, 1, 2]
    assert records[2]["metadata"]["run_id"] == "cli-test"


def test_diff_shows_figures_added_removed_and_changed(output: Path) -> None:
    """As a table for people (with a summary line) and as JSON for programs."""
    table = run("diff", "1", "2", "--output", output)
    assert table.exit_code == 0, table.output
    assert "1 -> 2: 1 added, 1 removed, 1 changed" in table.stderr
    assert "registrations_on_arrival" in table.stdout and "3,100" in table.stdout and "3,101" in table.stdout
    rows = json.loads(run("diff", "1", "2", "--output", output, "--format", "json").stdout)
    assert [(r["change"], r["value_before"], r["value_after"]) for r in rows][1] == ("changed", 3100.0, 3101.0)


def test_export_writes_a_valid_csv_package_with_hxl(output: Path, tmp_path: Path) -> None:
    """Default target under the output directory; the package validates."""
    result = run("export", "--format", "csv", "--hxl", "--version", "1", "--output", output)
    assert result.exit_code == 0, result.output
    target = output / "exports" / "v1-csv"
    assert f"exported store version 1 to {target}/ (rows: facts 209, violations 0, reports 1)" in result.stdout
    assert validate(str(target / "datapackage.json")).valid
    assert (target / "facts.csv").read_text().splitlines()[1].startswith("#meta+report_id,")
    again = run("export", "--format", "parquet", "--output", output, "--to", tmp_path / "pq")
    assert again.exit_code == 0 and (tmp_path / "pq" / "facts.parquet").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("diff", "1", "7"), "there is no version 7 (versions 0 to 2"),
        (("export", "--format", "parquet", "--version", "9"), "there is no version 9"),
        (("export", "--format", "parquet", "--hxl"), "an HXL hashtag row is a CSV feature"),
    ],
)
def test_store_errors_are_one_line_and_exit_2(output: Path, args: tuple[str, ...], message: str) -> None:
    """No traceback: one line naming the output and what is wrong; a request that cannot be met is exit 2."""
    result = run(*args, "--output", output)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.output


def test_commands_on_an_empty_output_say_nothing_was_published(tmp_path: Path) -> None:
    """`versions` before any publish: one line, exit 2."""
    result = run("versions", "--output", tmp_path / "nothing")
    assert result.exit_code == 2
    assert "no published tables here yet" in result.stderr
