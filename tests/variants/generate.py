"""New, internally consistent issues drawn from a sample's truth: another month, values re-drawn.

What stays consistent (the promises the data contract lists): country values add up to the `WB`
value, shares of one breakdown add up to 100, a change has the sign of the difference it describes
(and its arrow follows the sign), a figure printed twice is the same number, year-to-date totals
are sums of the monthly values the issue prints. A `plant` breaks one promise on purpose and says so
in `expected_violations`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from extractors.geo import WB_COUNTRIES

from .issue import month_end, month_period, year_to_date, years
from .labels import NATIONALITY_NAMES, months_back, previous_month

PUBLISHERS = {"dtm_wb": ("IOM DTM", "dtm-wb"), "unhcr_wb": ("UNHCR", "unhcr-wb")}
UNITS = {
    "registrations_on_arrival": "persons",
    "registrations_on_arrival_change": "percent",
    "arrival_nationality_share": "percent",
    "arrival_nationality_share_change": "percentage_points",
    "reception_centres": "count",
    "reception_capacity": "persons",
    "reception_occupancy": "persons",
    "reception_occupancy_rate": "percent",
    "avrr_returns": "persons",
    "avrr_returns_share": "percent",
    "reintegration_grants": "count",
    "voluntary_returns_authorities": "persons",
    "non_voluntary_returns_authorities": "persons",
    "asylum_applications": "count",
    "refugee_status_decisions": "count",
    "complementary_protection_decisions": "count",
    "trafficking_residence_permits": "count",
    "new_arrivals": "persons",
    "mixed_movement_transits": "persons",
    "mixed_movement_transits_change": "percent",
    "asylum_intentions": "count",
    "asylum_application_intention_ratio": "percent",
    "persons_present": "persons",
    "persons_present_share": "percent",
    "persons_present_nationality_share": "percent",
    "uasc_present": "persons",
}


def half_up(value: float) -> int:
    """Round half away from zero, as reports do (Python's `round` rounds half to even)."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


class Facts:
    """Facts of one issue being generated, in the order they are added."""

    def __init__(self, family: str, year: int, month: int) -> None:
        self.publisher, prefix = PUBLISHERS[family]
        self.report_id = f"{prefix}-{year:04d}-{month:02d}"
        self.report_month = f"{year:04d}-{month:02d}"
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        indicator: str,
        geo: str,
        period: tuple[str, str],
        value: float | None,
        *,
        breakdown: str | None = None,
        rank: int | None = None,
        qualifier: str | None = None,
    ) -> None:
        """Add a figure; one printed twice under the same key (a January issue's month and year) is kept once."""
        for row in self.rows:
            if (
                row["indicator"],
                row["geo"],
                row["period_start"],
                row["period_end"],
                row["breakdown"],
                row["rank"],
            ) == (indicator, geo, *period, breakdown, rank):
                if row["value"] != (None if value is None else float(value)):
                    raise ValueError(f"{indicator} {geo} {period} would print {row['value']} and {value}")
                return
        self.rows.append(
            {
                "report_id": self.report_id,
                "publisher": self.publisher,
                "report_month": self.report_month,
                "indicator": indicator,
                "geo": geo,
                "period_start": period[0],
                "period_end": period[1],
                "breakdown": breakdown,
                "rank": rank,
                "value": None if value is None else float(value),
                "unit": UNITS[indicator],
                "qualifier": qualifier,
                "page": None,
            }
        )


