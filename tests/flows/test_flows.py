"""Real Prefect flow runs: the monthly run, the backfill, idempotence, failure isolation, a Dask backfill."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mixedflows import prefect_env

prefect_env.configure(Path(__file__).parents[2])

from prefect.testing.utilities import prefect_test_harness  # noqa: E402

from flows import backfill, monthly  # noqa: E402
from mixedflows.store import Store  # noqa: E402
from tests.conftest import TESTS  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def prefect_server():
    """One temporary Prefect server (SQLite) for the module's flow runs."""
    with prefect_test_harness(server_startup_timeout=120):
        yield


def make_archive(root: Path, samples: list[str]) -> Path:
    """An archive in the raw_pdfs layout holding the named samples (`dtm_wb/2024-12`, ...)."""
    for sample in samples:
        family, month = sample.split("/")
        target = root / family / f"{month}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(TESTS / "pdfs" / family / f"{month}.pdf", target)
    return root


def test_monthly_run_publishes_the_latest_month_then_nothing_new(tmp_path: Path) -> None:
    """The monthly flow publishes each family's latest archived month; a second run writes no new version."""
    raw = make_archive(tmp_path / "raw", ["dtm_wb/2024-10", "dtm_wb/2024-11", "unhcr_wb/2024-11"])
    output = tmp_path / "output"
    state = monthly(raw_dir=str(raw), output_dir=str(output), run_id="first", return_state=True)
    assert state.is_completed(), state.message
    record = json.loads((output / "runs" / "first.json").read_text())
    statuses = {r["report_id"]: r["status"] for r in record["reports"]}
    assert statuses == {"dtm-wb-2024-11": "published", "unhcr-wb-2024-11": "published"}
    store = Store(output)
    facts = store.read_facts()
    assert set(facts["report_id"]) == {"dtm-wb-2024-11", "unhcr-wb-2024-11"}
    assert len(facts) == sum(r["fact_count"] for r in record["reports"]) == 209 + 43
    version = store.version().version

    again = monthly(raw_dir=str(raw), output_dir=str(output), run_id="second", return_state=True)
    assert again.is_completed()
    second = json.loads((output / "runs" / "second.json").read_text())
    assert {r["status"] for r in second["reports"]} == {"unchanged"}
    assert store.version().version == version


