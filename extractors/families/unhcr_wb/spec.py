"""The UNHCR Western Balkans family: how an issue is recognised, its layouts and the sections each prints.

Each section names the heading anchor its reader looks for and the indicators it yields (their units are
the catalogue's, `schemas/indicators.py`); `tests/test_families.py` checks the samples against both.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...context import ReportContext
from ...document import Document
from ...facts import Fact
from ...spec import LayoutSpec, ReportSpec, SectionSpec
from .headings import HEADINGS
from .sections import (
    read_arrivals_chart,
    read_arrivals_table,
    read_asylum,
    read_key_figures,
    read_mixed_movements,
    read_nationalities,
    read_persons_present,
    read_persons_present_table,
    read_present_by_month,
    read_uasc,
    report_month,
)


def _words_of(phrase: str) -> tuple[str, ...]:
    """Patterns for each word of a heading a layout prints, in any order.

    `Document.text` joins page-wide lines, so a heading wrapped onto short lines comes out interleaved
    with the columns beside it, and two of its lines that nearly share a baseline come out as one line
    with their words sorted left to right: only which words are printed is reliable, not their order.
    The words chosen are printed by one layout only ("Regional level": v2024; "by country": v2023).
    """
    return tuple(rf"\b{re.escape(word)}\b" for word in phrase.split())


def _section(
    name: str, read: Callable[[Document, ReportContext], list[Fact]], heading: str, indicators: tuple[str, ...]
) -> SectionSpec:
    """A section found by the heading anchor named `heading` (one of `HEADINGS`)."""
    anchors = tuple(anchor for anchor in HEADINGS if anchor.section == heading)
    if not anchors:
        raise ValueError(f"section {name!r}: no heading anchor {heading!r}")
    return SectionSpec(name=name, read=read, headings=anchors, indicators=indicators)


_ASYLUM = ("asylum_application_intention_ratio", "asylum_applications", "asylum_intentions")
_MIXED_MOVEMENTS = ("mixed_movement_transits", "mixed_movement_transits_change")
_PRESENT = ("persons_present", "persons_present_share")
_NATIONALITIES = ("persons_present_nationality_share",)


SPEC = ReportSpec(
    family="unhcr_wb",
    publisher="UNHCR",
    report_prefix="unhcr-wb",
    title="UNHCR Western Balkans — Refugees, asylum-seekers and other people in mixed movements",
    # "mixed movements" is printed in the banner and in headings and prose; with the banner drawn as an image
    # and wrapped lines interleaved in `Document.text`, the two words may be apart (no DTM issue prints them
    # within 30 words of each other).
    title_patterns=(r"\bmixed\b(?:\W+\S+){0,30}?\W+movements?\b",),
    layouts=(
        LayoutSpec(
            version="v2024",
            signature=_words_of("Key figures Regional level"),
            sections=(
                _section("key_figures", read_key_figures, "key_figures", ("new_arrivals",)),
                _section("arrivals_by_country", read_arrivals_chart, "arrivals_chart", ("new_arrivals",)),
                _section("mixed_movements", read_mixed_movements, "mixed_movements", _MIXED_MOVEMENTS),
                _section("asylum", read_asylum, "asylum", _ASYLUM),
                _section("persons_present", read_persons_present, "persons_present", _PRESENT),
                _section("persons_present_by_month", read_present_by_month, "present_by_month", ("persons_present",)),
                _section("nationalities", read_nationalities, "nationalities", _NATIONALITIES),
                _section("uasc_present", read_uasc, "uasc", ("uasc_present",)),
            ),
        ),
        LayoutSpec(
            version="v2023",
            signature=_words_of("Key figures New arrivals by country"),
            sections=(
                _section("key_figures", read_key_figures, "key_figures", ("new_arrivals",)),
                _section("arrivals_by_country", read_arrivals_table, "arrivals_table", ("new_arrivals",)),
                _section("mixed_movements", read_mixed_movements, "mixed_movements", _MIXED_MOVEMENTS),
                _section("asylum", read_asylum, "asylum", _ASYLUM),
                _section("persons_present", read_persons_present, "persons_present", _PRESENT),
                _section("persons_present_by_country", read_persons_present_table, "persons_present", _PRESENT),
                _section("persons_present_by_month", read_present_by_month, "present_by_month", ("persons_present",)),
                _section("nationalities", read_nationalities, "nationalities", _NATIONALITIES),
                _section("uasc_present", read_uasc, "uasc", ("uasc_present",)),
            ),
        ),
    ),
    report_month=report_month,
)
