"""The run report: statuses and changes, each violation cropped from its PDF page and boxed, trend plots, the CLI."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from mixedflows.cli import app
from mixedflows.report import REPORTS_DIR, ReportError, build_report, report_url
from mixedflows.report.crops import FIGURE_COLOUR
from mixedflows.store import Store
from tests.report_run import run_samples


class _Page(HTMLParser):
    """The parts of the report the tests look at: images, links and rows by class."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.links: list[str] = []
        self.rows: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.images.append(found)
        elif tag == "a":
            self.links.append(found.get("href", ""))
        elif tag == "tr" and found.get("class"):
            self.rows[found["class"]] = self.rows.get(found["class"], 0) + 1


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(report index.html, run record, raw dir) of one real run over four sample PDFs."""
    root = tmp_path_factory.mktemp("report")
    raw, record = run_samples(root)
    output = record.parent.parent
    index = build_report(record, store=Store(output), raw_dir=raw, out_dir=output / REPORTS_DIR)
    return index, record, raw


def parse(index: Path) -> _Page:
    page = _Page()
    page.feed(index.read_text(encoding="utf-8"))
    return page


def test_report_is_written_where_the_run_says(built) -> None:
    """The report lands in output/run-reports/<run_id>/, beside (not inside) the store's tables."""
    index, record, _ = built
    assert index == record.parent.parent / REPORTS_DIR / "report-test" / "index.html"
    assert not (record.parent.parent / REPORTS_DIR / ".report-test.part").exists()
    assert "<script" not in index.read_text() and "http" not in index.read_text()


def test_dec_2024_asylum_discrepancy_is_shown_boxed_on_its_page(built) -> None:
    """The sum_to_total violation has one row, a crop of page 4 with the figures boxed, expected 1,017 and 957."""
    index, record, _ = built
    page = parse(index)
    expected_rows = sum(len(r["violations"]) for r in json.loads(record.read_text())["reports"])
    assert page.rows["violation"] == expected_rows == 1
    text = index.read_text()
    assert "sum_to_total" in text and "1,017" in text and "957" in text
    crops = [img for img in page.images if img["src"].startswith("crop-")]
    assert [c["src"] for c in crops] == ["crop-dtm-wb-2024-12-1-p4.png"]
    assert "asylum_applications/WB/2024-01-01..2024-12-31" in crops[0]["alt"]
    assert "other printing" in crops[0]["alt"]  # the Total column's 1,017 beside the headline's
    with Image.open(index.parent / crops[0]["src"]) as image:
        rgb = image.convert("RGB")
        assert rgb.width > 600 and rgb.height > 200
        assert FIGURE_COLOUR in {colour for _, colour in rgb.getcolors(maxcolors=1 << 20)}


def test_every_report_has_its_status_version_changes_and_pdf_link(built) -> None:
    """One row per report; links are relative and reach the archived PDFs; first publications count added figures."""
    index, record, raw = built
    page = parse(index)
    reports = json.loads(record.read_text())["reports"]
    assert page.rows["report"] == len(reports)
    pdf_links = [link for link in page.links if ".pdf" in link]
    assert pdf_links and all(not link.startswith("/") for link in pdf_links)
    for link in pdf_links:
        assert (index.parent / link.split("#")[0]).resolve().is_file()
    assert any(link.endswith("dtm_wb/2024-12.pdf#page=4") for link in pdf_links)
    text = index.read_text()
    assert "none published: 209 figures held in quarantine" in text
    unhcr = next(r for r in reports if r["report_id"] == "unhcr-wb-2024-11")
    assert f"{unhcr['fact_count']} added, 0 removed, 0 changed" in text


def test_trend_plots_are_drawn_from_the_published_figures(built) -> None:
    """Registrations, persons present and arrivals year on year, each a real PNG beside the page."""
    index, _, _ = built
    plots = {img["src"] for img in parse(index).images if not img["src"].startswith("crop-")}
    assert plots == {"registrations.png", "persons-present.png", "arrivals-year-on-year.png"}
    for name in plots:
        with Image.open(index.parent / name) as image:
            assert image.width > 400 and image.height > 200


def test_a_bad_run_record_is_one_line_naming_the_file(tmp_path: Path) -> None:
    """A record that is not JSON: ReportError naming it, and no report folder left behind."""
    record = tmp_path / "runs" / "broken.json"
    record.parent.mkdir()
    record.write_text("{not json")
    with pytest.raises(ReportError, match=re.escape(str(record))):
        build_report(record, store=Store(tmp_path), raw_dir=None, out_dir=tmp_path / REPORTS_DIR)
    assert not (tmp_path / REPORTS_DIR).exists() or not any((tmp_path / REPORTS_DIR).iterdir())


def test_report_url_is_the_configured_base_else_the_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Alerts carry the public URL when one is configured, else the local path."""
    path = tmp_path / "run-reports" / "r1" / "index.html"
    monkeypatch.delenv("MIXEDFLOWS_REPORT_BASE_URL", raising=False)
    assert report_url(path, "r1") == str(path)
    monkeypatch.setenv("MIXEDFLOWS_REPORT_BASE_URL", "https://reports.example.org/mixedflows/")
    assert report_url(path, "r1") == "https://reports.example.org/mixedflows/r1/index.html"


def test_cli_builds_the_latest_run_and_names_a_missing_one(built) -> None:
    """`mixedflows report` rebuilds the latest run's report; an unknown --run is exit 2 with one line."""
    index, record, raw = built
    output = record.parent.parent
    done = CliRunner().invoke(app, ["report", "--output", str(output), "--raw-dir", str(raw)])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == f"report: {index}"
    missing = CliRunner().invoke(app, ["report", "--output", str(output), "--run", "nope"])
    assert missing.exit_code == 2
    assert missing.output.strip() == f"error: {output / 'runs' / 'nope.json'}: no such run record"
