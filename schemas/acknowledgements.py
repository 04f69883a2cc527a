"""The review workflow's record: violations a person checked against the PDF and acknowledged.

Acknowledgements live in a TOML file versioned with the project (`config/acknowledgements.toml`),
one `[[acknowledgement]]` table each. An acknowledged violation no longer blocks publishing nor
alerts again, but stays in the violations, marked, with who acknowledged it and why.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import ValidationConfigError
from .facts import REPORT_ID_PATTERN

FILE_HEADER = """\
# Violations a person checked against the source PDF and acknowledged (the review workflow).
# An acknowledged violation no longer blocks publishing nor alerts again; it stays visible in reports.
# Add entries with `mixedflows acknowledge REPORT_ID RULE --key KEY --reason ... --who ...`;
# `mixedflows validate` prints each violation's KEY. Commit this file with the reason for the change.
"""

_FIELDS = ("report_id", "rule", "key", "reason", "who", "when")


@dataclasses.dataclass(frozen=True)
class Acknowledgement:
    """A person's verdict on one violation: it is in the source, and why publishing may go ahead."""

    report_id: str
    rule: str
    key: str
    reason: str
    who: str
    when: dt.datetime

    def __post_init__(self) -> None:
        if not re.match(REPORT_ID_PATTERN, self.report_id):
            raise ValueError(f"report id {self.report_id!r} is not like 'dtm-wb-2024-12'")
        for name in ("rule", "key", "reason", "who"):
            if not str(getattr(self, name)).strip():
                raise ValueError(f"{name} is empty: say {_WHAT[name]}")
        if self.when.tzinfo is None:
            raise ValueError(f"when {self.when.isoformat()} has no time zone (write it in UTC, ending in Z)")

    @property
    def target(self) -> tuple[str, str, str]:
        """The violation it acknowledges: (report_id, rule, key)."""
        return (self.report_id, self.rule, self.key)

    @property
    def note(self) -> str:
        return f"acknowledged by {self.who} on {self.when.date().isoformat()}: {self.reason}"

    def to_toml(self) -> str:
        """The entry as a TOML `[[acknowledgement]]` table."""
        lines = ["[[acknowledgement]]"]
        for name in _FIELDS[:-1]:
            # A JSON string is a valid TOML basic string (same escapes).
            lines.append(f"{name} = {json.dumps(getattr(self, name), ensure_ascii=False)}")
        when = self.when.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        lines.append(f"when = {when}")
        return "\n".join(lines) + "\n"


_WHAT = {
    "rule": "which rule's violation this is",
    "key": "which figure (the KEY `mixedflows validate` prints)",
    "reason": "why the violation is acceptable (e.g. 'the PDF prints these figures')",
    "who": "who checked it",
}


def load_acknowledgements(path: Path, known_rules: Iterable[str] | None = None) -> tuple[Acknowledgement, ...]:
    """Every acknowledgement in the file (none when it does not exist).

    Raises
    ------
    ValidationConfigError
        Naming the file and the entry when the file is not TOML, an entry lacks a field, names an
        unknown rule, or is malformed.
    """
    if not path.exists():
        return ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValidationConfigError(f"{path}: not valid TOML ({exc})") from exc
    entries = data.get("acknowledgement", [])
    unknown = sorted(set(data) - {"acknowledgement"})
    if unknown or not isinstance(entries, list):
        raise ValidationConfigError(f"{path}: expected only [[acknowledgement]] tables, found {unknown or entries!r}")
    rules = set(known_rules) if known_rules is not None else None
    found = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: acknowledgement #{number}"
        missing = [name for name in _FIELDS if name not in entry]
        extra = sorted(set(entry) - set(_FIELDS))
        if missing or extra:
            problem = f"missing {missing}" if missing else f"unknown fields {extra}"
            raise ValidationConfigError(f"{where}: {problem} (fields: {', '.join(_FIELDS)})")
        when = entry["when"]
        if not isinstance(when, dt.datetime):
            raise ValidationConfigError(f"{where}: when must be a date and time like 2025-01-20T09:30:00Z")
        try:
            acknowledgement = Acknowledgement(**{name: entry[name] for name in _FIELDS})
        except (TypeError, ValueError) as exc:
            raise ValidationConfigError(f"{where}: {exc}") from exc
        if rules is not None and acknowledgement.rule not in rules:
            raise ValidationConfigError(f"{where}: unknown rule {acknowledgement.rule!r} (known: {', '.join(rules)})")
        found.append(acknowledgement)
    return tuple(found)


def append_acknowledgement(path: Path, acknowledgement: Acknowledgement) -> None:
    """Add an entry at the end of the file (created with its header if missing); refuse a repeat.

    Raises
    ------
    ValidationConfigError
        When the violation is already acknowledged in the file, or the file cannot be read.
    """
    existing = load_acknowledgements(path)
    for entry in existing:
        if entry.target == acknowledgement.target:
            raise ValidationConfigError(
                f"{path}: {acknowledgement.report_id} {acknowledgement.rule} {acknowledgement.key} is already "
                f"{entry.note}"
            )
    text = path.read_text(encoding="utf-8") if path.exists() else FILE_HEADER
    if not text.endswith("\n"):
        text += "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the file and rename over it, so an interrupted write never leaves half an entry.
    draft = path.with_name(f".{path.name}.tmp")
    draft.write_text(text + "\n" + acknowledgement.to_toml(), encoding="utf-8")
    os.replace(draft, path)


def acknowledgement_notes(acknowledgements: Iterable[Acknowledgement]) -> Mapping[tuple[str, str, str], str]:
    """(report_id, rule, key) -> who acknowledged it, when and why."""
    return {entry.target: entry.note for entry in acknowledgements}
