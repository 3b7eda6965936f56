"""Render the Site into Outputs with Jinja2: every page of the board, as text."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

import jinja2
from markupsafe import Markup, escape

from .cache import digest, settings_key
from .config import SiteConfig
from .errors import SiteGenError
from .enrich import Site
from .fast_jinja import FastEnvironment
from .errors import ContentError, Problem
from .model import KIND_FOLDER, Output, Posting, Term
from .urls import output_path, page_url, term_url
from . import formatting, geo_site
from .jsonld import posting_script
from .money import format_salary
from .publish import feed_links

PACKAGE_THEMES = Path(__file__).parent / "themes"
KIND_TITLES = {"tag": "Tags", "location": "Locations", "company": "Companies", "remote": "Remote jobs"}


class Page(NamedTuple):
    """What every template knows about the page it renders (a named tuple: ~22,500 a build at 10,000 postings)."""

    title: str
    url: str  #: site path, e.g. /jobs/x/
    canonical: str  #: absolute URL
    description: str = ""
    kind: str = "page"  #: home, posting, listing, terms, search, 404
    feeds: tuple[tuple[str, str, str], ...] = ()  #: (title, url, mime type) for <link rel=alternate>
    #: absolute URL of a picture for og:image; none of the board's pages set one. Present so that
    #: ``page.image | default(none)`` finds None: a missing attribute costs Jinja two caught exceptions
    image: str | None = None


class Pagination(NamedTuple):
    """Where a listing page sits among its siblings (a named tuple: made for every listing page while planning)."""

    number: int
    total: int
    base: str

    @property
    def prev_url(self) -> str | None:
        return page_url(self.base, self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return page_url(self.base, self.number + 1) if self.number < self.total else None

    def url(self, number: int) -> str:
        return page_url(self.base, number)


def theme_dirs(config: SiteConfig, sub: str) -> list[Path]:
    """Folders searched for templates or static files, highest precedence first."""
    project = Path(config.project_dir)
    return [project / sub, find_theme(config) / sub, PACKAGE_THEMES / "default" / sub]


def available_themes(config: SiteConfig) -> list[str]:
    """Names of the themes a site can pick: the project's own, then the bundled ones."""
    folders = [Path(config.project_dir) / "themes", PACKAGE_THEMES]
    return sorted({p.name for f in folders if f.is_dir() for p in f.iterdir() if p.is_dir()})


def find_theme(config: SiteConfig) -> Path:
    """The folder of ``config.theme``: the project's ``themes/<name>`` wins over a bundled one."""
    name = config.theme
    if name and "/" not in name and "\\" not in name and not name.startswith("."):
        for folder in (Path(config.project_dir) / "themes", PACKAGE_THEMES):
            if (folder / name).is_dir():
                return folder / name
    shown = (Path(config.content_dir) / "site.yaml").as_posix()
    raise ContentError(Problem(shown, "theme", f"no theme named {name!r}",
                               "available: " + ", ".join(available_themes(config))))


def collect_static(config: SiteConfig) -> tuple[dict[str, str], list[Output]]:
    """Fingerprint static files (site files override the theme's) and return name -> URL."""
    files: dict[str, Path] = {}
    for folder in reversed(theme_dirs(config, "static")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(folder).as_posix()] = path
    urls, outputs = {}, []
    for name, path in sorted(files.items()):
        data = path.read_bytes()
        if name.endswith(".css"):
            data = formatting.minify_css(data.decode("utf-8")).encode("utf-8")
        urls[name], out = _fingerprinted(name, data)
        outputs.append(out)
    settings_css = formatting.settings_css(config).encode()
    urls["settings.css"], out = _fingerprinted("settings.css", settings_css)
    outputs.append(out)
    return urls, outputs


def _fingerprinted(name: str, data: bytes) -> tuple[str, Output]:
    digest = hashlib.sha256(data).hexdigest()[:10]
    pure = PurePosixPath(name)
    hashed = pure.with_name(f"{pure.stem}.{digest}{pure.suffix}").as_posix()
    return f"/static/{hashed}", Output(f"static/{hashed}", data)


