"""Extractor for the IOM DTM "Western Balkans — Mixed Migratory Flows Report" (monthly), layouts v2024 and v2023.

Every figure is found by its labels: section headings, headline labels, table headers and row labels,
chart axes. Indicators are those of DATA_CONTRACT.md (see docs/INDICATORS.md for where each is printed).

Conventions the truth files fix and this module follows:

- "Arrivals" (v2023) are `registrations_on_arrival`; "refugee status granted" is
  `refugee_status_decisions`, "subsidiary protection granted" `complementary_protection_decisions`.
- A label's bare year is the year to date when it is the report's year ("in 2024" in an October 2024
  issue covers 2024-01-01..2024-10-31), else the calendar year; "2016 - 2023" covers whole years.
- Reception figures (snapshot panels, v2023 table, the occupancy trend) are stocks at month ends.
- When the issue says its data are non-final (a footnote "non-final and subject to consolidation"),
  the headline registrations (the month's and the year's Western Balkans totals) carry the qualifier
  `non_final`; monthly values of charts and tables do not.
- A figure printed twice in one section (a headline and the table's Total; the snapshot and the last
  bar of the trend; the chart's last bar and the headline) is one fact, read where it is printed first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

from ...context import ReportContext, unit_of
from ...document import Document, search_line
from ...errors import AnchorNotFoundError, LayoutChangedError
from ...facts import Fact
from ...geo import REGION, place_code
from ...layout import Anchor, figures_in, header_columns, merge_repeats, plain, read_rows, split_header
from ...months import (
    MONTH_NAME_PATTERN,
    is_month_label,
    month_end,
    month_number,
    month_period,
    parse_month_label,
    year_to_date,
)
from .headings import (
    ARRIVALS_BY_COUNTRY,
    ASYLUM,
    AVRR,
    BOUNDARIES,
    MONTHLY_CHART,
    NATIONALITIES,
    NON_VOLUNTARY_AUTHORITIES,
    OCCUPANCY_TREND,
    RECEPTION,
    REGISTRATIONS,
    TRAFFICKING,
    VOLUNTARY_AUTHORITIES,
)
from .readers import (
    CHART,
    SIX_AND_TOTAL,
    SIX_PLACES,
    TABLE,
    TEXT,
    Section,
    classify_headlines,
    countries_by_rank_grid,
    country_table,
    fact_of,
    labelled_headlines,
    locate,
    monthly_chart,
    non_final_note,
    period_in,
    period_row,
    place_or_total,
    ranks_by_country_grid,
    reception_metric,
    reception_panels,
    require,
    require_complete,
)

# Phrases after which every issue prints its reporting month ("SNAPSHOT DECEMBER 2024",
# "NATIONALITIES OF ARRIVALS – JUNE 2023", "Mixed Migratory Flows Report (December 2024)").
_REPORT_MONTH_RE = re.compile(
    rf"(?:SNAPSHOT|NATIONALITIES\s+(?:ON|OF)\s+ARRIVALS?\s*(?:IN|[–-])|FACILITIES\s*[–-]|Flows\s+Report\s*\()"
    rf"\s*(?P<month>{MONTH_NAME_PATTERN})\s+(?P<year>\d{{4}})",
    re.I,
)


def report_month(document: Document) -> tuple[int, int]:
    """The month an issue covers, by majority of the places that print it."""
    text = " ".join(document.text.split())
    votes = Counter((int(m["year"]), month_number(m["month"])) for m in _REPORT_MONTH_RE.finditer(text))
    if not votes:
        raise AnchorNotFoundError(
            f"{document.name}: no reporting month found (looked for 'SNAPSHOT <Month YYYY>', "
            "'NATIONALITIES ON ARRIVAL IN <Month YYYY>', 'Flows Report (<Month YYYY>)')"
        )
    return votes.most_common(1)[0][0]


# Headline labels, tried in order (the change box also names a month, the total box a year).
# Headline labels, tried in order: the change box also names a month, the total box a year.
_REGISTRATION_KINDS = (
    ("change", re.compile(r"\bcompar|\bprevious\b|\bchange\b|\bvs\.?\b", re.I)),
    ("year_to_date", re.compile(r"\btotal\b|\bsince\b|year[- ]to[- ]date|cumulative|january\s*[-–]", re.I)),
    ("month", re.compile(rf"\b(?:{MONTH_NAME_PATTERN})\b", re.I)),
    ("year_to_date", re.compile(r"\b(?:19|20)\d\d\b")),
)
_AVRR_KINDS = (
    ("grants", re.compile(r"reintegration\s+(?:grants?|assistance)", re.I)),
    ("male", re.compile(r"^\s*(?:men|males?)\b", re.I)),
    ("female", re.compile(r"^\s*(?:women|females?)\b", re.I)),
    ("returns", re.compile(r"\breturns?\b|\breturnees?\b", re.I)),
)
_ASYLUM_KINDS = (
    ("complementary", re.compile(r"complementary|subsidiary", re.I)),
    ("refugee", re.compile(r"refugee\s+status", re.I)),
    ("applications", re.compile(r"applications?|applied|asylum\s+claims?", re.I)),
)
_MONTH_IN_LABEL_RE = re.compile(rf"\b(?P<month>{MONTH_NAME_PATTERN})\b\.?(?:\s+(?P<year>\d{{4}}))?", re.I)
_SEX_SHARE_RE = re.compile(r"(?P<share>\d+(?:\.\d+)?\s*%)\s*,?\s*(?P<sex>male|female|men|women)\b", re.I)


def _locate(document: Document, context: ReportContext, name: str, heading: Anchor) -> Section:
    return locate(document, context, name, heading, BOUNDARIES)


# --- Registrations / arrivals --------------------------------------------------------------------------------


def _registration_headlines(section: Section) -> list[Fact]:
    """The month's registrations, the change on the previous month and the year's total."""
    context = section.context
    found = classify_headlines(section, labelled_headlines(section), _REGISTRATION_KINDS)
    require(section, found, ("month", "change", "year_to_date"))
    qualifier = "non_final" if non_final_note(section.document, section.where) else None
    month = month_period(context.year, context.month)
    year = year_to_date(context.year, context.month)
    label = plain(found["month"].text)
    named = _MONTH_IN_LABEL_RE.search(label)
    if (
        named is None
        or month_number(named["month"]) != context.month
        or (named["year"] is not None and int(named["year"]) != context.year)
    ):
        raise LayoutChangedError(f"{section.where}: the month's headline is labelled {label!r}, not the report month")
    return [
        fact_of(section, "registrations_on_arrival", REGION, month, found["month"].figure, TEXT,
                qualifier=qualifier),
        fact_of(section, "registrations_on_arrival_change", REGION, month, found["change"].figure, TEXT),
        fact_of(section, "registrations_on_arrival", REGION, year, found["year_to_date"].figure, TEXT,
                qualifier=qualifier),
    ]  # fmt: skip


def _chart_facts(section: Section, pairs: list) -> list[Fact]:
    return [
        fact_of(section, "registrations_on_arrival", REGION, month_period(*month), label, CHART)
        for month, label in pairs
    ]


def read_registrations(document: Document, context: ReportContext) -> list[Fact]:
    """v2024: headline boxes, the monthly chart's regional totals and the per-country table under it."""
    headline = _locate(document, context, "registrations", REGISTRATIONS)
    chart = _locate(document, context, "registrations", MONTHLY_CHART)
    facts = _registration_headlines(headline)
    pairs, below, axis = monthly_chart(chart, chart.lines())
    facts += _chart_facts(chart, pairs)
    keys = [(a.year, a.month) for a in axis]
    before = len(context.problems)
    rows = read_rows(below, axis, keys, place_code, chart.where)
    require_complete(
        chart, "monthly table", [r.key for r in rows], SIX_PLACES, before, [w for ln in below for w in ln.words]
    )
    for row in rows:
        for month, figure in row.cells:
            facts.append(fact_of(chart, "registrations_on_arrival", row.key, month_period(*month), figure,
                                 TABLE))  # fmt: skip
    return merge_repeats(facts, headline.where)


