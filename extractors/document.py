"""One parse of a PDF shared by every section reader: words with positions, lines, phrase search.

Coordinates follow pdfplumber: `(x0, top, x1, bottom)` in PDF points, origin at the top-left
of the page. Each page is parsed once (`dedupe_chars` then `extract_words`); section readers
work on the resulting `Word` objects and never re-open the file.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import hashlib
import io
import logging
import os
import re
import statistics
import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from typing import Any

import pdfplumber
import pdfplumber.page
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFStackT
from pdfminer.pdftypes import resolve1
from pdfplumber.page import FilteredPage
from pdfplumber.utils import extract_words
from pdfplumber.utils.exceptions import PdfminerException

from .errors import ExtractionError, NoTextLayerError, UnreadablePdfError
from .limits import ExtractionLimitError, ExtractionLimits

#: A word at most this fraction of its neighbour's font size, sitting higher, is a footnote mark.
#: Footnote marks in both families are printed at 55-75 % of the body size.
SUPERSCRIPT_SIZE_RATIO = 0.8
#: How far (as a fraction of the neighbour's size) a mark's bottom must sit above the neighbour's.
SUPERSCRIPT_RAISE_RATIO = 0.12
#: Gap (fraction of font size) below which a mark still belongs to the word before it.
SUPERSCRIPT_MAX_GAP_RATIO = 0.6
#: Words closer than this many points vertically (centre to line band) share a line.
LINE_TOLERANCE = 1.5
#: Inside a word pdfplumber joined (gaps up to 3 pt), a gap wider than this fraction of the font size and
#: than SPREAD_GAP_FACTOR times the word's usual letter gap splits it: two narrow table columns' wrapped
#: header words drawn 2.7 pt apart at 7.3 pt were read as "MacedoniaHerzegovina". The usual-gap term
#: keeps letter-spaced text in a tiny font (1 pt tracking at 1.9 pt) whole.
WORD_GAP_RATIO = 0.25
#: See WORD_GAP_RATIO: a split gap is also this many times the word's median letter gap.
SPREAD_GAP_FACTOR = 1.5
#: Fewer characters than this on every page means there is no usable text layer (a scan).
MIN_TEXT_CHARS = 20
#: Loggers of the parser. pdfminer reads on past content it cannot read (an operator it could not
#: apply, a text matrix it could not set, an object it could not resolve, a page box it repaired) and
#: only logs a warning; the figures it then yields can be wrong (a ratio read as 5 % instead of 100 %).
#: None of the samples logs anything, so any warning means the file is damaged.
PARSER_LOGGERS = ("pdfminer", "pdfplumber", "extractors.damage")
#: The smallest and largest page side the PDF standard allows, in PDF units (points).
PAGE_SIDE_MIN, PAGE_SIDE_MAX = 3.0, 14_400.0
#: How much of the parser's first complaint the one-line error quotes.
DAMAGE_QUOTE_CHARS = 160

_UNICODE_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2071\u2074\u2075\u2076\u2077\u2078\u2079\u207a\u207b"
_MARK_ONLY = re.compile(rf"^[{_UNICODE_SUPERSCRIPTS}*†‡,\s]+$")


@dataclasses.dataclass(frozen=True)
class Word:
    """A word as printed: its text, box, font size and 1-based page number."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    page: int
    bold: bool = False
    superscript: bool = False

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def x_center(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def y_center(self) -> float:
        return (self.top + self.bottom) / 2


def union_bbox(words: Iterable[Word]) -> tuple[float, float, float, float]:
    """The smallest box around the words."""
    words = list(words)
    if not words:
        raise ValueError("union_bbox needs at least one word")
    return (
        min(w.x0 for w in words),
        min(w.top for w in words),
        max(w.x1 for w in words),
        max(w.bottom for w in words),
    )


class WordBox:
    """Mixin for anything printed by `words` of one page: its edges, bbox and page are its words'."""

    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return union_bbox(self.words)

    @property
    def page(self) -> int:
        return self.words[0].page


@dataclasses.dataclass(frozen=True)
class Line(WordBox):
    """Words that share a baseline band, left to right (footnote marks included, flagged)."""

    words: tuple[Word, ...]

    @property
    def text_words(self) -> tuple[Word, ...]:
        return tuple(w for w in self.words if not w.superscript)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.text_words)


