"""Turn untrusted SourceFiles into validated Postings, collecting every problem by file and field."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

from . import markup
from .config import SiteConfig
from .errors import Problem
from .model import ANNUAL_FACTOR, EMPLOYMENT_TYPES, Posting, Salary, SourceFile, is_closed
from .search_codec import description_words
from .urls import slugify, strip_invisible

KNOWN_KEYS = {
    "title", "company", "date", "company_url", "location", "remote", "remote_regions", "timezones",
    "employment_type", "salary", "tags", "valid_through", "apply", "draft", "redirect_from", "slug",
}
SUMMARY_CHARS = 200
MAX_TEXT = 300  #: longest title, company, tag or location accepted
MAX_ENTRIES = 1000  #: most tags, locations or regions one posting may list (each tag is a page)
MAX_URL = 2000  #: longest company_url or apply link accepted (tracking links run long)
MAX_AMOUNT = 1e12  #: salary amounts above this are typos (and would overflow annual figures)
YEARS = (1970, 2999)  #: dates outside these years are typos, not job postings
MAX_SHOWN = 60  #: longest value quoted back in a message

_EMPLOYMENT_ALIASES = {
    "fulltime": "full-time", "full-time": "full-time", "full_time": "full-time",
    "parttime": "part-time", "part-time": "part-time", "part_time": "part-time",
    "contract": "contract", "contractor": "contract", "freelance": "contract",
    "internship": "internship", "intern": "internship",
    "temporary": "temporary", "temp": "temporary",
}
_PERIOD_ALIASES = {
    "hour": "hour", "hourly": "hour", "hr": "hour", "h": "hour",
    "day": "day", "daily": "day",
    "week": "week", "weekly": "week",
    "month": "month", "monthly": "month",
    "year": "year", "yearly": "year", "annual": "year", "annually": "year", "annum": "year", "yr": "year",
}
_REMOTE = {"yes": "yes", "true": "yes", "remote": "yes", "no": "no", "false": "no", "onsite": "no",
           "on-site": "no", "hybrid": "hybrid"}
_PLAIN_HTTP = re.compile(r"https?://(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(?::[0-9]*)?(?:[/?#]|\Z)")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_SEPARATORS = re.compile(r"[\s_]+")
_CURRENCY = re.compile(r"[A-Za-z]{3}")
_PATH_REFUSED = re.compile(r"[\s?#]")
_KEY_NOISE = re.compile(r"[\s_-]+")
#: Each known field name without underscores, for the misspelt-key warning.
_KNOWN_SQUASHED = {k.replace("_", ""): k for k in KNOWN_KEYS}


@dataclass
class _Checker:
    """Collect problems for one file while converting its fields."""

    path: str
    problems: list[Problem]

    def fail(self, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, field, message, hint))

    def text(self, meta: dict, key: str, required: bool = False, limit: int = MAX_TEXT) -> str | None:
        value = meta.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, "is required")
            return None
        if not _is_scalar(value):
            self.fail(key, f"must be text, not {_kind(value)}")
            return None
        cleaned = strip_invisible(str(value))
        if not cleaned:
            if required:
                self.fail(key, "is required (it is blank)")
            return None
        if len(cleaned) > limit:
            self.fail(key, f"is {len(cleaned):,} characters long; the limit is {limit:,}")
            return None
        return cleaned

    def entries(self, meta: dict, key: str, split_commas: bool = False) -> list:
        """The raw entries of a list field (one value is a list of one); none when it has too many."""
        value = meta.get(key)
        if value is None or value == "":
            return []
        items = value if isinstance(value, list) else [value]
        if isinstance(value, str) and split_commas:
            items = value.split(",")
        if len(items) > MAX_ENTRIES:
            self.fail(key, f"has {len(items):,} entries; the limit is {MAX_ENTRIES:,}")
            return []
        return items

    def text_list(self, meta: dict, key: str, split_commas: bool = False) -> tuple[str, ...]:
        items = self.entries(meta, key, split_commas)
        out: list[str] = []
        seen: set[str] = set()
        for item in items:
            if type(item) is not str:  # text is the usual entry; numbers are text too, lists are not
                if not _is_scalar(item):
                    self.fail(key, f"each entry must be text, not {_kind(item)}")
                    continue
                item = str(item)
            cleaned = strip_invisible(item)
            if len(cleaned) > MAX_TEXT:
                self.fail(key, f"an entry is {len(cleaned)} characters long; the limit is {MAX_TEXT}")
            elif cleaned:
                folded = cleaned.casefold()
                if folded not in seen:
                    seen.add(folded)
                    out.append(cleaned)
        return tuple(out)

    def date(self, meta: dict, key: str, required: bool = False) -> dt.date | None:
        value = meta.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, "is required", "the day the posting was published, e.g. 2024-05-01")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        match = _DATE.match(str(value).strip()) if isinstance(value, str) else None
        if not match:
            self.fail(key, f"{_show(value)} is not a date", "use YYYY-MM-DD")
            return None
        year, month, day_of_month = match.groups()
        try:
            day = dt.date(int(year), int(month), int(day_of_month))
        except ValueError as exc:
            self.fail(key, f"{_show(value)} is not a real date ({exc})")
            return None
        if not YEARS[0] <= day.year <= YEARS[1]:
            self.fail(key, f"{_show(value)} is not a plausible date (years {YEARS[0]} to {YEARS[1]})")
            return None
        return day

    def url(self, meta: dict, key: str, allow_email: bool = False) -> str | None:
        """An http(s) URL (or e-mail / mailto: when allowed); every other scheme is refused."""
        value = self.text(meta, key, limit=MAX_URL)
        if value is None:
            return None
        if allow_email and _EMAIL.match(value):
            return "mailto:" + value
        is_mailto = value.lower().startswith("mailto:")
        if markup.is_safe_url(value) and is_mailto <= allow_email:
            if (is_mailto and _EMAIL.match(value[7:].split("?", 1)[0])) or _is_http(value):
                return value
        allowed = "an http(s) URL or an e-mail address" if allow_email else "an http(s) URL"
        self.fail(key, f"{_show(value)} is not {allowed}", "e.g. https://example.com/jobs/123")
        return None


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)


def _is_scalar(value: Any) -> bool:
    """Text, or a number YAML read from unquoted text (``title: 1984``); not NaN or infinity."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _is_http(value: str) -> bool:
    """True for an absolute http(s) URL with a host name."""
    if _PLAIN_HTTP.match(value):
        return True  # the usual shape, for certain; anything else is asked of urlsplit
    try:
        parts = urlsplit(value)
        return parts.scheme.lower() in ("http", "https") and bool((parts.hostname or "").strip("."))
    except ValueError:  # e.g. a malformed IPv6 address
        return False


