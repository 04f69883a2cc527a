"""Extractor for UNHCR's "Western Balkans — Refugees, asylum-seekers and other people in mixed movements".

A two-page landscape snapshot laid out in columns. Each section is found by its heading and read
inside the block that heading introduces (see `extractors.layout.blocks`); nothing is read at fixed
coordinates. Indicators (DATA_CONTRACT.md, UNHCR table; all `geo` WB unless per country):

- `new_arrivals`: key figures (January-<Month> of the report year and of the year before) and,
  per country, the bar chart (v2024) or the "New arrivals by country" table (v2023).
- `mixed_movement_transits` (+ `_change`): the mixed-movements estimate and its change on last year.
- `asylum_intentions`, `asylum_applications`, `asylum_application_intention_ratio`.
- `persons_present`: at the end of the month (WB; per country in the v2023 table) and at the end of
  each earlier month of the chart. `persons_present_share`: per country, from prose or table.
- `persons_present_nationality_share`: most common nationalities, ranked as the chart prints them.
- `uasc_present`: unaccompanied and separated children present at the end of the month.

Every figure this report prints has a contract name, so no family-specific indicator is added
(`docs/INDICATORS.md`). Figures printed twice are kept once: the new-arrivals headline rather
than the v2023 table's Total row, the month-end stock from the text rather than the last bar
of the by-month chart or the table's Western Balkans row, and UASC from its own box rather
than the sentence that repeats it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import statistics
from collections import Counter
from collections.abc import Callable

from ...context import ReportContext, unit_of
from ...document import Document, Page, Word, union_bbox
from ...errors import AnchorNotFoundError, LayoutChangedError, SectionUnreadableError
from ...facts import Fact
from ...geo import REGION, WB_COUNTRIES, place_code, resolve_nationality
from ...labels import checked_label
from ...layout import AxisMonth
from ...layout.blocks import (
    Box,
    Prose,
    Row,
    Segment,
    column_of,
    document_body_size,
    figure_beside,
    figure_in_block,
    find_phrases,
    header_cells,
    headings,
    inside,
    labelled_rows,
    locate_block,
    match_to_axis,
    month_axis,
    number_words,
    page_segments,
    panel_around,
    printed,
    reading_order,
    segments,
    shares_in_prose,
    stacked,
)
from ...layout.headings import classify
from ...layout.settings import DEFAULT
from ...months import MONTH_NAME_PATTERN, month_end, month_number, month_period, year_period, year_to_date
from ...numbers import parse_number
from .headings import HEADINGS

_MONTH = f"(?:{MONTH_NAME_PATTERN})"

# "as of end June 2023", "as of end December 2024", "New arrivals: January-December 2024".
_AS_OF_RE = re.compile(
    rf"as\s+of\s+(?:the\s+)?end\s+(?:of\s+)?(?P<month>{_MONTH})\s+(?P<year>\d{{4}})",
    re.I,
)
_JANUARY_TO_RE = re.compile(rf"January\s*[-–]\s*(?P<month>{_MONTH})\s+(?P<year>\d{{4}})", re.I)

#: "January-December 2024", "Jan - Nov 2024", "January 2025": a printed period within one year.
_PERIOD_RE = re.compile(
    rf"\b(?P<first>{_MONTH})\.?(?:\s*(?:[-–—]|to)\s*(?P<last>{_MONTH})\.?)?\s+(?P<year>\d{{4}})\b",
    re.I,
)
#: "Between January and December," / "From January to June 2023,": the span a sentence covers.
_SPAN_RE = re.compile(
    rf"\b(?:between|from)\s+(?P<first>{_MONTH})\s+(?:and|to|-)\s+(?P<last>{_MONTH})\b,?(?:\s+(?P<year>\d{{4}}))?",
    re.I,
)
#: Words before a figure that say how exact it is, as the truth files read them.
_QUALIFIERS: dict[str, str | None] = {
    "some": "approximate",
    "about": "approximate",
    "around": "approximate",
    "approximately": "approximate",
    "roughly": "approximate",
    "nearly": "approximate",
    "almost": "approximate",
    "over": "approximate",
    "more than": "approximate",
    "an estimated": "estimate",
    "estimated": "estimate",
    "a total of": None,
}
_QUALIFIER_WORDS = "|".join(sorted((re.escape(k).replace(r"\ ", r"\s+") for k in _QUALIFIERS), key=len, reverse=True))
#: A count as prose prints it: thousands separated by a comma or a (no-break, thin) space, or none.
#: A whole printed figure: never the tail or head of a longer token ("661" of a damaged "4Ȍ661").
_FIGURE = r"(?<![\w,.])(?:\d{1,3}(?:[,\u00a0\u2009\u202f]\d{3})+|\d+)(?!\w|[,.]\d)"
_PEOPLE = r"(?:refugees|persons|people|migrants|individuals)"
#: "some 17,500 refugees", "A total of 4,661 refugees", "an estimated 10,900 refugees": a headcount.
_HEADCOUNT_RE = re.compile(rf"(?:\b(?P<qual>{_QUALIFIER_WORDS})\s+)?(?P<n>{_FIGURE})\s+{_PEOPLE}\b", re.I)
_CHANGE_RE = re.compile(
    r"(?P<sign>[-−–+])?\s*(?P<pct>(?<![\w,.])\d+(?:\.\d+)?)\s*%\s+"
    r"(?P<dir>less|fewer|lower|decrease|decline|drop|more|higher|increase|rise)\b",
    re.I,
)
#: "a decrease of 43%": the direction printed before the figure.
_CHANGE_BEFORE_RE = re.compile(
    r"\b(?P<dir>decrease|decline|drop|fall|increase|rise)\s+of\s+(?P<sign>[-−–+])?\s*(?P<pct>(?<![\w,.])\d+(?:\.\d+)?)\s*%",
    re.I,
)
#: "-43% compared to ...": only a sign says which way.
#: Words of a comparison with another period, in the sentence that gives the estimate.
_COMPARISON_RE = re.compile(r"\bthan\b|\bcompared\b|\blast\s+year\b|\bprevious\s+year\b|\bsame\s+period\b", re.I)


def _sentence_after(text: str, start: int) -> str:
    """The rest of the sentence that runs at `start` (up to a full stop that ends it)."""
    end = re.compile(r"\.(?:\s|$)").search(text, start)
    return text[start : end.start() if end else len(text)]


_SIGNED_CHANGE_RE = re.compile(r"(?P<sign>[-−–+])\s*(?P<pct>(?<![\w,.])\d+(?:\.\d+)?)\s*%")
_FALLING = {"less", "fewer", "lower", "decrease", "decline", "drop", "fall"}

_UASC_ANCHOR = HEADINGS[-1]
_LABEL_HEADER = re.compile(r"(?:countr(?:y|ies)|country\s*/\s*territory|location|place)\W*", re.I)
#: A shaded note panel starts a block of its own, so neighbouring blocks stop at it.
_PANEL_START = r"^Note\s*:"

#: This family's layout tolerances: its key figures are 22 pt in blocks of 7-8 pt body text, so a
#: headline figure is at least 1.6 times the block's median word size.
SETTINGS = dataclasses.replace(DEFAULT, figure_size_ratio=1.6)


def report_month(document: Document) -> tuple[int, int]:
    """The month a snapshot covers: 'as of end <Month YYYY>' by majority, else the latest 'January-<Month> YYYY'."""
    text = " ".join(document.text.split())
    votes = Counter((int(m["year"]), month_number(m["month"])) for m in _AS_OF_RE.finditer(text))
    if votes:
        return votes.most_common(1)[0][0]
    spans = [(int(m["year"]), month_number(m["month"])) for m in _JANUARY_TO_RE.finditer(text)]
    if not spans:
        raise AnchorNotFoundError(
            f"{document.name}: no reporting month found (looked for 'as of end <Month YYYY>' "
            "and 'January-<Month> YYYY')"
        )
    return max(spans)


# --- shared helpers -----------------------------------------------------------------------------


def _where(context: ReportContext, section: str, page: int | None = None) -> str:
    place = f", page {page}" if page is not None else ""
    return f"{context.file_name} ({context.report_id}): section {section!r}{place}"


def _block(document: Document, context: ReportContext, section: str, heading: str) -> tuple[Segment, Box]:
    return locate_block(document.pages, heading, HEADINGS, where=_where(context, section), extra_starts=_PANEL_START)


def _stock(context: ReportContext) -> tuple[dt.date, dt.date]:
    end = month_end(context.year, context.month)
    return end, end


def _period_of(text: str) -> tuple[dt.date, dt.date] | None:
    """The one period a caption prints ("January-December 2024"), or None when it prints none or two."""
    found = list(_PERIOD_RE.finditer(text))
    if len(found) != 1:
        return None
    match = found[0]
    year = int(match["year"])
    first = month_number(match["first"])
    last = month_number(match["last"]) if match["last"] else first
    return month_period(year, first)[0], month_end(year, last)


def _span_of(text: str, context: ReportContext) -> tuple[dt.date, dt.date]:
    """The months a sentence says it covers, in the printed year or the report's; year to date otherwise."""
    match = _SPAN_RE.search(text)
    if match is None:
        return year_to_date(context.year, context.month)
    year = int(match["year"]) if match["year"] else context.year
    return dt.date(year, month_number(match["first"]), 1), month_end(year, month_number(match["last"]))


