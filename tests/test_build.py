"""End-to-end build of the fixture board: what a visitor sees on each page."""

from __future__ import annotations

import filecmp
import json
import re

from conftest import FIXTURES, NOW, all_listing_titles, listed_titles, posting, run_build, soup


def test_posting_page_shows_every_field(fixture_site):
    page = soup(fixture_site / "jobs" / "elixir-dev" / "index.html")
    assert page.h1.get_text(strip=True) == "Elixir Developer"
    company = page.select_one(".posting-company a")
    assert company.get_text() == "Acme" and company["href"] == "https://acme.example"
    facts = {dt.get_text(): dd.get_text(" ", strip=True) for dt, dd in
             ((d.dt, d.dd) for d in page.select(".posting-facts > div"))}
    assert facts["Location"] == "Berlin, Germany"
    assert "Hybrid" in facts["Remote"]
    assert facts["Type"] == "Full time"
    assert facts["Salary"] == "EUR 60,000 – 80,000 a year"
    assert facts["Posted"] == "10 Mar 2025"
    assert facts["Closes"] == "30 Jun 2025"
    apply = page.select_one(".apply-button")
    assert apply["href"] == "https://acme.example/apply"
    tags = [a.get_text() for a in page.select(".posting-tags a")]
    assert tags == ["Elixir", "PostgreSQL"]
    assert page.select_one(".posting-tags a")["href"] == "/tags/elixir/"
    assert page.select_one(".description h2").get_text() == "What you will do"
    assert [li.get_text() for li in page.select(".description li")] == ["Write code", "Review code"]


def test_email_apply_becomes_mailto(fixture_site):
    page = soup(fixture_site / "jobs" / "python-remote" / "index.html")
    assert page.select_one(".apply-button")["href"] == "mailto:jobs@snake.example"
    assert "from Africa" in page.select_one(".posting-facts").get_text()
    assert "USD 50 – 70 an hour" in page.select_one(".salary").get_text()


def test_related_jobs_share_tags(fixture_site):
    page = soup(fixture_site / "jobs" / "go-berlin" / "index.html")
    related = [a.get_text() for a in page.select(".related .job-title a")]
    assert related[0] == "Python Engineer"  # shares both Go and Python
    assert "Go Engineer" not in related and "Expired Role" not in related


def test_home_lists_open_postings_newest_first_with_pagination(fixture_site):
    titles = all_listing_titles(fixture_site, "/")
    assert titles == ["Python Engineer", "Elixir Developer", "Go Engineer", "Data Intern"]
    first = soup(fixture_site / "index.html")
    assert len(listed_titles(first)) == 2
    assert first.select_one('.pagination a[rel="next"]')["href"] == "/page/2/"
    second = soup(fixture_site / "page" / "2" / "index.html")
    assert second.select_one('.pagination a[rel="prev"]')["href"] == "/"
    card = first.select_one(".job-card")
    assert "Snake Co" in card.get_text() and "USD 50 – 70 an hour" in card.get_text()
    assert card.select_one(".badge-remote").get_text() == "Remote"


def test_tags_are_normalised_and_counted(fixture_site):
    index = soup(fixture_site / "tags" / "index.html")
    counts = {li.a.get_text(): int(li.select_one(".term-count").get_text()) for li in index.select(".term-list li")}
    # "python ", "PYTHON" and "Python" are one tag; golang is aliased to Go; closed and draft postings don't count
    # Shown with the most used spelling: "python" (twice, one from the closed posting) over PYTHON and Python.
    assert counts == {"Elixir": 1, "Go": 2, "PostgreSQL": 1, "python": 3, "SQL": 1}
    python_slug_titles = all_listing_titles(fixture_site, "/tags/python/")
    assert python_slug_titles == ["Python Engineer", "Go Engineer", "Data Intern"]
    assert all_listing_titles(fixture_site, "/tags/go/") == ["Python Engineer", "Go Engineer"]


