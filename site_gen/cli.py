"""Command line: ``build`` (default), ``serve``, ``new``, ``check`` and ``import``.

Our own errors (SiteGenError) are printed and exit 1; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys

from .config import DEFAULT_BASE_URL, default_now, load_config
from .errors import ContentError, SiteGenError

COMMANDS = ("build", "serve", "new", "check", "import")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", default="content", help="content folder (default: content)")
    parser.add_argument("--out", default="public", help="output folder (default: public)")
    parser.add_argument("--now", type=_date, default=None,
                        help="the build's date for expiry, YYYY-MM-DD (default: today or SOURCE_DATE_EPOCH)")
    parser.add_argument("--drafts", action="store_true", help="also publish postings marked draft: true")
    parser.add_argument("--theme", default=None, help="theme to build with, overriding site.yaml's theme:")
    parser.add_argument("--project", default=None,
                        help="folder holding templates/, static/ and themes/ (default: the content folder's parent)")
    parser.add_argument("--cache-dir", default=None,
                        help="build cache folder (default: .site-gen-cache beside the content folder)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the build cache")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build a static job board from content/.")
    sub = parser.add_subparsers(dest="command")
    build = sub.add_parser("build", help="build the site into public/ (the default command)")
    _site_options(build)
    build.add_argument("--quiet", action="store_true", help="print only warnings and errors")

    serve = sub.add_parser("serve", help="build and preview with live reload (drafts shown)")
    serve.add_argument("--content", default="content", help="content folder (default: content)")
    serve.add_argument("--now", type=_date, default=None, help="the build's date, YYYY-MM-DD")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000)")

    new = sub.add_parser("new", help="create a new posting file from a template")
    new.add_argument("title", help="the job title")
    new.add_argument("--company", required=True, help="the hiring company")
    new.add_argument("--content", default="content", help="content folder (default: content)")
    new.add_argument("--date", type=_date, default=None, help="publication date (default: today)")

    check = sub.add_parser("check", help="validate content and check a build for broken links; writes nothing")
    check.add_argument("--content", default="content", help="content folder (default: content)")
    check.add_argument("--now", type=_date, default=None, help="the build's date, YYYY-MM-DD")
    check.add_argument("--drafts", action="store_true", help="check drafts too")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")

    from .import_args import add_parser

    add_parser(sub)
    return parser


def config_from(args: argparse.Namespace):
    return load_config(args.content, out_dir=args.out, drafts=args.drafts, now=args.now or default_now(),
                       theme=args.theme, project_dir=args.project)


def open_cache(args: argparse.Namespace, config):
    from pathlib import Path

    from .cache import BuildCache

    if args.no_cache:
        return None
    folder = Path(args.cache_dir) if args.cache_dir else Path(config.content_dir).resolve().parent / ".site-gen-cache"
    return BuildCache.open(folder, Path(config.out_dir))


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import build

    from .progress import Progress, Silent

    config = config_from(args)
    result = build(config, report=lambda line: print(line, file=sys.stderr), cache=open_cache(args, config),
                   progress=Silent() if args.quiet else Progress())
    if not args.quiet:
        print(result.summary_line())
        if config.base_url == DEFAULT_BASE_URL:
            print(f"Note: base_url is not set in site.yaml, so canonical links, feeds and the sitemap point to "
                  f"{DEFAULT_BASE_URL}; set it (or build on Netlify, whose URL variable is used) before deploying.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.content, {"now": args.now or default_now()}, host=args.host, port=args.port)


def cmd_new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .authoring import new_posting

    path = new_posting(Path(args.content), args.title, args.company, args.date or dt.date.today())
    print(f"Created {path.as_posix()}: fill in the fields, then run python build.py serve to preview it.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .authoring import check, has_errors

    config = load_config(args.content, drafts=args.drafts, now=args.now or default_now())
    lines = check(config)
    for line in lines:
        print(line, file=sys.stderr)
    failed = has_errors(lines) or (args.strict and bool(lines))
    errors = sum(1 for line in lines if line.startswith("error:"))
    print(f"check: {errors} error(s), {len(lines) - errors} warning(s)" + (" - FAILED" if failed else " - OK"))
    return 1 if failed else 0


def cmd_import(args: argparse.Namespace) -> int:
    from . import importer

    return importer.run(args)


HANDLERS = {"build": cmd_build, "serve": cmd_serve, "new": cmd_new, "check": cmd_check, "import": cmd_import}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    try:
        return HANDLERS[args.command](args)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"Build failed: {len(exc.problems)} problem(s); the output folder was left unchanged.", file=sys.stderr)
        return 1
    except SiteGenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a port in use, an unknown host, an unwritable folder
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """Entry point of ``build.py`` and the ``site-gen`` script: ``main``, then exit at once.

    A big board leaves millions of objects that Python would free one by one on the way out
    (~0.2 s at 10,000 postings); output is flushed first and no work is left running (the old
    output folder is deleted by a detached process).
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
