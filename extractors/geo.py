"""Names of places and nationalities as the reports print them, mapped to ISO 3166 alpha-3 codes.

Names resolve through OCHA's country names (`hdx-python-country`, its bundled data, never the
network) and the project's own aliases in `config/aliases.toml` (Kosovo's forms, `BiH`, the
region). A resolution says how it matched: `exact` (a name hdx lists, accents and case aside, with
its own abbreviations such as "Rep." expanded), `alias` (an alias of the config file, or one of
hdx's per-country patterns) or `fuzzy` (no name matched, but exactly one country's names hold every
word printed, and hdx's fuzzy match picks that same country). Readers record a fuzzy match as a
warning and an unresolved label as an error; a label is never published under a guessed code.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import re
import threading
import time
import tomllib
import unicodedata
from collections.abc import Callable
from pathlib import Path

#: Geo codes of the six Western Balkans countries and territories; `XKX` is Kosovo as UN agencies code it.
WB_COUNTRIES: tuple[str, ...] = ("ALB", "BIH", "MNE", "MKD", "SRB", "XKX")
REGION = "WB"
GEO_CODES = frozenset(WB_COUNTRIES) | {REGION}

#: The operator-edited aliases, in the configuration directory (`mixedflows.settings.config_dir`): they add
#: to (and may override) the project's own, shipped with the package so that extraction never depends on
#: where it runs from (Kosovo's forms, BiH, the region).
ALIASES_FILE = "aliases.toml"
PROJECT_ALIASES = Path(__file__).resolve().parent.parent / "config" / ALIASES_FILE
BUILTIN_ALIASES = Path(__file__).resolve().parent / ALIASES_FILE

#: How a label matched, best first.
HOW = ("exact", "alias", "fuzzy")

_FOOTNOTE_TAIL = re.compile(r"[\s\d\u00b9\u00b2\u00b3\u2070-\u209f*†‡,]+$")
# Only the qualifier's own forms: "(UNSCR 1244)", "(S/RES/1244 (1999))", "(S/RES/1244 [1999])",
# "(1244)". Anything wider would swallow a neighbouring label read together with it (a wrapped
# header "Kosovo (S/RES/1244 Montenegro (1999))" must not read as Kosovo alone).
_KOSOVO_QUALIFIER = re.compile(
    r"\(\s*(?:(?:under\s+)?UN\s*SCR|S\s*/\s*RES\s*/|SCR)?\s*1244\s*(?:[(\[]\s*1999\s*[)\]])?\s*\)?",
    re.I,
)
#: Abbreviations a printed word may stand for (hdx's own list, lower case, without the dot).
_WORD_EXPANSIONS: dict[str, tuple[str, ...]] = {
    "dem": ("democratic",),
    "fmr": ("former",),
    "prov": ("province",),
    "rep": ("republic",),
    "st": ("saint",),
    "utd": ("united",),
    "fed": ("federation", "federal", "federated"),
    "is": ("island", "islands"),
    "isl": ("island", "islands"),
    "terr": ("territory", "territories"),
}
#: Fewer letters than this is not a name a fuzzy match may try ("in", "Rep." alone).
MIN_FUZZY_LETTERS = 4


class AliasesError(ValueError):
    """`config/aliases.toml` cannot be used; the message names the file and what is wrong."""


@dataclasses.dataclass(frozen=True)
class Resolution:
    """A printed label's code and how it was found (`exact`, `alias` or `fuzzy`)."""

    code: str
    how: str
    printed: str

    @property
    def fuzzy(self) -> bool:
        return self.how == "fuzzy"


def normalise_label(text: str) -> str:
    """Lower-case, accent-free, footnote marks and Kosovo's UNSCR qualifier removed, spaces folded."""
    text = _clean(text)
    text = _strip_accents(text).replace("&", " and ")
    return " ".join(text.split()).strip(" .:").lower()


def resolve_place(label: str) -> Resolution | None:
    """A printed Western Balkans place or the region (`Kosovo⁴` -> XKX, `BiH` -> BIH), or None.

    Only exact names and aliases: a place label also tells readers where a row label ends (the
    longest run of words that names a place), so a place must never match by a word or two.
    """
    return _resolver().place(label)


def resolve_nationality(label: str) -> Resolution | None:
    """A printed nationality or country of origin, by exact name, alias, or an unambiguous fuzzy match."""
    return _resolver().nationality(label)


