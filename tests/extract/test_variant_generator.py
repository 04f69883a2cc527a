"""The variant generator: its cases cover every knob, its issues keep the reports' promises, its PDFs are sound."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pytest

from extractors.geo import WB_COUNTRIES
from tests.conftest import TESTS
from tests.support import parsed
from tests.variants import VariantCase, case_truth, render_case, variant_cases
from tests.variants.compare import overlapping_words, read_words
from tests.variants.labels import number
from tests.variants.style import CASE_CHOICES, PLANTS, Style

CASES = variant_cases()
#: A figure printed in a PDF reads as one word of this shape (`1,420`, `(36%)`, `+16%`, `-8%`, `4.5%`).
NUMERIC_WORD = re.compile(r"^[(+\-]?\d[\d,.]*%?\)?[.,:]?$")
#: The whole set must render in a few seconds (measured: about 1.2 s for 24 issues on 2 cores).
RENDER_ALL_BUDGET_S = 10.0


def _by_key(truth: dict) -> dict[tuple, float | None]:
    return {
        (r["indicator"], r["geo"], r["period_start"], r["period_end"], r["breakdown"], r["rank"]): r["value"]
        for r in truth["facts"]
    }


def _rows(truth: dict, indicator: str) -> list[dict]:
    return [r for r in truth["facts"] if r["indicator"] == indicator]


def _round(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def test_cases_cover_every_style_knob_value() -> None:
    """Together the cases use every value of every knob, in both families and both layouts, one month each."""
    styles = [c.style for c in CASES]
    for knob, allowed in CASE_CHOICES.items():
        for family in ("dtm_wb", "unhcr_wb"):
            used = {getattr(c.style, knob) for c in CASES if c.family == family}
            assert used == set(allowed), f"{family}: {knob} uses {sorted(used)}, not all of {allowed}"
    assert {s.pct_space for s in styles} == {True, False}
    assert {s.fake_bold for s in styles} == {True, False}
    assert {s.jitter > 0 for s in styles} == {True, False}
    assert {s.tracking > 0 for s in styles} == {True, False}
    assert len({s.country_order for s in styles}) >= 3
    assert {p for s in styles for p in s.plant} == set(PLANTS)
    assert {(c.family, c.template.endswith("2023-06")) for c in CASES} == {
        ("dtm_wb", True),
        ("dtm_wb", False),
        ("unhcr_wb", True),
        ("unhcr_wb", False),
    }
    assert len({c.report_id for c in CASES}) == len(CASES) >= 24
    assert {c.absent for c in CASES if c.family == "dtm_wb"} >= {("SRB",), ()}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_generated_issue_keeps_the_reports_promises(case: VariantCase) -> None:
    """Sums, shares, signs and year-to-date totals hold, except the one rule a plant breaks and declares."""
    truth = case_truth(case)
    rules_broken = _dtm_rules_broken if truth["family"] == "dtm_wb" else _unhcr_rules_broken
    broken = rules_broken(truth, _by_key(truth))
    declared = {v["rule"] for v in truth["expected_violations"]} - {"arrow_sign"}
    assert broken == declared == set(case.style.plant) - {"arrow_sign"}
    assert ("arrow_sign" in case.style.plant) == any(v["rule"] == "arrow_sign" for v in truth["expected_violations"])


def _dtm_rules_broken(truth: dict, facts: dict) -> set[str]:
    broken = set()
    year, month = (int(p) for p in truth["report_id"].split("-")[-2:])
    monthly = defaultdict(dict)
    for r in _rows(truth, "registrations_on_arrival"):
        if r["period_start"][:7] == r["period_end"][:7]:
            monthly[r["period_start"][:7]][r["geo"]] = r["value"]
    for period, values in monthly.items():
        if set(values) >= {*WB_COUNTRIES, "WB"}:
            assert values["WB"] == sum(values[g] for g in WB_COUNTRIES), period
    this = f"{year:04d}-{month:02d}"
    previous = f"{year - (month == 1):04d}-{(month - 2) % 12 + 1:02d}"
    change = _rows(truth, "registrations_on_arrival_change")[0]["value"]
    assert change == _round((monthly[this]["WB"] / monthly[previous]["WB"] - 1) * 100)
    ytd = [
        r
        for r in _rows(truth, "registrations_on_arrival")
        if r["geo"] == "WB" and r["period_start"] == f"{year:04d}-01-01" and r["period_end"][:7] == this
    ][0]["value"]
    assert ytd == sum(v["WB"] for p, v in monthly.items() if p.startswith(f"{year:04d}-") and "WB" in v)
    for r in _rows(truth, "arrival_nationality_share"):
        change = facts[
            (
                "arrival_nationality_share_change",
                r["geo"],
                r["period_start"],
                r["period_end"],
                r["breakdown"],
                r["rank"],
            )
        ]
        assert r["value"] - change >= 0, "a previous share below zero"
    for indicator in ("reception_centres", "reception_capacity", "reception_occupancy"):
        rows = {r["geo"]: r["value"] for r in _rows(truth, indicator) if r["period_start"][:7] == this}
        assert rows["WB"] == sum(rows[g] for g in WB_COUNTRIES)
    for indicator in (
        "avrr_returns",
        "asylum_applications",
        "voluntary_returns_authorities",
        "non_voluntary_returns_authorities",
    ):
        periods = defaultdict(dict)
        for r in _rows(truth, indicator):
            periods[(r["period_start"], r["period_end"])][r["geo"]] = r["value"]
        for values in periods.values():
            if "WB" in values and len(values) > 1:
                parts = sum(v or 0 for g, v in values.items() if g != "WB")
                if values["WB"] != parts:
                    broken.add("sum_to_total")
    shares = [r["value"] for r in _rows(truth, "avrr_returns_share")]
    if sum(shares) != 100:
        broken.add("share_sum")
    return broken


def _unhcr_rules_broken(truth: dict, facts: dict) -> set[str]:
    broken = set()
    periods = defaultdict(dict)
    for r in _rows(truth, "new_arrivals"):
        periods[r["period_start"]][r["geo"]] = r["value"]
    for values in periods.values():
        if values["WB"] != sum(values[g] for g in WB_COUNTRIES):
            broken.add("sum_to_total")
    if sum(r["value"] for r in _rows(truth, "persons_present_share")) != 100:
        broken.add("share_sum")
    (intentions,) = _rows(truth, "asylum_intentions")
    (applications,) = _rows(truth, "asylum_applications")
    (ratio,) = _rows(truth, "asylum_application_intention_ratio")
    assert ratio["value"] == max(1, _round(applications["value"] / intentions["value"] * 100))
    (change,) = _rows(truth, "mixed_movement_transits_change")
    this_year, year_before = (periods[start]["WB"] for start in sorted(periods, reverse=True))
    assert (change["value"] < 0) == (this_year < year_before)
    (uasc,) = _rows(truth, "uasc_present")
    present = next(
        r for r in _rows(truth, "persons_present") if r["geo"] == "WB" and r["period_end"] == uasc["period_end"]
    )
    if uasc["value"] > present["value"]:
        broken.add("part_within_whole")
    nat = sorted(_rows(truth, "persons_present_nationality_share"), key=lambda r: r["rank"])
    assert [r["value"] for r in nat] == sorted((r["value"] for r in nat), reverse=True)
    return broken


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_no_text_overlaps_and_every_figure_is_a_word_of_its_own(case: VariantCase) -> None:
    """No label, mark or letter-spacing runs into other text: each value is a clean numeric word on its page."""
    pdf, truth = parsed.variant(case)
    pages = read_words(pdf)
    overlaps = [(n, a.text, b.text) for n, page in enumerate(pages, 1) for a, b in overlapping_words(page)]
    assert not overlaps, overlaps[:5]
    words = [{w.text.strip("().,:+-%") for w in page if NUMERIC_WORD.match(w.text)} for page in pages]
    unseen = [
        (r["indicator"], r["geo"], r["period_start"], r["value"])
        for r in truth["facts"]
        if r["value"] is not None and number(abs(r["value"])) not in words[r["page"] - 1]
    ]
    assert not unseen, unseen[:5]


def test_rendering_is_deterministic(tmp_path: Path) -> None:
    """The same case renders to the same bytes and the same truth (seeded, fixed PDF dates)."""
    case = next(c for c in CASES if c.style.banner == "image" and c.style.jitter > 0)
    first_pdf, first = render_case(case, tmp_path / "a")
    second_pdf, second = render_case(case, tmp_path / "b")
    assert first_pdf.read_bytes() == second_pdf.read_bytes()
    assert first == second


def test_pdf_and_truth_say_they_are_synthetic(tmp_path: Path) -> None:
    """Every generated PDF's metadata and truth file say the issue is a synthetic imitation."""
    pdf, truth = render_case(CASES[0], tmp_path)
    with pdfplumber.open(pdf) as doc:
        meta = doc.metadata
    assert "synthetic" in meta["Creator"].lower() and "synthetic" in meta["Subject"].lower()
    assert truth["synthetic"] is True
    assert json.loads((tmp_path / f"{CASES[0].report_id}.truth.json").read_text()) == truth


