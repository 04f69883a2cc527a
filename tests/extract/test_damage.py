"""Damaged PDFs (built here from the synthetic samples): one line naming the file and the damage, exit 2,
within the limits, and the good files given beside them keep their output; never a traceback or a wrong figure.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from extractors import extract
from extractors.bounded import extract_bounded
from extractors.document import Document
from extractors.errors import ExtractionError, UnreadablePdfError
from extractors.limits import ENV_VARS, ExtractionLimitError, ExtractionLimits
from mixedflows.cli import app
from tests.conftest import TESTS

GOOD = TESTS / "pdfs" / "unhcr_wb" / "2024-12.pdf"
DTM = TESTS / "pdfs" / "dtm_wb" / "2024-12.pdf"
SMALL = TESTS / "pdfs" / "unhcr_wb" / "2024-11.pdf"


def _save(pdf: pikepdf.Pdf, target: Path, compress: bool = True) -> Path:
    pdf.save(target, compress_streams=compress, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return target


def mediabox_with_a_name(target: Path) -> Path:
    with pikepdf.open(SMALL) as pdf:
        pdf.pages[0].obj.MediaBox = pikepdf.Array([0, 0, pikepdf.String("wide"), 595])
        return _save(pdf, target)


def giant_content_stream(target: Path, size: int = 5_000_000) -> Path:
    """A small file (the stream compresses to almost nothing) whose page draws `size` bytes of rectangles."""
    with pikepdf.open(SMALL) as pdf:
        body = b"0 0 1 1 re f\n"
        pdf.pages[0].obj.Contents = pdf.make_stream(body * (size // len(body)))
        return _save(pdf, target)


def many_pages(target: Path, count: int = 2000) -> Path:
    with pikepdf.open(SMALL) as pdf:
        while len(pdf.pages) < count:
            pdf.pages.extend(list(pdf.pages)[: count - len(pdf.pages)])
        return _save(pdf, target)


def long_lines(target: Path, lines: int, chars: int) -> Path:
    """A page of `lines` lines of `chars` characters each (text runs far off the page)."""
    with pikepdf.open(SMALL) as pdf:
        row = b"(" + b"1234567890" * (chars // 10) + b") Tj T*\n"
        body = b"BT /F1 2 Tf 2 TL 10 580 Td\n" + row * lines + b"ET\n"
        pdf.pages[0].obj.Contents = pdf.make_stream(body)
        return _save(pdf, target)


def damaged_text_matrix(target: Path) -> Path:
    """The sample with one `Tm` given five numbers and a name: pdfminer warns and reads on."""
    with pikepdf.open(SMALL) as pdf:
        stream = pdf.pages[0].Contents
        data = stream.read_bytes()
        match = re.search(rb"1 0 0 1 (110 569\.2756) Tm", data)
        assert match, "the sample's title position moved; pick another Tm"
        stream.write(data[: match.start()] + b"1 0 0 /X 110 569.2756 Tm" + data[match.end() :])
        return _save(pdf, target)


def deep_array(target: Path, depth: int = 20_000) -> Path:
    data = bytearray(SMALL.read_bytes())
    at = data.index(b"/Type /Page") if b"/Type /Page" in data else data.index(b"/Type/Page")
    nested = b"[" * depth + b"1" + b"]" * depth
    return _write(target, bytes(data[:at]) + b"/Deep " + nested + b" " + bytes(data[at:]))


def _write(target: Path, data: bytes) -> Path:
    target.write_bytes(data)
    return target


def _one_line_cli_error(bad: Path) -> str:
    """`mixedflows extract BAD GOOD`: exit 2, the good file's facts on stdout, one line about the bad one."""
    result = CliRunner().invoke(app, ["extract", "--format", "json", str(bad), str(GOOD)])
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"error: {bad.name}: ")
    rows = json.loads(result.stdout)
    assert {row["report_id"] for row in rows} == {"unhcr-wb-2024-12"}
    return errors[0]


def test_a_mediabox_holding_a_name_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    bad = mediabox_with_a_name(tmp_path / "odd-box.pdf")
    with pytest.raises(UnreadablePdfError, match=r"odd-box\.pdf: not a readable PDF \(MalformedPDFException"):
        extract(bad)
    assert "non-number" in _one_line_cli_error(bad)


