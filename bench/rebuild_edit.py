#!/usr/bin/env python3
"""Measure a cached rebuild after editing one posting against a cold build (issue 6).

    python bench/rebuild_edit.py --size 10000 --edits 3

A cold build (fresh output and cache folders), then ``--edits`` rebuilds, each after changing
the title of one posting of a private copy of the corpus; the output folder and cache stay. The
last rebuilt site is checked to equal a cold build of the edited corpus, byte for byte.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import REPO, corpus_options, ensure_corpus, measure, median, tree_digest  # noqa: E402


def build(content: Path, out: Path, cache: Path | None):
    cmd = [sys.executable, str(REPO / "build.py"), "build", "--content", str(content), "--out", str(out),
           "--now", "2025-06-01", "--quiet"]
    cmd += ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    run = measure(cmd)
    if run.returncode != 0:
        sys.exit(f"build failed: {run.stderr_tail}")
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    corpus_options(parser, 10000)
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    corpus = ensure_corpus(args.shared, args.size, args.work)
    scratch = Path(tempfile.mkdtemp(prefix="rebuild-edit-", dir=args.work))
    content = scratch / "content"
    shutil.copytree(corpus / "jobs", content / "jobs")
    out, cache = scratch / "public", scratch / "cache"
    cold = build(content, out, cache)
    posting = sorted((content / "jobs").glob("*.md"))[len(list((content / "jobs").glob("*.md"))) // 2]
    text = posting.read_text(encoding="utf-8")
    runs = []
    for i in range(args.edits):
        posting.write_text(text.replace('title: "', f'title: "Edited {i} ', 1), encoding="utf-8")
        runs.append(build(content, out, cache))
    check = build(content, scratch / "cold-check", None)
    same = tree_digest(out) == tree_digest(scratch / "cold-check")
    rebuild_wall, rebuild_cpu = median([r.wall for r in runs]), median([r.cpu for r in runs])
    print(f"{args.size:,} postings: cold build {cold.wall:.2f} s wall, {cold.cpu:.2f} CPU s; "
          f"after one edit (median of {args.edits}) {rebuild_wall:.2f} s wall, {rebuild_cpu:.2f} CPU s; "
          f"ratio {cold.wall / rebuild_wall:.1f}x wall, {cold.cpu / rebuild_cpu:.1f}x CPU faster; "
          f"cold build without cache {check.wall:.2f} s; rebuilt site identical to a cold build: {same}")
    shutil.rmtree(scratch, ignore_errors=True)
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
