"""The fast document engine: pages read by pdfium (C++) into the chars and rules pdfplumber would give.

pdfplumber (pdfminer, pure Python) stays the reference engine. This one builds the same char dicts
(`text`, `x0`, `top`, `x1`, `bottom`, `size`, `fontname`, `upright`) and the same rules from pdfium's
text page and page objects, and hands them to the one word layer of `extractors.document`
(`page_of_chars`), so every reader above sees the same words whichever engine read the file.

Where pdfium and pdfminer measure differently, this module follows pdfminer:

- A char's box runs from its origin by its advance (pdfium's loose box); its height is the font
  size from the font's descent, as pdfminer draws it.
- pdfium keeps a simple font's /Widths as whole numbers of 1/1000 em, and places every char after
  the first of a text object with them, so positions drift (0.01 pt a char at 13 pt). The advance of
  each char is taken from the font program's own metrics where the font is embedded, and chars are
  placed again from the first char of each run (`_Placer`).
- Spaces and line breaks pdfium invents between words are dropped (pdfminer has none).
- Paths become pdfplumber's edges by pdfminer's rules: a subpath `m l` is a line, an axis-aligned
  closed four-sided one a rectangle (four edges), anything else a curve (one edge per pair of
  consecutive points, control points left out).

pdfium repairs damaged files silently where pdfminer complains; what this engine refuses instead
is in `check_damage` and the notes in docs.
"""

from __future__ import annotations

import ctypes
import dataclasses
import inspect
import io
import re
import threading
from pathlib import Path
from typing import Any

import pypdfium2.raw as pdfium_c
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, resolve1

from .limits import ExtractionLimits

_BEZIER = pdfium_c.FPDF_SEGMENT_BEZIERTO
_MOVE = pdfium_c.FPDF_SEGMENT_MOVETO


def read_pages(path: Path, data: bytes, limits: ExtractionLimits) -> list[Any]:
    """Every page of the PDF bytes as `extractors.document.Page`, read by pdfium.

    Raises UseReference when the file shows anything the reference engine would complain of, or that
    pdfium reads differently (a text object it reads no text from): the reference then reads the file
    and refuses it with its own one-line error if it is damaged. Damage never passes through here.
    """
    from .document import parser_damage

    try:
        with parser_damage() as damage:
            structure = _Structure(data, limits)
    except UseReference:
        raise
    except Exception as exc:
        raise UseReference(f"pdfminer: {type(exc).__name__}: {exc}") from exc
    if damage.messages:
        raise UseReference(f"pdfminer: {damage.messages[0]}")
    with _PDFIUM:
        try:
            return _read_with_pdfium(data, structure)
        except UseReference:
            raise
        except Exception as exc:  # pdfium failing anywhere is the reference's to judge
            raise UseReference(f"pdfium: {type(exc).__name__}: {exc}") from exc


#: pdfium is not thread-safe; backfills read in threads (and in reader processes).
_PDFIUM = threading.Lock()


