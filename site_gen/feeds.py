"""Atom 1.0 and JSON Feed 1.1 feeds of open postings, newest first.

Feeds are rebuilt from the postings alone, so the same content gives the same bytes: the
feed's ``updated`` time is its newest posting's date, never the clock.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from typing import Iterable

from .config import SiteConfig
from .model import Posting

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Characters XML 1.0 forbids even when escaped; a stray one would make the whole feed unreadable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def feed_postings(postings: Iterable[Posting], config: SiteConfig) -> list[Posting]:
    """Pick the open postings a feed lists: newest first, at most ``config.feed_size``."""
    open_ = [p for p in postings if not p.closed]
    open_.sort(key=lambda p: p.slug)
    open_.sort(key=lambda p: p.date, reverse=True)
    return open_[: config.feed_size]


def _absolute(url: str, config: SiteConfig) -> str:
    return url if url.startswith(("http://", "https://")) else config.absolute(url)


def rfc3339(day: dt.date) -> str:
    """Format a posting date as an RFC 3339 timestamp at midnight UTC."""
    return day.isoformat() + "T00:00:00Z"


def entry_title(posting: Posting) -> str:
    """Title a feed entry "Job at Company", as feed readers show titles without context."""
    return f"{posting.title} at {posting.company}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def atom_feed(title: str, page_url: str, feed_url: str, postings: Iterable[Posting],
              config: SiteConfig, full: bool = True) -> str:
    """Return an Atom 1.0 feed (RFC 4287) for the page at ``page_url``.

    ``page_url`` and ``feed_url`` are site paths (``/tags/go/``) or absolute URLs. With
    ``full=False`` entries carry the summary but not the whole description, which keeps
    hundreds of per-tag feeds small.
    """
    items = feed_postings(postings, config)
    feed_abs, page_abs = _absolute(feed_url, config), _absolute(page_url, config)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, _XML_LANG: config.language})
    _sub(feed, "id", feed_abs)
    _sub(feed, "title", title, type="text")
    _sub(feed, "subtitle", config.description, type="text")
    _sub(feed, "updated", rfc3339(items[0].date if items else config.now))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=feed_abs)
    _sub(feed, "link", rel="alternate", type="text/html", href=page_abs)
    author = _sub(feed, "author")
    _sub(author, "name", config.title)
    _sub(author, "uri", config.root_url + "/")
    _sub(feed, "generator", "site_gen")
    for posting in items:
        url = config.absolute(posting.url)
        entry = _sub(feed, "entry")
        _sub(entry, "id", url)
        _sub(entry, "title", entry_title(posting), type="text")
        _sub(entry, "published", rfc3339(posting.date))
        _sub(entry, "updated", rfc3339(posting.date))
        _sub(entry, "link", rel="alternate", type="text/html", href=url)
        entry_author = _sub(entry, "author")
        _sub(entry_author, "name", posting.company)
        for tag in posting.tags:
            _sub(entry, "category", term=tag)
        if posting.summary:
            _sub(entry, "summary", posting.summary, type="text")
        if full or not posting.summary:
            _sub(entry, "content", posting.body_html, type="html")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def json_feed(title: str, page_url: str, feed_url: str, postings: Iterable[Posting],
              config: SiteConfig) -> str:
    """Return a JSON Feed 1.1 document for the page at ``page_url``."""
    items = []
    for posting in feed_postings(postings, config):
        url = config.absolute(posting.url)
        item = {
            "id": url,
            "url": url,
            "title": entry_title(posting),
            "content_html": posting.body_html,
            "date_published": rfc3339(posting.date),
            "authors": [{"name": posting.company}],
        }
        if posting.summary:
            item["summary"] = posting.summary
        if posting.tags:
            item["tags"] = list(posting.tags)
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "description": config.description,
        "home_page_url": _absolute(page_url, config),
        "feed_url": _absolute(feed_url, config),
        "language": config.language,
        "authors": [{"name": config.title, "url": config.root_url + "/"}],
        "items": items,
    }
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