_ARRIVALS_COLUMN_RE = re.compile(
    rf"(?:(?:{MONTH_NAME_PATTERN})\.?\s*(?:-|–|—|to)\s*)?(?:{MONTH_NAME_PATTERN})\.?[\s-]*(?:\d{{4}}|\d{{2}})", re.I
)


def _arrivals_column(context: ReportContext) -> Callable[[str], tuple[dt.date, dt.date] | None]:
    """A column classifier for "May 2023" (a month) and "January - June 2023" (months to date) headers."""

    def classify(text: str) -> tuple[dt.date, dt.date] | None:
        text = plain(text)
        if not _ARRIVALS_COLUMN_RE.fullmatch(text):
            return None
        if is_month_label(text):
            return month_period(*parse_month_label(text))
        return period_in(text, context)

    return classify


def read_arrivals(document: Document, context: ReportContext) -> list[Fact]:
    """v2023: headline boxes, the monthly arrivals chart and the "ARRIVALS BY COUNTRY" table."""
    headline = _locate(document, context, "arrivals", REGISTRATIONS)
    chart = _locate(document, context, "arrivals", MONTHLY_CHART)
    table = _locate(document, context, "arrivals", ARRIVALS_BY_COUNTRY)
    facts = _registration_headlines(headline)
    pairs, _, _ = monthly_chart(chart, chart.lines())
    facts += _chart_facts(chart, pairs)
    lines = table.lines()
    header, body = split_header(lines)
    if not header:
        raise AnchorNotFoundError(f"{table.where}: no header of months over the arrivals table")
    # A January issue's month and "January - January" columns cover the same period: one fact.
    columns = header_columns(
        [w for line in header for w in line.words], _arrivals_column(context), table.where, unique=False
    )
    before = len(context.problems)
    rows = read_rows(body, columns, [c.key for c in columns], place_or_total, table.where)
    require_complete(
        table, "arrivals table", [r.key for r in rows], SIX_AND_TOTAL, before, [w for ln in body for w in ln.words]
    )
    previous = (context.year, context.month - 1) if context.month > 1 else (context.year - 1, 12)
    periods = [month_period(*previous), month_period(context.year, context.month)]
    require_complete(
        table,
        "arrivals table header",
        [c.key for c in columns],
        [*periods, year_to_date(context.year, context.month)],
        before,
    )
    for row in rows:
        for period, figure in row.cells:
            facts.append(fact_of(table, "registrations_on_arrival", row.key, period, figure, TABLE))
    return merge_repeats(facts, headline.where)


