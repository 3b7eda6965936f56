"""The build's first stage: find, read and validate every posting, on every core for big boards.

``load_postings`` gives the pipeline every Posting (or the Problem that stops it) and, when a
build cache is in use, each posting's cache key and file record. Nothing is dropped silently.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, NamedTuple

from . import load, parse_pool, validate
from .cache import BuildCache
from .config import SiteConfig
from .errors import Problem
from .model import Posting
from .progress import Progress, Silent
from .urls import find_collisions

#: Files modified less than this long before a scan are not trusted by modification time next time.
RACY_NS = 2_000_000_000
#: Below this many files to parse, a process pool costs more than it saves.
PARALLEL_MIN = 400


class Parsed(NamedTuple):
    """One posting file after parsing: the Posting or the problems that stop it, and its cache facts."""

    posting: Posting | None
    errors: list[Problem]
    warnings: list[Problem]
    key: str | None = None  #: the posting's key in the build cache, worked out where it was parsed
    stat: tuple[int, int] | None = None  #: (mtime_ns, size) before reading, when the scan left that to the parse


def _parse(path: Path, config: SiteConfig, cache: BuildCache | None = None,
           info: tuple[int, int] | None = None) -> Parsed:
    source = load.read_source(path, config.max_file_bytes, Path(config.content_dir).parent)
    if isinstance(source, Problem):
        return Parsed(None, [source], [], None, info)
    posting, errors, warnings = validate.validate(source, config)
    key = cache.posting_key(posting.digest, posting.source, config) if cache is not None and posting is not None else None
    return Parsed(posting, errors, warnings, key, info)


def _parse_many(paths: list[Path], config: SiteConfig, cache: BuildCache | None = None,
                stat: bool = False, progress: Progress | None = None) -> list[Parsed]:
    """Parse ``paths`` in this process; with ``stat``, each file's record is prefetch's stat (taken before reading)."""
    seen = load.prefetch(paths)  # files not in memory are read from disk together, not one after another
    parsed = []
    for path in paths:
        parsed.append(_parse(path, config, cache, seen.get(path) if stat else None))
        if progress is not None:
            progress.advance()
    return parsed


def _parse_all(paths: list[Path], config: SiteConfig, progress: Progress | None = None,
               cache: BuildCache | None = None, stat: bool = False,
               meanwhile: Callable[[], Any] | None = None) -> list[Parsed]:
    """Parse and validate files, on every core when there are many.

    With ``cache``, each posting's cache key is worked out where it is parsed; with ``stat``,
    each file's modification time and size too (for the next build's scan). ``meanwhile`` runs
    once in this process: while forked ones parse, or first when there are too few files for them.
    """
    progress = progress or Silent()
    progress.stage("Reading postings", len(paths))
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_MIN or workers < 2:
        if meanwhile is not None:
            meanwhile()
        return _parse_many(paths, config, cache, stat, progress)
    chunks = _chunked(paths, workers)
    work = partial(_parse_many, config=config, cache=cache, stat=stat)
    return [parsed for chunk in parse_pool.run_chunks(chunks, work, workers, progress, meanwhile)
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
                  progress: Progress | None = None, meanwhile: Callable[[], Any] | None = None
                  ) -> tuple[list[Posting], list[Problem], list[Problem], dict[str, Posting]]:
    """Read and validate every posting; return postings, errors, warnings and the cache entries.

    ``meanwhile`` runs once in this process, while forked ones parse when there are any (see ``_parse_all``).

    Nothing is dropped silently: every file either becomes a Posting or a Problem.
    """
    content = Path(config.content_dir)
    found = found or scan(config, cache is not None)
    paths, problems = found.paths, list(found.problems)
    warnings: list[Problem] = []

    def alongside() -> None:  # while forked processes parse: the second walk of content/ is not serial work
        warnings.extend(load.find_ignored(content))
        if meanwhile is not None:
            meanwhile()

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
    parsed = _parse_all(todo, config, progress, cache, found.stat_in_parse, alongside)
    for path, (posting, errors, warns, key, info) in zip(todo, parsed):
        problems.extend(errors)
        warnings.extend(warns)
        if posting is not None:
            postings.append(posting)
            if cache is None:  # no keys, no entries (and no Path hashed for a lookup: ~1.5 us each)
                continue
            if path not in keys:  # not hashed by the scan: the parse did it
                found.hashes[path] = posting.digest
                keys[path] = key  # type: ignore[assignment]  # made beside the posting (cache given)
                if info is not None and found.started_ns - info[0] > RACY_NS:
                    found.stats[str(path)] = [info[0], info[1], posting.digest]  # type: ignore[index]
                elif found.stats is not None and str(path) in found.stats:
                    found.stats[str(path)][2] = posting.digest
            if not warns:
                entries[keys[path]] = posting
    if found.stats is not None:  # files that could not be parsed are hashed again next time
        for name in [name for name, record in found.stats.items() if record[2] is None]:
            del found.stats[name]
    problems.extend(find_collisions(sorted((p.slug, p.source) for p in postings), "posting"))
    return postings, problems, warnings, entries
