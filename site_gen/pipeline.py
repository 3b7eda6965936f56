"""The one place the stages run in order: load, validate, enrich, render, write."""

from __future__ import annotations

import gc
import importlib
import os
import time
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .cache import BuildCache, digest
from .config import SiteConfig
from .errors import ContentError, Problem
from .gather import Scan, load_postings, scan
from .model import Output, Posting
from .progress import Progress, Silent
from .write import Staging, write_changes

if TYPE_CHECKING:  # the render stack is imported once parsing has started (_prepare_render)
    from . import render
    from .enrich import Site


@dataclass
class BuildResult:
    """What a build made, for the summary line and for tests."""

    site: Site | None
    outputs: list[Output]
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    rendered: int = 0  #: outputs rendered this time (the rest were reused from the cache)
    unchanged: bool = False  #: nothing changed since the last build: nothing was done
    drafts: int = 0  #: postings marked draft and not built (no posting is left out without a word)
    cache_entries: dict[str, Posting] = field(default_factory=dict)  #: validated postings for the next build
    static_urls: dict[str, str] = field(default_factory=dict)  #: static file name -> fingerprinted URL
    postings_saved: bool = False  #: a render process already wrote cache_entries to the cache folder

    def summary_line(self) -> str:
        if self.unchanged or self.site is None:
            return f"Nothing changed since the last build ({self.seconds:.2f}s)"
        pages = sum(1 for o in self.outputs if o.path.endswith(".html"))
        s = self.site
        reused = len(self.outputs) - self.rendered
        return (f"Built {len(s.listed)} open postings ({len(s.pages) - len(s.listed)} closed), "
                f"{len(s.tags)} tags, {len(s.locations)} locations, {len(s.companies)} companies, "
                f"{pages} pages in {self.seconds:.2f}s" + (f" ({reused} files reused from the cache)" if reused else "")
                + (f"; {self.drafts} draft(s) not built (--drafts builds them)" if self.drafts else ""))


def _prepare_render() -> None:
    """Import the render stack and load the gazetteer, in the build process while forked ones parse.

    Nothing reading posting files needs Jinja2, Babel, pycountry, the page modules or the index
    builder (~0.1 s to import), and planning resolves every posting's places right after parsing
    (the tables take ~0.05-0.1 s to load; a machine's first build makes them): done at their turn,
    they kept the other cores waiting. A failure to load the tables is left for planning to report.
    """
    for name in ("companies", "enrich", "geo_site", "publish", "render", "render_pool", "search_index"):
        importlib.import_module(f"{__package__}.{name}")
    from . import geo

    try:
        geo.gazetteer()
    except Exception:  # noqa: BLE001 - reported when planning needs the tables
        pass


@dataclass
class Plan:
    """Everything gathered before rendering: the Site and the pages to make (lazily)."""

    site: Site
    static: list[Output]
    static_urls: dict[str, str]
    pending: list[render.Pending]
    warnings: list[Problem]
    entries: dict[str, Posting]
    drafts: int = 0


def plan_site(config: SiteConfig, cache: BuildCache | None = None, found: Scan | None = None,
              progress: Progress | None = None, parsed: Callable[[dict[str, Posting]], None] | None = None,
              keys: bool | None = None) -> Plan:
    """Gather every posting and plan every page; raise ContentError listing all problems.

    ``parsed`` is handed the cache entries once every posting is read and valid, before planning.
    Pages get keys (``Pending.key``) when there is a cache to compare and keep them in, or ``keys``
    is True; otherwise each key is "".
    """
    postings, problems, warnings, entries = load_postings(config, cache, found, progress, _prepare_render)
    from . import companies, geo_site, publish, render  # imported while parsing (see _prepare_render)
    from .enrich import enrich

    if progress is not None:
        progress.stage("Planning pages", 0)
    try:
        profiles = companies.load_profiles(config.content_dir, max_bytes=config.max_file_bytes)
    except ContentError as exc:
        problems.extend(exc.problems)
    if problems:
        error = ContentError(problems)
        error.warnings = warnings  # type: ignore[attr-defined]  # printed too: nothing is dropped silently
        raise error
    if parsed is not None:
        parsed(entries)
    site = geo_site.add_geography(enrich(postings, config), profiles)  # issue 9: places, remote, companies
    warnings.extend(publish.summarise(list(site.geo.warnings), config))  # a big board's log stays readable
    warnings.extend(companies.unused_profiles(profiles, site.companies))
    static_urls, static = render.collect_static(config)
    if missing := companies.missing_logos(site.profiles, static_urls):
        raise ContentError(missing)
    drafts = 0 if config.drafts else sum(p.draft for p in postings)
    keyed = cache is not None if keys is None else keys
    return Plan(site, static, static_urls, list(render.render_site(site, static_urls, keyed)), warnings, entries, drafts)


