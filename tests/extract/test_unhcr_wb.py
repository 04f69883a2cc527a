"""The UNHCR readers on real sample pages whose words were moved, renamed or dropped as unseen issues vary."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from extractors.document import Document, Page, Word
from extractors.errors import AnchorNotFoundError, SectionUnreadableError, UnknownLabelError
from extractors.numbers import is_number
from extractors.registry import extract, read_document
from tests.conftest import TESTS
from tests.support import parsed
from tests.support.pdf_builders import text_pdf
from tests.support.words import moved, respelled

SAMPLES = TESTS / "pdfs" / "unhcr_wb"


def figures(document: Document) -> dict[tuple, float | None]:
    """Every extracted figure by its key (indicator, geo, period, breakdown, rank)."""
    return {fact.key[1:]: fact.value for fact in read_document(document).facts}


def figures_of(report) -> dict[tuple, float | None]:
    return {fact.key[1:]: fact.value for fact in report.facts}


def edited(document: Document, page_number: int, edit: Callable[[list[Word]], list[Word]]) -> Document:
    """A copy of the parsed document whose page `page_number` has its words passed through `edit`."""
    pages = [
        Page(p.number, p.width, p.height, edit(list(p.words)), p.rules) if p.number == page_number else p
        for p in document.pages
    ]
    return Document(document.path, pages, document.sha256)


def find(words: list[Word], text: str, *, x_min: float = 0.0) -> list[Word]:
    """The consecutive words of one line (left of nothing in particular) that print `text`."""
    parts = text.split()
    for start, first in enumerate(words):
        if first.text != parts[0] or first.x0 < x_min:
            continue
        run = [first]
        for part in parts[1:]:
            nxt = next(
                (w for w in words[start:] if w.text == part and abs(w.top - first.top) < 1 and w.x0 > run[-1].x0),
                None,
            )
            if nxt is None:
                break
            run.append(nxt)
        if len(run) == len(parts):
            return run
    raise AssertionError(f"{text!r} not printed on the page")


def replace(text: str, new_text: str, *, x_min: float = 0.0) -> Callable[[list[Word]], list[Word]]:
    """An edit printing `new_text` instead of `text`; the rest of that line moves along as typesetting would."""

    def edit(words: list[Word]) -> list[Word]:
        old = find(words, text, x_min=x_min)
        new = respelled(old, new_text)
        shift = new[-1].x1 - old[-1].x1
        rest = [w for w in words if w not in old]
        return [moved(w, shift) if abs(w.top - old[0].top) < 1 and w.x0 > old[-1].x1 else w for w in rest] + new

    return edit


def bar_row(words: list[Word], label: str) -> list[Word]:
    """A chart row: its label and the figures printed beside it (within half a row of its centre)."""
    label_words = find(words, label, x_min=400)
    centre = (label_words[0].top + label_words[0].bottom) / 2
    values = [
        w
        for w in words
        if is_number(w.text) and w.x0 > label_words[-1].x1 and w.x0 < 655 and abs(w.y_center - centre) < 12
    ]
    return label_words + values


@pytest.fixture(scope="module")
def december() -> Document:
    return parsed.document(SAMPLES / "2024-12.pdf")


@pytest.fixture(scope="module")
def june_2023() -> Document:
    return parsed.document(SAMPLES / "2023-06.pdf")


def test_chart_rows_in_another_order_read_the_same(december: Document) -> None:
    """Albania and Serbia swap places in the arrivals chart: every figure stays with its country."""

    def swap(words: list[Word]) -> list[Word]:
        albania, serbia = bar_row(words, "Albania"), bar_row(words, "Serbia***")
        dy = serbia[0].top - albania[0].top
        swapped = [moved(w, dy=dy) for w in albania] + [moved(w, dy=-dy) for w in serbia]
        return [w for w in words if w not in albania and w not in serbia] + swapped

    assert figures(edited(december, 1, swap)) == figures(december)


@pytest.mark.parametrize(
    ("label", "variant"),
    [
        ("Bosnia and Herzegovina", "BiH"),
        ("Kosovo*", "Kosovo (S/RES/1244 (1999))"),
        ("Kosovo*", "Kosovo (UNSCR 1244)"),
        ("Kosovo*", "Kosovo4"),
    ],
)
def test_chart_labels_in_other_spellings_read_the_same(december: Document, label: str, variant: str) -> None:
    """BiH and the Kosovo variants in the arrivals chart resolve to the same countries."""
    assert figures(edited(december, 1, replace(label, variant, x_min=400))) == figures(december)


@pytest.mark.parametrize(
    ("text", "variant"),
    [
        ("Bosnia and Herzegovina (34.5%),", "BiH (34.5%),"),
        ("Kosovo (12%),", "Kosovo* (12%),"),
        ("Kosovo (12%),", "Kosovo⁴ (12%),"),
    ],
)
def test_prose_shares_in_other_spellings_read_the_same(december: Document, text: str, variant: str) -> None:
    """The shares sentence names countries in other spellings without losing a share."""
    assert figures(edited(december, 2, replace(text, variant))) == figures(december)


def test_a_label_wrapped_over_two_lines_reads_the_same(december: Document) -> None:
    """'Bosnia and Herzegovina' printed as 'Bosnia and' over 'Herzegovina' is still one row."""

    def wrap(words: list[Word]) -> list[Word]:
        old = find(words, "Bosnia and Herzegovina", x_min=400)
        height = old[0].bottom - old[0].top
        upper = respelled(old[:2], "Bosnia and", top=old[0].top - height / 2 - 0.5)
        lower = respelled(old[:1], "Herzegovina", top=old[0].top + height / 2 + 0.5)
        return [w for w in words if w not in old] + upper + lower

    assert figures(edited(december, 1, wrap)) == figures(december)


def test_a_country_absent_from_the_chart_makes_the_chart_unreadable(december: Document) -> None:
    """Montenegro missing from the arrivals chart (which prints all six places) is never a shorter chart:
    the section is unreadable, naming the place and the page (issue 13, complete tables or none)."""

    def drop(words: list[Word]) -> list[Word]:
        row = bar_row(words, "Montenegro")
        return [w for w in words if w not in row]

    with pytest.raises(
        SectionUnreadableError, match=r"section 'arrivals_by_country', page 1: no bars for MNE"
    ) as caught:
        figures(edited(december, 1, drop))
    assert caught.value.page == 1 and caught.value.bbox is not None


def test_an_unknown_country_in_the_chart_is_held_back(december: Document) -> None:
    """A row label we cannot resolve names the file, the section, the page and the label; strictly read it
    refuses the report, otherwise only its figures are held back (no neighbour takes them)."""
    document = edited(december, 1, replace("Montenegro", "Atlantis", x_min=400))
    with pytest.raises(
        UnknownLabelError,
        match=r"2024-12\.pdf \(unhcr-wb-2024-12\): section 'arrivals_by_country', page 1: unknown country 'Atlantis'",
    ):
        read_document(document)
    report = read_document(document, strict=False)
    expected = {k: v for k, v in figures(december).items() if not (k[0] == "new_arrivals" and k[1] == "MNE")}
    assert figures_of(report) == expected
    [problem] = report.problems
    assert (problem.rule, problem.section, problem.page, problem.printed) == (
        "unknown_label",
        "arrivals_by_country",
        1,
        "Atlantis",
    )
    assert problem.bbox is not None


def test_an_unknown_nationality_keeps_the_ranks_of_the_others(december: Document) -> None:
    """An unknown name in the nationalities chart holds its one share back; the rows under it keep their ranks."""
    report = read_document(edited(december, 2, replace("Syrian Arab Republic", "Freedonia")), strict=False)
    expected = {
        k: v
        for k, v in figures(december).items()
        if not (k[0] == "persons_present_nationality_share" and k[4] == "nationality:SYR")
    }
    assert figures_of(report) == expected
    assert [(p.rule, p.printed, p.page) for p in report.problems] == [("unknown_label", "Freedonia", 2)]


def test_a_fuzzy_nationality_is_read_and_flagged(december: Document) -> None:
    """'Lebanese Rep.' is no name hdx lists and matches no pattern, but only Lebanon's names hold its words:
    read as LBN with a fuzzy_label problem showing the printed label and the code chosen."""
    report = read_document(edited(december, 2, replace("Syrian Arab Republic", "Lebanese Rep.")), strict=False)
    renamed = {
        (k[0], k[1], k[2], k[3], "nationality:LBN" if k[4] == "nationality:SYR" else k[4], k[5]): v
        for k, v in figures(december).items()
    }
    assert figures_of(report) == renamed
    assert [(p.rule, p.printed, p.page) for p in report.problems] == [("fuzzy_label", "Lebanese Rep.", 2)]
    assert "'Lebanese Rep.' read as LBN by a fuzzy match" in report.problems[0].detail
    assert figures_of(read_document(edited(december, 2, replace("Syrian Arab Republic", "Lebanese Rep.")))) == renamed


def test_month_labels_in_another_style_read_the_same(december: Document) -> None:
    """'Jan 2024' axis labels printed as 'Jan-24' match the same bars."""

    def restyle(words: list[Word]) -> list[Word]:
        out = list(words)
        for month in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"):
            old = find(out, f"{month} 2024")
            out = [w for w in out if w not in old] + respelled(old[:1], f"{month}-24")
        return out

    assert figures(edited(december, 2, restyle)) == figures(december)


def test_short_nationality_names_read_the_same(december: Document) -> None:
    """'Syria' for 'Syrian Arab Republic' keeps the nationality and its rank."""
    assert figures(edited(december, 2, replace("Syrian Arab Republic", "Syria"))) == figures(december)


def test_a_missing_section_is_named(december: Document) -> None:
    """Without the nationalities heading the issue fails naming that section, never a partial result."""

    def drop_heading(words: list[Word]) -> list[Word]:
        heading = [w for w in words if w.bold and w.size >= 10 and w.x0 >= 420 and w.top < 60]
        return [w for w in words if w not in heading]

    with pytest.raises(AnchorNotFoundError, match=r"2024-12\.pdf \(unhcr-wb-2024-12\): section 'nationalities'"):
        read_document(edited(december, 2, drop_heading))


def test_v2023_table_rows_in_another_order_and_wrapped_read_the_same(june_2023: Document) -> None:
    """The v2023 arrivals table read with Albania and Serbia swapped and 'Bosnia and Herzegovina' wrapped."""

    def edit(words: list[Word]) -> list[Word]:
        def row(label: str) -> list[Word]:
            label_words = find(words, label, x_min=440)
            return label_words + [w for w in words if w.x0 > 600 and abs(w.top - label_words[0].top) < 2]

        albania, serbia = row("Albania"), row("Serbia")
        dy = serbia[0].top - albania[0].top
        bosnia = find(words, "Bosnia and Herzegovina", x_min=440)
        height = bosnia[0].bottom - bosnia[0].top
        wrapped = respelled(bosnia[:2], "Bosnia and", top=bosnia[0].top - height / 2 - 0.5)
        wrapped += respelled(bosnia[:1], "Herzegovina", top=bosnia[0].top + height / 2 + 0.5)
        kept = [w for w in words if w not in albania and w not in serbia and w not in bosnia]
        return kept + [moved(w, dy=dy) for w in albania] + [moved(w, dy=-dy) for w in serbia] + wrapped

    assert figures(edited(june_2023, 1, edit)) == figures(june_2023)


def test_v2023_dash_in_a_table_is_a_null_value(june_2023: Document) -> None:
    """A table cell printed '-' becomes a null value of the same key."""

    def dash(words: list[Word]) -> list[Word]:
        old = next(w for w in words if w.text == "455")
        return [w for w in words if w is not old] + respelled([old], "-")

    expected = figures(june_2023)
    expected[("new_arrivals", "XKX", *_key_dates(2022), None, None)] = None
    assert figures(edited(june_2023, 1, dash)) == expected


def _key_dates(year: int) -> tuple:
    return (dt.date(year, 1, 1), dt.date(year, 6, 30))


def test_recognised_unhcr_layout_with_sections_missing(tmp_path: Path) -> None:
    """A page that reads as a v2024 snapshot but prints none of its sections fails naming one."""
    hollow = text_pdf(
        tmp_path / "hollow.pdf",
        ["Refugees, asylum-seekers and other people in mixed movements", "Key figures at Regional level"]
        + ["As of end December 2024"] * 3,
    )
    with pytest.raises(AnchorNotFoundError, match=r"hollow\.pdf \(unhcr-wb-2024-12\): section 'key_figures'"):
        read_document(Document.open(hollow))


def test_every_message_is_one_line(december: Document) -> None:
    """Errors raised for a changed layout are one line, as the CLI prints them."""
    with pytest.raises(UnknownLabelError) as caught:
        read_document(edited(december, 1, replace("Montenegro", "Atlantis", x_min=400)))
    assert "\n" not in str(caught.value) and re.search(r"page \d", str(caught.value))


@pytest.mark.parametrize(
    ("printed", "variant"), [("43% less", "- 43% less"), ("43% less than", "a drop of 43%,"), ("43% less", "-43%")]
)
def test_change_on_last_year_in_other_wordings(december: Document, printed: str, variant: str) -> None:
    """'43% less', '- 43% less', 'a drop of 43%' and '-43%' all read as -43."""
    assert figures(edited(december, 1, replace(printed, variant))) == figures(december)


def test_v2023_persons_table_with_a_total_row_reads_the_same(june_2023: Document) -> None:
    """The persons-present table's 'Western Balkans' row printed as 'Total' is still the repeated total."""
    assert figures(edited(june_2023, 2, replace("Western Balkans", "Total", x_min=0))) == figures(june_2023)


