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
