"""Imitation of UNHCR's "Western Balkans — Refugees, asylum-seekers and other people in mixed movements"
(landscape A4, multi-column), layouts v2024 and v2023.

Every position below was measured from the sample PDFs in `tests/pdfs/unhcr_wb/` with pdfplumber
(baselines from the top of the page, in points).
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor

from .banner import draw_banner
from .canvas import DARK, FAMILIES, GREY
from .issue import Issue, month_end, year_to_date
from .labels import (
    PLACE_NAMES,
    month_label,
    month_name,
    months_back,
    nationality_name,
    number,
)
from .unhcr_drift import recase, reword

PALE = HexColor("#F1F5FA")
LIGHT_BLUE = HexColor("#9CC3E6")
MID_BLUE = HexColor("#5E9BD1")
GRID = HexColor("#DDDDDD")
AXIS = HexColor("#888888")
FOOTER_BL = 585.0
#: Width of the left column's text (measured: 369.8 fits, wider lines wrap).
LEFT_WIDTH = 370.0
#: Width of the page-2 paragraphs (measured between 378.8 that fits and 389 that wraps).
P2_WIDTH = 382.0
#: The headline asylum line shrinks in steps of 0.2 pt until it fits this width (measured: 347.2 fits, 355.2 not).
ASYLUM_LINE_WIDTH = 350.0
#: Width of the note under the arrivals chart (measured: 234.7 fits, 239.9 wraps).
MAP_NOTE_WIDTH = 237.0
#: Right edge of the middle column (the dashboard note's box starts at 656).
MIDDLE_RIGHT = 645.0
#: Longest bar of the new-arrivals chart, in points, and of the nationality bars (v2024; v2023).
ARRIVALS_BAR_MAX = 123.33
NATIONALITY_BAR_MAX = {"v2024": 200.0, "v2023": 191.3}
#: Bars reach this fraction of the plot height at the largest value (as in the DTM charts).
BAR_HEADROOM = 1.026
#: Axis label sizes per month-label format (measured: 6.2 for `MON YY`, 5.8 for `Mon YYYY`).
#: Month labels wider than the samples' formats are shrunk to fill at most this fraction of their slot.
AXIS_LABEL_FILL = 0.92
AXIS_LABEL_SIZE = {"MON YY": 6.2, "Mon-YY": 6.2, "Mon YYYY": 5.8}
#: How far the page-2 columns (left, right) move when the style swaps them, keeping a gutter as wide as the
#: design's (28 pt in v2024: the right column is 392 pt wide, the left 382 pt).
PAGE2_SWAP = {"v2024": (420.0, -410.0), "v2023": (430.0, -430.0)}
#: Text of the figure-free page a drifted issue may carry (no digits: it must print no figure).
ABOUT_NOTE = (
    "This snapshot is a SYNTHETIC imitation made for testing. It summarises arrivals, asylum and the presence of "
    "refugees and migrants in the region; the figures follow on the other pages."
)
SECURITY_COUNCIL = "Security Council Resolution 1244 (1999)"
DASHBOARD_NOTE = (
    "Note: Data presented in this dashboard is collected by UNHCR in the Western Balkans, including data collected "
    "by UNHCR Public Information focal points, data collected through Border Protection Monitoring (BPM), as well as "
    "monthly arrivals and asylum statistics provided by authorities in each country. This data should not be "
    "considered final and may change as per the latest updates made available by the authorities. Persons in Mixed "
    "Movements are considered 'new arrivals' as a part of irregular flow. Data on irregular arrivals and transit of "
    "persons through the countries in the Western Balkans may contain double counting of the same persons. It is, "
    "therefore, advised not to use the sum of these figures."
)
UKRAINE_NOTE = (
    "'New arrivals' in the Western Balkans does not include Ukrainians as of 24 February 2022. For more information "
    "on Ukraine Refugee Situation, please visit the Operational data portal"
)
STAR_NOTES = (
    "* Includes Serbia and Kosovo (S/RES/1244 [1999]).",
    "** for North Macedonia, data on arrivals are not official government data, they are UNHCR estimation based on "
    "different sources and do not imply official endorsement by UNHCR.",
    "*** Data on arrivals in Serbia is provided by Serbian Commissariat for Refugees and Migrations and Asylum "
    "Authorities",
    "**** 4 countries are having an asylum policy with a procedure including Intention before the application to "
    "asylum (Albania, Bosnia and Herzegovina, Montenegro, and Serbia).",
)
TRANSITED = (
    " refugees and migrants were estimated to have transited through the Western Balkans as part of mixed movements, "
)
ESTIMATION = (
    "Given the nature of movement of these persons, including as a result of pushbacks and/or reverse flow, UNHCR uses "
    "data on arrivals to estimate how many persons are a part of mixed movements in a given time period."
)
ESTIMATION_V2023 = "UNHCR uses data on arrivals to estimate how many persons are part of mixed movements."
INTENTION_NOTE = (
    "* Albania, Bosnia and Herzegovina, Montenegro and Serbia register an intention to seek asylum before the "
    "application."
)
UKRAINE_NOTE_V2023 = "New arrivals do not include refugees from Ukraine. Data is not final and may change."
MAP_NOTE = (
    "Includes Serbia and Kosovo (S/RES/1244 [1999]). The boundaries and names shown, and the designations used on "
    "this map do not imply official endorsement or acceptance by the United Nations."
)
#: Stars the bar chart puts after a country's name, pointing at the notes above.
CHART_STARS = {"MKD": "**", "SRB": "***"}


@dataclass(frozen=True)
class KeyBox:
    """A headline box as designed: size, pitch, baselines of figure and caption from its top, text sizes."""

    width: float
    height: float
    pitch: float
    number_dy: float
    caption_dy: float
    number_size: float
    caption_size: float
    #: Captions shrink to fit this width (None: printed at their size).
    caption_fit: float | None


class UnhcrIssue(Issue):
    """One UNHCR snapshot: two landscape pages drawn from its facts in the layout of its version."""

    page_size = (841.8898, 595.2756)
    author = "UNHCR"

    def __init__(self, truth: dict[str, Any], style: Any, path: Any) -> None:
        super().__init__(truth, style, path)
        self.layout = truth["layout_version"]
        self.title = (
            "Western Balkans — Refugees, asylum-seekers and other people in mixed movements "
            f"(as of end {month_name(self.month)} {self.year})"
        )
        self.footer_note: str | None = None

    # -- furniture ---------------------------------------------------------------------------

    def finish_page(self) -> None:
        pen = self.pen
        if self.footer_note:
            pen.text(20, FOOTER_BL, self.footer_note, 6.5, color=GREY)
            self.footer_note = None
        pen.text(822, FOOTER_BL, "UNHCR Western Balkans", 6.5, color=GREY, align="right")

    def kosovo_footer(self) -> None:
        """The page's `* Security Council Resolution 1244 (1999)` line, when Kosovo is starred or footnoted."""
        if self.style.kosovo == "star":
            self.footer_note = f"* {SECURITY_COUNCIL}"
        elif self.style.kosovo == "footnote":
            self.footer_note = f"2 {SECURITY_COUNCIL}"

    def kosovo(self) -> tuple[str, str | None]:
        """Kosovo's label in charts and tables; a numbered mark `2` when Kosovo is footnoted."""
        if self.style.kosovo == "footnote":
            return "Kosovo", "2"
        return self.place("XKX")[0], None

    def label(self, geo: str) -> tuple[str, str | None]:
        if geo == "XKX":
            return self.kosovo()
        return ("BiH" if geo == "BIH" and self.style.bih_label == "BiH" else PLACE_NAMES[geo]), None

    def banner(self) -> None:
        as_of = f"As of end {month_name(self.month)} {self.year}"
        items = [
            (19, 31, "UNHCR", 9, True),
            (110, 26, "WESTERN BALKANS", 16, True),
            (110, 42, "Refugees, asylum-seekers and other people in mixed movements", 11, False),
            (
                660,
                41,
                as_of if self.layout == "v2024" else f"(as of end {month_name(self.month)} {self.year})",
                10,
                False,
            ),
        ]
        draw_banner(self.pen, self.accent, 56, items, box=(14, 12, 46, 32), image=self.style.banner == "image")

    def heading(
        self, x: float, bl: float, text: str, size: float, width: float | None = None, lead: float | None = None
    ) -> float:
        """A heading, wrapped to `width` (and drifted as the style says); returns the baseline of its last line."""
        style = self.style
        if style.heading_reword:
            text = reword(text, style.heading_reword)
        text = recase(text, style.heading_case)
        bold = style.heading_bold
        font = None
        if style.heading_font:
            font = FAMILIES[style.heading_font][int(bold)]
        if style.heading_wrap:
            width = style.heading_wrap * self.pen.width(text, size, bold, font)
            lead = 1.25 * size
        lines = self.wrap_heading(text, width, size, bold, font) if width else [text]
        for n, line in enumerate(lines):
            self.pen.text(x, bl + n * (lead or 1.25 * size), line, size, bold=bold, color=self.accent, font=font)
        return bl + (len(lines) - 1) * (lead or 1.25 * size)

    def wrap_heading(self, text: str, width: float, size: float, bold: bool, font: str | None) -> list[str]:
        if font is None:
            return self.pen.wrap(text, width, size, bold=bold)
        lines: list[str] = []
        for word in text.split():
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and self.pen.width(candidate, size, bold, font) <= width:
                lines[-1] = candidate
            else:
                lines.append(word)
        return lines

    def key_boxes(self, top: float, boxes: list[tuple[str, str, Any]], design: KeyBox) -> float:
        """The headline boxes (figure and caption on a pale panel), placed as the style says; returns their bottom.

        Drifted boxes are resized (`key_block_scale`), swapped, stacked or shifted, and their figure and
        caption move inside them (`block_seed`), so a caption may sit nearer another box than its own.
        """
        pen, style = self.pen, self.style
        rng = random.Random(style.block_seed)
        drift = style.key_blocks != "as-is" or style.key_block_scale != 1.0
        scale = style.key_block_scale
        stacked = style.key_blocks == "stacked"
        width = design.width * scale if stacked or not drift else min(design.width * scale, (LEFT_WIDTH - 12) / 2)
        height = design.height * scale
        number_dy, caption_dy = design.number_dy * scale, design.caption_dy * scale
        if drift:
            shift = rng.uniform(-3, 3)
            number_dy, caption_dy = number_dy + shift, caption_dy + shift
        slots: list[tuple[float, float]] = []
        for index in range(len(boxes)):
            if stacked:
                slots.append((20.0, top + index * (height + rng.uniform(3, 10))))
            else:
                pitch = design.pitch if not drift else width + rng.uniform(6, 14)
                slots.append((20 + pitch * index, top))
        if style.key_blocks == "swapped":
            slots.reverse()
        elif style.key_blocks == "shifted":
            dx = rng.uniform(0, max(0.0, LEFT_WIDTH + 20 - (slots[-1][0] + width)))
            dy = rng.uniform(0, 12)
            slots = [(x + dx, y + dy) for x, y in slots]
        bottom = top
        for (x, y), (figure, caption, colour) in zip(slots, boxes, strict=True):
            pen.rect(x, y, width, height, fill=PALE)
            fit = design.caption_fit if design.caption_fit is None else design.caption_fit * width / design.width
            size = design.caption_size if fit is None else pen.shrink(caption, fit, design.caption_size)
            drawn = [
                (x + 10, y + number_dy, figure, design.number_size, True, colour),
                (x + 10, y + caption_dy, caption, size, False, GREY),
            ]
            for text_x, bl, text, text_size, bold, colour_ in sorted(drawn, key=lambda d: d[1]):
                pen.text(text_x, bl, text, text_size, bold=bold, color=colour_)
            bottom = max(bottom, y + height)
        return bottom

    def num(self, value: float | None) -> str:
        """A figure with the issue's thousands separator; its nil dash for a figure it does not have."""
        if value is None:
            return self.style.nil_dash
        return number(value).replace(",", self.style.thousands)

    def pct(self, value: float) -> str:
        return f"{self.num(value)}%"

    def axis_label_size(self, labels: list[str], slot: float) -> float:
        if self.layout == "v2023":  # six or fewer wide slots: 6.5 pt unless a label would not fit
            return self.pen.fit_size(labels, AXIS_LABEL_FILL * slot, 6.5)
        size = AXIS_LABEL_SIZE.get(self.style.month_labels)
        if size is None or max(self.pen.width(label, size) for label in labels) > slot - 1:
            size = self.pen.fit_size(labels, AXIS_LABEL_FILL * slot, size or 6.0)
        return size

    def period_words(self) -> tuple[str, str]:
        """`January-December 2024` and the same months of the year before."""
        span = f"January-{month_name(self.month)}"
        return f"{span} {self.year}", f"{span} {self.year - 1}"

    def bar_chart(
        self,
        left: float,
        right: float,
        base: float,
        plot: float,
        months: list[tuple[int, int]],
        value_size: float,
        axis_gap: float,
        axis_size: float | None = None,
    ) -> None:
        pen, f = self.pen, self.figures
        slot = (right - left) / len(months)
        values = [f.peek("persons_present", "WB", month_end(*ym)) or 0 for ym in months]
        scale = plot / (max(values) * BAR_HEADROOM)
        for k in range(1, 5):
            pen.line(left, base - k * plot / 4, right, base - k * plot / 4, color=GRID, lw=0.4)
        pen.line(left, base, right, base, color=AXIS, lw=0.6)
        labels = [month_label(*ym, self.style) for ym in months]
        size = axis_size or self.axis_label_size(labels, slot)
        for i, ym in enumerate(months):
            h = values[i] * scale
            pen.rect(left + i * slot + 0.19 * slot, base - h, 0.62 * slot, h, fill=self.accent)
            centre = left + (i + 0.5) * slot
            value = f.take("persons_present", "WB", month_end(*ym))
            pen.text(centre, base - h - 2.5, self.num(value), value_size, bold=True, align="center")
            pen.text(centre, base + axis_gap, labels[i], size, color=DARK, align="center")

    def nationality_bars(self, x: float, top: float, bar_x: float) -> float:
        """Horizontal bars of the most common nationalities of persons present; returns the bottom."""
        pen, f = self.pen, self.figures
        stock = month_end(self.year, self.month)
        rows = sorted(f.select("persons_present_nationality_share", geo="WB"), key=lambda r: r["rank"])
        longest = max(r["value"] for r in rows)
        bottom = top
        for index, row in enumerate(rows):
            bar_top = top + 23 * index
            value = f.take("persons_present_nationality_share", "WB", stock, row["breakdown"], row["rank"])
            name = nationality_name(row["breakdown"].split(":")[1], self.style)
            pen.text(x, bar_top + 10.73, name, pen.shrink(name, bar_x - x - 4, 7.8))
            width = value / longest * NATIONALITY_BAR_MAX[self.layout]
            pen.rect(bar_x, bar_top, width, 16, fill=self.accent)
            pen.text(bar_x + width + 3, bar_top + 14.8, self.pct(value), 7.3, bold=True)
            bottom = bar_top + 16
        return bottom

    # -- the issue ---------------------------------------------------------------------------

    def draw(self) -> None:
        pages = [self.page1_v2024, self.page2_v2024] if self.layout == "v2024" else [self.page1_v2023, self.page2_v2023]
        if self.style.blank_page:
            pages.insert(min(self.style.blank_page, len(pages) + 1) - 1, self.figure_free_page)
        for draw_page in pages:
            draw_page()

    def figure_free_page(self) -> None:
        """A page with a heading and text but no figure (a cover or an explanatory page inserted)."""
        self.new_page()
        last = self.heading(20, 60, "About this snapshot", 12)
        self.paragraph(20, last + 20, DASHBOARD_NOTE, 600, 8, 10.5)
        self.paragraph(20, last + 120, ABOUT_NOTE, 600, 8, 10.5)

    @contextlib.contextmanager
    def column(self, side: str) -> Iterator[None]:
        """A page-2 column, moved across when the style swaps the columns."""
        style, pen = self.style, self.pen
        with pen.block():
            if style.section_order == "swapped":
                pen.dx += PAGE2_SWAP[self.layout][0 if side == "left" else 1]
            yield

    def page1_v2024(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        ytd, ytd_before = year_to_date(y, m), year_to_date(y - 1, m)
        now, before = self.period_words()
        self.banner()
        with pen.block():
            last = self.heading(20, 80, "Key figures at Regional level", 12)
            sub = last + 19
            rest = f": {now} vs. {before}"
            size = pen.shrink("New arrivals" + rest, LEFT_WIDTH - pen.mark_width("1", 8), 8)
            end = pen.text(20, sub, "New arrivals", size)
            end = pen.mark(end, sub, "1", size)
            pen.text(end, sub, rest, size)
            boxes = [
                (self.num(f.take("new_arrivals", "WB", period)), f"{words} (Western Balkans*)", colour)
                for period, words, colour in ((ytd, now, self.accent), (ytd_before, before, MID_BLUE))
            ]
            bottom = self.key_boxes(sub + 8, boxes, KeyBox(175, 46, 185, 26, 39, 22, 7, 160))
            last = self.heading(
                20,
                bottom + 26,
                "Estimation of Persons of concern in Mixed Movements in the region as of "
                f"{month_end(y, m)[0][8:].lstrip('0')} {month_name(m)}:",
                9.5,
                LEFT_WIDTH,
                11.875,
            )
            wording = (f"Between January and {month_name(m)}, some ", TRANSITED, "less")
            closing = " than in the same period last year. " + ESTIMATION
            last = self.transits_paragraph(f, ytd, last + 15.87, LEFT_WIDTH, (*wording, closing))
            heading_bl = self.heading(20, last + 22.5, f"Asylum statistics in the Western Balkans in {y}:", 9.5)
            box_top = heading_bl + 11.88
            pen.rect(20, box_top, 370, 28, fill=PALE)
            self.asylum_line(box_top + 18, ytd)
            pen.text(
                20,
                box_top + 42,
                "To explore asylum data, please visit Western Balkans Asylum Dashboard",
                7,
                color=self.accent,
            )
            self.left_footnotes(box_top + 56)
        with pen.block():
            last = self.heading(
                405, 80, f"New Arrivals to each country between January and {month_name(m)}", 10, 230, 12.5
            )
            legend_top = last + 10.5
            pen.rect(405, legend_top, 8, 8, fill=self.accent)
            end = pen.text(416, legend_top + 7, now, 7)
            x = end + 11
            if x + 11 + pen.width(before, 7) > MIDDLE_RIGHT:  # a letter-spaced legend takes two lines
                x, legend_top = 405, legend_top + 11
            pen.rect(x, legend_top, 8, 8, fill=LIGHT_BLUE)
            pen.text(x + 11, legend_top + 7, before, 7)
            order = self.style.country_order
            longest = max(f.peek("new_arrivals", g, p) or 0 for g in order for p in (ytd, ytd_before))
            top = legend_top + 18
            for index, geo in enumerate(order):
                row = top + 26.5 * index
                name, mark = self.label(geo)
                label = name + CHART_STARS.get(geo, "")
                pen.labelled(405, row + 12.27, label, pen.shrink(label, 497 - 405 - 4, 7.2, mark=mark), mark)
                for bar, (period, colour, bold) in enumerate(
                    ((ytd, self.accent, True), (ytd_before, LIGHT_BLUE, False))
                ):
                    value = f.take("new_arrivals", geo, period)
                    width = (value or 0) / longest * ARRIVALS_BAR_MAX
                    pen.rect(497, row + 10.5 * bar, width, 9, fill=colour)
                    pen.text(497 + width + 3, row + 10.5 * bar + 7.8, self.num(value), 6.7, bold=bold)
            self.paragraph(405, top + 26.5 * (len(order) - 1) + 19.5 + 13, MAP_NOTE, MAP_NOTE_WIDTH, 6.3, 7.8)
        with pen.block():
            pen.rect(656, 74, 172, 250, fill=PALE)
            self.paragraph(662, 90, DASHBOARD_NOTE, 160, 6.8, 8.8)
        if self.style.kosovo == "footnote":
            self.footer_note = f"2 {SECURITY_COUNCIL}"

    def transits_paragraph(self, f: Any, ytd: tuple[str, str], bl: float, width: float, wording: tuple) -> float:
        """The mixed-movements paragraph: `(opening, transited, fewer, closing)` around the transits and the
        change against last year (both bold); returns the baseline of its last line."""
        opening, transited, fewer, closing = wording
        transits = f.take("mixed_movement_transits", "WB", ytd)
        change = f.take("mixed_movement_transits_change", "WB", ytd)
        parts = [
            (opening, False),
            (self.num(transits), True),
            (transited, False),
            (f"{self.num(abs(change))}% {fewer if change < 0 else 'more'}", True),
            (closing, False),
        ]
        return self.rich_paragraph(20, bl, parts, width, 8, 10.5)

    def asylum_line(self, bl: float, ytd: tuple[str, str]) -> None:
        """`Intentions to seek asylum: 25,355  New asylum applications: 1,125  Application vs. Intention**** 4%`."""
        pen, f = self.pen, self.figures
        parts = [
            ("Intentions to seek asylum: ", False, self.num(f.take("asylum_intentions", "WB", ytd))),
            ("New asylum applications: ", True, self.num(f.take("asylum_applications", "WB", ytd))),
            (
                "Application vs. Intention**** ",
                False,
                self.pct(f.take("asylum_application_intention_ratio", "WB", ytd)),
            ),
        ]
        label_size, value_size = 7.0, 10.0
        while True:
            width = sum(
                pen.width(label, label_size, bold) + pen.width(value, value_size, True) for label, bold, value in parts
            ) + 10 * (len(parts) - 1)
            if width <= ASYLUM_LINE_WIDTH or label_size <= 3:
                break
            label_size, value_size = round(label_size - 0.2, 1), round(value_size - 0.2, 1)
        x = 26.0
        for label, bold, value in parts:
            x = pen.text(x, bl, label, label_size, bold=bold)
            x = pen.text(x, bl, value, value_size, bold=True, color=self.accent) + 10

    def left_footnotes(self, bl: float) -> None:
        pen = self.pen
        if self.style.footnote_marks == "unicode":
            pen.mark(20, bl, "1", 6.3, color=GREY)
        else:
            pen.mark(20, bl, "1", 6.5, color=GREY)
        lines = pen.wrap(UKRAINE_NOTE, 390 - 23.9, 6.3)
        for n, line in enumerate(lines):
            pen.text(23.9, bl + 7.8 * n, line, 6.3, color=GREY)
        bl += 7.8 * (len(lines) - 1) + 8.8
        for note in STAR_NOTES:
            bl = self.paragraph(20, bl, note, LEFT_WIDTH, 6.3, 7.8) + 8.8

    def page2_v2024(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        stock = month_end(y, m)
        pen.rect(0, 0, self.page_size[0], 8, fill=self.accent)
        with self.column("left"):
            last = self.heading(20, 40, f"Refugees and migrants present at the end of {month_name(m)}:", 11, P2_WIDTH)
            present = f.take("persons_present", "WB", stock)
            uasc = f.take("uasc_present", "WB", stock)
            last = self.rich_paragraph(
                20,
                last + 17.75,
                [
                    ("Some ", False),
                    (self.num(present), True),
                    (f" persons were present in the Western Balkans as of end {month_name(m)} {y}, including ", False),
                    (self.num(uasc), True),
                    (" unaccompanied and separated children (UASC). " + self.shares_sentence(stock), False),
                ],
                P2_WIDTH,
                8.2,
                10.8,
            )
            last = self.paragraph(
                20,
                last + 14.8,
                "This also includes estimated number of persons present outside government-run centres.",
                P2_WIDTH,
                7.5,
                9.5,
            )
            last = self.paragraph(
                20,
                last + 13.5,
                "Refugees and migrants present in the Western Balkans countries are "
                "accommodated in government-run centres; IOM-run centres, asylum-seekers and persons "
                "granted international protection in asylum centres and persons on the move in "
                "transit centres.",
                P2_WIDTH,
                7.5,
                9.5,
            )
            last = self.heading(
                20,
                last + 23.5,
                "Refugees and migrants present at the end of reporting period by month:",
                10,
                P2_WIDTH,
                12.5,
            )
            self.bar_chart(25, 395, last + 226.5, 182.61, months_back(y, m, 12), 6.5, 8.8)
        with self.column("right"):
            moved = self.nationalities_elsewhere(lambda bottom: self.uasc_v2024(bottom, uasc))
            last = self.heading(
                430,
                40,
                "Most common nationalities of Refugees and migrants present at the end of "
                f"{month_name(m)} in the Western Balkans region:",
                10,
                392,
                12.5,
            )
            bottom = self.nationality_bars(430, last + 18.5, 550)
            if not moved:
                self.uasc_v2024(bottom, uasc)
        self.kosovo_footer()

    def nationalities_elsewhere(self, uasc: Callable[[float], None]) -> bool:
        """When the style moves the nationalities to a page of their own: UASC at the column's top, a new page."""
        if self.style.section_move != "nationalities":
            return False
        uasc(20.0)
        self.kosovo_footer()
        self.new_page()
        return True

    def uasc_v2024(self, bottom: float, uasc: float | None) -> None:
        """The UASC heading and its figure's box: right of the heading as designed, or moved by the style."""
        pen, place = self.pen, self.style.uasc_place
        text = "Number of unaccompanied or separated children present at end of the reporting period:"
        if place == "as-is":
            self.heading(430, bottom + 31, text, 10, 290, 12.5)
            pen.rect(740, bottom + 16, 70, 40, fill=PALE)
            pen.text(775, bottom + 44, self.num(uasc), 22, bold=True, color=self.accent, align="center")
            return
        rng = random.Random(self.style.block_seed + 1)
        box_w, box_h = rng.uniform(60, 110), rng.uniform(34, 50)
        if place == "below":
            last = self.heading(430, bottom + 31, text, 10, 290, 12.5)
            box_x, box_top = 430 + rng.uniform(0, 200), last + rng.uniform(8, 16)
        elif place == "left":
            box_x, box_top = 430.0, bottom + 16
            self.heading(430 + box_w + rng.uniform(8, 20), bottom + 31, text, 10, 250, 12.5)
        else:
            last_x = 430 + 290 + rng.uniform(4, 20)
            self.heading(430, bottom + 31, text, 10, 290, 12.5)
            box_x, box_top = last_x, bottom + 16 + rng.uniform(-6, 6)
        pen.rect(box_x, box_top, box_w, box_h, fill=PALE)
        figure_bl = box_top + box_h / 2 + 8
        pen.text(box_x + box_w / 2, figure_bl, self.num(uasc), 22, bold=True, color=self.accent, align="center")

    def uasc_v2023(self, bottom: float, uasc: float | None) -> None:
        """The UASC panel: its label over the figure as designed, or the figure beside, under or left of it."""
        pen, place = self.pen, self.style.uasc_place
        label = recase("Unaccompanied and separated children (UASC)", self.style.heading_case)
        if place == "as-is":
            pen.rect(450, bottom + 27, 340, 50, fill=PALE)
            pen.text(462, bottom + 47, label, 8.5, color=GREY)
            pen.text(462, bottom + 68, self.num(uasc), 18, bold=True, color=self.accent)
            return
        rng = random.Random(self.style.block_seed + 1)
        width = pen.width(label, 8.5)
        top = bottom + 27
        if place == "below":
            pen.rect(450, top, 340, 50 + rng.uniform(0, 12), fill=PALE)
            pen.text(462, top + 20, label, 8.5, color=GREY)
            pen.text(
                462 + rng.uniform(0, 150),
                top + 41 + rng.uniform(0, 8),
                self.num(uasc),
                18,
                bold=True,
                color=self.accent,
            )
        elif place == "right":
            pen.rect(450, top, 340, 36, fill=PALE)
            pen.text(462, top + 22, label, 8.5, color=GREY)
            pen.text(462 + width + rng.uniform(10, 40), top + 25, self.num(uasc), 18, bold=True, color=self.accent)
        else:
            pen.rect(450, top, 340, 36, fill=PALE)
            end = pen.text(462, top + 25, self.num(uasc), 18, bold=True, color=self.accent)
            pen.text(end + rng.uniform(10, 30), top + 22, label, 8.5, color=GREY)

    def shares_sentence(self, stock: tuple[str, str]) -> str:
        """`Of these, 35% were present in Serbia, followed by Bosnia and Herzegovina (34.5%), …` (ties grouped)."""
        f = self.figures
        shares = [(g, f.take("persons_present_share", g, stock)) for g in self.style.country_order]
        shares.sort(key=lambda item: -item[1])
        first, *rest = shares
        groups: list[tuple[list[str], float]] = []
        for geo, value in rest:
            if groups and groups[-1][1] == value:
                groups[-1][0].append(PLACE_NAMES[geo])
            else:
                groups.append(([PLACE_NAMES[geo]], value))
        phrases = []
        for names, value in groups:
            if len(names) == 1:
                phrases.append(f"{names[0]} ({self.pct(value)})")
            else:
                phrases.append(f"{', '.join(names[:-1])} and {names[-1]} ({self.pct(value)} each)")
        listed = ", ".join(phrases[:-1]) + f" and {phrases[-1]}" if len(phrases) > 1 else phrases[0]
        return f"Of these, {self.pct(first[1])} were present in {PLACE_NAMES[first[0]]}, followed by {listed}."

    # -- v2023 -------------------------------------------------------------------------------

    def page1_v2023(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        ytd, ytd_before = year_to_date(y, m), year_to_date(y - 1, m)
        span = f"January-{month_name(m)}"
        self.banner()
        with pen.block():
            last = self.heading(20, 80, "Key figures", 12)
            boxes = [
                (self.num(f.take("new_arrivals", "WB", period)), f"New arrivals {span} {period[0][:4]}", self.accent)
                for period in (ytd, ytd_before)
            ]
            bottom = self.key_boxes(last + 15, boxes, KeyBox(185, 44, 195, 36, 13, 20, 7.2, None))
            last = self.heading(20, bottom + 26, "Mixed movements", 10)
            opening = f"From January to {month_name(m)} {y}, an estimated "
            transited = " refugees and migrants transited through the Western Balkans as part of mixed movements, "
            closing = f" than in the same period of {y - 1}. " + ESTIMATION_V2023
            last = self.transits_paragraph(f, ytd, last + 15.5, 390, (opening, transited, "fewer", closing))
            heading_bl = self.heading(20, last + 24.5, f"Asylum in {y}", 10)
            bottom = self.table(
                [20, 155, 275, 410],
                heading_bl + 12.5,
                [
                    ("Intentions to seek asylum", None),
                    ("Asylum applications", None),
                    ("Applications vs. intentions*", None),
                ],
                [
                    [
                        (self.num(f.take("asylum_intentions", "WB", ytd)), True),
                        (self.num(f.take("asylum_applications", "WB", ytd)), True),
                        (self.pct(f.take("asylum_application_intention_ratio", "WB", ytd)), True),
                    ]
                ],
                header_h=18,
                row_h=20,
                size=8,
                header_fill=PALE,
                header_breaks=True,
            )
            last = self.paragraph(20, bottom + 14, INTENTION_NOTE, 392, 6.5, 8.2)
            self.paragraph(20, last + 10, UKRAINE_NOTE_V2023, 392, 6.5, 8.2)
        with pen.block():
            table_top = self.heading(440, 80, "New arrivals by country", 12) + 15
            header = [("Country", None), (f"{span}\n{y}", None), (f"{span}\n{y - 1}", None)]
            body = []
            for geo in [*self.style.country_order, "WB"]:
                wb = geo == "WB"
                name, mark = ("Total", None) if wb else self.label(geo)
                body.append(
                    [(name, wb, mark), *((self.num(f.take("new_arrivals", geo, p)), wb) for p in (ytd, ytd_before))]
                )
            bottom = self.table(
                [440, 610, 710, 810],
                table_top,
                header,
                body,
                header_h=28,
                row_h=18,
                size=8,
                header_fill=PALE,
                header_breaks=True,
            )
            self.paragraph(440, bottom + 14, DASHBOARD_NOTE, 370, 6.5, 8.2)
        self.kosovo_footer()

    def page2_v2023(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        stock = month_end(y, m)
        pen.rect(0, 0, self.page_size[0], 8, fill=self.accent)
        with self.column("left"):
            last = self.heading(20, 40, f"Persons present at the end of {month_name(m)} {y}", 11)
            present = f.take("persons_present", "WB", stock)
            last = self.rich_paragraph(
                20,
                last + 17.75,
                [
                    ("A total of ", False),
                    (self.num(present), True),
                    (
                        f" refugees and migrants were present in the Western Balkans at the end of "
                        f"{month_name(m)} {y}, including ",
                        False,
                    ),
                    (self.num(f.take("uasc_present", "WB", stock)), True),
                    (" unaccompanied and separated children (UASC).", False),
                ],
                P2_WIDTH,
                8.2,
                10.8,
            )
            body = []
            for geo in [*self.style.country_order, "WB"]:
                wb = geo == "WB"
                name, mark = ("Western Balkans", None) if wb else self.label(geo)
                share = "" if wb else self.pct(f.take("persons_present_share", geo, stock))
                body.append([(name, wb, mark), (self.num(f.take("persons_present", geo, stock)), wb), (share, False)])
            bottom = self.table(
                [20, 190, 290, 390],
                last + 16.8,
                [("", None), ("Persons present", None), ("Share", None)],
                body,
                header_h=18,
                row_h=17,
                size=8,
                header_fill=PALE,
                header_breaks=True,
            )
            heading_bl = self.heading(20, bottom + 22, f"Persons present at the end of each month, {y}", 10)
            self.bar_chart(25, 405, heading_bl + 204.5, 165.22, months_back(y, m, m), 6.8, 9.5)
        with self.column("right"):
            moved = self.nationalities_elsewhere(
                lambda bottom: self.uasc_v2023(bottom, f.take("uasc_present", "WB", stock))
            )
            last = self.heading(450, 40, "Main nationalities of persons present", 11)
            bottom = self.nationality_bars(450, last + 23.75, 570)
            if not moved:
                self.uasc_v2023(bottom, f.take("uasc_present", "WB", stock))
