"""The one box type of the toolkit: anything printed by words of one page has the box of its words."""

from __future__ import annotations

from ..document import Word, union_bbox


class Span:
    """Mixin for a dataclass with `words`: its edges, centre, size and bbox are those of its words.

    Figures, header columns, axis months and row labels are all spans, so a reader compares them the
    same way whatever found them.
    """

    words: tuple[Word, ...]

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x_center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def y_center(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return union_bbox(self.words)
