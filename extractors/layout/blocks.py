"""Reading figures by their labels and structure: headings and blocks, labelled rows, chart axes, prose.

Every helper works on `Word`s of one page (pdfplumber coordinates, origin top-left) and locates
things relative to anchors — a heading, a row label, a column header, an axis label — never at
fixed coordinates. Nothing here knows a report family: the family modules pass in what to look
for (patterns, label resolvers such as `geo.place_code`) and turn what comes back into facts.

Written with the UNHCR extractor (as `extractors/unhcr_layout.py`); the DTM extractor's helpers are the
package's `__init__`. Where both toolkits still hold a primitive of their own (month axes, header cells,
pairing to an axis), docs/_incoming/layout.md says which.
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property

from ..document import Page, Word, group_lines, union_bbox
from ..errors import AnchorNotFoundError, LayoutChangedError, SectionUnreadableError
from ..months import is_month_label, parse_month_label
from ..numbers import PrintedNumber, is_number, parse_number
from . import AxisMonth
from .cache import once_per_page
from .headings import HeadingAnchor, classify, closest
from .settings import DEFAULT
from .spans import Span

_LETTER = re.compile(r"[^\W\d_]")
_YEAR_LINE = re.compile(r"\(?(?:19|20)\d\d\)?\W*")


@dataclasses.dataclass(frozen=True)
class Segment:
    """Words of one printed line that belong together (a line cut at wide gaps), footnote marks kept."""

    words: tuple[Word, ...]

    @cached_property
    def text_words(self) -> tuple[Word, ...]:
        return tuple(w for w in self.words if not w.superscript)

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.text_words)

    @cached_property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @cached_property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @cached_property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @cached_property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def y_center(self) -> float:
        return (self.top + self.bottom) / 2

    @cached_property
    def size(self) -> float:
        return max((w.size for w in self.text_words), default=max(w.size for w in self.words))

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return union_bbox(self.words)


@dataclasses.dataclass(frozen=True)
class Box:
    """A rectangle of one page, in pdfplumber coordinates."""

    page: Page
    x0: float
    top: float
    x1: float
    bottom: float

    def words(self) -> list[Word]:
        return list(self._words)

    def segments(self) -> list[Segment]:
        return list(self._segments)

    @cached_property
    def _words(self) -> tuple[Word, ...]:
        return tuple(self.page.region(self.x0, self.top, self.x1, self.bottom))

    @cached_property
    def _segments(self) -> tuple[Segment, ...]:
        return tuple(segments(self._words))


@dataclasses.dataclass(frozen=True)
class Label(Span):
    """A row label (one segment, or several when the label wraps) and what it resolved to."""

    segments: tuple[Segment, ...]
    #: None for a row label no resolver knows (kept only when a reader asks, see `labelled_rows`).
    code: str | None

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for s in self.segments for w in s.words)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


@dataclasses.dataclass(frozen=True)
class Row:
    """A labelled row of a table or bar chart and the value words printed beside its label."""

    label: Label
    values: tuple[Word, ...]


def segments(words: Iterable[Word], gap_ratio: float = DEFAULT.segment_gap_ratio) -> list[Segment]:
    """Runs of words printed side by side on one baseline, cut wherever a gap exceeds `gap_ratio` sizes.

    Unlike `Page.lines`, a run never spans a column gutter, and two columns whose baselines
    drift apart by a few points are never chained into one line. Footnote marks join the run
    they touch.
    """
    runs: list[_Run] = []
    active: list[_Run] = []
    for word in sorted(words, key=lambda w: (w.x0, w.top)):
        if any(word.x0 > run.reach for run in active):
            active = [run for run in active if word.x0 <= run.reach]
        best: _Run | None = None
        best_gap = float("inf")
        for run in active:
            last = run.words[-1]
            gap = word.x0 - last.x1
            if gap < best_gap and run.accepts(word, gap, gap_ratio):
                best, best_gap = run, gap
        if best is None:
            best = _Run()
            runs.append(best)
            active.append(best)
        best.add(word, gap_ratio)
    return sorted((Segment(tuple(run.words)) for run in runs), key=lambda s: (s.top, s.x0))


class _Run:
    """A segment being built: its words, its last body word and how far right it may still grow."""

    __slots__ = ("words", "body", "reach")

    def __init__(self) -> None:
        self.words: list[Word] = []
        self.body: Word | None = None
        self.reach = float("inf")

    def add(self, word: Word, gap_ratio: float) -> None:
        self.words.append(word)
        if not word.superscript or self.body is None:
            self.body = word
        self.reach = word.x1 + gap_ratio * word.size

    def accepts(self, word: Word, gap: float, gap_ratio: float) -> bool:
        """Does `word` continue the run on its line (half the smaller height shared; any overlap for marks)?"""
        last = self.words[-1]
        if gap < -0.5 * min(word.size, last.size) or gap > gap_ratio * max(word.size, last.size):
            return False
        if not (word.superscript or last.superscript) and max(word.size, last.size) > DEFAULT.segment_size_ratio * min(
            word.size, last.size
        ):
            return False
        ref = self.body if self.body is not None else last
        overlap = min(ref.bottom, word.bottom) - max(ref.top, word.top)
        if word.superscript or last.superscript:
            return overlap > 0
        return overlap >= DEFAULT.line_overlap_ratio * min(ref.bottom - ref.top, word.bottom - word.top)


def page_segments(page: Page) -> list[Segment]:
    """`segments(page.words)`, computed once per page."""
    return once_per_page(page, "segments", lambda: segments(page.words))


def reading_order(parts: Iterable[Segment]) -> list[Segment]:
    """Segments top to bottom, those sharing a line (half their height overlapping) left to right."""
    rows: list[list[Segment]] = []
    for part in sorted(parts, key=lambda s: s.top):
        row = rows[-1] if rows else None
        if row is not None:
            ref = row[0]
            overlap = min(ref.bottom, part.bottom) - max(ref.top, part.top)
            if overlap >= 0.5 * min(ref.bottom - ref.top, part.bottom - part.top):
                row.append(part)
                continue
        rows.append([part])
    return [part for row in rows for part in sorted(row, key=lambda s: s.x0)]


def has_letters(text: str) -> bool:
    return bool(_LETTER.search(text))


def headings(
    page: Page,
    extra_starts: str | None = None,
    anchors: Sequence[HeadingAnchor] = (),
    document_body: float | None = None,
) -> list[Segment]:
    """Headings of a page, each wrapped heading merged into one segment, top to bottom.

    A heading is a segment of words with letters, clearly larger than the page's regular text, and
    either bold or (whatever its weight) worded like one of `anchors`: a heading printed in a regular
    weight is still found, while large regular text that reads like no heading (a banner) is not.
    Such a heading is large next to `document_body` (see `document_body_size`) when that is smaller
    than the page's own: a page holding little but a heading and a chart has no running text to measure.
    `extra_starts` (a regex) adds segments that start a block without looking like a heading,
    such as a "Note:" panel, so that blocks stop where they begin.
    """
    key = ("segment headings", extra_starts, tuple(anchors), document_body)
    return once_per_page(page, key, lambda: _find_headings(page, extra_starts, tuple(anchors), document_body))


def document_body_size(pages: Sequence[Page]) -> float:
    """The running text's size over a document: the smallest of its pages' (`_body_size`).

    A page of running text measures it; a page that holds mostly headings and a chart (a section moved to
    a page of its own) would measure its headings instead.
    """
    return min((_body_size(page) for page in pages if page.words), default=0.0)


def _find_headings(
    page: Page, extra_starts: str | None, anchors: tuple[HeadingAnchor, ...], document_body: float | None
) -> list[Segment]:
    body = _body_size(page)
    regular_body = min(body, document_body) if document_body else body
    found: list[tuple[Segment, bool, bool]] = []  # (segment, bold, only continues a heading above it)
    for segment in page_segments(page):
        words = segment.text_words
        if not words:
            continue
        smallest = min(w.size for w in words)
        bold = all(w.bold for w in words)
        large = smallest >= DEFAULT.bold_heading_size_ratio * (body if bold else regular_body)
        if not has_letters(segment.text):
            # A year wrapped onto a line of its own ("... each month, / 2024") still belongs to its heading.
            if large and _YEAR_LINE.fullmatch(segment.text) and (bold or anchors):
                found.append((segment, bold, True))
            continue
        starts_block = bool(extra_starts and re.match(extra_starts, segment.text, re.I))
        if starts_block or (bold and large):
            found.append((segment, True, False))
        elif not bold and anchors and large:
            found.append((segment, False, False))
    merged: list[tuple[Segment, bool, bool]] = []
    for segment, bold, continuation in sorted(found, key=lambda item: (item[0].top, item[0].x0)):
        previous = next(
            (
                index
                for index in range(len(merged) - 1, -1, -1)
                if merged[index][1] == bold
                and abs(merged[index][0].x0 - segment.x0) <= DEFAULT.column_slack
                and -0.5 * merged[index][0].size
                <= segment.top - merged[index][0].bottom
                <= DEFAULT.heading_wrap_gap_ratio * merged[index][0].size
                and abs(merged[index][0].size - segment.size) < 0.5
            ),
            None,
        )
        if previous is not None:
            merged[previous] = (Segment(merged[previous][0].words + segment.words), bold, merged[previous][2])
        else:
            merged.append((segment, bold, continuation))
    return [
        segment
        for segment, bold, continuation in merged
        if not continuation and (bold or classify(segment.text, anchors))
    ]


def _body_size(page: Page) -> float:
    """The upper-quartile size of the page's regular (non-bold) words: its running text."""
    regular = [w.size for w in page.words if not w.bold] or [w.size for w in page.words]
    if len(regular) < 2:
        return regular[0] if regular else 0.0
    return statistics.quantiles(regular, n=4)[2]


