"""The Markdown engine gives cmarkgfm's HTML and frees what the C library allocated."""

from __future__ import annotations

import cmarkgfm
from hypothesis import given, settings, strategies as st

from site_gen import markup

PIECES = list("ab |-~*_#>`[]()<>!:/.@\n") + ["www.", "https://", "é", "1. ", "| --- |", "<div>", "&amp;"]
MARKDOWN = st.lists(st.sampled_from(PIECES), max_size=80).map("".join) | st.text(max_size=100)


@settings(max_examples=500, deadline=None)
@given(MARKDOWN)
def test_same_html_as_cmarkgfm(text):
    expected = cmarkgfm.markdown_to_html_with_extensions(text, options=markup._OPTIONS, extensions=markup._EXTENSIONS)
    assert markup._commonmark(text) == expected


def test_tables_strikethrough_and_autolinks_still_work():
    html = markup.render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ see www.example.com")
    assert "<table>" in html and "<del>old</del>" in html and 'href="http://www.example.com"' in html


def resident_mb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 >> 20


def test_rendering_many_descriptions_does_not_keep_memory():
    """cmarkgfm's own call kept ~50 KB per description: 150 MB here, 500 MB per build worker at 10,000."""
    text = "\n\n".join(f"## Part {i}\n\nSome *text* with a [link](https://example.com/{i}) and `code`.\n\n"
                       f"- one\n- two\n\n| a | b |\n|---|---|\n| {i} | x |" for i in range(40))
    markup.render_markdown(text)
    before = resident_mb()
    for _ in range(3000):
        markup.render_markdown(text)
    assert resident_mb() - before < 25


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["# Title", "## Sub", "Some *words*, c++ and C#.", "- item\n- two", "> “quote”",
                                 "R&D — Zürich", "\u00a0", "\u2028", "\u3000", " ", "\n", "<b>raw</b>", "`code`",
                                 "see https://example.com/x", "| a |\n|---|\n| 1 |", "ΣΊΣΥΦΟΣ"]),
                max_size=12).map("".join) | MARKDOWN)
def test_the_utf8_of_a_description_is_its_html_encoded(source):
    """render_markdown_utf8 slices the sanitiser's bytes instead of encoding again: the same bytes."""
    html, raw = markup.render_markdown_utf8(source)
    assert html == markup.render_markdown(source)
    assert raw == html.encode("utf-8")
