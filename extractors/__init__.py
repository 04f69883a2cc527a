"""Extractors for the report families mixedflows reads: one registry, one `extract(pdf_path)`."""

from __future__ import annotations

from .registry import EXTRACTORS, ExtractedReport, extract, recognise

__all__ = ["EXTRACTORS", "ExtractedReport", "extract", "recognise"]
