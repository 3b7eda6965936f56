"""cmark-gfm's autolink extension is left out only where it could not have made a link."""

from __future__ import annotations

import os

import cmarkgfm
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen import markup

EXAMPLES = int(os.environ.get("MARKUP_EXAMPLES", "1500"))
#: Pieces that make (or nearly make) autolinks, links, images, code and escapes.
PIECES = ["://", "http", "https", "ftp", "HTTP", "mailto:", "xmpp:", ":", "/", "//", "w", "ww", "www", ".", "@",
          "&#64;", "&commat;", "&amp;", "\\@", "\\:", "[", "]", "(", ")", "![", "](", "`", "``", "*", "_", "~", "|",
          "<", ">", "\"", "'", "=", " ", "  ", "\n", "\n\n", "- ", "1. ", "> ", "# ", "    ", "```\n", "| --- |\n",
          "example.com", "x.y", "a", "é", "🚀", "[r]: ", "[r]"]
markdown = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


def with_all_extensions(text: str) -> bytes:
    """cmark-gfm's HTML with table, strikethrough and autolink, as cmarkgfm itself makes it."""
    return cmarkgfm.markdown_to_html_with_extensions(
        text, options=markup._OPTIONS, extensions=markup._EXTENSIONS).encode("utf-8")


@settings(max_examples=EXAMPLES, deadline=None)
@given(markdown)
def test_html_is_what_all_three_extensions_give(text):
    assert markup._commonmark_utf8(text.encode("utf-8")) == with_all_extensions(text)


def test_bare_urls_in_text_still_become_links():
    text = "Apply at https://example.com/jobs or [here](https://example.com/apply) (see `http://x.y`)."
    links = BeautifulSoup(markup.render_markdown(text), "html.parser").find_all("a")
    assert [a["href"] for a in links] == ["https://example.com/jobs", "https://example.com/apply"]


def test_addresses_and_www_still_become_links():
    html = markup.render_markdown("Mail jobs&#64;example.com or visit www.example.com")
    links = BeautifulSoup(html, "html.parser").find_all("a")
    assert [a["href"] for a in links] == ["mailto:jobs@example.com", "http://www.example.com"]
