"""Shortcuts for the usual case answer exactly what the general code answers."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from hypothesis import given, strategies as st
from slugify import slugify as python_slugify

from site_gen import urls, validate


def general_is_http(value: str) -> bool:
    try:
        parts = urlsplit(value)
        return parts.scheme.lower() in ("http", "https") and bool((parts.hostname or "").strip("."))
    except ValueError:
        return False


def general_slugify(text: str, fallback: str = "item") -> str:
    lowered = urls.strip_invisible(text).lower()
    for symbol, word in urls._SYMBOLS:
        lowered = lowered.replace(symbol, f" {word} ")
    slug = python_slugify(lowered, max_length=urls.MAX_SLUG, word_boundary=True)
    return slug or f"{fallback}-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


@given(st.sampled_from(["http://", "https://", "HTTP://", "http:/", "", "https://a.b"])
       .flatmap(lambda head: st.text(alphabet="htps:/.ab-9[]@?#%: é\tA", max_size=14).map(lambda tail: head + tail)))
def test_link_check_matches_urlsplit(value):
    assert validate._is_http(value) == general_is_http(value)


@given(st.text(alphabet="ab09-x", max_size=90) | st.text(max_size=30))
def test_slugs_match_python_slugify(text):
    urls.slugify.cache_clear()
    assert urls.slugify(text) == general_slugify(text)