def place_code(label: str) -> str | None:
    """The geo code of a printed place name (`Kosovo⁴` -> `XKX`, `BiH` -> `BIH`), or None."""
    found = resolve_place(label)
    return found.code if found else None


def nationality_code(label: str) -> str | None:
    """The ISO 3166 alpha-3 code of a printed nationality or country of origin, or None."""
    found = resolve_nationality(label)
    return found.code if found else None


def aliases_path() -> Path:
    """`aliases.toml` in the configuration directory ($MIXEDFLOWS_CONFIG_DIR, else the project's `config/`)."""
    named = os.environ.get("MIXEDFLOWS_CONFIG_DIR", "").strip()
    return Path(named) / ALIASES_FILE if named else PROJECT_ALIASES


def aliases_fingerprint() -> str:
    """A short digest of the aliases file's content: a change to it is a change of extraction config."""
    import hashlib

    path = aliases_path()
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    except FileNotFoundError:
        return "none"
    except OSError:
        return "unreadable"


def warm() -> float:
    """Load hdx's names and the aliases file now (not on the first label); seconds it took."""
    start = time.perf_counter()
    _resolver()
    return time.perf_counter() - start


# --- The resolver ------------------------------------------------------------------------------------------


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'")
    text = _KOSOVO_QUALIFIER.sub(" ", text)
    text = " ".join(text.split()).strip()
    return _FOOTNOTE_TAIL.sub("", text).strip(" :")