def _show(value: Any) -> str:
    """Quote a value back in a message, shortened: a hostile value must not flood the output."""
    shown = repr(value)
    return shown if len(shown) <= MAX_SHOWN else shown[: MAX_SHOWN - 1] + "…"


def _choice(check: _Checker, meta: dict, key: str, table: dict[str, str], allowed: str) -> str | None:
    value = meta.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        value = "true" if value else "false"
    normal = _SEPARATORS.sub("-", str(value).strip().lower())
    found = table.get(normal) or table.get(normal.replace("-", ""))
    if found is None:
        check.fail(key, f"{_show(value)} is not one of {allowed}")
    return found


def _number(check: _Checker, field: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        check.fail(field, f"{_show(value)} must be a number", "write 60000, not \"60k\" or \"60,000\"")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        check.fail(field, "must be a finite number")
        return None
    if value < 0:
        check.fail(field, f"{value:g} is negative")
        return None
    if value > MAX_AMOUNT:
        check.fail(field, f"{value:g} is implausibly large (the limit is {MAX_AMOUNT:g})")
        return None
    return int(value) if float(value).is_integer() else float(value)


def _salary(check: _Checker, meta: dict, warn: Callable[[Problem], None]) -> Salary | None:
    value = meta.get("salary")
    if value is None or value == "":
        return None
    if not isinstance(value, dict):
        check.fail("salary", f"must be a mapping with min, max, currency and period, not {_kind(value)}",
                   "e.g. salary: {min: 50000, max: 70000, currency: EUR, period: year}")
        return None
    before = len(check.problems)
    unknown = set(value) - {"min", "max", "currency", "period"}
    if unknown:
        check.fail("salary", f"unknown keys {_show(', '.join(sorted(map(str, unknown))))}",
                   "use min, max, currency, period")
    low = _number(check, "salary.min", value.get("min"))
    high = _number(check, "salary.max", value.get("max"))
    if value.get("min") is None and value.get("max") is None:
        check.fail("salary", "needs min, max or both")
    if low is not None and high is not None and low > high:
        check.fail("salary.min", f"{low} is above salary.max {high}")
    currency = value.get("currency")
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency.strip()):
        check.fail("salary.currency", f"{_show(currency)} is not a three-letter ISO 4217 code", "e.g. USD, EUR, GBP")
    period = value.get("period")
    if period is None:
        period = "year"
        warn(Problem(check.path, "salary.period", "missing; assuming per year"))
    elif not isinstance(period, str) or period.strip().lower().removeprefix("per ") not in _PERIOD_ALIASES:
        check.fail("salary.period", f"{_show(period)} is not one of {', '.join(ANNUAL_FACTOR)}")
    else:
        period = _PERIOD_ALIASES[period.strip().lower().removeprefix("per ")]
    if len(check.problems) > before:
        return None
    return Salary(min=low, max=high, currency=currency.strip().upper(), period=period)


