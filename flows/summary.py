"""What a run tells people: a markdown summary and a violations table as Prefect artifacts, and its end state."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.states import Completed, Failed, State

from mixedflows.pipeline import ReportOutcome

#: Violation columns shown in the Prefect UI's table artifact.
VIOLATION_COLUMNS = ("report_id", "rule", "severity", "detail", "expected", "actual", "pages", "acknowledged")


def summary_markdown(title: str, outcomes: Sequence[ReportOutcome], record: Path, notes: Sequence[str]) -> str:
    counts = Counter(o.status for o in outcomes)
    lines = [
        f"# {title}",
        "",
        ", ".join(f"**{n}** {status}" for status, n in sorted(counts.items())) or "No reports to process.",
        "",
        "| report | status | figures | errors | warnings | store version | detail |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for o in outcomes:
        version = "" if o.store_version is None else o.store_version
        lines.append(
            f"| {o.report_id} | {o.status} | {o.fact_count} | {o.error_count} | {o.warning_count} "
            f"| {version} | {o.detail.replace('|', '/')} |"
        )
    if notes:
        lines += ["", "## Sources", "", *(f"- {note}" for note in notes)]
    lines += ["", f"Run record: `{record}`"]
    return "\n".join(lines)


def publish_artifacts(
    key: str, title: str, outcomes: Sequence[ReportOutcome], record: Path, notes: Sequence[str]
) -> None:
    """A markdown summary and a table of every violation, visible on the flow run in the Prefect UI."""
    create_markdown_artifact(summary_markdown(title, outcomes, record, notes), key=f"{key}-summary", description=title)
    rows = [{c: str(v.get(c, "")) for c in VIOLATION_COLUMNS} for o in outcomes for v in o.violations]
    if rows:
        create_table_artifact(rows, key=f"{key}-violations", description=f"{title}: violations")


def final_state(outcomes: Sequence[ReportOutcome], notes_failed: Sequence[str], record: Path) -> State:
    """Completed, or Failed naming every report (and source) that failed; the record is the result either way."""
    failed = [o for o in outcomes if o.failed]
    if failed or notes_failed:
        names = [f"{o.report_id} ({o.detail})" for o in failed] + list(notes_failed)
        return Failed(message=f"{len(names)} failed: " + "; ".join(names), data=str(record))
    return Completed(message=f"{len(outcomes)} report(s) processed", data=str(record))
