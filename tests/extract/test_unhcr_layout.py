"""The family-neutral layout helpers on synthetic word lists: lines, headings, rows, axes, prose."""

from __future__ import annotations

import pytest

from extractors.document import Page, Word
from extractors.errors import LayoutChangedError
from extractors.geo import nationality_code, place_code
from extractors.layout.blocks import (
    Box,
    Prose,
    block_under,
    figure_beside,
    find_phrases,
    headings,
    labelled_rows,
    match_to_axis,
    merge_wrapped_labels,
    month_axis,
    number_words,
    segments,
    shares_in_prose,
)
from tests.support.words import phrase as build_phrase
from tests.support.words import word as build_word

WIDTH, HEIGHT = 842.0, 595.0


def word(text: str, x0: float, top: float, size: float = 8.0, *, bold: bool = False, sup: bool = False) -> Word:
    """The shared word builder at this suite's default size (8 pt)."""
    return build_word(text, x0, top, size, bold=bold, superscript=sup)


def phrase(text: str, x0: float, top: float, size: float = 8.0, *, bold: bool = False) -> list[Word]:
    return build_phrase(text, x0, top, size, bold=bold)


def page(words: list[Word]) -> Page:
    return Page(1, WIDTH, HEIGHT, words)


def test_segments_keep_neighbouring_columns_apart_when_baselines_drift() -> None:
    """Two columns whose lines sit a few points apart are never chained into one line."""
    left = phrase("Estimation of persons", 20, 100, 9.5) + phrase("as of 31 December:", 20, 112, 9.5)
    right = phrase("Kosovo*", 405, 106) + [word("1,180", 500, 103, 6.7)]
    texts = {s.text for s in segments(left + right)}
    assert {"Estimation of persons", "as of 31 December:", "Kosovo*", "1,180"} <= texts


def test_headings_merge_wrapped_lines_and_skip_bold_body_text() -> None:
    """A heading wrapped over two lines is one heading; a bold table header at body size is none."""
    body = [w for y in range(200, 300, 10) for w in phrase("plain body text of the page", 20, y)]
    title = phrase("New Arrivals to each country between", 405, 70, 10, bold=True)
    title += phrase("January and December", 405, 82.5, 10, bold=True)
    table_header = phrase("Country", 444, 150, 8, bold=True)
    found = headings(page(body + title + table_header))
    assert [h.text for h in found] == ["New Arrivals to each country between January and December"]


def test_block_stops_at_the_next_column_and_the_next_heading_below() -> None:
    """A block runs from its heading down to the next heading of its column and across to the next column."""
    rows = [*range(100, 161, 10), *range(190, 291, 10)]
    body = [w for y in rows for w in phrase("running text in the left column", 20, y)]
    body += [w for y in range(100, 300, 10) for w in phrase("chart text", 405, y)]
    first = phrase("Key figures", 20, 70, 12, bold=True)
    second = phrase("Estimation of persons", 20, 170, 12, bold=True)
    right = phrase("New Arrivals", 405, 72, 12, bold=True)
    the_page = page(body + first + second + right)
    all_headings = headings(the_page)
    box = block_under(the_page, all_headings[0], all_headings)
    assert box.bottom < 170 and box.x1 < 405
    assert all(w.x0 < 400 and w.top < 170 for w in box.words())


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Bosnia and", "Herzegovina"], "BIH"),
        (["Bosnia", "and Herzegovina"], "BIH"),
        (["Kosovo (S/RES/1244", "(1999))"], "XKX"),
    ],
)
def test_wrapped_labels_are_merged(lines: list[str], expected: str) -> None:
    """A label printed over two lines resolves as one, whichever line breaks it."""
    parts = [s for i, text in enumerate(lines) for s in segments(phrase(text, 405, 100 + 9 * i, 7.2))]
    merged = merge_wrapped_labels(parts, place_code)
    assert [code for _, code in merged] == [expected]


def _bar_chart(order: list[tuple[str, str, str]], pitch: float = 26.5) -> Box:
    """A two-bars-per-country chart: label at left, this year's label above last year's, bars between."""
    words: list[Word] = []
    for index, (label, first, second) in enumerate(order):
        top = 120 + index * pitch
        words += phrase(label, 405, top + 4, 7.2)
        words.append(word(first, 520, top, 6.7))
        words.append(word(second, 540, top + 10.5, 6.7))
    return Box(page(words), 400, 110, 650, 400)


def _counts(w: Word) -> bool:
    return bool(number_words([w], percent=False))


def test_rows_follow_labels_in_any_order() -> None:
    """Rows are found by their labels, so a different country order reads the same figures."""
    rows = [("Albania", "6,120", "9,870"), ("BiH", "12,410", "29,530"), ("Kosovo⁴", "1,180", "1,430")]
    for order in (rows, rows[::-1]):
        read = {
            r.label.code: [w.text for w in r.values]
            for r in labelled_rows(_bar_chart(order), place_code, _counts, where="t")
        }
        assert read == {"ALB": ["6,120", "9,870"], "BIH": ["12,410", "29,530"], "XKX": ["1,180", "1,430"]}


def test_kosovo_qualifier_digits_are_label_text_not_values() -> None:
    """'Kosovo (UNSCR 1244)' keeps its 1244 in the label; the row still has its two bar labels."""
    chart = _bar_chart([("Serbia", "13,593", "31,626"), ("Kosovo (UNSCR 1244)", "1,090", "1,299")])
    rows = labelled_rows(chart, place_code, _counts, where="t")
    assert [(r.label.code, [w.text for w in r.values]) for r in rows] == [
        ("SRB", ["13,593", "31,626"]),
        ("XKX", ["1,090", "1,299"]),
    ]


