"""The UNHCR v2024 and v2023 snapshot: a compact two-page issue with known figures, for reader tests.

Synthetic: every PDF drawn here is an imitation for tests, not a real report. It is drawn with the
variant generator's `Pen` and `Style` (one vocabulary of knobs: `font`, `tracking`, `jitter`,
`jitter_seed`, `country_order`, `kosovo`, `bih_label`, `nat_names`, `footnote_marks`, `fake_bold`,
`month_labels`, `table_rules`, `nil_dash`), plus two facts of the data rather than of the style: a
place left `absent` from the tables and charts, and a place whose previous-year figure is `nil`.
`build` and `build_v2023` return the figures they printed, keyed like `Fact.key[1:]`. Text is laid
out and wrapped with the style's real glyph widths, so wider fonts and tracking wrap labels as a
typesetter would.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import random
from pathlib import Path
from typing import NamedTuple

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from .canvas import BLACK, WHITE, Pen
from .labels import kosovo_mark, month_label, nationality_name, number, place_name
from .style import Style

WIDTH, HEIGHT = landscape(A4)
BLUE = Color(0.0, 0.447, 0.737)
LIGHT = Color(0.61, 0.76, 0.9)
PANEL = Color(0.945, 0.96, 0.98)
RULE = Color(0.6, 0.6, 0.6)
#: The snapshot's own defaults: Kosovo starred, the places in this order.
ORDER = ("ALB", "BIH", "XKX", "MNE", "MKD", "SRB")


def snapshot_style(**knobs) -> Style:
    """A `Style` with the snapshot's defaults (`kosovo="star"`, `country_order=ORDER`) under `knobs`."""
    return Style(**{"kosovo": "star", "country_order": ORDER, **knobs})


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """One snapshot to draw: its style, the seed of its figures, and what its data lacks."""

    style: Style = dataclasses.field(default_factory=snapshot_style)
    seed: int = 0
    #: A place printed in no table or chart (its figures are then unreadable, never read shorter).
    absent: str | None = None
    #: A place whose previous-year arrivals are printed as `style.nil_dash`.
    nil: str | None = None


