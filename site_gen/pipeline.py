"""The one place the stages run in order: load, validate, enrich, render, write."""

from __future__ import annotations

import gc
import os
import time
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Callable, NamedTuple

from . import companies, geo, geo_site, load, parse_pool, publish, render, render_pool, search_index, validate
from .cache import BuildCache, digest
from .config import SiteConfig
from .enrich import Site, enrich
from .errors import ContentError, Problem
from .model import Output, Posting
from .progress import Progress, Silent
from .urls import find_collisions
from .write import Staging, write_changes

#: Files modified less than this long before a scan are not trusted by modification time next time.
RACY_NS = 2_000_000_000
#: Below this many files to parse, a process pool costs more than it saves.
PARALLEL_MIN = 400


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


class Parsed(NamedTuple):
    """One posting file after parsing: the Posting or the problems that stop it, and its cache facts."""

    posting: Posting | None
    errors: list[Problem]
    warnings: list[Problem]
    key: str | None = None  #: the posting's key in the build cache, worked out where it was parsed
    stat: tuple[int, int] | None = None  #: (mtime_ns, size) before reading, when the scan left that to the parse


def _parse(path: Path, config: SiteConfig, cache: BuildCache | None = None, stat: bool = False) -> Parsed:
    info = None
    if stat:  # before reading, as the scan would have: a file changed in between is hashed again next time
        try:
            st = os.stat(path)
            info = (st.st_mtime_ns, st.st_size)
        except OSError:
            pass  # read_source reports it
    source = load.read_source(path, config.max_file_bytes, Path(config.content_dir).parent)
    if isinstance(source, Problem):
        return Parsed(None, [source], [], None, info)
    posting, errors, warnings = validate.validate(source, config)
    key = cache.posting_key(posting.digest, posting.source, config) if cache is not None and posting else None
    return Parsed(posting, errors, warnings, key, info)


def _parse_many(paths: list[Path], config: SiteConfig, cache: BuildCache | None = None,
                stat: bool = False) -> list[Parsed]:
    load.prefetch(paths)  # files not in memory are read from disk together, not one after another
    return [_parse(p, config, cache, stat) for p in paths]


def _parse_all(paths: list[Path], config: SiteConfig, progress: Progress | None = None,
               cache: BuildCache | None = None, stat: bool = False) -> list[Parsed]:
    """Parse and validate files, on every core when there are many.

    With ``cache``, each posting's cache key is worked out where it is parsed; with ``stat``,
    each file's modification time and size too (for the next build's scan).
    """
    progress = progress or Silent()
    progress.stage("Reading postings", len(paths))
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_MIN or workers < 2:
        parsed = []
        load.prefetch(paths)
        for path in paths:
            parsed.append(_parse(path, config, cache, stat))
            progress.advance()
        return parsed
    chunks = _chunked(paths, workers)
    work = partial(_parse_many, config=config, cache=cache, stat=stat)
    return [parsed for chunk in parse_pool.run_chunks(chunks, work, workers, progress, _load_gazetteer)
            for parsed in chunk]


