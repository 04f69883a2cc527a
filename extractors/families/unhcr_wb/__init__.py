"""The UNHCR "Western Balkans — Refugees, asylum-seekers and other people in mixed movements" family.

`spec`: how an issue is recognised, its layouts and sections (the heading each is anchored by, the
indicators it yields); `sections` and its helpers: the section readers; `source`: where issues are
published (read by `mixedflows.acquire`); `plots`: the trend plots of its series in the run report.
"""

from __future__ import annotations

from .spec import SPEC

__all__ = ["SPEC"]
