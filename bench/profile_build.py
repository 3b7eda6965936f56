#!/usr/bin/env python3
"""Profile one cold build with cProfile, optionally in one process so the workers' time is visible too.

    python bench/profile_build.py [--size 10000] [--serial] [--top 25] [--clock cpu|wall]

cProfile only sees the process it runs in: with the build's process pools, parsing and rendering show up
as lock waits. ``--serial`` makes ``os.cpu_count()`` answer 1, so the build takes its one-process path.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, corpus_options, ensure_corpus, ram_disk  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus_options(p, 10000)
    p.add_argument("--serial", action="store_true", help="run the build in one process (os.cpu_count() -> 1)")
    p.add_argument("--top", type=int, default=25, help="lines to print per ordering (default 25)")
    p.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                   help="time functions by CPU time (default: steady on a busy machine) or wall time")
    args = p.parse_args(argv)
    corpus = ensure_corpus(args.shared, args.size, args.work, log=lambda m: print(m, file=sys.stderr))
    if args.serial:
        os.cpu_count = lambda: 1  # type: ignore[assignment]
    sys.path.insert(0, str(REPO))
    from site_gen.cli import main as build_main

    scratch = Path(tempfile.mkdtemp(prefix="profile-", dir=ram_disk() or args.work))
    profiler = cProfile.Profile(time.process_time if args.clock == "cpu" else time.perf_counter)
    try:
        profiler.runcall(build_main, ["build", "--content", str(corpus), "--out", str(scratch / "out"),
                                      "--now", "2025-06-01", "--no-cache", "--quiet"])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for order in ("cumulative", "tottime"):
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(args.top)
        print(f"### by {order}\n" + text.getvalue().split("\n\n", 1)[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