def _qualifier(words: str | None) -> str | None:
    if not words:
        return None
    return _QUALIFIERS.get(" ".join(words.lower().split()))


def _value(word: Word, where: str) -> float | None:
    try:
        return printed(word).value
    except ValueError:
        raise LayoutChangedError(f"{where}: {word.text!r} is not a figure") from None


def _is_count(word: Word) -> bool:
    """A bare count as charts and tables print it (not "(1999))" left over from a wrapped Kosovo label)."""
    return "(" not in word.text and ")" not in word.text and bool(number_words([word], percent=False))


def _is_percent(word: Word) -> bool:
    return "(" not in word.text and ")" not in word.text and bool(number_words([word], percent=True))


def _require_places(
    codes: list[str], context: ReportContext, where: str, words: list[Word], *, what: str = "rows"
) -> None:
    """A table or chart that prints all six Western Balkans places must read all six, each once.

    A row whose label no resolver knows is recorded as an `unknown_label` problem of this section (by
    the name resolution) and skipped; it was printed, so it counts as present. Anything else missing or
    read twice is SectionUnreadableError: never a shorter table.
    """
    places = [c for c in codes if c in WB_COUNTRIES]
    twice = sorted({c for c in places if places.count(c) > 1})
    # Unknown rows are kept in `codes` as None (`labelled_rows(keep_unknown=True)`); a reader that dropped
    # them has recorded their problems already.
    recorded = sum(p.rule == "unknown_label" and p.section == context.section for p in context.problems)
    unknown = max(sum(c is None for c in codes), recorded)
    missing = [c for c in WB_COUNTRIES if c not in places]
    if twice or len(missing) > unknown:
        detail = f"{', '.join(twice)} read twice" if twice else f"no {what} for {', '.join(missing)}"
        raise SectionUnreadableError(
            f"{where}: {detail} (all six Western Balkans places are printed)",
            page=words[0].page if words else None,
            bbox=union_bbox(words) if words else None,
        )