def test_reworded_mixed_movements_heading_is_found(december: Document) -> None:
    """A mixed-movements heading worded differently is still that section's heading."""
    old = "Estimation of Persons of concern in Mixed Movements in the region"
    new = "Estimated persons in Mixed Movements in the region"
    assert figures(edited(december, 1, replace(old, new))) == figures(december)


def test_a_dash_for_the_asylum_ratio_is_a_null_value(december: Document) -> None:
    """'Application vs. Intention -' keeps the ratio's key with a null value."""
    expected = figures(december)
    key = next(k for k in expected if k[0] == "asylum_application_intention_ratio")
    expected[key] = None
    assert figures(edited(december, 1, replace("4%", "-"))) == expected


def test_touching_period_headers_are_split_along_the_figure_columns(tmp_path) -> None:
    """v2023 arrivals table with wide letter spacing: two 'January-September' headers nearly touch
    and read as one cell; the figure columns split them again and every figure is read."""
    from tests.variants import VariantCase, render_case
    from tests.variants.style import Style

    style = Style(font="dejavu", jitter=2, jitter_seed=68, table_rules="none", kosovo="footnote",
                  country_order=("XKX", "ALB", "BIH", "SRB", "MNE", "MKD"), footnote_marks="unicode",
                  pct_space=False, banner="image", tracking=0.6)  # fmt: skip
    case = VariantCase(name="touching-headers", template="unhcr_wb/2023-06", year=2023, month=9, seed=7, style=style)
    pdf, truth = render_case(case, tmp_path)
    report = extract(pdf)
    got = {(f.indicator, f.geo, f.period_start.isoformat(), f.period_end.isoformat()): f.value
           for f in report.facts if f.indicator == "new_arrivals"}  # fmt: skip
    expected = {(r["indicator"], r["geo"], r["period_start"], r["period_end"]): r["value"]
                for r in truth["facts"] if r["indicator"] == "new_arrivals"}  # fmt: skip
    assert got == expected and len(got) == 14
