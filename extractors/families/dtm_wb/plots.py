"""The trend plots of the DTM series in the run report (drawn with `mixedflows.report.plots`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from mixedflows.report.plots import Plot, latest_by_period, monthly_only, region_and_countries


def registrations_plot(facts: pd.DataFrame, target: Path) -> Plot | None:
    """Monthly registrations on arrival (DTM): the region above, each country below; latest month marked."""
    rows = latest_by_period(facts, "registrations_on_arrival")
    rows = monthly_only(rows) if not rows.empty else rows
    if rows.empty:
        return None
    panels = region_and_countries(rows, target)
    return Plot(
        target.name,
        "Registrations on arrival per month (DTM)",
        "Each month as the latest issue printed it; the latest month is ringed in red.",
        panels,
    )


#: The plots of this family in the run report, in order: (builder, file name).
PLOTS = ((registrations_plot, "registrations.png"),)
