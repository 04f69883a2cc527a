"""Section readers of the IOM DTM Western Balkans report, shared by its 2024 and 2023 layouts.

Every reader finds its section by its heading, reads figures by their labels (headline labels, table
headers, row labels, chart axes) and returns facts; figures a section prints twice (a headline and a
table's Total, a snapshot and the last bar of a trend) are kept once, as the headline prints them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence

from .context import ReportContext
from .document import Document, Line, Page, Word, group_lines, search_line
from .errors import AnchorNotFoundError, LayoutChangedError
from .facts import Fact
from .geo import REGION, nationality_code, place_code
from .layout import (
    Anchor,
    Figure,
    Heading,
    LabelledFigure,
    chart_labels,
    figures_in,
    find_headings,
    find_month_axis,
    footnote_top,
    grid_rows,
    header_columns,
    headline_figures,
    label_figures,
    match_to_axis,
    median_word_size,
    page_headings,
    plain,
    read_rows,
    split_header,
    words_text,
)
from .months import MONTH_NAME_PATTERN, month_end, month_number, month_period, year_period, year_to_date, years_period
from .numbers import PrintedNumber, parse_number

TEXT = "text"
TABLE = "pdfplumber-table"
CHART = "chart-labels"

#: Column starts of a grid with a header may sit this many font sizes left of their header word.
HEADER_START_TOLERANCE = 0.6

_NON_FINAL_RE = re.compile(
    r"non[- ]?final|not\s+(?:yet\s+)?final|provisional|preliminary|subject\s+to\s+(?:consolidation|change|revision)",
    re.I,
)
_MONTH_YEAR_RE = re.compile(rf"\b(?P<month>{MONTH_NAME_PATTERN})\.?\s+(?P<year>\d{{4}})\b", re.I)
_MONTH_RANGE_RE = re.compile(
    rf"\b(?P<first>{MONTH_NAME_PATTERN})\.?\s*(?:-|–|—|to)\s*(?P<last>{MONTH_NAME_PATTERN})\.?\s+(?P<year>\d{{4}})\b",
    re.I,
)
_YEAR_RANGE_RE = re.compile(r"\b(?P<first>(?:19|20)\d\d)\s*(?:-|–|—|to)\s*(?P<last>(?:19|20)\d\d)\b", re.I)
_YEAR_RE = re.compile(r"\b(?P<year>(?:19|20)\d\d)\b")
_TOTAL_RE = re.compile(r"^(?:total|grand\s+total|wb|western\s+balkans(?:\s+total)?)$", re.I)


# --- Finding sections ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Section:
    """A section found on its page: heading, the band of the page below it, and how to name it in errors."""

    document: Document
    context: ReportContext
    name: str
    heading: Heading
    bottom: float

    @property
    def page(self) -> Page:
        return self.heading.page

    @property
    def where(self) -> str:
        return f"{self.document.name} ({self.context.report_id}): section {self.name!r} on page {self.page.number}"

    def words(self, top: float | None = None, bottom: float | None = None) -> list[Word]:
        """Words between the heading (or `top`) and the section's end (or `bottom`)."""
        return self.page.region(
            top=self.heading.bottom if top is None else top, bottom=self.bottom if bottom is None else bottom
        )

    def lines(self, top: float | None = None, bottom: float | None = None) -> list[Line]:
        return group_lines(self.words(top, bottom))


def locate(
    document: Document,
    context: ReportContext,
    name: str,
    heading: Anchor,
    boundaries: Sequence[Anchor],
) -> Section:
    """The section under the first line matching `heading`; it ends at the next heading among `boundaries`
    on the same page, or at the page's footnotes."""
    anchors = tuple(dict.fromkeys((heading, *boundaries)))
    found = find_headings(document.pages, heading, anchors)
    if not found:
        wordings = " / ".join(heading.words) or heading.pattern
        raise AnchorNotFoundError(
            f"{document.name} ({context.report_id}): section {name!r} not found: no heading matching "
            f"/{heading.pattern}/ or reading like {wordings!r} on any of its {len(document.pages)} page(s)"
        )
    first = found[0]
    page = first.page
    bottom = footnote_top(page)
    # Every heading ends the section above it, even one that reads like two headings at once.
    for other, _ in page_headings(page, anchors):
        if other.top > first.bottom and other.top < bottom:
            bottom = other.top
    return Section(document, context, name, first, bottom)


