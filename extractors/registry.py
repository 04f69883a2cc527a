"""The registry of report families and `extract`, which recognises a PDF and reads every section."""

from __future__ import annotations

import dataclasses
import importlib
from collections import Counter
from pathlib import Path
from types import ModuleType

from .context import ReportContext, SectionProblem
from .document import Document
from .errors import (
    AnchorNotFoundError,
    ExtractionError,
    LayoutChangedError,
    SectionUnreadableError,
    UnknownLabelError,
    UnknownReportError,
)
from .facts import Fact
from .integrity import broken_figures, without_broken
from .second_reading import SecondReading, read_tables_again
from .spec import LayoutSpec, ReportSpec

#: The report families mixedflows reads: each is the package `extractors/families/<key>/` holding its
#: spec, section readers, web source (`source.SOURCE`) and trend plots (`plots.PLOTS`).
FAMILIES: tuple[str, ...] = ("dtm_wb", "unhcr_wb")


def family_module(family: str, part: str | None = None) -> ModuleType:
    """The package of a family, or one of its modules (`source`, `plots`), imported on first use.

    The web source and the plots are imported only by the code that needs them, so that reading a PDF
    loads neither the acquisition code nor matplotlib.
    """
    if family not in FAMILIES:
        raise KeyError(f"unknown report family {family!r} (known: {', '.join(FAMILIES)})")
    return importlib.import_module(f"{__package__}.families.{family}" + (f".{part}" if part else ""))


#: Every report family mixedflows reads, by family key. CLI choices and tests derive from this.
EXTRACTORS: dict[str, ReportSpec] = {family: family_module(family).SPEC for family in FAMILIES}


@dataclasses.dataclass(frozen=True)
class ExtractedReport:
    """Every fact one PDF prints, with the family and layout it was recognised as."""

    report_id: str
    family: str
    layout_version: str
    report_month: str
    pdf_sha256: str
    path: Path
    facts: tuple[Fact, ...]
    #: Second printings of figures in `facts` (same key), for validation to compare; never published.
    repeats: tuple[Fact, ...] = ()
    #: Sections (or labels) that could not be read: each becomes an error-level violation that holds
    #: the report in quarantine, while every other section's facts are still returned.
    problems: tuple[SectionProblem, ...] = ()
    #: camelot's independent reading of the table cells where `facts` were printed (`extract(...,
    #: second_reading=True)`), for validation's `second_reading` rule; empty when not asked for.
    second_readings: tuple[SecondReading, ...] = ()


#: Problems a reader records that still let its figures be published (a warning in validation).
WARNING_PROBLEMS = frozenset({"fuzzy_label"})


def _raise_recorded(problems: list[SectionProblem]) -> None:
    """In strict mode, a label a reader held back refuses the report as an exception did before."""
    for problem in problems:
        if problem.rule not in WARNING_PROBLEMS:
            raise UnknownLabelError(problem.detail, page=problem.page, bbox=problem.bbox, printed=problem.printed)


def _hold_back_broken(document: Document, context: ReportContext, facts: list[Fact], *, strict: bool) -> list[Fact]:
    """Facts printed on a line where damage broke a figure apart are held back, and each break is a problem."""
    broken = broken_figures(document)
    for word in broken:
        detail = (
            f"{document.name} ({context.report_id}): page {word.page} prints {word.text!r}, a figure broken apart "
            "(damaged text layer?); the figures on its line are held back"
        )
        if strict:
            raise SectionUnreadableError(detail, page=word.page, bbox=word.bbox, printed=word.text)
        context.problems.append(
            SectionProblem(
                rule="unreadable_section", section="", detail=detail, page=word.page, bbox=word.bbox, printed=word.text
            )
        )
    return without_broken(facts, broken) if broken else facts


def recognise(document: Document) -> tuple[ReportSpec, LayoutSpec]:
    """The family and layout of a parsed PDF, from its own text (never its file name)."""
    families = [spec for spec in EXTRACTORS.values() if spec.recognises(document.text)]
    if not families:
        raise UnknownReportError(f"{document.name}: not an issue of any known report (known: {', '.join(EXTRACTORS)})")
    if len(families) > 1:
        # Titles are matched loosely (a title may wrap or gain a word), so one family's words can turn up in
        # another's text; the layout signatures (the headings each layout prints) tell them apart.
        laid_out = [spec for spec in families if spec.layout_for(document.text) is not None]
        if len(laid_out) == 1:
            families = laid_out
    if len(families) > 1:
        raise UnknownReportError(
            f"{document.name}: reads like more than one report family ({', '.join(s.family for s in families)})"
        )
    spec = families[0]
    layout = spec.layout_for(document.text)
    if layout is None:
        known = ", ".join(layout.version for layout in spec.layouts)
        raise UnknownReportError(f"{document.name}: a {spec.family} report in a layout we do not know (known: {known})")
    return spec, layout


