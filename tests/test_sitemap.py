"""sitemap.xml and robots.txt: how search engines find every open page."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from seo_helpers import CONFIG
from site_gen.sitemap import robots_txt, sitemap, sitemap_files

S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locs(text):
    root = ET.fromstring(text.encode("utf-8"))
    return root, [u.find(S + "loc").text for u in root.findall(S + "url")]


def test_sitemap_lists_absolute_urls_sorted_and_once():
    root, urls = locs(sitemap(["/jobs/b/", "/", "/jobs/a/", "/jobs/b/"], CONFIG))
    assert root.tag == S + "urlset"
    assert urls == ["https://jobs.example.org/", "https://jobs.example.org/jobs/a/", "https://jobs.example.org/jobs/b/"]


def test_lastmod_is_written_only_where_known():
    root, _ = locs(sitemap(["/", "/jobs/a/"], CONFIG, {"/jobs/a/": dt.date(2024, 5, 1)}))
    mods = {u.find(S + "loc").text: getattr(u.find(S + "lastmod"), "text", None) for u in root.findall(S + "url")}
    assert mods == {"https://jobs.example.org/": None, "https://jobs.example.org/jobs/a/": "2024-05-01"}


def test_ampersands_in_urls_are_escaped():
    text = sitemap(["/tags/r&d/"], CONFIG)
    assert "r&amp;d" in text
    assert locs(text)[1] == ["https://jobs.example.org/tags/r&d/"]


def test_large_sites_get_a_sitemap_index_of_parts():
    files = sitemap_files([f"/jobs/{i:03}/" for i in range(5)], CONFIG, max_urls=2)
    assert sorted(files) == ["/sitemap-1.xml", "/sitemap-2.xml", "/sitemap-3.xml", "/sitemap.xml"]
    index = ET.fromstring(files["/sitemap.xml"].encode())
    assert index.tag == S + "sitemapindex"
    assert [s.find(S + "loc").text for s in index] == [f"https://jobs.example.org/sitemap-{n}.xml" for n in (1, 2, 3)]
    assert sum(len(locs(files[f"/sitemap-{n}.xml"])[1]) for n in (1, 2, 3)) == 5


def test_small_sites_get_one_sitemap():
    assert list(sitemap_files(["/"], CONFIG)) == ["/sitemap.xml"]


def test_robots_txt_points_to_the_absolute_sitemap():
    text = robots_txt(replace(CONFIG, base_url="https://board.example.com"))
    lines = text.splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: https://board.example.com/sitemap.xml" in lines
    assert not any(line.startswith("Disallow: /") and line != "Disallow: " for line in lines)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(st.sampled_from("ab/&<>\"'é z"), max_size=10), max_size=6))
def test_any_paths_give_well_formed_xml_listing_each_url_once(paths):
    """Sitemaps are written as text, not through ElementTree: they must still parse, whatever the paths."""
    paths = ["/" + p for p in paths]
    root, urls = locs(sitemap(paths, CONFIG))
    assert urls == [CONFIG.absolute(p) for p in sorted(set(paths))]
    index = ET.fromstring(sitemap_files(paths, CONFIG, max_urls=1)["/sitemap.xml"].encode()) if len(set(paths)) > 1 else None
    if index is not None:
        assert len(index) == len(set(paths))
