"""How a UNHCR Western Balkans issue is recognised, its two layouts and what each of their sections yields.

Sections are found by the heading anchors of `headings.HEADINGS` (by name here); their indicators'
units come from `schemas/indicators.py`.
"""

from __future__ import annotations

import re

from ...spec import LayoutSpec, ReportSpec, SectionReader, SectionSpec
from . import sections
from .headings import HEADINGS


def _words_of(phrase: str) -> tuple[str, ...]:
    """Patterns for each word of a heading a layout prints, in any order.

    `Document.text` joins page-wide lines, so a heading wrapped onto short lines comes out interleaved
    with the columns beside it, and two of its lines that nearly share a baseline come out as one line
    with their words sorted left to right: only which words are printed is reliable, not their order.
    The words chosen are printed by one layout only ("Regional level": v2024; "by country": v2023).
    """
    return tuple(rf"\b{re.escape(word)}\b" for word in phrase.split())


def _section(name: str, reader: SectionReader, heading: str, *indicators: str) -> SectionSpec:
    """A section found by the heading anchor named `heading` (one of `HEADINGS`)."""
    anchors = tuple(anchor for anchor in HEADINGS if anchor.section == heading)
    if not anchors:
        raise ValueError(f"section {name!r}: no heading anchor {heading!r}")
    return SectionSpec(name=name, read=reader, headings=anchors, indicators=indicators)


_PRESENT = ("persons_present", "persons_present_share")
_KEY_FIGURES = _section("key_figures", sections.read_key_figures, "key_figures", "new_arrivals")
_MIXED_MOVEMENTS = _section(
    "mixed_movements",
    sections.read_mixed_movements,
    "mixed_movements",
    "mixed_movement_transits",
    "mixed_movement_transits_change",
)
_ASYLUM = _section(
    "asylum",
    sections.read_asylum,
    "asylum",
    "asylum_application_intention_ratio",
    "asylum_applications",
    "asylum_intentions",
)
_PERSONS_PRESENT = _section("persons_present", sections.read_persons_present, "persons_present", *_PRESENT)
_BY_MONTH = _section("persons_present_by_month", sections.read_present_by_month, "present_by_month", "persons_present")
_NATIONALITIES = _section(
    "nationalities", sections.read_nationalities, "nationalities", "persons_present_nationality_share"
)
_UASC = _section("uasc_present", sections.read_uasc, "uasc", "uasc_present")

_ARRIVALS_CHART = _section("arrivals_by_country", sections.read_arrivals_chart, "arrivals_chart", "new_arrivals")
_ARRIVALS_TABLE = _section("arrivals_by_country", sections.read_arrivals_table, "arrivals_table", "new_arrivals")
_BY_COUNTRY = _section("persons_present_by_country", sections.read_persons_present_table, "persons_present", *_PRESENT)
_BOTH_AFTER = (_BY_MONTH, _NATIONALITIES, _UASC)

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
            sections=(_KEY_FIGURES, _ARRIVALS_CHART, _MIXED_MOVEMENTS, _ASYLUM, _PERSONS_PRESENT, *_BOTH_AFTER),
        ),
        LayoutSpec(
            version="v2023",
            signature=_words_of("Key figures New arrivals by country"),
            sections=(
                _KEY_FIGURES,
                _ARRIVALS_TABLE,
                _MIXED_MOVEMENTS,
                _ASYLUM,
                _PERSONS_PRESENT,
                _BY_COUNTRY,
                *_BOTH_AFTER,
            ),
        ),
    ),
    report_month=sections.report_month,
)
