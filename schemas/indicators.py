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
WholeKind = Literal["region", "period", "breakdown", "indicator"]


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
class Whole:
    """A figure that a figure of this indicator is part of, so it can never exceed it (`part_within_whole`).

    `kind` says where the whole is printed:

    - `region`: the same indicator, period, breakdown and rank for `WB` (a country is part of the region);
    - `period`: the same indicator, geo and breakdown over a longer period that contains this one
      (a month is part of its year to date);
    - `breakdown`: the same indicator, geo and period without breakdown (a nationality's count is
      part of the total);
    - `indicator`: the figure of the indicator `indicator` with the same geo, period, breakdown and
      rank (unaccompanied children present are part of the persons present); `why` says how.
    """

    kind: WholeKind
    indicator: str | None = None
    why: str | None = None

    def __post_init__(self) -> None:
        if (self.kind == "indicator") != (self.indicator is not None):
            raise ValueError(f"Whole({self.kind!r}): only an `indicator` whole names its indicator")


#: A count of people or things is part of the region's, of a longer period's, and of the total over
#: its breakdown (the nesting every additive indicator of both families prints).
COUNT_WHOLES: tuple[Whole, ...] = (Whole("region"), Whole("period"), Whole("breakdown"))


@dataclasses.dataclass(frozen=True)
class Rows:
    """The rows every table or list printing this indicator has (`rows_complete`).

    Only what the designs guarantee: a requirement applies once the report prints the table at all.

    Attributes
    ----------
    places
        A table by country: when any country is printed for a period (and breakdown and rank),
        every country of the indicator's `coverage` (all six when None) is printed for it, if only
        as a dash; with `region`, the `WB` row (or total) too.
    ranked, ranks
        A top-N list: every geo and period printed has ranks 1 to `ranks`, without a gap (None:
        1 to the last rank printed, as a list whose length the design does not fix).
    breakdowns
        Breakdown values printed together (male and female): when one is printed, all are.
    """

    places: bool = False
    region: bool = False
    ranked: bool = False
    ranks: int | None = None
    breakdowns: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class MonthSeries:
    """A chart of the region's figure by month, whose axis ends with the report month (`rows_complete`).

    Attributes
    ----------
    length
        Months on the axis, the report month included; None: January of the report year to the
        report month (the chart may start earlier). Either way, no month is missing between the
        first month printed and the report month.
    stock
        The figures are month-end stocks (persons present) rather than monthly counts.
    always
        Every issue that prints the indicator prints the chart; False: only issues that print the
        series before the report month (a layout without the chart prints the month alone).
    """

    length: int | None
    stock: bool = False
    always: bool = True


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
    within
        The wholes a figure is part of and may never exceed (`part_within_whole`).
    rows, chart
        The rows of its tables and the months of its chart that a report always prints (`rows_complete`).
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
    within: tuple[Whole, ...] = ()
    rows: Rows | None = None
    chart: MonthSeries | None = None

    def __post_init__(self) -> None:
        if (self.change_of is None) != (self.change_kind is None) or (self.change_of is None) != (
            self.compared_with is None
        ):
            raise ValueError(f"{self.name}: change_of, change_kind and compared_with go together")
        if self.additive and self.unit not in ("persons", "count"):
            raise ValueError(f"{self.name}: only counts (persons, count) can be additive, not {self.unit}")
        if any(whole.kind != "indicator" for whole in self.within) and not self.additive:
            raise ValueError(
                f"{self.name}: only additive counts are part of the region's, a longer period's or a total"
            )

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
        within=COUNT_WHOLES,
        rows=Rows(places=True, region=True),
        chart=MonthSeries(13),
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
        rows=Rows(ranked=True, ranks=3),
    ),
    Indicator(
        "arrival_nationality_share_change",
        "percentage_points",
        (DTM,),
        "Change of that share against the previous month.",
        change_of="arrival_nationality_share",
        change_kind="difference",
        compared_with="previous_month",
        within=(Whole("indicator", "arrival_nationality_share", "a share cannot have risen by more than it now is"),),
        rows=Rows(ranked=True, ranks=3),
    ),
    Indicator(
        "reception_centres",
        "count",
        (DTM,),
        "Reception centres in the facilities snapshot.",
        additive=True,
        within=COUNT_WHOLES,
        rows=Rows(places=True, region=True),
    ),
    Indicator(
        "reception_capacity",
        "persons",
        (DTM,),
        "Places in reception centres.",
        additive=True,
        within=COUNT_WHOLES,
        rows=Rows(places=True, region=True),
    ),
    Indicator(
        "reception_occupancy",
        "persons",
        (DTM,),
        "Migrants accommodated in reception centres.",
        additive=True,
        within=COUNT_WHOLES,
        rows=Rows(places=True, region=True),
        chart=MonthSeries(13, stock=True, always=False),
    ),
    Indicator(
        "reception_occupancy_rate",
        "percent",
        (DTM,),
        "Migrants accommodated as a share of capacity.",
        ratio=Ratio("reception_occupancy", "reception_capacity"),
        rows=Rows(places=True, region=True),
    ),
    Indicator(
        "avrr_returns",
        "persons",
        (DTM,),
        "Assisted voluntary returns carried out by IOM.",
        additive=True,
        within=COUNT_WHOLES,
        rows=Rows(places=True, region=True),
    ),
    Indicator(
        "avrr_returns_share",
        "percent",
        (DTM,),
        "Returns by sex, in percent.",
        share_over="breakdown",
        rows=Rows(breakdowns=("sex:male", "sex:female")),
    ),
    Indicator("reintegration_grants", "count", (DTM,), "Reintegration grants.", additive=True, within=COUNT_WHOLES),
    Indicator(
        "voluntary_returns_authorities",
        "persons",
        (DTM,),
        "Voluntary returns carried out by the authorities (Bosnia and Herzegovina, Serbia).",
        additive=True,
        coverage=("BIH", "SRB"),
        within=COUNT_WHOLES,
        rows=Rows(places=True, region=True),
    ),
    Indicator(
        "non_voluntary_returns_authorities",
        "persons",
        (DTM,),
        "Non-voluntary returns carried out by the authorities (Bosnia and Herzegovina, Serbia).",
        additive=True,
        coverage=("BIH", "SRB"),
        within=COUNT_WHOLES,
        rows=Rows(places=True, region=True),
    ),
    Indicator(
        "asylum_applications",
        "count",
        (DTM, UNHCR),
        "Applications for asylum.",
        additive=True,
        within=COUNT_WHOLES,
        rows=Rows(places=True, region=True),
    ),
    Indicator(
        "refugee_status_decisions",
        "count",
        (DTM,),
        "Decisions to grant refugee status.",
        additive=True,
        within=COUNT_WHOLES,
    ),
    Indicator(
        "complementary_protection_decisions",
        "count",
        (DTM,),
        "Decisions to grant complementary forms of protection.",
        additive=True,
        within=COUNT_WHOLES,
    ),
    Indicator(
        "trafficking_residence_permits",
        "count",
        (DTM,),
        "Temporary residence permits granted to victims of trafficking.",
        additive=True,
        within=COUNT_WHOLES,
    ),
    # UNHCR Western Balkans snapshot.
    Indicator(
        "new_arrivals",
        "persons",
        (UNHCR,),
        "New arrivals, January to the report month.",
        additive=True,
        within=COUNT_WHOLES,
        rows=Rows(places=True, region=True),
    ),
    Indicator(
        "mixed_movement_transits",
        "persons",
        (UNHCR,),
        "Estimated transits through the region as part of mixed movements.",
        additive=True,
        within=COUNT_WHOLES,
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
    Indicator("asylum_intentions", "count", (UNHCR,), "Intentions to seek asylum.", additive=True, within=COUNT_WHOLES),
    Indicator(
        "asylum_application_intention_ratio",
        "percent",
        (UNHCR,),
        "Asylum applications as a share of intentions.",
        ratio=Ratio("asylum_applications", "asylum_intentions"),
    ),
    Indicator(
        "persons_present",
        "persons",
        (UNHCR,),
        "Refugees and migrants present at a month's end.",
        additive=True,
        within=COUNT_WHOLES,
        rows=Rows(places=True, region=True),
        chart=MonthSeries(None, stock=True),
    ),
    Indicator(
        "persons_present_share",
        "percent",
        (UNHCR,),
        "Share of each country in the persons present in the region.",
        share_over="geo",
        ratio=Ratio("persons_present", "persons_present", denominator_geo="WB"),
        rows=Rows(places=True),
    ),
    Indicator(
        "persons_present_nationality_share",
        "percent",
        (UNHCR,),
        "Most common nationalities of the persons present (ranked).",
        share_over="breakdown",
        rows=Rows(ranked=True),
    ),
    Indicator(
        "uasc_present",
        "persons",
        (UNHCR,),
        "Unaccompanied and separated children present.",
        additive=True,
        within=(
            *COUNT_WHOLES,
            Whole(
                "indicator",
                "persons_present",
                "unaccompanied and separated children are counted among the persons present",
            ),
        ),
    ),
)

#: Every indicator by name: the schema's list of known names and the rules' source of relations.
INDICATORS: Mapping[str, Indicator] = {indicator.name: indicator for indicator in _INDICATORS}


def _check_relations() -> None:
    for indicator in _INDICATORS:
        related = (
            [indicator.change_of]
            + ([indicator.ratio.numerator, indicator.ratio.denominator] if indicator.ratio else [])
            + [whole.indicator for whole in indicator.within]
        )
        for name in related:
            if name is not None and name not in INDICATORS:
                raise ValueError(f"{indicator.name} refers to unknown indicator {name!r}")


_check_relations()
