"""Bad input: a clear one-line error naming the file, exit 2 from the CLI, and the other files still read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors import extract
from extractors.errors import (
    AnchorNotFoundError,
    ExtractionError,
    NoTextLayerError,
    UnknownReportError,
    UnreadablePdfError,
)
from mixedflows.cli import app
from tests.conftest import TESTS
from tests.support.pdf_builders import encrypted_copy, scanned_copy, text_pdf, truncated_copy

GOOD = TESTS / "pdfs" / "unhcr_wb" / "2024-12.pdf"


def test_missing_file(tmp_path: Path) -> None:
    """A path that does not exist is named in the error."""
    with pytest.raises(UnreadablePdfError, match=r"nope\.pdf: no such file"):
        extract(tmp_path / "nope.pdf")


def test_empty_file(tmp_path: Path) -> None:
    """An empty file is refused as empty."""
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(UnreadablePdfError, match=r"empty\.pdf: the file is empty"):
        extract(empty)


def test_html_served_as_pdf(tmp_path: Path) -> None:
    """An HTML error page saved under a .pdf name is recognised as HTML."""
    page = tmp_path / "2024-12.pdf"
    page.write_text("<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>")
    with pytest.raises(UnreadablePdfError, match=r"2024-12\.pdf: not a PDF but an HTML page"):
        extract(page)


def test_truncated_pdf(tmp_path: Path) -> None:
    """A download cut off half-way is refused as truncated."""
    with pytest.raises(UnreadablePdfError, match="truncated"):
        extract(truncated_copy(GOOD, tmp_path / "cut.pdf"))


def test_garbage_after_pdf_magic(tmp_path: Path) -> None:
    """A file that starts like a PDF but is not one is refused as unreadable."""
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 500 + b"\n%%EOF\n")
    with pytest.raises(UnreadablePdfError, match=r"broken\.pdf: not a readable PDF"):
        extract(broken)


def test_encrypted_pdf(tmp_path: Path) -> None:
    """A PDF locked with a user password is refused as encrypted."""
    with pytest.raises(UnreadablePdfError, match=r"locked\.pdf: the PDF is encrypted"):
        extract(encrypted_copy(GOOD, tmp_path / "locked.pdf"))


def test_scanned_pdf(tmp_path: Path) -> None:
    """An image-only PDF (a scan) is refused for having no text layer."""
    with pytest.raises(NoTextLayerError, match=r"scan\.pdf: no text layer"):
        extract(scanned_copy(GOOD, tmp_path / "scan.pdf"))


def test_pdf_of_another_document(tmp_path: Path) -> None:
    """A readable PDF that is neither report is named as unknown, with the known families."""
    other = text_pdf(tmp_path / "minutes.pdf", ["Minutes of the board meeting", "Present: the board"] * 5)
    with pytest.raises(UnknownReportError, match=r"minutes\.pdf: not an issue of any known report \(known: dtm_wb"):
        extract(other)


def test_known_family_in_unknown_layout(tmp_path: Path) -> None:
    """A PDF that names a family but none of its layouts is an unknown layout, not a guess."""
    odd = text_pdf(tmp_path / "odd.pdf", ["DTM Western Balkans — Mixed Migratory Flows Report", "A new design"] * 3)
    with pytest.raises(UnknownReportError, match=r"odd\.pdf: a dtm_wb report in a layout we do not know"):
        extract(odd)


def test_recognised_layout_with_a_section_missing(tmp_path: Path) -> None:
    """A recognised layout whose sections are absent fails naming what is missing, never a partial result."""
    hollow = text_pdf(
        tmp_path / "hollow.pdf",
        ["DTM Western Balkans — Mixed Migratory Flows Report (December 2024)", "REGISTRATIONS ON ARRIVAL"] * 3,
    )
    with pytest.raises(AnchorNotFoundError, match=r"hollow\.pdf"):
        extract(hollow)


def test_cli_reads_the_good_files_and_names_each_bad_one(tmp_path: Path) -> None:
    """One bad file does not stop the others: good facts on stdout, one stderr line per bad file, exit 2."""
    html = tmp_path / "page.pdf"
    html.write_text("<html><body>Not found</body></html>")
    scan = scanned_copy(GOOD, tmp_path / "scan.pdf")
    result = CliRunner().invoke(app, ["extract", "--format", "json", str(html), str(GOOD), str(scan)])
    assert result.exit_code == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert errors[0].startswith("error: page.pdf: not a PDF but an HTML page")
    assert errors[1].startswith("error: scan.pdf: no text layer")
    rows = json.loads(result.stdout)
    assert rows and {row["report_id"] for row in rows} == {"unhcr-wb-2024-12"}
    assert "Traceback" not in result.output


def test_every_error_is_a_value_error() -> None:
    """The error tree is rooted in ValueError, so callers can catch one type."""
    for error in (UnreadablePdfError, NoTextLayerError, UnknownReportError, AnchorNotFoundError):
        assert issubclass(error, ExtractionError) and issubclass(error, ValueError)
