"""`mixedflows validate` and `mixedflows acknowledge`: violations of reports, and a person's verdict on them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from extractors import EXTRACTORS
from extractors.bounded import extract_bounded as extract_report
from extractors.errors import ExtractionError
from extractors.facts import FACT_COLUMNS
from extractors.geo import AliasesError
from mixedflows.cli import app
from mixedflows.cli.checks import ExitCode, checked_config, fail
from mixedflows.cli.engine import EngineOption
from mixedflows.cli.output import OutputFormat, error_line, print_rows
from mixedflows.facts_files import FactsFileError, is_facts_file, load_history, read_facts_file
from mixedflows.settings import config_dir as resolve_config_dir
from schemas.errors import ValidationConfigError
from schemas.figures import previous_report_id, report_month_of

# The rules and alerts (pandera, apprise: 0.4 s to import) are imported inside the two commands,
# so that every other `mixedflows` command starts without them.

#: What the table format shows: enough to find each figure in the PDF and to acknowledge it.
TABLE_COLUMNS = ("report_id", "severity", "rule", "key", "expected", "actual", "pages", "acknowledged", "detail")

ConfigDirOption = Annotated[
    Path | None,
    typer.Option(
        "--config-dir",
        help="Configuration directory (validation.toml, acknowledgements.toml, alerts.toml); "
        "default $MIXEDFLOWS_CONFIG_DIR, else ./config.",
    ),
]


@app.command()
def validate(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Report PDFs (or facts files: .json, .jsonl, .csv, .parquet).", metavar="PDF..."),
    ],
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            help="Folder of earlier issues: report PDFs as archived (<family>/<YYYY-MM>.pdf) or facts files.",
        ),
    ] = None,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table for people; json (one array of violations).")
    ] = OutputFormat.table,
    alert: Annotated[
        bool, typer.Option("--alert", help="Also send alerts for unacknowledged errors to the configured channels.")
    ] = False,
    config_dir: ConfigDirOption = None,
    engine: EngineOption = None,
) -> None:
    """Extract each report and check its figures: the contract, its own arithmetic, its history.

    The reports given together are each other's history too (DTM and UNHCR of one month, or two
    months of one family). Exit 0 when no unacknowledged error-level violation remains, 1 when one
    does, 2 when an input, the history folder or the configuration cannot be read.
    """
    from mixedflows.alerts import AlertConfigError, load_alert_config, send_alerts
    from schemas.config import ValidationConfig
    from schemas.validate import MARK_COLUMNS, validate_report
    from schemas.violations import VIOLATION_COLUMNS, blocking, violation_records, violations_frame

    checked = checked_config()
    config = checked.loaded.get("validation") or ValidationConfig.defaults()
    try:
        alert_config = load_alert_config(checked.directory) if alert else None
    except AlertConfigError as exc:
        fail(str(exc))
    reports, extraction_problems, unreadable = _read_inputs(inputs)
    past = pd.DataFrame(columns=list(FACT_COLUMNS))
    if history is not None:
        try:
            past, problems = load_history(history, wanted=_wanted(reports))
        except FactsFileError as exc:
            fail(str(exc))
        for problem in problems:
            error_line(f"history: {problem} (left out)")
    found = []
    for report_id, frame in reports.items():
        others = [f[[c for c in f.columns if c not in MARK_COLUMNS]] for rid, f in reports.items() if rid != report_id]
        context = pd.concat([past, *others], ignore_index=True) if others else past
        found.append(
            validate_report(frame, context, config, extraction_problems.get(report_id, ()), report_id=report_id)
        )
    violations = pd.concat(found, ignore_index=True) if found else violations_frame([], {})
    print_rows(violation_records(violations), VIOLATION_COLUMNS, fmt, TABLE_COLUMNS)
    if fmt is OutputFormat.table:
        _summary(reports, violations)
    if alert_config is not None:
        for result in send_alerts(violations, config=alert_config):
            status = "delivered" if result.delivered else f"NOT delivered ({result.error})"
            typer.echo(f"alert for {result.report_id} to {result.channel}: {status}", err=True)
    if unreadable:
        raise typer.Exit(code=int(ExitCode.BAD_INPUT))
    if not blocking(violations).empty:
        raise typer.Exit(code=int(ExitCode.HELD))


@app.command()
def acknowledge(
    report_id: Annotated[str, typer.Argument(help="The report, e.g. dtm-wb-2024-12.")],
    rule: Annotated[str, typer.Argument(help="The rule that fired, as `mixedflows validate` prints it.")],
    key: Annotated[str, typer.Option("--key", help="The violation's KEY, as `mixedflows validate` prints it.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is acceptable, e.g. 'the PDF prints these figures'.")],
    who: Annotated[str, typer.Option("--who", help="Who checked it against the PDF.")],
    when: Annotated[
        str | None, typer.Option("--when", help="When it was checked (ISO 8601; default now, UTC).")
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The published tables, whose violations the key must be one of.")
    ] = Path("output"),
    input_file: Annotated[
        Path | None,
        typer.Option(
            "--input", help="Or: the report PDF or facts file to validate for the violation (no history rules)."
        ),
    ] = None,
    config_dir: ConfigDirOption = None,
) -> None:
    """Record that a person checked a violation against the PDF: it no longer blocks publishing nor alerts.

    The violation must exist: in the store at --output (a run or `publish` found it), or in the
    validation of --input. The entry is appended to acknowledgements.toml in the configuration
    directory; commit it.
    """
    from schemas.acknowledgements import Acknowledgement, append_acknowledgement
    from schemas.config import ACKNOWLEDGEMENTS_FILE
    from schemas.rules import RULES

    path = resolve_config_dir(config_dir) / ACKNOWLEDGEMENTS_FILE
    if rule not in RULES:
        fail(f"unknown rule {rule!r} (known: {', '.join(RULES)})")
    try:
        moment = dt.datetime.now(dt.UTC) if when is None else dt.datetime.fromisoformat(when)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        entry = Acknowledgement(report_id, rule, key, reason, who, moment)
    except ValueError as exc:
        fail(str(exc))
    known = _violation_keys(report_id, rule, output, input_file)
    if key not in known:
        where = str(input_file) if input_file is not None else f"the store at {output}/"
        listed = f" (its {rule} keys: {', '.join(sorted(known))})" if known else ""
        fail(f"no {rule} violation of {report_id} has key {key!r} in {where}{listed}")
    try:
        append_acknowledgement(path, entry)
    except (ValueError, ValidationConfigError) as exc:
        fail(str(exc))
    typer.echo(f"acknowledged {report_id} {rule} {key} in {_shown(path)}; commit it with the reason")


def _violation_keys(report_id: str, rule: str, output: Path, input_file: Path | None) -> set[str]:
    """The keys of the report's violations of `rule`: in the validation of `input_file`, else in the store."""
    if input_file is not None:
        from schemas.validate import validate_report

        reports, extraction_problems, unreadable = _read_inputs([input_file])
        if unreadable:
            raise typer.Exit(code=int(ExitCode.BAD_INPUT))
        if report_id not in reports:
            fail(f"{input_file}: holds no report {report_id} (it holds {', '.join(reports) or 'none'})")
        violations = validate_report(
            reports[report_id],
            None,
            checked_config().loaded.get("validation"),
            extraction_problems.get(report_id, ()),
            report_id=report_id,
        )
    else:
        from mixedflows.store import Store, StoreError

        try:
            violations = Store(output).read_violations()
        except StoreError as exc:
            fail(f"{exc} (pass --output, or --input with the report's PDF or facts file)")
    mine = violations[(violations["report_id"] == report_id) & (violations["rule"] == rule)]
    return {str(k) for k in mine["key"].dropna()}


