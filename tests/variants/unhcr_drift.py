"""Drift of a UNHCR imitation issue drawn from a space, not a list (issue 10): how next month's issue may differ.

`draw_drift(rng)` draws every UNHCR drift knob of `Style` at random (wrap widths, fonts, case, weight,
a one-word rewording, moved, swapped and resized blocks, moved and reordered sections, an extra page,
number separators and nil dashes); `reword` and `recase` change one heading; `nil_figure` turns one
country figure of a generated truth into a printed nil. Everything drawn is SYNTHETIC.
"""

from __future__ import annotations

import random
import re
from typing import Any

from .style import HEADING_CASES, HEADING_FONTS, KEY_BLOCKS, NIL_DASHES, THOUSANDS, UASC_PLACES

#: Words a heading may gain (anywhere between two of its words).
FILLERS = ("total", "overall", "regional", "current", "latest", "reported", "monthly", "recorded", "all")
#: Words a heading may say differently (either way round); one of each pair is printed.
SYNONYMS = (
    ("persons", "people"),
    ("figures", "numbers"),
    ("number", "total"),
    ("common", "frequent"),
    ("main", "top"),
    ("statistics", "data"),
    ("estimation", "estimate"),
    ("region", "area"),
    ("present", "staying"),
    ("each", "every"),
    ("level", "scale"),
    ("children", "minors"),
)
#: A heading needs at least this many words before it may lose or swap one: a two-word heading that
#: loses a word ("Key figures" -> "Figures") is a different heading, not a reworded one.
MIN_WORDS_TO_DROP = 4
#: Headings the layout is recognised by (their words stay, though more may be added between them).
SIGNATURE_HEADINGS = ("key figures", "new arrivals by country")


def reword(text: str, seed: int) -> str:
    """`text` with one word added, dropped or said differently, chosen by `seed` (the same seed, the same edit)."""
    rng = random.Random(f"{seed}:{text}")
    words = text.split()
    operations = ["add"]
    signature = any(s in text.lower() for s in SIGNATURE_HEADINGS)
    inner = [i for i, w in enumerate(words) if i and re.fullmatch(r"[A-Za-z]+", w)]
    if len(words) >= MIN_WORDS_TO_DROP and not signature:
        if inner:
            operations.append("drop")
        if any(_synonym(w) for w in words):
            operations.append("swap")
    operation = rng.choice(operations)
    if operation == "drop":
        del words[rng.choice(inner)]
    elif operation == "swap":
        index = rng.choice([i for i, w in enumerate(words) if _synonym(w)])
        words[index] = _synonym(words[index]) or words[index]
    else:
        words.insert(rng.randint(1, max(1, len(words) - 1)), rng.choice(FILLERS))
    return " ".join(words)


def _synonym(word: str) -> str | None:
    bare = word.lower().strip(":,.")
    for a, b in SYNONYMS:
        for one, other in ((a, b), (b, a)):
            if bare == one:
                other = other.capitalize() if word[0].isupper() else other
                return word.replace(word.strip(":,."), other)
    return None


def recase(text: str, case: str) -> str:
    if case == "upper":
        return text.upper()
    if case == "lower":
        return text.lower()
    if case == "title":
        return " ".join(w[:1].upper() + w[1:] for w in text.split())
    if case == "sentence":
        return text[:1].upper() + text[1:].lower()
    return text


def draw_drift(rng: random.Random, layout: str) -> dict[str, Any]:
    """Style knobs of one drifted issue, each drawn from its space (merge into a `Style`)."""
    return {
        "heading_wrap": round(rng.uniform(0.34, 0.8), 3) if rng.random() < 0.6 else 0.0,
        "heading_font": rng.choice(HEADING_FONTS),
        "heading_case": rng.choice(HEADING_CASES),
        "heading_bold": rng.random() < 0.6,
        "heading_reword": rng.randint(1, 10**6) if rng.random() < 0.7 else 0,
        "key_blocks": rng.choice(KEY_BLOCKS),
        "key_block_scale": round(rng.uniform(0.85, 1.3), 3),
        "block_seed": rng.randint(1, 10**6),
        "uasc_place": rng.choice(UASC_PLACES),
        "section_order": rng.choice(("as-is", "swapped")),
        "section_move": "nationalities" if rng.random() < 0.3 else "none",
        "blank_page": rng.choice((0, 0, 1, 2, 3)),
        "thousands": rng.choice(THOUSANDS),
        "nil_dash": rng.choice(NIL_DASHES),
    }


