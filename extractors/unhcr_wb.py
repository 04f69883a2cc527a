"""Extractor for UNHCR's "Western Balkans — Refugees, asylum-seekers and other people in mixed movements"."""

from __future__ import annotations

import re
from collections import Counter

from .document import Document
from .errors import AnchorNotFoundError
from .months import MONTH_NAME_PATTERN, month_number
from .spec import LayoutSpec, ReportSpec

# "as of end June 2023", "as of end December 2024", "New arrivals: January-December 2024".
_REPORT_MONTH_RE = re.compile(
    rf"(?:as\s+of\s+(?:the\s+)?end\s+(?:of\s+)?|January\s*[-–]\s*)(?P<month>{MONTH_NAME_PATTERN})\s+(?P<year>\d{{4}})",
    re.I,
)


def report_month(document: Document) -> tuple[int, int]:
    """The month a snapshot covers, by majority of the places that print it."""
    text = " ".join(document.text.split())
    votes = Counter((int(m["year"]), month_number(m["month"])) for m in _REPORT_MONTH_RE.finditer(text))
    if not votes:
        raise AnchorNotFoundError(
            f"{document.name}: no reporting month found (looked for 'as of end <Month YYYY>' "
            "and 'January-<Month> YYYY')"
        )
    return votes.most_common(1)[0][0]


SPEC = ReportSpec(
    family="unhcr_wb",
    publisher="UNHCR",
    report_prefix="unhcr-wb",
    title="UNHCR Western Balkans — Refugees, asylum-seekers and other people in mixed movements",
    title_patterns=(r"\bmixed\s+movements\b",),
    layouts=(
        LayoutSpec(version="v2024", signature=(r"Key\s+figures\s+at\s+Regional\s+level",), sections=()),
        LayoutSpec(version="v2023", signature=(r"Key\s+figures", r"New\s+arrivals\s+by\s+country"), sections=()),
    ),
    report_month=report_month,
)