def resolve(pending: render.Pending, cache: BuildCache | None) -> Output:
    """Render a page, or mark it reusable when the last build made it from the same inputs."""
    if cache is not None and cache.reusable(pending.path, pending.key):
        return Output(pending.path, None, pending.key)
    return Output(pending.path, pending.make(), pending.key)


def finish(plan: Plan, made: list[Output], cache: BuildCache | None = None,
           sink: Callable[[Output], None] | None = None) -> tuple[list[Output], list[Problem]]:
    """Outputs that need the list of pages: search index, feeds, sitemap, Netlify files.

    ``made`` needs only paths. With ``sink`` every file is handed to it as it is made and only
    its path is returned (so none is kept in memory). ``cache`` lends its in-memory word memo
    (the preview's rebuilds); builds to disk pass none.
    """
    from . import publish, search_index

    config = plan.site.config
    memo = cache.search_memo if cache is not None else None
    extra = search_index.build_search_index(plan.site.listed, config, memo, plan.site.geo)
    if sink is not None:
        for output in extra:
            sink(output)
        extra = [Output(o.path, None, o.key) for o in extra]
    published, publish_warnings = publish.outputs(plan.site, made + extra, sink)
    return extra + published, publish_warnings


def build_site(config: SiteConfig, cache: BuildCache | None = None, found: Scan | None = None) -> BuildResult:
    """Build the whole site in memory (tests, check, the preview); ``build`` streams to disk instead."""
    started = time.perf_counter()
    plan = plan_site(config, cache, found)
    outputs = plan.static + [resolve(p, cache) for p in plan.pending]
    extra, warnings = finish(plan, outputs, cache=cache)
    outputs += extra
    rendered = sum(1 for o in outputs if o.content is not None)
    return BuildResult(plan.site, outputs, plan.warnings + warnings, time.perf_counter() - started, rendered,
                       drafts=plan.drafts, cache_entries=plan.entries, static_urls=plan.static_urls)


#: Set in the parent just before forking render workers, which inherit it (nothing is pickled).
_WORK: tuple | None = None
#: Below this many pages, forking render processes costs more than it saves.
PARALLEL_RENDER_MIN = 1000


def _render_task(task: tuple[int, int]) -> tuple[list[tuple[str, str]], int, list[Problem]]:
    """Run one task: FINISH writes the files that need the list of pages, ``(start, end)`` renders those pages.

    Every page's path is known from the plan, so the search index, feeds, sitemap and Netlify
    files are made alongside the pages instead of after them.
    """
    from . import render_pool

    pending, cache, stage, plan, save = _WORK  # type: ignore[misc]
    made, rendered = [], 0
    if task == render_pool.FINISH:
        pages = [Output(o.path, None) for o in plan.static] + [Output(p.path, None) for p in plan.pending]  # paths only
        finished, warnings = finish(plan, pages, sink=partial(stage.add, check_duplicates=False))
        made = [(output.path, output.key) for output in finished]
        if cache is not None and save:
            cache.save_postings(plan.entries)  # for the next build, while the other processes render
        return made, len(made), warnings
    for item in pending[task[0]:task[1]]:  # a contiguous run of pages: ~8% less CPU than every n-th page
        output = resolve(item, cache)
        stage.add(output, check_duplicates=False)
        rendered += output.content is not None
        made.append((output.path, output.key))
    return made, rendered, []


def _render_into(stage: Staging, plan: Plan, cache: BuildCache | None, progress: Progress | None = None,
                 save_postings: bool = True) -> tuple[list[Output], int, tuple[list[Output], list[Problem]] | None]:
    """Render every planned page into ``stage``, on every core for big boards.

    Returns path/key stubs of the pages, how many were rendered, and, when they were written
    alongside the pages, stubs of ``finish``'s files with its warnings (None: still to be made).
    """
    from . import render_pool

    global _WORK
    progress = progress or Silent()
    stage.claim(p.path for p in plan.pending)
    workers = min(os.cpu_count() or 1, 8)
    todo = plan.pending
    progress.stage("Writing pages", len(todo))
    # Decided on the number of pages, not of pages to render: finding which pages a cached build can
    # reuse means working out every page's key, which the render processes then share too, while one
    # of them makes the search index and feeds.
    if len(todo) < PARALLEL_RENDER_MIN or workers < 2:
        made, rendered = [], 0
        for item in todo:
            output = resolve(item, cache)
            stage.add(output, check_duplicates=False)
            rendered += output.content is not None
            made.append(Output(output.path, None, output.key))
            progress.advance()
        return made, rendered, None
    # Listing pages first, posting pages last: the forked process takes runs from the front and the
    # build process (after FINISH) from the back, so they meet among posting pages, which show no
    # job cards, and each card is rendered in one process only (~0.2 CPU s less at 10,000 postings).
    postings = len(plan.site.pages)  # render_site plans the posting pages first
    _WORK = (todo[postings:] + todo[:postings], cache, stage, plan, save_postings)
    try:
        results = render_pool.run(workers, len(todo), _render_task, progress)
    finally:
        _WORK = None
    finished = [Output(path, None, key) for path, key in results[0][1]]
    made = [Output(path, None, key) for _, share, _, _ in results[1:] for path, key in share]
    stage.claim(o.path for o in finished)
    stage.count += len(made) + len(finished)
    return made, sum(count for _, _, count, _ in results[1:]), (finished, results[0][3])


