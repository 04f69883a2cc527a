"""The section headings of the DTM issues (both layouts), matched from the start of a line set in capitals.

A heading that does not match its pattern (reworded, wrapped) is found by its words; see
`extractors.layout.Anchor`.
"""

from __future__ import annotations

from ...layout import Anchor

#: Footnote digits a heading may end with when they are not set as superscripts.
_MARKS = r"(?:\s*[\d*]+(?:\s*,\s*\d+)*)?\s*$"

# Section headings, matched from the start of a line set in capitals (footnote marks dropped).
REGISTRATIONS = Anchor(
    rf"(?:REGISTRATIONS\s+ON\s+ARRIVALS?|ARRIVALS){_MARKS}", words=("REGISTRATIONS ON ARRIVAL", "ARRIVALS")
)
MONTHLY_CHART = Anchor(
    r"MONTHLY\s+(?:REGISTRATIONS|ARRIVALS)\b",
    words=("MONTHLY REGISTRATIONS ON ARRIVAL IN THE WESTERN BALKANS", "MONTHLY ARRIVALS TO THE WESTERN BALKANS"),
)
ARRIVALS_BY_COUNTRY = Anchor(
    r"(?:ARRIVALS|REGISTRATIONS(?:\s+ON\s+ARRIVALS?)?)\s+(?:BY|PER)\s+COUNTRY\b", words=("ARRIVALS BY COUNTRY",)
)
NATIONALITIES = Anchor(
    r"TOP\s+(?:3|THREE)\s+NATIONALITIES\b",
    words=("TOP 3 NATIONALITIES ON ARRIVAL IN", "TOP 3 NATIONALITIES OF ARRIVALS"),
)
RECEPTION = Anchor(
    r"(?:MIGRANT\s+)?RECEPTION\s+(?:FACILITIES|CENTRES|CENTERS)\b",
    words=("MIGRANT RECEPTION FACILITIES SNAPSHOT", "RECEPTION FACILITIES"),
)
OCCUPANCY_TREND = Anchor(r"TRENDS?\s+(?:IN|OF)\b.{0,40}?\bOCCUPANCY\b", words=("TRENDS IN FACILITIES' OCCUPANCY",))
SOLUTIONS = Anchor(r"SOLUTIONS\s+AND\s+PATHWAYS\b", words=("SOLUTIONS AND PATHWAYS",))
RETURN_READMISSION = Anchor(
    r"RETURN,?\s+REINTEGRATION\s+AND\s+READMISSION\b", words=("RETURN, REINTEGRATION AND READMISSION",)
)
AVRR = Anchor(
    r"(?:ASSISTED\s+VOLUNTARY\s+RETURN\s+AND\s+REINTEGRATION|RETURN\s+AND\s+REINTEGRATION)\b",
    words=("ASSISTED VOLUNTARY RETURN AND REINTEGRATION CARRIED OUT BY IOM", "RETURN AND REINTEGRATION"),
)
VOLUNTARY_AUTHORITIES = Anchor(
    r"VOLUNTARY\s+RETURNS\s+(?:CARRIED\s+OUT\s+)?BY\s+(?:THE\s+)?AUTHORITIES\b",
    words=("VOLUNTARY RETURNS CARRIED OUT BY AUTHORITIES",),
)
NON_VOLUNTARY_AUTHORITIES = Anchor(
    r"NON[-\s]?VOLUNTARY\s+RETURNS\s+(?:CARRIED\s+OUT\s+)?BY\s+(?:THE\s+)?AUTHORITIES\b",
    words=("NON-VOLUNTARY RETURNS CARRIED OUT BY AUTHORITIES",),
)
ASYLUM = Anchor(
    rf"(?:APPLICATIONS\s+FOR\s+ASYLUM|ASYLUM(?:\s+APPLICATIONS)?){_MARKS}", words=("APPLICATIONS FOR ASYLUM", "ASYLUM")
)
TRAFFICKING = Anchor(
    r"TEMPORARY\s+RESIDENCE\s+PERMITS\b", words=("TEMPORARY RESIDENCE PERMITS TO VICTIMS OF TRAFFICKING",)
)
FUNDERS = Anchor(r"IOM\s+activities\s+(?:are\s+)?funded\s+by\b", uppercase=False, words=("IOM ACTIVITIES FUNDED BY",))

#: Every heading of either layout: a section ends where the next one starts.
BOUNDARIES = (
    REGISTRATIONS,
    MONTHLY_CHART,
    ARRIVALS_BY_COUNTRY,
    NATIONALITIES,
    RECEPTION,
    OCCUPANCY_TREND,
    SOLUTIONS,
    RETURN_READMISSION,
    AVRR,
    VOLUNTARY_AUTHORITIES,
    NON_VOLUNTARY_AUTHORITIES,
    ASYLUM,
    TRAFFICKING,
    FUNDERS,
)
