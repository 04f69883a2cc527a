"""Errors raised while reading a report; each message names the file and what is wrong."""

from __future__ import annotations


class ExtractionError(ValueError):
    """Base of every error an extractor raises for a file it cannot read completely."""


class UnreadablePdfError(ExtractionError):
    """The file is not a PDF we can open: missing, empty, truncated, HTML, encrypted."""


class NoTextLayerError(ExtractionError):
    """The PDF has pages but no extractable text (a scan, or text drawn as outlines)."""


class UnknownReportError(ExtractionError):
    """The PDF opens but is not an issue of any registered report family or layout."""


class AnchorNotFoundError(ExtractionError):
    """A section every issue of this layout prints could not be found."""


class LayoutChangedError(ExtractionError):
    """A section was found but its shape differs from what the layout promises."""


class SectionUnreadableError(ExtractionError):
    """One section (or one label in it) could not be read; the other sections of the report still are.

    Raised by a section reader; `read_document` turns it into a `SectionProblem` and reads on.
    `page`, `bbox` and `printed` locate what the reviewer must look at (the crop in the run report).
    """

    rule = "unreadable_section"

    def __init__(
        self,
        message: str,
        *,
        page: int | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        printed: str | None = None,
    ) -> None:
        super().__init__(message)
        self.page = page
        self.bbox = bbox
        self.printed = printed


class UnknownLabelError(SectionUnreadableError):
    """A printed place or nationality no resolver knows: its figures are never published under a guess."""

    rule = "unknown_label"
