"""Imitation of UNHCR's "Western Balkans — Refugees, asylum-seekers and other people in mixed movements"
(landscape A4, multi-column), layouts v2024 and v2023.

Every position below was measured from the sample PDFs in `tests/pdfs/unhcr_wb/` with pdfplumber
(baselines from the top of the page, in points).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor

from .banner import draw_banner
from .canvas import DARK, GREY
from .issue import Issue, month_end, year_to_date
from .labels import (
    PLACE_NAMES,
    month_label,
    month_name,
    months_back,
    nationality_name,
    number,
    percent,
)

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
        """A heading, wrapped to `width`; returns the baseline of its last line."""
        lines = self.pen.wrap(text, width, size, bold=True) if width else [text]
        for n, line in enumerate(lines):
            self.pen.text(x, bl + n * (lead or 1.25 * size), line, size, bold=True, color=self.accent)
        return bl + (len(lines) - 1) * (lead or 1.25 * size)

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
            pen.text(centre, base - h - 2.5, number(value), value_size, bold=True, align="center")
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
            pen.text(bar_x + width + 3, bar_top + 14.8, percent(value), 7.3, bold=True)
            bottom = bar_top + 16
        return bottom

    # -- the issue ---------------------------------------------------------------------------

    def draw(self) -> None:
        if self.layout == "v2024":
            self.page1_v2024()
            self.page2_v2024()
        else:
            self.page1_v2023()
            self.page2_v2023()

    def page1_v2024(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        ytd, ytd_before = year_to_date(y, m), year_to_date(y - 1, m)
        now, before = self.period_words()
        self.banner()
        with pen.block():
            pen.text(20, 80, "Key figures at Regional level", 12, bold=True, color=self.accent)
            rest = f": {now} vs. {before}"
            size = pen.shrink("New arrivals" + rest, LEFT_WIDTH - pen.mark_width("1", 8), 8)
            end = pen.text(20, 99, "New arrivals", size)
            end = pen.mark(end, 99, "1", size)
            pen.text(end, 99, rest, size)
            for index, (period, words, colour) in enumerate(((ytd, now, self.accent), (ytd_before, before, MID_BLUE))):
                x = 20 + 185 * index
                pen.rect(x, 107, 175, 46, fill=PALE)
                pen.text(x + 10, 133, number(f.take("new_arrivals", "WB", period)), 22, bold=True, color=colour)
                caption = f"{words} (Western Balkans*)"
                pen.text(x + 10, 146, caption, pen.shrink(caption, 160, 7), color=GREY)
            last = self.heading(
                20,
                179,
                "Estimation of Persons of concern in Mixed Movements in the region as of "
                f"{month_end(y, m)[0][8:].lstrip('0')} {month_name(m)}:",
                9.5,
                LEFT_WIDTH,
                11.875,
            )
            transits = f.take("mixed_movement_transits", "WB", ytd)
            change = f.take("mixed_movement_transits_change", "WB", ytd)
            last = self.rich_paragraph(
                20,
                last + 15.87,
                [
                    (f"Between January and {month_name(m)}, some ", False),
                    (number(transits), True),
                    (
                        TRANSITED,
                        False,
                    ),
                    (f"{number(abs(change))}% {'less' if change < 0 else 'more'}", True),
                    (
                        " than in the same period last year. " + ESTIMATION,
                        False,
                    ),
                ],
                LEFT_WIDTH,
                8,
                10.5,
            )
            heading_bl = last + 22.5
            pen.text(
                20, heading_bl, f"Asylum statistics in the Western Balkans in {y}:", 9.5, bold=True, color=self.accent
            )
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
            longest = max(f.peek("new_arrivals", g, p) for g in order for p in (ytd, ytd_before))
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
                    width = value / longest * ARRIVALS_BAR_MAX
                    pen.rect(497, row + 10.5 * bar, width, 9, fill=colour)
                    pen.text(497 + width + 3, row + 10.5 * bar + 7.8, number(value), 6.7, bold=bold)
            self.paragraph(405, top + 26.5 * (len(order) - 1) + 19.5 + 13, MAP_NOTE, MAP_NOTE_WIDTH, 6.3, 7.8)
        with pen.block():
            pen.rect(656, 74, 172, 250, fill=PALE)
            self.paragraph(662, 90, DASHBOARD_NOTE, 160, 6.8, 8.8)
        if self.style.kosovo == "footnote":
            self.footer_note = f"2 {SECURITY_COUNCIL}"

    def asylum_line(self, bl: float, ytd: tuple[str, str]) -> None:
        """`Intentions to seek asylum: 25,355  New asylum applications: 1,125  Application vs. Intention**** 4%`."""
        pen, f = self.pen, self.figures
        parts = [
            ("Intentions to seek asylum: ", False, number(f.take("asylum_intentions", "WB", ytd))),
            ("New asylum applications: ", True, number(f.take("asylum_applications", "WB", ytd))),
            ("Application vs. Intention**** ", False, percent(f.take("asylum_application_intention_ratio", "WB", ytd))),
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
        with pen.block():
            last = self.heading(20, 40, f"Refugees and migrants present at the end of {month_name(m)}:", 11, P2_WIDTH)
            present = f.take("persons_present", "WB", stock)
            uasc = f.take("uasc_present", "WB", stock)
            last = self.rich_paragraph(
                20,
                last + 17.75,
                [
                    ("Some ", False),
                    (number(present), True),
                    (f" persons were present in the Western Balkans as of end {month_name(m)} {y}, including ", False),
                    (number(uasc), True),
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
        with pen.block():
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
            self.heading(
                430,
                bottom + 31,
                "Number of unaccompanied or separated children present at end of the reporting period:",
                10,
                290,
                12.5,
            )
            pen.rect(740, bottom + 16, 70, 40, fill=PALE)
            pen.text(775, bottom + 44, number(uasc), 22, bold=True, color=self.accent, align="center")
        self.kosovo_footer()

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
                phrases.append(f"{names[0]} ({percent(value)})")
            else:
                phrases.append(f"{', '.join(names[:-1])} and {names[-1]} ({percent(value)} each)")
        listed = ", ".join(phrases[:-1]) + f" and {phrases[-1]}" if len(phrases) > 1 else phrases[0]
        return f"Of these, {percent(first[1])} were present in {PLACE_NAMES[first[0]]}, followed by {listed}."

    # -- v2023 -------------------------------------------------------------------------------

    def page1_v2023(self) -> None:
        self.new_page()
        pen, f, y, m = self.pen, self.figures, self.year, self.month
        ytd, ytd_before = year_to_date(y, m), year_to_date(y - 1, m)
        span = f"January-{month_name(m)}"
        self.banner()
        with pen.block():
            pen.text(20, 80, "Key figures", 12, bold=True, color=self.accent)
            for index, period in enumerate((ytd, ytd_before)):
                x = 20 + 195 * index
                pen.rect(x, 95, 185, 44, fill=PALE)
                pen.text(x + 10, 108, f"New arrivals {span} {period[0][:4]}", 7.2, color=GREY)
                pen.text(x + 10, 131, number(f.take("new_arrivals", "WB", period)), 20, bold=True, color=self.accent)
            pen.text(20, 165, "Mixed movements", 10, bold=True, color=self.accent)
            transits = f.take("mixed_movement_transits", "WB", ytd)
            change = f.take("mixed_movement_transits_change", "WB", ytd)
            last = self.rich_paragraph(
                20,
                180.5,
                [
                    (f"From January to {month_name(m)} {y}, an estimated ", False),
                    (number(transits), True),
                    (
                        " refugees and migrants transited through the Western Balkans as part of mixed movements, ",
                        False,
                    ),
                    (f"{number(abs(change))}% {'fewer' if change < 0 else 'more'}", True),
                    (
                        f" than in the same period of {y - 1}. " + ESTIMATION_V2023,
                        False,
                    ),
                ],
                390,
                8,
                10.5,
            )
            heading_bl = last + 24.5
            pen.text(20, heading_bl, f"Asylum in {y}", 10, bold=True, color=self.accent)
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
                        (number(f.take("asylum_intentions", "WB", ytd)), True),
                        (number(f.take("asylum_applications", "WB", ytd)), True),
                        (percent(f.take("asylum_application_intention_ratio", "WB", ytd)), True),
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
            pen.text(440, 80, "New arrivals by country", 12, bold=True, color=self.accent)
            header = [("Country", None), (f"{span}\n{y}", None), (f"{span}\n{y - 1}", None)]
            body = []
            for geo in [*self.style.country_order, "WB"]:
                wb = geo == "WB"
                name, mark = ("Total", None) if wb else self.label(geo)
                body.append(
                    [(name, wb, mark), *((number(f.take("new_arrivals", geo, p)), wb) for p in (ytd, ytd_before))]
                )
            bottom = self.table(
                [440, 610, 710, 810],
                95,
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
        with pen.block():
            pen.text(20, 40, f"Persons present at the end of {month_name(m)} {y}", 11, bold=True, color=self.accent)
            present = f.take("persons_present", "WB", stock)
            last = self.rich_paragraph(
                20,
                57.75,
                [
                    ("A total of ", False),
                    (number(present), True),
                    (
                        f" refugees and migrants were present in the Western Balkans at the end of "
                        f"{month_name(m)} {y}, including ",
                        False,
                    ),
                    (number(f.take("uasc_present", "WB", stock)), True),
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
                share = "" if wb else percent(f.take("persons_present_share", geo, stock))
                body.append([(name, wb, mark), (number(f.take("persons_present", geo, stock)), wb), (share, False)])
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
            heading_bl = bottom + 22
            pen.text(20, heading_bl, f"Persons present at the end of each month, {y}", 10, bold=True, color=self.accent)
            self.bar_chart(25, 405, heading_bl + 204.5, 165.22, months_back(y, m, m), 6.8, 9.5)
        with pen.block():
            pen.text(450, 40, "Main nationalities of persons present", 11, bold=True, color=self.accent)
            bottom = self.nationality_bars(450, 63.75, 570)
            pen.rect(450, bottom + 27, 340, 50, fill=PALE)
            pen.text(462, bottom + 47, "Unaccompanied and separated children (UASC)", 8.5, color=GREY)
            pen.text(462, bottom + 68, number(f.take("uasc_present", "WB", stock)), 18, bold=True, color=self.accent)
