"""Give search the same places as the location and remote-area pages (``Site.geo``).

The location filter lists resolved places by the location pages' slugs (``europe``, ``germany``,
``germany/berlin``), so Berlin postings appear once under Berlin and ``location=germany`` finds
every German job; unresolved places keep their own name. "Remote from" lists the ``/remote/<area>/``
pages with their rule (a Worldwide posting matches every area).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from .geo import hierarchy, is_remote_word
from .locations import Geography, build_geography
from .model import Posting
from .search_codec import encode_ids
from .urls import slugify

#: The location filter's value for fully remote postings, so "Berlin or Remote" is one filter.
REMOTE_VALUE = ("remote", "Remote")


def geography(listed: Sequence[Posting], config: Any, geo: Geography | None) -> Geography:
    """Use the Site's geography, or resolve the places here when the caller has none (tests, tools)."""
    if geo is not None:
        return geo
    return build_geography(listed, getattr(config, "location_aliases", None) or {})


def place_words(posting: Posting, geo: Geography) -> tuple[str, ...]:
    """Names that should find a posting by place: its places' city, country, continent, and remote areas."""
    names: list[str] = []
    for place in geo.places.get(posting.slug, ()):
        names += [x for x in (place.city, place.region, place.country, place.continent) if x]
    elig = geo.eligibility.get(posting.slug)
    if elig is not None:
        for area in elig.areas:
            names += [x for x in (area.country, area.continent) if x]
    return tuple(dict.fromkeys(names))


def _posting_places(posting: Posting, geo: Geography) -> dict[str, tuple[str, str | None]]:
    """Map each location value of one posting to (label, parent value), every level of each place."""
    mine: dict[str, tuple[str, str | None]] = {}
    named = geo.named.get(posting.slug)
    if named is None:  # not resolved by this geography: the names as written
        named = tuple((name, None) for name in posting.locations if not is_remote_word(name))
    for label, place in named:
        if place is None:
            mine.setdefault(slugify(label, "location"), (label, None))
            continue
        chain, parent = hierarchy(place), None
        for depth, (name, slug) in enumerate(chain):
            shown = f"{name}, {chain[1][0]}" if depth == 2 else name
            mine.setdefault(slug, (shown, parent))
            parent = slug
    return mine


def _tree_order(ids: dict[str, list[int]], labels: dict[str, str], parents: dict[str, str | None]) -> list[str]:
    """Order values as a tree: biggest first at each level, each value followed by its children."""
    def key(value: str) -> tuple:
        chain = []
        while value is not None:
            chain.append((-len(ids[value]), labels[value].casefold(), value))
            value = parents.get(value)
        return tuple(reversed(chain))
    return sorted(ids, key=key)


def _rows(order: list[str], labels: dict[str, str], ids: dict[str, list[int]],
          parents: dict[str, str | None]) -> list[list[Any]]:
    """Write [value, label, packed ids], plus its depth under the top level when nested (for indenting)."""
    rows = []
    for value in order:
        depth, up = 0, parents.get(value)
        while up is not None:
            depth, up = depth + 1, parents.get(up)
        rows.append([value, labels[value], encode_ids(ids[value])] + ([depth] if depth else []))
    return rows


def location_values(listed: Sequence[Posting], geo: Geography) -> list[list[Any]]:
    """Return the location filter: Remote first, then places as a tree (rows: see ``_rows``)."""
    ids: dict[str, list[int]] = defaultdict(list)
    labels: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    for pid, posting in enumerate(listed):
        for value, (label, parent) in _posting_places(posting, geo).items():
            ids[value].append(pid)
            labels.setdefault(value, label)
            parents.setdefault(value, parent)
    remote = {p.slug for p in geo.remote_postings}
    remote_ids = [pid for pid, p in enumerate(listed) if p.slug in remote]
    values = [[REMOTE_VALUE[0], REMOTE_VALUE[1], encode_ids(remote_ids)]] if remote_ids else []
    return values + _rows(_tree_order(ids, labels, parents), labels, ids, parents)


def remote_area_values(listed: Sequence[Posting], geo: Geography) -> list[list[Any]]:
    """Return the "Remote from" filter: the remote-area pages (Worldwide first, countries under continents)."""
    pid_of = {p.slug: pid for pid, p in enumerate(listed)}
    ids: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    for page in geo.remote_pages:
        slug = page.term.slug
        ids[slug] = sorted(pid_of[p.slug] for p in page.term.postings if p.slug in pid_of)
        labels[slug] = page.term.name
        parents[slug] = page.ancestors[-1].slug if page.ancestors else None
    order = _tree_order({k: v for k, v in ids.items() if v}, labels, parents)
    order.sort(key=lambda v: v != "worldwide")  # stable: the tree order stays below Worldwide
    return _rows(order, labels, ids, parents)
