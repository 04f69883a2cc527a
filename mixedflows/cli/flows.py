"""`mixedflows run | backfill | serve`: the Prefect flows, started from the command line."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from extractors import EXTRACTORS
from mixedflows import prefect_env
from mixedflows.cli import app
from mixedflows.cli.checks import ExitCode, check_month, check_output_dir, check_raw_dir, fail
from mixedflows.cli.engine import EngineOption
from mixedflows.cli.output import error_line

RawDirOption = Annotated[Path, typer.Option("--raw-dir", help="The archive of report PDFs.")]
OutputDirOption = Annotated[Path, typer.Option("--output", "-o", help="Directory of the published tables.")]
FamilyOption = Annotated[
    list[str] | None, typer.Option("--family", help=f"Only this family ({', '.join(EXTRACTORS)}); repeatable.")
]

#: Default schedule of the monthly deployment: 06:00 UTC on the 20th, when both publishers have
#: usually released the previous month's issue (DTM mid-month, UNHCR in the second half).
DEFAULT_CRON = "0 6 20 * *"


class Source(StrEnum):
    local = "local"
    web = "web"


class TaskRunner(StrEnum):
    thread = "thread"
    dask = "dask"


def _check_families(families: list[str] | None) -> list[str] | None:
    for family in families or ():
        if family not in EXTRACTORS:
            fail(f"--family: unknown family {family!r}; known: {', '.join(EXTRACTORS)}")
    return families


def _fail_fast_offline(families: list[str]) -> None:
    """When no family's listing can be reached at all (offline), say so per source and exit 2 before Prefect starts.

    The flow would fetch and fail the same way, but only after Prefect's temporary server started
    (10-20 s); when at least one source answers, the run goes ahead and reports the others itself.
    """
    from mixedflows.acquire import AcquireConfig, AcquireError
    from mixedflows.acquire.transport import unreachable

    try:
        config = AcquireConfig.from_env()
        problems = {}
        for family in families:
            source = config.source(family)
            problems[family] = unreachable(source.listing_url, allowed_hosts=source.allowed_hosts, config=config)
    except (AcquireError, ValueError) as exc:
        fail(str(exc))
    if all(problems.values()):
        for family, problem in problems.items():
            error_line(f"{family}: listing {problem}")
        raise typer.Exit(code=int(ExitCode.BAD_INPUT))


def _report_run(state, output: Path, run_id: str) -> None:
    """Print what the run did, from its record (one line per report, one per failed source); exit per `ExitCode`."""
    record_path = output / "runs" / f"{run_id}.json"
    if not record_path.exists():
        fail(f"the run ended {state.name} before writing {record_path}: {state.message}", ExitCode.FAILED)
    record = json.loads(record_path.read_text())
    for report in record["reports"]:
        version = "" if report["store_version"] is None else f", store version {report['store_version']}"
        typer.echo(
            f"{report['report_id']}: {report['status']} ({report['fact_count']} figures{version}) {report['detail']}"
        )
    for line in record.get("source_failures", []):
        error_line(line)
    typer.echo(f"output: {output}/ (run record {record_path})")
    statuses = {report["status"] for report in record["reports"]}
    if "failed" in statuses or record.get("source_failures"):
        raise typer.Exit(code=int(ExitCode.BAD_INPUT))
    # A held report is the pipeline working: its flow run completes, the report waits in quarantine for a
    # reviewer (run record, alerts, run report). A scheduled job exits as its flow run ends, so a month
    # with findings is not a failed job; `validate` and `publish`, run by a person to check, exit HELD.
    if not state.is_completed():
        fail(f"run {run_id} ended {state.name}: {state.message}", ExitCode.FAILED)


@app.command()
def run(
    month: Annotated[str | None, typer.Option(help="YYYY-MM (default: the latest month in the archive).")] = None,
    source: Annotated[Source, typer.Option(help="local: the archive only (offline); web: fetch first.")] = (
        Source.local
    ),
    raw_dir: RawDirOption = Path("raw_pdfs"),
    output: OutputDirOption = Path("output"),
    family: FamilyOption = None,
    engine: EngineOption = None,
) -> None:
    """Run the monthly flow: extract, validate and publish one month's reports (exit codes: docs/OPERATIONS.md)."""
    check_month(month)
    families = _check_families(family)
    check_raw_dir(raw_dir, must_exist=source is Source.local)
    check_output_dir(output)
    if source is Source.web:
        _fail_fast_offline(families or list(EXTRACTORS))
    prefect_env.configure()
    from flows.monthly import monthly
    from flows.tasks import new_run_id

    run_id = new_run_id("monthly")
    state = monthly(
        month=month,
        source=source.value,
        raw_dir=str(raw_dir),
        output_dir=str(output),
        families=families,
        run_id=run_id,
        return_state=True,
    )
    _report_run(state, output, run_id)


