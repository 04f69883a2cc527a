"""Discovery: the HTML parser, the imitation listing pages, issue recognition, paging and listing faults."""

from __future__ import annotations

import string

import pytest

from extractors import EXTRACTORS
from mixedflows.acquire import SOURCES, AcquireError, SourceError, discover
from mixedflows.acquire.discover import find_pdf_link, parse_listing
from mixedflows.acquire.html import Selector, parse_html
from tests.support.acquire_site import (  # noqa: F401 (the *_fixture names are fixtures)
    DTM_LISTING,
    DTM_LISTING_2,
    SITES,
    UNHCR_LISTING,
    Reply,
    Site,
    closed_port,
    loopback_only_fixture,
    serve_western_balkans,
    site_config,
    site_fixture,
)


def fixture_page(name: str, origin: str) -> str:
    return string.Template((SITES / name).read_text(encoding="utf-8")).substitute(
        origin=origin, title="A report", pdf_path="/files/reports/a.pdf", doc_id="42"
    )


def test_every_registered_family_has_a_web_source() -> None:
    """Each family of the extractor registry has a source whose listing is https on its own allowlist."""
    assert set(SOURCES) == set(EXTRACTORS)
    for family, source in SOURCES.items():
        assert source.family == family
        assert source.listing_url.startswith("https://")


def test_parser_copes_with_unclosed_and_stray_tags_and_ignores_script_text() -> None:
    """Unclosed <li>, stray end tags and markup inside <script> do not derail the element tree."""
    root = parse_html(
        "<ul><li class='x'>one<li class='x'>two</span></ul>"
        "<script>var s = \"<li class='x'>fake</li>\";</script><p>para<br>after"
    )
    items = root.find_all(Selector("li", "x"))
    assert [item.text for item in items] == ["one", "two"]
    assert root.find(Selector("p")).text == "para after"


def test_dtm_listing_fixture_gives_entries_with_absolute_links_and_a_next_page() -> None:
    """The DTM search page yields every `div.report-item1`, relative links resolved, and the pager's next link."""
    listing = "https://dtm.iom.int/reports?search=Western%20Balkans&sort_order=DESC"
    entries, next_url = parse_listing(fixture_page("dtm/listing-1.html", "unused"), listing, SOURCES["dtm_wb"].listing)
    assert len(entries) == 7
    first = entries[0]
    assert first.title == "Western Balkans — Mixed Migratory Flows Report (December 2024)"
    assert first.link == "https://dtm.iom.int/reports/western-balkans-mixed-migratory-flows-report-december-2024"
    assert first.pdf_link is None
    assert first.date.startswith("Jan 20, 2025")
    assert entries[2].title == "Western Balkans — Mixed Migratory Flows Report (November 2024)"  # &mdash; decoded
    assert next_url == (
        "https://dtm.iom.int/reports?search=Western%20Balkans&sort_by=field_published_date&sort_order=DESC&page=1"
    )


def test_dtm_report_page_pdf_link_is_the_file_field_not_a_related_report() -> None:
    """The PDF link is read from Drupal's file field, even when a related report's PDF comes first."""
    html = fixture_page("dtm/report.html", "unused")
    link = find_pdf_link(html, "https://dtm.iom.int/reports/x", SOURCES["dtm_wb"].details_pdf_link)
    assert link == "https://dtm.iom.int/files/reports/a.pdf"


def test_unhcr_search_fixture_gives_details_and_download_links() -> None:
    """The UNHCR search page yields each `li.searchResultItem` with its details link and direct download link."""
    origin = "https://data.unhcr.org"
    entries, next_url = parse_listing(
        fixture_page("unhcr/search.html", origin),
        origin + "/en/search?type%5B0%5D=document",
        SOURCES["unhcr_wb"].listing,
    )
    assert len(entries) == 7
    assert entries[0].link == "https://data.unhcr.org/en/documents/details/113412"
    assert entries[0].pdf_link == "https://data.unhcr.org/en/documents/download/113412"
    assert entries[0].date.startswith("Publish date: 3 February 2025")
    assert next_url is None
    details = fixture_page("unhcr/details.html", origin)
    link = find_pdf_link(details, origin + "/en/documents/details/42", SOURCES["unhcr_wb"].details_pdf_link)
    assert link == "https://data.unhcr.org/en/documents/download/42"


@pytest.mark.parametrize(
    ("family", "title", "month"),
    [
        ("dtm_wb", "Western Balkans — Mixed Migratory Flows Report (December 2024)", "2024-12"),
        ("dtm_wb", "Western Balkans - Mixed Migration Flows - Monthly Overview (June 2023)", "2023-06"),
        ("dtm_wb", "WESTERN BALKANS MIXED MIGRATORY FLOWS REPORT SEPT 2024", "2024-09"),
        ("dtm_wb", "Western Balkans — Mixed Migration Flows Annual Overview (January – December 2024)", None),
        ("dtm_wb", "Western Balkans — Mixed Migration Flows Q3 2024", None),
        ("dtm_wb", "Türkiye — Migrant Presence Monitoring (December 2024)", None),
        ("dtm_wb", "Western Balkans — Mixed Migratory Flows Report", None),
        (
            "unhcr_wb",
            "Western Balkans - Refugees, asylum-seekers and other people in mixed movements as of end December 2024",
            "2024-12",
        ),
        ("unhcr_wb", "Western Balkans — mixed movements, January-November 2024", "2024-11"),
        ("unhcr_wb", "Serbia - Asylum snapshot December 2024", None),
        ("unhcr_wb", "Western Balkans mixed movements dashboard December 2024", None),
    ],
)
def test_issue_month_is_read_from_the_title(family: str, title: str, month: str | None) -> None:
    """A monthly issue's title gives its month; other reports of the same search give None."""
    assert SOURCES[family].issue_month(title) == month


