"""Trend plots of published figures (matplotlib, Agg): a misread figure stands out as a spike in its series."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display, no GUI toolkit: the report is built in flows and CI

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

#: Dots per inch of the PNGs: readable on screen, small enough to keep the report folder light.
DPI = 110
#: The colour that marks the latest month in every plot.
LATEST_COLOUR = "#d62728"
#: Geo codes of the countries, in the order the reports print them.
COUNTRIES = ("ALB", "BIH", "XKX", "MNE", "MKD", "SRB")
REGION = "WB"


@dataclasses.dataclass(frozen=True)
class Plot:
    """One plot written beside the report: its file name, title, a sentence on how to read it, its panels."""

    file: str
    title: str
    caption: str
    panels: tuple[str, ...] = ()


def latest_by_period(facts: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One value per (geo, period) of an indicator, as the latest report printed it (no breakdowns).

    Later issues repeat earlier months (a monthly chart, last year's total); the latest printing is
    the one a reader would quote, and keeping one per point keeps the lines honest.
    """
    rows = facts[(facts["indicator"] == indicator) & facts["breakdown"].isna() & facts["value"].notna()]
    if rows.empty:
        return rows
    rows = rows.sort_values("report_month")
    return rows.drop_duplicates(["geo", "period_start", "period_end"], keep="last")


def monthly_only(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows whose period is exactly one calendar month."""
    start, end = pd.to_datetime(rows["period_start"]), pd.to_datetime(rows["period_end"])
    one_month = (start.dt.day == 1) & (end == start + pd.offsets.MonthEnd(0))
    return rows[one_month]


def registrations_plot(facts: pd.DataFrame, target: Path) -> Plot | None:
    """Monthly registrations on arrival (DTM): the region above, each country below; latest month marked."""
    rows = latest_by_period(facts, "registrations_on_arrival")
    rows = monthly_only(rows) if not rows.empty else rows
    if rows.empty:
        return None
    panels = _region_and_countries(rows, target)
    return Plot(
        target.name,
        "Registrations on arrival per month (DTM)",
        "Each month as the latest issue printed it; the latest month is ringed in red.",
        panels,
    )


def persons_present_plot(facts: pd.DataFrame, target: Path) -> Plot | None:
    """Persons present at the end of each month (UNHCR), per country and for the region."""
    rows = latest_by_period(facts, "persons_present")
    if rows.empty:
        return None
    rows = rows.assign(period_start=rows["period_end"])  # a stock: plot it at the day it was counted
    panels = _region_and_countries(rows, target)
    return Plot(
        target.name,
        "Persons present at the end of the month (UNHCR)",
        "Stocks on the day they were counted; the latest count is ringed in red.",
        panels,
    )


def arrivals_year_on_year_plot(facts: pd.DataFrame, target: Path) -> Plot | None:
    """New arrivals per country (UNHCR): each year's bar side by side, from the latest issue; latest year in red."""
    rows = facts[(facts["indicator"] == "new_arrivals") & facts["breakdown"].isna() & facts["value"].notna()]
    if rows.empty:
        return None
    latest_issue = rows["report_month"].max()
    rows = rows[rows["report_month"] == latest_issue]
    periods = sorted({(s, e) for s, e in zip(rows["period_start"], rows["period_end"], strict=True)})
    geos = _geos(rows)
    fig, ax = plt.subplots(figsize=(8, 4), constrained_layout=True)
    width = 0.8 / len(periods)
    for number, (start, end) in enumerate(periods):
        in_period = rows[(rows["period_start"] == start) & (rows["period_end"] == end)].set_index("geo")["value"]
        latest = number == len(periods) - 1
        ax.bar(
            [i + (number - (len(periods) - 1) / 2) * width for i in range(len(geos))],
            [in_period.get(geo, float("nan")) for geo in geos],  # no bar (not a 0) where none was printed
            width=width,
            color=LATEST_COLOUR if latest else "#9aa5b1",
            label=f"{_day(start)} to {_day(end)}",
        )
    ax.set_xticks(range(len(geos)), geos)
    ax.set_ylabel("persons")
    ax.legend(frameon=False)
    ax.set_title(f"As printed in the {latest_issue} issue")
    _save(fig, target)
    return Plot(
        target.name,
        "New arrivals per country, year on year (UNHCR)",
        "The latest period in red beside the same period of the year before.",
        (f"As printed in the {latest_issue} issue",),
    )


def _region_and_countries(rows: pd.DataFrame, target: Path) -> tuple[str, ...]:
    """The region's series above the countries', each panel drawn only when it has figures (never an empty one)."""
    panels = [
        (rows[rows["geo"] == REGION], [REGION], "Western Balkans"),
        (rows[rows["geo"] != REGION], _geos(rows, exclude=REGION), "By country"),
    ]
    panels = [panel for panel in panels if not panel[0].empty]
    fig, axes = plt.subplots(len(panels), 1, figsize=(8, 3 * len(panels)), sharex=True, squeeze=False)
    for ax, (panel_rows, geos, title) in zip(axes[:, 0], panels, strict=True):
        _series(ax, panel_rows, geos, title)
    # Fixed margins (room on the right for the legend): constrained layout took half of each plot's time.
    fig.subplots_adjust(
        left=0.1, right=0.88, top=1 - 0.3 / (3 * len(panels)), bottom=0.5 / (3 * len(panels)), hspace=0.3
    )
    _save(fig, target)
    return tuple(title for _, _, title in panels)


def _series(ax, rows: pd.DataFrame, geos: list[str], title: str) -> None:
    ax.set_title(title, loc="left", fontsize=10)
    ax.set_ylabel("persons")
    ax.grid(axis="y", alpha=0.3)
    latest = pd.to_datetime(rows["period_start"]).max()
    for geo in geos:
        series = rows[rows["geo"] == geo].sort_values("period_start")
        dates = pd.to_datetime(series["period_start"])
        ax.plot(dates, series["value"], marker="o", markersize=3, linewidth=1.2, label=geo)
        last = series[dates == latest]
        ax.scatter(
            pd.to_datetime(last["period_start"]),
            last["value"],
            s=80,
            facecolors="none",
            edgecolors=LATEST_COLOUR,
            linewidths=2,
            zorder=3,
        )
    ax.axvline(latest, color=LATEST_COLOUR, alpha=0.25, linewidth=6)
    if len(geos) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)


def _geos(rows: pd.DataFrame, exclude: str | None = None) -> list[str]:
    present = set(rows["geo"]) - {exclude}
    return [g for g in (*COUNTRIES, REGION) if g in present] + sorted(present - set(COUNTRIES) - {REGION})


def _day(value) -> str:
    return f"{pd.Timestamp(value):%d %b %Y}".lstrip("0")


def _save(fig, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=DPI)
    plt.close(fig)