def block_under(page: Page, heading: Segment, all_headings: Sequence[Segment]) -> Box:
    """The region a heading introduces: down to the next heading of its column, across to the next column.

    The bottom is the top of the nearest heading below that overlaps the heading's column. The
    right edge is the left edge of the nearest heading (or panel start) to the right whose column
    reaches the block: it sits level with the block, or at least `LayoutSettings.column_line_starts` lines level
    with the block start where it starts. Headings above the top of the block's own column (a
    title banner) do not count. Otherwise the page edge bounds the block; the left edge is the
    heading's own.
    """
    others = [h for h in all_headings if h is not heading]
    below = [h for h in others if h.top >= heading.bottom - 1 and h.x0 < heading.x1 and h.x1 > heading.x0]
    bottom = min((h.top for h in below), default=page.height)
    column_top = min(h.top for h in all_headings if abs(h.x0 - heading.x0) <= DEFAULT.column_slack)
    band = [s for s in page_segments(page) if s.top >= heading.top and s.bottom <= bottom]

    def column_reaches(h: Segment) -> bool:
        if h.top < bottom and h.bottom > heading.top:
            return True
        return sum(abs(s.x0 - h.x0) <= DEFAULT.column_slack for s in band) >= DEFAULT.column_line_starts

    right = [
        h for h in others if h.x0 > heading.x1 - 1 and h.top >= column_top - DEFAULT.column_slack and column_reaches(h)
    ]
    x1 = min((h.x0 for h in right), default=page.width) - 1
    # Blocks start at their heading's left edge (body lines of the column to the left may run
    # further right than that column's heading does).
    return Box(page, heading.x0 - DEFAULT.column_slack / 2, heading.bottom + 0.5, x1, bottom - 0.5)


