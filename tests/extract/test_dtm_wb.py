"""The DTM extractor on edited samples (rows moved, countries renamed or dropped, sections missing) and its cell,
period and qualifier rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from extractors.context import ReportContext
from extractors.document import Document, Line, Page
from extractors.errors import AnchorNotFoundError, LayoutChangedError, SectionUnreadableError, UnknownLabelError
from extractors.families.dtm_wb.headings import BOUNDARIES, REGISTRATIONS
from extractors.families.dtm_wb.readers import (
    SIX_PLACES,
    Section,
    nationality_cell,
    period_in,
    places_without_nationality_data,
    require_complete,
)
from extractors.layout import Heading, find_headings
from extractors.registry import read_document
from tests.conftest import TESTS
from tests.support import parsed
from tests.support.words import drop, edit_pages, rename, replace_phrase, shift, swap_bands, word

SAMPLES = TESTS / "pdfs" / "dtm_wb"
KEY = ("indicator", "geo", "period_start", "period_end", "breakdown", "rank")


def _sample(month: str) -> Document:
    return parsed.document(SAMPLES / f"{month}.pdf")


def _truth(month: str) -> dict[tuple, float | None]:
    rows = json.loads((TESTS / "truth" / "dtm_wb" / f"{month}.truth.json").read_text())["facts"]
    return {tuple(r[k] for k in KEY): r["value"] for r in rows}


def _read(document: Document) -> dict[tuple, float | None]:
    facts = [f.to_record() for f in read_document(document).facts]
    return {tuple(r[k] for k in KEY): r["value"] for r in facts}


def _row(page: Page, label: str, min_figures: int = 10) -> Line:
    """The table line that starts with `label` and carries at least `min_figures` figures."""
    return next(
        line
        for line in page.lines
        if line.text.startswith(label) and sum(w.text[0].isdigit() for w in line.text_words) >= min_figures
    )


def test_monthly_table_rows_in_another_order() -> None:
    """Swapping two country rows of the monthly table changes nothing: rows are read by their labels."""
    page = _sample("2024-12").page(1)
    albania, serbia = _row(page, "Albania"), _row(page, "Serbia")
    edit = swap_bands((albania.top - 1, albania.top + 1), (serbia.top - 1, serbia.top + 1))
    assert _read(edit_pages(_sample("2024-12"), edit, pages=[1])) == _truth("2024-12")


@pytest.mark.parametrize(
    "kosovo", ["Kosovo*", "Kosovo⁴", "Kosovo4", "Kosovo (UNSCR 1244)", "Kosovo (S/RES/1244 (1999))"]
)
def test_kosovo_spellings(kosovo: str) -> None:
    """Every spelling of Kosovo the reports use reads as XKX, in tables, grids, panels and charts."""
    edited = edit_pages(_sample("2024-12"), replace_phrase(["Kosovo"], kosovo))
    assert _read(edited) == _truth("2024-12")


def test_bih_and_short_nationality_names() -> None:
    """`BiH` for Bosnia and Herzegovina and short nationality names give the same facts."""
    document = _sample("2024-12")
    for old, new in (
        (["Bosnia", "and", "Herzegovina"], "BiH"),
        (["Syrian", "Arab", "Republic"], "Syria"),
        (["Occupied", "Palestinian", "Territory"], "Palestine"),
    ):
        document = edit_pages(document, replace_phrase(old, new))
    assert "BiH" in document.page(1).text and "Syria" in document.page(2).text
    assert _read(document) == _truth("2024-12")


@pytest.mark.parametrize(
    ("style", "example"),
    [("{Mon}-{yy}", "Dec-23"), ("{MON} {yy}", "DEC 23"), ("{Month} {yyyy}", "December 2023")],
)
def test_month_label_styles_on_both_charts(style: str, example: str) -> None:
    """The monthly chart, its table and the occupancy trend read the same with other month labels."""
    import calendar

    document = _sample("2024-12")
    for month in range(1, 13):
        for year in (2023, 2024):
            new = style.format(
                Mon=calendar.month_abbr[month],
                MON=calendar.month_abbr[month].upper(),
                Month=calendar.month_name[month],
                yy=f"{year % 100:02d}",
                yyyy=year,
            )
            document = edit_pages(document, replace_phrase([calendar.month_abbr[month], str(year)], new), pages=[1, 2])
    assert example in document.page(1).text
    assert _read(document) == _truth("2024-12")


def test_country_missing_from_the_monthly_table() -> None:
    """A country row lost from the monthly table makes the section unreadable, naming it; never a shorter
    table. The other sections are still read."""
    page = _sample("2024-12").page(1)
    serbia = _row(page, "Serbia")
    edited = edit_pages(_sample("2024-12"), drop(lambda w: not (serbia.top - 1 <= w.top <= serbia.top + 1)), pages=[1])
    with pytest.raises(SectionUnreadableError, match=r"section 'registrations' on page 1: the monthly table lacks SRB"):
        read_document(edited)
    report = read_document(edited, strict=False)
    (problem,) = report.problems
    assert (problem.rule, problem.section, problem.page) == ("unreadable_section", "registrations", 1)
    assert problem.bbox is not None
    read = {tuple(r[k] for k in KEY) for r in (f.to_record() for f in report.facts)}
    others = {key for key in _truth("2024-12") if not key[0].startswith("registrations_on_arrival")}
    assert others and others <= read


def test_country_missing_from_the_nationality_grid() -> None:
    """A country row lost from the top-3 grid (and not named in the note on missing data) is refused."""
    page = _sample("2024-12").page(2)
    row = _row(page, "Montenegro", min_figures=0)
    edited = edit_pages(_sample("2024-12"), drop(lambda w: not (row.top - 1 <= w.top <= row.top + 1)), pages=[2])
    with pytest.raises(
        SectionUnreadableError, match=r"section 'nationalities' on page 2: the nationality grid lacks MNE"
    ):
        read_document(edited)


def test_nationality_grid_lacks_only_the_places_its_note_names() -> None:
    """Every sample's grid lacks Serbia, which its note says has no nationality data: that grid is complete."""
    assert places_without_nationality_data(_sample("2024-12")) == {"SRB"}
    assert places_without_nationality_data(_sample("2023-06")) == {"SRB"}