def _require_no_rows_below(
    box: Box, rows: list[Row], resolve: Callable[[str], str | None], is_value: Callable[[Word], bool], where: str
) -> None:
    """A ranked chart whose block ends before its last bar would read as a shorter list, with nothing to
    show for it (its length is not fixed). A label of the row kind with a value beside it just under the
    block (within two row pitches, in the label column) means the block was cut: SectionUnreadableError.
    """
    labels = [row.label for row in rows]
    column_x0 = min(label.x0 for label in labels)
    tops = sorted(label.top for label in labels)
    pitch = max((b - a for a, b in zip(tops, tops[1:], strict=False)), default=box.bottom - box.top)
    below = Box(box.page, box.x0, box.bottom, box.x1, box.bottom + 2 * pitch)
    words = below.words()
    for segment in below.segments():
        if abs(segment.x0 - column_x0) > SETTINGS.column_slack or resolve(segment.text) is None:
            continue
        beside = [
            w for w in words if w.x0 > segment.x1 and abs(w.y_center - segment.y_center) <= pitch / 2 and is_value(w)
        ]
        if beside:
            raise SectionUnreadableError(
                f"{where}: the row {segment.text!r} under the chart's block is cut off from it",
                page=box.page.number,
                bbox=union_bbox([*segment.words, *beside]),
                printed=segment.text,
            )


def _column_prose(box: Box, heading: Segment) -> Prose:
    """The running text under a heading: the lines that start at the heading's left edge.

    A block whose right neighbour was not recognised as a heading would reach into the next column;
    lines of that column start elsewhere, so a figure printed there never joins this text's sentences.
    """
    lines = [s for s in box.segments() if abs(s.x0 - heading.x0) <= SETTINGS.column_slack]
    return Prose.of(w for s in lines for w in s.words)


def _median_size(words: list[Word]) -> float:
    return statistics.median(w.size for w in words) if words else 0.0


# --- v2024 and v2023 sections -------------------------------------------------------------------