@dataclasses.dataclass(frozen=True)
class Match(WordBox):
    """Consecutive words of one line whose text matched a pattern."""

    words: tuple[Word, ...]
    groups: dict[str, str | None]
    line: Line

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclasses.dataclass(frozen=True)
class Rule:
    """A horizontal or vertical line segment drawn on the page (table rules, chart axes)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def horizontal(self) -> bool:
        return (self.x1 - self.x0) >= (self.bottom - self.top)


class Page:
    """One page's words and rules, parsed once."""

    def __init__(
        self, number: int, width: float, height: float, words: Sequence[Word], rules: Sequence[Rule] = ()
    ) -> None:
        self.number = number
        self.width = width
        self.height = height
        self.words: tuple[Word, ...] = tuple(words)
        self.rules: tuple[Rule, ...] = tuple(rules)

    def __repr__(self) -> str:
        return f"<Page {self.number} {len(self.words)} words>"

    @cached_property
    def lines(self) -> tuple[Line, ...]:
        return tuple(group_lines(self.words))

    @cached_property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def region(
        self,
        x0: float = float("-inf"),
        top: float = float("-inf"),
        x1: float = float("inf"),
        bottom: float = float("inf"),
    ) -> list[Word]:
        """Words whose centre lies inside the box."""
        return [w for w in self.words if x0 <= w.x_center <= x1 and top <= w.y_center <= bottom]

    def lines_in(
        self,
        x0: float = float("-inf"),
        top: float = float("-inf"),
        x1: float = float("inf"),
        bottom: float = float("inf"),
    ) -> list[Line]:
        """Lines made of the words inside the box only (so a neighbouring column does not join them)."""
        return group_lines(self.region(x0, top, x1, bottom))

    def find(
        self,
        pattern: str | re.Pattern[str],
        *,
        x0: float = float("-inf"),
        top: float = float("-inf"),
        x1: float = float("inf"),
        bottom: float = float("inf"),
    ) -> list[Match]:
        """Every match of `pattern` (case-insensitive) in the lines of the box, top to bottom."""
        regex = re.compile(pattern, re.I) if isinstance(pattern, str) else pattern
        lines = (
            self.lines
            if (x0, top, x1, bottom) == (float("-inf"), float("-inf"), float("inf"), float("inf"))
            else self.lines_in(x0, top, x1, bottom)
        )
        return [m for line in lines for m in search_line(line, regex)]


