"""The IOM DTM Western Balkans family: how an issue is recognised, its layouts and the sections each prints.

Each section names the headings its reader is anchored by and the indicators it yields (their units are
the catalogue's, `schemas/indicators.py`); `tests/test_families.py` checks the samples against both.
"""

from __future__ import annotations

from ...spec import LayoutSpec, ReportSpec, SectionSpec
from .headings import (
    ARRIVALS_BY_COUNTRY,
    ASYLUM,
    AVRR,
    MONTHLY_CHART,
    NATIONALITIES,
    NON_VOLUNTARY_AUTHORITIES,
    OCCUPANCY_TREND,
    RECEPTION,
    REGISTRATIONS,
    TRAFFICKING,
    VOLUNTARY_AUTHORITIES,
)
from .sections import (
    read_arrivals,
    read_asylum,
    read_avrr,
    read_nationalities,
    read_nationalities_by_rank,
    read_non_voluntary_returns,
    read_reception,
    read_reception_table,
    read_registrations,
    read_trafficking,
    read_voluntary_returns,
    report_month,
)

_REGISTRATIONS = ("registrations_on_arrival", "registrations_on_arrival_change")
_NATIONALITIES = ("arrival_nationality_share", "arrival_nationality_share_change")
_RECEPTION = ("reception_capacity", "reception_centres", "reception_occupancy", "reception_occupancy_rate")
_AVRR = ("avrr_returns", "avrr_returns_share", "reintegration_grants")
_ASYLUM = ("asylum_applications", "complementary_protection_decisions", "refugee_status_decisions")

_NATIONALITIES_SECTION = SectionSpec(
    "nationalities", read_nationalities, headings=(NATIONALITIES,), indicators=_NATIONALITIES
)
_AVRR_SECTION = SectionSpec("avrr", read_avrr, headings=(AVRR,), indicators=_AVRR)
_ASYLUM_SECTION = SectionSpec("asylum", read_asylum, headings=(ASYLUM,), indicators=_ASYLUM)

SPEC = ReportSpec(
    family="dtm_wb",
    publisher="IOM DTM",
    report_prefix="dtm-wb",
    title="IOM DTM Western Balkans — Mixed Migratory Flows Report",
    title_patterns=(r"\bDTM\s+Western\s+Balkans", r"Mixed\s+Migra(?:tory|tion)\s+Flows"),
    layouts=(
        LayoutSpec(
            version="v2024",
            signature=(r"REGISTRATIONS\s+ON\s+ARRIVAL",),
            sections=(
                SectionSpec(
                    "registrations",
                    read_registrations,
                    headings=(REGISTRATIONS, MONTHLY_CHART),
                    indicators=_REGISTRATIONS,
                ),
                _NATIONALITIES_SECTION,
                SectionSpec("reception", read_reception, headings=(RECEPTION, OCCUPANCY_TREND), indicators=_RECEPTION),
                _AVRR_SECTION,
                SectionSpec(
                    "voluntary_returns_authorities",
                    read_voluntary_returns,
                    headings=(VOLUNTARY_AUTHORITIES,),
                    indicators=("voluntary_returns_authorities",),
                ),
                SectionSpec(
                    "non_voluntary_returns_authorities",
                    read_non_voluntary_returns,
                    headings=(NON_VOLUNTARY_AUTHORITIES,),
                    indicators=("non_voluntary_returns_authorities",),
                ),
                _ASYLUM_SECTION,
                SectionSpec(
                    "trafficking",
                    read_trafficking,
                    headings=(TRAFFICKING,),
                    indicators=("trafficking_residence_permits",),
                ),
            ),
        ),
        LayoutSpec(
            version="v2023",
            # Headline captions and the page footer, which a reworded heading leaves as they are.
            signature=(r"\bARRIVALS\s+IN\b", r"ARRIVALS\s+BY\s+COUNTRY|SUBSIDIARY|Mixed\s+Migration\s+Flows"),
            sections=(
                SectionSpec(
                    "arrivals",
                    read_arrivals,
                    headings=(REGISTRATIONS, MONTHLY_CHART, ARRIVALS_BY_COUNTRY),
                    indicators=_REGISTRATIONS,
                ),
                SectionSpec(
                    "nationalities",
                    read_nationalities_by_rank,
                    headings=(NATIONALITIES,),
                    indicators=_NATIONALITIES,
                ),
                SectionSpec("reception", read_reception_table, headings=(RECEPTION,), indicators=_RECEPTION),
                _AVRR_SECTION,
                _ASYLUM_SECTION,
            ),
        ),
    ),
    report_month=report_month,
)
