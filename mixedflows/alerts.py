"""Alerts: tell a person, through apprise (mail, Slack, Teams, a JSON webhook...), when a report fails validation.

Channels are apprise URLs from `$MIXEDFLOWS_ALERT_URLS` (whitespace- or comma-separated; it wins,
so secrets can stay out of the versioned `config/alerts.toml`) or from `urls = [...]` in that file.
Only error-level violations nobody acknowledged alert. A channel that fails is logged and reported
in the results; it never raises, so the run and its violations are never lost to a notification.
Secrets in the URLs (passwords, tokens, webhook paths) never appear in what is logged or returned.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import apprise
import pandas as pd

from schemas.figures import format_value
from schemas.rules import RULES
from schemas.violations import blocking

logger = logging.getLogger(__name__)

#: Environment variable with alert URLs; it overrides `urls` in the alerts file.
ALERT_URLS_ENV = "MIXEDFLOWS_ALERT_URLS"
#: The alerts file inside the configuration directory.
ALERTS_FILE = "alerts.toml"

#: Schemes whose host part is a real host name (shown in logs); for every other scheme (slack://,
#: msteams://, discord://...) apprise reads a token where a host would be, so nothing is shown.
_HOST_SCHEMES = frozenset({"json", "jsons", "xml", "xmls", "form", "forms", "mailto", "mailtos", "http", "https"})
#: Path parts and query values shorter than this are not treated as secrets when redacting logs
#: (tokens are long; masking "v1" or "hook" would only garble the log).
_MIN_SECRET_LENGTH = 6
_MASK = "***"


class AlertConfigError(ValueError):
    """The alerts file cannot be read; the message names it."""


@dataclasses.dataclass(frozen=True)
class AlertConfig:
    """Where alerts go (apprise URLs) and how their title starts."""

    urls: tuple[str, ...] = ()
    title_prefix: str = "mixedflows"

    def __repr__(self) -> str:
        # The URLs carry secrets: never show them, even in a traceback or a debugger.
        return f"AlertConfig(urls={[redact_url(u) for u in self.urls]}, title_prefix={self.title_prefix!r})"


@dataclasses.dataclass(frozen=True)
class DeliveryResult:
    """What happened to one alert on one channel (the channel's URL redacted)."""

    channel: str
    report_id: str
    delivered: bool
    error: str | None = None


def load_alert_config(config_dir: Path | None = None, environ: Mapping[str, str] | None = None) -> AlertConfig:
    """Alert channels from `$MIXEDFLOWS_ALERT_URLS`, else from `alerts.toml` in `config_dir`.

    Raises
    ------
    AlertConfigError
        Naming the file when it is not TOML or its `urls` is not a list of strings.
    """
    environ = os.environ if environ is None else environ
    settings: dict = {}
    path = config_dir / ALERTS_FILE if config_dir is not None else None
    if path is not None and path.exists():
        try:
            settings = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise AlertConfigError(f"{path}: not valid TOML ({exc})") from exc
        unknown = sorted(set(settings) - {"urls", "title_prefix"})
        if unknown:
            raise AlertConfigError(f"{path}: unknown setting(s) {unknown} (known: urls, title_prefix)")
    urls = settings.get("urls", [])
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise AlertConfigError(f"{path}: urls must be a list of apprise URL strings")
    from_env = environ.get(ALERT_URLS_ENV, "").strip()
    if from_env:
        urls = [u for u in re.split(r"[\s,]+", from_env) if u]
    return AlertConfig(urls=tuple(urls), title_prefix=str(settings.get("title_prefix", "mixedflows")))


def redact_url(url: str) -> str:
    """An alert URL safe to log: its scheme, and its host only where that is a host (`json://127.0.0.1:8025/***`)."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in _HOST_SCHEMES and parts.hostname:
            port = f":{parts.port}" if parts.port else ""
            return f"{scheme}://{parts.hostname}{port}/{_MASK}"
    except ValueError:
        scheme = url.split(":", 1)[0].lower() if ":" in url else "?"
    return f"{scheme}://{_MASK}" if scheme else _MASK


def url_secrets(url: str) -> set[str]:
    """The parts of an alert URL that must not be shown: credentials, tokens, paths, query values."""
    secrets = {url}
    try:
        parts = urlsplit(url)
    except ValueError:
        return secrets
    if parts.password:
        secrets.add(parts.password)
    if parts.username and len(parts.username) >= _MIN_SECRET_LENGTH:
        secrets.add(parts.username)
    if parts.scheme.lower() not in _HOST_SCHEMES and parts.hostname:
        secrets.add(parts.netloc.rsplit("@", 1)[-1])
    pieces = [p for p in parts.path.split("/") if p] + [v for _, v in parse_qsl(parts.query)] + [parts.fragment]
    secrets.update(p for p in pieces if len(p) >= _MIN_SECRET_LENGTH)
    return secrets


def alert_message(report_id: str, violations: pd.DataFrame, report_url: str | None = None) -> tuple[str, str]:
    """The title and body of the alert for one report: what failed, the figures, and what to do next."""
    errors = blocking(violations[violations["report_id"] == report_id])
    warnings = violations[(violations["report_id"] == report_id) & (violations["severity"] == "warning")]
    counts = errors["rule"].value_counts()
    noun = "violation" if len(errors) == 1 else "violations"
    title = f"{report_id}: {len(errors)} error-level {noun} to review"
    lines = [
        f"Report {report_id} failed validation: {len(errors)} error-level {noun} nobody has acknowledged yet.",
        "Its figures are held back from publishing until a person has looked.",
        "",
        "Rules that failed: " + ", ".join(f"{rule} ({count})" for rule, count in counts.items()),
        "",
    ]
    for number, row in enumerate(errors.itertuples(index=False), start=1):
        pages = ", ".join(str(p) for p in row.pages) or "?"
        lines += [
            f"{number}. {row.rule}: {row.key}",
            f"   expected {format_value(_number(row.expected))}, actual {format_value(_number(row.actual))} "
            f"(page {pages})",
            f"   {row.detail}",
            f"   {RULES[row.rule].advice if row.rule in RULES else ''}".rstrip(),
        ]
    first = errors.iloc[0] if len(errors) else None
    lines += ["", "What to do next:"]
    lines.append("- Open the PDF at the pages named and compare each figure with what we read.")
    if first is not None:
        lines.append(
            "- If the PDF prints them so, record that you checked (then commit config/acknowledgements.toml):\n"
            f"    mixedflows acknowledge {report_id} {first['rule']} --key {first['key']} "
            '--reason "the PDF prints these figures" --who "your name"'
        )
    lines.append("- If we misread a figure, fix the extractor and run again; nothing needs acknowledging.")
    if len(warnings):
        lines.append(f"\nAlso {len(warnings)} warning(s), which do not block publishing.")
    if report_url:
        lines.append(f"\nRun report: {report_url}")
    return title, "\n".join(lines)


def send_alerts(
    violations: pd.DataFrame, *, report_url: str | None = None, config: AlertConfig
) -> list[DeliveryResult]:
    """Send one alert per report with unacknowledged error-level violations, to every channel.

    Parameters
    ----------
    violations
        A violations frame (`schemas.validate_report`), of one report or several.
    report_url
        Where the run report is (a path or URL), named in the message.
    config
        The channels (`load_alert_config`).

    Returns
    -------
    list of DeliveryResult
        One per report and channel, with the channel redacted; empty when nothing needs alerting
        or no channel is configured. Failures are logged and returned, never raised.
    """
    errors = blocking(violations)
    if errors.empty:
        return []
    if not config.urls:
        logger.warning("%d report(s) need review but no alert channel is configured", errors["report_id"].nunique())
        return []
    secrets = set().union(*(url_secrets(url) for url in config.urls))
    results = []
    with _redacted_logs(secrets):
        for report_id in dict.fromkeys(errors["report_id"]):
            title, body = alert_message(report_id, violations, report_url)
            for url in config.urls:
                results.append(_deliver(url, report_id, f"[{config.title_prefix}] {title}", body, secrets))
    return results


def _deliver(url: str, report_id: str, title: str, body: str, secrets: set[str]) -> DeliveryResult:
    channel = redact_url(url)
    notifier = apprise.Apprise()
    with _collected_warnings() as problems:
        try:
            if not notifier.add(url):
                return _failed(channel, report_id, "not an alert URL apprise understands")
            sent = notifier.notify(
                body=body, title=title, notify_type=apprise.NotifyType.FAILURE, body_format=apprise.NotifyFormat.TEXT
            )
        # A notification channel must never fail the run: whatever it raises is logged and reported.
        except Exception as exc:  # noqa: BLE001
            return _failed(channel, report_id, _redact(f"{type(exc).__name__}: {exc}", secrets))
    if sent:
        logger.info("alert for %s delivered to %s", report_id, channel)
        return DeliveryResult(channel, report_id, True)
    reason = _redact("; ".join(problems) or "the channel refused or could not be reached", secrets)
    return _failed(channel, report_id, reason)


def _failed(channel: str, report_id: str, reason: str) -> DeliveryResult:
    logger.warning("alert for %s not delivered to %s: %s", report_id, channel, reason)
    return DeliveryResult(channel, report_id, False, reason)


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _redact(text: str, secrets: Iterable[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, _MASK)
    return text


class _RedactingFilter(logging.Filter):
    """Masks secrets in every record a handler formats (apprise's, urllib3's, ours)."""

    def __init__(self, secrets: set[str]) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _redact(message, self.secrets)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


@contextlib.contextmanager
def _redacted_logs(secrets: set[str]) -> Iterator[None]:
    """While sending, every log handler masks the secrets, whichever library logs them."""
    redactor = _RedactingFilter(secrets)
    loggers = [logging.getLogger()] + [
        item for item in logging.Logger.manager.loggerDict.values() if isinstance(item, logging.Logger)
    ]
    handlers = {id(h): h for lg in loggers for h in lg.handlers}.values()
    for handler in handlers:
        handler.addFilter(redactor)
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(redactor)


@contextlib.contextmanager
def _collected_warnings() -> Iterator[list[str]]:
    """Apprise's own warnings while one channel is tried: the reason it gives for a failure."""
    found: list[str] = []

    class _Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(record.getMessage())

    collector = _Collector(level=logging.WARNING)
    apprise_logger = logging.getLogger("apprise")
    apprise_logger.addHandler(collector)
    try:
        yield found
    finally:
        apprise_logger.removeHandler(collector)