def make_environment(config: SiteConfig, static_urls: dict[str, str]) -> jinja2.Environment:
    """A strict, autoescaping Jinja2 environment: posting text is untrusted."""
    loader = jinja2.FileSystemLoader([str(p) for p in theme_dirs(config, "templates")])
    # One environment per build: templates never change during it, so they are not checked on disk
    # (auto_reload) at every include, and a plain dict caches them all (cache_size=-1).
    env = FastEnvironment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True, auto_reload=False, cache_size=-1)

    def static_url(name: str) -> str:
        try:
            return static_urls[name]
        except KeyError:
            raise jinja2.TemplateError(f"static file {name!r} not found in static/ or the theme") from None

    urls: dict[tuple[str, str], str] = {}

    def cached_term_url(kind: str, name: str) -> str:
        """``urls.term_url``, worked out once per build for each name (a tag shows on many cards)."""
        try:
            return urls[kind, name]
        except KeyError:
            url = urls[kind, name] = term_url(kind, name)
            return url

    made: dict[tuple[int, bool], dict[str, Markup]] = {(2, False): {}}  # (heading level, brief) -> slug -> card
    plain = made[2, False]  # what listings show

    def shelf(heading_level: int, brief: bool) -> dict[str, Markup]:
        """The cards made so far at one heading level, brief or not."""
        return plain if heading_level == 2 and brief is False else made.setdefault((heading_level, brief), {})

    def card(job: Posting, heading_level: int = 2, brief: bool = False) -> Markup:
        """A posting's summary card, rendered once per build however many listings show it.

        ``heading_level`` keeps the outline right (2 under a page's h1, 3 under a section's h2);
        ``brief`` leaves out the tags, for short lists such as "more jobs like this".
        """
        known = shelf(heading_level, brief)
        html = known.get(job.slug)
        if html is None:
            template = env.get_template("partials/job_card.html")
            html = known[job.slug] = Markup(template.render(job=job, job_heading_level=heading_level, brief=brief))
        return html

    def cards(jobs: Iterable[Posting], heading_level: int = 2, brief: bool = False) -> Markup:
        """The cards of ``jobs`` in order: ``{% for job in jobs %}{{ card(job) }}{% endfor %}`` in one call.

        A listing page shows some 20 cards; looping over them in the template costs a context
        call, an escape and a ``yield`` each.
        """
        known = shelf(heading_level, brief)
        # A card is rendered once and shown on many listings: look it up here, call card() only for a new one.
        return Markup("".join([known.get(job.slug) or card(job, heading_level, brief) for job in jobs]))

    env.globals.update(site=config, static_url=static_url, term_url=cached_term_url, card=card, cards=cards, kind_folder=KIND_FOLDER, kind_titles=KIND_TITLES,
                       job_posting_json_ld=lambda posting: posting_script(posting, config))
    env.filters.update(date=_memo(formatting.human_date), mailto_label=formatting.apply_label,
                       salary=lambda s: salary_html(format_salary(s, config.language)) if s else "")  # issue 9: Babel digits
    return env


def salary_html(text: str) -> Markup:
    """A formatted salary for a page: escaped, its range dash written ``&ndash;``.

    The default themes write their punctuation as character references too, so a page whose
    postings' text is plain ASCII is an ASCII string: joined, escaped and encoded for writing
    byte for byte, where one dash makes Python hold the whole page two bytes a character.
    """
    return Markup(str(escape(text)).replace("\u2013", "&ndash;"))


def _memo(function: Callable[[Any], str]) -> Callable[[Any], str]:
    """Remember a one-argument formatter's results for one build (the same few dates show on every card)."""
    results: dict[Any, str] = {}

    def remembered(value: Any) -> str:
        try:
            return results[value]
        except KeyError:
            text = results[value] = function(value)
            return text

    return remembered


