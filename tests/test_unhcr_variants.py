"""The UNHCR extractor on v2024 issues drawn in styles the samples do not show, against the figures drawn."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from extractors import extract
from tests.unhcr_variants import Style, build, build_v2023, font_available

#: One style knob at a time, then seeded mixes of all of them.
STYLES: dict[str, Style] = {
    "times": Style(font="times"),
    "vera": Style(font="vera"),
    "dejavu": Style(font="dejavu"),
    "tracking": Style(tracking=0.8),
    "jitter": Style(jitter=3, seed=3),
    "order": Style(order=("SRB", "BIH", "MKD", "MNE", "ALB", "XKX")),
    "bih": Style(bih="short"),
    "kosovo-raised-mark": Style(kosovo="raised"),
    "kosovo-unicode": Style(kosovo="unicode", font="dejavu"),
    "kosovo-unscr": Style(kosovo="unscr"),
    "kosovo-sres": Style(kosovo="sres"),
    "short-nationalities": Style(nationalities="short"),
    "unicode-marks": Style(unicode_marks=True, font="dejavu"),
    "fake-bold": Style(fake_bold=True),
    "month-labels-dash": Style(months="Mon-YY"),
    "month-labels-caps": Style(months="MON YY"),
    "month-labels-long": Style(months="Month YYYY"),
    "absent-country": Style(absent="MNE"),
    "dash-value": Style(dash="ALB"),
}


def _mixed(seed: int) -> Style:
    pick = random.Random(seed)
    return Style(
        rules=pick.choice(["grid", "horizontal", "none"]),
        font=pick.choice(["helvetica", "times", "vera", "dejavu"]),
        tracking=pick.choice([0.0, 0.2, 0.5, 0.8]),
        jitter=pick.choice([0.0, 1.0, 3.0]),
        seed=seed,
        order=tuple(pick.sample(["ALB", "BIH", "XKX", "MNE", "MKD", "SRB"], 6)),
        kosovo=pick.choice(["star", "raised", "unscr", "sres"]),
        bih=pick.choice(["full", "short"]),
        nationalities=pick.choice(["official", "short"]),
        fake_bold=pick.random() < 0.5,
        months=pick.choice(["Mon YYYY", "Mon-YY", "MON YY", "Month YYYY"]),
        absent=pick.choice([None, None, "MKD", "ALB"]),
        dash=pick.choice([None, "SRB"]),
    )


STYLES.update({f"mixed-{seed}": _mixed(seed) for seed in range(6)})

#: v2023 issues: tables instead of the arrivals chart, so also table rules and wrapped cells.
STYLES_2023: dict[str, Style] = {
    "rules-none": Style(rules="none"),
    "rules-horizontal": Style(rules="horizontal", font="times"),
    "wrapped-cells": Style(font="vera", tracking=0.8, kosovo="sres"),
    "bih-order-absent": Style(bih="short", order=("SRB", "BIH", "MKD", "MNE", "ALB", "XKX"), absent="MKD"),
    "dash-fake-bold": Style(dash="SRB", fake_bold=True, nationalities="short", months="Month YYYY"),
    **{f"mixed-{seed}": _mixed(100 + seed) for seed in range(4)},
}


def assert_absent_place_refused(pdf: Path, truth: dict, absent: str) -> None:
    """A table or chart printed without one of the six places is unreadable (never read shorter), naming
    the place; every other figure is still read exactly (issue 13: complete tables or none)."""
    report = extract(pdf, strict=False)
    got = {fact.key[1:]: fact.value for fact in report.facts}
    assert report.problems and all(absent in p.detail and p.rule == "unreadable_section" for p in report.problems)
    assert sorted(set(got) - set(truth), key=str) == []
    assert {key: truth[key] for key in got} == got


@pytest.mark.parametrize("name", sorted(STYLES))
def test_variant_reads_exactly_what_it_prints(name: str, tmp_path: Path) -> None:
    """Every figure the variant draws is extracted with its value, and nothing else is."""
    style = STYLES[name]
    if not font_available(style.font):
        pytest.skip(f"font {style.font} is not installed (fonts-dejavu-core)")
    pdf = tmp_path / f"{name}.pdf"
    truth = build(pdf, style)
    if style.absent:
        assert_absent_place_refused(pdf, truth, style.absent)
        return
    report = extract(pdf)
    got = {fact.key[1:]: fact.value for fact in report.facts}
    assert report.layout_version == "v2024" and report.report_id == "unhcr-wb-2024-12"
    assert sorted(set(truth) - set(got), key=str) == []
    assert sorted(set(got) - set(truth), key=str) == []
    assert {key: got[key] for key in truth} == truth


@pytest.mark.parametrize("name", sorted(STYLES_2023))
def test_v2023_variant_reads_exactly_what_it_prints(name: str, tmp_path: Path) -> None:
    """Every figure a v2023 variant draws (tables with any rules, wrapped cells) is extracted exactly."""
    style = STYLES_2023[name]
    if not font_available(style.font):
        pytest.skip(f"font {style.font} is not installed (fonts-dejavu-core)")
    pdf = tmp_path / f"{name}.pdf"
    truth = build_v2023(pdf, style)
    if style.absent:
        assert_absent_place_refused(pdf, truth, style.absent)
        return
    report = extract(pdf)
    got = {fact.key[1:]: fact.value for fact in report.facts}
    assert report.layout_version == "v2023" and report.report_id == "unhcr-wb-2023-06"
    assert sorted(set(truth) ^ set(got), key=str) == []
    assert {key: got[key] for key in truth} == truth
