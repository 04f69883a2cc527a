"""Headings matched as word sequences, tolerant of a wrapped line, a word more or less, another case or font.

A section is anchored by the words of its heading (`HeadingAnchor`): the printed heading, wrapped
over any number of lines and joined, is compared word by word with every anchor of the family, and
belongs to the section whose anchor it is closest to, within the tolerances `heading_missing_share` and
`heading_extra_words` of `LayoutSettings`. Month names, years and other figures are not words of a
heading (they change every issue), and case, punctuation and a plural `s` do not count.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from ..months import MONTH_NAME_PATTERN
from .settings import DEFAULT

_MONTH_WORD = re.compile(rf"^(?:{MONTH_NAME_PATTERN})\.?$", re.I)
_WORD = re.compile(r"[^\W\d_]+")


@dataclasses.dataclass(frozen=True)
class HeadingAnchor:
    """The words a section's heading prints, in order (any of `forms`, e.g. one per layout)."""

    section: str
    forms: tuple[str, ...]

    @property
    def word_forms(self) -> tuple[tuple[str, ...], ...]:
        return tuple(heading_words(form) for form in self.forms)


@dataclasses.dataclass(frozen=True)
class HeadingMatch:
    """How far a printed heading is from an anchor: anchor words it lacks, words it has beyond them."""

    section: str
    missing: int
    extra: int

    @property
    def cost(self) -> int:
        return self.missing + self.extra


@lru_cache(maxsize=4096)
def heading_words(text: str) -> tuple[str, ...]:
    """The comparable words of a heading: lower case, no months, years, figures or plural `s`."""
    words = []
    for word in _WORD.findall(text.lower()):
        if _MONTH_WORD.match(word):
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return tuple(words)


def common_in_order(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence of two word sequences (the words two wordings share in order)."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def allowed_missing(anchor_length: int) -> int:
    return math.floor(anchor_length * DEFAULT.heading_missing_share)


def match_anchor(text: str, anchor: HeadingAnchor) -> HeadingMatch | None:
    """The closest form of `anchor` to a printed heading, or None when no form is within the tolerance."""
    words = heading_words(text)
    present = set(words)
    best: HeadingMatch | None = None
    for form in anchor.word_forms:
        # Words of the form the heading does not print at all are missing whatever their order: most
        # lines of a page share too few words with a form to be worth aligning.
        if sum(word not in present for word in form) > allowed_missing(len(form)):
            continue
        common = common_in_order(words, form)
        found = HeadingMatch(anchor.section, len(form) - common, len(words) - common)
        if found.missing > allowed_missing(len(form)) or found.extra > DEFAULT.heading_extra_words or not common:
            continue
        if best is None or found.cost < best.cost:
            best = found
    return best


def closest(text: str, anchors: Iterable[HeadingAnchor]) -> list[HeadingMatch]:
    """The anchors a printed heading is closest to (more than one section when it is a tie), within tolerance.

    Closest is the fewest words missing or extra; between equals, the one that leaves fewer printed words
    unexplained ("Persons present at the end of every month" is the by-month heading, one word swapped,
    rather than the month-end heading with two words added).
    """
    return list(_closest(text, tuple(anchors)))


@lru_cache(maxsize=8192)
def _closest(text: str, anchors: tuple[HeadingAnchor, ...]) -> tuple[HeadingMatch, ...]:
    """`closest`, computed once per printed text (every section of a report asks about the same lines)."""
    found = [m for a in anchors if (m := match_anchor(text, a)) is not None]
    if not found:
        return ()
    best = min((m.cost, m.extra) for m in found)
    return tuple(m for m in found if (m.cost, m.extra) == best)


def classify(text: str, anchors: Iterable[HeadingAnchor]) -> HeadingMatch | None:
    """The section a printed heading belongs to: the anchor it is closest to, or None (none, or a tie)."""
    found = closest(text, anchors)
    return found[0] if len({m.section for m in found}) == 1 else None
