"""Text drawn twice (designers' fake bold) is read once, exactly as pdfplumber's own dedupe reads it."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors.document import Document, dedupe_chars
from tests.conftest import SAMPLE_PDFS


def fake_bold_pdf(target: Path) -> Path:
    """A page whose figures are drawn twice, the copy shifted by 0.3 pt, as fake bold is."""
    pdf = canvas.Canvas(str(target), pagesize=A4)
    for dx in (0.0, 0.3):
        pdf.drawString(72 + dx, 700, "Some 17,500 refugees and migrants")
        pdf.drawString(72 + dx, 680, ">60 Kosovo")
    pdf.drawString(72, 660, "drawn once: 99 99")
    pdf.save()
    return target


def test_text_drawn_twice_is_read_once(tmp_path: Path) -> None:
    """Doubled glyphs collapse to one word each; glyphs printed once (even twice in a row) stay."""
    document = Document.open(fake_bold_pdf(tmp_path / "bold.pdf"))
    texts = [w.text for w in document.pages[0].words]
    assert texts == ["Some", "17,500", "refugees", "and", "migrants", ">60", "Kosovo", "drawn", "once:", "99", "99"]


def test_same_chars_as_pdfplumber_dedupe_on_samples() -> None:
    """Our faster dedupe keeps exactly the chars pdfplumber's `dedupe_chars` keeps, in the same order."""
    # One sample per family: pdfplumber's own dedupe takes 0.4 s a page, too slow for all of them.
    for path in [next(p for p in SAMPLE_PDFS if p.parent.name == family) for family in ("dtm_wb", "unhcr_wb")]:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                theirs = page.dedupe_chars().chars
                ours = dedupe_chars(page).chars
                assert [(c["text"], c["x0"], c["top"]) for c in ours] == [
                    (c["text"], c["x0"], c["top"]) for c in theirs
                ]
