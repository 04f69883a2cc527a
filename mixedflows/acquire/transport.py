"""GET with httpx: redirects re-checked against the allowlist, transient failures (only) retried with backoff."""

from __future__ import annotations

import contextlib
import email.utils
import socket
import time
import urllib.request
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import httpx

from mixedflows.acquire.config import AcquireConfig
from mixedflows.acquire.errors import AcquireError, FetchError, UnsafeUrlError
from mixedflows.acquire.safety import check_url

T = TypeVar("T")

#: Statuses worth another try: the server is overloaded or restarting. Other 4xx will not change.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def make_client(config: AcquireConfig) -> httpx.Client:
    """An httpx client for `request`: our timeouts and user agent, redirects left to us to check."""
    return httpx.Client(
        timeout=httpx.Timeout(config.timeout_seconds),
        follow_redirects=False,
        headers={"User-Agent": config.user_agent},
        trust_env=config.trust_env,
    )


@contextlib.contextmanager
def client_for(config: AcquireConfig, client: httpx.Client | None) -> Iterator[httpx.Client]:
    """The caller's client when given (left open), else a new one closed at the end of the block."""
    if client is not None:
        yield client
        return
    with make_client(config) as made:
        yield made


def request(
    client: httpx.Client,
    url: str,
    *,
    allowed_hosts: Collection[str],
    config: AcquireConfig,
    read: Callable[[httpx.Response], T],
    headers: Mapping[str, str] | None = None,
) -> T:
    """GET `url` and return `read(response)` for the final 200 or 304 response.

    Timeouts, connections reset or broken off (raised inside `read` too), 429 and 5xx are retried up
    to `config.attempts` times with doubling waits: this is the only retry layer (the flows' tasks
    do not retry). A name that does not resolve, a refused connection, any other status, an unsafe
    URL or redirect, and errors `read` raises itself fail at once. Every failure is a one-line
    `AcquireError` naming the URL.
    """
    check_url(url, allowed_hosts, allow_private=config.allow_private_addresses)
    problem = "no attempt made"
    retry_after: float | None = None
    for attempt in range(1, config.attempts + 1):
        if attempt > 1:
            time.sleep(config.backoff(attempt - 1, retry_after))
        retry_after = None
        try:
            with _final_response(client, url, allowed_hosts, config, headers or {}) as response:
                status = response.status_code
                if status in RETRY_STATUSES:
                    problem = f"HTTP {status} {response.reason_phrase}".rstrip()
                    retry_after = _retry_after(response)
                    continue
                if status not in (200, 304):
                    where = url if str(response.url) == url else f"{url} (redirected to {response.url})"
                    raise FetchError(f"{where}: HTTP {status} {response.reason_phrase}".rstrip())
                return read(response)
        except httpx.TransportError as exc:
            problem = describe_transport_error(exc)
            if not is_transient(exc):
                # The name does not resolve or nothing listens there: the same answer in a second.
                raise FetchError(f"{url}: {problem} (not retried)") from None
    tries = "1 attempt" if config.attempts == 1 else f"{config.attempts} attempts"
    raise FetchError(f"{url}: {problem} (after {tries})")


def is_transient(exc: httpx.TransportError) -> bool:
    """Whether another try may succeed: timeouts and connections broken off, not DNS failures or refusals.

    A connection that could not be made at all (the name does not resolve, the port refuses, the
    network is unreachable) fails the same way on the next try; offline, retrying it only delays
    the one-line error. A connection reset while connecting is a server restarting: retried.
    """
    if isinstance(exc, httpx.TimeoutException):
        return True
    if isinstance(exc, httpx.ConnectError):
        return isinstance(_root_cause(exc), (ConnectionResetError, ConnectionAbortedError))
    return isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError))


def _root_cause(exc: BaseException) -> BaseException:
    seen = set()
    while (exc.__cause__ or exc.__context__) is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return exc


@contextlib.contextmanager
def _final_response(
    client: httpx.Client,
    url: str,
    allowed_hosts: Collection[str],
    config: AcquireConfig,
    headers: Mapping[str, str],
) -> Iterator[httpx.Response]:
    """The streamed response at the end of the redirect chain, each hop checked before it is requested."""
    current = url
    for _ in range(config.max_redirects + 1):
        try:
            response = client.send(client.build_request("GET", current, headers=dict(headers)), stream=True)
        except httpx.InvalidURL as exc:
            raise FetchError(f"{current}: invalid URL ({exc})") from None
        location = response.headers.get("Location")
        if response.status_code not in REDIRECT_STATUSES or not location:
            try:
                yield response
            finally:
                response.close()
            return
        response.close()
        target = urljoin(current, location)
        try:
            check_url(target, allowed_hosts, allow_private=config.allow_private_addresses)
        except UnsafeUrlError as exc:
            raise UnsafeUrlError(f"{url} redirected to {exc}") from None
        current = target
    raise FetchError(f"{url}: more than {config.max_redirects} redirects")


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds a 429/503 asks us to wait (`Retry-After` as seconds or an HTTP date), if it says."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def describe_transport_error(exc: httpx.TransportError) -> str:
    """A short phrase for a failed connection or body, for one-line messages."""
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out ({type(exc).__name__})"
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed ({detail})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the connection broke off mid-response ({detail})"
    return f"{type(exc).__name__} ({detail})"


def read_limited(response: httpx.Response, limit: int, what: str) -> bytes:
    """The whole body, refusing one announced or found to be larger than `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    check_announced_size(response, limit, what)
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(f"{response.url}: {what} is larger than the {limit:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def check_announced_size(response: httpx.Response, limit: int, what: str) -> None:
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > limit:
        raise FetchError(f"{response.url}: {what} of {int(announced):,} bytes is over the {limit:,}-byte limit")


def fetch_page(
    client: httpx.Client, url: str, *, allowed_hosts: Collection[str], config: AcquireConfig
) -> tuple[str, str]:
    """(final URL, text) of an HTML page, for resolving its relative links against where it really was."""

    def read(response: httpx.Response) -> tuple[str, str]:
        if response.status_code != 200:
            raise FetchError(f"{url}: HTTP {response.status_code} for a page we did not ask conditionally")
        body = read_limited(response, config.max_page_bytes, "the page")
        return str(response.url), body.decode(response.charset_encoding or "utf-8", errors="replace")

    return request(client, url, allowed_hosts=allowed_hosts, config=config, read=read)


def unreachable(url: str, *, allowed_hosts: Collection[str], config: AcquireConfig) -> str | None:
    """Why `url` cannot be reached at all (an unsafe URL, a name that does not resolve, a refusal), or None.

    Opens a TCP connection and sends nothing: a check that takes milliseconds, so that a run can
    tell it is offline before it starts anything. None also when a proxy is configured (only the
    proxy can tell) or when the failure is one a retry may cure (a timeout, a reset).
    """
    try:
        check_url(url, allowed_hosts, allow_private=config.allow_private_addresses)
    except AcquireError as exc:
        return str(exc)
    parts = urlsplit(url)
    if config.trust_env and parts.scheme in urllib.request.getproxies():
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=config.timeout_seconds):
            return None
    except (socket.gaierror, ConnectionRefusedError, OSError) as exc:
        if isinstance(exc, (TimeoutError, ConnectionResetError, ConnectionAbortedError)):
            return None
        return f"{url}: connection failed ({' '.join(str(exc).split())}) (not retried)"
