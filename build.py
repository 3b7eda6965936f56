#!/usr/bin/env python3
"""Build the job board: ``python build.py [build|serve|new|check|import] ...`` (see README.md)."""

import os
import sys

if sys.dont_write_bytecode and not sys.pycache_prefix:
    # PYTHONDONTWRITEBYTECODE keeps __pycache__ folders out of a source tree (Docker images and CI
    # set it). Without compiled modules every build compiles site_gen again (~55 ms); keep them in
    # the user cache folder instead, where they touch nothing of the project.
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    sys.pycache_prefix = os.path.join(cache, "site-gen", "pycache")
    sys.dont_write_bytecode = False

from site_gen.cli import run  # noqa: E402

if __name__ == "__main__":
    run()
