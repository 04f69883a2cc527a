"""Alerts delivered for real on loopback (JSON webhook, SMTP), secrets kept out of logs, failures contained."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from mixedflows.alerts import (
    ALERT_URLS_ENV,
    AlertConfig,
    AlertConfigError,
    alert_message,
    load_alert_config,
    redact_url,
    send_alerts,
)
from schemas import Acknowledgement, append_acknowledgement, load_config, validate_report
from tests.support.receivers import LOOPBACK, free_port, smtp_receiver, webhook_receiver
from tests.support.truth_frames import truth_frame

KEY = "asylum_applications/WB/2024-01-01..2024-12-31"
PASSWORD = "s3cr3t-Passw0rd"
TOKEN = "T0ken4f7a9c2e81d"


@pytest.fixture(scope="module")
def december_violations():
    """The Dec 2024 DTM violations: the asylum table's 957 against 1,017."""
    return validate_report(truth_frame("dtm-wb-2024-12"))


def test_webhook_receives_the_failing_figures(december_violations) -> None:
    """A JSON webhook on loopback receives one alert naming the report, rule, figures, page and next steps."""
    with webhook_receiver() as hook:
        results = send_alerts(
            december_violations, report_url="output/reports/run-7/index.html", config=AlertConfig((hook.url(),))
        )
        assert [(r.report_id, r.delivered) for r in results] == [("dtm-wb-2024-12", True)]
        (request,) = hook.requests
    payload = request["json"]
    assert request["path"] == "/alerts" and payload["type"] == "failure"
    assert payload["title"] == "[mixedflows] dtm-wb-2024-12: 1 error-level violation to review"
    message = payload["message"]
    for needed in (
        "sum_to_total",
        KEY,
        "expected 1,017, actual 957 (page 4)",
        "17+216+113+269+172+170",
        f"mixedflows acknowledge dtm-wb-2024-12 sum_to_total --key {KEY}",
        "output/reports/run-7/index.html",
    ):
        assert needed in message


# Login without TLS is what we want on loopback; aiosmtpd warns about it for real servers.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_mail_reaches_a_real_smtp_server_without_leaking_the_password(december_violations, caplog) -> None:
    """An alert mailed through aiosmtpd (with login) arrives with the figures; the password is in no log line."""
    caplog.set_level(logging.DEBUG)
    with smtp_receiver("alerts", PASSWORD) as (port, mailbox):
        url = f"mailto://alerts:{PASSWORD}@{LOOPBACK}:{port}?from=alerts@example.org&to=reviewer@example.org"
        (result,) = send_alerts(december_violations, config=AlertConfig((url,)))
    assert result.delivered, result.error
    assert mailbox.logins == ["alerts"]
    assert mailbox.envelopes == [("alerts@example.org", ["reviewer@example.org"])]
    (mail,) = mailbox.messages
    assert mail["Subject"] == "[mixedflows] dtm-wb-2024-12: 1 error-level violation to review"
    body = mail.get_body(("plain", "html")).get_content()
    assert "expected 1,017, actual 957 (page 4)" in body
    assert PASSWORD not in caplog.text and PASSWORD not in repr(result)
    assert result.channel == f"mailto://{LOOPBACK}:{port}/***"


def test_a_failing_channel_is_logged_and_the_others_still_deliver(december_violations, caplog) -> None:
    """A webhook nobody listens on and one answering 500 fail without raising; the good one still gets it."""
    dead = f"json://{LOOPBACK}:{free_port()}/hooks/{TOKEN}"
    with webhook_receiver(status=500) as broken, webhook_receiver() as good:
        config = AlertConfig((dead, broken.url(f"/x/{TOKEN}"), good.url()))
        results = send_alerts(december_violations, config=config)
        assert len(good.requests) == 1 and len(broken.requests) == 1
    assert [r.delivered for r in results] == [False, False, True]
    assert all(r.error for r in results[:2])
    assert "not delivered" in caplog.text
    assert TOKEN not in caplog.text and all(TOKEN not in repr(r) for r in results)


