"""The four Delta tables under `output/`: their columns, creation with retention, and frame <-> Arrow conversion."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable
from deltalake.exceptions import DeltaError

from extractors.facts import FACT_COLUMNS, FACT_KEY, normalise_frame

from .errors import StoreInputError

FACTS = "facts"
VIOLATIONS = "violations"
QUARANTINE = "quarantine"
REPORTS = "reports"

#: Delta keeps the commit log 30 days and lets `vacuum` delete replaced files after 7 by default, after
#: which old versions no longer read. "What did we publish for 2024-12 in the March run?" must stay
#: answerable for as long as anyone cites our figures, so both are set to ten years when a table is created.
RETENTION = "interval 3650 days"

#: Table properties every table is created with (Delta protocol names).
TABLE_CONFIGURATION: Mapping[str, str] = {
    "delta.logRetentionDuration": RETENTION,
    "delta.deletedFileRetentionDuration": RETENTION,
}

#: `dtm-wb-2024-12` -> family prefix `dtm-wb`, month `2024-12` (DATA_CONTRACT.md).
REPORT_ID_RE = re.compile(r"(?P<prefix>[a-z]+-[a-z]+)-(?P<month>\d{4}-(?:0[1-9]|1[0-2]))")

STATUSES = ("published", "quarantined", "failed")
SEVERITIES = ("error", "warning")


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a stored table: its Arrow type, what it means, and its HXL hashtag for exports.

    `hxl` is empty for a column HXL tools should not read as tagged (its meaning is split into other
    tagged columns in exports); `required` columns are non-nullable in the Delta schema.
    """

    name: str
    type: pa.DataType
    description: str
    hxl: str
    required: bool = False


