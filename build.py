#!/usr/bin/env python3
"""Build the job board: ``python build.py [build|serve|new|check|import] ...`` (see README.md)."""

import sys

from site_gen.cli import main

if __name__ == "__main__":
    sys.exit(main())
