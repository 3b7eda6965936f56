"""Includes compiled to ``yield from``, lazy context parts and remembered templates: stock Jinja2's output."""

from __future__ import annotations

import jinja2
import pytest
from jinja2.runtime import Context

from site_gen.fast_jinja import FastContext, FastEnvironment

TEMPLATES = {
    "part.html": "<p>{{ who }} {{ page.title }}{% if extra is defined %} +{{ extra }}{% endif %}</p>",
    "loop.html": "{% for i in range(3) %}[{% include 'part.html' %}:{{ i }}]{% endfor %}",
    "buffered.html": "{% macro box() %}<div>{% include 'part.html' %}</div>{% endmacro %}"
                     "{% set kept %}<s>{% include 'part.html' %}</s>{% endset %}"
                     "{{ box() }}|{{ kept }}|{% filter upper %}{% include 'part.html' %}{% endfilter %}"
                     "{% macro frame() %}({{ caller() }}){% endmacro %}"
                     "{% call frame() %}{% include 'part.html' %}{% endcall %}",
    "variants.html": "{% include 'missing.html' ignore missing %}"
                     "{% include 'static.html' without context %}"
                     "{% include name %}{% include ['nope.html', 'part.html'] %}"
                     "{% with extra = 'local' %}{% include 'part.html' %}{% endwith %}",
    "static.html": "<hr>",
    "macros.html": "{% macro hello(n) %}hi {{ n }} {% include 'static.html' %}{% endmacro %}",
    "imports.html": "{% import 'macros.html' as m with context %}{% from 'macros.html' import hello %}"
                    "{{ m.hello(1) }} {{ hello(2) }}",
    "auto.html": "{% autoescape false %}{{ raw }}{% endautoescape %} {{ raw }} {{ raw | replace('<', '[') }}",
    "child.html": "{% extends 'base.html' %}{% block body %}{% include 'part.html' %}{{ super() }}{% endblock %}",
    "base.html": "<main>{% block body %}<i>base</i>{% endblock %}</main>{% include 'part.html' %}",
    "fails.html": "{% include 'part.html' %}{% include 'broken.html' %}",
    "broken.html": "{{ nothing.here }}",
}
CONTEXT = {"who": "<Ann & Bo>", "page": {"title": "T <1>"}, "name": "part.html", "raw": "<b>x</b>"}


def environments():
    options = dict(loader=jinja2.DictLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)
    return jinja2.Environment(**options), FastEnvironment(**options, auto_reload=False, cache_size=-1)


@pytest.mark.parametrize("name", [n for n in TEMPLATES if n not in ("fails.html", "broken.html")])
def test_includes_imports_and_autoescape_render_as_in_stock_jinja(name):
    stock, fast = environments()
    expected = stock.get_template(name).render(**CONTEXT)
    assert fast.get_template(name).render(**CONTEXT) == expected
    assert fast.get_template(name).render(**CONTEXT) == expected  # again, from the remembered template


def test_an_error_inside_an_include_still_stops_the_render():
    _, fast = environments()
    with pytest.raises(jinja2.UndefinedError, match="nothing"):
        fast.get_template("fails.html").render(**CONTEXT)


def test_a_closed_page_closes_its_includes():
    _, fast = environments()
    stream = fast.get_template("loop.html").generate(**CONTEXT)
    assert next(stream) == "["
    assert next(stream).startswith("<p>")
    stream.close()  # no error, and nothing left running


def test_a_fast_context_has_what_a_stock_context_has():
    _, fast = environments()
    template = fast.get_template("part.html")
    context = template.new_context(dict(CONTEXT))
    stock = Context(fast, dict(CONTEXT), "part.html", template.blocks, globals=template.globals)
    assert isinstance(context, FastContext)
    for name in vars(stock):
        assert hasattr(context, name), name
    assert context.globals_keys == stock.globals_keys
    assert context.eval_ctx.autoescape == stock.eval_ctx.autoescape
    assert context.eval_ctx is context.eval_ctx  # made once, then kept (autoescape blocks change it)


def test_remembered_templates_are_the_loaded_ones_and_reloading_still_works(tmp_path):
    (tmp_path / "a.html").write_text("one")
    fast = FastEnvironment(loader=jinja2.FileSystemLoader(str(tmp_path)), auto_reload=False, cache_size=-1)
    assert fast.get_template("a.html") is fast.get_template("a.html")
    with_globals = fast.get_template("a.html", globals={"x": 1})
    assert with_globals.render() == "one"
    reloading = FastEnvironment(loader=jinja2.FileSystemLoader(str(tmp_path)), auto_reload=True)
    assert reloading.get_template("a.html").render() == "one"
    (tmp_path / "a.html").write_text("two!")
    import os
    os.utime(tmp_path / "a.html", (1, 1))  # a different mtime: Jinja reloads it
    assert reloading.get_template("a.html").render() == "two!"
