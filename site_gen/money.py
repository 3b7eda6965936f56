"""Salaries for people: locale-aware amounts (Babel) and a salary sort order.

A salary is shown as the posting gives it (its currency and period), with the numbers written
the way the site's ``language`` writes them: "USD 51,850 – 171,450 a year" in English,
"51.850 – 171.450 USD pro Jahr"-style digits in German. The ISO code is always shown rather than
a symbol, because "$" is shared by a dozen currencies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import NumberPattern, parse_pattern

from .model import Posting, Salary

#: How each period reads after an amount.
PERIOD_WORDS = {"hour": "an hour", "day": "a day", "week": "a week", "month": "a month", "year": "a year"}
RANGE_DASH = " \u2013 "


@lru_cache(maxsize=32)
def site_locale(language: str) -> Locale:
    """Return the Babel locale of a site ``language`` such as "en", "de" or "pt-BR" (English if unknown)."""
    try:
        return Locale.parse(str(language).replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


@lru_cache(maxsize=64)
def _patterns(locale: Locale) -> tuple[NumberPattern, NumberPattern]:
    """Return the locale's whole-number pattern and its two-decimals twin, parsed once."""
    whole = locale.decimal_formats[None]
    cents = parse_pattern(whole.pattern.split(";")[0].split(".")[0] + ".00")
    return whole, cents


#: Amounts written so far, by (value, locale): boards repeat round numbers (the 10k corpus has ~800
#: distinct amounts in 6,000), and Babel takes ~5 us to write one. Bounded, for a long-running preview.
_WRITTEN: dict[tuple[float, Locale], str] = {}
_WRITTEN_MAX = 50_000


def _number(value: float, locale: Locale) -> str:
    key = (value, locale)
    text = _WRITTEN.get(key)
    if text is None:
        whole, cents = _patterns(locale)
        text = whole.apply(int(value), locale) if float(value).is_integer() else cents.apply(round(value, 2), locale)
        if len(_WRITTEN) < _WRITTEN_MAX:
            _WRITTEN[key] = text
    return text


def _with_code(amount: str, currency: str, locale: Locale) -> str:
    """Put the ISO code where the locale puts its currency sign: before ("USD 5") or after ("5 USD")."""
    pattern = locale.currency_formats["standard"].pattern.lstrip("\u200e\u200f")
    return f"{currency} {amount}" if pattern.startswith("\u00a4") else f"{amount} {currency}"


def format_amount(low: float | None, high: float | None, currency: str, locale: Locale) -> str:
    """Format a range, a single amount, "from X" or "up to X", without the period."""
    if low is not None and high is not None and low != high:
        return _with_code(_number(low, locale) + RANGE_DASH + _number(high, locale), currency, locale)
    if low is not None and high is not None:
        return _with_code(_number(low, locale), currency, locale)
    if low is not None:
        return "from " + _with_code(_number(low, locale), currency, locale)
    if high is not None:
        return "up to " + _with_code(_number(high, locale), currency, locale)
    return ""


@lru_cache(maxsize=16384)
def format_salary(salary: Salary, locale: Locale | str = "en") -> str:
    """Format a salary as given: "USD 51,850 – 171,450 a year", "from EUR 50 an hour" (cached: cards repeat)."""
    loc = locale if isinstance(locale, Locale) else site_locale(locale)
    amount = format_amount(salary.min, salary.max, salary.currency, loc)
    return f"{amount} {PERIOD_WORDS[salary.period]}" if amount else ""


def format_annual(salary: Salary, locale: Locale | str = "en") -> str:
    """Format the yearly equivalent of pay quoted per hour/day/week/month ("" for yearly pay)."""
    if salary.period == "year":
        return ""
    loc = locale if isinstance(locale, Locale) else site_locale(locale)
    low = _round(salary.annual_min) if salary.min is not None else None
    high = _round(salary.annual_max) if salary.max is not None else None
    if low is not None and high is not None:
        return f"about {format_amount(low, high, salary.currency, loc)} a year"
    if low is None and high is None:
        return ""
    one = _with_code(_number(low if low is not None else high, loc), salary.currency, loc)
    return f"{'from' if low is not None else 'up to'} about {one} a year"


def _round(value: float | None) -> float | None:
    return None if value is None else float(round(value))


def annual_min(salary: Salary | None, rates: Mapping[str, float] | None = None) -> float | None:
    """Return the yearly lower bound, converted with ``rates`` (currency -> common unit) if given.

    Without rates the number stays in the posting's currency: the board does not fetch
    exchange rates, so comparing currencies is only as good as the rates the owner supplies.
    """
    if salary is None or salary.annual_min is None:
        return None
    if rates is None:
        return salary.annual_min
    rate = rates.get(salary.currency)
    return None if rate is None else salary.annual_min * rate


def salary_key(rates: Mapping[str, float] | None = None, memo: dict[int, tuple] | None = None
               ) -> Callable[[Posting], tuple]:
    """Return the sort key of ``sort_by_salary``: yearly pay highest first, unsalaried last, then newest, then slug.

    ``memo`` (id of a posting -> its key, for one build and one ``rates``) spares working the
    key out again for every listing the posting is in. Keys are distinct (slugs are).
    """
    def key(posting: Posting) -> tuple:
        low = annual_min(posting.salary, rates)
        high = posting.salary.annual_max if posting.salary and low is not None else None
        if rates is not None and high is not None and posting.salary:
            high *= rates[posting.salary.currency]
        return (low is None, -(low or 0), -(high or 0), -posting.date.toordinal(), posting.slug)

    if memo is None:
        return key

    def remembered(posting: Posting) -> tuple:
        found = memo.get(id(posting))
        if found is None:
            found = memo[id(posting)] = key(posting)
        return found

    return remembered


def sort_by_salary(postings: Iterable[Posting], rates: Mapping[str, float] | None = None,
                   memo: dict[int, tuple] | None = None) -> list[Posting]:
    """Order postings by yearly pay, highest first; postings without a salary come last, never dropped.

    Ties (and the unsalaried tail) keep the newest-first order, then the slug, so output is stable.
    """
    return sorted(postings, key=salary_key(rates, memo))
