"""``build.py import``: turn postings as companies write them into canonical ``content/jobs/*.md`` files.

Each input goes read -> extract -> slug -> write (or just report with ``--dry-run``); one bad file
is reported and skipped while the others still import, and the exit code says whether all did.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml

from ..config import default_now
from ..import_args import _arguments, add_parser
from ..urls import slugify
from .extract import Extraction, NoTitle, extract
from .readers import ReadError, read_source
from .report import describe, posting_text
from .skills import Vocabulary, load_vocabulary

__all__ = ["add_parser", "run", "main", "import_file", "Planned"]


@dataclass
class Planned:
    """One input's outcome: the posting it becomes, or why it cannot."""

    source: Path
    shown: str  #: the path as the user gave it, for messages
    kind: str = ""
    result: Extraction | None = None
    slug: str = ""
    error: str = ""


def _inputs(paths: list[str]) -> tuple[list[tuple[Path, str]], list[Planned]]:
    """Expand folders into their files (sorted, hidden files skipped); report paths that do not exist."""
    files: list[tuple[Path, str]] = []
    missing: list[Planned] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    files.append((child, (Path(given) / rel).as_posix()))
        elif path.is_file():
            files.append((path, path.as_posix()))
        else:
            missing.append(Planned(path, given, error="no such file or folder"))
    return files, missing


def import_file(path: Path, vocab: Vocabulary, today: dt.date, shown: str | None = None) -> Planned:
    """Read and extract one file; errors become ``Planned.error``, never exceptions."""
    plan = Planned(path, shown or path.as_posix())
    try:
        doc = read_source(path)
        plan.kind = doc.kind
        plan.result = extract(doc, vocab, today)
    except (ReadError, NoTitle) as exc:
        plan.error = str(exc)
    except RecursionError:
        plan.error = "too deeply nested to read (HTML nested thousands of levels deep)"
    return plan


def _existing(into: Path) -> dict[str, tuple[str, str]]:
    """Slug -> (title, company) of the postings already in the target folder."""
    found = {}
    for path in sorted(into.glob("*.md")) if into.is_dir() else []:
        text = path.read_text(encoding="utf-8", errors="replace")
        match = re.match(r"^---\n(.*?)\n---", text, re.S)
        try:
            meta = yaml.safe_load(match.group(1)) if match else {}
        except yaml.YAMLError:
            meta = {}
        meta = meta if isinstance(meta, dict) else {}
        found[path.stem] = (str(meta.get("title", "")), str(meta.get("company", "")))
    return found


def _base(title: str) -> str:
    """The title without its qualifiers: "Senior Backend Engineer (Elixir)" -> senior-backend-engineer."""
    return slugify(re.sub(r"\s*[\(\[].*?[\)\]]", "", title) or title)


def assign_slugs(plans: list[Planned], existing: dict[str, tuple[str, str]]) -> None:
    """Slug each posting by its title; add the company where several companies share a title."""
    ok = [p for p in plans if p.result]
    companies: dict[str, set[str]] = {}
    for title, company in list(existing.values()) + [(p.result.meta["title"], p.result.meta.get("company", ""))
                                                     for p in ok]:
        companies.setdefault(_base(title), set()).add(company.casefold())
    taken: dict[str, Planned] = {}
    for plan in ok:
        title, company = plan.result.meta["title"], plan.result.meta.get("company", "")
        same = [s for s, (t, c) in existing.items() if slugify(t) == slugify(title) and c.casefold() == company.casefold()]
        if same:
            plan.slug = same[0]  # the same posting again: same file
        elif len(companies[_base(title)]) > 1 and company:
            plan.slug = slugify(f"{title} {company}")
        else:
            plan.slug = slugify(title)
        if plan.slug in taken:
            plan.error = f"same title and company as {taken[plan.slug].shown} (both would be {plan.slug}.md)"
        else:
            taken[plan.slug] = plan


def _write(target: Path, text: str) -> None:
    """Write atomically: a temp file beside the target, then rename."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Import every input; print a report; return 0 if all imported, 1 if any failed, 2 on bad settings."""
    out = out or sys.stdout
    into = Path(args.into)
    today = args.today or default_now()
    try:
        vocab = load_vocabulary(args.skills if args.skills else into.parent / "skills.yaml")
    except (ValueError, OSError) as exc:
        print(f"error: skill vocabulary: {exc}", file=sys.stderr)
        return 2
    if into.exists() and not into.is_dir():
        print(f"error: --into {args.into}: not a folder", file=sys.stderr)
        return 2
    files, plans = _inputs(args.inputs)
    plans += [import_file(path, vocab, today, shown) for path, shown in files]
    assign_slugs(plans, _existing(into))
    root = into.resolve()
    written = 0
    for plan in plans:
        if plan.error:
            print(f"{plan.shown}: error: {plan.error}", file=out)
            continue
        target = into / f"{plan.slug}.md"
        if target.resolve().parent != root:
            plan.error = f"refused: {target.as_posix()} is outside {args.into}"
        elif target.exists() and not args.force:
            plan.error = f"{target.as_posix()} already exists (use --force to overwrite)"
        status = plan.error or ("would write" if args.dry_run else "written")
        if plan.result and "company" not in plan.result.meta:
            plan.result.meta["draft"] = True
            plan.result.notes.append("no company found: written as a draft; add `company:` and remove `draft: true`")
        print(describe(plan.shown, target.as_posix(), plan.kind, plan.result, status), file=out)
        if plan.error or args.dry_run:
            continue
        into.mkdir(parents=True, exist_ok=True)
        _write(target, posting_text(plan.result.meta, plan.result.body))
        written += 1
    failed = sum(1 for p in plans if p.error)
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {len(plans) - failed} of {len(plans)} file(s); {failed} failed", file=out)
    for plan in plans:
        if plan.error:
            print(f"error: {plan.shown}: {plan.error}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Run ``import`` on its own (``python -m site_gen.importer``), as the main CLI will."""
    parser = argparse.ArgumentParser(prog="python -m site_gen.importer",
                                     description="Import job postings into canonical Markdown files.")
    _arguments(parser)
    return run(parser.parse_args(argv))
