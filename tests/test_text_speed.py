"""The faster per-posting text work (summary, search words) gives exactly what the old code gave."""
from __future__ import annotations

import html
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tokenise_reference import general_tokenise
from site_gen import markup, search_codec, search_index

# --- the code as it was before the speed-up, kept here as the reference -----------------------
_OLD_TAG = re.compile(r"<[^>]*>")
_OLD_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|tr|blockquote|pre|dd|dt)>|<br\s*/?>", re.I)


def old_html_to_text(fragment: str, limit: int | None = None) -> str:
    if limit is not None and len(fragment) > limit * 8 + 512:
        fragment = fragment[: limit * 8 + 512]
        fragment = fragment[: fragment.rfind("<")] if fragment.rfind("<") > fragment.rfind(">") else fragment
    text = html.unescape(_OLD_TAG.sub("", _OLD_BLOCK_END.sub(r"\g<0> ", fragment)))
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:–—-")
        text = cut + "…"
    return text


def old_description_words(body_html: str) -> str:
    return " ".join(dict.fromkeys(general_tokenise(html.unescape(_OLD_TAG.sub(" ", body_html)))))


# --- generated HTML-like text ----------------------------------------------------------------
WORDS = ["Engineer", "c++", "C#", "f#", ".NET", "asp.net", "node.js", "Zürich", "straße", "ΣΊΣΥΦΟΣ",
         "ﬁnance", "cafe\u0301", "naïve", "you’ll", "“quoted”", "—", "–", "…", "e.g.", "4+", "100%",
         "R&D", "x", "Go", "",  "Ｃ＋＋", "½", "über-cool", "a.b", "#1", "net", "c"]
ENTITIES = ["&amp;", "&lt;", "&gt;", "&#39;", "&quot;", "&nbsp;", "&hellip;", "&#8217;", "&#x2014;",
            "&amp", "&notin;", "&not", "&#123456789;", "&bogus;", "&", "&#", "&#x;", "&AMP;"]
TAGS = ["<p>", "</p>", "<li>", "</li>", "<ul>", "</ul>", "<h2>", "</h2>", "</h6>", "<strong>", "</strong>",
        "<code>", "</code>", "<br>", "<br />", "<br/>", "<br\t/>", "</P>", "</Li>", "<BR>", "</tr>",
        "</td>", "</blockquote>", "</pre>", "</dd>", "</dt>", '<a href="https://x.example/?a=1&amp;b=2">',
        "</a>", '<a title="a<b">', '<a title="x>y">', "<", ">", "</", "<br", "<em>", "</em>"]
SPACES = [" ", "  ", "\n", "\t", "\r\n", "\u00a0", "\u2009", "\u202f", "\u3000", "\x0b", "\x0c",
          "\x1c", "\x85", "\u2028"]
PUNCT = [",", ".", ";", ":", "!", "?", "(", ")", "'", '"', "-", "/", "’", "“", "”", "«", "»", "·",
         "•", "\u2212", "\u0301", "\u0308"]

piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(ENTITIES), st.sampled_from(TAGS),
                  st.sampled_from(SPACES), st.sampled_from(PUNCT),
                  st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=4))
#: Pieces repeated, so that texts often run well past a summary's head (the short cut is exercised).
html_like = st.lists(st.tuples(piece, st.sampled_from(WORDS + SPACES), st.integers(1, 40)), max_size=60).map(
    lambda runs: "".join((a + b) * n for a, b, n in runs))


@settings(max_examples=600, deadline=None)
@given(html_like, st.one_of(st.none(), st.integers(0, 90), st.integers(90, 400)))
@example("<p>" + "word " * 200 + "</p>", 40)
@example("<p>" + "a&amp;b " * 100 + "</p>", 30)
@example('<p>x</p><a title="<' + "y " * 300 + '">z</a>', 10)
@example("<p>abcdefghi" + "<b>" * 41 + "<strong>" + "&notin;" + " word" * 100 + "</p>", 10)  # head ends in "&noti"
def test_html_to_text_matches_the_old_code(fragment: str, limit: int | None) -> None:
    assert markup.html_to_text(fragment, limit) == old_html_to_text(fragment, limit)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["# Title", "Some *words* here, c++ and C#.", "- item one\n- item two",
                                 "> quote “this”", "R&D at Zürich — 4+ years", "", "line  \nbreak",
                                 "| a | b |\n|---|---|\n| 1 | 2 |", "<b>raw</b> &amp; <i>html</i>",
                                 "see https://example.com/x?y=1&z=2", "`code` ﬁle…", "1. first\n2. second"]),
                max_size=60).map("\n\n".join),
       st.integers(0, 400))
def test_summaries_of_rendered_markdown_match_the_old_code(source: str, limit: int) -> None:
    body = markup.render_markdown(source)
    assert markup.html_to_text(body, limit) == old_html_to_text(body, limit)
    assert search_index.description_words(body) == old_description_words(body)


@settings(max_examples=600, deadline=None)
@given(html_like)
@example("C++ and c# and F# on .NET; ASP.NET, node.js — “Zürich” ﬁnance ΣΊΣΥΦΟΣ &amp; R&D &nbsp;x")
@example("<p>Ｃ＋＋ and …net, c\u0301++ and cafe\u0301</p>\x1c\x1dword\u2028word")
def test_description_words_keep_the_rules_search_js_mirrors(body: str) -> None:
    old = old_description_words(body)
    assert search_index.description_words(body) == old
    assert search_codec.tokenise(body) == general_tokenise(body)


def test_long_description_summary_is_cut_at_a_word() -> None:
    body = markup.render_markdown("Intro paragraph about the team.\n\n" + "Build reliable systems. " * 400)
    summary = markup.html_to_text(body, 300)
    assert summary == old_html_to_text(body, 300)
    assert summary.endswith("…") and len(summary) <= 301
    assert summary.startswith("Intro paragraph about the team. Build reliable")
