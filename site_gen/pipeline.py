"""The one place the stages run in order: load, validate, enrich, render, write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import companies, geo_site, load, render, search_index, validate
from .config import SiteConfig
from .enrich import Site, enrich
from .errors import ContentError, Problem
from .model import Output, Posting
from .urls import find_collisions
from .write import write_tree


@dataclass
class BuildResult:
    """What a build made, for the summary line and for tests."""

    site: Site
    outputs: list[Output]
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    def summary_line(self) -> str:
        pages = sum(1 for o in self.outputs if o.path.endswith(".html"))
        s = self.site
        return (f"Built {len(s.listed)} open postings ({len(s.pages) - len(s.listed)} closed), "
                f"{len(s.tags)} tags, {len(s.locations)} locations, {len(s.companies)} companies, "
                f"{pages} pages in {self.seconds:.2f}s")


def load_postings(config: SiteConfig) -> tuple[list[Posting], list[Problem], list[Problem]]:
    """Read and validate every posting; return postings, errors and warnings (nothing is dropped silently)."""
    paths, problems = load.find_postings(Path(config.content_dir))
    warnings: list[Problem] = []
    postings: list[Posting] = []
    for path in paths:
        source = load.read_source(path, config.max_file_bytes, Path(config.content_dir).parent)
        if isinstance(source, Problem):
            problems.append(source)
            continue
        posting, errors, warns = validate.validate(source, config)
        problems.extend(errors)
        warnings.extend(warns)
        if posting is not None:
            postings.append(posting)
    problems.extend(find_collisions([(p.slug, p.source) for p in postings], "posting"))
    return postings, problems, warnings


def build_site(config: SiteConfig) -> BuildResult:
    """Gather every posting, then render every output; raise ContentError listing all problems."""
    started = time.perf_counter()
    postings, problems, warnings = load_postings(config)
    try:
        profiles = companies.load_profiles(config.content_dir)
    except ContentError as exc:
        problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    site = geo_site.add_geography(enrich(postings, config), profiles)  # issue 9: places, remote, companies
    if site.geo.errors:
        raise ContentError(list(site.geo.errors))
    warnings.extend(site.geo.warnings)
    warnings.extend(companies.unused_profiles(profiles, site.companies))
    static_urls, outputs = render.collect_static(config)
    outputs.extend(render.render_site(site, static_urls))
    outputs.extend(search_index.build_search_index(site.listed, config))
    return BuildResult(site, outputs, warnings, time.perf_counter() - started)


def build(config: SiteConfig, report: Callable[[str], None] = print) -> BuildResult:
    """Build and write the site into ``config.out_dir`` atomically."""
    started = time.perf_counter()
    result = build_site(config)
    for warning in result.warnings:
        report(f"warning: {warning}")
    write_tree(result.outputs, Path(config.out_dir))
    result.seconds = time.perf_counter() - started
    return result
