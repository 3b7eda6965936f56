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
_EXTENSIONS = ["table", "strikethrough", "autolink"]  # autolink last: _commonmark_utf8 may leave it out
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_TAG = re.compile(r"<[^>]*>")
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|tr|blockquote|pre|dd|dt)>|<br\s*/?>", re.I)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^>]*)>")
#: A summary is first worked out from the fragment's first ``limit * _HEAD_FACTOR + _HEAD_SLACK``
#: characters: enough for nearly every description (markup is a small share of the head).
_HEAD_FACTOR = 2
_HEAD_SLACK = 128
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
    """Render Markdown with cmark-gfm (see ``_commonmark_utf8``)."""
    return _commonmark_utf8(text.encode("utf-8")).decode("utf-8")


def _commonmark_utf8(data: bytes) -> bytes:
    """Render UTF-8 Markdown to UTF-8 HTML with cmark-gfm, parsing a second time only when needed.

    The autolink extension costs a quarter of cmark's time (it stops the text scanner at every
    "w" and ":"), yet acts only on a raw "www.", on an "@" in text (raw or from an entity) and
    on a raw "://" outside brackets (third_party/cmark/extensions/autolink.c). Without the
    first two, the first parse leaves it out; then any "://" in the HTML that does not open an
    attribute value (a link destination, which the parser consumed) means a second parse with
    it. Either way the HTML is what the three extensions give.
    """
    if _FREERS is None:
        return cmarkgfm.markdown_to_html_with_extensions(
            data.decode("utf-8"), options=_OPTIONS, extensions=_EXTENSIONS).encode("utf-8")
    if not _EXTENSION_HANDLES:
        _cmark.lib.cmark_gfm_core_extensions_ensure_registered()
        _EXTENSION_HANDLES.extend(_cmark.lib.cmark_find_syntax_extension(name.encode()) for name in _EXTENSIONS)
    if b"@" in data or b"&" in data or _WWW.search(data):  # (an entity may make an "@")
        return _cmark_html(data, _EXTENSION_HANDLES)
    html = _cmark_html(data, _EXTENSION_HANDLES[:-1])
    for mark in _SCHEME_MARK.finditer(html):
        if not _OPENS_ATTRIBUTE.search(html, max(0, mark.start() - 40), mark.start()):
            return _cmark_html(data, _EXTENSION_HANDLES)
    return html


_WWW = re.compile(rb"www\.")
_SCHEME_MARK = re.compile(rb"://")
#: What precedes "://" at the start of an attribute value (text has no '="': cmark writes &quot;).
_OPENS_ATTRIBUTE = re.compile(rb'="[A-Za-z][A-Za-z0-9+.-]*\Z')


