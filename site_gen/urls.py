"""The one home of slugs, URLs and output paths.

Templates use ``posting.url`` / ``term.url`` and never join paths themselves.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from functools import lru_cache

from slugify import slugify as _slugify

from .errors import Problem

#: Characters that change a term's meaning and must survive slugging (c, c++ and c# differ).
_SYMBOLS = (("c++", "cpp"), ("c#", "csharp"), ("f#", "fsharp"), (".net", "dotnet"), ("+", "-plus-"), ("#", "-sharp-"))
#: Invisible, direction-changing and control characters removed from titles and tags: they can
#: spoof text (a right-to-left override flips "exe.doc" around), hide words from search, or make
#: feeds invalid XML. Zero-width joiners go too, even though emoji sequences use them.
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"  # C0/C1 controls (tab and newlines are spaces)
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f]"
)
MAX_SLUG = 80
_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: ASCII words joined by single spaces or hyphens ("AtlasSystems GmbH", "New York"): python-slugify
#: lowers them and makes each space a hyphen, nothing more (tested against it).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*")


def strip_invisible(text: str) -> str:
    """Remove zero-width and bidirectional-override characters, and collapse whitespace."""
    # Most values (titles, tags, places) are printable ASCII with single spaces: already in NFC,
    # with nothing invisible (in ASCII only controls are, and they are not printable) and nothing
    # to collapse. Checking that takes half the time of the three passes (~10 values a posting).
    if (text.isascii() and text.isprintable() and "  " not in text
            and text[:1] != " " and text[-1:] != " "):
        return text
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", text)).split())


@lru_cache(maxsize=65536)
def slugify(text: str, fallback_prefix: str = "item") -> str:
    """Make a lowercase ASCII slug that is safe as one URL path segment.

    Text that transliterates to nothing (emoji, punctuation) gets a stable hash-based slug,
    so every title and tag has a valid, unique-ish URL.
    """
    if len(text) <= MAX_SLUG and _PLAIN_SLUG.fullmatch(text):
        return text  # already a slug (most file names): what python-slugify would return, 40 µs sooner
    if len(text) <= MAX_SLUG and _PLAIN_NAME.fullmatch(text):
        return text.lower().replace(" ", "-")  # most company and place names: ~4.5 -> ~0.5 us, once per name
    lowered = strip_invisible(text).lower()
    for symbol, word in _SYMBOLS:
        lowered = lowered.replace(symbol, f" {word} ")
    slug = _slugify(lowered, max_length=MAX_SLUG, word_boundary=True)
    if not slug:
        slug = f"{fallback_prefix}-" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return slug


def term_url(kind: str, name: str) -> str:
    """URL of the page of a tag, location or company, from its display name."""
    from .model import KIND_FOLDER

    return f"/{KIND_FOLDER[kind]}/{slugify(name, kind)}/"


def output_path(url: str) -> str:
    """Map a site URL (``/jobs/x/``) to the file that serves it (``jobs/x/index.html``)."""
    path = url.lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    try:
        return normal_path(path)
    except ValueError:
        raise ValueError(f"output path escapes the output folder: {url!r}") from None


def normal_path(relative: str) -> str:
    """Return a relative output path normalised; ValueError when it would leave the output folder.

    The check is lexical, and runs for every page: a path with no empty, "." or ".." segment,
    no leading or trailing slash, backslash or NUL is already normal and is returned as it is
    (``posixpath.normpath`` costs ~1.5 us a path).
    """
    if (relative and relative[0] not in "/." and relative[-1] != "/" and "//" not in relative
            and "/." not in relative and "\\" not in relative and "\0" not in relative):
        return relative
    norm = posixpath.normpath(relative)
    if (not relative or norm in (".", "..") or norm.startswith("../") or posixpath.isabs(norm)
            or "\\" in relative or "\0" in relative):
        raise ValueError(f"output path escapes the output folder: {relative!r}")
    return norm


def page_url(base: str, page: int) -> str:
    """URL of page ``page`` (1-based) of a paginated listing whose first page is ``base``."""
    return base if page == 1 else f"{base}page/{page}/"


def find_collisions(items: list[tuple[str, str]], what: str) -> list[Problem]:
    """List every pair of sources that claim the same slug (``items`` is ``(slug, source)``)."""
    seen: dict[str, str] = {}
    problems = []
    for slug, source in items:
        if slug in seen:
            problems.append(Problem(source, "slug", f"{what} slug {slug!r} is already used by {seen[slug]}",
                                    "rename one file or set a different `slug:`"))
        else:
            seen[slug] = source
    return problems


#: Feed file names of a listing page, by format.
FEED_FILES = {"atom": "feed.xml", "json": "feed.json"}


def feed_url(base: str, fmt: str = "atom") -> str:
    """URL of the feed of the listing whose first page is ``base`` (``/tags/go/`` -> ``/tags/go/feed.xml``)."""
    return base + FEED_FILES[fmt]
