"""JobPosting JSON-LD: what Google for Jobs reads from each posting page."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from hypothesis import given, strategies as st
from bs4 import BeautifulSoup

from seo_helpers import CONFIG, posting, salary
from site_gen.jsonld import job_posting, postal_address, posting_script, script_json, script_tag

REQUIRED = {"title", "description", "datePosted", "hiringOrganization"}


def ld(p, **kw):
    data, warnings = job_posting(p, CONFIG, **kw)
    return data, [str(w) for w in warnings]


def test_required_google_properties_come_from_the_posting():
    data, warnings = ld(posting(locations=("Berlin, Germany",), company_url="https://acme.example"))
    assert data["@context"].startswith("https://schema.org") and data["@type"] == "JobPosting"
    assert REQUIRED <= data.keys()
    assert data["title"] == "Backend Engineer"
    assert data["description"] == "<p>Build <strong>APIs</strong>.</p>"
    assert data["datePosted"] == "2024-05-01"
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Acme", "sameAs": "https://acme.example"}
    assert data["url"] == "https://jobs.example.org/jobs/backend-engineer/"
    assert data["identifier"] == {"@type": "PropertyValue", "name": "Acme", "value": "backend-engineer"}
    assert data["jobLocation"] == {"@type": "Place", "address": {
        "@type": "PostalAddress", "addressLocality": "Berlin", "addressCountry": "DE"}}
    assert warnings == []


def test_fields_the_posting_lacks_are_left_out_not_invented():
    data, _ = ld(posting(remote="yes", remote_regions=("Germany",)))
    for absent in ("baseSalary", "employmentType", "validThrough", "jobLocation", "directApply"):
        assert absent not in data
    assert "sameAs" not in data["hiringOrganization"] and "logo" not in data["hiringOrganization"]


def test_logo_is_added_to_the_organisation_when_known():
    data, _ = ld(posting(locations=("Paris, France",)), logo="https://jobs.example.org/static/acme.png")
    assert data["hiringOrganization"]["logo"] == "https://jobs.example.org/static/acme.png"


def test_valid_through_is_the_end_of_the_closing_day_and_employment_type_is_schema_org():
    data, _ = ld(posting(locations=("Berlin, Germany",), valid_through=dt.date(2024, 7, 1), employment_type="contract"))
    assert data["validThrough"] == "2024-07-01T23:59:59"
    assert dt.datetime.fromisoformat(data["validThrough"]).date() == dt.date(2024, 7, 1)
    assert data["employmentType"] == "CONTRACTOR"


def test_salary_range_becomes_a_monetary_amount_with_the_period_unit():
    data, _ = ld(posting(locations=("Berlin, Germany",), salary=salary(51850, 171450, "USD", "year")))
    assert data["baseSalary"] == {"@type": "MonetaryAmount", "currency": "USD", "value": {
        "@type": "QuantitativeValue", "minValue": 51850, "maxValue": 171450, "unitText": "YEAR"}}


@pytest.mark.parametrize("low, high, expected", [
    (40, None, {"minValue": 40}), (None, 60, {"maxValue": 60}), (55.5, 55.5, {"value": 55.5}),
])
def test_open_ended_or_single_salary_keeps_only_the_stated_bound(low, high, expected):
    data, _ = ld(posting(locations=("Berlin, Germany",), salary=salary(low, high, "EUR", "hour")))
    value = dict(data["baseSalary"]["value"])
    assert value.pop("@type") == "QuantitativeValue" and value.pop("unitText") == "HOUR"
    assert value == expected


def test_fully_remote_job_is_telecommute_with_one_requirement_per_region():
    data, warnings = ld(posting(remote="yes", remote_regions=("Germany", "PT", "Africa")))
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "Germany"}, {"@type": "Country", "name": "Portugal"},
        {"@type": "AdministrativeArea", "name": "Africa"}]
    assert "jobLocation" not in data and warnings == []


def test_worldwide_remote_names_no_country_and_warns_when_there_is_no_place_either():
    data, warnings = ld(posting(remote="yes", remote_regions=("Worldwide",)))
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert "applicantLocationRequirements" not in data
    assert len(warnings) == 1 and "remote_regions" in warnings[0]
    assert warnings[0].startswith("content/jobs/backend-engineer.md: JSON-LD:")


def test_hybrid_is_not_telecommute():
    data, _ = ld(posting(remote="hybrid", locations=("London, UK",)))
    assert "jobLocationType" not in data
    assert data["jobLocation"]["address"]["addressCountry"] == "GB"


def test_no_place_and_not_remote_warns_with_the_fix():
    data, warnings = ld(posting())
    assert data is not None and "jobLocation" not in data
    assert warnings == ["content/jobs/backend-engineer.md: JSON-LD: no jobLocation and not remote: Google requires "
                        "a place of work or remote eligibility (add location: or remote: yes)"]


def test_several_locations_give_several_places():
    data, _ = ld(posting(locations=("Berlin, Germany", "Lisbon, Portugal")))
    assert [p["address"]["addressCountry"] for p in data["jobLocation"]] == ["DE", "PT"]


def test_closed_posting_has_no_job_posting_markup():
    closed = posting(locations=("Berlin, Germany",), closed=True)
    assert job_posting(closed, CONFIG) == (None, [])
    assert posting_script(closed, CONFIG) == ""
    assert json.loads(BeautifulSoup(posting_script(replace(closed, closed=False), CONFIG), "html.parser").script.string)


def test_empty_description_warns():
    data, warnings = ld(posting(locations=("Berlin, Germany",), body_html=""))
    assert "description" not in data
    assert any("description is empty" in w for w in warnings)


@pytest.mark.parametrize("text, expected", [
    ("Berlin, Germany", {"addressLocality": "Berlin", "addressCountry": "DE"}),
    ("Austin, TX, USA", {"addressLocality": "Austin", "addressRegion": "TX", "addressCountry": "US"}),
    ("San Francisco, CA", {"addressLocality": "San Francisco", "addressRegion": "CA"}),
    ("Germany", {"addressCountry": "DE"}),
    ("UK", {"addressCountry": "GB"}),
    ("Berlin", {"addressLocality": "Berlin"}),
    ("Springfield, Atlantis", {"addressLocality": "Springfield", "addressRegion": "Atlantis"}),
])
def test_postal_address_splits_only_what_the_location_states(text, expected):
    assert postal_address(text) == {"@type": "PostalAddress", **expected}


@pytest.mark.parametrize("text", ["Remote", "anywhere", "", " , "])
def test_non_places_have_no_address(text):
    assert postal_address(text) is None


def test_location_without_a_country_warns():
    _, warnings = ld(posting(locations=("San Francisco, CA",)))
    assert len(warnings) == 1 and "addressCountry" in warnings[0] and "San Francisco, CA" in warnings[0]


def test_script_tag_cannot_be_closed_by_a_hostile_title():
    hostile = posting(title='</script><script>alert(1)</script> & <!-- "x"', locations=("Berlin, Germany",))
    data, _ = job_posting(hostile, CONFIG)
    html = f"<html><head>{script_tag(data)}</head><body></body></html>"
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and scripts[0]["type"] == "application/ld+json"
    assert "<" not in scripts[0].string and ">" not in scripts[0].string and "&" not in scripts[0].string
    assert json.loads(scripts[0].string)["title"] == hostile.title


def test_script_json_is_deterministic_and_round_trips_unicode():
    data = {"b": "Zürich \u2028 ok", "a": [1, 2]}
    text = script_json(data)
    assert text == script_json(dict(reversed(list(data.items()))))
    assert text.index('"a"') < text.index('"b"') and "\u2028" not in text
    assert json.loads(text) == data


def test_direct_apply_is_false_when_applying_leaves_the_board():
    assert ld(posting(apply="https://acme.example/apply"))[0]["directApply"] is False
    assert ld(posting(apply="mailto:jobs@acme.example"))[0]["directApply"] is False
    assert "directApply" not in ld(posting())[0]


_BODIES = ["", " ", "\n\t", "\u00a0", "\u3000", "\u00a0x", "<p>x</p>", "\n<p>x</p>", "é", " \u2003 ", "\x1c", "\x1f\u3000"]
_PLACES = [None, {}, {"jobLocation": [{"@type": "Place", "address": {"addressLocality": "Berlin"}}]},
           {"jobLocation": [{"@type": "Place", "address": {"addressLocality": "Berlin", "addressCountry": "DE"}}]},
           {"jobLocationType": "TELECOMMUTE"},
           {"jobLocationType": "TELECOMMUTE", "applicantLocationRequirements": [{"@type": "Country", "name": "Kenya"}]}]


@pytest.mark.parametrize("body", _BODIES)
@pytest.mark.parametrize("place", range(len(_PLACES)))
@pytest.mark.parametrize("fields", [{}, {"remote": "yes"}, {"remote": "yes", "remote_regions": ("Kenya",)},
                                    {"locations": ("Springfield",)}, {"closed": True}])
def test_the_warnings_alone_are_the_warnings_of_the_whole_jsonld(body, place, fields):
    """The build reports JSON-LD warnings without building each JobPosting twice: the same warnings."""
    from site_gen.jsonld import job_posting_warnings

    p = posting(body_html=body, **fields)
    assert job_posting_warnings(p, _PLACES[place]) == job_posting(p, CONFIG, place=_PLACES[place])[1]


@given(st.text(alphabet=st.sampled_from(" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\u00a0\u2003\u3000<p>xé"), max_size=6))
def test_a_description_counts_when_str_strip_leaves_something(body):
    """Whether the JobPosting has a description (and no warning about it) is ``body.strip() != ""``."""
    data, warnings = job_posting(posting(body_html=body, locations=("Berlin, Germany",)), CONFIG)
    assert ("description" in data) == (body.strip() != "")
    assert any("description is empty" in w.message for w in warnings) == (body.strip() == "")
