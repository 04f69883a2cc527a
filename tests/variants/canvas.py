"""Drawing primitives for the imitations: top-down coordinates, style-aware text, footnote marks, wrapping.

Positions are in PDF points measured from the top-left corner, and text is placed by its baseline
(`bl`), which is how the sample PDFs were measured (pdfplumber `top`/`bottom` follow from the font).
"""

from __future__ import annotations

import contextlib
import io
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import reportlab
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .style import Style

FONT_DIR = Path(__file__).parent / "fonts"
#: Faces (regular, bold) of every font a style can name, as body (`Style.font`) or heading font;
#: reportlab's standard fonts need no file, DejaVu is shipped beside this module, Vera ships with reportlab.
FAMILIES = {
    "helvetica": ("Helvetica", "Helvetica-Bold"),
    "dejavu": ("DejaVuSans", "DejaVuSans-Bold"),
    "times": ("Times-Roman", "Times-Bold"),
    "courier": ("Courier", "Courier-Bold"),
    "vera": ("Vera", "VeraBd"),
}
_VERA_DIR = Path(reportlab.__file__).parent / "fonts"
#: Glyphs the standard Helvetica lacks are drawn in DejaVu, as the samples do (arrows, superscripts 0 and 4-9).
FALLBACK = ("DejaVuSans", "DejaVuSans-Bold")
#: Arrows are always drawn in DejaVu Sans Bold, whatever the body font (as in every sample).
ARROW_FONT = "DejaVuSans-Bold"

#: A raised footnote mark is printed at this fraction of the text size it follows (measured: 7.54 / 13).
MARK_SIZE_RATIO = 0.58
#: ... and its baseline sits this fraction of that text size higher (measured: 4.94 / 13).
MARK_RAISE_RATIO = 0.38
#: Gap between a word and its raised mark, in points.
MARK_GAP = 0.5
#: Marks after text at least this large (headings) are bold when the text is; smaller ones are regular.
BOLD_MARK_MIN_SIZE = 9.0
#: Headline figures at least this large are drawn twice when `fake_bold` is on, offset by FAKE_BOLD_DX.
FAKE_BOLD_MIN_SIZE = 16.0
FAKE_BOLD_DX = 0.35
#: Each jittered block moves by up to this fraction of `style.jitter` in x and y.
JITTER_SPREAD = 0.7

SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUPERSCRIPTABLE = set("0123456789,*")

BLACK = Color(0, 0, 0)
WHITE = Color(1, 1, 1)
GREY = HexColor("#555555")
DARK = HexColor("#333333")
UP = HexColor("#2E8B57")
DOWN = HexColor("#C0392B")

_fonts_registered = False


def register_fonts() -> None:
    """Register the DejaVu fonts shipped beside this module (never the machine's) and reportlab's Vera."""
    global _fonts_registered
    if _fonts_registered:
        return
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    for face in FAMILIES["vera"]:
        pdfmetrics.registerFont(TTFont(face, str(_VERA_DIR / f"{face}.ttf")))
    _fonts_registered = True


