"""Download against the loopback site, one fault at a time: retries, limits, PDF checks, revisions, 304s."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from mixedflows.acquire import SOURCES, Candidate, DownloadStatus, archived, download
from mixedflows.acquire.archive import sidecar_path
from tests.support.acquire_site import (  # noqa: F401 (the *_fixture names are fixtures)
    OFF_ALLOWLIST,
    Reply,
    Site,
    html_page,
    loopback_only_fixture,
    pdf_reply,
    republished,
    sample_pdf,
    site_config,
    site_fixture,
)

PDF_PATH = "/files/reports/wb-2024-10.pdf"


def candidate(site: Site, path: str = PDF_PATH, family: str = "dtm_wb", month: str = "2024-10") -> Candidate:
    return Candidate(
        family=family,
        month=month,
        title=f"Western Balkans — Mixed Migratory Flows Report ({month})",
        page_url=site.origin + "/reports/wb",
        pdf_url=site.origin + path,
    )


def leftovers(raw: Path) -> list[Path]:
    """Anything in the archive that is not a finished PDF or sidecar (temporary files, partial downloads)."""
    return [p for p in raw.rglob("*") if p.is_file() and (p.name.startswith(".") or p.suffix == ".part")]


def archive_files(raw: Path) -> list[str]:
    return sorted(str(p.relative_to(raw)) for p in raw.rglob("*") if p.is_file())


def test_a_500_then_success_is_retried_and_archived(site: Site, tmp_path: Path) -> None:
    """A 500 is retried after a backoff; the second answer is archived with a sidecar recording it."""
    site.route(PDF_PATH, Reply(500, b"oops"), pdf_reply("dtm_wb", "2024-10", etag='"v1"'))
    result = download(candidate(site), tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.new, result.reason
    assert len(site.hits(PDF_PATH)) == 2
    pdf = tmp_path / "dtm_wb" / "2024-10.pdf"
    assert result.path == pdf and pdf.read_bytes() == sample_pdf("dtm_wb", "2024-10")
    sidecar = json.loads(sidecar_path(pdf).read_text())
    assert sidecar["url"] == site.origin + PDF_PATH
    assert sidecar["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest() == result.sha256
    assert sidecar["bytes"] == pdf.stat().st_size
    assert sidecar["etag"] == '"v1"' and sidecar["revision"] == 1
    assert sidecar["retrieved_at"].endswith("+00:00")


def test_a_429_honours_retry_after_and_succeeds(site: Site, tmp_path: Path) -> None:
    """429 Too Many Requests is retried (Retry-After honoured up to the cap)."""
    site.route(PDF_PATH, Reply(429, b"slow down", headers={"Retry-After": "0"}), pdf_reply("dtm_wb", "2024-10"))
    assert download(candidate(site), tmp_path, config=site_config(site)).status is DownloadStatus.new
    assert len(site.hits(PDF_PATH)) == 2


@pytest.mark.parametrize("status", [404, 403, 410])
def test_a_4xx_is_not_retried(site: Site, tmp_path: Path, status: int) -> None:
    """A 4xx other than 429 fails at once, naming the URL and status, and leaves nothing behind."""
    site.route(PDF_PATH, Reply(status, html_page("no")))
    result = download(candidate(site), tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.failed
    assert result.reason.startswith(f"{site.origin}{PDF_PATH}: HTTP {status}")
    assert len(site.hits(PDF_PATH)) == 1
    assert archive_files(tmp_path) == []


def test_a_timeout_fails_after_every_attempt_without_a_partial_file(site: Site, tmp_path: Path) -> None:
    """A server that never answers in time is tried `attempts` times, then one line says it timed out."""
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10", delay=1.0))
    config = site_config(site)
    result = download(candidate(site), tmp_path, config=config)
    assert result.status is DownloadStatus.failed
    assert result.reason == f"{site.origin}{PDF_PATH}: timed out (ReadTimeout) (after {config.attempts} attempts)"
    assert len(site.hits(PDF_PATH)) == config.attempts
    assert archive_files(tmp_path) == []


def test_a_timeout_then_success_is_archived(site: Site, tmp_path: Path) -> None:
    """One slow answer does not lose the report: the retry gets it."""
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10", delay=1.0), pdf_reply("dtm_wb", "2024-10"))
    assert download(candidate(site), tmp_path, config=site_config(site)).status is DownloadStatus.new


def test_a_body_cut_short_of_its_content_length_leaves_no_file(site: Site, tmp_path: Path) -> None:
    """A connection that breaks off mid-body fails (after retries) and no partial PDF is left."""
    pdf = sample_pdf("dtm_wb", "2024-10")
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10", truncate_to=len(pdf) // 3))
    result = download(candidate(site), tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.failed
    assert "broke off mid-response" in result.reason
    assert f"expected {len(pdf)}" in result.reason
    assert archive_files(tmp_path) == [] and leftovers(tmp_path) == []


def test_a_pdf_cut_short_without_content_length_is_caught_by_its_trailer(site: Site, tmp_path: Path) -> None:
    """With no Content-Length to compare, a body ending before `%%EOF` is refused as truncated."""
    pdf = sample_pdf("dtm_wb", "2024-10")
    site.route(PDF_PATH, Reply(body=pdf[: len(pdf) // 2], content_type="application/pdf", send_length=False))
    result = download(candidate(site), tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.failed
    assert result.reason == (
        f"{site.origin}{PDF_PATH}: truncated PDF ({len(pdf) // 2:,} bytes with no %%EOF trailer at the end)"
    )
    assert archive_files(tmp_path) == []


def test_an_html_page_served_as_pdf_is_refused(site: Site, tmp_path: Path) -> None:
    """An error page sent with `Content-Type: application/pdf` is caught by the `%PDF-` check."""
    site.route(PDF_PATH, Reply(body=html_page("We are down for maintenance"), content_type="application/pdf"))
    result = download(candidate(site), tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.failed
    assert result.reason.startswith(f"{site.origin}{PDF_PATH}: not a PDF (application/pdf, ")
    assert "'<!DOCTYPE html><html><head><title>We are down" in result.reason
    assert len(site.hits(PDF_PATH)) == 1
    assert archive_files(tmp_path) == []


@pytest.mark.parametrize("send_length", [True, False])
def test_a_body_over_the_size_limit_is_refused(site: Site, tmp_path: Path, send_length: bool) -> None:
    """Too large a body is refused, whether announced by Content-Length or found while streaming."""
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10", send_length=send_length))
    result = download(candidate(site), tmp_path, config=site_config(site, max_pdf_bytes=10_000))
    assert result.status is DownloadStatus.failed
    assert "10,000-byte limit" in result.reason
    assert archive_files(tmp_path) == []


def test_a_redirect_off_the_allowlist_is_refused_before_it_is_followed(site: Site, tmp_path: Path) -> None:
    """A redirect to another host fails naming both URLs; nothing connects to the other host."""
    site.route(PDF_PATH, Reply(302, headers={"Location": OFF_ALLOWLIST}))
    result = download(candidate(site), tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.failed
    assert result.reason == (
        f"{site.origin}{PDF_PATH} redirected to {OFF_ALLOWLIST}: "
        "host mirror.example.invalid is not on the allowlist (127.0.0.1)"
    )
    assert len(site.hits(PDF_PATH)) == 1


def test_a_redirect_to_another_name_of_this_machine_is_refused(site: Site, tmp_path: Path) -> None:
    """`localhost` is not `127.0.0.1` on the allowlist: the redirect is refused and its target never requested."""
    port = site.server.server_port
    site.route(PDF_PATH, Reply(301, headers={"Location": f"http://localhost:{port}/elsewhere.pdf"}))
    site.route("/elsewhere.pdf", pdf_reply("dtm_wb", "2024-10"))
    result = download(candidate(site), tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.failed and "host localhost is not on the allowlist" in result.reason
    assert site.hits("/elsewhere.pdf") == []


def test_a_redirect_within_the_allowlist_is_followed(site: Site, tmp_path: Path) -> None:
    """A relative redirect on the same host is followed; the sidecar keeps the link we were given."""
    site.route(PDF_PATH, Reply(302, headers={"Location": "/files/current/wb-2024-10.pdf"}))
    site.route("/files/current/wb-2024-10.pdf", pdf_reply("dtm_wb", "2024-10"))
    result = download(candidate(site), tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.new
    assert json.loads(sidecar_path(result.path).read_text())["url"] == site.origin + PDF_PATH


def test_a_pdf_link_off_the_allowlist_is_never_requested(site: Site, tmp_path: Path) -> None:
    """A listing that links a PDF on another host: refused before any connection."""
    off = Candidate("dtm_wb", "2024-10", "t", site.origin + "/reports/wb", "https://files.example.invalid/a.pdf")
    result = download(off, tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.failed
    assert (
        result.reason
        == "https://files.example.invalid/a.pdf: host files.example.invalid is not on the allowlist (127.0.0.1)"
    )


def test_loopback_is_refused_without_the_explicit_setting(site: Site, tmp_path: Path) -> None:
    """With the default setting a private/loopback address is refused and the server sees no request."""
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10"))
    result = download(candidate(site), tmp_path, config=site_config(site, allow_private_addresses=False))
    assert result.status is DownloadStatus.failed
    assert "127.0.0.1 is a private or loopback address" in result.reason
    assert site.requests == []


def test_the_pdf_link_is_read_from_the_details_page(site: Site, tmp_path: Path) -> None:
    """A candidate without a PDF link gets it from its report page (DTM), resolved against that page."""
    page = site.page("dtm/report.html", title="WB", pdf_path=PDF_PATH)
    site.route("/reports/wb", Reply(body=page))
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10"))
    listed = Candidate("dtm_wb", "2024-10", "t", site.origin + "/reports/wb", None)
    result = download(listed, tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.new and result.url == site.origin + PDF_PATH


def test_a_details_page_without_a_pdf_link_fails_naming_the_page(site: Site, tmp_path: Path) -> None:
    """A report page with no PDF in its file field is one line naming the page and the shape looked for."""
    site.route("/reports/wb", Reply(body=html_page("Report coming soon")))
    listed = Candidate("dtm_wb", "2024-10", "t", site.origin + "/reports/wb", None)
    result = download(listed, tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.failed
    assert result.reason == (
        f"{site.origin}/reports/wb: no PDF link shaped like `span.file--mime-application-pdf a` on the report page"
    )


def test_etag_makes_the_second_request_conditional_and_a_304_keeps_the_file(site: Site, tmp_path: Path) -> None:
    """The second download sends If-None-Match; the 304 leaves the archived PDF and sidecar untouched."""
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10", etag='"abc"'))
    config = site_config(site)
    first = download(candidate(site), tmp_path, config=config)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.pdf*")}
    second = download(candidate(site), tmp_path, config=config)
    assert (first.status, second.status) == (DownloadStatus.new, DownloadStatus.unchanged)
    assert second.sha256 == first.sha256 and second.path == first.path
    assert "if-none-match" not in site.hits(PDF_PATH)[0]
    assert site.hits(PDF_PATH)[1]["if-none-match"] == '"abc"'
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.pdf*")} == before


def test_last_modified_makes_the_second_request_conditional(site: Site, tmp_path: Path) -> None:
    """Without an ETag, Last-Modified is sent back as If-Modified-Since and the 304 means unchanged."""
    stamp = "Mon, 03 Feb 2025 09:00:00 GMT"
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10", last_modified=stamp))
    config = site_config(site)
    download(candidate(site), tmp_path, config=config)
    assert download(candidate(site), tmp_path, config=config).status is DownloadStatus.unchanged
    assert site.hits(PDF_PATH)[1]["if-modified-since"] == stamp


def test_same_bytes_without_validators_are_unchanged(site: Site, tmp_path: Path) -> None:
    """A server with no ETag/Last-Modified sends the PDF again; identical bytes change nothing."""
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10"))
    config = site_config(site)
    download(candidate(site), tmp_path, config=config)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.pdf*")}
    assert download(candidate(site), tmp_path, config=config).status is DownloadStatus.unchanged
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*.pdf*")} == before


def test_a_changed_pdf_under_the_same_url_becomes_a_new_revision(site: Site, tmp_path: Path) -> None:
    """Re-published bytes under the same link: the old PDF and sidecar are kept under revisions/, never lost."""
    original = sample_pdf("dtm_wb", "2024-10")
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10", etag='"v1"'))
    config = site_config(site)
    download(candidate(site), tmp_path, config=config)
    site.route(PDF_PATH, Reply(body=republished(original), content_type="application/pdf", etag='"v2"'))
    result = download(candidate(site), tmp_path, config=config)
    assert result.status is DownloadStatus.revised and result.revision == 2
    assert site.hits(PDF_PATH)[1]["if-none-match"] == '"v1"'
    folder = tmp_path / "dtm_wb"
    assert (folder / "2024-10.pdf").read_bytes() == republished(original)
    assert (folder / "revisions" / "2024-10.r1.pdf").read_bytes() == original
    kept = json.loads((folder / "revisions" / "2024-10.r1.pdf.json").read_text())
    assert kept["etag"] == '"v1"' and kept["revision"] == 1
    assert kept["sha256"] == hashlib.sha256(original).hexdigest()
    listed = archived(tmp_path, "dtm_wb", include_revisions=True)
    assert [(a.revision, a.current) for a in listed] == [(2, True), (1, False)]
    assert archived(tmp_path) == [listed[0]]


def test_a_shipped_pdf_without_sidecar_gains_one_when_the_web_has_the_same_bytes(site: Site, tmp_path: Path) -> None:
    """A PDF copied in by hand is not fetched over when the publisher serves the same bytes; its source is recorded."""
    (tmp_path / "dtm_wb").mkdir()
    (tmp_path / "dtm_wb" / "2024-10.pdf").write_bytes(sample_pdf("dtm_wb", "2024-10"))
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10"))
    result = download(candidate(site), tmp_path, config=site_config(site))
    assert result.status is DownloadStatus.unchanged and result.revision == 1
    [entry] = archived(tmp_path)
    assert entry.source_url == site.origin + PDF_PATH


def test_an_archive_that_cannot_be_written_is_a_failure_line(site: Site, tmp_path: Path) -> None:
    """An archive path that is a file, not a folder: one line naming it, no exception."""
    site.route(PDF_PATH, pdf_reply("dtm_wb", "2024-10"))
    blocked = tmp_path / "raw_pdfs"
    blocked.write_text("not a folder")
    result = download(candidate(site), blocked, config=site_config(site))
    assert result.status is DownloadStatus.failed
    assert result.reason.startswith(f"{blocked}: could not write to the archive")


def test_unhcr_download_link_is_fetched_directly(site: Site, tmp_path: Path) -> None:
    """UNHCR's listing links the PDF itself: no details page is requested."""
    site.route("/en/documents/download/113412", pdf_reply("unhcr_wb", "2024-12"))
    listed = Candidate(
        "unhcr_wb",
        "2024-12",
        "t",
        site.origin + "/en/documents/details/113412",
        site.origin + "/en/documents/download/113412",
    )
    config = site_config(site)
    assert SOURCES["unhcr_wb"].listing.pdf_link is not None
    result = download(listed, tmp_path, config=config)
    assert result.status is DownloadStatus.new
    assert result.path == tmp_path / "unhcr_wb" / "2024-12.pdf"
    assert site.hits("/en/documents/details/113412") == []