# --- Periods and labels -------------------------------------------------------------------------------------


def period_in(text: str, context: ReportContext) -> tuple[dt.date, dt.date] | None:
    """The period a label names: `2016 - 2023`, `January - June 2023`, `December 2024`, `in 2024`.

    A bare year is the year to date when it is the report's year ("in 2024" in an October 2024
    issue ends on 31 October), else the calendar year.
    """
    text = plain(text)
    if match := _YEAR_RANGE_RE.search(text):
        return years_period(int(match["first"]), int(match["last"]))
    if match := _MONTH_RANGE_RE.search(text):
        year = int(match["year"])
        return month_period(year, month_number(match["first"]))[0], month_end(year, month_number(match["last"]))
    if match := _MONTH_YEAR_RE.search(text):
        return month_period(int(match["year"]), month_number(match["month"]))
    if match := _YEAR_RE.search(text):
        year = int(match["year"])
        return year_to_date(year, context.month) if year == context.year else year_period(year)
    return None


def place_or_total(text: str) -> str | None:
    """The geo code of a country label, `WB` for a Total / Western Balkans label, else None."""
    if _TOTAL_RE.match(plain(text).strip(" :")):
        return REGION
    return place_code(text)


def non_final_note(document: Document) -> bool:
    """True when the issue says its figures are non-final ("data ... is non-final and subject to ...")."""
    return bool(_NON_FINAL_RE.search(document.text))


def fact_of(
    section: Section,
    indicator: str,
    geo: str,
    period: tuple[dt.date, dt.date],
    figure: Figure,
    unit: str,
    method: str,
    **kwargs: object,
) -> Fact:
    """A fact of the figure, after checking it is printed as its unit says (a share with %, a count without)."""
    if figure.number.value is not None and figure.number.percent != (unit in ("percent", "percentage_points")):
        raise LayoutChangedError(
            f"{section.where}: {indicator} {geo} printed as {figure.text!r}, expected a {unit} figure"
        )
    return section.context.fact(indicator, geo, period, figure.number.value, unit, figure.words, method, **kwargs)


def labelled_headlines(section: Section, top: float | None = None, bottom: float | None = None) -> list[LabelledFigure]:
    """The section's headline figures with their labels."""
    words = section.words(top, bottom)
    return label_figures(headline_figures(words, section.page.words), words)


def classify_headlines(
    section: Section, headlines: Sequence[LabelledFigure], kinds: Sequence[tuple[str, re.Pattern[str]]]
) -> dict[str, LabelledFigure]:
    """Each headline by the first (kind, pattern) whose pattern its label matches; each kind at most once."""
    found: dict[str, LabelledFigure] = {}
    for headline in headlines:
        kind = next((k for k, pattern in kinds if pattern.search(headline.text)), None)
        if kind is None:
            continue
        if kind in found:
            raise LayoutChangedError(
                f"{section.where}: two headline figures read as {kind}: "
                f"{found[kind].figure.text!r} ({found[kind].text!r}) and {headline.figure.text!r} ({headline.text!r})"
            )
        found[kind] = headline
    return found


def require(section: Section, found: dict[str, LabelledFigure], kinds: Sequence[str]) -> None:
    missing = [k for k in kinds if k not in found]
    if missing:
        raise AnchorNotFoundError(
            f"{section.where}: no headline figure labelled as {', '.join(missing)} "
            f"(found labels: {[h.text for h in found.values()]})"
        )


# --- Tables -------------------------------------------------------------------------------------------------


def country_table(
    section: Section,
    lines: Sequence[Line],
    classify_row: Callable[[str], object | None],
    classify_column: Callable[[str], object | None] = place_or_total,
) -> list:
    """Read a table of countries (columns) by rows whose labels `classify_row` understands."""
    header, body = split_header(lines)
    if not header:
        raise AnchorNotFoundError(f"{section.where}: no table header of country names under the heading")
    columns = header_columns([w for line in header for w in line.words], classify_column, section.where)
    return read_rows(body, columns, [c.key for c in columns], classify_row, section.where)


def period_row(context: ReportContext) -> Callable[[str], tuple[dt.date, dt.date] | None]:
    """A row classifier for "Total returns in 2024" / "Total applications 2018-2023" rows: the period named."""

    def classify(text: str) -> tuple[dt.date, dt.date] | None:
        return period_in(text, context)

    return classify


# --- Charts -------------------------------------------------------------------------------------------------