class SnapshotPen(Pen):
    """`Pen` placed by each text's top (the snapshot was laid out that way) and moved block by block."""

    #: Every bold run is doubled under `fake_bold`, headings and chart values too.
    fake_bold_min_size = 0.0
    #: A text's baseline sits this fraction of its size below its top.
    BASELINE = 0.8

    def __init__(self, pdf: canvas.Canvas, style: Style) -> None:
        super().__init__(pdf, WIDTH, HEIGHT, style)

    def move(self) -> None:
        """Start the next block: it moves by the style's jitter until the next one starts."""
        self.dx, self.dy = self.jitter_offset()

    def write(self, x: float, top: float, text: str, size: float, bold: bool = False, color: Color = BLACK) -> float:
        """Draw `text` with its top at `top`; return the x where it ends."""
        return self.text(x, top + self.BASELINE * size, text, size, bold=bold, color=color)

    def note(self, x: float, top: float, mark: str, size: float) -> float:
        """A footnote mark after text of `size` whose top is `top`."""
        return self.mark(x, top + self.BASELINE * size, mark, size)

    def lines(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        return self.wrap(text, width, size, bold)

    def paragraph(self, x, top, text, size, width, bold=False, color=BLACK) -> float:
        """Wrapped lines of `text`; returns the top of the next line."""
        for line in self.lines(text, size, width, bold):
            self.write(x, top, line, size, bold, color)
            top += size * 1.3
        return top

    def box(self, x0: float, top: float, x1: float, bottom: float, color: Color) -> None:
        self.rect(x0, top, x1 - x0, bottom - top, fill=color)

    def table_rules(self, columns: list[float], rows: list[float]) -> None:
        """Rules of a table whose column edges and row edges are given, in the style's `table_rules`."""
        if self.style.table_rules == "none":
            return
        for y in rows:
            self.line(columns[0], y, columns[-1], y, color=RULE)
        if self.style.table_rules == "grid":
            for x in columns:
                self.line(x, rows[0], x, rows[-1], color=RULE)

    def cell(self, left: float, right: float, top: float, text: str, size: float, bold=False, align="left") -> None:
        """Text in a table cell (wrapped to its width, centred or left-aligned)."""
        for index, line in enumerate(self.lines(text, size, right - left - 8, bold)):
            x = left + 4 if align == "left" else (left + right) / 2 - self.width(line, size, bold) / 2
            self.write(x, top + index * size * 1.15, line, size, bold)


def _table_place(code: str, style: Style) -> str:
    """A place as a table names it: Kosovo's footnote mark is printed only in Unicode."""
    unicode_mark = kosovo_mark(code, style) and style.footnote_marks == "unicode"
    return place_name(code, style) + ("⁴" if unicode_mark else "")


def _prose_place(code: str, style: Style) -> str:
    """A place as the page-2 prose names it: as in a table, but Kosovo without its star."""
    return "Kosovo" if code == "XKX" and style.kosovo == "star" else _table_place(code, style)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _banner(pen: SnapshotPen, title_top: float, as_of: str) -> None:
    """The page-1 banner (title, subtitle, date), then the first block."""
    pen.box(0, 0, WIDTH, 56, BLUE)
    pen.write(110, title_top, "WESTERN BALKANS", 16, True, WHITE)
    pen.write(110, title_top + 20, "Refugees, asylum-seekers and other people in mixed movements", 11, False, WHITE)
    pen.write(660, 33, as_of, 10, False, WHITE)
    pen.move()


class _Bars(NamedTuple):
    """How a chart of persons present by month is drawn: baseline, slot width, gap, sizes."""

    base: float
    step: float
    gap: float
    height: float
    value_size: float
    label_size: float
    lead: float


def _month_chart(pen: SnapshotPen, truth: dict, months: list, present: float, draw, bars: _Bars) -> None:
    """Bars of persons present at each month end, the last month's being `present`, the others `draw()`n."""
    for index, (shown_year, shown_month) in enumerate(months):
        current = index == len(months) - 1
        value = present if current else draw()
        left = 30 + bars.step * index
        height = value / 7000 * bars.height
        pen.box(left, bars.base - height, left + bars.step - bars.gap, bars.base, BLUE)
        centre = left + (bars.step - bars.gap) / 2
        figure, size = number(value), bars.value_size
        pen.write(centre - pen.width(figure, size, True) / 2, bars.base - height - 9, figure, size, True)
        label = month_label(shown_year, shown_month, pen.style)
        parts = label.split() if pen.width(label, bars.label_size) > bars.step - 2 else [label]
        for line, part in enumerate(parts):
            top = bars.base + 4 + bars.lead * line
            pen.write(centre - pen.width(part, bars.label_size) / 2, top, part, bars.label_size)
        if not current:
            end = _month_end(shown_year, shown_month)
            truth[("persons_present", "WB", end, end, None, None)] = value


class _Draft(NamedTuple):
    """What both layouts start from: the style, the figures' random source, the month, the pen, the arrivals."""

    style: Style
    figures: random.Random
    name: str
    end: dt.date
    this_year: tuple[dt.date, dt.date]
    last_year: tuple[dt.date, dt.date]
    truth: dict[tuple, float | None]
    pdf: canvas.Canvas
    pen: SnapshotPen
    arrivals: dict[str, list[int | None]]


def _draft(path: Path, snapshot: Snapshot, year: int, month: int, salt: int, this: tuple, last: tuple) -> _Draft:
    """Open the PDF and draw each printed place's arrivals this year and last (`nil` has none last year)."""
    figures = random.Random(snapshot.seed + salt)
    end = _month_end(year, month)
    pdf = canvas.Canvas(str(path), pagesize=(WIDTH, HEIGHT))
    places = [code for code in snapshot.style.country_order if code != snapshot.absent]
    arrivals: dict[str, list[int | None]] = {code: [figures.randint(*this), figures.randint(*last)] for code in places}
    if snapshot.nil in arrivals:
        arrivals[snapshot.nil][1] = None
    periods = (dt.date(year, 1, 1), end), (dt.date(year - 1, 1, 1), _month_end(year - 1, month))
    pen = SnapshotPen(pdf, snapshot.style)
    return _Draft(snapshot.style, figures, calendar.month_name[month], end, *periods, {}, pdf, pen, arrivals)


def build(path: Path, snapshot: Snapshot, year: int = 2024, month: int = 12) -> dict[tuple, float | None]:
    """Draw a two-page v2024 snapshot for `month` at `path`; return the figures it prints."""
    draft = _draft(path, snapshot, year, month, 7, (900, 15000), (1000, 34000))
    style, figures, name, end, this_year, last_year, truth, pdf, pen, arrivals = draft
    countries = list(arrivals)
    region = [sum(a[0] for a in arrivals.values()) + 500, sum(a[1] or 0 for a in arrivals.values()) + 700]

    # Page 1: banner, key figures, mixed movements, asylum; arrivals chart; note panel.
    _banner(pen, 13, f"As of end {name} {year}")
    pen.write(20, 71, "Key figures at Regional level", 12, True, BLUE)
    x = pen.note(pen.write(20, 93, "New arrivals", 8), 93, "1", 8)
    pen.write(x, 93, f": January-{name} {year} vs. January-{name} {year - 1}", 8)
    for index, (value, period) in enumerate(zip(region, (this_year, last_year), strict=True)):
        left = 20 + 185 * index
        pen.box(left, 107, left + 175, 153, PANEL)
        pen.write(left + 10, 116, number(value), 22, True, BLUE)
        pen.write(left + 10, 141, f"January-{name} {period[0].year} (Western Balkans*)", 7)
        truth[("new_arrivals", "WB", *period, None, None)] = value
    pen.move()
    heading = f"Estimation of Persons of concern in Mixed Movements in the region as of {end.day} {name}:"
    top = pen.paragraph(20, 172, heading, 9.5, 365, True, BLUE)
    transits, change = figures.randint(100, 300) * 100, -figures.randint(5, 60)
    text = (
        f"Between January and {name}, some {number(transits)} refugees and migrants were estimated to have "
        f"transited through the Western Balkans as part of mixed movements, {-change}% less than in the same "
        "period last year. Given the nature of movement of these persons, including as a result of pushbacks "
        "and/or reverse flow, UNHCR uses data on arrivals to estimate how many persons are a part of mixed "
        "movements in a given time period."
    )
    top = pen.paragraph(20, top + 5, text, 8, 365)
    truth[("mixed_movement_transits", "WB", *this_year, None, None)] = transits
    truth[("mixed_movement_transits_change", "WB", *this_year, None, None)] = change
    pen.move()
    pen.write(20, top + 12, f"Asylum statistics in the Western Balkans in {year}:", 9.5, True, BLUE)
    top += 34
    pen.box(20, top - 8, 390, top + 20, PANEL)
    intentions, applications = figures.randint(10000, 30000), figures.randint(500, 1500)
    ratio = round(applications / intentions * 100)
    scale = 1.0
    sample = "Intentions to seek asylum: New asylum applications: Application vs. Intention**** 100%"
    while pen.width(sample, 5.8 * scale) + 3 * pen.width("00,000", 8.8 * scale) + 40 > 360:
        scale -= 0.05  # the line is set smaller rather than run out of its box
    x = pen.write(26, top + 2, "Intentions to seek asylum:", 5.8 * scale)
    x = pen.write(x + 2, top, number(intentions), 8.8 * scale, True, BLUE)
    x = pen.write(x + 10, top + 2, "New asylum applications:", 5.8 * scale, True)
    x = pen.write(x + 2, top, number(applications), 8.8 * scale, True, BLUE)
    x = pen.note(pen.write(x + 10, top + 2, "Application vs. Intention", 5.8 * scale), top + 2, "****", 5.8 * scale)
    pen.write(x + 2, top, f"{ratio}%", 8.8 * scale, True, BLUE)
    for indicator, value in (
        ("asylum_intentions", intentions),
        ("asylum_applications", applications),
        ("asylum_application_intention_ratio", ratio),
    ):
        truth[(indicator, "WB", *this_year, None, None)] = value
    pen.write(20, top + 27, "To explore asylum data, please visit Western Balkans Asylum Dashboard", 7, False, BLUE)
    pen.paragraph(20, top + 42, "* Includes Serbia and Kosovo (S/RES/1244 [1999]).", 6.3, 365)
    pen.move()
    top = pen.paragraph(405, 72, f"New Arrivals to each country between January and {name}", 10, 225, True, BLUE)
    top += 8
    pen.box(405, top, 413, top + 8, BLUE)
    x = pen.write(416, top, f"January-{name} {year}", 7)
    pen.box(x + 12, top, x + 20, top + 8, LIGHT)
    pen.write(x + 23, top, f"January-{name} {year - 1}", 7)
    top += 20
    unit = 125 / max(max(a[0], a[1] or 0) for a in arrivals.values())
    for code in countries:
        lines = pen.lines(place_name(code, style), 7.2, 88)
        for index, line in enumerate(lines):
            line_top = top + 6.4 - (len(lines) - 1) * 4.5 + index * 9
            x = pen.write(405, line_top, line, 7.2)
            if kosovo_mark(code, style):
                pen.note(x, line_top, "4", 7.2)
        for index, (value, color, period) in enumerate(
            zip(arrivals[code], (BLUE, LIGHT), (this_year, last_year), strict=True)
        ):
            bar_top = top + 1 + 10.5 * index
            length = (value or 0) * unit
            pen.box(497, bar_top, 497 + length, bar_top + 9, color)
            pen.write(497 + length + 3, bar_top + 1, number(value), 6.7, index == 0)
            truth[("new_arrivals", code, *period, None, None)] = value
        top += 26.5
    footnote = (
        "Includes Serbia and Kosovo (S/RES/1244 [1999]). The boundaries and names shown do not imply endorsement."
    )
    pen.paragraph(405, top + 4, footnote, 6.3, 235)
    pen.move()
    pen.box(656, 74, 828, 324, PANEL)
    note = (
        "Note: Data presented in this dashboard is collected by UNHCR in the Western Balkans, including data "
        "collected through Border Protection Monitoring (BPM), as well as monthly arrivals and asylum statistics "
        "provided by authorities in each country. This data should not be considered final and may change."
    )
    pen.paragraph(662, 85, note, 6.8, 155)
    pen.write(741, 580, "UNHCR Western Balkans", 6.5)
    pdf.showPage()

    # Page 2: persons present (prose, by-month chart); nationalities; UASC.
    pen.box(0, 0, WIDTH, 8, BLUE)
    pen.move()
    top = pen.paragraph(20, 32, f"Refugees and migrants present at the end of {name}:", 11, 380, True, BLUE)
    present, uasc = figures.randint(20, 60) * 100, figures.randint(50, 300)
    shares = {"SRB": 35, "BIH": 34.5, "XKX": 12, "ALB": 7, "MNE": 7, "MKD": 4.5}
    place = {code: _prose_place(code, style) for code in shares}
    text = (
        f"Some {number(present)} persons were present in the Western Balkans as of end {name} {year}, including "
        f"{uasc} unaccompanied and separated children (UASC). Of these, 35% were present in {place['SRB']}, "
        f"followed by {place['BIH']} (34.5%), {place['XKX']} (12%), {place['ALB']} and {place['MNE']} (7% each) "
        f"and {place['MKD']} (4.5%)."
    )
    top = pen.paragraph(20, top + 6, text, 8.2, 380)
    truth[("persons_present", "WB", end, end, None, None)] = present
    for code, share in shares.items():
        truth[("persons_present_share", code, end, end, None, None)] = share
    top = pen.paragraph(20, top + 6, "This also includes persons present outside government-run centres.", 7.5, 380)
    pen.move()
    heading = "Refugees and migrants present at the end of reporting period by month:"
    top = pen.paragraph(20, top + 20, heading, 10, 370, True, BLUE)
    months = [(year, month - 11 + i) if month - 11 + i > 0 else (year - 1, month + 1 + i) for i in range(12)]
    bars = _Bars(base=top + 235, step=370 / 12, gap=10, height=180, value_size=6.5, label_size=5.8, lead=7)
    _month_chart(pen, truth, months, present, lambda: figures.randint(20, 70) * 100, bars)
    pen.move()
    heading = f"Most common nationalities of Refugees and migrants present at the end of {name}"
    heading += " in the Western Balkans region:"
    top = pen.paragraph(430, 32, heading, 10, 385, True, BLUE) + 8
    for rank, (code, share) in enumerate((("AFG", 28), ("SYR", 23), ("MAR", 17), ("PSE", 12), ("EGY", 7)), start=1):
        pen.write(430, top + 3, nationality_name(code, style), 7.8)
        pen.box(550, top, 550 + share * 7, top + 16, BLUE)
        pen.write(550 + share * 7 + 3, top + 7.5, f"{share}%", 7.3, True)
        truth[("persons_present_nationality_share", "WB", end, end, f"nationality:{code}", rank)] = share
        top += 23
    pen.move()
    heading = "Number of unaccompanied or separated children present at end of the reporting period:"
    pen.paragraph(430, top + 20, heading, 10, 280, True, BLUE)
    pen.box(740, top + 13, 810, top + 53, PANEL)
    pen.write(760, top + 24, str(uasc), 22, True, BLUE)
    truth[("uasc_present", "WB", end, end, None, None)] = uasc
    pen.write(20, 580, "* Security Council Resolution 1244 (1999)", 6.5)
    pen.write(741, 580, "UNHCR Western Balkans", 6.5)
    pdf.showPage()
    pdf.save()
    return truth


def _chart_and_nationalities(
    pen: SnapshotPen,
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
    months = [(year, shown) for shown in range(first_month, month + 1)]
    bars = _Bars(
        base=chart_top + 200, step=370 / len(months), gap=14, height=150, value_size=6.8, label_size=6.5, lead=7.5
    )
    _month_chart(pen, truth, months, present, lambda: figures.randint(40, 70) * 100, bars)


def build_v2023(path: Path, snapshot: Snapshot, year: int = 2023, month: int = 6) -> dict[tuple, float | None]:
    """Draw a two-page v2023 snapshot (tables instead of the arrivals chart) and return its figures."""
    draft = _draft(path, snapshot, year, month, 11, (300, 14000), (400, 39000))
    style, figures, name, end, this_year, last_year, truth, pdf, pen, arrivals = draft
    countries, absent = list(arrivals), snapshot.absent
    region = [sum(a[0] for a in arrivals.values()), sum(a[1] or 0 for a in arrivals.values())]

    _banner(pen, 14, f"(as of end {name} {year})")
    pen.write(20, 71, "Key figures", 12, True, BLUE)
    for index, (value, period) in enumerate(zip(region, (this_year, last_year), strict=True)):
        left = 20 + 195 * index
        pen.box(left, 95, left + 185, 139, PANEL)
        pen.write(left + 10, 102, f"New arrivals January-{name} {period[0].year}", 7.2)
        pen.write(left + 10, 116, number(value), 20, True, BLUE)
        truth[("new_arrivals", "WB", *period, None, None)] = value
    pen.move()
    pen.write(20, 157, "Mixed movements", 10, True, BLUE)
    transits, change = figures.randint(50, 200) * 100, -figures.randint(5, 60)
    text = (
        f"From January to {name} {year}, an estimated {number(transits)} refugees and migrants transited through "
        f"the Western Balkans as part of mixed movements, {-change}% fewer than in the same period of {year - 1}. "
        "UNHCR uses data on arrivals to estimate how many persons are part of mixed movements."
    )
    top = pen.paragraph(20, 174, text, 8, 380)
    truth[("mixed_movement_transits", "WB", *this_year, None, None)] = transits
    truth[("mixed_movement_transits_change", "WB", *this_year, None, None)] = change
    pen.move()
    pen.write(20, top + 14, f"Asylum in {year}", 10, True, BLUE)
    top += 40
    intentions, applications = figures.randint(8000, 30000), figures.randint(300, 1500)
    ratio = round(applications / intentions * 100)
    columns = [20.0, 155.0, 275.0, 410.0]
    headers = ["Intentions to seek asylum", "Asylum applications", "Applications vs. intentions*"]
    pen.table_rules(columns, [top - 6, top + 12, top + 32])
    for left, right, header in zip(columns, columns[1:], headers, strict=False):
        pen.cell(left, right, top - 2, header, 8, True, "center" if left > 20 else "left")
    for left, right, value in zip(
        columns, columns[1:], (number(intentions), number(applications), f"{ratio}%"), strict=False
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
    pen.move()
    pen.write(440, 71, "New arrivals by country", 12, True, BLUE)
    columns = [440.0, 610.0, 710.0, 810.0]
    rows = [95.0, 123.0]
    pen.cell(columns[0], columns[1], 106, "Country", 8, True)
    for left, right, period in zip(columns[1:], columns[2:], (this_year, last_year), strict=False):
        pen.cell(left, right, 101, f"January-{name} {period[0].year}", 8, True, "center")
    top = 128.5
    for code in [*countries, "TOTAL"]:
        label = "Total" if code == "TOTAL" else _table_place(code, style)
        lines = pen.lines(label, 8, columns[1] - columns[0] - 8)
        height = max(18.0, 9.2 * len(lines) + 8)
        pen.cell(
            columns[0], columns[1], top + (18 - 9.2 * len(lines)) / 2 + (height - 18) / 2, label, 8, code == "TOTAL"
        )
        values = region if code == "TOTAL" else arrivals[code]
        for left, right, value, period in zip(columns[1:], columns[2:], values, (this_year, last_year), strict=False):
            pen.cell(left, right, top + (height - 18) / 2, number(value), 8, code == "TOTAL", "center")
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
    pen.write(20, 580, "* Security Council Resolution 1244 (1999)", 6.5)
    pdf.showPage()

    pen.box(0, 0, WIDTH, 8, BLUE)
    pen.move()
    pen.write(20, 32, f"Persons present at the end of {name} {year}", 11, True, BLUE)
    shares = {"ALB": 8, "BIH": 34.5, "XKX": 13.5, "MNE": 9, "MKD": 4.5, "SRB": 30.5}
    present = figures.randint(30, 60) * 100
    persons = {code: round(present * share / 100) for code, share in shares.items() if code != absent}
    uasc = figures.randint(50, 300)
    text = (
        f"A total of {number(present)} refugees and migrants were present in the Western Balkans at the end of "
        f"{name} {year}, including {uasc} unaccompanied and separated children (UASC)."
    )
    pen.paragraph(20, 52, text, 8.2, 380)
    truth[("persons_present", "WB", end, end, None, None)] = present
    columns = [20.0, 185.0, 283.0, 380.0]
    pen.box(20, 85, 380, 103, PANEL)
    pen.cell(columns[1], columns[2], 91.5, "Persons present", 8, True, "center")
    pen.cell(columns[2], columns[3], 91.5, "Share", 8, True, "center")
    top, rows = 108.5, [85.0, 103.0]
    for code in [c for c in style.country_order if c in persons] + ["WB"]:
        label = "Western Balkans" if code == "WB" else _table_place(code, style)
        pen.cell(columns[0], columns[1], top, label, 8, code == "WB")
        pen.cell(
            columns[1], columns[2], top, number(present if code == "WB" else persons[code]), 8, code == "WB", "center"
        )
        if code != "WB":
            pen.cell(columns[2], columns[3], top, f"{shares[code]}%", 8, False, "center")
            truth[("persons_present", code, end, end, None, None)] = persons[code]
            truth[("persons_present_share", code, end, end, None, None)] = shares[code]
        top += 17
        rows.append(top - 4)
    pen.table_rules(columns, rows)
    pen.move()
    pen.write(20, top + 16, f"Persons present at the end of each month, {year}", 10, True, BLUE)
    _chart_and_nationalities(pen, style, figures, truth, year, month, top + 40, present, 1)
    pen.move()
    pen.write(450, 32, "Main nationalities of persons present", 11, True, BLUE)
    top = 64.0
    for rank, (code, share) in enumerate((("SYR", 30), ("MAR", 19), ("PAK", 14), ("EGY", 12), ("TUR", 8)), start=1):
        nationality = nationality_name(code, style)
        pen.write(450, top + 4, nationality, 7.8)
        pen.box(555, top, 555 + share * 6, top + 16, BLUE)
        pen.write(555 + share * 6 + 3, top + 9, f"{share}%", 7.3, True)
        truth[("persons_present_nationality_share", "WB", end, end, f"nationality:{code}", rank)] = share
        top += 23
    pen.move()
    pen.box(438, top + 20, 768, top + 70, PANEL)
    pen.write(462, top + 28, "Unaccompanied and separated children (UASC)", 8.5)
    pen.write(462, top + 42, str(uasc), 18, True, BLUE)
    truth[("uasc_present", "WB", end, end, None, None)] = uasc
    pen.write(741, 580, "UNHCR Western Balkans", 6.5)
    pdf.showPage()
    pdf.save()
    return truth
