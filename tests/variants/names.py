"""Country names drawn from OCHA's own name data (hdx-python-country's bundled CSV), as publishers vary them.

A space, not a list: every country's official and short names, turned into UN short forms
("Rep.", "Dem.", "Fed.", "Is.", "St."), "&" for "and", "Korea, Dem. People's Rep."-style inversions
of "Korea (the Democratic People's Republic of)", accents stripped or not, and case changes. The
generator prints nationalities from it (style `name_drift`), and tests/extract/test_names.py proves no drawn
name resolves to a wrong code.
"""

from __future__ import annotations

import csv
import itertools
import random
import re
import unicodedata
from functools import cache

#: hdx columns of English names a publisher might print.
NAME_COLUMNS = (
    "Preferred Term",
    "English Short",
    "RW Short Name",
    "M49 English",
    "ISO Alt Term",
    "HPC Tools Alt Term",
    "English Formal",
)
#: UN short forms of words in names.
ABBREVIATIONS = (
    ("Republic", "Rep."),
    ("Democratic", "Dem."),
    ("Federation", "Fed."),
    ("Federal", "Fed."),
    ("Federated", "Fed."),
    ("Islands", "Is."),
    ("Saint", "St."),
)


@cache
def hdx_countries() -> dict[str, dict[str, str]]:
    """hdx's rows by ISO3 code (countries and territories that have one)."""
    from hdx.location.country import Country

    with open(Country._ochapath, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {row["ISO 3166-1 Alpha 3-Codes"]: row for row in rows if row["ISO 3166-1 Alpha 3-Codes"]}


def base_names(code: str) -> list[str]:
    """The country's English names in hdx, "(the)" and a leading "the" dropped, "X (Y)" also as "X, Y"."""
    row = hdx_countries()[code]
    names: list[str] = []
    for column in NAME_COLUMNS:
        name = (row.get(column) or "").strip()
        if not name:
            continue
        name = re.sub(r"\s*\(the\)$", "", name)
        name = re.sub(r"^the\s+", "", name, flags=re.I)
        names.append(name)
        inverted = re.fullmatch(r"(.+?)\s*\((?:the\s+)?(.+)\)", name)
        if inverted:
            names.append(f"{inverted[1]}, {inverted[2]}")
    return list(dict.fromkeys(names))


def _abbreviate(name: str) -> str:
    for word, short in ABBREVIATIONS:
        name = re.sub(rf"\b{word}\b", short, name)
    return name


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _ampersand(name: str) -> str:
    return re.sub(r"\band\b", "&", name)


TRANSFORMS = {"abbreviate": _abbreviate, "ampersand": _ampersand, "strip_accents": _strip_accents}
CASES = {"as printed": lambda s: s, "upper": str.upper, "lower": str.lower, "title": str.title}


def _abbreviations(name: str) -> list[str]:
    """The name with each subset of its abbreviable words shortened ("Dem. Republic", "Democratic Rep.")."""
    spots = [m for word, short in ABBREVIATIONS for m in re.finditer(rf"\b{word}\b", name)]
    shorts = dict(ABBREVIATIONS)
    found = []
    for count in range(len(spots) + 1):
        for chosen in itertools.combinations(sorted(spots, key=lambda m: m.start(), reverse=True), count):
            varied = name
            for match in chosen:
                varied = varied[: match.start()] + shorts[match[0]] + varied[match.end() :]
            found.append(varied)
    return found


def drawn_names(code: str) -> list[str]:
    """Every name of the space for one country: each base name, each subset of its abbreviable words
    shortened, under each set of the other transforms and each case."""
    found: list[str] = []
    for name in (short for base in base_names(code) for short in _abbreviations(base)):
        for count in range(len(TRANSFORMS) + 1):
            for chosen in itertools.combinations(TRANSFORMS.values(), count):
                varied = name
                for transform in chosen:
                    varied = transform(varied)
                for case in CASES.values():
                    found.append(case(varied))
    return list(dict.fromkeys(found))


def draw_name(code: str, rng: random.Random) -> str:
    """One name for `code` from the space, as a publisher might print it (case kept as printed or title)."""
    name = rng.choice(base_names(code))
    for transform in TRANSFORMS.values():
        if rng.random() < 0.5:
            name = transform(name)
    return name


#: Nationalities the drift may print: independent countries (hdx's "Independent" column), not the region's.
def _drift_pool() -> list[str]:
    from extractors.geo import WB_COUNTRIES

    return sorted(c for c, row in hdx_countries().items() if row.get("Independent") == "Y" and c not in WB_COUNTRIES)


def with_new_nationalities(truth: dict, seed: int) -> dict:
    """The truth with about half of its nationalities replaced by countries never printed in a sample.

    The replacement is one-to-one, so shares, ranks and sums are untouched; only the codes change.
    """
    rng = random.Random(f"nationalities:{seed}")
    breakdowns = sorted(
        {r["breakdown"] for r in truth["facts"] if (r.get("breakdown") or "").startswith("nationality:")}
    )
    codes = [b.split(":")[1] for b in breakdowns]
    free = [c for c in _drift_pool() if c not in codes]
    mapping = {code: free.pop(rng.randrange(len(free))) if rng.random() < 0.5 else code for code in codes}
    facts = []
    for row in truth["facts"]:
        breakdown = row.get("breakdown") or ""
        if breakdown.startswith("nationality:"):
            row = {**row, "breakdown": f"nationality:{mapping[breakdown.split(':')[1]]}"}
        facts.append(row)
    return {**truth, "facts": facts}
