"""The generic word-layout readers on synthetic word lists: header cells, month axes, chart labels, table rows."""

from __future__ import annotations

import pytest

from extractors.document import group_lines
from extractors.errors import LayoutChangedError
from extractors.facts import Fact
from extractors.geo import place_code
from extractors.layout import (
    Figure,
    figures_in,
    header_columns,
    label_figures,
    match_to_axis,
    merge_repeats,
    month_axis,
    read_rows,
)
from extractors.numbers import parse_number
from tests.support.words import word

WHERE = "test.pdf: section 'x' on page 1"


def _place_or_total(text: str) -> str | None:
    return "WB" if text.strip().lower() == "total" else place_code(text)


def test_header_cells_wrapped_over_lines_next_to_centred_ones() -> None:
    """'Bosnia and / Herzegovina' and 'Kosovo / (UNSCR 1244)' are one cell each; a centred neighbour is not."""
    words = [
        word("Albania", 170, 174.8),
        word("Bosnia", 219, 170.4),
        word("and", 245, 170.4),
        word("Herzegovina", 216, 179.2),
        word("Montenegro", 388, 174.8, width=50),
        word("Kosovo", 454, 170.4, width=30),
        word("(UNSCR", 440, 179.2, width=32),
        word("1244)", 474, 179.2, width=24),
        word("Total", 510, 174.8),
    ]
    columns = header_columns(words, _place_or_total, WHERE)
    assert [c.key for c in columns] == ["ALB", "BIH", "MNE", "XKX", "WB"]


def test_header_words_of_two_columns_a_word_space_apart_stay_apart() -> None:
    """Two columns' wrapped lower lines drawn as close as a word space are still two columns."""
    words = [
        word("North", 343, 170),
        word("Macedonia", 331, 179, width=49),
        word("Bosnia", 387, 170),
        word("and", 416, 170),
        word("Herzegovina", 383, 179, width=57),
    ]
    assert [c.key for c in header_columns(words, _place_or_total, WHERE)] == ["MKD", "BIH"]


def test_header_short_names_and_kosovo_variants() -> None:
    """`BiH`, `Kosovo⁴`, `Kosovo*` and `Kosovo (S/RES/1244 (1999))` are recognised as header cells."""
    words = [word("BiH", 100, 170), word("Kosovo⁴", 160, 170), word("Serbia", 220, 170)]
    assert [c.key for c in header_columns(words, _place_or_total, WHERE)] == ["BIH", "XKX", "SRB"]
    words = [word("Kosovo", 100, 170), word("(S/RES/1244", 90, 179), word("(1999))", 131, 179)]
    assert [c.key for c in header_columns(words, _place_or_total, WHERE)] == ["XKX"]


def test_unknown_header_label_is_an_error_naming_it() -> None:
    """A column label nobody knows stops the table instead of shifting its figures."""
    words = [word("Albania", 100, 170), word("Atlantis", 160, 170), word("Serbia", 220, 170)]
    with pytest.raises(LayoutChangedError, match=r"test\.pdf: section 'x' on page 1: unknown column label 'Atlantis'"):
        header_columns(words, _place_or_total, WHERE)


def test_repeated_header_label_is_an_error_unless_allowed() -> None:
    """Two columns with one key are refused, except where a layout prints them on purpose."""
    words = [word("Albania", 100, 170), word("Albania", 200, 170)]
    with pytest.raises(LayoutChangedError, match="repeated"):
        header_columns(words, _place_or_total, WHERE)
    assert len(header_columns(words, _place_or_total, WHERE, unique=False)) == 2


@pytest.mark.parametrize(
    "labels",
    [
        [["Nov", "2024"], ["Dec", "2024"], ["Jan", "2025"]],
        [["Nov-24"], ["Dec-24"], ["Jan-25"]],
        [["NOV", "24"], ["DEC", "24"], ["JAN", "25"]],
        [["November", "2024"], ["December", "2024"], ["January", "2025"]],
    ],
    ids=["Mon YYYY", "Mon-YY", "MON YY", "Month YYYY"],
)
def test_month_axis_label_styles(labels: list[list[str]]) -> None:
    """Every month label style the reports use reads as the same three months."""
    words = []
    for index, parts in enumerate(labels):
        x = 100 + 60 * index
        for part in parts:
            words.append(word(part, x, 500, size=6))
            x += 0.5 * 6 * len(part) + 2
    (line,) = group_lines(words)
    assert [(m.year, m.month) for m in month_axis(line)] == [(2024, 11), (2024, 12), (2025, 1)]


