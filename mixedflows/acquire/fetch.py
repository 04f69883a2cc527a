"""Fetch one family's issues (all listed, or one month's) into the archive: discover, then download each."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx

from mixedflows.acquire.archive import remove_stale_partials
from mixedflows.acquire.config import AcquireConfig
from mixedflows.acquire.discover import discover
from mixedflows.acquire.download import DownloadResult, download
from mixedflows.acquire.errors import AcquireError


@dataclasses.dataclass(frozen=True)
class FamilyFetch:
    """What fetching one family did: a result per listed issue, and one line per failure."""

    family: str
    results: tuple[DownloadResult, ...]
    failures: tuple[str, ...]


def fetch_family(
    family: str,
    month: str | None,
    raw_dir: str | Path,
    *,
    config: AcquireConfig,
    client: httpx.Client,
) -> FamilyFetch:
    """Discover a family's issues (or one month's) and download each; never raises for a site's faults.

    Partial downloads left by a killed run are removed first, so the archive holds only whole PDFs.
    """
    remove_stale_partials(raw_dir, family)
    try:
        candidates = discover(family, month, config=config, client=client)
    except AcquireError as exc:
        return FamilyFetch(family, (), (str(exc),))
    failures: list[str] = []
    if month is not None and not candidates:
        failures.append(f"{family}: no issue for {month} is listed on {config.source(family).listing_url}")
    results = tuple(download(candidate, raw_dir, config=config, client=client) for candidate in candidates)
    failures.extend(result.message() for result in results if not result.ok)
    return FamilyFetch(family, results, tuple(failures))
