"""Issue 9 end to end: location and remote pages, who can apply, salary sorting, company pages."""

from __future__ import annotations

import pytest

from conftest import NOW, all_listing_titles, listed_titles, posting, run_build, soup

JOBS = {
    "jobs/berlin-go.md": posting("Go Engineer", company="Acme GmbH", date="2025-03-10", location="Berlin",
                                 salary={"min": 60000, "max": 80000, "currency": "EUR", "period": "year"}),
    "jobs/munich-ops.md": posting("Ops Engineer", company="ACME GmbH", date="2025-03-09", location="München, DE"),
    "jobs/zurich-ml.md": posting("ML Engineer", company="Initech", date="2025-03-08", location="Zurich",
                                 remote="hybrid",
                                 salary={"min": 9000, "max": 11000, "currency": "CHF", "period": "month"}),
    "jobs/sf-dev.md": posting("SF Developer", company="Initech", date="2025-03-07", location="San Francisco, CA, USA",
                              salary={"min": 80, "max": 95, "currency": "USD", "period": "hour"}),
    "jobs/africa-remote.md": posting("Africa Remote", company="Remote", date="2025-03-06", remote="yes",
                                     remote_regions=["Africa"], timezones="UTC-1 to UTC+4",
                                     salary={"min": 51850, "max": 171450, "currency": "USD", "period": "year"}),
    "jobs/world-remote.md": posting("World Remote", company="Remote", date="2025-03-05", remote="yes",
                                    remote_regions=["Worldwide"]),
    "jobs/narnia.md": posting("Wardrobe Keeper", company="Lion Ltd", date="2025-03-04", location="Narnia"),
    "companies/acme-gmbh.md": "---\nname: ACME\nwebsite: https://acme.example\nlogo: logos/acme.svg\n---\n"
                              "We make **anvils**.\n",
}


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    """Build a small board that exercises every part of issue 9; return (public folder, stderr)."""
    root = tmp_path_factory.mktemp("geo")
    content = root / "content"
    for rel, text in {**JOBS, "site.yaml": "title: Geo\nper_page: 2\n", "../static/logos/acme.svg": "<svg/>"}.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = run_build("--content", "content", "--out", str(root / "public"), "--now", NOW.isoformat(), cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "public", result.stderr


def test_city_page_links_up_to_country_and_continent(board):
    public, _ = board
    berlin = soup(public / "locations" / "germany" / "berlin" / "index.html")
    assert berlin.h1.get_text() == "Jobs in Berlin, Germany"
    crumbs = [(a.get_text(), a["href"]) for a in berlin.select(".place-nav .crumbs a")]
    assert crumbs == [("All locations", "/locations/"), ("Europe", "/locations/europe/"),
                      ("Germany", "/locations/germany/")]
    germany = soup(public / "locations" / "germany" / "index.html")
    assert "2 open positions" in germany.select_one(".count").get_text()
    down = {a.get_text(): a["href"] for a in germany.select(".place-children a")}
    assert down == {"Berlin": "/locations/germany/berlin/", "Munich": "/locations/germany/munich/"}
    europe = soup(public / "locations" / "europe" / "index.html")
    assert "3 open positions" in europe.select_one(".count").get_text()
    assert all_listing_titles(public, "/locations/europe/") == ["Go Engineer", "Ops Engineer", "ML Engineer"]
    assert (public / "locations" / "europe" / "page" / "2" / "index.html").is_file()


def test_locations_index_nests_continents_countries_cities(board):
    index = soup(board[0] / "locations" / "index.html")
    headings = [h.a.get_text() for h in index.select(".place-group h2")]
    assert headings == ["Europe", "North America"]
    cities = [a.get_text() for a in index.select(".place-cities a")]
    assert set(cities) == {"Berlin", "Munich", "Zürich", "San Francisco"}


def test_unresolvable_location_warns_and_is_shown_as_written(board):
    public, stderr = board
    assert "warning: content/jobs/narnia.md: location: 'Narnia' is not a continent" in stderr
    assert "companies/acme-gmbh.md" not in stderr  # a profile is no misplaced posting
    page = soup(public / "jobs" / "narnia" / "index.html")
    facts = page.select_one(".posting-facts").get_text(" ", strip=True)
    assert "Narnia" in facts and not page.select('.posting-facts a[href^="/locations/"]')


def test_posting_page_says_who_can_apply(board):
    public, _ = board
    sentence = lambda slug: soup(public / "jobs" / slug / "index.html").select_one(".who-can-apply").get_text()
    assert sentence("africa-remote") == \
        "Fully remote: you can apply from Africa. You need to live in a time zone from UTC-1 to UTC+4."
    assert sentence("world-remote") == "Fully remote: you can apply from anywhere in the world."
    assert sentence("zurich-ml") == "Hybrid: partly remote, partly on site in Zürich, Switzerland."
    link = soup(public / "jobs" / "zurich-ml" / "index.html").select_one('.posting-facts a[href^="/locations/"]')
    assert link["href"] == "/locations/switzerland/zurich/"


def test_remote_restricted_to_africa_is_not_worldwide(board):
    public = board[0]
    assert all_listing_titles(public, "/remote/worldwide/") == ["World Remote"]
    assert all_listing_titles(public, "/remote/africa/") == ["Africa Remote", "World Remote"]
    assert not (public / "remote" / "europe").exists()
    root = soup(public / "remote" / "index.html")
    assert [a["href"] for a in root.select(".place-children a")] == ["/remote/worldwide/", "/remote/africa/"]


def test_salaries_in_several_currencies_and_periods(board):
    public = board[0]
    salary = lambda slug: soup(public / "jobs" / slug / "index.html").select_one(".salary").get_text(" ", strip=True)
    assert salary("berlin-go") == "EUR 60,000 – 80,000 a year"
    assert salary("zurich-ml") == "CHF 9,000 – 11,000 a month (about CHF 108,000 – 132,000 a year)"
    assert salary("sf-dev") == "USD 80 – 95 an hour (about USD 166,400 – 197,600 a year)"


def test_salary_sorted_variant_puts_missing_salaries_last(board):
    public = board[0]
    assert all_listing_titles(public, "/salary/") == [
        "SF Developer", "ML Engineer", "Go Engineer", "Africa Remote",  # 166,400 / 108,000 / 60,000 / 51,850 a year
        "Ops Engineer", "World Remote", "Wardrobe Keeper"]               # no salary: newest first, never hidden
    home = soup(public / "index.html")
    assert home.select_one('.sort-links a[href="/salary/"]') is not None
    variant = soup(public / "salary" / "index.html")
    assert variant.select_one('meta[name="robots"]')["content"] == "noindex, follow"
    assert variant.select_one('.sort-links a[href="/"]') is not None
    assert all_listing_titles(public, "/locations/europe/salary/") == ["ML Engineer", "Go Engineer", "Ops Engineer"]
    # Sorting cannot change a one-posting listing, or one without any salary: no copy, no link.
    assert not (public / "locations" / "germany" / "munich" / "salary").exists()
    assert soup(public / "locations" / "germany" / "munich" / "index.html").select_one(".sort-links") is None
    assert not (public / "remote" / "worldwide" / "salary").exists()


def test_company_page_with_profile(board):
    page = soup(board[0] / "companies" / "acme-gmbh" / "index.html")
    assert page.h1.get_text() == "Jobs at ACME"
    assert listed_titles(page) == ["Go Engineer", "Ops Engineer"]  # "Acme GmbH" and "ACME GmbH" share the page
    assert page.select_one(".company-website a")["href"] == "https://acme.example"
    logo = page.select_one(".company-logo")["src"]
    assert logo.startswith("/static/logos/acme.") and logo.endswith(".svg")  # fingerprinted like every static file
    assert (board[0] / logo.lstrip("/")).is_file()
    assert page.select_one(".company-description strong").get_text() == "anvils"


def test_posting_links_to_its_company_page(board):
    link = soup(board[0] / "jobs" / "munich-ops" / "index.html").select_one(".posting-company-jobs a")
    assert (link["href"], link.get_text()) == ("/companies/acme-gmbh/", "All jobs at ACME")


def test_company_page_without_profile(board):
    page = soup(board[0] / "companies" / "initech" / "index.html")
    assert page.h1.get_text() == "Jobs at Initech"
    assert listed_titles(page) == ["ML Engineer", "SF Developer"]
    assert page.select_one(".company-profile") is None


def test_bad_profile_fails_the_build_and_unknown_region_warns_naming_file_and_field(tmp_path):
    content = tmp_path / "content"
    files = {"jobs/x.md": posting("X", remote="yes", remote_regions=["Atlantis Sea"]),
             "companies/acme.md": "---\nwebsite: acme.example\n---\n"}
    for rel, text in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    result = run_build("--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW.isoformat())
    assert result.returncode == 1
    assert "content/companies/acme.md: website: 'acme.example' is not an http(s) URL" in result.stderr
    assert "Traceback" not in result.stderr
    (content / "companies" / "acme.md").write_text("---\nlogo: logos/none.png\n---\n", encoding="utf-8")
    result = run_build("--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW.isoformat())
    assert result.returncode == 1
    assert "content/companies/acme.md: logo: there is no file static/logos/none.png" in result.stderr
    (content / "companies" / "acme.md").unlink()
    result = run_build("--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW.isoformat())
    assert result.returncode == 0, result.stderr
    assert "warning: content/jobs/x.md: remote_regions: 'Atlantis Sea' is not a continent, a country" in result.stderr


def test_salary_digits_follow_the_site_language(tmp_path):
    content = tmp_path / "content"
    (content / "jobs").mkdir(parents=True)
    (content / "site.yaml").write_text("language: de\n", encoding="utf-8")
    (content / "jobs" / "x.md").write_text(posting("X", salary={"min": 60000, "max": 80000, "currency": "EUR",
                                                               "period": "year"}), encoding="utf-8")
    result = run_build("--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW.isoformat())
    assert result.returncode == 0, result.stderr
    page = soup(tmp_path / "out" / "jobs" / "x" / "index.html")
    assert page.select_one(".salary").get_text(strip=True) == "60.000 – 80.000 EUR a year"


def test_cached_rebuild_notices_profiles_and_place_changes(tmp_path):
    """A profile edit, or a new posting that creates a city page, must reach pages the cache could reuse."""
    content = tmp_path / "content"
    files = {"jobs/a.md": posting("A", company="Acme", location="Paris", date="2025-03-01"),
             "jobs/b.md": posting("B", company="Acme", location="Lyon", date="2025-01-01", valid_through="2025-02-01"),
             "companies/acme.md": "---\nname: Acme\n---\nFirst text.\n"}
    for rel, text in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    build = lambda *extra: run_build("--content", str(content), "--out", str(out), "--now", NOW.isoformat(), *extra)
    assert build("--cache-dir", str(cache)).returncode == 0
    closed = lambda: [a["href"] for a in soup(out / "jobs" / "b" / "index.html").select(".posting-facts dd a")]
    assert closed() == ["/locations/france/"]  # Lyon has no open posting: the link goes to the nearest page
    (content / "companies" / "acme.md").write_text("---\nname: Acme\n---\nSecond text.\n", encoding="utf-8")
    (content / "jobs" / "c.md").write_text(posting("C", location="Lyon", date="2025-03-02"), encoding="utf-8")
    assert build("--cache-dir", str(cache)).returncode == 0
    assert "Second text." in soup(out / "companies" / "acme" / "index.html").get_text()
    assert closed() == ["/locations/france/lyon/"]


def json_ld(public, slug):
    import json
    script = soup(public / "jobs" / slug / "index.html").find("script", type="application/ld+json")
    return json.loads(script.string)


def test_json_ld_uses_resolved_places_and_eligible_areas(board):
    public = board[0]
    africa = json_ld(public, "africa-remote")
    assert africa["jobLocationType"] == "TELECOMMUTE"
    assert africa["applicantLocationRequirements"] == {"@type": "AdministrativeArea", "name": "Africa"}
    world = json_ld(public, "world-remote")
    assert world["jobLocationType"] == "TELECOMMUTE" and "applicantLocationRequirements" not in world
    berlin = json_ld(public, "berlin-go")
    assert berlin["jobLocation"]["address"] == {"@type": "PostalAddress", "addressLocality": "Berlin",
                                                "addressCountry": "DE"}  # "Berlin" alone gets its country
    assert "jobLocationType" not in berlin
    hybrid = json_ld(public, "zurich-ml")
    assert "jobLocationType" not in hybrid and hybrid["jobLocation"]["address"]["addressCountry"] == "CH"
    assert berlin["hiringOrganization"]["logo"].endswith(".svg")  # from the company profile
    assert json_ld(public, "narnia")["jobLocation"]["address"]["addressLocality"] == "Narnia"  # as written



def test_json_ld_of_a_remote_job_with_an_office(tmp_path):
    content = tmp_path / "content"
    (content / "jobs").mkdir(parents=True)
    (content / "jobs" / "kenya.md").write_text(posting("Kenya HQ", remote="yes", location="Nairobi",
                                                       remote_regions=["KE", "Uganda"]), encoding="utf-8")
    result = run_build("--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW.isoformat())
    assert result.returncode == 0, result.stderr
    kenya = json_ld(tmp_path / "out", "kenya")  # fully remote with an office: both, one Country per region
    assert kenya["jobLocationType"] == "TELECOMMUTE"
    assert kenya["jobLocation"]["address"] == {"@type": "PostalAddress", "addressLocality": "Nairobi",
                                               "addressCountry": "KE"}
    assert kenya["applicantLocationRequirements"] == [{"@type": "Country", "name": "Kenya"},
                                                      {"@type": "Country", "name": "Uganda"}]


def test_feeds_for_location_company_and_remote_pages_and_no_salary_variants_in_sitemap(board):
    public = board[0]
    for folder in ("locations/germany/berlin", "locations/europe", "companies/acme-gmbh", "remote/africa"):
        assert (public / folder / "feed.xml").is_file(), folder
    assert "Africa Remote" in (public / "remote" / "africa" / "feed.xml").read_text()
    assert "World Remote" not in (public / "locations" / "europe" / "feed.xml").read_text()
    berlin = soup(public / "locations" / "germany" / "berlin" / "index.html")
    assert berlin.select_one('link[rel="alternate"][href$="/locations/germany/berlin/feed.xml"]') is not None
    sitemap = "".join(p.read_text() for p in public.glob("sitemap*.xml"))
    assert "/locations/germany/berlin/</loc>" in sitemap
    assert "/salary/" not in sitemap


def test_compact_theme_has_the_place_pages_too(tmp_path):
    content = tmp_path / "content"
    files = {**{k: v for k, v in JOBS.items() if k.startswith("jobs/")}, "site.yaml": "theme: compact\n"}
    for rel, text in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    result = run_build("--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW.isoformat())
    assert result.returncode == 0, result.stderr
    africa = soup(tmp_path / "out" / "remote" / "africa" / "index.html")
    assert [a["href"] for a in africa.select(".place-nav .crumbs a")] == ["/remote/"]
    germany = soup(tmp_path / "out" / "locations" / "germany" / "index.html")
    assert [a.get_text() for a in germany.select(".place-children a")] == ["Berlin", "Munich"]
    home = soup(tmp_path / "out" / "index.html")
    assert home.select_one('.sort-links a[href="/salary/"]') is not None
    # Germany's newest posting (Berlin) is also its best paid: sorting by salary would change nothing,
    # so there is no salary-sorted copy and no switch.
    assert germany.select_one(".sort-links") is None
    assert not (tmp_path / "out" / "locations" / "germany" / "salary").exists()


def test_exchange_rates_compare_salaries_across_currencies(scratch_site, tmp_path):
    jobs = {
        "jobs/yen.md": posting("Yen Job", salary={"min": 1000, "max": 1000, "currency": "JPY", "period": "day"}),
        "jobs/dollar.md": posting("Dollar Job", salary={"min": 50, "max": 50, "currency": "USD", "period": "hour"}),
        "jobs/none.md": posting("No Pay Job"),
    }
    raw = tmp_path / "raw"
    content = scratch_site(jobs)
    assert run_build("--content", str(content), "--out", str(raw), "--now", "2025-03-15").returncode == 0
    # Without rates the numbers are compared as they are: 260,000 (yen a year) above 104,000 (dollars).
    assert all_listing_titles(raw, "/salary/") == ["Yen Job", "Dollar Job", "No Pay Job"]
    (content / "site.yaml").write_text("exchange_rates: {USD: 1, JPY: 0.0067}\n")
    rated = tmp_path / "rated"
    result = run_build("--content", str(content), "--out", str(rated), "--now", "2025-03-15")
    assert result.returncode == 0, result.stderr
    assert all_listing_titles(rated, "/salary/") == ["Dollar Job", "Yen Job", "No Pay Job"]
    (content / "site.yaml").write_text("exchange_rates: {USD: 1, yen: -3}\n")
    bad = run_build("--content", str(content), "--out", str(tmp_path / "bad"), "--now", "2025-03-15")
    assert bad.returncode == 1 and "site.yaml: exchange_rates.yen: needs a three-letter currency code" in bad.stderr
