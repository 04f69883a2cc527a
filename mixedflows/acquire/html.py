"""A small element tree built with the stdlib `html.parser`, and selectors for finding links in it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from html.parser import HTMLParser

#: Elements that never have content or an end tag (HTML living standard, "void elements").
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)

#: Elements whose end tag pages often leave out: a new one closes the one still open.
SELF_CLOSING_SIBLINGS = frozenset({"li", "p", "option", "tr", "td", "th", "dt", "dd"})


@dataclasses.dataclass(eq=False)
class Element:
    """One HTML element: its tag, attributes and children (elements and text, in document order)."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = dataclasses.field(default_factory=list)

    @property
    def classes(self) -> frozenset[str]:
        return frozenset(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        """All text inside the element, whitespace collapsed to single spaces."""
        parts: list[str] = []
        stack: list[Element | str] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                parts.append(node)
            else:
                stack.extend(reversed(node.children))
        return " ".join(" ".join(parts).split())

    def descendants(self) -> Iterator[Element]:
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def find_all(self, selector: Selector) -> list[Element]:
        return [element for element in self.descendants() if selector.matches(element)]

    def find(self, selector: Selector) -> Element | None:
        return next((element for element in self.descendants() if selector.matches(element)), None)


@dataclasses.dataclass(frozen=True)
class Selector:
    """Which elements to pick: a tag, optionally a class, an `href` or `rel` pattern, an enclosing element.

    Written as data so that a source's description of its pages reads like the pages themselves
    (`Selector("a", "title")` is CSS `a.title`).
    """

    tag: str
    css_class: str | None = None
    href: str | None = None
    rel: str | None = None
    within: Selector | None = None

    def __post_init__(self) -> None:
        if self.href is not None:
            re.compile(self.href)

    def matches(self, element: Element) -> bool:
        if element.tag != self.tag:
            return False
        if self.css_class is not None and self.css_class not in element.classes:
            return False
        if self.href is not None and not re.search(self.href, element.attrs.get("href", "")):
            return False
        if self.rel is not None and self.rel not in element.attrs.get("rel", "").split():
            return False
        return self.within is None or any(self.within.matches(a) for a in element.ancestors())

    def __str__(self) -> str:
        own = self.tag + (f".{self.css_class}" if self.css_class else "")
        own += f"[href~/{self.href}/]" if self.href else ""
        own += f"[rel={self.rel}]" if self.rel else ""
        return f"{self.within} {own}" if self.within else own


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self._open = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SELF_CLOSING_SIBLINGS and self._open.tag == tag and self._open.parent is not None:
            self._open = self._open.parent
        element = Element(tag, {name: value or "" for name, value in attrs}, parent=self._open)
        self._open.children.append(element)
        if tag not in VOID_ELEMENTS:
            self._open = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, parent=self._open)
        self._open.children.append(element)

    def handle_endtag(self, tag: str) -> None:
        # Close the nearest open element of this tag (and anything left open inside it); a stray
        # end tag with no open element to match is ignored, as browsers do.
        node: Element | None = self._open
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self._open = node.parent

    def handle_data(self, data: str) -> None:
        if self._open.tag not in ("script", "style"):
            self._open.children.append(data)


def parse_html(text: str) -> Element:
    """The element tree of an HTML page; never raises on malformed markup."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root
