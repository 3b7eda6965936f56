"""End to end: the built board as Google, a feed reader and Netlify see it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import posting, run_build, soup

A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
FIXTURE_BASE = "https://jobs.example.org"
GOOGLE_REQUIRED = {"title", "description", "datePosted", "hiringOrganization"}


def html_pages(public: Path) -> dict[str, Path]:
    """Map the URL of every HTML page to its file."""
    pages = {}
    for path in public.rglob("*.html"):
        rel = path.relative_to(public).as_posix()
        pages["/" + rel[: -len("index.html")] if rel.endswith("index.html") else "/" + rel] = path
    return pages


def job_postings(page) -> list[dict]:
    return [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]


def sitemap_urls(public: Path) -> set[str]:
    root = ET.parse(public / "sitemap.xml").getroot()
    return {u.find(S + "loc").text for u in root.findall(S + "url")}


def meta(page, key):
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag and tag["content"]


@pytest.mark.parametrize("board", ["fixture_site", "sample_site"])
def test_every_page_has_one_absolute_canonical_url_of_itself(board, request):
    public = request.getfixturevalue(board)
    base = FIXTURE_BASE if board == "fixture_site" else "http://localhost:8000"
    for url, path in html_pages(public).items():
        links = soup(path).find_all("link", rel="canonical")
        assert [link["href"] for link in links] == [base + url], url


@pytest.mark.parametrize("board", ["fixture_site", "sample_site"])
def test_open_posting_pages_carry_valid_job_posting_json_ld_and_social_tags(board, request):
    public = request.getfixturevalue(board)
    postings = [p for u, p in html_pages(public).items() if u.startswith("/jobs/")]
    assert postings
    for path in postings:
        page = soup(path)
        data = job_postings(page)
        if page.select_one(".notice-closed"):
            assert data == []
            continue
        assert len(data) == 1, path
        ld = data[0]
        assert ld["@type"] == "JobPosting" and GOOGLE_REQUIRED <= ld.keys(), path
        assert ld["title"] == page.h1.get_text(strip=True)
        assert ld["url"] == page.find("link", rel="canonical")["href"]
        assert "jobLocation" in ld or ld.get("jobLocationType") == "TELECOMMUTE" or path.parent.name == \
            "senior-backend-engineer-proton"  # the sample states no place: the build warns instead
        assert meta(page, "og:type") == "article" and meta(page, "og:title") and meta(page, "og:url") == ld["url"]
        assert meta(page, "twitter:card") == "summary" and meta(page, "twitter:title")


def test_fixture_postings_json_ld_matches_their_front_matter(fixture_site):
    elixir = job_postings(soup(fixture_site / "jobs" / "elixir-dev" / "index.html"))[0]
    assert elixir["baseSalary"]["value"] == {"@type": "QuantitativeValue", "minValue": 60000, "maxValue": 80000,
                                             "unitText": "YEAR"}
    assert elixir["baseSalary"]["currency"] == "EUR"
    assert elixir["validThrough"].startswith("2025-06-30") and elixir["employmentType"] == "FULL_TIME"
    assert elixir["jobLocation"]["address"] == {"@type": "PostalAddress", "addressLocality": "Berlin",
                                                "addressCountry": "DE"}
    assert "jobLocationType" not in elixir  # hybrid is not fully remote
    remote = job_postings(soup(fixture_site / "jobs" / "python-remote" / "index.html"))[0]
    assert remote["jobLocationType"] == "TELECOMMUTE"
    assert remote["applicantLocationRequirements"] == {"@type": "AdministrativeArea", "name": "Africa"}
    assert remote["baseSalary"]["value"]["unitText"] == "HOUR"
    intern = job_postings(soup(fixture_site / "jobs" / "intern" / "index.html"))[0]
    assert "baseSalary" not in intern and "validThrough" not in intern
    assert [p["address"]["addressCountry"] for p in intern["jobLocation"]] == ["GB", "DE"]


def test_closed_posting_has_a_page_but_no_json_ld_feed_entry_or_sitemap_url(fixture_site):
    page = soup(fixture_site / "jobs" / "old-job" / "index.html")
    assert page.select_one(".notice-closed") and not page.select(".apply-button")
    assert job_postings(page) == []
    assert f"{FIXTURE_BASE}/jobs/old-job/" not in sitemap_urls(fixture_site)
    assert "old-job" not in (fixture_site / "feed.xml").read_text() + (fixture_site / "feed.json").read_text()
    assert "old-job" not in (fixture_site / "tags" / "python" / "feed.xml").read_text()


def test_sitemap_lists_exactly_the_open_postings_and_index_pages(fixture_site):
    pages = html_pages(fixture_site)
    closed = {u for u, p in pages.items() if u.startswith("/jobs/") and soup(p).select_one(".notice-closed")}
    noindex = {u for u, p in pages.items()  # issue 9: the salary-sorted copies of listings
               if (m := soup(p).select_one('meta[name="robots"]')) and "noindex" in m["content"]}
    expected = {FIXTURE_BASE + u for u in pages if u not in closed | noindex | {"/404.html", "/search/"}}
    assert sitemap_urls(fixture_site) == expected
    assert {FIXTURE_BASE + "/jobs/go-berlin/", FIXTURE_BASE + "/", FIXTURE_BASE + "/tags/go/"} <= expected
    assert not any("draft" in u for u in expected)


def test_robots_txt_points_crawlers_to_the_sitemap(fixture_site):
    lines = (fixture_site / "robots.txt").read_text().splitlines()
    assert "User-agent: *" in lines and f"Sitemap: {FIXTURE_BASE}/sitemap.xml" in lines


def test_atom_and_json_feeds_list_open_postings_newest_first(fixture_site):
    root = ET.parse(fixture_site / "feed.xml").getroot()
    assert root.tag == A + "feed" and all(root.find(A + n) is not None for n in ("id", "title", "updated", "author"))
    ids = [e.find(A + "id").text for e in root.findall(A + "entry")]
    slugs = ["python-remote", "elixir-dev", "go-berlin", "intern"]
    assert ids == [f"{FIXTURE_BASE}/jobs/{s}/" for s in slugs]
    assert root.find(A + "updated").text == "2025-03-12T00:00:00Z"
    doc = json.loads((fixture_site / "feed.json").read_text())
    assert doc["version"] == "https://jsonfeed.org/version/1.1" and doc["title"] == "Fixture Jobs"
    assert [i["url"] for i in doc["items"]] == ids
    assert all(i["id"] and i["content_html"] and i["date_published"] for i in doc["items"])


def test_pages_link_their_feeds_and_term_feeds_exist(fixture_site):
    home = soup(fixture_site / "index.html")
    alternates = {link["type"]: link["href"] for link in home.find_all("link", rel="alternate")}
    assert alternates == {"application/atom+xml": f"{FIXTURE_BASE}/feed.xml",
                          "application/feed+json": f"{FIXTURE_BASE}/feed.json"}
    tag_page = soup(fixture_site / "tags" / "go" / "index.html")
    hrefs = [link["href"] for link in tag_page.find_all("link", rel="alternate")]
    assert f"{FIXTURE_BASE}/tags/go/feed.xml" in hrefs
    tag_feed = ET.parse(fixture_site / "tags" / "go" / "feed.xml").getroot()
    assert sorted(e.find(A + "id").text for e in tag_feed.findall(A + "entry")) == [
        f"{FIXTURE_BASE}/jobs/go-berlin/", f"{FIXTURE_BASE}/jobs/python-remote/"]


def test_sample_redirects_and_headers(sample_site):
    redirects = (sample_site / "_redirects").read_text().splitlines()
    assert "/post/jobs /jobs/back-end-developer/ 301" in redirects
    assert "/about/careers/ /jobs/back-end-developer/ 301" in redirects
    headers = (sample_site / "_headers").read_text()
    assert "Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self';" in headers
    assert "/static/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert headers.count("Cache-Control") == len(set(
        line for line in headers.splitlines() if line.startswith("/") and line != "/*"))


def test_pages_use_no_inline_script_or_style_the_csp_would_block(sample_site):
    for path in html_pages(sample_site).values():
        page = soup(path)
        for script in page.find_all("script"):
            assert script.get("type") == "application/ld+json" or script.get("src"), path
        assert page.find("style") is None, path
        theme_styled = [t for t in page.select("[style]") if not t.find_parent(class_="description")]
        assert theme_styled == [], path  # a posting's own markup may carry style="", which the CSP just ignores


def test_build_warns_about_what_google_for_jobs_will_miss(scratch_site, tmp_path):
    content = scratch_site({
        "jobs/nowhere.md": posting(title="Nowhere Job"),
        "jobs/moved.md": posting(title="Moved Job", location="Paris, France", redirect_from=["/old-job/"]),
    }, site_yaml="base_url: https://board.example\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "public"), "--now", "2025-03-15")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "JSON-LD" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: ")
    assert warnings[0].endswith("content/jobs/nowhere.md: JSON-LD: no jobLocation and not remote: Google requires a "
                                "place of work or remote eligibility (add location: or remote: yes)")
    assert "/old-job/ /jobs/moved/ 301" in (tmp_path / "public" / "_redirects").read_text()


def test_drafts_preview_is_marked_noindex_and_kept_out_of_sitemap_and_feeds(tmp_path):
    from conftest import FIXTURES

    out = tmp_path / "public"
    result = run_build("--content", str(FIXTURES / "site" / "content"), "--out", str(out), "--now", "2025-03-15",
                       "--drafts", "--no-cache")
    assert result.returncode == 0, result.stderr
    page = soup(out / "jobs" / "draft-job" / "index.html")
    assert meta(page, "robots") == "noindex"
    assert f"{FIXTURE_BASE}/jobs/draft-job/" not in sitemap_urls(out)
    assert "draft-job" not in (out / "feed.xml").read_text()


def test_many_warnings_of_one_kind_are_counted_not_all_printed(scratch_site, tmp_path):
    content = scratch_site({f"jobs/job-{i}.md": posting(title=f"Job {i}", location=f"Town {i}") for i in range(6)})
    result = run_build("--content", str(content), "--out", str(tmp_path / "public"), "--now", "2025-03-15")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "JSON-LD" in line]
    assert len(lines) == 4
    assert lines[-1] == ("warning: content/jobs: JSON-LD: 3 more postings: no country in location '…': Google "
                         'recommends addressCountry (write the location as "Town, Country")')
    assert str(tmp_path) not in result.stderr  # --content was an absolute path: shown as content/..., as elsewhere
