"""Exports of a store version: Parquet or CSV with an HXL row, described by a valid Frictionless data package."""

from __future__ import annotations

import csv
import hashlib
import json
import socket
from pathlib import Path

import hxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from deltalake import DeltaTable
from frictionless import Package, validate
from hxl.input import InputOptions

from extractors.facts import FACT_COLUMNS, FACT_KEY, normalise_frame
from mixedflows.store import Store, StoreError
from mixedflows.store.tables import SPECS
from tests.support.store_inputs import EXTRACTOR_VERSION, changed_pdf, report_id, truth_facts, truth_violations

DTM = "dtm_wb/2024-12"
UNHCR = "unhcr_wb/2024-12"


#: The facts key in HXL terms: `geo` and `breakdown` are split into tagged columns, which must still identify a row.
HXL_KEY = (
    "#meta+report_id,#indicator+code,#country+code-origin,#region+code,#date+start,#date+end,"
    "#country+code+origin,#sex+code,#indicator+rank"
)

#: What the HXL columns of the facts export may hold, as a libhxl schema (its `#valid_*` vocabulary).
HXL_SCHEMA = [
    ["#valid_tag", "#valid_severity", "#valid_required", "#valid_datatype", "#valid_value+list", "#valid_value+regex"],
    ["#indicator+code", "error", "true", "", "", "[a-z][a-z0-9_]*"],
    ["#indicator+name", "error", "true", "", "", ""],
    ["#country+code-origin", "error", "", "", "ALB|BIH|MNE|MKD|SRB|XKX", ""],
    ["#region+code", "error", "", "", "WB", ""],
    ["#country+code+origin", "error", "", "", "", "[A-Z]{3}"],
    ["#sex+code", "error", "", "", "f|m", ""],
    ["#date", "error", "true", "date", "", ""],
    ["#indicator+value+num", "error", "", "number", "", ""],
    ["#indicator+unit", "error", "true", "", "persons|percent|percentage_points|count", ""],
    ["#org+name", "error", "true", "", "IOM DTM|UNHCR", ""],
]