class _Structure:
    """The file as pdfminer's object parser sees it (no page interpreted): pages, boxes, fonts, content."""

    def __init__(self, data: bytes, limits: ExtractionLimits) -> None:
        from .document import PAGE_SIDE_MAX, PAGE_SIDE_MIN

        document = PDFDocument(PDFParser(io.BytesIO(data)))
        self.fonts: list[_FontMetrics] = []
        self.boxes: list[tuple[float, float, float, float]] = []
        seen: set[int] = set()
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            if number > limits.pages:
                raise UseReference("more pages than the limit")
            for box in (page.mediabox, page.cropbox):
                x0, y0, x1, y1 = (float(v) for v in box)
                if not (PAGE_SIDE_MIN <= x1 - x0 <= PAGE_SIDE_MAX and PAGE_SIDE_MIN <= y1 - y0 <= PAGE_SIDE_MAX):
                    raise UseReference(f"page {number}: an impossible page box")
            if page.rotate % 360:
                raise UseReference(f"page {number}: turned by /Rotate")  # pdfium and pdfminer turn it differently
            self.boxes.append(tuple(float(v) for v in page.mediabox))
            resources = page.resources if isinstance(page.resources, dict) else {}
            names = {kind: set(_dict(resources.get(kind))) for kind in ("Font", "XObject")}
            content = b"".join(resolve1(stream).get_data() for stream in page.contents)
            if len(content) > limits.stream_bytes:
                raise UseReference(f"page {number}: more content than the limit")
            problem = content_problem(content, names)
            if problem:
                raise UseReference(f"page {number}: {problem}")
            for reference in _dict(resources.get("Font")).values():
                if isinstance(reference, PDFObjRef):
                    if reference.objid in seen:
                        continue
                    seen.add(reference.objid)
                spec = resolve1(reference)
                if not isinstance(spec, dict):
                    raise UseReference(f"page {number}: a font that is not a dictionary")
                self.fonts.append(_metrics_of(spec, _name(spec.get("BaseFont"))))


def _dict(value: Any) -> dict:
    value = resolve1(value)
    return value if isinstance(value, dict) else {}


def _read_with_pdfium(data: bytes, structure: _Structure) -> list[Any]:
    from .document import page_of_chars

    buffer = ctypes.create_string_buffer(data, len(data))
    doc = pdfium_c.FPDF_LoadMemDocument64(buffer, len(data), None)
    if not doc:
        raise UseReference(f"pdfium cannot load it (error {pdfium_c.FPDF_GetLastError()})")
    try:
        count = pdfium_c.FPDF_GetPageCount(doc)
        if count != len(structure.boxes):
            raise UseReference(f"pdfium reads {count} pages, pdfminer {len(structure.boxes)}")
        pages = []
        for index in range(count):
            page = pdfium_c.FPDF_LoadPage(doc, index)
            if not page:
                raise UseReference(f"pdfium cannot load page {index + 1}")
            try:
                width, height, origin = _page_box(page, structure.boxes[index])
                reader = _PageChars(page, height, origin, structure.fonts)
                chars = reader.chars()
                rules = _page_rules(page, height, origin)
            finally:
                pdfium_c.FPDF_ClosePage(page)
            pages.append(page_of_chars(index + 1, width, height, chars, rules))
        return pages
    finally:
        pdfium_c.FPDF_CloseDocument(doc)
        del buffer


def _page_box(page: Any, expected: tuple[float, float, float, float]) -> tuple[float, float, tuple[float, float]]:
    """Width, height and lower-left corner of the MediaBox, which pdfium must read as pdfminer does."""
    box = [ctypes.c_float() for _ in range(4)]
    if not pdfium_c.FPDFPage_GetMediaBox(page, *(ctypes.byref(v) for v in box)):
        raise UseReference("pdfium reads no MediaBox")
    x0, y0, x1, y1 = (v.value for v in box)
    ex0, ey0, ex1, ey1 = expected
    if max(abs(x0 - min(ex0, ex1)), abs(y0 - min(ey0, ey1)), abs(x1 - max(ex0, ex1)), abs(y1 - max(ey0, ey1))) > 0.01:
        raise UseReference("pdfium reads another MediaBox than pdfminer")
    return x1 - x0, y1 - y0, (x0, y0)


@dataclasses.dataclass
class _FontMetrics:
    """What pdfminer measures a font's chars with, where pdfium measures otherwise."""

    #: The font's /BaseFont (with its subset tag, which pdfium leaves out).
    name: str = ""
    #: Advance widths in 1/1000 em (/Widths) by the text of the char (/ToUnicode).
    widths: dict[str, float] = dataclasses.field(default_factory=dict)
    #: The descent pdfminer draws a char's box from (fraction of the size), for a standard font it
    #: takes from its own metrics (pdfium uses its substitute font's).
    descent: float | None = None


