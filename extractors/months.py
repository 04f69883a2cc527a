"""Month labels as the reports print them (`Dec 2023`, `Jun-22`, `NOV 24`, `December 2024`) and periods."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from .numbers import reads_as

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_LABEL_RE = re.compile(rf"^(?P<month>{_MONTH_NAME})\.?[\s\-/']*(?P<year>\d{{4}}|\d{{2}})$", re.I)
_NUMERIC_RE = re.compile(r"^(?:(?P<m1>\d{1,2})[/.\-](?P<y1>\d{4})|(?P<y2>\d{4})-(?P<m2>\d{2}))$")
MONTH_NAME_PATTERN = _MONTH_NAME


def month_number(name: str) -> int:
    """1..12 for an English month name or abbreviation; ValueError otherwise."""
    try:
        return _MONTHS[name.strip(" .").lower()]
    except KeyError:
        raise ValueError(f"{name!r} is not a month name") from None


def parse_month_label(text: str) -> tuple[int, int]:
    """(year, month) of a printed month label; ValueError naming the text when it is not one."""
    cleaned = " ".join(text.split())
    match = _LABEL_RE.match(cleaned)
    if match:
        year = int(match["year"])
        if year < 100:
            year += 2000
        return year, _MONTHS[match["month"].lower()]
    match = _NUMERIC_RE.match(cleaned)
    if match:
        year = int(match["y1"] or match["y2"])
        month = int(match["m1"] or match["m2"])
        if 1 <= month <= 12:
            return year, month
    raise ValueError(f"{text!r} is not a month label")


def is_month_name(text: str) -> bool:
    """A month's name or abbreviation alone ("Dec", "December")."""
    return reads_as(month_number, text)


def is_month_label(text: str) -> bool:
    return reads_as(parse_month_label, text)


def month_period(year: int, month: int) -> tuple[dt.date, dt.date]:
    """First and last day of a calendar month."""
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def month_end(year: int, month: int) -> dt.date:
    return month_period(year, month)[1]


def year_period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def years_period(first: int, last: int) -> tuple[dt.date, dt.date]:
    """`2016 - 2023` covers 2016-01-01..2023-12-31."""
    return dt.date(first, 1, 1), dt.date(last, 12, 31)


def year_to_date(year: int, month: int) -> tuple[dt.date, dt.date]:
    """`in 2025` printed in a June 2025 report covers 2025-01-01..2025-06-30."""
    return dt.date(year, 1, 1), month_end(year, month)


def report_month_string(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"