def locate_block(
    document_pages: Sequence[Page],
    section: str,
    anchors: Sequence[HeadingAnchor],
    *,
    where: str,
    extra_starts: str | None = None,
) -> tuple[Segment, Box]:
    """The heading of `section` on any page (by its words, see `extractors.layout.headings`) and the block under it.

    Each heading belongs to the anchor it is closest to; the section's heading is the closest of its
    own. Raises AnchorNotFoundError prefixed with `where` (file and section) when no page prints it,
    and SectionUnreadableError when two headings are equally close to it (which one is meant is a guess).
    """
    found: list[tuple[int, bool, Page, Segment, list[Segment]]] = []
    body = document_body_size(document_pages)
    for page in document_pages:
        all_headings = headings(page, extra_starts, anchors, body)
        for heading in all_headings:
            matches = closest(heading.text, anchors)
            if any(m.section == section for m in matches):
                tie = len({m.section for m in matches}) > 1
                found.append((matches[0].cost, tie, page, heading, all_headings))
    if not found:
        wanted = next((a.forms[0] for a in anchors if a.section == section), section)
        raise AnchorNotFoundError(f"{where}: no heading worded like {wanted!r} on any page")
    found.sort(key=lambda item: (item[0], item[1]))
    cost, tie, page, heading, all_headings = found[0]
    if tie or (len(found) > 1 and found[1][0] == cost):
        other = found[1][3] if len(found) > 1 and found[1][0] == cost else heading
        raise SectionUnreadableError(
            f"{where}: heading {other.text!r} reads as this section as closely as it reads as another, or as "
            "another heading does; which one is meant would be a guess",
            page=other.page,
            bbox=other.bbox,
            printed=other.text,
        )
    return heading, block_under(page, heading, all_headings)