# --- Nationalities -------------------------------------------------------------------------------------------


def read_nationalities(document: Document, context: ReportContext) -> list[Fact]:
    """v2024: top 3 nationalities, one row per country, cells "Name (36%) ↓ -8%" by rank."""
    section = _locate(document, context, "nationalities", NATIONALITIES)
    return countries_by_rank_grid(section, month_period(context.year, context.month))


def read_nationalities_by_rank(document: Document, context: ReportContext) -> list[Fact]:
    """v2023: top 3 nationalities, countries as columns and "1." "2." "3." rows."""
    section = _locate(document, context, "nationalities", NATIONALITIES)
    return ranks_by_country_grid(section, month_period(context.year, context.month))


# --- Reception facilities -----------------------------------------------------------------------------------


def read_reception(document: Document, context: ReportContext) -> list[Fact]:
    """v2024: the snapshot's country panels and the occupancy trend chart (stocks at month ends)."""
    snapshot = _locate(document, context, "reception", RECEPTION)
    trend = _locate(document, context, "reception", OCCUPANCY_TREND)
    date = month_end(context.year, context.month)
    facts = reception_panels(snapshot, date)
    pairs, _, _ = monthly_chart(trend, trend.lines())
    for (year, month), label in pairs:
        end = month_end(year, month)
        facts.append(fact_of(trend, "reception_occupancy", REGION, (end, end), label, CHART))
    return merge_repeats(facts, snapshot.where)


def read_reception_table(document: Document, context: ReportContext) -> list[Fact]:
    """v2023: a table of countries (rows, Total = WB) by centres / capacity / accommodated / occupancy rate."""
    section = _locate(document, context, "reception", RECEPTION)
    date = month_end(context.year, context.month)
    lines = section.lines()
    header, body = split_header(lines)
    if not header:
        raise AnchorNotFoundError(f"{section.where}: no header of metrics over the reception table")
    columns = header_columns([w for line in header for w in line.words], reception_metric, section.where)
    facts = []
    before = len(context.problems)
    rows = read_rows(body, columns, [c.key for c in columns], place_or_total, section.where)
    require_complete(
        section, "reception table", [r.key for r in rows], SIX_AND_TOTAL, before, [w for ln in body for w in ln.words]
    )
    require_complete(section, "reception table header", [c.key for c in columns], _RECEPTION_COLUMNS, before)
    for row in rows:
        for (indicator, _unit), figure in row.cells:
            facts.append(fact_of(section, indicator, row.key, (date, date), figure, TABLE))
    return facts


#: The metrics the 2023 reception table prints, one column each.
_RECEPTION_COLUMNS = tuple(
    (name, unit_of(name))
    for name in ("reception_centres", "reception_capacity", "reception_occupancy", "reception_occupancy_rate")
)


# --- Return and reintegration ---------------------------------------------------------------------------------


