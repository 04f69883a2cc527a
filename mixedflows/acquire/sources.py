"""Where each report family is published, which hosts we may fetch from, and how an issue is recognised.

Each family declares its `Source` in its folder (`extractors/families/<family>/source.py`): its listing
URL, its hosts, the selectors of its entries, and what we relied on about that publisher's site.

If a site changes, a listing with no entry of the known shape is an error naming the shape we
looked for, never an empty month.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from urllib.parse import urlsplit

from extractors import EXTRACTORS
from extractors.months import MONTH_NAME_PATTERN, month_number
from extractors.registry import FAMILIES, family_module
from mixedflows.acquire.errors import AcquireError
from mixedflows.acquire.html import Selector

# The last "<Month> <YYYY>" of a title is the month the issue covers: "(December 2024)",
# "as of end December 2024", "January-December 2024", "Dec 2024".
_TITLE_MONTH_RE = re.compile(rf"\b(?P<month>{MONTH_NAME_PATTERN})\b\.?[\s,\-–—/]*(?P<year>(?:19|20)\d\d)\b", re.I)


#: Titles of issues that are not the monthly report (yearly and quarterly round-ups), whatever the family.
NOT_MONTHLY: tuple[str, ...] = (r"\bannual\b", r"\bquarterly\b", r"\bQ[1-4]\b")


@dataclasses.dataclass(frozen=True)
class ListingShape:
    """How the entries of a listing page look: the entry, its title link, date, direct PDF link, next page."""

    entry: Selector
    title_link: Selector
    date: Selector | None
    pdf_link: Selector | None
    #: Both publishers' pagers mark the next page with `rel="next"`.
    next_page: Selector = Selector("a", rel="next")


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


class _FamilySources(Mapping[str, Source]):
    """The web source of each family, read from its folder (`extractors/families/<family>/source.py`).

    Loaded on first use: a family's source module imports this one (for `Source`), so it cannot be
    imported while this module is.
    """

    def __init__(self) -> None:
        self._loaded: dict[str, Source] | None = None

    def _sources(self) -> dict[str, Source]:
        if self._loaded is None:
            loaded = {family: family_module(family, "source").SOURCE for family in FAMILIES}
            for family, source in loaded.items():
                if source.family != family:
                    raise ValueError(f"extractors/families/{family}/source.py declares family {source.family!r}")
            self._loaded = loaded
        return self._loaded

    def __getitem__(self, family: str) -> Source:
        return self._sources()[family]

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources())

    def __len__(self) -> int:
        return len(self._sources())


#: The web source of each family, by the family key of `extractors.EXTRACTORS`.
SOURCES: Mapping[str, Source] = _FamilySources()


def check_family(family: str) -> str:
    """The family key itself, or an error naming the known ones (from the extractor registry)."""
    if family not in EXTRACTORS:
        raise AcquireError(f"unknown report family {family!r} (known: {', '.join(EXTRACTORS)})")
    return family