@pytest.mark.slow
def test_whole_set_renders_in_a_few_seconds(tmp_path: Path) -> None:
    """All cases render, with their truth files, well within the budget."""
    started = time.perf_counter()
    for case in CASES:
        render_case(case, tmp_path)
    elapsed = time.perf_counter() - started
    assert elapsed < RENDER_ALL_BUDGET_S, f"{elapsed:.1f} s"
    assert len(list(tmp_path.glob("*.pdf"))) == len(list(tmp_path.glob("*.truth.json"))) == len(CASES)


@pytest.mark.slow
def test_module_command_writes_pdfs_and_truth_files(tmp_path: Path) -> None:
    """`python -m tests.variants OUT_DIR` writes each chosen case as a PDF beside its truth file."""
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "tests.variants", str(tmp_path), "--only", "unhcr_wb-v2023"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    written = sorted(p.name for p in tmp_path.iterdir())
    expected = sorted(
        n for c in CASES if "unhcr_wb-v2023" in c.name for n in (f"{c.report_id}.pdf", f"{c.report_id}.truth.json")
    )
    assert written == expected, result.stdout
    truth = json.loads((tmp_path / expected[1]).read_text())
    assert {"report_id", "family", "layout_version", "style", "expected_violations", "facts"} <= set(truth)
    assert all(isinstance(r["page"], int) for r in truth["facts"])


