"""`mixedflows run` through real Prefect flow runs: offline failure in one line per source, exit codes, run names.

Nothing here leaves the machine: every web source is a loopback port that refuses, or a name under
`.invalid` that the resolver is made to refuse at once, as it does offline. Any other name or
address is refused by the same guard, so a mistake cannot reach the network either.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mixedflows import prefect_env

prefect_env.configure(Path(__file__).parents[2])

from prefect.testing.utilities import prefect_test_harness  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from mixedflows.cli import app  # noqa: E402
from mixedflows.cli.checks import ExitCode  # noqa: E402
from tests.conftest import TESTS  # noqa: E402
from tests.support.acquire_site import closed_port  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
UNRESOLVABLE = "mixedflows-offline.invalid"


@pytest.fixture(scope="module", autouse=True)
def prefect_server():
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names resolve only to loopback; anything else fails as an offline resolver does (EAI_NONAME)."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        try:
            loopback = name is None or ipaddress.ip_address(name).is_loopback
        except ValueError:
            loopback = name == "localhost"
        if not loopback:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_offline_web_run_fails_fast_with_one_line_per_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loopback_only: None
) -> None:
    """A refused port and a name that does not resolve: no retry, one `error:` line each, exit 2, no traceback."""
    refused = f"http://127.0.0.1:{closed_port()}/reports"
    unresolvable = f"https://{UNRESOLVABLE}/reports"
    monkeypatch.setenv("MIXEDFLOWS_ALLOW_PRIVATE_ADDRESSES", "1")
    monkeypatch.setenv("MIXEDFLOWS_LISTING_URL_DTM_WB", refused)
    monkeypatch.setenv("MIXEDFLOWS_LISTING_URL_UNHCR_WB", unresolvable)
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(ROOT / "config"))
    result = CliRunner().invoke(
        app, ["run", "--source", "web", "--raw-dir", str(tmp_path / "raw"), "--output", str(tmp_path / "out")]
    )
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, result.stderr
    dtm, unhcr = sorted(errors, key=lambda line: "unhcr" in line)
    assert refused in dtm and "refused" in dtm and "(not retried)" in dtm
    assert unresolvable in unhcr and "(not retried)" in unhcr


def test_a_bad_month_exits_2_before_prefect_starts(tmp_path: Path) -> None:
    """`run --month 2024/12` and `2024-13` in a real process: one line, exit 2, Prefect never started."""
    mixedflows = Path(sys.executable).parent / "mixedflows"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    for month in ("2024/12", "2024-13"):
        done = subprocess.run(
            [str(mixedflows), "--config-dir", str(ROOT / "config"), "run", "--month", month],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == ExitCode.BAD_INPUT
        assert done.stderr.strip().splitlines() == [f"error: --month: '{month}' is not a month as YYYY-MM"]
        assert not (tmp_path / ".prefect").exists()  # Prefect's home is made when it starts


def test_a_held_report_completes_the_run_and_the_flow_run_is_named_by_the_run_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that quarantines a report exits 0 (its flow run completes; the report waits for review); its flow
    run in Prefect carries the run id as name."""
    from prefect import get_client

    raw = tmp_path / "raw" / "dtm_wb"
    raw.mkdir(parents=True)
    shutil.copyfile(TESTS / "pdfs" / "dtm_wb" / "2024-12.pdf", raw / "2024-12.pdf")
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    (config / "acknowledgements.toml").write_text("")
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(config))
    output = tmp_path / "out"
    args = ["run", "--family", "dtm_wb", "--raw-dir", str(tmp_path / "raw"), "--output", str(output)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == ExitCode.OK, result.output
    assert "dtm-wb-2024-12: quarantined" in result.stdout
    (record,) = (output / "runs").glob("*.json")
    run_id = record.stem

    async def names() -> list[str]:
        async with get_client() as client:
            return [run.name for run in await client.read_flow_runs()]

    import asyncio

    assert run_id in asyncio.run(names())


def test_prefect_log_lines_go_through_the_progress_display() -> None:
    """While the backfill's progress bar shows, Prefect's log lines print through its console, above the bar."""
    import io

    from prefect import flow, get_run_logger
    from rich.console import Console

    from mixedflows.cli.flows import prefect_logs_through

    @flow
    def says_hello() -> None:
        get_run_logger().warning("hello from the flow")

    display = io.StringIO()
    with prefect_logs_through(Console(file=display, force_terminal=False, width=200)):
        says_hello()
    assert "hello from the flow" in display.getvalue()