def site_key(config: SiteConfig, found: Scan) -> str:
    """Hash of every input of a build: posting files, templates, static files, settings, date."""
    from . import companies, render

    content = Path(config.content_dir)
    files = [(str(path), found.hashes.get(path)) for path in found.paths]
    site_yaml = content / "site.yaml"
    settings = site_yaml.read_bytes() if site_yaml.is_file() else b""
    return digest(files, settings, companies.profiles_key(content), render.template_key(config), config.now, config.drafts,
                  [(f.name, getattr(config, f.name)) for f in fields(config) if f.name != "now"])


def _build_to_disk(config: SiteConfig, cache: BuildCache | None, found: Scan, out_dir: Path,
                   progress: Progress | None = None) -> BuildResult:
    """Render straight into a staging folder (pages are not kept in memory), then swap it in."""
    started = time.perf_counter()
    aside: list = []

    def save_aside(entries: dict[str, Posting]) -> None:
        if (cache is not None and cache.folder is not None and len(entries) >= PARALLEL_RENDER_MIN
                and (os.cpu_count() or 1) > 1):
            aside.append(cache.save_postings_aside(entries))

    try:
        plan = plan_site(config, cache, found, progress, save_aside)
    finally:
        for process in aside:  # done by now, nearly always: planning takes longer
            process.join()
    saved = bool(aside) and aside[0].exitcode == 0  # else the render processes or ``remember`` save them
    with Staging(out_dir, cache.previous if cache else None, [Path(config.content_dir)]) as stage:
        for output in plan.static:
            stage.add(output)
        made, rendered, finished = _render_into(stage, plan, cache, progress, save_postings=not saved)
        if finished is None:
            if progress is not None:
                progress.stage("Feeds and sitemaps", 0)
            extra, warnings = finish(plan, plan.static + made, sink=stage.add)
        else:
            extra, warnings = finished
        stage.commit()
    outputs = [Output(o.path, None, o.key) for o in plan.static] + made + extra
    return BuildResult(plan.site, outputs, plan.warnings + warnings, time.perf_counter() - started,
                       rendered + len(plan.static) + len(extra), drafts=plan.drafts, cache_entries=plan.entries,
                       static_urls=plan.static_urls, postings_saved=saved or (finished is not None and cache is not None))


def build(config: SiteConfig, report: Callable[[str], None] = print, cache: BuildCache | None = None,
          in_place: bool = False, progress: Progress | None = None) -> BuildResult:
    """Build and write the site into ``config.out_dir`` atomically, reusing ``cache`` when given.

    ``progress`` (the command line's bar) is told each stage's steps and erased before warnings.

    ``in_place`` (the preview server) rewrites only changed files of the previous build instead
    of swapping in a new tree: fast, but readers may briefly see a mix of old and new pages.
    """
    collecting = gc.isenabled()
    gc.disable()  # a build makes millions of objects and almost no cycles: ~4% of its CPU went to collecting
    try:
        return _build(config, report, cache, in_place, progress)
    finally:
        if collecting:
            gc.enable()


def _build(config: SiteConfig, report: Callable[[str], None], cache: BuildCache | None, in_place: bool,
           progress: Progress | None) -> BuildResult:
    started = time.perf_counter()
    out_dir = Path(config.out_dir)
    key = ""
    # With no earlier build to compare with, the inputs' key can wait until parsing has hashed every file.
    comparable = cache is not None and bool(cache.site_key) and cache.previous is not None
    found = scan(config, cache is not None, cache, read_unknown=comparable)
    if comparable:
        key = site_key(config, found)
        if key == cache.site_key and cache.previous.is_dir() and not found.problems:
            return BuildResult(None, [], [], time.perf_counter() - started, 0, unchanged=True)
    try:
        if in_place and cache is not None and cache.previous == out_dir:
            result = build_site(config, cache, found)
            write_changes(result.outputs, out_dir, cache.outputs, cache.contents)
        else:
            result = _build_to_disk(config, cache, found, out_dir, progress)
    except ContentError as exc:
        if progress is not None:
            progress.close()
        for warning in getattr(exc, "warnings", ()):
            report(f"warning: {warning}")
        raise
    finally:
        if progress is not None:
            progress.close()
    for warning in result.warnings:
        report(f"warning: {warning}")
    if cache is not None:
        key = key or site_key(config, found)
        cache.remember(result.cache_entries, {o.path: o.key for o in result.outputs}, key, out_dir, found.stats,
                       postings_saved=result.postings_saved)
    result.seconds = time.perf_counter() - started
    return result
