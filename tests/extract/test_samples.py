"""Every sample PDF: every printed figure extracted exactly, against its truth file and our golden."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from extractors import EXTRACTORS
from tests.conftest import SAMPLE_PDFS, golden_path, sample_id, truth_path
from tests.support import parsed
from tests.support.truth_check import assert_matches_truth


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=sample_id)
def test_every_printed_figure_matches_truth(pdf: Path) -> None:
    """Every figure in the truth file is extracted with its exact value and page, and nothing else is."""
    truth = json.loads(truth_path(pdf).read_text())
    report = parsed.report(pdf)
    assert_matches_truth(report, truth)


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=sample_id)
def test_extraction_matches_golden(pdf: Path, update_golden: bool) -> None:
    """The full rows (method, bbox, qualifier, sha256 included) match the reviewed golden file."""
    report = parsed.report(pdf)
    rows = [fact.to_record() for fact in report.facts]
    golden = golden_path(pdf)
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
        pytest.skip(f"golden rewritten: {golden}")
    expected = json.loads(golden.read_text())
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected, strict=True):
        assert {k: v for k, v in got.items() if k != "bbox"} == {k: v for k, v in want.items() if k != "bbox"}
        assert all(math.isclose(a, b, abs_tol=0.01) for a, b in zip(got["bbox"], want["bbox"], strict=True))


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=sample_id)
def test_bbox_lies_on_its_page(pdf: Path) -> None:
    """Every fact's box is a real box inside the page it names."""
    import pdfplumber

    report = parsed.report(pdf)
    with pdfplumber.open(pdf) as doc:
        sizes = {n: (p.width, p.height) for n, p in enumerate(doc.pages, start=1)}
    for fact in report.facts:
        x0, top, x1, bottom = fact.bbox
        width, height = sizes[fact.page]
        assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height, fact


def test_every_family_has_a_sample_and_goldens() -> None:
    """Each registered family has sample PDFs, truth files and goldens for every layout version."""
    for family, spec in EXTRACTORS.items():
        pdfs = [p for p in SAMPLE_PDFS if p.parent.name == family]
        assert pdfs, f"no sample PDF for {family}"
        layouts = {json.loads(truth_path(p).read_text())["layout_version"] for p in pdfs}
        assert layouts == {layout.version for layout in spec.layouts}
        for pdf in pdfs:
            assert golden_path(pdf).exists(), f"no golden for {pdf}"