class Document:
    """A report PDF parsed once: pages of words, the file's sha256, and where it came from."""

    def __init__(self, path: Path, pages: Sequence[Page], sha256: str) -> None:
        self.path = path
        self.pages: tuple[Page, ...] = tuple(pages)
        self.sha256 = sha256

    @property
    def name(self) -> str:
        return self.path.name

    def __repr__(self) -> str:
        return f"<Document {self.name} {len(self.pages)} pages>"

    @cached_property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)

    def page(self, number: int) -> Page:
        return self.pages[number - 1]

    def find(self, pattern: str | re.Pattern[str]) -> list[Match]:
        """Every match of `pattern` on every page, in reading order."""
        return [m for page in self.pages for m in page.find(pattern)]

    @classmethod
    def open(cls, path: str | Path, limits: ExtractionLimits | None = None, engine: str | None = None) -> Document:
        """Read and parse a PDF; raise UnreadablePdfError / NoTextLayerError naming the file.

        Any exception or logged warning of the parser is an UnreadablePdfError (the file is damaged);
        more pages or a larger page content stream than `limits` allow is an ExtractionLimitError,
        raised before the parser interprets them. Time and memory are bounded by `extractors.bounded`.
        `engine` is `pdfplumber` or `pdfium` (default: `engine_setting()`); both give the same words.
        """
        path = Path(path)
        limits = ExtractionLimits.from_env() if limits is None else limits
        engine = engine_setting(engine)
        data = _read_pdf_bytes(path)
        if engine == "pdfium":
            from .engine_pdfium import UseReference, read_pages

            try:
                return cls._checked(path, read_pages(path, data, limits), data)
            except UseReference as reason:
                # Anything pdfium repairs silently or reads otherwise: the reference reads (or refuses) it.
                logging.getLogger(__name__).info("%s: read with pdfplumber (%s)", path.name, reason)
        try:
            # From the bytes already read: one read of the file, and no handle left open when the parser fails.
            with parser_damage() as damage, pdfplumber.open(io.BytesIO(data)) as pdf:
                pdf_pages = pdf.pages
                if len(pdf_pages) > limits.pages:
                    raise ExtractionLimitError(
                        f"{path.name}: {len(pdf_pages)} pages, more than any report prints (limit {limits.pages})"
                    )
                pages = []
                for number, page in enumerate(pdf_pages, start=1):
                    _check_page_box(path, number, page)
                    _check_stream_size(path, number, page, limits)
                    pages.append(_parse_page(number, page))
        except (ExtractionLimitError, MemoryError):
            raise
        except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
            raise UnreadablePdfError(f"{path.name}: the PDF is encrypted and cannot be read ({exc})") from exc
        except RecursionError as exc:
            raise UnreadablePdfError(f"{path.name}: not a readable PDF (objects nested too deeply)") from exc
        # The document boundary: whatever the parser raises on a damaged file (MalformedPDFException,
        # PSSyntaxError, struct.error, zlib.error, ...) is that file's one-line error, never a traceback.
        except Exception as exc:
            cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
            if isinstance(cause, MemoryError):  # pdfplumber wraps it; the bounded reader reports it as a limit
                raise cause from None
            if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
                raise UnreadablePdfError(f"{path.name}: the PDF is encrypted and cannot be read") from exc
            detail = _one_line(str(cause)) or "broken structure"
            raise UnreadablePdfError(f"{path.name}: not a readable PDF ({type(cause).__name__}: {detail})") from exc
        if damage.messages:
            more = f" and {len(damage.messages) - 1} more complaint(s)" if len(damage.messages) > 1 else ""
            raise UnreadablePdfError(
                f"{path.name}: damaged PDF, the parser could not read all of it ({damage.messages[0]}{more})"
            )
        return cls._checked(path, pages, data)

    @classmethod
    def _checked(cls, path: Path, pages: list[Page], data: bytes) -> Document:
        if not pages:
            raise UnreadablePdfError(f"{path.name}: the PDF has no pages")
        if sum(len(w.text) for p in pages for w in p.words) < MIN_TEXT_CHARS:
            raise NoTextLayerError(
                f"{path.name}: no text layer on its {len(pages)} page(s) (a scanned or outlined PDF?); OCR it first"
            )
        return cls(path, pages, hashlib.sha256(data).hexdigest())


#: The engines that can read a PDF into words: pdfplumber (pdfminer, the reference) and pdfium (fast).
ENGINES = ("pdfplumber", "pdfium")
#: The environment variable naming the engine (as the CLI's `--engine` sets it for readers and workers).
ENGINE_ENV = "MIXEDFLOWS_ENGINE"
DEFAULT_ENGINE = "pdfplumber"


def engine_setting(engine: str | None = None) -> str:
    """`engine` if given, else $MIXEDFLOWS_ENGINE, else DEFAULT_ENGINE; an unknown name is an ExtractionError."""
    name = (engine or os.environ.get(ENGINE_ENV, "").strip() or DEFAULT_ENGINE).lower()
    if name not in ENGINES:
        raise ExtractionError(f"unknown document engine {name!r} (known: {', '.join(ENGINES)})")
    return name


_damage_log = logging.getLogger("extractors.damage")