def test_a_page_box_out_of_the_standard_is_damage(tmp_path: Path) -> None:
    """A MediaBox a million points wide moves every position read from the page: refused, not read."""
    with pikepdf.open(SMALL) as pdf:
        pdf.pages[0].obj.MediaBox = pikepdf.Array([0, 0, 10**9, 10**9])
        bad = _save(pdf, tmp_path / "huge-box.pdf")
    with pytest.raises(UnreadablePdfError, match=r"huge-box\.pdf: damaged PDF, page 1 has an impossible MediaBox"):
        extract(bad)


def test_a_40_kb_file_with_a_5_mb_content_stream_is_refused_before_parsing(tmp_path: Path) -> None:
    bad = giant_content_stream(tmp_path / "giant.pdf")
    assert bad.stat().st_size < 60_000
    start = time.monotonic()
    with pytest.raises(ExtractionLimitError, match=r"giant\.pdf: page 1 draws 4,999,\d{3} bytes of content"):
        extract_bounded(bad)
    assert time.monotonic() - start < ExtractionLimits().seconds
    assert "more than any report page" in _one_line_cli_error(bad)


@pytest.mark.slow
def test_a_pdf_of_2000_pages_is_refused(tmp_path: Path) -> None:
    bad = many_pages(tmp_path / "thick.pdf")
    with pytest.raises(ExtractionLimitError, match=r"thick\.pdf: 2000 pages, more than any report prints \(limit 50\)"):
        extract_bounded(bad)
    assert "2000 pages" in _one_line_cli_error(bad)


def test_a_page_of_very_long_lines_is_refused(tmp_path: Path) -> None:
    bad = long_lines(tmp_path / "lines.pdf", lines=400, chars=5000)
    assert bad.stat().st_size < 100_000
    with pytest.raises(ExtractionLimitError, match=r"lines\.pdf: page 1 draws"):
        extract_bounded(bad)
    _one_line_cli_error(bad)


def test_a_damaged_text_matrix_makes_the_report_unreadable(tmp_path: Path) -> None:
    """pdfminer warns "Could not set text matrix" and reads on with a wrong position: that is damage."""
    bad = damaged_text_matrix(tmp_path / "matrix.pdf")
    with pytest.raises(UnreadablePdfError, match=r"matrix\.pdf: damaged PDF, .*Could not set text matrix"):
        extract(bad)
    with pytest.raises(UnreadablePdfError, match="Could not set text matrix"):
        extract_bounded(bad)
    assert "Could not set text matrix" in _one_line_cli_error(bad)


@pytest.mark.parametrize("depth", [1_000, 20_000])
def test_objects_nested_thousands_deep_read_the_same_or_are_one_line(tmp_path: Path, depth: int) -> None:
    bad = deep_array(tmp_path / "deep.pdf", depth)
    try:
        report = extract_bounded(bad)
    except ExtractionError as exc:
        assert re.fullmatch(r"deep\.pdf: [^\n]+", str(exc))
        _one_line_cli_error(bad)
    else:
        assert [f.to_record() | {"pdf_sha256": ""} for f in report.facts] == [
            f.to_record() | {"pdf_sha256": ""} for f in extract(SMALL).facts
        ]


def test_damage_leaving_every_figure_intact_reads_identically(tmp_path: Path) -> None:
    """Rewriting the sample (plain streams, new xref) changes bytes, not figures: the same facts."""
    with pikepdf.open(GOOD) as pdf:
        plain = _save(pdf, tmp_path / "plain.pdf", compress=False)
    original = extract(GOOD)
    rewritten = extract_bounded(plain)
    assert [f.to_record() | {"pdf_sha256": ""} for f in rewritten.facts] == [
        f.to_record() | {"pdf_sha256": ""} for f in original.facts
    ]


