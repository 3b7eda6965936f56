"""Output joined into one ``yield`` per run of text and ``{{ }}``: the same text and errors as stock Jinja2."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from site_gen.fast_jinja import FastEnvironment

TEMPLATES = {
    "base.html": "<html lang=\"{{ lang }}\">{% block head %}<title>{{ page.title }} · {{ site }}</title>{% endblock %}\n"
                 "<body class=\"{{ page.kind }}\">{% include 'part.html' %}<main>{% block content %}{% endblock %}"
                 "</main><footer>{{ site }} {{ 3 }} {{ none }} {{ safe }}</footer></body></html>",
    "part.html": "<p>{{ who }} & {{ page.title }}</p>",
    "child.html": "{% extends 'base.html' %}ignored {{ who }} text\n"
                  "{% block head %}{{ super() }}<meta name=\"x\" content=\"{{ who }}\">{% endblock %}"
                  "{% block content %}<h1>{{ page.title }}</h1>{% for j in jobs %}<li>{{ loop.index }}. {{ j }}"
                  "{% if not loop.last %}, {% endif %}</li>{% endfor %}{{ self.head() }}{% endblock %}",
    "maybe.html": "{% if wrap %}{% extends 'base.html' %}{% endif %}before {{ who }} after"
                  "{% block content %}[{{ who }}]{% endblock %}",
    "buffers.html": "{% macro m(x) %}<b>{{ x }}</b> {{ who }}{% endmacro %}{% set s %}<i>{{ who }}</i> {{ 1 }}{% endset %}"
                    "{{ m(who) }} {{ s }} {% filter upper %}{{ who }} <u>{% endfilter %}"
                    "{% macro f() %}({{ caller() }} {{ who }}){% endmacro %}{% call f() %}{{ who }} !{% endcall %}",
    "auto.html": "{% autoescape false %}{{ who }} raw {{ page.title }}{% endautoescape %} {{ who }} esc {{ page.title }}",
    "fails.html": "<p>{{ who }} then {{ nothing.here }} never</p>",
}
CONTEXT = {"lang": "en", "site": "A & <B>", "page": {"title": "T <1>", "kind": "posting"}, "who": "<Ann & Bo>",
           "jobs": ["x<y", "a&b", "c"], "none": None, "safe": Markup("<br>"), "wrap": True}


def environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    options = dict(loader=jinja2.DictLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)
    return jinja2.Environment(**options), FastEnvironment(**options, auto_reload=False, cache_size=-1)


@pytest.mark.parametrize("name", ["base.html", "part.html", "child.html", "maybe.html", "buffers.html", "auto.html"])
@pytest.mark.parametrize("wrap", [True, False])
def test_joined_output_renders_what_stock_jinja_renders(name, wrap):
    stock, fast = environments()
    context = {**CONTEXT, "wrap": wrap}
    expected = stock.get_template(name).render(context)
    assert fast.get_template(name).render(context) == expected
    assert "".join(fast.get_template(name).generate(context)) == expected


def test_a_page_is_passed_on_in_fewer_pieces_than_stock_jinja_yields():
    stock, fast = environments()
    stock_pieces = list(stock.get_template("child.html").generate(CONTEXT))
    fast_pieces = list(fast.get_template("child.html").generate(CONTEXT))
    assert "".join(fast_pieces) == "".join(stock_pieces)
    assert all(type(piece) in (str, Markup) for piece in fast_pieces)
    assert len(fast_pieces) * 2 < len(stock_pieces)


def test_an_error_inside_a_run_of_output_is_raised_as_stock_jinja_raises_it():
    for env in environments():
        with pytest.raises(jinja2.UndefinedError, match="'nothing' is undefined"):
            env.get_template("fails.html").render(CONTEXT)


def test_the_site_theme_pages_are_the_same_with_stock_jinja(tmp_path):
    """Every bundled theme's templates compile with joined output and render what stock Jinja renders."""
    from site_gen.render import PACKAGE_THEMES

    folders = [str(PACKAGE_THEMES / "compact" / "templates"), str(PACKAGE_THEMES / "default" / "templates")]
    options = dict(loader=jinja2.FileSystemLoader(folders), autoescape=True, undefined=jinja2.ChainableUndefined,
                   trim_blocks=True, lstrip_blocks=True)
    fast, stock = FastEnvironment(**options), jinja2.Environment(**options)
    page = {"title": "Jobs <&>", "url": "/tags/", "canonical": "https://x.test/tags/", "description": "d & e",
            "kind": "listing", "feeds": [("Feed <1>", "/feed.xml", "application/atom+xml")]}
    site = {"title": "Board & Co", "language": "en", "description": "All <jobs>", "nav": [{"url": "/a/", "title": "A&"}],
            "post_job_url": "https://x.test/post", "footer_text": "", "logo": ""}
    context = {"page": page, "site": site, "static_url": lambda name: f"/static/{name}", "postings": [],
               "pagination": {"number": 1, "total": 2, "prev_url": None, "next_url": "/tags/page/2/"},
               "count": 0, "heading": "Tag <x>", "terms": [], "kind": "tag", "kind_titles": {"tag": "Tags"},
               "continents": [], "children": {}}
    for name in ["listing.html", "terms.html", "search.html", "404.html", "locations.html"]:
        expected = stock.get_template(name).render(context)
        assert fast.get_template(name).render(context) == expected
        assert "Board &amp; Co" in expected


def _site_environment(tmp_path, theme: str = "default"):
    from site_gen.config import load_config
    from site_gen.render import make_environment

    return make_environment(load_config(tmp_path / "content", theme=theme), {})


def _jobs():
    from geo_helpers import posting

    return [posting("rust-dev", title="Rust <dev> & co", tags=["Rust", "C++"], remote="yes"),
            posting("go-dev", title="Go dev", company="Ünï & <b>", tags=["Go"], locations=["Berlin, Germany"]),
            posting("rust-dev-2", title="Rust dev", tags=["Rust"])]


@pytest.mark.parametrize("theme", ["default", "compact"])
@pytest.mark.parametrize("args", ["", ", 3, brief=true", ", 3", ", brief=true"])
def test_cards_gives_what_a_loop_over_card_gives(tmp_path, theme, args):
    """``{{ cards(jobs) }}`` is the bundled themes' shortcut for the loop owner templates may still write."""
    env = _site_environment(tmp_path, theme)
    jobs = _jobs()
    one_call = env.from_string("{{ cards(jobs%s) }}" % args)
    loop = env.from_string("{%% for job in jobs %%}{{ card(job%s) }}{%% endfor %%}" % args)
    for _ in range(2):  # the second time, every card comes from the memory
        expected = loop.render(jobs=jobs)
        assert one_call.render(jobs=jobs) == expected
        assert expected.count("<li class=\"job-card") == 3 and "Rust &lt;dev&gt; &amp; co" in expected
    assert env.from_string("{{ cards(jobs) }}").render(jobs=[]) == ""


def test_a_card_is_remembered_apart_for_each_heading_level_and_brevity(tmp_path):
    from bs4 import BeautifulSoup

    env = _site_environment(tmp_path)
    job = _jobs()[0]
    card = env.globals["card"]
    for first in [(2, False), (3, True), (3, False), (2, True)] * 2:
        card(*(job, *first))  # fill the memory in every order
        for level, brief in [(2, False), (3, True), (3, False), (2, True)]:
            soup = BeautifulSoup(str(card(job, level, brief)), "html.parser")
            assert soup.find(f"h{level}", class_="job-title").get_text() == "Rust <dev> & co"
            assert bool(soup.select("a.tag")) is not brief