def test_acknowledged_violations_do_not_alert(tmp_path: Path) -> None:
    """Once the discrepancy is acknowledged, nothing is sent: the receiver gets no request."""
    append_acknowledgement(
        tmp_path / "acknowledgements.toml",
        Acknowledgement("dtm-wb-2024-12", "sum_to_total", KEY, "printed so", "Ana", dt.datetime.now(dt.UTC)),
    )
    violations = validate_report(truth_frame("dtm-wb-2024-12"), config=load_config(tmp_path))
    assert violations["acknowledged"].all() and len(violations) == 1
    with webhook_receiver() as hook:
        assert send_alerts(violations, config=AlertConfig((hook.url(),))) == []
        assert hook.requests == []


def test_warnings_and_consistent_reports_do_not_alert() -> None:
    """A consistent issue, or one with warnings only, sends nothing."""
    clean = validate_report(truth_frame("dtm-wb-2024-11"))
    with webhook_receiver() as hook:
        assert send_alerts(clean, config=AlertConfig((hook.url(),))) == []
        assert hook.requests == []


def test_no_channel_configured_is_logged(december_violations, caplog) -> None:
    """Errors with no channel to tell are not silent: a warning says so."""
    assert send_alerts(december_violations, config=AlertConfig(())) == []
    assert "no alert channel is configured" in caplog.text


def test_alert_urls_from_the_environment_win_over_the_file(tmp_path: Path) -> None:
    """$MIXEDFLOWS_ALERT_URLS (comma or whitespace separated) replaces the file's urls."""
    (tmp_path / "alerts.toml").write_text('urls = ["json://file.example.org/hook"]\ntitle_prefix = "wb-data"\n')
    assert load_alert_config(tmp_path, environ={}).urls == ("json://file.example.org/hook",)
    config = load_alert_config(tmp_path, environ={ALERT_URLS_ENV: "json://a.example.org/x, mailto://b.example.org"})
    assert config.urls == ("json://a.example.org/x", "mailto://b.example.org")
    assert config.title_prefix == "wb-data"


def test_bad_alerts_file_is_named(tmp_path: Path) -> None:
    """urls that are not a list of strings fail with the file's name."""
    (tmp_path / "alerts.toml").write_text("urls = 'json://x'\n")
    with pytest.raises(AlertConfigError, match=r"alerts\.toml: urls must be a list"):
        load_alert_config(tmp_path, environ={})


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"mailtos://user:{PASSWORD}@smtp.example.org?to=a@example.org", "mailtos://smtp.example.org/***"),
        (f"json://hooks.example.org:8443/in/{TOKEN}?-token={TOKEN}", "json://hooks.example.org:8443/***"),
        (f"slack://{TOKEN}/B0/{TOKEN}/#data", "slack://***"),
        (f"msteams://{TOKEN}@{TOKEN}/{TOKEN}", "msteams://***"),
    ],
)
def test_redacted_urls_show_no_secret(url: str, shown: str) -> None:
    """Only the scheme, and the host where it is one, survive redaction."""
    assert redact_url(url) == shown


def test_config_repr_hides_the_urls() -> None:
    """Printing the alert configuration (a traceback, a debugger) shows no secret."""
    text = repr(AlertConfig((f"mailtos://u:{PASSWORD}@smtp.example.org",)))
    assert PASSWORD not in text and "smtp.example.org" in text


def test_message_lists_every_error_of_the_report(december_violations) -> None:
    """Two failing rules: the message counts both and gives each one's figures."""
    import pandas as pd

    second = december_violations.assign(
        rule="repeated_figure", key="avrr_returns/WB/2024-01-01..2024-12-31", expected=343.0, actual=334.0, pages=[[3]]
    )
    title, body = alert_message("dtm-wb-2024-12", pd.concat([december_violations, second], ignore_index=True))
    assert title.endswith("2 error-level violations to review")
    assert "Rules that failed: sum_to_total (1), repeated_figure (1)" in body
    assert "expected 343, actual 334 (page 3)" in body
