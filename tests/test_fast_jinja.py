"""The faster Jinja2 environment renders exactly what stock Jinja2 renders, owner templates included."""

from __future__ import annotations

import datetime as dt

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from site_gen.fast_jinja import FastEnvironment, output_escape

TEMPLATES = {
    "base.html": '<title>{% block title %}{{ page.title }} · {{ site.title }}{% endblock %}</title>\n'
                 '{% include "partials/brand.html" %}\n<main>{% block content %}{% endblock %}</main>\n',
    "partials/brand.html": '<a class="brand">{{ site.title[:1] | upper }}{{ site.title }}</a>',
    "listing.html": '{% extends "base.html" %}\n{% block content %}\n'
                    '{% macro badge(text, cls="b") %}<span class="{{ cls }}">{{ text }}</span>{% endmacro %}\n'
                    '{% set note %}<em>{{ site.title }}</em> & co{% endset %}\n'
                    '{% for job in postings %}{{ card(job) }}{{ badge(job.title) }}{{ loop.index }} {{ job.n }}'
                    '{% if not loop.last %}, {% endif %}{% endfor %}\n'
                    '{% call badge_caller() %}{{ note }}{% endcall %}\n'
                    '{% filter upper %}{{ page.title }} <b>{% endfilter %}\n'
                    '{{ ctx_title() }} {{ env_name() }} {{ dt }} {{ flt }} {{ none }} {{ flag }} '
                    '{{ "a" ~ page.title ~ 3 }} {{ page.title | e }} {{ [1, 2] | join(" & ") }} {{ obj }}\n'
                    '{{ obj.shout(page.title) }} {{ obj.page_title() }} {{ dt.isoformat() }} {{ page.title.split("&") }}\n'
                    '{% endblock %}',
}


class HtmlThing:
    def __html__(self) -> str:
        return "<i>already safe</i>"

    def shout(self, text: str) -> str:
        return text.upper() + " <!>"

    @jinja2.pass_context
    def page_title(self, ctx) -> str:
        return ctx["page"]["title"]


def _stop() -> str:
    raise StopIteration


def make(env_class: type[jinja2.Environment]) -> jinja2.Environment:
    env = env_class(loader=jinja2.DictLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
                    trim_blocks=True, lstrip_blocks=True)
    env.globals.update(site={"title": 'Rust & <"Friends">'},
                       card=lambda job: Markup("<li>") + job["title"] + Markup("</li>"),
                       badge_caller=jinja2.pass_context(lambda ctx, caller=None: Markup("[%s]") % caller()),
                       ctx_title=jinja2.pass_context(lambda ctx: ctx["page"]["title"]),
                       env_name=jinja2.pass_environment(lambda env: type(env).__name__.startswith(("Fast", "Env"))),
                       stop=_stop)
    return env


CONTEXT = {"page": {"title": "Jobs <at> 'us' & \"them\""},
           "postings": [{"title": "C++ <dev>", "n": -3}, {"title": "Ops & SRE", "n": 10 ** 20}],
           "dt": dt.date(2024, 5, 1), "flt": 0.1, "none": None, "flag": True, "obj": HtmlThing()}


def test_fast_environment_renders_what_stock_jinja_renders():
    stock = make(jinja2.Environment).get_template("listing.html").render(CONTEXT)
    fast = make(FastEnvironment).get_template("listing.html").render(CONTEXT)
    assert fast == stock
    assert "C++ &lt;dev&gt;" in fast and "&lt;em&gt;" not in fast and "<i>already safe</i>" in fast


def test_undefined_variables_still_stop_the_render():
    env = make(FastEnvironment)
    with pytest.raises(jinja2.UndefinedError, match="missing"):
        env.from_string("<p>{{ missing }}</p>").render()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ card(missing) }}").render()


@pytest.mark.parametrize("undefined", [jinja2.Undefined, jinja2.StrictUndefined])
def test_a_function_raising_stopiteration_gives_undefined_as_in_stock_jinja(undefined):
    results = []
    for env_class in (jinja2.Environment, FastEnvironment):
        env = make(env_class)
        env.undefined = undefined
        try:
            results.append(env.from_string("[{{ stop() }}]").render())
        except jinja2.UndefinedError as exc:
            results.append(f"error: {exc}")
    assert results[0] == results[1]


