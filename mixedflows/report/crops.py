"""Crops of PDF pages around the figures a violation involves, with each figure boxed (pypdfium2 + Pillow)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import pypdfium2
from PIL import ImageDraw

#: Pixels per PDF point: 2x is sharp on a laptop screen and keeps a half-page crop under ~200 kB.
SCALE = 2.0
#: Points of page kept around the boxed figures, so the row and column labels that say what a
#: figure is (country names, the headline's caption) are in the crop too.
MARGIN = 36.0
#: Extra points added around a figure's box so the outline does not cover its digits.
BOX_PAD = 2.0
#: Red for the figures the rule read; orange for other printings of the same number on the page.
FIGURE_COLOUR = (214, 39, 40)
ECHO_COLOUR = (255, 127, 14)


@dataclasses.dataclass(frozen=True)
class Box:
    """A printed figure on a page: bbox in PDF points, origin top-left (pdfplumber's convention)."""

    page: int
    bbox: tuple[float, float, float, float]
    label: str
    echo: bool = False


def render_crop(pdf: Path, page: int, boxes: Sequence[Box], target: Path) -> Path:
    """Write a PNG of the page region around `boxes` (all on `page`, 1-based), each figure outlined.

    Raises
    ------
    ValueError
        When the PDF has no such page or no box lies on it.
    """
    on_page = [b for b in boxes if b.page == page]
    if not on_page:
        raise ValueError(f"{pdf.name}: no figure to show on page {page}")
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        if not 1 <= page <= len(document):
            raise ValueError(f"{pdf.name}: has {len(document)} pages, no page {page}")
        pdf_page = document[page - 1]
        width, height = pdf_page.get_size()
        x0 = max(0.0, min(b.bbox[0] for b in on_page) - MARGIN)
        top = max(0.0, min(b.bbox[1] for b in on_page) - MARGIN)
        x1 = min(width, max(b.bbox[2] for b in on_page) + MARGIN)
        bottom = min(height, max(b.bbox[3] for b in on_page) + MARGIN)
        # pdfium crops by the points to drop from each side: left, bottom, right, top.
        bitmap = pdf_page.render(scale=SCALE, crop=(x0, height - bottom, width - x1, top))
        image = bitmap.to_pil().convert("RGB")
    finally:
        document.close()
    draw = ImageDraw.Draw(image)
    for box in on_page:
        left, upper, right, lower = box.bbox
        outline = [
            (left - BOX_PAD - x0) * SCALE,
            (upper - BOX_PAD - top) * SCALE,
            (right + BOX_PAD - x0) * SCALE,
            (lower + BOX_PAD - top) * SCALE,
        ]
        draw.rectangle(outline, outline=ECHO_COLOUR if box.echo else FIGURE_COLOUR, width=3)
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target, format="PNG", optimize=True)
    return target


def printings(pdf: Path, page: int, text: str) -> list[tuple[float, float, float, float]]:
    """Every bbox on a page (1-based) where exactly `text` is printed as a word, e.g. a total's `1,017`.

    A headline figure is often printed again (a Total column, a map label); boxing those too lets a
    reviewer see at a glance whether the printings agree.
    """
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        if not 1 <= page <= len(document.pages):
            return []
        words = document.pages[page - 1].extract_words()
    return [(w["x0"], w["top"], w["x1"], w["bottom"]) for w in words if w["text"] == text]
