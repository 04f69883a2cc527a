"""The run report: statuses and changes, each violation cropped from its PDF page and boxed, trend plots, the CLI."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from extractors.families.dtm_wb.plots import registrations_plot
from extractors.families.unhcr_wb.plots import persons_present_plot
from mixedflows.cli import app
from mixedflows.report import REPORTS_DIR, ReportError, build_report, report_url
from mixedflows.report.crops import FIGURE_COLOUR
from mixedflows.store import Store
from tests.support.report_run import run_samples
from tests.support.store_inputs import no_violations


class _Page(HTMLParser):
    """The parts of the report the tests look at: images, links and rows by class."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[dict[str, str]] = []
        self.links: list[str] = []
        self.rows: dict[str, int] = {}
        self.crop_links: list[tuple[str, str]] = []  # (href of the link, src of the image inside it)
        self.order: list[str] = []  # headings, details and violation rows, in page order
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "img":
            self.images.append(found)
            if self._href is not None:
                self.crop_links.append((self._href, found["src"]))
        elif tag == "a":
            self.links.append(found.get("href", ""))
            self._href = found.get("href", "") if "crop" in found.get("class", "") else None
        elif tag == "tr" and found.get("class"):
            for name in found["class"].split():
                self.rows[name] = self.rows.get(name, 0) + 1
            if "violation" in found["class"]:
                self.order.append(found["class"])
        elif tag in ("h3", "details"):
            self.order.append(found.get("id") or tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None


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


@pytest.mark.slow
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
    assert page.crop_links == [("crop-dtm-wb-2024-12-1-p4.png",) * 2]  # the crop opens at full size
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
    assert pdf_links and all(link.startswith("pdfs/") for link in pdf_links)
    for link in pdf_links:
        copy = index.parent / link.split("#")[0]
        assert copy.is_file() and copy.read_bytes()[:5] == b"%PDF-"
    assert any(re.fullmatch(r"pdfs/dtm-wb-2024-12-[0-9a-f]{8}\.pdf#page=4", link) for link in pdf_links)
    text = index.read_text()
    assert "none published: 209 figures held in quarantine" in text
    unhcr = next(r for r in reports if r["report_id"] == "unhcr-wb-2024-11")
    assert f"{unhcr['fact_count']} added, 0 removed, 0 changed" in text


def test_report_folder_works_when_copied_elsewhere(built, tmp_path: Path) -> None:
    """Every link and image of the page resolves inside the run's own folder, so a copy (or a server) keeps them."""
    index, _, _ = built
    copy = tmp_path / "elsewhere" / "report-test"
    shutil.copytree(index.parent, copy)
    page = parse(copy / "index.html")
    targets = [img["src"] for img in page.images] + [link for link in page.links if link]
    assert len(targets) > 5
    for target in targets:
        path = (copy / target.split("#")[0]).resolve()
        assert path.is_relative_to(copy.resolve()) and path.is_file(), target


def test_errors_come_first_and_warnings_fold_per_report_and_rule(built, tmp_path: Path) -> None:
    """Errors in their own table first; warnings after, one closed <details> per report and rule with its count."""
    index, record, raw = built
    data = json.loads(record.read_text())
    dtm = next(r for r in data["reports"] if r["report_id"] == "dtm-wb-2024-12")
    error = dtm["violations"][0]
    for n in range(3):
        dtm["violations"].append({**error, "severity": "warning", "rule": "repeated_figure", "detail": f"w{n}"})
    dtm["violations"].append({**error, "severity": "warning", "rule": "share_sum", "detail": "shares"})
    dtm["violations"].insert(0, {**error, "severity": "warning", "rule": "share_sum", "detail": "first"})
    data["run_id"] = "grouped"
    grouped = tmp_path / "grouped.json"  # beside, not in, the shared run's records
    grouped.write_text(json.dumps(data))
    page_file = build_report(grouped, store=Store(record.parent.parent), raw_dir=raw, out_dir=tmp_path / REPORTS_DIR)
    page = parse(page_file)
    assert page.order == [
        "errors-heading",
        "violation error-row",
        "warnings-heading",
        "details",
        "violation warning-row",
        "violation warning-row",
        "details",
        "violation warning-row",
        "violation warning-row",
        "violation warning-row",
    ]
    text = page_file.read_text()
    assert "<details open" not in text
    assert "share_sum &times; 2" in text and "repeated_figure &times; 3" in text
    assert text.count("<details") == 2


def test_a_violation_with_its_own_page_and_box_is_cropped_without_a_figure(built, tmp_path: Path) -> None:
    """A finding about a place (an unreadable section: `pages` + `bbox`, no fact key) gets a boxed crop of it."""
    index, record, raw = built
    data = json.loads(record.read_text())
    dtm = next(r for r in data["reports"] if r["report_id"] == "dtm-wb-2024-12")
    dtm["violations"] = [
        {
            "report_id": "dtm-wb-2024-12",
            "rule": "unreadable_section",
            "severity": "error",
            "key": None,
            "keys": None,
            "pages": [2],
            "bbox": [60.0, 100.0, 300.0, 160.0],
            "detail": "section could not be read",
        }
    ]
    data["run_id"] = "own-box"
    own = tmp_path / "own-box.json"
    own.write_text(json.dumps(data))
    page_file = build_report(own, store=Store(record.parent.parent), raw_dir=raw, out_dir=tmp_path / REPORTS_DIR)
    crops = [img for img in parse(page_file).images if img["src"].startswith("crop-")]
    assert [c["src"] for c in crops] == ["crop-dtm-wb-2024-12-1-p2.png"]
    assert crops[0]["alt"] == "page 2: unreadable_section"
    with Image.open(page_file.parent / crops[0]["src"]) as image:
        rgb = image.convert("RGB")
        # the box plus the margin around it, at two pixels per point
        assert rgb.width == pytest.approx((300 - 60 + 72) * 2, abs=2)
        assert FIGURE_COLOUR in {colour for _, colour in rgb.getcolors(maxcolors=1 << 20)}


@pytest.mark.slow
def test_a_re_published_report_shows_its_changes_and_older_runs_still_read_their_version(built, tmp_path) -> None:
    """A later run re-publishes one report with a corrected figure: its report lists 1 changed (read at the
    version before it); the first run's report, rebuilt afterwards, still shows what that run published."""
    index, record, raw = built
    output = tmp_path / "output"
    shutil.copytree(record.parent.parent, output, ignore=shutil.ignore_patterns(REPORTS_DIR))
    store = Store(output)
    first = build_report(output / "runs" / "report-test.json", store=store, raw_dir=raw, out_dir=tmp_path / "a")
    facts = store.read_facts()
    facts = facts[facts["report_id"] == "unhcr-wb-2024-11"].reset_index(drop=True)
    facts.loc[0, "value"] = facts.loc[0, "value"] + 1
    facts["pdf_sha256"] = "b" * 64
    result = store.publish_report(
        "unhcr-wb-2024-11",
        facts,
        no_violations(),
        pdf_sha256="b" * 64,
        extractor_version="test",
        run_id="later",
        blocked=False,
    )
    assert result.status == "published"
    later = json.loads(record.read_text())
    outcome = next(r for r in later["reports"] if r["report_id"] == "unhcr-wb-2024-11")
    later.update(run_id="later", reports=[{**outcome, "store_version": result.version, "pdf_sha256": "b" * 64}])
    (output / "runs" / "later.json").write_text(json.dumps(later))
    page = build_report(output / "runs" / "later.json", store=store, raw_dir=raw, out_dir=tmp_path / "b")
    assert "0 added, 0 removed, 1 changed" in page.read_text()
    again = build_report(output / "runs" / "report-test.json", store=store, raw_dir=raw, out_dir=tmp_path / "c")
    rows = re.compile(r'<table id="reports">.*?</table>', re.S)
    assert rows.search(again.read_text())[0] == rows.search(first.read_text())[0]
    assert f"{len(facts)} added, 0 removed, 0 changed" in again.read_text()


def test_plot_panels_are_drawn_only_with_figures(built, tmp_path: Path) -> None:
    """A panel without figures is left out (the UNHCR samples print no per-country persons present)."""
    _, record, _ = built
    facts = Store(record.parent.parent).read_facts()
    present = facts[(facts["indicator"] == "persons_present") & facts["breakdown"].isna()]
    assert set(present["geo"]) == {"WB"}
    plot = persons_present_plot(facts, tmp_path / "present.png")
    assert plot.panels == ("Western Balkans",)
    with_countries = registrations_plot(facts, tmp_path / "registrations.png")
    assert with_countries.panels == ("Western Balkans", "By country")
    with Image.open(tmp_path / "present.png") as one, Image.open(tmp_path / "registrations.png") as two:
        assert two.height > 1.8 * one.height


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
