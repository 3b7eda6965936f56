"""The themes write their punctuation as character references: same text on screen, ASCII pages.

A page whose postings are plain ASCII text is then an ASCII string in Python, which is joined,
escaped and encoded for writing byte for byte (one dash would make the whole page two bytes a
character). What a visitor reads must not change.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import posting, run_build


def ascii_board(scratch_site, theme: str):
    jobs = {f"jobs/job-{i}.md": posting(f"Engineer {i}", "Acme", f"2025-03-{i + 1:02d}", location="Berlin, Germany",
                                        tags=["python", "go"], remote="hybrid", employment_type="full-time",
                                        salary={"min": 50000 + 7 * (i % 4), "max": 70000, "currency": "EUR", "period": "year"})
            for i in range(25)}
    return scratch_site(jobs, site_yaml=f"title: Board\nper_page: 10\ntheme: {theme}\n")


@pytest.mark.parametrize("theme", ["default", "compact"])
def test_listing_pages_of_an_ascii_board_are_ascii_and_read_the_same(scratch_site, tmp_path, theme):
    content = ascii_board(scratch_site, theme)
    out = tmp_path / "public"
    result = run_build("--content", str(content), "--out", str(out), "--now", "2025-04-01", "--no-cache")
    assert result.returncode == 0, result.stderr
    listings = [out / "index.html", out / "page/2/index.html", out / "tags/python/index.html",
                out / "tags/python/salary/index.html", out / "companies/acme/index.html",
                out / "locations/germany/berlin/index.html", out / "locations/europe/index.html"]
    for page in listings:
        raw = page.read_bytes()
        assert raw.isascii(), (page, sorted({ch for ch in raw.decode() if not ch.isascii()}))
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.title.get_text() == "Latest jobs · Board"
    assert "25 open positions · page 1 of 3" in home.get_text(" ")
    salary = home.select_one(".job-list .job-card").get_text(" ")
    assert "EUR 50,000 – 70,000 a year" in " ".join(salary.split())
    if theme == "default":
        assert home.select_one(".fact-location").get_text() == "Berlin, Germany"
        assert home.select_one('.pagination a[rel="next"]').get_text() == "Older →"
        assert home.select_one(".footer-text").get_text() == "© Board"
        berlin = BeautifulSoup((out / "locations/germany/berlin/index.html").read_text(encoding="utf-8"),
                               "html.parser")
        crumbs = " ".join(berlin.select_one(".place-nav .crumbs").get_text(" ").split())
        assert crumbs == "All locations › Europe 25 › Germany 25 › Berlin"


def test_text_from_postings_is_still_written_as_it_was_given(scratch_site, tmp_path):
    content = scratch_site({"jobs/z.md": posting("Ingénieur — Zürich", "Café Ltd", "2025-03-01", location="Zürich")})
    out = tmp_path / "public"
    result = run_build("--content", str(content), "--out", str(out), "--now", "2025-04-01", "--no-cache")
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Ingénieur — Zürich" in page and "Café Ltd" in page  # UTF-8, not character references
