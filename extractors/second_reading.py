"""A second, independent reading of every table our readers read: camelot's cells, for validation to compare.

Our readers pair words by the page's structure; camelot finds a table's rows and columns on its own
(ruled lines with `flavor="lattice", engine="vector"`, else text alignment with `flavor="stream"`),
given only the region where our figures were printed. A cell is kept only when camelot reads it
confidently: it parses as one number, it covers one of our table figures, and the labels of its row
and column resolve to the same codes as that figure's place and nationality. Validation's
`second_reading` rule then compares the two values. Anything else camelot reads, or fails to read,
is left out: a second reading that is missing is no worse than none, a wrong one would hold back a
good report.

Cost and reliability were measured on every sample, the variant suites and the widened open-world
batch (see docs/VALIDATION.md, "second_reading").
"""

from __future__ import annotations

import dataclasses
import logging
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .facts import Fact
from .geo import REGION, nationality_code, place_code
from .numbers import parse_number

log = logging.getLogger(__name__)

#: The method our table readers record; only their figures get a second reading.
TABLE_METHOD = "pdfplumber-table"
#: How far left of a table's figures its row labels may start (points): the widest row label of the
#: samples ("Bosnia and Herzegovina" at 9 pt) is about 110 pt, a stub column with a long label ("Total
#: non-voluntary returns carried out in 2023") about 230 pt; a label cut short only loses a comparison.
LABEL_REACH = 240.0
#: How far above a table's first figures its column headers may start (points): two lines of a wrapped
#: header ("Bosnia and / Herzegovina") with the rule above them.
HEADER_REACH = 36.0
#: Slack around the figures' box (points), so that a cell's own padding is inside the region.
MARGIN = 4.0
#: Boxes of figures closer than this (points) belong to one table (a table's indicators share it).
SAME_TABLE_GAP = 20.0
#: Printed labels that name the region in a table's Total row or column.
TOTAL_LABELS = frozenset({"total", "western balkans", "wb"})
#: camelot's readers, tried in turn on the tables the one before could not read.
FLAVORS: tuple[tuple[str, dict[str, str]], ...] = (("lattice", {"engine": "vector"}), ("stream", {}))


@dataclasses.dataclass(frozen=True)
class SecondReading:
    """What camelot read in the cell where one of our table figures is printed."""

    #: The key of the fact this cell reads again (`Fact.key`).
    key: tuple[Any, ...]
    value: float
    printed: str
    method: str
    page: int
    #: camelot's cell, [x0, top, x1, bottom] in PDF points with the origin at the top-left (as facts).
    bbox: tuple[float, float, float, float]