def read_key_figures(document: Document, context: ReportContext) -> list[Fact]:
    """Headline new arrivals: each big figure with the period its own caption prints.

    A figure's caption is the one inside the panel (box) that holds the figure; where no panel is drawn,
    the nearest caption above or below it, which must have no nearer figure of its own. Boxes moved,
    swapped or resized keep their captions; a caption two figures could claim is SectionUnreadableError.
    """
    heading, box = _block(document, context, "key_figures", "key_figures")
    where = _where(context, "key_figures", heading.page)
    words = box.words()
    body = _median_size(words)
    big = [w for w in number_words(words, percent=False) if w.size >= SETTINGS.figure_size_ratio * body]
    # Each printed period is a caption candidate on its own: two captions may run into one line.
    captions = find_phrases(segments(words), _PERIOD_RE.pattern)
    facts: list[Fact] = []
    claimed: list[Segment] = []
    for number in big:
        caption = _caption_of(box.page, number, big, captions, where)
        period = _period_of(caption.text)
        if period is None:
            raise LayoutChangedError(f"{where}: caption {caption.text!r} of {number.text!r} names no single period")
        claimed.append(caption)
        facts.append(context.fact("new_arrivals", REGION, period, _value(number, where), [number], "text"))
    # A caption printed in line with a key figure's caption, in its size, is a key figure's caption too: one
    # no figure claims lost its figure (damage, or a figure we cannot read), and the key figures are partial.
    for caption in captions:
        if any(caption is c for c in claimed):
            continue
        if any(abs(caption.top - c.top) < 2 and abs(caption.size - c.size) < 0.5 for c in claimed):
            raise SectionUnreadableError(
                f"{where}: key figure caption {caption.text!r} has no figure",
                page=box.page.number,
                bbox=caption.bbox,
                printed=caption.text,
            )
    return facts


def _caption_of(page: Page, number: Word, big: list[Word], captions: list[Segment], where: str) -> Segment:
    panel = panel_around(page, number.bbox)
    if panel is not None:
        own = [c for c in captions if inside(panel, c.bbox)]
        if len(own) == 1 and sum(inside(panel, w.bbox) for w in big) == 1:
            return own[0]
        raise SectionUnreadableError(
            f"{where}: the box of key figure {number.text!r} holds {len(own)} period captions",
            page=page.number,
            bbox=panel,
            printed=number.text,
        )

    def gap(caption: Segment, figure: Word) -> float:
        return caption.top - figure.bottom if caption.top >= figure.top else figure.top - caption.bottom

    def overlaps(caption: Segment, figure: Word) -> bool:
        return caption.x0 < figure.x1 and caption.x1 > figure.x0

    near = [c for c in captions if overlaps(c, number)]
    if not near:
        raise LayoutChangedError(f"{where}: key figure {number.text!r} has no period caption above or below it")
    caption = min(near, key=lambda c: gap(c, number))
    rivals = [f for f in big if f is not number and overlaps(caption, f)]
    if any(gap(caption, f) <= gap(caption, number) for f in rivals):
        raise SectionUnreadableError(
            f"{where}: caption {caption.text!r} is as near another key figure as it is to {number.text!r}",
            page=page.number,
            bbox=union_bbox([number, *caption.words]),
            printed=caption.text,
        )
    return caption


def _legend(box: Box) -> list[Segment]:
    """Legend entries of a chart: the periods of lines that print nothing else, in reading order."""
    entries = [s for s in box.segments() if not _PERIOD_RE.sub("", " ".join(s.text.split())).strip()]
    # Two entries close together read as one segment: each printed period is an entry.
    return reading_order(find_phrases(entries, _PERIOD_RE.pattern))


def read_arrivals_chart(document: Document, context: ReportContext) -> list[Fact]:
    """v2024 bar chart: per country one bar per legend period, in legend order from the top of each pair."""
    heading, box = _block(document, context, "arrivals_by_country", "arrivals_chart")
    where = _where(context, "arrivals_by_country", heading.page)
    legend = _legend(box)
    if not legend:
        raise LayoutChangedError(f"{where}: no legend of periods above the chart")
    periods = [_period_of(entry.text) for entry in legend]
    if None in periods:
        raise LayoutChangedError(f"{where}: a legend entry names no single period")
    chart = Box(box.page, box.x0, max(e.bottom for e in legend) + 0.5, box.x1, box.bottom)
    rows = labelled_rows(chart, place_code, _is_count, where=where, keep_unknown=True)
    if not rows:
        raise LayoutChangedError(f"{where}: no country labels beside the bars")
    _require_places([row.label.code for row in rows], context, where, chart.words(), what="bars")
    facts: list[Fact] = []
    for row in rows:
        if not checked_label(context, "country", row.label.code, None, row.label.text, row.label.words):
            continue
        if len(row.values) != len(periods):
            raise LayoutChangedError(
                f"{where}: {row.label.text!r} has {len(row.values)} bar labels, the legend {len(periods)} periods"
            )
        for word, period in zip(row.values, periods, strict=True):
            facts.append(
                context.fact("new_arrivals", row.label.code, period, _value(word, where), [word], "chart-labels")
            )
    return facts