def monthly_chart(
    section: Section, lines: Sequence[Line]
) -> tuple[list[tuple[tuple[int, int], Figure]], list[Line], list]:
    """A bar chart with data labels over a month axis: ((year, month), label) pairs, the lines under
    the axis, and the axis months."""
    found = find_month_axis(lines)
    if found is None:
        raise AnchorNotFoundError(f"{section.where}: no month axis (a line of month labels) under the heading")
    index, axis = found
    axis_bottom = max(w.bottom for a in axis for w in a.words)
    above = list(lines[:index])
    below = [line for line in lines[index + 1 :] if line.top > axis_bottom]
    pairs = match_to_axis(chart_labels(above), axis, section.where)
    return [((a.year, a.month), label) for a, label in pairs], below, axis


# --- Nationality grids --------------------------------------------------------------------------------------

_SHARE_TOKEN = re.compile(r"^\(?\s*(\d+(?:\.\d+)?)\s*%\s*\)?$")


@dataclasses.dataclass(frozen=True)
class NationalityCell:
    """One "Syrian Arab Republic (36%) ↓ -8%" cell: nationality code, share and change figures."""

    code: str
    share: Figure
    change: Figure


def nationality_cell(words: Sequence[Word], where: str) -> NationalityCell:
    """Parse a grid cell: a name (maybe wrapped), its share, and the signed change with its arrow."""
    ordered = [w for line in group_lines(words) for w in line.text_words]
    share_index = next((i for i, w in enumerate(ordered) if _SHARE_TOKEN.match(plain(w.text))), None)
    text = " ".join(w.text for w in ordered)
    if share_index is None or share_index == 0:
        raise LayoutChangedError(f"{where}: nationality cell {text!r} has no 'Name (NN%)'")
    name = " ".join(plain(w.text) for w in ordered[:share_index])
    code = nationality_code(name)
    if code is None:
        raise LayoutChangedError(f"{where}: unknown nationality {name!r} in cell {text!r}")
    share_word = ordered[share_index]
    share = Figure((share_word,), _share_number(share_word))
    changes = figures_in(ordered[share_index + 1 :])
    consumed = sum(len(f.words) for f in changes)
    if len(changes) != 1 or consumed != len(ordered) - share_index - 1:
        raise LayoutChangedError(f"{where}: nationality cell {text!r} does not end with one change ('↓ -8%')")
    change = changes[0]
    number = change.number
    if number.sign is None and number.arrow == "down" and number.value:
        number = dataclasses.replace(number, value=-number.value)
    return NationalityCell(code, share, Figure(change.words, number))


def _share_number(word: Word) -> PrintedNumber:
    return parse_number(plain(word.text))


def nationality_facts(
    section: Section, geo: str, rank: int, cell: NationalityCell, period: tuple[dt.date, dt.date]
) -> list[Fact]:
    breakdown = f"nationality:{cell.code}"
    share = fact_of(
        section, "arrival_nationality_share", geo, period, cell.share, "percent", TABLE, breakdown=breakdown, rank=rank
    )
    change = fact_of(
        section,
        "arrival_nationality_share_change",
        geo,
        period,
        cell.change,
        "percentage_points",
        TABLE,
        breakdown=breakdown,
        rank=rank,
        arrow=cell.change.number.arrow,
    )
    return [share, change]


def countries_by_rank_grid(section: Section, period: tuple[dt.date, dt.date], ranks: int = 3) -> list[Fact]:
    """A grid with one row per country (label at the left) and one cell per rank, left to right.

    Cells are left-aligned but may run up to the next cell ("Occupied Palestinian Territory"), so no
    gutter need separate them: cells 2..N start where a word follows a cell's closing change ("+5%")
    on the same line, in any row; cell 1 starts after the longest row label that names a place.
    """
    words = [w for w in section.words() if not w.superscript]
    rows = grid_rows(words)
    if not rows:
        raise AnchorNotFoundError(f"{section.where}: no country row in the nationality grid")
    size = median_word_size(words)
    tolerance = HEADER_START_TOLERANCE * size
    starts = _later_cell_starts(rows, ranks, tolerance, section.where)
    facts: list[Fact] = []
    seen: set[str] = set()
    for row in rows:
        row_words = [w for line in row for w in line.words]
        first = _first_cell_start(row, starts[0] - tolerance, tolerance)
        if first is None:
            text = " ".join(line.text for line in row)
            raise LayoutChangedError(f"{section.where}: no country label and first cell in the grid row {text!r}")
        bounds = [first, *starts, float("inf")]
        label_words = [w for w in row_words if w.x0 < first - tolerance]
        label = words_text(label_words)
        geo = place_code(label)
        if geo is None:
            raise LayoutChangedError(f"{section.where}: unknown country label {label!r} in the nationality grid")
        if geo in seen:
            raise LayoutChangedError(f"{section.where}: country {label!r} appears twice in the nationality grid")
        seen.add(geo)
        for rank in range(1, ranks + 1):
            left, right = bounds[rank - 1] - tolerance, bounds[rank] - tolerance
            cell_words = [w for w in row_words if left <= w.x0 < right]
            if not cell_words:
                raise LayoutChangedError(f"{section.where}: {label!r} has no nationality of rank {rank}")
            facts.extend(nationality_facts(section, geo, rank, nationality_cell(cell_words, section.where), period))
    return facts


