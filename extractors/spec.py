"""Declarative description of a report family: how it is recognised and which sections it prints."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

from schemas.indicators import INDICATORS

if TYPE_CHECKING:
    from .context import ReportContext
    from .document import Document
    from .facts import Fact

#: A section reader: finds its section in the document and returns the facts printed there.
SectionReader = Callable[["Document", "ReportContext"], "Sequence[Fact]"]


@dataclasses.dataclass(frozen=True)
class SectionSpec:
    """One part of a report (a headline box, a chart, a table) and the function that reads it.

    A required section that is missing is an error naming the section; an optional one
    (printed only in some issues) may yield no facts.
    """

    name: str
    read: SectionReader
    required: bool = True
    #: The headings the section is found by (the family's anchors: `extractors.layout.Anchor` or
    #: `extractors.layout.headings.HeadingAnchor`), as its reader looks for them.
    headings: tuple[Hashable, ...] = ()
    #: The indicators its facts may carry; their units come from the indicator catalogue.
    indicators: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.name):
            raise ValueError(f"section name {self.name!r} must be snake_case")
        unknown = [name for name in self.indicators if name not in INDICATORS]
        if unknown:
            raise ValueError(f"section {self.name!r} yields indicators the catalogue does not list: {unknown}")


@dataclasses.dataclass(frozen=True)
class LayoutSpec:
    """A layout version of a family: recognised when every `signature` pattern occurs in its text."""

    version: str
    signature: tuple[str, ...]
    sections: tuple[SectionSpec, ...]

    def __post_init__(self) -> None:
        if not self.signature:
            raise ValueError(f"layout {self.version!r} needs at least one signature pattern")
        for pattern in self.signature:
            re.compile(pattern)
        names = [s.name for s in self.sections]
        if len(names) != len(set(names)):
            raise ValueError(f"layout {self.version!r} repeats a section name: {names}")

    def matches(self, text: str) -> bool:
        return all(re.search(p, text, re.I | re.S) for p in self.signature)


@dataclasses.dataclass(frozen=True)
class ReportSpec:
    """A report family: its key, publisher, how its PDFs are recognised, and its layout versions."""

    family: str
    publisher: str
    report_prefix: str
    title: str
    title_patterns: tuple[str, ...]
    layouts: tuple[LayoutSpec, ...]
    report_month: Callable[[Document], tuple[int, int]]

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z]+_[a-z]+", self.family):
            raise ValueError(f"family key {self.family!r} must look like 'dtm_wb'")
        if self.report_prefix != self.family.replace("_", "-"):
            raise ValueError(f"report_prefix {self.report_prefix!r} must be the family key with '-'")
        if not self.layouts:
            raise ValueError(f"family {self.family!r} needs at least one layout")

    def recognises(self, text: str) -> bool:
        return any(re.search(p, text, re.I | re.S) for p in self.title_patterns)

    def layout_for(self, text: str) -> LayoutSpec | None:
        return next((layout for layout in self.layouts if layout.matches(text)), None)

    def report_id(self, year: int, month: int) -> str:
        return f"{self.report_prefix}-{year:04d}-{month:02d}"