def _name(value: Any) -> str:
    value = resolve1(value)
    return getattr(value, "name", None) or (value.decode("latin-1") if isinstance(value, bytes) else str(value or ""))


def _metrics_of(spec: dict, name: str) -> _FontMetrics:
    metrics = _FontMetrics(name)
    if name in FONT_METRICS and _name(spec.get("Subtype")) == "Type1":
        metrics.descent = FONT_METRICS[name][0].get("Descent", 0) * 0.001
    widths = resolve1(spec.get("Widths"))
    if not isinstance(widths, list):
        return metrics
    to_unicode = resolve1(spec.get("ToUnicode"))
    if not hasattr(to_unicode, "get_data"):
        return metrics
    first = int(resolve1(spec.get("FirstChar")) or 0)
    by_text: dict[str, float | None] = {}
    for code, text in _unicode_map(to_unicode.get_data()).items():
        if 0 <= code - first < len(widths):
            width = float(resolve1(widths[code - first]) or 0)
            by_text[text] = width if by_text.get(text, width) == width else None
    metrics.widths = {text: width for text, width in by_text.items() if width is not None}
    return metrics


_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>|\[([^\]]*)\]")


def _unicode_map(cmap: bytes) -> dict[int, str]:
    """Code to text of a /ToUnicode CMap (its bfchar and bfrange entries)."""
    found: dict[int, str] = {}
    for block in _BFCHAR.findall(cmap):
        tokens = [m.group(1) for m in _HEX.finditer(block)]
        for code, text in zip(tokens[::2], tokens[1::2], strict=False):
            if code is not None and text is not None:
                found[int(code, 16)] = _utf16(text)
    for block in _BFRANGE.findall(cmap):
        tokens = list(_HEX.finditer(block))
        for first, last, target in zip(tokens[::3], tokens[1::3], tokens[2::3], strict=False):
            if first.group(1) is None or last.group(1) is None:
                continue
            low, high = int(first.group(1), 16), int(last.group(1), 16)
            if target.group(2) is not None:
                texts = re.findall(rb"<([0-9A-Fa-f]*)>", target.group(2))
                for offset, text in enumerate(texts[: high - low + 1]):
                    found[low + offset] = _utf16(text)
            elif target.group(1):
                start = int(target.group(1), 16)
                for offset in range(min(high - low, 0xFFFF) + 1):
                    found[low + offset] = chr(start + offset) if start + offset < 0x110000 else ""
    return found


def _utf16(hex_text: bytes) -> str:
    try:
        return bytes.fromhex(hex_text.decode()).decode("utf-16-be")
    except ValueError:
        return ""


def _bare(name: str) -> str:
    """A font name without its subset tag (`AAAAAA+DejaVuSans` is `DejaVuSans`)."""
    return name[7:] if len(name) > 7 and name[6] == "+" and name[:6].isupper() else name