def _chunked(paths: list[Path], workers: int) -> list[list[Path]]:
    """Cut ``paths`` into chunks for the parse processes: small ones for a smooth bar, smaller ones last.

    When the chunks run out, each process finishes the one it holds: with the last few a quarter
    as big, they finish closer together (~0.04 s less with a core idle at 10,000 postings).
    """
    size = max(1, -(-len(paths) // (workers * 16)))
    head = max(0, len(paths) - 2 * workers * size) // size * size  # whole chunks
    small = max(1, size // 4)
    return ([paths[i:i + size] for i in range(0, head, size)]
            + [paths[i:i + small] for i in range(head, len(paths), small)])


def _load_gazetteer() -> None:
    """Load the place tables (~0.05-0.1 s; built on a machine's first build) while the forked processes parse.

    Planning resolves every posting's places right after parsing, with the other cores idle.
    A failure is left for that step to report.
    """
    try:
        geo.gazetteer()
    except Exception:  # noqa: BLE001 - reported when planning needs the tables
        pass


@dataclass(frozen=True)
class Scan:
    """The posting files of a content folder, with their content hashes when a cache needs them."""

    paths: list[Path]
    problems: list[Problem]
    hashes: dict[Path, str]
    stats: dict[str, list] | None = None  #: path -> [mtime_ns, size, hash], for the next build's cache
    started_ns: int = 0  #: when the scan began: files modified less than RACY_NS before are not recorded
    stat_in_parse: bool = False  #: no file was looked at yet: the parse records each one's stats


def scan(config: SiteConfig, with_hashes: bool, cache: BuildCache | None = None, read_unknown: bool = True) -> Scan:
    """Find every posting file once per build (and hash it when the cache will look it up).

    A file whose modification time and size match the cache's record keeps its recorded hash
    instead of being read again. With ``read_unknown`` False the other files are not read here:
    parsing hashes them anyway (``load_postings`` fills them in), which saves a serial pass over
    every file when the cache is empty and there is no earlier build to compare with.
    """
    paths, problems = load.find_postings(Path(config.content_dir))
    hashes: dict[Path, str] = {}
    stats: dict[str, list] = {}
    started_ns = time.time_ns()
    # With nothing to compare and no recorded stats, a stat of every file here would only be for the
    # next build: the parse processes take it as they read each file (0.1-0.2 s less serial work at
    # 10,000 postings, more when the files are not in memory).
    in_parse = with_hashes and not read_unknown and (cache is None or not cache.file_stats)
    if with_hashes and not in_parse:
        for path in paths:
            try:
                st = os.stat(path)
                known = cache.known_hash(str(path), st.st_mtime_ns, st.st_size) if cache is not None else None
                if known is None and read_unknown:
                    with open(path, "rb") as fh:
                        known = load.hash_bytes(fh.read())
                if known is not None:
                    hashes[path] = known
                # A file changed just now could change again within the same clock tick, keeping its
                # modification time and size: such files are not recorded, so they are hashed again.
                if started_ns - st.st_mtime_ns > RACY_NS:
                    stats[str(path)] = [st.st_mtime_ns, st.st_size, known]  # None: filled in once parsed
            except OSError:
                pass  # read_source reports it
    return Scan(paths, problems, hashes, stats if with_hashes else None, started_ns, in_parse)


def load_postings(config: SiteConfig, cache: BuildCache | None = None, found: Scan | None = None,
                  progress: Progress | None = None) -> tuple[list[Posting], list[Problem], list[Problem], dict[str, Posting]]:
    """Read and validate every posting; return postings, errors, warnings and the cache entries.

    Nothing is dropped silently: every file either becomes a Posting or a Problem.
    """
    content = Path(config.content_dir)
    found = found or scan(config, cache is not None)
    paths, problems = found.paths, list(found.problems)
    warnings: list[Problem] = load.find_ignored(content)
    postings: list[Posting] = []
    entries: dict[str, Posting] = {}
    todo: list[Path] = []
    keys: dict[Path, str] = {}
    for path in paths:
        file_hash = found.hashes.get(path) if cache is not None else None
        if file_hash is not None:
            key = cache.posting_key(file_hash, load.display_path(path, content.parent), config)
            keys[path] = key
            hit = cache.postings.get(key)
            if hit is not None:
                postings.append(hit)
                entries[key] = hit
                continue
        todo.append(path)
    stat = found.stat_in_parse and found.stats is not None
    for path, (posting, errors, warns, key, info) in zip(todo, _parse_all(todo, config, progress, cache, stat)):
        problems.extend(errors)
        warnings.extend(warns)
        if posting is not None:
            postings.append(posting)
            if cache is not None and path not in keys:  # not hashed by the scan: the parse did it
                found.hashes[path] = posting.digest
                keys[path] = key  # type: ignore[assignment]  # made beside the posting (cache given)
                if info is not None and found.started_ns - info[0] > RACY_NS:
                    found.stats[str(path)] = [info[0], info[1], posting.digest]  # type: ignore[index]
                elif found.stats is not None and str(path) in found.stats:
                    found.stats[str(path)][2] = posting.digest
            if path in keys and not warns:
                entries[keys[path]] = posting
    if found.stats is not None:  # files that could not be parsed are hashed again next time
        for name in [name for name, record in found.stats.items() if record[2] is None]:
            del found.stats[name]
    problems.extend(find_collisions(sorted((p.slug, p.source) for p in postings), "posting"))
    return postings, problems, warnings, entries


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
              progress: Progress | None = None, parsed: Callable[[dict[str, Posting]], None] | None = None) -> Plan:
    """Gather every posting and plan every page; raise ContentError listing all problems.

    ``parsed`` is handed the cache entries once every posting is read and valid, before planning.
    """
    postings, problems, warnings, entries = load_postings(config, cache, found, progress)
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
    return Plan(site, static, static_urls, list(render.render_site(site, static_urls)), warnings, entries, drafts)


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
    pending, cache, stage, plan, save = _WORK  # type: ignore[misc]
    made, rendered = [], 0
    if task == render_pool.FINISH:
        pages = [Output(o.path, None) for o in plan.static] + [Output(p.path, None) for p in pending]  # paths only
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
    _WORK = (todo, cache, stage, plan, save_postings)
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