def test_chart_axis_out_of_sequence_is_refused() -> None:
    """An axis that runs 2024-07, 2020-08, 2024-09 is refused, never read as those months."""
    edited = edit_pages(_sample("2024-12"), replace_phrase(["Aug", "2024"], "Aug 2020"), pages=[1])
    with pytest.raises(SectionUnreadableError, match=r"not consecutive months: 2024-07 is followed by 2020-08"):
        read_document(edited)


def test_rows_skipped_for_an_unknown_label_count_as_printed() -> None:
    """A table lacking a place only because its row's label is unknown (recorded as unknown_label in the same
    section) is complete; any other missing place is named."""
    document = _sample("2024-12")
    context = ReportContext("dtm-wb-2024-12", "IOM DTM", 2024, 12, "", file_name="x.pdf", section="registrations")
    heading = Heading(document.page(1), document.page(1).lines[0])
    section = Section(document, context, "registrations", heading, 800.0)
    before = len(context.problems)
    context.problem("unknown_label", "unknown row label 'Serbija'", document.page(1).lines[1].words)
    require_complete(section, "monthly table", ["ALB", "BIH", "MNE", "MKD", "XKX"], SIX_PLACES, before)
    with pytest.raises(SectionUnreadableError, match="lacks MKD, SRB"):
        require_complete(section, "monthly table", ["ALB", "BIH", "MNE", "XKX"], SIX_PLACES, before)


def test_a_page_placed_a_few_points_off() -> None:
    """A whole page shifted by a few points (position jitter) reads the same."""
    edited = edit_pages(_sample("2024-12"), shift(3.5, -2.5), pages=[2, 3])
    assert _read(edited) == _truth("2024-12")


def test_v2023_sample_with_rows_and_countries_moved() -> None:
    """The 2023 layout's arrivals table read with two rows swapped and Kosovo spelt otherwise."""
    page = _sample("2023-06").page(1)
    albania, serbia = _row(page, "Albania", 3), _row(page, "Serbia", 3)
    edited = edit_pages(
        _sample("2023-06"), swap_bands((albania.top - 1, albania.top + 1), (serbia.top - 1, serbia.top + 1)), pages=[1]
    )
    edited = edit_pages(edited, replace_phrase(["Kosovo"], "Kosovo (UNSCR 1244)"))
    assert _read(edited) == _truth("2023-06")


def test_missing_section_is_named() -> None:
    """A recognised issue without its trafficking section fails naming the section, not with partial facts."""
    page = _sample("2024-12").page(4)
    heading = next(line for line in page.lines if line.text.startswith("TEMPORARY RESIDENCE"))
    edited = edit_pages(_sample("2024-12"), drop(lambda w: w not in heading.words), pages=[4])
    with pytest.raises(AnchorNotFoundError, match=r"2024-12\.pdf \(dtm-wb-2024-12\): section 'trafficking' not found"):
        read_document(edited)


