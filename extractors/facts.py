"""The `facts` row (DATA_CONTRACT.md) and conversions to frames and JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

#: Column order of the `facts` table, as DATA_CONTRACT.md lists it.
FACT_COLUMNS: tuple[str, ...] = (
    "report_id",
    "publisher",
    "report_month",
    "indicator",
    "geo",
    "period_start",
    "period_end",
    "breakdown",
    "rank",
    "value",
    "unit",
    "qualifier",
    "page",
    "bbox",
    "method",
    "pdf_sha256",
    "source_url",
)

#: The key of a fact: unique within one report.
FACT_KEY: tuple[str, ...] = (
    "report_id",
    "indicator",
    "geo",
    "period_start",
    "period_end",
    "breakdown",
    "rank",
)

UNITS = frozenset({"persons", "percent", "percentage_points", "count"})
QUALIFIERS = frozenset({"approximate", "estimate", "non_final"})


@dataclasses.dataclass(frozen=True)
class Fact:
    """One figure printed in a report, with where and how it was read."""

    report_id: str
    publisher: str
    report_month: str
    indicator: str
    geo: str
    period_start: dt.date
    period_end: dt.date
    value: float | None
    unit: str
    page: int
    bbox: tuple[float, float, float, float]
    method: str
    breakdown: str | None = None
    rank: int | None = None
    qualifier: str | None = None
    pdf_sha256: str = ""
    source_url: str | None = None
    # Not contract columns: marks printed with the figure that validation compares (schemas.report_frame).
    #: The arrow printed beside a change (`up`, `down`, `flat`), so validation can compare it with the sign.
    arrow: str | None = None
    #: A second printing of a figure already read (a table's Total repeating a headline): not published,
    #: kept so validation can check that both printings agree.
    repeat: bool = False

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unit {self.unit!r} of {self.indicator} is not one of {sorted(UNITS)}")
        if self.qualifier is not None and self.qualifier not in QUALIFIERS:
            raise ValueError(f"qualifier {self.qualifier!r} is not one of {sorted(QUALIFIERS)}")
        if self.period_start > self.period_end:
            raise ValueError(f"{self.indicator}: period {self.period_start} is after {self.period_end}")
        if self.arrow not in (None, "up", "down", "flat"):
            raise ValueError(f"{self.indicator}: arrow {self.arrow!r} is not up, down or flat")
        if self.value is not None and math.isnan(self.value):
            raise ValueError(f"{self.indicator}: value is NaN; use None for a printed dash")

    @property
    def key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in FACT_KEY)

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict: dates as YYYY-MM-DD, bbox as a list rounded to 0.01 pt."""
        record = {name: getattr(self, name) for name in FACT_COLUMNS}
        record["period_start"] = self.period_start.isoformat()
        record["period_end"] = self.period_end.isoformat()
        record["bbox"] = [round(v, 2) for v in self.bbox]
        return record


def facts_to_records(facts: Iterable[Fact]) -> list[dict[str, Any]]:
    return [fact.to_record() for fact in facts]


def facts_to_frame(facts: Sequence[Fact]) -> pd.DataFrame:
    """The facts as a DataFrame with the contract's columns and dtypes (dates as datetime64)."""
    frame = pd.DataFrame.from_records(facts_to_records(facts), columns=list(FACT_COLUMNS))
    return normalise_frame(frame)


def normalise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce a facts frame (from records, JSON or parquet) to the contract's dtypes."""
    frame = frame.reindex(columns=list(FACT_COLUMNS)).copy()
    for name in ("period_start", "period_end"):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]")
    frame["rank"] = frame["rank"].astype("Int64")
    frame["page"] = frame["page"].astype("Int64")
    frame["value"] = frame["value"].astype("float64")
    for name in (
        "report_id",
        "publisher",
        "report_month",
        "indicator",
        "geo",
        "breakdown",
        "unit",
        "qualifier",
        "method",
        "pdf_sha256",
        "source_url",
    ):
        frame[name] = frame[name].astype("string")
    frame["bbox"] = frame["bbox"].map(lambda b: [float(v) for v in b] if b is not None else None)
    return frame
