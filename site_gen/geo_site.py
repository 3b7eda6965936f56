"""Plug places, remote eligibility, salary sorting and company profiles into the Site and its pages.

Kept apart from ``enrich.py`` and ``render.py`` so those stay small: ``add_geography`` runs right
after ``enrich``, and the renderer asks this module for the extra pages and template context.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from . import jsonld
from .companies import CompanyProfile, company_slug
from .locations import PlacePage, build_geography
from .model import Posting, Term
from .money import format_annual, salary_key, site_locale

_PAGE_SUFFIX = re.compile(r"/page/\d+/$")
#: ``company_slug`` of a posting's company (no aliases: enrich applied them), remembered: each posting
#: page asks twice, and Unicode normalisation and slugging cost more than the lookup.
_company_slug = lru_cache(maxsize=65536)(company_slug)

if TYPE_CHECKING:  # imported for types only: render imports this module
    from .enrich import Site


@dataclass(frozen=True)
class Sorting:
    """Which order a listing page shows, and the URLs of both orders (for the switch)."""

    by: str  #: "date" or "salary"
    date_url: str
    salary_url: str | None  #: None when the listing has no salary variant


class SalaryOrder(Sequence[Posting]):
    """A listing's postings highest salary first (``money.sort_by_salary``'s order), sorted when first read.

    Every listing's pages are planned in the build process alone, before the render processes
    start; sorting each listing there cost ~0.08 s at 10,000 postings. Whether the order differs
    is known from the first two postings out of order; the sort waits for the render process
    that makes one of the variant's pages.
    """

    def __init__(self, postings: tuple[Posting, ...], key: Callable[[Posting], tuple]):
        self._postings, self._key = postings, key
        self._sorted: tuple[Posting, ...] | None = None

    def __len__(self) -> int:
        return len(self._postings)

    def __getitem__(self, index: Any) -> Any:
        if self._sorted is None:
            self._sorted = tuple(sorted(self._postings, key=self._key))
        return self._sorted[index]


def salary_order(postings: tuple[Posting, ...], rates: Mapping[str, float] | None = None,
                 memo: dict[int, tuple] | None = None) -> SalaryOrder | None:
    """Return a listing's highest-salary-first order, or None when it is the newest-first order already.

    Only then does the listing get a salary-sorted variant and the switch between both orders.
    The keys are distinct, so the orders are the same exactly when no posting's key is below
    the one before it.
    """
    if len(postings) < 2 or not any(p.salary for p in postings):
        return None
    key = salary_key(rates or None, memo)
    keys = map(key, postings)
    previous = next(keys)
    for current in keys:
        if current < previous:
            return SalaryOrder(postings, key)
        previous = current
    return None


def salary_base(base: str) -> str:
    """Return the first page of a listing's salary-sorted variant: ``/tags/go/`` -> ``/tags/go/salary/``."""
    return base + "salary/"


def listing_bases(site: Site) -> set[str]:
    """Return the first-page URL of every listing that has a salary-sorted variant."""
    terms = [*site.tags, *site.companies, *site.locations, *(p.term for p in site.geo.remote_pages)]
    return {"/", "/remote/", *(t.url for t in terms)}


def salary_variant_urls(site: Site, pages: Iterable[Any]) -> set[str]:
    """Return the URLs of the salary-sorted variants among ``pages`` (Outputs): kept out of the sitemap."""
    bases = {salary_base(b) for b in listing_bases(site)}
    found = set()
    for output in pages:
        path = output.path
        if path.endswith("/index.html"):
            url = "/" + path[: -len("index.html")]
            if _PAGE_SUFFIX.sub("/", url) in bases:
                found.add(url)
    return found


def add_geography(site: Site, profiles: Mapping[str, CompanyProfile] | None = None) -> Site:
    """Resolve places and eligibility once, and swap in the location hierarchy and company profiles."""
    profiles = dict(profiles or {})
    geo = build_geography(site.pages, site.config.location_aliases, site.listed)
    companies = tuple(replace(t, name=profiles[t.slug].name) if t.slug in profiles and profiles[t.slug].name else t
                      for t in site.companies)
    geo = replace(geo, company_urls={t.slug: t.url for t in companies})
    return replace(site, geo=geo, profiles=profiles, companies=companies,
                   locations=tuple(page.term for page in geo.location_pages))