def test_locations_merge_through_aliases(fixture_site):
    index = soup(fixture_site / "locations" / "index.html")
    counts = {li.a.get_text(): int(li.select_one(".term-count").get_text()) for li in index.select(".term-list li")}
    assert counts == {"Germany": 3, "Berlin": 3, "United Kingdom": 1, "London": 1}  # hierarchy: issue 9
    assert all_listing_titles(fixture_site, "/locations/germany/berlin/") == [
        "Elixir Developer", "Go Engineer", "Data Intern"]


def test_remote_listing_and_companies(fixture_site):
    assert all_listing_titles(fixture_site, "/remote/") == ["Python Engineer", "Elixir Developer"]
    assert all_listing_titles(fixture_site, "/companies/acme/") == ["Elixir Developer", "Go Engineer"]


def test_closed_posting_keeps_its_page_but_leaves_listings(fixture_site):
    page = soup(fixture_site / "jobs" / "old-job" / "index.html")
    assert "This position is closed" in page.select_one(".notice-closed").get_text()
    assert page.select_one(".apply-button") is None
    assert not (fixture_site / "locations" / "united-kingdom" / "london" / "index.html").read_text().count("Expired Role")


def test_drafts_are_not_published(fixture_site, tmp_path):
    assert not (fixture_site / "jobs" / "draft-job").exists()
    out = tmp_path / "public"
    result = run_build("--content", str(FIXTURES / "site" / "content"), "--out", str(out), "--now",
                       NOW.isoformat(), "--drafts", "--no-cache")
    assert result.returncode == 0, result.stderr
    page = soup(out / "jobs" / "draft-job" / "index.html")
    assert "Draft" in page.select_one(".badge-draft").get_text()


def test_search_index_has_listed_postings_as_plain_data(fixture_site):
    # The index is split (README.md, "Search"): a manifest, then display records in chunks of ids.
    manifest = json.loads((fixture_site / "search" / "manifest.json").read_text())
    chunks = sorted((fixture_site / "search" / "s").glob("*.json"), key=lambda p: int(p.stem))
    records = [r for path in chunks for r in json.loads(path.read_text())]
    entries = {e["u"]: e for e in records}
    assert manifest["n"] == 4
    assert set(entries) == {"/jobs/python-remote/", "/jobs/elixir-dev/", "/jobs/go-berlin/", "/jobs/intern/"}
    elixir = entries["/jobs/elixir-dev/"]
    assert elixir["t"] == "Elixir Developer" and elixir["c"] == "Acme"
    assert elixir["l"] == ["Berlin, Germany"] and elixir["r"] == "hybrid"
    assert elixir["e"] == "Full time" and elixir["d"] == "2025-03-10"
    assert elixir["s"] == "EUR 60,000 – 80,000 a year"
    assert elixir["x"].startswith("We build things with Elixir.")
    assert not any("<" in json.dumps(e) for e in records)


def test_404_and_every_page_has_canonical_and_language(fixture_site):
    assert soup(fixture_site / "404.html").h1.get_text() == "Page not found"
    for path in fixture_site.rglob("*.html"):
        page = soup(path)
        assert page.html["lang"] == "en"
        canonical = page.select_one('link[rel="canonical"]')["href"]
        assert canonical.startswith("https://jobs.example.org/"), path


def test_assets_are_fingerprinted_and_linked(fixture_site):
    page = soup(fixture_site / "index.html")
    css = page.select_one('link[rel="stylesheet"]')["href"]
    assert re.fullmatch(r"/static/style\.[0-9a-f]{10}\.css", css)
    assert (fixture_site / css.lstrip("/")).is_file()