_CELL_END = re.compile(r"^[↑↓▲▼=→↔]?[+\-\u2212\u2013]?\d+(?:\.\d+)?%$")


def _later_cell_starts(rows: Sequence[Sequence[Line]], ranks: int, tolerance: float, where: str) -> list[float]:
    """Left edges of cells 2..ranks: x0 of words that follow a cell's closing change on the same line."""
    found: list[float] = []
    for row in rows:
        for line in row:
            words = list(line.text_words)
            for before, word in zip(words, words[1:], strict=False):
                if _CELL_END.match(plain(before.text)) and not _SHARE_TOKEN.match(plain(word.text)):
                    found.append(word.x0)
    clusters: list[list[float]] = []
    for x in sorted(found):
        if clusters and x - clusters[-1][-1] <= tolerance:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    if len(clusters) != ranks - 1:
        raise LayoutChangedError(
            f"{where}: found {len(clusters)} cell edges after a change figure in the nationality grid, "
            f"expected {ranks - 1} (cells of {ranks} ranks)"
        )
    return [min(c) for c in clusters]


def _first_cell_start(row: Sequence[Line], limit: float, tolerance: float) -> float | None:
    """Where the row's first cell starts: after the longest label (words left of it) that names a place,
    with a share figure in what follows up to `limit`. Longest, so "Bosnia" / "and Herzegovina" is one
    label and "Kosovo (UNSCR 1244)" keeps its qualifier."""
    row_words = [w for line in row for w in line.text_words]
    candidates = sorted({w.x0 for w in row[0].text_words if w.x0 < limit}, reverse=True)
    for start in candidates:
        label = [w for w in row_words if w.x0 < start - tolerance]
        cell = [w for w in row_words if start - tolerance <= w.x0 < limit]
        if label and place_code(words_text(label)) and any(_SHARE_TOKEN.match(plain(w.text)) for w in cell):
            return start
    return None


def ranks_by_country_grid(section: Section, period: tuple[dt.date, dt.date]) -> list[Fact]:
    """A grid with countries as columns (header) and ranks as rows ("1.", "2.", "3." at the left)."""
    lines = section.lines()
    header, body = split_header(lines)
    if not header:
        raise AnchorNotFoundError(f"{section.where}: no header of country names over the nationality grid")
    columns = header_columns([w for line in header for w in line.words], place_code, section.where)
    starts = [c.x0 - HEADER_START_TOLERANCE * c.words[0].size for c in columns]
    facts: list[Fact] = []
    seen: set[int] = set()
    for row in grid_rows([w for line in body for w in line.words]):
        row_words = [w for line in row for w in line.text_words]
        label_words = [w for w in row_words if w.x1 <= starts[0]]
        match = re.fullmatch(r"(\d+)\.?", words_text(label_words))
        if match is None:
            raise LayoutChangedError(f"{section.where}: unknown rank label {words_text(label_words)!r}")
        rank = int(match[1])
        if rank in seen:
            raise LayoutChangedError(f"{section.where}: rank {rank} appears twice in the nationality grid")
        seen.add(rank)
        for index, column in enumerate(columns):
            right = starts[index + 1] if index + 1 < len(starts) else float("inf")
            cell_words = [w for w in row_words if starts[index] <= w.x0 < right and w not in label_words]
            if not cell_words:
                raise LayoutChangedError(
                    f"{section.where}: no nationality of rank {rank} for {words_text(column.words)!r}"
                )
            cell = nationality_cell(cell_words, section.where)
            facts.extend(nationality_facts(section, str(column.key), rank, cell, period))
    if not facts:
        raise AnchorNotFoundError(f"{section.where}: no rank row in the nationality grid")
    return facts


