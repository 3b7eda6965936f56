#!/usr/bin/env python3
"""Time rendering every page of a planned board in one process, posting pages and the rest apart.

    python bench/render_micro.py [--size 1000] [--passes 3] [--theme default] [--check]

Plans the site once (``pipeline.plan_site``, no cache), renders every pending page once to warm
the template and card caches, then times ``--passes`` serial passes over all pages with
``time.process_time``. Prints the median CPU µs per page for posting pages (``jobs/``) and for the
others (listings of home, remote, tags, locations and companies with their pagination and
salary-sorted variants, plus a handful of index pages). ``--check`` prints a hash of every page's
text, to compare two versions of the renderer.

The card cache keeps its cards between passes, as it does during a build once a card has appeared;
the first (warming) pass is reported separately because it pays for every card once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, corpus_options, ensure_corpus, median  # noqa: E402

sys.path.insert(0, str(REPO))

from site_gen.config import load_config  # noqa: E402
from site_gen.pipeline import plan_site  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus_options(p, 1000)
    p.add_argument("--passes", type=int, default=3, help="timed passes over every page (default 3)")
    p.add_argument("--theme", default=None, help="theme to render with (default: the corpus's own)")
    p.add_argument("--check", action="store_true", help="print a hash of all rendered pages")
    return p.parse_args(argv)


def time_pass(groups: dict[str, list]) -> dict[str, float]:
    """Render every page of each group once; return CPU seconds per group."""
    spent = {}
    for name, pages in groups.items():
        c0 = time.process_time()
        for pending in pages:
            pending.make()
        spent[name] = time.process_time() - c0
    return spent


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    content = ensure_corpus(args.shared, args.size, args.work, log=lambda m: print(m, file=sys.stderr))
    config = load_config(content, now=dt.date(2025, 6, 1), theme=args.theme)
    c0 = time.process_time()
    plan = plan_site(config)
    print(f"planned {len(plan.pending):,} pages in {time.process_time() - c0:.2f} CPU s", file=sys.stderr)
    groups = {"posting": [p for p in plan.pending if p.path.startswith("jobs/")],
              "listing": [p for p in plan.pending if not p.path.startswith("jobs/")]}
    first = time_pass(groups)
    passes = [time_pass(groups) for _ in range(args.passes)]
    print(f"Render CPU per page, {args.size:,} postings, theme {config.theme} "
          f"(median of {args.passes} passes; first pass fills the card cache)\n")
    print("| pages | count | µs / page (median) | µs / page (first pass) | CPU s (median) |")
    print("|---|---:|---:|---:|---:|")
    for name, pages in groups.items():
        med = median([p[name] for p in passes])
        print(f"| {name} | {len(pages):,} | {1e6 * med / len(pages):,.0f} | {1e6 * first[name] / len(pages):,.0f} "
              f"| {med:.2f} |")
    total = median([sum(p.values()) for p in passes])
    print(f"| all | {len(plan.pending):,} | {1e6 * total / len(plan.pending):,.0f} | "
          f"{1e6 * sum(first.values()) / len(plan.pending):,.0f} | {total:.2f} |")
    if args.check:
        h = hashlib.sha256()
        for pending in plan.pending:
            h.update(pending.path.encode() + b"\0" + pending.make().encode() + b"\0")
        print(f"\npages hash: {h.hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
