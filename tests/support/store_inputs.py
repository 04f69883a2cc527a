"""Facts and violations frames for the store tests, built from the truth files of the sample PDFs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from extractors.facts import normalise_frame

TESTS = Path(__file__).parent.parent

#: The extractor version the store tests publish with.
EXTRACTOR_VERSION = "test-1"

VIOLATION_COLUMNS = ("rule", "severity", "indicator", "geo", "detail")


def sample_pdf(report: str) -> Path:
    """`dtm_wb/2024-12` -> the sample PDF."""
    return TESTS / "pdfs" / f"{report}.pdf"


def sha256_of(report: str) -> str:
    return hashlib.sha256(sample_pdf(report).read_bytes()).hexdigest()


def truth(report: str) -> dict:
    family, month = report.split("/")
    return json.loads((TESTS / "truth" / family / f"{month}.truth.json").read_text())


def report_id(report: str) -> str:
    return truth(report)["report_id"]


def truth_facts(report: str) -> pd.DataFrame:
    """The truth file's rows as a facts frame, with the columns truth leaves out filled in as an extractor would."""
    sha = sha256_of(report)
    rows = []
    for n, row in enumerate(truth(report)["facts"]):
        rows.append(
            {
                **row,
                "bbox": [10.0 + n, 20.0, 40.0 + n, 30.0],
                "method": "text",
                "pdf_sha256": sha,
                "source_url": None,
            }
        )
    return normalise_frame(pd.DataFrame.from_records(rows))


def changed_pdf(facts: pd.DataFrame) -> pd.DataFrame:
    """The same report re-issued: first figure corrected, last one dropped, one new figure, a new sha256."""
    frame = facts.iloc[:-1].copy().reset_index(drop=True)
    frame.loc[0, "value"] = frame.loc[0, "value"] + 1
    added = frame.iloc[[0]].copy()
    added["indicator"] = "new_indicator_for_tests"
    frame = pd.concat([frame, added], ignore_index=True)
    frame["pdf_sha256"] = hashlib.sha256(b"re-issued " + facts["pdf_sha256"].iloc[0].encode()).hexdigest()
    return normalise_frame(frame)


def truth_violations(report: str, severity: str = "error") -> pd.DataFrame:
    """The truth file's expected violations as a violations frame (report_id and sha256 left to the store)."""
    rows = [
        {"rule": v["rule"], "severity": severity, "indicator": None, "geo": None, "detail": v["detail"]}
        for v in truth(report)["expected_violations"]
    ]
    return pd.DataFrame.from_records(rows, columns=list(VIOLATION_COLUMNS)).astype("string")


def no_violations() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype="string") for c in VIOLATION_COLUMNS})
