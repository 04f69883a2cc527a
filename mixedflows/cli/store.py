"""`mixedflows publish | versions | diff | export`: the versioned tables under `output/`."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import pandas as pd
import typer

from extractors.bounded import extract_bounded as extract_report
from extractors.errors import ExtractionError
from mixedflows.cli import app
from mixedflows.cli.checks import ExitCode, check_output_dir, fail
from mixedflows.cli.engine import EngineOption
from mixedflows.cli.output import OutputFormat, error_line, print_rows
from mixedflows.store import Store, StoreError
from mixedflows.store.errors import StoreConflictError
from mixedflows.store.history import DIFF_COLUMNS

OutputDir = Annotated[Path, typer.Option("--output", "-o", help="Directory of the published tables.")]

#: What `versions` shows as a table.
VERSION_COLUMNS = ("version", "timestamp", "action", "status", "run_id", "reports", "facts", "violations", "quarantine")

#: What `versions --format json` gives: everything a version records.
JSON_VERSION_COLUMNS = (
    "version",
    "timestamp",
    "operation",
    "action",
    "status",
    "run_id",
    "report_ids",
    "tables",
    "metadata",
)

#: What `diff` shows as a table: the key and the value on each side.
DIFF_TABLE_COLUMNS = (
    "change",
    "report_id",
    "indicator",
    "geo",
    "period_start",
    "period_end",
    "breakdown",
    "rank",
    "value_before",
    "value_after",
)


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


@app.command()
def publish(
    pdfs: Annotated[list[Path], typer.Argument(help="Report PDFs (DTM or UNHCR; recognised from their text).")],
    output: OutputDir = Path("output"),
    engine: EngineOption = None,
) -> None:
    """Extract report PDFs and publish their figures as a new version of the tables (nothing new: no version).

    Each report is validated against the store's published history, exactly as the flows do. Exit 0
    when every file was published, 1 when one was held in quarantine, 2 when a file could not be read
    (the others are still published), 3 when the store refused a write (one line each on stderr).
    """
    check_output_dir(output)
    from mixedflows.extractor_version import extractor_version
    from mixedflows.pipeline import decision_order, publish_extracted

    store = Store(output)
    run_id = f"cli-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    version = extractor_version()
    unreadable = refused = held = 0
    reports = []
    for pdf in pdfs:
        try:
            reports.append((extract_report(pdf, second_reading=True), pdf))
        except ExtractionError as exc:
            error_line(str(exc))
            unreadable += 1
    # Decided in the flows' order, each against the store's history, exactly as a run would.
    for report, pdf in sorted(reports, key=lambda pair: decision_order(pair[0].report_id)):
        outcome = publish_extracted(
            report,
            pdf=pdf,
            store=store,
            run_id=run_id,
            extractor_version=version,
            run_metadata={"command": "mixedflows publish", "pdf": pdf.name},
        )
        if outcome.failed:
            error_line(outcome.detail)
            refused += 1
            continue
        held += outcome.status == "quarantined"
        typer.echo(
            f"{outcome.report_id}: {outcome.status}, {outcome.fact_count} figures "
            f"(store version {outcome.store_version}) {outcome.detail}"
        )
    if store.exists():
        typer.echo(f"output: {output}/ at store version {store.version().version}")
    if refused:
        raise typer.Exit(code=int(ExitCode.FAILED))
    if unreadable:
        raise typer.Exit(code=int(ExitCode.BAD_INPUT))
    if held:
        raise typer.Exit(code=int(ExitCode.HELD))


@app.command()
def versions(
    output: OutputDir = Path("output"),
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table for people; json or csv.")] = (
        OutputFormat.table
    ),
) -> None:
    """List the versions of the published tables: when, what, which run, which reports."""
    check_output_dir(output, writes=False)
    try:
        found = Store(output).versions()
    except StoreError as exc:
        _fail(exc)
    rows = []
    for v in found:
        record = v.to_record()
        record["reports"] = " ".join(v.report_ids)
        record.update(v.tables)
        rows.append(record)
    print_rows(rows, JSON_VERSION_COLUMNS if fmt is OutputFormat.json else VERSION_COLUMNS, fmt)


@app.command()
def diff(
    v1: Annotated[int, typer.Argument(help="Earlier store version.")],
    v2: Annotated[int, typer.Argument(help="Later store version.")],
    output: OutputDir = Path("output"),
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table for people; json or csv.")] = (
        OutputFormat.table
    ),
) -> None:
    """Figures added, removed and changed between two versions (keyed on the facts key)."""
    check_output_dir(output, writes=False)
    try:
        changes = Store(output).diff(v1, v2)
    except StoreError as exc:
        _fail(exc)
    rows = [{k: (None if pd.isna(v) else v) for k, v in row.items()} for row in changes.to_dict("records")]
    print_rows(rows, DIFF_COLUMNS, fmt, DIFF_TABLE_COLUMNS)
    if fmt is OutputFormat.table:
        counts = changes["change"].value_counts()
        summary = ", ".join(f"{counts.get(kind, 0)} {kind}" for kind in ("added", "removed", "changed"))
        typer.echo(f"{v1} -> {v2}: {summary}", err=True)


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format of the tables.")],
    version: Annotated[int | None, typer.Option("--version", "-v", help="Store version (default: the latest).")] = None,
    hxl: Annotated[bool, typer.Option("--hxl", help="CSV: an HXL hashtag row under the header.")] = False,
    output: OutputDir = Path("output"),
    to: Annotated[
        Path | None, typer.Option("--to", help="New directory to write (default: OUTPUT/exports/v<N>-<format>).")
    ] = None,
) -> None:
    """Export facts, violations and reports at a version, with a Frictionless datapackage.json."""
    check_output_dir(output, writes=to is None)
    if to is not None:
        check_output_dir(to, option="--to")
    store = Store(output)
    try:
        number = store.version(version).version
        result = store.export(number, to or output / "exports" / f"v{number}-{fmt.value}", fmt=fmt.value, hxl=hxl)
    except StoreError as exc:
        _fail(exc)
    rows = ", ".join(f"{name} {count}" for name, count in result.rows.items())
    typer.echo(f"exported store version {result.version} to {result.directory}/ (rows: {rows}) with datapackage.json")


def _fail(exc: Exception) -> NoReturn:
    # Another writer winning every retry is a failure of the work; every other store error is a
    # request that cannot be met (no store there, no such version, a report in another state).
    fail(str(exc), ExitCode.FAILED if isinstance(exc, StoreConflictError) else ExitCode.BAD_INPUT)
