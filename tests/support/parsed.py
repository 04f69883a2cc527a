"""Each PDF parsed once per test session: the shipped (synthetic) samples and the seeded variant cases.

Several suites read the same PDFs: the samples against their truth, their goldens and their pages, in
validation and in the readers' edit tests; each variant case against its truth and against its planted
errors. They ask here, and only the first one parses. What is returned is shared, never to be changed in
place: a test that edits a document edits a copy (`tests.support.words.edit_pages` makes one).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from extractors import extract
from extractors.document import Document
from extractors.registry import ExtractedReport
from tests.variants import VariantCase, render_case


@cache
def document(pdf: Path) -> Document:
    """`pdf` parsed into pages of words (lines and regions are cached on its pages as they are asked for)."""
    return Document.open(pdf)


@cache
def report(pdf: Path) -> ExtractedReport:
    """What `extract(pdf)` reads (strict: the first problem raises, as it would for the caller)."""
    return extract(pdf)


@cache
def _variants_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="mixedflows-variants-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@cache
def variant(case: VariantCase) -> tuple[Path, dict[str, Any]]:
    """A seeded case drawn once (as `render_case` draws it) into a folder of its own: its PDF and truth."""
    return render_case(case, _variants_dir() / case.name)


def variant_report(case: VariantCase) -> ExtractedReport:
    """What `extract` reads from a seeded case's PDF."""
    return report(variant(case)[0])
