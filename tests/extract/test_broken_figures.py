"""Damage that still parses: a figure broken apart, a note lost. Never a fragment read as the figure.

The text layers here are the (synthetic) samples' own, parsed once and then edited the way a damaged
content stream leaves them; the fuzz reproducers are the damaged files that found each defect.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest

from extractors.document import Document, Word
from extractors.integrity import broken_figure, marks_without_notes
from extractors.limits import ExtractionLimits
from extractors.registry import read_document
from tests.fuzz.harness import classify, load_seeds, mutated_files
from tests.support.words import edit_pages

PDFS = Path(__file__).parent.parent / "pdfs"


def _word(text: str, *, superscript: bool = False) -> Word:
    return Word(text, 10.0, 10.0, 10.0 + 4 * len(text), 18.0, 8.0, 1, superscript=superscript)


def _printed(value: int, rng: random.Random) -> str:
    """A figure as either publisher may print it: grouped with commas, or not when under 10,000."""
    text = f"{value:,}" if value >= 1000 and (value >= 10_000 or rng.random() < 0.7) else str(value)
    return rng.choice(("", "+", "-", "↓ -", "↑ +")) + text + rng.choice(("", "%", ")", "."))


def test_no_figure_as_printed_is_taken_for_a_broken_one() -> None:
    rng = random.Random(13)
    texts = [_printed(rng.randrange(0, 10 ** rng.randint(1, 7)), rng) for _ in range(5_000)]
    texts += ["2024,", "(2024)", "S/RES/1244", "1244", "H1N1", "4x4", "COVID-19", "Jan-24", "2023/24", "34.5%", "1–2"]
    assert [t for t in texts if broken_figure(_word(t))] == []


def _break(text: str, rng: random.Random) -> str:
    """What damage makes of a grouped figure: a digit lost from a group, or a glyph code turned into a letter."""
    if rng.random() < 0.5:
        groups = text.split(",")
        index = rng.randrange(1, len(groups))
        groups[index] = groups[index][:-1] if rng.random() < 0.5 else groups[index] + "7"
        return ",".join(groups)
    cut = rng.randrange(1, len(text) - 1)
    while not (text[cut - 1].isdigit() and text[cut].isdigit()):
        cut = rng.randrange(1, len(text) - 1)
    return text[:cut] + rng.choice("ȌЖßæŁ\x07") + text[cut:]


def test_every_grouped_figure_broken_by_damage_is_found() -> None:
    rng = random.Random(7)
    figures = [f"{rng.randrange(1_000, 10_000_000):,}" for _ in range(2_000)]
    broken = [_break(text, rng) for text in figures]
    assert [t for t in broken if not broken_figure(_word(t))] == []


def test_a_footnote_mark_is_never_a_broken_figure() -> None:
    assert not broken_figure(_word("1,2", superscript=True))
    assert not broken_figure(_word("10,", superscript=True))


def _sample(family: str, month: str) -> Document:
    return Document.open(PDFS / family / f"{month}.pdf")


def test_a_figure_broken_beside_its_label_holds_back_its_line_and_says_where() -> None:
    document = _sample("unhcr_wb", "2024-12")
    original = read_document(document)
    target = next(f for f in original.facts if f.indicator == "asylum_intentions")
    printed = f"{int(target.value):,}"

    def split(page):  # "25,355" printed as "25,35" and "5", as a damaged glyph position leaves it
        words = []
        for w in page.words:
            if w.text == printed and page.number == target.page:
                middle = w.x0 + (w.x1 - w.x0) * 0.8
                words += [
                    dataclasses.replace(w, text=printed[:-1], x1=middle),
                    dataclasses.replace(w, text=printed[-1], x0=middle + 3),
                ]
            else:
                words.append(w)
        return words

    damaged = read_document(edit_pages(document, split), strict=False)
    values = {(f.indicator, f.value) for f in damaged.facts}
    assert ("asylum_intentions", float(printed[-1])) not in values
    assert not any(f.indicator == "asylum_intentions" for f in damaged.facts)
    problem = next(p for p in damaged.problems if p.printed == printed[:-1])
    assert problem.rule == "unreadable_section" and problem.page == target.page and problem.bbox is not None
    # Every figure not on that line is still read, unchanged.
    untouched = {
        f.key: f.value for f in original.facts if f.page != target.page or abs(f.bbox[1] - target.bbox[1]) > 20
    }
    read = {f.key: f.value for f in damaged.facts}
    assert {k: read.get(k) for k in untouched} == untouched


def test_a_figure_under_a_label_is_the_first_thing_printed_under_it() -> None:
    document = _sample("unhcr_wb", "2023-06")
    original = read_document(document)
    lost = {f"{int(f.value):,}" for f in original.facts if f.indicator.startswith("asylum_")}
    lost_page = next(f.page for f in original.facts if f.indicator == "asylum_intentions")

    def lose_figures(page):  # the row of asylum figures lost; a footnote's "1244" still printed below
        return [
            w
            for w in page.words
            if not (page.number == lost_page and w.text.rstrip("%") in {t.rstrip("%") for t in lost})
        ]

    damaged = read_document(edit_pages(document, lose_figures), strict=False)
    assert not any(f.indicator.startswith("asylum_") for f in damaged.facts)
    assert any(p.section == "asylum" for p in damaged.problems)


def _without_note(document: Document, number: str) -> Document:
    def edit(page):
        gone = {
            id(w) for line in page.lines if line.words[0].text == number and len(line.words) > 1 for w in line.words
        }
        return [w for w in page.words if id(w) not in gone]

    return edit_pages(document, edit)


def test_a_non_final_note_that_cannot_be_read_holds_back_the_headlines() -> None:
    document = _sample("dtm_wb", "2023-06")
    original = read_document(document)
    qualified = [f for f in original.facts if f.qualifier == "non_final"]
    assert qualified, "the sample's headlines are marked non-final by its note 3"
    damaged = read_document(_without_note(document, "3"), strict=False)
    assert [n for n, _ in marks_without_notes(_without_note(document, "3"))] == ["3"]
    assert not any(f.key in {q.key for q in qualified} for f in damaged.facts)
    problem = next(p for p in damaged.problems if "footnote 3" in p.detail)
    assert problem.page == qualified[0].page and problem.printed == "3"


def test_an_issue_with_no_mark_and_no_note_publishes_its_headlines_as_final() -> None:
    document = _sample("dtm_wb", "2023-06")
    no_mark = edit_pages(
        _without_note(document, "3"), lambda page: [w for w in page.words if not (w.superscript and w.text == "3")]
    )
    report = read_document(no_mark, strict=False)
    headlines = [f for f in report.facts if f.indicator == "registrations_on_arrival" and f.method == "text"]
    assert headlines and all(f.qualifier is None for f in headlines)
    assert report.problems == ()


def test_every_shipped_sample_has_a_note_for_every_mark() -> None:
    for path in sorted(PDFS.glob("*/*.pdf")):
        assert marks_without_notes(Document.open(path)) == [], path


#: Damaged files the fuzz harness found reading a wrong figure, a wrong period, a lost qualifier, or
#: silently fewer figures, as (harness seed, index).
REPRODUCERS = ((7007, 424), (7007, 1342), (7007, 2104), (7007, 2507), (10101, 2571), (10101, 2877))


@pytest.mark.slow
def test_the_fuzz_reproducers_are_refused_or_read_right(tmp_path: Path) -> None:
    seeds = load_seeds(tmp_path)
    limits = ExtractionLimits()
    kinds = {}
    for harness_seed, index in REPRODUCERS:
        for number, seed, mutation, data in mutated_files(seeds, 1, harness_seed, index):
            path = tmp_path / f"{harness_seed}-{number:06d}-{mutation}.pdf"
            path.write_bytes(data)
            kinds[(harness_seed, number)] = classify(path, seed, limits)[:2]
    assert {key: kind for key, (kind, _) in kinds.items()} == dict.fromkeys(REPRODUCERS, "error"), kinds


def test_a_label_naming_two_years_with_no_range_between_them_names_no_period() -> None:
    from extractors.context import ReportContext
    from extractors.errors import LayoutChangedError
    from extractors.families.dtm_wb.readers import period_in

    context = ReportContext(report_id="dtm-wb-2024-12", publisher="IOM DTM", year=2024, month=12, pdf_sha256="")
    assert period_in("granted from 2016 to 2023", context) == (dt.date(2016, 1, 1), dt.date(2023, 12, 31))
    assert period_in("granted in 2023", context) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    with pytest.raises(LayoutChangedError, match="names the years"):
        period_in("granted from 2016 14 to 2023", context, "x.pdf: section 'trafficking'")
