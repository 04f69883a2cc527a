"""Generic readers over one page's words: headings, headline figures and their labels, month axes, chart data
labels, and tables read as word grids aligned on their header and row labels.

Nothing here knows a report family: callers pass the words of a region, the patterns of their labels and
functions that turn label text into keys (a geo code, a period). Every reader checks the shape of what it
finds and raises `LayoutChangedError` with the caller's `where` ("file: section 'x' on page N") rather
than return a shifted or partial result. Coordinates are pdfplumber's `(x0, top, x1, bottom)`.
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Generic, TypeVar

from ..document import Line, Page, Word, group_lines
from ..errors import LayoutChangedError
from ..facts import Fact
from ..months import is_month_label, is_month_name, parse_month_label
from ..numbers import PrintedNumber, is_number, is_sign, parse_number
from .cache import once_per_page
from .headings import common_in_order
from .settings import DEFAULT
from .spans import Span

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)


_SUPERSCRIPT_CHARS = "\u00b9\u00b2\u00b3\u2070-\u209f"
_ATTACHED_MARKS = re.compile(rf"[{_SUPERSCRIPT_CHARS}]+(?:\s*,\s*[{_SUPERSCRIPT_CHARS}]+)*")
_PLAIN_FIGURE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
#: What a table cell prints: a number (signed, with thousands separators, maybe a percentage) or a dash.
_TABLE_VALUE = re.compile(r"^[+\-\u2212\u2013]?\d[\d,\u00a0\u2009\u202f]*(?:\.\d+)?%?$|^[-\u2013\u2014\u2212]$")
_YEAR_TOKEN = re.compile(r"^'?(\d{4}|\d{2})$")


def plain(text: str) -> str:
    """Text without Unicode footnote marks glued to words ("ARRIVAL¹,²" -> "ARRIVAL"), spaces folded."""
    return " ".join(_ATTACHED_MARKS.sub("", text).split())


def words_text(words: Iterable[Word]) -> str:
    """The words in reading order (line by line, left to right), footnote marks dropped."""
    lines = group_lines(w for w in words if not w.superscript)
    return plain(" ".join(line.text for line in lines))


def median_word_size(words: Iterable[Word]) -> float:
    sizes = [w.size for w in words]
    return statistics.median(sizes) if sizes else 0.0


# --- Headings and regions ---------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Heading:
    """A heading found on a page: its lines (one, or two or three when it wraps) and their box."""

    page: Page
    line: Line
    match: re.Match[str] | None = None

    @property
    def top(self) -> float:
        return self.line.top

    @property
    def bottom(self) -> float:
        return self.line.bottom


@dataclasses.dataclass(frozen=True)
class Anchor:
    """A section heading: a pattern matched from the start of one line, and the heading's words.

    A line the pattern matches (set in capitals unless `uppercase` is False, so a footnote or a prose line
    that starts with the same words is not taken for the heading) is the heading, whatever its size. A
    heading that does not match exactly (wrapped over lines, a word added, dropped or replaced, another
    case) is found by its `words`: see `heading_score` and `heading_match_share`.
    """

    pattern: str
    uppercase: bool = True
    #: The heading's words as printed, one string per known wording (months and years left out).
    words: tuple[str, ...] = ()
    regex: re.Pattern[str] = dataclasses.field(init=False, repr=False, compare=False)
    tokens: tuple[tuple[str, ...], ...] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.pattern, re.I))
        object.__setattr__(self, "tokens", tuple(heading_tokens(w) for w in self.words))

    def match(self, text: str) -> re.Match[str] | None:
        found = self.regex.match(text)
        if found is None or not self.uppercase:
            return found
        letters = [ch for ch in text if ch.isalpha()]
        capitals = sum(ch.isupper() for ch in letters)
        return found if letters and capitals >= DEFAULT.uppercase_share * len(letters) else None


#: Words publishers use for one another in headings (after plurals are folded): each maps to one form.
HEADING_SYNONYMS = {
    "FACILITIE": "CENTRE",
    "CENTER": "CENTRE",
    "CLAIM": "APPLICATION",
    "MAIN": "TOP",
    "3": "THREE",
    "SURVIVOR": "VICTIM",
}
_MONTH_OR_YEAR = re.compile(
    r"^(?:JAN(?:UARY)?|FEB(?:RUARY)?|MAR(?:CH)?|APR(?:IL)?|MAY|JUNE?|JULY?|AUG(?:UST)?|SEP(?:T|TEMBER)?|"
    r"OCT(?:OBER)?|NOV(?:EMBER)?|DEC(?:EMBER)?|\d+)$"
)


def heading_tokens(text: str) -> tuple[str, ...]:
    """A heading's words for matching: capitals, plurals folded, synonyms mapped, months and numbers dropped."""
    text = re.sub(r"(?<=\w)-(?=\w)", "", plain(text).upper())
    tokens = []
    for token in re.findall(r"[A-Z0-9]+", text):
        if len(token) > 3 and token.endswith("S"):
            token = token[:-1]
        token = HEADING_SYNONYMS.get(token, token)
        if not _MONTH_OR_YEAR.match(token):
            tokens.append(token)
    return tuple(tokens)


