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
import io
import re
from pathlib import Path
from typing import Any

import pypdfium2.raw as pdfium_c
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, resolve1

from .errors import UnreadablePdfError
from .limits import ExtractionLimitError, ExtractionLimits

#: pdfium's load errors, as the one-line reason a file is refused.
_LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_FILE: "the file could not be read",
    pdfium_c.FPDF_ERR_FORMAT: "not a readable PDF (broken structure)",
    pdfium_c.FPDF_ERR_PAGE: "a page could not be read",
    pdfium_c.FPDF_ERR_SECURITY: "the PDF uses an unsupported security handler",
}
_BEZIER = pdfium_c.FPDF_SEGMENT_BEZIERTO
_MOVE = pdfium_c.FPDF_SEGMENT_MOVETO


def read_pages(path: Path, data: bytes, limits: ExtractionLimits) -> list[Any]:
    """Every page of the PDF bytes as `extractors.document.Page`, read by pdfium.

    Raises UnreadablePdfError (naming the file) when pdfium cannot load it or a page shows damage,
    and ExtractionLimitError when it has more pages than `limits` allow.
    """
    from .document import page_of_chars

    buffer = ctypes.create_string_buffer(data, len(data))
    doc = pdfium_c.FPDF_LoadMemDocument64(buffer, len(data), None)
    if not doc:
        code = pdfium_c.FPDF_GetLastError()
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadablePdfError(f"{path.name}: the PDF is encrypted and cannot be read")
        raise UnreadablePdfError(f"{path.name}: {_LOAD_ERRORS.get(code, 'not a readable PDF (broken structure)')}")
    try:
        metrics = font_metrics(data)
        count = pdfium_c.FPDF_GetPageCount(doc)
        if count > limits.pages:
            raise ExtractionLimitError(
                f"{path.name}: {count} pages, more than any report prints (limit {limits.pages})"
            )
        pages = []
        for index in range(count):
            page = pdfium_c.FPDF_LoadPage(doc, index)
            if not page:
                raise UnreadablePdfError(f"{path.name}: damaged PDF, page {index + 1} could not be read")
            try:
                width, height, origin = _page_box(path, index + 1, page)
                chars = _PageChars(page, height, origin, metrics).chars()
                rules = _page_rules(page, height, origin)
            finally:
                pdfium_c.FPDF_ClosePage(page)
            pages.append(page_of_chars(index + 1, width, height, chars, rules))
        return pages
    finally:
        pdfium_c.FPDF_CloseDocument(doc)
        del buffer


def _page_box(path: Path, number: int, page: Any) -> tuple[float, float, tuple[float, float]]:
    """Width, height and lower-left corner of the MediaBox; an impossible box is refused as the reference does."""
    from .document import PAGE_SIDE_MAX, PAGE_SIDE_MIN

    box = [ctypes.c_float() for _ in range(4)]
    boxes = {}
    for name, getter in (("MediaBox", pdfium_c.FPDFPage_GetMediaBox), ("CropBox", pdfium_c.FPDFPage_GetCropBox)):
        if getter(page, *(ctypes.byref(v) for v in box)):
            boxes[name] = [v.value for v in box]
    if "MediaBox" not in boxes:
        raise UnreadablePdfError(f"{path.name}: damaged PDF, page {number} has no MediaBox")
    for name, (x0, y0, x1, y1) in boxes.items():
        if not (PAGE_SIDE_MIN <= x1 - x0 <= PAGE_SIDE_MAX and PAGE_SIDE_MIN <= y1 - y0 <= PAGE_SIDE_MAX):
            raise UnreadablePdfError(f"{path.name}: damaged PDF, page {number} has an impossible {name} {boxes[name]}")
    x0, y0, x1, y1 = boxes["MediaBox"]
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


def font_metrics(data: bytes) -> list[_FontMetrics]:
    """Metrics of every font the pages use, from the document's font dictionaries.

    Read with pdfminer's object parser (not its page interpreter): the file's structure, each
    page's resources and the fonts' /Widths and /ToUnicode only, a millisecond or two.
    """
    document = PDFDocument(PDFParser(io.BytesIO(data)))
    fonts: list[_FontMetrics] = []
    seen: set[int] = set()
    for page in PDFPage.create_pages(document):
        resources = resolve1(page.resources.get("Font")) if isinstance(page.resources, dict) else None
        for reference in resources.values() if isinstance(resources, dict) else ():
            if isinstance(reference, PDFObjRef):
                if reference.objid in seen:
                    continue
                seen.add(reference.objid)
            spec = resolve1(reference)
            if isinstance(spec, dict):
                fonts.append(_metrics_of(spec, _name(spec.get("BaseFont"))))
    return fonts


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
        address = ctypes.c_void_p
        fonts: dict[int, tuple[int, Any]] = {}
        widths: dict[tuple[int, int], float] = {}
        raw = []
        for index in range(pdfium_c.FPDFText_CountChars(text_page)):
            if is_generated(text_page, index):
                continue
            code = get_unicode(text_page, index)
            loose_box(text_page, index, rect)
            char_origin(text_page, index, x, y)
            char_matrix(text_page, index, matrix)
            obj = text_object(text_page, index)
            obj_key = ctypes.cast(obj, address).value or 0
            if obj_key not in fonts:
                font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
                fonts[obj_key] = (ctypes.cast(font, address).value or 0, font)
            font_key, font = fonts[obj_key]
            if (font_key, code) not in widths:
                found = font and pdfium_c.FPDFFont_GetGlyphWidth(font, code, 1000.0, ctypes.byref(width))
                widths[font_key, code] = width.value if found else rect.right - x.value
            size = font_size(text_page, index)
            raw.append(
                (
                    chr(code) if code else "",
                    x.value,
                    y.value,
                    widths[font_key, code],
                    rect.top,
                    rect.bottom,
                    size,
                    (matrix.a, matrix.b, matrix.c, matrix.d),
                    obj_key,
                    font_key,
                    font,
                )
            )
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