# --- Reception facility panels ------------------------------------------------------------------------------

#: Indicator and unit of each reception metric, by the label the report prints.
RECEPTION_METRICS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"(?:migrants\s+)?accommodated|occupancy\s*\(persons\)|persons\s+accommodated", re.I),
        "reception_occupancy",
        "persons",
    ),
    (re.compile(r"occupancy\s+rate|occupancy\s*\(%\)|occupancy", re.I), "reception_occupancy_rate", "percent"),
    (re.compile(r"(?:reception\s+)?(?:centres|centers|centre|center|facilities)", re.I), "reception_centres", "count"),
    (re.compile(r"capacity", re.I), "reception_capacity", "persons"),
)


def reception_metric(text: str) -> tuple[str, str] | None:
    """(indicator, unit) of a reception metric label, or None."""
    text = plain(text)
    for pattern, indicator, unit in RECEPTION_METRICS:
        if pattern.fullmatch(text):
            return indicator, unit
    return None


_METRIC_LABEL_RE = re.compile(
    r"Migrants\s+accommodated|Occupancy\s+rate|(?:Reception\s+)?Cent(?:re|er)s?|Capacity", re.I
)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return min(a[1], b[1]) - max(a[0], b[0])


def reception_panels(section: Section, date: dt.date) -> list[Fact]:
    """Country panels ("Albania" over Centres / Capacity / Migrants accommodated / Occupancy rate), read
    panel row by panel row: a band of titles, then metric lines split at each metric label."""
    lines = section.lines()
    seen_geo: set[str] = set()
    facts: list[Fact] = []
    title_band: list[Line] = []
    panels: list[tuple[object, dict[tuple[str, str], Figure]]] = []

    def flush() -> None:
        for title, values in panels:
            geo = str(title.key)
            if geo in seen_geo:
                raise LayoutChangedError(f"{section.where}: panel {words_text(title.words)!r} appears twice")
            seen_geo.add(geo)
            missing = {m[1] for m in RECEPTION_METRICS} - {indicator for indicator, _ in values}
            if missing:
                raise LayoutChangedError(
                    f"{section.where}: panel {words_text(title.words)!r} lacks {', '.join(sorted(missing))}"
                )
            for (indicator, unit), figure in values.items():
                facts.append(fact_of(section, indicator, geo, (date, date), figure, unit, TABLE))

    for line in lines:
        matches = list(search_line(line, _METRIC_LABEL_RE))
        if not matches:
            title_band.append(line)
            continue
        if title_band:
            flush()
            titles = header_columns([w for tl in title_band for w in tl.words], place_or_total, section.where)
            panels = [(title, {}) for title in titles]
            title_band = []
        if not panels:
            raise LayoutChangedError(f"{section.where}: reception metrics with no country panel title above them")
        words = list(line.text_words)
        for index, match in enumerate(matches):
            # The figure may touch a long label ("Migrants accommodated3,068"): cut by word order, not x.
            start = words.index(match.words[-1]) + 1
            end = words.index(matches[index + 1].words[0]) if index + 1 < len(matches) else len(words)
            value_words = words[start:end]
            figures = figures_in(value_words)
            if len(figures) != 1 or len(figures[0].words) != len(value_words):
                raise LayoutChangedError(
                    f"{section.where}: reception metric {match.text!r} is followed by "
                    f"{' '.join(w.text for w in value_words)!r}, not one figure"
                )
            metric = reception_metric(match.text)
            if metric is None:
                raise LayoutChangedError(f"{section.where}: unknown reception metric {match.text!r}")
            span = (match.words[0].x0, figures[0].x1)
            title, values = max(panels, key=lambda p: _overlap(span, (p[0].x0, p[0].x1)))
            if _overlap(span, (title.x0, title.x1)) <= 0:
                raise LayoutChangedError(f"{section.where}: reception metric {match.text!r} is under no country panel")
            if metric in values:
                raise LayoutChangedError(f"{section.where}: panel {words_text(title.words)!r} repeats {match.text!r}")
            values[metric] = figures[0]
    flush()
    if not facts:
        raise AnchorNotFoundError(f"{section.where}: no reception facility panel under the heading")
    return facts
