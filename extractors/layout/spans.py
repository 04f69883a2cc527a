"""The one box type of the toolkit: anything printed by words of one page has the box of its words."""

from __future__ import annotations

from ..document import Word, WordBox


class Span(WordBox):
    """Mixin for a dataclass with `words`: a `WordBox` that also has a centre and a size.

    Figures, header columns, axis months and row labels are all spans, so a reader compares them the
    same way whatever found them.
    """

    words: tuple[Word, ...]

    @property
    def x_center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def y_center(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)