def _cmark_html(data: bytes, extensions: list) -> bytes:
    """Render with cmark-gfm's C functions and these extensions, freeing the tree and the HTML.

    ``cmarkgfm.markdown_to_html_with_extensions`` never frees the syntax tree nor the HTML
    string (about 50 KB a description): a process rendering 5,000 postings kept 250 MB. This
    drives the same C functions and frees both; without the two C functions
    ``_commonmark_utf8`` falls back to the library's call.
    """
    lib, ffi = _cmark.lib, _cmark.ffi
    node_free, c_free = _FREERS
    parser = lib.cmark_parser_new(_OPTIONS)
    try:
        for extension in extensions:
            lib.cmark_parser_attach_syntax_extension(parser, extension)
        lib.cmark_parser_feed(parser, data, len(data))
        root = lib.cmark_parser_finish(parser)
        try:
            if lib.cmark_node_get_type(root) == lib.CMARK_NODE_NONE:
                raise MarkupError("could not be read as Markdown")
            raw = lib.cmark_render_html(root, _OPTIONS, lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return ffi.string(raw)
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


#: Tags other than those cmark-gfm writes without attributes (the only ones nh3 keeps unchanged).
_SPECIAL_TAG = re.compile(
    rb"<(?!(?:/?(?:li|p|code|h[1-6]|strong|ul|t(?:[dhr]|able|head|body)|em|ol|del|blockquote|pre)|/a)>)[^>]*>"
)
#: The attribute-bearing tags cmark-gfm writes, exactly as it writes them (values escaped, no "<>").
_LINK = re.compile(r'<a href="([^"<>]*)"(?: title="([^"<>]*)")?>')
_DROPPED = re.compile(r'<img src="[^"<>]*" alt="[^"<>]*"(?: title="[^"<>]*")? />')
_CODE_CLASS = re.compile(r'<code class="language-[^"<>]*">')
_UNCHANGED = re.compile(r'<(?:t[hd] align="(?:left|center|right)"|ol start="[0-9]+")>')
_VOID = {"<br />": "<br>", "<hr />": "<hr>"}
#: An href whose fate in nh3 (the Rust url crate) is predictable: cmark's percent-encoded characters
#: only, and for http(s) a plain host name (no IP address, user, IDNA label, trailing dot or odd port).
_PLAIN_HREF = re.compile(r"(?:[A-Za-z0-9._~:/?#\[\]@!$()*+,;=%-]|&amp;|&#x27;)*")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_PLAIN_WEB = re.compile(
    r"https?://(?:(?!xn--)[a-z0-9-]+\.)*(?!xn--)[a-z][a-z0-9-]*(?::[0-9]{1,4})?(?:[/?#]|\Z)", re.I
)
_REL = ' rel="nofollow noopener noreferrer">'


def _href_kept(href: str) -> bool | None:
    """Whether nh3 keeps an href cmark wrote (relative or an allowed scheme); None when unsure."""
    if not _PLAIN_HREF.fullmatch(href):
        return None
    scheme = _SCHEME.match(href)
    if scheme is None:
        return True  # relative: kept as it is
    name = scheme.group(1).lower()
    if name not in URL_SCHEMES:
        return False
    if name == "mailto":
        return None if href[7:8] == "/" else True
    return True if _PLAIN_WEB.match(href) else None


def _nh3_tag(tag: str) -> str | None:
    """How nh3 writes one tag cmark wrote (links get rel, images go); None when unsure."""
    if tag in _VOID:
        return _VOID[tag]
    link = _LINK.fullmatch(tag)
    if link:
        href, title = link.groups()
        kept = _href_kept(href)
        if kept is None or (title is not None and "&quot;" in title):
            return None  # (text quotes are unescaped below, title quotes are not)
        start = '<a href="' + href.replace("&#x27;", "'") + '"' if kept else "<a"
        return start + (' title="' + title + '"' if title is not None else "") + _REL
    if _DROPPED.fullmatch(tag):
        return ""
    if _CODE_CLASS.fullmatch(tag):
        return "<code>"
    return tag if _UNCHANGED.fullmatch(tag) else None


class _Unsure(Exception):
    """A tag the fast path cannot predict nh3's treatment of."""


def _sanitize_plain(source: bytes, fragment: bytes) -> bytes | None:
    """What nh3 makes of cmark's HTML (UTF-8) for Markdown without raw HTML; None when unsure.

    Without a "<" in the Markdown, cmark writes only its own well-nested tags and escapes every
    "<" and ">" in text and attributes, so the HTML parser inside nh3 builds the same tree and its
    serialiser changes only: void tags, images (dropped), code classes, links (rel added, a
    disallowed scheme's href dropped, &#x27; unescaped), &quot; in text and no-break spaces.
    Works on bytes: UTF-8 never has an ASCII byte inside a multi-byte character, and bytes
    search faster than text with non-Latin-1 characters.
    """
    if b"<" in source or b"\r" in fragment or b"\x00" in fragment:
        return None  # the HTML parser turns CR into LF and drops NUL
    links = 0

    def rewrite(match: re.Match) -> bytes:
        nonlocal links
        tag = match.group()
        cleaned = _CLEANED_TAGS.get(tag)
        if cleaned is None:
            text = _nh3_tag(tag.decode("utf-8"))
            if text is None:
                raise _Unsure
            cleaned = text.encode("utf-8")
            if tag.startswith(b"<a "):
                links += 1
            elif len(_CLEANED_TAGS) < 256:
                _CLEANED_TAGS[tag] = cleaned
        return cleaned

    try:
        fragment = _SPECIAL_TAG.sub(rewrite, fragment)
    except _Unsure:
        return None
    if links > 1 and not all(b"</a>" in part for part in fragment.split(b"<a ")[1:]):
        return None  # a link inside a link: the parser would restructure it
    if b"&" in fragment:  # (one-byte searches are the fast ones)
        fragment = fragment.replace(b"&quot;", b'"')
    return fragment.replace(b"\xc2\xa0", b"&nbsp;") if b"\xc2" in fragment else fragment


#: nh3's version of tags other than links, by cmark's (a few kinds: br, hr, code classes, alignments).
_CLEANED_TAGS: dict[bytes, bytes] = {}


def _demote_headings(fragment: str) -> str:
    """Shift headings down one level when a description uses h1: the page title is the only h1."""
    if "<h1" not in fragment:
        return fragment
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + 1, 6)}", fragment)


