"""Render one issue (truth + style) to a PDF and return the truth as printed (pages filled in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .dtm import DtmIssue
from .style import Style
from .unhcr import UnhcrIssue

ISSUES = {"dtm_wb": DtmIssue, "unhcr_wb": UnhcrIssue}


def render(truth: dict[str, Any], style: Style, path: Path) -> dict[str, Any]:
    """Draw an issue's facts as an imitation PDF of its family and layout.

    Parameters
    ----------
    truth
        A truth dict: `report_id`, `family`, `layout_version` and `facts` rows (pages may be missing);
        a sample's own truth file works, and so does `generate.new_issue(...)`.
    style
        How the issue looks (font, labels, marks, rules, banner, jitter, ...).
    path
        Where to write the PDF.

    Returns
    -------
    dict
        The truth as printed: the same keys, `style`, and every fact with the page it is printed on.

    Raises
    ------
    ValueError
        If a fact of the truth has no place in the layout (it would not be printed) or is printed twice
        on different pages.
    """
    issue = ISSUES[truth["family"]](truth, style, path)
    issue.draw()
    facts = issue.figures.printed_facts()
    issue.save()
    out = {k: v for k, v in truth.items() if k not in ("facts", "planted_render")}
    out["style"] = style.to_dict()
    out["facts"] = facts
    return out
