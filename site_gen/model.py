"""Plain, frozen data passed between the pipeline stages.

Everything after ``validate`` works on these types, never on raw front-matter dicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, NamedTuple

#: Annual multipliers used to compare salaries quoted per hour, day, week, month or year.
ANNUAL_FACTOR = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}

#: Canonical employment types (the keys) and their schema.org JobPosting values.
EMPLOYMENT_TYPES = {
    "full-time": "FULL_TIME",
    "part-time": "PART_TIME",
    "contract": "CONTRACTOR",
    "internship": "INTERN",
    "temporary": "TEMPORARY",
}

#: Canonical values of ``remote``.
REMOTE_VALUES = ("no", "yes", "hybrid")


def is_closed(valid_through: dt.date | None, now: dt.date) -> bool:
    """A posting is closed once its valid_through day has passed."""
    return valid_through is not None and valid_through < now


@dataclass(frozen=True)
class SourceFile:
    """A posting file as read from disk, front matter split from the body."""

    path: str  #: path relative to the content folder's parent, with forward slashes (for messages)
    stem: str  #: file name without ``.md``: the default slug
    meta: dict[str, Any]  #: parsed YAML front matter (untrusted)
    body: str  #: Markdown description (untrusted)
    digest: str  #: sha256 of the raw bytes, the cache key of everything derived from this file


@dataclass(frozen=True)
class Salary:
    """A pay range as the posting states it; ``min`` or ``max`` may be missing, not both."""

    min: float | None
    max: float | None
    currency: str  #: ISO 4217 code, upper case
    period: str  #: one of ``ANNUAL_FACTOR``'s keys

    @property
    def annual_min(self) -> float | None:
        """Lower bound per year: what sorting and the minimum-salary filter compare."""
        low = self.min if self.min is not None else self.max
        return None if low is None else low * ANNUAL_FACTOR[self.period]

    @property
    def annual_max(self) -> float | None:
        high = self.max if self.max is not None else self.min
        return None if high is None else high * ANNUAL_FACTOR[self.period]


@dataclass(frozen=True)
class Posting:
    """One validated job posting.

    Optional fields are ``None`` or empty when the posting does not state them: the board
    never fills in facts a posting does not give.
    """

    source: str  #: the file it came from (for messages)
    digest: str  #: hash of the source bytes
    slug: str  #: URL slug, safe as one path segment
    title: str
    company: str
    date: dt.date  #: day the posting was published on the board
    #: the description rendered from Markdown and sanitised, as UTF-8 (read it as ``body_html``): text
    #: with a curly quote or a dash is stored two bytes a character as a str, and a big board keeps
    #: every description in memory while it builds
    html_utf8: bytes
    summary: str  #: plain-text start of the description, no HTML
    company_url: str | None = None
    locations: tuple[str, ...] = ()  #: display names after aliasing, e.g. "Berlin, Germany"
    remote: str | None = None  #: one of REMOTE_VALUES, or None when the posting does not say
    remote_regions: tuple[str, ...] = ()
    timezones: str | None = None  #: free-text time-zone window, e.g. "UTC-3 to UTC+3"
    employment_type: str | None = None  #: one of EMPLOYMENT_TYPES' keys
    salary: Salary | None = None
    tags: tuple[str, ...] = ()  #: display names after normalising and aliasing
    valid_through: dt.date | None = None
    apply: str | None = None  #: http(s) URL or ``mailto:`` URL
    draft: bool = False
    redirect_from: tuple[str, ...] = ()  #: old site paths that should redirect here
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)  #: unknown front-matter keys, kept for templates
    words: str = ""  #: distinct search words of the description, space-separated (made once, by validate)
    closed: bool = False  #: set by enrich: valid_through is before the build's date

    @property
    def body_html(self) -> str:
        """The description as sanitised HTML: safe to emit."""
        return self.html_utf8.decode("utf-8")

    @property
    def url(self) -> str:
        return f"/jobs/{self.slug}/"

    @property
    def employment_label(self) -> str | None:
        return self.employment_type.replace("-", " ").capitalize() if self.employment_type else None

    @property
    def schema_employment_type(self) -> str | None:
        return EMPLOYMENT_TYPES.get(self.employment_type or "")


@dataclass(frozen=True)
class Term:
    """A tag, location or company: a name shared by several postings, with its own pages."""

    kind: str  #: "tag", "location", "company" or "remote" (a remote-eligibility area)
    name: str  #: display name
    slug: str
    postings: tuple[Posting, ...]  #: open postings, newest first

    @property
    def url(self) -> str:
        return f"/{KIND_FOLDER[self.kind]}/{self.slug}/"

    @property
    def count(self) -> int:
        return len(self.postings)


#: URL folder of each term kind.
KIND_FOLDER = {"tag": "tags", "location": "locations", "company": "companies", "remote": "remote"}


class Output(NamedTuple):
    """One file of the built site: a path relative to the output folder and its content.

    ``key`` fingerprints everything the content was made from; an Output whose content is
    ``None`` is unchanged since the build that made the same key, and is reused from it.
    (A named tuple, not a frozen dataclass: a build makes some 80,000 at 10,000 postings, and a
    frozen dataclass's ``__init__`` costs twice as much.)
    """

    path: str
    content: str | bytes | None
    key: str = ""