# --- labelled rows (tables and horizontal bar charts) -------------------------------------------


def merge_wrapped_labels(
    candidates: Sequence[Segment], resolve: Callable[[str], str | None]
) -> list[tuple[tuple[Segment, ...], str | None]]:
    """Join label lines that only make sense together ("Bosnia and" + "Herzegovina").

    Lines are merged with the next one when it sits right below (same column, small gap) and
    either line does not resolve on its own while the two together do.
    """
    ordered = sorted(candidates, key=lambda s: (s.top, s.x0))
    result: list[tuple[tuple[Segment, ...], str | None]] = []
    index = 0
    while index < len(ordered):
        group = [ordered[index]]
        code = resolve(ordered[index].text)
        while index + 1 < len(ordered):
            following = ordered[index + 1]
            last = group[-1]
            close = (
                abs(following.x0 - last.x0) <= DEFAULT.column_slack
                and following.top - last.bottom <= DEFAULT.label_wrap_gap_ratio * last.size
            )
            if not close:
                break
            joined = resolve(" ".join(s.text for s in (*group, following)))
            alone = resolve(following.text)
            if joined is not None and (code is None or alone is None):
                group.append(following)
                code = joined
                index += 1
            else:
                break
        result.append((tuple(group), code))
        index += 1
    return result


def labelled_rows(
    box: Box,
    resolve: Callable[[str], str | None],
    is_value: Callable[[Word], bool],
    *,
    where: str,
    skip: Callable[[Segment], bool] = lambda s: False,
    keep_unknown: bool = False,
) -> list[Row]:
    """Rows of a table or horizontal bar chart: each resolved label and the value words beside it.

    Value words (`is_value`) are taken apart from label words first, so a label and a value on
    one line (a short bar) still separate. Labels are the label-column lines that `resolve`
    recognises (wrapped ones merged); each value belongs to the label whose centre is nearest,
    and must lie to its right within `LayoutSettings.row_reach` row pitches. A label-column line with values
    beside it that does not resolve is an unknown row: LayoutChangedError naming `where`, or with
    `keep_unknown` a row whose label's code is None (its values still taken, so no neighbour gets them).
    `skip` drops segments that are not labels (legends, headers) before anything else.
    """
    words = [w for w in box.words() if not w.superscript or not is_number(w.text)]
    # A figure printed right after words of its own segment is part of that text ("Kosovo (UNSCR
    # 1244)", "A total of 4,661 ..."), not a value of the table or chart.
    in_text = {id(w) for s in segments(words) for i, w in enumerate(s.words) if i and has_letters(s.words[i - 1].text)}
    value_words = [w for w in words if is_value(w) and id(w) not in in_text]
    value_ids = {id(w) for w in value_words}
    label_segments = [
        s for s in segments(w for w in words if id(w) not in value_ids) if has_letters(s.text) and not skip(s)
    ]
    merged = merge_wrapped_labels(label_segments, resolve)
    labels = [Label(group, code) for group, code in merged if code is not None]
    if not labels:
        return []
    column_x0 = min(label.x0 for label in labels)
    pitch = _row_pitch(labels)
    reach = DEFAULT.row_reach * pitch

    def beside(top: float, bottom: float, x1: float) -> list[Word]:
        middle = (top + bottom) / 2
        return [w for w in value_words if w.x0 >= x1 - 1 and abs(w.y_center - middle) <= max(reach, bottom - middle)]

    first, last = min(label.top for label in labels), max(label.bottom for label in labels)
    labels_x1 = max(label.x1 for label in labels)
    values_x0 = min((w.x0 for w in value_words if w.x0 >= labels_x1 - 1), default=float("inf"))
    unknown: list[Label] = []
    for group, code in merged:
        if code is not None or abs(min(s.x0 for s in group) - column_x0) > DEFAULT.column_slack:
            continue
        top, bottom = min(s.top for s in group), max(s.bottom for s in group)
        if bottom < first - pitch or top > last + pitch:
            continue  # prose or a note above or below the rows, not a row of them
        if max(s.x1 for s in group) > values_x0:
            continue  # a line running across the values (a footnote under a chart) is no row label
        if beside(top, bottom, max(s.x1 for s in group)):
            text = " ".join(s.text for s in group)
            if not keep_unknown:
                raise LayoutChangedError(f"{where}: unknown row label {text!r} (page {group[0].page})")
            unknown.append(Label(tuple(group), None))
    labels += unknown
    assigned: dict[int, list[Word]] = {id(label): [] for label in labels}
    # Where a row lost below the last one would print its figure: one row pitch further down.
    last_centre = max(label.y_center for label in labels)
    for word in value_words:
        candidates = [label for label in labels if word.x0 >= label.x0]
        if not candidates:
            continue
        nearest = min(candidates, key=lambda label: abs(label.y_center - word.y_center))
        limit = max(reach, (nearest.bottom - nearest.top) / 2 + 1)
        if abs(nearest.y_center - word.y_center) <= limit:
            assigned[id(nearest)].append(word)
        elif first - pitch / 2 <= word.y_center <= last_centre + 1.5 * pitch:
            # A figure among the rows that no label claims: its label was lost (damage, or a label we
            # cannot see as one); the rows would read one short, so the table cannot be read.
            raise LayoutChangedError(f"{where}: figure {word.text!r} among the rows has no label (page {word.page})")
    return [
        Row(label, tuple(sorted(assigned[id(label)], key=lambda w: (w.top, w.x0))))
        for label in sorted(labels, key=lambda label: label.top)
    ]


