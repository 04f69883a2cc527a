"""What every imitation issue shares: its facts (looked up and ticked off as printed), pages, footnotes, tables."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfgen.canvas import Canvas

from .canvas import BLACK, GREY, Pen
from .labels import kosovo_mark, place_name
from .style import Style

TRUTH_KEY = ("indicator", "geo", "period_start", "period_end", "breakdown", "rank")
LIGHT = HexColor("#EEF2F8")
RULE = HexColor("#9A9A9A")
RULE_LIGHT = HexColor("#C8C8C8")
#: Fixed creation date in the PDF metadata, so the same case always renders to the same bytes.
PDF_DATE = "D:20000101000000+00'00'"

Key = tuple[str, str, str, str, str | None, int | None]


def month_period(year: int, month: int) -> tuple[str, str]:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1).isoformat(), dt.date(year, month, last).isoformat()


def month_end(year: int, month: int) -> tuple[str, str]:
    end = month_period(year, month)[1]
    return end, end


def year_to_date(year: int, month: int) -> tuple[str, str]:
    return f"{year:04d}-01-01", month_period(year, month)[1]


def years(first: int, last: int) -> tuple[str, str]:
    return f"{first:04d}-01-01", f"{last:04d}-12-31"


#: A centred cell may spill this far past its column (the samples' `(UNSCR 1244)` spills 0.9 pt each side);
#: wider text is shrunk to leave CELL_MARGIN on each side, so neighbouring cells never touch.
CELL_SPILL = 2.0
CELL_MARGIN = 2.0
#: The first column's text starts this far inside its rule (measured: 44 for a table at 40).
CELL_PAD = 4.0


def fit_cell(pen: Pen, text: str, column: float, size: float, bold: bool, mark: str | None = None) -> float:
    """The size at which centred text fits its column (kept when it spills by no more than CELL_SPILL)."""
    width = pen.width(text, size, bold) + (pen.mark_width(mark, size, bold) if mark else 0)
    if width <= column + CELL_SPILL:
        return size
    return pen.shrink(text, column - 2 * CELL_MARGIN, size, bold, mark)


class Figures:
    """The facts of one issue by key; each one printed is ticked off with the page it was printed on."""

    def __init__(self, facts: Sequence[dict[str, Any]]) -> None:
        self.rows: dict[Key, dict[str, Any]] = {}
        for row in facts:
            key = tuple(row[k] for k in TRUTH_KEY)
            if key in self.rows:
                raise ValueError(f"truth lists {key} twice")
            self.rows[key] = dict(row)
        self.pages: dict[Key, int] = {}
        self.page = 0

    def has(
        self, indicator: str, geo: str, period: tuple[str, str], breakdown: str | None = None, rank: int | None = None
    ) -> bool:
        return (indicator, geo, *period, breakdown, rank) in self.rows

    def peek(
        self, indicator: str, geo: str, period: tuple[str, str], breakdown: str | None = None, rank: int | None = None
    ) -> float | None:
        """A figure's value without printing it (for layout decisions such as scales)."""
        return self.rows[(indicator, geo, *period, breakdown, rank)]["value"]

    def take(
        self, indicator: str, geo: str, period: tuple[str, str], breakdown: str | None = None, rank: int | None = None
    ) -> float | None:
        """The value of a figure about to be printed on the current page."""
        key = (indicator, geo, *period, breakdown, rank)
        if key not in self.rows:
            raise KeyError(f"the truth has no figure {key}")
        if key in self.pages and self.pages[key] != self.page:
            raise ValueError(f"figure {key} printed on pages {self.pages[key]} and {self.page}")
        self.pages[key] = self.page
        return self.rows[key]["value"]

    def select(self, indicator: str, **match: Any) -> list[dict[str, Any]]:
        return [
            r for r in self.rows.values() if r["indicator"] == indicator and all(r[k] == v for k, v in match.items())
        ]

    def printed_facts(self) -> list[dict[str, Any]]:
        """Every fact with the page it was printed on; raises if one was never printed."""
        missing = [k for k in self.rows if k not in self.pages]
        if missing:
            raise ValueError(f"{len(missing)} facts of the truth were not printed, e.g. {missing[:3]}")
        return [dict(row, page=self.pages[key]) for key, row in self.rows.items()]


