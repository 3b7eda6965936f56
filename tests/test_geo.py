"""Place names resolve to city, country and continent, with aliases and clear failure reasons."""

import time

import pytest

from site_gen import geo
from site_gen.geo import hierarchy, is_remote_word, resolve, resolve_detail


@pytest.mark.parametrize("text", ["Berlin", "Berlin, Germany", "Berlin, DE", "berlin,  germany", "Berlin (Remote)"])
def test_berlin_resolves_to_germany_and_europe(text):
    place = resolve(text)
    assert (place.city, place.country, place.country_code, place.continent) == ("Berlin", "Germany", "DE", "Europe")
    assert hierarchy(place) == [("Europe", "europe"), ("Germany", "germany"), ("Berlin", "germany/berlin")]


@pytest.mark.parametrize("text, city, region, code", [
    ("New York, NY", "New York City", "New York", "US"),
    ("New York", "New York City", "New York", "US"),
    ("San Francisco, CA, USA", "San Francisco", "California", "US"),
    ("San Francisco, CA", "San Francisco", "California", "US"),
    ("London, UK", "London", None, "GB"),
    ("Cambridge, MA", "Cambridge", "Massachusetts", "US"),
    ("Cambridge, England", "Cambridge", None, "GB"),
    ("Toronto, CA", "Toronto", None, "CA"),
    ("Atlanta, Georgia", "Atlanta", "Georgia", "US"),
    ("Tbilisi, Georgia", "Tbilisi", None, "GE"),
    ("Washington, D.C.", "Washington", "District of Columbia", "US"),
    ("Cologne", "Köln", None, "DE"),
])
def test_qualified_and_everyday_names(text, city, region, code):
    place = resolve(text)
    assert (place.city, place.region, place.country_code) == (city, region, code)


def test_accents_do_not_matter():
    assert resolve("Zurich") == resolve("Zürich") == resolve("ZÜRICH")
    assert resolve("Zurich").city == "Zürich"
    assert hierarchy(resolve("Zurich"))[-1] == ("Zürich", "switzerland/zurich")


def test_ambiguous_name_prefers_given_country_else_most_populous():
    assert resolve("Valencia, Spain").country_code == "ES"
    assert resolve("Valencia").country_code == "VE"  # 1.6 million people against Spain's 0.8 million
    assert resolve("Portland").region == "Oregon"
    assert resolve("Portland, Maine").region == "Maine"


def test_same_name_cities_in_one_country_get_distinct_slugs():
    oregon, maine = resolve("Portland, OR"), resolve("Portland, ME")
    assert hierarchy(oregon)[-1][1] == "united-states/portland"
    assert hierarchy(maine)[-1][1] == "united-states/portland-maine"


@pytest.mark.parametrize("text, level, label", [
    ("Germany", "country", "Germany"), ("DE", "country", "Germany"), ("U.S.A.", "country", "United States"),
    ("Europe", "continent", "Europe"), ("California", "region", "California, United States"),
    ("California, USA", "region", "California, United States"), ("Oregon", "region", "Oregon, United States"),
])
def test_country_continent_and_state_only(text, level, label):
    place = resolve(text)
    assert (place.level, place.label) == (level, label)
    assert hierarchy(place)[-1][0] in label


def test_state_has_no_page_of_its_own():
    assert [slug for _, slug in hierarchy(resolve("California"))] == ["north-america", "united-states"]


@pytest.mark.parametrize("text", ["Remote", "Anywhere", "remote", "Worldwide"])
def test_remote_words_are_not_places_and_not_errors(text):
    assert is_remote_word(text)
    assert resolve_detail(text) == (None, "")


def test_unknown_place_says_why():
    place, reason = resolve_detail("Narnia")
    assert place is None
    assert "not a continent, country, US state or city" in reason


def test_unknown_city_in_known_country_keeps_the_country():
    place, reason = resolve_detail("Smalltownia, Germany")
    assert place.level == "country" and place.country == "Germany"
    assert "Smalltownia" in reason and "Germany only" in reason


def test_aliases_first_exact_then_ignoring_case():
    aliases = {"Bay Area": "San Francisco, CA, USA", "HQ": "Narnia"}
    assert resolve("Bay Area", aliases).city == "San Francisco"
    assert resolve("bay area", aliases).city == "San Francisco"
    assert resolve("Narnia, Lantern Waste", {"Narnia, Lantern Waste": "Berlin"}).city == "Berlin"
    assert resolve("HQ", aliases) is None


def test_reserved_segments_are_moved():
    assert geo.segment("Page") == "page-city"
    assert geo.segment("Salary") == "salary-city"


def test_country_slug_never_equals_a_continent_slug():
    antarctica = resolve("Antarctica")
    assert antarctica.level == "continent"
    country = geo.gazetteer().country_place("AQ")
    assert geo.country_slug(country) == "antarctica-country"


def test_ten_thousand_postings_resolve_fast():
    geo.gazetteer()  # built once per process; measured separately in README.md, "Locations"
    names = ["Berlin", "London, UK", "New York, NY", "Remote", "Zurich", "Paris", "Lagos", "Sao Paulo",
             "Bangalore", "Tokyo", "Narnia", "Portland, OR"] * 834
    start = time.perf_counter()
    for name in names:
        resolve(name, {"HQ": "Berlin"})
    assert time.perf_counter() - start < 0.5


def test_aliases_are_folded_again_when_the_settings_change():
    """Folded aliases are remembered between names, never across different alias settings."""
    from site_gen.geo import apply_alias, is_remote_word

    first = {"Zurich HQ": "Zürich, Switzerland"}
    assert apply_alias("zurich  hq", first) == "Zürich, Switzerland"
    second = {"Zurich HQ": "Geneva, Switzerland"}
    assert apply_alias("ZURICH HQ", second) == "Geneva, Switzerland"
    first["Home office"] = "Remote"  # the same dict, changed: seen as new settings
    assert apply_alias("home OFFICE", first) == "Remote"
    assert is_remote_word("home office", first) and not is_remote_word("home office", second)
    assert is_remote_word("Anywhere") and not is_remote_word("Berlin")
