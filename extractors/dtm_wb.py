"""Extractor for the IOM DTM "Western Balkans — Mixed Migratory Flows Report" (monthly)."""

from __future__ import annotations

import re
from collections import Counter

from .document import Document
from .errors import AnchorNotFoundError
from .months import MONTH_NAME_PATTERN, month_number
from .spec import LayoutSpec, ReportSpec

# Phrases after which every issue prints its reporting month ("SNAPSHOT DECEMBER 2024",
# "NATIONALITIES OF ARRIVALS – JUNE 2023", "Mixed Migratory Flows Report (December 2024)").
_REPORT_MONTH_RE = re.compile(
    rf"(?:SNAPSHOT|NATIONALITIES\s+(?:ON|OF)\s+ARRIVALS?\s*(?:IN|[–-])|FACILITIES\s*[–-]|Flows\s+Report\s*\()"
    rf"\s*(?P<month>{MONTH_NAME_PATTERN})\s+(?P<year>\d{{4}})",
    re.I,
)


def report_month(document: Document) -> tuple[int, int]:
    """The month an issue covers, by majority of the places that print it."""
    text = " ".join(document.text.split())
    votes = Counter((int(m["year"]), month_number(m["month"])) for m in _REPORT_MONTH_RE.finditer(text))
    if not votes:
        raise AnchorNotFoundError(
            f"{document.name}: no reporting month found (looked for 'SNAPSHOT <Month YYYY>', "
            "'NATIONALITIES ON ARRIVAL IN <Month YYYY>', 'Flows Report (<Month YYYY>)')"
        )
    return votes.most_common(1)[0][0]


SPEC = ReportSpec(
    family="dtm_wb",
    publisher="IOM DTM",
    report_prefix="dtm-wb",
    title="IOM DTM Western Balkans — Mixed Migratory Flows Report",
    title_patterns=(r"\bDTM\s+Western\s+Balkans", r"Mixed\s+Migra(?:tory|tion)\s+Flows"),
    layouts=(
        LayoutSpec(version="v2024", signature=(r"REGISTRATIONS\s+ON\s+ARRIVAL",), sections=()),
        LayoutSpec(version="v2023", signature=(r"\bARRIVALS\s+IN\b", r"ARRIVALS\s+BY\s+COUNTRY"), sections=()),
    ),
    report_month=report_month,
)
