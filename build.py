#!/usr/bin/env python3
"""Build the job board: ``python build.py [build|serve|new|check|import] ...`` (see README.md)."""

from site_gen.cli import run

if __name__ == "__main__":
    run()
