"""Number, month-label and place/nationality parsing as the reports print them."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.geo import nationality_code, place_code
from extractors.months import month_period, parse_month_label, year_to_date
from extractors.numbers import is_sign, parse_number


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("1,420", 1420.0, False),
        ("56,213", 56213.0, False),
        ("31,155", 31155.0, False),
        ("- 33%", -33.0, True),
        ("-33%", -33.0, True),
        ("34.5%", 34.5, True),
        ("↓ -8%", -8.0, True),
        ("↑ +16%", 16.0, True),
        ("+16%", 16.0, True),
        ("= 0%", 0.0, True),
        ("(36%)", 36.0, True),
        ("\u22125", -5.0, False),
        ("12\u202f345", 12345.0, False),
        ("7", 7.0, False),
    ],
)
def test_parse_number(text: str, value: float, percent: bool) -> None:
    """Printed figures parse to their value, with the percent sign noted."""
    parsed = parse_number(text)
    assert parsed.value == value
    assert parsed.percent is percent


@pytest.mark.parametrize("text", ["-", "–", "n/a", "not available", "Not available"])
def test_not_available_is_null(text: str) -> None:
    """A printed dash or 'not available' is a null value, not zero."""
    assert parse_number(text).value is None


@pytest.mark.parametrize("text", ["12a", "1 420", "1,42", "", "Albania", "2024-12-31"])
def test_parse_number_rejects_non_figures(text: str) -> None:
    """Text that is not one figure is refused with the text in the message."""
    with pytest.raises(ValueError, match="is not a printed figure"):
        parse_number(text)


def test_arrow_and_sign_are_kept() -> None:
    """The arrow and the sign are kept apart so that validation can compare them."""
    parsed = parse_number("↓ -8%")
    assert (parsed.arrow, parsed.sign) == ("down", "-")
    assert parse_number("= 0%").arrow == "flat"
    assert parse_number("34.5%").decimals == 1
    assert is_sign("-") and is_sign("↑") and not is_sign("-3")


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Kosovo4", "XKX"),
        ("Kosovo⁴", "XKX"),
        ("Kosovo*", "XKX"),
        ("Kosovo (UNSCR 1244)", "XKX"),
        ("Kosovo (S/RES/1244 (1999))", "XKX"),
        ("Kosovo (S/RES/1244 [1999])", "XKX"),
        ("Bosnia and Herzegovina", "BIH"),
        ("BiH", "BIH"),
        ("Bosnia & Herzegovina", "BIH"),
        ("North Macedonia**", "MKD"),
        ("the former Yugoslav Republic of Macedonia", "MKD"),
        ("fYROM", "MKD"),
        ("Serbia***", "SRB"),
        ("Montenegro", "MNE"),
        ("Albania", "ALB"),
        ("Western Balkans*", "WB"),
        ("WESTERN BALKANS", "WB"),
    ],
)
def test_place_aliases(label: str, code: str) -> None:
    """Every way the reports print a Western Balkans place maps to its code."""
    assert place_code(label) == code


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Syrian Arab Republic", "SYR"),
        ("Syria", "SYR"),
        ("Occupied Palestinian Territory", "PSE"),
        ("Palestine", "PSE"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Afghanistan", "AFG"),
        ("Morocco", "MAR"),
        ("Pakistan", "PAK"),
        ("Egypt", "EGY"),
        ("Bangladesh", "BGD"),
        ("India", "IND"),
        ("Cuba", "CUB"),
        ("Russian Federation", "RUS"),
        ("Democratic Republic of the Congo", "COD"),
    ],
)
def test_nationality_aliases(label: str, code: str) -> None:
    """UN names, short names and Turkish spellings of nationalities map to ISO3."""
    assert nationality_code(label) == code


def test_unknown_names_are_not_guessed() -> None:
    """A name that is no place or country yields None rather than a guess."""
    assert place_code("Croatia") is None
    assert nationality_code("Atlantis") is None
    assert nationality_code("Stateless") is None


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Dec 2023", (2023, 12)),
        ("Jun-22", (2022, 6)),
        ("NOV 24", (2024, 11)),
        ("December 2024", (2024, 12)),
        ("Sept 2024", (2024, 9)),
        ("Feb. 2024", (2024, 2)),
        ("2024-12", (2024, 12)),
        ("12/2024", (2024, 12)),
    ],
)
def test_month_labels(label: str, expected: tuple[int, int]) -> None:
    """Chart month labels in every format the reports use parse to (year, month)."""
    assert parse_month_label(label) == expected


def test_periods() -> None:
    """Months end on their last day (leap years included); year to date ends with the report month."""
    assert month_period(2024, 2) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert year_to_date(2025, 6) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    with pytest.raises(ValueError, match="is not a month label"):
        parse_month_label("Kosovo 2024")


def test_kosovo_qualifier_does_not_swallow_a_neighbouring_label() -> None:
    """A wrapped header read with its neighbour keeps the neighbour: only the qualifier itself is dropped."""
    assert place_code("Kosovo (S/RES/1244 Montenegro (1999))") is None
    assert place_code("Kosovo (UNSCR 1244 (1999))") == "XKX"
    assert place_code("Kosovo (1244)") == "XKX"
