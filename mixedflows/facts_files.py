"""Facts from files: published facts (JSON, JSON lines, CSV, parquet) and folders of earlier report PDFs."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from pathlib import Path

import pandas as pd

from extractors import EXTRACTORS
from extractors.bounded import extract_bounded as extract
from extractors.errors import ExtractionError
from extractors.facts import FACT_COLUMNS, facts_to_frame, normalise_frame
from extractors.geo import AliasesError

#: Suffixes of files holding facts rows (DATA_CONTRACT.md columns).
FACTS_SUFFIXES = (".json", ".jsonl", ".ndjson", ".csv", ".parquet")

_ARCHIVE_NAME = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")


class FactsFileError(ValueError):
    """A facts file or history folder cannot be read; the message names it."""


def is_facts_file(path: Path) -> bool:
    return path.suffix.lower() in FACTS_SUFFIXES


def read_facts_file(path: Path) -> pd.DataFrame:
    """The facts rows of one file, with the contract's columns and dtypes.

    Raises
    ------
    FactsFileError
        Naming the file when it cannot be read or is not a list of facts rows.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            rows = data.get("facts", []) if isinstance(data, dict) else data
            frame = pd.DataFrame.from_records(rows)
        elif suffix in (".jsonl", ".ndjson"):
            lines = path.read_text(encoding="utf-8").splitlines()
            frame = pd.DataFrame.from_records([json.loads(line) for line in lines if line.strip()])
        elif suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
            if "bbox" in frame.columns:
                frame["bbox"] = frame["bbox"].map(lambda b: json.loads(b) if isinstance(b, str) else None)
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            raise FactsFileError(f"{path}: not a facts file (expected one of {', '.join(FACTS_SUFFIXES)})")
    except FileNotFoundError:
        raise FactsFileError(f"{path}: no such file") from None
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        if isinstance(exc, FactsFileError):
            raise
        raise FactsFileError(f"{path}: cannot be read as facts ({type(exc).__name__}: {exc})") from exc
    missing = [c for c in ("report_id", "indicator", "geo", "period_start", "period_end", "value") if c not in frame]
    if frame.empty:
        return normalise_frame(pd.DataFrame(columns=list(FACT_COLUMNS)))
    if missing:
        raise FactsFileError(f"{path}: not facts rows (no column {', '.join(missing)})")
    try:
        return normalise_frame(frame)
    except (TypeError, ValueError) as exc:
        raise FactsFileError(f"{path}: a column does not hold the contract's type ({exc})") from exc


def archive_report_id(path: Path) -> str | None:
    """`raw_pdfs/dtm_wb/2024-12.pdf` -> `dtm-wb-2024-12`; None when the path is not in the archive layout."""
    family = path.parent.name
    if family not in EXTRACTORS or not _ARCHIVE_NAME.match(path.stem):
        return None
    return f"{EXTRACTORS[family].report_prefix}-{path.stem}"


def load_history(directory: Path, wanted: Collection[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Facts of earlier issues from a folder of facts files or of report PDFs (`<family>/<YYYY-MM>.pdf`).

    Parameters
    ----------
    directory
        Searched recursively for facts files and PDFs.
    wanted
        Report ids worth reading: archive PDFs of other issues are not extracted (reading a PDF
        costs far more than a facts file). None reads everything.

    Returns
    -------
    facts, problems
        The facts of every file read, and one line per file that could not be (it is left out).

    Raises
    ------
    FactsFileError
        When `directory` is not a folder.
    """
    if not directory.is_dir():
        raise FactsFileError(f"{directory}: not a folder of earlier reports or facts files")
    frames: list[pd.DataFrame] = []
    problems: list[str] = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        if is_facts_file(path):
            try:
                frames.append(read_facts_file(path))
            except FactsFileError as exc:
                problems.append(str(exc))
        elif path.suffix.lower() == ".pdf":
            report_id = archive_report_id(path)
            if wanted is not None and report_id is not None and report_id not in wanted:
                continue
            try:
                # Figures of sections that could be read are right; held rows are simply absent.
                facts = extract(path, strict=False).facts
            except (ExtractionError, AliasesError) as exc:
                problems.append(str(exc))
                continue
            frames.append(facts_to_frame(facts))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return normalise_frame(pd.DataFrame(columns=list(FACT_COLUMNS))), problems
    return pd.concat(frames, ignore_index=True), problems
