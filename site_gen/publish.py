"""The files that publish the board beyond its pages: feeds, sitemap, robots.txt, Netlify rules.

The pipeline calls ``outputs`` once, after every page is rendered, because the sitemap and
``_headers`` describe the finished set of pages.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Sequence

from . import feeds, jsonld, netlify, sitemap
from .config import SiteConfig
from .enrich import Site
from .geo_site import place_json_ld, salary_variant_urls
from .load import display_path
from .errors import Problem
from .model import Output, Posting
from .urls import feed_url

ATOM = "application/atom+xml"
JSON_FEED = "application/feed+json"
#: Pages left out of the sitemap: no content of their own for a search engine.
_NOT_IN_SITEMAP = ("/search/",)
#: Warnings of one kind printed in full before the rest are counted.
MAX_SAME = 3
_TERM_FEED_TITLES = {"tag": "{} jobs", "location": "Jobs in {}", "company": "Jobs at {}", "remote": "Remote jobs: {}"}


def feed_links(config: SiteConfig, base: str | None = None, title: str | None = None
               ) -> tuple[tuple[str, str, str], ...]:
    """List the feeds a page links to: the board's own, plus its listing's when it has one."""
    links = [(f"{config.title} (Atom)", config.absolute(feed_url("/")), ATOM),
             (f"{config.title} (JSON Feed)", config.absolute(feed_url("/", "json")), JSON_FEED)]
    if base and base != "/":
        links.append((f"{title or base} (Atom)", config.absolute(feed_url(base)), ATOM))
    return tuple(links)


Sink = Callable[[Output], None]


def _emit(output: Output, sink: Sink | None) -> Output:
    """Hand ``output`` to ``sink`` (which writes it) and keep only its path, or keep it whole."""
    if sink is None:
        return output
    sink(output)
    return Output(output.path, None, output.key)


def _feed_outputs(site: Site, listed: Sequence[Posting], sink: Sink | None = None) -> list[Output]:
    config = site.config
    out = [_emit(Output("feed.xml", feeds.atom_feed(config.title, "/", feed_url("/"), listed, config)), sink),
           _emit(Output("feed.json", feeds.json_feed(config.title, "/", feed_url("/", "json"), listed, config)), sink)]
    remote = [p for p in site.remote if not p.draft]
    cache: dict = {}
    out.append(_emit(Output("remote/feed.xml", feeds.atom_feed(f"Remote jobs · {config.title}", "/remote/",
                                                               feed_url("/remote/"), remote, config, False, cache)),
                     sink))
    remote_areas = tuple(page.term for page in site.geo.remote_pages)  # issue 9: /remote/<area>/feed.xml
    for kind in ("tag", "location", "company", "remote"):
        for term in (site.terms(kind) if kind != "remote" else remote_areas):
            title = _TERM_FEED_TITLES[kind].format(term.name) + f" · {config.title}"
            postings = [p for p in term.postings if not p.draft]
            text = feeds.atom_feed(title, term.url, feed_url(term.url), postings, config, False, cache)
            out.append(_emit(Output(feed_url(term.url).lstrip("/"), text), sink))
    return out


def page_url_of(path: str) -> str | None:
    """Map an output path back to the URL it is served at; None for files that are not pages."""
    if path == "index.html":
        return "/"
    if path.endswith("/index.html"):
        return "/" + path[: -len("index.html")]
    return None


def _sitemap_outputs(site: Site, pages: Sequence[Output]) -> list[Output]:
    hidden = {p.url for p in site.pages if p.closed or p.draft}
    hidden |= salary_variant_urls(site, pages)  # issue 9: noindex copies of listings, sorted by salary
    urls = [u for u in map(page_url_of, (o.path for o in pages))
            if u and u not in hidden and u not in _NOT_IN_SITEMAP]
    lastmod = {p.url: p.date for p in site.listed}
    files = sitemap.sitemap_files(urls, site.config, lastmod)
    return [Output(path.lstrip("/"), text) for path, text in sorted(files.items())]


def summarise(problems: list[Problem], config: SiteConfig, keep: int = MAX_SAME) -> list[Problem]:
    """Keep the first few warnings of each kind and count the rest, so a big board's log stays readable."""
    groups: dict[tuple[str, str, str], list[Problem]] = {}
    for problem in problems:
        kind = re.sub(r"'[^']*'", "'…'", problem.message)
        groups.setdefault((problem.field, kind, problem.hint), []).append(problem)
    kept: list[Problem] = []
    for (field, kind, hint), group in groups.items():
        kept += group[:keep]
        if len(group) > keep:
            content = Path(config.content_dir)  # shown like every other path: content/jobs, never a machine path
            where = display_path(content / "jobs", content.parent)
            kept.append(Problem(where, field, f"{len(group) - keep} more postings: {kind}", hint))
    return kept


def outputs(site: Site, pages: Sequence[Output], sink: Sink | None = None) -> tuple[list[Output], list[Problem]]:
    """Return feeds, sitemap, robots.txt, ``_redirects`` and ``_headers``, and warnings.

    ``pages`` are the outputs rendered so far (pages, static files, search index). The
    warnings say what Google for Jobs will miss and which ``redirect_from`` values were skipped.
    With ``sink``, each file is handed to it as soon as it is made and only its path is kept
    (a big board's thousands of term feeds are never all in memory at once).
    """
    config = site.config
    listed = [p for p in site.listed if not p.draft]
    warnings = summarise([w for p in listed for w in jsonld.job_posting_warnings(p, place_json_ld(site, p))], config)
    out = _feed_outputs(site, listed, sink) + [_emit(o, sink) for o in _sitemap_outputs(site, pages)]
    out.append(_emit(Output("robots.txt", sitemap.robots_txt(config)), sink))
    existing = [u for u in map(page_url_of, (o.path for o in pages)) if u]
    redirects, skipped = netlify.redirects(site.pages, existing)
    warnings.extend(skipped)
    out.append(_emit(Output("_redirects", redirects), sink))
    paths = [o.path for o in pages] + [o.path for o in out]
    out.append(_emit(Output("_headers", netlify.headers(config, paths)), sink))
    return out, warnings