def _row_pitch(labels: Sequence[Label]) -> float:
    centres = sorted(label.y_center for label in labels)
    gaps = [b - a for a, b in zip(centres, centres[1:], strict=False) if b - a > 0]
    if gaps:
        return statistics.median(gaps)
    # A single row: its own height plus a line of spacing.
    return 2 * (labels[0].bottom - labels[0].top)


def header_cells(words: Iterable[Word], gap_ratio: float = DEFAULT.header_word_gap_ratio) -> list[Segment]:
    """Column header cells: words side by side on a line, or stacked in a wrapped cell, join one cell."""
    cells: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.x0):
        for cell in cells:
            stacked_under = any(w.x0 < word.x1 and w.x1 > word.x0 for w in cell)
            beside = any(
                0 <= word.x0 - w.x1 <= gap_ratio * word.size and abs(w.y_center - word.y_center) < word.size / 2
                for w in cell
            )
            if stacked_under or beside:
                cell.append(word)
                break
        else:
            cells.append([word])
    ordered = [Segment(tuple(sorted(cell, key=lambda w: (round(w.top), w.x0)))) for cell in cells]
    return sorted(ordered, key=lambda s: s.x0)


def column_of(word: Word, cells: Sequence[Segment]) -> int:
    """Index of the header cell whose column holds the word (boundaries half-way between cells)."""
    for index, cell in enumerate(cells):
        left = (cells[index - 1].x1 + cell.x0) / 2 if index else float("-inf")
        right = (cell.x1 + cells[index + 1].x0) / 2 if index + 1 < len(cells) else float("inf")
        if left <= word.x_center < right:
            return index
    raise ValueError("cells must not be empty")


# --- chart axes ---------------------------------------------------------------------------------


def month_axis(words: Iterable[Word]) -> list[AxisMonth]:
    """The month labels of the lowest line that reads entirely as month labels, left to right.

    Labels may be one word (`Dec-23`) or two (`Jan 2024`, `DEC 23`), and some or all may wrap
    under a narrow bar (`December` over `2024`): a line is read together with the words of the
    line right under it that sit beneath its words. Returns [] when no line of at least two
    labels reads as month labels.
    """
    best: list[AxisMonth] = []
    lines = group_lines(w for w in words if not w.superscript)
    for index, line in enumerate(lines):
        under: Sequence[Word] = ()
        if index + 1 < len(lines):
            following = lines[index + 1]
            if following.top - line.bottom <= DEFAULT.label_wrap_gap_ratio * max(w.size for w in line.words):
                under = following.text_words
        labels = _read_month_line(line.text_words, under)
        if labels and len(labels) >= 2 and (not best or line.top > best[0].top):
            best = labels
    return best


