"""Figures a damaged text layer broke apart: found on the page, and the figures beside them held back.

A content stream with a damaged glyph or position operand can still parse without a warning, yet print
"25,355" as "25,53 5" or "4,661" as "4Ȍ661". A reader that looks for "a figure beside this label" then
finds the fragment that still parses ("5", "661") and reads a wrong value. No reader can tell such a
fragment from a real figure, so the check is made once, on every word of the document: a word shaped
like a figure that no figure is printed as marks its line as damaged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from .document import Document, Word
from .facts import Fact

#: Digits grouped by commas ("25,355", or damaged: "25,53", "5,43,012", "1234,567").
_GROUPED = re.compile(r"\d+(?:,\d+)+")


def _broken_grouping(text: str) -> bool:
    """Digit groups that are not one to three digits then threes: never how either publisher prints a
    figure (they print "25,355" or "25 355", a decimal point and never a decimal comma)."""
    for match in _GROUPED.finditer(text):
        first, *rest = match[0].split(",")
        if len(first) > 3 or any(len(group) != 3 for group in rest):
            return True
    return False


def _letter_between_digits(text: str) -> bool:
    """A non-ASCII letter or control character printed between two digits ("4Ȍ661"): a damaged glyph code.

    ASCII letters between digits are left alone: codes such as "H1N1" or "4x4" print them.
    """
    for before, middle, after in zip(text, text[1:], text[2:], strict=False):
        if before.isdigit() and after.isdigit():
            kind = unicodedata.category(middle)[0]
            if kind == "C" or (kind == "L" and not middle.isascii()):
                return True
    return False


def broken_figure(word: Word) -> bool:
    """True when `word` is shaped like a figure but no figure is printed that way."""
    if word.superscript:  # footnote marks such as "1,2" name two notes
        return False
    text = word.text.strip("()[]")
    return _broken_grouping(text) or _letter_between_digits(text)


def broken_figures(document: Document) -> list[Word]:
    """Every word of the document that looks like a figure broken apart by damage, in reading order."""
    return [word for page in document.pages for word in page.words if broken_figure(word)]


def beside_broken(fact: Fact, broken: Sequence[Word]) -> bool:
    """True when `fact` is printed on the same text line as a broken figure (its remains may be the fact)."""
    _, top, _, bottom = fact.bbox
    return any(word.page == fact.page and word.top < bottom and top < word.bottom for word in broken)


def without_broken(facts: Iterable[Fact], broken: Sequence[Word]) -> list[Fact]:
    """The facts not printed beside a broken figure."""
    return [fact for fact in facts if not beside_broken(fact, broken)]


def _mark_numbers(text: str) -> list[str]:
    """The note numbers a footnote mark names ("1,2" names 1 and 2; "³" names 3)."""
    return [part for part in unicodedata.normalize("NFKC", text).replace(" ", "").split(",") if part.isdigit()]


def marks_without_notes(document: Document) -> list[tuple[str, Word]]:
    """Footnote marks whose note no line of the document starts with: the note's text was lost.

    A mark is a superscript number printed after other words on its line (a superscript number that
    starts its line is the note's own number). A note is a line that starts with that number, printed
    as a mark or in body text, followed by words. Figures qualified by a note ("data ... non-final")
    cannot be published as final when a note could not be read.
    """
    marks: list[tuple[str, Word]] = []
    notes: set[str] = set()
    for page in document.pages:
        for line in page.lines:
            words = list(line.words)
            # A note's number may be spaced into one superscript word per digit ("¹ ⁰" for 10).
            lead = 0
            while lead < len(words) and words[lead].superscript:
                lead += 1
            if lead and lead < len(words):
                notes.update(_mark_numbers("".join(w.text for w in words[:lead])))
            elif len(words) > 1:
                notes.update(_mark_numbers(words[0].text.strip("()[]")))
            marks += [
                (number, word)
                for word in words[max(lead, 1) :]
                if word.superscript
                for number in _mark_numbers(word.text)
            ]
    return [(number, word) for number, word in marks if number not in notes]
