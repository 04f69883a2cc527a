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

from ...context import ReportContext, unit_of
from ...document import Document, Line, Page, Word, group_lines, search_line, union_bbox
from ...errors import AnchorNotFoundError, LayoutChangedError, SectionUnreadableError
from ...facts import Fact
from ...geo import REGION, WB_COUNTRIES, place_code, resolve_nationality
from ...integrity import marks_without_notes
from ...labels import checked_label
from ...layout import (
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
from ...layout.settings import DEFAULT
from ...months import MONTH_NAME_PATTERN, month_end, month_number, month_period, year_period, year_to_date, years_period
from ...numbers import PrintedNumber, parse_number

TEXT = "text"
TABLE = "pdfplumber-table"
CHART = "chart-labels"

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
    anchors = tuple(dict.fromkeys((*boundaries, heading)))  # one order for every section: one pass per page
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


# --- Complete tables or none ---------------------------------------------------------------------------------

#: The places a table of the six Western Balkans countries and territories prints, with and without its total.
SIX_PLACES: tuple[str, ...] = WB_COUNTRIES
SIX_AND_TOTAL: tuple[str, ...] = (*WB_COUNTRIES, REGION)


def unknown_labels_since(section: Section, count_before: int) -> int:
    """Rows skipped in this section since `count_before` problems because no resolver knew their label.

    They were printed: a table that lacks a row only because its label is unknown is still complete
    (the row is reported as an `unknown_label` problem, not lost).
    """
    return sum(
        1
        for problem in section.context.problems[count_before:]
        if problem.rule == "unknown_label" and problem.section == section.context.section
    )


def require_complete(
    section: Section,
    what: str,
    found: Sequence[object],
    expected: Sequence[object],
    count_before: int,
    words: Sequence[Word] = (),
) -> None:
    """Refuse a table or chart that lacks a row, column or series its design always prints.

    `expected` is what the design declares (the six places, the months of an axis, ranks 1..N); what is
    missing is named. Rows skipped for an unknown label count as printed.
    """
    missing = [key for key in expected if key not in found]
    if missing and len(missing) > unknown_labels_since(section, count_before):
        box = union_bbox(words) if words else union_bbox(section.heading.line.words)
        raise SectionUnreadableError(
            f"{section.where}: the {what} lacks {', '.join(str(k) for k in missing)} "
            f"(it prints {', '.join(str(k) for k in expected)}); read {len(found)} of {len(expected)}",
            page=section.page.number,
            bbox=box,
            printed=words_text(words) if words else None,
        )


def require_consecutive_months(section: Section, months: Sequence[tuple[int, int]], words: Sequence[Word]) -> None:
    """A chart's axis runs month after month and ends with the report's month; anything else is refused."""
    context = section.context
    for (y0, m0), (y1, m1) in zip(months, months[1:], strict=False):
        if (y1, m1) != ((y0, m0 + 1) if m0 < 12 else (y0 + 1, 1)):
            raise SectionUnreadableError(
                f"{section.where}: the chart axis is not consecutive months: {y0}-{m0:02d} is followed by "
                f"{y1}-{m1:02d}",
                page=section.page.number,
                bbox=union_bbox(words),
                printed=words_text(words),
            )
    if months and months[-1] != (context.year, context.month):
        last = months[-1]
        raise SectionUnreadableError(
            f"{section.where}: the chart axis ends with {last[0]}-{last[1]:02d}, not the report month "
            f"{context.report_month}",
            page=section.page.number,
            bbox=union_bbox(words),
            printed=words_text(words),
        )


_NOT_AVAILABLE_RE = re.compile(r"\bnot\s+available\b", re.I)
_NOTE_NAMES_RE = re.compile(r"(?:\bto|\bfor|\bon)\s+(?P<names>(?:(?!\bto\b|\bfor\b|\bis\b|\bare\b).)+)", re.I)


def places_without_nationality_data(document: Document) -> set[str]:
    """Places the issue says it has no nationality data for ("Data on nationalities on arrivals to Serbia
    is not available", "Nationality data is not available for Albania, Serbia and Kosovo")."""
    text = " ".join(document.text.split())
    places: set[str] = set()
    for found in _NOT_AVAILABLE_RE.finditer(text):
        start, end = text.rfind(".", 0, found.start()) + 1, text.find(".", found.end())
        sentence = text[start : end if end >= 0 else len(text)]
        if not re.search(r"nationalit", sentence, re.I):
            continue
        for match in _NOTE_NAMES_RE.finditer(sentence):
            names = re.sub(r"\s+(?:is|are)?\s*not\s+available.*$", "", match["names"], flags=re.I)
            places |= _places_listed(names)
    return places


def _places_listed(text: str) -> set[str]:
    """Places of a list "Albania, Bosnia and Herzegovina and Kosovo" (an "and" may be inside a name)."""
    places: set[str] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        code = place_code(part)
        if code is not None:
            places.add(code)
            continue
        words = part.split()
        for cut in range(1, len(words)):
            if words[cut].lower() != "and":
                continue
            left, right = place_code(" ".join(words[:cut])), place_code(" ".join(words[cut + 1 :]))
            if left and right:
                places |= {left, right}
                break
    return places - {REGION}


# --- Periods and labels -------------------------------------------------------------------------------------


def period_in(text: str, context: ReportContext, where: str = "") -> tuple[dt.date, dt.date] | None:
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
        years = sorted({int(found["year"]) for found in _YEAR_RE.finditer(text)})
        if len(years) > 1:  # "from 2016 14 to 2023": a stray number broke the range; no one year is right
            raise LayoutChangedError(
                f"{where or context.file_name}: the label {text!r} names the years {years} but no period between them"
            )
        year = int(match["year"])
        return year_to_date(year, context.month) if year == context.year else year_period(year)
    return None


def place_or_total(text: str) -> str | None:
    """The geo code of a country label, `WB` for a Total / Western Balkans label, else None."""
    if _TOTAL_RE.match(plain(text).strip(" :")):
        return REGION
    return place_code(text)


def non_final_note(document: Document, where: str = "") -> bool:
    """True when the issue says its figures are non-final ("data ... is non-final and subject to ...").

    Raises
    ------
    SectionUnreadableError
        When no note says so but a footnote mark's note could not be read: that note may be the one,
        and a non-final figure must never be published as final.
    """
    if _NON_FINAL_RE.search(document.text):
        return True
    unread = marks_without_notes(document)
    if unread:
        number, mark = unread[0]
        raise SectionUnreadableError(
            f"{where or document.name}: footnote {number} (page {mark.page}) has no readable note, so whether "
            "the figures are final cannot be told",
            page=mark.page,
            bbox=mark.bbox,
            printed=mark.text,
        )
    return False


def fact_of(
    section: Section,
    indicator: str,
    geo: str,
    period: tuple[dt.date, dt.date],
    figure: Figure,
    method: str,
    **kwargs: object,
) -> Fact:
    """A fact of the figure, after checking it is printed as its unit says (a share with %, a count without)."""
    unit = unit_of(indicator)
    if figure.number.value is not None and figure.number.percent != (unit in ("percent", "percentage_points")):
        raise LayoutChangedError(
            f"{section.where}: {indicator} {geo} printed as {figure.text!r}, expected a {unit} figure"
        )
    return section.context.fact(indicator, geo, period, figure.number.value, figure.words, method, **kwargs)


def labelled_headlines(section: Section, top: float | None = None, bottom: float | None = None) -> list[LabelledFigure]:
    """The section's headline figures with their labels."""
    words = section.words(top, bottom)
    labelled = label_figures(headline_figures(words, section.page.words), words)
    _require_one_figure_per_label(section, labelled)
    return labelled


def _require_one_figure_per_label(section: Section, labelled: Sequence[LabelledFigure]) -> None:
    """A label belongs to the one figure whose block it sits in; words in the blocks of two figures (blocks
    moved out of line, so one figure's label runs under another's) make the pairing a guess: refused."""
    owner: dict[int, LabelledFigure] = {}
    for headline in labelled:
        for word in headline.label:
            other = owner.setdefault(id(word), headline)
            if other is not headline:
                shared = [w for w in headline.label if id(w) in owner and owner[id(w)] is other]
                raise SectionUnreadableError(
                    f"{section.where}: the label {words_text(shared)!r} sits in the blocks of two headline "
                    f"figures ({other.figure.text!r} and {headline.figure.text!r}); which it labels is ambiguous",
                    page=section.page.number,
                    bbox=union_bbox([*other.figure.words, *headline.figure.words, *shared]),
                    printed=words_text(shared),
                )


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
    places: Sequence[str] = SIX_AND_TOTAL,
) -> list:
    """Read a table of countries (columns) by rows whose labels `classify_row` understands; every one of
    `places` must head a column."""
    header, body = split_header(lines)
    if not header:
        raise AnchorNotFoundError(f"{section.where}: no table header of country names under the heading")
    before = len(section.context.problems)
    header_words = [w for line in header for w in line.words]
    columns = header_columns(header_words, classify_column, section.where)
    require_complete(section, "table header", [c.key for c in columns], places, before, header_words)
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
    require_consecutive_months(section, [(a.year, a.month) for a in axis], [w for a in axis for w in a.words])
    pairs = match_to_axis(chart_labels(above), axis, section.where)
    return [((a.year, a.month), label) for a, label in pairs], below, axis