def _read_month_line(words: Sequence[Word], under: Sequence[Word] = ()) -> list[AxisMonth] | None:
    """Month labels of one line, greedily; a word with words wrapped beneath it is a label of its own."""
    stacks: dict[int, list[Word]] = {id(w): [] for w in words}
    for low in under:
        above = [w for w in words if w.x0 < low.x1 and w.x1 > low.x0]
        if above:
            stacks[id(max(above, key=lambda w: min(w.x1, low.x1) - max(w.x0, low.x0)))].append(low)
    labels: list[AxisMonth] = []
    index = 0
    while index < len(words):
        first = words[index]
        if stacks[id(first)]:
            candidates = [(first, *sorted(stacks[id(first)], key=lambda w: w.x0))]
        else:
            candidates = [tuple(words[index : index + width]) for width in (2, 1, 3)]
            candidates = [c for c in candidates if all(not stacks[id(w)] for w in c[1:])]
        for chunk in candidates:
            text = " ".join(w.text for w in chunk)
            if is_month_label(text):
                year, month = parse_month_label(text)
                labels.append(AxisMonth(year, month, tuple(chunk)))
                index += 1 if stacks[id(first)] else len(chunk)
                break
        else:
            return None
    return labels


def match_to_axis(values: Sequence[Word], axis: Sequence[AxisMonth], *, where: str) -> list[tuple[AxisMonth, Word]]:
    """Pair each data label with the axis label under it (nearest centre, within half a step).

    Every axis label must get exactly one data label and every data label an axis label;
    otherwise the chart cannot be read safely: LayoutChangedError naming `where`.
    """
    if len(axis) < 2:
        raise LayoutChangedError(f"{where}: fewer than two month labels on the axis")
    centres = [label.x_center for label in axis]
    step = min(b - a for a, b in zip(centres, centres[1:], strict=False))
    pairs: dict[int, Word] = {}
    for word in values:
        index = min(range(len(axis)), key=lambda i: abs(centres[i] - word.x_center))
        if abs(centres[index] - word.x_center) > step / 2:
            raise LayoutChangedError(f"{where}: data label {word.text!r} sits over no month label")
        if index in pairs:
            raise LayoutChangedError(f"{where}: two data labels ({pairs[index].text!r}, {word.text!r}) over one month")
        pairs[index] = word
    missing = [" ".join(w.text for w in axis[i].words) for i in range(len(axis)) if i not in pairs]
    if missing:
        raise LayoutChangedError(f"{where}: no data label for {', '.join(missing)}")
    return [(axis[i], pairs[i]) for i in range(len(axis))]


# --- a figure next to its label -----------------------------------------------------------------


def figure_beside(
    label: Segment | Label, candidates: Iterable[Word], *, below: bool = True, printed: Iterable[Word] = ()
) -> Word | None:
    """The figure printed right of a label on one of its lines, else (if `below`) the nearest under it.

    Right of the label: a word right of one of the label's lines whose centre lies within that
    line's band (half a line height of slack), nearest first. Under it: a word overlapping the
    label horizontally, nearest first. Either way the figure must be the first thing printed there:
    when one of the `printed` words (the block's) sits between the label and the nearest figure, the
    label's own figure is missing (another label's figure, or a footnote's number, is not its figure)
    and the answer is None.
    """
    pool = [w for w in candidates if not w.superscript]
    label_ids = {id(w) for w in label.words}
    others = [w for w in printed if id(w) not in label_ids and not w.superscript]
    right = []
    for line in group_lines(label.words):
        slack = (line.bottom - line.top) / 2
        right += [w for w in pool if w.x0 >= line.x1 - 1 and line.top - slack <= w.y_center <= line.bottom + slack]
    if right:
        word = min(right, key=lambda w: (w.x0 - label.x1, abs(w.y_center - (label.top + label.bottom) / 2)))
        between = [
            w for w in others if w is not word and label.x1 - 1 <= w.x0 and w.x1 <= word.x0 + 1
            and w.top < word.bottom and word.top < w.bottom
        ]  # fmt: skip
        return None if between else word
    if not below:
        return None
    under = [w for w in pool if w.top >= label.bottom - 1 and w.x0 < label.x1 and w.x1 > label.x0]
    if under:
        word = min(under, key=lambda w: w.top - label.bottom)
        between = [
            w for w in others if w is not word and label.bottom - 1 <= w.top and w.bottom <= word.top + 1
            and w.x0 < max(label.x1, word.x1) and w.x1 > min(label.x0, word.x0)
        ]  # fmt: skip
        return None if between else word
    return None