def test_unknown_column_label_names_section_and_page() -> None:
    """An unknown country in the AVRR table header stops the report with the section and page."""
    edited = edit_pages(_sample("2024-12"), rename("Montenegro", "Atlantis"), pages=[3])
    with pytest.raises(LayoutChangedError, match=r"section 'avrr' on page 3: unknown column label 'Atlantis'"):
        read_document(edited)


def test_table_row_with_a_figure_missing() -> None:
    """A table row that lost a figure is refused rather than read shifted."""
    row = _row(_sample("2024-12").page(4), "Total applications in 2024", 7)
    missing = next(w for w in row.words if w.text == "113")
    edited = edit_pages(_sample("2024-12"), drop(lambda w: w is not missing), pages=[4])
    with pytest.raises(LayoutChangedError, match=r"section 'asylum' on page 4: row .* has 6 figures for 7 columns"):
        read_document(edited)


def test_chart_label_missing() -> None:
    """A bar without its data label makes the chart unreadable, naming the month."""
    edited = edit_pages(_sample("2024-12"), drop(lambda w: w.text != "4,020"), pages=[1])
    with pytest.raises(LayoutChangedError, match=r"section 'registrations' on page 1: 12 chart labels for 13 months"):
        read_document(edited)


def test_non_final_qualifier_follows_the_footnote() -> None:
    """Headline registrations are non-final only when the issue says its data are non-final."""
    got = read_document(_sample("2024-12")).facts
    qualified = {(f.indicator, f.period_start.isoformat()) for f in got if f.qualifier == "non_final"}
    assert qualified == {("registrations_on_arrival", "2024-12-01"), ("registrations_on_arrival", "2024-01-01")}
    note = next(line for line in _sample("2024-12").page(1).lines if "non-final" in line.text)
    edited = edit_pages(_sample("2024-12"), drop(lambda w: w not in note.words), pages=[1])
    assert all(f.qualifier is None for f in read_document(edited).facts)


def test_facts_carry_their_reading_method() -> None:
    """Headlines are text, chart labels chart-labels, table and grid cells pdfplumber-table."""
    methods = {(f.indicator, f.method) for f in read_document(_sample("2024-12")).facts}
    assert ("registrations_on_arrival_change", "text") in methods
    assert ("reception_occupancy", "chart-labels") in methods
    assert ("arrival_nationality_share", "pdfplumber-table") in methods
    assert {m for _, m in methods} == {"text", "chart-labels", "pdfplumber-table"}


CONTEXT = ReportContext("dtm-wb-2024-10", "IOM DTM", 2024, 10, "", file_name="x.pdf")


@pytest.mark.parametrize(
    ("label", "period"),
    [
        ("Total returns in 2024", ("2024-01-01", "2024-10-31")),
        ("Total voluntary returns carried out in 2023", ("2023-01-01", "2023-12-31")),
        ("Total returns 2016 - 2023", ("2016-01-01", "2023-12-31")),
        ("Total applications 2018-2023", ("2018-01-01", "2023-12-31")),
        ("granted to victims of trafficking from 2016 to 2023¹⁴", ("2016-01-01", "2023-12-31")),
        ("January - June 2023", ("2023-01-01", "2023-06-30")),
        ("REGISTRATIONS ON ARRIVAL IN OCTOBER 2024", ("2024-10-01", "2024-10-31")),
        ("DECISIONS TO GRANT REFUGEE STATUS", None),
    ],
)
def test_periods_of_labels(label: str, period: tuple[str, str] | None) -> None:
    """A label's period: the report's year to date, past calendar years, ranges of years or months."""
    got = period_in(label, CONTEXT)
    assert (None if got is None else (got[0].isoformat(), got[1].isoformat())) == period


def _cell(*lines: str) -> list:
    words = []
    for row, text in enumerate(lines):
        x = 150
        for part in text.split():
            words.append(word(part, x, 100 + 9.5 * row))
            x += 0.5 * 7 * len(part) + 2
    return words


