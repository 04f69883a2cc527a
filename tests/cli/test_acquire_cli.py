"""`mixedflows fetch` and `discover` against the loopback site: every fault of issue #4, then a second run."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from mixedflows.cli import app
from tests.support.acquire_site import (  # noqa: F401 (the *_fixture names are fixtures)
    DTM_LISTING,
    DTM_LISTING_2,
    UNHCR_LISTING,
    Reply,
    Site,
    closed_port,
    dtm_pdf_path,
    loopback_only_fixture,
    republished,
    sample_pdf,
    serve_western_balkans,
    site_env,
    site_fixture,
    unhcr_pdf_path,
)

SHIPPED = Path(__file__).parents[2] / "raw_pdfs"


def run(env: dict, *args: str):
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def files(raw: Path) -> dict[str, str]:
    """Every file of the archive with its sha256."""
    return {str(p.relative_to(raw)): hashlib.sha256(p.read_bytes()).hexdigest() for p in raw.rglob("*") if p.is_file()}


def test_fetch_against_every_fault_archives_exactly_the_right_pdfs_then_nothing_new(site: Site, tmp_path: Path) -> None:
    """Issue #4's acceptance: right PDFs, no partial file, one clear line per failure; a second run fetches nothing."""
    expected = serve_western_balkans(site)
    env = site_env(site)
    raw = tmp_path / "raw_pdfs"

    first = run(env, "fetch", "--raw-dir", str(raw))
    assert first.exit_code == 2
    good = {(fam, month) for fam, months in expected.items() for month, outcome in months.items() if outcome == "new"}
    assert sorted(p for p in files(raw) if p.endswith(".pdf")) == sorted(f"{f}/{m}.pdf" for f, m in good)
    assert sorted(p for p in files(raw) if p.endswith(".json")) == sorted(f"{f}/{m}.pdf.json" for f, m in good)
    for fam, month in good:
        assert (raw / fam / f"{month}.pdf").read_bytes() == sample_pdf(fam, month)
    errors = first.stderr.splitlines()
    failures = {(f, m): outcome for f, months in expected.items() for m, outcome in months.items() if outcome != "new"}
    assert len(errors) == len(failures)
    for (fam, month), phrase in failures.items():
        [line] = [e for e in errors if e.startswith(f"error: {fam} {month}: http://127.0.0.1")]
        assert phrase in line
    assert "Traceback" not in first.output
    assert first.stdout.splitlines()[-1] == f"fetched: {len(good)} new, 0 unchanged, 0 revised, {len(failures)} failed"

    before = {p: p.stat().st_mtime_ns for p in raw.rglob("*") if p.is_file()}
    second = run(env, "fetch", "--raw-dir", str(raw))
    assert second.exit_code == 2
    assert second.stdout.splitlines()[-1] == f"fetched: 0 new, {len(good)} unchanged, 0 revised, {len(failures)} failed"
    assert {p: p.stat().st_mtime_ns for p in raw.rglob("*") if p.is_file()} == before
    assert site.hits(dtm_pdf_path("2024-12"))[-1]["if-none-match"] == '"dtm-1224"'
    assert site.hits(unhcr_pdf_path("2024-12"))[-1]["if-modified-since"] == "Mon, 03 Feb 2025 09:00:00 GMT"
    assert len(second.stderr.splitlines()) == len(failures)


def test_a_republished_pdf_is_fetched_as_a_revision(site: Site, tmp_path: Path) -> None:
    """After the publisher replaces a PDF under the same link, fetch keeps both and says `revised`."""
    serve_western_balkans(site)
    env = site_env(site)
    raw = tmp_path / "raw_pdfs"
    run(env, "fetch", "--family", "dtm_wb", "--month", "2024-10", "--raw-dir", str(raw))
    corrected = republished(sample_pdf("dtm_wb", "2024-10"))
    site.route(dtm_pdf_path("2024-10"), Reply(body=corrected, content_type="application/pdf"))
    result = run(env, "fetch", "--family", "dtm_wb", "--month", "2024-10", "--raw-dir", str(raw))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("revised dtm_wb 2024-10: ")
    assert (raw / "dtm_wb" / "2024-10.pdf").read_bytes() == corrected
    assert (raw / "dtm_wb" / "revisions" / "2024-10.r1.pdf").read_bytes() == sample_pdf("dtm_wb", "2024-10")


