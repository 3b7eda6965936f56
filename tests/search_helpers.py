"""Shared pieces of the search tests: posting objects, index readers and a local web server."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

from site_gen.model import Output, Posting, Salary
from site_gen.search_codec import decode_ids
from site_gen.static_server import serve_folder


def make_posting(slug: str, title: str = "A Job", company: str = "Acme", date: str = "2025-03-01",
                 body_html: str = "<p>Description.</p>", summary: str | None = None,
                 salary: tuple | None = None, **fields) -> Posting:
    """Build a validated Posting directly, with only the fields a test cares about."""
    return Posting(
        source=f"content/jobs/{slug}.md", digest=slug, slug=slug, title=title, company=company,
        date=dt.date.fromisoformat(date), html_utf8=body_html.encode(),
        summary=summary if summary is not None else html.unescape(re.sub(r"<[^>]*>", "", body_html)),
        salary=Salary(*salary) if salary else None, **fields,
    )


def as_files(outputs: list[Output]) -> dict[str, object]:
    """Parse every JSON output (so invalid JSON fails the test) and key them by path."""
    return {o.path: json.loads(o.content) for o in outputs}


def summaries(files: dict[str, object]) -> list[dict]:
    """All display records, in id order (newest first)."""
    manifest = files["search/manifest.json"]
    chunks = -(-manifest["n"] // manifest["chunk"])
    return [record for k in range(chunks) for record in files[f"search/s/{k}.json"]]


def lookup(files: dict[str, object], word: str) -> list[list[int]]:
    """Find a word the way search.js does: the longest shard prefix, then the entry."""
    keys = set(files["search/manifest.json"]["shards"].split(" "))
    for n in range(len(word), 0, -1):
        if word[:n] in keys:
            from site_gen.search_index import shard_file
            entry = files[f"search/t/{shard_file(word[:n])}.json"].get(word, [])
            return [decode_ids(packed) for packed in entry] + [[]] * (3 - len(entry))
    return [[], [], []]


def filter_ids(files: dict[str, object], key: str) -> dict[str, list[int]]:
    """Map each value of one filter to the ids of its postings."""
    return {value[0]: decode_ids(value[2]) for value in files[f"search/f/{key}.json"]}


def site_wide_headers(public: Path) -> dict[str, str]:
    """Read the ``/*`` block of the generated Netlify ``_headers`` file (CSP and friends)."""
    headers, inside = {}, False
    for line in (public / "_headers").read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            inside = line.strip() == "/*"
        elif inside:
            name, value = line.strip().split(":", 1)
            headers[name] = value.strip()
    return headers


serve = serve_folder  #: a built board on 127.0.0.1 (site_gen.static_server)
