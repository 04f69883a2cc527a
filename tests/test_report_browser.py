"""The run report in a real browser: Debian's headless Chromium loads it with every image and no console error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mixedflows.report import REPORTS_DIR, build_report
from mixedflows.store import Store
from tests.report_run import run_samples

#: Debian's packages (`apt-get install chromium chromium-driver`); never a browser fetched by a test tool.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
#: Flags for a browser that talks to nothing but the page it is given.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()),
        reason=f"needs Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}); .ci/run installs them",
    ),
]


@pytest.fixture
def browser(tmp_path: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_report_loads_in_chromium_with_every_image_and_one_row_per_violation(tmp_path: Path, browser) -> None:
    """No console errors, every image decoded (naturalWidth > 0), one violations row per violation, a screenshot."""
    raw, record = run_samples(tmp_path / "run")
    output = record.parent.parent
    index = build_report(record, store=Store(output), raw_dir=raw, out_dir=output / REPORTS_DIR)
    violations = sum(len(r["violations"]) for r in json.loads(record.read_text())["reports"])
    assert violations == 1  # Dec 2024 DTM: asylum applications 957 by country, 1,017 printed

    browser.get(index.resolve().as_uri())
    assert browser.title == "mixedflows run report-test"
    widths = browser.execute_script(
        "return Array.from(document.images, img => [img.getAttribute('src'), img.complete, img.naturalWidth]);"
    )
    assert len(widths) == 4  # one crop, three plots
    assert all(complete and width > 0 for _, complete, width in widths), widths
    rows = browser.execute_script("return document.querySelectorAll('#violations tbody tr.violation').length;")
    assert rows == violations
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    screenshot = tmp_path / "report.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000