def extract(
    pdf_path: str | Path,
    source_url: str | None = None,
    *,
    strict: bool = True,
    engine: str | None = None,
    second_reading: bool = False,
) -> ExtractedReport:
    """Read every figure a report PDF prints.

    Parameters
    ----------
    pdf_path
        The PDF file. Its family and layout are recognised from its text.
    source_url
        Where the PDF was downloaded from, recorded on every fact (None for a local file).
    engine
        The document engine, `pdfplumber` or `pdfium` (default: $MIXEDFLOWS_ENGINE, else
        `extractors.document.DEFAULT_ENGINE`); both give the same facts.

    Returns
    -------
    ExtractedReport
        The facts, in the order the sections print them.

    Raises
    ------
    ExtractionError
        With a one-line message naming the file and what is wrong: not a PDF, no text layer,
        unknown report or layout, a section missing or shaped differently from its layout.
    second_reading
        Also read every table figure again with camelot (`ExtractedReport.second_readings`), for
        validation to compare; costs about a second per DTM report, so only what validates asks.
    """
    report = read_document(Document.open(pdf_path, engine=engine), source_url, strict=strict)
    return with_second_reading(report) if second_reading else report


def with_second_reading(report: ExtractedReport) -> ExtractedReport:
    """The report with camelot's reading of its table cells (read from the file at `report.path`)."""
    return dataclasses.replace(report, second_readings=read_tables_again(report.path, report.facts))


def read_document(document: Document, source_url: str | None = None, *, strict: bool = True) -> ExtractedReport:
    """Every figure of an already parsed PDF (what `extract` does after opening the file).

    Tests use it to read a parsed sample whose words they moved or renamed. With `strict`, the first
    section that cannot be read raises (the whole report is refused); without it, every other section
    is read and the failures are returned as `problems`.
    """
    spec, layout = recognise(document)
    year, month = spec.report_month(document)
    report_id = spec.report_id(year, month)
    context = ReportContext(
        report_id=report_id,
        publisher=spec.publisher,
        year=year,
        month=month,
        pdf_sha256=document.sha256,
        source_url=source_url,
        file_name=document.name,
    )
    facts: list[Fact] = []
    first_error: ExtractionError | None = None
    for section in layout.sections:
        section_context = dataclasses.replace(context, section=section.name)
        try:
            found = list(section.read(document, section_context))
            if strict:
                _raise_recorded(context.problems)
        except UnknownReportError:
            raise
        except ExtractionError as error:
            if strict:
                raise
            first_error = first_error or error
            context.problems.append(SectionProblem.from_error(section.name, error))
            continue
        if section.required and not found:
            if strict:
                raise AnchorNotFoundError(
                    f"{document.name} ({report_id}): section {section.name!r} printed no figure we could read"
                )
            context.problems.append(
                SectionProblem(
                    rule="unreadable_section",
                    section=section.name,
                    detail=f"{document.name} ({report_id}): section {section.name!r} printed no figure we could read",
                )
            )
        facts.extend(found)
    if not facts and first_error is not None:
        # Nothing of the report could be read: a whole-report failure (one line), not a quarantine.
        raise first_error
    facts = _hold_back_broken(document, context, facts, strict=strict)
    repeats = [f for f in facts if f.repeat]
    facts = [f for f in facts if not f.repeat]
    counts = Counter(f.key for f in facts)
    duplicates = {key for key, count in counts.items() if count > 1}
    if strict and duplicates:
        raise LayoutChangedError(
            f"{document.name} ({report_id}): the same figure was read twice ({sorted(duplicates, key=str)[0][1:]}); "
            "layout changed?"
        )
    for key in sorted(duplicates, key=str):
        twice = [f for f in facts if f.key == key]
        context.problems.append(
            SectionProblem(
                rule="unreadable_section",
                section="",
                detail=f"{document.name} ({report_id}): the same figure was read twice ({key[1:]}); layout changed?",
                page=twice[1].page,
                bbox=twice[1].bbox,
            )
        )
    # A figure read twice with no way to tell which printing is right is published under neither.
    facts = [f for f in facts if f.key not in duplicates]
    return ExtractedReport(
        report_id=report_id,
        family=spec.family,
        layout_version=layout.version,
        report_month=context.report_month,
        pdf_sha256=document.sha256,
        path=document.path,
        facts=tuple(facts),
        repeats=tuple(repeats),
        problems=tuple(context.problems),
    )