def test_an_unreachable_source_is_one_line_and_the_other_source_still_fetches(site: Site, tmp_path: Path) -> None:
    """DTM's site is down: one line naming it; UNHCR's month is still archived; exit 2."""
    serve_western_balkans(site)
    env = {**site_env(site), "MIXEDFLOWS_LISTING_URL_DTM_WB": f"http://127.0.0.1:{closed_port()}/reports"}
    raw = tmp_path / "raw_pdfs"
    result = run(env, "fetch", "--month", "2024-12", "--raw-dir", str(raw))
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: dtm_wb: listing http://127.0.0.1:") and "connection failed" in line
    assert result.stdout.startswith("new unhcr_wb 2024-12: ")
    assert sorted(files(raw)) == ["unhcr_wb/2024-12.pdf", "unhcr_wb/2024-12.pdf.json"]


def test_a_month_not_listed_is_a_line_per_source(site: Site, tmp_path: Path) -> None:
    """Asking for a month the publishers have not listed says so for each source and archives nothing."""
    serve_western_balkans(site)
    result = run(site_env(site), "fetch", "--month", "2025-03", "--raw-dir", str(tmp_path))
    assert result.exit_code == 2
    assert [line.split(" is listed")[0] for line in result.stderr.splitlines()] == [
        "error: dtm_wb: no issue for 2025-03",
        "error: unhcr_wb: no issue for 2025-03",
    ]
    assert files(tmp_path) == {}


def test_fetch_one_family_and_an_older_month_follows_the_listing_pages(site: Site, tmp_path: Path) -> None:
    """`--family dtm_wb --month 2023-06` reads the second listing page and touches no UNHCR page."""
    serve_western_balkans(site)
    result = run(site_env(site), "fetch", "--family", "dtm_wb", "--month", "2023-06", "--raw-dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dtm_wb" / "2023-06.pdf").read_bytes() == sample_pdf("dtm_wb", "2023-06")
    assert len(site.hits(DTM_LISTING_2)) == 1 and site.hits(UNHCR_LISTING) == []


def test_loopback_sites_are_refused_unless_explicitly_allowed(site: Site, tmp_path: Path) -> None:
    """Without MIXEDFLOWS_ALLOW_PRIVATE_ADDRESSES the loopback site is refused, one line per source, no request."""
    serve_western_balkans(site)
    env = {**site_env(site), "MIXEDFLOWS_ALLOW_PRIVATE_ADDRESSES": None}
    result = run(env, "fetch", "--raw-dir", str(tmp_path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all("127.0.0.1 is a private or loopback address" in line for line in lines)
    assert site.requests == []


def test_discover_local_lists_the_archive_offline(tmp_path: Path) -> None:
    """The default `discover` reads only the archive: no network, sha256 and (missing) source for each PDF."""
    raw = Path(shutil.copytree(SHIPPED, tmp_path / "raw_pdfs"))
    result = run({}, "discover", "--raw-dir", str(raw), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["family"], r["month"], r["source_url"]) for r in rows] == [
        ("dtm_wb", "2024-11", None),
        ("dtm_wb", "2024-12", None),
        ("unhcr_wb", "2024-11", None),
        ("unhcr_wb", "2024-12", None),
    ]
    assert rows[0]["sha256"] == hashlib.sha256((raw / "dtm_wb" / "2024-11.pdf").read_bytes()).hexdigest()


def test_discover_web_shows_what_is_listed_and_what_is_archived(site: Site, tmp_path: Path) -> None:
    """`discover --source web` lists each family's issues and the sha256 of those already archived."""
    serve_western_balkans(site)
    env = site_env(site)
    run(env, "fetch", "--family", "unhcr_wb", "--month", "2024-11", "--raw-dir", str(tmp_path))
    result = run(env, "discover", "--source", "web", "--raw-dir", str(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["family"], r["month"]) for r in rows][:6] == [
        ("dtm_wb", "2024-12"),
        ("dtm_wb", "2024-11"),
        ("dtm_wb", "2024-10"),
        ("dtm_wb", "2024-09"),
        ("dtm_wb", "2024-08"),
        ("unhcr_wb", "2024-12"),
    ]
    archived = {(r["family"], r["month"]): r["archived_sha256"] for r in rows if r["archived_sha256"]}
    assert archived == {("unhcr_wb", "2024-11"): hashlib.sha256(sample_pdf("unhcr_wb", "2024-11")).hexdigest()}
    assert len(site.hits(DTM_LISTING)) == 1
