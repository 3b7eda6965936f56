"""The arguments of ``build.py import``, apart from the importer so the CLI need not load it to list them.

The importer (ftfy, markdownify, its skill vocabulary) takes ~75 ms to import; every ``build``
would pay that just to describe the ``import`` subcommand in ``--help``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``import`` subcommand to the main CLI's subparsers."""
    parser = subparsers.add_parser(
        "import", help="convert job postings (Markdown, text, HTML, Jekyll) into canonical postings",
        description="Read postings as companies write them and write canonical content/jobs/<slug>.md files. "
                    "Prints, for each file, every field found with the line that states it, and what is missing.")
    _arguments(parser)
    return parser


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="FILE_OR_FOLDER", help="posting files, or folders of them")
    parser.add_argument("--into", default="content/jobs", help="folder to write postings to (default: content/jobs)")
    parser.add_argument("--dry-run", action="store_true", help="report what would be written; write nothing")
    parser.add_argument("--force", action="store_true", help="overwrite postings that already exist")
    parser.add_argument("--today", type=_date_arg, default=None,
                        help="the import day, used as `date` when a posting states none (default: today)")
    parser.add_argument("--skills", type=Path, default=None,
                        help="extra skill vocabulary (default: skills.yaml beside the --into folder, if present)")