def test_globals_set_after_a_template_is_loaded_are_seen():
    env = make(FastEnvironment)
    template = env.from_string("{{ late }}")
    env.globals["late"] = "<now>"
    assert template.render() == "&lt;now&gt;"
    assert env.from_string("{{ x }}", globals={"x": 1}).render() == "1"
    assert "x" not in env.globals


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.booleans(), st.floats(allow_nan=False), st.none(),
                 st.text().map(Markup), st.text().map(escape)))
def test_output_escape_gives_markupsafes_text(value):
    assert str(output_escape(value)) == str(escape(value))


def test_the_sites_environment_remembers_tag_urls_and_dates_without_changing_them(tmp_path):
    from site_gen.config import load_config
    from site_gen.formatting import human_date
    from site_gen.render import make_environment
    from site_gen.urls import term_url

    env = make_environment(load_config(tmp_path / "content"), {})
    template = env.from_string("{% for t in tags %}{{ term_url('tag', t) }} {% endfor %}{% for d in days %}"
                               "{{ d | date }}|{% endfor %}")
    tags, days = ["C++", "Go", "C++", "Ünïcode & <b>"], [dt.date(2024, 5, 1), None, dt.date(2024, 5, 1)]
    for _ in range(2):  # the second render comes from the memory
        assert template.render(tags=tags, days=days) == (
            "".join(str(escape(term_url("tag", t))) + " " for t in tags)
            + "".join(human_date(d) + "|" for d in days))


CHILDREN = {
    "base.html": "<h1>{% block title %}Base{% endblock %}</h1>{% block body %}{% endblock %}|{{ shared | default('') }}",
    "only.html": '{% extends "base.html" %}\ntext after extends is dropped\n'
                 "{% block title %}{{ super() }} & {{ page }}{% endblock %}{% block body %}{{ self.title() }}{% endblock %}",
    "grandchild.html": '{% extends "only.html" %}{% block body %}<b>{{ page }}</b>{{ super() }}{% endblock %}',
    "text_first.html": 'Hello {{ page }}{% extends "base.html" %}{% block body %}x{% endblock %}',
    "set_first.html": '{% set shared = "set at the top" %}{% extends "base.html" %}{% block body %}{{ shared }}{% endblock %}',
    "import_first.html": '{% import "macros.html" as m %}{% extends "base.html" %}{% block body %}{{ m.b(page) }}{% endblock %}',
    "macros.html": "{% macro b(x) %}<b>{{ x }}</b>{% endmacro %}",
    "named.html": '{% extends parent %}{% block body %}named {{ page }}{% endblock %}',
    "broken.html": '{% extends "base.html" %}{% block body %}{{ page.missing.deeper }}{% endblock %}',
}


@pytest.mark.parametrize("name, parent_only", [
    ("only.html", "base.html"), ("grandchild.html", "only.html"), ("text_first.html", None),
    ("set_first.html", None), ("import_first.html", None), ("named.html", None), ("base.html", None)])
def test_a_page_that_only_fills_in_its_parents_blocks_renders_as_in_stock_jinja(name, parent_only):
    """Such pages start at the parent (one generator fewer); anything else keeps Jinja's own root."""
    def env(cls):
        return cls(loader=jinja2.DictLoader(CHILDREN), autoescape=True)

    context = {"page": "<Jobs & 'more'>", "parent": "base.html"}
    fast = env(FastEnvironment).get_template(name)
    assert getattr(fast, "_parent_only", None) == parent_only
    assert fast.render(context) == env(jinja2.Environment).get_template(name).render(context)
    assert "".join(fast.generate(context)) == fast.render(context)


def test_an_error_in_a_block_of_such_a_page_is_raised_as_stock_jinja_raises_it():
    env = FastEnvironment(loader=jinja2.DictLoader(CHILDREN), autoescape=True, undefined=jinja2.StrictUndefined)
    assert env.get_template("broken.html")._parent_only == "base.html"
    with pytest.raises(jinja2.UndefinedError, match="missing"):
        env.get_template("broken.html").render(page="x")
