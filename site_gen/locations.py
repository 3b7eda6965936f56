"""Gather, once, where every posting is and from where one may apply, and the pages that follow.

``build_geography(postings, config)`` resolves each posting's locations and remote eligibility
and returns the location hierarchy pages (``/locations/europe/``, ``/locations/germany/``,
``/locations/germany/berlin/``) and the remote pages (``/remote/worldwide/``, ``/remote/africa/``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem
from .geo import Place, apply_alias, country_slug, fold, hierarchy, is_remote_word, resolve_detail, segment
from .model import Posting, Term
from .remote import Eligibility, eligibility, location_jsonld, who_can_apply

WORLDWIDE_SLUG = "worldwide"


@dataclass(frozen=True)
class PlacePage:
    """One page of the location or remote hierarchy, with its links up and down."""

    term: Term  #: kind "location" (slug like "germany/berlin") or "remote" (slug like "africa")
    level: str  #: "continent", "country", "city" or "worldwide"
    ancestors: tuple[Term, ...] = ()  #: from the top down, e.g. (Europe, Germany) for Berlin
    children: tuple[Term, ...] = ()  #: most postings first, then by name


@dataclass(frozen=True)
class Geography:
    """Everything the pages need to know about place, keyed by posting slug."""

    places: dict[str, tuple[Place, ...]] = field(default_factory=dict)  #: resolved locations
    named: dict[str, tuple[tuple[str, Place | None], ...]] = field(default_factory=dict)  #: (display name, place)
    eligibility: dict[str, Eligibility] = field(default_factory=dict)
    location_pages: tuple[PlacePage, ...] = ()  #: sorted by slug
    remote_pages: tuple[PlacePage, ...] = ()  #: sorted by slug
    remote_postings: tuple[Posting, ...] = ()  #: every fully remote posting, for ``/remote/``
    location_urls: dict[str, str] = field(default_factory=dict)  #: location page slug -> URL
    company_urls: dict[str, str] = field(default_factory=dict)  #: company slug -> URL of its page (set by geo_site)
    warnings: tuple[Problem, ...] = ()  #: unresolvable locations and regions, unreadable timezones

    def labels(self, posting: Posting) -> list[str]:
        """Return the display names of a posting's locations: resolved labels, else as written."""
        return list(dict.fromkeys(label for label, _ in self.named.get(posting.slug, ())))

    def place_links(self, posting: Posting) -> list[tuple[str, str | None]]:
        """Return ``(display name, URL of its most precise location page or None)`` per location."""
        urls = self.location_urls
        links = {}
        for label, place in self.named.get(posting.slug, ()):
            slugs = [slug for _, slug in hierarchy(place)] if place else []
            links.setdefault(label, next((urls[s] for s in reversed(slugs) if s in urls), None))
        return list(links.items())

    def remote_areas(self, posting: Posting) -> list[str]:
        """Return the areas remote applicants may live in, by name ("Kenya", not "KE")."""
        elig = self.eligibility.get(posting.slug, Eligibility())
        if elig.worldwide:
            return ["anywhere"]
        return [a.country or a.continent or "" for a in elig.areas] + list(elig.unknown)

    def who_can_apply(self, posting: Posting) -> str:
        """Return the posting page's sentence about who can apply from where."""
        return who_can_apply(remote_of(posting, _all_remote_words(posting)), self.labels(posting),
                             self.eligibility.get(posting.slug, Eligibility()), posting.timezones)

    def jsonld(self, posting: Posting) -> dict[str, Any]:
        """Return the JobPosting keys about place, to merge into the posting's JSON-LD."""
        return location_jsonld(remote_of(posting, _all_remote_words(posting)),
                               list(self.places.get(posting.slug, ())),
                               self.eligibility.get(posting.slug, Eligibility()))

    def breadcrumbs(self, posting: Posting) -> list[Term]:
        """Return the location pages of a posting's first resolved place, top down (for links)."""
        pages = {p.term.slug: p for p in self.location_pages}
        places = self.places.get(posting.slug, ())
        if not places:
            return []
        return [pages[slug].term for _, slug in hierarchy(places[0]) if slug in pages]


def _all_remote_words(posting: Posting) -> bool:
    return bool(posting.locations) and all(is_remote_word(name) for name in posting.locations)


def remote_of(posting: Posting, says_remote: bool = False) -> str | None:
    """Return the posting's remote value; ``location: Remote`` alone counts as remote: yes."""
    if posting.remote is None and says_remote:
        return "yes"
    return posting.remote