class _OperandCheckingInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter, except that an operator it cannot apply is reported, not skipped.

    pdfminer skips such an operator without a word: a `Tm` left with three numbers leaves the text
    it places at the previous position, and a figure goes missing or moves (found by tests/fuzz).
    """

    def pop(self, n: int) -> list[PDFStackT]:
        if len(self.argstack) < n:
            _damage_log.warning("an operator was given %d of its %d operands and was skipped", len(self.argstack), n)
        return super().pop(n)

    def __getattr__(self, name: str) -> Any:
        # pdfminer looks an operator up as `do_<name>` and skips unknown ones silently: a `Tj` damaged
        # to `Tx` draws nothing, and a row of figures is lost. Only called for names the class lacks.
        if not name.startswith("do_"):
            raise AttributeError(name)

        def unknown_operator(_unused: object = None) -> None:
            _damage_log.warning("unknown operator %r was skipped", name[3:])

        return unknown_operator


# pdfplumber builds its interpreter by this name for every page (and pdfminer's `dup` keeps the class
# for form XObjects): swap in the checking one once, for every parse in the process.
pdfplumber.page.PDFPageInterpreter = _OperandCheckingInterpreter


class _ParserDamage(logging.Handler):
    """Warnings the parser logs from one thread: the one parsing this document (backfills parse in threads)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        try:
            message = record.getMessage()
        except Exception:  # a damaged name can make the parser's own message fail to format
            message = str(record.msg)
        self.messages.append(_one_line(message))


@contextlib.contextmanager
def parser_damage() -> Iterator[_ParserDamage]:
    """Collect what the parser logs at WARNING or above while the block runs in this thread."""
    handler = _ParserDamage()
    loggers = [logging.getLogger(name) for name in PARSER_LOGGERS]
    lowered = []
    for logger in loggers:
        logger.addHandler(handler)
        # A level set higher elsewhere (to quiet pdfminer) must not hide damage from us.
        if logger.getEffectiveLevel() > logging.WARNING:
            lowered.append((logger, logger.level))
            logger.setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
        for logger, level in lowered:
            logger.setLevel(level)


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= DAMAGE_QUOTE_CHARS else flat[: DAMAGE_QUOTE_CHARS - 3] + "..."


def _check_page_box(path: Path, number: int, page: pdfplumber.page.Page) -> None:
    """Refuse a page box outside what the PDF standard allows (ISO 32000-1, annex C: 3 to 14,400 units a side).

    pdfminer reads on with a box that is inverted, empty or a million points wide, and every position on
    the page (the facts' bboxes, and the lines and columns read from them) moves with it.
    """
    for name, box in (("MediaBox", page.page_obj.mediabox), ("CropBox", page.page_obj.cropbox)):
        x0, y0, x1, y1 = box
        if not (PAGE_SIDE_MIN <= x1 - x0 <= PAGE_SIDE_MAX and PAGE_SIDE_MIN <= y1 - y0 <= PAGE_SIDE_MAX):
            raise UnreadablePdfError(f"{path.name}: damaged PDF, page {number} has an impossible {name} {list(box)}")


def _check_glyph_boxes(page: pdfplumber.page.Page) -> None:
    """Report a visible character drawn with no width or height: a degenerate matrix or scale (a damaged
    `1 0 0 1 x y Tm` read as `0 0 0 1 x y Tm`) stacks a figure's digits on one spot, and "88" reads as "8"."""
    for char in page.chars:
        if char["text"].strip() and (char["x1"] - char["x0"] <= 0 or char["bottom"] - char["top"] <= 0):
            _damage_log.warning(
                "character %r on page %d is drawn with no width or height", char["text"], page.page_number
            )
            return


def _check_stream_size(path: Path, number: int, page: pdfplumber.page.Page, limits: ExtractionLimits) -> None:
    """Refuse a page whose decoded content streams exceed the limit, before pdfminer interprets them."""
    size = 0
    for reference in page.page_obj.contents:
        get_data = getattr(resolve1(reference), "get_data", None)
        if get_data is not None:
            size += len(get_data())
    if size > limits.stream_bytes:
        raise ExtractionLimitError(
            f"{path.name}: page {number} draws {size:,} bytes of content, more than any report page "
            f"(limit {limits.stream_bytes:,})"
        )


