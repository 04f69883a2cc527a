"""Rules on how a report's figures nest: a part never exceeds its whole, and a table has every row it promises.

Both read their relations from the indicator catalogue (`Indicator.within`, `.rows`, `.chart` in
`schemas/indicators.py`), so a new indicator declares them there, not here. They back up the
extractors: a figure paired with a neighbour's label, or a row lost from a table, breaks them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping

import pandas as pd

from extractors.geo import REGION, WB_COUNTRIES

from .arithmetic import EPSILON, primary_figures
from .figures import Figure, fact_key, format_value, month_end, report_month_of, shift_months
from .indicators import INDICATORS, Indicator, MonthSeries, Rows, Whole
from .violations import Violation


def part_within_whole(
    facts: pd.DataFrame, history: pd.DataFrame | None = None, *, tolerance: float = 0.0
) -> list[Violation]:
    """A part is never more than its whole: a country than the region, a month than its year to date,
    a breakdown than its total, unaccompanied children than the persons present (`Indicator.within`).

    A figure printed rounded ("some 2,300") may be off by half its rounding unit, as in `sum_to_total`;
    `tolerance` is extra slack in the indicator's unit. Dashes (no value) are skipped.
    """
    figures = primary_figures(facts)
    exact = {(f.indicator, f.geo, f.start, f.end, f.breakdown, f.rank): f for f in figures}
    series: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in figures:
        series[(figure.indicator, figure.geo, figure.breakdown, figure.rank)].append(figure)
    violations = []
    for part in figures:
        indicator = INDICATORS.get(part.indicator)
        if indicator is None or part.value is None:
            continue
        for whole_of in indicator.within:
            for whole in _wholes(part, whole_of, exact, series):
                if whole.value is None:
                    continue
                allowance = part.allowance + whole.allowance + tolerance
                if part.value <= whole.value + allowance + EPSILON:
                    continue
                detail = f"{part.label}: {format_value(part.value)} is more than {_whole_text(whole_of, whole)}"
                violations.append(
                    Violation.about(
                        "part_within_whole", part, detail, involved=[whole], expected=whole.value, actual=part.value
                    )
                )
    return violations


def rows_complete(facts: pd.DataFrame, history: pd.DataFrame | None = None) -> list[Violation]:
    """Every table, list and chart the report prints has the rows its design always has (`Indicator.rows`, `.chart`).

    A table by country has all its countries (and the region's row), a top-N list ranks 1 to N, a
    breakdown all its values, a monthly chart every month of its axis. A requirement applies only
    once the report prints that table or chart at all; a section missing altogether is the
    extractor's to report.
    """
    figures = primary_figures(facts)
    if not figures:
        return []
    by_indicator: dict[str, list[Figure]] = defaultdict(list)
    for figure in figures:
        by_indicator[figure.indicator].append(figure)
    violations: list[Violation] = []
    for name, printed in by_indicator.items():
        indicator = INDICATORS.get(name)
        if indicator is None:
            continue
        if indicator.rows is not None:
            violations.extend(_missing_places(indicator, indicator.rows, printed))
            violations.extend(_missing_ranks(indicator.rows, printed))
            violations.extend(_missing_breakdowns(indicator.rows, printed))
        if indicator.chart is not None:
            violations.extend(_missing_months(indicator.chart, printed))
    return violations


def _wholes(
    part: Figure, whole_of: Whole, exact: Mapping[tuple, Figure], series: Mapping[tuple, list[Figure]]
) -> Iterator[Figure]:
    """The printed figures `part` is a part of, by one relation."""
    if whole_of.kind == "region":
        if part.geo != REGION:
            found = exact.get((part.indicator, REGION, part.start, part.end, part.breakdown, part.rank))
            if found is not None:
                yield found
    elif whole_of.kind == "period":
        for longer in series.get((part.indicator, part.geo, part.breakdown, part.rank), ()):
            contains = longer.start <= part.start and part.end <= longer.end
            if contains and (longer.start, longer.end) != (part.start, part.end):
                yield longer
    elif whole_of.kind == "breakdown":
        if part.breakdown is not None:
            found = exact.get((part.indicator, part.geo, part.start, part.end, None, None))
            if found is not None:
                yield found
    else:
        found = exact.get((whole_of.indicator, part.geo, part.start, part.end, part.breakdown, part.rank))
        if found is not None:
            yield found


def _whole_text(whole_of: Whole, whole: Figure) -> str:
    value = format_value(whole.value)
    if whole_of.kind == "region":
        return f"the region's {value} ({REGION}) it is part of"
    if whole_of.kind == "period":
        return f"the {value} printed for {whole.period}, which contains it"
    if whole_of.kind == "breakdown":
        return f"the total {value} it is part of"
    return f"{whole.indicator} {value} ({whole_of.why})"


def _missing_places(indicator: Indicator, rows: Rows, printed: list[Figure]) -> list[Violation]:
    if not rows.places:
        return []
    required = list(indicator.coverage or WB_COUNTRIES) + ([REGION] if rows.region else [])
    tables: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in printed:
        tables[(figure.start, figure.end, figure.breakdown, figure.rank)].append(figure)
    violations = []
    for (start, end, breakdown, rank), cells in tables.items():
        present = {f.geo for f in cells}
        if not present - {REGION}:
            continue  # the region alone (a headline), not a table by country
        missing = [geo for geo in required if geo not in present]
        if not missing:
            continue
        shown = sorted(cells, key=lambda f: required.index(f.geo) if f.geo in required else len(required))
        detail = (
            f"{indicator.name} {start.isoformat()}..{end.isoformat()}"
            f"{_breakdown_text(breakdown, rank)}: the table by country lacks {', '.join(missing)} "
            f"(printed: {', '.join(f.geo for f in shown)})"
        )
        key = fact_key(indicator.name, REGION, start, end, breakdown, rank)
        violations.append(Violation.about_group("rows_complete", key, shown, detail, geo=missing[0]))
    return violations


def _missing_ranks(rows: Rows, printed: list[Figure]) -> list[Violation]:
    if not rows.ranked:
        return []
    lists: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in printed:
        if figure.rank is not None:
            lists[(figure.geo, figure.start, figure.end)].append(figure)
    violations = []
    for (geo, start, end), ranked in lists.items():
        present = {f.rank for f in ranked}
        last = max(max(present), rows.ranks or 0)
        missing = [rank for rank in range(1, last + 1) if rank not in present]
        if not missing:
            continue
        ranked.sort(key=lambda f: f.rank or 0)
        name = ranked[0].indicator
        detail = (
            f"{name} {geo} {start.isoformat()}..{end.isoformat()}: the top-{last} list lacks rank "
            f"{', '.join(str(r) for r in missing)} (printed: {', '.join(str(f.rank) for f in ranked)})"
        )
        key = fact_key(name, geo, start, end)
        violations.append(Violation.about_group("rows_complete", key, ranked, detail, geo=geo))
    return violations


def _missing_breakdowns(rows: Rows, printed: list[Figure]) -> list[Violation]:
    if not rows.breakdowns:
        return []
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for figure in printed:
        if figure.breakdown in rows.breakdowns:
            groups[(figure.geo, figure.start, figure.end)].append(figure)
    violations = []
    for (geo, start, end), parts in groups.items():
        missing = [b for b in rows.breakdowns if b not in {f.breakdown for f in parts}]
        if not missing:
            continue
        name = parts[0].indicator
        detail = (
            f"{name} {geo} {start.isoformat()}..{end.isoformat()}: printed for "
            f"{', '.join(f.breakdown or '' for f in parts)} but not for {', '.join(missing)}"
        )
        violations.append(
            Violation.about_group("rows_complete", fact_key(name, geo, start, end), parts, detail, geo=geo)
        )
    return violations


def _missing_months(chart: MonthSeries, printed: list[Figure]) -> list[Violation]:
    report_id = printed[0].report_id
    month = report_month_of(report_id)
    if month is None:
        return []
    last = month_end(*month)
    points = {
        f.end: f
        for f in printed
        if f.geo == REGION
        and f.breakdown is None
        and f.rank is None
        and f.end == month_end(f.end.year, f.end.month)
        and f.end <= last
        and (f.is_stock if chart.stock else f.is_month)
    }
    if not chart.always and not any(end < last for end in points):
        return []
    first = shift_months(last, -(chart.length - 1)) if chart.length else month_end(last.year, 1)
    if points:
        first = min(first, min(points))
    axis = _month_ends(first, last)
    missing = [end for end in axis if end not in points]
    if not missing:
        return []
    name = printed[0].indicator
    shown = [points[end] for end in axis if end in points]
    what = "month-end figures" if chart.stock else "months"
    detail = (
        f"{name} {REGION}: the chart of {what} from {first:%Y-%m} to {last:%Y-%m} lacks "
        f"{', '.join(f'{end:%Y-%m}' for end in missing)}"
    )
    start = first if chart.stock else first.replace(day=1)
    key = fact_key(name, REGION, start, last)
    anchor = shown or printed
    return [Violation.about_group("rows_complete", key, anchor, detail, geo=REGION, report_id=report_id)]


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    ends = []
    current = month_end(first.year, first.month)
    while current <= last:
        ends.append(current)
        current = shift_months(current, 1)
    return ends


def _breakdown_text(breakdown: str | None, rank: int | None) -> str:
    return (f" {breakdown}" if breakdown else "") + (f" rank {rank}" if rank is not None else "")