def _table_header(box: Box, first_row_top: float, pitch: float) -> list[Segment]:
    band = [
        w for w in box.words() if w.bottom <= first_row_top and w.top >= first_row_top - SETTINGS.header_reach * pitch
    ]
    return header_cells(band)


def _pitch(tops: list[float]) -> float:
    gaps = [b - a for a, b in zip(tops, tops[1:], strict=False) if b > a]
    return statistics.median(gaps) if gaps else 0.0


def _is_label_header(segment: Segment) -> bool:
    """The header of a table's label column ("Country"), which is no row."""
    return _LABEL_HEADER.fullmatch(segment.text) is not None


def _total_or_place(text: str) -> str | None:
    if re.fullmatch(r"(?:grand\s+)?total\W*", text.strip(), re.I):
        return "TOTAL"
    return place_code(text)


def read_arrivals_table(document: Document, context: ReportContext) -> list[Fact]:
    """v2023 table: a row per country, a column per period header; the Total row repeats the headline."""
    heading, box = _block(document, context, "arrivals_by_country", "arrivals_table")
    where = _where(context, "arrivals_by_country", heading.page)
    rows = labelled_rows(box, _total_or_place, _is_count, where=where, skip=_is_label_header, keep_unknown=True)
    if not rows:
        raise LayoutChangedError(f"{where}: no country rows under the heading")
    _require_places([row.label.code for row in rows], context, where, box.words())
    cells = _value_cells(box, rows, where)
    periods = []
    for cell in cells:
        period = _period_of(cell.text)
        if period is None:
            raise LayoutChangedError(f"{where}: column header {cell.text!r} names no period")
        periods.append(period)
    facts: list[Fact] = []
    for row in rows:
        by_column = _row_cells(row.values, cells, row.label.text, where)
        if not checked_label(context, "country", row.label.code, None, row.label.text, row.label.words):
            continue
        if row.label.code == "TOTAL":
            continue
        for index, period in enumerate(periods):
            word = by_column.get(index)
            if word is None:
                raise LayoutChangedError(f"{where}: {row.label.text!r} has no figure under {cells[index].text!r}")
            facts.append(
                context.fact("new_arrivals", row.label.code, period, _value(word, where), [word], "pdfplumber-table")
            )
    return facts


def _value_cells(box: Box, rows: list[Row], where: str) -> list[Segment]:
    """Header cells of a word table's value columns (a header over the label column, "Country", dropped)."""
    pitch = _pitch([row.label.y_center for row in rows]) or 2 * (rows[0].label.bottom - rows[0].label.top)
    labels_x1 = max(row.label.x1 for row in rows)
    header = _table_header(box, rows[0].label.top - 0.5, pitch)
    cells = [cell for cell in header if (cell.x0 + cell.x1) / 2 > labels_x1]
    if not cells:
        raise LayoutChangedError(f"{where}: no column headers above the table")
    return _split_by_figure_columns(cells, rows)


def _split_by_figure_columns(cells: list[Segment], rows: list[Row]) -> list[Segment]:
    """Header cells split along the figure columns when neighbouring headers ran together.

    With wide letter spacing two headers ("January-September 2023", "January-September 2022") can
    nearly touch and read as one cell; the fullest row of figures says how many columns there are,
    and each header word belongs to the figure column under it.
    """
    fullest = max((row.values for row in rows), key=len)
    if len(fullest) <= len(cells):
        return cells
    centres = sorted(word.x_center for word in fullest)
    parts: list[list[Word]] = [[] for _ in centres]
    for cell in cells:
        for word in cell.words:
            parts[min(range(len(centres)), key=lambda i: abs(centres[i] - word.x_center))].append(word)
    return [Segment(tuple(sorted(part, key=lambda w: (round(w.top), w.x0)))) for part in parts if part]


