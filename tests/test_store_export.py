"""Exports of a store version: Parquet or CSV with an HXL row, described by a valid Frictionless data package."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from frictionless import Package, validate

from extractors.facts import FACT_KEY, normalise_frame
from mixedflows.store import Store, StoreError
from mixedflows.store.tables import SPECS
from tests.store_inputs import EXTRACTOR_VERSION, changed_pdf, report_id, truth_facts, truth_violations

DTM = "dtm_wb/2024-12"
UNHCR = "unhcr_wb/2024-12"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Version 2: both December reports (DTM with its known violation); version 3: DTM re-issued."""
    store = Store(tmp_path / "output")
    for report, facts in ((DTM, truth_facts(DTM)), (UNHCR, truth_facts(UNHCR)), (DTM, changed_pdf(truth_facts(DTM)))):
        store.publish_report(
            report_id(report),
            facts,
            truth_violations(report, "warning"),
            pdf_sha256=str(facts["pdf_sha256"].iloc[0]),
            extractor_version=EXTRACTOR_VERSION,
            run_id="run",
            blocked=False,
        )
    return store


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(FACT_KEY)).reset_index(drop=True)


def test_csv_export_with_hxl_is_a_valid_data_package(store: Store, tmp_path: Path) -> None:
    """Frictionless validates every table against its schema; the second CSV row is the HXL hashtag row."""
    result = store.export(2, tmp_path / "export", fmt="csv", hxl=True)
    assert result.rows == {"facts": 252, "violations": 1, "reports": 2}
    report = validate(str(result.directory / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    with (result.directory / "facts.csv").open() as handle:
        header, tags = next(csv.reader(handle)), next(csv.reader(handle))
    assert header[:6] == ["report_id", "publisher", "report_month", "indicator", "geo", "period_start"]
    assert dict(zip(header, tags, strict=True))["geo"] == "#country+code"
    assert dict(zip(header, tags, strict=True))["value"] == "#indicator+value+num"
    assert dict(zip(header, tags, strict=True))["period_start"] == "#date+start"
    rows = Package(str(result.directory / "datapackage.json")).get_resource("facts").read_rows()
    assert len(rows) == 252 and rows[0]["bbox"] == json.loads(_first_data_row(result.directory / "facts.csv")["bbox"])


def test_the_data_package_describes_types_keys_and_tags(store: Store, tmp_path: Path) -> None:
    """Field types, descriptions, the facts primary key, HXL tags and the store version are in the descriptor."""
    descriptor = json.loads((store.export(None, tmp_path / "e", fmt="csv").directory / "datapackage.json").read_text())
    assert descriptor["version"] == "3" and descriptor["mixedflows"]["store_version"] == 3
    facts = next(r for r in descriptor["resources"] if r["name"] == "facts")
    fields = {f["name"]: f for f in facts["schema"]["fields"]}
    assert facts["schema"]["primaryKey"] == list(FACT_KEY)
    types = {name: fields[name]["type"] for name in ("period_start", "rank", "value", "bbox", "page", "geo")}
    assert types == {
        "period_start": "date",
        "rank": "integer",
        "value": "number",
        "bbox": "array",
        "page": "integer",
        "geo": "string",
    }
    assert all(f["description"] and f["hxl"].startswith("#") for f in fields.values())
    assert "dialect" not in facts  # no HXL row asked for: a plain CSV


def test_a_broken_export_fails_frictionless_validation(store: Store, tmp_path: Path) -> None:
    """The package check is real: a duplicated figure breaks the primary key, and the file's hash."""
    directory = store.export(2, tmp_path / "export", fmt="csv", hxl=True).directory
    lines = (directory / "facts.csv").read_text().splitlines()
    (directory / "facts.csv").write_text("\n".join([*lines, lines[-1]]) + "\n")
    report = validate(str(directory / "datapackage.json"))
    assert not report.valid
    assert {"primary-key", "hash-count", "byte-count"} <= {e[0] for e in report.flatten(["type"])}


def test_parquet_export_reads_back_the_version(store: Store, tmp_path: Path) -> None:
    """Each Parquet file holds its table at the version asked for; the descriptor is valid metadata."""
    result = store.export(2, tmp_path / "export", fmt="parquet")
    facts = normalise_frame(pq.read_table(result.directory / "facts.parquet").to_pandas())
    pd.testing.assert_frame_equal(_sorted(facts), _sorted(store.read_facts(2)))
    assert pq.read_table(result.directory / "reports.parquet").schema.equals(SPECS["reports"].schema)
    descriptor = json.loads((result.directory / "datapackage.json").read_text())
    assert list(Package.metadata_validate(descriptor)) == []
    assert [r["path"] for r in descriptor["resources"]] == ["facts.parquet", "violations.parquet", "reports.parquet"]


def test_exporting_one_version_twice_gives_the_same_bytes(store: Store, tmp_path: Path) -> None:
    """An export is reproducible: same version, same files."""
    first = store.export(2, tmp_path / "a", fmt="csv", hxl=True)
    second = store.export(2, tmp_path / "b", fmt="csv", hxl=True)
    for a, b in zip(first.files, second.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_export_refuses_a_used_directory_and_leaves_nothing_half_written(store: Store, tmp_path: Path) -> None:
    """A non-empty target is refused in one line; a failed export leaves no partial directory behind."""
    target = tmp_path / "used"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match=r"used: already exists and is not an empty directory"):
        store.export(2, target, fmt="csv")
    with pytest.raises(StoreError, match=r"an HXL hashtag row is a CSV feature"):
        store.export(2, tmp_path / "pq", fmt="parquet", hxl=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output", "used"]
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def _first_data_row(path: Path) -> dict[str, str]:
    with path.open() as handle:
        reader = csv.DictReader(handle)
        next(reader)  # the HXL row
        return next(reader)
