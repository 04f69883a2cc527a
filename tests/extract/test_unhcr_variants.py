"""The UNHCR extractor on v2024 issues drawn in styles the samples do not show, against the figures drawn."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from extractors import extract
from extractors.registry import ExtractedReport
from tests.variants.snapshot import ORDER, Snapshot, build, build_v2023, snapshot_style


def snap(seed: int = 0, absent: str | None = None, nil: str | None = None, **knobs) -> Snapshot:
    return Snapshot(snapshot_style(jitter_seed=seed, **knobs), seed, absent, nil)


#: One style knob at a time, then seeded mixes of all of them.
STYLES: dict[str, Snapshot] = {
    "times": snap(font="times"),
    "vera": snap(font="vera"),
    "dejavu": snap(font="dejavu"),
    "tracking": snap(tracking=0.8),
    "jitter": snap(jitter=3, seed=3),
    "order": snap(country_order=("SRB", "BIH", "MKD", "MNE", "ALB", "XKX")),
    "bih": snap(bih_label="BiH"),
    "kosovo-raised-mark": snap(kosovo="footnote"),
    "kosovo-unicode": snap(kosovo="footnote", footnote_marks="unicode", font="dejavu"),
    "kosovo-unscr": snap(kosovo="unscr"),
    "kosovo-sres": snap(kosovo="sres"),
    "short-nationalities": snap(nat_names="short"),
    "unicode-marks": snap(footnote_marks="unicode", font="dejavu"),
    "fake-bold": snap(fake_bold=True),
    "month-labels-dash": snap(month_labels="Mon-YY"),
    "month-labels-caps": snap(month_labels="MON YY"),
    "month-labels-long": snap(month_labels="Month YYYY"),
    "absent-country": snap(absent="MNE"),
    "dash-value": snap(nil="ALB"),
}


def _mixed(seed: int) -> Snapshot:
    pick = random.Random(seed)  # the draws keep their order, so each seed mixes as it always did
    knobs = {
        "table_rules": pick.choice(["grid", "hlines", "none"]),
        "font": pick.choice(["helvetica", "times", "vera", "dejavu"]),
        "tracking": pick.choice([0.0, 0.2, 0.5, 0.8]),
        "jitter": pick.choice([0.0, 1.0, 3.0]),
        "country_order": tuple(pick.sample(list(ORDER), 6)),
        "kosovo": pick.choice(["star", "footnote", "unscr", "sres"]),
        "bih_label": pick.choice(["full", "BiH"]),
        "nat_names": pick.choice(["official", "short"]),
        "fake_bold": pick.random() < 0.5,
        "month_labels": pick.choice(["Mon YYYY", "Mon-YY", "MON YY", "Month YYYY"]),
    }
    absent = pick.choice([None, None, "MKD", "ALB"])
    return snap(seed, absent, pick.choice([None, "SRB"]), **knobs)


STYLES.update({f"mixed-{seed}": _mixed(seed) for seed in range(6)})

#: v2023 issues: tables instead of the arrivals chart, so also table rules and wrapped cells.
STYLES_2023: dict[str, Snapshot] = {
    "rules-none": snap(table_rules="none"),
    "rules-horizontal": snap(table_rules="hlines", font="times"),
    "wrapped-cells": snap(font="vera", tracking=0.8, kosovo="sres"),
    "bih-order-absent": snap(bih_label="BiH", country_order=("SRB", "BIH", "MKD", "MNE", "ALB", "XKX"), absent="MKD"),
    "dash-fake-bold": snap(nil="SRB", fake_bold=True, nat_names="short", month_labels="Month YYYY"),
    **{f"mixed-{seed}": _mixed(100 + seed) for seed in range(4)},
}


#: What each snapshot drew and what was read from it when the snapshot had its own pen and knob names
#: (before issue 9 moved it onto the variant generator's): the truth, the facts read where they are not the
#: truth, and the problems recorded. The PDFs' bytes changed with the pen; what they say must not.
BEFORE = json.loads((Path(__file__).parents[1] / "expected" / "unhcr_snapshots.json").read_text())


def _rows(figures: dict) -> list[list[str]]:
    return sorted([*map(str, key), "None" if value is None else repr(float(value))] for key, value in figures.items())


def assert_as_before(name: str, truth: dict, report: ExtractedReport) -> None:
    """The snapshot drew the figures it drew before, and they read as before."""
    before = BEFORE[name]
    assert _rows(truth) == before["truth"]
    assert _rows({fact.key[1:]: fact.value for fact in report.facts}) == before.get("facts", before["truth"])
    assert sorted(f"{p.rule}|{p.detail}" for p in report.problems) == before.get("problems", [])


def assert_absent_place_refused(pdf: Path, truth: dict, absent: str) -> ExtractedReport:
    """A table or chart printed without one of the six places is unreadable (never read shorter), naming
    the place; every other figure is still read exactly (issue 13: complete tables or none)."""
    report = extract(pdf, strict=False)
    got = {fact.key[1:]: fact.value for fact in report.facts}
    assert report.problems and all(absent in p.detail and p.rule == "unreadable_section" for p in report.problems)
    assert sorted(set(got) - set(truth), key=str) == []
    assert {key: truth[key] for key in got} == got
    return report


#: Each layout's snapshots, builder and the report id its PDFs carry.
LAYOUTS = {"v2024": (STYLES, build, "unhcr-wb-2024-12"), "v2023": (STYLES_2023, build_v2023, "unhcr-wb-2023-06")}


@pytest.mark.parametrize(
    ("layout", "name"), [(layout, name) for layout, (styles, _, _) in LAYOUTS.items() for name in sorted(styles)]
)
def test_variant_reads_exactly_what_it_prints(layout: str, name: str, tmp_path: Path) -> None:
    """Every figure a variant draws (any font, knob, table rules, wrapped cells) is extracted with its value,
    and nothing else is."""
    styles, builder, report_id = LAYOUTS[layout]
    snapshot = styles[name]
    pdf = tmp_path / f"{name}.pdf"
    truth = builder(pdf, snapshot)
    if snapshot.absent:
        assert_as_before(f"{layout}/{name}", truth, assert_absent_place_refused(pdf, truth, snapshot.absent))
        return
    report = extract(pdf)
    assert_as_before(f"{layout}/{name}", truth, report)
    got = {fact.key[1:]: fact.value for fact in report.facts}
    assert report.layout_version == layout and report.report_id == report_id
    assert sorted(set(truth) - set(got), key=str) == []
    assert sorted(set(got) - set(truth), key=str) == []
    assert {key: got[key] for key in truth} == truth