def _variant(name: str, **changes: object) -> VariantCase:
    """A case of the list with some style knobs changed."""
    case = next(c for c in CASES if c.name == name)
    return dataclasses.replace(case, style=dataclasses.replace(case.style, **changes))


def _text(pdf: Path, page: int = 1) -> str:
    with pdfplumber.open(pdf) as doc:
        return doc.pages[page - 1].dedupe_chars().extract_text()


@pytest.mark.slow
def test_knobs_change_the_pdf_as_described(tmp_path: Path) -> None:
    """Each knob shows in the PDF the way its name says (labels, marks, rules, banner, spacing, overprint)."""
    base = "dtm_wb-v2024-2024-01"
    pdf, _ = render_case(_variant(base, kosovo="sres", month_labels="Month YYYY", bih_label="BiH"), tmp_path / "a")
    text = _text(pdf)
    assert "Kosovo (S/RES/1244 (1999))" in text and "January 2024" in text and "BiH" in text
    pdf, _ = render_case(_variant(base, banner="image"), tmp_path / "b")
    with pdfplumber.open(pdf) as doc:
        assert doc.pages[0].images and "MIGRATORY FLOWS REPORT" not in doc.pages[0].extract_text()
    pdf, _ = render_case(_variant(base, footnote_marks="unicode"), tmp_path / "c")
    assert "ARRIVAL¹,²" in _text(pdf)
    rules = {}
    for knob in ("none", "hlines", "grid"):
        pdf, _ = render_case(_variant(base, table_rules=knob), tmp_path / knob)
        with pdfplumber.open(pdf) as doc:
            lines = doc.pages[2].lines  # page 3: three ruled tables and the footnote separator
            rules[knob] = (
                sum(1 for ln in lines if ln["x0"] == ln["x1"]),
                sum(1 for ln in lines if ln["y0"] == ln["y1"]),
            )
    assert rules["none"] == (0, 1) and rules["hlines"][0] == 0 < rules["hlines"][1] and rules["grid"][0] > 0
    pdf, _ = render_case(_variant(base, tracking=1.0), tmp_path / "f")
    with pdfplumber.open(pdf) as doc:
        chars = [c for c in doc.pages[0].chars if c["size"] == 13.0]
        gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:], strict=False) if a["text"] != " "][:5]
        assert all(g > 0.9 for g in gaps), gaps
    pdf, _ = render_case(_variant(base, fake_bold=True), tmp_path / "g")
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        assert len(page.chars) > len(page.dedupe_chars().chars)


def test_planted_arrow_points_against_its_change(tmp_path: Path) -> None:
    """With `arrow_sign` planted, exactly one nationality arrow disagrees with the sign printed beside it."""
    case = next(c for c in CASES if "arrow_sign" in c.style.plant)
    pdf, truth = render_case(case, tmp_path)
    changes = [r["value"] for r in truth["facts"] if r["indicator"] == "arrival_nationality_share_change"]
    text = _text(pdf, 2)
    ups, downs = text.count("↑"), text.count("↓")
    positive, negative = sum(v > 0 for v in changes), sum(v < 0 for v in changes)
    assert ups + downs == positive + negative
    assert abs(ups - positive) == 1 and abs(downs - negative) == 1
    assert [v["rule"] for v in truth["expected_violations"]] == ["arrow_sign"]


def test_style_rejects_unknown_values() -> None:
    """A style knob outside its known values is refused with a message naming the knob."""
    with pytest.raises(ValueError, match="style.kosovo"):
        Style(kosovo="kosova")
    with pytest.raises(ValueError, match="unknown style knobs"):
        Style.from_dict({"font": "dejavu", "colour": "red"})


def test_seeded_cases_draw_the_pdfs_they_always_drew(update_golden: bool) -> None:
    """Each seeded case draws the same bytes as when its digest was recorded (tests/expected), so every suite
    reading the variants keeps its meaning when the generator is refactored (`--update-golden` records anew)."""
    golden = TESTS / "expected" / "variant_cases.sha256.json"
    digests = {case.name: hashlib.sha256(parsed.variant(case)[0].read_bytes()).hexdigest() for case in CASES}
    if update_golden:
        golden.write_text(json.dumps(digests, indent=1) + "\n")
        pytest.skip(f"golden rewritten: {golden}")
    assert digests == json.loads(golden.read_text())
