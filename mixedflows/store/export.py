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
import pyarrow.parquet as pq

from extractors import EXTRACTORS

from .errors import StoreError
from .history import StoreVersion
from .tables import FACTS, REPORTS, SPECS, VIOLATIONS, TableSpec

#: The tables an export holds. Quarantined figures are not published, so they are not exported.
EXPORT_TABLES = (FACTS, VIOLATIONS, REPORTS)

FORMATS = ("parquet", "csv")

#: Name of the Frictionless descriptor, as the Data Package standard fixes it.
DESCRIPTOR = "datapackage.json"

_MEDIA_TYPES = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv"}


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
            spec = SPECS[name]
            path = staging / f"{name}.{fmt}"
            if fmt == "csv":
                _write_csv(tables[name], spec, path, hxl)
            else:
                pq.write_table(tables[name], path)
            resources.append(_resource(spec, path, fmt, hxl))
        descriptor = package_descriptor(version, resources, hxl)
        (staging / DESCRIPTOR).write_text(json.dumps(descriptor, indent=1, ensure_ascii=False) + "\n")
        if out_dir.exists():
            out_dir.rmdir()
        os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = tuple(out_dir / f"{name}.{fmt}" for name in EXPORT_TABLES) + (out_dir / DESCRIPTOR,)
    return ExportResult(out_dir, version.version, files, {name: tables[name].num_rows for name in EXPORT_TABLES})


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
    resource["schema"] = table_schema(spec)
    return resource


def table_schema(spec: TableSpec) -> dict[str, Any]:
    """The Frictionless Table Schema of a stored table: types, descriptions, HXL tags, required fields, key."""
    fields = []
    for column in spec.columns:
        field: dict[str, Any] = {
            "name": column.name,
            "type": _field_type(column.type),
            "description": column.description,
            "hxl": column.hxl,
        }
        if column.required:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
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


def package_descriptor(version: StoreVersion, resources: Sequence[Mapping[str, Any]], hxl: bool) -> dict[str, Any]:
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
        "sources": [{"title": spec.title} for spec in EXTRACTORS.values()],
        "mixedflows": {"store_version": version.version, "tables": dict(version.tables), "run_id": version.run_id},
        "resources": list(resources),
    }
