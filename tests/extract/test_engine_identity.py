"""The two document engines give identical facts: pdfplumber (the reference) and pdfium (the fast one).

Every shipped sample, every variant the suites draw (tests/variants, tests/variants/snapshot.py, the UNHCR
drift cases) and, marked slow, the name-drift issues, the open-world batches and the widened batch: the
same facts (every column: values, periods, pages, qualifiers, keys) with bboxes within 0.5 pt, the same
problems, or the same one-line refusal. All PDFs here are SYNTHETIC imitations.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from extractors import extract
from extractors.errors import ExtractionError
from tests.extract.test_name_drift import drift_cases
from tests.extract.test_unhcr_drift import DRIFTS, _case
from tests.extract.test_unhcr_variants import STYLES, STYLES_2023
from tests.variants import VariantCase, render_case, variant_cases
from tests.variants.snapshot import build, build_v2023
from tests.variants.unhcr_drift import drifted_cases, render_drifted

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted([*ROOT.glob("raw_pdfs/*/*.pdf"), *ROOT.glob("tests/pdfs/*/*.pdf")])
#: How far a figure's box may move between the engines (float32 in pdfium, double in pdfminer).
BBOX_TOLERANCE = 0.5


def _read(pdf: Path, engine: str) -> tuple[str, object]:
    try:
        report = extract(pdf, strict=False, engine=engine)
    except ExtractionError as error:
        return "refused", f"{type(error).__name__}: {error}"
    facts = sorted((f.to_record() for f in report.facts), key=_order)
    repeats = sorted((f.to_record() for f in report.repeats), key=_order)
    problems = [(p.rule, p.section, p.detail, p.page, p.printed) for p in report.problems]
    return "read", (report.report_id, report.layout_version, facts, repeats, problems)


def _order(record: dict) -> str:
    return str([record[column] for column in sorted(record) if column != "bbox"])


def f_key(record: dict) -> tuple:
    return tuple(record[c] for c in ("geo", "period_start", "period_end", "breakdown", "rank", "page"))


def assert_same_facts(pdf: Path) -> int:
    """Both engines read `pdf` to the same facts (bboxes within BBOX_TOLERANCE); the number of facts."""
    reference, fast = _read(pdf, "pdfplumber"), _read(pdf, "pdfium")
    assert reference[0] == fast[0], f"{pdf.name}: pdfplumber {reference[1]} / pdfium {fast[1]}"
    if reference[0] == "refused":
        assert reference[1] == fast[1]
        return 0
    report_id, layout, facts, repeats, problems = reference[1]
    fast_id, fast_layout, fast_facts, fast_repeats, fast_problems = fast[1]
    assert (fast_id, fast_layout) == (report_id, layout)
    assert fast_problems == problems, f"{pdf.name}: problems differ"
    for ours, theirs in ((facts, fast_facts), (repeats, fast_repeats)):
        assert len(ours) == len(theirs), f"{pdf.name}: {len(ours)} facts by pdfplumber, {len(theirs)} by pdfium"
        for a, b in zip(ours, theirs, strict=True):
            assert {k: v for k, v in a.items() if k != "bbox"} == {k: v for k, v in b.items() if k != "bbox"}
            moved = max(abs(x - y) for x, y in zip(a["bbox"], b["bbox"], strict=True))
            assert moved <= BBOX_TOLERANCE, f"{pdf.name}: {a['indicator']} {f_key(a)} box moved {moved:.3f} pt"
    return len(facts)


@pytest.mark.parametrize("pdf", SAMPLES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}/{p.name}")
def test_every_sample_reads_the_same_with_either_engine(pdf: Path) -> None:
    assert assert_same_facts(pdf) > 40


@pytest.mark.parametrize("case", variant_cases(), ids=lambda case: case.name)
def test_every_variant_reads_the_same_with_either_engine(case: VariantCase, tmp_path: Path) -> None:
    pdf, _ = render_case(case, tmp_path)
    assert_same_facts(pdf)


@pytest.mark.parametrize("name", sorted(STYLES))
def test_every_unhcr_style_variant_reads_the_same(name: str, tmp_path: Path) -> None:
    build(tmp_path / f"{name}.pdf", STYLES[name])
    assert_same_facts(tmp_path / f"{name}.pdf")


@pytest.mark.parametrize("name", sorted(STYLES_2023))
def test_every_unhcr_v2023_variant_reads_the_same(name: str, tmp_path: Path) -> None:
    build_v2023(tmp_path / f"{name}.pdf", STYLES_2023[name])
    assert_same_facts(tmp_path / f"{name}.pdf")


@pytest.mark.parametrize(("template", "drift"), DRIFTS)
def test_every_unhcr_drift_reads_the_same(template: str, drift: dict, tmp_path: Path) -> None:
    pdf, _ = render_drifted(_case(template, 2025, 7, **drift), nil=True, out_dir=tmp_path)
    assert assert_same_facts(pdf) > 10


def _same_in_batch(job: tuple[str, int]) -> str:
    """One issue of a seeded batch drawn and read by both engines; '' when identical, else why not."""
    from tests.open_world.test_dtm_batch import batch_cases
    from tests.open_world.widened import render_widened, widened_cases

    batch, index = job
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        if batch == "names":
            pdf, _ = render_case(drift_cases()[index], out)
        elif batch == "dtm":
            pdf, _ = render_case(list(batch_cases(index + 1))[index], out)
        elif batch == "unhcr":
            case, nil = drifted_cases(120, 20241210)[index]
            pdf, _ = render_drifted(case, nil, out)
        else:
            case, nil = list(widened_cases(index + 1))[index]
            pdf, _ = render_widened(case, nil, out)
        try:
            assert_same_facts(pdf)
        except AssertionError as error:
            return f"{batch} {index}: {error}"
    return ""


#: The seeded batches: the widened batch always (slow); the name-drift issues and both open-world batches
#: too by hand, with MIXEDFLOWS_IDENTITY_BATCHES=all (`pytest -m slow tests/extract/test_engine_identity.py`),
#: about 15 minutes on two loaded cores.
BATCHES = {"names": 42, "dtm": 120, "unhcr": 120, "widened": 200}


@pytest.mark.slow
@pytest.mark.parametrize(
    "batch", sorted(BATCHES) if os.environ.get("MIXEDFLOWS_IDENTITY_BATCHES") == "all" else ["widened"]
)
def test_seeded_batches_read_the_same_with_either_engine(batch: str) -> None:
    """The widened batch (and by hand the name-drift issues and both open-world batches), their own seeds."""
    size = BATCHES[batch]
    with ProcessPoolExecutor(2) as pool:
        differences = [d for d in pool.map(_same_in_batch, [(batch, i) for i in range(size)], chunksize=4) if d]
    assert differences == []


def test_the_cli_reads_with_the_engine_asked_and_records_it_in_the_extractor_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import json

    from typer.testing import CliRunner

    from extractors.document import ENGINE_ENV
    from mixedflows.cli import app
    from mixedflows.extractor_version import extractor_version

    monkeypatch.delenv(ENGINE_ENV, raising=False)
    runner = CliRunner()
    sample = str(ROOT / "raw_pdfs" / "unhcr_wb" / "2024-12.pdf")
    rows = {}
    for engine in ("pdfplumber", "pdfium"):
        result = runner.invoke(app, ["extract", "--engine", engine, "--format", "json", sample])
        assert result.exit_code == 0, result.output
        rows[engine] = json.loads(result.stdout)
    assert [{k: v for k, v in r.items() if k != "bbox"} for r in rows["pdfium"]] == [
        {k: v for k, v in r.items() if k != "bbox"} for r in rows["pdfplumber"]
    ]
    assert ENGINE_ENV not in os.environ  # the option does not outlive its command
    refused = runner.invoke(app, ["extract", "--engine", "pdfminer", sample])
    assert refused.exit_code == 2 and "pdfminer" in refused.output
    assert extractor_version(engine="pdfium").endswith(".pdfium")
    assert extractor_version(engine="pdfplumber").endswith(".pdfplumber")
    monkeypatch.setenv(ENGINE_ENV, "pdfium")
    assert extractor_version().endswith(".pdfium")
    monkeypatch.setenv(ENGINE_ENV, "tesseract")
    with pytest.raises(ExtractionError, match="unknown document engine 'tesseract'"):
        extract(sample)
