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
    rules: str = "grid"  # v2023 tables: "grid", "horizontal" or "none"


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

    def rule(self, x0: float, top: float, x1: float, bottom: float) -> None:
        self.pdf.setStrokeColorRGB(0.6, 0.6, 0.6)
        self.pdf.setLineWidth(0.5)
        self.pdf.line(x0 + self.dx, HEIGHT - top - self.dy, x1 + self.dx, HEIGHT - bottom - self.dy)

    def table_rules(self, columns: list[float], rows: list[float]) -> None:
        """Rules of a table whose column edges and row edges are given, in the style's rule style."""
        if self.style.rules == "none":
            return
        for y in rows:
            self.rule(columns[0], y, columns[-1], y)
        if self.style.rules == "grid":
            for x in columns:
                self.rule(x, rows[0], x, rows[-1])

    def cell(self, left: float, right: float, top: float, text: str, size: float, bold=False, align="left") -> None:
        """Text in a table cell (wrapped to its width, centred or left-aligned)."""
        for index, line in enumerate(self.wrap(text, size, right - left - 8, bold)):
            x = left + 4 if align == "left" else (left + right) / 2 - self.width(line, size, bold) / 2
            self.text(x, top + index * size * 1.15, line, size, bold)


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
    top = pen.paragraph(20, 32, f"Refugees and migrants present at the end of {name}:", 11, 380, True, BLUE)
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
    top = pen.paragraph(20, top + 6, text, 8.2, 380)
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


def _chart_and_nationalities(
    pen: _Pen,
    style: Style,
    figures: random.Random,
    truth: dict,
    year: int,
    month: int,
    chart_top: float,
    present: float,
    first_month: int,
) -> None:
    """The v2023 page-2 chart of persons present at each month end and the nationalities chart."""
    months = list(range(first_month, month + 1))
    base, step = chart_top + 200, 370 / len(months)
    for index, shown in enumerate(months):
        value = present if shown == month else figures.randint(40, 70) * 100
        left = 30 + step * index
        height = value / 7000 * 150
        pen.rect(left, base - height, left + step - 14, base, BLUE)
        centre = left + (step - 14) / 2
        pen.text(centre - pen.width(_figure(value), 6.8, True) / 2, base - height - 9, _figure(value), 6.8, True)
        label = _month_label(style, year, shown)
        parts = label.split() if pen.width(label, 6.5) > step - 2 else [label]
        for line, part in enumerate(parts):
            pen.text(centre - pen.width(part, 6.5) / 2, base + 4 + 7.5 * line, part, 6.5)
        if shown != month:
            end = _month_end(year, shown)
            truth[("persons_present", "WB", end, end, None, None)] = value


