#!/usr/bin/env python3
"""Time the per-posting building blocks of a build on the 1,000-posting corpus, in one process.

    python bench/micro.py [--size 1000] [--passes 5]

Each step runs over every posting ``--passes`` times; the table gives microseconds per posting as the
median CPU time of a pass (robust on a busy machine) and the fastest wall time of a pass.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, corpus_options, ensure_corpus, median  # noqa: E402

sys.path.insert(0, str(REPO))

import cmarkgfm  # noqa: E402
import frontmatter  # noqa: E402
import markdown  # noqa: E402
import yaml  # noqa: E402
from cmarkgfm.cmark import Options  # noqa: E402

from site_gen import load, markup, render, validate  # noqa: E402
from site_gen.config import load_config  # noqa: E402
from site_gen.enrich import enrich  # noqa: E402
from site_gen.pipeline import load_postings  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus_options(p, 1000)
    p.add_argument("--passes", type=int, default=5, help="passes over the corpus per step (default 5)")
    return p.parse_args(argv)


def time_step(items: list, step: Callable, passes: int) -> tuple[float, float]:
    """Return (median CPU µs per item, fastest wall µs per item) over ``passes`` passes."""
    cpu, wall = [], []
    for _ in range(passes):
        c0, w0 = time.process_time(), time.perf_counter()
        for item in items:
            step(item)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return 1e6 * median(cpu) / len(items), 1e6 * min(wall) / len(items)


def posting_page_renderer(site, config, static_urls) -> Callable:
    """Render one posting page with one shared environment, whichever Renderer API this build has."""
    env = render.make_environment(config, static_urls)
    try:
        renderer = render.Renderer(site, env, "")
    except TypeError:  # the first Renderer took (site, env) and returned Outputs
        renderer = render.Renderer(site, env)
        return renderer.posting
    return lambda posting: renderer.posting(posting).make()


def steps(content: Path) -> list[tuple[str, list, Callable]]:
    """The steps to time, each with the inputs it works on (prepared outside the timing)."""
    paths = sorted((content / "jobs").glob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    bodies = [frontmatter.loads(t).content for t in texts]
    raw_html = [cmarkgfm.github_flavored_markdown_to_html(b, options=Options.CMARK_OPT_UNSAFE) for b in bodies]
    config = load_config(content, now=dt.date(2025, 6, 1))
    sources = [load.read_source(p, config.max_file_bytes, content.parent) for p in paths]
    postings, problems = load_postings(config)[:2]
    assert not problems, problems[:3]
    site = enrich(postings, config)
    static_urls, _ = render.collect_static(config)
    page = posting_page_renderer(site, config, static_urls)
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    c_loader = "CSafeLoader" if hasattr(yaml, "CSafeLoader") else "pure-Python SafeLoader"
    return [
        (f"python-frontmatter parse (`frontmatter.loads`, {c_loader})", texts, frontmatter.loads),
        ("site_gen read file + front matter (`load.read_source`)", paths,
         lambda p: load.read_source(p, config.max_file_bytes, content.parent)),
        ("site_gen validate to a Posting (`validate.validate`)", sources, lambda s: validate.validate(s, config)),
        ("cmarkgfm render (GFM, no sanitising)", bodies,
         lambda b: cmarkgfm.github_flavored_markdown_to_html(b, options=Options.CMARK_OPT_UNSAFE)),
        ("nh3 sanitise of that HTML (`markup.sanitize`)", raw_html, markup.sanitize),
        ("site_gen `markup.render_markdown` (cmarkgfm + nh3)", bodies, markup.render_markdown),
        ("Python-Markdown render (tables, fenced_code; for comparison)", bodies,
         lambda b: md.reset().convert(b)),
        ("Jinja2 posting page (`Renderer.posting`, site_gen's environment)", site.pages, page),
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    content = ensure_corpus(args.shared, args.size, args.work, log=lambda m: print(m, file=sys.stderr))
    rows = []
    for name, items, step in steps(content):
        step(items[0])  # warm imports and template caches
        cpu, wall = time_step(items, step, args.passes)
        rows.append((name, cpu, wall, len(items)))
        print(f"  {name}: {cpu:.0f} µs", file=sys.stderr)
    print(f"Per-posting costs on the {args.size:,}-posting corpus ({args.passes} passes):\n")
    print("| step | µs / posting (median CPU) | µs / posting (fastest wall) | items |")
    print("|---|---:|---:|---:|")
    for name, cpu, wall, count in rows:
        print(f"| {name} | {cpu:,.0f} | {wall:,.0f} | {count:,} |")
    by_name = {name.split(" ")[0]: cpu for name, cpu, _, _ in rows}
    if by_name.get("cmarkgfm") and by_name.get("Python-Markdown"):
        print(f"\nPython-Markdown / cmarkgfm: {by_name['Python-Markdown'] / by_name['cmarkgfm']:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
