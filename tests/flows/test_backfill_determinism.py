"""A backfill decides the same whatever its workers: identical tables with 1, 2 and 4 threads and on Dask.

The archive is the seven sample PDFs plus the 24 synthetic variants of `tests/variants` (31 reports;
all synthetic imitations). Several variants carry planted, genuine error-level inconsistencies, and
the variants of neighbouring months disagree with each other's history, so a report validated before
or after its previous month lands gives different violations: exactly what must not depend on timing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from mixedflows import prefect_env

prefect_env.configure(Path(__file__).parents[2])

from prefect.testing.utilities import prefect_test_harness  # noqa: E402

from flows import backfill  # noqa: E402
from mixedflows.store import Store  # noqa: E402
from tests.conftest import TESTS  # noqa: E402

pytestmark = pytest.mark.slow

#: Columns that name the run or the moment, not what was decided.
RUN_COLUMNS = ("run_id", "published_at")


@pytest.fixture(scope="module", autouse=True)
def prefect_server():
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """Samples and rendered variants in the raw_pdfs layout; returns (raw dir, first month, last month)."""
    from tests.variants import render_case, variant_cases

    scratch = tmp_path_factory.mktemp("determinism")
    raw = scratch / "raw"
    sources = {(pdf.parent.name, pdf.stem): pdf for pdf in sorted((TESTS / "pdfs").glob("*/*.pdf"))}
    for case in variant_cases():
        pdf, truth = render_case(case, scratch / "variants")
        sources.setdefault((truth["family"], truth["report_id"][-7:]), pdf)
    for (family, month), pdf in sources.items():
        target = raw / family / f"{month}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, target)
    months = sorted(month for _, month in sources)
    return raw, months[0], months[-1]


def decided(output: Path) -> dict[str, str]:
    """The store's tables as CSV text, rows sorted, without the columns naming the run or the time."""
    store = Store(output)
    tables = {
        "violations": store.read_violations(),
        "reports": store.read_reports(),
        "facts": store.read_facts(),
        "quarantine": store.read_quarantine(),
    }
    text = {}
    for name, frame in tables.items():
        frame = frame.drop(columns=[c for c in RUN_COLUMNS if c in frame.columns])
        frame = frame.map(lambda v: repr(list(v)) if hasattr(v, "__len__") and not isinstance(v, str) else v)
        frame = frame.sort_values(list(frame.columns), na_position="first").reset_index(drop=True)
        text[name] = frame.to_csv(index=False)
    return text


def run_backfill(raw: Path, first: str, last: str, output: Path, runner) -> None:
    state = backfill.with_options(task_runner=runner)(
        first, last, raw_dir=str(raw), output_dir=str(output), run_id=output.name, return_state=True
    )
    assert state.is_completed() or state.is_failed(), state.message
    assert (output / "runs" / f"{output.name}.json").exists()


def test_backfill_decisions_do_not_depend_on_workers(archive, tmp_path: Path) -> None:
    """1, 2 and 4 threads and a two-process Dask cluster: byte-identical violations, ledger, facts and quarantine."""
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    raw, first, last = archive
    assert len(list(raw.glob("*/*.pdf"))) >= 30
    results = {}
    for workers in (1, 2, 4):
        output = tmp_path / f"threads-{workers}"
        run_backfill(raw, first, last, output, ThreadPoolTaskRunner(max_workers=workers))
        results[f"{workers} threads"] = decided(output)
    dask = DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    )
    run_backfill(raw, first, last, tmp_path / "dask-2", dask)
    results["dask"] = decided(tmp_path / "dask-2")

    reference = results["1 threads"]
    ledger = pd.read_csv(pd.io.common.StringIO(reference["reports"]))
    assert len(ledger) >= 30
    # Genuine error-level findings hold reports back, and history rules fire across months.
    assert (ledger["status"] == "quarantined").sum() >= 2
    violations = pd.read_csv(pd.io.common.StringIO(reference["violations"]))
    assert {"sum_to_total"} <= set(violations["rule"])
    for name, tables in results.items():
        for table, text in tables.items():
            assert text == reference[table], f"{table} differs between 1 thread and {name}"