def nil_figure(truth: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The truth with one country's new arrivals of the year before printed as nil (the total adjusted)."""
    rows = [dict(r) for r in truth["facts"]]
    before = [
        r
        for r in rows
        if r["indicator"] == "new_arrivals" and r["geo"] != "WB" and r["period_start"][:4] != truth["report_id"][-7:-3]
    ]
    if not before:
        return truth
    chosen = rng.choice(before)
    total = next(
        r
        for r in rows
        if r["indicator"] == "new_arrivals" and r["geo"] == "WB" and r["period_start"] == chosen["period_start"]
    )
    total["value"] -= chosen["value"]
    chosen["value"] = None
    return dict(truth, facts=rows)


#: Sample truths a drifted issue is drawn from (two v2024 issues, the v2023 one).
TEMPLATES = ("unhcr_wb/2024-12", "unhcr_wb/2024-11", "unhcr_wb/2023-06")
#: Share of drifted issues that print one figure as nil.
NIL_SHARE = 0.3


def drifted_cases(count: int, seed: int) -> list[tuple[Any, bool]]:
    """`count` seeded UNHCR cases, every style knob and every drift drawn at random; (case, print a nil?)."""
    from extractors.geo import WB_COUNTRIES

    from . import VariantCase
    from .style import BANNERS, BIH_LABELS, FONTS, FOOTNOTE_MARKS, KOSOVO_LABELS, MONTH_LABELS, NAT_NAMES, Style

    rng = random.Random(seed)
    cases = []
    used: set[tuple[int, int]] = set()
    for index in range(count):
        template = TEMPLATES[index % len(TEMPLATES)]
        layout = "v2023" if template.endswith("2023-06") else "v2024"
        while True:  # one issue per month: the report id names the file
            year, month = rng.randint(2019, 2030), rng.randint(2, 12)
            if (year, month) not in used:
                used.add((year, month))
                break
        order = list(WB_COUNTRIES)
        rng.shuffle(order)
        style = Style(
            font=rng.choice(FONTS),
            jitter=round(rng.uniform(0, 4), 2),
            jitter_seed=rng.randint(1, 10**6),
            table_rules=rng.choice(("grid", "hlines", "none")),
            kosovo=rng.choice(KOSOVO_LABELS),
            country_order=tuple(order),
            nat_names=rng.choice(NAT_NAMES),
            footnote_marks=rng.choice(FOOTNOTE_MARKS),
            pct_space=rng.random() < 0.5,
            fake_bold=rng.random() < 0.2,
            banner=rng.choice(BANNERS),
            month_labels=rng.choice(MONTH_LABELS),
            tracking=round(rng.choice((0.0, rng.uniform(0, 1.0))), 2),
            accent=f"#{rng.randint(0, 0x30):02X}{rng.randint(0x40, 0x80):02X}{rng.randint(0x90, 0xD0):02X}",
            bih_label=rng.choice(BIH_LABELS),
            **draw_drift(rng, layout),
        )
        name = f"drift-{index:03d}-{layout}-{year}-{month:02d}"
        case = VariantCase(name, template, year, month, seed=seed * 1000 + index, style=style, absent=())
        cases.append((case, rng.random() < NIL_SHARE))
    return cases


def render_drifted(case: Any, nil: bool, out_dir: Any) -> tuple[Any, dict[str, Any]]:
    """Draw a drifted case to `<out_dir>/<report_id>.pdf` with its `.truth.json` (SYNTHETIC); (path, truth)."""
    import json
    from pathlib import Path

    from . import case_truth
    from .render import render

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    truth = case_truth(case)
    if nil:
        truth = nil_figure(truth, random.Random(case.seed))
    pdf = out / f"{case.report_id}.pdf"
    printed = render(truth, case.style, pdf)
    printed.update(synthetic=True, variant=case.name, template=case.template)
    (out / f"{case.report_id}.truth.json").write_text(json.dumps(printed, indent=1, ensure_ascii=False) + "\n")
    return pdf, printed


def main(argv: list[str] | None = None) -> int:
    """`python -m tests.variants.unhcr_drift OUT_DIR [--count N] [--seed S]`: write a drifted batch for score.py."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.variants.unhcr_drift", description=main.__doc__)
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--seed", type=int, default=20241210)
    args = parser.parse_args(argv)
    for case, nil in drifted_cases(args.count, args.seed):
        pdf, truth = render_drifted(case, nil, args.out_dir)
        print(f"{pdf}  {len(truth['facts'])} facts  {case.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