def read_avrr(document: Document, context: ReportContext) -> list[Fact]:
    """Assisted voluntary returns: headline (returns, male/female shares, reintegration grants) and the
    table of returns per country for the year and for 2016 to the year before."""
    section = _locate(document, context, "avrr", AVRR)
    headlines = labelled_headlines(section)
    if not headlines:
        raise AnchorNotFoundError(f"{section.where}: no headline figure of assisted voluntary returns")
    found = classify_headlines(section, headlines, _AVRR_KINDS)
    require(section, found, ("returns", "grants"))
    period = period_in(found["returns"].text, context, section.where) or year_to_date(context.year, context.month)
    grants_period = period_in(found["grants"].text, context, section.where) or period
    facts = [
        fact_of(section, "avrr_returns", REGION, period, found["returns"].figure, TEXT),
        fact_of(section, "reintegration_grants", REGION, grants_period, found["grants"].figure, TEXT),
    ]
    for sex in ("male", "female"):
        if sex in found:
            facts.append(fact_of(section, "avrr_returns_share", REGION, period, found[sex].figure, TEXT,
                                 breakdown=f"sex:{sex}"))  # fmt: skip
    headline_bottom = max(h.bottom for h in found.values())
    for line in section.lines(bottom=headline_bottom + 1):
        for match in search_line(line, _SEX_SHARE_RE):
            sex = "female" if match.groups["sex"].lower() in ("female", "women") else "male"
            share_words = [w for w in match.words if "%" in w.text or w.text[0].isdigit()]
            figures = figures_in(share_words)
            if len(figures) == 1:
                facts.append(fact_of(section, "avrr_returns_share", REGION, period, figures[0], TEXT,
                                     breakdown=f"sex:{sex}"))  # fmt: skip
    if not any(f.indicator == "avrr_returns_share" for f in facts):
        raise AnchorNotFoundError(f"{section.where}: no male/female shares of the returns")
    rows = country_table(section, section.lines(top=headline_bottom + 1), period_row(context))
    for row in rows:
        for geo, figure in row.cells:
            facts.append(fact_of(section, "avrr_returns", geo, row.key, figure, TABLE))
    return merge_repeats(facts, section.where)


def _authority_returns(document: Document, context: ReportContext, name: str, heading: Anchor) -> list[Fact]:
    section = _locate(document, context, name, heading)
    facts = []
    # The design prints Bosnia and Herzegovina, Serbia and their total (the two countries that report them).
    for row in country_table(section, section.lines(), period_row(context), places=("BIH", "SRB", REGION)):
        for geo, figure in row.cells:
            facts.append(fact_of(section, name, geo, row.key, figure, TABLE))
    return facts


def read_voluntary_returns(document: Document, context: ReportContext) -> list[Fact]:
    """Voluntary returns carried out by the authorities (BiH, Serbia, Total) for two past years."""
    return _authority_returns(document, context, "voluntary_returns_authorities", VOLUNTARY_AUTHORITIES)


def read_non_voluntary_returns(document: Document, context: ReportContext) -> list[Fact]:
    """Non-voluntary returns carried out by the authorities (BiH, Serbia, Total) for two past years."""
    return _authority_returns(document, context, "non_voluntary_returns_authorities", NON_VOLUNTARY_AUTHORITIES)


# --- Asylum and trafficking -----------------------------------------------------------------------------------


def read_asylum(document: Document, context: ReportContext) -> list[Fact]:
    """Asylum: headline applications and decisions, and applications per country (year; 2018 to last year)."""
    section = _locate(document, context, "asylum", ASYLUM)
    headlines = labelled_headlines(section)
    found = classify_headlines(section, headlines, _ASYLUM_KINDS)
    require(section, found, ("applications", "refugee", "complementary"))
    default = year_to_date(context.year, context.month)
    facts = []
    for kind, indicator in (
        ("applications", "asylum_applications"),
        ("refugee", "refugee_status_decisions"),
        ("complementary", "complementary_protection_decisions"),
    ):
        period = period_in(found[kind].text, context, section.where) or default
        facts.append(fact_of(section, indicator, REGION, period, found[kind].figure, TEXT))
    headline_bottom = max(h.bottom for h in found.values())
    rows = country_table(section, section.lines(top=headline_bottom + 1), period_row(context))
    for row in rows:
        for geo, figure in row.cells:
            facts.append(fact_of(section, "asylum_applications", geo, row.key, figure, TABLE))
    return merge_repeats(facts, section.where)


def read_trafficking(document: Document, context: ReportContext) -> list[Fact]:
    """Temporary residence permits granted to victims of trafficking, over the years the label names."""
    section = _locate(document, context, "trafficking", TRAFFICKING)
    headlines = [h for h in labelled_headlines(section) if re.search(r"permit", h.text, re.I)]
    if len(headlines) != 1:
        raise AnchorNotFoundError(f"{section.where}: expected one figure labelled as residence permits")
    headline = headlines[0]
    period = period_in(headline.text, context, section.where) or year_to_date(context.year, context.month)
    return [fact_of(section, "trafficking_residence_permits", REGION, period, headline.figure, TEXT)]
