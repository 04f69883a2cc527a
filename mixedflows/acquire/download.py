"""Downloading one issue's PDF into the archive: verified, conditional, atomic, revisions kept."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from enum import StrEnum
from pathlib import Path

import httpx

from mixedflows.acquire.archive import ArchivedPdf, Sidecar, current, incoming_file, store
from mixedflows.acquire.config import AcquireConfig
from mixedflows.acquire.discover import Candidate, find_pdf_link
from mixedflows.acquire.errors import AcquireError, FetchError
from mixedflows.acquire.transport import check_announced_size, client_for, fetch_page, request

PDF_MAGIC = b"%PDF-"
#: PDF readers accept the `%PDF-` header anywhere in the first 1024 bytes (PDF 1.7 implementation notes).
PDF_HEADER_WINDOW = 1024
#: Every complete PDF ends with `%%EOF` (possibly followed by a line end or a little padding).
PDF_TRAILER_WINDOW = 1024


class DownloadStatus(StrEnum):
    new = "new"
    unchanged = "unchanged"
    revised = "revised"
    failed = "failed"


@dataclasses.dataclass(frozen=True)
class DownloadResult:
    """What happened to one issue: archived for the first time, unchanged, a new revision, or failed (why)."""

    family: str
    month: str
    status: DownloadStatus
    url: str
    path: Path | None = None
    sha256: str | None = None
    bytes: int | None = None
    revision: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not DownloadStatus.failed

    def message(self) -> str:
        """One line for people."""
        if not self.ok:
            return f"{self.family} {self.month}: {self.reason}"
        return (
            f"{self.status.value} {self.family} {self.month}: {self.path} (revision {self.revision}, "
            f"{self.bytes:,} bytes, sha256 {self.sha256[:12]}) from {self.url}"
        )

    def to_record(self) -> dict:
        record = dataclasses.asdict(self)
        record["status"] = self.status.value
        record["path"] = str(self.path) if self.path else None
        return record


def download(
    candidate: Candidate,
    raw_dir: str | Path,
    *,
    config: AcquireConfig | None = None,
    client: httpx.Client | None = None,
) -> DownloadResult:
    """Fetch a candidate's PDF into `<raw_dir>/<family>/<YYYY-MM>.pdf`, never leaving a partial file.

    A request is conditional (ETag / Last-Modified of the archived copy from the same URL); the
    body must be a whole PDF (`%PDF-` header, `%%EOF` trailer) within the size limit; same bytes
    as archived are `unchanged`, different bytes become a new revision with the old one kept.

    Parameters
    ----------
    candidate
        From `discover`. When it has no `pdf_url`, the PDF link is read from its details page.
    raw_dir
        The archive root (`raw_pdfs/`).
    config, client
        As for `discover`.

    Returns
    -------
    DownloadResult
        Never raises for a network, server or content problem: those are `failed` with a
        one-line reason naming the URL, so one bad issue does not stop the others.
    """
    config = config or AcquireConfig()
    url = candidate.pdf_url or candidate.page_url
    try:
        with client_for(config, client) as http:
            return _download(candidate, Path(raw_dir), config, http)
    except AcquireError as exc:
        return DownloadResult(candidate.family, candidate.month, DownloadStatus.failed, url, reason=str(exc))
    except OSError as exc:
        reason = f"{raw_dir}: could not write to the archive ({' '.join(str(exc).split())})"
        return DownloadResult(candidate.family, candidate.month, DownloadStatus.failed, url, reason=reason)


def _download(candidate: Candidate, raw_dir: Path, config: AcquireConfig, http: httpx.Client) -> DownloadResult:
    source = config.source(candidate.family)
    pdf_url = candidate.pdf_url or _pdf_url_from_details(candidate, config, http)
    existing = current(raw_dir, candidate.family, candidate.month)
    headers: dict[str, str] = {}
    if existing is not None and existing.source_url == pdf_url:
        if existing.etag:
            headers["If-None-Match"] = existing.etag
        if existing.last_modified:
            headers["If-Modified-Since"] = existing.last_modified
    with incoming_file(raw_dir, candidate.family, candidate.month) as handle:

        def read(response: httpx.Response) -> tuple[str, int, str | None, str | None] | None:
            if response.status_code == 304:
                if not headers or existing is None:
                    raise FetchError(f"{pdf_url}: HTTP 304 Not Modified to a request that was not conditional")
                return None
            return _receive_pdf(response, handle, pdf_url, config.max_pdf_bytes)

        received = request(http, pdf_url, allowed_hosts=source.allowed_hosts, config=config, read=read, headers=headers)
        if received is None:
            return _result(candidate, DownloadStatus.unchanged, pdf_url, existing)  # type: ignore[arg-type]
        sha, size, etag, last_modified = received
        handle.flush()
        os.fsync(handle.fileno())
        sidecar = Sidecar(
            family=candidate.family,
            month=candidate.month,
            sha256=sha,
            bytes=size,
            revision=0,
            url=pdf_url,
            page_url=candidate.page_url,
            title=candidate.title,
            retrieved_at=config.clock().isoformat(timespec="seconds"),
            etag=etag,
            last_modified=last_modified,
        )
        kind, stored = store(raw_dir, Path(handle.name), sidecar)
    return _result(candidate, DownloadStatus(kind), pdf_url, stored)


def _pdf_url_from_details(candidate: Candidate, config: AcquireConfig, http: httpx.Client) -> str:
    source = config.source(candidate.family)
    final_url, html = fetch_page(http, candidate.page_url, allowed_hosts=source.allowed_hosts, config=config)
    link = find_pdf_link(html, final_url, source.details_pdf_link)
    if link is None:
        shape = source.details_pdf_link
        raise FetchError(f"{candidate.page_url}: no PDF link shaped like `{shape}` on the report page")
    return link


def _receive_pdf(response: httpx.Response, handle, url: str, limit: int) -> tuple[str, int, str | None, str | None]:
    """Stream the body into `handle`, checking size and PDF shape; returns (sha256, size, etag, last_modified)."""
    check_announced_size(response, limit, "the PDF")
    handle.seek(0)
    handle.truncate()
    digest = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(f"{url}: the PDF is larger than the {limit:,}-byte limit")
        if len(head) < PDF_HEADER_WINDOW:
            head += chunk[: PDF_HEADER_WINDOW - len(head)]
        tail = (tail + chunk)[-PDF_TRAILER_WINDOW:]
        digest.update(chunk)
        handle.write(chunk)
    if PDF_MAGIC not in head:
        preview = " ".join(head[:60].decode("latin-1").split()) or "nothing"
        kind = response.headers.get("Content-Type", "no Content-Type")
        raise FetchError(f"{url}: not a PDF ({kind}, {size:,} bytes starting {preview!r})")
    if b"%%EOF" not in tail:
        raise FetchError(f"{url}: truncated PDF ({size:,} bytes with no %%EOF trailer at the end)")
    return digest.hexdigest(), size, response.headers.get("ETag"), response.headers.get("Last-Modified")


def _result(candidate: Candidate, status: DownloadStatus, url: str, archived: ArchivedPdf) -> DownloadResult:
    return DownloadResult(
        family=candidate.family,
        month=candidate.month,
        status=status,
        url=url,
        path=archived.path,
        sha256=archived.sha256,
        bytes=archived.bytes,
        revision=archived.revision,
    )
