"""Every command checks its configuration, folders and arguments first: one line, exit 2, nothing written.

The exit codes are one table for every command (`mixedflows.cli.checks.ExitCode`, docs/OPERATIONS.md "Exit codes").
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mixedflows.cli import app
from mixedflows.cli.checks import ExitCode
from tests.conftest import TESTS
from tests.support.acquire_site import closed_port

ROOT = Path(__file__).resolve().parents[2]
PDF = TESTS / "pdfs" / "dtm_wb" / "2024-11.pdf"

#: Malformed configuration files: (file name, content, what the one line must say).
MALFORMED = {
    "validation-not-toml": ("validation.toml", "[rules.sum_to_total\n", "not valid TOML"),
    "validation-unknown-rule": ("validation.toml", "[rules.no_such_rule]\nenabled = true\n", "unknown rule"),
    "acknowledgement-incomplete": ("acknowledgements.toml", '[[acknowledgement]]\nreport_id = "x"\n', ""),
    "alerts-urls-not-a-list": ("alerts.toml", 'urls = "json://127.0.0.1"\n', "urls must be a list"),
    "aliases-not-toml": ("aliases.toml", "names = [\n", "not a readable TOML file"),
    "aliases-unknown-table": ("aliases.toml", '[places]\n"Kosova" = "XKX"\n[cities]\n', "unknown table [cities]"),
    "other-file-not-toml": ("site.toml", "names = [\n", "not valid TOML"),
}


def commands(work: Path) -> dict[str, list[str]]:
    """Each command with arguments it would run with, were the configuration right."""
    raw, out = str(work / "raw"), str(work / "out")
    return {
        "validate": ["validate", str(PDF)],
        "publish": ["publish", str(PDF), "--output", out],
        "run": ["run", "--raw-dir", raw, "--output", out],
        "backfill": ["backfill", "--from", "2024-10", "--to", "2024-12", "--raw-dir", raw, "--output", out],
        "report": ["report", "--output", out, "--raw-dir", raw],
        "export": ["export", "--format", "csv", "--output", out],
        "versions": ["versions", "--output", out],
        "diff": ["diff", "1", "2", "--output", out],
        "discover": ["discover", "--raw-dir", raw],
        "fetch": ["fetch", "--raw-dir", str(work / "fetched")],
        "extract": ["extract", str(PDF)],
        "acknowledge": ["acknowledge", "dtm-wb-2024-11", "sum_to_total", "--key", "k", "--reason", "r", "--who", "w"],
        "serve": ["serve", "--raw-dir", raw, "--output", out],
    }


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with an archive; every web source points at a closed loopback port (nothing leaves the machine)."""
    (tmp_path / "raw" / "dtm_wb").mkdir(parents=True)
    shutil.copyfile(PDF, tmp_path / "raw" / "dtm_wb" / "2024-11.pdf")
    port = closed_port()
    monkeypatch.setenv("MIXEDFLOWS_ALLOW_PRIVATE_ADDRESSES", "1")
    monkeypatch.setenv("MIXEDFLOWS_LISTING_URL_DTM_WB", f"http://127.0.0.1:{port}/dtm")
    monkeypatch.setenv("MIXEDFLOWS_LISTING_URL_UNHCR_WB", f"http://127.0.0.1:{port}/unhcr")
    monkeypatch.setenv("PREFECT_API_URL", f"http://127.0.0.1:{port}/api")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize("case", sorted(MALFORMED))
@pytest.mark.parametrize(
    "command",
    [
        "validate",
        "publish",
        "run",
        "backfill",
        "report",
        "export",
        "versions",
        "diff",
        "discover",
        "fetch",
        "extract",
        "acknowledge",
        "serve",
    ],
)
def test_a_malformed_config_file_stops_every_command(
    work: Path, monkeypatch: pytest.MonkeyPatch, command: str, case: str
) -> None:
    """One line naming the file, exit 2, nothing written, whatever the command."""
    name, content, says = MALFORMED[case]
    config = work / "config"
    shutil.copytree(ROOT / "config", config)
    (config / name).write_text(content)
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(config))
    before = {p: p.stat().st_mtime_ns for p in config.iterdir()}
    result = run(*commands(work)[command])
    assert result.exit_code == ExitCode.BAD_INPUT
    line = one_error_line(result)
    assert str(config / name) in line and says in line
    assert not (work / "out").exists() and not (work / "fetched").exists()
    assert {p: p.stat().st_mtime_ns for p in config.iterdir()} == before