@dataclass
class Footnote:
    label: str
    text: str
    star: bool = False


KOSOVO_NOTE = (
    "References to Kosovo shall be understood to be in the context of United Nations Security Council "
    "resolution 1244 (1999)."
)


class Issue:
    """One imitation issue being drawn: the canvas, the pen, its figures and its footnote numbering."""

    page_size: tuple[float, float] = (595.2756, 841.8898)
    title: str = ""
    author: str = ""

    def __init__(self, truth: dict[str, Any], style: Style, path: Path) -> None:
        self.truth = truth
        self.style = style
        self.year, self.month = (int(p) for p in truth["report_id"].rsplit("-", 2)[-2:])
        self.figures = Figures(truth["facts"])
        self.canvas = Canvas(str(path), pagesize=self.page_size, invariant=1, pageCompression=1)
        self.pen = Pen(self.canvas, *self.page_size, style)
        self.accent = HexColor(style.accent)
        self.page = 0
        self.notes: list[Footnote] = []
        self._next_note = 1
        self._kosovo_label: str | None = None
        self._star_noted = False

    # -- pages and footnotes ---------------------------------------------------------------

    def new_page(self) -> None:
        if self.page:
            self.finish_page()
            self.canvas.showPage()
        self.page += 1
        self.figures.page = self.page
        self.notes = []

    def finish_page(self) -> None:
        """Draw the page's footnotes and footer (family-specific)."""

    def note(self, text: str) -> str:
        """Allocate the next footnote number for `text`, listed at the foot of the current page."""
        label = str(self._next_note)
        self._next_note += 1
        self.notes.append(Footnote(label, text))
        return label

    def place(self, geo: str) -> tuple[str, str | None]:
        """A place's printed label and footnote mark (Kosovo's note is listed where Kosovo is first printed)."""
        name = place_name(geo, self.style)
        if geo == "XKX" and self.style.kosovo == "star" and not self._star_noted:
            self.notes.append(Footnote("*", KOSOVO_NOTE, star=True))
            self._star_noted = True
        if kosovo_mark(geo, self.style):
            if self._kosovo_label is None:
                self._kosovo_label = self.note(KOSOVO_NOTE)
            return name, self._kosovo_label
        return name, None

    # -- output --------------------------------------------------------------------------------

    def save(self) -> None:
        self.finish_page()
        c = self.canvas
        c.setTitle(self.title)
        c.setAuthor(self.author)
        c.setCreator("mixedflows tests/variants (synthetic imitation for testing)")
        c.setSubject("SYNTHETIC imitation report for testing; not a real publication")
        c.setKeywords("synthetic, imitation, test fixture")
        c.save()

    # -- shared drawing ------------------------------------------------------------------------

    def table(
        self,
        columns: Sequence[float],
        top: float,
        header: Sequence[tuple[str, str | None]],
        rows: Sequence[Sequence[tuple[str, bool]]],
        *,
        header_h: float,
        row_h: float,
        size: float,
        header_fill: Color | None = LIGHT,
        header_wrap: float | None = None,
        header_breaks: bool = False,
    ) -> float:
        """A table: column edges, a header of (text, mark) cells and rows of (text, bold) cells.

        Text is centred in its column except the first column's, which is left-aligned. Rules follow
        `style.table_rules`. Returns the bottom of the table.
        """
        pen = self.pen
        x0, x1 = columns[0], columns[-1]
        header_size, pad = size, CELL_PAD
        bottom = top + header_h + row_h * len(rows)
        if header_fill is not None:
            pen.rect(x0, top, x1 - x0, header_h, fill=header_fill)
        centre = top + header_h / 2
        lead = 1.2 * header_size
        for index, (text, mark) in enumerate(header):
            if not text:
                continue
            left, right = columns[index], columns[index + 1]
            limit = right - left - 4 if header_wrap is None else min(right - left - 4, header_wrap)
            lines = (
                text.split("\n")
                if header_breaks
                else self.wrap_label(text, limit, header_size, bold=True, keep=right - left + CELL_SPILL)
            )
            first_bl = centre - (len(lines) - 1) * lead / 2 + 0.4 * header_size
            for n, line in enumerate(lines):
                line_mark = mark if n == len(lines) - 1 else None
                if index == 0:
                    size_n = pen.shrink(line, right - left - pad - 2, header_size, True, line_mark)
                else:
                    size_n = fit_cell(pen, line, right - left, header_size, True, line_mark)
                if index == 0:
                    pen.labelled(left + pad, first_bl + n * lead, line, size_n, line_mark, bold=True)
                else:
                    pen.labelled(
                        (left + right) / 2, first_bl + n * lead, line, size_n, line_mark, bold=True, align="center"
                    )
        for r, row in enumerate(rows):
            mid = top + header_h + row_h * r + row_h / 2
            for index, cell in enumerate(row):
                text, bold = cell[0], cell[1]
                mark = cell[2] if len(cell) > 2 else None
                left, right = columns[index], columns[index + 1]
                if index == 0:
                    cell_size = pen.shrink(text, right - left - pad - 2, size, bold, mark)
                    pen.labelled(left + pad, mid + 0.325 * size, text, cell_size, mark, bold=bold)
                else:
                    cell_size = fit_cell(pen, text, right - left, size, bold, mark)
                    pen.labelled(
                        (left + right) / 2, mid + 0.35 * size, text, cell_size, mark, bold=bold, align="center"
                    )
        self.rules(columns, top, header_h, row_h, len(rows))
        return bottom

    def rules(self, columns: Sequence[float], top: float, header_h: float, row_h: float, count: int) -> None:
        pen = self.pen
        x0, x1 = columns[0], columns[-1]
        ys = [top, top + header_h] + [top + header_h + row_h * (i + 1) for i in range(count)]
        if self.style.table_rules == "grid":
            for y in ys:
                pen.line(x0, y, x1, y, color=RULE, lw=0.5)
            for x in columns:
                pen.line(x, ys[0], x, ys[-1], color=RULE, lw=0.5)
        elif self.style.table_rules == "hlines":
            pen.line(x0, ys[0], x1, ys[0], color=RULE, lw=0.8)
            for y in ys[1:]:
                pen.line(x0, y, x1, y, color=RULE_LIGHT, lw=0.4)
            pen.line(x0, ys[-1], x1, ys[-1], color=RULE, lw=0.8)

    def wrap_label(
        self, text: str, width: float, size: float, bold: bool = False, keep: float | None = None
    ) -> list[str]:
        """Wrap a label at spaces, keeping a parenthesised qualifier such as `(UNSCR 1244)` whole.

        A qualifier wider than `keep` (default: `width` + CELL_SPILL) is broken at its spaces after all.
        """
        keep = width + CELL_SPILL if keep is None else keep
        groups: list[str] = []
        depth = 0
        for word in text.split():
            if depth > 0 and groups:
                groups[-1] += " " + word
            else:
                groups.append(word)
            depth += word.count("(") - word.count(")")
        tokens = [t for g in groups for t in ([g] if self.pen.width(g, size, bold) <= keep else g.split())]
        lines: list[str] = []
        for token in tokens:
            candidate = f"{lines[-1]} {token}" if lines else token
            if lines and self.pen.width(candidate, size, bold) <= width:
                lines[-1] = candidate
            else:
                lines.append(token)
        return lines

    def paragraph(
        self,
        x: float,
        bl: float,
        text: str,
        width: float,
        size: float,
        lead: float,
        *,
        color: Color = GREY,
        bold: bool = False,
    ) -> float:
        """A wrapped paragraph; returns the baseline of its last line."""
        lines = self.pen.wrap(text, width, size, bold)
        for n, line in enumerate(lines):
            self.pen.text(x, bl + n * lead, line, size, bold=bold, color=color)
        return bl + (len(lines) - 1) * lead

    def rich_paragraph(
        self,
        x: float,
        bl: float,
        parts: Sequence[tuple[str, bool]],
        width: float,
        size: float,
        lead: float,
        *,
        color: Color = BLACK,
    ) -> float:
        lines = self.pen.wrap_parts(parts, width, size)
        for n, line in enumerate(lines):
            self.pen.parts(x, bl + n * lead, line, size, color)
        return bl + (len(lines) - 1) * lead
