"""Synthetic "unseen" issues: seeded variants of the sample reports in other months and styles, with their truth.

`variant_cases()` is a fixed list of seeded cases across both families and both layouts that together
use every value of every style knob; `render_case(case, out_dir)` draws one to a PDF and returns its
truth. `python -m tests.variants OUT_DIR` writes them all for `score.py`. The PDFs are synthetic.
"""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

from .generate import new_issue
from .names import with_new_nationalities
from .render import render
from .style import Style

TRUTH_DIR = Path(__file__).resolve().parent.parent / "truth"


@dataclasses.dataclass(frozen=True)
class VariantCase:
    """One seeded variant: a sample's truth as template, the month to imitate, and how it looks."""

    name: str
    template: str  # "<family>/<YYYY-MM>" of a sample truth file
    year: int
    month: int
    seed: int
    style: Style
    #: DTM: countries missing from the nationalities grid (every sample lacks Serbia).
    absent: tuple[str, ...] = ("SRB",)

    @property
    def family(self) -> str:
        return self.template.split("/")[0]

    @property
    def report_id(self) -> str:
        prefix = self.family.replace("_", "-")
        return f"{prefix}-{self.year:04d}-{self.month:02d}"


#: (template, year, month) of each case; months differ so every case has its own report_id.
#: No UNHCR case is a January issue: its "January-<Month>" periods have no January form in any sample.
_SLOTS = (
    ("dtm_wb/2024-12", 2024, 1),
    ("dtm_wb/2024-11", 2024, 2),
    ("dtm_wb/2024-10", 2024, 7),
    ("dtm_wb/2024-12", 2025, 1),
    ("dtm_wb/2024-11", 2025, 5),
    ("dtm_wb/2024-10", 2025, 9),
    ("dtm_wb/2024-12", 2025, 12),
    ("dtm_wb/2024-12", 2026, 4),
    ("dtm_wb/2023-06", 2022, 10),
    ("dtm_wb/2023-06", 2023, 2),
    ("dtm_wb/2023-06", 2023, 4),
    ("dtm_wb/2023-06", 2023, 9),
    ("unhcr_wb/2024-12", 2024, 2),
    ("unhcr_wb/2024-11", 2024, 6),
    ("unhcr_wb/2024-12", 2024, 9),
    ("unhcr_wb/2024-11", 2025, 2),
    ("unhcr_wb/2024-12", 2025, 6),
    ("unhcr_wb/2024-11", 2025, 11),
    ("unhcr_wb/2024-12", 2025, 12),
    ("unhcr_wb/2024-11", 2026, 5),
    ("unhcr_wb/2023-06", 2022, 11),
    ("unhcr_wb/2023-06", 2023, 3),
    ("unhcr_wb/2023-06", 2023, 5),
    ("unhcr_wb/2023-06", 2023, 8),
)
_ORDERS = (
    ("ALB", "BIH", "MNE", "MKD", "SRB", "XKX"),
    ("SRB", "BIH", "MKD", "ALB", "MNE", "XKX"),
    ("ALB", "BIH", "XKX", "MNE", "MKD", "SRB"),
    ("XKX", "SRB", "MNE", "MKD", "BIH", "ALB"),
    ("BIH", "SRB", "ALB", "MKD", "XKX", "MNE"),
)
_ACCENTS = {"dtm_wb": ("#0033A0", "#1F3F8F", "#123C7C"), "unhcr_wb": ("#0072BC", "#005A96", "#1B6FB5")}
_KOSOVO = ("footnote", "star", "unscr", "sres")
_MONTH_LABELS = ("Mon YYYY", "Mon-YY", "MON YY", "Month YYYY")
_TRACKING = (0.0, 0.3, 0.0, 0.6, 1.0)
_JITTER = (0.0, 2.0, 0.0, 4.0)
#: Planted inconsistencies by position within a family (UNHCR prints no arrows).
_PLANTS = {
    "dtm_wb": ((), ("sum_to_total",), (), ("share_sum",), (), ("arrow_sign",), (), (), (), ("sum_to_total",), (), ()),
    "unhcr_wb": (
        (),
        (),
        ("sum_to_total",),
        (),
        (),
        ("share_sum",),
        (),
        ("part_within_whole",),
        (),
        ("share_sum",),
        (),
        (),
    ),
}
#: DTM cases whose nationalities grid lacks other countries than Serbia (by position within the family).
_ABSENT = {2: (), 6: ("SRB", "XKX"), 10: ("MNE",)}