def test_config_dir_option_wins_over_the_environment(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--config-dir` (before or after the command) is the folder checked, not $MIXEDFLOWS_CONFIG_DIR."""
    bad = work / "bad"
    bad.mkdir()
    (bad / "alerts.toml").write_text("urls = 3\n")
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(ROOT / "config"))
    for args in (["--config-dir", str(bad), "extract", str(PDF)], ["validate", "--config-dir", str(bad), str(PDF)]):
        result = run(*args)
        assert result.exit_code == ExitCode.BAD_INPUT and str(bad / "alerts.toml") in one_error_line(result)


@pytest.mark.slow
def test_without_config_a_warning_says_the_defaults_apply(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No option, no variable, no ./config: one warning naming ./config, and the command runs on the defaults."""
    monkeypatch.delenv("MIXEDFLOWS_CONFIG_DIR", raising=False)
    monkeypatch.chdir(work)
    result = run("extract", "--format", "json", str(PDF))
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stderr.startswith(f"warning: no configuration: {work / 'config'} does not exist")
    assert "site-packages" not in result.stderr
    (work / "config").mkdir()
    assert "warning" not in run("extract", "--format", "json", str(PDF)).stderr


def _read_only_folder(tmp_path: Path) -> Path:
    if os.geteuid() == 0:
        return Path("/proc/mixedflows-output")  # root writes anywhere but in /proc
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder / "output"


@pytest.mark.parametrize("command", ["publish", "run", "backfill", "report", "export", "versions", "diff"])
def test_output_that_is_a_file_or_read_only_is_refused(
    work: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """`--output` naming a file (every command), or a place nobody can write (commands that write): exit 2."""
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(ROOT / "config"))
    a_file = work / "a-file"
    a_file.write_text("not a folder")
    args = [str(a_file) if a == str(work / "out") else a for a in commands(work)[command]]
    result = run(*args)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert re.search(rf"--output {re.escape(str(a_file))}: is a file", one_error_line(result))
    assert a_file.read_text() == "not a folder"
    if command in ("versions", "diff"):
        return
    read_only = _read_only_folder(work)
    args = [str(read_only) if a == str(work / "out") else a for a in commands(work)[command]]
    result = run(*args)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "is not writable" in one_error_line(result)
    assert not read_only.exists()


@pytest.mark.parametrize("command", ["run", "backfill", "report", "discover"])
def test_a_missing_archive_is_called_missing(work: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    """`--raw-dir /nonexistent`: one line saying there is no such folder, exit 2, nothing written."""
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(ROOT / "config"))
    missing = work / "nonexistent"
    args = [str(missing) if a == str(work / "raw") else a for a in commands(work)[command]]
    result = run(*args)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert f"--raw-dir {missing}: no such folder" in one_error_line(result)
    assert not (work / "out").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--month", "2024/12"],
        ["run", "--month", "2024-13"],
        ["backfill", "--from", "2024-13", "--to", "2024-12"],
        ["backfill", "--from", "2024-12", "--to", "2024-10"],
        ["run", "--family", "no_such_family"],
    ],
)
def test_bad_arguments_exit_2_in_one_line(work: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(ROOT / "config"))
    result = run(*args, "--raw-dir", str(work / "raw"), "--output", str(work / "out"))
    assert result.exit_code == ExitCode.BAD_INPUT
    one_error_line(result)
    assert not (work / "out").exists()


def test_acknowledge_refuses_a_key_no_violation_has(work: Path) -> None:
    """The key must be one of the report's violations of that rule; a typo writes nothing."""
    config = work / "config"
    config.mkdir()
    out = work / "out"
    assert run("publish", str(TESTS / "pdfs/dtm_wb/2024-12.pdf"), "--output", str(out)).exit_code == ExitCode.HELD
    common = ["--reason", "checked", "--who", "A", "--output", str(out), "--config-dir", str(config)]
    result = run("acknowledge", "dtm-wb-2024-12", "sum_to_total", "--key", "asylum_applications/WB/typo", *common)
    assert result.exit_code == ExitCode.BAD_INPUT
    line = one_error_line(result)
    assert "no sum_to_total violation of dtm-wb-2024-12 has key 'asylum_applications/WB/typo'" in line
    assert "asylum_applications/WB/2024-01-01..2024-12-31" in line  # the keys it does have
    assert not (config / "acknowledgements.toml").exists()
    key = "asylum_applications/WB/2024-01-01..2024-12-31"
    result = run("acknowledge", "dtm-wb-2024-12", "sum_to_total", "--key", key, *common)
    assert result.exit_code == ExitCode.OK, result.output


def test_the_docs_list_the_exit_codes() -> None:
    """One table in docs/OPERATIONS.md, the same as `ExitCode`."""
    readme = (ROOT / "docs" / "OPERATIONS.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d) \| `(\w+)` \|", section, flags=re.MULTILINE)
    assert [(int(code), name) for code, name in rows] == [(int(c), c.name) for c in ExitCode]
