"""The client-side search index: plain JSON summaries of every listed posting."""

from __future__ import annotations

import json
from typing import Sequence

from .config import SiteConfig
from .model import Output, Posting


def summary(posting: Posting) -> dict:
    """What search results show for one posting: plain values, no HTML."""
    salary = posting.salary
    return {
        "url": posting.url,
        "title": posting.title,
        "company": posting.company,
        "locations": list(posting.locations),
        "remote": posting.remote,
        "tags": list(posting.tags),
        "employment_type": posting.employment_type,
        "salary": None if salary is None else {
            "min": salary.min, "max": salary.max, "currency": salary.currency, "period": salary.period,
            "annual_min": salary.annual_min, "annual_max": salary.annual_max,
        },
        "date": posting.date.isoformat(),
        "summary": posting.summary,
    }


def build_search_index(postings: Sequence[Posting], config: SiteConfig) -> list[Output]:
    """Return ``search/index.json``: one summary per listed posting, newest first."""
    data = {"postings": [summary(p) for p in postings]}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return [Output("search/index.json", text)]
