"""Markdown to safe HTML, and HTML to plain text: the one place posting text is rendered.

cmarkgfm (CommonMark + GitHub tables, strikethrough, autolinks) renders ~30x faster than
Python-Markdown on real postings (see bench/README.md), and nh3 (the Rust ``ammonia``
sanitiser) removes everything a third-party posting must not bring: scripts, iframes,
event handlers, styles and any URL scheme but http, https and mailto.
"""

from __future__ import annotations

import ctypes
import html
import re

import cmarkgfm
import nh3
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

#: Tags a description may keep after sanitising.
ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "dl", "dt", "dd",
    "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "mark", "small", "abbr",
    "code", "pre", "kbd", "samp", "blockquote", "a", "table", "thead", "tbody", "tfoot",
    "tr", "th", "td", "caption", "span", "div",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto"}
#: Characters no link needs raw (quotes, angle brackets, backslash, backtick: what attribute-injection
#: attempts are made of), white space (as str.isspace sees it) and control characters.
_URL_REFUSED = re.compile(r'[\s\x00-\x1f\x7f"<>\\`]')
#: How deeply a description's HTML may nest. html5ever (inside nh3) checks element scope by
#: walking the open-element stack, so 20,000 nested <div>s take seconds and 100,000 minutes;
#: real postings nest a handful of levels.
MAX_DEPTH = 100
#: Elements that never nest (void) or close themselves when a sibling opens (optional end tag).
_FLAT = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th option optgroup rt rp thead tbody tfoot colgroup caption".split()
)

_OPTIONS = Options.CMARK_OPT_UNSAFE  # raw HTML goes to nh3, not to visitors
#: GitHub's extensions except "tagfilter": that one escapes <script>, <style> and <iframe> into
#: visible text, where nh3 drops them with their contents, as a description should.
_EXTENSIONS = ["table", "strikethrough", "autolink"]
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|tr|blockquote|pre|dd|dt)>|<br\s*/?>", re.I)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^>]*)>")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INNERMOST = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)\b[^<>]*>[^<]*</\1\s*>")


class MarkupError(ValueError):
    """A description the sanitiser must not be given (the build reports it by file)."""


def _c_freers() -> tuple | None:
    """cmark's ``cmark_node_free`` and the C library's ``free``, or None where they cannot be loaded."""
    try:
        node_free = ctypes.CDLL(_cmark.__file__).cmark_node_free
        c_free = ctypes.CDLL(None).free
    except (OSError, AttributeError, TypeError):
        return None
    for function in (node_free, c_free):
        function.argtypes, function.restype = [ctypes.c_void_p], None
    return node_free, c_free


_FREERS = _c_freers()
_EXTENSION_HANDLES: list = []