def _helvetica_has(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


class Pen:
    """A page-independent drawing context bound to one reportlab canvas and one style."""

    #: Bold text at least this large is drawn twice under `fake_bold` (a renderer may lower it).
    fake_bold_min_size = FAKE_BOLD_MIN_SIZE

    def __init__(self, canvas: Canvas, width: float, height: float, style: Style) -> None:
        register_fonts()
        self.c = canvas
        self.page_w = width
        self.page_h = height
        self.style = style
        self.regular, self.bold = FAMILIES[style.font]
        self._rng = random.Random(style.jitter_seed)
        self.dx = 0.0
        self.dy = 0.0
        #: How far a wrapped heading pushed the rest of the page down (reset with each page's footer).
        self.flow = 0.0

    # -- geometry -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def block(self, jitter: bool = True) -> Iterator[None]:
        """Draw a block (a box, a chart, a table) moved as a whole by the style's jitter."""
        saved = (self.dx, self.dy)
        if jitter and self.style.jitter:
            self.dx, self.dy = self.jitter_offset()
        try:
            yield
        finally:
            self.dx, self.dy = saved

    def jitter_offset(self) -> tuple[float, float]:
        """The next block's (dx, dy): up to JITTER_SPREAD x `style.jitter` each way (0, 0 without jitter)."""
        spread = self.style.jitter * JITTER_SPREAD
        if not spread:
            return 0.0, 0.0
        return round(self._rng.uniform(-spread, spread), 2), round(self._rng.uniform(-spread, spread), 2)

    @contextlib.contextmanager
    def shifted(self, down: float) -> Iterator[None]:
        """Draw moved down by `down` points (a headline block out of line with its row)."""
        self.dy += down
        try:
            yield
        finally:
            self.dy -= down

    def _x(self, x: float) -> float:
        return x + self.dx

    def _y(self, top: float) -> float:
        return self.page_h - (top + self.dy + self.flow)

    # -- fonts and widths ---------------------------------------------------------------------

    def font(self, bold: bool) -> str:
        return self.bold if bold else self.regular

    def runs(self, text: str, bold: bool) -> list[tuple[str, str]]:
        """Split text into (font, text) runs, falling back to DejaVu for glyphs Helvetica lacks."""
        base = self.font(bold)
        if not base.startswith("Helvetica"):
            return [(base, text)] if text else []
        fallback = FALLBACK[1] if bold else FALLBACK[0]
        runs: list[tuple[str, str]] = []
        for char in text:
            font = base if _helvetica_has(char) else fallback
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + char)
            else:
                runs.append((font, char))
        return runs

    def fit_size(self, texts: Sequence[str], width: float, largest: float) -> float:
        """The largest size (to 0.1 pt, at most `largest`) at which every text is at most `width` wide."""
        size = largest
        for text in texts:
            glyphs = self.width(text, 1.0) - self.style.tracking * len(text)
            size = min(size, (width - self.style.tracking * len(text)) / glyphs)
        return max(1.0, int(size * 10) / 10)

    def shrink(self, text: str, width: float, size: float, bold: bool = False, mark: str | None = None) -> float:
        """`size`, or smaller (to 0.1 pt) if the text and its mark would be wider than `width`."""
        while size > 3 and self.width(text, size, bold) + (self.mark_width(mark, size, bold) if mark else 0) > width:
            size = round(size - 0.1, 1)
        return size

    def width(self, text: str, size: float, bold: bool = False, font: str | None = None) -> float:
        runs = [(font, text)] if font else self.runs(text, bold)
        glyphs = sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs)
        return glyphs + self.style.tracking * len(text)

    # -- text ---------------------------------------------------------------------------------

    def text(
        self,
        x: float,
        bl: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        color: Color = BLACK,
        align: str = "left",
        font: str | None = None,
    ) -> float:
        """Draw one run of text; returns the x where it ends. `align` is left, right or center of x."""
        width = self.width(text, size, bold, font)
        if align == "right":
            x -= width
        elif align == "center":
            x -= width / 2
        runs = [(font, text)] if font else self.runs(text, bold)
        passes = [0.0]
        if self.style.fake_bold and bold and size >= self.fake_bold_min_size:
            passes.append(FAKE_BOLD_DX)
        for shift in passes:
            self._draw_runs(x + shift, bl, runs, size, color)
        return x + width

    def _draw_runs(self, x: float, bl: float, runs: Sequence[tuple[str, str]], size: float, color: Color) -> None:
        obj = self.c.beginText()
        obj.setTextOrigin(self._x(x), self._y(bl))
        obj.setCharSpace(self.style.tracking)
        obj.setFillColor(color)
        for font, chunk in runs:
            obj.setFont(font, size)
            obj.textOut(chunk)
        self.c.drawText(obj)

    def parts(self, x: float, bl: float, parts: Sequence[tuple[str, bool]], size: float, color: Color = BLACK) -> float:
        """Draw consecutive runs of regular and bold text on one baseline; returns the end x."""
        for chunk, bold in parts:
            x = self.text(x, bl, chunk, size, bold=bold, color=color)
        return x

    def mark(self, x: float, bl: float, label: str, size: float, *, bold: bool = False, color: Color = BLACK) -> float:
        """Print footnote mark `label` ("4", "1,2", "10, 11") right after text of `size` ending at x."""
        if self.style.footnote_marks == "unicode" and set(label) <= _SUPERSCRIPTABLE:
            return self.text(x, bl, label.translate(SUPERSCRIPTS), size, bold=bold, color=color)
        mark_bold = bold and size >= BOLD_MARK_MIN_SIZE
        return self.text(
            x + MARK_GAP,
            bl - MARK_RAISE_RATIO * size,
            label,
            round(MARK_SIZE_RATIO * size, 2),
            bold=mark_bold,
            color=color,
        )

    def labelled(
        self,
        x: float,
        bl: float,
        text: str,
        size: float,
        mark: str | None,
        *,
        bold: bool = False,
        color: Color = BLACK,
        align: str = "left",
    ) -> float:
        """Text followed by an optional footnote mark, aligned as a whole; returns the end x."""
        if align != "left":
            total = self.width(text, size, bold) + (self.mark_width(mark, size, bold) if mark else 0.0)
            x = x - total if align == "right" else x - total / 2
        end = self.text(x, bl, text, size, bold=bold, color=color)
        if mark:
            end = self.mark(end, bl, mark, size, bold=bold, color=color)
        return end

    def mark_width(self, label: str, size: float, bold: bool = False) -> float:
        if self.style.footnote_marks == "unicode" and set(label) <= _SUPERSCRIPTABLE:
            return self.width(label.translate(SUPERSCRIPTS), size, bold)
        mark_bold = bold and size >= BOLD_MARK_MIN_SIZE
        return MARK_GAP + self.width(label, round(MARK_SIZE_RATIO * size, 2), mark_bold)

    def wrap(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """Greedy word wrap of `text` into lines no wider than `width` (a long word gets its own line)."""
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if current and self.width(candidate, size, bold) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
        return lines

    def wrap_parts(self, parts: Sequence[tuple[str, bool]], width: float, size: float) -> list[list[tuple[str, bool]]]:
        """Word-wrap runs of regular and bold text (a paragraph with bold figures in it) into lines of runs."""
        chars = [(ch, bold) for chunk, bold in parts for ch in chunk]
        words: list[list[tuple[str, bool]]] = [[]]
        for ch, bold in chars:
            if ch == " ":
                if words[-1]:
                    words.append([])
            else:
                words[-1].append((ch, bold))
        words = [w for w in words if w]
        lines: list[list[tuple[str, bool]]] = []
        current: list[tuple[str, bool]] = []
        for word in words:
            candidate = [*current, (" ", False), *word] if current else list(word)
            if current and self._parts_width(candidate, size) > width:
                lines.append(current)
                current = list(word)
            else:
                current = candidate
        if current:
            lines.append(current)
        return [self._runs_of(line) for line in lines]

    def _parts_width(self, chars: Sequence[tuple[str, bool]], size: float) -> float:
        return sum(self.width(text, size, bold) for text, bold in self._runs_of(chars))

    @staticmethod
    def _runs_of(chars: Sequence[tuple[str, bool]]) -> list[tuple[str, bool]]:
        runs: list[tuple[str, bool]] = []
        for index, (ch, bold) in enumerate(chars):
            if ch == " ":
                # A space between a bold figure and regular text belongs to the regular run, as in the samples.
                after = chars[index + 1][1] if index + 1 < len(chars) else bold
                before = chars[index - 1][1] if index else bold
                bold = before and after
            if runs and runs[-1][1] == bold:
                runs[-1] = (runs[-1][0] + ch, bold)
            else:
                runs.append((ch, bold))
        return runs

    # -- graphics -----------------------------------------------------------------------------

    def rect(
        self,
        x: float,
        top: float,
        w: float,
        h: float,
        *,
        fill: Color | None = None,
        stroke: Color | None = None,
        lw: float = 0.0,
    ) -> None:
        if fill is not None:
            self.c.setFillColor(fill)
        if stroke is not None:
            self.c.setStrokeColor(stroke)
            self.c.setLineWidth(lw)
        self.c.rect(self._x(x), self._y(top + h), w, h, stroke=int(stroke is not None), fill=int(fill is not None))

    def line(self, x0: float, top0: float, x1: float, top1: float, *, color: Color = BLACK, lw: float = 0.5) -> None:
        self.c.setStrokeColor(color)
        self.c.setLineWidth(lw)
        self.c.line(self._x(x0), self._y(top0), self._x(x1), self._y(top1))

    def polyline(self, points: Sequence[tuple[float, float]], *, color: Color, lw: float) -> None:
        path = self.c.beginPath()
        first, *rest = points
        path.moveTo(self._x(first[0]), self._y(first[1]))
        for x, top in rest:
            path.lineTo(self._x(x), self._y(top))
        self.c.setStrokeColor(color)
        self.c.setLineWidth(lw)
        self.c.drawPath(path, stroke=1, fill=0)

    def image(self, png: bytes, x: float, top: float, w: float, h: float) -> None:
        self.c.drawImage(ImageReader(io.BytesIO(png)), self._x(x), self._y(top + h), w, h)