class Template:
    """Typical sizes of each figure, read from a sample's truth (so re-drawn values look like the samples')."""

    def __init__(self, truth: dict[str, Any]) -> None:
        self.facts = truth["facts"]
        self.month = int(truth["report_id"][-2:])

    def _spanning(self, indicator: str, geo: str, span: Callable[[str, str], bool]) -> list[float]:
        """Printed values of a figure whose period (start, end) `span` accepts."""
        return [
            r["value"]
            for r in self.facts
            if r["indicator"] == indicator
            and r["geo"] == geo
            and r["value"] is not None
            and span(r["period_start"], r["period_end"])
        ]

    def this_year(self, indicator: str, geo: str, default: float) -> float:
        """The template's year-to-date value of a figure, scaled to a whole year."""
        found = self._spanning(indicator, geo, lambda start, end: start[:4] == end[:4])
        return max(found) * 12 / self.month if found else default

    def years_before(self, indicator: str, geo: str, default: float) -> float:
        """The template's multi-year total of a figure (`2016 - 2023`)."""
        found = self._spanning(indicator, geo, lambda start, end: start[:4] != end[:4])
        return max(found) if found else default

    def values(self, indicator: str, geo: str | None = None) -> list[float]:
        return [
            r["value"]
            for r in self.facts
            if r["indicator"] == indicator and r["value"] is not None and (geo is None or r["geo"] == geo)
        ]

    def level(self, indicator: str, geo: str, default: float) -> float:
        found = self.values(indicator, geo)
        return sum(found) / len(found) if found else default

    def monthly(self, indicator: str, geo: str, default: float) -> float:
        """The template's average one-month value of a figure."""
        found = self._spanning(indicator, geo, lambda start, end: start[:7] == end[:7])
        return sum(found) / len(found) if found else default

    def nationalities(self) -> list[str]:
        codes = {r["breakdown"].split(":")[1] for r in self.facts if (r["breakdown"] or "").startswith("nationality")}
        return sorted(codes | {"AFG", "SYR", "MAR", "PAK", "EGY"})


def jiggle(rng: random.Random, level: float, spread: float = 0.25, floor: int = 0) -> int:
    """A positive count around `level`."""
    return max(floor, half_up(level * rng.lognormvariate(0, spread)))


def shares_to_100(rng: random.Random, count: int, step: float) -> list[float]:
    """`count` shares in multiples of `step` adding up to exactly 100, largest first."""
    weights = [rng.lognormvariate(0, 0.7) for _ in range(count)]
    units = round(100 / step)
    raw = [w / sum(weights) * units for w in weights]
    parts = [max(1, int(r)) for r in raw]
    while sum(parts) < units:
        parts[max(range(count), key=lambda i: raw[i] - parts[i])] += 1
    while sum(parts) > units:
        parts[max(range(count), key=lambda i: parts[i])] -= 1
    return sorted((p * step for p in parts), reverse=True)


