"""Rules on one report's own arithmetic: sums to totals, shares to 100, arrows, repeated figures, ratios."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pandas as pd

from extractors.geo import REGION, WB_COUNTRIES

from .figures import Figure, fact_key, figures_of, format_value, printed_unit
from .indicators import INDICATORS
from .violations import Violation

#: Slack for binary floating point in sums of printed decimals (0.1 + 0.2 != 0.3); far below any printed unit.
EPSILON = 1e-9

#: A share sum may miss 100 by less than half the unit the shares are printed in (see `share_sum`).
SHARE_SUM_HALF_UNITS = 0.5
#: A printed ratio may differ from its two figures by one printed unit: publishers adjust rounded
#: shares so they add up to 100 (largest remainder), moving one share a whole unit off its ratio.
RATIO_UNITS = 1.0

_ARROW_SIGN = {"up": 1, "down": -1, "flat": 0}
_ARROW_TEXT = {"up": "↑", "down": "↓", "flat": "="}


def primary_figures(facts: pd.DataFrame) -> list[Figure]:
    """The report's figures, each once (second printings of a figure left out)."""
    return [figure for figure in figures_of(facts) if not figure.repeat]


def sum_to_total(
    facts: pd.DataFrame, history: pd.DataFrame | None = None, *, tolerance: float = 0.0
) -> list[Violation]:
    """Country values of an indicator and period add up to its `WB` value.

    Exact for counts; a figure printed rounded ("some 2,300") may be off by half its rounding unit.
    When a country is missing or printed as a dash, the others must not exceed the total.
    `tolerance` is extra slack, in the indicator's unit.
    """
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in primary_figures(facts):
        indicator = INDICATORS.get(figure.indicator)
        if indicator is not None and indicator.additive:
            groups[(figure.indicator, figure.start, figure.end, figure.breakdown, figure.rank)].append(figure)
    violations = []
    for group in groups.values():
        total = next((f for f in group if f.geo == REGION), None)
        parts = sorted((f for f in group if f.geo != REGION), key=_country_order)
        if total is None or total.value is None or not parts:
            continue
        coverage = INDICATORS[total.indicator].coverage or WB_COUNTRIES
        known = [f for f in parts if f.value is not None]
        complete = len(known) == len(parts) and set(coverage) <= {f.geo for f in parts}
        added = sum(f.value for f in known)
        allowance = total.allowance + sum(f.allowance for f in known) + tolerance
        difference = added - total.value
        if abs(difference) <= allowance + EPSILON or (not complete and difference < 0):
            continue
        terms = "+".join(format_value(f.value) for f in known)
        which = "country values" if complete else f"the values printed ({', '.join(f.geo for f in known)})"
        verb = "add up to" if complete else "already add up to"
        detail = (
            f"{total.indicator} {total.period}: {which} {terms} {verb} {format_value(added)}, "
            f"but {REGION} prints {format_value(total.value)}"
        )
        violations.append(
            Violation.about("sum_to_total", total, detail, involved=known, expected=total.value, actual=added)
        )
    return violations


def share_sum(facts: pd.DataFrame, history: pd.DataFrame | None = None, *, tolerance: float = 0.0) -> list[Violation]:
    """Shares of one breakdown add up to 100 at the precision they are printed with.

    Publishers make rounded shares add up to exactly 100 (80 + 20; 35 + 34.5 + 12 + 7 + 7 + 4.5, as
    every sample and the real December 2024 issues do), so a sum off by half a printed unit or more
    (a whole unit for integer shares) is reported; `tolerance` widens this for a publisher that lets
    rounding drift. A ranked top-N list covers part of the whole: its shares must not exceed 100.
    """
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in primary_figures(facts):
        indicator = INDICATORS.get(figure.indicator)
        if indicator is None or indicator.share_over is None or figure.value is None:
            continue
        if indicator.share_over == "breakdown" and figure.breakdown is not None:
            groups[(figure.indicator, figure.geo, figure.start, figure.end, None)].append(figure)
        elif indicator.share_over == "geo" and figure.geo != REGION:
            groups[(figure.indicator, REGION, figure.start, figure.end, figure.breakdown)].append(figure)
    violations = []
    for (name, geo, start, end, breakdown), shares in groups.items():
        ranked = any(f.rank is not None for f in shares)
        over_geo = INDICATORS[name].share_over == "geo"
        complete = not ranked and (not over_geo or set(WB_COUNTRIES) <= {f.geo for f in shares})
        if complete and len(shares) < 2:
            continue
        allowance = SHARE_SUM_HALF_UNITS * printed_unit(f.value for f in shares) + tolerance
        added = sum(f.value for f in shares)
        difference = added - 100.0
        off = abs(difference) if complete else difference
        if off < allowance - EPSILON:
            continue
        shares = sorted(shares, key=lambda f: (f.rank or 0, _country_order(f), f.breakdown or ""))
        terms = " + ".join(format_value(f.value) for f in shares)
        if complete:
            detail = f"{name} {geo} {start}..{end}: the shares {terms} add up to {format_value(added)}, not 100"
        else:
            detail = (
                f"{name} {geo} {start}..{end}: the top {len(shares)} shares {terms} "
                f"add up to {format_value(added)}, more than 100"
            )
        key = fact_key(name, geo, start, end, breakdown)
        violations.append(
            Violation.about_group("share_sum", key, shares, detail, expected=100.0, actual=added, geo=geo)
        )
    return violations