class Pending:
    """A page to render: its output path, the key of its inputs, and how to make it.

    ``key`` and ``make`` may come from ``plan``, run on first use: the build process lists every
    page's path cheaply, and the render processes work out each page's context and key.
    """

    __slots__ = ("path", "_key", "_make", "_plan")

    def __init__(self, path: str, key: str | None = None, make: Callable[[], str] | None = None,
                 plan: Callable[[], tuple[str, Callable[[], str]]] | None = None):
        self.path, self._key, self._make, self._plan = path, key, make, plan

    @property
    def key(self) -> str:
        if self._key is None:
            self._settle()
        return self._key  # type: ignore[return-value]

    @property
    def make(self) -> Callable[[], str]:
        if self._make is None:
            self._settle()
        return self._make  # type: ignore[return-value]

    def _settle(self) -> None:
        self._key, self._make = self._plan()  # type: ignore[misc]
        self._plan = None


def key_of(keys: Iterable[str], *parts: Any) -> str:
    """Hash a page's inputs: ``keys`` (other keys, 32 hex digits each) joined as they are, then ``repr(parts)``.

    Every page's key is worked out on every build, even a cached one, and the repr of a list of
    keys costs several times the hash itself. Joining them is unambiguous: each has the same length
    and none holds the "(" the repr starts with. SHA-256 is the fastest strong hash in hashlib here.
    """
    text = "".join(keys) + repr(parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def posting_key(posting: Posting) -> str:
    """Everything about a posting that a page showing it can depend on."""
    return key_of((), posting.digest, posting.source, posting.slug, posting.closed, posting.tags, posting.locations,
                  posting.company)


class _PostingKeys(dict):
    """Posting keys by slug, computed on first use (a one-page render needs only a few)."""

    def __init__(self, by_slug: dict[str, Posting]):
        super().__init__()
        self.by_slug = by_slug

    def __missing__(self, slug: str) -> str:
        key = self[slug] = posting_key(self.by_slug[slug])
        return key


class Renderer:
    """Plan the pages of one Site; each method yields Pending pages (rendered only when needed)."""

    def __init__(self, site: Site, env: jinja2.Environment, base_key: str | None):
        """``base_key`` None: no page keys (a build without a cache has nowhere to keep them)."""
        self.site = site
        self.config = site.config
        self.env = env
        self.base_key = base_key
        self.keys = _PostingKeys({p.slug: p for p in site.pages})
        self._feeds: dict[tuple[str, str] | None, tuple[tuple[str, str, str], ...]] = {}
        self._feed_texts: dict[int, tuple[tuple, str]] = {}
        self._salary_keys: dict[int, tuple] = {}  #: a posting's salary sort key, for every listing it is in

    def _page(self, url: str, title: str, feed_base: str | None = None, **kw: Any) -> Page:
        feeds = self._feed_links(feed_base, kw.get("description") or title)
        return Page(title=title, url=url, canonical=self.config.absolute(url), feeds=feeds, **kw)

    def _feed_links(self, base: str | None, title: str) -> tuple[tuple[str, str, str], ...]:
        """``publish.feed_links``, worked out once for all the pages that link the same feeds."""
        key = (base, title) if base and base != "/" else None  # the title names only a listing's own feed
        links = self._feeds.get(key)
        if links is None:
            links = self._feeds[key] = feed_links(self.config, base, title)
            self._feed_texts[id(links)] = (links, repr(links))
        return links

    def page_text(self, page: Page) -> str:
        """The repr of a Page's fields for its key (its feeds' repr is made once for all pages sharing them)."""
        known = self._feed_texts.get(id(page.feeds))  # an entry keeps its tuple alive, so its id is not reused
        feeds = known[1] if known is not None and known[0] is page.feeds else repr(page.feeds)
        if page.image is None:  # every page the board makes
            return repr((page.title, page.url, page.canonical, page.description, page.kind, feeds))
        return repr((page.title, page.url, page.canonical, page.description, page.kind, feeds, page.image))

    def _spec(self, template: str, page: Page, key_parts: tuple, **context: Any) -> tuple[str, Callable[[], str]]:
        """The key of a page's inputs ("" without keys) and the function that renders it."""
        key = "" if self.base_key is None else key_of((self.base_key,), template, self.page_text(page), key_parts)
        return key, self._maker(template, page, context)

    def _maker(self, template: str, page: Page, context: dict[str, Any]) -> Callable[[], str]:
        def make() -> str:
            try:
                return self.env.get_template(template).render(page=page, **context)
            except jinja2.TemplateError as exc:
                raise SiteGenError(f"template error while rendering {page.url}: {_describe(exc)}") from None

        return make

    def _pending(self, template: str, page: Page, key_parts: tuple, **context: Any) -> Pending:
        return Pending(output_path(page.url), *self._spec(template, page, key_parts, **context))

    def posting(self, posting: Posting) -> Pending:
        def plan() -> tuple[str, Callable[[], str]]:
            page = self._page(posting.url, f"{posting.title} at {posting.company}", description=posting.summary,
                              kind="posting")
            related = self.site.related.get(posting.slug, ())
            extra = geo_site.posting_context(self.site, posting)  # issue 9: who can apply, place links, yearly pay
            maker = self._maker("posting.html", page, dict(posting=posting, related=related, **extra))
            if self.base_key is None:
                return "", maker
            keys = self.keys
            key = key_of((self.base_key, keys[posting.slug], *[keys[r.slug] for r in related]), "posting.html",
                         self.page_text(page), geo_site.context_key(extra))
            return key, maker

        return Pending(output_path(posting.url), plan=plan)

    def listing(self, base: str, title: str, postings: tuple[Posting, ...], kind: str = "listing",
                term: Term | None = None, description: str = "", extra: dict[str, Any] | None = None
                ) -> Iterator[Pending]:
        """Plan a listing's pages newest first, then its highest-salary-first variant (issue 9)."""
        extra = {**(geo_site.term_context(self.site, term) if term else {}), **(extra or {})}
        by_salary = geo_site.salary_order(postings, self.config.exchange_rates, self._salary_keys)
        salary_base = geo_site.salary_base(base) if by_salary else None
        yield from self._listing(base, title, postings, kind, term, description,
                                 {**extra, "sorting": geo_site.Sorting("date", base, salary_base)})
        if by_salary and salary_base:
            yield from self._listing(salary_base, f"{title}, highest salary first", by_salary,
                                     kind, term, description, {**extra, "sorting": geo_site.Sorting("salary", base, salary_base)})

    def _listing(self, base: str, title: str, postings: Sequence[Posting], kind: str, term: Term | None,
                 description: str, extra: dict[str, Any]) -> Iterator[Pending]:
        per_page = self.config.per_page
        total = max(1, math.ceil(len(postings) / per_page))
        term_id = (term.kind, term.name, term.slug) if term else None
        shared: list[str] = []  # the key of what every page of this listing shows, made by its first plan

        def listing_key() -> str:
            if not shared:
                shared.append(key_of((self.base_key,), "listing.html", base, title, description, kind, len(postings),
                                     term_id, geo_site.context_key(extra)))
            return shared[0]

        for number in range(1, total + 1):
            pagination = Pagination(number, total, base)

            def plan(pagination: Pagination = pagination) -> tuple[str, Callable[[], str]]:
                number = pagination.number
                chunk = postings[(number - 1) * per_page: number * per_page]  # a SalaryOrder sorts here
                shown = title if number == 1 else f"{title} (page {number})"
                page = self._page(pagination.url(number), shown, feed_base=base, description=description or title,
                                  kind=kind)
                maker = self._maker("listing.html", page, dict(
                    heading=title, postings=chunk, count=len(postings), pagination=pagination, term=term, **extra))
                if self.base_key is None:
                    return "", maker
                keys = self.keys
                return key_of((listing_key(), *[keys[p.slug] for p in chunk]), number, total, self.page_text(page)), maker

            yield Pending(output_path(pagination.url(number)), plan=plan)

    def term_index(self, kind: str) -> Pending:
        title = KIND_TITLES[kind]
        page = self._page(f"/{KIND_FOLDER[kind]}/", title, description=f"Jobs by {kind}", kind="terms")
        terms = self.site.terms(kind)
        return self._pending("terms.html", page, [(t.name, t.slug, t.count) for t in terms], kind=kind, terms=terms)

    def locations_index(self, continents: list, children: dict, count: int) -> Pending:
        """Plan ``/locations/``: continents, their countries and cities (issue 9)."""
        page = self._page("/locations/", "Locations", description="Jobs by location", kind="terms")
        key = (count, [(c.term.name, c.term.slug, c.term.count, geo_site.context_key({"place": c})) for c in continents],
               sorted((slug, [(t.name, t.slug, t.count) for t in kids]) for slug, kids in children.items()))
        return self._pending("locations.html", page, key, continents=continents, children=children, count=count)

    def simple(self, template: str, url: str, title: str, path: str | None = None) -> Pending:
        pending = self._pending(template, self._page(url, title, kind=template.split(".")[0]), ())
        return Pending(path, pending.key, pending.make) if path else pending


def _describe(exc: jinja2.TemplateError) -> str:
    where = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    location = f" ({Path(where).name if where else 'template'}, line {line})" if line else ""
    return f"{exc.message if hasattr(exc, 'message') else exc}{location}"


def template_key(config: SiteConfig) -> str:
    """Hash of every template and static file the site can use (theme chain and overrides)."""
    parts = []
    for folder in theme_dirs(config, "templates") + theme_dirs(config, "static"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    parts.append((path.relative_to(folder).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest()))
        parts.append("|")
    return digest(parts)


def render_site(site: Site, static_urls: dict[str, str], keys: bool = True) -> Iterator[Pending]:
    """Plan every page of the site, newest postings first.

    ``keys`` False: every page's key is "" (a build without a cache: ~0.4 CPU s less at 10,000 postings).
    """
    config = site.config
    base_key = digest(settings_key(config), template_key(config), sorted(static_urls.items())) if keys else None
    r = Renderer(site, make_environment(config, static_urls), base_key)
    r.env.globals["job_posting_json_ld"] = geo_site.json_ld_function(site, static_urls)  # issue 9: resolved places
    for posting in site.pages:
        yield r.posting(posting)
    yield from r.listing("/", "Latest jobs", site.listed, kind="home", description=config.description)
    yield from r.listing("/remote/", "Remote jobs", site.remote, extra={"place": geo_site.remote_root(site)})
    for kind in ("tag", "company"):
        yield r.term_index(kind)
        for term in site.terms(kind):
            yield from r.listing(term.url, _term_heading(term), term.postings, term=term)
    yield from geo_site.place_pages(r, site)  # issue 9: /locations/ hierarchy and /remote/<area>/
    yield r.simple("search.html", "/search/", "Search jobs")
    yield r.simple("404.html", "/404.html", "Page not found", path="404.html")


def render_posting(site: Site, static_urls: dict[str, str], posting: Posting) -> Output:
    """Render one posting page against an existing Site (the preview's instant update)."""
    renderer = Renderer(site, make_environment(site.config, static_urls), None)
    renderer.env.globals["job_posting_json_ld"] = geo_site.json_ld_function(site, static_urls)  # issue 9
    pending = renderer.posting(posting)
    return Output(pending.path, pending.make(), "")


def _term_heading(term: Term) -> str:
    return {"tag": f"{term.name} jobs", "location": f"Jobs in {term.name}", "company": f"Jobs at {term.name}"}[term.kind]
