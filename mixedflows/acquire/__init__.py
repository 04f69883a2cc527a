"""Discover and download each month's reports into the archive: safe, resumable, offline by default.

The API a scheduled flow calls per family and month (it only orchestrates; nothing here uses Prefect)::

    config = AcquireConfig()
    with make_client(config) as client:
        for family in EXTRACTORS:
            try:
                candidates = discover(family, "2024-12", config=config, client=client)
            except SourceError as exc:      # one line: the listing is down or has changed
                ...
            for candidate in candidates:
                result = download(candidate, "raw_pdfs", config=config, client=client)
                # result.status: new | unchanged | revised | failed (result.reason says why)
    archived("raw_pdfs", family, "2024-12")  # what the extractors read, with provenance

With no network, `archived` is all the main job needs: the archive is the offline source.
"""

from __future__ import annotations

from mixedflows.acquire.archive import ArchivedPdf, archived
from mixedflows.acquire.config import AcquireConfig
from mixedflows.acquire.discover import Candidate, discover
from mixedflows.acquire.download import DownloadResult, DownloadStatus, download
from mixedflows.acquire.errors import AcquireError, ArchiveError, FetchError, SourceError, UnsafeUrlError
from mixedflows.acquire.fetch import FamilyFetch, fetch_family
from mixedflows.acquire.sources import SOURCES, Source
from mixedflows.acquire.transport import make_client

__all__ = [
    "SOURCES",
    "AcquireConfig",
    "AcquireError",
    "ArchiveError",
    "ArchivedPdf",
    "Candidate",
    "DownloadResult",
    "DownloadStatus",
    "FamilyFetch",
    "FetchError",
    "Source",
    "SourceError",
    "UnsafeUrlError",
    "archived",
    "discover",
    "download",
    "fetch_family",
    "make_client",
]
