"""Rules that read a report together with earlier issues: year-to-date sums, printed changes, revisions, publishers."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .arithmetic import EPSILON, figures_by_series, primary_figures
from .figures import (
    Figure,
    by_key,
    figures_of,
    format_value,
    month_end,
    previous_report_id,
    report_family_prefix,
    report_month_of,
    shift_months,
)
from .indicators import INDICATORS
from .violations import Violation

#: DTM and UNHCR count different things (registrations of entries vs estimated new arrivals; asylum
#: applications from different sources), so their figures differ as a matter of course: for the region,
#: by up to 2.1 times in the sample issues (2023-06 asylum applications, 1,176 vs 567). A misread or
#: dropped digit makes a tenfold gap; a gap beyond this factor is worth a look.
CROSS_PUBLISHER_MAX_RATIO = 3.0

#: Per country the two publishers differ far more (Kosovo 2023-06: 3,172 registrations vs 544 arrivals,
#: 5.8 times), so only the region's figures are compared.
CROSS_PUBLISHER_GEO = "WB"

#: A figure about the report's month more than this many times (or less than its inverse) the previous
#: issue's same figure is worth a look: month-on-month, the 88 pairs of counts in the consecutive samples
#: move by at most 1.6 times (North Macedonia's registrations 680 -> 419, UNHCR's unaccompanied children
#: 160 -> 99); a misread or dropped digit moves one tenfold, a neighbour's figure often more.
PLAUSIBLE_CHANGE_MAX_RATIO = 5.0

#: Below this on both sides a ratio means nothing (3 decisions after 1 is "3 times"): small counts are
#: not compared. The largest figure of the pair must reach it.
PLAUSIBLE_CHANGE_MIN_COUNT = 20.0

#: Figures the two publishers both print for the same region and period, as (DTM indicator, UNHCR indicator).
CROSS_PUBLISHER_PAIRS: tuple[tuple[str, str], ...] = (
    ("registrations_on_arrival", "new_arrivals"),
    ("asylum_applications", "asylum_applications"),
)


def ytd_accumulates(
    facts: pd.DataFrame, history: pd.DataFrame | None = None, *, tolerance: float = 0.0
) -> list[Violation]:
    """Year-to-date figures accumulate the months of the year.

    In the report itself, when it prints every month of the year so far, they add up to the year to
    date. Against the family's previous issue (when `history` holds it, and within the same year),
    this year to date is last month's plus this month's figure, or at least last month's when the
    month alone is not printed.
    """
    own = primary_figures(facts)
    index = figures_by_series(own)
    previous = _previous_issue(own, history)
    violations = []
    for figure in own:
        indicator = INDICATORS.get(figure.indicator)
        if indicator is None or not indicator.additive or not figure.is_year_to_month or figure.value is None:
            continue
        series = (figure.indicator, figure.geo, figure.breakdown)
        months = [index.get((*series, *_month(figure.end.year, month))) for month in range(1, figure.end.month + 1)]
        this_month = months[-1]
        if all(m is not None and m.value is not None for m in months):
            added = sum(m.value for m in months)
            allowance = figure.allowance + sum(m.allowance for m in months) + tolerance
            if abs(added - figure.value) > allowance + EPSILON:
                detail = (
                    f"{figure.label}: the {len(months)} months printed for {figure.end.year} add up to "
                    f"{format_value(added)}, but the year to date prints {format_value(figure.value)}"
                )
                violations.append(
                    Violation.about(
                        "ytd_accumulates", figure, detail, involved=months, expected=added, actual=figure.value
                    )
                )
        before = previous.get((*series, figure.start, shift_months(figure.end, -1)))
        if before is None or before.value is None:
            continue
        allowance = figure.allowance + before.allowance + tolerance
        if this_month is not None and this_month.value is not None:
            expected = before.value + this_month.value
            allowance += this_month.allowance
            if abs(expected - figure.value) <= allowance + EPSILON:
                continue
            detail = (
                f"{figure.label}: {format_value(before.value)} to the end of the previous month "
                f"({before.report_id}) + {format_value(this_month.value)} this month = {format_value(expected)}, "
                f"but the year to date prints {format_value(figure.value)}"
            )
            involved = [this_month, before]
        else:
            expected = before.value
            if figure.value >= expected - allowance - EPSILON:
                continue
            detail = (
                f"{figure.label}: the year to date prints {format_value(figure.value)}, less than the "
                f"{format_value(before.value)} printed a month earlier ({before.report_id})"
            )
            involved = [before]
        violations.append(
            Violation.about(
                "ytd_accumulates", figure, detail, involved=involved, expected=expected, actual=figure.value
            )
        )
    return violations


def change_matches_figures(
    facts: pd.DataFrame, history: pd.DataFrame | None = None, *, tolerance: float = 0.0
) -> list[Violation]:
    """A printed change agrees, to its printed precision, with the two figures it compares.

    The earlier figure is read from the report itself when it prints it (a chart of past months),
    else from the family's earlier issues in `history`. Figures printed rounded widen the range.
    `tolerance` is extra slack in the change's unit.
    """
    own = primary_figures(facts)
    index = figures_by_series(own)
    earlier = _family_figures(own, history)
    violations = []
    for change in own:
        indicator = INDICATORS.get(change.indicator)
        if indicator is None or not indicator.is_change or change.value is None:
            continue
        months = -1 if indicator.compared_with == "previous_month" else -12
        then = (shift_months(change.start, months), shift_months(change.end, months))
        series = (indicator.change_of, change.geo, change.breakdown)
        current = index.get((*series, change.start, change.end))
        base = index.get((*series, *then)) or earlier.get((*series, *then))
        if current is None or base is None or current.value is None or base.value is None:
            continue
        low, high = _change_range(current, base, indicator.change_kind)
        if low is None:
            continue
        half = 0.5 * 10.0**-change.decimals + tolerance
        if low - half - EPSILON <= change.value <= high + half + EPSILON:
            continue
        unit = "%" if indicator.change_kind == "relative" else "pp"
        computed = _change(current.value, base.value, indicator.change_kind)
        source = "" if base.report_id == change.report_id else f", {base.report_id}"
        detail = (
            f"{change.label}: printed {change.value:+g} {unit}, but {format_value(current.value)} against "
            f"{format_value(base.value)} ({base.period}{source}) is {computed:+.1f} {unit}"
        )
        violations.append(
            Violation.about(
                "change_matches_figures",
                change,
                detail,
                involved=[current, base],
                expected=round(computed, 2),
                actual=change.value,
            )
        )
    return violations


def revised_figure(
    facts: pd.DataFrame, history: pd.DataFrame | None = None, *, tolerance: float = 0.0
) -> list[Violation]:
    """A figure the family's previous issue printed for the same period has not changed (else: revised).

    Publishers consolidate non-final data, so this is a warning: a person decides whether the
    revision is the publisher's or a misread.
    """
    own = primary_figures(facts)
    before = by_key(_previous_issue_figures(own, history))
    violations = []
    for figure in own:
        old = before.get(figure.key)
        if old is None or (old.value is None and figure.value is None):
            continue
        same = (
            old.value is not None
            and figure.value is not None
            and abs(old.value - figure.value) <= old.allowance + figure.allowance + tolerance + EPSILON
        )
        if same:
            continue
        detail = (
            f"{figure.label}: {old.report_id} printed {format_value(old.value)} (page {old.page}), "
            f"this issue prints {format_value(figure.value)}"
        )
        violations.append(
            Violation.about("revised_figure", figure, detail, involved=[old], expected=old.value, actual=figure.value)
        )
    return violations


def plausible_change(
    facts: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    max_ratio: float = PLAUSIBLE_CHANGE_MAX_RATIO,
    min_count: float = PLAUSIBLE_CHANGE_MIN_COUNT,
) -> list[Violation]:
    """A count about the report's month is within `max_ratio` of the previous issue's same figure.

    "Same figure": the same indicator, geo and breakdown, and the same kind of period, each taken
    against its own issue's month: the month, the stock at the month's end, the year to date
    (compared per month it covers, so that February's two months meet January's one, and January's
    month meets December's whole year). Other periods (chart months, multi-year spans) are the
    same periods in both issues and `revised_figure`'s concern. Only counts are compared: shares
    and changes are bounded or change sign. When both figures are below `min_count` nothing is
    compared; a zero against a figure of at least `min_count` is reported (from or to nothing);
    dashes are skipped.
    """
    own = primary_figures(facts)
    before = _previous_issue_figures(own, history)
    if not before:
        return []
    index: dict[tuple, Figure] = {}
    for figure in before:
        for kind in _period_kinds(figure):
            index.setdefault((figure.indicator, figure.geo, figure.breakdown, kind), figure)
    violations = []
    for figure in own:
        indicator = INDICATORS.get(figure.indicator)
        if indicator is None or not indicator.is_count or figure.value is None:
            continue
        for kind in _period_kinds(figure):
            old = index.get((figure.indicator, figure.geo, figure.breakdown, kind))
            if old is not None:
                break
        else:
            continue
        if old.value is None or max(figure.value, old.value) < min_count:
            continue
        now_rate, old_rate = figure.value / _months_covered(figure), old.value / _months_covered(old)
        if old_rate > 0 and now_rate > 0 and 1 / max_ratio - EPSILON <= now_rate / old_rate <= max_ratio + EPSILON:
            continue
        how = "from nothing" if old_rate == 0 else "to nothing" if now_rate == 0 else f"{now_rate / old_rate:.1f} times"
        per_month = " (per month covered)" if _months_covered(figure) != _months_covered(old) else ""
        detail = (
            f"{figure.label}: {format_value(figure.value)}, {how} the {format_value(old.value)} "
            f"{old.report_id} printed for {old.period}{per_month}; a misread or a neighbour's figure?"
        )
        violations.append(
            Violation.about("plausible_change", figure, detail, involved=[old], expected=old.value, actual=figure.value)
        )
    return violations


def cross_publisher(
    facts: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    max_ratio: float = CROSS_PUBLISHER_MAX_RATIO,
    pairs: Sequence[Sequence[str]] = CROSS_PUBLISHER_PAIRS,
) -> list[Violation]:
    """DTM and UNHCR figures for the region and the same period are within `max_ratio` of each other.

    A warning only: they count different things. The other publisher's issue of the same month must
    be in `history`. Each pair names an indicator of one publisher and its counterpart in the other.
    """
    own = primary_figures(facts)
    if not own:
        return []
    report_id = own[0].report_id
    prefix, month = report_family_prefix(report_id), report_month_of(report_id)
    others = [
        f
        for f in figures_of(history)
        if report_family_prefix(f.report_id) != prefix and report_month_of(f.report_id) == month and not f.repeat
    ]
    counterparts: dict[str, set[str]] = {}
    for first, second in pairs:
        counterparts.setdefault(first, set()).add(second)
        counterparts.setdefault(second, set()).add(first)
    index = {(f.indicator, f.geo, f.start, f.end): f for f in others if f.breakdown is None and f.rank is None}
    violations = []
    for figure in own:
        if figure.value is None or figure.geo != CROSS_PUBLISHER_GEO or figure.breakdown or figure.rank is not None:
            continue
        for name in sorted(counterparts.get(figure.indicator, ())):
            other = index.get((name, figure.geo, figure.start, figure.end))
            if other is None or other.value is None:
                continue
            larger, smaller = max(figure.value, other.value), min(figure.value, other.value)
            if smaller <= 0 or larger / smaller <= max_ratio + EPSILON:
                continue
            detail = (
                f"{figure.label}: {format_value(figure.value)} here, but {other.report_id} prints "
                f"{format_value(other.value)} for {other.indicator}; they count differently, "
                f"but rarely {larger / smaller:.1f} times apart"
            )
            violations.append(
                Violation.about(
                    "cross_publisher", figure, detail, involved=[other], expected=other.value, actual=figure.value
                )
            )
    return violations


def _period_kinds(figure: Figure) -> list[str]:
    """What a figure's period is to its issue: the month, the month-end stock or the year to date.

    A January month is its year to date too. Periods about other months give no kind.
    """
    month = report_month_of(figure.report_id)
    if month is None or figure.end != month_end(*month):
        return []
    if figure.is_stock:
        return ["stock"]
    kinds = []
    if figure.is_month:
        kinds.append("month")
    if figure.start == figure.end.replace(month=1, day=1):
        kinds.append("year_to_date")
    return kinds


def _months_covered(figure: Figure) -> int:
    """Calendar months a flow covers (1 for a stock), to compare years to date of different lengths."""
    if figure.is_stock:
        return 1
    return max(1, (figure.end.year - figure.start.year) * 12 + figure.end.month - figure.start.month + 1)


def _month(year: int, month: int) -> tuple:
    start = pd.Timestamp(year=year, month=month, day=1).date()
    return start, month_end(year, month)


def _previous_issue_figures(own: Sequence[Figure], history: pd.DataFrame | None) -> list[Figure]:
    if not own or history is None or history.empty:
        return []
    wanted = previous_report_id(own[0].report_id)
    subset = history[history["report_id"].astype(str) == wanted] if wanted else history.iloc[0:0]
    return [f for f in figures_of(subset) if not f.repeat]


def _previous_issue(own: Sequence[Figure], history: pd.DataFrame | None) -> dict[tuple, Figure]:
    """The family's previous issue by (indicator, geo, breakdown, start, end)."""
    return figures_by_series(_previous_issue_figures(own, history))


def _family_figures(own: Sequence[Figure], history: pd.DataFrame | None) -> dict[tuple, Figure]:
    """Figures of the family's earlier issues, the latest issue's printing first."""
    if not own or history is None or history.empty:
        return {}
    report_id = own[0].report_id
    prefix, month = report_family_prefix(report_id), report_month_of(report_id)
    figures = [
        f
        for f in figures_of(history)
        if report_family_prefix(f.report_id) == prefix
        and (report_month_of(f.report_id) or (0, 0)) < (month or (0, 0))
        and not f.repeat
    ]
    figures.sort(key=lambda f: report_month_of(f.report_id) or (0, 0), reverse=True)
    return figures_by_series(figures)


def _change(current: float, base: float, kind: str | None) -> float:
    return (current / base - 1) * 100 if kind == "relative" else current - base


def _change_range(current: Figure, base: Figure, kind: str | None) -> tuple[float | None, float | None]:
    """The least and greatest change the two figures allow, given how they were rounded for print."""
    assert current.value is not None and base.value is not None
    if kind == "relative":
        low_base, high_base = base.value - base.allowance, base.value + base.allowance
        if low_base <= 0:
            return None, None
        return (
            _change(current.value - current.allowance, high_base, kind),
            _change(current.value + current.allowance, low_base, kind),
        )
    return (
        current.value - current.allowance - base.value - base.allowance,
        current.value + current.allowance - base.value + base.allowance,
    )