def stacked(parts: Sequence[Segment]) -> list[Segment]:
    """Segments joined with the ones right under them in the same cell (text that wraps).

    Two segments are stacked when they overlap horizontally, are printed in the same size and sit
    at most `LayoutSettings.label_wrap_gap_ratio` sizes apart; the joined segment reads top line first.
    """
    blocks: list[list[Segment]] = []
    for part in sorted(parts, key=lambda s: (s.top, s.x0)):
        for block in blocks:
            last = block[-1]
            if (
                part.x0 < last.x1
                and part.x1 > last.x0
                and abs(part.size - last.size) < 0.5
                and 0 <= part.top - last.bottom <= DEFAULT.label_wrap_gap_ratio * last.size
            ):
                block.append(part)
                break
        else:
            blocks.append([part])
    return [Segment(tuple(w for s in block for w in s.words)) for block in blocks]


def find_phrases(parts: Sequence[Segment], pattern: str) -> list[Segment]:
    """The words matching `pattern` (case-insensitive) inside each of `parts`, wrapped text included."""
    found = []
    for block in stacked(parts):
        prose = Prose(block.text_words)
        for match in re.finditer(pattern, prose.text, re.I):
            found.append(Segment(prose.words_at(match.start(), match.end())))
    return found


# --- prose --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Prose:
    """Running text of a block, its words in reading order, with regex spans mapped back to words."""

    words: tuple[Word, ...]

    @classmethod
    def of(cls, words: Iterable[Word]) -> Prose:
        ordered = [w for line in group_lines(words) for w in line.text_words]
        return cls(tuple(ordered))

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def words_at(self, start: int, end: int) -> tuple[Word, ...]:
        """The words covering characters start..end of `text`."""
        covered: list[Word] = []
        offset = 0
        for word in self.words:
            if offset < end and offset + len(word.text) > start:
                covered.append(word)
            offset += len(word.text) + 1
        return tuple(covered)


def number_words(words: Iterable[Word], *, percent: bool | None = None) -> list[Word]:
    """Words that are one printed figure (a dash included), optionally only percentages or only counts."""
    result = []
    for word in words:
        if word.superscript or not is_number(word.text):
            continue
        if percent is not None and parse_number(word.text).percent != percent:
            continue
        result.append(word)
    return result


def printed(word: Word) -> PrintedNumber:
    return parse_number(word.text)


@dataclasses.dataclass(frozen=True)
class ProseShare:
    """A percentage the prose gives for a named place ("Albania and Montenegro (7% each)")."""

    code: str
    value: float
    words: tuple[Word, ...]


_SHARE_IN = re.compile(
    r"(?P<pct>\d+(?:\.\d+)?)\s*%\s+(?:(?:were|was|are|is)\s+)?(?:(?:present|located|accommodated|staying)\s+)?in\s+"
    r"(?P<place>[^,;.()]+?)(?=\s*(?:[,;.(]|\bfollowed\b|$))",
    re.I,
)
_SHARE_PAREN = re.compile(r"\(\s*(?P<pct>\d+(?:\.\d+)?)\s*%\s*(?P<each>each)?\s*\)", re.I)
_LEAD = re.compile(r"^[\s,;:]*(?:(?:followed\s+by|and|then|while|with)\s+)*", re.I)


def shares_in_prose(prose: Prose, start: int, resolve: Callable[[str], str | None], *, where: str) -> list[ProseShare]:
    """Percentages given per place in prose from character `start` on, in printed order.

    Reads "35% were present in Serbia", "Bosnia and Herzegovina (34.5%)" and "Albania and
    Montenegro (7% each)"; the place names between two figures belong to the second. A
    percentage whose place does not resolve is LayoutChangedError naming `where`.
    """
    text = prose.text
    found: list[tuple[int, int, re.Match[str], str]] = []
    for match in _SHARE_IN.finditer(text, start):
        found.append((match.start(), match.end(), match, "in"))
    for match in _SHARE_PAREN.finditer(text, start):
        if not any(s <= match.start() < e for s, e, _, _ in found):
            found.append((match.start(), match.end(), match, "paren"))
    found.sort(key=lambda item: item[0])
    shares: list[ProseShare] = []
    previous_end = start
    for begin, end, match, kind in found:
        words = prose.words_at(match.start("pct"), match.end("pct"))
        value = float(match["pct"])
        if kind == "in":
            places = [match["place"]]
        else:
            chunk = _LEAD.sub("", text[previous_end:begin]).strip()
            places = _split_places(chunk, resolve) if match["each"] else [chunk]
        for place in places:
            code = resolve(place) if place else None
            if code is None:
                raise LayoutChangedError(f"{where}: a share ({match.group(0)!r}) names no place we know: {place!r}")
            shares.append(ProseShare(code, value, words))
        previous_end = end
    return shares


