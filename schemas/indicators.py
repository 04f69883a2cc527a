"""Every indicator of the `facts` table, with its unit and the arithmetic the reports promise about it.

This is the one place indicator names are written down (DATA_CONTRACT.md lists them for people):
the schema accepts only these names, the validation rules read their relations from here, and
extractors may import it to name what they read. A figure a report prints that the contract does
not list gets a new snake_case entry here, documented like the others.

This module imports nothing from the project, so that extractors can import it without a cycle.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Literal

#: Families (registry keys of `extractors.EXTRACTORS`) an indicator can come from.
DTM = "dtm_wb"
UNHCR = "unhcr_wb"

ShareOver = Literal["breakdown", "geo"]
ChangeKind = Literal["relative", "difference"]
ComparedWith = Literal["previous_month", "previous_year"]


@dataclasses.dataclass(frozen=True)
class Ratio:
    """`value = numerator / denominator * 100`, both read from the same report and period.

    `denominator_geo` fixes the denominator's geo (a country's share of the region's total);
    None means the denominator has the same geo as the ratio.
    """

    numerator: str
    denominator: str
    denominator_geo: str | None = None


@dataclasses.dataclass(frozen=True)
class Indicator:
    """An indicator: its unit, the families that print it, and how its figures relate to others.

    Attributes
    ----------
    additive
        Country values of one period add up to the `WB` value (counts of people, decisions, centres).
    coverage
        The countries whose values make up `WB` when a report covers only some (None: all six).
    share_over
        The figures are percentages of one whole that add up to 100: across `breakdown` values
        (male/female) or across countries (`geo`). Ranked figures are a top-N list of such shares.
    change_of, change_kind, compared_with
        The figure is a printed change of `change_of`: `relative` (percent) or a `difference`
        (percentage points), against the previous month or the same period of the previous year.
    ratio
        The figure is a ratio of two other indicators, in percent.
    """

    name: str
    unit: str
    families: tuple[str, ...]
    description: str
    additive: bool = False
    coverage: tuple[str, ...] | None = None
    share_over: ShareOver | None = None
    change_of: str | None = None
    change_kind: ChangeKind | None = None
    compared_with: ComparedWith | None = None
    ratio: Ratio | None = None

    def __post_init__(self) -> None:
        if (self.change_of is None) != (self.change_kind is None) or (self.change_of is None) != (
            self.compared_with is None
        ):
            raise ValueError(f"{self.name}: change_of, change_kind and compared_with go together")
        if self.additive and self.unit not in ("persons", "count"):
            raise ValueError(f"{self.name}: only counts (persons, count) can be additive, not {self.unit}")

    @property
    def is_count(self) -> bool:
        return self.unit in ("persons", "count")

    @property
    def is_change(self) -> bool:
        return self.change_of is not None

    @property
    def lower_bound(self) -> float | None:
        """The smallest value the figure can take (counts and shares are never negative)."""
        if self.is_count or self.share_over is not None or self.ratio is not None:
            return 0.0
        if self.change_kind == "relative":
            return -100.0
        if self.unit in ("percent", "percentage_points"):
            return -100.0
        return None

    @property
    def upper_bound(self) -> float | None:
        """The largest value the figure can take (a share or a percentage-point change of one)."""
        if self.share_over is not None or self.unit == "percentage_points":
            return 100.0
        if self.unit == "percent" and not self.is_change and self.ratio is None:
            return 100.0
        return None


_INDICATORS = (
    # IOM DTM Western Balkans monthly report.
    Indicator(
        "registrations_on_arrival",
        "persons",
        (DTM,),
        "Registrations of irregular entries, per month or year to date.",
        additive=True,
    ),
    Indicator(
        "registrations_on_arrival_change",
        "percent",
        (DTM,),
        "Registrations in the month compared with the previous month.",
        change_of="registrations_on_arrival",
        change_kind="relative",
        compared_with="previous_month",
    ),
    Indicator(
        "arrival_nationality_share",
        "percent",
        (DTM,),
        "Share of a nationality in a country's arrivals (top 3, ranked).",
        share_over="breakdown",
    ),
    Indicator(
        "arrival_nationality_share_change",
        "percentage_points",
        (DTM,),
        "Change of that share against the previous month.",
        change_of="arrival_nationality_share",
        change_kind="difference",
        compared_with="previous_month",
    ),
    Indicator("reception_centres", "count", (DTM,), "Reception centres in the facilities snapshot.", additive=True),
    Indicator("reception_capacity", "persons", (DTM,), "Places in reception centres.", additive=True),
    Indicator("reception_occupancy", "persons", (DTM,), "Migrants accommodated in reception centres.", additive=True),
    Indicator(
        "reception_occupancy_rate",
        "percent",
        (DTM,),
        "Migrants accommodated as a share of capacity.",
        ratio=Ratio("reception_occupancy", "reception_capacity"),
    ),
    Indicator("avrr_returns", "persons", (DTM,), "Assisted voluntary returns carried out by IOM.", additive=True),
    Indicator("avrr_returns_share", "percent", (DTM,), "Returns by sex, in percent.", share_over="breakdown"),
    Indicator("reintegration_grants", "count", (DTM,), "Reintegration grants.", additive=True),
    Indicator(
        "voluntary_returns_authorities",
        "persons",
        (DTM,),
        "Voluntary returns carried out by the authorities (Bosnia and Herzegovina, Serbia).",
        additive=True,
        coverage=("BIH", "SRB"),
    ),
    Indicator(
        "non_voluntary_returns_authorities",
        "persons",
        (DTM,),
        "Non-voluntary returns carried out by the authorities (Bosnia and Herzegovina, Serbia).",
        additive=True,
        coverage=("BIH", "SRB"),
    ),
    Indicator("asylum_applications", "count", (DTM, UNHCR), "Applications for asylum.", additive=True),
    Indicator("refugee_status_decisions", "count", (DTM,), "Decisions to grant refugee status.", additive=True),
    Indicator(
        "complementary_protection_decisions",
        "count",
        (DTM,),
        "Decisions to grant complementary forms of protection.",
        additive=True,
    ),
    Indicator(
        "trafficking_residence_permits",
        "count",
        (DTM,),
        "Temporary residence permits granted to victims of trafficking.",
        additive=True,
    ),
    # UNHCR Western Balkans snapshot.
    Indicator("new_arrivals", "persons", (UNHCR,), "New arrivals, January to the report month.", additive=True),
    Indicator(
        "mixed_movement_transits",
        "persons",
        (UNHCR,),
        "Estimated transits through the region as part of mixed movements.",
        additive=True,
    ),
    Indicator(
        "mixed_movement_transits_change",
        "percent",
        (UNHCR,),
        "Transits compared with the same period of the previous year.",
        change_of="mixed_movement_transits",
        change_kind="relative",
        compared_with="previous_year",
    ),
    Indicator("asylum_intentions", "count", (UNHCR,), "Intentions to seek asylum.", additive=True),
    Indicator(
        "asylum_application_intention_ratio",
        "percent",
        (UNHCR,),
        "Asylum applications as a share of intentions.",
        ratio=Ratio("asylum_applications", "asylum_intentions"),
    ),
    Indicator("persons_present", "persons", (UNHCR,), "Refugees and migrants present at a month's end.", additive=True),
    Indicator(
        "persons_present_share",
        "percent",
        (UNHCR,),
        "Share of each country in the persons present in the region.",
        share_over="geo",
        ratio=Ratio("persons_present", "persons_present", denominator_geo="WB"),
    ),
    Indicator(
        "persons_present_nationality_share",
        "percent",
        (UNHCR,),
        "Most common nationalities of the persons present (ranked).",
        share_over="breakdown",
    ),
    Indicator("uasc_present", "persons", (UNHCR,), "Unaccompanied and separated children present.", additive=True),
)

#: Every indicator by name: the schema's list of known names and the rules' source of relations.
INDICATORS: Mapping[str, Indicator] = {indicator.name: indicator for indicator in _INDICATORS}


def _check_relations() -> None:
    for indicator in _INDICATORS:
        related = [indicator.change_of] + (
            [indicator.ratio.numerator, indicator.ratio.denominator] if indicator.ratio else []
        )
        for name in related:
            if name is not None and name not in INDICATORS:
                raise ValueError(f"{indicator.name} refers to unknown indicator {name!r}")


_check_relations()
