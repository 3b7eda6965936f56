"""Cheaper page keys: still every input of a page in its key, and nothing that page does not show."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from conftest import FIXTURES
from site_gen import render
from site_gen.config import load_config
from site_gen.pipeline import plan_site

NOW = dt.date(2025, 3, 15)


def planned(content, **settings):
    """Every page's key and rendered text, by output path (two postings a listing page: several pages)."""
    plan = plan_site(load_config(content, now=NOW, per_page=2, **settings), keys=True)
    return {p.path: (p.key, p.make()) for p in plan.pending}


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "site" / "content", folder)
    return folder


def edit(content, name, old, new):
    path = content / "jobs" / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def changed_keys(before, after):
    return {path for path in before if before[path][0] != after[path][0]}


def changed_pages(before, after):
    return {path for path in before if before[path][1] != after[path][1]}


#: Pages listing terms with their counts: a posting's tags change them without the posting showing there.
TERM_INDEXES = {"tags/index.html", "companies/index.html", "locations/index.html"}


def assert_keys_follow_pages(before, after, slug):
    """A page whose text changed has a new key; an unchanged page that never shows the posting keeps its key."""
    assert changed_pages(before, after) <= changed_keys(before, after)
    url = f"/jobs/{slug}/"
    for path in changed_keys(before, after) - changed_pages(before, after) - TERM_INDEXES:
        assert url in before[path][1] or url in after[path][1], f"{path} got a new key without showing {url}"


@pytest.mark.parametrize("old,new", [
    ("Learn data with us.", "Learn data and statistics with us."),  # description only
    ("title: Data Intern", "title: Data Analyst Intern"),  # shown on every listing of the posting
    ("date: 2025-02-20", "date: 2025-03-01"),  # moves the posting up the newest-first listings
    ("tags: [Python, SQL]", "tags: [Python, Rust]"),  # leaves one tag page, joins another
])
def test_an_edited_posting_changes_the_key_of_exactly_the_pages_that_show_it(content, old, new):
    before = planned(content)
    edit(content, "intern.md", old, new)
    after = planned(content)
    common = before.keys() & after.keys()  # a new tag's pages appear, a salary-sorted variant may go
    before, after = ({p: pages[p] for p in common} for pages in (before, after))
    assert "jobs/intern/index.html" in changed_keys(before, after)
    assert changed_pages(before, after), "the edit shows somewhere"
    assert_keys_follow_pages(before, after, "intern")


def test_a_paginated_listing_changes_only_the_page_holding_the_edited_posting(content):
    before = planned(content)
    pages = sorted(p for p in before if p == "index.html" or p.startswith("page/"))
    assert len(pages) >= 2, "the home listing needs several pages for this test"
    edit(content, "intern.md", "title: Data Intern", "title: Data Analyst Intern")
    after = planned(content)
    holding = {p for p in pages if "/jobs/intern/" in before[p][1]}
    assert len(holding) == 1
    assert {p for p in pages if before[p][0] != after[p][0]} == holding


@pytest.mark.parametrize("setting,value", [("title", "Renamed Board"), ("base_url", "https://other.example"),
                                           ("language", "de")])
def test_a_changed_setting_changes_the_key_of_every_page_it_changes(content, setting, value):
    before = planned(content)
    after = planned(content, **{setting: value})
    assert changed_pages(before, after) <= changed_keys(before, after)
    assert changed_pages(before, after)


def test_the_key_covers_every_field_of_a_page(content):
    plan = plan_site(load_config(content, now=NOW))
    renderer = render.Renderer(plan.site, render.make_environment(plan.site.config, plan.static_urls), "0" * 32)
    page = renderer._page("/tags/go/", "Go jobs", feed_base="/tags/go/", description="Go jobs", kind="listing")
    other = {"title": "Rust jobs", "url": "/tags/rust/", "canonical": "https://x.example/tags/rust/",
             "description": "Rust jobs", "kind": "home", "feeds": (("Rust (Atom)", "/tags/rust/feed.xml", "x"),),
             "image": "https://x.example/rust.png"}
    assert set(render.Page._fields) == other.keys(), "a new Page field needs a place in the key"
    for name, value in other.items():
        assert renderer.page_text(page._replace(**{name: value})) != renderer.page_text(page), name


def test_joined_keys_cannot_be_mistaken_for_other_parts():
    one, two = "a" * 32, "b" * 32
    assert render.key_of((one, two), "x") != render.key_of((one,), two, "x")
    assert render.key_of((one,), "x") != render.key_of((), one, "x")
    assert render.key_of((one,), ("x", 1)) != render.key_of((one,), "x", 1)
    assert len(render.key_of((one,), "x")) == 32


def test_a_build_without_a_cache_skips_the_keys_and_renders_the_same_pages(content):
    config = load_config(content, now=NOW, per_page=2)
    keyed = {p.path: (p.key, p.make()) for p in plan_site(config, keys=True).pending}
    bare = {p.path: (p.key, p.make()) for p in plan_site(config).pending}  # no cache: nowhere to keep keys
    assert bare.keys() == keyed.keys() and len(bare) > 10
    assert {key for key, _ in bare.values()} == {""}
    assert all(len(key) == 32 for key, _ in keyed.values())
    assert {path: text for path, (_, text) in bare.items()} == {path: text for path, (_, text) in keyed.items()}
