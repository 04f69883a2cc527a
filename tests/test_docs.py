"""The docs say true things about the tree: CONTRIBUTING.md's paths exist, every family is in the family table,
every relative link resolves, and the README stays a five-minute read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.registry import EXTRACTORS

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
#: A path in backticks: a known top-level folder, then anything without spaces.
_PATH = re.compile(r"`((?:extractors|schemas|mixedflows|flows|tests|config|docs|benchmarks|raw_pdfs)/[^`\s]*)`")
_PLACEHOLDER = re.compile(r"<[^>]+>")


def named_paths(text: str) -> list[str]:
    """The repository paths a document names in backticks (comments for the merge left out)."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return sorted(set(_PATH.findall(text)))


def test_contributing_names_only_paths_that_exist() -> None:
    """Each path of "adding a report family" exists, for every registered family (`<family>` replaced)."""
    paths = named_paths((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"))
    assert any("<family>" in p for p in paths)  # the recipe is written for any family
    missing = []
    for path in paths:
        for family in EXTRACTORS if "<family>" in path else [None]:
            concrete = path.replace("<family>", family) if family else path
            pattern = _PLACEHOLDER.sub("*", concrete)
            if not list(ROOT.glob(pattern.rstrip("/"))):
                missing.append(concrete)
    assert missing == []


def test_every_family_has_a_row_in_the_family_table() -> None:
    extraction = (ROOT / "docs" / "EXTRACTION.md").read_text(encoding="utf-8")
    table = extraction.split("| family key |", 1)[1].split("\n\n", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \|", table, flags=re.MULTILINE)
    assert sorted(rows) == sorted(EXTRACTORS)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(doc: Path) -> None:
    """Every `[text](relative/path#anchor)` points at a file that exists and, with an anchor, a heading in it."""
    text = doc.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        linked = (doc.parent / path).resolve() if path else doc
        if not linked.exists() or (anchor and anchor not in _anchors(linked)):
            broken.append(target)
    assert broken == []


def _anchors(doc: Path) -> set[str]:
    """GitHub's anchors of a markdown file's headings: lower case, punctuation dropped, spaces as dashes."""
    headings = re.findall(r"^#+ (.+)$", doc.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_the_readme_is_short_and_says_the_pdfs_are_synthetic() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 100
    assert "./dev run" in readme and "./dev test" in readme
    assert "synthetic" in readme
