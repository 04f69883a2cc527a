"""`mixedflows serve` registers the monthly deployment on a real local Prefect server, with its next runs."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.receivers import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[2]
#: A fresh server migrates its SQLite database first: 16 s measured here, far more on a busy machine.
SERVER_START_TIMEOUT = 180
#: A new deployment's runs are scheduled by the server's "recent deployments" loop (every 5 s).
SCHEDULE_TIMEOUT = 120


def _environment(tmp_path: Path, api_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def _stop(process: subprocess.Popen, how: signal.Signals = signal.SIGINT) -> None:
    if process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[str]:
    """`prefect server start` on a free loopback port, healthy; yields its API URL."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    prefect = Path(sys.executable).parent / "prefect"
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=_environment(tmp_path, None),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
            try:
                if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the Prefect server did not become healthy"
            time.sleep(1)
        yield api_url
    finally:
        _stop(server)
        log.close()


def test_serve_registers_the_monthly_deployment_with_its_schedule(tmp_path: Path, prefect_server: str) -> None:
    """The deployment appears with the cron schedule asked for and its next three runs; SIGTERM stops
    `serve` cleanly (exit 0) and pauses the schedule, so no runs pile up Late."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "raw_pdfs", project / "raw_pdfs")
    mixedflows = Path(sys.executable).parent / "mixedflows"
    log = (tmp_path / "serve.log").open("w")
    serving = subprocess.Popen(
        [str(mixedflows), "serve", "--cron", "0 6 20 * *", "--source", "local"],
        cwd=project,
        env=_environment(tmp_path, prefect_server),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        with httpx.Client(base_url=prefect_server, timeout=10) as api:
            deadline = time.monotonic() + SCHEDULE_TIMEOUT
            deployment = runs = None
            while time.monotonic() < deadline:
                assert serving.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
                found = api.post("/deployments/filter", json={"deployments": {"name": {"any_": ["monthly"]}}}).json()
                if found:
                    deployment = found[0]
                    runs = api.post(
                        "/flow_runs/filter",
                        json={
                            "deployments": {"id": {"any_": [deployment["id"]]}},
                            "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
                            "sort": "EXPECTED_START_TIME_ASC",
                        },
                    ).json()
                    if len(runs) >= 3:
                        break
                time.sleep(2)
            _stop(serving, signal.SIGTERM)
            stopped = api.get(f"/deployments/{deployment['id']}").json() if deployment else None
    finally:
        _stop(serving)
        log.close()
    assert serving.returncode == 0, (tmp_path / "serve.log").read_text()[-2000:]
    assert "Traceback" not in (tmp_path / "serve.log").read_text()
    assert stopped is not None and stopped["paused"] is True
    assert deployment is not None, "the monthly deployment was not registered"
    schedules = [s["schedule"] for s in deployment["schedules"]]
    assert [s.get("cron") for s in schedules] == ["0 6 20 * *"]
    assert deployment["parameters"]["source"] == "local"
    assert deployment["parameters"]["raw_dir"] == str((project / "raw_pdfs").resolve())
    starts = [run["expected_start_time"] for run in runs or []]
    assert len(starts) >= 3, f"scheduled runs listed: {starts}"
    assert all(start[8:10] == "20" and start[11:16] == "06:00" for start in starts[:3]), starts


def test_serve_without_a_server_says_how_to_start_one(tmp_path: Path) -> None:
    """With no PREFECT_API_URL, serve refuses in one line naming the command that starts a server."""
    mixedflows = Path(sys.executable).parent / "mixedflows"
    done = subprocess.run(
        [str(mixedflows), "serve"],
        cwd=tmp_path,
        env=_environment(tmp_path, None),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    errors = [line for line in done.stderr.strip().splitlines() if not line.startswith("warning: no configuration")]
    assert errors == [
        "error: serve needs a Prefect server: run `prefect server start --host 127.0.0.1` and set "
        "PREFECT_API_URL=http://127.0.0.1:4200/api"
    ]
