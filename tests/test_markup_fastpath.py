"""Markdown without raw HTML skips nh3, yet the page gets exactly the bytes nh3 would have written.

The property test generates Markdown with every construct cmark-gfm turns into tags (and nasty
URLs, titles, entities and characters) but no ``<``, and checks the fast path against nh3 itself.
"""

from __future__ import annotations

import os

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from site_gen import markup

#: Raise for a long run, e.g. MARKUP_EXAMPLES=200000 python3 -m pytest tests/test_markup_fastpath.py
EXAMPLES = int(os.environ.get("MARKUP_EXAMPLES", "1500"))

SCHEMES = ["", "http:", "https:", "HTTP:", "hTTpS:", "mailto:", "MAILTO:", "javascript:", "JaVaScRiPt:", "data:",
           "vbscript:", "ftp:", "file:", "1http:", "a+b.c-d:", "http", "xn--:", "ja%76ascript:", "java&#x09;script:"]
HOSTS = ["example.com", "EXAMPLE.com", "a.09", "1.2.3.4", "999.1.1.1", "[::1]", "[bad", "xn--zz.com", "XN--abc.de",
         "a_b.com", "-a-.b", "a..b", "example.com.", "ex%41mple.com", "user@example.com", "user:pw@h.io", "例え.jp",
         "ex&amp;ple.com", "h.io:80", "h.io:99999", "h.io:", "h.io:0", "0x7f.1", "a.b.c.d.e.f", ""]
PATHS = ["", "/", "/a/b", "/a?b=1&c=2", "/x#frag", "?q='1'", "#top", "/%zz", "/%3Cscript%3E", "/a\"b", "/a'b",
         "/é", "/a(b)c", "/a\\b", "/&quot;", "/&amp;amp;", "/a%20b", "//x", "/\u00a0", "/*_~", "/@", "/:"]
RELATIVE = ["", "#", "foo/bar", "/abs", "./x", "../y", "//evil.example", "?a=1&b=2", ":foo", "%3Ajavascript:x",
            " javascript:x", "java\tscript:x", "www.example.com", "a@b.co", "\\\\evil"]
url = st.one_of(
    st.builds(lambda s, slashes, h, p: s + slashes + h + p, st.sampled_from(SCHEMES), st.sampled_from(["", "//", "/"]),
              st.sampled_from(HOSTS), st.sampled_from(PATHS)),
    st.sampled_from(RELATIVE),
    st.text(st.characters(codec="utf-8", exclude_characters="<"), max_size=12),
)
TITLE_CHARS = list("ab \"'&;()>\\#") + ["&amp;", "&quot;", "&#39;", "&nbsp;", "\u00a0", "é", "🚀", "&copy;"]
title = st.lists(st.sampled_from(TITLE_CHARS), max_size=8).map("".join)
ENTITIES = ["&amp;", "&quot;", "&#39;", "&#x27;", "&nbsp;", "&copy;", "&#0;", "&#xD800;", "&lt;", "&gt;", "&lt;script&gt;",
            "&#60;", "&#x3c;b&#x3e;", "&bogus;", "&", "&#9999999;", "&NotANumber;", "&#128640;"]
WORD_CHARS = list("abcXYZ019 ,.;:!?'\"&()[]*_~`#=+-/\\|@%$^{}") + ["é", "ß", "日本", "🚀", "\u00a0", "\u200b", "\ufeff",
                                                                 "\u202e", "\t", "\ufffd", "\ufdd0", "\x00", "\x7f",
                                                                 "\x85", "\r", "\x0c"]
word = st.one_of(st.lists(st.sampled_from(WORD_CHARS), min_size=1, max_size=6).map("".join),
                 st.sampled_from(ENTITIES), st.sampled_from(["www.example.com", "https://x.example/a?b&c", "x@y.co",
                                                             "http://a.09", "www.xn--zz.com", "ftp://f.example"]))


def link(text: str, dest: str, tit: str | None, image: bool) -> str:
    """A Markdown inline link or image, with the destination in parentheses (never <...>)."""
    dest = dest.replace(" ", "%20")  # a space would end the destination
    tail = f' "{tit.replace(chr(34), chr(92) + chr(34))}"' if tit is not None else ""
    return f"{'!' if image else ''}[{text}]({dest}{tail})"


inline_atom = st.one_of(
    word,
    st.builds(link, word, url, st.none() | title, st.booleans()),
    st.builds(lambda t, d: f"[{t}](<{d}>)".replace("<", "").replace(">", ""), word, url),
    word.map(lambda w: f"`{w}`"), word.map(lambda w: f"``{w}``"),
)
inline = st.recursive(inline_atom, lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=4).map(" ".join),
    st.builds(lambda m, x: f"{m}{x}{m}", st.sampled_from(["*", "**", "_", "__", "~~", "~", "***"]), inner),
    st.builds(lambda x, y: f"{x}  \n{y}", inner, inner),
    st.builds(lambda x, y: f"{x}\\\n{y}", inner, inner),
    st.builds(lambda t, x: f"[{t}]({x})", inner, url.map(lambda u: u.replace(" ", "%20"))),
), max_leaves=8)
cell = inline.map(lambda s: s.replace("\n", " ").replace("|", "\\|"))


