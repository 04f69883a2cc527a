"""An issue printing a nationality no resolver knows, end to end with real parts: every other figure is read,
`extract` exits 2 and `validate` 1 naming the label and page, a real flow run quarantines the report (not a
failure) and alerts what to do, and once the alias is in the config file a re-run publishes it.

The issues are synthetic imitations drawn by tests/variants.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors import geo
from mixedflows.cli import app
from tests.support.truth_check import TRUTH_KEY, truth_key
from tests.variants import VariantCase, case_truth, render_case
from tests.variants.style import Style

PROJECT_CONFIG = Path(__file__).resolve().parents[2] / "config"
INVENTED = "Freedonia"


def freedonia_issue(template: str, out: Path, year: int = 2025, month: int = 3) -> tuple[Path, dict, str]:
    """A generated issue whose first-ranked nationality is printed as "Freedonia"; (pdf, truth, its code)."""
    family = template.split("/")[0]
    case = VariantCase(
        f"freedonia-{family}", template, year, month, 4242, Style(), ("SRB",) if family == "dtm_wb" else ()
    )
    truth = case_truth(case)
    code = next(r["breakdown"].split(":")[1] for r in truth["facts"] if r["rank"] == 1 and r["breakdown"])
    case = dataclasses.replace(case, style=dataclasses.replace(case.style, nationality_labels=((code, INVENTED),)))
    pdf, truth = render_case(case, out)
    return pdf, truth, code


def others(truth: dict, code: str) -> dict[tuple, float | None]:
    return {truth_key(r): r["value"] for r in truth["facts"] if r["breakdown"] != f"nationality:{code}"}


def stored(frame) -> dict[tuple, float | None]:
    """Rows of a store table by the truth's key (dates as ISO strings, ranks as ints, nulls as None)."""
    import pandas as pd

    def plain(value):
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return None
        if hasattr(value, "isoformat"):
            return value.isoformat()[:10]
        return int(value) if isinstance(value, float) and value.is_integer() else value

    return {tuple(plain(r[k]) for k in TRUTH_KEY): r["value"] for r in frame.to_dict("records")}


def test_the_invented_name_is_unknown_to_every_resolver() -> None:
    assert geo.resolve_nationality(INVENTED) is None and geo.resolve_place(INVENTED) is None


@pytest.mark.parametrize("template", ["dtm_wb/2024-12", "unhcr_wb/2024-12", "unhcr_wb/2023-06", "dtm_wb/2023-06"])
def test_extract_prints_every_other_figure_and_one_line_for_the_label(template: str, tmp_path: Path) -> None:
    pdf, truth, code = freedonia_issue(template, tmp_path)
    result = CliRunner().invoke(app, ["extract", "--format", "json", str(pdf)])
    assert result.exit_code == 2
    rows = json.loads(result.stdout)  # still one JSON array
    assert {truth_key(r): r["value"] for r in rows} == others(truth, code)
    lines = result.stderr.strip().splitlines()
    assert lines and all(line.startswith("error: unknown_label: ") and INVENTED in line for line in lines)
    assert all("add an alias to config/aliases.toml, then re-run" in line for line in lines)


def test_validate_exits_1_with_the_unknown_label_error_naming_label_and_page(tmp_path: Path) -> None:
    pdf, truth, code = freedonia_issue("unhcr_wb/2024-12", tmp_path / "pdf")
    config = tmp_path / "config"
    shutil.copytree(PROJECT_CONFIG, config)
    result = CliRunner().invoke(app, ["validate", "--format", "json", "--config-dir", str(config), str(pdf)])
    assert result.exit_code == 1, result.output
    [unknown] = [v for v in json.loads(result.stdout) if v["rule"] == "unknown_label"]
    page = next(r["page"] for r in truth["facts"] if r["breakdown"] == f"nationality:{code}")
    assert unknown["severity"] == "error" and INVENTED in unknown["detail"] and f"page {page}" in unknown["detail"]
    assert unknown["pages"] == [page] and len(unknown["bbox"]) == 4


