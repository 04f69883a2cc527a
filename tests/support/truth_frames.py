"""Facts frames built from the truth files of the sample PDFs, and ways to plant inconsistencies in them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from extractors.facts import normalise_frame
from tests.conftest import TESTS

#: Every sample issue with a truth file, by report id.
REPORTS: tuple[str, ...] = tuple(
    f"{path.parent.name.replace('_', '-')}-{path.name.removesuffix('.truth.json')}"
    for path in sorted((TESTS / "truth").glob("*/*.truth.json"))
)

#: A box every truth row gets: the truth files carry the page but not where on it a figure is printed.
TRUTH_BBOX = [10.0, 10.0, 20.0, 20.0]


def truth_path(report_id: str) -> Path:
    """`dtm-wb-2024-12` -> tests/truth/dtm_wb/2024-12.truth.json."""
    family = "_".join(report_id.split("-")[:2])
    return TESTS / "truth" / family / f"{report_id[-7:]}.truth.json"


def truth(report_id: str) -> dict:
    return json.loads(truth_path(report_id).read_text())


def truth_frame(report_id: str) -> pd.DataFrame:
    """The truth file's facts as a contract frame (page from the truth; bbox, method and sha256 filled in)."""
    path = truth_path(report_id)
    pdf = TESTS / "pdfs" / path.parent.name / path.name.replace(".truth.json", ".pdf")
    sha256 = hashlib.sha256(pdf.read_bytes()).hexdigest()
    rows = [
        {**row, "bbox": list(TRUTH_BBOX), "method": "text", "pdf_sha256": sha256, "source_url": None}
        for row in truth(report_id)["facts"]
    ]
    return normalise_frame(pd.DataFrame.from_records(rows))


def rows(frame: pd.DataFrame, indicator: str, **where: object) -> pd.Series:
    """A boolean mask of the rows of `indicator` whose columns equal `where` (dates as YYYY-MM-DD)."""
    mask = frame["indicator"] == indicator
    for column, value in where.items():
        if column in ("period_start", "period_end"):
            mask &= frame[column] == pd.Timestamp(str(value))
        elif value is None:
            mask &= frame[column].isna()
        else:
            mask &= frame[column] == value
    return mask


def planted(frame: pd.DataFrame, indicator: str, value: float, **where: object) -> pd.DataFrame:
    """A copy of `frame` with the one figure matching `where` changed to `value`."""
    mask = rows(frame, indicator, **where)
    if mask.sum() != 1:
        raise AssertionError(f"{indicator} {where} matches {int(mask.sum())} rows, not one")
    changed = frame.copy()
    changed.loc[mask, "value"] = value
    return changed
