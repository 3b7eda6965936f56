"""Board-wide facts: expiry, canonical tag spellings, term groups, ordering, related postings."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from itertools import chain
from dataclasses import dataclass, field, replace

from .companies import CompanyProfile
from .config import SiteConfig
from .locations import Geography
from .model import Posting, Term, is_closed
from .urls import slugify

RELATED = 5  #: "more jobs like this" entries on a posting page
_RELATED_POOL = 12  #: newest postings per shared tag considered for "more jobs like this"


@dataclass(frozen=True)
class Site:
    """Everything the renderers need, gathered before any page is rendered."""

    config: SiteConfig
    pages: tuple[Posting, ...]  #: every posting that gets a page (open and closed), newest first
    listed: tuple[Posting, ...]  #: open postings shown in listings, search, feeds and sitemap, newest first
    tags: tuple[Term, ...]
    locations: tuple[Term, ...]
    companies: tuple[Term, ...]
    remote: tuple[Posting, ...]  #: listed postings with remote yes or hybrid
    related: Mapping[str, tuple[Posting, ...]]  #: slug -> "more jobs like this" (RelatedJobs)
    # Set by geo_site.add_geography (issue 9): places, remote eligibility and company profiles.
    geo: Geography = field(default_factory=Geography)
    profiles: dict[str, CompanyProfile] = field(default_factory=dict)  #: company slug -> profile

    def terms(self, kind: str) -> tuple[Term, ...]:
        return {"tag": self.tags, "location": self.locations, "company": self.companies}[kind]


def newest_first(postings) -> list[Posting]:
    """Order postings newest first; ties by title then slug, so output never depends on file order."""
    return sorted(postings, key=lambda p: (-p.date.toordinal(), p.title.casefold(), p.slug))


def _canonical_names(postings: list[Posting], names_of) -> dict[str, str]:
    """Map each spelling of a name to its display spelling: the most used of its case-folded group, ties alphabetical.

    Spellings are counted in C (``Counter`` of every posting's names), then grouped: a board has
    far fewer distinct spellings than names on its postings.
    """
    counts = Counter(chain.from_iterable(map(names_of, postings)))
    spellings: dict[str, dict[str, int]] = defaultdict(dict)
    for name, count in counts.items():
        spellings[name.casefold()][name] = count
    best = {key: min(c, key=lambda s: (-c[s], s)) for key, c in spellings.items()}
    return {name: best[name.casefold()] for name in counts}


def group_terms(kind: str, postings: list[Posting], names_of) -> tuple[Term, ...]:
    """Group open postings (already newest first) by term; one function for every term kind."""
    members: dict[str, list[Posting]] = defaultdict(list)
    display: dict[str, str] = {}
    slugs: dict[str, str] = {}  # a name recurs on many postings: its slug is looked up once
    for posting in postings:
        for name in names_of(posting):
            slug = slugs.get(name)
            if slug is None:
                slug = slugs[name] = slugify(name, kind)
            members[slug].append(posting)
            display.setdefault(slug, name)
    terms = [Term(kind, display[s], s, tuple(ps)) for s, ps in members.items()]
    return tuple(sorted(terms, key=lambda t: (t.name.casefold(), t.slug)))


class RelatedJobs(Mapping):
    """For each page's slug, the open postings sharing most tags with it (then newest).

    Candidates are the newest few postings of each of its tags, so the cost per posting is
    bounded however popular its tags are. Each posting's list is worked out when its page
    asks for it, so a big board does that in the render processes, not before them.
    """

    def __init__(self, listed: list[Posting], tags: tuple[Term, ...], pages: list[Posting]):
        self._listed = listed
        self._rank = {p.slug: i for i, p in enumerate(listed)}
        self._pools = {t.slug: [self._rank[p.slug] for p in t.postings[:_RELATED_POOL]] for t in tags}
        self._pages = {p.slug: p for p in pages}
        self._found: dict[str, tuple[Posting, ...]] = {}

    def __getitem__(self, slug: str) -> tuple[Posting, ...]:
        found = self._found.get(slug)
        if found is None:
            posting = self._pages[slug]
            shared = Counter(chain.from_iterable(self._pools.get(slugify(tag, "tag"), ()) for tag in posting.tags))
            shared.pop(self._rank.get(slug, -1), None)
            # Most shared, then newest: ``rank - count * n`` orders as (-count, rank) does, and sorting a few
            # dozen ints in C takes a third of the time of heapq.nsmallest over tuples (~0.1 s at 10,000).
            n = len(self._listed)
            best = sorted([i - count * n for i, count in shared.items()])[:RELATED]
            found = self._found[slug] = tuple(self._listed[k % n] for k in best)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)


def enrich(postings: list[Posting], config: SiteConfig) -> Site:
    """Apply expiry and drafts, unify spellings, and group postings into terms."""
    published = [p for p in postings if config.drafts or not p.draft]
    tag_names = _canonical_names(published, lambda p: p.tags)
    loc_names = _canonical_names(published, lambda p: p.locations)
    company_names = _canonical_names(published, lambda p: (p.company,))

    # Spellings that change (usually few or none): a posting without one keeps its tuples as they are.
    renamed_tags = {name for name, shown in tag_names.items() if name != shown}
    renamed_locations = {name for name, shown in loc_names.items() if name != shown}

    def settle(p: Posting) -> Posting:
        closed = is_closed(p.valid_through, config.now)
        tags = p.tags if renamed_tags.isdisjoint(p.tags) else tuple(map(tag_names.__getitem__, p.tags))
        locations = (p.locations if renamed_locations.isdisjoint(p.locations)
                     else tuple(map(loc_names.__getitem__, p.locations)))
        company = company_names[p.company]
        if closed == p.closed and tags == p.tags and locations == p.locations and company == p.company:
            return p  # most postings: nothing to change, no copy
        return replace(p, closed=closed, tags=tags, locations=locations, company=company)

    pages = newest_first(settle(p) for p in published)
    listed = [p for p in pages if not p.closed]
    tags = group_terms("tag", listed, lambda p: p.tags)
    return Site(
        config=config,
        pages=tuple(pages),
        listed=tuple(listed),
        tags=tags,
        locations=group_terms("location", listed, lambda p: p.locations),
        companies=group_terms("company", listed, lambda p: (p.company,)),
        remote=tuple(p for p in listed if p.remote in ("yes", "hybrid")),
        related=RelatedJobs(listed, tags, pages),
    )
