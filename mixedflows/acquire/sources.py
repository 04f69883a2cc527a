"""Where each report family is published, which hosts we may fetch from, and how an issue is recognised.

What we relied on about the publishers' sites (read from public scrapers of these pages and their
test fixtures while working on issue #4; none of it could be checked live from here):

IOM DTM (dtm.iom.int, a Drupal site)
  - Report search listing: `https://dtm.iom.int/reports?search=<words>&sort_by=field_published_date
    &sort_order=DESC`, newest first, 0-based `?page=N` pages (Drupal Views pager, `rel="next"` link).
  - Each result is a `div.report-item1` holding an `a.title` link to the report's own page
    (`/reports/<slug>`, a relative link), a `div.date` ("Jan 15, 2025 · Europe · ... ") and a
    `div.content` summary. The listing links no PDF.
  - A report page links its PDF through Drupal's file field: `span.file--mime-application-pdf > a`,
    and the file lives on the same host under `/sites/g/files/tmzbdl1461/files/reports/<name>.pdf`.
UNHCR Operational Data Portal (data.unhcr.org)
  - Document search: `https://data.unhcr.org/en/search?type%5B0%5D=document&sort=publishDate
    &direction=desc&...`, newest first (`type[0]`, `sort`, `direction` seen in use; the free-text
    parameter name `text` is our assumption).
  - Each result is an `li.searchResultItem`: `h2.searchResultItem_title > a` to
    `/en/documents/details/<id>`, an `a.searchResultItem_download_link` to
    `/en/documents/download/<id>` (absolute links), `span.searchResultItem_date` ("Publish date:
    <b>20 April 2022</b>"). The download link answers with the PDF itself (200, application/pdf);
    its file name (Content-Disposition) is not ours to trust, and nothing checks that the PDF
    behind a link is the report its title promises, so the extractor's recognition stays the check.
  - A details page links the same `/en/documents/download/<id>`.

If a site changes, a listing with no entry of the known shape is an error naming the shape we
looked for, never an empty month.
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

from extractors import EXTRACTORS
from extractors.months import MONTH_NAME_PATTERN, month_number
from mixedflows.acquire.errors import AcquireError
from mixedflows.acquire.html import Selector

# The last "<Month> <YYYY>" of a title is the month the issue covers: "(December 2024)",
# "as of end December 2024", "January-December 2024", "Dec 2024".
_TITLE_MONTH_RE = re.compile(rf"\b(?P<month>{MONTH_NAME_PATTERN})\b\.?[\s,\-–—/]*(?P<year>(?:19|20)\d\d)\b", re.I)


@dataclasses.dataclass(frozen=True)
class ListingShape:
    """How the entries of a listing page look: the entry, its title link, date, direct PDF link, next page."""

    entry: Selector
    title_link: Selector
    date: Selector | None
    pdf_link: Selector | None
    next_page: Selector


@dataclasses.dataclass(frozen=True)
class Source:
    """A family's listing page, the hosts we may fetch from, and how its monthly issues are recognised.

    An entry is an issue of the family when its title matches every `title_patterns` entry and no
    `exclude_patterns` entry, and names a month.
    """

    family: str
    listing_url: str
    allowed_hosts: frozenset[str]
    title_patterns: tuple[str, ...]
    exclude_patterns: tuple[str, ...]
    listing: ListingShape
    details_pdf_link: Selector

    def __post_init__(self) -> None:
        host = urlsplit(self.listing_url).hostname
        if host not in self.allowed_hosts:
            allowed = ", ".join(sorted(self.allowed_hosts))
            raise ValueError(f"{self.family}: listing host {host!r} is not on its own allowlist ({allowed})")
        for pattern in self.title_patterns + self.exclude_patterns:
            re.compile(pattern)

    def issue_month(self, title: str) -> str | None:
        """`YYYY-MM` of the monthly issue a listing title announces, or None when it is not one."""
        if not all(re.search(p, title, re.I) for p in self.title_patterns):
            return None
        if any(re.search(p, title, re.I) for p in self.exclude_patterns):
            return None
        matches = list(_TITLE_MONTH_RE.finditer(title))
        if not matches:
            return None
        last = matches[-1]
        return f"{int(last['year']):04d}-{month_number(last['month']):02d}"

    def with_listing_url(self, url: str) -> Source:
        """The same source read from another listing (a mirror, a test site); only its host is allowed."""
        host = urlsplit(url).hostname
        if not host:
            raise ValueError(f"{self.family}: {url!r} is not an absolute URL")
        return dataclasses.replace(self, listing_url=url, allowed_hosts=frozenset({host.lower()}))


DTM_WB = Source(
    family="dtm_wb",
    listing_url=(
        "https://dtm.iom.int/reports?search=Western%20Balkans%20Mixed%20Migratory%20Flows"
        "&sort_by=field_published_date&sort_order=DESC"
    ),
    allowed_hosts=frozenset({"dtm.iom.int"}),
    title_patterns=(r"\bWestern\s+Balkans\b", r"\bMixed\s+Migra(?:tory|tion)\s+Flows\b"),
    exclude_patterns=(r"\bannual\b", r"\bquarterly\b", r"\bQ[1-4]\b", r"\bflow\s+monitoring\s+surveys?\b"),
    listing=ListingShape(
        entry=Selector("div", "report-item1"),
        title_link=Selector("a", "title"),
        date=Selector("div", "date"),
        pdf_link=None,
        next_page=Selector("a", rel="next"),
    ),
    details_pdf_link=Selector("a", within=Selector("span", "file--mime-application-pdf")),
)

UNHCR_WB = Source(
    family="unhcr_wb",
    listing_url=(
        "https://data.unhcr.org/en/search?type%5B0%5D=document"
        "&text=Western%20Balkans%20mixed%20movements&sort=publishDate&direction=desc"
    ),
    allowed_hosts=frozenset({"data.unhcr.org"}),
    title_patterns=(r"\bWestern\s+Balkans\b", r"\bmixed\s+movements?\b"),
    exclude_patterns=(r"\bannual\b", r"\bquarterly\b", r"\bQ[1-4]\b", r"\bdashboard\b"),
    listing=ListingShape(
        entry=Selector("li", "searchResultItem"),
        title_link=Selector("a", within=Selector("h2", "searchResultItem_title")),
        date=Selector("span", "searchResultItem_date"),
        pdf_link=Selector("a", "searchResultItem_download_link", href=r"/documents/download/\d+"),
        next_page=Selector("a", rel="next"),
    ),
    details_pdf_link=Selector("a", href=r"/documents/download/\d+"),
)

#: The web source of each family, by the family key of `extractors.EXTRACTORS`.
SOURCES: dict[str, Source] = {source.family: source for source in (DTM_WB, UNHCR_WB)}


def check_family(family: str) -> str:
    """The family key itself, or an error naming the known ones (from the extractor registry)."""
    if family not in EXTRACTORS:
        raise AcquireError(f"unknown report family {family!r} (known: {', '.join(EXTRACTORS)})")
    return family
