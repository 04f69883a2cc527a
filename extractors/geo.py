"""Names of places and nationalities as the reports print them, mapped to ISO 3166 alpha-3 codes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

#: Geo codes of the six Western Balkans countries and territories; `XKX` is Kosovo as UN agencies code it.
WB_COUNTRIES: tuple[str, ...] = ("ALB", "BIH", "MNE", "MKD", "SRB", "XKX")
REGION = "WB"
GEO_CODES = frozenset(WB_COUNTRIES) | {REGION}

# Keys are normalised with `normalise_label`.
_PLACE_ALIASES: dict[str, str] = {
    "albania": "ALB",
    "republic of albania": "ALB",
    "bosnia and herzegovina": "BIH",
    "bosnia herzegovina": "BIH",
    "bosnia-herzegovina": "BIH",
    "bih": "BIH",
    "b and h": "BIH",
    "bosnia": "BIH",
    "montenegro": "MNE",
    "north macedonia": "MKD",
    "republic of north macedonia": "MKD",
    "n. macedonia": "MKD",
    "macedonia": "MKD",
    "the former yugoslav republic of macedonia": "MKD",
    "former yugoslav republic of macedonia": "MKD",
    "fyrom": "MKD",
    "fyr macedonia": "MKD",
    "serbia": "SRB",
    "republic of serbia": "SRB",
    "kosovo": "XKX",
    "western balkans": REGION,
    "the western balkans": REGION,
    "wb": REGION,
}

# UN names and short forms pycountry does not resolve, or resolves differently from UN usage.
_NATIONALITY_ALIASES: dict[str, str] = {
    "syria": "SYR",
    "syrian arab republic": "SYR",
    "occupied palestinian territory": "PSE",
    "occupied palestinian territories": "PSE",
    "state of palestine": "PSE",
    "palestine": "PSE",
    "palestinian": "PSE",
    "turkey": "TUR",
    "turkiye": "TUR",
    "iran": "IRN",
    "iran (islamic republic of)": "IRN",
    "islamic republic of iran": "IRN",
    "russia": "RUS",
    "russian federation": "RUS",
    "dr congo": "COD",
    "drc": "COD",
    "democratic republic of the congo": "COD",
    "congo": "COG",
    "cote d'ivoire": "CIV",
    "ivory coast": "CIV",
    "moldova": "MDA",
    "republic of moldova": "MDA",
    "vietnam": "VNM",
    "viet nam": "VNM",
    "laos": "LAO",
    "tanzania": "TZA",
    "united republic of tanzania": "TZA",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "south korea": "KOR",
    "north korea": "PRK",
    "kosovo": "XKX",
}

_FOOTNOTE_TAIL = re.compile(r"[\s\d\u00b9\u00b2\u00b3\u2070-\u209f*†‡,]+$")
# Only the qualifier's own forms: "(UNSCR 1244)", "(S/RES/1244 (1999))", "(S/RES/1244 [1999])",
# "(1244)". Anything wider would swallow a neighbouring label read together with it (a wrapped
# header "Kosovo (S/RES/1244 Montenegro (1999))" must not read as Kosovo alone).
_KOSOVO_QUALIFIER = re.compile(
    r"\(\s*(?:(?:under\s+)?UN\s*SCR|S\s*/\s*RES\s*/|SCR)?\s*1244\s*(?:[(\[]\s*1999\s*[)\]])?\s*\)?",
    re.I,
)


def normalise_label(text: str) -> str:
    """Lower-case, accent-free, footnote marks and Kosovo's UNSCR qualifier removed, spaces folded."""
    text = unicodedata.normalize("NFKC", text)
    text = _KOSOVO_QUALIFIER.sub(" ", text)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.replace("’", "'").replace("&", " and ")
    text = " ".join(text.split()).strip()
    text = _FOOTNOTE_TAIL.sub("", text)
    return text.strip(" .:").lower()


def place_code(label: str) -> str | None:
    """The geo code of a printed place name (`Kosovo⁴` -> `XKX`, `BiH` -> `BIH`), or None."""
    key = normalise_label(label)
    if key in _PLACE_ALIASES:
        return _PLACE_ALIASES[key]
    return _PLACE_ALIASES.get(key.replace("-", " "))


def nationality_code(label: str) -> str | None:
    """The ISO 3166 alpha-3 code of a printed nationality or country of origin, or None."""
    key = normalise_label(label)
    if not key:
        return None
    if key in _NATIONALITY_ALIASES:
        return _NATIONALITY_ALIASES[key]
    return _pycountry_code(key)


@lru_cache(maxsize=512)
def _pycountry_code(key: str) -> str | None:
    try:
        return pycountry.countries.lookup(key).alpha_3
    except LookupError:
        pass
    # "Iran (Islamic Republic of)"-style UN names: try the part before the parenthesis.
    head = key.split("(")[0].strip()
    if head and head != key:
        return nationality_code(head)
    return None
