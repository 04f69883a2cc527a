"""Errors raised by the store; each message is one line naming the output directory and what is wrong."""

from __future__ import annotations


class StoreError(RuntimeError):
    """Base of every error the store raises for a request it cannot complete."""


class StoreInputError(StoreError, ValueError):
    """A frame handed to the store does not fit its table (wrong report, duplicate keys, missing columns)."""


class StoreNotFoundError(StoreError, FileNotFoundError):
    """There are no published tables in the output directory yet."""


class VersionNotFoundError(StoreError, LookupError):
    """A version was asked for that the store never wrote."""


class StoreConflictError(StoreError):
    """Other writers kept committing to the same tables; the publish gave up after its bounded retries."""


class ReportStateError(StoreError):
    """The request does not fit the report's state in the ledger (e.g. releasing a report not quarantined)."""