def test_month_axis_with_years_on_the_line_below() -> None:
    """Month names with their years wrapped onto a second line pair by position."""
    names = [word(name, 100 + 60 * i, 500, size=6) for i, name in enumerate(("December", "January"))]
    years = [word(year, 106 + 60 * i, 507, size=6) for i, year in enumerate(("2024", "2025"))]
    lines = group_lines(names + years)
    assert len(lines) == 2
    assert [(m.year, m.month) for m in month_axis(lines[0], lines[1])] == [(2024, 12), (2025, 1)]


def _axis(count: int) -> list:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"][:count]
    (line,) = group_lines([word(f"{m}-24", 100 + 40 * i, 500) for i, m in enumerate(months)])
    return month_axis(line)


def _label(text: str, x_center: float, top: float) -> Figure:
    w = word(text, x_center - 0.5 * 3.5 * len(text), top)
    return Figure((w,), parse_number(text))


def test_chart_labels_pair_with_the_month_under_them_whatever_their_height() -> None:
    """Labels at different heights and in any order pair with the month below their centre."""
    axis = _axis(3)
    labels = [
        _label("30", axis[2].x_center + 2, 300),
        _label("10", axis[0].x_center - 1, 420),
        _label("20", axis[1].x_center, 350),
    ]
    pairs = match_to_axis(labels, axis, WHERE)
    assert [(a.month, f.number.value) for a, f in pairs] == [(1, 10.0), (2, 20.0), (3, 30.0)]


def test_chart_with_a_label_missing_is_an_error_naming_the_month() -> None:
    """A month without its data label means the labels cannot be trusted to be matched right."""
    axis = _axis(3)
    labels = [_label("10", axis[0].x_center, 300), _label("30", axis[2].x_center, 300)]
    with pytest.raises(LayoutChangedError, match=r"2 chart labels for 3 months; no label over 2024-02"):
        match_to_axis(labels, axis, WHERE)


def test_chart_label_between_two_months_is_an_error() -> None:
    """A label half-way between two months belongs to neither."""
    axis = _axis(2)
    labels = [_label("10", (axis[0].x_center + axis[1].x_center) / 2, 300), _label("20", axis[1].x_center, 300)]
    with pytest.raises(LayoutChangedError, match="under no month"):
        match_to_axis(labels, axis, WHERE)


def _table(rows: list[tuple[list[str], list[str]]], top: float = 200, pitch: float = 12):
    """Body lines of a table with columns ALB (x 200), SRB (x 260), Total (x 320)."""
    words = []
    for index, (label, values) in enumerate(rows):
        y = top + pitch * index
        x = 44
        for part in label:
            words.append(word(part, x, y))
            x += 0.5 * 7 * len(part) + 2
        for value, centre in zip(values, (200, 260, 320), strict=False):
            words.append(word(value, centre - 0.5 * 3.5 * len(value), y))
    header = [word("Albania", 188, 180), word("Serbia", 250, 180), word("Total", 311, 180)]
    columns = header_columns(header, _place_or_total, WHERE)
    return group_lines(words), columns


def _period(text: str) -> str | None:
    return text if text.startswith("Returns") else None


def test_table_rows_in_any_order_with_a_dash() -> None:
    """Rows are read by their labels; a dash is a printed 'not available' (None)."""
    lines, columns = _table([(["Returns", "2022"], ["561", "-", "561"]), (["Returns", "2023"], ["381", "89", "470"])])
    rows = read_rows(lines, columns, [c.key for c in columns], _period, WHERE)
    assert [(r.key, [(k, f.number.value) for k, f in r.cells]) for r in rows] == [
        ("Returns 2022", [("ALB", 561.0), ("SRB", None), ("WB", 561.0)]),
        ("Returns 2023", [("ALB", 381.0), ("SRB", 89.0), ("WB", 470.0)]),
    ]


def test_table_row_label_wrapped_over_two_lines() -> None:
    """A row label on two lines, its figures level with either, is one row."""
    lines, columns = _table([(["Returns"], ["1", "2", "3"]), (["2016", "-", "2023"], [])], pitch=8)
    rows = read_rows(lines, columns, [c.key for c in columns], _period, WHERE)
    assert [r.key for r in rows] == ["Returns 2016 - 2023"]


