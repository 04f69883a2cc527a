"""DTM Western Balkans: the title an issue prints, its layouts (v2024, v2023) and their sections.

A section is declared with the `headings` anchors its reader starts from and the `indicators` it reads.
"""

from __future__ import annotations

from ...layout import Anchor
from ...spec import LayoutSpec, ReportSpec, SectionReader, SectionSpec
from . import headings, sections


def _section(name: str, reader: SectionReader, anchors: tuple[Anchor, ...], *indicators: str) -> SectionSpec:
    return SectionSpec(name=name, read=reader, headings=anchors, indicators=indicators)


_REGISTRATIONS = ("registrations_on_arrival", "registrations_on_arrival_change")
_SHARES = ("arrival_nationality_share", "arrival_nationality_share_change")
_RECEPTION = ("reception_capacity", "reception_centres", "reception_occupancy", "reception_occupancy_rate")
_AVRR = _section(
    "avrr", sections.read_avrr, (headings.AVRR,), "avrr_returns", "avrr_returns_share", "reintegration_grants"
)
_ASYLUM = _section(
    "asylum",
    sections.read_asylum,
    (headings.ASYLUM,),
    "asylum_applications",
    "complementary_protection_decisions",
    "refugee_status_decisions",
)
_V2024 = (
    _section(
        "registrations", sections.read_registrations, (headings.REGISTRATIONS, headings.MONTHLY_CHART), *_REGISTRATIONS
    ),
    _section("nationalities", sections.read_nationalities, (headings.NATIONALITIES,), *_SHARES),
    _section("reception", sections.read_reception, (headings.RECEPTION, headings.OCCUPANCY_TREND), *_RECEPTION),
    _AVRR,
    _section(
        "voluntary_returns_authorities",
        sections.read_voluntary_returns,
        (headings.VOLUNTARY_AUTHORITIES,),
        "voluntary_returns_authorities",
    ),
    _section(
        "non_voluntary_returns_authorities",
        sections.read_non_voluntary_returns,
        (headings.NON_VOLUNTARY_AUTHORITIES,),
        "non_voluntary_returns_authorities",
    ),
    _ASYLUM,
    _section("trafficking", sections.read_trafficking, (headings.TRAFFICKING,), "trafficking_residence_permits"),
)
_V2023 = (
    _section(
        "arrivals",
        sections.read_arrivals,
        (headings.REGISTRATIONS, headings.MONTHLY_CHART, headings.ARRIVALS_BY_COUNTRY),
        *_REGISTRATIONS,
    ),
    _section("nationalities", sections.read_nationalities_by_rank, (headings.NATIONALITIES,), *_SHARES),
    _section("reception", sections.read_reception_table, (headings.RECEPTION,), *_RECEPTION),
    _AVRR,
    _ASYLUM,
)

SPEC = ReportSpec(
    family="dtm_wb",
    publisher="IOM DTM",
    report_prefix="dtm-wb",
    title="IOM DTM Western Balkans — Mixed Migratory Flows Report",
    title_patterns=(r"\bDTM\s+Western\s+Balkans", r"Mixed\s+Migra(?:tory|tion)\s+Flows"),
    layouts=(
        LayoutSpec(version="v2024", signature=(r"REGISTRATIONS\s+ON\s+ARRIVAL",), sections=_V2024),
        LayoutSpec(
            version="v2023",
            # Headline captions and the page footer, which a reworded heading leaves as they are.
            signature=(r"\bARRIVALS\s+IN\b", r"ARRIVALS\s+BY\s+COUNTRY|SUBSIDIARY|Mixed\s+Migration\s+Flows"),
            sections=_V2023,
        ),
    ),
    report_month=sections.report_month,
)
