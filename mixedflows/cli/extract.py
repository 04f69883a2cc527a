"""`mixedflows extract`: every figure of one or more report PDFs as facts rows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from extractors.bounded import extract_bounded as extract_report
from extractors.errors import ExtractionError
from extractors.facts import FACT_COLUMNS
from extractors.geo import AliasesError
from extractors.registry import WARNING_PROBLEMS
from mixedflows.cli import app
from mixedflows.cli.engine import EngineOption
from mixedflows.cli.output import OutputFormat, error_line, print_rows, warning_line

#: What the table format shows: enough to check a figure against the PDF by eye.
TABLE_COLUMNS = (
    "report_id",
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
    "method",
)


@app.command()
def extract(
    pdfs: Annotated[list[Path], typer.Argument(help="Report PDFs (DTM or UNHCR; recognised from their text).")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table for people; json or csv for programs.")] = (
        OutputFormat.table
    ),
    engine: EngineOption = None,
) -> None:
    """Extract every figure the reports print as rows of the `facts` table.

    A section (or a label) that cannot be read is one line on stderr; every other figure is still
    printed. Exit 0 when everything was read, 2 when a file or part of one could not be.
    """
    rows: list[dict] = []
    failed = 0
    for pdf in pdfs:
        try:
            report = extract_report(pdf, strict=False)
        except (ExtractionError, AliasesError) as exc:
            error_line(str(exc))
            failed += 1
            continue
        rows.extend(fact.to_record() for fact in report.facts)
        for problem in report.problems:
            if problem.rule in WARNING_PROBLEMS:
                warning_line(f"{problem.rule}: {problem.detail}")
            else:
                error_line(f"{problem.rule}: {problem.detail}")
                failed += 1
    print_rows(rows, FACT_COLUMNS, fmt, TABLE_COLUMNS)
    if failed:
        raise typer.Exit(code=2)
