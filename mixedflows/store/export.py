"""Exporting a store version as Parquet or CSV (with an optional HXL hashtag row) and a Frictionless data package."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from extractors import EXTRACTORS
from extractors.geo import REGION
from mixedflows.acquire.sources import SOURCES
from schemas.indicators import INDICATORS

from .errors import StoreError
from .history import StoreVersion
from .tables import FACTS, REPORTS, SPECS, VIOLATIONS, Column, TableSpec

#: The tables an export holds. Quarantined figures are not published, so they are not exported.
EXPORT_TABLES = (FACTS, VIOLATIONS, REPORTS)

FORMATS = ("parquet", "csv")

#: Name of the Frictionless descriptor, as the Data Package standard fixes it.
DESCRIPTOR = "datapackage.json"

_MEDIA_TYPES = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv"}

#: The terms IOM DTM and UNHCR publish their Western Balkans data under on HDX; the exported figures are
#: theirs, read from their reports, so the export carries the same licence and names them as sources.
LICENSES = (
    {
        "name": "CC-BY-IGO-3.0",
        "path": "https://creativecommons.org/licenses/by/3.0/igo/",
        "title": "Creative Commons Attribution 3.0 IGO",
    },
)

#: Columns an export adds to a table that has their source column: the contract's `geo` and `breakdown`
#: pack several things HXL tags apart (the region `WB` is no ISO3 `#country`; a nationality is a
#: country of origin; a sex is neither), and `indicator_name` says in words what `indicator` codes.
DERIVED_COLUMNS = (
    Column(
        "indicator_name", pa.string(), "The indicator in words (from the project's indicator list).", "#indicator+name"
    ),
    Column(
        "country_code",
        pa.string(),
        "`geo` when it is a country (ISO3, XKX for Kosovo); empty for the region.",
        "#country+code",
    ),
    Column(
        "region_code",
        pa.string(),
        "`geo` when it is the region as a whole (`WB`, the Western Balkans); empty for a country.",
        "#region+code",
    ),
    Column(
        "origin_country_code",
        pa.string(),
        "The nationality of a `nationality:ISO3` breakdown (country of origin); empty otherwise.",
        "#country+code+origin",
    ),
    Column(
        "sex",
        pa.string(),
        "`f` or `m` for a `sex:female` / `sex:male` breakdown (HXL's +f / +m); empty otherwise.",
        "#sex+code",
    ),
)
#: The column each derived column is computed from.
_DERIVED_FROM = {
    "indicator_name": "indicator",
    "country_code": "geo",
    "region_code": "geo",
    "origin_country_code": "breakdown",
    "sex": "breakdown",
}
_SEX_CODES = {"sex:female": "f", "sex:male": "m"}

#: Frictionless reads Parquet through pandas, which turns a null integer into NaN (so `rank` would read
#: as a non-integer) and hands list cells over as numpy arrays (which its `array` type rejects). In the
#: Parquet resources NaN is declared a missing value and list columns are typed `any`, with their item
#: type in `arrayItem`; the CSV resources keep `array` (JSON text, as Table Schema defines it).
_PARQUET_MISSING = ("", "nan")


@dataclasses.dataclass(frozen=True)
class ExportResult:
    """Where an export was written and what it holds.

    Attributes
    ----------
    directory
        The directory holding the table files and `datapackage.json`.
    version
        The store version exported.
    files
        Every file written, the descriptor last.
    rows
        Rows per exported table.
    """

    directory: Path
    version: int
    files: tuple[Path, ...]
    rows: Mapping[str, int]


def write_export(
    tables: Mapping[str, pa.Table], version: StoreVersion, out_dir: Path, fmt: str, hxl: bool
) -> ExportResult:
    """Write the tables and their data package into `out_dir`, all at once: a failure leaves nothing behind."""
    if fmt not in FORMATS:
        raise StoreError(f"{out_dir}: unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    if hxl and fmt != "csv":
        raise StoreError(f"{out_dir}: an HXL hashtag row is a CSV feature; export with format csv")
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise StoreError(f"{out_dir}: already exists and is not an empty directory; export into a new one")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.parent / f".{out_dir.name}.partial-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        resources = []
        for name in EXPORT_TABLES:
            spec = export_spec(SPECS[name])
            table = with_derived_columns(tables[name], spec)
            path = staging / f"{name}.{fmt}"
            if fmt == "csv":
                _write_csv(table, spec, path, hxl)
            else:
                pq.write_table(table, path)
            resources.append(_resource(spec, path, fmt, hxl))
        sources = _sources(tables[FACTS])
        descriptor = package_descriptor(version, resources, hxl, sources)
        (staging / DESCRIPTOR).write_text(json.dumps(descriptor, indent=1, ensure_ascii=False) + "\n")
        if out_dir.exists():
            out_dir.rmdir()
        os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = tuple(out_dir / f"{name}.{fmt}" for name in EXPORT_TABLES) + (out_dir / DESCRIPTOR,)
    return ExportResult(out_dir, version.version, files, {name: tables[name].num_rows for name in EXPORT_TABLES})


def export_spec(spec: TableSpec) -> TableSpec:
    """The table as exported: its own columns, then the derived columns whose source column it has."""
    names = set(spec.column_names)
    derived = tuple(c for c in DERIVED_COLUMNS if _DERIVED_FROM[c.name] in names)
    return dataclasses.replace(spec, columns=spec.columns + derived)


def with_derived_columns(table: pa.Table, spec: TableSpec) -> pa.Table:
    """`table` with the derived columns of `spec` computed from their source columns."""
    for column in spec.columns[table.num_columns :]:
        source = table.column(_DERIVED_FROM[column.name]).to_pylist()
        values = [None if v is None else _derive(column.name, v) for v in source]
        table = table.append_column(pa.field(column.name, column.type), pa.array(values, type=column.type))
    return table


def _derive(name: str, value: str) -> str | None:
    if name == "indicator_name":
        known = INDICATORS.get(value)
        return known.description.rstrip(".") if known else value.replace("_", " ").capitalize()
    if name == "country_code":
        return None if value == REGION else value
    if name == "region_code":
        return value if value == REGION else None
    if name == "origin_country_code":
        kind, _, code = value.partition(":")
        return code if kind == "nationality" else None
    return _SEX_CODES.get(value)


def _sources(facts: pa.Table) -> list[dict[str, str]]:
    """Each report family's listing page, then every PDF the exported figures were read from, where known."""
    sources = [
        {"title": spec.title, "path": SOURCES[family].listing_url}
        for family, spec in EXTRACTORS.items()
        if family in SOURCES
    ]
    pairs = pc.unique(pc.binary_join_element_wise(facts["report_id"], facts["source_url"], "\t")).to_pylist()
    for pair in sorted(p for p in pairs if p):
        report_id, url = pair.split("\t", 1)
        sources.append({"title": f"{report_id} (PDF)", "path": url})
    return sources


