"""The one word builder of the tests: words as pdfplumber would give them, and edits of a parsed sample's words
(rename, drop, move, respell) that imitate what unseen issues change."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from extractors.document import Document, Page, Word

WordEdit = Callable[[Page], Sequence[Word]]


def edit_pages(document: Document, edit: WordEdit, pages: Sequence[int] | None = None) -> Document:
    """A copy of `document` whose pages (all, or the numbered ones) carry `edit(page)` as their words."""
    edited = [
        Page(page.number, page.width, page.height, edit(page), page.rules)
        if pages is None or page.number in pages
        else page
        for page in document.pages
    ]
    return Document(document.path, edited, document.sha256)


def word(text: str, x0: float, top: float, size: float = 7.0, *, width: float | None = None, **flags: bool) -> Word:
    """A word on page 1 as pdfplumber would give it, about half an em wide per character unless `width` is given;
    `flags` are Word's `bold` and `superscript`."""
    width = 0.5 * size * len(text) if width is None else width
    return Word(text, x0, top, x0 + width, top + size, size, 1, **flags)


def phrase(text: str, x0: float, top: float, size: float = 7.0, *, bold: bool = False) -> list[Word]:
    """Words of a phrase on page 1, one space (0.3 em) apart."""
    words = []
    for part in text.split():
        words.append(word(part, x0, top, size, bold=bold))
        x0 = words[-1].x1 + 0.3 * size
    return words


def moved(w: Word, dx: float = 0.0, dy: float = 0.0) -> Word:
    """`w` moved by (dx, dy), same text, size and weight."""
    return dataclasses.replace(w, x0=w.x0 + dx, x1=w.x1 + dx, top=w.top + dy, bottom=w.bottom + dy)


def respelled(old: Sequence[Word], new_text: str, *, top: float | None = None) -> list[Word]:
    """Words printing `new_text` where `old` printed its label (same font, size and advance per character)."""
    first = old[0]
    per_char = (old[-1].x1 - first.x0) / max(len(" ".join(w.text for w in old)), 1)
    y = first.top if top is None else top
    words, x0 = [], first.x0
    for part in new_text.split():
        width = per_char * len(part)
        words.append(Word(part, x0, y, x0 + width, y + (first.bottom - first.top), first.size, first.page, first.bold))
        x0 += width + per_char
    return words


def replace_phrase(old: Sequence[str], new: str) -> WordEdit:
    """Replace each run of consecutive words `old` on one line by one word `new` spanning them."""

    def edit(page: Page) -> list[Word]:
        dropped: set[int] = set()
        added: list[Word] = []
        for line in page.lines:
            words = line.text_words
            for start in range(len(words) - len(old) + 1):
                run = words[start : start + len(old)]
                if [w.text for w in run] == list(old) and not dropped & {id(w) for w in run}:
                    dropped |= {id(w) for w in run}
                    added.append(dataclasses.replace(run[0], text=new, x1=run[-1].x1))
        return [w for w in page.words if id(w) not in dropped] + added

    return edit


def rename(old: str, new: str, *, below: float = 0.0, above: float = float("inf")) -> WordEdit:
    """Give every word `old` between `below` and `above` (tops) the text `new`, in the same box."""

    def edit(page: Page) -> list[Word]:
        return [
            dataclasses.replace(w, text=new) if w.text == old and below <= w.top <= above else w for w in page.words
        ]

    return edit


def drop(keep: Callable[[Word], bool]) -> WordEdit:
    """Keep only the words `keep` accepts."""

    def edit(page: Page) -> list[Word]:
        return [w for w in page.words if keep(w)]

    return edit


def shift(dx: float, dy: float) -> WordEdit:
    """Move every word of the page by (dx, dy): a block placed a few points off."""

    def edit(page: Page) -> list[Word]:
        return [moved(w, dx, dy) for w in page.words]

    return edit


def swap_bands(first: tuple[float, float], second: tuple[float, float]) -> WordEdit:
    """Swap the words of two horizontal bands (tops within each range): two table rows change places."""

    def edit(page: Page) -> list[Word]:
        offset = second[0] - first[0]
        swapped = []
        for w in page.words:
            if first[0] <= w.top <= first[1]:
                swapped.append(moved(w, dy=offset))
            elif second[0] <= w.top <= second[1]:
                swapped.append(moved(w, dy=-offset))
            else:
                swapped.append(w)
        return swapped

    return edit