def test_discover_lists_each_month_once_newest_first(site: Site) -> None:
    """The first listing page gives the family's monthly issues only, newest first, with details or PDF links."""
    serve_western_balkans(site)
    config = site_config(site)
    dtm = discover("dtm_wb", config=config)
    assert [c.month for c in dtm] == ["2024-12", "2024-11", "2024-10", "2024-09", "2024-08"]
    assert all(c.pdf_url is None and c.page_url.startswith(site.origin + "/reports/") for c in dtm)
    unhcr = discover("unhcr_wb", config=config)
    assert [c.month for c in unhcr] == ["2024-12", "2024-11", "2024-10", "2024-09", "2024-08", "2023-06"]
    assert unhcr[0].pdf_url == site.origin + "/en/documents/download/113412"
    assert site.hits(DTM_LISTING_2) == []


def test_discover_follows_the_pager_to_an_older_month(site: Site) -> None:
    """A month not on the first page is found on the next one, and paging stops there."""
    serve_western_balkans(site)
    found = discover("dtm_wb", "2023-06", config=site_config(site))
    assert [(c.month, c.title) for c in found] == [
        ("2023-06", "Western Balkans — Mixed Migration Flows — Monthly Overview (June 2023)")
    ]
    assert len(site.hits(DTM_LISTING)) == 1 and len(site.hits(DTM_LISTING_2)) == 1


def test_discover_does_not_page_past_older_issues(site: Site) -> None:
    """A month newer than every listed issue is not published yet: one page read, nothing found."""
    serve_western_balkans(site)
    assert discover("dtm_wb", "2025-01", config=site_config(site)) == []
    assert site.hits(DTM_LISTING_2) == []


def dtm_listing(titles: list[str], next_href: str | None = None) -> bytes:
    """A DTM search page with these titles, shaped like dtm/listing-1.html."""
    items = "".join(
        f"<div class='report-item1'><a class='title' href='/reports/{n}'>{t}</a><div class='date'>-</div></div>"
        for n, t in enumerate(titles)
    )
    pager = f"<a rel='next' href='{next_href}'>next</a>" if next_href else ""
    return f"<html><body><div class='view-content'>{items}</div>{pager}</body></html>".encode()


def test_a_corrected_old_issue_near_the_top_does_not_stop_the_paging(site: Site) -> None:
    """A re-published old issue listed first (by publication date) does not hide a month on the next page."""
    title = "Western Balkans — Mixed Migratory Flows Report ({})"
    first = [title.format("December 2024"), title.format("January 2023"), title.format("November 2024")]
    site.route(DTM_LISTING, Reply(body=dtm_listing(first, next_href="/dtm/reports?page=1")))
    site.route("/dtm/reports?page=1", Reply(body=dtm_listing([title.format("June 2024")])))
    found = discover("dtm_wb", "2024-06", config=site_config(site))
    assert [c.month for c in found] == ["2024-06"]


def test_a_listing_without_known_entries_is_an_error_not_an_empty_month(site: Site) -> None:
    """When the site's markup changes, discovery says which shape it looked for instead of finding nothing."""
    site.route(
        DTM_LISTING, Reply(body=b"<html><body><div class='teaser'><a href='/r/1'>New design</a></div></body></html>")
    )
    with pytest.raises(SourceError, match=r"^dtm_wb: .*no entry shaped like `div\.report-item1`.*site changed"):
        discover("dtm_wb", config=site_config(site))


def test_a_listing_answering_500_is_retried_then_one_line(site: Site) -> None:
    """A listing that keeps failing is retried `attempts` times, then fails with one line naming it."""
    site.route(UNHCR_LISTING, Reply(503, b"maintenance"))
    config = site_config(site)
    with pytest.raises(SourceError) as failure:
        discover("unhcr_wb", config=config)
    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith(f"unhcr_wb: listing {site.origin + UNHCR_LISTING}: HTTP 503")
    assert message.endswith(f"(after {config.attempts} attempts)")
    assert len(site.hits(UNHCR_LISTING)) == config.attempts


def test_an_unreachable_listing_is_one_line(site: Site) -> None:
    """A listing nobody answers at fails at once (a refusal is not retried), one line naming the URL."""
    url = f"http://127.0.0.1:{closed_port()}/reports"
    config = site_config(site, sources={"dtm_wb": SOURCES["dtm_wb"].with_listing_url(url)})
    with pytest.raises(SourceError, match=rf"^dtm_wb: listing {url}: connection failed .*refused.*\(not retried\)$"):
        discover("dtm_wb", config=config)


def test_unknown_family_names_the_known_ones() -> None:
    """A family key that is not in the extractor registry is refused, listing the registered ones."""
    with pytest.raises(AcquireError, match=r"unknown report family 'dtm'.*known: dtm_wb, unhcr_wb"):
        discover("dtm")