def _row_cells(values: tuple[Word, ...], cells: list[Segment], label: str, where: str) -> dict[int, Word]:
    by_column: dict[int, Word] = {}
    for word in values:
        index = column_of(word, cells)
        if index in by_column:
            raise LayoutChangedError(f"{where}: {label!r} has two figures under {cells[index].text!r}")
        by_column[index] = word
    return by_column


def read_mixed_movements(document: Document, context: ReportContext) -> list[Fact]:
    """The mixed-movements estimate ("some 17,500 ... 43% less than ...") and its change."""
    heading, box = _block(document, context, "mixed_movements", "mixed_movements")
    where = _where(context, "mixed_movements", heading.page)
    prose = _column_prose(box, heading)
    transits = _HEADCOUNT_RE.search(prose.text)
    if transits is None:
        raise LayoutChangedError(f"{where}: no '<figure> refugees and migrants' in the text")
    period = _span_of(prose.text, context)
    facts = [
        context.fact(
            "mixed_movement_transits",
            REGION,
            period,
            parse_number(transits["n"]).value,
            prose.words_at(transits.start("n"), transits.end("n")),
            "text",
            qualifier=_qualifier(transits["qual"]),
        )
    ]
    change = (
        _CHANGE_RE.search(prose.text, transits.end())
        or _CHANGE_BEFORE_RE.search(prose.text, transits.end())
        or _SIGNED_CHANGE_RE.search(prose.text, transits.end())
    )
    if change is None and "%" in prose.text[transits.end() :]:
        raise LayoutChangedError(f"{where}: a percentage follows the estimate but reads as no change on last year")
    if change is None and _COMPARISON_RE.search(_sentence_after(prose.text, transits.end())):
        # "..., in the same period last year": the sentence compares, but its figure was not printed in it.
        raise LayoutChangedError(f"{where}: the estimate is compared with last year, but no change is printed")
    if change is not None:
        value = float(change["pct"])
        direction = (change.groupdict().get("dir") or "").lower()
        if direction in _FALLING or (change["sign"] and change["sign"] != "+"):
            value = -value
        words = prose.words_at(change.start("sign") if change["sign"] else change.start("pct"), change.end("pct"))
        facts.append(context.fact("mixed_movement_transits_change", REGION, period, value, words, "text"))
    return facts


_ASYLUM_LABELS: tuple[tuple[str, str], ...] = (
    ("asylum_intentions", r"intentions?\s+to\s+seek\s+asylum"),
    ("asylum_applications", r"asylum\s+applications?"),
    ("asylum_application_intention_ratio", r"applications?\s+vs\.?\s+intentions?"),
)


def read_asylum(document: Document, context: ReportContext) -> list[Fact]:
    """Intentions, applications and their ratio: each figure beside its label (v2024) or under it (v2023)."""
    heading, box = _block(document, context, "asylum", "asylum")
    where = _where(context, "asylum", heading.page)
    year = re.search(r"\b(20\d\d)\b", heading.text)
    if year is None or int(year[1]) == context.year:
        period = year_to_date(context.year, context.month)
    else:
        period = year_period(int(year[1]))
    figures = number_words(box.words())
    facts: list[Fact] = []
    for indicator, pattern in _ASYLUM_LABELS:
        unit = unit_of(indicator)
        labels = find_phrases(box.segments(), pattern)
        if not labels:
            raise LayoutChangedError(f"{where}: no label matching {pattern!r}")
        label = labels[0]
        word = figure_beside(label, figures, printed=box.words())
        if word is None:
            raise LayoutChangedError(f"{where}: no figure beside or under {label.text!r}")
        if printed(word).value is not None and printed(word).percent != (unit == "percent"):
            raise LayoutChangedError(f"{where}: {word.text!r} beside {label.text!r} is not a {unit}")
        facts.append(context.fact(indicator, REGION, period, _value(word, where), [word], "text"))
    return facts


def _present_block(document: Document, context: ReportContext, section: str) -> tuple[Segment, Box]:
    return _block(document, context, section, "persons_present")