@cache
def variant_cases() -> tuple[VariantCase, ...]:
    """The fixed, seeded list of variant cases, covering every value of every style knob.

    Returns
    -------
    tuple of VariantCase
        24 cases: per family 8 in the 2024 layout (2024-2026) and 4 in the 2023 layout (2022-2023),
        each with its own month, seed and style.
    """
    cases = []
    for index, (template, year, month) in enumerate(_SLOTS):
        family = template.split("/")[0]
        k = index % 12  # position within the family
        style = Style(
            font=("helvetica", "dejavu")[index % 2],
            jitter=_JITTER[k % 4],
            jitter_seed=index + 1,
            table_rules=("grid", "hlines", "none")[k % 3],
            kosovo=_KOSOVO[(k + k // 4) % 4],
            country_order=_ORDERS[k % len(_ORDERS)],
            nat_names=("official", "short")[(k // 2) % 2],
            footnote_marks=("raised", "unicode")[(k // 3) % 2],
            pct_space=k % 4 in (0, 3),
            fake_bold=k % 5 == 2,
            banner=("text", "image")[(k + 1) // 2 % 2],
            month_labels=_MONTH_LABELS[(k + k // 4 + 1) % 4],
            tracking=_TRACKING[k % 5],
            accent=_ACCENTS[family][k % 3],
            bih_label="BiH" if k % 6 == 4 else "full",
            plant=_PLANTS[family][k],
        )
        layout = "v2023" if template.endswith("2023-06") else "v2024"
        name = f"{family}-{layout}-{year}-{month:02d}"
        absent = _ABSENT.get(k, ("SRB",)) if family == "dtm_wb" else ()
        cases.append(VariantCase(name, template, year, month, seed=1000 + index, style=style, absent=absent))
    return tuple(cases)


def case_truth(case: VariantCase) -> dict[str, Any]:
    """The generated truth of a case, before rendering (facts without pages)."""
    template = json.loads((TRUTH_DIR / f"{case.template}.truth.json").read_text())
    truth = new_issue(template, case.year, case.month, case.seed, absent=case.absent, plant=case.style.plant)
    if case.style.name_drift:
        truth = with_new_nationalities(truth, case.style.name_drift)
    return truth


def render_case(case: VariantCase, out_dir: str | Path) -> tuple[Path, dict[str, Any]]:
    """Draw a case to `<out_dir>/<report_id>.pdf` and write its `<report_id>.truth.json` beside it.

    Parameters
    ----------
    case
        One of `variant_cases()` (or any case built the same way).
    out_dir
        Folder for the PDF and its truth file; created if missing.

    Returns
    -------
    tuple of (Path, dict)
        The PDF's path and its truth: `report_id`, `family`, `layout_version`, `style`,
        `expected_violations` and `facts` rows with the page each figure is printed on.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pdf = out / f"{case.report_id}.pdf"
    printed = render(case_truth(case), case.style, pdf)
    truth = {
        "report_id": printed["report_id"],
        "family": printed["family"],
        "layout_version": printed["layout_version"],
        "synthetic": True,
        "variant": case.name,
        "template": case.template,
        "style": printed["style"],
        "expected_violations": printed["expected_violations"],
        "facts": printed["facts"],
    }
    (out / f"{case.report_id}.truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n")
    return pdf, truth


__all__ = ["VariantCase", "variant_cases", "render_case", "case_truth"]
