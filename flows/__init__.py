"""Prefect flows: the monthly run and the backfill. They only orchestrate; the work is in `mixedflows`."""

from __future__ import annotations

from flows.backfill import backfill
from flows.monthly import monthly

__all__ = ["backfill", "monthly"]