@pytest.mark.parametrize(
    ("lines", "code", "share", "change"),
    [
        (["Syrian Arab Republic", "(36%) ↓ -8%"], "SYR", 36.0, -8.0),
        (["Occupied Palestinian", "Territory (12%) ↑ +6%"], "PSE", 12.0, 6.0),
        (["Türkiye (40%) = 0%"], "TUR", 40.0, 0.0),
        (["Egypt 33% ↓ 5%"], "EGY", 33.0, -5.0),
        (["Iran (Islamic Republic of)", "12% ↑ +4%"], "IRN", 12.0, 4.0),
    ],
)
def test_nationality_cells(lines: list[str], code: str, share: float, change: float) -> None:
    """A cell's name (maybe wrapped), share and signed change; a bare '↓ 5%' is a fall."""
    cell = nationality_cell(_cell(*lines), "x.pdf")
    assert (cell.code, cell.share.number.value, cell.change.number.value) == (code, share, change)


def test_nationality_cell_with_an_unknown_name() -> None:
    """A nationality nobody knows has no code (its reader holds its figures back) and keeps its printed name."""
    cell = nationality_cell(_cell("Atlantis (36%) ↓ -8%"), "x.pdf")
    assert (cell.code, cell.name, [w.text for w in cell.name_words]) == (None, "Atlantis", ["Atlantis"])


def test_report_facts_are_dated_to_the_report() -> None:
    """Snapshot figures are stocks at the month end; the trend's months are month ends too."""
    facts = read_document(_sample("2024-10")).facts
    reception = [f for f in facts if f.indicator.startswith("reception")]
    assert all(f.period_start == f.period_end for f in reception)
    assert {f.period_end for f in reception if f.geo != "WB"} == {dt.date(2024, 10, 31)}
    assert dataclasses.asdict(facts[0])["report_id"] == "dtm-wb-2024-10"


@pytest.mark.parametrize("month", ["2024-12", "2023-06"])
def test_an_unknown_nationality_holds_back_only_its_cell(month: str) -> None:
    """A nationality no resolver knows: its share and change are held back with an `unknown_label` problem
    naming the label and page; every other figure is read (strictly read, the report is refused)."""
    document = edit_pages(_sample(month), rename("Pakistan", "Freedonia"))
    report = read_document(document, strict=False)
    expected = {k: v for k, v in _truth(month).items() if k[4] != "nationality:PAK"}
    assert len(expected) < len(_truth(month))
    assert {tuple(r[k] for k in KEY): r["value"] for r in (f.to_record() for f in report.facts)} == expected
    assert {(p.rule, p.printed) for p in report.problems} == {("unknown_label", "Freedonia")}
    assert all(p.page is not None and p.bbox is not None for p in report.problems)
    with pytest.raises(UnknownLabelError, match=r"unknown nationality 'Freedonia'"):
        read_document(document)


def test_an_unknown_country_row_in_the_nationality_grid_holds_back_only_that_row() -> None:
    """A grid row whose country label no resolver knows: its cells are held back, the other rows read."""
    document = edit_pages(_sample("2024-12"), replace_phrase(["Montenegro"], "Atlantis"))
    report = read_document(document, strict=False)
    facts = [f for f in report.facts if f.indicator.startswith("arrival_nationality")]
    truth = {k: v for k, v in _truth("2024-12").items() if k[0].startswith("arrival_nationality")}
    assert {k for k in truth if k[1] == "MNE"} and not [f for f in facts if f.geo == "MNE"]
    assert {(f.indicator, f.geo, f.breakdown, f.rank): f.value for f in facts} == {
        (k[0], k[1], k[4], k[5]): v for k, v in truth.items() if k[1] != "MNE"
    }
    assert ("unknown_label", "Atlantis") in {(p.rule, p.printed) for p in report.problems}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (["TEMPORARY", "RESIDENCE", "PERMITS"], "Temporary residence permits granted"),
        (["APPLICATIONS", "FOR", "ASYLUM"], "ASYLUM CLAIMS"),
        (["TRENDS", "IN"], "Latest trend in"),
    ],
)
def test_reworded_headings_found_by_their_words(old: list[str], new: str) -> None:
    """A heading with a word added, dropped or swapped for a synonym, or in another case, is still found."""
    edited = edit_pages(_sample("2024-12"), replace_phrase(old, new))
    assert _read(edited) == _truth("2024-12")


def test_prose_that_repeats_a_heading_is_not_a_heading() -> None:
    """A note in body text that starts like a heading ("Registrations on arrival in the six ...") ends no section."""
    document = _sample("2024-12")
    prose = [h for h in find_headings(document.pages, REGISTRATIONS, BOUNDARIES) if h.top > 600]
    assert prose == []