def _with_figures_involved(violations: pd.DataFrame) -> pd.DataFrame:
    """Violations naming the figures they involve (key, keys, pages, expected, actual), as validation fills them."""
    frame = violations.copy()
    frame["key"] = pd.Series(["asylum_applications/WB/2024-01-01..2024-12-31"] * len(frame), dtype="object")
    frame["keys"] = pd.Series(
        [["asylum_applications/WB/2024-01-01..2024-12-31", "asylum_applications/ALB"]] * len(frame)
    )
    frame["pages"] = pd.Series([[4, 5]] * len(frame))
    frame["expected"] = 1017.0
    frame["actual"] = 957.0
    return frame


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test: libhxl and Frictionless must read only local files."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args[:2]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Version 2: both December reports (DTM with its known violation); version 3: DTM re-issued."""
    store = Store(tmp_path / "output")
    for report, facts in ((DTM, truth_facts(DTM)), (UNHCR, truth_facts(UNHCR)), (DTM, changed_pdf(truth_facts(DTM)))):
        store.publish_report(
            report_id(report),
            facts,
            _with_figures_involved(truth_violations(report, "warning")),
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
    assert header[: len(FACT_COLUMNS)] == list(FACT_COLUMNS)
    tagged = dict(zip(header, tags, strict=True))
    assert tagged["geo"] == tagged["breakdown"] == ""  # split into the columns below
    assert {name: tagged[name] for name in header[len(FACT_COLUMNS) :]} == {
        "indicator_name": "#indicator+name",
        "country_code": "#country+code",
        "region_code": "#region+code",
        "origin_country_code": "#country+code+origin",
        "sex": "#sex+code",
    }
    assert (tagged["value"], tagged["unit"], tagged["period_start"]) == (
        "#indicator+value+num",
        "#indicator+unit",
        "#date+start",
    )
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
    assert all(f["description"] and f.get("hxl", "#").startswith("#") for f in fields.values())
    assert [n for n, f in fields.items() if "hxl" not in f] == ["geo", "breakdown"]
    assert fields["report_month"]["constraints"] == {"required": True, "pattern": r"\d{4}-(0[1-9]|1[0-2])"}
    assert "dialect" not in facts  # no HXL row asked for: a plain CSV
    assert descriptor["licenses"][0]["name"] == "CC-BY-IGO-3.0" and descriptor["licenses"][0]["path"].startswith(
        "https://"
    )
    assert len(descriptor["sources"]) >= 2 and all(
        s["title"] and s["path"].startswith("https://") for s in descriptor["sources"]
    )


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
    facts = normalise_frame(pq.read_table(result.directory / "facts.parquet", columns=list(FACT_COLUMNS)).to_pandas())
    pd.testing.assert_frame_equal(_sorted(facts), _sorted(store.read_facts(2)))
    assert pq.read_table(result.directory / "reports.parquet").schema.equals(SPECS["reports"].schema)
    descriptor = json.loads((result.directory / "datapackage.json").read_text())
    assert list(Package.metadata_validate(descriptor)) == []
    assert [r["path"] for r in descriptor["resources"]] == ["facts.parquet", "violations.parquet", "reports.parquet"]


@pytest.mark.slow
def test_parquet_export_passes_frictionless_validation(store: Store, tmp_path: Path, no_network) -> None:
    """The Parquet package validates as a whole: list columns (bbox, keys, pages), null ranks, no byte counts."""
    directory = store.export(2, tmp_path / "export", fmt="parquet").directory
    report = validate(str(directory / "datapackage.json"))
    assert report.valid, report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])[:5]
    assert [task.stats["rows"] for task in report.tasks] == [252, 1, 2]
    descriptor = json.loads((directory / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        assert "bytes" not in resource  # Frictionless cannot count a Parquet file's bytes; the hash is ours to check
        assert resource["hash"] == "sha256:" + hashlib.sha256((directory / resource["path"]).read_bytes()).hexdigest()
    violations = pq.read_table(directory / "violations.parquet").to_pylist()
    assert violations[0]["pages"] == [4, 5] and len(violations[0]["keys"]) == 2
    rows = Package(str(directory / "datapackage.json")).get_resource("facts").read_rows()
    assert sum(row["rank"] is None for row in rows) == sum(pd.isna(store.read_facts(2)["rank"]))


def test_a_broken_parquet_export_fails_frictionless_validation(store: Store, tmp_path: Path) -> None:
    """A Parquet file whose figures break the schema (a page number that is text) fails the same package check."""
    directory = store.export(2, tmp_path / "export", fmt="parquet").directory
    table = pq.read_table(directory / "facts.parquet")
    pages = ["page four", *(str(p) for p in table["page"].to_pylist()[1:])]
    pq.write_table(
        table.set_column(table.schema.get_field_index("page"), "page", pa.array(pages)), directory / "facts.parquet"
    )
    report = validate(str(directory / "datapackage.json"))
    assert not report.valid
    assert ["page", "type-error"] in report.flatten(["fieldName", "type"])


def test_hxl_export_passes_libhxl_validation(store: Store, tmp_path: Path, no_network) -> None:
    """libhxl validates each CSV against its built-in core schema and the facts against the project's HXL schema."""
    directory = store.export(3, tmp_path / "export", fmt="csv", hxl=True).directory
    for name in ("facts", "violations", "reports"):
        report = hxl.validate(hxl.data(str(directory / f"{name}.csv"), InputOptions(allow_local=True)))
        assert report["is_valid"], (name, report["issues"][:3])
    facts = str(directory / "facts.csv")
    report = hxl.validate(hxl.data(facts, InputOptions(allow_local=True)), hxl.data(HXL_SCHEMA))
    assert report["is_valid"], report["issues"][:3]
    unique = [*HXL_SCHEMA[:1], ["#meta+report_id", "error", "", "", "", ""]]
    unique[0] = [*unique[0], "#valid_unique+key"]
    unique[1] = [*unique[1], HXL_KEY]
    assert hxl.validate(hxl.data(facts, InputOptions(allow_local=True)), hxl.data(unique))["is_valid"]


def test_hxl_columns_split_region_country_origin_and_sex(store: Store, tmp_path: Path) -> None:
    """WB is a #region+code, never a #country+code; a nationality is a #country+code+origin; sex is f or m."""
    directory = store.export(2, tmp_path / "export", fmt="csv", hxl=True).directory
    data = hxl.data(str(directory / "facts.csv"), InputOptions(allow_local=True)).cache()
    rows = [
        {tag: row.get(tag) for tag in ("#region+code", "#country+code-origin", "#country+code+origin", "#sex+code")}
        | {"geo": row.values[4], "breakdown": row.values[7]}
        for row in data
    ]
    assert len(rows) == 252
    for row in rows:
        assert (row["#region+code"] or row["#country+code-origin"]) == row["geo"]
        assert not (row["#region+code"] and row["#country+code-origin"])
    region = [r for r in rows if r["geo"] == "WB"]
    assert region and all(r["#country+code-origin"] in (None, "") for r in region)
    origins = {r["breakdown"].split(":")[1] for r in rows if (r["breakdown"] or "").startswith("nationality:")}
    assert origins and origins == {r["#country+code+origin"] for r in rows if r["#country+code+origin"]}
    assert {r["#sex+code"] for r in rows if r["breakdown"] in ("sex:male", "sex:female")} == {"f", "m"}
    assert all(len(row.get("#indicator+name") or "") > 3 for row in data)


def test_required_contract_columns_are_not_null_in_the_delta_schema(store: Store) -> None:
    """The Delta schema marks required columns NOT NULL (Delta then refuses a null); optional ones stay nullable."""
    for name in ("facts", "violations", "reports"):
        fields = {
            f["name"]: f["nullable"] for f in json.loads(DeltaTable(store.paths[name]).schema().to_json())["fields"]
        }
        spec = SPECS[name]
        assert fields == {c.name: not c.required for c in spec.columns}, name
    facts = {f["name"]: f for f in json.loads(DeltaTable(store.paths["facts"]).schema().to_json())["fields"]}
    assert facts["report_month"]["type"] == "string"  # DATA_CONTRACT.md: report_month is a "YYYY-MM" string


def test_reading_the_facts_table_through_delta_not_by_globbing_parquet(store: Store) -> None:
    """docs/STORE.md: replaced files stay on disk after a re-publish; Delta (deltalake, pandas) reads only live ones."""
    facts = DeltaTable(str(store.paths["facts"])).to_pandas()  # docs/STORE.md's one-liner
    assert len(facts) == len(store.read_facts()) == 252
    files = sorted(store.paths["facts"].glob("**/*.parquet"))
    globbed = sum(pq.read_metadata(f).num_rows for f in files)
    assert globbed > len(facts)  # what a plain Parquet reader of the folder would count


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
