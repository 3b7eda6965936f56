"""Build the split search index that ``search.js`` reads (format: README.md, "Search").

One file per posting list would be too many requests and one file for everything too many
bytes at 10,000 postings, so the index is split the way each query needs it:

- ``search/manifest.json``: the version, posting count and the list of term shards;
- ``search/t/<prefix>.json``: words sharing a prefix, each with the ids of the postings that
  contain it, grouped by the best field it appears in (title/tags, company/location, text);
- ``search/f/<filter>.json``: for every value of one filter, the ids of the postings that have
  it; the long lists (location, tag) are fetched only when the visitor opens or uses them;
- ``search/salary.json``: each posting's highest annual salary, fetched only for that filter;
- ``search/s/<n>.json``: display summaries, ``CHUNK`` postings per file.

Posting ids count from 0 for the newest open posting, so "newest first" is "lowest id first".
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from . import search_places
from .enrich import newest_first
from .formatting import salary as salary_text
from .jsontext import canonical_json
from .locations import Geography
from .model import EMPLOYMENT_TYPES, Output, Posting
from .search_codec import description_words, encode_ids, encode_numbers, tokenise
from .urls import slugify

#: Postings per summary file: a page of 10 results spread over the board costs 10 small files,
#: a page of newest-first browsing two.
CHUNK = 5
#: Shard size (characters) above which a prefix is split by one more character.
SHARD_BUDGET = 12_000
#: Length of the prefix every shard starts from.
BASE_PREFIX = 2
#: Characters of plain-text description shown under each result.
SUMMARY_CHARS = 160
#: Filters with many values: their files load when the visitor opens them, not with every search.
LAZY_FILTERS = ("location", "remote_from", "tag")
REMOTE_LABELS = {"yes": "Remote", "hybrid": "Hybrid", "no": "On-site"}
_ASCII_KEY = re.compile(r"[a-z0-9]+")


def open_postings(postings: Sequence[Posting]) -> list[Posting]:
    """Keep listed postings in the board's newest-first order, which fixes their ids."""
    return newest_first(p for p in postings if not p.closed)


def synonyms(config: Any) -> dict[str, tuple[str, ...]]:
    """Map each canonical tag or place (case-folded) to the alias spellings site.yaml folds into it.

    A visitor who types ``golang`` should find postings tagged ``Go`` when the board aliases them.
    """
    found: dict[str, list[str]] = defaultdict(list)
    for setting in ("tag_aliases", "location_aliases"):
        for alias, target in sorted((getattr(config, setting, None) or {}).items()):
            found[str(target).casefold()].append(str(alias))
    return {k: tuple(v) for k, v in found.items()}


def field_words(posting: Posting, aliases: dict[str, tuple[str, ...]] | None = None,
                places: tuple[str, ...] = ()) -> tuple[set[str], set[str], list[str]]:
    """Return the words of each field group of one posting, best group first.

    ``places`` are the resolved names around its places (Berlin -> Germany, Europe), so a
    search for a country or continent finds the postings its location pages list. The
    description's words come as a list: they are distinct already (``description_words``),
    and a set of some 250 words per posting cost ~0.15 s at 10,000 postings for nothing.
    """
    aliases = aliases or {}

    def with_aliases(names: tuple[str, ...]) -> list[str]:
        return [*names, *(a for n in names for a in aliases.get(n.casefold(), ()))]

    title = tokenise(" ".join((posting.title, *with_aliases(posting.tags))))
    place = tokenise(" ".join((posting.company, *with_aliases(posting.locations), *posting.remote_regions, *places)))
    return set(title), set(place), (posting.words or description_words(posting.body_html)).split()


def invert(postings: list[Posting], aliases: dict[str, tuple[str, ...]] | None = None,
           memo: dict | None = None, geo: Geography | None = None) -> dict[str, list[list[int]]]:
    """Map every word to three id lists: postings whose best field for it is title, place, text.

    ``memo`` (kept by the preview between rebuilds) remembers each posting's words, so an
    edit re-tokenises only the postings that changed.
    """
    words: dict[str, list[list[int]]] = defaultdict(lambda: [[], [], []])
    for pid, posting in enumerate(postings):
        places = search_places.place_words(posting, geo) if geo is not None else ()
        if memo is None:
            groups = field_words(posting, aliases, places)
        else:
            key = (posting.digest, posting.title, posting.tags, posting.locations, posting.company, places)
            groups = memo.get(key)
            if groups is None:
                groups = memo[key] = field_words(posting, aliases, places)
        title, place, text = groups
        for word in title:
            words[word][0].append(pid)
        for word in place - title:
            words[word][1].append(pid)
        seen = title | place
        for word in text:
            if word not in seen:
                words[word][2].append(pid)
    return dict(words)


def encode_entry(lists: list[list[int]]) -> list[str]:
    """Pack one word's three id lists (ascending: ``invert`` appends ids in order), dropping empty trailing ones."""
    packed = [encode_ids(ids, ascending=True) for ids in lists]
    while packed and not packed[-1]:
        packed.pop()
    return packed


def shard_key(word: str, length: int) -> str:
    """Return the prefix that names a word's shard at a given prefix length."""
    return word[:length]