@app.command()
def backfill(
    first: Annotated[str, typer.Option("--from", help="First month, YYYY-MM.")],
    last: Annotated[str, typer.Option("--to", help="Last month, YYYY-MM (inclusive).")],
    source: Annotated[Source, typer.Option(help="local: the archive only; web: fetch each month first.")] = (
        Source.local
    ),
    raw_dir: RawDirOption = Path("raw_pdfs"),
    output: OutputDirOption = Path("output"),
    family: FamilyOption = None,
    workers: Annotated[int, typer.Option(min=1, help="Reports processed at once.")] = 2,
    task_runner: Annotated[
        TaskRunner,
        typer.Option(help="thread: this process; dask: a local Dask cluster, or the one at MIXEDFLOWS_DASK_ADDRESS."),
    ] = (TaskRunner.thread),
    engine: EngineOption = None,
) -> None:
    """Process every report of a range of months in parallel, with a progress bar; resumable."""
    check_month(first, "--from")
    check_month(last, "--to")
    if first > last:
        fail(f"--from {first} is after --to {last}")
    families = _check_families(family)
    check_raw_dir(raw_dir, must_exist=source is Source.local)
    check_output_dir(output)
    if source is Source.web:
        _fail_fast_offline(families or list(EXTRACTORS))
    prefect_env.configure()
    from flows.backfill import backfill as backfill_flow
    from flows.backfill import on_report_done, on_step
    from flows.tasks import new_run_id

    runner = _task_runner(task_runner, workers)
    run_id = new_run_id("backfill")
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with (
        Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=False
        ) as progress,
        prefect_logs_through(progress.console),
    ):
        bar = progress.add_task(f"backfill {first}..{last}", total=None)

        def advance(outcome, total: int) -> None:
            progress.update(bar, total=total, advance=1, description=f"{outcome.report_id}: {outcome.status}")

        def step(name: str) -> None:
            progress.update(bar, description=name)

        stop_listening, stop_steps = on_report_done(advance), on_step(step)
        try:
            state = backfill_flow.with_options(task_runner=runner)(
                first_month=first,
                last_month=last,
                source=source.value,
                raw_dir=str(raw_dir),
                output_dir=str(output),
                families=families,
                run_id=run_id,
                return_state=True,
            )
        finally:
            stop_listening()
            stop_steps()
    _report_run(state, output, run_id)


@contextlib.contextmanager
def prefect_logs_through(console) -> Iterator[None]:
    """Print Prefect's log lines through the progress display's console, above the bar, not across it.

    Prefect's console handler holds its own rich Console on the real stderr, which the progress
    display does not redirect; for the time of the display it prints through the display's one.
    """
    import logging

    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [
        logging.getLogger(),
        *(lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)),
    ]
    handlers = {id(h): h for lg in loggers for h in lg.handlers if isinstance(h, PrefectConsoleHandler)}
    previous = {key: handler.console for key, handler in handlers.items()}
    for handler in handlers.values():
        handler.console = console
    try:
        yield
    finally:
        for key, handler in handlers.items():
            handler.console = previous[key]


def _task_runner(kind: TaskRunner, workers: int):
    if kind is TaskRunner.dask:
        from prefect_dask import DaskTaskRunner

        address = os.environ.get("MIXEDFLOWS_DASK_ADDRESS")
        if address:
            return DaskTaskRunner(address=address)
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        )
    from prefect.task_runners import ThreadPoolTaskRunner

    return ThreadPoolTaskRunner(max_workers=workers)


@app.command()
def serve(
    cron: Annotated[str, typer.Option(help="When the monthly run starts (cron, UTC).")] = DEFAULT_CRON,
    source: Annotated[Source, typer.Option(help="Where scheduled runs get the PDFs.")] = Source.web,
    raw_dir: RawDirOption = Path("raw_pdfs"),
    output: OutputDirOption = Path("output"),
    name: Annotated[str, typer.Option(help="Deployment name.")] = "monthly",
) -> None:
    """Register the monthly deployment on a Prefect server and run its scheduled runs (until stopped).

    Needs a running server: `prefect server start --host 127.0.0.1`, then
    `export PREFECT_API_URL=http://127.0.0.1:4200/api` (Prefect's temporary server refuses schedules).
    """
    check_raw_dir(raw_dir, must_exist=source is Source.local)
    check_output_dir(output)
    prefect_env.configure()
    if not os.environ.get("PREFECT_API_URL"):
        fail(
            "serve needs a Prefect server: run `prefect server start --host 127.0.0.1` and set "
            "PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    from flows.monthly import monthly

    # SIGTERM (Prefect's runner handles it) and SIGINT both end here, after the runner paused the
    # deployment's schedule: no runs pile up Late while nothing serves them. `prefect deployment
    # resume` (or the next `serve`) starts the schedule again.
    with contextlib.suppress(KeyboardInterrupt):
        monthly.serve(
            name=name,
            cron=cron,
            parameters={
                "source": source.value,
                "raw_dir": str(raw_dir.resolve()),
                "output_dir": str(output.resolve()),
            },
            description="The monthly mixedflows run: fetch, extract, validate, publish, alert.",
            pause_on_shutdown=True,
        )
