"""Location and remote pages: every level with postings, counts, links up and down, warnings."""

from site_gen.locations import build_geography
from geo_helpers import posting


def pages_by_url(pages):
    return {page.term.url: page for page in pages}


def test_city_posting_appears_on_city_country_and_continent_pages():
    jobs = [posting("berlin-1", locations=["Berlin"]), posting("berlin-2", locations=["Berlin, Germany"]),
            posting("munich", locations=["Munich, DE"]), posting("paris", locations=["Paris, France"]),
            posting("germany-only", locations=["Germany"])]
    geo = build_geography(jobs)
    pages = pages_by_url(geo.location_pages)
    assert sorted(pages) == ["/locations/europe/", "/locations/france/", "/locations/france/paris/",
                             "/locations/germany/", "/locations/germany/berlin/", "/locations/germany/munich/"]
    assert pages["/locations/europe/"].term.count == 5
    assert pages["/locations/germany/"].term.count == 4
    berlin = pages["/locations/germany/berlin/"]
    assert [p.slug for p in berlin.term.postings] == ["berlin-1", "berlin-2"]
    assert [t.url for t in berlin.ancestors] == ["/locations/europe/", "/locations/germany/"]
    assert berlin.level == "city" and berlin.children == ()
    germany = pages["/locations/germany/"]
    assert [(t.name, t.count) for t in germany.children] == [("Berlin", 2), ("Munich", 1)]
    assert [t.name for t in pages["/locations/europe/"].children] == ["Germany", "France"]
    assert [t.url for t in geo.breadcrumbs(jobs[0])] == ["/locations/europe/", "/locations/germany/",
                                                          "/locations/germany/berlin/"]


def test_a_posting_in_two_cities_of_one_country_counts_once():
    geo = build_geography([posting("two", locations=["Berlin", "Hamburg"])])
    pages = pages_by_url(geo.location_pages)
    assert pages["/locations/germany/"].term.count == 1
    assert pages["/locations/germany/hamburg/"].term.count == 1


def test_unresolvable_location_warns_naming_the_posting_and_is_shown_as_written():
    geo = build_geography([posting("odd", locations=["Narnia"]), posting("ok", locations=["Remote"])])
    assert len(geo.warnings) == 1
    warning = str(geo.warnings[0])
    assert warning.startswith("content/jobs/odd.md: location: 'Narnia' is not a continent")
    assert "location_aliases" in warning
    assert geo.location_pages == ()
    assert geo.labels(posting("odd", locations=["Narnia"])) == ["Narnia"]


def test_aliases_fix_the_warning():
    geo = build_geography([posting("odd", locations=["Narnia"])], {"Narnia": "Cape Town, South Africa"})
    assert not geo.warnings
    assert "/locations/south-africa/cape-town/" in pages_by_url(geo.location_pages)


def test_remote_restricted_to_africa_is_not_worldwide():
    jobs = [posting("africa", remote="yes", remote_regions=["Africa"]),
            posting("world", remote="yes", remote_regions=["Worldwide"]),
            posting("kenya", remote="yes", remote_regions=["KE"]),
            posting("hybrid", remote="hybrid", locations=["Lagos, Nigeria"]),
            posting("unsaid", remote="yes")]
    geo = build_geography(jobs)
    remote = {page.term.url: [p.slug for p in page.term.postings] for page in geo.remote_pages}
    assert remote == {"/remote/africa/": ["africa", "world", "kenya"],
                      "/remote/kenya/": ["africa", "world", "kenya"],
                      "/remote/worldwide/": ["world"]}
    assert [p.slug for p in geo.remote_postings] == ["africa", "world", "kenya", "unsaid"]
    kenya = pages_by_url(geo.remote_pages)["/remote/kenya/"]
    assert [t.url for t in kenya.ancestors] == ["/remote/africa/"]
    assert geo.who_can_apply(jobs[0]) == "Fully remote: you can apply from Africa."
    assert geo.who_can_apply(jobs[1]) == "Fully remote: you can apply from anywhere in the world."
    assert geo.jsonld(jobs[0])["applicantLocationRequirements"] == [{"@type": "AdministrativeArea", "name": "Africa"}]
    assert "applicantLocationRequirements" not in geo.jsonld(jobs[1])


def test_hybrid_is_on_location_pages_not_remote_and_not_telecommute():
    job = posting("hybrid", remote="hybrid", locations=["Lagos, Nigeria"])
    geo = build_geography([job])
    assert geo.remote_pages == () and geo.remote_postings == ()
    assert "/locations/nigeria/lagos/" in pages_by_url(geo.location_pages)
    assert geo.who_can_apply(job) == "Hybrid: partly remote, partly on site in Lagos, Nigeria."
    assert "jobLocationType" not in geo.jsonld(job)


def test_location_remote_alone_means_fully_remote():
    job = posting("r", locations=["Remote"])
    geo = build_geography([job])
    assert geo.remote_postings == (job,)
    assert geo.jsonld(job)["jobLocationType"] == "TELECOMMUTE"


def test_unknown_regions_and_unreadable_windows_warn_naming_file_and_field_and_are_shown_as_written():
    job = posting("bad", remote="yes", remote_regions=["Atlantis Sea", "Kenya"], timezones="US Time Zones")
    geo = build_geography([job])
    assert [(p.path, p.field) for p in geo.warnings] == [("content/jobs/bad.md", "remote_regions"),
                                                       ("content/jobs/bad.md", "timezones")]
    assert "'Atlantis Sea' is not a continent, a country" in geo.warnings[0].message
    assert "not a time-zone window" in geo.warnings[1].message
    assert geo.who_can_apply(job) == "Fully remote: you can apply from Kenya or Atlantis Sea. Time zones: US Time Zones."
    assert [p.term.url for p in geo.remote_pages] == ["/remote/africa/", "/remote/kenya/"]
    assert geo.jsonld(job)["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "Kenya"}, {"@type": "AdministrativeArea", "name": "Atlantis Sea"}]


def test_postings_sharing_a_region_list_each_get_its_warnings_and_eligibility():
    """Each region list and window is parsed once per build; every posting still gets its own warnings."""
    jobs = [posting(name, remote="yes", remote_regions=["Atlantis Sea", "Kenya"], timezones="US Time Zones")
            for name in ("bad", "also-bad")] + [posting("fine", remote="yes", remote_regions=["Kenya"])]
    geo = build_geography(jobs)
    assert [(p.path, p.field) for p in geo.warnings] == [
        ("content/jobs/bad.md", "remote_regions"), ("content/jobs/bad.md", "timezones"),
        ("content/jobs/also-bad.md", "remote_regions"), ("content/jobs/also-bad.md", "timezones")]
    assert geo.who_can_apply(jobs[0]) == geo.who_can_apply(jobs[1]) == (
        "Fully remote: you can apply from Kenya or Atlantis Sea. Time zones: US Time Zones.")
    assert geo.who_can_apply(jobs[2]) == "Fully remote: you can apply from Kenya."
    assert [len(p.term.postings) for p in geo.remote_pages] == [3, 3]  # Africa, Kenya


def test_pages_list_only_open_postings_but_every_posting_gets_its_sentence():
    open_job = posting("open", locations=["Berlin"])
    closed = posting("closed", locations=["Paris"], remote="no", closed=True)
    geo = build_geography([open_job, closed], listed=[open_job])
    assert sorted(pages_by_url(geo.location_pages)) == ["/locations/europe/", "/locations/germany/",
                                                        "/locations/germany/berlin/"]
    assert geo.who_can_apply(closed) == "On site in Paris, France."
