"""`mixedflows discover` and `mixedflows fetch`: what is published and archived, and downloading it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from extractors import EXTRACTORS
from mixedflows import acquire
from mixedflows.acquire import AcquireConfig, AcquireError, DownloadStatus
from mixedflows.acquire.archive import check_month
from mixedflows.acquire.fetch import fetch_family
from mixedflows.cli import app
from mixedflows.cli.checks import check_raw_dir
from mixedflows.cli.output import OutputFormat, error_line, print_rows

#: Family choices come from the extractor registry: one list of families, everywhere.
Family = StrEnum("Family", {key: key for key in EXTRACTORS})


class Where(StrEnum):
    local = "local"
    web = "web"


ARCHIVE_COLUMNS = (
    "family",
    "month",
    "revision",
    "sha256",
    "bytes",
    "source_url",
    "retrieved_at",
    "etag",
    "last_modified",
    "path",
)
ARCHIVE_TABLE_COLUMNS = ("family", "month", "revision", "sha256", "bytes", "source_url", "path")
WEB_COLUMNS = ("family", "month", "title", "page_url", "pdf_url", "published", "archived_sha256", "archived_revision")
WEB_TABLE_COLUMNS = ("family", "month", "archived_sha256", "title", "page_url")
#: Enough of a sha256 for people to tell files apart in a table; JSON and CSV keep all of it.
SHORT_SHA = 12

FamilyOption = Annotated[
    Family | None, typer.Option("--family", help="Only this report family (default: every family).")
]
RawDirOption = Annotated[Path, typer.Option("--raw-dir", help="The archive: <raw-dir>/<family>/<YYYY-MM>.pdf.")]


def _month(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_month(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


MonthOption = Annotated[
    str | None, typer.Option("--month", callback=_month, help="Only this reporting month, as YYYY-MM.")
]


@app.command()
def discover(
    family: FamilyOption = None,
    month: MonthOption = None,
    source: Annotated[
        Where, typer.Option("--source", help="local: what the archive holds (offline); web: what the publishers list.")
    ] = Where.local,
    raw_dir: RawDirOption = Path("raw_pdfs"),
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table for people; json or csv.")] = (
        OutputFormat.table
    ),
) -> None:
    """List the reports that are archived (default, offline) or published (--source web).

    With --source web, each listed issue shows the sha256 of the archived copy when there is one.
    Exit 2 when a source or the archive could not be read (one line each on stderr).
    """
    families = [family.value] if family else list(EXTRACTORS)
    check_raw_dir(raw_dir, must_exist=source is Where.local)
    if source is Where.local:
        try:
            rows = [a.to_record() for fam in families for a in acquire.archived(raw_dir, fam, month)]
        except AcquireError as exc:
            error_line(str(exc))
            raise typer.Exit(code=2) from None
        print_rows(_short(rows, "sha256", fmt), ARCHIVE_COLUMNS, fmt, ARCHIVE_TABLE_COLUMNS)
        return
    config = _config()
    rows: list[dict[str, Any]] = []
    failed = 0
    with acquire.make_client(config) as client:
        for fam in families:
            try:
                candidates = acquire.discover(fam, month, config=config, client=client)
                held = {a.month: a for a in acquire.archived(raw_dir, fam, month)}
            except AcquireError as exc:
                error_line(str(exc))
                failed += 1
                continue
            for candidate in candidates:
                archived = held.get(candidate.month)
                rows.append(
                    {
                        **candidate.to_record(),
                        "archived_sha256": archived.sha256 if archived else None,
                        "archived_revision": archived.revision if archived else None,
                    }
                )
    print_rows(_short(rows, "archived_sha256", fmt), WEB_COLUMNS, fmt, WEB_TABLE_COLUMNS)
    if failed:
        raise typer.Exit(code=2)


@app.command()
def fetch(
    family: FamilyOption = None,
    month: MonthOption = None,
    raw_dir: RawDirOption = Path("raw_pdfs"),
) -> None:
    """Download the listed issues (or one month's) into the archive, from the publishers' sites.

    Unchanged reports are not fetched again (conditional requests, sha256); a re-published report
    with different bytes becomes a new revision and the old one is kept. One line per report on
    stdout, one line per failure on stderr; a failed source does not stop the other. Exit 2 when
    anything failed.
    """
    families = [family.value] if family else list(EXTRACTORS)
    check_raw_dir(raw_dir, must_exist=False)
    config = _config()
    counts = dict.fromkeys(DownloadStatus, 0)
    with acquire.make_client(config) as client:
        for fam in families:
            fetched = fetch_family(fam, month, raw_dir, config=config, client=client)
            for result in fetched.results:
                counts[result.status] += 1
                if result.ok:
                    typer.echo(result.message())
            for line in fetched.failures:
                error_line(line)
            # A listing that failed as a whole counts once; failed downloads are counted above.
            counts[DownloadStatus.failed] += len(fetched.failures) - sum(1 for r in fetched.results if not r.ok)
    typer.echo("fetched: " + ", ".join(f"{n} {status.value}" for status, n in counts.items()))
    if counts[DownloadStatus.failed]:
        raise typer.Exit(code=2)


def _config() -> AcquireConfig:
    try:
        return AcquireConfig.from_env()
    except (AcquireError, ValueError) as exc:
        error_line(str(exc))
        raise typer.Exit(code=2) from None


def _short(rows: list[dict[str, Any]], column: str, fmt: OutputFormat) -> list[dict[str, Any]]:
    if fmt is not OutputFormat.table:
        return rows
    return [{**row, column: row[column][:SHORT_SHA] if row.get(column) else None} for row in rows]
