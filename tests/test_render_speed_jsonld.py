"""JSON-LD through orjson: byte for byte the text ``json.dumps`` gives, however hostile the values."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given, settings, strategies as st
from markupsafe import Markup

from seo_helpers import CONFIG, posting
from site_gen import jsonld


def reference(data) -> str:
    """What script_json wrote before orjson: json.dumps, then the five escapes."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)

HOSTILE = [
    {"description": EVERY_CHARACTER},
    {"description": "</script><script>alert(1)</script><!-- & \u2028\u2029 -->", "title": "\"quoted\" \\ back"},
    {"é": 1, "e": 2, "Z": 3, "ß": [None, True, False], "\U0001f600": {"b": 0, "a": -1}},
    {"big": 2 ** 70, "small": -(2 ** 63) - 1, "edge": [2 ** 64 - 1, -(2 ** 63)]},
    {"floats": [1e16, 1.5e-07, 1e-05, 5.0, 52.5, 1e300, -0.0, float("nan"), float("inf")]},
    {"surrogate": "lone \ud800 half"},
    {"near": "\u2014 \u2027 \u20a8 \u2014", "only": "\u2014\u2029\u2014", "first": "\u2028 \u2014"},  # same lead bytes
    {"markup": Markup("<b>bold</b>"), "tuple": ("a", ("b", 1))},
    {"control": "".join(chr(c) for c in range(32)) + "\x7f\x85\xa0\u200b\ufeff"},
    [1, "two", {"three": 3.0}],
    "just a string <with> &",
    42,
    None,
]


@pytest.mark.parametrize("data", HOSTILE, ids=range(len(HOSTILE)))
def test_script_json_matches_json_dumps_on_hostile_values(data):
    assert jsonld.script_json(data) == reference(data)


def test_non_string_keys_still_fail_or_sort_as_json_does():
    assert jsonld.script_json({1: "a", 0: "b"}) == reference({1: "a", 0: "b"})
    with pytest.raises(TypeError):
        jsonld.script_json({"a": object()})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_script_json_matches_json_dumps_on_any_json_value(data):
    assert jsonld.script_json(data) == reference(data)


def test_a_job_posting_takes_the_fast_path_and_cannot_end_its_script_block(monkeypatch):
    data = {"@type": "JobPosting", "title": "Dev </script>", "description": "<p>Pay & perks\u2028</p>" * 200,
            "baseSalary": {"value": {"minValue": 50000, "maxValue": 70000}}}
    expected = reference(data)
    monkeypatch.setattr(json, "dumps", lambda *a, **k: pytest.fail("plain data should not need json.dumps"))
    text = jsonld.script_json(data)
    assert text == expected
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert orjson.loads(text) == data


@pytest.mark.parametrize("body", ["", " ", "\n\t \u00a0\u2003\u3000\n"])
def test_a_description_of_only_whitespace_is_left_out_with_a_warning(body):
    data, warnings = jsonld.job_posting(posting(locations=("Berlin, Germany",), body_html=body), CONFIG)
    assert "description" not in data
    assert [w.message for w in warnings if "description is empty" in w.message]


def test_a_description_keeps_its_surrounding_whitespace():
    body = "\n <p>Build things – together.</p>\n\n"
    data, warnings = jsonld.job_posting(posting(locations=("Berlin, Germany",), body_html=body), CONFIG)
    assert data["description"] == body
    assert not [w for w in warnings if "description" in w.message]


@pytest.mark.parametrize("data", HOSTILE, ids=range(len(HOSTILE)))
def test_canonical_json_matches_json_dumps_on_hostile_values(data):
    """The search index and the JSON Feed are written by jsontext.canonical_json: json.dumps's text exactly."""
    from site_gen.jsontext import canonical_json

    assert canonical_json(data) == json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@given(json_values)
def test_canonical_json_matches_json_dumps(data):
    from site_gen.jsontext import canonical_json

    assert canonical_json(data) == json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
