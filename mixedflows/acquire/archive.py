"""The archive of report PDFs: `<raw_dir>/<family>/<YYYY-MM>.pdf`, a JSON sidecar each, old revisions kept.

Layout::

    raw_pdfs/<family>/<YYYY-MM>.pdf                      the current revision (what the main job reads)
    raw_pdfs/<family>/<YYYY-MM>.pdf.json                 its sidecar: url, retrieved_at, etag, sha256, ...
    raw_pdfs/<family>/revisions/<YYYY-MM>.r<N>.pdf       an earlier revision with different bytes
    raw_pdfs/<family>/revisions/<YYYY-MM>.r<N>.pdf.json  and its sidecar

Revisions live in a sub-folder so that `raw_pdfs/*/*.pdf` is exactly one PDF per report. A PDF
with no sidecar (the shipped samples, a file copied in by hand) is revision 1 of unknown origin.
A sidecar whose sha256 is not its PDF's (a run stopped between the two renames) is ignored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from extractors import EXTRACTORS
from mixedflows.acquire.errors import ArchiveError
from mixedflows.acquire.sources import check_family

MONTH_RE = re.compile(r"^\d{4}-(?:0[1-9]|1[0-2])$")
_CURRENT_RE = re.compile(r"^(?P<month>\d{4}-\d{2})\.pdf$")
_REVISION_RE = re.compile(r"^(?P<month>\d{4}-\d{2})\.r(?P<revision>[1-9]\d*)\.pdf$")
SIDECAR_SUFFIX = ".json"
REVISIONS_DIR = "revisions"
TEMP_PREFIX = ".incoming-"
_HASH_CHUNK = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Sidecar:
    """What we know about where an archived PDF came from; written as JSON beside it."""

    family: str
    month: str
    sha256: str
    bytes: int
    revision: int
    url: str | None = None
    page_url: str | None = None
    title: str | None = None
    retrieved_at: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @classmethod
    def read(cls, path: Path) -> Sidecar:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            fields = {f.name for f in dataclasses.fields(cls)}
            return cls(**{k: v for k, v in data.items() if k in fields})
        except (OSError, ValueError, TypeError) as exc:
            raise ArchiveError(f"{path}: not a readable sidecar ({' '.join(str(exc).split())})") from None

    def write(self, path: Path) -> None:
        """Atomically: a temporary file in the same folder, then a rename over the old sidecar."""
        text = json.dumps(dataclasses.asdict(self), indent=1, ensure_ascii=False) + "\n"
        _atomic_write_bytes(path, text.encode("utf-8"))


@dataclasses.dataclass(frozen=True)
class ArchivedPdf:
    """One PDF in the archive, with its provenance when a valid sidecar records it."""

    family: str
    month: str
    path: Path
    sha256: str
    bytes: int
    revision: int
    current: bool
    source_url: str | None = None
    retrieved_at: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    def to_record(self) -> dict[str, Any]:
        record = dataclasses.asdict(self)
        record["path"] = str(self.path)
        return record


def check_month(month: str) -> str:
    """The month itself when it is `YYYY-MM`; ValueError naming it otherwise."""
    if not MONTH_RE.match(month):
        raise ValueError(f"{month!r} is not a month as YYYY-MM")
    return month


def pdf_path(raw_dir: Path, family: str, month: str) -> Path:
    """Where the current revision of a family's month lives."""
    return Path(raw_dir) / check_family(family) / f"{check_month(month)}.pdf"


def sidecar_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.name + SIDECAR_SUFFIX)


def file_sha256(path: Path) -> tuple[str, int]:
    """(sha256 hex, size in bytes) of a file."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def archived(
    raw_dir: str | Path,
    family: str | None = None,
    month: str | None = None,
    *,
    include_revisions: bool = False,
) -> list[ArchivedPdf]:
    """Every PDF in the archive, by family and month.

    Parameters
    ----------
    raw_dir
        The archive root (`raw_pdfs/`). A missing folder is an empty archive.
    family, month
        Only this family (a key of `extractors.EXTRACTORS`) and/or month (`YYYY-MM`).
    include_revisions
        Also list earlier revisions (`current=False`).

    Returns
    -------
    list[ArchivedPdf]
        Sorted by family, month and revision. sha256 is always computed from the bytes; source
        URL, retrieval time and validators come from the sidecar when it matches the bytes.

    Raises
    ------
    ArchiveError
        A sidecar that is not valid JSON, naming the file.
    """
    raw = Path(raw_dir)
    families = [check_family(family)] if family else list(EXTRACTORS)
    if month is not None:
        check_month(month)
    found: list[ArchivedPdf] = []
    for fam in families:
        folder = raw / fam
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.pdf")):
            match = _CURRENT_RE.match(path.name)
            if match and MONTH_RE.match(match["month"]) and month in (None, match["month"]):
                found.append(_describe(path, fam, match["month"], current=True, revision=None))
        if include_revisions and (folder / REVISIONS_DIR).is_dir():
            for path in sorted((folder / REVISIONS_DIR).glob("*.pdf")):
                match = _REVISION_RE.match(path.name)
                if match and MONTH_RE.match(match["month"]) and month in (None, match["month"]):
                    found.append(_describe(path, fam, match["month"], current=False, revision=int(match["revision"])))
    return sorted(found, key=lambda a: (a.family, a.month, not a.current, a.revision))


def current(raw_dir: str | Path, family: str, month: str) -> ArchivedPdf | None:
    """The current revision of a family's month, or None when it is not archived."""
    path = pdf_path(Path(raw_dir), family, month)
    return _describe(path, family, month, current=True, revision=None) if path.is_file() else None


