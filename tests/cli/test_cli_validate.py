"""`mixedflows validate` and `mixedflows acknowledge` on facts files: output, exit codes, history, alerts."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from mixedflows.cli import app
from tests.support.receivers import webhook_receiver
from tests.support.truth_frames import planted, truth_frame

KEY = "asylum_applications/WB/2024-01-01..2024-12-31"


def facts_file(frame: pd.DataFrame, path: Path) -> Path:
    """A facts frame written as published JSON rows (dates as YYYY-MM-DD)."""
    out = frame.copy()
    for column in ("period_start", "period_end"):
        out[column] = out[column].dt.strftime("%Y-%m-%d")
    path.parent.mkdir(parents=True, exist_ok=True)
    out.to_json(path, orient="records")
    return path


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


@pytest.fixture
def december(tmp_path: Path) -> Path:
    return facts_file(truth_frame("dtm-wb-2024-12"), tmp_path / "in" / "dtm-2024-12.json")


def test_validate_reports_the_discrepancy_as_json_and_exits_1(december: Path, tmp_path: Path) -> None:
    """JSON is one array of violation objects; an unacknowledged error means exit 1."""
    result = run("validate", "--format", "json", "--config-dir", str(tmp_path), str(december))
    assert result.exit_code == 1, result.output
    (violation,) = json.loads(result.stdout)
    assert violation["rule"] == "sum_to_total" and violation["severity"] == "error"
    assert (violation["key"], violation["expected"], violation["actual"], violation["pages"]) == (KEY, 1017, 957, [4])
    assert violation["acknowledged"] is False


def test_acknowledge_then_validate_exits_0(december: Path, tmp_path: Path) -> None:
    """After `mixedflows acknowledge`, the violation is shown as acknowledged and no longer blocks."""
    config = tmp_path / "config"
    result = run(
        "acknowledge", "dtm-wb-2024-12", "sum_to_total", "--key", KEY,
        "--reason", "the PDF prints 957 by country and 1,017 as Total", "--who", "Ana Reviewer",
        "--config-dir", str(config), "--input", str(december),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "acknowledgements.toml" in result.stdout
    assert 'who = "Ana Reviewer"' in (config / "acknowledgements.toml").read_text()
    result = run("validate", "--config-dir", str(config), str(december))
    assert result.exit_code == 0, result.output
    assert "sum_to_total" in result.stdout and "True" in result.stdout
    assert "dtm-wb-2024-12: ok — 1 error(s), 1 acknowledged" in result.stderr


def test_acknowledge_refuses_an_unknown_rule_and_a_missing_reason(tmp_path: Path) -> None:
    """A typo in the rule or an empty reason writes nothing and exits 2 with one line."""
    result = run("acknowledge", "dtm-wb-2024-12", "sum_total", "--key", KEY, "--reason", "x", "--who", "A",
                 "--config-dir", str(tmp_path))  # fmt: skip
    assert result.exit_code == 2 and "unknown rule 'sum_total'" in result.stderr
    result = run("acknowledge", "dtm-wb-2024-12", "sum_to_total", "--key", KEY, "--reason", " ", "--who", "A",
                 "--config-dir", str(tmp_path))  # fmt: skip
    assert result.exit_code == 2 and "reason is empty" in result.stderr
    assert not (tmp_path / "acknowledgements.toml").exists()


def test_consistent_report_exits_0(tmp_path: Path) -> None:
    """A consistent issue gives no violation and exit 0."""
    path = facts_file(truth_frame("dtm-wb-2024-11"), tmp_path / "nov.json")
    result = run("validate", "--format", "json", "--config-dir", str(tmp_path), str(path))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_unreadable_input_exits_2_and_the_others_are_still_validated(december: Path, tmp_path: Path) -> None:
    """A missing file and an HTML page are each named on stderr; the good file's violations are still printed."""
    html = tmp_path / "page.pdf"
    html.write_text("<html><body>Not found</body></html>")
    result = run("validate", "-f", "json", "--config-dir", str(tmp_path), str(html), str(december),
                 str(tmp_path / "gone.pdf"))  # fmt: skip
    assert result.exit_code == 2
    errors = result.stderr.strip().splitlines()
    assert errors[0].startswith("error: page.pdf: not a PDF but an HTML page")
    assert errors[1].startswith("error: ") and "gone.pdf: no such file" in errors[1]
    assert [v["rule"] for v in json.loads(result.stdout)] == ["sum_to_total"]


def test_history_folder_of_facts_files(december: Path, tmp_path: Path) -> None:
    """With the previous issue in --history, December's year to date is checked against November's."""
    november = planted(
        truth_frame("dtm-wb-2024-11"), "registrations_on_arrival", 53000,
        geo="WB", period_start="2024-01-01", period_end="2024-11-30",
    )  # fmt: skip
    facts_file(november, tmp_path / "history" / "dtm-2024-11.json")
    result = run("validate", "-f", "json", "--config-dir", str(tmp_path), "--history", str(tmp_path / "history"),
                 str(december))  # fmt: skip
    assert result.exit_code == 1
    rules = {v["rule"]: v for v in json.loads(result.stdout)}
    assert set(rules) == {"sum_to_total", "ytd_accumulates"}
    assert "dtm-wb-2024-11:registrations_on_arrival/WB/2024-01-01..2024-11-30" in rules["ytd_accumulates"]["keys"]


def test_reports_given_together_are_each_others_history(tmp_path: Path) -> None:
    """DTM and UNHCR of one month on one command line: the cross-publisher comparison runs."""
    dtm = facts_file(truth_frame("dtm-wb-2024-12"), tmp_path / "dtm.json")
    unhcr = facts_file(planted(truth_frame("unhcr-wb-2024-12"), "asylum_applications", 11250), tmp_path / "u.json")
    result = run("validate", "-f", "json", "--config-dir", str(tmp_path), str(dtm), str(unhcr))
    found = {(v["report_id"], v["rule"], v["severity"]) for v in json.loads(result.stdout)}
    assert ("dtm-wb-2024-12", "cross_publisher", "warning") in found
    assert ("unhcr-wb-2024-12", "cross_publisher", "warning") in found


def test_bad_history_and_bad_configuration_exit_2(december: Path, tmp_path: Path) -> None:
    """A --history that is no folder, or a broken validation.toml, is one error line and exit 2."""
    result = run("validate", "--config-dir", str(tmp_path), "--history", str(tmp_path / "nope"), str(december))
    assert result.exit_code == 2 and "nope: not a folder" in result.stderr
    (tmp_path / "validation.toml").write_text("[rules.sum_to_total]\nseverity = 'fatal'\n")
    result = run("validate", "--config-dir", str(tmp_path), str(december))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "validation.toml: [rules.sum_to_total]" in result.stderr
    assert "Traceback" not in result.output


def test_alert_flag_delivers_to_the_configured_webhook(december: Path, tmp_path: Path) -> None:
    """--alert sends the alert to $MIXEDFLOWS_ALERT_URLS; stderr names the channel redacted, never its token."""
    with webhook_receiver() as hook:
        url = hook.url("/in/T0ken4f7a9c2e81d")
        result = run("validate", "--alert", "--config-dir", str(tmp_path), str(december),
                     env={"MIXEDFLOWS_ALERT_URLS": url})  # fmt: skip
        assert len(hook.requests) == 1
    assert result.exit_code == 1
    assert "expected 1,017, actual 957 (page 4)" in hook.requests[0]["json"]["message"]
    assert f"to json://127.0.0.1:{hook.port}/***: delivered" in result.stderr
    assert "T0ken4f7a9c2e81d" not in result.output
