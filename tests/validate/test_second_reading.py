"""camelot's second reading of our table figures, and the `second_reading` rule that compares the two.

On the synthetic samples every figure camelot reads again must agree with ours (a false disagreement
would hold back a good report); a figure of ours made wrong on purpose must be caught, with its page
and box, and hold the report in quarantine through the real pipeline and store.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from extractors import extract
from extractors.bounded import extract_bounded
from extractors.second_reading import TABLE_METHOD, _figures_in, read_tables_again
from mixedflows.pipeline import publish_extracted
from mixedflows.store import Store
from schemas import report_frame, validate_report
from tests.conftest import TESTS

DTM_DECEMBER = TESTS / "pdfs" / "dtm_wb" / "2024-12.pdf"
UNHCR_2023 = TESTS / "pdfs" / "unhcr_wb" / "2023-06.pdf"


@pytest.fixture(scope="module")
def december():
    return extract(DTM_DECEMBER, second_reading=True)


def test_camelot_reads_most_table_figures_again_and_agrees(december) -> None:
    """Both camelot readers contribute; every cell read again is our figure's value, in a box around it."""
    table = {f.key: f for f in december.facts if f.method == TABLE_METHOD}
    readings = december.second_readings
    assert len(readings) >= 0.7 * len(table)  # 149 of 174 when written
    assert {r.method for r in readings} == {"camelot-lattice", "camelot-stream"}
    for reading in readings:
        ours = table[reading.key]
        assert reading.value == ours.value, reading
        assert reading.page == ours.page
        x0, top, x1, bottom = reading.bbox
        assert x0 <= (ours.bbox[0] + ours.bbox[2]) / 2 <= x1 and top <= (ours.bbox[1] + ours.bbox[3]) / 2 <= bottom


def test_no_second_reading_unless_asked() -> None:
    """Plain extraction stays as it was: camelot runs only where a report is validated."""
    assert extract(UNHCR_2023).second_readings == ()
    assert len(extract(UNHCR_2023, second_reading=True).second_readings) >= 20


def test_second_reading_runs_in_the_bounded_reader() -> None:
    """The pipeline's reader process reads with camelot within its memory limit (loaded before the limit)."""
    report = extract_bounded(UNHCR_2023, strict=False, second_reading=True)
    assert len(report.second_readings) >= 20
    assert all(r.method == "camelot-lattice" for r in report.second_readings)


def test_agreeing_readers_add_no_violation(december) -> None:
    """The sample's only error stays its printed 957 vs 1,017; the second reading adds nothing."""
    frame = report_frame(december)
    assert frame["second_reading"].notna().sum() == len(december.second_readings)
    assert validate_report(frame)["rule"].tolist() == ["sum_to_total"]


def _misread(report, indicator: str, geo: str):
    """The report with one table figure that camelot read again made wrong, as a misreading reader would."""
    read_again = {r.key for r in report.second_readings}
    wrong = next(f for f in report.facts if f.indicator == indicator and f.geo == geo and f.key in read_again)
    facts = tuple(dataclasses.replace(f, value=f.value + 100) if f is wrong else f for f in report.facts)
    return dataclasses.replace(report, facts=facts), wrong


def test_a_wrong_figure_of_ours_is_caught_with_its_page_and_box(december) -> None:
    misread, wrong = _misread(december, "asylum_applications", "SRB")
    found = validate_report(report_frame(misread))
    caught = found[found["rule"] == "second_reading"]
    assert len(caught) == 1
    violation = caught.iloc[0]
    assert violation["severity"] == "error"
    assert (violation["expected"], violation["actual"]) == (wrong.value, wrong.value + 100)
    assert list(violation["pages"]) == [wrong.page]
    assert list(violation["bbox"]) == pytest.approx(list(wrong.bbox), abs=0.01)  # facts keep 0.01 pt
    assert "camelot-" in violation["detail"] and "asylum_applications/SRB/" in violation["key"]


def test_a_wrong_figure_quarantines_the_report_in_the_pipeline(tmp_path: Path) -> None:
    """Through `publish_extracted` and a real Delta store: held in quarantine, the rule named in the outcome."""
    pdf = tmp_path / "2023-06.pdf"
    shutil.copyfile(UNHCR_2023, pdf)
    report = extract_bounded(pdf, strict=False, second_reading=True)
    misread, wrong = _misread(report, "new_arrivals", "MKD")
    outcome = publish_extracted(
        misread,
        store=Store(tmp_path / "output"),
        run_id="test-second-reading",
        extractor_version="test",
        run_metadata={},
        pdf=pdf,
    )
    assert outcome.status == "quarantined", outcome
    rules = [(v["rule"], v["severity"]) for v in outcome.violations]
    assert ("second_reading", "error") in rules


def test_a_file_camelot_cannot_read_gives_no_second_reading(december, tmp_path: Path) -> None:
    """A second reader that fails is a comparison missed, never an error: nothing read, nothing raised."""
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(DTM_DECEMBER.read_bytes()[:2000])
    assert read_tables_again(broken, december.facts) == ()


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("1,017", (None, [1017.0])),
        ("23%", (None, [23.0])),
        ("Egypt (33%) ↑ +15%", ("Egypt", [33.0, 15.0])),
        ("Syrian Arab Republic (31%)", ("Syrian Arab Republic", [31.0])),
        ("575 444", (None, [])),
        ("(31%) ↓ -15%", (None, [])),
        ("-", (None, [])),
        ("Capacity", (None, [])),
    ],
)
def test_what_a_cell_prints(printed: str, expected: tuple) -> None:
    """Only one number, or a name with its bracketed figure and change, reads as figures."""
    assert _figures_in(printed) == expected
