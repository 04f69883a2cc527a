"""What a section reader knows about the issue it reads, and the one way it builds facts."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from schemas.indicators import INDICATORS

from .document import Word, union_bbox
from .facts import Fact
from .numbers import PrintedNumber, parse_number


@dataclasses.dataclass(frozen=True)
class SectionProblem:
    """A section, or one label in it, that could not be read: what a reviewer needs to fix it.

    `rule` is `unreadable_section` or `unknown_label`; `page` (1-based), `bbox` (PDF points, top-left
    origin) and `printed` (the text as printed) locate it for the crop in the run report.
    """

    rule: str
    section: str
    detail: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    printed: str | None = None

    @classmethod
    def from_error(cls, section: str, error: Exception) -> SectionProblem:
        return cls(
            rule=getattr(error, "rule", "unreadable_section"),
            section=section,
            detail=str(error),
            page=getattr(error, "page", None),
            bbox=getattr(error, "bbox", None),
            printed=getattr(error, "printed", None),
        )


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
    #: The section being read (set by `read_document` for each section reader).
    section: str = ""
    #: Problems recorded while reading, shared by every section's context (see `problem`).
    problems: list[SectionProblem] = dataclasses.field(default_factory=list, compare=False, repr=False)

    def problem(self, rule: str, detail: str, words: Iterable[Word] = (), *, printed: str | None = None) -> None:
        """Record that part of the current section could not be read, and read on.

        Use it for one row or label (an `unknown_label`): the rest of the section is still returned,
        and the report is held in quarantine until a person fixes the config and re-runs.
        """
        words = list(words)
        self.problems.append(
            SectionProblem(
                rule=rule,
                section=self.section,
                detail=f"{self.file_name} ({self.report_id}): {detail}",
                page=words[0].page if words else None,
                bbox=union_bbox(words) if words else None,
                printed=printed if printed is not None else (" ".join(w.text for w in words) or None),
            )
        )

    @property
    def report_month(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def fact(
        self,
        indicator: str,
        geo: str,
        period: tuple[dt.date, dt.date],
        value: float | None,
        words: Iterable[Word],
        method: str,
        *,
        breakdown: str | None = None,
        rank: int | None = None,
        qualifier: str | None = None,
        arrow: str | None = None,
        repeat: bool = False,
    ) -> Fact:
        """A fact located at `words` (its page and bbox are theirs), in the unit the catalogue gives its indicator.

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
            unit=unit_of(indicator),
            qualifier=qualifier,
            page=words[0].page,
            bbox=union_bbox(words),
            method=method,
            pdf_sha256=self.pdf_sha256,
            source_url=self.source_url,
            arrow=arrow,
            repeat=repeat,
        )


def unit_of(indicator: str) -> str:
    """The unit of an indicator, from the indicator catalogue (`schemas/indicators.py`); readers never write it."""
    return INDICATORS[indicator].unit


def number_of(words: Iterable[Word]) -> PrintedNumber:
    """Parse the figure printed by consecutive words (`-`, `33%` -> -33 percent)."""
    return parse_number(" ".join(w.text for w in words))
