"""What held when issue 13 was tried as a hostile tester would, kept as tests (the rest already are:
kill -9 during publish in test_store_crash, concurrent publishes in test_store_concurrency, other hosts,
private addresses, oversize bodies and redirects in test_acquire_safety / test_acquire_download, secrets
in alerts in test_alerts).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from mixedflows.acquire import AcquireError, archived
from mixedflows.acquire.archive import pdf_path
from mixedflows.pipeline import process_report, write_run_record
from mixedflows.report import REPORTS_DIR, build_report
from mixedflows.store import Store
from tests.conftest import TESTS
from tests.support.acquire_site import (  # noqa: F401 (the *_fixture names are fixtures)
    Site,
    loopback_only_fixture,
    sample_pdf,
    serve_western_balkans,
    site_env,
    site_fixture,
)


@pytest.mark.parametrize("month", ["../../etc/passwd", "2024-12/../../x", "..", "2024-12\x00"])
def test_a_month_that_climbs_out_of_the_archive_is_refused(tmp_path: Path, month: str) -> None:
    with pytest.raises(ValueError, match="is not a month as YYYY-MM"):
        pdf_path(tmp_path, "dtm_wb", month)
    with pytest.raises(ValueError, match="is not a month as YYYY-MM"):
        archived(tmp_path, "dtm_wb", month)


@pytest.mark.parametrize("family", ["../dtm_wb", "dtm_wb/..", "/etc", ".."])
def test_a_family_that_climbs_out_of_the_archive_is_refused(tmp_path: Path, family: str) -> None:
    with pytest.raises(AcquireError, match="unknown report family"):
        pdf_path(tmp_path, family, "2024-12")


def _pdf_printing_a_script(target: Path) -> Path:
    """The (synthetic) December 2024 DTM sample with a nationality printed as `<script>alert(1)</script>`."""
    with pikepdf.open(TESTS / "pdfs" / "dtm_wb" / "2024-12.pdf") as pdf:
        contents = pdf.pages[1].Contents
        data = contents.read_bytes()
        assert b"(Morocco)" in data, "the sample's nationality table moved; pick another label"
        contents.write(data.replace(b"(Morocco)", rb"(<script>alert\(1\)</script>)", 1))
        pdf.save(target)
    return target


@pytest.mark.slow
def test_script_text_printed_in_a_pdf_is_escaped_in_the_run_report(tmp_path: Path) -> None:
    """Text read from a PDF reaches the run report only as text: never as markup a browser would run."""
    raw, output = tmp_path / "raw", tmp_path / "output"
    (raw / "dtm_wb").mkdir(parents=True)
    _pdf_printing_a_script(raw / "dtm_wb" / "2024-12.pdf")
    shutil.copyfile(TESTS / "pdfs" / "dtm_wb" / "2024-11.pdf", raw / "dtm_wb" / "2024-11.pdf")
    store = Store(output)
    outcomes = [process_report(pdf, store=store, run_id="script-test") for pdf in archived(raw, "dtm_wb")]
    record = write_run_record(output, "script-test", outcomes, {"flow": "test"})
    assert "<script>alert" in record.read_text(), "the PDF's text must reach the run record for this test to mean much"
    index = build_report(record, store=store, raw_dir=raw, out_dir=output / REPORTS_DIR)
    html = index.read_text(encoding="utf-8")
    assert not re.search(r"<\s*script", html, re.I)
    assert "&lt;script&gt;alert" in html


@pytest.mark.slow
def test_two_fetches_at_once_leave_the_archive_consistent(site: Site, tmp_path: Path) -> None:
    """Two `mixedflows fetch` processes into one archive at the same time: each month once, its sidecar
    matching its bytes, no partial file, no spurious revision."""
    expected = serve_western_balkans(site)
    env = {**os.environ, **site_env(site)}
    env = {name: value for name, value in env.items() if value is not None}
    raw = tmp_path / "raw_pdfs"
    command = [sys.executable, "-c", "from mixedflows.cli import main; main()", "fetch", "--raw-dir", str(raw)]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, stderr) in zip(runs, outputs, strict=True):
        assert run.returncode in (0, 2) and b"Traceback" not in stderr
    good = {(fam, month) for fam, months in expected.items() for month, outcome in months.items() if outcome == "new"}
    listed = archived(raw, include_revisions=True)
    assert sorted((a.family, a.month) for a in listed) == sorted(good)
    for pdf in listed:
        assert pdf.current and pdf.revision == 1
        assert pdf.path.read_bytes() == sample_pdf(pdf.family, pdf.month)
        assert json.loads(Path(f"{pdf.path}.json").read_text())["sha256"] == pdf.sha256
    assert not [p for p in raw.rglob("*") if p.name.endswith(".part")]