def _split_places(chunk: str, resolve: Callable[[str], str | None]) -> list[str]:
    """Split "Albania and Montenegro" into names, keeping "Bosnia and Herzegovina" whole (longest first)."""
    parts = [p.strip() for p in re.split(r",|\band\b", chunk) if p.strip()]
    # Re-join neighbours until every piece resolves ("Bosnia" + "Herzegovina" -> one place).
    result: list[str] = []
    index = 0
    while index < len(parts):
        for width in range(len(parts) - index, 0, -1):
            piece = " and ".join(parts[index : index + width])
            if resolve(piece) is not None:
                result.append(piece)
                index += width
                break
        else:
            return [chunk]
    return result


# --- blocks drawn as panels, and a figure inside its label's block --------------------------------


Rect = tuple[float, float, float, float]


def panels(page: Page) -> list[Rect]:
    """Rectangles drawn on a page (a box, a shaded panel): four rules meeting at their corners, smallest first."""
    return once_per_page(page, "panels", lambda: _panels(page))


def _panels(page: Page) -> list[Rect]:
    verticals = {(round(r.x0), round(r.top), round(r.bottom)) for r in page.rules if not r.horizontal}
    by_span: dict[tuple[int, int], list[float]] = {}
    for rule in page.rules:
        if rule.horizontal and rule.x1 - rule.x0 > 1:
            by_span.setdefault((round(rule.x0), round(rule.x1)), []).append(rule.top)
    found: set[Rect] = set()
    for (x0, x1), tops in by_span.items():
        tops = sorted(set(tops))
        for i, top in enumerate(tops):
            for bottom in tops[i + 1 :]:
                if (x0, round(top), round(bottom)) in verticals and (x1, round(top), round(bottom)) in verticals:
                    found.add((float(x0), top, float(x1), bottom))
                    break
    return sorted(found, key=lambda r: (r[2] - r[0]) * (r[3] - r[1]))


def inside(rect: Rect, bbox: Rect, slack: float = 1.0) -> bool:
    return (
        bbox[0] >= rect[0] - slack
        and bbox[1] >= rect[1] - slack
        and bbox[2] <= rect[2] + slack
        and bbox[3] <= rect[3] + slack
    )


def panel_around(page: Page, bbox: Rect) -> Rect | None:
    """The smallest drawn rectangle that holds `bbox`, if any."""
    return next((rect for rect in panels(page) if inside(rect, bbox)), None)


def gap_between(a: Rect, b: Rect) -> float:
    """The distance between two boxes (0 when they touch or overlap)."""
    dx = max(0.0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[3], b[3]))
    return (dx * dx + dy * dy) ** 0.5


def nothing_between(page: Page, first: Sequence[Word], second: Sequence[Word]) -> bool:
    """No other word of the page is printed in the box spanning `first` and `second` (centres, 1 pt in)."""
    own = {id(w) for w in (*first, *second)}
    x0, top, x1, bottom = union_bbox([*first, *second])
    return not any(
        x0 + 1 < w.x_center < x1 - 1 and top + 1 < w.y_center < bottom - 1
        for w in page.words
        if id(w) not in own and not w.superscript
    )


def figure_in_block(page: Page, label: Segment, figures: Sequence[Word], *, where: str) -> Word | None:
    """The figure that belongs to `label` by structure, or None when no figure does.

    A figure belongs to its label only inside the label's block: the drawn panel that holds the label
    (if one does), with no other word printed between them, and clearly nearer than any other such
    figure (`LayoutSettings.pair_ambiguity_ratio`). Two figures equally near is SectionUnreadableError, never a guess.
    """
    panel = panel_around(page, label.bbox)
    pool = [f for f in figures if panel is None or inside(panel, f.bbox)]
    clear = sorted(
        (f for f in pool if nothing_between(page, label.words, [f])),
        key=lambda f: gap_between(label.bbox, f.bbox),
    )
    if not clear:
        return None
    if len(clear) > 1 and gap_between(label.bbox, clear[1].bbox) < DEFAULT.pair_ambiguity_ratio * gap_between(
        label.bbox, clear[0].bbox
    ):
        raise SectionUnreadableError(
            f"{where}: {clear[0].text!r} and {clear[1].text!r} are both next to {label.text!r}; "
            "which one is its figure would be a guess",
            page=page.number,
            bbox=union_bbox([*label.words, clear[0], clear[1]]),
            printed=label.text,
        )
    return clear[0]