def arrow_sign(facts: pd.DataFrame, history: pd.DataFrame | None = None) -> list[Violation]:
    """An arrow printed beside a change points the way its sign does (↑ positive, ↓ negative, = zero)."""
    violations = []
    for figure in figures_of(facts):
        if figure.arrow not in _ARROW_SIGN or figure.value is None:
            continue
        sign = (figure.value > 0) - (figure.value < 0)
        if sign == _ARROW_SIGN[figure.arrow]:
            continue
        needs = {1: "a positive change", -1: "a negative change", 0: "no change"}[_ARROW_SIGN[figure.arrow]]
        detail = (
            f"{figure.label}: printed {_ARROW_TEXT[figure.arrow]} {figure.value:+g}, "
            f"but {_ARROW_TEXT[figure.arrow]} means {needs}"
        )
        violations.append(Violation.about("arrow_sign", figure, detail, actual=figure.value))
    return violations


def repeated_figure(
    facts: pd.DataFrame, history: pd.DataFrame | None = None, *, tolerance: float = 0.0
) -> list[Violation]:
    """A figure printed twice in a report (a headline and a table's Total) is the same number both times."""
    figures = figures_of(facts)
    first: dict[str, Figure] = {}
    for figure in figures:
        if not figure.repeat:
            first.setdefault(figure.key, figure)
    violations = []
    for again in (f for f in figures if f.repeat):
        printed = first.get(again.key)
        if printed is None:
            continue
        if printed.value is None and again.value is None:
            continue
        if printed.value is not None and again.value is not None:
            allowance = printed.allowance + again.allowance + tolerance
            if abs(printed.value - again.value) <= allowance + EPSILON:
                continue
        detail = (
            f"{printed.label} is printed as {format_value(printed.value)} (page {printed.page}) "
            f"and as {format_value(again.value)} (page {again.page})"
        )
        violations.append(
            Violation.about(
                "repeated_figure", printed, detail, involved=[again], expected=printed.value, actual=again.value
            )
        )
    return violations


def ratio_matches(
    facts: pd.DataFrame, history: pd.DataFrame | None = None, *, tolerance: float = 0.0
) -> list[Violation]:
    """A printed ratio (an occupancy rate, a country's share of the region) agrees with its two figures.

    The ratio may be off by one unit of the precision its indicator is printed with in the report;
    figures printed rounded widen the range. `tolerance` is extra slack in percentage points.
    """
    figures = primary_figures(facts)
    index = {(f.indicator, f.geo, f.start, f.end, f.breakdown, f.rank): f for f in figures}
    units: dict[tuple, float] = {}
    for f in figures:
        units.setdefault((f.indicator, f.start, f.end), 0.0)
    for key in units:
        units[key] = printed_unit(f.value for f in figures if (f.indicator, f.start, f.end) == key)
    violations = []
    for figure in figures:
        indicator = INDICATORS.get(figure.indicator)
        if indicator is None or indicator.ratio is None or figure.value is None:
            continue
        ratio = indicator.ratio
        place = (figure.start, figure.end, figure.breakdown, figure.rank)
        numerator = index.get((ratio.numerator, figure.geo, *place))
        denominator = index.get((ratio.denominator, ratio.denominator_geo or figure.geo, *place))
        if numerator is None or denominator is None or numerator.value is None or denominator.value is None:
            continue
        low_denominator = denominator.value - denominator.allowance
        if low_denominator <= 0:
            continue
        low = (numerator.value - numerator.allowance) / (denominator.value + denominator.allowance) * 100
        high = (numerator.value + numerator.allowance) / low_denominator * 100
        slack = RATIO_UNITS * units[(figure.indicator, figure.start, figure.end)] + tolerance
        if low - slack - EPSILON <= figure.value <= high + slack + EPSILON:
            continue
        computed = numerator.value / denominator.value * 100
        detail = (
            f"{figure.label}: printed {format_value(figure.value)} %, but {format_value(numerator.value)} "
            f"({numerator.indicator} {numerator.geo}) / {format_value(denominator.value)} "
            f"({denominator.indicator} {denominator.geo}) is {computed:.1f} %"
        )
        violations.append(
            Violation.about(
                "ratio_matches",
                figure,
                detail,
                involved=[numerator, denominator],
                expected=round(computed, 2),
                actual=figure.value,
            )
        )
    return violations


def _country_order(figure: Figure) -> int:
    return WB_COUNTRIES.index(figure.geo) if figure.geo in WB_COUNTRIES else len(WB_COUNTRIES)


def figures_by_series(figures: Sequence[Figure]) -> dict[tuple, Figure]:
    """Figures by (indicator, geo, breakdown, start, end), rank left out (ranks change from month to month)."""
    found: dict[tuple, Figure] = {}
    for figure in figures:
        found.setdefault((figure.indicator, figure.geo, figure.breakdown, figure.start, figure.end), figure)
    return found