def read_persons_present(document: Document, context: ReportContext) -> list[Fact]:
    """Persons present at the end of the month (WB) and, where the prose gives them, shares per country."""
    heading, box = _present_block(document, context, "persons_present")
    where = _where(context, "persons_present", heading.page)
    prose = _column_prose(box, heading)
    total = _HEADCOUNT_RE.search(prose.text)
    if total is None:
        raise LayoutChangedError(f"{where}: no '<figure> persons ... present' in the text")
    stock = _stock(context)
    facts = [
        context.fact(
            "persons_present",
            REGION,
            stock,
            parse_number(total["n"]).value,
            prose.words_at(total.start("n"), total.end("n")),
            "text",
            qualifier=_qualifier(total["qual"]),
        )
    ]
    shares = shares_in_prose(prose, total.end(), place_code, where=where)
    if shares:  # the v2024 sentence gives every place's share; v2023 prints them in a table instead
        _require_places(list(dict.fromkeys(share.code for share in shares)), context, where, box.words(), what="share")
    for share in shares:
        facts.append(context.fact("persons_present_share", share.code, stock, share.value, share.words, "text"))
    return facts


def read_persons_present_table(document: Document, context: ReportContext) -> list[Fact]:
    """v2023 table of persons present and their share per country (its Western Balkans/Total row repeats the text)."""
    heading, box = _present_block(document, context, "persons_present_by_country")
    where = _where(context, "persons_present_by_country", heading.page)
    rows = labelled_rows(
        box,
        _total_or_place,
        lambda w: _is_count(w) or _is_percent(w),
        where=where,
        skip=_is_label_header,
        keep_unknown=True,
    )
    if not rows:
        raise LayoutChangedError(f"{where}: no country rows in the table")
    _require_places([row.label.code for row in rows], context, where, box.words())
    cells = _value_cells(box, rows, where)
    kinds: list[tuple[str, str]] = []
    for cell in cells:
        if re.search(r"share|%|per\s*cent", cell.text, re.I):
            kinds.append(("persons_present_share", unit_of("persons_present_share")))
        elif re.search(r"persons|present|number|total", cell.text, re.I):
            kinds.append(("persons_present", unit_of("persons_present")))
        else:
            raise LayoutChangedError(f"{where}: unknown column header {cell.text!r}")
    stock = _stock(context)
    facts: list[Fact] = []
    for row in rows:
        by_column = _row_cells(row.values, cells, row.label.text, where)
        if not checked_label(context, "country", row.label.code, None, row.label.text, row.label.words):
            continue
        if row.label.code in (REGION, "TOTAL"):
            continue
        for index, (indicator, unit) in enumerate(kinds):
            word = by_column.get(index)
            if word is None:
                raise LayoutChangedError(f"{where}: {row.label.text!r} has no figure under {cells[index].text!r}")
            if printed(word).value is not None and printed(word).percent != (unit == "percent"):
                raise LayoutChangedError(f"{where}: {word.text!r} under {cells[index].text!r} is not a {unit}")
            facts.append(
                context.fact(indicator, row.label.code, stock, _value(word, where), [word], "pdfplumber-table")
            )
    return facts


def _require_consecutive_months(axis: list[AxisMonth], context: ReportContext, where: str) -> None:
    """A month axis runs month after month and ends with the report's month (2024-07, 2020-08 is refused)."""
    months = [label.year * 12 + label.month - 1 for label in axis]
    words = [w for label in axis for w in label.words]
    breaks = [i for i in range(1, len(months)) if months[i] != months[i - 1] + 1]
    if breaks or months[-1] != context.year * 12 + context.month - 1:
        shown = ", ".join(f"{label.year}-{label.month:02d}" for label in axis)
        raise SectionUnreadableError(
            f"{where}: the month axis ({shown}) does not run month by month to {context.report_month}",
            page=words[0].page,
            bbox=union_bbox(words),
            printed=shown,
        )


def read_present_by_month(document: Document, context: ReportContext) -> list[Fact]:
    """Persons present at the end of each month: column labels matched to the month axis.

    The report month's bar repeats the month-end figure the text prints (with its wording, e.g.
    "some"), so it is not emitted twice.
    """
    heading, box = _block(document, context, "persons_present_by_month", "present_by_month")
    where = _where(context, "persons_present_by_month", heading.page)
    words = box.words()
    axis = month_axis(words)
    if not axis:
        raise LayoutChangedError(f"{where}: no month labels under the chart")
    centres = [label.x_center for label in axis]
    half_step = min(b - a for a, b in zip(centres, centres[1:], strict=False)) / 2 if len(axis) > 1 else 0
    axis_top = min(label.top for label in axis)
    values = [
        w
        for w in number_words(words, percent=False)
        if w.bottom <= axis_top and centres[0] - half_step <= w.x_center <= centres[-1] + half_step
    ]
    _require_consecutive_months(axis, context, where)
    facts: list[Fact] = []
    for label, word in match_to_axis(values, axis, where=where):
        if (label.year, label.month) == (context.year, context.month):
            continue
        end = month_end(label.year, label.month)
        facts.append(context.fact("persons_present", REGION, (end, end), _value(word, where), [word], "chart-labels"))
    return facts


