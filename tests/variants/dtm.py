"""Imitation of the IOM DTM "Western Balkans — Mixed Migratory Flows Report" (portrait A4), layouts v2024 and v2023.

Every position below was measured from the sample PDFs in `tests/pdfs/dtm_wb/` with pdfplumber
(baselines from the top of the page, in points).
"""

from __future__ import annotations

import random
from typing import Any

from reportlab.lib.colors import HexColor

from .banner import draw_banner
from .canvas import ARROW_FONT, BLACK, DARK, DOWN, FAMILIES, GREY, UP, WHITE
from .issue import (
    LIGHT,
    RULE_LIGHT,
    Issue,
    month_end,
    month_period,
    year_to_date,
    years,
)
from .labels import (
    PLACE_NAMES,
    join_names,
    month_label,
    month_name,
    months_back,
    nationality_name,
    number,
    percent,
    previous_month,
    signed_percent,
)

LEFT = 40.0
RIGHT = 555.0
#: Stacked-bar colours, by position in the style's country order (the first is the accent colour).
SERIES = ("#5B8BD9", "#F2A900", "#7FB069", "#9C4F96", "#E4572E")
FEMALE = HexColor("#F2A900")
LABEL_DARK = HexColor("#222222")
GRID = HexColor("#DDDDDD")
GRID_TREND = HexColor("#E3E3E3")
AXIS = HexColor("#888888")
BOX_BORDER = HexColor("#BBBBBB")
#: Baseline of the last footnote line on every page; footnotes stack upwards from it.
FOOTNOTE_LAST_BL = 796.94
FOOTNOTE_SIZE = 6.2
#: Footnote lines wrap at this width (measured between 500.9 that fits and 505.3 that wraps).
FOOTNOTE_WIDTH = 503.0
#: Column headings wrap beyond this width (measured: 58.4 fits, 70.3 and 80.6 wrap).
HEADER_WRAP = 64.0
#: Footnote marks in the list are drawn at this size (raised marks at 0.58 of it).
FOOTNOTE_MARK_SIZE = 7.7
FOOTNOTE_LEAD = 8.06
FOOTNOTE_GAP = 4.0
FOOTER_BL = 828.0
#: Bars reach this fraction of the plot height at the largest value (measured: 207.63 / 213.04).
BAR_HEADROOM = 1.026
#: Chart axis label sizes per month-label format (measured: 6.3 for `MON YY`/`Mon-YY`, 6.0 for `Mon YYYY`).
AXIS_LABEL_SIZE = {"MON YY": 6.3, "Mon-YY": 6.3, "Mon YYYY": 6.0}
#: Month labels wider than the samples' formats are shrunk to fill at most this fraction of their slot.
AXIS_LABEL_FILL = 0.92
#: Width allowed to a caption line in a headline box (measured between 141.2 that fits and 145.8 that wraps).
CAPTION_WIDTH = 143.0
#: Width allowed to a nationality cell on one line before its share moves to a second line.
NAT_CELL_WIDTH = 125.0
#: Width allowed to a country label in the nationality grid before it wraps.
NAT_LABEL_WIDTH = 105.0
#: v2023 grid: a country heading wraps beyond this width (58.4 fits, 80.6 wraps), a nationality beyond 88.
NAT_HEADER_WIDTH_V2023 = 70.0
NAT_NAME_WIDTH_V2023 = 88.0

NOTE_REGISTRATIONS = (
    '"Registrations" refer to any interception and/or registration by an official authority of an irregular '
    "entry at the border, by sea, in airports, or on the territory."
)
NOTE_COMPARED = "Monthly data on registrations are compared with the previous month."
NOTE_NON_FINAL = (
    "The data displayed in this brief is non-final and subject to consolidation. Please check the website below "
    "for more information: Europe Arrivals | Displacement Tracking Matrix (iom.int)."
)
CHART_NOTE = (
    "Registrations on arrival in the six Western Balkans countries and territories are reported by the "
    "authorities and compiled by IOM. Totals shown above the bars are the regional sum of the values in the table."
)
NOTE_OCCUPANCY = (
    "Occupancy rates refer only to migrants who are accommodated in reception centres in the Western Balkans."
)
NOTE_NON_VOLUNTARY = (
    "These non-voluntary returns include returns to countries of origin as well as readmissions to other countries "
    "and territories in the Western Balkans and to the European Union."
)
NOTE_UNHCR_SOURCE = (
    "Source: United Nations High Commissioner for Refugees (UNHCR), Western Balkans Asylum Dashboard: "
    "https://data.unhcr.org/en/dataviz/336?sv=41&geo=0"
)
NOTE_TIP_SOURCE = "Source: United States Department of State Trafficking in Persons Report"
DISCLAIMER = (
    "The opinions expressed in the report are those of the authors and do not necessarily reflect the views of "
    "the International Organization for Migration (IOM). IOM expresses no opinion concerning the legal status of "
    "any country, territory, city or area, or of its authorities, or concerning its frontiers or boundaries."
)
MORE_INFO = (
    "For more information on terms and conditions of DTM reports and information products, please refer to: "
    "https://dtm.iom.int/terms-and-conditions. Contact: iomwesternbalkans@iom.int"
)
#: Lines of a wrapped heading are this many times its size apart.
HEADING_LEAD = 1.15
#: Wrapped headings push a page down by at most this many points (the rest stays on one line), so the
#: page's last block never reaches its footnotes.
HEADING_FLOW_BUDGET = 40.0
#: Words a reworded heading may gain, and one-word synonyms it may use instead of a word (issue 10 drifts).
HEADING_FILLERS = ("KEY", "LATEST", "OVERALL", "REPORTED", "DATA", "FIGURES", "SUMMARY", "REGIONAL", "CURRENT")
HEADING_SYNONYMS = {
    "ARRIVAL": "ARRIVALS",
    "ARRIVALS": "ARRIVAL",
    "REGISTRATIONS": "REGISTRATION",
    "FACILITIES": "CENTRES",
    "CENTRES": "FACILITIES",
    "TRENDS": "TREND",
    "APPLICATIONS": "CLAIMS",
    "RETURNS": "RETURN",
    "RETURN": "RETURNS",
    "MIGRANT": "MIGRANTS",
    "TOP": "MAIN",
    "3": "THREE",
    "PERMITS": "PERMIT",
    "VICTIMS": "SURVIVORS",
}
#: Words a heading never loses: without them it would name another section (or no month).
HEADING_KEEP = frozenset({"NON-VOLUNTARY", "VOLUNTARY", "TOP", "3", "–", "MONTHLY", "TRENDS", "ASYLUM", "ARRIVALS"})
_MONTH_WORDS = frozenset(month_name(m).upper() for m in range(1, 13))
#: Words kept capitalised in sentence-case headings.
_PROPER = frozenset({"WESTERN", "BALKANS", "IOM"}) | _MONTH_WORDS
BLANK_PAGE_TEXT = (
    "About this report. This brief is produced by the Displacement Tracking Matrix of the International "
    "Organization for Migration in the Western Balkans, based on data shared by the authorities of the region. "
    "It describes mixed migration movements observed during the reporting period, the reception of migrants and "
    "refugees, and the returns and protection pathways available to them. Readers are invited to consult the "
    "methodological notes on the website of the Displacement Tracking Matrix before using these data."
)

