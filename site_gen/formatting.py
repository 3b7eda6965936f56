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


def minify_css(text: str) -> str:
    """Drop comments and layout whitespace from a stylesheet: fewer bytes, the same rules."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([{};>])\s*", r"\1", text)
    text = re.sub(r",\s+", ",", text)
    text = re.sub(r"([{;][-a-z]+):\s+", r"\1:", text)
    return text.replace(";}", "}").strip() + "\n"


def _rgb(color: str) -> tuple[int, int, int]:
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    hi, lo = sorted((_luminance(_rgb(a)), _luminance(_rgb(b))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable_on(color: str, background: str, minimum: float = 4.5) -> str:
    """``color`` mixed towards black or white just enough to read on ``background``."""
    target = (0, 0, 0) if _luminance(_rgb(background)) > 0.18 else (255, 255, 255)
    rgb = _rgb(color)
    for step in range(21):
        t = step / 20
        mixed = "#%02x%02x%02x" % tuple(round(c + (e - c) * t) for c, e in zip(rgb, target))
        if contrast(mixed, background) >= minimum:
            return mixed
    return "#%02x%02x%02x" % target


#: Light and dark page surfaces every bundled theme stays within, for contrast checks.
_LIGHT_SURFACE, _DARK_SURFACE = "#eef1f6", "#222933"


def settings_css(config: SiteConfig) -> str:
    """CSS custom properties from site.yaml, served as a file (the CSP forbids inline styles).

    The owner picks one accent colour; link and button colours are derived from it so that text
    keeps a WCAG AA contrast of 4.5:1 in light and dark mode whatever colour was chosen.
    """
    if not config.accent_color or not _COLOR.match(config.accent_color):
        return "/* no accent_color in site.yaml: the theme's own colours apply */\n"
    accent = "#%02x%02x%02x" % _rgb(config.accent_color)
    on_accent = "#ffffff" if contrast("#ffffff", accent) >= 4.5 else "#111111"
    button = accent if contrast(on_accent, accent) >= 4.5 else readable_on(accent, on_accent)
    light_link = readable_on(accent, _LIGHT_SURFACE)
    dark_link = readable_on(accent, _DARK_SURFACE)
    return (f":root{{--accent:{button};--on-accent:{on_accent};--link:{light_link}}}\n"
            f"@media (prefers-color-scheme: dark){{:root{{--link:{dark_link}}}}}\n")