def _nationality(text: str) -> str | None:
    found = resolve_nationality(text)
    if found is None:
        return None
    if sum(ch.isalpha() for ch in text) < SETTINGS.min_name_letters and found.how != "alias":
        return None
    return found.code


def read_nationalities(document: Document, context: ReportContext) -> list[Fact]:
    """Most common nationalities of persons present: one % label per bar, ranked top to bottom."""
    heading, box = _block(document, context, "nationalities", "nationalities")
    where = _where(context, "nationalities", heading.page)
    rows = labelled_rows(box, _nationality, _is_percent, where=where, keep_unknown=True)
    if not rows:
        raise LayoutChangedError(f"{where}: no nationality labels beside the bars")
    _require_no_rows_below(box, rows, _nationality, _is_percent, where)
    stock = _stock(context)
    for row in rows:
        if len(row.values) != 1:
            raise LayoutChangedError(f"{where}: {row.label.text!r} has {len(row.values)} % labels, expected 1")
    shares = [printed(row.values[0]).value for row in rows]
    # Ranks 1..N are the order of the bars, longest first: a share larger than the one above it means a
    # bar was lost or read out of order, and every rank after it would be wrong.
    if any(a is None or b is None or b > a for a, b in zip(shares, shares[1:], strict=False)):
        words = [w for row in rows for w in row.values]
        raise SectionUnreadableError(
            f"{where}: the shares {shares} do not fall from rank 1 down",
            page=heading.page,
            bbox=union_bbox(words),
            printed=" ".join(w.text for w in words),
        )
    facts: list[Fact] = []
    # An unknown nationality keeps its rank: the rows below it are not moved up.
    for rank, row in enumerate(rows, start=1):
        found = resolve_nationality(row.label.text) if row.label.code else None
        how = found.how if found and found.code == row.label.code else None
        if not checked_label(context, "nationality", row.label.code, how, row.label.text, row.label.words):
            continue
        facts.append(
            context.fact(
                "persons_present_nationality_share",
                REGION,
                stock,
                _value(row.values[0], where),
                row.values,
                "chart-labels",
                breakdown=f"nationality:{row.label.code}",
                rank=rank,
            )
        )
    return facts


def _uasc_labels(document: Document) -> list[tuple[Page, Segment]]:
    """Every heading or label (wrapped lines joined) worded closest to the UASC anchor, the closest first."""
    found: list[tuple[int, Page, Segment]] = []
    body = document_body_size(document.pages)
    for page in document.pages:
        for candidate in [*headings(page, _PANEL_START, HEADINGS, body), *stacked(page_segments(page))]:
            match = classify(candidate.text, HEADINGS)
            if match is not None and match.section == _UASC_ANCHOR.section:
                found.append((match.cost, page, candidate))
    found.sort(key=lambda item: item[0])
    return [(page, label) for cost, page, label in found if cost == found[0][0]]


def _big_figures(page: Page) -> list[Word]:
    """The page's figures printed as headlines (at least `figure_size_ratio` times its median word size)."""
    body = _median_size(list(page.words))
    return [w for w in number_words(page.words, percent=False) if w.size >= SETTINGS.figure_size_ratio * body]


def read_uasc(document: Document, context: ReportContext) -> list[Fact]:
    """Unaccompanied and separated children present: the headline figure in the UASC label's own block."""
    labels = _uasc_labels(document)
    if not labels:
        raise AnchorNotFoundError(f"{_where(context, 'uasc_present')}: no 'unaccompanied and separated children' label")
    chosen: dict[int, tuple[Word, Segment]] = {}
    for page, label in labels:
        where = _where(context, "uasc_present", page.number)
        word = figure_in_block(page, label, _big_figures(page), where=where)
        if word is not None:
            chosen.setdefault(id(word), (word, label))
    if len(chosen) != 1:
        page, label = labels[0]
        problem = "no figure in its block" if not chosen else "a different figure beside each of its printings"
        raise SectionUnreadableError(
            f"{_where(context, 'uasc_present', page.number)}: {label.text!r} has {problem}",
            page=page.number,
            bbox=label.bbox,
            printed=label.text,
        )
    ((word, label),) = chosen.values()
    where = _where(context, "uasc_present", word.page)
    return [context.fact("uasc_present", REGION, _stock(context), _value(word, where), [word], "text")]
