"""pandera models of the `facts` table (DATA_CONTRACT.md) and its contract failures as violations."""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from extractors import EXTRACTORS
from extractors.facts import FACT_KEY, QUALIFIERS, UNITS, normalise_frame
from extractors.geo import GEO_CODES

from .figures import fact_key, report_family_prefix
from .indicators import INDICATORS
from .violations import Violation

#: Id of the rule under which contract failures (types, codes, ranges, duplicate keys) are reported.
SCHEMA_RULE = "schema"

_PREFIXES = "|".join(re.escape(spec.report_prefix) for spec in EXTRACTORS.values())
REPORT_ID_PATTERN = rf"^(?:{_PREFIXES})-\d{{4}}-(?:0[1-9]|1[0-2])$"
_FAMILY_OF_PREFIX = {spec.report_prefix: spec.family for spec in EXTRACTORS.values()}
_PUBLISHER_OF_PREFIX = {spec.report_prefix: spec.publisher for spec in EXTRACTORS.values()}


class ProvenanceSchema(pa.DataFrameModel):
    """Where each figure comes from: the report issue, the page and box it is printed in, the PDF."""

    report_id: Series[pd.StringDtype] = pa.Field(str_matches=REPORT_ID_PATTERN)
    publisher: Series[pd.StringDtype] = pa.Field(isin=sorted({spec.publisher for spec in EXTRACTORS.values()}))
    report_month: Series[pd.StringDtype] = pa.Field(str_matches=r"^\d{4}-(?:0[1-9]|1[0-2])$")
    page: Series[pd.Int64Dtype] = pa.Field(ge=1)
    bbox: Series[object]
    method: Series[pd.StringDtype] = pa.Field(str_length={"min_value": 1})
    pdf_sha256: Series[pd.StringDtype] = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    source_url: Series[pd.StringDtype] = pa.Field(nullable=True)

    @pa.check("bbox", name="bbox_is_a_box")
    def bbox_is_a_box(cls, bbox: Series[object]) -> Series[bool]:
        """Four numbers x0 < x1, top < bottom, none negative (pdfplumber's convention)."""
        return bbox.map(_is_box)

    @pa.dataframe_check(name="report_month_matches_report_id")
    def report_month_matches_report_id(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(
            [str(rid).endswith(f"-{month}") for rid, month in zip(df["report_id"], df["report_month"], strict=True)],
            index=df.index,
        )

    @pa.dataframe_check(name="publisher_matches_report_id")
    def publisher_matches_report_id(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(
            [
                _PUBLISHER_OF_PREFIX.get(report_family_prefix(str(rid))) == publisher
                for rid, publisher in zip(df["report_id"], df["publisher"], strict=True)
            ],
            index=df.index,
        )

    class Config:
        coerce = True


class FactsSchema(ProvenanceSchema):
    """One row per printed figure: known indicators, units and geo codes, values within their range."""

    indicator: Series[pd.StringDtype] = pa.Field(isin=sorted(INDICATORS))
    geo: Series[pd.StringDtype] = pa.Field(isin=sorted(GEO_CODES))
    period_start: Series[pd.Timestamp]
    period_end: Series[pd.Timestamp]
    breakdown: Series[pd.StringDtype] = pa.Field(
        nullable=True, str_matches=r"^(?:nationality:[A-Z]{3}|sex:(?:male|female))$"
    )
    rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1)
    value: Series[float] = pa.Field(nullable=True)
    unit: Series[pd.StringDtype] = pa.Field(isin=sorted(UNITS))
    qualifier: Series[pd.StringDtype] = pa.Field(nullable=True, isin=sorted(QUALIFIERS))

    @pa.dataframe_check(name="period_start_not_after_period_end")
    def period_start_not_after_period_end(cls, df: pd.DataFrame) -> Series[bool]:
        return df["period_start"] <= df["period_end"]

    @pa.dataframe_check(name="period_ends_by_report_month")
    def period_ends_by_report_month(cls, df: pd.DataFrame) -> Series[bool]:
        """No figure covers days after the month the report covers."""
        last_day = pd.to_datetime(
            df["report_month"].astype(str), format="%Y-%m", errors="coerce"
        ) + pd.offsets.MonthEnd(0)
        return last_day.isna() | (df["period_end"] <= last_day)

    @pa.dataframe_check(name="unit_matches_indicator")
    def unit_matches_indicator(cls, df: pd.DataFrame) -> Series[bool]:
        return pd.Series(
            [
                name not in INDICATORS or INDICATORS[name].unit == unit
                for name, unit in zip(df["indicator"], df["unit"], strict=True)
            ],
            index=df.index,
        )

    @pa.dataframe_check(name="indicator_printed_by_family")
    def indicator_printed_by_family(cls, df: pd.DataFrame) -> Series[bool]:
        """Each family prints its own indicators (DTM's avrr_returns never comes from UNHCR)."""
        return pd.Series(
            [
                name not in INDICATORS
                or _FAMILY_OF_PREFIX.get(report_family_prefix(str(rid))) in INDICATORS[name].families
                for rid, name in zip(df["report_id"], df["indicator"], strict=True)
            ],
            index=df.index,
        )

    @pa.dataframe_check(name="value_within_range")
    def value_within_range(cls, df: pd.DataFrame) -> Series[bool]:
        """Counts are never negative; shares and rates lie within 0-100; a change cannot fall below -100 %."""
        return pd.Series(
            [_within_range(name, value) for name, value in zip(df["indicator"], df["value"], strict=True)],
            index=df.index,
        )

    @pa.dataframe_check(name="key_is_unique")
    def key_is_unique(cls, df: pd.DataFrame) -> Series[bool]:
        """(report_id, indicator, geo, period_start, period_end, breakdown, rank) appears once per report."""
        return ~df.duplicated(subset=list(FACT_KEY), keep=False)

    class Config:
        name = "facts"
        strict = True
        coerce = True


def schema_violations(facts: pd.DataFrame) -> tuple[list[Violation], pd.DataFrame | None]:
    """Check a facts frame against `FactsSchema`, every failure at once (lazy).

    Returns
    -------
    violations, frame
        One violation per failed check and row (rule `schema`), and the frame with the contract's
        dtypes for the rules to read, or None when its columns cannot be read as the contract's types.
    """
    try:
        return [], FactsSchema.validate(facts, lazy=True)
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    try:
        frame = normalise_frame(facts)
    except (KeyError, TypeError, ValueError):
        frame = None
    return _failures_to_violations(failures, facts), frame


def _failures_to_violations(failures: pd.DataFrame, facts: pd.DataFrame) -> list[Violation]:
    violations: list[Violation] = []
    seen: set[tuple[object, ...]] = set()
    for failure in failures.to_dict("records"):
        check, column, index, case = (
            str(failure["check"]),
            str(failure["column"]),
            failure["index"],
            failure["failure_case"],
        )
        dataframe_level = failure["schema_context"] == "DataFrameSchema"
        # pandera reports a row failing a dataframe check once per column, and a value it cannot
        # coerce twice (coerce_dtype, dtype): one violation each is enough.
        marker = (check, index) if dataframe_level else ("dtype" if "dtype" in check else check, column, index)
        if marker in seen:
            continue
        seen.add(marker)
        row = facts.loc[index] if index is not None and index in facts.index else None
        violations.append(_schema_violation(row, _describe(check, column, case, dataframe_level, index), facts))
    return violations


def _describe(check: str, column: str, case: object, dataframe_level: bool, index: object) -> str:
    """A failed check in words: which column or promise, and the value found."""
    if check == "column_in_schema":
        return f"column {case!r} is not one of the contract's columns"
    if check == "column_in_dataframe":
        return f"column {case!r} of the contract is missing"
    if dataframe_level and index is None:
        return f"{check} could not be checked ({case})"
    if dataframe_level:
        return check
    if check.startswith("isin("):
        where = " (schemas/indicators.py)" if column == "indicator" else ""
        return f"{column} {case!r} is not a known {column}{where}"
    if "dtype" in check:
        return f"{column} {case!r} is not of the contract's type"
    return f"{column} {case!r} fails {check}"


def _schema_violation(row: pd.Series | None, detail: str, facts: pd.DataFrame) -> Violation:
    if row is None:
        report_ids = facts["report_id"].dropna().astype(str).unique() if "report_id" in facts.columns else []
        report_id = str(report_ids[0]) if len(report_ids) else "unknown"
        return Violation(rule=SCHEMA_RULE, report_id=report_id, key="*", detail=detail)
    get = row.get
    try:
        start, end = pd.Timestamp(get("period_start")).date(), pd.Timestamp(get("period_end")).date()
        rank = None if pd.isna(get("rank")) else int(get("rank"))
        breakdown = None if pd.isna(get("breakdown")) else str(get("breakdown"))
        key = fact_key(str(get("indicator")), str(get("geo")), start, end, breakdown, rank)
        period = (start.isoformat(), end.isoformat())
    except (TypeError, ValueError):
        key, period = f"row {row.name}", (None, None)
    page = get("page")
    try:
        pages = () if page is None or pd.isna(page) else (int(page),)
    except (TypeError, ValueError):
        pages = ()
    value = get("value")
    try:
        actual = None if value is None or pd.isna(value) else float(value)
    except (TypeError, ValueError):
        actual = None
    return Violation(
        rule=SCHEMA_RULE,
        report_id=str(get("report_id")),
        key=key,
        detail=f"{key}: {detail}",
        indicator=None if pd.isna(get("indicator")) else str(get("indicator")),
        geo=None if pd.isna(get("geo")) else str(get("geo")),
        period_start=period[0],
        period_end=period[1],
        keys=(key,),
        actual=actual,
        pages=pages,
    )


def _within_range(name: object, value: object) -> bool:
    indicator = INDICATORS.get(str(name))
    if indicator is None or value is None or pd.isna(value):
        return True
    low, high = indicator.lower_bound, indicator.upper_bound
    return (low is None or value >= low) and (high is None or value <= high)


def _is_box(bbox: object) -> bool:
    try:
        x0, top, x1, bottom = (float(v) for v in bbox)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return False
    return 0 <= x0 < x1 and 0 <= top < bottom
