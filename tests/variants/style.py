"""The style knobs of an imitation issue (as in each truth file's `style` object) and their possible values."""

from __future__ import annotations

import dataclasses
from typing import Any

from extractors.geo import WB_COUNTRIES

#: Body fonts of the seeded cases; BODY_FONTS adds those only the UNHCR snapshot suite draws (`snapshot.py`).
FONTS = ("helvetica", "dejavu")
BODY_FONTS = (*FONTS, "times", "vera")
TABLE_RULES = ("grid", "hlines", "none")
#: How Kosovo is labelled: `Kosovo⁴` (numbered footnote), `Kosovo*`, `Kosovo (UNSCR 1244)`,
#: `Kosovo (S/RES/1244 (1999))`.
KOSOVO_LABELS = ("footnote", "star", "unscr", "sres")
NAT_NAMES = ("official", "short")
FOOTNOTE_MARKS = ("raised", "unicode")
BANNERS = ("text", "image")
#: Chart axis month labels: `Dec 2024`, `Dec-24`, `DEC 24`, `December 2024`.
MONTH_LABELS = ("Mon YYYY", "Mon-YY", "MON YY", "Month YYYY")
BIH_LABELS = ("full", "BiH")
#: Inconsistencies a generated issue can carry on purpose (each recorded in `expected_violations`).
PLANTS = ("sum_to_total", "share_sum", "arrow_sign", "part_within_whole")
#: UNHCR drift (issue 10), each knob drawn from its space by `tests/variants/unhcr_drift.py`; the defaults
#: draw the issue as designed. Heading fonts: "" is the issue's own font.
HEADING_FONTS = ("", "helvetica", "times", "courier", "dejavu")
HEADING_CASES = ("as-is", "upper", "lower", "title", "sentence")
#: DTM heading drifts (issue 10): its headings are printed in capitals, so "upper" is as printed.
DTM_HEADING_CASES = ("upper", "title", "sentence")
#: Where the two headline boxes sit: as designed, trading places, one above the other, or moved right.
KEY_BLOCKS = ("as-is", "swapped", "stacked", "shifted")
#: Where the UASC figure sits relative to its label: as designed, right of it, under it, left of it.
UASC_PLACES = ("as-is", "right", "below", "left")
#: Page-2 columns as designed or trading places; a column moved to a page of its own.
SECTION_ORDERS = ("as-is", "swapped")
SECTION_MOVES = ("none", "nationalities")
#: Thousands separators: comma, none, no-break space, thin space, narrow no-break space.
THOUSANDS = (",", "", "\u00a0", "\u2009", "\u202f")
#: Printed "nil": hyphen, en dash, em dash, minus sign.
NIL_DASHES = ("-", "\u2013", "\u2014", "\u2212")
#: DTM sections that can start on a page of their own (`own_page`).
OWN_PAGE_SECTIONS = ("reception", "authorities", "trafficking", "avrr")


#: The knobs whose every value the seeded cases (`variant_cases`) use, in both families.
CASE_CHOICES: dict[str, tuple] = {
    "font": FONTS,
    "table_rules": TABLE_RULES,
    "kosovo": KOSOVO_LABELS,
    "nat_names": NAT_NAMES,
    "footnote_marks": FOOTNOTE_MARKS,
    "banner": BANNERS,
    "month_labels": MONTH_LABELS,
    "bih_label": BIH_LABELS,
}
#: Every knob with a closed set of values, and its values.
CHOICES: dict[str, tuple] = {
    **CASE_CHOICES,
    "font": BODY_FONTS,
    "heading_font": (*HEADING_FONTS, *FONTS),
    "heading_case": HEADING_CASES,
    "key_blocks": KEY_BLOCKS,
    "uasc_place": UASC_PLACES,
    "section_order": SECTION_ORDERS,
    "section_move": SECTION_MOVES,
    "thousands": THOUSANDS,
    "nil_dash": NIL_DASHES,
}


