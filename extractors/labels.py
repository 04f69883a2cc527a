"""What a reader does with a printed place or nationality: publish its figures, warn, or hold them."""

from __future__ import annotations

from collections.abc import Iterable

from .context import ReportContext
from .document import Word
from .geo import ALIASES_FILE

#: What the reviewer of an `unknown_label` or `fuzzy_label` problem does next.
ALIAS_HINT = f"add an alias to config/{ALIASES_FILE}, then re-run"


def checked_label(
    context: ReportContext, kind: str, code: str | None, how: str | None, printed: str, words: Iterable[Word]
) -> bool:
    """Whether the figures of a row labelled `printed` may be published under `code`.

    An unknown label (`code` None) records an `unknown_label` problem and its figures are skipped,
    never published under a guess; a fuzzy match records a `fuzzy_label` problem (a warning showing
    the printed label and the code chosen) and its figures are kept.
    """
    words = list(words)
    where = f"section {context.section!r}" + (f", page {words[0].page}" if words else "")
    if code is None:
        context.problem(
            "unknown_label",
            f"{where}: unknown {kind} {printed!r}: its figures are held back ({ALIAS_HINT})",
            words,
            printed=printed,
        )
        return False
    if how == "fuzzy":
        context.problem(
            "fuzzy_label",
            f"{where}: {kind} {printed!r} read as {code} by a fuzzy match "
            f"(to confirm it, add an alias to config/{ALIASES_FILE})",
            words,
            printed=printed,
        )
    return True