def build_geography(postings: Iterable[Posting], location_aliases: Mapping[str, str] | None = None,
                    listed: Iterable[Posting] | None = None) -> Geography:
    """Resolve every posting's places and eligibility, then build both hierarchies (gather, then write).

    ``postings`` are all that get a page (their sentence and JSON-LD); the location and remote
    pages list only ``listed`` (the open ones, newest first), which defaults to ``postings``.
    """
    postings = list(postings)
    open_ = postings if listed is None else list(listed)
    places: dict[str, tuple[Place, ...]] = {}
    named: dict[str, tuple[tuple[str, Place | None], ...]] = {}
    eligibilities: dict[str, Eligibility] = {}
    warnings: list[Problem] = []
    remote: list[Posting] = []
    parsed: dict[tuple[tuple[str, ...], str | None], tuple[Eligibility, dict[str, list[str]]]] = {}
    for posting in postings:
        named[posting.slug] = _resolve_posting(posting, location_aliases, warnings)
        places[posting.slug] = tuple(dict.fromkeys(place for _, place in named[posting.slug] if place))
        # A board repeats a few region lists and windows: each is parsed once (read-only results).
        key = (posting.remote_regions, posting.timezones)
        found = parsed.get(key)
        if found is None:
            found = parsed[key] = eligibility(posting.remote_regions, posting.timezones, location_aliases)
        elig, problems = found
        eligibilities[posting.slug] = elig
        # Unknown regions are shown as written and listed on no remote-area page, with a warning.
        warnings += [Problem(posting.source, "remote_regions", m, "it is shown as written on the posting")
                     for m in problems.get("remote_regions", ())]
        # "US Time Zones" is a fair thing to write: shown as written, with a warning that it is not a window.
        warnings += [Problem(posting.source, "timezones", m, "it is shown as written and not used for filtering")
                     for m in problems.get("timezones", ())]
    for posting in open_:
        if remote_of(posting, _all_remote_words(posting)) == "yes":
            remote.append(posting)
    location_pages = tuple(_location_pages(open_, places))
    return Geography(places=places, named=named, eligibility=eligibilities, location_pages=location_pages,
                     location_urls={page.term.slug: page.term.url for page in location_pages},
                     remote_pages=tuple(_remote_pages(remote, eligibilities)),
                     remote_postings=tuple(remote), warnings=tuple(warnings))


def _resolve_posting(posting: Posting, aliases: Mapping[str, str] | None,
                     warnings: list[Problem]) -> tuple[tuple[str, Place | None], ...]:
    named = []
    for name in posting.locations:
        if is_remote_word(name, aliases):
            continue
        place, reason = resolve_detail(apply_alias(name, aliases))
        if reason:
            warnings.append(Problem(posting.source, "location", f"{name!r} {reason}" if place is None else
                                    f"{name!r}: {reason}",
                                    f'add it to location_aliases in content/site.yaml, e.g. "{name}": "Berlin, Germany"'))
        named.append((place.label if place else name, place))
    return tuple(named)


def _tree(postings: list[Posting], slugs_of: Mapping[str, set[str]], names: Mapping[str, str],
          parents: Mapping[str, str | None], levels: Mapping[str, str], kind: str) -> list[PlacePage]:
    """Turn "which page slugs each posting belongs to" into pages linked up and down."""
    members: dict[str, list[Posting]] = {slug: [] for slug in names}
    for posting in postings:
        for slug in slugs_of.get(posting.slug, ()):
            members[slug].append(posting)
    terms = {slug: Term(kind=kind, name=names[slug], slug=slug, postings=tuple(members[slug]))
             for slug in names if members[slug]}
    kids: dict[str, list[Term]] = {slug: [] for slug in terms}
    for slug, term in terms.items():
        parent = parents.get(slug)
        if parent in kids:
            kids[parent].append(term)
    pages = []
    for slug in sorted(terms):
        chain, up = [], parents.get(slug)
        while up is not None:
            if up in terms:
                chain.append(terms[up])
            up = parents.get(up)
        children = sorted(kids[slug], key=lambda t: (-t.count, fold(t.name), t.slug))
        pages.append(PlacePage(terms[slug], levels[slug], tuple(reversed(chain)), tuple(children)))
    return pages


def _location_pages(postings: list[Posting], places: Mapping[str, tuple[Place, ...]]) -> list[PlacePage]:
    names: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    levels: dict[str, str] = {}
    slugs_of: dict[str, set[str]] = {}
    for posting in postings:
        mine: set[str] = set()
        for place in places.get(posting.slug, ()):
            chain = hierarchy(place)
            for depth, (name, slug) in enumerate(chain):
                names[slug] = name
                parents[slug] = chain[depth - 1][1] if depth else None
                levels[slug] = ("continent", "country", "city")[depth]
                mine.add(slug)
        slugs_of[posting.slug] = mine
    return _tree(postings, slugs_of, names, parents, levels, "location")


def _remote_pages(remote: list[Posting], eligibilities: Mapping[str, Eligibility]) -> list[PlacePage]:
    names: dict[str, str] = {}
    parents: dict[str, str | None] = {}
    levels: dict[str, str] = {}
    for posting in remote:
        elig = eligibilities[posting.slug]
        if elig.worldwide:
            names[WORLDWIDE_SLUG], parents[WORLDWIDE_SLUG], levels[WORLDWIDE_SLUG] = "Worldwide", None, "worldwide"
        for area in elig.areas:
            continent = segment(area.continent) if area.continent else None
            if continent:
                names[continent], parents[continent], levels[continent] = area.continent, None, "continent"
            if area.country:
                slug = country_slug(area)
                names[slug], parents[slug], levels[slug] = area.country, continent, "country"
    by_continent: dict[str, list[str]] = {}
    for slug, parent in parents.items():
        if parent:
            by_continent.setdefault(parent, []).append(slug)
    slugs_of: dict[str, set[str]] = {}
    for posting in remote:
        elig = eligibilities[posting.slug]
        if elig.worldwide:
            slugs_of[posting.slug] = set(names)
            continue
        mine: set[str] = set()
        for area in elig.areas:
            continent = segment(area.continent) if area.continent else None
            if continent:
                mine.add(continent)
            if area.country:
                mine.add(country_slug(area))
            elif continent:
                mine.update(by_continent.get(continent, ()))
        slugs_of[posting.slug] = mine
    return _tree(remote, slugs_of, names, parents, levels, "remote")