@dataclasses.dataclass(frozen=True)
class TableSpec:
    """A stored table: columns, the key that orders and identifies its rows, and what it holds."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    #: Whether the key identifies a row (a Frictionless primary key) or only sorts rows.
    unique_key: bool = True

    @property
    def schema(self) -> pa.Schema:
        # Required columns are NOT NULL in the Delta schema, so Delta itself refuses a row without them.
        return pa.schema([pa.field(c.name, c.type, nullable=not c.required) for c in self.columns])

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


_FACT_COLUMNS = (
    Column("report_id", pa.string(), "Report issue: `dtm-wb-YYYY-MM` or `unhcr-wb-YYYY-MM`.", "#meta+report_id", True),
    Column("publisher", pa.string(), "`IOM DTM` or `UNHCR`.", "#org+name", True),
    Column("report_month", pa.string(), "The month the report covers, YYYY-MM.", "#date+month", True),
    Column("indicator", pa.string(), "Indicator name from the data contract.", "#indicator+code", True),
    Column(
        "geo",
        pa.string(),
        "ISO 3166 alpha-3 country code, XKX for Kosovo (UNSCR 1244), WB for the Western Balkans region.",
        "",  # HXL's #country vocabulary is ISO3: exports split it into country_code and region_code
        True,
    ),
    Column("period_start", pa.date32(), "First day the figure covers.", "#date+start", True),
    Column("period_end", pa.date32(), "Last day the figure covers (= period_start for a stock).", "#date+end", True),
    Column(
        "breakdown",
        pa.string(),
        "`nationality:ISO3` or `sex:male`/`sex:female`; empty when none.",
        "",  # exports split it into origin_country_code and sex
    ),
    Column("rank", pa.int64(), "Position in a top-N list; empty otherwise.", "#indicator+rank"),
    Column(
        "value",
        pa.float64(),
        "The figure as printed, as a number; empty only where the report prints a dash.",
        "#indicator+value+num",
    ),
    Column("unit", pa.string(), "`persons`, `percent`, `percentage_points` or `count`.", "#indicator+unit", True),
    Column(
        "qualifier", pa.string(), "`approximate`, `estimate` or `non_final`; empty otherwise.", "#indicator+qualifier"
    ),
    Column("page", pa.int64(), "1-based page of the PDF the figure is printed on.", "#meta+page+num", True),
    Column(
        "bbox",
        pa.list_(pa.float64()),
        "[x0, top, x1, bottom] of the printed figure in PDF points, origin top-left.",
        "#meta+bbox",
    ),
    Column(
        "method", pa.string(), "How the figure was read (text, pdfplumber-table, camelot-lattice, ...).", "#meta+method"
    ),
    Column("pdf_sha256", pa.string(), "sha256 of the source PDF's bytes.", "#meta+sha256", True),
    Column("source_url", pa.string(), "Where the PDF was downloaded from; empty for a local file.", "#meta+url"),
)
assert tuple(c.name for c in _FACT_COLUMNS) == FACT_COLUMNS, "facts columns must follow DATA_CONTRACT.md"

FACTS_SPEC = TableSpec(
    name=FACTS,
    title="Published figures",
    description="One row per figure printed in a report (DATA_CONTRACT.md), for every report published.",
    columns=_FACT_COLUMNS,
    key=FACT_KEY,
)

QUARANTINE_SPEC = dataclasses.replace(
    FACTS_SPEC,
    name=QUARANTINE,
    title="Quarantined figures",
    description="Figures of reports held back by error-level violations, until someone acknowledges them.",
)

VIOLATIONS_SPEC = TableSpec(
    name=VIOLATIONS,
    title="Validation findings",
    description="What validation found wrong or doubtful in each report's figures (replaced with the report).",
    columns=(
        Column("report_id", pa.string(), "The report the finding is about.", "#meta+report_id", True),
        Column("pdf_sha256", pa.string(), "sha256 of the PDF the finding was made on.", "#meta+sha256", True),
        Column("rule", pa.string(), "The validation rule that fired (e.g. sum_to_total).", "#meta+rule", True),
        Column(
            "severity",
            pa.string(),
            "`error` (blocks publishing until acknowledged) or `warning`.",
            "#meta+severity",
            True,
        ),
        Column("indicator", pa.string(), "The indicator concerned, if one.", "#indicator+code"),
        Column("geo", pa.string(), "The country (ISO3, XKX) or region (WB) concerned, if one.", ""),
        Column(
            "key", pa.string(), "The figure a reviewer names to acknowledge it (indicator/geo/period...).", "#meta+key"
        ),
        Column(
            "keys", pa.list_(pa.string()), "Every figure the finding involves (parts and total of a sum).", "#meta+keys"
        ),
        Column(
            "expected", pa.float64(), "The value the rule expected, where it computes one.", "#indicator+expected+num"
        ),
        Column("actual", pa.float64(), "The value printed.", "#indicator+actual+num"),
        Column(
            "pages", pa.list_(pa.int64()), "Pages of the PDF where the figures involved are printed.", "#meta+pages"
        ),
        Column("detail", pa.string(), "What is wrong, in words, with the figures involved.", "#description", True),
        Column(
            "acknowledged",
            pa.bool_(),
            "Whether a reviewer acknowledged it (then it no longer blocks).",
            "#status+acknowledged",
        ),
        Column("acknowledgement", pa.string(), "Who acknowledged it, when and why.", "#meta+acknowledgement"),
    ),
    key=("report_id", "rule", "severity", "indicator", "geo", "key", "detail"),
    unique_key=False,
)

REPORTS_SPEC = TableSpec(
    name=REPORTS,
    title="Processed reports",
    description="The ledger: one row per report issue with the PDF, code and run that last changed it.",
    columns=(
        Column(
            "report_id", pa.string(), "Report issue: `dtm-wb-YYYY-MM` or `unhcr-wb-YYYY-MM`.", "#meta+report_id", True
        ),
        Column("family", pa.string(), "Report family key (dtm_wb, unhcr_wb).", "#meta+family", True),
        Column("report_month", pa.string(), "The month the report covers, YYYY-MM.", "#date+month", True),
        Column("pdf_sha256", pa.string(), "sha256 of the PDF last processed for this report.", "#meta+sha256", True),
        Column("extractor_version", pa.string(), "Version of the code that read it.", "#meta+version", True),
        Column(
            "status",
            pa.string(),
            "`published`, `quarantined` (held back by violations) or `failed`.",
            "#status",
            True,
        ),
        Column("run_id", pa.string(), "The run that wrote this row.", "#meta+run_id", True),
        Column(
            "published_at",
            pa.timestamp("us", tz="UTC"),
            "When this row was written (published, quarantined or failed).",
            "#date+published",
            True,
        ),
        Column("fact_count", pa.int64(), "Figures read from the PDF.", "#meta+facts+num", True),
        Column("violation_count", pa.int64(), "Validation findings on the PDF.", "#meta+violations+num", True),
        Column("detail", pa.string(), "Why it failed, or who acknowledged its release.", "#description"),
    ),
    key=("report_id",),
)

SPECS: Mapping[str, TableSpec] = {s.name: s for s in (FACTS_SPEC, VIOLATIONS_SPEC, QUARANTINE_SPEC, REPORTS_SPEC)}

#: The order tables are created and written in: the `reports` ledger last, because its commit is what makes
#: a publish visible (each ledger version names the versions of the other tables it stands for).
WRITE_ORDER = (VIOLATIONS, QUARANTINE, FACTS, REPORTS)


def parse_report_id(report_id: str) -> tuple[str, str]:
    """The family key and month of a report id: `dtm-wb-2024-12` -> (`dtm_wb`, `2024-12`)."""
    match = REPORT_ID_RE.fullmatch(report_id or "")
    if not match:
        raise StoreInputError(f"report id {report_id!r} is not like 'dtm-wb-2024-12' (family-prefix-YYYY-MM)")
    return match["prefix"].replace("-", "_"), match["month"]


def create_table(path: Path, spec: TableSpec, custom_metadata: Mapping[str, Any] | None = None) -> None:
    """Create an empty table partitioned by report (unless it exists), with retention set deliberately."""
    if DeltaTable.is_deltatable(str(path)):
        return
    path.mkdir(parents=True, exist_ok=True)
    try:
        DeltaTable.create(
            path,
            spec.schema,
            mode="ignore",
            # Publishes replace one report's rows; with a partition per report they touch disjoint files,
            # so two writers publishing different reports never conflict on a data table.
            partition_by=["report_id"],
            name=spec.name,
            description=spec.description,
            configuration=dict(TABLE_CONFIGURATION),
            commit_properties=CommitProperties(custom_metadata=dict(custom_metadata or {})),
        )
    except DeltaError:
        # Another process created it between our check and our commit: fine if it is there now.
        if not DeltaTable.is_deltatable(str(path)):
            raise


def frame_to_arrow(frame: pd.DataFrame, spec: TableSpec, what: str) -> pa.Table:
    """Convert a frame with the table's columns (extra ones are an error) to its Arrow schema."""
    missing = [c for c in spec.column_names if c not in frame.columns]
    extra = [c for c in frame.columns if c not in spec.column_names]
    if missing or extra:
        parts = ([f"missing {missing}"] if missing else []) + ([f"unknown {extra}"] if extra else [])
        raise StoreInputError(f"{what}: columns do not fit the {spec.name} table ({'; '.join(parts)})")
    arrays = []
    for column in spec.columns:
        series = frame[column.name]
        try:
            arrays.append(_to_array(series, column.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as exc:
            raise StoreInputError(f"{what}: column {column.name!r} is not {column.type}: {exc}") from exc
        if column.required and arrays[-1].null_count:
            raise StoreInputError(f"{what}: column {column.name!r} has {arrays[-1].null_count} empty value(s)")
    return pa.Table.from_arrays(arrays, schema=spec.schema)


def _to_array(series: pd.Series, type_: pa.DataType) -> pa.Array:
    if pa.types.is_date32(type_):
        series = pd.to_datetime(series).dt.date
    elif pa.types.is_timestamp(type_):
        series = pd.to_datetime(series, utc=True)
    elif pa.types.is_list(type_):
        cast = (
            float if pa.types.is_floating(type_.value_type) else int if pa.types.is_integer(type_.value_type) else str
        )
        series = series.map(lambda v: None if v is None or v is pd.NA else [cast(x) for x in v])
    return pa.array(series, type=type_, from_pandas=True)


def read_table(path: Path, spec: TableSpec, version: int | None = None, report_id: str | None = None) -> pa.Table:
    """The table's rows (one report's, if given) at a version, in its declared schema and key order."""
    return read_rows(DeltaTable(path, version=version), spec, report_id)


def read_rows(
    table: DeltaTable, spec: TableSpec, report_id: str | None = None, report_ids: Sequence[str] | None = None
) -> pa.Table:
    """The rows (one report's, or several reports', if given) of an opened table, in its schema and key order."""
    if report_id is not None:
        filters = [("report_id", "=", report_id)]
    elif report_ids is not None:
        filters = [("report_id", "in", list(report_ids))]
    else:
        filters = None
    data = table.to_pyarrow_table(filters=filters)
    return sort_rows(data.select(list(spec.column_names)).cast(spec.schema), spec)


def split_by_report(table: pa.Table, spec: TableSpec) -> dict[str, pa.Table]:
    """Rows of several reports, one table per report id (each in key order)."""
    if table.num_rows == 0:
        return {}
    ids = table.column("report_id")
    return {
        report_id: sort_rows(table.filter(pc.equal(ids, report_id)), spec) for report_id in pc.unique(ids).to_pylist()
    }


def sort_rows(table: pa.Table, spec: TableSpec) -> pa.Table:
    """Rows in key order (nulls last), so that equal contents compare equal whatever order they came in."""
    keys = list(spec.key) + [c.name for c in spec.columns if c.name not in spec.key and not pa.types.is_list(c.type)]
    return table.sort_by([(k, "ascending") for k in keys])


def same_rows(a: pa.Table, b: pa.Table, spec: TableSpec) -> bool:
    """Whether two tables of one spec hold the same rows, in whatever order."""
    if a.num_rows != b.num_rows:
        return False
    return sort_rows(a, spec).combine_chunks().equals(sort_rows(b, spec).combine_chunks())


def duplicate_keys(table: pa.Table, key: Sequence[str]) -> int:
    """How many rows repeat the key of an earlier row."""
    if table.num_rows == 0:
        return 0
    grouped = table.group_by(list(key), use_threads=False).aggregate([([], "count_all")])
    return int(pc.sum(pc.subtract(grouped["count_all"], 1)).as_py() or 0)


def arrow_to_frame(table: pa.Table, spec: TableSpec) -> pd.DataFrame:
    """A frame for people and pandas code: string/Int64 dtypes, dates as datetime64, bbox as lists."""
    if spec.name in (FACTS, QUARANTINE):
        return normalise_frame(table.to_pandas(types_mapper=_pandas_type))
    frame = table.to_pandas(types_mapper=_pandas_type)
    for column in spec.columns:
        if pa.types.is_timestamp(column.type):
            frame[column.name] = pd.to_datetime(frame[column.name], utc=True)
    return frame


def _pandas_type(type_: pa.DataType) -> Any:
    return {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}.get(type_)


def utc_now() -> dt.datetime:
    """The time now, in UTC (the ledger's `published_at`)."""
    return dt.datetime.now(dt.UTC)