def _read_pdf_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadablePdfError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadablePdfError(f"{path}: is a directory, not a PDF") from None
    except OSError as exc:
        raise UnreadablePdfError(f"{path}: cannot be read ({exc.strerror})") from None
    if not data:
        raise UnreadablePdfError(f"{path.name}: the file is empty")
    head = data[:1024].lstrip()
    if not head.startswith(b"%PDF-"):
        lowered = head[:200].lower()
        kind = "an HTML page" if (b"<html" in lowered or b"<!doctype" in lowered) else "some other file"
        raise UnreadablePdfError(f"{path.name}: not a PDF but {kind} (it does not start with %PDF-)")
    if b"%%EOF" not in data[-2048:]:
        raise UnreadablePdfError(f"{path.name}: truncated PDF (no %%EOF marker at the end)")
    return data


def _parse_page(number: int, page: pdfplumber.page.Page) -> Page:
    _check_glyph_boxes(page)
    rules = [
        Rule(float(e["x0"]), float(e["top"]), float(e["x1"]), float(e["bottom"]))
        for e in page.edges
        if e.get("orientation") in ("h", "v")
    ]
    return page_of_chars(number, float(page.width), float(page.height), page.chars, rules)


def page_of_chars(number: int, width: float, height: float, chars: list[dict[str, Any]], rules: list[Rule]) -> Page:
    """The page's words from its chars (pdfplumber's char dicts, from either engine) and its rules."""
    # Designer PDFs sometimes draw bold text twice (">60" read as ">60>60"): drop the copies first.
    chars = join_digit_groups([chars[index] for index in kept_char_indices(chars)])
    raw = extract_words(chars, extra_attrs=["size", "fontname"], keep_blank_chars=False, return_chars=True)
    words = [
        Word(
            text=w["text"],
            x0=float(w["x0"]),
            top=float(w["top"]),
            x1=float(w["x1"]),
            bottom=float(w["bottom"]),
            size=float(w["size"]),
            page=number,
            bold="bold" in str(w.get("fontname", "")).lower(),
        )
        for whole in raw
        for spread in split_spread_word(whole)
        for w in split_glued_word(spread)
        if w["text"].strip()
    ]
    return Page(number, width, height, mark_superscripts(words), rules)


#: Spaces some issues print between digit groups ("1 234" with a no-break, thin or narrow no-break space).
#: A no-break space often comes out of the text layer as a plain space, so that one counts too.
DIGIT_GROUP_SPACES = frozenset(" \u00a0\u2009\u202f")