def heading_score(anchor: Anchor, tokens: Sequence[str]) -> float:
    """How closely printed heading words match the anchor's closest wording (1.0: the same words)."""
    best = 0.0
    for wording in anchor.tokens:
        if not wording or not tokens:
            continue
        best = max(best, 2 * common_in_order(wording, tokens) / (len(wording) + len(tokens)))
    return best


def find_headings(pages: Iterable[Page], anchor: Anchor, among: Sequence[Anchor] = ()) -> list[Heading]:
    """The headings of `anchor` in reading order; `among` are the other headings it must be told apart from."""
    anchors = tuple(dict.fromkeys((*among, anchor)))
    return [heading for page in pages for heading, found in page_headings(page, anchors) if anchor in found]


def page_headings(page: Page, anchors: tuple[Anchor, ...]) -> list[tuple[Heading, tuple[Anchor, ...]]]:
    """Every heading of the page with the anchors it is the heading of, in reading order.

    A line an anchor's pattern matches is that anchor's heading. Other lines printed like headings (large,
    in capitals or bold) are joined with up to two wrapped lines under them and given to the anchor whose
    words they match best (at least `heading_match_share`). One that matches two anchors equally well is
    given to neither but still ends the section above it (an empty tuple).
    """
    return once_per_page(page, ("anchored headings", anchors), lambda: _page_headings(page, anchors))


def _page_headings(page: Page, anchors: tuple[Anchor, ...]) -> list[tuple[Heading, tuple[Anchor, ...]]]:
    lines = _plain_lines(page)
    threshold = DEFAULT.heading_size_ratio * median_word_size(page.words)
    found: list[tuple[Heading, tuple[Anchor, ...]]] = []
    index = 0
    while index < len(lines):
        line, text = lines[index]
        exact = [(anchor, match) for anchor in anchors if (match := anchor.match(text))]
        if not exact and not _looks_like_heading(line, threshold):
            index += 1
            continue
        # The heading's lines: the first and the lines wrapped under it, in its size, style and alignment.
        group = [line]
        while len(group) < DEFAULT.heading_max_lines and index + len(group) < len(lines):
            nxt = lines[index + len(group)][0]
            styled = _looks_like_heading(nxt, 0.0) or not any(ch.isalpha() for ch in nxt.text)  # "2025"
            if not (_continues_heading(group[-1], nxt) and styled):
                break
            group.append(nxt)
        size = len(group)
        if exact:
            winners = tuple(anchor for anchor, _ in exact)
        else:
            tokens = heading_tokens(" ".join(ln.text for ln in group))
            scores = [(heading_score(a, tokens), a) for a in anchors]
            score = max(score for score, _ in scores)
            if score < DEFAULT.heading_match_share:
                index += 1
                continue
            winners = tuple(a for s, a in scores if s == score)
        words = tuple(w for ln, _ in lines[index : index + size] for w in ln.words)
        match = exact[0][1] if exact else None
        found.append((Heading(page, Line(words), match), winners if len(winners) == 1 or exact else ()))
        index += size
    return found


