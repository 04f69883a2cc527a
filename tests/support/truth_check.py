"""One comparison of an extraction with a truth file: every figure's value and page, nothing missing or extra."""

from __future__ import annotations

from typing import Any

from extractors import ExtractedReport

TRUTH_KEY = ("indicator", "geo", "period_start", "period_end", "breakdown", "rank")


def truth_key(row: dict[str, Any]) -> tuple:
    return tuple(row[k] for k in TRUTH_KEY)


def assert_matches_truth(report: ExtractedReport, truth: dict[str, Any]) -> None:
    """Fail naming the first few figures missing, extra, or read with a wrong value or page."""
    assert report.report_id == truth["report_id"]
    assert report.family == truth["family"]
    assert report.layout_version == truth["layout_version"]
    expected = {truth_key(r): (r["value"], r["page"]) for r in truth["facts"]}
    got = {}
    for fact in report.facts:
        row = fact.to_record()
        got[truth_key(row)] = (row["value"], row["page"])
    missing = sorted(set(expected) - set(got), key=str)
    extra = sorted(set(got) - set(expected), key=str)
    wrong = sorted((k for k in expected.keys() & got.keys() if expected[k] != got[k]), key=str)
    assert not missing, f"{len(missing)} figures not extracted, e.g. {missing[:5]}"
    assert not extra, f"{len(extra)} figures not in the truth, e.g. {extra[:5]}"
    assert not wrong, "wrong value or page: " + "; ".join(f"{k}: {got[k]} != {expected[k]}" for k in wrong[:5])
