"""The store's versions (the ledger's commit history) and the figures that changed between two of them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from deltalake import DeltaTable

from extractors.facts import FACT_KEY

from .errors import VersionNotFoundError
from .tables import WRITE_ORDER

#: What makes two rows with the same key a different figure (page, box or method moving is not a change).
FIGURE_FIELDS = ("value", "unit", "qualifier")

#: Columns of `diff`'s frame, in order.
DIFF_COLUMNS = (
    "change",
    *FACT_KEY,
    *(f"{field}_{side}" for field in FIGURE_FIELDS for side in ("before", "after")),
)


@dataclasses.dataclass(frozen=True)
class StoreVersion:
    """One version of the store: a commit of the `reports` ledger and the table versions it stands for.

    Attributes
    ----------
    version
        The store version (the ledger's Delta version).
    timestamp
        When it was committed (UTC).
    operation
        The Delta operation (`CREATE TABLE`, `WRITE`).
    action
        What mixedflows did: `create`, `publish`, `release` or `record_failure`.
    run_id
        The run that made it (None for the creation).
    report_ids
        The reports it touched.
    status
        The status it gave them (`published`, `quarantined`, `failed`).
    tables
        The version of `facts`, `violations` and `quarantine` this store version reads.
    metadata
        Everything the commit carries under `mixedflows` (the run's metadata included).
    """

    version: int
    timestamp: dt.datetime
    operation: str
    action: str
    run_id: str | None
    report_ids: tuple[str, ...]
    status: str | None
    tables: Mapping[str, int]
    metadata: Mapping[str, Any]

    def to_record(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        record = dataclasses.asdict(self)
        record["timestamp"] = self.timestamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        record["report_ids"] = list(self.report_ids)
        return record


def list_versions(ledger: Path) -> list[StoreVersion]:
    """Every version of the store, oldest first."""
    versions = [_version(commit) for commit in DeltaTable(ledger).history()]
    return sorted(versions, key=lambda v: v.version)


def _version(commit: Mapping[str, Any]) -> StoreVersion:
    meta = dict(commit.get("mixedflows") or {})
    return StoreVersion(
        version=int(commit["version"]),
        timestamp=dt.datetime.fromtimestamp(commit["timestamp"] / 1000, tz=dt.UTC),
        operation=str(commit.get("operation", "")),
        action=str(meta.get("action", "unknown")),
        run_id=meta.get("run_id"),
        report_ids=tuple(meta.get("report_ids") or ()),
        status=meta.get("status"),
        tables={name: int(v) for name, v in (meta.get("tables") or {}).items()},
        metadata=meta,
    )


def resolve(versions: list[StoreVersion], version: int | None, root: Path) -> StoreVersion:
    """The store version asked for (None: the latest), or a one-line VersionNotFoundError."""
    if version is None:
        return versions[-1]
    found = next((v for v in versions if v.version == version), None)
    if found is None:
        raise VersionNotFoundError(
            f"{root}: there is no version {version} (versions 0 to {versions[-1].version}; see `mixedflows versions`)"
        )
    if set(found.tables) != set(WRITE_ORDER[:-1]):
        raise VersionNotFoundError(f"{root}: version {version} does not say which table versions it reads")
    return found


def diff_facts(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Figures added, removed and changed from `before` to `after`, keyed on the contract's facts key."""
    old = _by_key(before)
    new = _by_key(after)
    rows = []
    for key in sorted(old.keys() | new.keys(), key=_sort_key):
        a, b = old.get(key), new.get(key)
        if a is None:
            change = "added"
        elif b is None:
            change = "removed"
        elif any(not _same(a[f], b[f]) for f in FIGURE_FIELDS):
            change = "changed"
        else:
            continue
        row = {"change": change, **dict(zip(FACT_KEY, key, strict=True))}
        for field in FIGURE_FIELDS:
            row[f"{field}_before"] = a[field] if a else None
            row[f"{field}_after"] = b[field] if b else None
        rows.append(row)
    frame = pd.DataFrame.from_records(rows, columns=list(DIFF_COLUMNS))
    for name in DIFF_COLUMNS:
        frame[name] = frame[name].astype(
            "float64" if name.startswith("value_") else "Int64" if name == "rank" else "string"
        )
    return frame


def _by_key(frame: pd.DataFrame) -> dict[tuple, dict[str, Any]]:
    out = {}
    for record in frame.to_dict("records"):
        clean = {k: _plain(v) for k, v in record.items() if k in FACT_KEY or k in FIGURE_FIELDS}
        out[tuple(clean[k] for k in FACT_KEY)] = clean
    return out


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _same(a: Any, b: Any) -> bool:
    return a == b or (a is None and b is None)


def _sort_key(key: tuple) -> tuple:
    return tuple((v is None, v if v is not None else "") for v in key)