def test_inconsistent_report_is_quarantined_alerted_then_published_once_acknowledged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dec 2024 DTM (asylum 957 vs 1,017) is held back and alerted; after acknowledgement a run publishes it."""
    from typer.testing import CliRunner

    from mixedflows.cli import app
    from tests.support.receivers import webhook_receiver

    config = tmp_path / "config"
    shutil.copytree(Path(__file__).parents[2] / "config", config)
    (config / "acknowledgements.toml").write_text("")
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(config))
    raw = make_archive(tmp_path / "raw", ["dtm_wb/2024-12"])
    output = tmp_path / "output"
    with webhook_receiver() as hook:
        monkeypatch.setenv("MIXEDFLOWS_ALERT_URLS", hook.url())
        state = monthly(raw_dir=str(raw), output_dir=str(output), families=["dtm_wb"], run_id="held", return_state=True)
        assert state.is_completed(), state.message
        alerts = list(hook.requests)
    assert len(alerts) == 1
    message = alerts[0]["json"]["message"]
    assert "dtm-wb-2024-12" in alerts[0]["json"]["title"] and "sum_to_total" in message
    assert "expected 1,017, actual 957 (page 4)" in message and "run-reports/held/index.html" in message
    record = json.loads((output / "runs" / "held.json").read_text())
    assert [r["status"] for r in record["reports"]] == ["quarantined"]
    store = Store(output)
    assert store.read_facts().empty
    assert set(store.read_quarantine()["report_id"]) == {"dtm-wb-2024-12"}

    held = [v for v in record["reports"][0]["violations"] if v["severity"] == "error"]
    assert held
    for violation in held:
        done = CliRunner().invoke(
            app,
            [
                "acknowledge",
                "dtm-wb-2024-12",
                violation["rule"],
                "--key",
                violation["key"],
                "--reason",
                "the PDF prints these figures (page 4)",
                "--who",
                "test reviewer",
                "--output",
                str(output),
            ],
        )
        assert done.exit_code == 0, done.output
    with webhook_receiver() as hook:
        monkeypatch.setenv("MIXEDFLOWS_ALERT_URLS", hook.url())
        state = monthly(
            raw_dir=str(raw), output_dir=str(output), families=["dtm_wb"], run_id="released", return_state=True
        )
        assert state.is_completed(), state.message
        assert hook.requests == []
    record = json.loads((output / "runs" / "released.json").read_text())
    assert [r["status"] for r in record["reports"]] == ["published"]
    assert len(store.read_facts()) == 209
    violations = store.read_violations()
    assert violations[violations["severity"] == "error"]["acknowledged"].all()


def test_one_bad_report_does_not_stop_the_others(tmp_path: Path) -> None:
    """A broken PDF fails alone: the other family is published and the run ends Failed naming the bad one."""
    raw = make_archive(tmp_path / "raw", ["unhcr_wb/2024-12"])
    bad = raw / "dtm_wb" / "2024-12.pdf"
    bad.parent.mkdir(parents=True)
    bad.write_text("<html><body>Service unavailable</body></html>")
    output = tmp_path / "output"
    state = monthly(raw_dir=str(raw), output_dir=str(output), run_id="mixed", return_state=True)
    assert state.is_failed()
    assert "dtm-wb-2024-12" in state.message and "not a PDF but an HTML page" in state.message
    record = json.loads((output / "runs" / "mixed.json").read_text())
    statuses = {r["report_id"]: r["status"] for r in record["reports"]}
    assert statuses == {"dtm-wb-2024-12": "failed", "unhcr-wb-2024-12": "published"}
    store = Store(output)
    assert set(store.read_facts()["report_id"]) == {"unhcr-wb-2024-12"}
    ledger = store.read_reports().set_index("report_id")
    assert ledger.loc["dtm-wb-2024-12", "status"] == "failed"


def test_a_pdf_filed_under_the_wrong_month_is_refused(tmp_path: Path) -> None:
    """A PDF whose own text names another month than its archive slot fails instead of overwriting."""
    raw = tmp_path / "raw"
    (raw / "unhcr_wb").mkdir(parents=True)
    shutil.copyfile(TESTS / "pdfs" / "unhcr_wb" / "2024-11.pdf", raw / "unhcr_wb" / "2024-10.pdf")
    output = tmp_path / "output"
    state = monthly(
        raw_dir=str(raw), output_dir=str(output), families=["unhcr_wb"], run_id="misfiled", return_state=True
    )
    assert state.is_failed()
    assert "archived as unhcr-wb-2024-10 but the PDF itself is unhcr-wb-2024-11" in state.message


def test_backfill_processes_a_range_in_parallel_and_resumes(tmp_path: Path) -> None:
    """The backfill publishes every archived report in the range with two workers; a re-run writes nothing."""
    from prefect.task_runners import ThreadPoolTaskRunner

    raw = make_archive(
        tmp_path / "raw",
        [
            "dtm_wb/2024-10",
            "dtm_wb/2024-11",
            "dtm_wb/2024-12",
            "unhcr_wb/2024-11",
            "unhcr_wb/2024-12",
            "unhcr_wb/2023-06",
        ],
    )
    output = tmp_path / "output"
    parallel = backfill.with_options(task_runner=ThreadPoolTaskRunner(max_workers=2))
    state = parallel("2024-10", "2024-12", raw_dir=str(raw), output_dir=str(output), run_id="bf1", return_state=True)
    assert state.is_completed(), state.message
    record = json.loads((output / "runs" / "bf1.json").read_text())
    assert [r["report_id"] for r in record["reports"]] == [
        "dtm-wb-2024-10",
        "dtm-wb-2024-11",
        "dtm-wb-2024-12",
        "unhcr-wb-2024-11",
        "unhcr-wb-2024-12",
    ]
    statuses = {r["report_id"]: r["status"] for r in record["reports"]}
    assert statuses.pop("dtm-wb-2024-12") == "quarantined"  # its asylum table breaks its own arithmetic
    assert set(statuses.values()) == {"published"}
    store = Store(output)
    version = store.version().version
    assert "unhcr-wb-2023-06" not in set(store.read_facts()["report_id"])

    state = parallel("2024-10", "2024-12", raw_dir=str(raw), output_dir=str(output), run_id="bf2", return_state=True)
    assert state.is_completed()
    assert store.version().version == version


def test_backfill_on_a_local_dask_cluster(tmp_path: Path) -> None:
    """`--task-runner dask`: the same backfill through prefect-dask on a local two-process cluster."""
    from prefect_dask import DaskTaskRunner

    raw = make_archive(tmp_path / "raw", ["dtm_wb/2024-11", "unhcr_wb/2024-11"])
    output = tmp_path / "output"
    runner = DaskTaskRunner(
        cluster_kwargs={"n_workers": 2, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
    )
    state = backfill.with_options(task_runner=runner)(
        "2024-11", "2024-11", raw_dir=str(raw), output_dir=str(output), run_id="dask", return_state=True
    )
    assert state.is_completed(), state.message
    assert set(Store(output).read_facts()["report_id"]) == {"dtm-wb-2024-11", "unhcr-wb-2024-11"}
