"""Shared fixtures: sample PDFs, their truth files and goldens, and PDFs built for bad-input tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
SAMPLE_PDFS = sorted((TESTS / "pdfs").glob("*/*.pdf"))

# Keep Prefect (used by some tests) inside the test run and off the network.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/expected/ from the current extraction instead of comparing against it",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def sample_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def truth_path(pdf: Path) -> Path:
    return TESTS / "truth" / pdf.parent.name / f"{pdf.stem}.truth.json"


def golden_path(pdf: Path) -> Path:
    return TESTS / "expected" / pdf.parent.name / f"{pdf.stem}.json"