class _PageChars:
    """The chars of one page's text page, as pdfplumber's char dicts."""

    def __init__(self, page: Any, height: float, origin: tuple[float, float], fonts: list[_FontMetrics]) -> None:
        self.page = page
        self.height = height
        self.origin = origin
        self.fonts = fonts
        self.shifts: dict[int, tuple[float, float]] = {}

    def chars(self) -> list[dict[str, Any]]:
        text_page = pdfium_c.FPDFText_LoadPage(self.page)
        if not text_page:
            return []
        try:
            raw = self._raw(text_page)
        finally:
            pdfium_c.FPDFText_ClosePage(text_page)
        return self._placed(raw)

    def _raw(self, text_page: Any) -> list[tuple]:
        """(text, origin x, origin y, advance, loose top, loose bottom, size, matrix, font) per char.

        The advance is pdfium's own (the width it placed the next char with), from the font: the
        loose box's right edge is the glyph's where the glyph reaches past its advance ("f", "K").
        """
        rect = pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        x, y = ctypes.c_double(), ctypes.c_double()
        width = ctypes.c_float()
        get_unicode = pdfium_c.FPDFText_GetUnicode
        is_generated = pdfium_c.FPDFText_IsGenerated
        loose_box = pdfium_c.FPDFText_GetLooseCharBox
        char_origin = pdfium_c.FPDFText_GetCharOrigin
        font_size = pdfium_c.FPDFText_GetFontSize
        char_matrix = pdfium_c.FPDFText_GetMatrix
        text_object = pdfium_c.FPDFText_GetTextObject
        address = ctypes.c_void_p.from_buffer
        font_of: dict[int, tuple[int, Any]] = {}
        #: What stays the same for every char of an unrotated text object: its size, matrix and the loose
        #: box's top and bottom above the baseline (read once, from its first char).
        same_in: dict[int, tuple[float, tuple[float, float, float, float], float, float] | None] = {}
        widths: dict[tuple[int, int], float] = {}
        raw = []
        for index in range(pdfium_c.FPDFText_CountChars(text_page)):
            if is_generated(text_page, index):
                continue
            code = get_unicode(text_page, index)
            char_origin(text_page, index, x, y)
            obj = text_object(text_page, index)
            obj_key = address(obj).value or 0
            if not code or not obj_key:
                raise UseReference("pdfium reads a char with no text or no text object")
            if obj_key not in font_of:
                font = pdfium_c.FPDFTextObj_GetFont(obj)
                font_of[obj_key] = (address(font).value or 0, font)
            font_key, font = font_of[obj_key]
            same = same_in.get(obj_key)
            if same is None:
                loose_box(text_page, index, rect)
                char_matrix(text_page, index, matrix)
                same = (
                    font_size(text_page, index),
                    (matrix.a, matrix.b, matrix.c, matrix.d),
                    rect.top - y.value,
                    rect.bottom - y.value,
                )
                if matrix.b == 0 and matrix.c == 0 and obj_key not in same_in:
                    same_in[obj_key] = same
                else:
                    same_in[obj_key] = None
            size, char_matrix_abcd, above, below = same
            if (font_key, code) not in widths:
                found = font and pdfium_c.FPDFFont_GetGlyphWidth(font, code, 1000.0, ctypes.byref(width))
                if not found:
                    loose_box(text_page, index, rect)
                widths[font_key, code] = width.value if found else rect.right - x.value
            raw.append(
                (
                    chr(code),
                    x.value,
                    y.value,
                    widths[font_key, code],
                    y.value + above,
                    y.value + below,
                    size,
                    char_matrix_abcd,
                    obj_key,
                    font_key,
                    font,
                )
            )
        self.shifts = _copies_left_out(self.page, set(font_of))
        return raw

    def _placed(self, raw: list[tuple]) -> list[dict[str, Any]]:
        ox, oy = self.origin
        top_of = self.height + oy
        fonts = self._resolve_fonts(raw)
        chars: list[dict[str, Any]] = []
        run_object, shift = None, 0.0
        for text, x, y, em_width, loose_top, loose_bottom, size, (a, b, c, d), key, font_key, _ in raw:
            name, metrics = fonts[font_key]
            if key != run_object:
                run_object, shift = key, 0.0
            if key in self.shifts:
                dx, dy = self.shifts[key]
                x, y, loose_top, loose_bottom = x + dx, y + dy, loose_top + dy, loose_bottom + dy
            x0 = x + shift
            advance = em_width * size * a / 1000
            exact = metrics.widths.get(text) if metrics is not None else None
            if exact is not None:
                # pdfium placed this char, and the rest of its run after it, with a whole-number width
                width = exact * size * a / 1000
                shift += width - advance
                advance = width
            top, bottom = top_of - loose_top, top_of - loose_bottom
            if metrics is not None and metrics.descent is not None:
                bottom = top_of - (y + metrics.descent * size * d)
                top = bottom - size * d
            if text.strip() and (advance <= 0 or size * d <= 0):
                raise UseReference(f"a char {text!r} drawn with no width or height")
            chars.append(
                {
                    "text": text,
                    "x0": x0 - ox,
                    "x1": x0 + advance - ox,
                    "top": top,
                    "bottom": bottom,
                    "doctop": top,
                    "upright": a * d > 0 and b * c <= 0,
                    "size": round(size, 4),
                    "fontname": name,
                }
            )
        return chars

    def _resolve_fonts(self, raw: list[tuple]) -> dict[int, tuple[str, _FontMetrics | None]]:
        """Each text object's font: its /BaseFont and metrics, told apart from same-named subsets by widths.

        pdfium names a font without its subset tag, so two subsets of one face look the same; the one
        whose /ToUnicode and whole-number widths agree with every char pdfium drew in it is the font.
        """
        seen: dict[int, set[tuple[str, int]]] = {}
        names: dict[int, str] = {}
        for text, _x, _y, em_width, _top, _bottom, _size, _matrix, _obj, font_key, font in raw:
            if font_key not in names:
                names[font_key] = _base_font_name(font) if font else ""
            seen.setdefault(font_key, set()).add((text, int(round(em_width))))
        result: dict[int, tuple[str, _FontMetrics | None]] = {}
        for font_key, name in names.items():
            candidates = [f for f in self.fonts if _bare(f.name) == _bare(name) and _agrees(f, seen[font_key])]
            if len({f.name for f in candidates}) == 1:
                result[font_key] = (candidates[0].name, candidates[0])
            elif list(names.values()).count(name) == 1:
                result[font_key] = (name, None)
            else:
                result[font_key] = (f"{name}#{font_key}", None)
        return result