@dataclasses.dataclass(frozen=True)
class Style:
    """How an issue looks; every field is one knob of the imitation generator."""

    font: str = "helvetica"
    jitter: float = 0.0
    jitter_seed: int = 0
    table_rules: str = "grid"
    kosovo: str = "footnote"
    country_order: tuple[str, ...] = WB_COUNTRIES
    nat_names: str = "official"
    footnote_marks: str = "raised"
    pct_space: bool = True
    fake_bold: bool = False
    banner: str = "text"
    month_labels: str = "Mon YYYY"
    tracking: float = 0.0
    accent: str = "#0033A0"
    bih_label: str = "full"
    plant: tuple[str, ...] = ()
    #: Name drift: 0 prints nationalities as the samples do; any other value seeds names drawn from
    #: hdx's own data (UN short forms, "Rep."/"Dem."/"Fed."/"Is.", "&" for "and", accents stripped)
    #: and, in `case_truth`, nationalities never printed in a sample. The truth keeps the ISO3 codes.
    name_drift: int = 0
    #: (ISO3, printed name) pairs printed instead of a nationality's name, e.g. one no resolver knows.
    nationality_labels: tuple[tuple[str, str], ...] = ()
    # -- UNHCR drift (issue 10) --
    #: 0: headings as designed; else each heading wraps at this fraction of its own width (2-3 lines).
    heading_wrap: float = 0.0
    heading_font: str = ""
    heading_case: str = "as-is"
    heading_bold: bool = True
    #: 0: headings as worded; else the seed of a one-word rewording of each (a word added, dropped or swapped).
    heading_reword: int = 0
    key_blocks: str = "as-is"
    #: Headline boxes resized by this factor, their figure and caption moved inside by `block_seed`.
    key_block_scale: float = 1.0
    block_seed: int = 0
    uasc_place: str = "as-is"
    section_order: str = "as-is"
    section_move: str = "none"
    #: 0: no extra page; n: a figure-free page inserted before page n (one past the last: at the end).
    blank_page: int = 0
    # -- DTM drifts (issue 10), drawn at random by `generate.dtm_drift`; the defaults print as the samples.
    # `heading_case`, `heading_bold`, `heading_font`, `heading_reword` above are shared with the UNHCR drifts. --
    #: Section headings wrap at this width (points) onto 2-3 lines, pushing the rest of the page down (0: never).
    heading_width: float = 0.0
    #: Section headings at this factor of their size.
    heading_scale: float = 1.0
    #: The layout's pages drawn in this order (indexes; empty: as the samples).
    page_order: tuple[int, ...] = ()
    #: A figure-free page is inserted before the drawn page at each of these positions (0: before the first).
    blank_pages: tuple[int, ...] = ()
    #: Sections that start a page of their own instead of following the one above (`OWN_PAGE_SECTIONS`).
    own_page: tuple[str, ...] = ()
    #: Headline blocks of a row in this order of their slots (empty: as printed), boxes this wide (0: 165 pt).
    headline_order: tuple[int, ...] = ()
    headline_width: float = 0.0
    #: Headline blocks of a row moved down by these points each, by slot (empty: in line), the page below with them.
    headline_shift: tuple[float, ...] = ()
    thousands: str = ","
    nil_dash: str = "-"

    def __post_init__(self) -> None:
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"style.{name} = {getattr(self, name)!r}; expected one of {allowed}")
        if sorted(self.country_order) != sorted(WB_COUNTRIES):
            raise ValueError(f"style.country_order {self.country_order} must list each of {WB_COUNTRIES} once")
        unknown = set(self.plant) - set(PLANTS)
        if unknown:
            raise ValueError(f"style.plant has unknown kinds {sorted(unknown)}; known: {PLANTS}")
        if not (self.heading_wrap == 0 or 0.2 <= self.heading_wrap <= 1) or not 0.5 <= self.key_block_scale <= 2:
            raise ValueError("style.heading_wrap must be 0 or 0.2-1, style.key_block_scale 0.5-2")
        if self.jitter < 0 or self.tracking < 0:
            raise ValueError("style.jitter and style.tracking must not be negative")
        if set(self.own_page) - set(OWN_PAGE_SECTIONS):
            raise ValueError(f"style.own_page {self.own_page}: known sections are {OWN_PAGE_SECTIONS}")
        if self.headline_order and sorted(self.headline_order) != list(range(3)):
            raise ValueError(f"style.headline_order {self.headline_order} must order the slots 0, 1, 2")
        if self.headline_shift and (
            len(self.headline_shift) != 3 or not all(0 <= d <= 40 for d in self.headline_shift)
        ):
            raise ValueError("style.headline_shift must give three shifts of 0 to 40 points")
        if self.headline_width and not 125 <= self.headline_width <= 165:
            raise ValueError("style.headline_width must be 0 or between 125 and 165 points")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Style:
        """A style from a truth file's `style` object (unknown keys are an error)."""
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - fields
        if unknown:
            raise ValueError(f"unknown style knobs {sorted(unknown)}")
        values = dict(data)
        for key in (
            "country_order",
            "plant",
            "page_order",
            "blank_pages",
            "own_page",
            "headline_order",
            "headline_shift",
        ):
            if key in values:
                values[key] = tuple(values[key])
        if "nationality_labels" in values:
            values["nationality_labels"] = tuple(tuple(pair) for pair in values["nationality_labels"])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["country_order"] = list(self.country_order)
        data["plant"] = list(self.plant)
        data["nationality_labels"] = [list(pair) for pair in self.nationality_labels]
        for key in ("page_order", "blank_pages", "own_page", "headline_order", "headline_shift"):
            data[key] = list(data[key])
        return data
