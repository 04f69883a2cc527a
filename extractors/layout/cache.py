"""What the readers compute about a page once (its plain lines, segments, headings, panels), kept with the page.

Every section of a report looks for its heading on every page; the lines, segments and headings of a
page are the same for all of them. Entries go when the page does (weak keys), so reading many reports
in one process never holds their pages.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ..document import Page

T = TypeVar("T")

_PER_PAGE: weakref.WeakKeyDictionary[Page, dict[Hashable, Any]] = weakref.WeakKeyDictionary()


def once_per_page(page: Page, key: Hashable, compute: Callable[[], T]) -> T:
    """What `compute()` returns for `page` and `key`, computed the first time it is asked for."""
    cached = _PER_PAGE.setdefault(page, {})
    if key not in cached:
        cached[key] = compute()
    return cached[key]
