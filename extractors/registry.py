"""The registry of report families and `extract`, which recognises a PDF and reads every section."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

from . import dtm_wb, unhcr_wb
from .context import ReportContext, SectionProblem
from .document import Document
from .errors import AnchorNotFoundError, ExtractionError, LayoutChangedError, UnknownLabelError, UnknownReportError
from .facts import Fact
from .spec import LayoutSpec, ReportSpec

#: Every report family mixedflows reads, by family key. CLI choices and tests derive from this.
EXTRACTORS: dict[str, ReportSpec] = {spec.family: spec for spec in (dtm_wb.SPEC, unhcr_wb.SPEC)}


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


#: Problems a reader records that still let its figures be published (a warning in validation).
WARNING_PROBLEMS = frozenset({"fuzzy_label"})


def _raise_recorded(problems: list[SectionProblem]) -> None:
    """In strict mode, a label a reader held back refuses the report as an exception did before."""
    for problem in problems:
        if problem.rule not in WARNING_PROBLEMS:
            raise UnknownLabelError(problem.detail, page=problem.page, bbox=problem.bbox, printed=problem.printed)


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
    pdf_path: str | Path, source_url: str | None = None, *, strict: bool = True, engine: str | None = None
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
    """
    return read_document(Document.open(pdf_path, engine=engine), source_url, strict=strict)


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