def _strip_accents(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    """Lower-case, accent-free words; an apostrophe joins ("People's" -> peoples), "&" is "and"."""
    text = _strip_accents(text).lower().replace("&", " and ").replace("'", "").replace("’", "")
    return re.findall(r"[a-z]+", text)


class _Resolver:
    """hdx's names and the config's aliases, indexed once; answers cached per label."""

    def __init__(self, aliases: tuple[dict[str, str], dict[str, str]]) -> None:
        self._rows = _hdx_rows()
        data = _hdx_index(self._rows)
        self._names: dict[str, str] = dict(data["countrynames2iso3"])
        stripped: dict[str, set[str]] = {}
        for name, code in self._names.items():
            stripped.setdefault(_strip_accents(name), set()).add(code)
        # An accent-free form stands for a name only when no two countries share it.
        for name, codes in stripped.items():
            if len(codes) == 1:
                self._names.setdefault(name, next(iter(codes)))
        self._patterns: dict[str, re.Pattern[str]] = dict(data["aliases"])
        self._vocabulary: dict[str, frozenset[str]] = {}
        for code, country in data["countries"].items():
            words: set[str] = set()
            for column in _ENGLISH_NAME_COLUMNS:
                words.update(_words(country.get(column) or ""))
            self._vocabulary[code] = frozenset(words)
        self._known_words = frozenset().union(*self._vocabulary.values())
        self._place_aliases, self._nationality_aliases = aliases
        self._places: dict[str, Resolution | None] = {}
        self._nationalities: dict[str, Resolution | None] = {}

    # Public lookups, cached per printed label.

    def place(self, label: str) -> Resolution | None:
        if label not in self._places:
            self._places[label] = self._place(label)
        return self._places[label]

    def nationality(self, label: str) -> Resolution | None:
        if label not in self._nationalities:
            self._nationalities[label] = self._nationality(label)
        return self._nationalities[label]

    # The steps.

    def _place(self, label: str) -> Resolution | None:
        key = normalise_label(label)
        if not key:
            return None
        for variant in (key, key.replace("-", " ")):
            if variant in self._place_aliases:
                return Resolution(self._place_aliases[variant], "alias", label)
        code = self._exact(label)
        if code in GEO_CODES:
            return Resolution(code, "exact", label)
        return None

    def _nationality(self, label: str) -> Resolution | None:
        key = normalise_label(label)
        if not key:
            return None
        if key in self._nationality_aliases:
            return Resolution(self._nationality_aliases[key], "alias", label)
        if code := self._exact(label):
            return Resolution(code, "exact", label)
        if not self._name_like(label):
            return None
        if code := self._pattern(label):
            return Resolution(code, "alias", label)
        if code := self._fuzzy(label):
            return Resolution(code, "fuzzy", label)
        return None

    def _exact(self, label: str) -> str | None:
        """A name hdx lists (any case, accents or none, hdx's abbreviations expanded); never an ISO code."""
        text = _clean(label)
        forms = {text, _strip_accents(text)}
        forms |= {" ".join(form.replace("&", " and ").split()) for form in forms}
        for form in sorted(forms):
            upper = form.upper().strip()
            if not upper:
                continue
            if code := self._names.get(upper):
                return code
            for candidate in _expand_abbreviations(upper):
                if code := self._names.get(candidate):
                    return code
        return None

    def _name_like(self, label: str) -> bool:
        """Every printed word is a word of some country's name (so prose or a heading never matches)."""
        words = _words(_clean(label))
        return bool(words) and all(self._expansions(w) & self._known_words for w in words)

    def _pattern(self, label: str) -> str | None:
        """hdx's per-country pattern ("Korea" -> KOR, "Palestinian" -> PSE), when only one country's matches."""
        text = _strip_accents(_clean(label)).upper()
        codes = {code for code, pattern in self._patterns.items() if pattern.search(text)}
        return next(iter(codes)) if len(codes) == 1 else None

    def _fuzzy(self, label: str) -> str | None:
        """The one country whose names hold every printed word, if hdx's fuzzy match agrees; else None."""
        words = _words(_clean(label))
        if sum(len(w) for w in words) < MIN_FUZZY_LETTERS:
            return None
        covering = [
            code
            for code, vocabulary in self._vocabulary.items()
            if all(self._expansions(w) & vocabulary for w in words)
        ]
        if len(covering) != 1:
            return None
        try:
            code, _exact = self._hdx_country().get_iso3_country_code_fuzzy(
                _strip_accents(_clean(label)), use_live=False
            )
        except Exception:  # hdx's fuzzy scorer on an odd string: no match, never a crash
            return None
        return code if code == covering[0] else None

    @staticmethod
    def _expansions(word: str) -> frozenset[str]:
        return frozenset((word, *_WORD_EXPANSIONS.get(word, ())))

    def _hdx_country(self) -> type:
        """hdx's `Country`, imported on the first fuzzy lookup only (the import alone takes ~0.8 s)."""
        from hdx.location.country import Country

        if Country._countriesdata is None or not Country._countriesdata.get("countries"):
            Country.set_use_live_default(False)
            Country.set_countriesdata(self._rows)
        return Country


# hdx's own name columns and abbreviation lists (`hdx.location.country.Country._country_name_keys`,
# `.abbreviations`, `.multiple_abbreviations`), so that exact names and patterns resolve without importing
# hdx's module and its downloader; tests/extract/test_names.py checks they are still hdx's.
HDX_NAME_KEYS = (
    "Preferred Term",
    "ISO Alt Term",
    "DGACM Alt Term",
    "HPC Tools Alt Term",
    "RW Short Name",
    "RW API Alt Term",
    "English Short",
    "French Short",
    "Spanish Short",
    "Russian Short",
    "Chinese Short",
    "Arabic Short",
    "English Formal",
    "M49 English",
    "M49 French",
    "M49 Spanish",
    "M49 Russian",
    "M49 Chinese",
    "M49 Arabic",
)
#: hdx's columns of English names (the words a fuzzy match may use): its name columns in other languages left out.
_OTHER_LANGUAGES = ("French", "Spanish", "Russian", "Chinese", "Arabic")
_ENGLISH_NAME_COLUMNS = tuple(key for key in HDX_NAME_KEYS if not any(lang in key for lang in _OTHER_LANGUAGES))
HDX_ABBREVIATIONS = {
    "DEM.": "DEMOCRATIC",
    "FMR.": "FORMER",
    "PROV.": "PROVINCE",
    "REP.": "REPUBLIC",
    "ST.": "SAINT",
    "UTD.": "UNITED",
    "U.": "UNITED",
    "N.": "NORTH",
    "E.": "EAST",
    "W.": "WEST",
    "K.": "KINGDOM",
}
HDX_MULTIPLE_ABBREVIATIONS = {
    "FED.": ["FEDERATION", "FEDERAL", "FEDERATED"],
    "ISL.": ["ISLAND", "ISLANDS"],
    "S.": ["SOUTH", "STATES"],
    "TERR.": ["TERRITORY", "TERRITORIES"],
}


def hdx_names_file() -> Path:
    """hdx-python-country's bundled names (OCHA's Countries & Territories Taxonomy), found without importing it."""
    import importlib.util

    spec = importlib.util.find_spec("hdx.location")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("hdx-python-country is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "Countries & Territories Taxonomy MVP - C&T Taxonomy.csv"


def _hdx_rows() -> list[dict[str, str | None]]:
    """hdx's bundled rows, read straight from its CSV (never the network)."""
    with open(hdx_names_file(), newline="", encoding="utf-8") as handle:
        return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle)]