def test_builds_are_byte_identical(tmp_path):
    outs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = run_build("--content", str(FIXTURES / "site" / "content"), "--out", str(out), "--now", NOW.isoformat(),
                           "--no-cache")
        assert result.returncode == 0, result.stderr
        outs.append(out)
    cmp = filecmp.dircmp(outs[0], outs[1])

    def same(c) -> bool:
        return not (c.left_only or c.right_only or c.diff_files or c.funny_files) and all(
            same(s) for s in c.subdirs.values())

    files = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("*") if p.is_file())
    assert files and all((outs[0] / f).read_bytes() == (outs[1] / f).read_bytes() for f in files)
    assert same(cmp)


def test_summary_line(tmp_path):
    result = run_build("--content", str(FIXTURES / "site" / "content"), "--out", str(tmp_path / "o"), "--now",
                       NOW.isoformat(), "--no-cache")
    assert re.search(r"Built 4 open postings \(1 closed\), 5 tags, 5 locations, 3 companies, \d+ pages in [\d.]+s"
                     r".*; 1 draft\(s\) not built \(--drafts builds them\)", result.stdout), result.stdout


def test_failed_build_keeps_previous_output(scratch_site, tmp_path):
    content = scratch_site({"jobs/good.md": posting("Good Job")})
    out = tmp_path / "public"
    assert run_build("--content", str(content), "--out", str(out), "--now", "2025-03-15").returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (content / "jobs" / "bad.md").write_text(posting("Bad", salary={"min": "lots", "currency": "EUR"}))
    (content / "jobs" / "good.md").write_text(posting("Changed Title"))
    result = run_build("--content", str(content), "--out", str(out), "--now", "2025-03-15")
    assert result.returncode == 1
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".public")], "staging folders left behind"


def test_broken_posting_error_names_file_and_field(scratch_site, tmp_path):
    content = scratch_site({
        "jobs/bad.md": posting("Bad", salary={"min": "lots", "currency": "EUR", "period": "year"}),
        "jobs/worse.md": posting("Worse", date="2025-02-30", remote="sometimes"),
    })
    result = run_build("--content", str(content), "--out", str(tmp_path / "public"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(r"content/jobs/bad\.md: salary\.min: 'lots' must be a number", result.stderr)
    assert re.search(r"content/jobs/worse\.md: date: '2025-02-30' is not a real date", result.stderr)
    assert re.search(r"content/jobs/worse\.md: remote: 'sometimes' is not one of no, yes, hybrid", result.stderr)
    assert not (tmp_path / "public").exists()


def test_remote_regions_given_as_iso_codes_are_shown_by_name(scratch_site, tmp_path):
    content = scratch_site({"jobs/r.md": posting("Remote Role", remote="yes", remote_regions=["KE", "Germany"])})
    out = tmp_path / "public"
    result = run_build("--content", str(content), "--out", str(out), "--now", "2025-03-15")
    assert result.returncode == 0, result.stderr
    facts = soup(out / "jobs" / "r" / "index.html").select_one(".posting-facts").get_text(" ", strip=True)
    assert "from Kenya, Germany" in facts and "KE" not in facts


def test_compiled_modules_go_to_the_user_cache_when_the_source_tree_must_stay_clean(tmp_path):
    """With PYTHONDONTWRITEBYTECODE set, build.py keeps site_gen's compiled modules out of the project."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "XDG_CACHE_HOME": str(cache)}
    env.pop("PYTHONPYCACHEPREFIX", None)
    before = sorted(p.name for p in (root / "site_gen" / "__pycache__").glob("*")) \
        if (root / "site_gen" / "__pycache__").is_dir() else []
    result = subprocess.run([sys.executable, str(root / "build.py"), "--help"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    compiled = list((cache / "site-gen" / "pycache").rglob("cli.*.pyc"))
    assert [p.parent.name for p in compiled] == ["site_gen"]
    after = sorted(p.name for p in (root / "site_gen" / "__pycache__").glob("*")) \
        if (root / "site_gen" / "__pycache__").is_dir() else []
    assert after == before  # nothing written beside the sources
