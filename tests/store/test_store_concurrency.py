"""Two processes publishing into one output at once: both commits land, or one fails with one clear line."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mixedflows.store import FACTS, Store
from tests.support.store_inputs import EXTRACTOR_VERSION, no_violations, report_id, sha256_of, truth_facts

#: Each test starts worker processes and waits for them (8 s each, measured under load).
pytestmark = pytest.mark.slow
REPO = Path(__file__).parents[2]

#: Give up on a worker after this long (seconds); a healthy one finishes in 2-4.
WORKER_LIMIT = 60


def _worker(output: Path, report: str, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "tests.support.store_worker", "--output", str(output), "--report", report, *args]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> tuple[int, dict | None, str]:
    out, err = process.communicate(timeout=WORKER_LIMIT)
    result = json.loads(out.strip().splitlines()[-1]) if process.returncode == 0 else None
    return process.returncode, result, err


def _wait_for(paths: list[Path], processes: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + WORKER_LIMIT
    while not all(p.exists() for p in paths):
        for process in processes:
            assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "workers never got ready"
        time.sleep(0.01)


def _base(output: Path) -> Store:
    """A store with one report already published, so the racing publishes both append to a history."""
    store = Store(output)
    report = "dtm_wb/2023-06"
    store.publish_report(
        report_id(report),
        truth_facts(report),
        no_violations(),
        pdf_sha256=sha256_of(report),
        extractor_version=EXTRACTOR_VERSION,
        run_id="base",
        blocked=False,
    )
    return store


def _assert_consistent(store: Store) -> None:
    """Every version reads; table versions never go back; each report's figures come from the PDF its row names."""
    links = [v.tables[FACTS] for v in store.versions()]
    assert links == sorted(links)
    for version in store.versions():
        store.read_facts(version.version)
    facts, ledger = store.read_facts(), store.read_reports()
    shas = facts.groupby("report_id")["pdf_sha256"].unique()
    for row in ledger.itertuples():
        if row.fact_count:
            assert list(shas[row.report_id]) == [row.pdf_sha256]
            assert (facts["report_id"] == row.report_id).sum() == row.fact_count


def test_two_processes_publishing_different_reports_at_once_both_commit(tmp_path: Path) -> None:
    """Started at the same moment, both publishes land: two new versions, both reports readable."""
    output = tmp_path / "output"
    store = _base(output)
    before = store.version().version
    go = tmp_path / "go"
    reports = ("dtm_wb/2024-12", "unhcr_wb/2024-12")
    workers = [
        _worker(output, report, "--ready", str(tmp_path / f"ready-{n}"), "--wait-for", str(go))
        for n, report in enumerate(reports)
    ]
    _wait_for([tmp_path / f"ready-{n}" for n in range(len(reports))], workers)
    go.touch()
    results = [_finish(w) for w in workers]

    assert [code for code, _, _ in results] == [0, 0], [err for _, _, err in results]
    assert {r["status"] for _, r, _ in results} == {"published"}
    assert store.version().version == before + 2
    assert set(store.read_reports()["report_id"]) == {report_id(r) for r in (*reports, "dtm_wb/2023-06")}
    _assert_consistent(store)


@pytest.mark.parametrize("max_attempts", [2, 1])
def test_a_publish_that_loses_the_race_retries_on_a_fresh_snapshot(tmp_path: Path, max_attempts: int) -> None:
    """Another process commits between our data commits and our ledger commit: we retry, or fail in one line."""
    output = tmp_path / "output"
    store = _base(output)
    before = store.version().version
    go = tmp_path / "go"
    slow = _worker(
        output, "dtm_wb/2024-12", "--pause-after", FACTS, "--go", str(go), "--max-attempts", str(max_attempts)
    )
    _wait_for_pause(tmp_path, slow)
    code, fast, err = _finish(_worker(output, "unhcr_wb/2024-12"))
    assert code == 0, err
    assert fast["version"] == before + 1
    go.touch()
    code, result, err = _finish(slow)

    if max_attempts == 2:
        assert code == 0, err
        assert result["attempts"] == 2 and result["status"] == "published"
        assert result["version"] == before + 2
        assert set(result["written"]) == {"facts", "reports"}  # facts once, before the race; the ledger after it
    else:
        assert code == 1
        assert err.count("\n") == 1
        assert "gave up publishing dtm-wb-2024-12 after 1 attempt(s): other writers kept committing" in err
        assert store.version().version == before + 1
        rerun = store.publish_report(
            report_id("dtm_wb/2024-12"),
            truth_facts("dtm_wb/2024-12"),
            no_violations(),
            pdf_sha256=sha256_of("dtm_wb/2024-12"),
            extractor_version=EXTRACTOR_VERSION,
            run_id="rerun",
            blocked=False,
        )
        assert rerun.status == "published" and rerun.version == before + 2
    _assert_consistent(store)


def test_two_processes_publishing_the_same_report_end_consistent(tmp_path: Path) -> None:
    """Two different PDFs of one report at once: the report ends wholly one or the other, never a mix."""
    output = tmp_path / "output"
    store = _base(output)
    go = tmp_path / "go"
    workers = [
        _worker(
            output, "dtm_wb/2024-12", "--variant", variant, "--ready", str(tmp_path / variant), "--wait-for", str(go)
        )
        for variant in ("truth", "changed")
    ]
    _wait_for([tmp_path / "truth", tmp_path / "changed"], workers)
    go.touch()
    results = [_finish(w) for w in workers]

    for code, _, err in results:
        assert code == 0 or (code == 1 and "other writers kept committing" in err and err.count("\n") == 1), err
    assert any(code == 0 for code, _, _ in results)
    _assert_consistent(store)


def _wait_for_pause(directory: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WORKER_LIMIT
    while not any(p.name.startswith("paused-") for p in directory.iterdir()):
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "the worker never paused"
        time.sleep(0.01)