def join_digit_groups(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chars with a thousands separator printed as a space read as a comma, so "1 234" stays one figure.

    pdfplumber ends a word at any space, so "1\u202f234" would be read as the two figures 1 and 234. A
    separator is a space printed (not a gap) between a group of one to three digits (or three after another
    separator) and exactly three digits, all touching on one baseline; its box is kept. "2024 343" is never
    one figure; two table cells run together ("6 123" of two columns) leave their row a figure short, an error.
    """
    joined = list(chars)
    for index, char in enumerate(chars):
        if char["text"] not in DIGIT_GROUP_SPACES or index == 0 or index + 3 >= len(chars):
            continue
        start = index
        while (
            start > 0
            and chars[start - 1]["text"].isdigit()
            and index - start < 4
            and _touch(chars[start - 1], chars[start])
        ):
            start -= 1
        lead = index - start
        before = joined[start - 1]["text"] if start > 0 else ""
        if not (1 <= lead <= 3 and (before != "," or lead == 3)):
            continue
        group = chars[index + 1 : index + 4]
        run = (chars[index - 1], char, *group)
        after = chars[index + 4] if index + 4 < len(chars) else None
        more_digits = after is not None and after["text"].isdigit() and _touch(group[-1], after)
        if (
            len(group) == 3
            and all(c["text"].isdigit() for c in group)
            and all(_touch(a, b) for a, b in zip(run, run[1:], strict=False))
            and not more_digits
        ):
            # in the digits' font too: a font change ends a word (the space may come from a fallback font)
            digit = chars[index - 1]
            joined[index] = {**char, "text": ",", "fontname": digit["fontname"], "size": digit["size"]}
    return joined


def _touch(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two chars printed one after the other on one baseline (no gap wider than half their size)."""
    return abs(a["top"] - b["top"]) < LINE_TOLERANCE and b["x0"] - a["x1"] < 0.5 * float(a["size"])


def split_spread_word(word: dict[str, Any]) -> list[dict[str, Any]]:
    """A pdfplumber word (with its `chars`) split where a gap is far wider than its letter gaps."""
    chars = word["chars"]
    if len(chars) < 3 or not word.get("upright", True):
        return [word]
    gaps = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:], strict=False)]
    usual = max(statistics.median(gaps), 0.0)
    limit = max(WORD_GAP_RATIO * float(word["size"]), SPREAD_GAP_FACTOR * usual)
    if max(gaps) <= limit:
        return [word]
    pieces: list[list[dict[str, Any]]] = [[chars[0]]]
    for gap, char in zip(gaps, chars[1:], strict=True):
        if gap > limit:
            pieces.append([])
        pieces[-1].append(char)
    return [_word_of(word, piece) for piece in pieces]


#: Where two touching header cells glue into one word: a capitalised word, or an opening bracket,
#: straight after at least four characters ("January-DecemberJanuary-December" at 1 pt letter
#: spacing, "(S/RES/1244Montenegro", "Herzegovina(UNSCR"). Shorter mixed case ("BiH") is one word.
_GLUED_AT = re.compile(r"(?<=[a-z0-9)\]])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\()")
GLUED_MIN_CHARS = 4