def _write_csv(table: pa.Table, spec: TableSpec, path: Path, hxl: bool) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(spec.column_names)
        if hxl:
            writer.writerow([c.hxl for c in spec.columns])
        for row in table.to_pylist():
            writer.writerow([_csv_cell(row[name]) for name in spec.column_names])


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # "1420" as printed, not "1420.0"
    return str(value)


def _resource(spec: TableSpec, path: Path, fmt: str, hxl: bool) -> dict[str, Any]:
    data = path.read_bytes()
    resource: dict[str, Any] = {
        "name": spec.name,
        "path": path.name,
        "profile": "tabular-data-resource",
        "title": spec.title,
        "description": spec.description,
        "format": fmt,
        "mediatype": _MEDIA_TYPES[fmt],
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
    }
    if fmt == "csv":
        resource["encoding"] = "utf-8"
        if hxl:
            # The HXL hashtag row sits under the header: a comment row for Frictionless, a header for HXL tools.
            resource["dialect"] = {"headerRows": [1], "commentRows": [2]}
    else:
        # Frictionless counts the bytes it streams, and it hands Parquet to pyarrow instead, so a
        # declared byte count could only fail; the sha256 stays (it is checked where it can be).
        del resource["bytes"]
    resource["schema"] = table_schema(spec, fmt)
    return resource


def table_schema(spec: TableSpec, fmt: str = "csv") -> dict[str, Any]:
    """The Frictionless Table Schema of a table as exported in `fmt`: types, descriptions, HXL tags, key."""
    fields = []
    for column in spec.columns:
        field: dict[str, Any] = {
            "name": column.name,
            "type": _field_type(column.type),
            "description": column.description,
        }
        if column.hxl:
            field["hxl"] = column.hxl
        if field["type"] == "array":
            field["arrayItem"] = {"type": _field_type(column.type.value_type)}
            if fmt == "parquet":
                field["type"] = "any"
        constraints: dict[str, Any] = {}
        if column.required:
            constraints["required"] = True
        if column.name == "report_month":
            constraints["pattern"] = r"\d{4}-(0[1-9]|1[0-2])"
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    missing = list(_PARQUET_MISSING) if fmt == "parquet" else [""]
    schema: dict[str, Any] = {"fields": fields, "missingValues": missing}
    if spec.unique_key:
        schema["primaryKey"] = list(spec.key)
    return schema


def _field_type(type_: pa.DataType) -> str:
    if pa.types.is_string(type_):
        return "string"
    if pa.types.is_date32(type_):
        return "date"
    if pa.types.is_timestamp(type_):
        return "datetime"
    if pa.types.is_integer(type_):
        return "integer"
    if pa.types.is_floating(type_):
        return "number"
    if pa.types.is_list(type_):
        return "array"
    if pa.types.is_boolean(type_):
        return "boolean"
    raise TypeError(f"no Table Schema type for {type_}")


def package_descriptor(
    version: StoreVersion,
    resources: Sequence[Mapping[str, Any]],
    hxl: bool,
    sources: Sequence[Mapping[str, str]] = (),
) -> dict[str, Any]:
    """The `datapackage.json` of an export; the same store version always gives the same descriptor."""
    return {
        "profile": "tabular-data-package",
        "name": "mixedflows-western-balkans",
        "title": "Mixed migration through the Western Balkans: figures from the IOM DTM and UNHCR monthly reports",
        "description": (
            "Every figure the monthly reports print, one row each, with the page and box it was printed in "
            "(facts); what validation found in them (violations); and which PDF, code and run produced each "
            "report's rows (reports). Exported from mixedflows store version "
            f"{version.version}.{' The row under each CSV header holds HXL hashtags.' if hxl else ''}"
        ),
        "version": str(version.version),
        "created": version.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [dict(licence) for licence in LICENSES],
        "sources": [dict(source) for source in sources],
        "mixedflows": {"store_version": version.version, "tables": dict(version.tables), "run_id": version.run_id},
        "resources": list(resources),
    }