#: How near (pt, each side of its box) a text object pdfium leaves out must lie to one it reads to be its copy.
COPY_TOLERANCE = 1.0


def _copies_left_out(page: Any, read: set[int]) -> dict[int, tuple[float, float]]:
    """Text objects pdfium left out as copies of ones it read (fake bold), and how to move those it read.

    pdfium drops a text object drawn again over one it read (same text and font); pdfminer reads both and
    `dedupe_chars` keeps the copy higher up, else further left. The one read moves there when the copy
    left out is that one. A text object left out with no read one on its spot is not a copy (pdfium
    also leaves out one it decodes to no text, such as a no-break space drawn on its own in a font whose
    /ToUnicode maps a control code): the reference engine reads that page.
    """
    texts = [key for key, kind in _page_objects(page) if kind == pdfium_c.FPDF_PAGEOBJ_TEXT]
    left_out = [key for key in texts if key not in read]
    if not left_out:
        return {}
    boxes = {key: _bounds(key) for key in texts}
    shifts: dict[int, tuple[float, float]] = {}
    for key in left_out:
        copy = boxes[key]
        near = [
            other
            for other in read
            if other in boxes and max(abs(p - q) for p, q in zip(copy, boxes[other], strict=True)) <= COPY_TOLERANCE
        ]
        if len(near) != 1 or copy[2] <= copy[0]:
            raise UseReference("pdfium reads no text from a text object that is no copy of one it reads")
        kept = boxes[near[0]]
        # pdfminer keeps the char with the smaller (top, x0): the higher one (larger PDF y), else the left one
        if (copy[3], -copy[0]) > (kept[3], -kept[0]):
            shifts[near[0]] = (copy[0] - kept[0], copy[3] - kept[3])
    return shifts


def _bounds(key: int) -> tuple[float, float, float, float]:
    sides = [ctypes.c_float() for _ in range(4)]
    pdfium_c.FPDFPageObj_GetBounds(ctypes.cast(key, pdfium_c.FPDF_PAGEOBJECT), *(ctypes.byref(v) for v in sides))
    left, bottom, right, top = (v.value for v in sides)
    return (left, bottom, right, top)


def _agrees(font: _FontMetrics, observed: set[tuple[str, int]]) -> bool:
    """Every char drawn (text, pdfium's whole-number width) is one this font has, at that width."""
    if not font.widths:
        return True
    return all(text in font.widths and abs(int(font.widths[text]) - width) <= 1 for text, width in observed)


