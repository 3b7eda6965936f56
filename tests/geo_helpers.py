"""Shared fixtures for the location, remote, salary and company tests: postings built in code."""

from __future__ import annotations

import datetime as dt

from site_gen.model import Posting, Salary


def posting(slug: str, **fields) -> Posting:
    """Return a minimal valid posting called ``slug``; keyword arguments override any field."""
    base = dict(source=f"content/jobs/{slug}.md", digest="0" * 64, slug=slug, title=slug.replace("-", " ").title(),
                company="Acme", date=dt.date(2024, 5, 1), html_utf8=b"<p>Hi</p>", summary="Hi")
    base.update(fields)
    if "body_html" in base:
        base["html_utf8"] = base.pop("body_html").encode()
    for key in ("locations", "remote_regions", "tags"):
        if isinstance(base.get(key), str):
            base[key] = (base[key],)
        elif key in base:
            base[key] = tuple(base[key])
    return Posting(**base)


def salary(low, high, currency="USD", period="year") -> Salary:
    return Salary(min=low, max=high, currency=currency, period=period)