def _redirects(check: _Checker, meta: dict) -> tuple[str, ...]:
    paths = check.text_list(meta, "redirect_from")
    good = []
    for path in paths:
        if not path.startswith("/") or path.startswith("//") or ".." in path.split("/") or _PATH_REFUSED.search(path):
            check.fail("redirect_from", f"{_show(path)} is not a site path", "old paths start with /, e.g. /about/careers/")
        else:
            good.append(path)
    return tuple(good)


def _bool(check: _Checker, meta: dict, key: str) -> bool:
    value = meta.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        check.fail(key, f"{_show(value)} must be true or false")
        return False
    return value


def _aliased(names: tuple[str, ...], aliases: dict[str, str]) -> tuple[str, ...]:
    if not aliases:
        return names  # text_list's names are distinct when case-folded already
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        target = aliases.get(name.casefold(), name)
        if target.casefold() not in seen:
            seen.add(target.casefold())
            out.append(target)
    return tuple(out)


def validate(source: SourceFile, config: SiteConfig) -> tuple[Posting | None, list[Problem], list[Problem]]:
    """Check one source; return the Posting (or None), its errors and its warnings."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    check = _Checker(source.path, problems)
    meta = source.meta
    title = check.text(meta, "title", required=True)
    company = check.text(meta, "company", required=True)
    if company:
        company = _aliased((company,), config.folded_aliases["company"])[0]
    date = check.date(meta, "date", required=True)
    valid_through = check.date(meta, "valid_through")
    if date and valid_through and valid_through < date:
        check.fail("valid_through", f"{valid_through} is before the posting's date {date}")
    slug_text = check.text(meta, "slug")
    slug = slugify(slug_text or source.stem, "posting")
    if slug_text and slug != slug_text:
        warnings.append(Problem(source.path, "slug", f"{_show(slug_text)} is not a plain URL slug; using {slug!r}",
                                "slugs are lower-case letters, digits and hyphens"))
    warnings.extend(_misspelt_keys(source))
    locations = _aliased(check.text_list(meta, "location"), config.folded_aliases["location"])
    tags = _aliased(check.text_list(meta, "tags", split_commas=True), config.folded_aliases["tag"])
    fields = dict(
        company_url=check.url(meta, "company_url"),
        locations=locations,
        remote=_choice(check, meta, "remote", _REMOTE, "no, yes, hybrid"),
        remote_regions=check.text_list(meta, "remote_regions"),
        timezones=check.text(meta, "timezones"),
        employment_type=_choice(check, meta, "employment_type", _EMPLOYMENT_ALIASES, ", ".join(EMPLOYMENT_TYPES)),
        salary=_salary(check, meta, warnings.append),
        tags=tags,
        valid_through=valid_through,
        apply=check.url(meta, "apply", allow_email=True),
        draft=_bool(check, meta, "draft"),
        redirect_from=_redirects(check, meta),
    )
    if fields["remote_regions"] and fields["remote"] not in ("yes", "hybrid"):
        check.fail("remote_regions", "is set but remote is not yes or hybrid")
    if problems:
        return None, problems, warnings
    try:
        body_html, html_utf8 = markup.render_markdown_utf8(source.body)
    except markup.MarkupError as exc:
        return None, [Problem(source.path, "description", str(exc))], warnings
    if not body_html:
        warnings.append(Problem(source.path, "description", "is empty"))
    extra = {} if meta.keys() <= KNOWN_KEYS else {k: v for k, v in meta.items() if k not in KNOWN_KEYS}
    # Closed as of this build's date; enrich sets it again for a posting the cache kept from a build
    # with another --now (set here, the ~30% of a big board that has closed needs no copy there).
    closed = is_closed(valid_through, config.now)
    posting = Posting(
        source=source.path, digest=source.digest, slug=slug, title=title, company=company, date=date,
        html_utf8=html_utf8, summary=markup.html_to_text(body_html, SUMMARY_CHARS), extra=extra,
        # A closed posting is in no search index: its words are worked out only if a later build
        # (an earlier --now) needs them (search_index.field_words does that).
        words="" if closed else description_words(body_html), closed=closed,
        **fields,
    )
    return posting, problems, warnings


def _misspelt_keys(source: SourceFile) -> list[Problem]:
    """Warn about keys that differ from a known field only by case or spaces (``Title:``)."""
    warnings = []
    if source.meta.keys() <= KNOWN_KEYS:
        return warnings
    for key in source.meta:
        if key in KNOWN_KEYS:
            continue
        guess = _KNOWN_SQUASHED.get(_KEY_NOISE.sub("", key.casefold()))
        if guess:
            warnings.append(Problem(source.path, _show(key).strip("'"), f"is not a field; did you mean {guess}?",
                                    "field names are lower case; the value is kept only in extra"))
    return warnings