def render_markdown(text: str) -> str:
    """Render untrusted Markdown to sanitised HTML that is safe to put on a page.

    Raises MarkupError when the HTML nests deeper than MAX_DEPTH (it would stall the sanitiser).
    """
    return render_markdown_utf8(text)[0]


def render_markdown_utf8(text: str) -> tuple[str, bytes]:
    """``render_markdown(text)`` and the same HTML as UTF-8 (a posting keeps both; see ``Posting.html_utf8``).

    Usually the UTF-8 is a slice of what the sanitising fast path made, not a second encoding of
    the text (~4.5 us of a 6 KB description that has a dash or a curly quote).
    """
    data = text.encode("utf-8")
    rendered = _commonmark_utf8(data)
    if rendered.count(b"<") - rendered.count(b"</") > MAX_DEPTH:  # nesting_depth's first bound, on bytes
        if nesting_depth(rendered.decode("utf-8")) > MAX_DEPTH:
            raise MarkupError(f"nests HTML elements more than {MAX_DEPTH} levels deep (lists, quotes or tags); refused")
    plain = _sanitize_plain(data, rendered)
    if plain is None:
        html = _demote_headings(sanitize(rendered.decode("utf-8"))).strip()
        return html, html.encode("utf-8")
    cleaned = plain.decode("utf-8")
    if "<h1" in cleaned:  # headings change: encode the result
        html = _demote_headings(cleaned).strip()
        return html, html.encode("utf-8")
    # str.strip() drops what str.isspace() calls space from both ends (a newline, as a rule):
    # cut the same characters off the UTF-8.
    start, end = 0, len(cleaned)
    while start < end and cleaned[start].isspace():
        start += 1
    while end > start and cleaned[end - 1].isspace():
        end -= 1
    head, tail = len(cleaned[:start].encode("utf-8")), len(cleaned[end:].encode("utf-8"))
    return cleaned[start:end], plain[head:len(plain) - tail]


def html_to_text(fragment: str, limit: int | None = None) -> str:
    """Plain text of sanitised HTML, whitespace collapsed; cut at a word near ``limit``.

    The input is our sanitiser's output (well-formed, no scripts or comments), so a
    tag-stripping pass is exact here and much cheaper than a full parse.
    """
    if limit is not None:
        head = _head_text(fragment, limit)
        if head is not None:
            return _cut(head, limit)
    if limit is not None and len(fragment) > limit * 8 + 512:
        fragment = fragment[: limit * 8 + 512]
        fragment = fragment[: fragment.rfind("<")] if fragment.rfind("<") > fragment.rfind(">") else fragment
    text = html.unescape(_TAG.sub("", _BLOCK_END.sub(r"\g<0> ", fragment)))
    text = " ".join(text.split())  # the same whitespace as \s, without a call per space
    if limit is not None and len(text) > limit:
        text = _cut(text, limit)
    return text


def _cut(text: str, limit: int) -> str:
    """``text`` cut at the last word that ends within ``limit`` characters, with an ellipsis."""
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:–—-") + "…"


def _head_text(fragment: str, limit: int) -> str | None:
    """The collapsed text of a short head of ``fragment`` when it already runs past ``limit``, else None.

    Worth it because a summary needs ~300 characters of a description several thousand long.
    Exact: the head is a prefix of what the whole pass reads (both cut at a last unclosed "<"),
    it ends outside any tag (each "<" in it has a ">" after it, so every tag match, block end
    included, lies wholly inside it), it is text only up to its last "&"
    (an entity reference never reaches past the next "&"), and collapsing the whitespace of
    a prefix gives a prefix of the collapsed whole.
    """
    size = limit * _HEAD_FACTOR + _HEAD_SLACK  # less than the whole pass's cut, limit * 8 + 512
    if len(fragment) <= size:
        return None
    lt = fragment.rfind("<", 0, size)
    if lt > fragment.rfind(">", 0, size):
        size = lt
        if fragment.rfind("<", 0, size) > fragment.rfind(">", 0, size):
            return None  # a "<" inside an attribute value: leave it to the whole pass
    text = _TAG.sub("", _BLOCK_END.sub(r"\g<0> ", fragment[:size]))
    amp = text.rfind("&")
    if amp >= 0:
        text = html.unescape(text[:amp])
    text = " ".join(text.split())
    return text if len(text) > limit else None


def is_safe_url(url: str) -> bool:
    """True for http(s) and mailto URLs: the only schemes a posting's links may use.

    Quotes, angle brackets, backticks, backslashes, spaces and control characters are refused too.
    """
    scheme, sep, _ = url.partition(":")
    return (bool(sep) and scheme.lower() in URL_SCHEMES
            and not _URL_REFUSED.search(url))

