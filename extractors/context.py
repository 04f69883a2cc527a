"""What a section reader knows about the issue it reads, and the one way it builds facts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from .document import Word, union_bbox
from .facts import Fact
from .numbers import PrintedNumber, parse_number


@dataclasses.dataclass(frozen=True)
class ReportContext:
    """The issue being read: its id, publisher, reporting month and source file."""

    report_id: str
    publisher: str
    year: int
    month: int
    pdf_sha256: str
    source_url: str | None = None
    file_name: str = ""

    @property
    def report_month(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def fact(
        self,
        indicator: str,
        geo: str,
        period: tuple[dt.date, dt.date],
        value: float | None,
        unit: str,
        words: Iterable[Word],
        method: str,
        *,
        breakdown: str | None = None,
        rank: int | None = None,
        qualifier: str | None = None,
        arrow: str | None = None,
        repeat: bool = False,
    ) -> Fact:
        """A fact located at `words` (its page and bbox are theirs).

        `arrow` is the arrow printed beside a change; `repeat` marks a second printing of a figure
        read elsewhere in the report (both go to validation, not to the published facts).
        """
        words = list(words)
        if not words:
            raise ValueError(f"{self.file_name}: {indicator} {geo} has no printed words to locate it")
        return Fact(
            report_id=self.report_id,
            publisher=self.publisher,
            report_month=self.report_month,
            indicator=indicator,
            geo=geo,
            period_start=period[0],
            period_end=period[1],
            breakdown=breakdown,
            rank=rank,
            value=value,
            unit=unit,
            qualifier=qualifier,
            page=words[0].page,
            bbox=union_bbox(words),
            method=method,
            pdf_sha256=self.pdf_sha256,
            source_url=self.source_url,
            arrow=arrow,
            repeat=repeat,
        )


def number_of(words: Iterable[Word]) -> PrintedNumber:
    """Parse the figure printed by consecutive words (`-`, `33%` -> -33 percent)."""
    return parse_number(" ".join(w.text for w in words))