def test_unknown_row_label_is_refused() -> None:
    """A label we cannot resolve, with bar labels beside it, fails naming the label."""
    chart = _bar_chart([("Albania", "6,120", "9,870"), ("Atlantis", "5", "7"), ("Serbia", "1", "2")])
    with pytest.raises(LayoutChangedError, match=r"t: unknown row label 'Atlantis'"):
        labelled_rows(chart, place_code, _counts, where="t")


def test_nationality_rows_read_official_and_short_names() -> None:
    """Official and short nationality names resolve to the same codes."""
    words: list[Word] = []
    for index, (name, share) in enumerate([("Syrian Arab Republic", "30%"), ("Palestine", "19%"), ("Türkiye", "8%")]):
        words += phrase(name, 430, 70 + 23 * index, 7.8)
        words.append(word(share, 700, 74 + 23 * index, 7.3))
    rows = labelled_rows(
        Box(page(words), 425, 60, 800, 200),
        nationality_code,
        lambda w: bool(number_words([w], percent=True)),
        where="t",
    )
    assert [(r.label.code, r.values[0].text) for r in rows] == [("SYR", "30%"), ("PSE", "19%"), ("TUR", "8%")]


@pytest.mark.parametrize(
    "labels",
    [
        ["Dec-23", "Jan-24", "Feb-24"],
        ["DEC 23", "JAN 24", "FEB 24"],
        ["December 2023", "January 2024", "February 2024"],
    ],
)
def test_month_axis_reads_every_label_style(labels: list[str]) -> None:
    """Month labels are read as one or two words, in any of the printed styles."""
    words = [w for i, text in enumerate(labels) for w in phrase(text, 30 + 60 * i, 400, 5.8)]
    axis = month_axis(words)
    assert [(a.year, a.month) for a in axis] == [(2023, 12), (2024, 1), (2024, 2)]


def test_chart_labels_must_match_the_months() -> None:
    """A month without a data label is a chart we cannot read safely."""
    axis = month_axis(
        [w for i, t in enumerate(["Jan 2024", "Feb 2024", "Mar 2024"]) for w in phrase(t, 30 + 60 * i, 400)]
    )
    values = [word("3,200", axis[0].x_center - 10, 240), word("3,700", axis[2].x_center - 10, 220)]
    with pytest.raises(LayoutChangedError, match="no data label for Feb 2024"):
        match_to_axis(values, axis, where="t")
    paired = match_to_axis([*values, word("3,600", axis[1].x_center - 10, 230)], axis, where="t")
    assert [(a.month, w.text) for a, w in paired] == [(1, "3,200"), (2, "3,600"), (3, "3,700")]


def test_figure_beside_or_under_its_label() -> None:
    """A figure right of its label on the line wins; otherwise the one under the label."""
    inline = phrase("Intentions to seek asylum:", 20, 100, 6) + [word("25,355", 110, 98, 9)]
    label = find_phrases(segments(inline), r"intentions\s+to\s+seek\s+asylum")[0]
    assert figure_beside(label, number_words(inline)).text == "25,355"
    cell = phrase("Intentions to seek", 24, 240) + phrase("asylum", 24, 249) + [word("17,737", 24, 265)]
    label = find_phrases(segments(cell), r"intentions\s+to\s+seek\s+asylum")[0]
    assert figure_beside(label, number_words(cell)).text == "17,737"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Of these, 35% were present in Serbia, followed by Bosnia and Herzegovina (34.5%), Kosovo (12%), "
            "Albania and Montenegro (7% each) and North Macedonia (4.5%).",
            [("SRB", 35), ("BIH", 34.5), ("XKX", 12), ("ALB", 7), ("MNE", 7), ("MKD", 4.5)],
        ),
        (
            "Of these, 37% were present in Serbia, followed by BiH (29%), Kosovo (S/RES/1244 (1999)) (15%), "
            "Albania (8.5%), Montenegro (6%) and North Macedonia (4.5%).",
            [("SRB", 37), ("BIH", 29), ("XKX", 15), ("ALB", 8.5), ("MNE", 6), ("MKD", 4.5)],
        ),
    ],
)
def test_shares_in_prose(sentence: str, expected: list[tuple[str, float]]) -> None:
    """Per-place shares are read from prose, "A and B (7% each)" included."""
    prose = Prose.of(phrase(sentence, 20, 60))
    assert [(s.code, s.value) for s in shares_in_prose(prose, 0, place_code, where="t")] == expected


def test_share_of_an_unknown_place_is_refused() -> None:
    """A share whose place we cannot name fails rather than being dropped."""
    prose = Prose.of(phrase("Of these, 35% were present in Serbia, followed by Atlantis (20%).", 20, 60))
    with pytest.raises(LayoutChangedError, match="Atlantis"):
        shares_in_prose(prose, 0, place_code, where="t")


def test_month_axis_reads_labels_wrapped_under_narrow_bars() -> None:
    """'December' printed over '2024' under each bar is still one month label."""
    months = ["October", "November", "December"]
    words = [word(m, 30 + 60 * i, 400, 5.8) for i, m in enumerate(months)]
    words += [word("2024", 35 + 60 * i, 407, 5.8) for i in range(3)]
    assert [(a.year, a.month) for a in month_axis(words)] == [(2024, 10), (2024, 11), (2024, 12)]
