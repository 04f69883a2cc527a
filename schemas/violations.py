"""Violations as data: one row per broken promise, with the figures involved, the pages and the verdict."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .figures import Figure

#: Levels a rule can report at: an `error` blocks publishing until acknowledged, a `warning` is shown only.
SEVERITIES = ("error", "warning")

#: Columns of a violations frame, in order.
VIOLATION_COLUMNS: tuple[str, ...] = (
    "rule",
    "severity",
    "report_id",
    "indicator",
    "geo",
    "period_start",
    "period_end",
    "key",
    "keys",
    "expected",
    "actual",
    "detail",
    "pages",
    "bbox",
    "acknowledged",
    "acknowledgement",
)


@dataclasses.dataclass(frozen=True)
class Violation:
    """What a rule found: the figure it is about (`key`), every figure involved, and the numbers.

    `key` is what a reviewer names when acknowledging the violation; `keys` lists every fact the
    finding involves (the parts and the total of a sum, both printings of a repeated figure).
    """

    rule: str
    report_id: str
    key: str
    detail: str
    indicator: str | None = None
    geo: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    keys: tuple[str, ...] = ()
    expected: float | None = None
    actual: float | None = None
    pages: tuple[int, ...] = ()
    #: Where on its page the finding is printed (a label no resolver knows, a section that could not be
    #: read): [x0, top, x1, bottom] in PDF points, top-left origin; None when its figures locate it.
    bbox: tuple[float, float, float, float] | None = None

    @classmethod
    def about(
        cls,
        rule: str,
        figure: Figure,
        detail: str,
        *,
        involved: Sequence[Figure] = (),
        expected: float | None = None,
        actual: float | None = None,
    ) -> Violation:
        """A violation about one printed figure, which may involve others (their keys and pages are recorded)."""
        return cls.about_group(
            rule,
            figure.key,
            [figure, *involved],
            detail,
            expected=expected,
            actual=actual,
            geo=figure.geo,
            report_id=figure.report_id,
        )

    @classmethod
    def about_group(
        cls,
        rule: str,
        key: str,
        figures: Sequence[Figure],
        detail: str,
        *,
        expected: float | None = None,
        actual: float | None = None,
        geo: str | None = None,
        report_id: str | None = None,
    ) -> Violation:
        """A violation about a group of figures (the shares of one breakdown), named by `key`."""
        first = figures[0]
        report_id = report_id or first.report_id
        own = [f for f in figures if f.report_id == report_id]
        return cls(
            rule=rule,
            report_id=report_id,
            key=key,
            detail=detail,
            indicator=first.indicator,
            geo=geo if geo is not None else first.geo,
            period_start=first.start.isoformat(),
            period_end=first.end.isoformat(),
            # Figures of other issues (history) are named with their report id.
            keys=tuple(dict.fromkeys(f.key if f in own else f"{f.report_id}:{f.key}" for f in figures)),
            expected=expected,
            actual=actual,
            pages=tuple(sorted({f.page for f in own if f.page is not None})),
        )


class ViolationsSchema(pa.DataFrameModel):
    """A violations frame: the basis of alerts, of the run report and of review."""

    rule: Series[pd.StringDtype]
    severity: Series[pd.StringDtype] = pa.Field(isin=list(SEVERITIES))
    report_id: Series[pd.StringDtype]
    indicator: Series[pd.StringDtype] = pa.Field(nullable=True)
    geo: Series[pd.StringDtype] = pa.Field(nullable=True)
    period_start: Series[pd.StringDtype] = pa.Field(nullable=True)
    period_end: Series[pd.StringDtype] = pa.Field(nullable=True)
    key: Series[pd.StringDtype]
    keys: Series[object]
    expected: Series[float] = pa.Field(nullable=True)
    actual: Series[float] = pa.Field(nullable=True)
    detail: Series[pd.StringDtype]
    pages: Series[object]
    bbox: Series[object] = pa.Field(nullable=True)
    acknowledged: Series[bool]
    acknowledgement: Series[pd.StringDtype] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
        ordered = True


def violations_frame(
    violations: Iterable[Violation],
    severities: Mapping[str, str],
    acknowledgements: Mapping[tuple[str, str, str], str] | None = None,
) -> pd.DataFrame:
    """Violations as a frame of `VIOLATION_COLUMNS`, each with its rule's severity and acknowledgement.

    `acknowledgements` maps (report_id, rule, key) to a line saying who checked it, when and why.
    """
    acknowledgements = acknowledgements or {}
    records: list[dict[str, Any]] = []
    for violation in violations:
        record = dataclasses.asdict(violation)
        record["keys"] = list(violation.keys)
        record["pages"] = list(violation.pages)
        record["bbox"] = [float(v) for v in violation.bbox] if violation.bbox is not None else None
        record["severity"] = severities[violation.rule]
        note = acknowledgements.get((violation.report_id, violation.rule, violation.key))
        record["acknowledged"] = note is not None
        record["acknowledgement"] = note
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(VIOLATION_COLUMNS))
    return ViolationsSchema.validate(frame)


def blocking(violations: pd.DataFrame) -> pd.DataFrame:
    """The violations that block publishing: error level and not acknowledged."""
    if violations.empty:
        return violations
    return violations[(violations["severity"] == "error") & ~violations["acknowledged"].astype(bool)]


def violation_records(violations: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready dicts, one per violation (nulls as None, lists as lists)."""
    records = []
    for row in violations.to_dict("records"):
        record = {}
        for name in VIOLATION_COLUMNS:
            value = row.get(name)
            if isinstance(value, (list, tuple)):
                record[name] = list(value)
            elif value is None or value is pd.NA or (isinstance(value, float) and value != value):
                record[name] = None
            elif hasattr(value, "item"):
                record[name] = value.item()
            else:
                record[name] = value
        records.append(record)
    return records