def test_table_row_with_a_figure_missing_is_an_error() -> None:
    """A row with fewer figures than columns is refused, never read shifted."""
    lines, columns = _table([(["Returns", "2023"], ["381", "89"])])
    with pytest.raises(LayoutChangedError, match=r"row 'Returns 2023' has 2 figures for 3 columns"):
        read_rows(lines, columns, [c.key for c in columns], _period, WHERE)


def test_table_row_with_an_unknown_label_is_an_error() -> None:
    """A row whose label the reader does not know is named in the error."""
    lines, columns = _table([(["Departures", "2023"], ["1", "2", "3"])])
    with pytest.raises(LayoutChangedError, match=r"unknown row label 'Departures 2023'"):
        read_rows(lines, columns, [c.key for c in columns], _period, WHERE)


def test_table_interrupted_by_text_then_more_rows_is_an_error() -> None:
    """Rows after an interruption (text across the figure columns) are not silently dropped."""
    lines, columns = _table([(["Returns", "2023"], ["1", "2", "3"])])
    prose = [word(text, 190 + 60 * i, 212) for i, text in enumerate(("a", "note", "here"))]
    after, _ = _table([(["Returns", "2022"], ["4", "5", "6"])], top=224)
    lines = group_lines([w for line in [*lines, *after] for w in line.words] + prose)
    with pytest.raises(LayoutChangedError, match="interrupted before the row 'Returns 2022 4 5 6'"):
        read_rows(lines, columns, [c.key for c in columns], _period, WHERE)


def test_figures_join_a_lone_sign_and_keep_arrows() -> None:
    """'- 33%' printed as two words is one figure; '↓ -8%' keeps its arrow; words are skipped."""
    words = [
        word("-", 100, 100),
        word("33%", 106, 100),
        word("↓", 200, 100),
        word("-8%", 206, 100),
        word("Male", 260, 100),
    ]
    figures = figures_in(words)
    assert [(f.text, f.number.value, f.number.arrow) for f in figures] == [
        ("- 33%", -33.0, None),
        ("↓ -8%", -8.0, "down"),
    ]


def test_figure_labels_under_and_beside_them() -> None:
    """A headline's label is the block under it or beside it, up to the next figure of its row."""
    big = [word("3,100", 52, 134, size=24), word("343", 300, 134, size=24)]
    labels = [
        word("REGISTRATIONS", 52, 162, size=7.2),
        word("IN", 120, 162, size=7.2),
        word("DECEMBER", 52, 171, size=7.2),
        word("assisted", 360, 136, size=8.5),
        word("returns", 360, 146, size=8.5),
        word("FAR", 52, 260, size=7.2),
    ]
    labelled = label_figures(figures_in(big), big + labels)
    assert [(lf.figure.text, lf.text) for lf in labelled] == [
        ("3,100", "REGISTRATIONS IN DECEMBER"),
        ("343", "assisted returns"),
    ]


def _fact(value: float, page: int) -> Fact:
    import datetime as dt

    day = dt.date(2024, 12, 31)
    return Fact("dtm-wb-2024-12", "IOM DTM", "2024-12", "avrr_returns", "WB", day, day, value, "persons", page,
                (0, 0, 1, 1), "text")  # fmt: skip


def test_repeated_figure_is_kept_once_and_later_printings_marked() -> None:
    """A figure printed twice is one fact (the first); later printings go on marked, for validation to compare."""
    merged = merge_repeats([_fact(343, 3), _fact(340, 4)], WHERE)
    assert [(f.page, f.value, f.repeat) for f in merged] == [(3, 343, False), (4, 340, True)]


def test_header_bracket_glued_to_the_next_columns_word() -> None:
    """'(1999))Herzegovina' drawn touching is the end of Kosovo's label and the start of the next cell."""
    words = [
        word("Kosovo", 284.6, 173.9, width=26.8),
        word("Bosnia", 334.3, 173.9, width=24.4),
        word("and", 360.7, 173.9, width=13),
        word("(S/RES/1244", 263.9, 182.6, width=42.6),
        word("(1999))Herzegovina", 308.6, 182.6, width=67.1),
    ]
    assert [c.key for c in header_columns(words, _place_or_total, WHERE)] == ["XKX", "BIH"]