def _hdx_index(rows: list[dict[str, str | None]]) -> dict:
    """What `Country.set_countriesdata` builds from the rows that matter here: names, patterns, countries."""
    names: dict[str, str] = {}
    patterns: dict[str, re.Pattern[str]] = {}
    countries: dict[str, dict[str, str | None]] = {}
    for row in rows:
        code = (row.get("ISO 3166-1 Alpha 3-Codes") or "").upper()
        if not code:
            continue  # as hdx does without include_unofficial (Kosovo is the config file's)
        for key in HDX_NAME_KEYS:
            if row.get(key):
                names[str(row[key]).upper()] = code
        patterns[code] = re.compile(row.get("Regex") or "(?!)", re.IGNORECASE)
        countries[code] = row
    return {"countrynames2iso3": names, "aliases": patterns, "countries": countries}


def _expand_abbreviations(upper: str) -> list[str]:
    """hdx's `Country.expand_countryname_abbrevs`: "REP." -> "REPUBLIC", "FED." -> each of its readings."""

    def replace(text: str, short: str, long: str) -> str:
        return text.replace(short, f"{long} ").replace("  ", " ").strip()

    for short, long in HDX_ABBREVIATIONS.items():
        upper = replace(upper, short, long)
    candidates = [upper]
    for short, longs in HDX_MULTIPLE_ABBREVIATIONS.items():
        if short in upper:
            candidates += [replace(upper, short, long) for long in longs]
    return candidates


# --- The aliases file --------------------------------------------------------------------------------------

_lock = threading.Lock()
_loaded: tuple[tuple[str, int, int], _Resolver] | None = None


def _resolver() -> _Resolver:
    """The resolver for the current aliases file; rebuilt only when the file changes."""
    global _loaded
    path = aliases_path()
    signature = _signature(path)
    with _lock:
        if _loaded is None or _loaded[0] != signature:
            builtin_places, builtin_nationalities = load_aliases(BUILTIN_ALIASES)
            places, nationalities = load_aliases(path)
            _loaded = (signature, _Resolver(({**builtin_places, **places}, {**builtin_nationalities, **nationalities})))
        return _loaded[1]


def _signature(path: Path) -> tuple[str, int, int]:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def load_aliases(path: Path | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The `[places]` and `[nationalities]` aliases of `aliases.toml`, keys normalised.

    Raises
    ------
    AliasesError
        One line naming the file and what is wrong (not TOML, an unknown table, a code that is not
        a place of the region or not an ISO 3166 alpha-3 code).
    """
    path = aliases_path() if path is None else path
    if not path.exists():
        return {}, {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AliasesError(f"{path}: not a readable TOML file ({exc})") from None
    unknown = sorted(set(data) - {"places", "nationalities"})
    if unknown:
        raise AliasesError(f"{path}: unknown table [{unknown[0]}] (expected [places] and [nationalities])")
    places = _alias_table(path, data, "places", lambda code: code in GEO_CODES, f"one of {sorted(GEO_CODES)}")
    nationalities = _alias_table(
        path, data, "nationalities", lambda code: re.fullmatch(r"[A-Z]{3}", code) is not None, "an ISO3 code"
    )
    return places, nationalities


def _alias_table(path: Path, data: dict, table: str, valid: Callable[[str], bool], expected: str) -> dict[str, str]:
    entries = data.get(table, {})
    if not isinstance(entries, dict):
        raise AliasesError(f'{path}: [{table}] must be a table of "printed name" = "CODE" entries')
    result: dict[str, str] = {}
    for name, code in entries.items():
        if not isinstance(code, str) or not valid(code):
            raise AliasesError(f"{path}: [{table}] {name!r} = {code!r}: the code must be {expected}")
        key = normalise_label(name)
        if not key:
            raise AliasesError(f"{path}: [{table}] {name!r}: an empty name")
        if result.get(key, code) != code:
            raise AliasesError(f"{path}: [{table}] {name!r} is given two codes ({result[key]} and {code})")
        result[key] = code
    return result