@pytest.fixture(scope="module")
def prefect_server():
    from mixedflows import prefect_env

    prefect_env.configure(Path(__file__).parents[2])
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.mark.slow
def test_a_run_quarantines_it_then_publishes_it_once_the_alias_is_added(
    prefect_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows import monthly
    from mixedflows.store import Store
    from tests.support.receivers import webhook_receiver

    raw = tmp_path / "raw"
    pdf, truth, code = freedonia_issue("unhcr_wb/2024-12", tmp_path / "drawn")
    target = raw / "unhcr_wb" / "2025-03.pdf"
    target.parent.mkdir(parents=True)
    shutil.copyfile(pdf, target)
    config = tmp_path / "config"
    shutil.copytree(PROJECT_CONFIG, config)
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(config))
    output = tmp_path / "output"

    with webhook_receiver() as hook:
        monkeypatch.setenv("MIXEDFLOWS_ALERT_URLS", hook.url())
        state = monthly(
            raw_dir=str(raw), output_dir=str(output), families=["unhcr_wb"], run_id="held", return_state=True
        )
        assert state.is_completed(), state.message  # a quarantine is no failure
        alerts = list(hook.requests)
    [report] = json.loads((output / "runs" / "held.json").read_text())["reports"]
    assert report["status"] == "quarantined" and "unknown_label" in report["detail"]
    assert [a for a in alerts if "add an alias to config/aliases.toml, then re-run" in a["json"]["message"]]
    store = Store(output)
    assert store.read_facts().empty
    held = store.read_quarantine()
    assert stored(held) == others(truth, code)

    aliases = config / geo.ALIASES_FILE
    aliases.write_text(aliases.read_text() + f'"{INVENTED}" = "{code}"  # checked against the PDF\n')
    state = monthly(raw_dir=str(raw), output_dir=str(output), families=["unhcr_wb"], run_id="fixed", return_state=True)
    assert state.is_completed(), state.message
    [report] = json.loads((output / "runs" / "fixed.json").read_text())["reports"]
    assert report["status"] == "published", report
    published = store.read_facts()
    expected = {truth_key(r): r["value"] for r in truth["facts"]}
    assert stored(published) == expected


@pytest.mark.slow
def test_the_run_report_crops_the_unknown_label_on_its_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run without Prefect (process_report): the report is quarantined and its page shows the label boxed."""
    from mixedflows.acquire import archived
    from mixedflows.pipeline import process_report, write_run_record
    from mixedflows.report import REPORTS_DIR, build_report
    from mixedflows.store import Store

    pdf, truth, code = freedonia_issue("dtm_wb/2024-12", tmp_path / "drawn")
    raw = tmp_path / "raw"
    (raw / "dtm_wb").mkdir(parents=True)
    shutil.copyfile(pdf, raw / "dtm_wb" / "2025-03.pdf")
    config = tmp_path / "config"
    shutil.copytree(PROJECT_CONFIG, config)
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(config))
    store = Store(tmp_path / "output")
    [archive] = archived(raw, "dtm_wb", "2025-03")
    outcome = process_report(archive, store=store, run_id="crop")
    assert outcome.status == "quarantined"
    record = write_run_record(tmp_path / "output", "crop", [outcome], {"flow": "test"})
    index = build_report(record, store=store, raw_dir=raw, out_dir=tmp_path / "output" / REPORTS_DIR)
    unknown = [v for v in outcome.violations if v["rule"] == "unknown_label"]
    assert unknown and all(INVENTED in v["key"] for v in unknown)
    crops = sorted(p.name for p in index.parent.glob("crop-*.png"))
    pages = sorted({v["pages"][0] for v in unknown})
    assert crops and {int(name.rsplit("-p", 1)[1][:-4]) for name in crops} == set(pages)
    assert INVENTED in index.read_text()
