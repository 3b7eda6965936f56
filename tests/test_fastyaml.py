"""The front-matter fast path answers exactly what PyYAML answers, or leaves the text to PyYAML."""

from __future__ import annotations


import yaml
from hypothesis import example, given, settings, strategies as st

from conftest import ROOT
from site_gen import fastyaml, load

TRICKY = ["yes", "No", "on", "OFF", "true", "null", "~", "Null", "0", "007", "1_000", "-5", "+1", "1.5", "1.", ".5",
          "1e5", "0x1F", "2025-02-05", "2025-02-05T10:00:00Z", "12:30", "<<", "=", "a: b", "a:b", "a #b", "a#b",
          "http://x.example/a?b=c#d", "&anchor", "*alias", "!tag x", "|", ">", "%x", "@x", "`x", "'q'", '"q"',
          '"a\\tb"', "'it''s'", '"say "hi""', "[a, b]", "[a, [b]]", "{a: 1}", "-", "- x", "?", ":", "C++", "C#",
          "Zürich", "日本", "é", "x\u2028y", "a\tb", "\ufeffx", "", " ", "€60k–80k", "Senior Engineer (Go)", "x,y"]
KEYS = ["title", "company", "tags", "salary", "min", "on", "yes", "null", "a-b", "_x", "Title", "1", "x y", "date"]
value = st.sampled_from(TRICKY) | st.text(max_size=12)


def scalar_forms(v: str) -> st.SearchStrategy[str]:
    return st.sampled_from([v, f'"{v}"', f"'{v}'"])


@st.composite
def front_matter(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        key = draw(st.sampled_from(KEYS))
        shape = draw(st.sampled_from(["inline", "flow", "flowmap", "block", "mapping", "blank", "comment", "empty"]))
        if shape == "inline":
            lines.append(f"{key}: {draw(value.flatmap(scalar_forms))}")
        elif shape == "flow":
            items = draw(st.lists(value.flatmap(scalar_forms), max_size=4))
            lines.append(f"{key}: [{draw(st.sampled_from([', ', ',', ' , '])).join(items)}]")
        elif shape == "flowmap":
            pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS), value.flatmap(scalar_forms)), max_size=4))
            lines.append(f"{key}: {{{', '.join(f'{k}: {v}' for k, v in pairs)}}}")
        elif shape == "block":
            indent = draw(st.sampled_from(["", "  ", "    "]))
            lines.append(f"{key}:")
            lines += [f"{indent}- {draw(value.flatmap(scalar_forms))}" for _ in range(draw(st.integers(0, 3)))]
        elif shape == "mapping":
            lines.append(f"{key}:")
            lines += [f"  {draw(st.sampled_from(KEYS))}: {draw(value.flatmap(scalar_forms))}"
                      for _ in range(draw(st.integers(1, 3)))]
        elif shape == "blank":
            lines.append(draw(st.sampled_from(["", "   "])))
        elif shape == "comment":
            lines.append("# " + draw(value))
        else:
            lines.append(f"{key}:")
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


def pyyaml(text: str):
    try:
        return ("ok", yaml.load(text, Loader=load._Loader))  # noqa: S506 - a SafeLoader subclass
    except (yaml.YAMLError, ValueError) as exc:
        return ("error", type(exc).__name__)


def same(a, b) -> bool:
    """Equal with the same types all the way down (1 == 1.0 == True would hide a wrong type)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


@settings(max_examples=4000, deadline=None)
@given(front_matter())
@example("title: [\xa0]")  # a no-break space is text to YAML, not white space (found by this test)
@example("tags: [a\xa0, b]")
@example("x: {a: \xa0}")
def test_fast_path_agrees_with_pyyaml_or_steps_aside(text):
    fast = fastyaml.load(text)
    if fast is not None:
        status, expected = pyyaml(text)
        assert status == "ok", f"PyYAML refuses {text!r} but the fast path read {fast!r}"
        assert same(fast, expected), (text, fast, expected)
        assert load._shape_problem(fast) is None  # load.py skips that check for the fast path's answers


def test_fast_path_reads_the_usual_front_matter():
    """It must actually answer for real postings, or it would only add work."""
    samples = sorted((ROOT / "content" / "jobs").glob("*.md")) + sorted((ROOT / "tests" / "fixtures" / "site").rglob("*.md"))
    read = 0
    for path in samples:
        parts = load.split_front_matter(path.read_text(encoding="utf-8"), path.name)
        if isinstance(parts, tuple) and (fast := fastyaml.load(parts[0])) is not None:
            assert same(fast, pyyaml(parts[0])[1]), path.name
            read += 1
    assert read >= len(samples) - 2
    text = ('title: "Analytics Engineer"\ncompany: Acme GmbH\nremote: yes\ntags:\n  - "sql"\n  - airflow\n'
            "salary:\n  min: 40000\n  max: 52000.5\n  currency: USD\ndate: 2025-02-05\ndraft: false\nlocation: [Berlin, Remote]\n")
    assert fastyaml.load(text) == {"title": "Analytics Engineer", "company": "Acme GmbH", "remote": True,
                                   "tags": ["sql", "airflow"], "salary": {"min": 40000, "max": 52000.5, "currency": "USD"},
                                   "date": "2025-02-05", "draft": False, "location": ["Berlin", "Remote"]}


def test_the_unusual_characters_are_exactly_those_outside_the_plain_set():
    """The listed class equals "all but \\n, \\x20-\\x7e, \\xa0-\\u2027, \\u202a-\\ud7ff, \\ue000-\\ufefe,
    \\uff00-\\ufffd and above \\uffff" over every code point."""
    def plain(c):
        return (c == 0x0A or 0x20 <= c <= 0x7E or 0xA0 <= c <= 0x2027 or 0x202A <= c <= 0xD7FF
                or 0xE000 <= c <= 0xFEFE or 0xFF00 <= c <= 0xFFFD or c >= 0x10000)
    every = "".join(map(chr, range(0x110000)))
    assert [m.start() for m in fastyaml._UNUSUAL.finditer(every)] == [c for c in range(0x110000) if not plain(c)]
