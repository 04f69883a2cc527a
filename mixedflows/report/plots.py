"""Trend plots of published figures (matplotlib, Agg): a misread figure stands out as a spike in its series.

The plots themselves belong to their family (`extractors/families/<family>/plots.py`, each listing its
`PLOTS`); this module draws them: series of the latest printing, a region panel above the countries.
"""

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


def region_and_countries(rows: pd.DataFrame, target: Path) -> tuple[str, ...]:
    """The region's series above the countries', each panel drawn only when it has figures (never an empty one)."""
    panels = [
        (rows[rows["geo"] == REGION], [REGION], "Western Balkans"),
        (rows[rows["geo"] != REGION], geos_in_order(rows, exclude=REGION), "By country"),
    ]
    panels = [panel for panel in panels if not panel[0].empty]
    fig, axes = plt.subplots(len(panels), 1, figsize=(8, 3 * len(panels)), sharex=True, squeeze=False)
    for ax, (panel_rows, geos, title) in zip(axes[:, 0], panels, strict=True):
        _series(ax, panel_rows, geos, title)
    # Fixed margins (room on the right for the legend): constrained layout took half of each plot's time.
    fig.subplots_adjust(
        left=0.1, right=0.88, top=1 - 0.3 / (3 * len(panels)), bottom=0.5 / (3 * len(panels)), hspace=0.3
    )
    save_plot(fig, target)
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


def geos_in_order(rows: pd.DataFrame, exclude: str | None = None) -> list[str]:
    present = set(rows["geo"]) - {exclude}
    return [g for g in (*COUNTRIES, REGION) if g in present] + sorted(present - set(COUNTRIES) - {REGION})


def day_label(value) -> str:
    return f"{pd.Timestamp(value):%d %b %Y}".lstrip("0")


def save_plot(fig, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=DPI)
    plt.close(fig)
