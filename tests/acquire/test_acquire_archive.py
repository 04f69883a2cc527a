"""The archive: layout, listing PDFs with and without sidecars, stale or broken sidecars, revisions."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from mixedflows.acquire import AcquireError, ArchiveError, archived
from mixedflows.acquire.archive import Sidecar, pdf_path, sidecar_path, store
from tests.support.acquire_site import republished, sample_pdf

SHIPPED = Path(__file__).parents[2] / "raw_pdfs"


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A copy of the shipped archive (synthetic sample PDFs, no sidecars)."""
    return Path(shutil.copytree(SHIPPED, tmp_path / "raw_pdfs"))


def test_the_shipped_archive_lists_without_sidecars() -> None:
    """The shipped PDFs have no sidecar: listed with sha256 from their bytes, no source URL, revision 1."""
    listed = archived(SHIPPED)
    assert [(a.family, a.month) for a in listed] == [
        ("dtm_wb", "2024-11"),
        ("dtm_wb", "2024-12"),
        ("unhcr_wb", "2024-11"),
        ("unhcr_wb", "2024-12"),
    ]
    for entry in listed:
        assert entry.sha256 == hashlib.sha256(entry.path.read_bytes()).hexdigest()
        assert entry.bytes == entry.path.stat().st_size
        assert (entry.source_url, entry.retrieved_at, entry.revision, entry.current) == (None, None, 1, True)


def test_filters_by_family_and_month() -> None:
    """`family` and `month` narrow the listing; an unknown family or a bad month is refused."""
    assert [a.path.name for a in archived(SHIPPED, "unhcr_wb")] == ["2024-11.pdf", "2024-12.pdf"]
    assert [a.family for a in archived(SHIPPED, month="2024-12")] == ["dtm_wb", "unhcr_wb"]
    assert archived(SHIPPED, "dtm_wb", "2023-01") == []
    with pytest.raises(AcquireError, match="unknown report family 'iom'"):
        archived(SHIPPED, "iom")
    with pytest.raises(ValueError, match="'2024-1' is not a month as YYYY-MM"):
        archived(SHIPPED, month="2024-1")


def test_a_missing_archive_is_empty(tmp_path: Path) -> None:
    """No raw_pdfs/ folder yet (a fresh clone without samples) is an empty archive, not an error."""
    assert archived(tmp_path / "nowhere") == []


def test_files_that_are_not_archive_entries_are_ignored(raw: Path) -> None:
    """Stray files (other names, bad months, temporary downloads, other folders) are not reports."""
    family = raw / "dtm_wb"
    (family / "notes.pdf").write_bytes(b"%PDF-1.4")
    (family / "2024-13.pdf").write_bytes(b"%PDF-1.4")
    (family / ".incoming-2024-10-x.part").write_bytes(b"%PDF-1")
    (raw / "other_family").mkdir()
    (raw / "other_family" / "2024-12.pdf").write_bytes(b"%PDF-1.4")
    assert [a.month for a in archived(raw, "dtm_wb")] == ["2024-11", "2024-12"]
    assert {a.family for a in archived(raw)} == {"dtm_wb", "unhcr_wb"}


def test_a_sidecar_not_matching_its_pdf_is_ignored(raw: Path) -> None:
    """A sidecar describing other bytes (a run stopped between the renames) gives no provenance."""
    pdf = pdf_path(raw, "dtm_wb", "2024-12")
    Sidecar("dtm_wb", "2024-12", "0" * 64, 1, 3, url="https://dtm.iom.int/old.pdf").write(sidecar_path(pdf))
    [entry] = archived(raw, "dtm_wb", "2024-12")
    assert entry.source_url is None and entry.revision == 1


def test_a_broken_sidecar_is_an_error_naming_the_file(raw: Path) -> None:
    """A sidecar that is not JSON fails with one line naming it, rather than being silently skipped."""
    side = sidecar_path(pdf_path(raw, "unhcr_wb", "2024-11"))
    side.write_text("{not json")
    with pytest.raises(ArchiveError, match=rf"^{side}: not a readable sidecar"):
        archived(raw, "unhcr_wb")


def test_revisions_are_numbered_and_never_overwritten(raw: Path, tmp_path: Path) -> None:
    """Two re-publications keep r1 (the shipped bytes) and r2; the current PDF is revision 3."""
    original = pdf_path(raw, "dtm_wb", "2024-12").read_bytes()
    versions = [republished(original), republished(republished(original))]
    for number, data in enumerate(versions, start=2):
        incoming = tmp_path / f"incoming-{number}.pdf"
        incoming.write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        kind, stored = store(raw, incoming, Sidecar("dtm_wb", "2024-12", sha, len(data), 0, url="https://x/r.pdf"))
        assert (kind, stored.revision, stored.sha256) == ("revised", number, sha)
    revisions = raw / "dtm_wb" / "revisions"
    assert (revisions / "2024-12.r1.pdf").read_bytes() == original
    assert (revisions / "2024-12.r2.pdf").read_bytes() == versions[0]
    assert json.loads((revisions / "2024-12.r1.pdf.json").read_text())["url"] is None
    assert json.loads((revisions / "2024-12.r2.pdf.json").read_text())["url"] == "https://x/r.pdf"
    listed = archived(raw, "dtm_wb", "2024-12", include_revisions=True)
    assert [(a.revision, a.current) for a in listed] == [(3, True), (1, False), (2, False)]
    assert not list(raw.rglob("*.part"))


def test_storing_the_same_bytes_again_is_unchanged(raw: Path, tmp_path: Path) -> None:
    """The same bytes under a new URL refresh the sidecar, keep the PDF and add no revision."""
    data = sample_pdf("dtm_wb", "2024-12")
    incoming = tmp_path / "incoming.pdf"
    incoming.write_bytes(data)
    sidecar = Sidecar("dtm_wb", "2024-12", hashlib.sha256(data).hexdigest(), len(data), 0, url="https://x/new.pdf")
    kind, stored = store(raw, incoming, sidecar)
    assert (kind, stored.revision, stored.source_url) == ("unchanged", 1, "https://x/new.pdf")
    assert not (raw / "dtm_wb" / "revisions").exists()


def test_partial_downloads_of_a_killed_run_are_removed(tmp_path) -> None:
    """Stale `.incoming-*.part` files (a run killed mid-download) are removed; a live one is kept."""
    import os
    import time as clock

    from mixedflows.acquire.archive import remove_stale_partials

    folder = tmp_path / "dtm_wb"
    folder.mkdir()
    stale = folder / ".incoming-2024-12-abc.part"
    stale.write_bytes(b"%PDF-1.7 half")
    hour_ago = clock.time() - 7200
    os.utime(stale, (hour_ago, hour_ago))
    live = folder / ".incoming-2024-11-def.part"
    live.write_bytes(b"%PDF-1.7 being written")
    assert remove_stale_partials(tmp_path, "dtm_wb") == [stale]
    assert not stale.exists() and live.exists()
    assert remove_stale_partials(tmp_path, "unhcr_wb") == []