def _base_font_name(font: Any) -> str:
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
    return buffer.value.decode("utf-8", "replace")


def _page_rules(page: Any, height: float, origin: tuple[float, float]) -> list[Any]:
    """pdfplumber's horizontal and vertical edges of the page's painted paths, as Rules."""
    from .document import Rule

    rules: list[Rule] = []
    for obj, matrix in _path_objects(page):
        for subpath in _subpaths(obj):
            for x0, top, x1, bottom in _edges(_page_points(subpath, matrix, height, origin)):
                rules.append(Rule(x0, top, x1, bottom))
    return rules


def _page_objects(page: Any):
    """(address, type) of every object drawn on the page, those inside form XObjects too."""
    stack = [pdfium_c.FPDFPage_GetObject(page, i) for i in range(pdfium_c.FPDFPage_CountObjects(page))]
    while stack:
        obj = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            stack.extend(pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(pdfium_c.FPDFFormObj_CountObjects(obj)))
        yield ctypes.c_void_p.from_buffer(obj).value or 0, kind


def _path_objects(page: Any):
    """Painted path objects of the page (those in form XObjects too) with their matrix to page space."""
    stack = [(pdfium_c.FPDFPage_GetObject(page, i), None) for i in range(pdfium_c.FPDFPage_CountObjects(page))]
    matrix = pdfium_c.FS_MATRIX()
    while stack:
        obj, outer = stack.pop(0)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
        own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
        combined = own if outer is None else _multiply(own, outer)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = range(pdfium_c.FPDFFormObj_CountObjects(obj))
            stack[0:0] = [(pdfium_c.FPDFFormObj_GetObject(obj, i), combined) for i in inner]
            continue
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
        if fill.value or stroke.value:
            yield obj, combined


def _multiply(m: tuple, n: tuple) -> tuple:
    """m then n, as PDF matrices (a b c d e f)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _subpaths(obj: Any) -> list[list[tuple[str, float, float]]]:
    """The path's subpaths as pdfminer sees them: (operator, x, y), one point per operator, `h` closing."""
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[str, float, float]]] = []
    bezier_points = 0
    for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        if kind == _MOVE or not subpaths:
            subpaths.append([("m", x.value, y.value)])
            bezier_points = 0
        elif kind == _BEZIER:
            # pdfium lists a curve as its two control points and its end; pdfminer keeps the end only.
            bezier_points += 1
            if bezier_points % 3:
                continue
            subpaths[-1].append(("c", x.value, y.value))
        else:
            subpaths[-1].append(("l", x.value, y.value))
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            start = subpaths[-1][0]
            subpaths[-1].append(("h", start[1], start[2]))
    return subpaths


def _page_points(subpath, matrix: tuple, height: float, origin: tuple[float, float]):
    a, b, c, d, e, f = matrix
    ox, oy = origin
    return [(op, a * x + c * y + e - ox, height - (b * x + d * y + f - oy)) for op, x, y in subpath]