def table(head: list[str], align: list[str], rows: list[list[str]]) -> str:
    """A GFM table (cells escaped), alignment row from ``align``."""
    width = len(head)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align[i % len(align)] for i in range(width)) + "|"]
    lines += ["| " + " | ".join((row + [""] * width)[:width]) + " |" for row in rows]
    return "\n".join(lines)


block = st.recursive(
    st.one_of(
        inline,
        st.builds(lambda n, x: "#" * n + " " + x.replace("\n", " "), st.integers(1, 7), inline),
        st.builds(lambda x, u: f"{x}\n{u}", inline, st.sampled_from(["===", "---"])),
        st.builds(lambda i, c: f"```{i}\n{c}\n```", st.sampled_from(["", "py", 'a"b', "x&amp;y", "c++ {.x}", "é 🚀", "`"]),
                  st.text(st.characters(codec="utf-8", exclude_characters="<"), max_size=30)),
        st.builds(lambda c: "    " + c.replace("\n", "\n    "), inline),
        st.sampled_from(["---", "***", "- - -", "", "[^1]", "[^1]: a note", "- [ ] task", "- [x] done", "1) one",
                         "[ref]: https://example.com/r \"T&'\"", "[ref]", "[x][ref]", "![i][ref]", "\\#", "\\*",
                         "[ref]: javascript:alert(1)", "[ref]: \"no\"", ">", "    ", "\t\tcode"]),
        st.builds(table, st.lists(cell, min_size=1, max_size=3),
                  st.lists(st.sampled_from(["---", ":--", "--:", ":-:"]), min_size=1, max_size=3),
                  st.lists(st.lists(cell, max_size=4), max_size=3)),
    ),
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=4).map("\n\n".join),
        st.builds(lambda m, items: "\n".join(f"{m} " + i.replace("\n", "\n   ") for i in items),
                  st.sampled_from(["-", "*", "+", "1.", "3.", "2)", "- [ ]", "- [x]"]), st.lists(inner, min_size=1, max_size=3)),
        inner.map(lambda x: "> " + x.replace("\n", "\n> ")),
    ),
    max_leaves=10,
)
markdown = st.one_of(block, st.text(st.characters(codec="utf-8", exclude_characters="<")))


def fast_path(text: str) -> str | None:
    """The fast path's HTML for ``text``, or None where it leaves the description to nh3."""
    data = text.encode("utf-8")
    plain = markup._sanitize_plain(data, markup._commonmark_utf8(data))
    return None if plain is None else plain.decode("utf-8")


def nh3_result(text: str) -> str:
    """What ``render_markdown`` returned before the fast path: cmark, then nh3 on everything."""
    return markup._demote_headings(markup.sanitize(markup._commonmark(text))).strip()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(markdown)
def test_fast_path_writes_the_bytes_nh3_writes(text):
    rendered = markup._commonmark(text)
    fast = fast_path(text)
    event("fast path" if fast is not None else "nh3")
    if fast is not None:
        assert fast == markup.sanitize(rendered)
    if markup.nesting_depth(rendered) <= markup.MAX_DEPTH:
        assert markup.render_markdown(text) == nh3_result(text)


def test_fast_path_serves_ordinary_descriptions():
    """The generated test Markdown above would pass vacuously if everything fell back to nh3."""
    text = ("# Title\n\nWe \"ship\" *fast* & **well**, see [the docs](https://example.com/a?b=1&c='2' \"Docs & more\")."
            "\n\n- one\n- two  \n  more\n\n1. `code`\n\n| a | b |\n|:-|-:|\n| ~~x~~ | www.example.com |\n\n---\n\n"
            "```py\nprint('hi')\n```\n\n![logo](https://example.com/l.png) mail jobs@example.com\u00a0today")
    fast = fast_path(text)
    assert fast is not None
    assert fast == markup.sanitize(markup._commonmark(text))


def test_script_links_lose_their_href_on_the_fast_path():
    text = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html,x) [d](vbscript:x) [e](https://ok.example)"
    assert fast_path(text) is not None
    soup = BeautifulSoup(markup.render_markdown(text), "html.parser")
    links = soup.find_all("a")
    assert [a.get("href") for a in links] == [None, None, None, None, "https://ok.example"]
    assert all(a["rel"] == ["nofollow", "noopener", "noreferrer"] for a in links)


def test_images_and_code_classes_are_dropped_on_the_fast_path():
    text = "![x](https://e.example/i.png \"t\")\n\n```js\nx\n```"
    assert fast_path(text) is not None
    soup = BeautifulSoup(markup.render_markdown(text), "html.parser")
    assert soup.find("img") is None
    assert soup.find("code").attrs == {}


def test_raw_html_and_unusual_urls_take_the_full_sanitiser():
    for text in ["<b>x</b>", "a <https://example.com> b", "[x](http://[::1]/)", "[x](http://xn--zz.example)",
                 "[x](http://user@example.com)", "a&#13;b", "[x](http://example.com.)", "[x](a) [y](b \"q&quot;\")"]:
        assert fast_path(text) is None, text
