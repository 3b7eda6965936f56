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
        html_utf8=b"<p>Build <strong>APIs</strong>.</p>", summary="Build APIs.",
    )
    if "body_html" in fields:
        fields["html_utf8"] = fields.pop("body_html").encode()
    return replace(base, **fields)


def salary(low=50000, high=70000, currency="EUR", period="year") -> Salary:
    return Salary(min=low, max=high, currency=currency, period=period)
