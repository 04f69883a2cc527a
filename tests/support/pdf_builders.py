"""Builders of bad or foreign PDFs for tests: scans, encrypted copies, other documents, truncations."""

from __future__ import annotations

from pathlib import Path

import pypdfium2
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def scanned_copy(source: Path, target: Path) -> Path:
    """An image-only PDF of the first page of `source`: what a scanner produces (no text layer)."""
    document = pypdfium2.PdfDocument(str(source))
    image = document[0].render(scale=1).to_pil().convert("RGB")
    document.close()
    image.save(target, "PDF", resolution=72.0)
    return target


def encrypted_copy(source: Path, target: Path, password: str = "secret") -> Path:
    """`source` encrypted with a user password, so it cannot be opened without it."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def text_pdf(target: Path, lines: list[str]) -> Path:
    """A one-page PDF with a real text layer: the given lines, top to bottom."""
    pdf = canvas.Canvas(str(target), pagesize=A4)
    y = A4[1] - 72
    for line in lines:
        pdf.drawString(72, y, line)
        y -= 16
    pdf.save()
    return target


def truncated_copy(source: Path, target: Path, fraction: float = 0.5) -> Path:
    """The first part of `source`'s bytes, as an interrupted download leaves it."""
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * fraction)])
    return target
