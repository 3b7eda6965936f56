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


@given(st.text(alphabet="aZq09 -", max_size=95)
       | st.lists(st.text(alphabet="AbCxyz019", min_size=1, max_size=12), max_size=9).map(" ".join)
       | st.sampled_from(["AtlasSystems GmbH", "New York", "São Paulo", "3D Printing", "A - B", "a--b", " a", "a ",
                          "Ünïcode Corp", "x" * 80 + " y", "x" * 81, "C Sharp", "c# dev", "Acme, Inc."]))
def test_plain_names_slug_as_python_slugify_makes_them(text):
    """Words joined by single spaces or hyphens take a short cut; anything else the general path."""
    urls.slugify.cache_clear()
    assert urls.slugify(text, "company") == general_slugify(text, "company")


def casefold_group_counting(postings, names_of):
    """Display spellings as counted per case-folded group, one name at a time (the reference)."""
    from collections import Counter, defaultdict

    spellings = defaultdict(Counter)
    for posting in postings:
        for name in names_of(posting):
            spellings[name.casefold()][name] += 1
    return {key: min(c, key=lambda s: (-c[s], s)) for key, c in spellings.items()}


@given(st.lists(st.lists(st.sampled_from(["Go", "go", "GO", "Rust", "rust", "Straße", "STRASSE", "strasse", "ǅ", "ǆ"]),
                         max_size=4), max_size=12))
def test_each_spelling_maps_to_its_groups_most_used_spelling(names_per_posting):
    from types import SimpleNamespace

    from site_gen.enrich import _canonical_names

    postings = [SimpleNamespace(tags=tuple(names)) for names in names_per_posting]
    mapped = _canonical_names(postings, lambda p: p.tags)
    reference = casefold_group_counting(postings, lambda p: p.tags)
    assert mapped == {name: reference[name.casefold()] for names in names_per_posting for name in names}


def general_strip_invisible(text: str) -> str:
    import unicodedata

    return " ".join(urls._INVISIBLE.sub("", unicodedata.normalize("NFC", text)).split())


@given(st.text(alphabet=" \t\n\x0b\x0c\r\x1c\x1f\x7f\x85\xa0\u200b\u202e\u3000aZ9,.-é\u0301ﬁ", max_size=12)
       | st.text(max_size=20))
def test_strip_invisible_shortcut_matches_the_three_passes(text):
    assert urls.strip_invisible(text) == general_strip_invisible(text)
