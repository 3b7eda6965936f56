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
