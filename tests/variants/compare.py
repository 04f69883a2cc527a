"""Compare two PDFs as an extractor sees them: words with size class and position, grouped by page and section."""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from pathlib import Path

import pdfplumber

#: Words at least this large, and bold, start a section (the reports' headings are 9.5-15 pt bold).
HEADING_MIN_SIZE = 9.4
HEADING_MAX_SIZE = 16.0


@dataclasses.dataclass(frozen=True)
class PdfWord:
    """One word as pdfplumber reads it (after dropping bold-by-overprint copies)."""

    page: int
    text: str
    size: float
    bold: bool
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def size_class(self) -> float:
        """The size rounded to the nearest half point (marks, body, figures and headings stay apart)."""
        return round(self.size * 2) / 2


@dataclasses.dataclass
class PageDiff:
    """What differs on one page: words only in one PDF, and matched words that moved too far."""

    page: int
    missing: list[tuple[str, PdfWord]] = dataclasses.field(default_factory=list)
    extra: list[tuple[str, PdfWord]] = dataclasses.field(default_factory=list)
    moved: list[tuple[str, PdfWord, PdfWord, float]] = dataclasses.field(default_factory=list)
    matched: int = 0

    def summary(self, limit: int = 8) -> str:
        parts = [f"page {self.page}: {self.matched} matched"]
        if self.missing:
            parts.append(
                f"missing {len(self.missing)}: "
                + "; ".join(f"[{s}] {w.text!r}@{w.size_class}" for s, w in self.missing[:limit])
            )
        if self.extra:
            parts.append(
                f"extra {len(self.extra)}: "
                + "; ".join(f"[{s}] {w.text!r}@{w.size_class}" for s, w in self.extra[:limit])
            )
        if self.moved:
            parts.append(
                f"moved {len(self.moved)}: "
                + "; ".join(
                    f"[{s}] {a.text!r} ({a.x0:.1f},{a.top:.1f})->({b.x0:.1f},{b.top:.1f})"
                    for s, a, b, _ in self.moved[:limit]
                )
            )
        return "\n  ".join(parts)


def read_words(pdf: Path) -> list[list[PdfWord]]:
    """The words of each page, in the way the extractors' document layer splits them."""
    pages: list[list[PdfWord]] = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            raw = page.dedupe_chars().extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
            pages.append(
                [
                    PdfWord(
                        number,
                        w["text"],
                        float(w["size"]),
                        "bold" in w["fontname"].lower(),
                        float(w["x0"]),
                        float(w["top"]),
                        float(w["x1"]),
                        float(w["bottom"]),
                    )
                    for w in raw
                    if w["text"].strip()
                ]
            )
    return pages


def sections(words: list[PdfWord]) -> dict[PdfWord, str]:
    """Name each word's section: the heading line nearest above it that overlaps it horizontally."""
    heads = [w for w in words if w.bold and HEADING_MIN_SIZE <= w.size <= HEADING_MAX_SIZE]
    lines: dict[tuple[int, int], list[PdfWord]] = defaultdict(list)
    for w in heads:
        lines[(round(w.top), round(w.x0 // 300))].append(w)
    headings = []
    for group in lines.values():
        group.sort(key=lambda w: w.x0)
        text = " ".join(w.text for w in group)
        headings.append((group[0].top, group[0].x0, max(w.x1 for w in group) + 300, text[:40]))
    names = {}
    for w in words:
        above = [h for h in headings if h[0] <= w.top + 1 and h[1] - 5 <= w.x0 <= h[2]]
        names[w] = max(above, key=lambda h: h[0])[3] if above else "(top)"
    return names


def overlapping_words(words: list[PdfWord], slack: float = 0.5) -> list[tuple[PdfWord, PdfWord]]:
    """Pairs of words whose boxes overlap by more than `slack` points both ways (text drawn over text)."""
    ordered = sorted(words, key=lambda w: w.x0)
    found = []
    for index, a in enumerate(ordered):
        for b in ordered[index + 1 :]:
            if b.x0 >= a.x1 - slack:
                break
            if min(a.bottom, b.bottom) - max(a.top, b.top) > slack and min(a.x1, b.x1) - max(a.x0, b.x0) > slack:
                found.append((a, b))
    return found


def compare(expected_pdf: Path, actual_pdf: Path, tolerance: float = 3.0) -> list[PageDiff]:
    """Per page: words of `expected_pdf` not in `actual_pdf` (by text and size class), extra ones, moved ones.

    Words with the same text and size class are paired so that as many pairs as possible lie within
    `tolerance` points of each other in x and y (a maximum bipartite matching, so that the many `2024`
    and `of` on a page cannot steal each other's partners); the words left over are paired nearest
    first and count as moved, and what is still left is missing or extra.
    """
    expected, actual = read_words(expected_pdf), read_words(actual_pdf)
    diffs = []
    for number in range(1, max(len(expected), len(actual)) + 1):
        want = expected[number - 1] if number <= len(expected) else []
        got = actual[number - 1] if number <= len(actual) else []
        names_want, names_got = sections(want), sections(got)
        diff = PageDiff(number)
        by_key_want: dict[tuple[str, float], list[PdfWord]] = defaultdict(list)
        by_key_got: dict[tuple[str, float], list[PdfWord]] = defaultdict(list)
        for w in want:
            by_key_want[(w.text, w.size_class)].append(w)
        for g in got:
            by_key_got[(g.text, g.size_class)].append(g)
        for key, words in by_key_want.items():
            candidates = by_key_got.get(key, [])
            pairs = _match_within(words, candidates, tolerance)
            diff.matched += len(pairs)
            left_w = [w for i, w in enumerate(words) if i not in pairs]
            used = set(pairs.values())
            left_g = [g for j, g in enumerate(candidates) if j not in used]
            for w, g in _nearest_pairs(left_w, left_g):
                diff.matched += 1
                diff.moved.append((names_want[w], w, g, math.hypot(w.x0 - g.x0, w.top - g.top)))
                left_w.remove(w)
                left_g.remove(g)
            diff.missing.extend((names_want[w], w) for w in left_w)
            by_key_got[key] = left_g
        diff.extra = [(names_got[g], g) for words in by_key_got.values() for g in words]
        diffs.append(diff)
    return diffs


def _match_within(want: list[PdfWord], got: list[PdfWord], tolerance: float) -> dict[int, int]:
    """A maximum matching of `want` to `got` using only pairs within `tolerance` (Kuhn's augmenting paths)."""
    near = [
        [j for j, g in enumerate(got) if abs(w.x0 - g.x0) <= tolerance and abs(w.top - g.top) <= tolerance]
        for w in want
    ]
    owner: dict[int, int] = {}  # got index -> want index

    def augment(i: int, seen: set[int]) -> bool:
        for j in near[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(want)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def _nearest_pairs(want: list[PdfWord], got: list[PdfWord]) -> list[tuple[PdfWord, PdfWord]]:
    options = sorted(
        ((math.hypot(w.x0 - g.x0, w.top - g.top), i, j) for i, w in enumerate(want) for j, g in enumerate(got))
    )
    taken_w: set[int] = set()
    taken_g: set[int] = set()
    pairs = []
    for _, i, j in options:
        if i not in taken_w and j not in taken_g:
            taken_w.add(i)
            taken_g.add(j)
            pairs.append((want[i], got[j]))
    return pairs
