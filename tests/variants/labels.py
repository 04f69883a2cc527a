"""Words the imitations print for places, nationalities, months and numbers, per style knob."""

from __future__ import annotations

import calendar
import random

from .names import draw_name
from .style import Style

PLACE_NAMES: dict[str, str] = {
    "ALB": "Albania",
    "BIH": "Bosnia and Herzegovina",
    "MNE": "Montenegro",
    "MKD": "North Macedonia",
    "SRB": "Serbia",
    "XKX": "Kosovo",
}

#: UN (official) names as the reports print them, and the short names some issues use instead.
NATIONALITY_NAMES: dict[str, tuple[str, str]] = {
    "AFG": ("Afghanistan", "Afghanistan"),
    "BGD": ("Bangladesh", "Bangladesh"),
    "CUB": ("Cuba", "Cuba"),
    "DZA": ("Algeria", "Algeria"),
    "EGY": ("Egypt", "Egypt"),
    "IND": ("India", "India"),
    "IRN": ("Iran (Islamic Republic of)", "Iran"),
    "IRQ": ("Iraq", "Iraq"),
    "MAR": ("Morocco", "Morocco"),
    "NPL": ("Nepal", "Nepal"),
    "PAK": ("Pakistan", "Pakistan"),
    "PSE": ("Occupied Palestinian Territory", "Palestine"),
    "SYR": ("Syrian Arab Republic", "Syria"),
    "TUN": ("Tunisia", "Tunisia"),
    "TUR": ("Türkiye", "Turkey"),
}

KOSOVO_QUALIFIED = {"unscr": "Kosovo (UNSCR 1244)", "sres": "Kosovo (S/RES/1244 (1999))"}


def place_name(geo: str, style: Style) -> str:
    """The printed name of a country or territory, without any footnote mark."""
    if geo == "BIH" and style.bih_label == "BiH":
        return "BiH"
    if geo == "BIH" and style.name_drift % 2:
        return "Bosnia & Herzegovina"
    if geo == "XKX":
        if style.kosovo in KOSOVO_QUALIFIED:
            return KOSOVO_QUALIFIED[style.kosovo]
        if style.kosovo == "star":
            return "Kosovo*"
    return PLACE_NAMES[geo]


def kosovo_mark(geo: str, style: Style) -> bool:
    """Whether the label of `geo` carries the numbered Kosovo footnote mark."""
    return geo == "XKX" and style.kosovo == "footnote"


def nationality_name(code: str, style: Style) -> str:
    printed = dict(style.nationality_labels).get(code)
    if printed is not None:
        return printed
    if style.name_drift:
        # One name per nationality and issue, drawn from hdx's name data.
        return draw_name(code, random.Random(f"{style.name_drift}:{code}"))
    official, short = NATIONALITY_NAMES[code]
    return short if style.nat_names == "short" else official


def month_name(month: int) -> str:
    return calendar.month_name[month]


def month_label(year: int, month: int, style: Style) -> str:
    """A chart axis label in the issue's format."""
    abbr = calendar.month_abbr[month]
    if style.month_labels == "Mon YYYY":
        return f"{abbr} {year}"
    if style.month_labels == "Mon-YY":
        return f"{abbr}-{year % 100:02d}"
    if style.month_labels == "MON YY":
        return f"{abbr.upper()} {year % 100:02d}"
    return f"{calendar.month_name[month]} {year}"


def number(value: float | None) -> str:
    """`1,420`; `34.5`; a dash for a figure the report does not have."""
    if value is None:
        return "-"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def percent(value: float) -> str:
    return f"{number(value)}%"


def signed_percent(value: float, *, space: bool = False) -> str:
    """`+16%`, `-8%`, `0%`; with `space`, `+ 16%` / `- 33%` as some headline boxes print it."""
    if value == 0:
        return "0%"
    sign = "+" if value > 0 else "-"
    return f"{sign}{' ' if space else ''}{number(abs(value))}%"


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year, month - 1) if month > 1 else (year - 1, 12)


def months_back(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """The `count` months ending with (year, month), oldest first."""
    months = [(year, month)]
    while len(months) < count:
        months.insert(0, previous_month(*months[0]))
    return months


def join_names(names: list[str]) -> str:
    """`Serbia`, `Serbia and Kosovo`, `Albania, Serbia and Kosovo`."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