def top_shares(rng: random.Random, count: int, low: int, high: int) -> list[int]:
    """Distinct descending shares of the top `count` nationalities (they need not add up to 100)."""
    while True:
        first = rng.randint(low, high)
        shares = [first]
        for _ in range(count - 1):
            shares.append(rng.randint(max(2, shares[-1] // 3), max(2, shares[-1] - 1)))
        if len(set(shares)) == count and sum(shares) <= 100 and shares[-1] >= 2:
            return shares


def new_issue(
    template: dict[str, Any],
    year: int,
    month: int,
    seed: int,
    *,
    absent: Sequence[str] = ("SRB",),
    plant: Sequence[str] = (),
) -> dict[str, Any]:
    """A new issue of the template's family and layout for (year, month), its values drawn with `seed`.

    Parameters
    ----------
    template
        A sample's truth (`tests/truth/<family>/<YYYY-MM>.truth.json`): its family, layout version and
        the typical size of each figure.
    year, month
        The reporting month of the new issue.
    seed
        Seed of the random draws; the same arguments always give the same issue.
    absent
        DTM: countries missing from the nationalities grid (the samples all lack Serbia).
    plant
        Consistency rules to break on purpose (`sum_to_total`, `share_sum`, `arrow_sign`).

    Returns
    -------
    dict
        A truth dict (`report_id`, `family`, `layout_version`, `facts` without pages,
        `expected_violations`), ready for `render`.
    """
    rng = random.Random(f"{template['report_id']}:{year}-{month}:{seed}")
    family, layout = template["family"], template["layout_version"]
    builder = {
        ("dtm_wb", "v2024"): _dtm_v2024,
        ("dtm_wb", "v2023"): _dtm_v2023,
        ("unhcr_wb", "v2024"): _unhcr_v2024,
        ("unhcr_wb", "v2023"): _unhcr_v2023,
    }[(family, layout)]
    facts = Facts(family, year, month)
    violations: list[dict[str, str]] = []
    extra: dict[str, Any] = {}
    builder(_Draw(Template(template), rng, facts, year, month, list(absent), list(plant), violations, extra))
    return {
        "report_id": facts.report_id,
        "family": family,
        "layout_version": layout,
        "facts": facts.rows,
        "expected_violations": violations,
        **extra,
    }


class _Draw(NamedTuple):
    """One issue being drawn: its template, random source and facts, its month, the countries missing from
    the DTM nationalities grid, the plants, and what it records beside the facts."""

    t: Template
    rng: random.Random
    facts: Facts
    y: int
    m: int
    absent: list[str]
    plant: list[str]
    violations: list[dict[str, str]]
    extra: dict[str, Any]


# -- DTM -------------------------------------------------------------------------------------


def _monthly_registrations(t: Template, rng: random.Random, months: list[tuple[int, int]]) -> dict[str, list[int]]:
    """Per-country monthly registrations sharing a regional trend, so the totals rise and fall together."""
    trend = [rng.lognormvariate(0, 0.25) for _ in months]
    base = rng.uniform(0.4, 1.3)
    return {
        geo: [
            jiggle(rng, t.monthly("registrations_on_arrival", geo, 600) * base * trend[i], 0.18, 5)
            for i in range(len(months))
        ]
        for geo in WB_COUNTRIES
    }


def _nationalities(d: _Draw, period: tuple[str, str]) -> None:
    t, rng, facts, y, m, absent, plant, violations, extra = d
    pool = [c for c in t.nationalities() if c in NATIONALITY_NAMES]
    flipped = None
    with_data = [g for g in WB_COUNTRIES if g not in absent]
    if "arrow_sign" in plant:
        flipped = (rng.choice(with_data), rng.randint(1, 3))
    for geo in with_data:
        codes = rng.sample(pool, 3)
        for rank, (code, share) in enumerate(zip(codes, top_shares(rng, 3, 18, 60), strict=True), start=1):
            previous = share if rng.random() < 0.12 else max(0, share + rng.randint(-20, 20))
            change = share - previous
            if (geo, rank) == flipped and change == 0:
                change = share  # a nationality new this month: the flipped arrow then points down
            breakdown = f"nationality:{code}"
            facts.add("arrival_nationality_share", geo, period, share, breakdown=breakdown, rank=rank)
            facts.add("arrival_nationality_share_change", geo, period, change, breakdown=breakdown, rank=rank)
    if flipped:
        extra["planted_render"] = [["arrow_sign", *flipped]]
        violations.append(
            {
                "rule": "arrow_sign",
                "detail": f"arrival_nationality_share_change {flipped[0]} rank "
                f"{flipped[1]}: the arrow points against the sign of the printed change",
            }
        )


def _facilities(t: Template, rng: random.Random, facts: Facts, stock: tuple[str, str]) -> int:
    totals = [0, 0, 0]
    for geo in WB_COUNTRIES:
        centres = int(t.level("reception_centres", geo, 3))
        capacity = int(t.level("reception_capacity", geo, 400))
        occupancy = max(1, half_up(capacity * rng.uniform(0.08, 0.6)))
        facts.add("reception_centres", geo, stock, centres)
        facts.add("reception_capacity", geo, stock, capacity)
        facts.add("reception_occupancy", geo, stock, occupancy)
        facts.add("reception_occupancy_rate", geo, stock, half_up(occupancy / capacity * 100))
        totals = [totals[0] + centres, totals[1] + capacity, totals[2] + occupancy]
    facts.add("reception_centres", "WB", stock, totals[0])
    facts.add("reception_capacity", "WB", stock, totals[1])
    facts.add("reception_occupancy", "WB", stock, totals[2])
    facts.add("reception_occupancy_rate", "WB", stock, half_up(totals[2] / totals[1] * 100))
    return totals[2]


def _country_rows(
    t: Template, rng: random.Random, indicator: str, m: int, growth: float
) -> tuple[dict[str, int], dict[str, int]]:
    """Per-country values for the year to date and for the years before (`2016 - 2023`)."""
    this_year = {g: jiggle(rng, t.this_year(indicator, g, 40) * m / 12, 0.35, 1) for g in WB_COUNTRIES}
    before = {g: jiggle(rng, t.years_before(indicator, g, 100) * growth, 0.04, 1) for g in WB_COUNTRIES}
    return this_year, before


def _add_country_rows(
    facts: Facts,
    indicator: str,
    period: tuple[str, str],
    past: tuple[str, str],
    this_year: dict[str, int],
    before: dict[str, int],
) -> None:
    for geo in WB_COUNTRIES:
        facts.add(indicator, geo, period, this_year[geo])
        facts.add(indicator, geo, past, before[geo])
    facts.add(indicator, "WB", past, sum(before.values()))


def _planted_total(
    rng: random.Random, total: int, values: dict[str, int], label: str, violations: list[dict[str, str]]
) -> int:
    """A `WB` total that disagrees with its country values (as the real December 2024 asylum table does)."""
    printed = total + rng.choice([-1, 1]) * max(3, half_up(total * rng.uniform(0.05, 0.15)))
    listed = "+".join(str(values[g]) for g in WB_COUNTRIES)
    violations.append(
        {
            "rule": "sum_to_total",
            "detail": f"{label}: country values {listed} = {total}, but the "
            f"Total column and the headline print {printed:,}",
        }
    )
    return printed


def _dtm_v2024(d: _Draw) -> None:
    t, rng, facts, y, m, absent, plant, violations, extra = d
    months = months_back(y, m, 13)
    monthly = _monthly_registrations(t, rng, months)
    totals = [sum(monthly[g][i] for g in WB_COUNTRIES) for i in range(len(months))]
    current = month_period(y, m)
    facts.add("registrations_on_arrival", "WB", current, totals[-1], qualifier="non_final")
    facts.add("registrations_on_arrival_change", "WB", current, half_up((totals[-1] / totals[-2] - 1) * 100))
    ytd_total = sum(totals[i] for i, (yy, _) in enumerate(months) if yy == y)
    facts.add("registrations_on_arrival", "WB", year_to_date(y, m), ytd_total, qualifier="non_final")
    for i, ym in enumerate(months[:-1]):
        facts.add("registrations_on_arrival", "WB", month_period(*ym), totals[i])
    for geo in WB_COUNTRIES:
        for i, ym in enumerate(months):
            facts.add("registrations_on_arrival", geo, month_period(*ym), monthly[geo][i])
    _nationalities(d, current)
    stock = month_end(y, m)
    occupancy = _facilities(t, rng, facts, stock)
    for ym in months[:-1]:
        facts.add("reception_occupancy", "WB", month_end(*ym), jiggle(rng, occupancy, 0.2, 50))
    _avrr(d, 2024)
    latest = y - 1
    for indicator in ("voluntary_returns_authorities", "non_voluntary_returns_authorities"):
        for year in (latest, latest - 1):
            values = {g: jiggle(rng, t.level(indicator, g, 150), 0.5, 1) for g in ("BIH", "SRB")}
            if rng.random() < 0.2:
                values[rng.choice(["BIH", "SRB"])] = None  # printed as a dash, as Serbia's 2022 row
            for geo in ("BIH", "SRB"):
                facts.add(indicator, geo, years(year, year), values[geo])
            facts.add(indicator, "WB", years(year, year), sum(v or 0 for v in values.values()))
    _asylum(d, 2024)
    facts.add(
        "trafficking_residence_permits",
        "WB",
        years(2016, y - 1),
        int(t.level("trafficking_residence_permits", "WB", 34)) + 4 * (y - 2024),
    )


def _avrr(d: _Draw, first_year: int) -> None:
    t, rng, facts, y, m, absent, plant, violations, extra = d
    ytd = year_to_date(y, m)
    this_year, before = _country_rows(t, rng, "avrr_returns", m, 1 + 0.1 * (y - first_year))
    total = sum(this_year.values())
    male = rng.randint(65, 92)
    female = 100 - male
    if "share_sum" in plant:
        female += rng.choice([-3, -2, 2, 3, 5])
        violations.append(
            {
                "rule": "share_sum",
                "detail": f"avrr_returns_share {y}: male {male} + female {female} = {male + female}, not 100",
            }
        )
    facts.add("avrr_returns", "WB", ytd, total)
    facts.add("avrr_returns_share", "WB", ytd, male, breakdown="sex:male")
    facts.add("avrr_returns_share", "WB", ytd, female, breakdown="sex:female")
    facts.add("reintegration_grants", "WB", ytd, half_up(total * rng.uniform(0.45, 0.8)))
    _add_country_rows(facts, "avrr_returns", ytd, years(2016, y - 1), this_year, before)


def _asylum(d: _Draw, first_year: int) -> None:
    t, rng, facts, y, m, absent, plant, violations, extra = d
    ytd = year_to_date(y, m)
    this_year, before = _country_rows(t, rng, "asylum_applications", m, 1 + 0.12 * (y - first_year))
    total = sum(this_year.values())
    if "sum_to_total" in plant:
        total = _planted_total(rng, total, this_year, f"asylum_applications {y}", violations)
    facts.add("asylum_applications", "WB", ytd, total)
    facts.add("refugee_status_decisions", "WB", ytd, jiggle(rng, total * 0.035, 0.3, 1))
    facts.add("complementary_protection_decisions", "WB", ytd, jiggle(rng, total * 0.1, 0.3, 1))
    _add_country_rows(facts, "asylum_applications", ytd, years(2018, y - 1), this_year, before)


def _dtm_v2023(d: _Draw) -> None:
    t, rng, facts, y, m, absent, plant, violations, extra = d
    months = months_back(y, m, 13)
    monthly = _monthly_registrations(t, rng, months)
    totals = [sum(monthly[g][i] for g in WB_COUNTRIES) for i in range(len(months))]
    current, ytd = month_period(y, m), year_to_date(y, m)
    in_year = [i for i, (yy, _) in enumerate(months) if yy == y]
    facts.add("registrations_on_arrival", "WB", current, totals[-1], qualifier="non_final")
    facts.add("registrations_on_arrival_change", "WB", current, half_up((totals[-1] / totals[-2] - 1) * 100))
    facts.add("registrations_on_arrival", "WB", ytd, sum(totals[i] for i in in_year), qualifier="non_final")
    for i, ym in enumerate(months[:-1]):
        facts.add("registrations_on_arrival", "WB", month_period(*ym), totals[i])
    for geo in WB_COUNTRIES:
        facts.add("registrations_on_arrival", geo, month_period(*previous_month(y, m)), monthly[geo][-2])
        facts.add("registrations_on_arrival", geo, current, monthly[geo][-1])
        facts.add("registrations_on_arrival", geo, ytd, sum(monthly[geo][i] for i in in_year))
    _nationalities(d, current)
    _facilities(t, rng, facts, month_end(y, m))
    _avrr(d, 2023)
    _asylum(d, 2023)


# -- UNHCR -----------------------------------------------------------------------------------


def _new_arrivals(d: _Draw) -> tuple[int, int]:
    t, rng, facts, y, m, absent, plant, violations, extra = d
    now, before = year_to_date(y, m), year_to_date(y - 1, m)
    scale_now, scale_before = rng.uniform(0.5, 1.3) * m / 12, rng.uniform(0.9, 1.8) * m / 12
    values = {}
    for geo in WB_COUNTRIES:
        level = t.this_year("new_arrivals", geo, 3000)
        values[geo] = (jiggle(rng, level * scale_now, 0.2, 10), jiggle(rng, level * scale_before, 0.2, 10))
    total_now = sum(v[0] for v in values.values())
    total_before = sum(v[1] for v in values.values())
    printed = total_now
    if "sum_to_total" in plant:
        printed = total_now + rng.choice([-1, 1]) * max(30, half_up(total_now * rng.uniform(0.01, 0.05)))
        listed = "+".join(str(values[g][0]) for g in WB_COUNTRIES)
        violations.append(
            {
                "rule": "sum_to_total",
                "detail": f"new_arrivals {y}: country values {listed} = "
                f"{total_now}, but the regional figure prints {printed:,}",
            }
        )
    facts.add("new_arrivals", "WB", now, printed)
    facts.add("new_arrivals", "WB", before, total_before)
    for geo in WB_COUNTRIES:
        facts.add("new_arrivals", geo, now, values[geo][0])
        facts.add("new_arrivals", geo, before, values[geo][1])
    return printed, total_before


def _unhcr_common(d: _Draw, qualifier: str) -> None:
    t, rng, facts, y, m, absent, plant, violations, extra = d
    ytd = year_to_date(y, m)
    now, before = _new_arrivals(d)
    ratio = rng.uniform(0.35, 0.5)
    transits = round(now * ratio, -2)
    change = half_up((now / before - 1) * 100 * rng.uniform(0.8, 1.0))
    if change == 0:
        change = -1
    facts.add("mixed_movement_transits", "WB", ytd, transits, qualifier=qualifier)
    facts.add("mixed_movement_transits_change", "WB", ytd, change)
    intentions = jiggle(rng, t.this_year("asylum_intentions", "WB", 25000) * m / 12, 0.2, 100)
    applications = jiggle(rng, intentions * rng.uniform(0.02, 0.08), 0.1, 5)
    facts.add("asylum_intentions", "WB", ytd, intentions)
    facts.add("asylum_applications", "WB", ytd, applications)
    facts.add("asylum_application_intention_ratio", "WB", ytd, max(1, half_up(applications / intentions * 100)))


def _present_shares(d: _Draw, stock: tuple[str, str], shares: list[float]) -> None:
    t, rng, facts, y, m, absent, plant, violations, extra = d
    if "share_sum" in plant:
        shares = list(shares)
        shares[-1] += rng.choice([-1.5, -1.0, 1.0, 2.0])
        violations.append(
            {
                "rule": "share_sum",
                "detail": f"persons_present_share {y}: the country shares add up to {sum(shares):g}, not 100",
            }
        )
    for geo, share in zip(WB_COUNTRIES, shares, strict=True):
        facts.add("persons_present_share", geo, stock, share)


def _uasc(d: _Draw, uasc: int, present: int) -> int:
    """Unaccompanied children present: a part of the persons present, or (planted) more than them.

    The planted figure is drawn without the random generator, so the rest of the issue stays as unplanted.
    """
    t, rng, facts, y, m, absent, plant, violations, extra = d
    if "part_within_whole" not in plant:
        return uasc
    printed = present + present // 10
    violations.append(
        {
            "rule": "part_within_whole",
            "detail": f"uasc_present {y}: {printed:,} unaccompanied children, "
            f"more than the {present:,} persons present",
        }
    )
    return printed


def _present_nationalities(t: Template, rng: random.Random, facts: Facts, stock: tuple[str, str]) -> None:
    pool = [c for c in t.nationalities() if c in NATIONALITY_NAMES]
    for rank, (code, share) in enumerate(zip(rng.sample(pool, 5), top_shares(rng, 5, 20, 35), strict=True), start=1):
        facts.add("persons_present_nationality_share", "WB", stock, share, breakdown=f"nationality:{code}", rank=rank)


def _unhcr_v2024(d: _Draw) -> None:
    t, rng, facts, y, m, absent, plant, violations, extra = d
    _unhcr_common(d, "approximate")
    stock = month_end(y, m)
    present = round(jiggle(rng, 3000, 0.3, 800), -2)
    facts.add("persons_present", "WB", stock, present, qualifier="approximate")
    facts.add("uasc_present", "WB", stock, _uasc(d, jiggle(rng, present * 0.04, 0.3, 5), present))
    shares = shares_to_100(rng, 6, 0.5)
    rng.shuffle(shares)
    _present_shares(d, stock, shares)
    for ym in months_back(y, m, 12)[:-1]:
        facts.add("persons_present", "WB", month_end(*ym), round(jiggle(rng, present, 0.2, 500), -2))
    _present_nationalities(t, rng, facts, stock)


def _unhcr_v2023(d: _Draw) -> None:
    t, rng, facts, y, m, absent, plant, violations, extra = d
    _unhcr_common(d, "estimate")
    stock = month_end(y, m)
    counts = {g: jiggle(rng, t.level("persons_present", g, 600), 0.35, 20) for g in WB_COUNTRIES}
    total = sum(counts.values())
    facts.add("persons_present", "WB", stock, total)
    facts.add("uasc_present", "WB", stock, _uasc(d, jiggle(rng, total * 0.05, 0.3, 5), total))
    halves = {g: half_up(counts[g] / total * 200) for g in WB_COUNTRIES}
    while sum(halves.values()) != 200:  # shares are printed to the half point and must add up to 100
        geo = max(WB_COUNTRIES, key=lambda g: counts[g])
        halves[geo] += 200 - sum(halves.values())
    for geo in WB_COUNTRIES:
        facts.add("persons_present", geo, stock, counts[geo])
    _present_shares(d, stock, [halves[g] / 2 for g in WB_COUNTRIES])
    for ym in months_back(y, m, m)[:-1]:
        facts.add("persons_present", "WB", month_end(*ym), jiggle(rng, total, 0.15, 500))
    _present_nationalities(t, rng, facts, stock)


# -- Drifts (issue 10): every knob of a DTM issue drawn from a seeded space ----------------------------------


def dtm_drift(rng: random.Random, layout: str) -> dict[str, Any]:
    """Style knobs of a DTM issue drawn at random: the base knobs and every drift of issue 10.

    Headings re-wrapped at a random width, in another case, weight, font and size, reworded by a word;
    pages reordered, sections moved to a page of their own, figure-free pages inserted; headline blocks
    swapped and resized; thousands separators and nil dashes. Each knob is drawn on its own, so a batch
    covers their combinations rather than a list of cases. Returns keyword arguments of `Style`.
    """
    from .style import DTM_HEADING_CASES, FONTS, NIL_DASHES, THOUSANDS

    pages = 4 if layout == "v2024" else 3
    own = ("reception", "authorities", "trafficking") if layout == "v2024" else ("reception", "avrr")
    order = list(WB_COUNTRIES)
    rng.shuffle(order)
    case = rng.choice(DTM_HEADING_CASES)
    page_order = list(range(pages))
    if rng.random() < 0.5:
        rng.shuffle(page_order)
    return {
        "font": rng.choice(FONTS),
        "jitter": rng.choice((0.0, 0.0, 2.0, 4.0)),
        "jitter_seed": rng.randint(1, 10**6),
        "table_rules": rng.choice(("grid", "hlines", "none")),
        "kosovo": rng.choice(("footnote", "star", "unscr", "sres")),
        "country_order": tuple(order),
        "nat_names": rng.choice(("official", "short")),
        "footnote_marks": rng.choice(("raised", "unicode")),
        "pct_space": rng.random() < 0.5,
        "fake_bold": rng.random() < 0.2,
        "banner": rng.choice(("text", "image")),
        "month_labels": rng.choice(("Mon YYYY", "Mon-YY", "MON YY", "Month YYYY")),
        "tracking": rng.choice((0.0, 0.0, 0.3, 0.6)),
        "bih_label": rng.choice(("full", "BiH")),
        "heading_width": rng.uniform(90, 260) if rng.random() < 0.6 else 0.0,
        "heading_case": case,
        # a heading neither in capitals nor bold would read as prose: lower case keeps the weight
        "heading_bold": True if case != "upper" else rng.random() < 0.6,
        "heading_font": rng.choice(("", *FONTS)),
        "heading_scale": round(rng.uniform(0.95, 1.05), 2),
        "heading_reword": rng.randint(1, 10**6) if rng.random() < 0.7 else 0,
        "page_order": tuple(page_order),
        "blank_pages": tuple(sorted(rng.sample(range(pages + 1), rng.choice((0, 0, 1, 2))))),
        "own_page": tuple(s for s in own if rng.random() < 0.3),
        "headline_order": tuple(rng.sample(range(3), 3)),
        "headline_width": round(rng.uniform(125, 165), 1),
        # up to half a headline figure's size: the blocks still share their row
        "headline_shift": tuple(round(rng.uniform(0, 10), 1) for _ in range(3)) if rng.random() < 0.5 else (),
        "thousands": rng.choice(THOUSANDS),
        "nil_dash": rng.choice(NIL_DASHES),
    }
