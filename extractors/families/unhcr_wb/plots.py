"""The trend plots of the UNHCR series in the run report (drawn with `mixedflows.report.plots`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mixedflows.report.plots import (
    LATEST_COLOUR,
    Plot,
    day_label,
    geos_in_order,
    latest_by_period,
    plt,
    region_and_countries,
    save_plot,
)


def persons_present_plot(facts: pd.DataFrame, target: Path) -> Plot | None:
    """Persons present at the end of each month (UNHCR), per country and for the region."""
    rows = latest_by_period(facts, "persons_present")
    if rows.empty:
        return None
    rows = rows.assign(period_start=rows["period_end"])  # a stock: plot it at the day it was counted
    panels = region_and_countries(rows, target)
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
    geos = geos_in_order(rows)
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
            label=f"{day_label(start)} to {day_label(end)}",
        )
    ax.set_xticks(range(len(geos)), geos)
    ax.set_ylabel("persons")
    ax.legend(frameon=False)
    ax.set_title(f"As printed in the {latest_issue} issue")
    save_plot(fig, target)
    return Plot(
        target.name,
        "New arrivals per country, year on year (UNHCR)",
        "The latest period in red beside the same period of the year before.",
        (f"As printed in the {latest_issue} issue",),
    )


#: The plots of this family in the run report, in order: (builder, file name).
PLOTS = (
    (persons_present_plot, "persons-present.png"),
    (arrivals_year_on_year_plot, "arrivals-year-on-year.png"),
)
