"""The run report in a real browser: Debian's headless Chromium loads it with every image and no console error."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import threading
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from mixedflows.report import REPORTS_DIR, build_report
from mixedflows.report.crops import SCALE
from mixedflows.store import Store
from tests.support.report_run import run_samples

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


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def handle(self) -> None:
        # The browser may drop a request it no longer needs (a PDF it will not display).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


@pytest.fixture
def served(tmp_path: Path):
    """A loopback HTTP server for a folder: (start(folder) -> base URL); stopped after the test."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _images(browser) -> list:
    return browser.execute_script(
        "return Array.from(document.images, img => [img.getAttribute('src'), img.complete, img.naturalWidth]);"
    )


def _load_all_images(browser) -> None:
    # Crops load lazily; open every folded group and scroll so that each one is fetched.
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true);")
    browser.execute_script(
        "return Promise.all(Array.from(document.images, img => { img.loading = 'eager'; "
        "return img.complete ? null : new Promise(r => { img.onload = img.onerror = r; }); }));"
    )


def test_report_loads_in_chromium_with_every_image_and_one_row_per_violation(tmp_path: Path, browser) -> None:
    """No console errors, every image decoded (naturalWidth > 0), every link resolves, a crop opens full size."""
    raw, record = run_samples(tmp_path / "run")
    output = record.parent.parent
    index = build_report(record, store=Store(output), raw_dir=raw, out_dir=output / REPORTS_DIR)
    violations = sum(len(r["violations"]) for r in json.loads(record.read_text())["reports"])
    assert violations == 1  # Dec 2024 DTM: asylum applications 957 by country, 1,017 printed

    browser.get(index.resolve().as_uri())
    assert browser.title == "mixedflows run report-test"
    _load_all_images(browser)
    widths = _images(browser)
    assert len(widths) == 4  # one crop, three plots
    assert all(complete and width > 0 for _, complete, width in widths), widths
    rows = browser.execute_script("return document.querySelectorAll('#violations tbody tr.violation').length;")
    assert rows == violations
    links = browser.execute_script("return Array.from(document.links, a => a.href);")
    assert any("/pdfs/" in link for link in links)
    for link in links:
        path = Path(unquote(urlsplit(link).path))
        assert path.is_file() and path.resolve().is_relative_to(index.parent.resolve()), link
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    screenshot = tmp_path / "report.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000

    # The crop's link opens the PNG itself, at its full size (larger than the column shows it).
    crop = browser.execute_script("return document.querySelector('a.crop').href;")
    shown = browser.execute_script("return document.querySelector('a.crop img').clientWidth;")
    browser.get(crop)
    full = browser.execute_script("return document.images[0].naturalWidth;")
    assert full > shown > 0 and full > 300 * SCALE  # 2 pixels per point: the crop at full resolution


def test_a_copied_report_folder_served_over_http_keeps_its_images_and_links(tmp_path: Path, browser, served) -> None:
    """The run's folder copied elsewhere and served on loopback: every image loads, every link answers 200."""
    raw, record = run_samples(tmp_path / "run")
    output = record.parent.parent
    index = build_report(record, store=Store(output), raw_dir=raw, out_dir=output / REPORTS_DIR)
    copy = tmp_path / "site" / index.parent.name
    shutil.copytree(index.parent, copy)
    shutil.rmtree(raw)  # nothing may point back into the archive
    base = served(tmp_path / "site")
    browser.get(f"{base}/{copy.name}/index.html")
    _load_all_images(browser)
    widths = _images(browser)
    assert len(widths) == 4 and all(complete and width > 0 for _, complete, width in widths), widths
    links = browser.execute_script("return Array.from(document.links, a => a.href);")
    assert links and all(link.startswith(base) for link in links)
    for link in links:
        with urllib.request.urlopen(link.split("#")[0]) as answer:  # loopback only
            assert answer.status == 200
    # The browser asks any server for /favicon.ico on its own; the page does not link one.
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]]
    assert errors == []
