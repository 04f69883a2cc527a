"""Where the UNHCR issues are published and how a listing entry is recognised as one (for `mixedflows.acquire`).

What we relied on about the publisher's site (read from public scrapers of these pages and their test
fixtures while working on issue #4; none of it could be checked live from here):

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
"""

from __future__ import annotations

from mixedflows.acquire.html import Selector
from mixedflows.acquire.sources import NOT_MONTHLY, ListingShape, Source

SOURCE = Source(
    family="unhcr_wb",
    listing_url=(
        "https://data.unhcr.org/en/search?type%5B0%5D=document"
        "&text=Western%20Balkans%20mixed%20movements&sort=publishDate&direction=desc"
    ),
    allowed_hosts=frozenset({"data.unhcr.org"}),
    title_patterns=(r"\bWestern\s+Balkans\b", r"\bmixed\s+movements?\b"),
    exclude_patterns=(*NOT_MONTHLY, r"\bdashboard\b"),
    listing=ListingShape(
        entry=Selector("li", "searchResultItem"),
        title_link=Selector("a", within=Selector("h2", "searchResultItem_title")),
        date=Selector("span", "searchResultItem_date"),
        pdf_link=Selector("a", "searchResultItem_download_link", href=r"/documents/download/\d+"),
    ),
    details_pdf_link=Selector("a", href=r"/documents/download/\d+"),
)
