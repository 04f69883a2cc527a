"""Names resolve through hdx-python-country and config/aliases.toml; no name of hdx's own space resolves wrongly."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest

from extractors import geo
from tests.variants.names import drawn_names, hdx_countries


def test_no_name_drawn_from_hdx_data_resolves_to_a_wrong_code():
    outcomes: collections.Counter[str] = collections.Counter()
    wrong = []
    for code in hdx_countries():
        for name in drawn_names(code):
            found = geo.resolve_nationality(name)
            outcomes[found.how if found else "unknown"] += 1
            if found is not None and found.code != code:
                wrong.append((name, code, found))
    total = sum(outcomes.values())
    print(f"\n{total} names drawn from hdx's data: {dict(outcomes)}")
    assert total > 2000
    assert wrong == []
    # Unknown is safe but costs figures: keep it rare.
    assert outcomes["unknown"] / total < 0.02
    assert outcomes["fuzzy"] > 0


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Guinea", "GIN"),
        ("Guinea-Bissau", "GNB"),
        ("Equatorial Guinea", "GNQ"),
        ("Papua New Guinea", "PNG"),
        ("Sudan", "SDN"),
        ("South Sudan", "SSD"),
        ("Congo", "COG"),
        ("Dem. Rep. of the Congo", "COD"),
        ("Congo, Dem. Rep. of the", "COD"),
        ("Dominica", "DMA"),
        ("Dominican Rep.", "DOM"),
        ("Korea, Dem. People's Rep. of", "PRK"),
        ("Rep. of Korea", "KOR"),
        ("Syrian Arab Rep.", "SYR"),
        ("Iran (Islamic Rep. of)", "IRN"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("TÜRKIYE", "TUR"),
        ("Côte d’Ivoire", "CIV"),
        ("Trinidad & Tobago", "TTO"),
        ("Micronesia (Fed. States of)", "FSM"),
        ("Solomon Is.", "SLB"),
        ("Lebanese Rep.", "LBN"),
    ],
)
def test_confusable_names_resolve_to_their_own_code(printed, code):
    found = geo.resolve_nationality(printed)
    assert found is not None and found.code == code, found


@pytest.mark.parametrize(
    "printed",
    ["Total", "Others", "Other nationalities", "Unknown", "Stateless", "in", "Western Balkans", "Freedonia"],
)
def test_labels_that_name_no_one_country_do_not_resolve(printed):
    assert geo.resolve_nationality(printed) is None


def test_a_fuzzy_match_says_so():
    found = geo.resolve_nationality("Lebanese Rep.")
    assert found == geo.Resolution("LBN", "fuzzy", "Lebanese Rep.")


def test_places_are_the_region_only_and_never_fuzzy():
    assert geo.resolve_place("Kosovo (UNSCR 1244)") == geo.Resolution("XKX", "alias", "Kosovo (UNSCR 1244)")
    assert geo.place_code("Kosovo⁴") == "XKX"
    assert geo.place_code("Bosnia & Herzegovina") == "BIH"
    assert geo.place_code("BiH") == "BIH"
    assert geo.place_code("Western Balkans") == "WB"
    assert geo.place_code("Syria") is None  # a country, but not a place the reports tabulate
    assert geo.place_code("Serbia Republic of") is None  # words of a neighbouring cell: no match by words
    assert geo.place_code("Kosovo (S/RES/1244 Montenegro (1999))") is None


def test_an_alias_added_to_the_config_file_resolves(tmp_path, monkeypatch):
    assert geo.nationality_code("Freedonia") is None
    (tmp_path / geo.ALIASES_FILE).write_text('[nationalities]\n"Freedonia" = "FRE"\n')
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(tmp_path))
    assert geo.resolve_nationality("Freedonia¹") == geo.Resolution("FRE", "alias", "Freedonia¹")
    assert geo.place_code("Kosovo") == "XKX"  # the shipped list still applies


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[nationalities\n", "not a readable TOML file"),
        ('[people]\n"X" = "XXX"\n', "unknown table [people]"),
        ('[places]\n"Belgrade" = "SRB2"\n', "'Belgrade' = 'SRB2': the code must be one of"),
        ('[nationalities]\n"Syria" = "sy"\n', "'Syria' = 'sy': the code must be an ISO3 code"),
        ('[nationalities]\n"Syria" = "SYR"\n"SYRIA" = "IRQ"\n', "'SYRIA' is given two codes (SYR and IRQ)"),
        ("nationalities = 3\n", "[nationalities] must be a table"),
    ],
)
def test_a_malformed_aliases_file_is_one_line_naming_it(tmp_path, monkeypatch, content, message):
    path = tmp_path / geo.ALIASES_FILE
    path.write_text(content)
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(tmp_path))
    with pytest.raises(geo.AliasesError) as caught:
        geo.nationality_code("Syria")
    text = str(caught.value)
    assert text.startswith(f"{path}: ") and message in text and "\n" not in text


def test_the_project_aliases_file_loads():
    places, nationalities = geo.load_aliases(geo.BUILTIN_ALIASES)
    assert places["kosovo"] == "XKX" and places["bih"] == "BIH" and nationalities["kosovo"] == "XKX"
    assert geo.load_aliases(geo.PROJECT_ALIASES) == ({}, {})  # the operator's file starts empty


def test_the_operators_aliases_extend_the_projects(tmp_path, monkeypatch):
    """A configuration directory without aliases.toml still reads Kosovo and BiH (the shipped list); its
    aliases.toml adds names to that list and may override one of them."""
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(tmp_path))
    assert (geo.place_code("Kosovo*"), geo.place_code("BiH"), geo.nationality_code("Freedonia")) == ("XKX", "BIH", None)
    (tmp_path / geo.ALIASES_FILE).write_text('[nationalities]\n"Freedonia" = "SYR"\n')
    assert (geo.place_code("Kosovo*"), geo.nationality_code("Freedonia")) == ("XKX", "SYR")


def test_the_index_is_hdx_own():
    """geo indexes hdx's CSV itself (hdx's module costs ~0.8 s to import): the same names, patterns and lists."""
    from hdx.location.country import Country

    assert Country._country_name_keys == geo.HDX_NAME_KEYS
    assert Country.abbreviations == geo.HDX_ABBREVIATIONS
    assert Country.multiple_abbreviations == geo.HDX_MULTIPLE_ABBREVIATIONS
    assert geo.hdx_names_file() == Path(Country._ochapath)
    ours = geo._hdx_index(geo._hdx_rows())
    Country.set_use_live_default(False)
    Country.set_countriesdata(geo._hdx_rows())
    theirs = Country.countriesdata(use_live=False)
    assert ours["countrynames2iso3"] == theirs["countrynames2iso3"]
    assert {c: p.pattern for c, p in ours["aliases"].items()} == {c: p.pattern for c, p in theirs["aliases"].items()}
    for name in ("Dem. Rep. of the Congo", "Micronesia (Fed. States of)", "Syrian Arab Rep.", "S. Sudan"):
        assert geo._expand_abbreviations(name.upper()) == Country.expand_countryname_abbrevs(name)


def test_extract_with_a_malformed_aliases_file_is_one_line_and_exit_2(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from mixedflows.cli import app

    (tmp_path / geo.ALIASES_FILE).write_text('[places]\n"Kosovo" = "KOS"\n')
    monkeypatch.setenv("MIXEDFLOWS_CONFIG_DIR", str(tmp_path))
    sample = geo.BUILTIN_ALIASES.parent.parent / "tests" / "pdfs" / "unhcr_wb" / "2024-12.pdf"
    result = CliRunner().invoke(app, ["extract", "--format", "json", str(sample)])
    assert result.exit_code == 2 and result.stdout.strip() == ""  # checked before anything is read
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {tmp_path / geo.ALIASES_FILE}: [places] 'Kosovo' = 'KOS'")
