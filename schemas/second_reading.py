"""The `second_reading` rule: a table figure and camelot's reading of the same cell agree.

Extraction (`extract(..., second_reading=True)`) reads every table cell where one of our table figures
is printed again with camelot, keeping only cells camelot reads confidently (one number, in a row and
column whose labels resolve to the figure's codes); `report_frame` puts that value beside the figure in
the `second_reading` column. Two readers that disagree on a cell mean one of them misread it: the
report is held until a person has looked.
"""

from __future__ import annotations

import pandas as pd

from .figures import fact_key, format_value
from .violations import Violation

#: Slack for binary floating point only: both readers parse the same printed digits.
EPSILON = 1e-9


def second_reading(facts: pd.DataFrame, history: pd.DataFrame | None = None) -> list[Violation]:
    """Every figure whose table cell camelot read as another number."""
    if facts is None or facts.empty or "second_reading" not in facts.columns:
        return []
    read = facts[facts["second_reading"].notna() & facts["value"].notna()]
    if "repeat" in read.columns:
        read = read[~read["repeat"].fillna(False).astype(bool)]
    methods = read["second_reading_method"] if "second_reading_method" in read.columns else None
    violations = []
    for index, row in read.iterrows():
        ours, theirs = float(row["value"]), float(row["second_reading"])
        if abs(ours - theirs) <= EPSILON:
            continue
        start, end = pd.Timestamp(row["period_start"]).date(), pd.Timestamp(row["period_end"]).date()
        breakdown = None if pd.isna(row["breakdown"]) else str(row["breakdown"])
        rank = None if pd.isna(row["rank"]) else int(row["rank"])
        key = fact_key(str(row["indicator"]), str(row["geo"]), start, end, breakdown, rank)
        method = str(methods[index]) if methods is not None and not pd.isna(methods[index]) else "camelot"
        page = None if pd.isna(row["page"]) else int(row["page"])
        bbox = row["bbox"]
        violations.append(
            Violation(
                rule="second_reading",
                report_id=str(row["report_id"]),
                key=key,
                detail=(
                    f"{key}: we read {format_value(ours)} in the table cell on page {page}, "
                    f"{method} reads {format_value(theirs)} in the same cell"
                ),
                indicator=str(row["indicator"]),
                geo=str(row["geo"]),
                period_start=start.isoformat(),
                period_end=end.isoformat(),
                keys=(key,),
                expected=theirs,
                actual=ours,
                pages=(page,) if page is not None else (),
                bbox=tuple(float(v) for v in bbox) if bbox is not None and len(bbox) == 4 else None,
            )
        )
    return violations