def _describe(path: Path, family: str, month: str, *, current: bool, revision: int | None) -> ArchivedPdf:
    sha, size = file_sha256(path)
    side = sidecar_path(path)
    sidecar = Sidecar.read(side) if side.is_file() else None
    if sidecar is not None and sidecar.sha256 != sha:
        sidecar = None
    if revision is None:
        revision = sidecar.revision if sidecar else 1
    return ArchivedPdf(
        family=family,
        month=month,
        path=path,
        sha256=sha,
        bytes=size,
        revision=revision,
        current=current,
        source_url=sidecar.url if sidecar else None,
        retrieved_at=sidecar.retrieved_at if sidecar else None,
        etag=sidecar.etag if sidecar else None,
        last_modified=sidecar.last_modified if sidecar else None,
    )


#: A partial download older than this was left by a killed run (a live one is written to every second).
STALE_PARTIAL_SECONDS = 3600


def remove_stale_partials(raw_dir: str | Path, family: str, *, older_than: float = STALE_PARTIAL_SECONDS) -> list[Path]:
    """Delete partial downloads a killed run left in a family's folder; returns what was removed.

    Only files older than `older_than` seconds go, so a fetch running at the same time keeps its own.
    """
    folder = Path(raw_dir) / family
    if not folder.is_dir():
        return []
    removed = []
    cutoff = time.time() - older_than
    for partial in folder.rglob(f"{TEMP_PREFIX}*.part"):
        with contextlib.suppress(FileNotFoundError):
            if partial.stat().st_mtime < cutoff:
                partial.unlink()
                removed.append(partial)
    return removed


@contextlib.contextmanager
def incoming_file(raw_dir: str | Path, family: str, month: str):
    """An open temporary file beside the month's PDF (same file system, so the final rename is atomic).

    The file is removed when the block ends unless `store` has moved it into place.
    """
    folder = pdf_path(Path(raw_dir), family, month).parent
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f"{TEMP_PREFIX}{month}-"
    with tempfile.NamedTemporaryFile(dir=folder, prefix=prefix, suffix=".part", delete=False) as handle:
        try:
            yield handle
        finally:
            handle.close()
            Path(handle.name).unlink(missing_ok=True)


def store(raw_dir: str | Path, incoming: Path, sidecar: Sidecar) -> tuple[str, ArchivedPdf]:
    """Put a verified download into the archive; returns ("new" | "unchanged" | "revised", the archived PDF).

    Same bytes as the current revision: the download is dropped and only the sidecar's url and
    validators are refreshed. Different bytes: the current revision is kept under `revisions/`
    first, then the new PDF replaces it by an atomic rename. The sidecar's `revision` is set here.
    """
    target = pdf_path(Path(raw_dir), sidecar.family, sidecar.month)
    existing = current(raw_dir, sidecar.family, sidecar.month)
    if existing is not None and existing.sha256 == sidecar.sha256:
        old = Sidecar.read(sidecar_path(target)) if sidecar_path(target).is_file() else None
        refreshed = dataclasses.replace(sidecar, revision=existing.revision)
        if old is not None and old.sha256 == sidecar.sha256:
            # Keep when the bytes were first retrieved; take the newest url and validators.
            refreshed = dataclasses.replace(refreshed, retrieved_at=old.retrieved_at)
        if refreshed != old:
            refreshed.write(sidecar_path(target))
        return "unchanged", current(raw_dir, sidecar.family, sidecar.month)  # type: ignore[return-value]
    revision = 1
    if existing is not None:
        revision = _keep_as_revision(existing) + 1
    _fsync(incoming)
    os.replace(incoming, target)
    dataclasses.replace(sidecar, revision=revision).write(sidecar_path(target))
    stored = current(raw_dir, sidecar.family, sidecar.month)
    return ("revised" if existing is not None else "new"), stored  # type: ignore[return-value]


def _keep_as_revision(existing: ArchivedPdf) -> int:
    """Copy the current PDF (and sidecar) to `revisions/`; returns the revision number it was kept as."""
    folder = existing.path.parent / REVISIONS_DIR
    folder.mkdir(exist_ok=True)
    taken = {int(m["revision"]) for p in folder.glob(f"{existing.month}.r*.pdf") if (m := _REVISION_RE.match(p.name))}
    number = existing.revision
    kept = folder / f"{existing.month}.r{number}.pdf"
    if number in taken and file_sha256(kept)[0] != existing.sha256:
        number = max(taken) + 1
        kept = folder / f"{existing.month}.r{number}.pdf"
    if not kept.exists():
        _atomic_copy(existing.path, kept)
    old_sidecar = Sidecar(
        family=existing.family,
        month=existing.month,
        sha256=existing.sha256,
        bytes=existing.bytes,
        revision=number,
        url=existing.source_url,
        retrieved_at=existing.retrieved_at,
        etag=existing.etag,
        last_modified=existing.last_modified,
    )
    side = sidecar_path(existing.path)
    if side.is_file():
        recorded = Sidecar.read(side)
        if recorded.sha256 == existing.sha256:
            old_sidecar = dataclasses.replace(recorded, revision=number)
    old_sidecar.write(sidecar_path(kept))
    return max(taken | {number})


def _atomic_copy(source: Path, target: Path) -> None:
    tmp = target.with_name(f"{TEMP_PREFIX}{target.name}.part")
    try:
        shutil.copyfile(source, tmp)
        _fsync(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TEMP_PREFIX}{path.name}-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
