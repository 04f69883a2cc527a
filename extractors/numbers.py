"""Parsing of figures as the reports print them: `1,420`, `- 33%`, `34.5%`, `↓ -8%`, `-`."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

#: Characters publishers use for a minus sign: ASCII hyphen, U+2212 minus, en dash.
_MINUS = "-\u2212\u2013"
#: Spaces that may sit inside a figure (thin and no-break spaces as thousands separators).
_INNER_SPACES = "\u00a0\u2009\u202f"
_ARROWS = {"↑": "up", "↓": "down", "▲": "up", "▼": "down", "=": "flat", "→": "flat", "↔": "flat"}

_NUMBER_RE = re.compile(
    rf"""^
    (?P<arrow>[↑↓▲▼→↔=])?\s*
    (?P<sign>[+{re.escape(_MINUS)}])?\s*
    (?P<digits>\d{{1,3}}(?:[,{_INNER_SPACES}]\d{{3}})+|\d+)
    (?P<decimals>\.\d+)?
    \s*(?P<percent>%)?
    $""",
    re.VERBOSE,
)

#: Texts a report prints where a figure is not available; they become null values.
NOT_AVAILABLE = frozenset({"-", "–", "—", "\u2212", "n/a", "na", "n.a.", "not available", "..."})


@dataclasses.dataclass(frozen=True)
class PrintedNumber:
    """A printed figure: its value, whether it was a percentage, its sign and arrow as printed."""

    value: float | None
    percent: bool = False
    sign: str | None = None
    arrow: str | None = None
    decimals: int = 0


def parse_number(text: str) -> PrintedNumber:
    """Parse one printed figure; raise ValueError naming the text when it is not one.

    >>> parse_number("1,420").value
    1420.0
    >>> parse_number("- 33%").value
    -33.0
    >>> parse_number("↓ -8%").arrow
    'down'
    """
    # Fold ordinary whitespace only: thin and no-break spaces are thousands separators here.
    cleaned = re.sub(r"[ \t\r\n]+", " ", text.replace("(", " ").replace(")", " ")).strip()
    if cleaned.lower() in NOT_AVAILABLE:
        return PrintedNumber(value=None)
    match = _NUMBER_RE.match(cleaned)
    if match is None:
        raise ValueError(f"{text!r} is not a printed figure")
    digits = re.sub(rf"[,{_INNER_SPACES}]", "", match["digits"])
    decimals = match["decimals"] or ""
    value = float(digits + decimals)
    sign = match["sign"]
    if sign is not None and sign in _MINUS:
        sign = "-"
        value = -value
    arrow = _ARROWS.get(match["arrow"]) if match["arrow"] else None
    return PrintedNumber(
        value=value,
        percent=match["percent"] is not None,
        sign=sign,
        arrow=arrow,
        decimals=max(len(decimals) - 1, 0),
    )


def reads_as(parse: Callable[[str], object], text: str) -> bool:
    """True when `parse` reads `text` (raises no ValueError): a label, a figure, a month."""
    try:
        parse(text)
    except ValueError:
        return False
    return True


def is_number(text: str) -> bool:
    """True when `text` is one printed figure (a dash counts: it is a printed 'not available')."""
    return reads_as(parse_number, text)


def is_sign(text: str) -> bool:
    """A lone sign or arrow that some layouts print as its own word before the figure ("- 33%")."""
    return text != "" and all(ch in f"+{_MINUS}↑↓▲▼→↔=" for ch in text)
