"""Each report family is one folder: its spec, readers, web source and plots, with a sample, truth and goldens.

The path to add a family (docs: "Adding a report family") is what these tests check: a family key in
`extractors.registry.FAMILIES` needs all of it, and each section it declares yields only the indicators it
names, in the catalogue's units.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from extractors.context import ReportContext
from extractors.document import Document
from extractors.registry import EXTRACTORS, FAMILIES, family_module, recognise
from mixedflows.acquire import SOURCES
from schemas.indicators import INDICATORS
from tests.conftest import SAMPLE_PDFS, TESTS, golden_path, sample_id, truth_path

FAMILIES_DIR = Path(__file__).resolve().parents[2] / "extractors" / "families"


@pytest.mark.parametrize("family", FAMILIES)
def test_a_family_is_one_folder_with_spec_source_and_plots(family: str) -> None:
    folder = FAMILIES_DIR / family
    assert {"__init__.py", "spec.py", "source.py", "plots.py"} <= {p.name for p in folder.iterdir()}
    assert EXTRACTORS[family].family == family
    assert family_module(family, "source").SOURCE.family == family
    assert SOURCES[family] is family_module(family, "source").SOURCE
    plots = family_module(family, "plots").PLOTS
    assert plots and all(callable(build) and name.endswith(".png") for build, name in plots)


@pytest.mark.parametrize("family", FAMILIES)
def test_a_family_has_samples_with_truth_and_goldens(family: str) -> None:
    samples = sorted((TESTS / "pdfs" / family).glob("*.pdf"))
    assert samples, f"tests/pdfs/{family}/ has no sample"
    for pdf in samples:
        assert truth_path(pdf).is_file(), truth_path(pdf)
        assert golden_path(pdf).is_file(), golden_path(pdf)
    layouts = {layout.version for layout in EXTRACTORS[family].layouts}
    read = {recognise(Document.open(pdf))[1].version for pdf in samples}
    assert read == layouts, f"{family}: no sample of layout {sorted(layouts - read)}"


@pytest.mark.parametrize("family", FAMILIES)
def test_declared_indicators_are_the_family_s_in_the_catalogue(family: str) -> None:
    for layout in EXTRACTORS[family].layouts:
        for section in layout.sections:
            assert section.indicators, f"{family} {layout.version} {section.name} declares no indicator"
            assert section.headings, f"{family} {layout.version} {section.name} declares no heading"
            for name in section.indicators:
                assert family in INDICATORS[name].families, f"{name} is not listed as a {family} indicator"


@pytest.mark.parametrize("pdf", SAMPLE_PDFS, ids=sample_id)
def test_each_section_yields_its_declared_indicators_in_catalogue_units(pdf: Path) -> None:
    document = Document.open(pdf)
    spec, layout = recognise(document)
    year, month = spec.report_month(document)
    context = ReportContext(
        report_id=spec.report_id(year, month),
        publisher=spec.publisher,
        year=year,
        month=month,
        pdf_sha256=document.sha256,
        source_url=None,
        file_name=document.name,
    )
    for section in layout.sections:
        facts = section.read(document, dataclasses.replace(context, section=section.name))
        assert facts, f"{section.name} read nothing"
        assert {f.indicator for f in facts} <= set(section.indicators), section.name
        assert all(f.unit == INDICATORS[f.indicator].unit for f in facts), section.name