DONORS = (
    "Funded by the European Union",
    "Norwegian Ministry of Foreign Affairs",
    "Ministry of Foreign Affairs and International Cooperation of Italy",
    "UK Government",
)


class DtmIssue(Issue):
    """One DTM issue: pages drawn from its facts in the layout of its version."""

    author = "IOM DTM"

    def __init__(self, truth: dict[str, Any], style: Any, path: Any) -> None:
        super().__init__(truth, style, path)
        self.layout = truth["layout_version"]
        self.title = f"DTM Western Balkans — Mixed Migratory Flows Report ({month_name(self.month)} {self.year})"
        self.footer = "DTM Western Balkans" if self.layout == "v2024" else "DTM Western Balkans – Mixed Migration Flows"
        self.flow_used = 0.0

    # -- page furniture ----------------------------------------------------------------------

    def finish_page(self) -> None:
        pen = self.pen
        pen.flow, self.flow_used = 0.0, 0.0
        lines: list[tuple[str, str, bool]] = []  # (label, text, first line of its note)
        for note in self.notes:
            for n, line in enumerate(pen.wrap(note.text, FOOTNOTE_WIDTH, FOOTNOTE_SIZE)):
                lines.append((note.label, line, n == 0))
        if lines:
            firsts = sum(1 for _, _, first in lines if first)
            height = (len(lines) - 1) * FOOTNOTE_LEAD + (firsts - 1) * FOOTNOTE_GAP
            bl = FOOTNOTE_LAST_BL - height
            pen.line(LEFT, bl - 7.0, 160, bl - 7.0, color=GREY, lw=0.4)
            for index, (label, line, first) in enumerate(lines):
                if first and index:
                    bl += FOOTNOTE_GAP
                if first:
                    if label == "*":
                        pen.text(LEFT, bl, "*", FOOTNOTE_SIZE, color=GREY)
                    elif self.style.footnote_marks == "unicode":
                        pen.mark(LEFT, bl, label, FOOTNOTE_MARK_SIZE, color=GREY)
                    else:
                        pen.mark(LEFT, bl, label, FOOTNOTE_MARK_SIZE, color=GREY)
                pen.text(49, bl, line, FOOTNOTE_SIZE, color=GREY)
                bl += FOOTNOTE_LEAD
        pen.text(LEFT, FOOTER_BL, self.footer, 6.5, color=GREY)
        pen.text(RIGHT, FOOTER_BL, str(self.page), 6.5, color=GREY, align="right")

    def banner(self) -> None:
        title = (
            "WESTERN BALKANS — MIXED MIGRATORY FLOWS REPORT"
            if self.layout == "v2024"
            else "WESTERN BALKANS — MIXED MIGRATION FLOWS"
        )
        items = [
            (20, 34, "IOM", 15, True),
            (19, 48, "UN MIGRATION", 5.2, False),
            (78, 40, "DTM", 20, True),
            (140, 33, title, 12.5, True),
            (140, 52, f"{month_name(self.month).upper()} {self.year}", 10, False),
        ]
        draw_banner(self.pen, self.accent, 74, items, box=(14, 12, 46, 50), image=self.style.banner == "image")

    def heading(
        self, x: float, bl: float, text: str, size: float, marks: str | None = None, *, color: Any = None
    ) -> float:
        style = self.style
        drifted = (
            style.heading_width,
            style.heading_case not in ("as-is", "upper"),
            not style.heading_bold,
            style.heading_font,
        )
        if not any(drifted) and style.heading_scale == 1.0 and not style.heading_reword:
            return self.pen.labelled(x, bl, text, size, marks, bold=True, color=color or self.accent)
        pen, bold = self.pen, style.heading_bold
        text = _recase(_reword(text, style.heading_reword), style.heading_case)
        size = round(size * style.heading_scale, 1)
        font = FAMILIES[style.heading_font or style.font][int(bold)]
        lines = [text]
        if style.heading_width:
            # 2-3 lines at most: the width never goes below a third of the heading's
            width = max(style.heading_width, pen.width(text, size, bold, font) / 2.6)
            lines = _wrap(text, lambda t: pen.width(t, size, bold, font), width)
            while len(lines) > 3:
                width *= 1.1
                lines = _wrap(text, lambda t: pen.width(t, size, bold, font), width)
        lead = HEADING_LEAD * size
        if (len(lines) - 1) * lead + self.flow_used > HEADING_FLOW_BUDGET:
            lines = [text]
        end = x
        for n, line in enumerate(lines):
            end = pen.text(x, bl + n * lead, line, size, bold=bold, color=color or self.accent, font=font)
        if marks:
            end = pen.mark(end, bl + (len(lines) - 1) * lead, marks, size, bold=bold, color=color or self.accent)
        # what follows the heading on this page moves down with its extra lines
        pen.flow += (len(lines) - 1) * lead
        self.flow_used += (len(lines) - 1) * lead
        return end

    def num(self, value: float | None) -> str:
        """A figure with the issue's thousands separator, or its dash for "not available"."""
        if value is None:
            return self.style.nil_dash
        return number(value).replace(",", self.style.thousands)

    def slots(self, xs: list[float]) -> list[float]:
        """The x of each headline block of a row, in the issue's order of slots."""
        order = self.style.headline_order or range(len(xs))
        return [xs[i] for i in order]

    def shifted(self, slot_x: float, xs: list[float]) -> Any:
        """Draw one headline block moved down by its slot's shift (a context of the pen)."""
        shifts = self.style.headline_shift or (0.0, 0.0, 0.0)
        return self.pen.shifted(shifts[sorted(xs).index(slot_x)])

    def after_row(self) -> None:
        """What follows a row of headline blocks moves down with its lowest block."""
        self.pen.flow += max(self.style.headline_shift or (0.0,))

    def box_row(self, top: float, height: float, boxes: list, size: float = 24.0, bar: bool = True) -> None:
        """A row of three headline boxes (value, caption), in the issue's order, width and shifts."""
        width = self.style.headline_width or 165.0
        slots = [LEFT + (width + 10) * i for i in range(3)]
        for x, (value, caption) in zip(self.slots(slots), boxes, strict=True):
            with self.shifted(x, slots):
                self.headline_box(x, top, height, value, caption, size=size, bar=bar, width=width)
        self.after_row()

    def own_page(self, section: str) -> bool:
        """Start a new page for `section` if the issue puts it on a page of its own."""
        if section not in self.style.own_page:
            return False
        self.new_page()
        return True

    def notes_mark(self, *texts: str, sep: str = ",") -> str:
        return sep.join(self.note(t) for t in texts)

    def headline_box(
        self,
        x: float,
        top: float,
        height: float,
        value: str,
        caption: list[str],
        size: float = 24.0,
        bar: bool = True,
        width: float = 165.0,
    ) -> None:
        pen = self.pen
        caption_width = CAPTION_WIDTH - (165.0 - width)
        lines = [line for paragraph in caption for line in pen.wrap(paragraph, caption_width, 7.2, bold=True)]
        height = max(height, 46 + 9 * (len(lines) - 1) + 6)
        with pen.block():
            pen.rect(x, top, width, height, fill=LIGHT)
            if bar:
                pen.rect(x, top, 3, height, fill=self.accent)
            pen.text(x + 12, top + 30, value, size, bold=True, color=self.accent)
            bl = top + 46
            for paragraph in caption:
                for line in pen.wrap(paragraph, caption_width, 7.2, bold=True):
                    pen.text(x + 12, bl, line, 7.2, bold=True, color=GREY)
                    bl += 9

    def axis_label_size(self, labels: list[str], slot: float) -> float:
        size = AXIS_LABEL_SIZE.get(self.style.month_labels)
        if size is None or max(self.pen.width(label, size) for label in labels) > slot - 1:
            # `December 2024`, or letter-spaced labels, would run into each other: shrink to fit the slot
            size = self.pen.fit_size(labels, AXIS_LABEL_FILL * slot, size or 6.0)
        return size

    def change_text(self, value: float) -> str:
        return signed_percent(value, space=self.style.pct_space)

    # -- the issue ---------------------------------------------------------------------------

    def draw(self) -> None:
        if self.layout == "v2024":
            pages = [
                self.page_registrations_v2024,
                self.page_nationalities_v2024,
                self.page_returns_v2024,
                self.page_asylum_v2024,
            ]
        else:
            pages = [self.page_arrivals_v2023, self.page_nationalities_v2023, self.page_asylum_v2023]
        order = self.style.page_order or range(len(pages))
        for position, index in enumerate(order):
            for _ in range(self.style.blank_pages.count(position)):
                self.blank_page()
            pages[index]()
        for _ in range(self.style.blank_pages.count(len(pages))):
            self.blank_page()

    def blank_page(self) -> None:
        """A page of prose without a figure or a section heading (an inserted page)."""
        self.new_page()
        self.pen.text(LEFT, 62, "About this report", 12, bold=True, color=self.accent)
        self.paragraph(LEFT, 84, BLANK_PAGE_TEXT, RIGHT - LEFT, 8, 11, color=BLACK)

    # -- v2024 -------------------------------------------------------------------------------

    def page_registrations_v2024(self) -> None:
        self.new_page()
        f, y, m = self.figures, self.year, self.month
        self.banner()
        self.heading(LEFT, 108, "REGISTRATIONS ON ARRIVAL", 13, self.notes_mark(NOTE_REGISTRATIONS, NOTE_COMPARED))
        prev_y, prev_m = previous_month(y, m)
        month_word = f"{month_name(m).upper()} {y}"
        boxes = [
            (
                self.num(f.take("registrations_on_arrival", "WB", month_period(y, m))),
                [f"REGISTRATIONS ON ARRIVAL IN {month_word}"],
            ),
            (
                self.change_text(f.take("registrations_on_arrival_change", "WB", month_period(y, m))),
                [f"COMPARED TO {month_name(prev_m).upper()} {prev_y}"],
            ),
            (
                self.num(f.take("registrations_on_arrival", "WB", year_to_date(y, m))),
                [f"TOTAL REGISTRATIONS ON ARRIVAL IN {y}"],
            ),
        ]
        self.box_row(122, 72, boxes)
        self.registrations_chart(self.notes_mark(NOTE_NON_FINAL))
        self.paragraph(LEFT, 612, CHART_NOTE, RIGHT - LEFT, 7.0, 9.1)

    def registrations_chart(self, mark: str) -> None:
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        order = self.style.country_order
        months = months_back(y, m, 13)
        colors = [self.accent, *(HexColor(c) for c in SERIES)]
        with pen.block():
            self.heading(LEFT, 228, "MONTHLY REGISTRATIONS ON ARRIVAL IN THE WESTERN BALKANS", 9.5, mark)
            x, legend_top = LEFT, 236.0
            for index, geo in enumerate(order):
                name, note = self.place(geo)
                if x + 10 + pen.width(name, 6.5) > RIGHT:  # a long legend continues on a second line
                    x, legend_top = LEFT, legend_top + 10
                pen.rect(x, legend_top, 7, 7, fill=colors[index])
                x = pen.labelled(x + 10, legend_top + 6.5, name, 6.5, note) + 10
            left, base, plot = 128.0, 497.0, 213.04
            slot = (RIGHT - left) / len(months)
            values = {
                geo: [f.peek("registrations_on_arrival", geo, month_period(*ym)) for ym in months] for geo in order
            }
            totals = [sum(values[geo][i] or 0 for geo in order) for i in range(len(months))]
            scale = plot / (max(totals) * BAR_HEADROOM)
            for k in range(1, 5):
                pen.line(left, base - k * plot / 4, RIGHT, base - k * plot / 4, color=GRID, lw=0.4)
            pen.line(left, base, RIGHT, base, color=AXIS, lw=0.6)
            labels = [month_label(*ym, self.style) for ym in months]
            label_size = self.axis_label_size(labels, slot)
            for i, ym in enumerate(months):
                bar_x = left + i * slot + 0.19 * slot
                top = base
                for index, geo in enumerate(order):
                    h = (values[geo][i] or 0) * scale
                    pen.rect(bar_x, top - h, 0.62 * slot, h, fill=colors[index])
                    top -= h
                centre = left + (i + 0.5) * slot
                total = f.take("registrations_on_arrival", "WB", month_period(*ym))
                pen.text(centre, top - 2.5, self.num(total), 6.3, bold=True, align="center")
                pen.text(centre, 506, labels[i], label_size, color=DARK, align="center")
            for r, geo in enumerate(order):
                bl = 522 + 12 * r
                name, note = self.place(geo)
                pen.rect(LEFT, bl - 6.5, 6, 6, fill=colors[r])
                pen.labelled(49, bl, name, pen.shrink(name, left - 50, 6.3, mark=note), note)
                for i, ym in enumerate(months):
                    value = f.take("registrations_on_arrival", geo, month_period(*ym))
                    pen.text(left + (i + 0.5) * slot, bl, self.num(value), 6.3, align="center")
                if self.style.table_rules == "grid":
                    pen.line(LEFT, bl + 3.5, RIGHT, bl + 3.5, color=RULE_LIGHT, lw=0.4)

    def page_nationalities_v2024(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        period = month_period(y, m)
        with_data = [g for g in self.style.country_order if f.select("arrival_nationality_share", geo=g)]
        absent = [g for g in self.style.country_order if g not in with_data]
        notes = []
        if absent:
            notes.append(
                f"Data on nationalities on arrivals to {join_names([PLACE_NAMES[g] for g in absent])} "
                f"{'is' if len(absent) == 1 else 'are'} not available."
            )
        prev_y, prev_m = previous_month(y, m)
        notes.append(
            "Percentage increases or decreases refer to changes in the percentage share of nationalities, and not "
            f"in total numbers, compared with the previous month, {month_name(prev_m)} {prev_y}."
        )
        with pen.block():
            self.heading(
                LEFT, 62, f"TOP 3 NATIONALITIES ON ARRIVAL IN {month_name(m).upper()} {y}", 11, self.notes_mark(*notes)
            )
        bl = 91.0
        with pen.block():
            for geo in with_data:
                name, note = self.place(geo)
                label_lines = self.wrap_label(name, NAT_LABEL_WIDTH, 8, bold=True)
                for n, line in enumerate(label_lines):
                    pen.labelled(LEFT, bl + 9.5 * n, line, 8, note if n == len(label_lines) - 1 else None, bold=True)
                lines = len(label_lines)
                for rank in (1, 2, 3):
                    rows = f.select("arrival_nationality_share", geo=geo, rank=rank)
                    if not rows:
                        continue
                    code = rows[0]["breakdown"].split(":")[1]
                    share = f.take("arrival_nationality_share", geo, period, rows[0]["breakdown"], rank)
                    change = f.take("arrival_nationality_share_change", geo, period, rows[0]["breakdown"], rank)
                    used = self.nationality_cell(150 + 135 * (rank - 1), bl, code, share, change, geo, rank)
                    lines = max(lines, used)
                bl += 25.5 + 8.0 * (lines - 1)
        heading_bl = max(250.0, bl + 11)
        self.facilities_v2024(62.0 if self.own_page("reception") else heading_bl)

    def arrow(self, change: float, geo: str, rank: int) -> tuple[str, Any, str | None]:
        """The arrow printed before a change: ↑ green, ↓ red, = for no change (planted: the wrong way)."""
        flip = ("arrow_sign", geo, rank) in self.planted
        if change == 0:
            return "=", BLACK, None
        up = change > 0
        if flip:
            up = not up
        return ("↑", UP, ARROW_FONT) if up else ("↓", DOWN, ARROW_FONT)

    @property
    def planted(self) -> set[tuple[str, str, int]]:
        return {tuple(p) for p in self.truth.get("planted_render", [])}

    def nationality_cell(self, x: float, bl: float, code: str, share: float, change: float, geo: str, rank: int) -> int:
        pen = self.pen
        name = nationality_name(code, self.style)
        arrow, color, font = self.arrow(change, geo, rank)
        rest = [
            (f" ({percent(share)}) ", False, BLACK, None),
            (arrow, True, color, font),
            (f" {signed_percent(change)}", False, BLACK, None),
        ]
        name_size = pen.shrink(name, NAT_CELL_WIDTH + 5, 7, True)  # a long name never runs into the next cell
        name_w = pen.width(name, name_size, bold=True)
        rest_w = sum(pen.width(t, 7, b, fn) for t, b, _, fn in rest)
        pen.text(x, bl, name, name_size, bold=True)
        if name_w + rest_w > NAT_CELL_WIDTH:
            cx, cbl, lines = x, bl + 8.75, 2
        else:
            cx, cbl, lines = x + name_w, bl, 1
        for text, bold, col, fn in rest:
            cx = pen.text(cx, cbl, text, 7, bold=bold, color=col, font=fn)
        return lines

    def facilities_v2024(self, heading_bl: float) -> None:
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        stock = month_end(y, m)
        with pen.block():
            self.heading(
                LEFT,
                heading_bl,
                f"MIGRANT RECEPTION FACILITIES – SNAPSHOT {month_name(m).upper()} {y}",
                11,
                self.notes_mark(
                    "The data for Albania refer to the cumulative number of migrants registered in the "
                    f"existing structures in {month_name(m)} by the Border and Migration Department within "
                    "the Border Police of Albania.",
                    f"Based on the latest available data in {month_name(m)} {y}.",
                ),
            )
        top0 = heading_bl + 12
        places = [*self.style.country_order, "WB"]
        for index, geo in enumerate(places):
            x = LEFT + 130.75 * (index % 4)
            top = top0 + 88 * (index // 4)
            wb = geo == "WB"
            ink = WHITE if wb else BLACK
            with pen.block():
                pen.rect(x, top, 122.75, 80, fill=self.accent if wb else LIGHT)
                name, note = ("WESTERN BALKANS", None) if wb else self.place(geo)
                pen.labelled(x + 8, top + 14, name, pen.shrink(name, 112.0, 8, True, note), note, bold=True, color=ink)
                rows = [
                    ("Centres", "reception_centres", self.num),
                    ("Capacity", "reception_capacity", self.num),
                    ("Migrants accommodated", "reception_occupancy", self.num),
                    ("Occupancy rate", "reception_occupancy_rate", percent),
                ]
                for r, (label, indicator, fmt) in enumerate(rows):
                    bl = top + 30 + 12.5 * r
                    value = fmt(f.take(indicator, geo, stock))
                    room = 106.75 - pen.width(value, 7.5, True) - 4  # the label never runs into the figure
                    pen.text(x + 8, bl, label, pen.shrink(label, room, 6.2), color=ink)
                    pen.text(x + 114.75, bl, value, 7.5, bold=True, color=ink, align="right")
        self.occupancy_trend(top0 + 88 + 80 + 34)

    def occupancy_trend(self, heading_bl: float) -> None:
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        months = months_back(y, m, 13)
        with pen.block():
            self.heading(LEFT, heading_bl, "TRENDS IN FACILITIES' OCCUPANCY", 11, self.notes_mark(NOTE_OCCUPANCY))
            pen.rect(LEFT, heading_bl + 9, 14, 2.5, fill=self.accent)
            pen.text(58, heading_bl + 13, "Migrants accommodated in reception centres (end of month)", 6.8, color=GREY)
            left, right, base = 50.0, 550.0, heading_bl + 174
            slot = (right - left) / len(months)
            values = [f.peek("reception_occupancy", "WB", month_end(*ym)) for ym in months]
            top_value = max(v or 0 for v in values)
            for k in range(1, 4):
                pen.line(left, base - k * 125 / 3, right, base - k * 125 / 3, color=GRID_TREND, lw=0.4)
            pen.line(left, base, right, base, color=AXIS, lw=0.6)
            points = [(left + (i + 0.5) * slot, base - (v or 0) / top_value * 120) for i, v in enumerate(values)]
            pen.polyline(points, color=self.accent, lw=1.6)
            labels = [month_label(*ym, self.style) for ym in months]
            size = self.axis_label_size(labels, slot)
            for i, ym in enumerate(months):
                px, py = points[i]
                pen.rect(px - 1.8, py - 1.8, 3.6, 3.6, fill=self.accent)
                value = f.take("reception_occupancy", "WB", month_end(*ym))
                pen.text(px, py - 5, self.num(value), 6.5, color=LABEL_DARK, align="center")
                pen.text(px, base + 9, labels[i], size, color=DARK, align="center")

    def page_returns_v2024(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        ytd = year_to_date(y, m)
        self.heading(LEFT, 62, "SOLUTIONS AND PATHWAYS", 15)
        pen.text(LEFT, 86, "RETURN, REINTEGRATION AND READMISSION", 10, bold=True)
        pen.text(LEFT, 106, "ASSISTED VOLUNTARY RETURN AND REINTEGRATION CARRIED OUT BY IOM", 8, bold=True, color=GREY)
        slots = [LEFT, 222.0, 400.0]
        returns_x, shares_x, grants_x = self.slots(slots)
        with pen.block(), self.shifted(returns_x, slots):
            value = self.num(f.take("avrr_returns", "WB", ytd))
            end = pen.text(returns_x, 142, value, 24, bold=True, color=self.accent)
            pen.text(end + 6, 133, "assisted voluntary", 8.5)
            pen.text(end + 6, 143, f"returns in {y}", 8.5)
        with pen.block(), self.shifted(shares_x, slots):
            male = f.take("avrr_returns_share", "WB", ytd, "sex:male")
            female = f.take("avrr_returns_share", "WB", ytd, "sex:female")
            end = pen.text(shares_x, 142, percent(male), 16, bold=True, color=self.accent)
            end = pen.text(end + 3, 142, "Male", 8.5)
            end = pen.text(end + 11, 142, percent(female), 16, bold=True, color=FEMALE)
            pen.text(end + 3, 142, "Female", 8.5)
        with pen.block(), self.shifted(grants_x, slots):
            end = pen.text(
                grants_x, 142, self.num(f.take("reintegration_grants", "WB", ytd)), 24, bold=True, color=self.accent
            )
            pen.text(end + 6, 133, "reintegration grants", 8.5)
            pen.text(end + 6, 143, f"in {y}", 8.5)
        self.after_row()
        past = self.span("avrr_returns")
        with pen.block():
            bottom = self.country_table(
                168,
                "avrr_returns",
                [
                    (f"Total returns in {y}", ytd),
                    (f"Total returns {past[0][:4]} - {past[1][:4]}", past),
                ],
            )
        if self.own_page("authorities"):
            bottom = 62.0 - 34
        bottom = self.authorities_table(
            bottom + 34,
            "voluntary_returns_authorities",
            "VOLUNTARY RETURNS CARRIED OUT BY AUTHORITIES",
            "Total voluntary returns",
            [self.migration_profile_note()],
        )
        self.authorities_table(
            bottom + 34,
            "non_voluntary_returns_authorities",
            "NON-VOLUNTARY RETURNS CARRIED OUT BY AUTHORITIES",
            "Total non-voluntary returns",
            [NOTE_NON_VOLUNTARY, self.migration_profile_note()],
            sep=", ",
        )

    def migration_profile_note(self) -> str:
        latest = max(int(r["period_start"][:4]) for r in self.figures.select("voluntary_returns_authorities"))
        return (
            f"Source: Migration Profile of Bosnia and Herzegovina {latest}, Migration Profile of the Republic "
            f"of Serbia {latest}"
        )

    def span(self, indicator: str) -> tuple[str, str]:
        """The multi-year period of an indicator's `WB` row that is not the current year."""
        rows = [r for r in self.figures.select(indicator, geo="WB") if r["period_start"][:4] != str(self.year)]
        (row,) = rows
        return row["period_start"], row["period_end"]

    def country_table(self, top: float, indicator: str, rows: list[tuple[str, tuple[str, str]]]) -> float:
        f = self.figures
        columns = [LEFT, 158, 214, 270, 326, 382, 438, 494, 541]
        header = [("", None), *(self.place(g) for g in self.style.country_order), ("Total", None)]
        body = []
        for label, period in rows:
            cells = [(label, False)]
            for geo in [*self.style.country_order, "WB"]:
                cells.append((self.num(f.take(indicator, geo, period)), False))
            body.append(cells)
        return self.table(
            columns,
            top,
            header,
            body,
            header_h=26.25,
            row_h=20 if self.layout == "v2024" else 18,
            size=7.3,
            header_wrap=HEADER_WRAP,
        )

    def authorities_table(
        self, heading_bl: float, indicator: str, title: str, label: str, notes: list[str], sep: str = ","
    ) -> float:
        f = self.figures
        with self.pen.block():
            self.heading(LEFT, heading_bl, title, 9.5, self.notes_mark(*notes, sep=sep))
            latest = max(int(r["period_start"][:4]) for r in f.select(indicator))
            columns = [LEFT, 255, 365, 455, 545]
            header = [("", None), self.place("BIH"), self.place("SRB"), ("Total", None)]
            body = []
            for year in (latest, latest - 1):
                period = years(year, year)
                body.append(
                    [
                        (f"{label} carried out in {year}", False),
                        *((self.num(f.take(indicator, g, period)), False) for g in ("BIH", "SRB", "WB")),
                    ]
                )
            return self.table(
                columns, heading_bl + 10, header, body, header_h=26.25, row_h=20, size=7.3, header_wrap=HEADER_WRAP
            )

    def page_asylum_v2024(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        ytd = year_to_date(y, m)
        self.heading(LEFT, 62, "APPLICATIONS FOR ASYLUM", 12, self.notes_mark(NOTE_UNHCR_SOURCE))
        boxes = [
            (self.num(f.take("asylum_applications", "WB", ytd)), [f"APPLICATIONS FOR ASYLUM IN {y}"]),
            (self.num(f.take("refugee_status_decisions", "WB", ytd)), [f"DECISIONS TO GRANT REFUGEE STATUS IN {y}"]),
            (
                self.num(f.take("complementary_protection_decisions", "WB", ytd)),
                ["DECISIONS TO GRANT", f"COMPLEMENTARY FORMS OF PROTECTION IN {y}"],
            ),
        ]
        self.box_row(76, 78, boxes)
        past = self.span("asylum_applications")
        with pen.block():
            bottom = self.country_table(
                176,
                "asylum_applications",
                [
                    (f"Total applications in {y}", ytd),
                    (f"Total applications {past[0][:4]}-{past[1][:4]}", past),
                ],
            )
        self.trafficking_and_back_matter(62.0 if self.own_page("trafficking") else bottom + 34)

    def trafficking_and_back_matter(self, heading_bl: float) -> None:
        pen, f = self.pen, self.figures
        rows = f.select("trafficking_residence_permits", geo="WB")
        period = (rows[0]["period_start"], rows[0]["period_end"])
        with pen.block():
            self.heading(LEFT, heading_bl, "TEMPORARY RESIDENCE PERMITS TO VICTIMS OF TRAFFICKING", 10)
            pen.text(
                LEFT,
                heading_bl + 32,
                self.num(f.take("trafficking_residence_permits", "WB", period)),
                26,
                bold=True,
                color=self.accent,
            )
            end = pen.text(
                95,
                heading_bl + 28,
                "Temporary residence permits granted to victims of trafficking from "
                f"{period[0][:4]} to {period[1][:4]}",
                8,
            )
            pen.mark(end + 2.0, heading_bl + 28, self.note(NOTE_TIP_SOURCE), 8)
        self.back_matter(heading_bl + 70)

    def back_matter(self, bl: float) -> None:
        pen = self.pen
        pen.text(LEFT, bl, "IOM activities funded by:", 8, bold=True)
        for index, donor in enumerate(DONORS):
            x = LEFT + 131.6 * index
            pen.rect(x, bl + 8, 122, 34, stroke=BOX_BORDER, lw=0.5)
            for n, line in enumerate(pen.wrap(donor, 110, 6.5)):
                pen.text(x + 6, bl + 20 + 8 * n, line, 6.5, color=GREY)
        next_month = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        paragraphs = [
            DISCLAIMER,
            f"International Organization for Migration (IOM), 17 {month_name(next_month[1])} {next_month[0]}. "
            f"DTM Western Balkans — Mixed Migratory Flows Report ({month_name(self.month)} {self.year}). IOM, South "
            "Eastern Europe, Eastern Europe and Central Asia.",
            MORE_INFO,
        ]
        line_bl = bl + 62
        for text in paragraphs:
            line_bl = self.paragraph(LEFT, line_bl, text, RIGHT - LEFT, 6.8, 8.84) + 8.84 + 4

    # -- v2023 -------------------------------------------------------------------------------

    def page_arrivals_v2023(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        self.banner()
        self.heading(
            LEFT,
            108,
            "ARRIVALS",
            13,
            self.notes_mark(
                '"Arrivals" refer to migrants and refugees registered or intercepted by the authorities after an '
                "irregular entry at the border or on the territory.",
                "Monthly figures are compared with the previous month.",
            ),
        )
        prev_y, prev_m = previous_month(y, m)
        boxes = [
            (
                self.num(f.take("registrations_on_arrival", "WB", month_period(y, m))),
                [f"ARRIVALS IN {month_name(m).upper()} {y}"],
            ),
            (
                self.change_text(f.take("registrations_on_arrival_change", "WB", month_period(y, m))),
                [f"COMPARED TO {month_name(prev_m).upper()} {prev_y}"],
            ),
            (self.num(f.take("registrations_on_arrival", "WB", year_to_date(y, m))), [f"TOTAL ARRIVALS IN {y}"]),
        ]
        self.box_row(122, 66, boxes, size=22)
        months = months_back(y, m, 13)
        with pen.block():
            self.heading(
                LEFT,
                222,
                "MONTHLY ARRIVALS TO THE WESTERN BALKANS",
                9.5,
                self.notes_mark("Data is non-final and subject to change."),
            )
            left, right, base, plot = 45.0, 550.0, 403.0, 143.48
            slot = (right - left) / len(months)
            values = [f.peek("registrations_on_arrival", "WB", month_period(*ym)) or 0 for ym in months]
            scale = plot / (max(values) * BAR_HEADROOM)
            for k in range(1, 5):
                pen.line(left, base - k * plot / 4, right, base - k * plot / 4, color=GRID, lw=0.4)
            pen.line(left, base, right, base, color=AXIS, lw=0.6)
            labels = [month_label(*ym, self.style) for ym in months]
            label_size = self.axis_label_size(labels, slot)
            for i, ym in enumerate(months):
                h = values[i] * scale
                pen.rect(left + i * slot + 0.19 * slot, base - h, 0.62 * slot, h, fill=self.accent)
                centre = left + (i + 0.5) * slot
                value = f.take("registrations_on_arrival", "WB", month_period(*ym))
                pen.text(centre, base - h - 2.5, self.num(value), 6.5, bold=True, align="center")
                pen.text(centre, base + 9.3, labels[i], label_size, color=DARK, align="center")
        with pen.block():
            self.heading(LEFT, 450, "ARRIVALS BY COUNTRY", 9.5)
            header = [
                ("", None),
                (f"{month_name(prev_m)}\n{prev_y}", None),
                (f"{month_name(m)}\n{y}", None),
                (f"January - {month_name(m)}\n{y}", None),
            ]
            body = []
            periods = [month_period(prev_y, prev_m), month_period(y, m), year_to_date(y, m)]
            for geo in [*self.style.country_order, "WB"]:
                wb = geo == "WB"
                name, note = ("Western Balkans", None) if wb else self.place(geo)
                body.append(
                    [(name, wb, note), *((self.num(f.take("registrations_on_arrival", geo, p)), wb) for p in periods)]
                )
            self.table(
                [LEFT, 210, 325, 440, RIGHT], 460, header, body, header_h=26.75, row_h=17, size=7.5, header_breaks=True
            )

    def page_nationalities_v2023(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        period = month_period(y, m)
        with_data = [g for g in self.style.country_order if f.select("arrival_nationality_share", geo=g)]
        absent = [g for g in self.style.country_order if g not in with_data]
        prev_y, prev_m = previous_month(y, m)
        notes = []
        if absent:
            notes.append(f"Nationality data is not available for {join_names([PLACE_NAMES[g] for g in absent])}.")
        notes.append(
            f"Changes refer to the percentage share of each nationality compared with {month_name(prev_m)} {prev_y}."
        )
        with pen.block():
            self.heading(
                LEFT, 62, f"TOP 3 NATIONALITIES OF ARRIVALS – {month_name(m).upper()} {y}", 11, self.notes_mark(*notes)
            )
        pitch = min(95.0, (RIGHT - 80) / max(1, len(with_data)))  # six countries still fit the page
        with pen.block():
            for col, geo in enumerate(with_data):
                x = 80 + pitch * col
                pen.rect(x, 82, pitch - 4, 20, fill=self.accent)
                name, note = self.place(geo)
                lines = self.wrap_label(name, NAT_HEADER_WIDTH_V2023 * pitch / 95, 7.2, bold=True)
                bls = [95.0] if len(lines) == 1 else [90.5 + 8.2 * n for n in range(len(lines))]
                for n, line in enumerate(lines):
                    mark = note if n == len(lines) - 1 else None
                    size = pen.shrink(line, pitch - 8, 7.2, True, mark)
                    pen.labelled(x + 4, bls[n], line, size, mark, bold=True, color=WHITE)
            bl, name_lines = 116.0, 1
            for rank in (1, 2, 3):
                if rank > 1:
                    bl += max(42.0, 8.5 * name_lines + 25)  # names wrapping to three lines push the next rank down
                name_lines = 1
                pen.text(LEFT, bl, f"{rank}.", 9, bold=True, color=self.accent)
                for col, geo in enumerate(with_data):
                    rows = f.select("arrival_nationality_share", geo=geo, rank=rank)
                    if not rows:
                        continue
                    breakdown = rows[0]["breakdown"]
                    share = f.take("arrival_nationality_share", geo, period, breakdown, rank)
                    change = f.take("arrival_nationality_share_change", geo, period, breakdown, rank)
                    x = 82 + pitch * col
                    name = nationality_name(breakdown.split(":")[1], self.style)
                    lines = pen.wrap(name, NAT_NAME_WIDTH_V2023 * pitch / 95, 7.2, bold=True)
                    for n, line in enumerate(lines):
                        pen.text(x, bl + 8.5 * n, line, pen.shrink(line, pitch - 5, 7.2, True), bold=True)
                    arrow, color, font = self.arrow(change, geo, rank)
                    if arrow == "=":
                        color = DOWN
                    name_lines = max(name_lines, len(lines))
                    vbl = bl + 8.5 * len(lines)
                    end = pen.text(x, vbl, f"{percent(share)} ", 7.2)
                    end = pen.text(end, vbl, arrow, 7.2, bold=True, color=color, font=font)
                    pen.text(end, vbl, f" {signed_percent(change)}", 7.2)
        stock = month_end(y, m)
        heading_bl = 62.0 if self.own_page("reception") else max(235.0, bl + 8.5 * name_lines + 26.5)
        with pen.block():
            self.heading(
                LEFT,
                heading_bl,
                f"RECEPTION FACILITIES – {month_name(m).upper()} {y}",
                11,
                self.notes_mark(
                    f"Albania: cumulative number of migrants registered in reception structures in {month_name(m)}.",
                    f"Latest data available in {month_name(m)} {y}.",
                ),
            )
            header = [
                ("", None),
                ("Reception\ncentres", None),
                ("Capacity", None),
                ("Migrants\naccommodated", None),
                ("Occupancy\nrate", None),
            ]
            body = []
            for geo in [*self.style.country_order, "WB"]:
                wb = geo == "WB"
                name, note = ("Total", None) if wb else self.place(geo)
                body.append(
                    [(name, wb, note)]
                    + [
                        (fmt(f.take(ind, geo, stock)), False)
                        for ind, fmt in (
                            ("reception_centres", self.num),
                            ("reception_capacity", self.num),
                            ("reception_occupancy", self.num),
                            ("reception_occupancy_rate", percent),
                        )
                    ]
                )
            bottom = self.table(
                [LEFT, 195, 285, 375, 465, RIGHT],
                heading_bl + 10,
                header,
                body,
                header_h=26.75,
                row_h=17,
                size=7.5,
                header_breaks=True,
            )
        ytd = year_to_date(y, m)
        top = 62.0 if self.own_page("avrr") else max(420.0, bottom + 29.25)
        with pen.block():
            self.heading(LEFT, top, "RETURN AND REINTEGRATION", 11, self.notes_mark("IOM AVRR programme data."))
            slots = [LEFT, 215.0, 375.0]
            returns_x, shares_x, grants_x = self.slots(slots)
            with self.shifted(returns_x, slots):
                value = self.num(f.take("avrr_returns", "WB", ytd))
                pen.text(returns_x, top + 30, value, 20, bold=True, color=self.accent)
                pen.text(returns_x, top + 42, f"ASSISTED VOLUNTARY RETURNS IN {y}", 6.8, bold=True, color=GREY)
            male = f.take("avrr_returns_share", "WB", ytd, "sex:male")
            female = f.take("avrr_returns_share", "WB", ytd, "sex:female")
            with self.shifted(shares_x, slots):
                shares = f"{percent(male)} male, {percent(female)} female"
                pen.text(shares_x, top + 30, shares, 10, bold=True, color=self.accent)
            with self.shifted(grants_x, slots):
                value = self.num(f.take("reintegration_grants", "WB", ytd))
                pen.text(grants_x, top + 30, value, 20, bold=True, color=self.accent)
                pen.text(grants_x, top + 42, "REINTEGRATION GRANTS", 6.8, bold=True, color=GREY)
            self.after_row()
            past = self.span("avrr_returns")
            self.country_table(
                top + 54,
                "avrr_returns",
                [
                    (f"Returns in {y}", ytd),
                    (f"Returns {past[0][:4]} - {past[1][:4]}", past),
                ],
            )

    def page_asylum_v2023(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        ytd = year_to_date(y, m)
        self.heading(LEFT, 62, "ASYLUM", 12, self.notes_mark("Source: UNHCR Western Balkans Asylum Dashboard."))
        boxes = [
            (self.num(f.take("asylum_applications", "WB", ytd)), [f"ASYLUM APPLICATIONS IN {y}"]),
            (self.num(f.take("refugee_status_decisions", "WB", ytd)), ["REFUGEE STATUS GRANTED"]),
            (self.num(f.take("complementary_protection_decisions", "WB", ytd)), ["SUBSIDIARY PROTECTION GRANTED"]),
        ]
        self.box_row(76, 62, boxes, size=20, bar=False)
        past = self.span("asylum_applications")
        with pen.block():
            bottom = self.country_table(
                160,
                "asylum_applications",
                [
                    (f"Applications in {y}", ytd),
                    (f"Applications {past[0][:4]}-{past[1][:4]}", past),
                ],
            )
        self.back_matter(bottom + 40)


def _reword(text: str, seed: int) -> str:
    """The heading with one word added, dropped or replaced by a synonym, drawn with `seed` (0: as it is).

    Month names, years, dashes and the words that tell sections apart (`HEADING_KEEP`) are never dropped.
    """
    if not seed:
        return text
    rng = random.Random(f"{seed}:{text}")
    words = text.split()
    fixed = {i for i, w in enumerate(words) if w.strip(",").upper() in _MONTH_WORDS or w.isdigit() and len(w) == 4}
    editable = [i for i in range(len(words)) if i not in fixed and words[i] != "–"]
    synonyms = [i for i in editable if words[i].strip(",") in HEADING_SYNONYMS]
    droppable = [i for i in editable if words[i].strip(",") not in HEADING_KEEP] if len(editable) >= 4 else []
    ops = ["add"] + ["synonym"] * bool(synonyms) + ["drop"] * bool(droppable)
    op = rng.choice(ops)
    if op == "synonym":
        i = rng.choice(synonyms)
        words[i] = words[i].replace(words[i].strip(","), HEADING_SYNONYMS[words[i].strip(",")])
    elif op == "drop":
        del words[rng.choice(droppable)]
    else:
        words.insert(rng.randint(0, len(editable)), rng.choice(HEADING_FILLERS))
    return " ".join(words)


def _recase(text: str, case: str) -> str:
    """`upper` as printed; `title` (Registrations On Arrival); `sentence` (Registrations on arrival in the ...)."""
    if case in ("as-is", "upper"):
        return text
    words = text.split()
    out = []
    for n, word in enumerate(words):
        core = word.strip(",'’")
        if case == "title" or n == 0 or core.upper() in _PROPER:
            out.append(word[:1].upper() + word[1:].lower())
        else:
            out.append(word.lower())
    return " ".join(out)


def _wrap(text: str, width_of: Any, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and width_of(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
