"""Builder of v2024 UNHCR snapshot variants with known figures, for reader tests beyond the samples.

A compact stand-in for the project's variant generator: it draws the v2024 layout with reportlab
in a chosen style (font, tracking, jitter, country order, BiH, Kosovo spellings, nationality
names, footnote marks, fake bold, month label style, an absent country, a '-' value) and returns
the figures it printed, keyed like `Fact.key[1:]`. Text is laid out and wrapped with the style's
real glyph widths, so wider fonts and tracking wrap labels as a typesetter would.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import random
from pathlib import Path

import reportlab
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = landscape(A4)
BLUE = (0.0, 0.447, 0.737)
LIGHT = (0.61, 0.76, 0.9)
PANEL = (0.945, 0.96, 0.98)
WHITE = (1.0, 1.0, 1.0)

_REPORTLAB_FONTS = Path(reportlab.__file__).parent / "fonts"
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
#: Font families by style name: regular and bold face, and the TTF files to register (if any).
FONTS: dict[str, tuple[str, str, dict[str, Path]]] = {
    "helvetica": ("Helvetica", "Helvetica-Bold", {}),
    "times": ("Times-Roman", "Times-Bold", {}),
    "vera": ("Vera", "VeraBd", {"Vera": _REPORTLAB_FONTS / "Vera.ttf", "VeraBd": _REPORTLAB_FONTS / "VeraBd.ttf"}),
    "dejavu": (
        "DejaVuSans",
        "DejaVuSans-Bold",
        {"DejaVuSans": _DEJAVU / "DejaVuSans.ttf", "DejaVuSans-Bold": _DEJAVU / "DejaVuSans-Bold.ttf"},
    ),
}
NAMES = {"ALB": "Albania", "BIH": "Bosnia and Herzegovina", "MNE": "Montenegro", "MKD": "North Macedonia"}
NAMES["SRB"] = "Serbia"
KOSOVO = {
    "star": "Kosovo*",
    "raised": "Kosovo",  # followed by a raised footnote mark "4"
    "unicode": "Kosovo⁴",
    "unscr": "Kosovo (UNSCR 1244)",
    "sres": "Kosovo (S/RES/1244 (1999))",
}
NATIONALITIES = {
    "official": {
        "AFG": "Afghanistan",
        "SYR": "Syrian Arab Republic",
        "MAR": "Morocco",
        "PSE": "Occupied Palestinian Territory",
    },
    "short": {"AFG": "Afghanistan", "SYR": "Syria", "MAR": "Morocco", "PSE": "Palestine"},
}
NATIONALITIES["official"]["EGY"] = NATIONALITIES["short"]["EGY"] = "Egypt"


def font_available(name: str) -> bool:
    """Whether the files of a font style are on this machine (DejaVu comes from fonts-dejavu-core)."""
    return all(path.exists() for path in FONTS[name][2].values())


@dataclasses.dataclass(frozen=True)
class Style:
    """How a variant issue is printed."""

    font: str = "helvetica"
    tracking: float = 0.0
    jitter: float = 0.0
    seed: int = 0
    order: tuple[str, ...] = ("ALB", "BIH", "XKX", "MNE", "MKD", "SRB")
    kosovo: str = "star"
    bih: str = "full"
    nationalities: str = "official"
    unicode_marks: bool = False
    fake_bold: bool = False
    months: str = "Mon YYYY"
    absent: str | None = None
    dash: str | None = None


class _Pen:
    """Draws text and boxes in pdfplumber coordinates (top-left origin), one jitter offset per block."""

    def __init__(self, pdf: canvas.Canvas, style: Style) -> None:
        self.pdf, self.style = pdf, style
        self.random = random.Random(style.seed)
        self.dx = self.dy = 0.0
        regular, bold, files = FONTS[style.font]
        for name, path in files.items():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        self.faces = (regular, bold)

    def block(self) -> None:
        jitter = self.style.jitter
        self.dx, self.dy = self.random.uniform(-jitter, jitter), self.random.uniform(-jitter, jitter)

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return pdfmetrics.stringWidth(text, self.faces[bold], size) + self.style.tracking * len(text)

    def text(self, x: float, top: float, text: str, size: float, bold: bool = False, color=(0, 0, 0)) -> float:
        """Draw `text` with its box top at `top`; return the x where it ends."""
        baseline = HEIGHT - (top + self.dy) - size * 0.8
        for offset in (0.0, 0.25) if bold and self.style.fake_bold else (0.0,):
            line = self.pdf.beginText()
            line.setFont(self.faces[bold], size)
            line.setCharSpace(self.style.tracking)
            line.setFillColorRGB(*color)
            line.setTextOrigin(x + self.dx + offset, baseline)
            line.textOut(text)
            self.pdf.drawText(line)
        return x + self.width(text, size, bold)

    def mark(self, x: float, top: float, mark: str, size: float) -> float:
        """A footnote mark after a word: Unicode superscripts, or smaller raised text."""
        if self.style.unicode_marks and mark.isdigit():
            return self.text(x, top, mark.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")), size)
        return self.text(x + 0.3, top - size * 0.05, mark, size * 0.58)

    def wrap(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        lines, current = [], ""
        for word in text.split():
            candidate = f"{current} {word}".strip()
            if current and self.width(candidate, size, bold) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        return [*lines, current]

    def paragraph(self, x: float, top: float, text: str, size: float, width: float, bold=False, color=(0, 0, 0)):
        """Wrapped lines of `text`; returns the top of the next line."""
        for line in self.wrap(text, size, width, bold):
            self.text(x, top, line, size, bold, color)
            top += size * 1.3
        return top

    def rect(self, x0: float, top: float, x1: float, bottom: float, color) -> None:
        self.pdf.setFillColorRGB(*color)
        self.pdf.rect(x0 + self.dx, HEIGHT - bottom - self.dy, x1 - x0, bottom - top, stroke=0, fill=1)


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _month_label(style: Style, year: int, month: int) -> str:
    short = calendar.month_abbr[month]
    return {
        "Mon YYYY": f"{short} {year}",
        "Mon-YY": f"{short}-{year % 100:02d}",
        "MON YY": f"{short.upper()} {year % 100:02d}",
        "Month YYYY": f"{calendar.month_name[month]} {year}",
    }[style.months]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def build(path: Path, style: Style, year: int = 2024, month: int = 12) -> dict[tuple, float | None]:
    """Draw a two-page v2024 snapshot for `month` in `style` at `path`; return the figures it prints."""
    figures = random.Random(style.seed + 7)
    name = calendar.month_name[month]
    end = _month_end(year, month)
    this_year, last_year = (dt.date(year, 1, 1), end), (dt.date(year - 1, 1, 1), _month_end(year - 1, month))
    truth: dict[tuple, float | None] = {}
    pdf = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    pen = _Pen(pdf, style)
    countries = [code for code in style.order if code != style.absent]
    arrivals = {code: [figures.randint(900, 15000), figures.randint(1000, 34000)] for code in countries}
    if style.dash in arrivals:
        arrivals[style.dash][1] = None
    region = [sum(a[0] for a in arrivals.values()) + 500, sum(a[1] or 0 for a in arrivals.values()) + 700]

    # Page 1: banner, key figures, mixed movements, asylum; arrivals chart; note panel.
    pen.rect(0, 0, WIDTH, 56, BLUE)
    pen.text(110, 13, "WESTERN BALKANS", 16, True, WHITE)
    pen.text(110, 33, "Refugees, asylum-seekers and other people in mixed movements", 11, False, WHITE)
    pen.text(660, 33, f"As of end {name} {year}", 10, False, WHITE)
    pen.block()
    pen.text(20, 71, "Key figures at Regional level", 12, True, BLUE)
    x = pen.mark(pen.text(20, 93, "New arrivals", 8), 93, "1", 8)
    pen.text(x, 93, f": January-{name} {year} vs. January-{name} {year - 1}", 8)
    for index, (value, period) in enumerate(zip(region, (this_year, last_year), strict=True)):
        left = 20 + 185 * index
        pen.rect(left, 107, left + 175, 153, PANEL)
        pen.text(left + 10, 116, _figure(value), 22, True, BLUE)
        pen.text(left + 10, 141, f"January-{name} {period[0].year} (Western Balkans*)", 7)
        truth[("new_arrivals", "WB", *period, None, None)] = value
    pen.block()
    heading = f"Estimation of Persons of concern in Mixed Movements in the region as of {end.day} {name}:"
    top = pen.paragraph(20, 172, heading, 9.5, 365, True, BLUE)
    transits, change = figures.randint(100, 300) * 100, -figures.randint(5, 60)
    text = (
        f"Between January and {name}, some {_figure(transits)} refugees and migrants were estimated to have "
        f"transited through the Western Balkans as part of mixed movements, {-change}% less than in the same "
        "period last year. Given the nature of movement of these persons, including as a result of pushbacks "
        "and/or reverse flow, UNHCR uses data on arrivals to estimate how many persons are a part of mixed "
        "movements in a given time period."
    )
    top = pen.paragraph(20, top + 5, text, 8, 365)
    truth[("mixed_movement_transits", "WB", *this_year, None, None)] = transits
    truth[("mixed_movement_transits_change", "WB", *this_year, None, None)] = change
    pen.block()
    pen.text(20, top + 12, f"Asylum statistics in the Western Balkans in {year}:", 9.5, True, BLUE)
    top += 34
    pen.rect(20, top - 8, 390, top + 20, PANEL)
    intentions, applications = figures.randint(10000, 30000), figures.randint(500, 1500)
    ratio = round(applications / intentions * 100)
    scale = 1.0
    sample = "Intentions to seek asylum: New asylum applications: Application vs. Intention**** 100%"
    while pen.width(sample, 5.8 * scale) + 3 * pen.width("00,000", 8.8 * scale) + 40 > 360:
        scale -= 0.05  # the line is set smaller rather than run out of its box
    x = pen.text(26, top + 2, "Intentions to seek asylum:", 5.8 * scale)
    x = pen.text(x + 2, top, _figure(intentions), 8.8 * scale, True, BLUE)
    x = pen.text(x + 10, top + 2, "New asylum applications:", 5.8 * scale, True)
    x = pen.text(x + 2, top, _figure(applications), 8.8 * scale, True, BLUE)
    x = pen.mark(pen.text(x + 10, top + 2, "Application vs. Intention", 5.8 * scale), top + 2, "****", 5.8 * scale)
    pen.text(x + 2, top, f"{ratio}%", 8.8 * scale, True, BLUE)
    for indicator, value in (
        ("asylum_intentions", intentions),
        ("asylum_applications", applications),
        ("asylum_application_intention_ratio", ratio),
    ):
        truth[(indicator, "WB", *this_year, None, None)] = value
    pen.text(20, top + 27, "To explore asylum data, please visit Western Balkans Asylum Dashboard", 7, False, BLUE)
    pen.paragraph(20, top + 42, "* Includes Serbia and Kosovo (S/RES/1244 [1999]).", 6.3, 365)
    pen.block()
    top = pen.paragraph(405, 72, f"New Arrivals to each country between January and {name}", 10, 225, True, BLUE)
    top += 8
    pen.rect(405, top, 413, top + 8, BLUE)
    x = pen.text(416, top, f"January-{name} {year}", 7)
    pen.rect(x + 12, top, x + 20, top + 8, LIGHT)
    pen.text(x + 23, top, f"January-{name} {year - 1}", 7)
    top += 20
    unit = 125 / max(max(a[0], a[1] or 0) for a in arrivals.values())
    for code in countries:
        label = NAMES.get(code, KOSOVO[style.kosovo])
        if code == "BIH" and style.bih == "short":
            label = "BiH"
        lines = pen.wrap(label, 7.2, 88)
        for index, line in enumerate(lines):
            line_top = top + 6.4 - (len(lines) - 1) * 4.5 + index * 9
            x = pen.text(405, line_top, line, 7.2)
            if code == "XKX" and style.kosovo == "raised":
                pen.mark(x, line_top, "4", 7.2)
        for index, (value, color, period) in enumerate(
            zip(arrivals[code], (BLUE, LIGHT), (this_year, last_year), strict=True)
        ):
            bar_top = top + 1 + 10.5 * index
            length = (value or 0) * unit
            pen.rect(497, bar_top, 497 + length, bar_top + 9, color)
            pen.text(497 + length + 3, bar_top + 1, _figure(value), 6.7, index == 0)
            truth[("new_arrivals", code, *period, None, None)] = value
        top += 26.5
    footnote = (
        "Includes Serbia and Kosovo (S/RES/1244 [1999]). The boundaries and names shown do not imply endorsement."
    )
    pen.paragraph(405, top + 4, footnote, 6.3, 235)
    pen.block()
    pen.rect(656, 74, 828, 324, PANEL)
    note = (
        "Note: Data presented in this dashboard is collected by UNHCR in the Western Balkans, including data "
        "collected through Border Protection Monitoring (BPM), as well as monthly arrivals and asylum statistics "
        "provided by authorities in each country. This data should not be considered final and may change."
    )
    pen.paragraph(662, 85, note, 6.8, 155)
    pen.text(741, 580, "UNHCR Western Balkans", 6.5)
    pdf.showPage()

    # Page 2: persons present (prose, by-month chart); nationalities; UASC.
    pen.rect(0, 0, WIDTH, 8, BLUE)
    pen.block()
    pen.text(20, 32, f"Refugees and migrants present at the end of {name}:", 11, True, BLUE)
    present, uasc = figures.randint(20, 60) * 100, figures.randint(50, 300)
    shares = {"SRB": 35, "BIH": 34.5, "XKX": 12, "ALB": 7, "MNE": 7, "MKD": 4.5}
    place = {code: NAMES.get(code, "Kosovo") for code in shares}
    if style.bih == "short":
        place["BIH"] = "BiH"
    if style.kosovo in ("unscr", "sres", "unicode"):
        place["XKX"] = KOSOVO[style.kosovo]
    text = (
        f"Some {_figure(present)} persons were present in the Western Balkans as of end {name} {year}, including "
        f"{uasc} unaccompanied and separated children (UASC). Of these, 35% were present in {place['SRB']}, "
        f"followed by {place['BIH']} (34.5%), {place['XKX']} (12%), {place['ALB']} and {place['MNE']} (7% each) "
        f"and {place['MKD']} (4.5%)."
    )
    top = pen.paragraph(20, 52, text, 8.2, 380)
    truth[("persons_present", "WB", end, end, None, None)] = present
    for code, share in shares.items():
        truth[("persons_present_share", code, end, end, None, None)] = share
    top = pen.paragraph(20, top + 6, "This also includes persons present outside government-run centres.", 7.5, 380)
    pen.block()
    heading = "Refugees and migrants present at the end of reporting period by month:"
    top = pen.paragraph(20, top + 20, heading, 10, 370, True, BLUE)
    base, step = top + 235, 370 / 12
    for index in range(12):
        shown_year, shown_month = (
            (year, month - 11 + index) if month - 11 + index > 0 else (year - 1, month + 1 + index)
        )
        value = present if (shown_year, shown_month) == (year, month) else figures.randint(20, 70) * 100
        left = 30 + step * index
        height = value / 7000 * 180
        pen.rect(left, base - height, left + step - 10, base, BLUE)
        centre = left + (step - 10) / 2
        pen.text(centre - pen.width(_figure(value), 6.5, True) / 2, base - height - 9, _figure(value), 6.5, True)
        label = _month_label(style, shown_year, shown_month)
        parts = label.split() if pen.width(label, 5.8) > step - 2 else [label]
        for line, part in enumerate(parts):
            pen.text(centre - pen.width(part, 5.8) / 2, base + 4 + 7 * line, part, 5.8)
        if (shown_year, shown_month) != (year, month):
            shown_end = _month_end(shown_year, shown_month)
            truth[("persons_present", "WB", shown_end, shown_end, None, None)] = value
    pen.block()
    heading = f"Most common nationalities of Refugees and migrants present at the end of {name}"
    heading += " in the Western Balkans region:"
    top = pen.paragraph(430, 32, heading, 10, 385, True, BLUE) + 8
    for rank, (code, share) in enumerate((("AFG", 28), ("SYR", 23), ("MAR", 17), ("PSE", 12), ("EGY", 7)), start=1):
        pen.text(430, top + 3, NATIONALITIES[style.nationalities][code], 7.8)
        pen.rect(550, top, 550 + share * 7, top + 16, BLUE)
        pen.text(550 + share * 7 + 3, top + 7.5, f"{share}%", 7.3, True)
        truth[("persons_present_nationality_share", "WB", end, end, f"nationality:{code}", rank)] = share
        top += 23
    pen.block()
    heading = "Number of unaccompanied or separated children present at end of the reporting period:"
    pen.paragraph(430, top + 20, heading, 10, 280, True, BLUE)
    pen.rect(740, top + 13, 810, top + 53, PANEL)
    pen.text(760, top + 24, str(uasc), 22, True, BLUE)
    truth[("uasc_present", "WB", end, end, None, None)] = uasc
    pen.text(20, 580, "* Security Council Resolution 1244 (1999)", 6.5)
    pen.text(741, 580, "UNHCR Western Balkans", 6.5)
    pdf.showPage()
    pdf.save()
    return truth
