"""A real HTTP server on 127.0.0.1 imitating the publishers' sites, with faults, for the acquire tests."""

from __future__ import annotations

import dataclasses
import socket
import string
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mixedflows.acquire import SOURCES, AcquireConfig

TESTS = Path(__file__).parent.parent
SITES = TESTS / "fixtures" / "sites"
PDFS = TESTS / "pdfs"

DTM_LISTING = "/dtm/reports?search=Western%20Balkans&sort_by=field_published_date&sort_order=DESC"
DTM_LISTING_2 = DTM_LISTING + "&page=1"
UNHCR_LISTING = "/en/search?type%5B0%5D=document&text=Western%20Balkans&sort=publishDate&direction=desc"
DTM_FILES = "/sites/g/files/tmzbdl1461/files/reports"
OFF_ALLOWLIST = "https://mirror.example.invalid/files/western-balkans-2024-08.pdf"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclasses.dataclass
class Reply:
    """One answer of the test server.

    `etag`/`last_modified` make it answer 304 to a matching conditional GET; `truncate_to` sends
    only that many bytes of the body and hangs up; `send_length=False` leaves out Content-Length
    (the body then ends when the connection closes).
    """

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    delay: float = 0.0
    truncate_to: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    send_length: bool = True


class Site:
    """A threaded HTTP server with a route table; each route answers its replies in turn, then repeats the last."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                site._answer(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # a client that hung up is expected here
        # A short poll keeps `shutdown` (called after every test) from waiting the default half second.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def hits(self, path: str) -> list[dict[str, str]]:
        """The headers of every request for `path`, in order."""
        return [headers for requested, headers in self.requests if requested == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append((handler.path, headers))
            replies = self.routes.get(handler.path)
            reply = (replies.pop(0) if len(replies) > 1 else replies[0]) if replies else Reply(404, b"Not found")
        time.sleep(reply.delay)
        conditional = (reply.etag and headers.get("if-none-match") == reply.etag) or (
            reply.last_modified and headers.get("if-modified-since") == reply.last_modified
        )
        if conditional:
            handler.send_response(304)
            handler.end_headers()
            return
        handler.send_response(reply.status)
        handler.send_header("Content-Type", reply.content_type)
        if reply.send_length:
            handler.send_header("Content-Length", str(len(reply.body)))
        for name, value in {**reply.headers, "ETag": reply.etag, "Last-Modified": reply.last_modified}.items():
            if value:
                handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(reply.body if reply.truncate_to is None else reply.body[: reply.truncate_to])
        handler.wfile.flush()
        handler.close_connection = True

    def page(self, name: str, **values: str) -> bytes:
        """A fixture page with `${origin}` and the given placeholders filled in."""
        template = string.Template((SITES / name).read_text(encoding="utf-8"))
        return template.substitute(origin=self.origin, **values).encode("utf-8")


def sample_pdf(family: str, month: str) -> bytes:
    return (PDFS / family / f"{month}.pdf").read_bytes()


def pdf_reply(family: str, month: str, **fields) -> Reply:
    """A sample PDF from tests/pdfs/, served as application/pdf."""
    return Reply(body=sample_pdf(family, month), content_type="application/pdf", **fields)


def republished(pdf: bytes) -> bytes:
    """The same PDF with a comment added before its end marker: different bytes, still a whole PDF."""
    head, _, tail = pdf.rpartition(b"%%EOF")
    return head + b"% corrected and re-published\n%%EOF" + tail


def html_page(title: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>".encode()


DTM_MONTHS = {
    "2024-12": "december-2024",
    "2024-11": "november-2024",
    "2024-10": "october-2024",
    "2024-09": "september-2024",
    "2024-08": "august-2024",
}
UNHCR_DOCS = {"2024-12": "113412", "2024-11": "112877", "2024-10": "112400", "2024-09": "111950", "2024-08": "111500"}


def dtm_pdf_path(month: str) -> str:
    return f"{DTM_FILES}/DTM%20WB%20Mixed%20Migratory%20Flows%20{month}.pdf"


def unhcr_pdf_path(month: str) -> str:
    return f"/en/documents/download/{UNHCR_DOCS[month]}"


def serve_western_balkans(site: Site) -> dict[str, dict[str, str]]:
    """Both publishers with every fault of issue #4; returns the expected outcome per family and month.

    dtm_wb: 2024-12 has an ETag (304 on a conditional GET), 2024-11 answers 500 once, 2024-10 is
    plain, 2024-09 is a 404, 2024-08 is an HTML page served as application/pdf, 2023-06 is on the
    listing's second page. unhcr_wb: 2024-12 has a Last-Modified (304), 2024-11 and 2023-06 are
    plain, 2024-10 breaks off mid-body, 2024-09 never answers in time, 2024-08 redirects off the
    allowlist. The expected outcome is "new" or a phrase of the failure's one-line reason.
    """
    site.route(DTM_LISTING, Reply(body=site.page("dtm/listing-1.html")))
    site.route(DTM_LISTING_2, Reply(body=site.page("dtm/listing-2.html")))
    slugs = {**DTM_MONTHS, "2023-06": "june-2023", "2023-05": "may-2023"}
    for month, slug in slugs.items():
        series = "mixed-migratory-flows-report" if month >= "2024" else "mixed-migration-flows-monthly-overview"
        page = site.page("dtm/report.html", title=f"Western Balkans {slug}", pdf_path=dtm_pdf_path(month))
        site.route(f"/reports/western-balkans-{series}-{slug}", Reply(body=page))
    pdf = "application/pdf"
    site.route(dtm_pdf_path("2024-12"), pdf_reply("dtm_wb", "2024-12", etag='"dtm-1224"'))
    site.route(dtm_pdf_path("2024-11"), Reply(500, b"busy"), pdf_reply("dtm_wb", "2024-11"))
    site.route(dtm_pdf_path("2024-10"), pdf_reply("dtm_wb", "2024-10"))
    site.route(dtm_pdf_path("2024-09"), Reply(404, html_page("Page not found")))
    site.route(dtm_pdf_path("2024-08"), Reply(body=html_page("Service temporarily unavailable"), content_type=pdf))
    site.route(dtm_pdf_path("2023-06"), pdf_reply("dtm_wb", "2023-06"))

    site.route(UNHCR_LISTING, Reply(body=site.page("unhcr/search.html")))
    for month, doc_id in {**UNHCR_DOCS, "2023-06": "102100"}.items():
        page = site.page("unhcr/details.html", title=f"Western Balkans {month}", doc_id=doc_id)
        site.route(f"/en/documents/details/{doc_id}", Reply(body=page))
    december = sample_pdf("unhcr_wb", "2024-12")
    site.route(
        unhcr_pdf_path("2024-12"),
        Reply(body=december, content_type=pdf, last_modified="Mon, 03 Feb 2025 09:00:00 GMT"),
    )
    site.route(unhcr_pdf_path("2024-11"), pdf_reply("unhcr_wb", "2024-11"))
    site.route(unhcr_pdf_path("2024-10"), Reply(body=december, content_type=pdf, truncate_to=len(december) // 2))
    site.route(unhcr_pdf_path("2024-09"), Reply(body=december, content_type=pdf, delay=1.0))
    site.route(unhcr_pdf_path("2024-08"), Reply(302, b"", headers={"Location": OFF_ALLOWLIST}))
    site.route("/en/documents/download/102100", pdf_reply("unhcr_wb", "2023-06"))
    return {
        "dtm_wb": {
            "2024-12": "new",
            "2024-11": "new",
            "2024-10": "new",
            "2024-09": "HTTP 404",
            "2024-08": "not a PDF",
        },
        "unhcr_wb": {
            "2024-12": "new",
            "2024-11": "new",
            "2024-10": "broke off mid-response",
            "2024-09": "timed out",
            "2024-08": "not on the allowlist",
            "2023-06": "new",
        },
    }


#: Small enough to keep the fault tests fast; the timeout fault's server waits 1 s.
TEST_TIMEOUT_SECONDS = 0.3
TEST_ATTEMPTS = 3
TEST_BACKOFF_SECONDS = 0.01


def site_config(site: Site, **overrides) -> AcquireConfig:
    """Both sources read from the loopback site, private addresses allowed, tiny timeouts and waits."""
    settings = dict(
        timeout_seconds=TEST_TIMEOUT_SECONDS,
        attempts=TEST_ATTEMPTS,
        backoff_seconds=TEST_BACKOFF_SECONDS,
        max_backoff_seconds=0.05,
        allow_private_addresses=True,
        trust_env=False,
        sources={
            "dtm_wb": SOURCES["dtm_wb"].with_listing_url(site.origin + DTM_LISTING),
            "unhcr_wb": SOURCES["unhcr_wb"].with_listing_url(site.origin + UNHCR_LISTING),
        },
    )
    settings.update(overrides)
    return AcquireConfig(**settings)


def site_env(site: Site) -> dict[str, str | None]:
    """Environment for the CLI: the same loopback site, settings and no proxy."""
    return {
        "MIXEDFLOWS_LISTING_URL_DTM_WB": site.origin + DTM_LISTING,
        "MIXEDFLOWS_LISTING_URL_UNHCR_WB": site.origin + UNHCR_LISTING,
        "MIXEDFLOWS_ALLOW_PRIVATE_ADDRESSES": "1",
        "MIXEDFLOWS_HTTP_TIMEOUT": str(TEST_TIMEOUT_SECONDS),
        "MIXEDFLOWS_HTTP_ATTEMPTS": str(TEST_ATTEMPTS),
        "MIXEDFLOWS_HTTP_BACKOFF": str(TEST_BACKOFF_SECONDS),
        "HTTP_PROXY": None,
        "HTTPS_PROXY": None,
        "ALL_PROXY": None,
        "NO_PROXY": "*",
    }


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Test modules import these two fixtures by their function names; tests ask for them by `name`.
@pytest.fixture(name="site")
def site_fixture() -> Iterator[Site]:
    served = Site()
    try:
        yield served
    finally:
        served.close()


@pytest.fixture(name="loopback_only", autouse=True)
def loopback_only_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail the test on any name lookup or connection beyond loopback (none should ever happen)."""
    attempts: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_create_connection = socket.create_connection

    def getaddrinfo(host, *args, **kwargs):
        if str(host) not in LOOPBACK_HOSTS:
            attempts.append(str(host))
            raise AssertionError(f"test tried to resolve {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        if str(address[0]) not in LOOPBACK_HOSTS:
            attempts.append(str(address[0]))
            raise AssertionError(f"test tried to connect to {address}")
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield attempts
    assert not attempts, f"non-loopback network use: {attempts}"
