"""Atom and JSON feeds: what a feed reader or aggregator subscribed to the board sees."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import replace

from seo_helpers import CONFIG, posting
from site_gen import feeds
from site_gen.feeds import atom_feed, json_feed

A = "{http://www.w3.org/2005/Atom}"
HOSTILE = 'Dev <script>alert("x")</script> & Co'


def corpus():
    return [
        posting("old-job", title="Old Job", date=dt.date(2024, 1, 5), tags=("go",)),
        posting("new-job", title="New Job", date=dt.date(2024, 5, 20), tags=("elixir", "remote")),
        posting("mid-job", title=HOSTILE, date=dt.date(2024, 3, 1), body_html="<p>a &amp; b</p>"),
        posting("closed-job", title="Closed Job", date=dt.date(2024, 5, 25), closed=True),
    ]


def atom(postings=None, config=CONFIG):
    text = atom_feed("Elixir Jobs", "/", "/feed.xml", corpus() if postings is None else postings, config)
    return text, ET.fromstring(text.encode("utf-8"))


def test_atom_feed_has_every_element_rfc_4287_requires():
    text, root = atom()
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>')
    assert root.tag == A + "feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(A + name) is not None, name
    assert root.find(f"{A}author/{A}name").text == "Elixir Jobs"
    links = {link.get("rel"): link.get("href") for link in root.findall(A + "link")}
    assert links == {"self": "https://jobs.example.org/feed.xml", "alternate": "https://jobs.example.org/"}
    for entry in root.findall(A + "entry"):
        for name in ("id", "title", "updated", "published", "link", "content", "summary"):
            assert entry.find(A + name) is not None, name
        assert entry.find(A + "id").text.startswith("https://jobs.example.org/jobs/")
        assert entry.find(A + "content").get("type") == "html"


def test_atom_lists_open_postings_newest_first_and_updated_is_the_newest_date():
    _, root = atom()
    ids = [e.find(A + "id").text for e in root.findall(A + "entry")]
    assert ids == [f"https://jobs.example.org/jobs/{s}/" for s in ("new-job", "mid-job", "old-job")]
    assert root.find(A + "updated").text == "2024-05-20T00:00:00Z"


def test_feed_is_limited_to_feed_size():
    _, root = atom(config=replace(CONFIG, feed_size=2))
    assert len(root.findall(A + "entry")) == 2
    assert json.loads(json_feed("t", "/", "/feed.json", corpus(), replace(CONFIG, feed_size=1)))["items"][0]["id"].endswith(
        "/new-job/")


def test_atom_escapes_titles_and_html_content():
    text, root = atom()
    assert "<script>" not in text
    entry = [e for e in root.findall(A + "entry") if e.find(A + "id").text.endswith("/mid-job/")][0]
    assert entry.find(A + "title").text == f"{HOSTILE} at Acme"
    assert entry.find(A + "content").text == "<p>a &amp; b</p>"


def test_atom_drops_characters_xml_forbids():
    text, root = atom([posting(title="Bad\x01\x0bTitle")])
    assert root.find(f"{A}entry/{A}title").text == "BadTitle at Acme"


def test_empty_feed_is_still_valid_and_dated_by_the_build_day():
    _, root = atom([])
    assert root.findall(A + "entry") == []
    assert root.find(A + "updated").text == "2024-06-01T00:00:00Z"


def test_feeds_are_deterministic_whatever_the_input_order():
    first = atom_feed("t", "/", "/feed.xml", corpus(), CONFIG), json_feed("t", "/", "/feed.json", corpus(), CONFIG)
    again = (atom_feed("t", "/", "/feed.xml", list(reversed(corpus())), CONFIG),
             json_feed("t", "/", "/feed.json", list(reversed(corpus())), CONFIG))
    assert first == again


def test_json_feed_has_the_required_keys_of_version_1_1():
    doc = json.loads(json_feed("Go jobs", "/tags/go/", "/tags/go/feed.json", corpus(), CONFIG))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] == "Go jobs"
    assert doc["home_page_url"] == "https://jobs.example.org/tags/go/"
    assert doc["feed_url"] == "https://jobs.example.org/tags/go/feed.json"
    assert [i["id"] for i in doc["items"]] == [f"https://jobs.example.org/jobs/{s}/" for s in ("new-job", "mid-job", "old-job")]
    newest = doc["items"][0]
    assert newest["url"] == newest["id"] and newest["title"] == "New Job at Acme"
    assert newest["date_published"] == "2024-05-20T00:00:00Z"
    assert newest["tags"] == ["elixir", "remote"]
    assert newest["content_html"] == "<p>Build <strong>APIs</strong>.</p>" and newest["summary"] == "Build APIs."
    hostile = doc["items"][1]
    assert hostile["title"] == f"{HOSTILE} at Acme"


def test_json_feed_of_no_postings_has_an_empty_item_list():
    doc = json.loads(json_feed("t", "/", "/feed.json", [], CONFIG))
    assert doc["items"] == [] and doc["version"] == "https://jsonfeed.org/version/1.1"


def test_summary_only_feed_leaves_out_the_full_description():
    text = atom_feed("Go jobs", "/tags/go/", "/tags/go/feed.xml", corpus(), CONFIG, full=False)
    root = ET.fromstring(text.encode())
    for entry in root.findall(A + "entry"):
        assert entry.find(A + "content") is None
        assert entry.find(A + "summary").text and entry.find(A + "link").get("href")


def test_attribute_values_are_escaped_too():
    text, root = atom([posting(tags=('c"<&>', "go"))])
    assert [c.get("term") for c in root.iter(A + "category")] == ['c"<&>', "go"]


def test_term_feeds_share_cached_entries_without_mixing_full_and_summary():
    cache = {}
    summary = atom_feed("t", "/tags/go/", "/tags/go/feed.xml", corpus(), CONFIG, full=False, cache=cache)
    full = atom_feed("t", "/", "/feed.xml", corpus(), CONFIG, full=True, cache=cache)
    assert "<content" not in summary and full.count("<content") == 3
    assert atom_feed("t", "/", "/feed.xml", corpus(), CONFIG) == full


def test_the_characters_xml_forbids_are_exactly_those_outside_its_char_production():
    """XML 1.0's Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]."""
    def char(c):
        return c in (0x9, 0xA, 0xD) or 0x20 <= c <= 0xD7FF or 0xE000 <= c <= 0xFFFD or c >= 0x10000
    every = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in feeds._NOT_XML.finditer(every)] == [c for c in range(0x110000) if not char(c)]
