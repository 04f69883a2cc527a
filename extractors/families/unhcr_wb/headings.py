"""The section headings of the UNHCR issues (both layouts), matched word by word."""

from __future__ import annotations

from ...layout.headings import HeadingAnchor

#: Section headings as the issues word them (v2024 first, then v2023), matched word by word with the
#: tolerance of `extractors.layout.headings` (month names, years and figures are no words of a heading). Every
#: heading of the family competes: a printed heading belongs to the one it is closest to.
HEADINGS = (
    HeadingAnchor("key_figures", ("Key figures at Regional level", "Key figures")),
    HeadingAnchor("arrivals_chart", ("New Arrivals to each country between January and",)),
    HeadingAnchor("arrivals_table", ("New arrivals by country",)),
    HeadingAnchor(
        "mixed_movements",
        (
            "Estimation of Persons of concern in Mixed Movements in the region as of",
            "Persons in Mixed Movements in the region",
            "Mixed movements",
        ),
    ),
    HeadingAnchor("asylum", ("Asylum statistics in the Western Balkans in", "Asylum in")),
    HeadingAnchor("persons_present", ("Refugees and migrants present at the end of", "Persons present at the end of")),
    HeadingAnchor(
        "present_by_month",
        (
            "Refugees and migrants present at the end of reporting period by month",
            "Persons present at the end of each month",
        ),
    ),
    HeadingAnchor(
        "nationalities",
        (
            "Most common nationalities of Refugees and migrants present at the end of in the Western Balkans region",
            "Main nationalities of persons present",
        ),
    ),
    HeadingAnchor(
        "uasc",
        (
            "Number of unaccompanied or separated children present at end of the reporting period",
            "Unaccompanied and separated children (UASC)",
        ),
    ),
)
