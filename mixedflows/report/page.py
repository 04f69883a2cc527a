"""The run report as one self-contained HTML page: inline CSS, local images, no script, no network."""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from mixedflows.report.plots import Plot

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:78rem;color:#1f2933;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d9dee3}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d9dee3;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.status{font-weight:600;padding:.05rem .4rem;border-radius:.3rem}
.published{background:#e3f4e8}.quarantined{background:#fdecc8}.failed{background:#fbdada}.unchanged{background:#eceff1}
.error{color:#b3261e;font-weight:600}.warning{color:#8a5a00}
figure{margin:.4rem 0}figure img{max-width:100%;border:1px solid #d9dee3}
a.crop img{max-width:24rem;cursor:zoom-in}details.warnings{margin:.4rem 0}details.warnings summary{cursor:pointer}
figcaption{font-size:.85em;color:#52606d}
.legend span{display:inline-block;margin-right:1rem}.box{display:inline-block;width:.9em;height:.9em;border:2px solid}
code{font-size:.9em}
"""


@dataclasses.dataclass(frozen=True)
class ViolationView:
    """One violation row of the run record, with the link to its PDF and its crops (file, alt, page)."""

    row: Mapping[str, Any]
    pdf_link: str | None
    crops: Sequence[Mapping[str, str]]


@dataclasses.dataclass(frozen=True)
class ReportView:
    """Everything the page shows, already gathered: no I/O happens while rendering."""

    run_id: str
    flow: str
    notes: Sequence[str]
    reports: Sequence[Mapping[str, Any]]
    violations: Sequence[ViolationView]
    plots: Sequence[Plot]


def render_page(view: ReportView) -> str:
    """The HTML text of the report."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>mixedflows run {e(view.run_id)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Run <code>{e(view.run_id)}</code></h1>",
        f"<p>{e(view.flow or 'run')}: {len(view.reports)} report(s), {len(view.violations)} violation(s).</p>",
    ]
    if view.notes:
        parts.append("<ul>" + "".join(f"<li>{e(str(n))}</li>" for n in view.notes) + "</ul>")
    parts += _reports(view.reports)
    parts += _violations(view.violations)
    parts += _plots(view.plots)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _reports(reports: Sequence[Mapping[str, Any]]) -> list[str]:
    e = html.escape
    out = [
        '<h2 id="reports-heading">Reports</h2>',
        '<table id="reports"><thead><tr><th>report</th><th>status</th><th>figures</th><th>errors</th>'
        "<th>warnings</th><th>store version</th><th>changes against the previous version</th><th>detail</th>"
        "</tr></thead><tbody>",
    ]
    for report in reports:
        status = str(report.get("status", ""))
        version = report.get("store_version")
        out.append(
            f'<tr class="report"><td>{_pdf_anchor(report["report_id"], report.get("pdf_link"))}</td>'
            f'<td><span class="status {e(status)}">{e(status)}</span></td>'
            f'<td class="num">{report.get("fact_count", 0)}</td><td class="num">{report.get("error_count", 0)}</td>'
            f'<td class="num">{report.get("warning_count", 0)}</td>'
            f'<td class="num">{"" if version is None else version}</td>'
            f"<td>{_changes(report)}</td><td>{e(str(report.get('detail', '')))}</td></tr>"
        )
    out.append("</tbody></table>")
    return out


def _changes(report: Mapping[str, Any]) -> str:
    changes = report.get("changes")
    status = report.get("status")
    if status == "quarantined":
        return f"none published: {report.get('fact_count', 0)} figures held in quarantine"
    if status in ("unchanged", "failed") or not changes:
        return "none"
    summary = f"{changes['added']} added, {changes['removed']} removed, {changes['changed']} changed"
    rows = changes["rows"]
    if not rows:
        return html.escape(summary)
    lines = "".join(
        f"<li>{html.escape(str(r['change']))} <code>{html.escape(_diff_key(r))}</code>: "
        f"{_number(r.get('value_before'))} &rarr; {_number(r.get('value_after'))}</li>"
        for r in rows
    )
    return f"<details><summary>{html.escape(summary)}</summary><ul>{lines}</ul></details>"


def _diff_key(row: Mapping[str, Any]) -> str:
    parts = [row["indicator"], row["geo"], f"{str(row['period_start'])[:10]}..{str(row['period_end'])[:10]}"]
    if row.get("breakdown") not in (None, "") and str(row.get("breakdown")) != "<NA>":
        parts.append(str(row["breakdown"]))
    return "/".join(str(p) for p in parts)


#: Header of a violations table.
_VIOLATION_HEADER = (
    "<thead><tr><th>report</th><th>rule</th><th>severity</th><th>figure</th><th>expected</th><th>actual</th>"
    "<th>acknowledged</th><th>where it was printed (click to enlarge)</th></tr></thead>"
)


def _violations(violations: Sequence[ViolationView]) -> list[str]:
    """Errors first, in one table; then warnings, one folded group per report and rule."""
    errors = [v for v in violations if str(v.row.get("severity")) != "warning"]
    warnings = [v for v in violations if str(v.row.get("severity")) == "warning"]
    out = ['<h2 id="violations-heading">Violations</h2>']
    if not violations:
        out.append('<p id="no-violations">No violations in this run.</p>')
    out.append(
        '<p class="legend"><span><span class="box" style="border-color:#d62728"></span> figures the rule read</span>'
        '<span><span class="box" style="border-color:#ff7f0e"></span> the same number printed again</span></p>'
    )
    out.append(f'<h3 id="errors-heading">Errors ({len(errors)})</h3>')
    if errors:
        out.append(f'<table id="violations" class="violations">{_VIOLATION_HEADER}<tbody>')
        out += [_violation_row(v) for v in errors]
        out.append("</tbody></table>")
    else:
        out.append('<p id="no-errors">No errors.</p>')
    out.append(f'<h3 id="warnings-heading">Warnings ({len(warnings)})</h3>')
    if not warnings:
        out.append('<p id="no-warnings">No warnings.</p>')
    groups: dict[tuple[str, str], list[ViolationView]] = {}
    for v in warnings:
        groups.setdefault((str(v.row.get("report_id")), str(v.row.get("rule"))), []).append(v)
    for (report_id, rule), rows in groups.items():
        out.append(
            f'<details class="warnings"><summary><strong>{html.escape(report_id)}</strong>: '
            f"{html.escape(rule)} &times; {len(rows)}</summary>"
            f'<table class="violations">{_VIOLATION_HEADER}<tbody>'
        )
        out += [_violation_row(v) for v in rows]
        out.append("</tbody></table></details>")
    return out


def _violation_row(v: ViolationView) -> str:
    row = v.row
    pages = list(row.get("pages") or [])
    if not pages and row.get("page") is not None:
        pages = [row["page"]]
    anchor = f"{v.pdf_link}#page={pages[0]}" if v.pdf_link and pages else v.pdf_link
    label = f"{row.get('report_id')} p. {', '.join(str(p) for p in pages)}" if pages else str(row.get("report_id"))
    severity = str(row.get("severity", ""))
    acknowledged = "yes" if row.get("acknowledged") else "no"
    if row.get("acknowledged") and row.get("acknowledgement"):
        acknowledged += f": {row['acknowledgement']}"
    # Each crop links to its PNG at full size; the page shows it scaled to the column.
    figures = (
        "".join(
            f'<figure><a class="crop" href="{html.escape(c["src"])}" target="_blank">'
            f'<img src="{html.escape(c["src"])}" alt="{html.escape(c["alt"])}" loading="lazy"></a>'
            f"<figcaption>{html.escape(c['alt'])}</figcaption></figure>"
            for c in v.crops
        )
        or "<em>no position recorded for these figures</em>"
    )
    key = row.get("key")
    return (
        f'<tr class="violation {html.escape(severity)}-row"><td>{_pdf_anchor(label, anchor)}</td>'
        f"<td>{html.escape(str(row.get('rule')))}</td>"
        f'<td class="{html.escape(severity)}">{html.escape(severity)}</td>'
        f"<td>{'' if key is None else '<code>' + html.escape(str(key)) + '</code><br>'}"
        f"{html.escape(str(row.get('detail', '')))}</td>"
        f'<td class="num">{_number(row.get("expected"))}</td><td class="num">{_number(row.get("actual"))}</td>'
        f"<td>{html.escape(acknowledged)}</td><td>{figures}</td></tr>"
    )


def _plots(plots: Sequence[Plot]) -> list[str]:
    out = ['<h2 id="trends-heading">Trends</h2>']
    if not plots:
        out.append("<p>No published figures to plot yet.</p>")
    for plot in plots:
        out.append(
            f'<figure class="plot"><img src="{html.escape(plot.file)}" alt="{html.escape(plot.title)}">'
            f"<figcaption><strong>{html.escape(plot.title)}</strong>. {html.escape(plot.caption)}</figcaption></figure>"
        )
    return out


def _pdf_anchor(text: str, link: str | None) -> str:
    if not link:
        return html.escape(str(text)) + " <em>(PDF not in the archive)</em>"
    return f'<a class="pdf" href="{html.escape(link)}">{html.escape(str(text))}</a>'


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return html.escape(str(value))
    return f"{number:,.0f}" if number == int(number) else f"{number:,}"