# --- Nationality grids --------------------------------------------------------------------------------------

_SHARE_TOKEN = re.compile(r"^\(?\s*(\d+(?:\.\d+)?)\s*%\s*\)?$")


@dataclasses.dataclass(frozen=True)
class NationalityCell:
    """One "Syrian Arab Republic (36%) ↓ -8%" cell: nationality code, share and change figures.

    `code` is None when no resolver knows the printed name (`name`, `name_words`): its figures are
    never published under a guess. `how` says how the name matched (`exact`, `alias`, `fuzzy`).
    """

    code: str | None
    share: Figure
    change: Figure
    name: str = ""
    name_words: tuple[Word, ...] = ()
    how: str | None = None


def nationality_cell(words: Sequence[Word], where: str) -> NationalityCell:
    """Parse a grid cell: a name (maybe wrapped), its share, and the signed change with its arrow."""
    ordered = [w for line in group_lines(words) for w in line.text_words]
    share_index = next((i for i, w in enumerate(ordered) if _SHARE_TOKEN.match(plain(w.text))), None)
    text = " ".join(w.text for w in ordered)
    if share_index is None or share_index == 0:
        raise LayoutChangedError(f"{where}: nationality cell {text!r} has no 'Name (NN%)'")
    name = " ".join(plain(w.text) for w in ordered[:share_index])
    resolved = resolve_nationality(name)
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
    return NationalityCell(
        resolved.code if resolved else None,
        share,
        Figure(change.words, number),
        name=name,
        name_words=tuple(ordered[:share_index]),
        how=resolved.how if resolved else None,
    )


