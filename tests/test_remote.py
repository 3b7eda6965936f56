"""Remote eligibility: regions, time-zone windows, the posting's sentence and its JSON-LD."""

import json

import pytest

from site_gen.geo import resolve
from site_gen.remote import Eligibility, covers, eligibility, location_jsonld, parse_timezones, who_can_apply


@pytest.mark.parametrize("text, west, east, label", [
    ("UTC-3 to UTC+3", -180, 180, "UTC-3 to UTC+3"),
    ("UTC+1", 60, 60, "UTC+1"),
    ("GMT-5 to GMT+2", -300, 120, "UTC-5 to UTC+2"),
    ("UTC\u22123 \u2013 UTC+3", -180, 180, "UTC-3 to UTC+3"),
    ("UTC+5:30", 330, 330, "UTC+5:30"),
    ("utc", 0, 0, "UTC"),
])
def test_valid_windows(text, west, east, label):
    window = parse_timezones(text)
    assert (window.west, window.east, window.label) == (west, east, label)


@pytest.mark.parametrize("text, words", [
    ("EST", "not a time-zone window"),
    ("UTC+3 to UTC-3", "western (lower) offset first"),
    ("UTC+15", "offsets run from UTC-12 to UTC+14"),
    ("UTC+1 to", "not a time-zone window"),
])
def test_invalid_windows_explain_the_fix(text, words):
    with pytest.raises(ValueError) as info:
        parse_timezones(text)
    assert words in str(info.value)


def test_regions_by_continent_country_name_and_iso_code():
    elig, problems = eligibility(["Africa", "Germany", "PT", "USA only"], "UTC-3 to UTC+3")
    assert problems == {}
    assert [a.label for a in elig.areas] == ["Africa", "Germany", "Portugal", "United States"]
    assert elig.window.label == "UTC-3 to UTC+3" and not elig.worldwide


def test_bad_region_and_window_name_the_field():
    elig, problems = eligibility(["Atlantis Ocean", "Europe"], "soon")
    assert elig.unknown == ("Atlantis Ocean",) and [a.label for a in elig.areas] == ["Europe"]
    assert "'Atlantis Ocean' is not a continent, a country" in problems["remote_regions"][0]
    assert "not a time-zone window" in problems["timezones"][0]


def test_region_aliases():
    elig, problems = eligibility(["EU"], None, {"EU": "Europe"})
    assert not problems and elig.areas[0].continent == "Europe"


def test_africa_only_covers_africa_and_its_countries_not_worldwide_or_europe():
    elig, _ = eligibility(["Africa"], None)
    assert covers(elig, resolve("Africa"))
    assert covers(elig, resolve("Nigeria"))
    assert not covers(elig, "worldwide")
    assert not covers(elig, resolve("Europe"))
    assert not covers(elig, resolve("Germany"))


def test_worldwide_covers_everywhere():
    elig, _ = eligibility(["Worldwide"], None)
    assert covers(elig, "worldwide") and covers(elig, resolve("Kenya")) and covers(elig, resolve("Asia"))


def test_country_restriction_is_listed_on_its_continent_but_not_other_countries():
    elig, _ = eligibility(["Kenya"], None)
    assert covers(elig, resolve("Africa")) and covers(elig, resolve("Kenya"))
    assert not covers(elig, resolve("Nigeria"))


def test_sentences_say_who_can_apply_from_where():
    africa, _ = eligibility(["Africa"], "UTC-1 to UTC+4")
    world, _ = eligibility(["Worldwide"], None)
    three, _ = eligibility(["Germany", "France", "Portugal"], "UTC+1")
    assert who_can_apply("yes", [], africa) == \
        "Fully remote: you can apply from Africa. You need to live in a time zone from UTC-1 to UTC+4."
    assert who_can_apply("yes", [], world) == "Fully remote: you can apply from anywhere in the world."
    assert who_can_apply("yes", [], three) == \
        "Fully remote: you can apply from Germany, France or Portugal. You need to live in the UTC+1 time zone."
    assert "does not say from which countries" in who_can_apply("yes", ["Berlin, Germany"], Eligibility())
    assert who_can_apply("hybrid", ["Berlin, Germany"], Eligibility()) == \
        "Hybrid: partly remote, partly on site in Berlin, Germany."
    assert who_can_apply("no", ["Berlin, Germany", "Paris, France"], Eligibility()) == \
        "On site in one of: Berlin, Germany; Paris, France."
    assert who_can_apply(None, [], Eligibility()) == ""


def test_jsonld_restricted_remote_lists_each_area():
    elig, _ = eligibility(["Africa", "Germany"], None)
    data = json.loads(json.dumps(location_jsonld("yes", [], elig)))
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "AdministrativeArea", "name": "Africa"}, {"@type": "Country", "name": "Germany"}]
    assert "jobLocation" not in data


def test_jsonld_worldwide_has_no_requirement_and_hybrid_is_not_telecommute():
    world, _ = eligibility(["Worldwide"], None)
    assert location_jsonld("yes", [], world) == {"jobLocationType": "TELECOMMUTE"}
    hybrid = location_jsonld("hybrid", [resolve("New York, NY")], Eligibility())
    assert "jobLocationType" not in hybrid and "applicantLocationRequirements" not in hybrid
    assert hybrid["jobLocation"][0]["address"] == {
        "@type": "PostalAddress", "addressLocality": "New York City", "addressRegion": "New York", "addressCountry": "US"}
