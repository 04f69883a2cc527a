"""Edits of a parsed sample's words (rename, drop, move) that imitate what unseen issues change."""

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


def word(text: str, x0: float, top: float, size: float = 7.0, page: int = 1, *, width: float | None = None) -> Word:
    """A word as pdfplumber would give it, about half an em wide per character unless `width` is given."""
    width = 0.5 * size * len(text) if width is None else width
    return Word(text, x0, top, x0 + width, top + size, size, page)


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
        return [
            dataclasses.replace(w, x0=w.x0 + dx, x1=w.x1 + dx, top=w.top + dy, bottom=w.bottom + dy) for w in page.words
        ]

    return edit


def swap_bands(first: tuple[float, float], second: tuple[float, float]) -> WordEdit:
    """Swap the words of two horizontal bands (tops within each range): two table rows change places."""

    def edit(page: Page) -> list[Word]:
        offset = second[0] - first[0]
        moved = []
        for w in page.words:
            if first[0] <= w.top <= first[1]:
                moved.append(dataclasses.replace(w, top=w.top + offset, bottom=w.bottom + offset))
            elif second[0] <= w.top <= second[1]:
                moved.append(dataclasses.replace(w, top=w.top - offset, bottom=w.bottom - offset))
            else:
                moved.append(w)
        return moved

    return edit
