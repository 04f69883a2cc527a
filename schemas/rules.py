"""The validation rules: each an id, a default severity and a plain function `(facts, history) -> violations`.

`RULES` is the one registry: configuration (`config/validation.toml`), acknowledgements, the CLI
and the rules table of docs/VALIDATION.md all read it. A rule's options (tolerances) are the keyword-only parameters
of its function; their defaults are the defaults, and the configuration file may override them.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from . import arithmetic, history, parts, second_reading
from .facts import SCHEMA_RULE, schema_violations
from .violations import SEVERITIES, Violation

#: A rule's check: the report's facts and earlier issues' facts in, what it found out.
Check = Callable[..., list[Violation]]


@dataclasses.dataclass(frozen=True)
class Rule:
    """A promise the reports make, how severe breaking it is, and what a reviewer should do about it."""

    id: str
    severity: str
    check: Check
    summary: str
    advice: str
    uses_history: bool = False
    #: Rules that can never block publishing (figures of two publishers that count different things).
    warning_only: bool = False

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.id}: severity {self.severity!r} is not one of {SEVERITIES}")
        if self.warning_only and self.severity != "warning":
            raise ValueError(f"rule {self.id} can only be a warning")

    @property
    def options(self) -> dict[str, Any]:
        """The rule's tunable options and their defaults (the check's keyword-only parameters)."""
        return {
            name: parameter.default
            for name, parameter in inspect.signature(self.check).parameters.items()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        }


def read_by_extraction(facts: pd.DataFrame, history: pd.DataFrame | None = None) -> list[Violation]:
    """Found while reading the PDF, not in the facts: `schemas.validate.problem_violations` reports these."""
    return []


#: Rules whose violations are the problems extraction recorded (`ExtractedReport.problems`).
EXTRACTION_RULES = ("unreadable_section", "unknown_label", "fuzzy_label")

_ADD_AN_ALIAS = "Check the printed label in the PDF; add an alias to config/aliases.toml, then re-run."


def contract(facts: pd.DataFrame, history: pd.DataFrame | None = None) -> list[Violation]:
    """The facts keep the data contract: types, known indicators, units and codes, ranges, unique keys."""
    return schema_violations(facts)[0]


_CHECK_THE_PDF = "Open the PDF at the pages named and compare the figures."

_RULES = (
    Rule(
        SCHEMA_RULE,
        "error",
        contract,
        "The facts keep the data contract (types, codes, ranges, unique keys).",
        "This is an extractor or input problem, not the publisher's: fix the extractor, then run again.",
    ),
    Rule(
        "unreadable_section",
        "error",
        read_by_extraction,
        "Every section of the report could be read (its heading found, its table of the expected shape).",
        "Open the PDF at the page named: the layout changed. Fix the extractor (or its anchors), then re-run.",
    ),
    Rule(
        "unknown_label",
        "error",
        read_by_extraction,
        "Every printed place and nationality resolves to a code; a row with an unknown label is held back.",
        _ADD_AN_ALIAS,
    ),
    Rule(
        "fuzzy_label",
        "warning",
        read_by_extraction,
        "A printed place or nationality resolved by an exact name or alias, not only by a fuzzy match.",
        "Check that the code chosen is the country printed; add an alias to config/aliases.toml to confirm it.",
    ),
    Rule(
        "sum_to_total",
        "error",
        arithmetic.sum_to_total,
        "Country values of an indicator and period add up to the Western Balkans value.",
        f"{_CHECK_THE_PDF} If the report prints them so, the publisher's arithmetic is off: acknowledge it.",
    ),
    Rule(
        "share_sum",
        "error",
        arithmetic.share_sum,
        "Shares of one breakdown add up to 100 within the rounding of their printed decimals.",
        f"{_CHECK_THE_PDF} If the report prints them so, acknowledge it; if not, a share was misread.",
    ),
    Rule(
        "arrow_sign",
        "error",
        arithmetic.arrow_sign,
        "An arrow printed beside a change points the way its sign does.",
        f"{_CHECK_THE_PDF} An arrow against its sign is the publisher's slip: acknowledge it.",
    ),
    Rule(
        "repeated_figure",
        "error",
        arithmetic.repeated_figure,
        "A figure printed twice in a report (a headline and a table's Total) is equal.",
        f"{_CHECK_THE_PDF} If both printings differ in the PDF, acknowledge it and tell the publisher.",
    ),
    Rule(
        "second_reading",
        "error",
        second_reading.second_reading,
        "A table figure reads the same to a second, independent reader (camelot) of its cell.",
        "Open the PDF at the page named and read the cell: if our figure is wrong, fix the extractor; if "
        "camelot misread it, acknowledge it (and report the layout).",
    ),
    Rule(
        "part_within_whole",
        "error",
        parts.part_within_whole,
        "A part is never more than its whole (a country than the region, a month than its year to date).",
        f"{_CHECK_THE_PDF} A part above its whole is usually a figure read from the wrong place: fix the "
        "extractor; if the report prints it so, acknowledge it.",
    ),
    Rule(
        "rows_complete",
        "error",
        parts.rows_complete,
        "Every table, list and chart has the rows its design always prints (countries, ranks, months).",
        "Open the PDF at the pages named: a row the PDF prints was lost in extraction (fix the extractor); "
        "if the PDF lacks it, acknowledge it.",
    ),
    Rule(
        "ytd_accumulates",
        "error",
        history.ytd_accumulates,
        "Year-to-date figures add up the months: this month's = last month's + this month.",
        f"{_CHECK_THE_PDF} Compare with the previous issue too; publishers revise non-final data.",
        uses_history=True,
    ),
    Rule(
        "change_matches_figures",
        "error",
        history.change_matches_figures,
        "A printed change agrees with the two figures it compares, to its printed precision.",
        f"{_CHECK_THE_PDF} Compare with the previous issue too; the base figure may have been revised.",
        uses_history=True,
    ),
    Rule(
        "ratio_matches",
        "warning",
        arithmetic.ratio_matches,
        "A printed rate or share of a total agrees with the two figures it divides.",
        _CHECK_THE_PDF,
    ),
    Rule(
        "revised_figure",
        "warning",
        history.revised_figure,
        "A figure the previous issue printed for the same period is unchanged (else it was revised).",
        "Compare both issues: a revision by the publisher needs nothing; a misread needs a fix.",
        uses_history=True,
    ),
    Rule(
        "plausible_change",
        "warning",
        history.plausible_change,
        "A count about the report's month is within 5 times the previous issue's same figure.",
        "Compare both issues: a real surge needs nothing; a misread digit or a neighbour's figure needs a fix.",
        uses_history=True,
    ),
    Rule(
        "cross_publisher",
        "warning",
        history.cross_publisher,
        "DTM and UNHCR figures for the same region and period are of the same order.",
        "They count different things; look only if the gap suggests a misread digit.",
        uses_history=True,
        warning_only=True,
    ),
)

#: Every rule by id, in the order they run and are reported.
RULES: Mapping[str, Rule] = {rule.id: rule for rule in _RULES}
