"""Validate a report's facts: the contract, then every enabled rule, with acknowledgements applied."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd

from extractors import ExtractedReport
from extractors.context import SectionProblem
from extractors.facts import FACT_COLUMNS, facts_to_frame, normalise_frame

from .config import ValidationConfig
from .facts import SCHEMA_RULE, schema_violations
from .rules import RULES
from .violations import Violation, violations_frame

#: Columns a validation frame may carry beside the contract's: marks printed with a figure that are not
#: facts themselves but that rules compare (the arrow beside a change; a second printing of a figure;
#: the value and method of a second reader of the figure's table cell).
MARK_COLUMNS: tuple[str, ...] = ("arrow", "repeat", "second_reading", "second_reading_method")


def report_frame(report: ExtractedReport) -> pd.DataFrame:
    """An extracted report as a validation frame: its facts, their arrows, and second printings of figures.

    Parameters
    ----------
    report
        What `extractors.extract` read from one PDF.

    Returns
    -------
    DataFrame
        The contract's columns plus `arrow` (up, down, flat or null) and `repeat` (True on rows that
        are a second printing of a fact, e.g. a table's Total repeating a headline), and, where camelot
        read a table figure's cell again (`extract(..., second_reading=True)`), `second_reading` (its
        value) and `second_reading_method`. Publish `facts_to_frame(report.facts)`, not this frame.
    """
    facts = list(report.facts)
    repeats = list(report.repeats)
    frame = facts_to_frame(facts + repeats)
    frame["arrow"] = pd.Series([f.arrow for f in facts + repeats], dtype="string")
    frame["repeat"] = [False] * len(facts) + [True] * len(repeats)
    # Always present (empty without a second reading), so every report frame has the same columns.
    again = {reading.key: reading for reading in report.second_readings}
    read = [again.get(f.key) for f in facts] + [None] * len(repeats)
    frame["second_reading"] = pd.Series([r.value if r else None for r in read], dtype="float64")
    frame["second_reading_method"] = pd.Series([r.method if r else None for r in read], dtype="string")
    return frame


def validate_report(
    facts: pd.DataFrame,
    history: pd.DataFrame | None = None,
    config: ValidationConfig | None = None,
    problems: Sequence[SectionProblem] = (),
    report_id: str | None = None,
) -> pd.DataFrame:
    """Every violation in one report's facts, with acknowledgements applied.

    Parameters
    ----------
    facts
        The report's facts: a contract frame (`extractors.facts.facts_to_frame`), or `report_frame`
        of an extracted report to also check arrows and figures printed twice. A frame holding
        several reports is validated report by report, each with the others as history.
    history
        Facts of earlier issues (and of the other publisher's issue of the same month), as published;
        None or empty skips the parts of rules that need them.
    config
        Rule settings and acknowledgements (`schemas.load_config`); None uses the defaults.
    problems
        What extraction could not read (`ExtractedReport.problems`): each becomes a violation of its
        rule (`unreadable_section`, `unknown_label`, `fuzzy_label`) with its page and bbox.
    report_id
        The report the problems belong to (default: the one report in `facts`).

    Returns
    -------
    DataFrame
        One row per violation (`schemas.violations.VIOLATION_COLUMNS`), errors first. Acknowledged
        violations stay in it with `acknowledged` set; `schemas.violations.blocking` gives the rest.
    """
    config = config or ValidationConfig.defaults()
    history = _history_frame(history)
    found: list[Violation] = []
    report_ids = list(dict.fromkeys(facts["report_id"].astype(str))) if "report_id" in facts.columns else []
    if len(report_ids) <= 1:
        return finish_report(prepare_report(facts, config, problems, report_id), history, config)
    else:
        for report_id in report_ids:
            mine = facts["report_id"].astype(str) == report_id
            others = facts.loc[~mine, [c for c in facts.columns if c not in MARK_COLUMNS]]
            found.extend(_validate_one(facts[mine], pd.concat([history, others], ignore_index=True), config))
    if problems:
        owner = report_id or (report_ids[0] if report_ids else "")
        found.extend(v for v in problem_violations(problems, owner) if config.enabled(v.rule))
    found = _ordered(found, config)
    return violations_frame(found, config.severities, config.notes)


def problem_violations(problems: Sequence[SectionProblem], report_id: str) -> list[Violation]:
    """One violation per extraction problem, keyed `section/printed label/page:N` (what a reviewer acknowledges)."""
    found = []
    for problem in problems:
        subject = " ".join((problem.printed or "").split())
        key = "/".join(part for part in (problem.section or "report", subject) if part)
        if problem.page is not None:
            key = f"{key}/page:{problem.page}"
        found.append(
            Violation(
                rule=problem.rule,
                report_id=report_id,
                key=key,
                detail=problem.detail,
                pages=(problem.page,) if problem.page is not None else (),
                bbox=tuple(float(v) for v in problem.bbox) if problem.bbox is not None else None,
            )
        )
    return found


@dataclasses.dataclass(frozen=True)
class PreparedReport:
    """One report's checks that need no history, done: the frame the history rules read, and what was found.

    `validate_report` is `finish_report(prepare_report(...), history)`; the first half needs only the
    report, so a backfill runs it in parallel and only the second half in the order reports are decided.
    """

    frame: pd.DataFrame | None  # None when the facts break the contract: the rules do not run
    found: tuple[Violation, ...]


def prepare_report(
    facts: pd.DataFrame,
    config: ValidationConfig | None = None,
    problems: Sequence[SectionProblem] = (),
    report_id: str | None = None,
) -> PreparedReport:
    """The contract, every rule that needs no history, and extraction problems of one report."""
    config = config or ValidationConfig.defaults()
    found, frame = _own_checks(facts, config)
    if problems:
        report_ids = list(dict.fromkeys(facts["report_id"].astype(str))) if "report_id" in facts.columns else []
        owner = report_id or (report_ids[0] if report_ids else "")
        found.extend(v for v in problem_violations(problems, owner) if config.enabled(v.rule))
    return PreparedReport(frame, tuple(found))


def finish_report(
    prepared: PreparedReport, history: pd.DataFrame | None, config: ValidationConfig | None = None
) -> pd.DataFrame:
    """The rules that compare with `history`, added to a prepared report's findings: `validate_report`'s frame."""
    config = config or ValidationConfig.defaults()
    found = list(prepared.found)
    if prepared.frame is not None:
        found.extend(_history_checks(prepared.frame, _history_frame(history), config))
    return violations_frame(_ordered(found, config), config.severities, config.notes)


def _validate_one(facts: pd.DataFrame, history: pd.DataFrame, config: ValidationConfig) -> list[Violation]:
    violations, frame = _own_checks(facts, config)
    if frame is not None:
        violations.extend(_history_checks(frame, history, config))
    return violations


def _own_checks(facts: pd.DataFrame, config: ValidationConfig) -> tuple[list[Violation], pd.DataFrame | None]:
    facts = facts.reset_index(drop=True)  # marks are joined back by row label: labels must be unique
    marks = facts[[c for c in MARK_COLUMNS if c in facts.columns]]
    repeat = marks["repeat"].fillna(False).astype(bool) if "repeat" in marks else pd.Series(False, index=facts.index)
    contract = facts[[c for c in facts.columns if c not in MARK_COLUMNS]]
    found, frame = schema_violations(contract[~repeat])
    violations = found if config.enabled(SCHEMA_RULE) else []
    if frame is None:
        return violations, None
    if repeat.any():
        # Second printings share a fact's key by design, so they join the frame only for the rules.
        frame = pd.concat([frame, normalise_frame(contract[repeat])])
    if not marks.empty:
        frame = frame.join(marks)
    violations.extend(_checks(frame, None, config, uses_history=False))
    return violations, frame


def _history_checks(frame: pd.DataFrame, history: pd.DataFrame, config: ValidationConfig) -> list[Violation]:
    return _checks(frame, history, config, uses_history=True)


def _checks(
    frame: pd.DataFrame, history: pd.DataFrame | None, config: ValidationConfig, *, uses_history: bool
) -> list[Violation]:
    # Rules run in registry order within each half; `_ordered` sorts by rule, so the halves merge as one pass.
    history = _history_frame(history)
    violations = []
    for rule_id, rule in RULES.items():
        settings = config.rules[rule_id]
        if rule_id != SCHEMA_RULE and settings.enabled and rule.uses_history == uses_history:
            violations.extend(rule.check(frame, history, **settings.options))
    return violations


def _history_frame(history: pd.DataFrame | None) -> pd.DataFrame:
    if history is None:
        return pd.DataFrame(columns=list(FACT_COLUMNS))
    return history


def _ordered(violations: list[Violation], config: ValidationConfig) -> list[Violation]:
    rank = {rule_id: number for number, rule_id in enumerate(RULES)}
    severity = config.severities
    return sorted(
        violations,
        key=lambda v: (v.report_id, severity[v.rule] != "error", rank[v.rule], v.key),
    )
