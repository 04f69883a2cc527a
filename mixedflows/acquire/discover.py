"""Finding a family's monthly issues on its publisher's listing pages."""

from __future__ import annotations

import dataclasses
from urllib.parse import urljoin

import httpx

from mixedflows.acquire.archive import check_month
from mixedflows.acquire.config import AcquireConfig
from mixedflows.acquire.errors import AcquireError, SourceError
from mixedflows.acquire.html import Selector, parse_html
from mixedflows.acquire.sources import ListingShape
from mixedflows.acquire.transport import client_for, fetch_page


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A monthly issue a publisher lists: where it is described and, when the listing links it, its PDF."""

    family: str
    month: str
    title: str
    page_url: str
    pdf_url: str | None
    published: str | None = None

    def to_record(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class ListingEntry:
    """One entry of a listing page, before we know whether it is an issue of the family."""

    title: str
    link: str
    pdf_link: str | None
    date: str | None


def parse_listing(html: str, page_url: str, shape: ListingShape) -> tuple[list[ListingEntry], str | None]:
    """The entries of a listing page (links made absolute) and the URL of the next page, if any."""
    root = parse_html(html)
    entries: list[ListingEntry] = []
    for item in root.find_all(shape.entry):
        title_link = item.find(shape.title_link)
        if title_link is None or not title_link.attrs.get("href"):
            continue
        date = item.find(shape.date) if shape.date else None
        pdf = item.find(shape.pdf_link) if shape.pdf_link else None
        entries.append(
            ListingEntry(
                title=title_link.text,
                link=urljoin(page_url, title_link.attrs["href"]),
                pdf_link=urljoin(page_url, pdf.attrs["href"]) if pdf is not None and pdf.attrs.get("href") else None,
                date=date.text if date is not None else None,
            )
        )
    next_link = root.find(shape.next_page)
    if next_link is None or not next_link.attrs.get("href"):
        return entries, None
    return entries, urljoin(page_url, next_link.attrs["href"])


def find_pdf_link(html: str, page_url: str, selector: Selector) -> str | None:
    """The absolute URL of the first PDF link of a report's details page."""
    link = parse_html(html).find(selector)
    return urljoin(page_url, link.attrs["href"]) if link is not None and link.attrs.get("href") else None


def discover(
    family: str,
    month: str | None = None,
    *,
    config: AcquireConfig | None = None,
    client: httpx.Client | None = None,
) -> list[Candidate]:
    """The monthly issues a family's publisher lists, newest first, one per month.

    Parameters
    ----------
    family
        A key of `extractors.EXTRACTORS`.
    month
        Only this month (`YYYY-MM`); later listing pages are followed (up to
        `config.max_listing_pages`) until it or an older issue shows up. Without it, the
        issues on the first listing page.
    config
        Sources, timeouts, retries and what may be reached (defaults: `AcquireConfig()`).
    client
        An httpx client from `make_client(config)`, to share connections; one is made otherwise.

    Returns
    -------
    list[Candidate]
        Possibly empty (the month is not published yet). When a month is listed twice, the
        newest entry wins.

    Raises
    ------
    SourceError
        One line naming the family and URL: the listing is unreachable, answers an error, or has
        no entry of the shape we know (the site changed).
    AcquireError
        The family is not registered or has no web source.
    ValueError
        `month` is not `YYYY-MM`.
    """
    config = config or AcquireConfig()
    source = config.source(family)
    if month is not None:
        check_month(month)
    found: dict[str, Candidate] = {}
    url: str | None = source.listing_url
    seen: set[str] = set()
    with client_for(config, client) as http:
        for page in range(config.max_listing_pages):
            if url is None or url in seen:
                break
            seen.add(url)
            try:
                final_url, html = fetch_page(http, url, allowed_hosts=source.allowed_hosts, config=config)
            except AcquireError as exc:
                raise SourceError(f"{family}: listing {exc}") from None
            entries, url = parse_listing(html, final_url, source.listing)
            if not entries and page == 0:
                raise SourceError(
                    f"{family}: {final_url}: no entry shaped like `{source.listing.entry}` with a "
                    f"`{source.listing.title_link}` link on the listing page; has the site changed?"
                )
            months_on_page: list[str] = []
            for entry in entries:
                issue_month = source.issue_month(entry.title)
                if issue_month is None:
                    continue
                months_on_page.append(issue_month)
                if issue_month in found or month not in (None, issue_month):
                    continue
                found[issue_month] = Candidate(
                    family=family,
                    month=issue_month,
                    title=entry.title,
                    page_url=entry.link,
                    pdf_url=entry.pdf_link,
                    published=entry.date,
                )
            # Listings are sorted by publication date, so a corrected old issue can sit near the
            # top; only the page's last issue being older than the month means it is not further on.
            if month is None or month in found or (months_on_page and months_on_page[-1] < month):
                break
    return list(found.values())