def _edges(points: list[tuple[str, float, float]]) -> list[tuple[float, float, float, float]]:
    """pdfplumber's h/v edges of one subpath (pdfminer's line / rect / curve rules), as (x0, top, x1, bottom)."""
    shape = "".join(op for op, _, _ in points)
    pts = [(round(x, 4), round(y, 4)) for _, x, y in points]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    if shape in ("mlh", "ml"):
        (x0, y0), (x1, y1) = pts[0], pts[1]
        return [(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            left, right = min(x0, x2), max(x0, x2)
            top, bottom = min(y0, y2), max(y0, y2)
            sides = ((left, top, right, top), (left, bottom, right, bottom))
            return [*sides, (left, top, left, bottom), (right, top, right, bottom)]
    return [
        (min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
        for p, q in zip(pts, pts[1:], strict=False)
        if p[0] == q[0] or p[1] == q[1]
    ]


class UseReference(Exception):  # noqa: N818 - a signal, not an error: the reference engine reads the file
    """The fast engine cannot vouch for this file; the reference engine reads it (and refuses it if damaged)."""


def _operator_arity() -> dict[bytes, int]:
    """Operands each content operator takes, as pdfminer's interpreter pops them (its `do_*` methods)."""
    arity = {}
    for name, method in inspect.getmembers(PDFPageInterpreter, inspect.isfunction):
        if name.startswith("do_"):
            keyword = name[3:].replace("_a", "*").replace("_w", '"').replace("_q", "'")
            arity[keyword.encode()] = method.__code__.co_argcount - 1
    return arity


_ARITY = _operator_arity()
#: Operators whose every operand is a number (pdfminer logs and skips any other).
_NUMERIC = frozenset(b"cm w m l c v y re g G rg RG k K Tc Tw Tz TL Ts Td TD Tm i M J j".split())
#: Operators whose operand names a resource, by resource kind.
_NAMED = {b"Tf": "Font", b"Do": "XObject"}
_TOKENS = re.compile(
    rb"(?P<skip>\s+|%[^\r\n]*)"
    rb"|(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))(?=[\s()<>\[\]{}/%]|$)"
    rb"|(?P<name>/[^\s()<>\[\]{}/%]*)"
    rb"|(?P<str>\((?:[^()\\]|\\.)*\))"
    rb"|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<open><<|\[)|(?P<close>>>|\])"
    rb"|(?P<kw>[^\s()<>\[\]{}/%]+)"
    rb"|(?P<other>.)",
    re.S,
)
_LITERALS = frozenset((b"true", b"false", b"null"))


def content_problem(content: bytes, names: dict[str, set[str]]) -> str | None:
    """What pdfminer's interpreter would complain of in a page's content stream, or None.

    The reference engine refuses a page whose content has an operator it does not know, one given fewer
    operands than it takes, a number where a name belongs (or the reverse); pdfium draws past all of
    them silently. This reads the stream's tokens once (no drawing) and keeps pdfminer's operand stack.
    """
    stack: list[str] = []
    depth = 0
    for token in _TOKENS.finditer(content):
        kind = token.lastgroup
        if kind == "skip":
            continue
        if kind == "open":
            depth += 1
            continue
        if kind == "close":
            depth -= 1
            if depth < 0:
                return "a closing bracket with no opening one"
            if depth == 0:
                stack.append("array" if token.group() == b"]" else "dict")
            continue
        if depth:
            if kind in ("other",):
                return f"unreadable byte {token.group()!r}"
            continue
        if kind == "kw" and token.group() not in _LITERALS:
            problem = _apply(token.group(), stack, names)
            if problem:
                return problem
            continue
        if kind == "other":
            return f"unreadable byte {token.group()!r}"
        stack.append(kind if kind != "kw" else "literal")
    if depth:
        return "an array or dictionary left open"
    return None


def _apply(keyword: bytes, stack: list[str], names: dict[str, set[str]]) -> str | None:
    if keyword in (b"BI", b"ID", b"EI"):
        return "an inline image"  # its data is not tokens; the reference reads such pages
    arity = _ARITY.get(keyword)
    if arity is None:
        return f"unknown operator {keyword.decode('latin-1')!r}"
    if not arity:
        if keyword in (b"sc", b"scn", b"SC", b"SCN"):
            del stack[:]  # pdfminer pops what the colour space needs; the count is not checked here
        return None
    if len(stack) < arity:
        return f"operator {keyword.decode('latin-1')!r} given {len(stack)} of its {arity} operands"
    operands = stack[-arity:]
    del stack[-arity:]
    if keyword in _NUMERIC and any(kind != "num" for kind in operands):
        return f"operator {keyword.decode('latin-1')!r} given a non-number"
    if keyword == b"Tf" and (operands[0] != "name" or operands[1] != "num"):
        return "operator 'Tf' given the wrong kinds of operands"
    return None
