"""Atom 1.0 and JSON Feed 1.1 feeds of open postings, newest first.

Feeds are rebuilt from the postings alone, so the same content gives the same bytes: the
feed's ``updated`` time is its newest posting's date, never the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from .config import SiteConfig
from .jsontext import canonical_json
from .model import Posting

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
#: Characters XML 1.0 forbids even when escaped; a stray one would make the whole feed unreadable:
#: all but \t, \n, \r, \u0020-\ud7ff, \ue000-\ufffd and above \uffff (listed, not negated: ~3 ms less to compile).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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


def _text(text: str) -> str:
    """Escape text for XML content, dropping characters XML cannot hold."""
    # What xml.sax.saxutils.escape does, without importing urllib and http.client at start-up.
    return _NOT_XML.sub("", text).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _attr(text: str) -> str:
    return _text(text).replace('"', "&quot;")


def atom_entry(posting: Posting, config: SiteConfig, full: bool = True) -> str:
    """Serialise one Atom entry; pass ``cache`` to ``atom_feed`` to reuse it across feeds."""
    url = _attr(config.absolute(posting.url))
    day = rfc3339(posting.date)
    parts = [f"  <entry>\n    <id>{url}</id>\n    <title type=\"text\">{_text(entry_title(posting))}</title>\n",
             f"    <published>{day}</published>\n    <updated>{day}</updated>\n",
             f'    <link rel="alternate" type="text/html" href="{url}" />\n',
             f"    <author>\n      <name>{_text(posting.company)}</name>\n    </author>\n"]
    parts += [f'    <category term="{_attr(tag)}" />\n' for tag in posting.tags]
    if posting.summary:
        parts.append(f'    <summary type="text">{_text(posting.summary)}</summary>\n')
    if full or not posting.summary:
        parts.append(f'    <content type="html">{_text(posting.body_html)}</content>\n')
    parts.append("  </entry>\n")
    return "".join(parts)


def atom_feed(title: str, page_url: str, feed_url: str, postings: Iterable[Posting],
              config: SiteConfig, full: bool = True, cache: dict | None = None) -> str:
    """Return an Atom 1.0 feed (RFC 4287) for the page at ``page_url``.

    ``page_url`` and ``feed_url`` are site paths (``/tags/go/``) or absolute URLs. With
    ``full=False`` entries carry the summary but not the whole description, which keeps
    hundreds of per-tag feeds small. ``cache`` (a dict kept across calls of one build)
    serialises each posting's entry once, however many tag feeds list it.
    """
    items = feed_postings(postings, config)
    feed_abs, page_abs = _attr(_absolute(feed_url, config)), _attr(_absolute(page_url, config))
    head = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        f'<feed xmlns="{ATOM_NS}" xml:lang="{_attr(config.language)}">\n',
        f"  <id>{feed_abs}</id>\n",
        f'  <title type="text">{_text(title)}</title>\n',
        f'  <subtitle type="text">{_text(config.description)}</subtitle>\n',
        f"  <updated>{rfc3339(items[0].date if items else config.now)}</updated>\n",
        f'  <link rel="self" type="application/atom+xml" href="{feed_abs}" />\n',
        f'  <link rel="alternate" type="text/html" href="{page_abs}" />\n',
        f"  <author>\n    <name>{_text(config.title)}</name>\n    <uri>{_text(config.root_url + '/')}</uri>\n  </author>\n",
        "  <generator>site_gen</generator>\n",
    ]
    cache = {} if cache is None else cache
    entries = []
    for posting in items:
        key = (posting.slug, posting.digest, full)
        if key not in cache:
            cache[key] = atom_entry(posting, config, full)
        entries.append(cache[key])
    return "".join(head) + "".join(entries) + "</feed>\n"


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
    return canonical_json(document) + "\n"