def read_tables_again(path: str | Path, facts: Sequence[Fact]) -> tuple[SecondReading, ...]:
    """camelot's confident readings of the cells where `facts` printed table figures; never raises.

    A PDF camelot cannot read (damaged, a page it does not understand) gives no second reading for
    that page, logged at debug level: the report is then validated as it would be without camelot.
    """
    tables: dict[int, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.method == TABLE_METHOD and fact.value is not None:
            tables[fact.page].append(fact)
    readings: list[SecondReading] = []
    for page, page_facts in sorted(tables.items()):
        try:
            readings.extend(_read_page(Path(path), page, page_facts))
        except Exception as exc:  # a second reader that fails is a comparison missed, never a report refused
            log.debug("%s page %d: camelot could not read it (%s: %s)", Path(path).name, page, type(exc).__name__, exc)
    return tuple(readings)


def _read_page(path: Path, page: int, facts: list[Fact]) -> list[SecondReading]:
    height = _page_height(path, page)
    regions = _regions(facts)
    found: dict[tuple, SecondReading] = {}
    for flavor, options in FLAVORS:
        unread = [region for region in regions if not any(f.key in found for f in _inside(facts, region))]
        if not unread:
            break
        areas = [_camelot_area(_widened(region), height) for region in unread]
        camelot = load_camelot()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no tables found in table area" and the like: a miss, not damage
            where = "table_regions" if flavor == "lattice" else "table_areas"
            tables = camelot.read_pdf(str(path), pages=str(page), flavor=flavor, **{where: areas}, **options)
        for table in tables:
            for reading in _confident_cells(table, facts, height, page, f"camelot-{flavor}"):
                found.setdefault(reading.key, reading)
    return list(found.values())


def load_camelot() -> Any:
    """camelot, imported on first use: with OpenCV it costs about a second, and most callers never need it."""
    import camelot

    return camelot


def _page_height(path: Path, page: int) -> float:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return float(document[page - 1].get_size()[1])
    finally:
        document.close()


def _regions(facts: Iterable[Fact]) -> list[tuple[float, float, float, float]]:
    """The boxes of the page's tables: the figures' boxes, merged while two touch or nearly do."""
    regions = [tuple(f.bbox) for f in facts]
    merged = True
    while merged:
        merged = False
        for i, first in enumerate(regions):
            second = next((other for other in regions[i + 1 :] if _near(first, other)), None)
            if second is not None:
                regions.remove(second)
                regions[i] = _union(first, second)
                merged = True
                break
    return sorted(regions, key=lambda r: (r[1], r[0]))


def _union(a: Sequence[float], b: Sequence[float]) -> tuple[float, float, float, float]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _near(a: Sequence[float], b: Sequence[float]) -> bool:
    return (
        a[0] - SAME_TABLE_GAP <= b[2]
        and b[0] - SAME_TABLE_GAP <= a[2]
        and a[1] - SAME_TABLE_GAP <= b[3]
        and b[1] - SAME_TABLE_GAP <= a[3]
    )


def _widened(region: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A table's figures' box grown to hold its row labels (left) and column headers (above)."""
    x0, top, x1, bottom = region
    return (max(0.0, x0 - LABEL_REACH), max(0.0, top - HEADER_REACH), x1 + MARGIN, bottom + MARGIN)


def _inside(facts: Iterable[Fact], region: tuple[float, float, float, float]) -> list[Fact]:
    return [
        f for f in facts if region[0] <= f.bbox[0] and f.bbox[2] <= region[2] and region[1] <= f.bbox[1] <= region[3]
    ]


def _camelot_area(box: tuple[float, float, float, float], height: float) -> str:
    """camelot's `table_areas` entry: left, top, right, bottom with the origin at the bottom-left."""
    x0, top, x1, bottom = box
    return f"{x0:.2f},{height - top:.2f},{x1:.2f},{height - bottom:.2f}"


def _confident_cells(table: Any, facts: list[Fact], height: float, page: int, method: str) -> list[SecondReading]:
    cells = table.cells
    readings = []
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            printed = " ".join(str(cell.text).split())
            own_label, values = _figures_in(printed)
            if not values:
                continue
            box = (float(cell.x1), height - float(cell.y2), float(cell.x2), height - float(cell.y1))
            inside = sorted((f for f in facts if _centre_in(f.bbox, box)), key=lambda f: f.bbox[0])
            if len(inside) != len(values) or len({round(f.bbox[1]) for f in inside}) > 1:
                continue  # no figure of ours here, or not one of ours per number camelot read, on one line
            codes = _codes(_label_left(cells, r, c))
            # A cell that names its own figures is an entry of a list by row (a rank grid): the words above
            # it are another entry, not a header.
            codes |= _codes(own_label) if own_label is not None else _codes(_label_above(cells, r, c))
            for fact, value in zip(inside, values, strict=True):
                if codes and codes == _fact_codes(fact, codes):
                    readings.append(SecondReading(fact.key, value, printed, method, page, box))
    return readings


#: A cell that prints a name with its figures, as DTM's nationality grid does: "Egypt (33%) ↑ +15%".
_NAMED_FIGURES = re.compile(
    r"^(?P<label>[^\d()%]*[^\d()%\s↑↓▲▼=+\-\u2212\u2013])\s*\((?P<share>[^()]+)\)\s*(?P<change>[^()]*)$"
)


def _figures_in(printed: str) -> tuple[str | None, list[float]]:
    """The figures a cell prints, in order, and the name printed before them, if any.

    A cell is either one printed number, or a name followed by a figure in brackets and perhaps a
    change ("Egypt (33%) ↑ +15%"). Anything else (two numbers run together, words) reads as nothing.
    """
    single = _number(printed)
    if single is not None:
        return None, [single]
    match = _NAMED_FIGURES.match(printed)
    if match is None:
        return None, []
    parts = [match["share"]] + ([match["change"]] if match["change"].strip() else [])
    values = [_number(part) for part in parts]
    if any(value is None for value in values):
        return None, []
    return match["label"].strip(), [v for v in values if v is not None]


def _number(printed: str) -> float | None:
    """The value of a cell that is one printed number (a dash, a word or two figures are not)."""
    if not printed or not any(ch.isdigit() for ch in printed):
        return None
    try:
        return parse_number(printed).value
    except ValueError:
        return None


def _centre_in(bbox: Sequence[float], box: Sequence[float]) -> bool:
    x = (bbox[0] + bbox[2]) / 2
    y = (bbox[1] + bbox[3]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _text(cells: list, r: int, c: int) -> str:
    return " ".join(str(cells[r][c].text).split())


def _is_label(text: str) -> bool:
    return bool(text) and not _figures_in(text)[1]


def _label_left(cells: list, r: int, c: int) -> str | None:
    """The nearest cell left of (r, c) that holds words, not a figure: the row's label."""
    for k in range(c - 1, -1, -1):
        if _is_label(_text(cells, r, k)):
            return _text(cells, r, k)
    return None


def _label_above(cells: list, r: int, c: int) -> str | None:
    """The column's header: the nearest words above (r, c), or in a row of words above it that spans
    the column from the left (a card's title over its "Centres 3" rows)."""
    for k in range(r - 1, -1, -1):
        if _is_label(_text(cells, k, c)):
            return _text(cells, k, c)
        row = [_text(cells, k, j) for j in range(c + 1)]
        if any(row) and all(_is_label(t) for t in row if t) and not row[c]:
            return next(t for t in reversed(row) if t)
    return None


def _codes(label: str | None) -> set[str]:
    """The place or nationality a label names, resolved as our readers resolve them (no guess)."""
    if not label:
        return set()
    if label.strip(" .:").lower() in TOTAL_LABELS:
        return {REGION}
    code = place_code(label) or nationality_code(label)
    return {code} if code else set()


def _fact_codes(fact: Fact, read: set[str]) -> set[str]:
    """The codes a figure of ours is about; the region counts only where camelot read a label for it."""
    codes = {fact.geo}
    if fact.breakdown and fact.breakdown.startswith("nationality:"):
        codes.add(fact.breakdown.split(":", 1)[1])
    if fact.geo == REGION and REGION not in read:
        codes.discard(REGION)  # a nationality table of the region prints no "Total" label beside its rows
    return codes
