"""Render one issue (truth + style) to a PDF and return the truth as printed (pages filled in)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .dtm import DtmIssue
from .style import Style
from .unhcr import UnhcrIssue

ISSUES = {"dtm_wb": DtmIssue, "unhcr_wb": UnhcrIssue}


def render(truth: dict[str, Any], style: Style, path: Path) -> dict[str, Any]:
    """Draw `truth` in `style` to `path`; returns the truth with each fact's page as printed."""
    issue = ISSUES[truth["family"]](truth, style, path)
    issue.draw()
    facts = issue.figures.printed_facts()
    issue.save()
    out = {k: v for k, v in truth.items() if k not in ("facts", "planted_render")}
    out["style"] = style.to_dict()
    out["facts"] = facts
    return out
