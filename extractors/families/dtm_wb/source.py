"""Where the IOM DTM issues are published and how a listing entry is recognised as one (for `mixedflows.acquire`).

What we relied on about the publisher's site (read from public scrapers of these pages and their test
fixtures while working on issue #4; none of it could be checked live from here):

IOM DTM (dtm.iom.int, a Drupal site)
  - Report search listing: `https://dtm.iom.int/reports?search=<words>&sort_by=field_published_date
    &sort_order=DESC`, newest first, 0-based `?page=N` pages (Drupal Views pager, `rel="next"` link).
  - Each result is a `div.report-item1` holding an `a.title` link to the report's own page
    (`/reports/<slug>`, a relative link), a `div.date` ("Jan 15, 2025 · Europe · ... ") and a
    `div.content` summary. The listing links no PDF.
  - A report page links its PDF through Drupal's file field: `span.file--mime-application-pdf > a`,
    and the file lives on the same host under `/sites/g/files/tmzbdl1461/files/reports/<name>.pdf`.
"""

from __future__ import annotations

from mixedflows.acquire.html import Selector
from mixedflows.acquire.sources import NOT_MONTHLY, ListingShape, Source

SOURCE = Source(
    family="dtm_wb",
    listing_url=(
        "https://dtm.iom.int/reports?search=Western%20Balkans%20Mixed%20Migratory%20Flows"
        "&sort_by=field_published_date&sort_order=DESC"
    ),
    allowed_hosts=frozenset({"dtm.iom.int"}),
    title_patterns=(r"\bWestern\s+Balkans\b", r"\bMixed\s+Migra(?:tory|tion)\s+Flows\b"),
    exclude_patterns=(*NOT_MONTHLY, r"\bflow\s+monitoring\s+surveys?\b"),
    listing=ListingShape(
        entry=Selector("div", "report-item1"),
        title_link=Selector("a", "title"),
        date=Selector("div", "date"),
        pdf_link=None,
    ),
    details_pdf_link=Selector("a", within=Selector("span", "file--mime-application-pdf")),
)
