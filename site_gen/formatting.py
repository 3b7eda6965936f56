"""Small, deterministic text formatters shared by templates and feeds."""

from __future__ import annotations

import datetime as dt
import re

from .config import SiteConfig
from .model import Salary

_PERIOD_WORDS = {"hour": "an hour", "day": "a day", "week": "a week", "month": "a month", "year": "a year"}
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def human_date(day: dt.date | None) -> str:
    """``2024-05-01`` as ``1 May 2024`` (locale-independent, so builds are reproducible)."""
    return "" if day is None else f"{day.day} {day:%b %Y}"


def _amount(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def salary(value: Salary | None) -> str:
    """``USD 51,850 – 171,450 a year``; one bound gives ``from …`` or ``up to …``."""
    if value is None:
        return ""
    period = _PERIOD_WORDS[value.period]
    if value.min is not None and value.max is not None:
        amount = _amount(value.min) if value.min == value.max else f"{_amount(value.min)} – {_amount(value.max)}"
        return f"{value.currency} {amount} {period}"
    if value.min is not None:
        return f"from {value.currency} {_amount(value.min)} {period}"
    return f"up to {value.currency} {_amount(value.max)} {period}"


def apply_label(url: str) -> str:
    """Human text for an apply link: the e-mail address for mailto:, else the host."""
    if url.lower().startswith("mailto:"):
        return url[7:].split("?", 1)[0]
    return re.sub(r"^https?://(www\.)?", "", url).split("/", 1)[0]


def settings_css(config: SiteConfig) -> str:
    """CSS custom properties from site.yaml, served as a file (the CSP forbids inline styles)."""
    accent = config.accent_color if _COLOR.match(config.accent_color) else "#2459d6"
    return f":root{{--accent:{accent}}}\n"
