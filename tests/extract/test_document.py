"""The shared document layer: one parse per page, doubled glyphs removed, footnote marks flagged."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from extractors.document import dedupe_chars, group_lines
from tests.conftest import SAMPLE_PDFS, TESTS, sample_id
from tests.support import parsed


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=sample_id)
def test_dedupe_keeps_what_pdfplumber_dedupe_keeps(pdf: Path) -> None:
    """Our fast dedupe keeps exactly the chars, in the order, that pdfplumber's dedupe_chars keeps."""
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            expected = pdfplumber.utils.text.dedupe_chars(page.chars)
            assert [id(c) for c in dedupe_chars(page).chars] == [id(c) for c in expected]


def test_fake_bold_is_read_once() -> None:
    """A sample drawn with fake bold (every glyph twice) reads its figures once: '5,105', not '5,1055,105'."""
    document = parsed.document(TESTS / "pdfs" / "dtm_wb" / "2024-10.pdf")
    texts = {w.text for w in document.pages[0].words}
    assert "5,105" in texts
    assert not any(t.startswith("5,1055") for t in texts)


def test_footnote_marks_are_flagged_and_kept_out_of_line_text() -> None:
    """Raised footnote marks ('ARRIVAL' + small '1,2') are flagged and left out of the line's text."""
    document = parsed.document(TESTS / "pdfs" / "dtm_wb" / "2024-12.pdf")
    page = document.pages[0]
    marks = [w.text for w in page.words if w.superscript]
    assert "1,2" in marks
    heading = page.find(r"^REGISTRATIONS ON ARRIVAL$")
    assert heading, "the section heading reads without its footnote mark"
    assert all(not w.superscript for w in heading[0].words)


def test_figures_are_not_mistaken_for_marks() -> None:
    """Table figures of the same size as their neighbours are never flagged as footnote marks."""
    document = parsed.document(TESTS / "pdfs" / "dtm_wb" / "2024-12.pdf")
    figures = {w.text for w in document.pages[3].words if not w.superscript}
    assert {"1,017", "13,259", "31,155"} <= figures


def test_lines_split_by_region() -> None:
    """Words of one region group into lines without the neighbouring column's words."""
    document = parsed.document(TESTS / "pdfs" / "dtm_wb" / "2024-12.pdf")
    page = document.pages[0]
    whole = page.find(r"COMPARED TO")
    assert whole
    left_column = page.lines_in(x1=whole[0].x0 - 1)
    assert all("COMPARED" not in line.text for line in left_column)
    assert group_lines([]) == []


def _word(text: str, x0: float = 100.0, advance: float = 5.0) -> dict:
    chars = [{"text": ch, "x0": x0 + i * advance, "x1": x0 + (i + 1) * advance, "top": 10.0, "bottom": 18.0}
             for i, ch in enumerate(text)]  # fmt: skip
    return {"text": text, "x0": x0, "x1": x0 + len(text) * advance, "top": 10.0, "bottom": 18.0, "size": 8.0,
            "chars": chars}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("January-DecemberJanuary-December", ["January-December", "January-December"]),
        ("(S/RES/1244Montenegro", ["(S/RES/1244", "Montenegro"]),
        ("Herzegovina(UNSCR", ["Herzegovina", "(UNSCR"]),
        ("BiH", ["BiH"]),
        ("McKenzie", ["McKenzie"]),
        ("1,017", ["1,017"]),
        ("Syrian", ["Syrian"]),
    ],
)
def test_labels_printed_edge_to_edge_are_split(text: str, pieces: list[str]) -> None:
    """Two header labels that touch (wide letter spacing) become two words, each with its own box."""
    from extractors.document import split_glued_word

    split = split_glued_word(_word(text))
    assert [w["text"] for w in split] == pieces
    starts = [sum(len(p) for p in pieces[:i]) for i in range(len(pieces))]
    assert [round(w["x0"]) for w in split] == [100 + 5 * start for start in starts]
