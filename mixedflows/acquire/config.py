"""Settings of discovery and download: timeouts, retries, limits, sources, and what may be reached."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Mapping

from mixedflows import __version__
from mixedflows.acquire.errors import AcquireError
from mixedflows.acquire.sources import SOURCES, Source, check_family

#: Per connect/read/write step; the publishers' sites answer in a few seconds when they are up.
DEFAULT_TIMEOUT_SECONDS = 30.0
#: Tries per request, first one included: three retries ride out a restart or a short outage.
DEFAULT_ATTEMPTS = 4
#: First wait before a retry; it doubles each time (2, 4, 8 s), never beyond `DEFAULT_MAX_BACKOFF_SECONDS`.
DEFAULT_BACKOFF_SECONDS = 2.0
#: Longest wait between tries, also the most of a server's `Retry-After` we honour.
DEFAULT_MAX_BACKOFF_SECONDS = 60.0
#: The real issues are 1-5 MB; 50 MB leaves room for a heavier design and stops a runaway body.
DEFAULT_MAX_PDF_BYTES = 50 * 1024 * 1024
#: A listing or report page is well under 1 MB of HTML.
DEFAULT_MAX_PAGE_BYTES = 5 * 1024 * 1024
#: Listing pages followed when looking for an older month (a page lists 10-20 reports, newest first).
DEFAULT_MAX_LISTING_PAGES = 5
#: Redirects followed per request, each re-checked against the allowlist.
DEFAULT_MAX_REDIRECTS = 5

#: Environment variables `AcquireConfig.from_env` reads (the CLI uses it; library callers pass a config).
ENV_ALLOW_PRIVATE = "MIXEDFLOWS_ALLOW_PRIVATE_ADDRESSES"
ENV_LISTING_URL_PREFIX = "MIXEDFLOWS_LISTING_URL_"
ENV_TIMEOUT = "MIXEDFLOWS_HTTP_TIMEOUT"
ENV_ATTEMPTS = "MIXEDFLOWS_HTTP_ATTEMPTS"
ENV_BACKOFF = "MIXEDFLOWS_HTTP_BACKOFF"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclasses.dataclass(frozen=True)
class AcquireConfig:
    """How discovery and download behave.

    Parameters
    ----------
    timeout_seconds
        Limit of each connect, read and write step of a request.
    attempts
        Tries per request (timeouts, broken connections, 429 and 5xx are retried; DNS failures,
        refused connections and other 4xx are not).
    backoff_seconds, max_backoff_seconds
        Wait before the first retry, doubled each time, capped (a `Retry-After` is honoured up to the cap).
    max_pdf_bytes, max_page_bytes
        Largest PDF and HTML page accepted.
    max_listing_pages
        Listing pages followed when looking for a month not on the first page.
    allow_private_addresses
        Allow private and loopback addresses, and plain http to them. Only for tests and local mirrors.
    sources
        The web source of each family (`SOURCES` unless overridden).
    trust_env
        Let httpx read proxy settings from the environment.
    clock
        Returns the current time (UTC), recorded as `retrieved_at`.
    """

    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    attempts: int = DEFAULT_ATTEMPTS
    backoff_seconds: float = DEFAULT_BACKOFF_SECONDS
    max_backoff_seconds: float = DEFAULT_MAX_BACKOFF_SECONDS
    max_pdf_bytes: int = DEFAULT_MAX_PDF_BYTES
    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    max_listing_pages: int = DEFAULT_MAX_LISTING_PAGES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    allow_private_addresses: bool = False
    sources: Mapping[str, Source] = dataclasses.field(default_factory=lambda: dict(SOURCES))
    trust_env: bool = True
    user_agent: str = f"mixedflows/{__version__} (monthly report archive)"
    clock: Callable[[], dt.datetime] = utc_now

    def __post_init__(self) -> None:
        if self.timeout_seconds <= 0:
            raise ValueError(f"timeout_seconds must be positive, not {self.timeout_seconds}")
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, not {self.attempts}")
        if self.backoff_seconds < 0 or self.max_backoff_seconds < 0:
            raise ValueError("backoff seconds cannot be negative")
        if min(self.max_pdf_bytes, self.max_page_bytes, self.max_listing_pages) < 1 or self.max_redirects < 0:
            raise ValueError("size, page and redirect limits must be positive")

    def source(self, family: str) -> Source:
        """The web source of a registered family; an error naming the family when it has none."""
        check_family(family)
        try:
            return self.sources[family]
        except KeyError:
            raise AcquireError(f"{family}: no web source is configured for this family") from None

    def backoff(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `retry` (1, 2, ...)."""
        wait = self.backoff_seconds * 2 ** (retry - 1)
        if retry_after is not None:
            wait = max(wait, retry_after)
        return min(wait, self.max_backoff_seconds)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> AcquireConfig:
        """A config from `MIXEDFLOWS_*` environment variables (for the CLI and local mirrors).

        `MIXEDFLOWS_LISTING_URL_<FAMILY>` (e.g. `..._DTM_WB`) reads that family from another listing
        and allows only that listing's host; `MIXEDFLOWS_ALLOW_PRIVATE_ADDRESSES=1` allows private
        and loopback addresses; `MIXEDFLOWS_HTTP_TIMEOUT`, `..._ATTEMPTS`, `..._BACKOFF` tune requests.
        """
        env = os.environ if environ is None else environ
        settings: dict = {}
        try:
            if ENV_TIMEOUT in env:
                settings["timeout_seconds"] = float(env[ENV_TIMEOUT])
            if ENV_ATTEMPTS in env:
                settings["attempts"] = int(env[ENV_ATTEMPTS])
            if ENV_BACKOFF in env:
                settings["backoff_seconds"] = float(env[ENV_BACKOFF])
        except ValueError as exc:
            raise AcquireError(f"a MIXEDFLOWS_HTTP_* environment variable is not a number: {exc}") from None
        settings["allow_private_addresses"] = env.get(ENV_ALLOW_PRIVATE, "").lower() in ("1", "true", "yes")
        sources = dict(SOURCES)
        for family, source in SOURCES.items():
            url = env.get(ENV_LISTING_URL_PREFIX + family.upper())
            if url:
                try:
                    sources[family] = source.with_listing_url(url)
                except ValueError as exc:
                    raise AcquireError(f"{ENV_LISTING_URL_PREFIX + family.upper()}: {exc}") from None
        settings["sources"] = sources
        settings.update(overrides)
        return cls(**settings)