def _shown(path: Path) -> Path:
    """The path relative to the working directory when it lies below it (as people typed it)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _read_inputs(inputs: list[Path]) -> tuple[dict[str, pd.DataFrame], dict[str, tuple], int]:
    """Validation frames by report id, from PDFs (extracted) and facts files; what extraction could not
    read in each (sections, labels: violations of their own); how many files could not be read at all."""
    from schemas.validate import report_frame

    reports: dict[str, pd.DataFrame] = {}
    problems: dict[str, tuple] = {}
    unreadable = 0
    for path in inputs:
        try:
            if is_facts_file(path):
                facts = read_facts_file(path)
                for report_id, frame in facts.groupby("report_id", sort=False):
                    reports[str(report_id)] = frame
            else:
                report = extract_report(path, strict=False, second_reading=True)
                reports[report.report_id] = report_frame(report)
                problems[report.report_id] = report.problems
        except (ExtractionError, FactsFileError, AliasesError) as exc:
            error_line(str(exc))
            unreadable += 1
    return reports, problems, unreadable


def _wanted(reports: dict[str, pd.DataFrame]) -> set[str]:
    """Issues worth reading from the history: each family's previous month, other families' same month."""
    wanted = set()
    months = {report_month_of(rid) for rid in reports}
    for report_id in reports:
        previous = previous_report_id(report_id)
        if previous:
            wanted.add(previous)
    for spec in EXTRACTORS.values():
        for month in months:
            if month is not None:
                wanted.add(f"{spec.report_prefix}-{month[0]:04d}-{month[1]:02d}")
    return wanted - set(reports)


def _summary(reports: dict[str, pd.DataFrame], violations: pd.DataFrame) -> None:
    from schemas.violations import blocking

    for report_id in reports:
        mine = violations[violations["report_id"] == report_id]
        errors = int((mine["severity"] == "error").sum())
        open_errors = len(blocking(mine))
        warnings = int((mine["severity"] == "warning").sum())
        verdict = "blocked" if open_errors else "ok"
        typer.echo(
            f"{report_id}: {verdict} — {errors} error(s), {errors - open_errors} acknowledged; {warnings} warning(s)",
            err=True,
        )