def split_glued_word(word: dict[str, Any]) -> list[dict[str, Any]]:
    """A pdfplumber word (with its `chars`) split where two labels printed edge to edge ran together."""
    text = word["text"]
    chars = word["chars"]
    if len(text) != len(chars):
        return [word]
    cuts = [m.start() for m in _GLUED_AT.finditer(text)]
    bounds = [0]
    for cut in cuts:
        if cut - bounds[-1] >= GLUED_MIN_CHARS and len(text) - cut >= GLUED_MIN_CHARS:
            bounds.append(cut)
    if len(bounds) == 1:
        return [word]
    bounds.append(len(text))
    return [_word_of(word, chars[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def _word_of(word: dict[str, Any], piece: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        **word,
        "text": "".join(c["text"] for c in piece),
        "x0": min(c["x0"] for c in piece),
        "x1": max(c["x1"] for c in piece),
        "top": min(c["top"] for c in piece),
        "bottom": max(c["bottom"] for c in piece),
        "chars": piece,
    }


def dedupe_chars(page: pdfplumber.page.Page, tolerance: float = 1) -> pdfplumber.page.Page:
    """`page.dedupe_chars()` with the same result, at a fraction of its cost.

    pdfplumber 0.11 restores the original order with `sorted(..., key=chars.index)`, which
    compares every char with every char (0.4 s of a 0.45 s parse on a 2,000-char page), and
    clusters through generic helpers. Same rule here: chars with the same text, font and size
    whose tops chain within `tolerance`, and then whose x0 do, are one char (the top-left one).
    """
    chars = page.chars
    deduped = FilteredPage(page, lambda obj: True)
    deduped._objects = {**page.objects, "char": [chars[index] for index in kept_char_indices(chars, tolerance)]}
    return deduped


def kept_char_indices(chars: Sequence[dict[str, Any]], tolerance: float = 1) -> list[int]:
    """Indices (in order) of the chars `dedupe_chars` keeps."""
    groups: dict[tuple, list[tuple[float, float, int]]] = {}
    for index, char in enumerate(chars):
        key = (char["upright"], char["text"], char["fontname"], char["size"])
        groups.setdefault(key, []).append((char["doctop"], char["x0"], index))
    kept: list[int] = []
    for members in groups.values():
        if len(members) == 1:
            kept.append(members[0][2])
            continue
        for y_cluster in _chains(members, 0, tolerance):
            for x_cluster in _chains(y_cluster, 1, tolerance):
                kept.append(min(x_cluster)[2])
    kept.sort()
    return kept


def _chains(members: list[tuple], axis: int, tolerance: float) -> list[list[tuple]]:
    """Members split where consecutive values (sorted on `axis`) are more than `tolerance` apart."""
    ordered = sorted(members, key=itemgetter(axis))
    chains = [[ordered[0]]]
    for member in ordered[1:]:
        if member[axis] <= chains[-1][-1][axis] + tolerance:
            chains[-1].append(member)
        else:
            chains.append([member])
    return chains


def mark_superscripts(words: Sequence[Word]) -> list[Word]:
    """Flag footnote marks: smaller, raised words right after a word, or runs of Unicode superscripts."""
    # Words a mark may follow are looked up by where they end (bisect on x1), not scanned in full.
    by_end = sorted(words, key=lambda w: w.x1)
    ends = [w.x1 for w in by_end]
    reach = SUPERSCRIPT_MAX_GAP_RATIO * max((w.size for w in words), default=0.0)
    marked: list[Word] = []
    for word in words:
        first, last = bisect.bisect_left(ends, word.x0 - reach), bisect.bisect_right(ends, word.x0 + 0.5)
        flag = _is_superscript(word, by_end[first:last])
        marked.append(word if word.superscript == flag else dataclasses.replace(word, superscript=flag))
    return marked


def _is_superscript(word: Word, neighbours: Sequence[Word]) -> bool:
    if _MARK_ONLY.match(word.text):
        return True
    if not re.fullmatch(r"[\d,*\s]+", word.text):
        return False
    for left in neighbours:
        if left is word or left.page != word.page:
            continue
        gap = word.x0 - left.x1
        if not (-0.5 <= gap <= SUPERSCRIPT_MAX_GAP_RATIO * left.size):
            continue
        overlaps = word.bottom > left.top and word.top < left.bottom
        if (
            overlaps
            and word.size <= SUPERSCRIPT_SIZE_RATIO * left.size
            and word.bottom <= left.bottom - SUPERSCRIPT_RAISE_RATIO * left.size
        ):
            return True
    return False


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Cluster words into lines by vertical overlap with the line's body (marks join their line)."""
    lines: list[list[Word]] = []
    bands: list[tuple[float, float]] = []
    body = sorted((w for w in words), key=lambda w: (w.superscript, w.top, w.x0))
    for word in body:
        center = word.y_center
        for index, (top, bottom) in enumerate(bands):
            if top - LINE_TOLERANCE <= center <= bottom + LINE_TOLERANCE:
                lines[index].append(word)
                if not word.superscript:
                    bands[index] = (min(top, word.top), max(bottom, word.bottom))
                break
        else:
            lines.append([word])
            bands.append((word.top, word.bottom))
    result = [Line(tuple(sorted(ws, key=lambda w: w.x0))) for ws in lines]
    return sorted(result, key=lambda line: (line.top, line.x0))


def search_line(line: Line, regex: re.Pattern[str]) -> Iterator[Match]:
    """Matches of `regex` in a line's text; each maps back to the words it covers."""
    words = line.text_words
    spans: list[tuple[int, int]] = []
    offset = 0
    for word in words:
        spans.append((offset, offset + len(word.text)))
        offset += len(word.text) + 1
    text = " ".join(w.text for w in words)
    for found in regex.finditer(text):
        if found.end() == found.start():
            continue
        covered = tuple(w for w, (s, e) in zip(words, spans, strict=True) if s < found.end() and e > found.start())
        if covered:
            yield Match(covered, found.groupdict(), line)


def median_size(words: Iterable[Word]) -> float:
    sizes = [w.size for w in words]
    return statistics.median(sizes) if sizes else 0.0