def test_damage_is_attributed_to_the_thread_that_parsed_it(tmp_path: Path) -> None:
    """Backfills parse in threads: a damaged file's warnings must not refuse the good file parsed beside it."""
    bad = damaged_text_matrix(tmp_path / "matrix.pdf")
    outcomes: dict[str, object] = {}

    def read(name: str, path: Path) -> None:
        for _ in range(3):
            try:
                Document.open(path)
                outcomes[name] = "ok"
            except ExtractionError as exc:
                outcomes[name] = str(exc)

    threads = [threading.Thread(target=read, args=("good", GOOD)), threading.Thread(target=read, args=("bad", bad))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes["good"] == "ok"
    assert "Could not set text matrix" in str(outcomes["bad"])


@pytest.mark.slow
def test_bounded_extraction_returns_what_extract_returns() -> None:
    for pdf in (GOOD, DTM):
        assert extract_bounded(pdf) == extract(pdf)
        assert extract_bounded(pdf, strict=False) == extract(pdf, strict=False)


@pytest.mark.slow
def test_bounded_extraction_from_threads_at_once() -> None:
    results: dict[Path, object] = {}

    def read(path: Path) -> None:
        results[path] = extract_bounded(path)

    threads = [threading.Thread(target=read, args=(pdf,)) for pdf in (GOOD, DTM, SMALL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {path: report.facts for path, report in results.items()} == {
        pdf: extract(pdf).facts for pdf in (GOOD, DTM, SMALL)
    }


def test_the_time_limit_kills_the_reader_and_the_next_file_still_reads(tmp_path: Path) -> None:
    """A page pdfminer needs seconds for, under a 1 s limit: the reader is killed, the next file reads."""
    slow = long_lines(tmp_path / "slow.pdf", lines=160, chars=5000)
    start = time.monotonic()
    with pytest.raises(ExtractionLimitError, match=r"slow\.pdf: reading took longer than 1 s"):
        extract_bounded(slow, limits=ExtractionLimits(seconds=1))
    assert time.monotonic() - start < 10
    assert extract_bounded(GOOD) == extract(GOOD)


@pytest.mark.slow
def test_the_memory_limit_is_enforced_in_the_reader(tmp_path: Path) -> None:
    """800,000 characters on one page need far more than 64 MB: one line, and the next file still reads."""
    heavy = long_lines(tmp_path / "heavy.pdf", lines=160, chars=5000)
    with pytest.raises(ExtractionLimitError, match=r"heavy\.pdf: reading it needs more than 64 MB of memory"):
        extract_bounded(heavy, limits=ExtractionLimits(memory_mb=64))
    assert extract_bounded(GOOD) == extract(GOOD)


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VARS["pages"], "1")
    with pytest.raises(ExtractionLimitError, match=r"2024-12\.pdf: 2 pages, more than any report prints \(limit 1\)"):
        extract_bounded(GOOD)
    monkeypatch.setenv(ENV_VARS["pages"], "many")
    with pytest.raises(ExtractionError, match=r"MIXEDFLOWS_MAX_PAGES='many': not a positive number"):
        extract_bounded(GOOD)


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        (rb"1 0 0 1 110 569\.2756 Tm", b"1 0 0 Tm", "an operator was given 3 of its 6 operands"),
        (rb"\(WESTERN BALKANS\) Tj", b"(WESTERN BALKANS) Tx", "unknown operator 'Tx'"),
        # A flipped bit that zeroes a text matrix's scale stacks the digits of "88" on one spot ("8").
        (rb"1 0 0 1 110 569\.2756 Tm", b"0 0 0 1 110 569.2756 Tm", "is drawn with no width or height"),
    ],
)
def test_an_operator_pdfminer_skips_silently_is_damage(tmp_path: Path, old: bytes, new: bytes, complaint: str) -> None:
    """pdfminer skips an operator short of operands, or unknown, without a word: text then moves or vanishes."""
    with pikepdf.open(SMALL) as pdf:
        stream = pdf.pages[0].Contents
        data = stream.read_bytes()
        assert re.search(old, data), "the sample's title moved; pick another operator"
        stream.write(re.sub(old, new, data, count=1))
        bad = _save(pdf, tmp_path / "skipped.pdf")
    with pytest.raises(UnreadablePdfError, match=rf"skipped\.pdf: damaged PDF, .*{re.escape(complaint)}"):
        extract(bad)


@pytest.mark.slow
def test_a_reader_is_replaced_after_its_share_of_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader kept for a whole backfill would grow towards its memory limit: after FILES_PER_READER
    files a new one reads the next file, with the same facts."""
    from extractors import bounded

    monkeypatch.setattr(bounded, "FILES_PER_READER", 2)
    bounded._POOL.close()  # start from no reader: earlier tests' readers have read files already
    sample = TESTS / "pdfs" / "unhcr_wb" / "2024-12.pdf"
    pids = []
    for _ in range(3):
        facts = extract_bounded(sample).facts
        assert facts == extract(sample).facts
        pids.append(bounded._POOL.idle[-1].process.pid if bounded._POOL.idle else None)
    # The reader that read two files was closed, not pooled; the third file had a new one.
    assert pids[1] is None and pids[2] is not None and pids[2] != pids[0]
