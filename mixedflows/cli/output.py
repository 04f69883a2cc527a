"""Printing rows for people (table) and for programs (json, csv), and one-line errors."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

import typer


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def print_rows(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: OutputFormat,
    table_columns: Sequence[str] | None = None,
) -> None:
    """Write rows to stdout: JSON is one array of objects; CSV has a header; table is for people."""
    if fmt is OutputFormat.json:
        json.dump([{c: row.get(c) for c in columns} for row in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    elif fmt is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _csv_cell(row.get(c)) for c in columns})
    else:
        _print_table(rows, table_columns or columns)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value))
    return "" if value is None else value


def _print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
    cells = [[_table_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    typer.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for r in cells:
        typer.echo("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())


def _table_cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    if isinstance(value, (list, tuple)):
        return ",".join(f"{v:.0f}" for v in value)
    return str(value)


def error_line(message: str) -> None:
    """One line on stderr, no traceback: what failed and where."""
    typer.echo(f"error: {' '.join(str(message).split())}", err=True)


def warning_line(message: str) -> None:
    """One warning line on stderr: something was missing and a default was used."""
    typer.echo(f"warning: {' '.join(str(message).split())}", err=True)
