"""`mixedflows report`: the HTML run report of a run (by default the latest), with crops and trend plots."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mixedflows.cli import app
from mixedflows.cli.checks import check_output_dir, check_raw_dir
from mixedflows.cli.output import error_line


@app.command()
def report(
    run: Annotated[str | None, typer.Option("--run", help="Run id (default: the latest run record).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory of the published tables.")] = Path("output"),
    raw_dir: Annotated[Path, typer.Option("--raw-dir", help="The archive of report PDFs.")] = Path("raw_pdfs"),
) -> None:
    """Write output/run-reports/<run>/index.html: statuses, changes, each violation on its page, trends."""
    check_output_dir(output)
    check_raw_dir(raw_dir)
    from mixedflows.report import REPORTS_DIR, ReportError, build_report, latest_run_record
    from mixedflows.store import Store, StoreError

    try:
        record = output / "runs" / f"{run}.json" if run else latest_run_record(output)
        path = build_report(record, store=Store(output), raw_dir=raw_dir, out_dir=output / REPORTS_DIR)
    except (ReportError, StoreError) as exc:
        error_line(str(exc))
        raise typer.Exit(code=2) from None
    typer.echo(f"report: {path}")