def posting_context(site: Site, posting: Posting) -> dict[str, Any]:
    """Extra context of a posting page: who can apply from where, linked places, yearly pay, profile."""
    annual = format_annual(posting.salary, site_locale(site.config.language)) if posting.salary else ""
    slug = _company_slug(posting.company)
    page = site.geo.company_urls.get(slug)  # None when the company has no open posting (so no page)
    return {"who_can_apply": site.geo.who_can_apply(posting), "place_links": site.geo.place_links(posting),
            "remote_areas": site.geo.remote_areas(posting),
            "salary_annual": annual, "company_profile": site.profiles.get(slug), "company_page": page}


def json_ld_function(site: Site, static_urls: Mapping[str, str]) -> Any:
    """Return the template's ``job_posting_json_ld``: places from the gazetteer, logo from the profile."""
    def job_posting_json_ld(posting: Posting) -> Markup:
        profile = site.profiles.get(_company_slug(posting.company))
        logo = profile.logo if profile else None
        if logo and not logo.startswith("http"):
            logo = site.config.absolute(static_urls[logo]) if logo in static_urls else None
        data, _ = jsonld.job_posting(posting, site.config, logo, place_json_ld(site, posting))
        return jsonld.script_tag(data) if data else Markup("")

    return job_posting_json_ld


def place_json_ld(site: Site, posting: Posting) -> dict[str, Any]:
    """Return the JobPosting's place keys: gazetteer places, plus unresolved locations as written."""
    place = site.geo.jsonld(posting)
    unresolved = [jsonld.postal_address(label) for label, found in site.geo.named.get(posting.slug, ()) if not found]
    extra = [{"@type": "Place", "address": a} for a in unresolved if a]
    if extra:
        place["jobLocation"] = place.get("jobLocation", []) + extra
    return place


def term_context(site: Site, term: Term) -> dict[str, Any]:
    """Extra context of a tag or company listing: the company's profile, when it has one."""
    return {"profile": site.profiles.get(term.slug)} if term.kind == "company" else {}


def place_pages(renderer: Any, site: Site) -> Iterator[Any]:
    """Yield ``/locations/`` and every location and remote-area page, paginated, with both sort orders."""
    geo = site.geo
    yield renderer.locations_index([p for p in geo.location_pages if p.level == "continent"],
                                   {p.term.slug: p.children for p in geo.location_pages},
                                   sum(1 for p in site.listed if geo.places.get(p.slug)))
    for page in geo.location_pages:
        yield from renderer.listing(page.term.url, location_heading(page), page.term.postings, term=page.term,
                                    extra={"place": page})
    for page in geo.remote_pages:
        yield from renderer.listing(page.term.url, remote_heading(page), page.term.postings, term=page.term,
                                    extra={"place": page})


def remote_root(site: Site) -> PlacePage:
    """The ``/remote/`` page's links down: Worldwide and each continent with remote postings."""
    tops = tuple(sorted((p.term for p in site.geo.remote_pages if not p.ancestors and p.level != "country"),
                        key=lambda t: (t.slug != "worldwide", -t.count, t.name)))
    return PlacePage(Term("remote", "Remote", "", tuple(site.remote)), "root", (), tops)


def location_heading(page: PlacePage) -> str:
    if page.level == "city" and page.ancestors:
        return f"Jobs in {page.term.name}, {page.ancestors[-1].name}"
    return f"Jobs in {page.term.name}"


def remote_heading(page: PlacePage) -> str:
    if page.level == "worldwide":
        return "Remote jobs open worldwide"
    return f"Remote jobs open to people in {page.term.name}"


def context_key(extra: Mapping[str, Any]) -> tuple:
    """Summarise the issue-9 context of a page for its cache key (names, URLs, counts; never postings)."""
    parts = []
    for name, value in sorted(extra.items()):
        if isinstance(value, PlacePage):
            value = (value.level, value.term.name, value.term.slug, value.term.count,
                     [(t.name, t.url, t.count) for t in value.ancestors + value.children])
        parts.append((name, value))
    return tuple(parts)
