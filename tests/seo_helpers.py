"""Shared builders for the SEO/publishing tests: postings and settings made directly."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from site_gen.config import SiteConfig
from site_gen.model import Posting, Salary

CONFIG = SiteConfig(title="Elixir Jobs", base_url="https://jobs.example.org/", now=dt.date(2024, 6, 1))


def posting(slug: str = "backend-engineer", **fields) -> Posting:
    """Make an open posting with the required fields, overridden by ``fields``."""
    base = Posting(
        source=f"content/jobs/{slug}.md", digest="0" * 64, slug=slug,
        title="Backend Engineer", company="Acme", date=dt.date(2024, 5, 1),
        body_html="<p>Build <strong>APIs</strong>.</p>", summary="Build APIs.",
    )
    return replace(base, **fields)


def salary(low=50000, high=70000, currency="EUR", period="year") -> Salary:
    return Salary(min=low, max=high, currency=currency, period=period)
