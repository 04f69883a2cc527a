"""Rows of a facts frame as small objects the rules can group and compare, with their printed precision."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import math
import re
from collections.abc import Iterable
from decimal import Decimal

import pandas as pd

#: Qualifiers whose figures are rounded for print ("some 17,500"), so sums and ratios involving them
#: may be off by up to half their rounding unit.
ROUNDED_QUALIFIERS = frozenset({"approximate"})

_REPORT_ID_RE = re.compile(r"^(?P<prefix>[a-z]+-[a-z]+)-(?P<year>\d{4})-(?P<month>\d{2})$")


@dataclasses.dataclass(frozen=True)
class Figure:
    """One printed figure: the fact's key, value and page, and the marks printed beside it."""

    report_id: str
    indicator: str
    geo: str
    start: dt.date
    end: dt.date
    breakdown: str | None
    rank: int | None
    value: float | None
    unit: str
    qualifier: str | None
    page: int | None
    arrow: str | None = None
    repeat: bool = False

    @property
    def key(self) -> str:
        """The fact's key within its report, as people type it: `indicator/geo/start..end[/breakdown][/rank:N]`."""
        return fact_key(self.indicator, self.geo, self.start, self.end, self.breakdown, self.rank)

    @property
    def period(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """The figure in words for a message: indicator, geo, breakdown and period."""
        parts = [self.indicator, self.geo]
        if self.breakdown:
            parts.append(self.breakdown)
        if self.rank is not None:
            parts.append(f"rank {self.rank}")
        return " ".join(parts) + f" {self.period}"

    @property
    def decimals(self) -> int:
        """Decimals the figure was printed with (34.5 -> 1, 35 -> 0)."""
        return printed_decimals(self.value)

    @property
    def allowance(self) -> float:
        """How far the true figure may be from the printed one: half its rounding unit when rounded for print."""
        if self.value is None or self.qualifier not in ROUNDED_QUALIFIERS:
            return 0.0
        return rounding_unit(self.value) / 2

    @property
    def is_stock(self) -> bool:
        """A count at one point in time (persons present at a month's end, a facilities snapshot)."""
        return self.start == self.end

    @property
    def is_month(self) -> bool:
        """The figure covers exactly one calendar month."""
        return self.start.day == 1 and self.end == month_end(self.start.year, self.start.month)

    @property
    def is_year_to_month(self) -> bool:
        """The figure covers 1 January to the end of a later month of the same year (a year to date)."""
        return (
            self.start.month == 1
            and self.start.day == 1
            and self.end.year == self.start.year
            and self.end.month > 1
            and self.end == month_end(self.end.year, self.end.month)
        )


def fact_key(
    indicator: str, geo: str, start: dt.date, end: dt.date, breakdown: str | None = None, rank: int | None = None
) -> str:
    """`asylum_applications/WB/2024-01-01..2024-12-31` (breakdown and `rank:N` appended when set)."""
    parts = [indicator, geo, f"{start.isoformat()}..{end.isoformat()}"]
    if breakdown:
        parts.append(breakdown)
    if rank is not None:
        parts.append(f"rank:{rank}")
    return "/".join(parts)


def figures_of(frame: pd.DataFrame) -> list[Figure]:
    """The rows of a facts frame (contract columns, plus `arrow` and `repeat` when present) as figures."""
    if frame is None or frame.empty:
        return []
    # Plain lists of the columns read: every rule converts its frames, and itertuples over all
    # columns (bbox lists, Arrow strings) was most of a rule's time.
    columns = zip(*(frame[column].tolist() for column in _FIGURE_COLUMNS), strict=True)
    arrows = frame["arrow"].tolist() if "arrow" in frame.columns else [None] * len(frame)
    repeats = frame["repeat"].tolist() if "repeat" in frame.columns else [False] * len(frame)
    figures = []
    for row, arrow, repeat in zip(columns, arrows, repeats, strict=True):
        report_id, indicator, geo, start, end, breakdown, rank, value, unit, qualifier, page = row
        figures.append(
            Figure(
                report_id=str(report_id),
                indicator=str(indicator),
                geo=str(geo),
                start=_date(start),
                end=_date(end),
                breakdown=_text(breakdown),
                rank=None if _missing(rank) else int(rank),
                value=None if _missing(value) else float(value),
                unit=str(unit),
                qualifier=_text(qualifier),
                page=None if _missing(page) else int(page),
                arrow=_text(arrow),
                repeat=bool(repeat) if not _missing(repeat) else False,
            )
        )
    return figures


#: The columns of a facts frame a `Figure` is made of, in `figures_of`'s order.
_FIGURE_COLUMNS = (
    "report_id",
    "indicator",
    "geo",
    "period_start",
    "period_end",
    "breakdown",
    "rank",
    "value",
    "unit",
    "qualifier",
    "page",
)


def printed_decimals(value: float | None) -> int:
    """Decimals of a figure as printed (`34.5` -> 1, `35.0` -> 0, `1,017` -> 0)."""
    if value is None or not math.isfinite(value):
        return 0
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


#: Steps percentages are printed in, coarsest first: whole numbers, halves (UNHCR's 34.5 %), tenths...
PRINTED_STEPS = (1.0, 0.5, 0.1, 0.05, 0.01)


def printed_unit(values: Iterable[float | None]) -> float:
    """The coarsest step every value is a multiple of: (35, 34.5, 12) -> 0.5; (80, 20) -> 1; (12.3,) -> 0.1."""
    found = [v for v in values if v is not None]
    for step in PRINTED_STEPS:
        if all(abs(v / step - round(v / step)) < 1e-6 for v in found):
            return step
    return PRINTED_STEPS[-1]


def rounding_unit(value: float) -> float:
    """The unit a figure looks rounded to: `17,500` -> 100, `3,000` -> 1,000, `34.5` -> 0.1, `99` -> 1."""
    decimals = printed_decimals(value)
    if decimals:
        return 10.0**-decimals
    whole = abs(int(round(value)))
    unit = 1
    while whole and whole % (unit * 10) == 0:
        unit *= 10
    return float(unit)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def shift_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), kept at the month's end when it was one."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if day == month_end(day.year, day.month):
        return month_end(year, month)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def report_family_prefix(report_id: str) -> str:
    """`dtm-wb-2024-12` -> `dtm-wb`."""
    match = _REPORT_ID_RE.match(report_id)
    return match["prefix"] if match else report_id


def report_month_of(report_id: str) -> tuple[int, int] | None:
    """`dtm-wb-2024-12` -> (2024, 12); None for an id not of that shape."""
    match = _REPORT_ID_RE.match(report_id)
    if not match or not 1 <= int(match["month"]) <= 12:
        return None
    return int(match["year"]), int(match["month"])


def previous_report_id(report_id: str) -> str | None:
    """The id of the family's issue a month earlier (`dtm-wb-2025-01` -> `dtm-wb-2024-12`)."""
    month = report_month_of(report_id)
    if month is None:
        return None
    previous = shift_months(dt.date(month[0], month[1], 1), -1)
    return f"{report_family_prefix(report_id)}-{previous.year:04d}-{previous.month:02d}"


def format_value(value: float | None) -> str:
    """A figure the way the reports print it: `1,017`, `34.5`, `-8`; a dash for none."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{max(printed_decimals(value), 1)}f}"


def by_key(figures: Iterable[Figure]) -> dict[str, Figure]:
    """Figures by their key (the first printing when a key repeats)."""
    found: dict[str, Figure] = {}
    for figure in figures:
        found.setdefault(figure.key, figure)
    return found


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _text(value: object) -> str | None:
    return None if _missing(value) or str(value) == "" else str(value)


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()