def _looks_like_heading(line: Line, threshold: float) -> bool:
    """Large (every word with letters at least `threshold`, so a caption beside a figure is not), and in
    capitals or bold."""
    words = [w for w in line.text_words if any(ch.isalpha() for ch in w.text)]
    if not words or min(w.size for w in words) < threshold:
        return False
    letters = [ch for w in words for ch in w.text if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    bold = sum(w.bold for w in words)
    return bool(letters) and (capitals >= DEFAULT.uppercase_share * len(letters) or bold * 2 > len(words))


def _continues_heading(last: Line, line: Line) -> bool:
    """A wrapped heading's next line: the same size, left-aligned with it, just under it."""
    size = max(w.size for w in last.words)
    other = max(w.size for w in line.words)
    return (
        abs(other - size) <= 0.1 * size
        and abs(line.x0 - last.x0) <= size
        and 0 <= line.top - last.bottom <= DEFAULT.heading_line_gap_ratio * size
    )


def _plain_lines(page: Page) -> list[tuple[Line, str]]:
    """The page's lines with their plain text, computed once per page (every section looks for headings)."""
    return once_per_page(page, "plain lines", lambda: [(line, plain(line.text)) for line in page.lines])


def footnote_top(page: Page) -> float:
    """The top of the page's footnote block (lines opening with a footnote mark), or the page height."""
    top = page.height
    for line in reversed(page.lines):
        first = line.words[0]
        rest = [w.size for w in line.words[1:]]
        marked = first.superscript or (
            bool(re.fullmatch(r"[\d*]+", first.text)) and bool(rest) and first.size < 0.85 * statistics.median(rest)
        )
        if marked and line.top > page.height / 2:
            top = line.top
        elif top < page.height and line.bottom < top - 3 * first.size:
            break
    return top


# --- Headline figures and their labels ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Figure(Span):
    """A printed figure (one word, or a sign and a number) and what it parses to."""

    words: tuple[Word, ...]
    number: PrintedNumber

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def figures_in(words: Iterable[Word], *, accept: Callable[[Word], bool] = lambda w: True) -> list[Figure]:
    """Figures printed by the words (a lone sign joins the number after it), line by line, left to right.

    Words that are not figures are skipped; a lone dash is a figure (a printed "not available").
    """
    figures: list[Figure] = []
    for line in group_lines(w for w in words if not w.superscript and accept(w)):
        words_ = line.words
        index = 0
        while index < len(words_):
            word = words_[index]
            text = plain(word.text)
            nxt = words_[index + 1] if index + 1 < len(words_) else None
            if (
                nxt is not None
                and is_sign(text)
                and nxt.x0 - word.x1 <= DEFAULT.sign_gap_ratio * nxt.size
                and is_number(text + plain(nxt.text))
            ):
                figures.append(Figure((word, nxt), parse_number(text + plain(nxt.text))))
                index += 2
                continue
            if is_number(text):
                figures.append(Figure((word,), parse_number(text)))
            index += 1
    return figures


def headline_figures(words: Sequence[Word], page_words: Sequence[Word]) -> list[Figure]:
    """Figures printed much larger than the page's body text (headline boxes)."""
    threshold = DEFAULT.figure_size_ratio * median_word_size(page_words)
    return [f for f in figures_in(words, accept=lambda w: w.size >= threshold) if f.number.value is not None]


@dataclasses.dataclass(frozen=True)
class LabelledFigure:
    """A headline figure and the words of its label (beside it or under it)."""

    figure: Figure
    label: tuple[Word, ...]

    @property
    def text(self) -> str:
        return words_text(self.label)

    @property
    def bottom(self) -> float:
        return max([self.figure.bottom, *(w.bottom for w in self.label)])


def label_figures(figures: Sequence[Figure], words: Sequence[Word]) -> list[LabelledFigure]:
    """Give each figure its label: the words in its cell, which runs right to the next figure of its row
    and down until a blank gap (so "343 assisted voluntary returns" and "1,017 / APPLICATIONS..." both work).
    """
    figure_words = {id(w) for f in figures for w in f.words}
    labelled = []
    for figure in figures:
        same_row = [
            other.x0
            for other in figures
            if other is not figure and other.top < figure.bottom and other.bottom > figure.top and other.x0 > figure.x0
        ]
        right = min(same_row, default=float("inf"))
        tolerance = 0.25 * figure.size
        cell = [
            w
            for w in words
            if id(w) not in figure_words
            and not w.superscript
            and figure.x0 - tolerance <= w.x0
            and w.x_center < right - tolerance
            and figure.top - tolerance <= w.top
            and w.top <= figure.bottom + DEFAULT.label_depth_ratio * figure.size
        ]
        label: list[Word] = []
        last_bottom = figure.bottom
        for line in group_lines(cell):
            starts_beside = line.top < figure.bottom
            if not starts_beside and line.top - last_bottom > DEFAULT.label_line_gap_ratio * median_word_size(
                line.words
            ):
                break
            label.extend(line.words)
            last_bottom = max(last_bottom, line.bottom) if starts_beside else line.bottom
        labelled.append(LabelledFigure(figure, tuple(label)))
    return labelled


# --- Month axes and chart data labels ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class AxisMonth(Span):
    """One month label of a chart axis or table header."""

    year: int
    month: int
    words: tuple[Word, ...]


def month_axis(line: Line, below: Line | None = None) -> list[AxisMonth]:
    """The month labels of an axis line, left to right: `Dec 2023`, `Dec-23`, `DEC 23`, `December 2024`,
    or month names whose years sit on the line `below` (labels wrapped onto two lines)."""
    words = [w for w in line.words if not w.superscript]
    labels: list[AxisMonth] = []
    index = 0
    while index < len(words):
        word = words[index]
        text = plain(word.text)
        if is_month_label(text):
            year, month = parse_month_label(text)
            labels.append(AxisMonth(year, month, (word,)))
            index += 1
            continue
        if is_month_name(text):
            nxt = words[index + 1] if index + 1 < len(words) else None
            if nxt is not None and _YEAR_TOKEN.match(plain(nxt.text)) and is_month_label(f"{text} {plain(nxt.text)}"):
                year, month = parse_month_label(f"{text} {plain(nxt.text)}")
                labels.append(AxisMonth(year, month, (word, nxt)))
                index += 2
                continue
            under = _year_under(word, below)
            if under is not None:
                year, month = parse_month_label(f"{text} {plain(under.text)}")
                labels.append(AxisMonth(year, month, (word, under)))
                index += 1
                continue
        index += 1
    return labels


def _year_under(word: Word, below: Line | None) -> Word | None:
    if below is None:
        return None
    for candidate in below.words:
        if _YEAR_TOKEN.match(plain(candidate.text)) and candidate.x0 < word.x1 and candidate.x1 > word.x0:
            return candidate
    return None


def find_month_axis(lines: Sequence[Line]) -> tuple[int, list[AxisMonth]] | None:
    """The first line (index, labels) carrying at least `min_axis_labels` month labels, or None."""
    for index, line in enumerate(lines):
        below = lines[index + 1] if index + 1 < len(lines) else None
        labels = month_axis(line, below)
        if len(labels) >= DEFAULT.min_axis_labels:
            return index, labels
    return None


def is_plain_figure(word: Word) -> bool:
    """A bare number such as a chart data label prints (`5,696`, `34.5`): no sign, no brackets, no letters."""
    return not word.superscript and bool(_PLAIN_FIGURE.match(plain(word.text)))


def chart_labels(lines: Sequence[Line]) -> list[Figure]:
    """Data labels among the lines of a chart: bare numbers on lines without words (legends, titles)."""
    figures = []
    for line in lines:
        if any(re.search(r"[A-Za-z]", w.text) for w in line.text_words):
            continue
        for word in line.text_words:
            if is_plain_figure(word):
                figures.append(Figure((word,), parse_number(plain(word.text))))
    return figures


def match_to_axis(labels: Sequence[Figure], axis: Sequence[AxisMonth], where: str) -> list[tuple[AxisMonth, Figure]]:
    """Pair each axis month with the one data label above it (nearest centre); every month needs one."""
    if len(axis) < 2:
        raise LayoutChangedError(f"{where}: a chart axis needs at least two months, found {len(axis)}")
    centres = [a.x_center for a in axis]
    pitch = min(b - a for a, b in zip(centres, centres[1:], strict=False))
    if pitch <= 0:
        raise LayoutChangedError(f"{where}: the chart's month labels are not left to right")
    paired: dict[int, Figure] = {}
    for label in labels:
        index = min(range(len(axis)), key=lambda i: abs(centres[i] - label.x_center))
        if abs(centres[index] - label.x_center) > DEFAULT.chart_match_ratio * pitch:
            raise LayoutChangedError(
                f"{where}: chart label {label.text!r} at x={label.x_center:.0f} is under no month of the axis"
            )
        if index in paired:
            raise LayoutChangedError(
                f"{where}: two chart labels ({paired[index].text!r}, {label.text!r}) over "
                f"{axis[index].year}-{axis[index].month:02d}"
            )
        paired[index] = label
    missing = [f"{a.year}-{a.month:02d}" for i, a in enumerate(axis) if i not in paired]
    if missing:
        raise LayoutChangedError(
            f"{where}: {len(labels)} chart labels for {len(axis)} months; no label over {', '.join(missing)}"
        )
    return [(axis[i], paired[i]) for i in range(len(axis))]


# --- Header cells -------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Column(Span, Generic[K]):
    """A table column: its key (what its header says) and the words of its header."""

    key: K
    words: tuple[Word, ...]


def header_columns(
    words: Sequence[Word], classify: Callable[[str], K | None], where: str, *, unique: bool = True
) -> list[Column[K]]:
    """Read header cells left to right, wrapped cells included ("Bosnia and / Herzegovina").

    Words on different baselines that overlap horizontally are one stack (a wrapped cell); from the
    left, the longest run of neighbouring stacks whose text (baseline by baseline) `classify`
    recognises is one column. A label `classify` does not recognise is an error, never a skipped column.
    """
    stacks = _stacks(words)
    columns: list[Column[K]] = []
    index = 0
    while index < len(stacks):
        for end in range(min(len(stacks), index + DEFAULT.max_label_parts), index, -1):
            if not _joinable(stacks[index:end]):
                continue
            part = [w for stack in stacks[index:end] for w in stack]
            key = classify(_stack_text(part))
            if key is not None:
                columns.append(Column(key, tuple(part)))
                index = end
                break
        else:
            raise LayoutChangedError(f"{where}: unknown column label {_stack_text(stacks[index])!r}")
    keys = [c.key for c in columns]
    if unique and len(set(keys)) != len(keys):
        raise LayoutChangedError(f"{where}: a column label is repeated: {[words_text(c.words) for c in columns]}")
    return columns


def _stacks(words: Sequence[Word]) -> list[list[Word]]:
    """Header words grouped into stacks, left to right: words on different baselines, one above the other's
    middle (a cell wrapped over lines, centred or left-aligned). Overlap alone is not enough: a wrapped
    "(UNSCR 1244)" may run into the next column's lower line. Words side by side stay apart, however
    close: two columns' wrapped lines can be as close as a word space ("Macedonia Herzegovina")."""
    cells = [piece for w in words if not w.superscript for piece in _unglue(w)]
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(cells):
        for j in range(i + 1, len(cells)):
            b = cells[j]
            if a.x0 <= b.x_center <= a.x1 or b.x0 <= a.x_center <= b.x1:
                parent[root(i)] = root(j)
    groups: dict[int, list[Word]] = {}
    for i, word in enumerate(cells):
        groups.setdefault(root(i), []).append(word)
    return sorted(groups.values(), key=lambda ws: min(w.x0 for w in ws))


_GLUED = re.compile(r"^(?P<first>.*?\))(?P<second>[^\W\d_].*)$")


def _unglue(word: Word) -> list[Word]:
    """A closing bracket glued to the next column's word ("(1999))Herzegovina", drawn touching) is two
    words; their split point is estimated from the character count."""
    match = _GLUED.match(word.text)
    if match is None:
        return [word]
    cut = word.x0 + (word.x1 - word.x0) * len(match["first"]) / len(word.text)
    return [
        dataclasses.replace(word, text=match["first"], x1=cut),
        dataclasses.replace(word, text=match["second"], x0=cut),
    ]


def _joinable(stacks: Sequence[Sequence[Word]]) -> bool:
    """Stacks can be one header cell if each starts within `join_gap_ratio` sizes of the one before and their
    text closes every bracket it opens (so "BiH" and "Kosovo (UNSCR" of two panels are never one label)."""
    for before, after in zip(stacks, stacks[1:], strict=False):
        size = max(w.size for w in after)
        if min(w.x0 for w in after) - max(w.x1 for w in before) > DEFAULT.join_gap_ratio * size:
            return False
    text = " ".join(w.text for stack in stacks for w in stack)
    return text.count("(") == text.count(")")


def _stack_text(stack: Sequence[Word]) -> str:
    """A header cell's text: baseline by baseline, left to right."""
    return plain(" ".join(w.text for baseline in _baselines(stack) for w in baseline))


def _baselines(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped by baseline (tops within `baseline_ratio` of a size), each left to right.

    Unlike `group_lines`, a cell wrapped onto two baselines next to a one-line cell centred between
    them stays on two baselines.
    """
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.top):
        if rows and abs(word.top - rows[-1][0].top) <= DEFAULT.baseline_ratio * word.size:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def split_header(lines: Sequence[Line]) -> tuple[list[Line], list[Line]]:
    """Split a table's lines into header lines (indented past the row labels) and body lines."""
    if not lines:
        return [], []
    left = min(line.x0 for line in lines)
    indent = 2 * median_word_size(w for line in lines for w in line.words)
    index = 0
    while index < len(lines) and lines[index].x0 > left + indent:
        index += 1
    return list(lines[:index]), list(lines[index:])


# --- Tables -------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Cell(Generic[R, K]):
    """One figure of a table: its row and column keys, its words and the number they print."""

    row: R
    column: K
    figure: Figure


@dataclasses.dataclass(frozen=True)
class Row(Generic[R, K]):
    """A table row: its key, the words of its label and its (column key, figure) pairs, left to right.

    Two columns may share a key: a January issue's "January 2025" and "January - January 2025".
    """

    key: R
    label: tuple[Word, ...]
    cells: tuple[tuple[K, Figure], ...]


def read_rows(
    lines: Sequence[Line],
    columns: Sequence[Column[K]] | Sequence[AxisMonth],
    column_keys: Sequence[K],
    classify_row: Callable[[str], R | None],
    where: str,
) -> list[Row[R, K]]:
    """Read the body of a table whose columns sit at the centres of `columns`.

    Figures are assigned to the nearest column centre; row labels (left of the first column, possibly
    wrapped over several lines) to the nearest row of figures. The table ends at the first line with
    words that are not figures in the figure columns, or at a large vertical gap. Every row must have
    exactly one figure (or "-") per column and a label `classify_row` recognises.
    """
    centres = [c.x_center for c in columns]
    if len(centres) != len(column_keys) or not centres:
        raise LayoutChangedError(f"{where}: a table needs columns, found {len(centres)}")
    pitch = min((b - a for a, b in zip(centres, centres[1:], strict=False)), default=float("inf"))
    if len(centres) == 1:
        pitch = 4 * (columns[0].words[-1].x1 - columns[0].words[0].x0 + 1)
    if pitch <= 0:
        raise LayoutChangedError(f"{where}: the table's column labels are not left to right")
    boundary = centres[0] - DEFAULT.column_match_ratio * pitch

    value_rows: list[tuple[Line, list[Figure]]] = []
    label_lines: list[list[Word]] = []
    last_bottom: float | None = None
    ended_at: int | None = None
    for number, line in enumerate(lines):
        words = list(line.text_words)
        if last_bottom is not None and line.top - last_bottom > DEFAULT.table_row_gap_ratio * median_word_size(words):
            ended_at = number
            break
        labels, values = _split_label(words, boundary)
        figures = figures_in(values)
        if values and (not figures or sum(len(f.words) for f in figures) != len(values)):
            if value_rows:
                ended_at = number
                break
            stray = [w.text for w in values if not any(w in f.words for f in figures)]
            raise LayoutChangedError(f"{where}: text {' '.join(stray)!r} where the table's figures should be")
        if figures:
            value_rows.append((line, figures))
        if labels:
            label_lines.append(labels)
        last_bottom = line.bottom if last_bottom is None else max(last_bottom, line.bottom)
    if not value_rows:
        raise LayoutChangedError(f"{where}: no row of figures under the table header")
    if ended_at is not None:
        for line in lines[ended_at:]:
            stray = figures_in([w for w in line.text_words if w.x_center >= boundary])
            aligned = [
                f for f in stray if min(abs(c - f.x_center) for c in centres) <= DEFAULT.column_match_ratio * pitch
            ]
            if len(aligned) >= max(2, len(centres) // 2) and len(aligned) == len(stray):
                raise LayoutChangedError(
                    f"{where}: the table is interrupted before the row {line.text!r} (a gap or text between rows)"
                )

    row_labels: list[list[Word]] = [[] for _ in value_rows]
    for words in label_lines:
        y = statistics.mean(w.y_center for w in words)
        nearest = min(range(len(value_rows)), key=lambda i: abs(_y_center(value_rows[i][0]) - y))
        row_labels[nearest].extend(words)

    rows: list[Row[R, K]] = []
    for (_line, figures), label in zip(value_rows, row_labels, strict=True):
        text = words_text(label)
        key = classify_row(text)
        if key is None:
            raise LayoutChangedError(f"{where}: unknown row label {text!r} (figures {[f.text for f in figures]})")
        by_column: dict[int, Figure] = {}
        for figure in figures:
            index = min(range(len(centres)), key=lambda i: abs(centres[i] - figure.x_center))
            if abs(centres[index] - figure.x_center) > DEFAULT.cell_match_ratio * pitch:
                raise LayoutChangedError(f"{where}: figure {figure.text!r} of row {text!r} is under no column")
            if index in by_column:
                raise LayoutChangedError(
                    f"{where}: row {text!r} has two figures ({by_column[index].text!r}, {figure.text!r}) in one column"
                )
            by_column[index] = figure
        if len(by_column) != len(column_keys):
            raise LayoutChangedError(
                f"{where}: row {text!r} has {len(by_column)} figures for {len(column_keys)} columns"
            )
        cells = tuple((column_keys[i], by_column[i]) for i in range(len(column_keys)))
        rows.append(Row(key, tuple(label), cells))
    keys = [r.key for r in rows]
    if len(set(keys)) != len(keys):
        raise LayoutChangedError(f"{where}: a row label is repeated: {[words_text(r.label) for r in rows]}")
    return rows


def _split_label(words: Sequence[Word], boundary: float) -> tuple[list[Word], list[Word]]:
    """A row's label words and value words. The label is everything before the first table value in the
    figure columns, so a long label running past the first column's edge ("Kosovo (S/RES/1244 (1999))")
    stays a label; a line without values is a label line only if it starts left of the figure columns."""
    ordered = sorted(words, key=lambda w: w.x0)
    first = next(
        (i for i, w in enumerate(ordered) if w.x_center >= boundary and _TABLE_VALUE.match(plain(w.text))), None
    )
    if first is None:
        if all(w.x0 < boundary for w in ordered):
            return list(ordered), []
        return [w for w in ordered if w.x_center < boundary], [w for w in ordered if w.x_center >= boundary]
    return list(ordered[:first]), list(ordered[first:])


def _y_center(line: Line) -> float:
    return (line.top + line.bottom) / 2


# --- Text grids (cells of words, no header or a header of column starts) -------------------------------------


def grid_rows(words: Sequence[Word]) -> list[list[Line]]:
    """Lines of a grid grouped into rows: a vertical gap larger than `grid_row_gap_ratio` sizes starts a row."""
    rows: list[list[Line]] = []
    last_bottom: float | None = None
    for line in group_lines(w for w in words if not w.superscript):
        size = median_word_size(line.words)
        if last_bottom is None or line.top - last_bottom > DEFAULT.grid_row_gap_ratio * size:
            rows.append([])
        rows[-1].append(line)
        last_bottom = line.bottom if last_bottom is None else max(last_bottom, line.bottom)
    return rows


# --- Facts --------------------------------------------------------------------------------------------------


def merge_repeats(facts: Iterable[Fact], where: str) -> list[Fact]:
    """Keep the first fact of each key; mark later printings of it as repeats.

    Reports print some figures twice (a headline and a table's Total, a snapshot and the last bar
    of a trend). The facts table holds one value per key, the first reading (the headline the
    report leads with); the others go on as `repeat=True` facts, which `extract` sets aside for
    validation to compare (rule `repeated_figure`) instead of dropping a disagreement here.
    """
    kept: dict[tuple, Fact] = {}
    repeats: list[Fact] = []
    for fact in facts:
        if fact.key in kept:
            repeats.append(dataclasses.replace(fact, repeat=True))
        else:
            kept[fact.key] = fact
    return list(kept.values()) + repeats