def split_shards(entries: dict[str, list[str]], budget: int = SHARD_BUDGET) -> dict[str, dict[str, list[str]]]:
    """Group words by prefix, lengthening the prefix of any group larger than the budget.

    A word always lives in the shard named by the longest listed prefix of it, which is the
    rule ``search.js`` uses to find it.
    """
    shards: dict[str, dict[str, list[str]]] = {}
    pending = defaultdict(dict)
    for word, entry in entries.items():
        pending[shard_key(word, BASE_PREFIX)][word] = entry
    while pending:
        key, group = pending.popitem()
        longer = {w: e for w, e in group.items() if len(w) > len(key)}
        if len(canonical_json(group)) <= budget or not longer:
            shards[key] = group
            continue
        shards[key] = {w: e for w, e in group.items() if len(w) <= len(key)}
        for word, entry in longer.items():
            pending[shard_key(word, len(key) + 1)][word] = entry
    return {k: v for k, v in shards.items() if v}


def shard_file(key: str) -> str:
    """Name a shard's file: the prefix itself when plain ASCII, else ``_`` and its UTF-8 hex."""
    return key if _ASCII_KEY.fullmatch(key) else "_" + key.encode("utf-8").hex()


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """Cut plain text at a word boundary so one result stays a few lines long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def summary(posting: Posting) -> dict[str, Any]:
    """Return what one search result shows: plain text only, never HTML."""
    record: dict[str, Any] = {
        "u": posting.url, "t": posting.title, "c": posting.company,
        "d": posting.date.isoformat(), "x": shorten(posting.summary),
    }
    optional = {
        "l": list(posting.locations), "g": list(posting.tags),
        "r": posting.remote, "e": posting.employment_label, "s": salary_text(posting.salary),
    }
    record.update({k: v for k, v in optional.items() if v})
    return record


def facet_values(postings: list[Posting], geo: Geography | None = None) -> list[dict[str, Any]]:
    """List each filter with its values (URL value, label, packed ids), in display order."""
    geo = search_places.geography(postings, None, geo)
    def group(key: str, label: str, pairs: list[tuple[int, str, str]], order: list[str] | None = None):
        ids: dict[str, list[int]] = defaultdict(list)
        labels: dict[str, str] = {}
        for pid, value, shown in pairs:
            ids[value].append(pid)
            labels.setdefault(value, shown)
        keys = order or sorted(ids, key=lambda v: (-len(ids[v]), labels[v].lower(), v))
        values = [[v, labels[v], encode_ids(ids[v])] for v in keys if v in ids]
        return {"key": key, "label": label, "values": values}

    def pairs(get) -> list[tuple[int, str, str]]:
        return [(pid, value, shown) for pid, p in enumerate(postings) for value, shown in get(p)]

    return [
        group("remote", "Remote", pairs(lambda p: [(p.remote, REMOTE_LABELS[p.remote])] if p.remote else []),
              list(REMOTE_LABELS)),
        group("type", "Employment type",
              pairs(lambda p: [(p.employment_type, p.employment_label)] if p.employment_type else []),
              list(EMPLOYMENT_TYPES)),
        {"key": "location", "label": "Location", "values": search_places.location_values(postings, geo)},
        {"key": "remote_from", "label": "Remote from", "values": search_places.remote_area_values(postings, geo)},
        group("tag", "Tag", pairs(lambda p: [(slugify(n, "tag"), n) for n in p.tags])),
        group("currency", "Salary currency",
              pairs(lambda p: [(p.salary.currency.lower(), p.salary.currency)] if p.salary else [])),
    ]


def salaries(postings: list[Posting]) -> str:
    """Pack each posting's highest annual salary plus one (0: not stated), by id.

    The minimum-salary filter keeps a posting whose range reaches the minimum: a visitor
    asking for 100,000 a year wants to see a job paying 51,850 to 171,450.
    """
    values = []
    for posting in postings:
        annual = posting.salary.annual_max if posting.salary else None
        values.append(0 if annual is None else int(annual) + 1)
    return encode_numbers(values)


def build_search_index(postings: Sequence[Posting], config: Any = None, memo: dict | None = None,
                       geo: Geography | None = None) -> list[Output]:
    """Return every file of the search index, under ``search/`` (``memo``: see ``invert``).

    ``geo`` is the Site's resolved places (``Site.geo``); without it they are resolved here.
    """
    listed = open_postings(postings)
    geo = search_places.geography(listed, config, geo)
    aliases = synonyms(config)
    if memo is not None and memo.get("aliases") != aliases:
        memo.clear()
        memo["aliases"] = aliases
    entries = {word: encode_entry(lists) for word, lists in invert(listed, aliases, memo, geo).items()}
    shards = split_shards(entries, SHARD_BUDGET)
    files: dict[str, str] = {f"search/t/{shard_file(k)}.json": canonical_json(v) for k, v in shards.items()}
    for start in range(0, len(listed), CHUNK):
        files[f"search/s/{start // CHUNK}.json"] = canonical_json([summary(p) for p in listed[start:start + CHUNK]])
    groups = facet_values(listed, geo)
    for group in groups:
        files[f"search/f/{group['key']}.json"] = canonical_json(group["values"])
    files["search/salary.json"] = canonical_json({"annual_max_plus_one": salaries(listed)})
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    manifest = {"v": digest.hexdigest()[:12], "n": len(listed), "chunk": CHUNK,
                "prefix": BASE_PREFIX, "shards": " ".join(sorted(shards)),
                "filters": [[g["key"], g["label"], g["key"] not in LAZY_FILTERS, len(g["values"])] for g in groups]}
    files["search/manifest.json"] = canonical_json(manifest)
    return [Output(path, files[path]) for path in sorted(files)]
