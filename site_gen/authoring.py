"""Authoring commands: ``new`` writes a posting skeleton, ``check`` validates and link-checks a build."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .config import SiteConfig
from .errors import ContentError, SiteGenError
from .urls import slugify

TEMPLATE = """---
title: {title}
company: {company}
date: {date}
# Every field below is optional: uncomment and fill in what the posting states.
# company_url: https://example.com
# location: Berlin, Germany            # or a list: [Berlin, Germany, "London, UK"]
# remote: yes                          # no | yes | hybrid
# remote_regions: [Europe]             # continents, countries or Worldwide
# timezones: UTC-1 to UTC+3
# employment_type: full-time           # full-time | part-time | contract | internship | temporary
# salary:
#   min: 60000
#   max: 80000
#   currency: EUR
#   period: year                       # hour | day | week | month | year
# tags: [python, django]
# valid_through: {closes}
# apply: https://example.com/apply     # or an e-mail address
# draft: true                          # build it only with --drafts (and in the preview)
# redirect_from: [/old/path/]
# slug: custom-url-slug
---

## About the role

Describe the job here, in Markdown.

## What you will do

- ...

## What you bring

- ...
"""


def yaml_text(value: str) -> str:
    """Quote a value for YAML so any title or company name round-trips exactly."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_posting(content_dir: Path, title: str, company: str, today: dt.date) -> Path:
    """Create ``content/jobs/<slug>.md`` with every optional field as a commented example."""
    if not title.strip() or not company.strip():
        raise SiteGenError("a title and a company are required: build.py new \"Title\" --company NAME")
    slug = slugify(title, "posting")
    target = content_dir / "jobs" / f"{slug}.md"
    if target.exists():
        raise SiteGenError(f"{target.as_posix()} already exists; not overwriting it (choose another title)")
    target.parent.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.format(title=yaml_text(title.strip()), company=yaml_text(company.strip()), date=today.isoformat(),
                           closes=(today + dt.timedelta(days=60)).isoformat())
    with open(target, "x", encoding="utf-8") as fh:
        fh.write(text)
    return target


class _Links(HTMLParser):
    """Collect the URLs a page links to or loads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name in ("href", "src") or (tag == "form" and name == "action")):
                if tag == "link" and dict(attrs).get("rel") in ("canonical", "alternate"):
                    if value.startswith("http"):
                        continue
                self.urls.append(value)


def broken_links(root: Path) -> list[str]:
    """List internal links and assets of every built page that point to nothing in ``root``."""
    problems = []
    for page in sorted(root.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        shown = "/" + page.relative_to(root).as_posix()
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path or not parts.path.startswith("/"):
                continue  # external, mailto:, fragment-only or relative
            target = root / unquote(parts.path).lstrip("/")
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not (target.is_file() or (target / "index.html").is_file()):
                problems.append(f"{shown}: broken link to {url}")
    return problems


def check(config: SiteConfig) -> list[str]:
    """Validate all content, then build into a scratch folder and check links; return every problem."""
    from .pipeline import build, load_postings

    _, problems, _, _ = load_postings(config)
    if problems:
        return [f"error: {p}" for p in problems]
    reported: list[str] = []
    with tempfile.TemporaryDirectory(prefix="site-gen-check-") as scratch:
        out = Path(scratch) / "site"
        try:
            build(replace(config, out_dir=str(out)), report=reported.append)
        except ContentError as exc:
            return [f"error: {p}" for p in exc.problems]
        found = [f"error: {line}" for line in broken_links(out)]
    return found + reported


def has_errors(lines: list[str]) -> bool:
    return any(re.match(r"error:", line) for line in lines)