def build_v2023(path: Path, style: Style, year: int = 2023, month: int = 6) -> dict[tuple, float | None]:
    """Draw a two-page v2023 snapshot (tables instead of the arrivals chart) and return its figures."""
    figures = random.Random(style.seed + 11)
    name = calendar.month_name[month]
    end = _month_end(year, month)
    this_year, last_year = (dt.date(year, 1, 1), end), (dt.date(year - 1, 1, 1), _month_end(year - 1, month))
    truth: dict[tuple, float | None] = {}
    pdf = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    pen = _Pen(pdf, style)
    countries = [code for code in style.order if code != style.absent]
    arrivals = {code: [figures.randint(300, 14000), figures.randint(400, 39000)] for code in countries}
    if style.dash in arrivals:
        arrivals[style.dash][1] = None
    region = [sum(a[0] for a in arrivals.values()), sum(a[1] or 0 for a in arrivals.values())]

    def label_of(code: str) -> str:
        if code == "XKX":
            return KOSOVO[style.kosovo]
        return "BiH" if code == "BIH" and style.bih == "short" else NAMES[code]

    pen.rect(0, 0, WIDTH, 56, BLUE)
    pen.text(110, 14, "WESTERN BALKANS", 16, True, WHITE)
    pen.text(110, 34, "Refugees, asylum-seekers and other people in mixed movements", 11, False, WHITE)
    pen.text(660, 33, f"(as of end {name} {year})", 10, False, WHITE)
    pen.block()
    pen.text(20, 71, "Key figures", 12, True, BLUE)
    for index, (value, period) in enumerate(zip(region, (this_year, last_year), strict=True)):
        left = 20 + 195 * index
        pen.rect(left, 95, left + 185, 139, PANEL)
        pen.text(left + 10, 102, f"New arrivals January-{name} {period[0].year}", 7.2)
        pen.text(left + 10, 116, _figure(value), 20, True, BLUE)
        truth[("new_arrivals", "WB", *period, None, None)] = value
    pen.block()
    pen.text(20, 157, "Mixed movements", 10, True, BLUE)
    transits, change = figures.randint(50, 200) * 100, -figures.randint(5, 60)
    text = (
        f"From January to {name} {year}, an estimated {_figure(transits)} refugees and migrants transited through "
        f"the Western Balkans as part of mixed movements, {-change}% fewer than in the same period of {year - 1}. "
        "UNHCR uses data on arrivals to estimate how many persons are part of mixed movements."
    )
    top = pen.paragraph(20, 174, text, 8, 380)
    truth[("mixed_movement_transits", "WB", *this_year, None, None)] = transits
    truth[("mixed_movement_transits_change", "WB", *this_year, None, None)] = change
    pen.block()
    pen.text(20, top + 14, f"Asylum in {year}", 10, True, BLUE)
    top += 40
    intentions, applications = figures.randint(8000, 30000), figures.randint(300, 1500)
    ratio = round(applications / intentions * 100)
    columns = [20.0, 155.0, 275.0, 410.0]
    headers = ["Intentions to seek asylum", "Asylum applications", "Applications vs. intentions*"]
    pen.table_rules(columns, [top - 6, top + 12, top + 32])
    for left, right, header in zip(columns, columns[1:], headers, strict=False):
        pen.cell(left, right, top - 2, header, 8, True, "center" if left > 20 else "left")
    for left, right, value in zip(
        columns, columns[1:], (_figure(intentions), _figure(applications), f"{ratio}%"), strict=False
    ):
        pen.cell(left, right, top + 18, value, 8, True, "center" if left > 20 else "left")
    for indicator, value in (
        ("asylum_intentions", intentions),
        ("asylum_applications", applications),
        ("asylum_application_intention_ratio", ratio),
    ):
        truth[(indicator, "WB", *this_year, None, None)] = value
    pen.paragraph(
        20,
        top + 41,
        "* Albania, Bosnia and Herzegovina, Montenegro and Serbia register an intention "
        "to seek asylum before the application.",
        6.5,
        390,
    )
    pen.block()
    pen.text(440, 71, "New arrivals by country", 12, True, BLUE)
    columns = [440.0, 610.0, 710.0, 810.0]
    rows = [95.0, 123.0]
    pen.cell(columns[0], columns[1], 106, "Country", 8, True)
    for left, right, period in zip(columns[1:], columns[2:], (this_year, last_year), strict=False):
        pen.cell(left, right, 101, f"January-{name} {period[0].year}", 8, True, "center")
    top = 128.5
    for code in [*countries, "TOTAL"]:
        label = "Total" if code == "TOTAL" else label_of(code)
        lines = pen.wrap(label, 8, columns[1] - columns[0] - 8)
        height = max(18.0, 9.2 * len(lines) + 8)
        pen.cell(
            columns[0], columns[1], top + (18 - 9.2 * len(lines)) / 2 + (height - 18) / 2, label, 8, code == "TOTAL"
        )
        values = region if code == "TOTAL" else arrivals[code]
        for left, right, value, period in zip(columns[1:], columns[2:], values, (this_year, last_year), strict=False):
            pen.cell(left, right, top + (height - 18) / 2, _figure(value), 8, code == "TOTAL", "center")
            if code != "TOTAL":
                truth[("new_arrivals", code, *period, None, None)] = value
        top += height
        rows.append(top - 4.5)
    pen.table_rules(columns, rows)
    pen.paragraph(
        440,
        top + 6,
        "Note: Data presented in this dashboard is collected by UNHCR in the Western Balkans, "
        "including data collected through Border Protection Monitoring (BPM). This data should not be "
        "considered final and may change.",
        6.5,
        370,
    )
    pen.text(20, 580, "* Security Council Resolution 1244 (1999)", 6.5)
    pdf.showPage()

    pen.rect(0, 0, WIDTH, 8, BLUE)
    pen.block()
    pen.text(20, 32, f"Persons present at the end of {name} {year}", 11, True, BLUE)
    shares = {"ALB": 8, "BIH": 34.5, "XKX": 13.5, "MNE": 9, "MKD": 4.5, "SRB": 30.5}
    present = figures.randint(30, 60) * 100
    persons = {code: round(present * share / 100) for code, share in shares.items() if code != style.absent}
    uasc = figures.randint(50, 300)
    text = (
        f"A total of {_figure(present)} refugees and migrants were present in the Western Balkans at the end of "
        f"{name} {year}, including {uasc} unaccompanied and separated children (UASC)."
    )
    pen.paragraph(20, 52, text, 8.2, 380)
    truth[("persons_present", "WB", end, end, None, None)] = present
    columns = [20.0, 185.0, 283.0, 380.0]
    pen.rect(20, 85, 380, 103, PANEL)
    pen.cell(columns[1], columns[2], 91.5, "Persons present", 8, True, "center")
    pen.cell(columns[2], columns[3], 91.5, "Share", 8, True, "center")
    top, rows = 108.5, [85.0, 103.0]
    for code in [c for c in style.order if c in persons] + ["WB"]:
        label = "Western Balkans" if code == "WB" else label_of(code)
        pen.cell(columns[0], columns[1], top, label, 8, code == "WB")
        pen.cell(
            columns[1], columns[2], top, _figure(present if code == "WB" else persons[code]), 8, code == "WB", "center"
        )
        if code != "WB":
            pen.cell(columns[2], columns[3], top, f"{shares[code]}%", 8, False, "center")
            truth[("persons_present", code, end, end, None, None)] = persons[code]
            truth[("persons_present_share", code, end, end, None, None)] = shares[code]
        top += 17
        rows.append(top - 4)
    pen.table_rules(columns, rows)
    pen.block()
    pen.text(20, top + 16, f"Persons present at the end of each month, {year}", 10, True, BLUE)
    _chart_and_nationalities(pen, style, figures, truth, year, month, top + 40, present, 1)
    pen.block()
    pen.text(450, 32, "Main nationalities of persons present", 11, True, BLUE)
    top = 64.0
    for rank, (code, share) in enumerate((("SYR", 30), ("MAR", 19), ("PAK", 14), ("EGY", 12), ("TUR", 8)), start=1):
        nationality = {"PAK": "Pakistan", "TUR": "Türkiye" if style.nationalities == "official" else "Turkey"}.get(
            code
        ) or NATIONALITIES[style.nationalities][code]
        pen.text(450, top + 4, nationality, 7.8)
        pen.rect(555, top, 555 + share * 6, top + 16, BLUE)
        pen.text(555 + share * 6 + 3, top + 9, f"{share}%", 7.3, True)
        truth[("persons_present_nationality_share", "WB", end, end, f"nationality:{code}", rank)] = share
        top += 23
    pen.block()
    pen.rect(438, top + 20, 768, top + 70, PANEL)
    pen.text(462, top + 28, "Unaccompanied and separated children (UASC)", 8.5)
    pen.text(462, top + 42, str(uasc), 18, True, BLUE)
    truth[("uasc_present", "WB", end, end, None, None)] = uasc
    pen.text(741, 580, "UNHCR Western Balkans", 6.5)
    pdf.showPage()
    pdf.save()
    return truth