def _share_number(word: Word) -> PrintedNumber:
    return parse_number(plain(word.text))


def nationality_facts(
    section: Section, geo: str, rank: int, cell: NationalityCell, period: tuple[dt.date, dt.date]
) -> list[Fact]:
    if not checked_label(section.context, "nationality", cell.code, cell.how, cell.name, cell.name_words):
        return []
    breakdown = f"nationality:{cell.code}"
    share = fact_of(
        section, "arrival_nationality_share", geo, period, cell.share, TABLE, breakdown=breakdown, rank=rank
    )
    change = fact_of(
        section,
        "arrival_nationality_share_change",
        geo,
        period,
        cell.change,
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
    before = len(section.context.problems)
    rows = grid_rows(words)
    if not rows:
        raise AnchorNotFoundError(f"{section.where}: no country row in the nationality grid")
    size = median_word_size(words)
    tolerance = DEFAULT.header_start_tolerance * size
    starts = _later_cell_starts(rows, ranks, tolerance, section.where)
    facts: list[Fact] = []
    seen: set[str] = set()
    firsts = [_first_cell_start(row, starts[0] - tolerance, tolerance) for row in rows]
    # Cells are left-aligned: a row whose label names no place we know has its first cell where the
    # others' start, so only that row is held back (an `unknown_label`), not the whole grid.
    known_firsts = [f for f in firsts if f is not None]
    for row, first in zip(rows, firsts, strict=True):
        row_words = [w for line in row for w in line.words]
        if first is None and known_firsts:
            first = min(known_firsts)
        if first is None:
            text = " ".join(line.text for line in row)
            raise LayoutChangedError(f"{section.where}: no country label and first cell in the grid row {text!r}")
        bounds = [first, *starts, float("inf")]
        label_words = [w for w in row_words if w.x0 < first - tolerance]
        label = words_text(label_words)
        geo = place_code(label)
        if not label_words:
            text = " ".join(line.text for line in row)
            raise LayoutChangedError(f"{section.where}: no country label in the grid row {text!r}")
        if not checked_label(section.context, "country", geo, None, label, label_words):
            continue
        if geo in seen:
            raise LayoutChangedError(f"{section.where}: country {label!r} appears twice in the nationality grid")
        seen.add(geo)
        for rank in range(1, ranks + 1):
            left, right = bounds[rank - 1] - tolerance, bounds[rank] - tolerance
            cell_words = [w for w in row_words if left <= w.x0 < right]
            if not cell_words:
                raise LayoutChangedError(f"{section.where}: {label!r} has no nationality of rank {rank}")
            facts.extend(nationality_facts(section, geo, rank, nationality_cell(cell_words, section.where), period))
    _require_grid_places(section, seen, words, before)
    return facts


def _require_grid_places(section: Section, found: set[str], words: Sequence[Word], before: int) -> None:
    """The grid prints every place but those its note says have no nationality data (every sample lacks Serbia)."""
    noted = places_without_nationality_data(section.document)
    both = sorted(found & noted)
    if both:
        raise SectionUnreadableError(
            f"{section.where}: the nationality grid prints {', '.join(both)}, which its note says has no data",
            page=section.page.number,
            bbox=union_bbox(words) if words else None,
        )
    expected = [g for g in SIX_PLACES if g not in noted]
    require_complete(section, "nationality grid", sorted(found), expected, before, words)


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
    before = len(section.context.problems)
    header_words = [w for line in header for w in line.words]
    columns = header_columns(header_words, place_code, section.where)
    _require_grid_places(section, {str(c.key) for c in columns}, header_words, before)
    starts = [c.x0 - DEFAULT.header_start_tolerance * c.words[0].size for c in columns]
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
    require_complete(section, "nationality grid's ranks", sorted(seen), [1, 2, 3], len(section.context.problems))
    return facts


# --- Reception facility panels ------------------------------------------------------------------------------

#: The indicator of each reception metric, by the label the report prints.
RECEPTION_METRICS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"(?:migrants\s+)?accommodated|occupancy\s*\(persons\)|persons\s+accommodated", re.I),
        "reception_occupancy",
    ),
    (re.compile(r"occupancy\s+rate|occupancy\s*\(%\)|occupancy", re.I), "reception_occupancy_rate"),
    (re.compile(r"(?:reception\s+)?(?:centres|centers|centre|center|facilities)", re.I), "reception_centres"),
    (re.compile(r"capacity", re.I), "reception_capacity"),
)


def reception_metric(text: str) -> tuple[str, str] | None:
    """(indicator, unit) of a reception metric label, or None."""
    text = plain(text)
    for pattern, indicator in RECEPTION_METRICS:
        if pattern.fullmatch(text):
            return indicator, unit_of(indicator)
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
    before = len(section.context.problems)
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
            for (indicator, _unit), figure in values.items():
                facts.append(fact_of(section, indicator, geo, (date, date), figure, TABLE))

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
    require_complete(section, "reception panels", sorted(seen_geo), SIX_AND_TOTAL, before, section.words())
    return facts
