"""Property-based hostile input: random front matter and Markdown never crash the build or inject code.

Hypothesis throws random (and deliberately nasty) postings at ``build_site`` in-process and
at the real command line. The build may refuse them, but only with a ContentError, and every
page it does produce must contain no script, event handler or script URL that we did not write.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from conftest import run_build
from hostile_helpers import foreign_markup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_gen.config import load_config
from site_gen.errors import ContentError
from site_gen.pipeline import build_site
from site_gen.urls import strip_invisible
from site_gen.validate import KNOWN_KEYS

NASTY = [
    "<script>alert(1)</script>", "</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>", "vbscript:x",
    '" onmouseover="alert(1)', "' autofocus onfocus='alert(1)", "<!--", "-->", "]]>", "<![CDATA[", "</title>",
    "</textarea>", "<svg onload=alert(1)>", "<a href='javascript:x'>x</a>", "{{ 7*7 }}", "{% raw %}", "&lt;script&gt;",
    "\u202e", "\u200b", "\u2066", "\ufeff", "\x00", "\x07", "\x1b[31m", "\u2028", "../", "..", "/", "\\", "C++", "C#",
    "Москва", "🚀", "日本語", "null", "~", "yes", "0x1F", "1e309", "-1", "2025-02-30", "0000-01-01", "9999-12-31",
    "https://example.com/a?b=1&c=<2>", "mailto:a@b.example", "jobs@example.com", "http://x\"y", "//evil.example",
]
MARKDOWN = [
    "# Heading", "## Sub", "- item", "1. item", "> quote", "```\ncode <script>\n```", "| a | b |\n|---|---|\n| 1 | 2 |",
    "[x](javascript:alert(1))", "[x](https://example.com)", "![i](javascript:alert(1))", "<iframe src=//e></iframe>",
    "<div onclick=alert(1)>d</div>", "<style>*{}</style>", "<script>alert(1)</script>", "<math><mi>x</mi></math>",
    "<a href=\"jav&#x09;ascript:alert(1)\">t</a>", "<form action=//e><input></form>", "<object data=x></object>",
    "<base href=//evil.example/>", "<meta http-equiv=refresh content=0;url=//e>", "<svg><script>x</script></svg>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "<table><td onmouseover=x>c", "***", "---",
    "<details open ontoggle=alert(1)>", "<a href=data:text/html,x>d</a>", "<<script>script>alert(1)<</script>/script>",
]

text = st.one_of(st.text(max_size=30), st.sampled_from(NASTY),
                 st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), max_size=4).map("".join))
scalar = st.one_of(st.none(), st.booleans(), st.integers(-2**127, 2**127), st.floats(), text,
                   st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
value = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(["min", "max", "currency", "period"]), text), inner, max_size=4)),
    max_leaves=8)
good_salary = st.fixed_dictionaries({"min": st.integers(0, 10**6), "currency": st.sampled_from(["EUR", "USD"]),
                                     "period": st.sampled_from(["hour", "year", "month"])})
#: Text every field accepts, however nasty: not blank once invisible characters go, not too long.
field_text = text.filter(lambda t: 0 < len(strip_invisible(t)) <= 300)
safe_links = st.sampled_from(["https://example.com/apply?x=1&y=2#top", "jobs@example.com", "mailto:x@example.com",
                              "HTTPS://EXAMPLE.COM/%3Cscript%3E", "http://[::1]:8080/j", "https://例え.jp/求人"])
remote = st.one_of(st.fixed_dictionaries({"remote": st.sampled_from(["yes", "hybrid", True]),
                                          "remote_regions": st.lists(text, max_size=2)}),
                   st.fixed_dictionaries({"remote": st.sampled_from(["no", False])}))
plausible = st.fixed_dictionaries({}, optional={
    "tags": st.lists(text, max_size=6), "location": st.one_of(text, st.lists(text, max_size=3)),
    "employment_type": st.sampled_from(["full-time", "FULL_TIME", "contract", "intern"]), "salary": good_salary,
    "apply": safe_links, "timezones": field_text, "company_url": safe_links.filter(lambda u: "@" not in u),
    "draft": st.booleans(), "valid_through": st.dates(dt.date(2025, 3, 1), dt.date(2030, 1, 1)), "extra": value,
    "redirect_from": st.lists(st.sampled_from(["/old/", "/jobs/old/", "/ok/path/"]), max_size=2, unique=True),
})
#: Valid postings with hostile text in every free-text field: these must always build.
valid_posting = st.builds(
    lambda title, company, date, rest, where: {"title": title, "company": company, "date": date, **rest, **where},
    field_text, field_text, st.dates(dt.date(2020, 1, 1), dt.date(2025, 3, 1)), plausible,
    st.one_of(st.just({}), remote))
#: Anything at all as front matter.
any_front = st.dictionaries(st.one_of(st.sampled_from(sorted(KNOWN_KEYS) + ["Title", "salary "]), text), value,
                            max_size=10)
body = st.lists(st.one_of(st.sampled_from(MARKDOWN), st.sampled_from(NASTY), st.text(max_size=40)),
                max_size=8).map("\n\n".join)


def _file(front, markdown: str) -> bytes:
    if isinstance(front, bytes):
        return front
    fm = front if isinstance(front, str) else yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    return ("---\n" + fm + "\n---\n" + markdown).encode("utf-8", "surrogatepass")


posting_file = st.builds(_file, st.one_of(valid_posting, any_front, st.text(max_size=200), st.binary(max_size=200)),
                         body)
valid_file = st.builds(_file, valid_posting, body.map(lambda b: b.replace("\x00", "")))  # NUL: binary
names = st.sampled_from(["a.md", "b.md", "🚀.md", "C++.md", "sub/a.md", "A.md", ".hidden.md", "x.markdown", "z.MD"])
sites = st.dictionaries(names, posting_file, min_size=1, max_size=4)
#: One to three valid postings whose names never share a slug.
valid_sites = st.dictionaries(st.sampled_from(["a.md", "b.md", "🚀.md", "C++.md"]), valid_file, min_size=1, max_size=3)


def _write(root: Path, files: dict[str, bytes]) -> Path:
    content = root / "content"
    for name, data in files.items():
        path = content / "jobs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return content


def check_outputs(result, files: dict[str, bytes]) -> None:
    """Every page is free of foreign code, data files parse, and every posting file got a page."""
    for output in result.outputs:
        assert not output.path.startswith("/") and ".." not in output.path.split("/"), output.path
        if output.path.endswith(".html"):
            assert foreign_markup(output.content) == [], output.path
        elif output.path.endswith(".json"):
            json.loads(output.content)
        elif output.path.endswith(".xml"):
            ET.fromstring(output.content.encode("utf-8") if isinstance(output.content, str) else output.content)
        elif output.path == "_redirects":  # one "from to status" rule a line: no value can add a rule
            rules = [line.split() for line in output.content.splitlines() if line.strip() and not line.startswith("#")]
            assert all(len(rule) == 3 for rule in rules), output.content
    postings = [n for n in files if n.endswith(".md") and not n.startswith(".")]
    assert len(result.site.pages) == len(postings)  # built with drafts: nothing dropped silently


def _config(tmp: str, files):
    """Write ``files`` under ``tmp`` and return the config of a drafts-included build of them."""
    content = _write(Path(tmp), files)
    return load_config(content, out_dir=str(Path(tmp) / "public"), now=dt.date(2025, 3, 15), drafts=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sites)
def test_random_postings_never_crash_or_inject(files):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            result = build_site(_config(tmp, files))
        except ContentError as exc:
            assert exc.problems and all(p.path.startswith("content/jobs/") for p in exc.problems)
            return
        check_outputs(result, files)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_sites)
def test_hostile_text_in_valid_postings_always_builds_and_is_escaped(files):
    with tempfile.TemporaryDirectory() as tmp:
        result = build_site(_config(tmp, files))  # a ContentError here is a bug: every posting is valid
        check_outputs(result, files)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sites)
def test_random_postings_through_the_command_line(files):
    with tempfile.TemporaryDirectory() as tmp:
        content = _write(Path(tmp), files)
        out = Path(tmp) / "public"
        result = run_build("--content", str(content), "--out", str(out), "--now", "2025-03-15", "--drafts")
        assert "Traceback" not in result.stderr
        if result.returncode == 1:
            lines = result.stderr.splitlines()
            assert lines[-1].startswith("Build failed: ") and any(line.startswith("error: ") for line in lines)
            assert not out.exists()
        else:
            assert result.returncode == 0, result.stderr
            for page in out.rglob("*.html"):
                assert foreign_markup(page.read_text(encoding="utf-8")) == [], page