def _commonmark(text: str) -> str:
    """Render Markdown with cmark-gfm and free what it allocated.

    ``cmarkgfm.markdown_to_html_with_extensions`` never frees the syntax tree nor the HTML
    string (about 50 KB a description): a process rendering 5,000 postings kept 250 MB. This
    drives the same C functions and frees both; without the two C functions it falls back to
    the library's call.
    """
    if _FREERS is None:
        return cmarkgfm.markdown_to_html_with_extensions(text, options=_OPTIONS, extensions=_EXTENSIONS)
    lib, ffi = _cmark.lib, _cmark.ffi
    if not _EXTENSION_HANDLES:
        lib.cmark_gfm_core_extensions_ensure_registered()
        _EXTENSION_HANDLES.extend(lib.cmark_find_syntax_extension(name.encode()) for name in _EXTENSIONS)
    node_free, c_free = _FREERS
    parser = lib.cmark_parser_new(_OPTIONS)
    try:
        for extension in _EXTENSION_HANDLES:
            lib.cmark_parser_attach_syntax_extension(parser, extension)
        data = text.encode("utf-8")
        lib.cmark_parser_feed(parser, data, len(data))
        root = lib.cmark_parser_finish(parser)
        try:
            if lib.cmark_node_get_type(root) == lib.CMARK_NODE_NONE:
                raise MarkupError("could not be read as Markdown")
            raw = lib.cmark_render_html(root, _OPTIONS, lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return ffi.string(raw).decode("utf-8")
            finally:
                c_free(int(ffi.cast("uintptr_t", raw)))
        finally:
            node_free(int(ffi.cast("uintptr_t", root)))
    finally:
        lib.cmark_parser_free(parser)


def nesting_depth(fragment: str, limit: int = MAX_DEPTH) -> int:
    """Deepest element nesting of an HTML fragment, as a browser would build it; stops past ``limit``."""
    opening = fragment.count("<") - fragment.count("</")  # closing tags add no depth: an upper bound
    if opening <= limit:
        return opening
    if "<!--" in fragment:
        fragment = _COMMENT.sub("", fragment)
    for _ in range(4):  # drop innermost <x>text</x> pairs (depth-neutral) so the loop below is short
        if fragment.count("<") <= limit:
            return fragment.count("<")  # an upper bound, and within the limit
        reduced = _INNERMOST.sub("", fragment)
        if len(reduced) == len(fragment):
            break
        fragment = reduced
    stack: list[str] = []
    deepest = 0
    for closing, name, rest in _TAG_NAME.findall(fragment):
        name = name.lower()
        if name in _FLAT or rest.endswith("/"):
            continue
        if not closing:
            stack.append(name)
            if len(stack) > deepest:
                deepest = len(stack)
                if deepest > limit:
                    break
        elif stack and stack[-1] == name:
            stack.pop()
        elif name in stack:
            del stack[len(stack) - 1 - stack[::-1].index(name):]
    return deepest


#: The sanitiser, configured once (``nh3.clean`` converts its settings again on every call).
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="nofollow noopener noreferrer",
    strip_comments=True,
)


def sanitize(fragment: str) -> str:
    """Keep only the allowed tags, attributes and URL schemes of an HTML fragment."""
    return _CLEANER.clean(fragment)


def _demote_headings(fragment: str) -> str:
    """Shift headings down one level when a description uses h1: the page title is the only h1."""
    if "<h1" not in fragment:
        return fragment
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", fragment)


def render_markdown(text: str) -> str:
    """Render untrusted Markdown to sanitised HTML that is safe to put on a page.

    Raises MarkupError when the HTML nests deeper than MAX_DEPTH (it would stall the sanitiser).
    """
    rendered = _commonmark(text)
    depth = nesting_depth(rendered)
    if depth > MAX_DEPTH:
        raise MarkupError(f"nests HTML elements more than {MAX_DEPTH} levels deep (lists, quotes or tags); refused")
    return _demote_headings(sanitize(rendered)).strip()


def html_to_text(fragment: str, limit: int | None = None) -> str:
    """Plain text of sanitised HTML, whitespace collapsed; cut at a word near ``limit``.

    The input is our sanitiser's output (well-formed, no scripts or comments), so a
    tag-stripping pass is exact here and much cheaper than a full parse.
    """
    if limit is not None and len(fragment) > limit * 8 + 512:
        fragment = fragment[: limit * 8 + 512]
        fragment = fragment[: fragment.rfind("<")] if fragment.rfind("<") > fragment.rfind(">") else fragment
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub(r"\g<0> ", fragment)))
    text = " ".join(text.split())  # the same whitespace as \s, without a call per space
    if limit is not None and len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:–—-")
        text = cut + "…"
    return text


def is_safe_url(url: str) -> bool:
    """True for http(s) and mailto URLs: the only schemes a posting's links may use.

    Quotes, angle brackets, backticks, backslashes, spaces and control characters are refused too.
    """
    scheme, sep, _ = url.partition(":")
    return (bool(sep) and scheme.lower() in URL_SCHEMES
            and not _URL_REFUSED.search(url))

