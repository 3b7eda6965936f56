"""Hostile and broken input (issue 7): clear errors, nothing lost, nothing injected.

Each test builds a small site the way a user does (the command line, in-process for speed)
and checks the exact outcome: the message and exit code, or what the visitor gets.
"""

from __future__ import annotations

import json
import os
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import FIXTURES, run_build, soup
from conftest import posting as _posting
from hostile_helpers import HEAD, build, foreign_markup, tree

from site_gen import load, markup, urls
from site_gen.errors import SiteGenError
from site_gen.model import Output
from site_gen.write import safe_join, write_tree

FAILED = "Build failed: {} problem(s); the output folder was left unchanged."


def posting(title="A Job", company="Acme", **fields) -> str:
    """A posting file with a location, so Google's JSON-LD rules add no warning of their own."""
    return _posting(title, company, **{"location": "Berlin, Germany", **fields})


def leftovers(folder: Path) -> list[str]:
    """Staging or replaced output trees a build left behind (the cache folder is expected)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name != ".site-gen-cache")


@pytest.fixture
def site(scratch_site, tmp_path, capsys):
    """Build a scratch site from ``{path: text}`` and return the Run (public/ is tmp_path/public)."""

    def make(files: dict, site_yaml: str | None = None, *extra: str):
        content = scratch_site(files, site_yaml)
        return build(capsys, content, tmp_path / "public", *extra)

    return make


def page(tmp_path, slug: str):
    return soup(tmp_path / "public" / "jobs" / slug / "index.html")


# --- Sanitising and escaping ---------------------------------------------------------------

HOSTILE_BODY = """\
## What you will do

Write *Elixir* and **SQL**, see `mix test`.

- one
- two

| a | b |
|---|---|
| 1 | 2 |

> quoted

[docs](https://example.com/docs) [mail](mailto:jobs@example.com)
[js](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>) [vb](vbscript:x)
<a href="jav&#x09;ascript:alert(2)">tab</a>

<script>alert(3)</script>
<iframe src="https://evil.example"></iframe>
<p onclick="alert(4)" style="color:red">styled</p>
<img src=x onerror=alert(5)>
<svg><script>alert(6)</script></svg>
<style>body{display:none}</style>
<form action="https://evil.example"><input name=pw></form>
<object data="x.swf"></object>
"""


def test_description_keeps_formatting_and_drops_everything_active(site, tmp_path):
    run = site({"jobs/job.md": HEAD + "---\n" + HOSTILE_BODY})
    assert run.code == 0, run.stderr
    desc = page(tmp_path, "job").select_one(".description")
    assert desc.h2.get_text() == "What you will do"
    assert [e.name for e in desc.select("em, strong, code")] == ["em", "strong", "code"]
    assert [li.get_text() for li in desc.select("ul li")] == ["one", "two"]
    assert [td.get_text() for td in desc.select("table td")] == ["1", "2"]
    assert desc.blockquote.get_text(strip=True) == "quoted"
    assert [a.get("href") for a in desc.find_all("a")] == [
        "https://example.com/docs", "mailto:jobs@example.com", None, None, None, None]
    for name in ("script", "iframe", "img", "svg", "style", "form", "input", "object"):
        assert desc.find(name) is None, name
    assert not [a for tag in desc.find_all(True) for a in tag.attrs if a.startswith("on") or a == "style"]
    assert "styled" in desc.get_text()
    # Dropped with their contents, not shown as text either (issue: "drop scripts, iframes ... styles").
    for text in ("alert(3)", "alert(6)", "display:none", "<iframe", "<script"):
        assert text not in desc.get_text(), text
    assert foreign_markup((tmp_path / "public" / "jobs" / "job" / "index.html").read_text()) == []


@pytest.mark.parametrize("field, value, expected", [
    ("apply", "javascript:alert(1)",
     "apply: 'javascript:alert(1)' is not an http(s) URL or an e-mail address (e.g. https://example.com/jobs/123)"),
    ("apply", "data:text/html,<script>alert(1)</script>",
     "apply: 'data:text/html,<script>alert(1)</script>' is not an http(s) URL or an e-mail address"
     " (e.g. https://example.com/jobs/123)"),
    ("apply", 'https://example.com/"onmouseover="alert(1)',
     "apply: 'https://example.com/\"onmouseover=\"alert(1)' is not an http(s) URL or an e-mail address"
     " (e.g. https://example.com/jobs/123)"),
    ("company_url", "mailto:ceo@example.com",
     "company_url: 'mailto:ceo@example.com' is not an http(s) URL (e.g. https://example.com/jobs/123)"),
    ("company_url", "ftp://example.com",
     "company_url: 'ftp://example.com' is not an http(s) URL (e.g. https://example.com/jobs/123)"),
    ("company_url", "https://",
     "company_url: 'https://' is not an http(s) URL (e.g. https://example.com/jobs/123)"),
])
def test_apply_and_company_url_accept_only_http_https_mailto(site, field, value, expected):
    run = site({"jobs/job.md": posting(**{field: value})})
    assert (run.code, run.errors) == (1, [f"content/jobs/job.md: {expected}"])
    assert run.stderr.splitlines()[-1] == FAILED.format(1)


def test_safe_apply_links_are_kept(site, tmp_path):
    run = site({"jobs/a.md": posting(apply="jobs@example.com", company_url="https://acme.example/?a=1&b=2"),
                "jobs/b.md": posting("B", apply="mailto:jobs@example.com?subject=Hi")})
    assert run.code == 0, run.stderr
    assert page(tmp_path, "a").select_one(".apply-button")["href"] == "mailto:jobs@example.com"
    assert page(tmp_path, "a").select_one(".posting-company a")["href"] == "https://acme.example/?a=1&b=2"
    assert page(tmp_path, "b").select_one(".apply-button")["href"] == "mailto:jobs@example.com?subject=Hi"


EVIL_TITLE = '</script><script>alert("t")</script><!--'
EVIL_COMPANY = '"><img src=x onerror=alert(1)> & Co'
EVIL_TAG = "<b onmouseover=alert(1)>tag</b>"


def test_front_matter_text_is_escaped_everywhere(site, tmp_path):
    run = site({"jobs/evil.md": posting(EVIL_TITLE, EVIL_COMPANY, tags=[EVIL_TAG], location="'><script>x</script>",
                                        body="Plain.")})
    assert run.code == 0, run.stderr
    public = tmp_path / "public"
    job = page(tmp_path, "evil")
    assert job.h1.get_text() == EVIL_TITLE
    assert job.title.get_text().startswith(EVIL_TITLE)
    assert job.select_one(".posting-tags a").get_text() == EVIL_TAG
    assert job.select_one('meta[name="description"]')["content"] == "Plain."
    for path in public.rglob("*.html"):
        assert foreign_markup(path.read_text(encoding="utf-8")) == [], path
    entry = json.loads((public / "search" / "s" / "0.json").read_text())[0]  # search records: README.md, "Search"
    assert (entry["t"], entry["c"], entry["g"]) == (EVIL_TITLE, EVIL_COMPANY, [EVIL_TAG])


def test_hostile_front_matter_cannot_break_json_ld_or_feeds(site, tmp_path):
    run = site({"jobs/evil.md": posting(EVIL_TITLE, EVIL_COMPANY, tags=[EVIL_TAG, "]]><x>"], body="Plain <b>bold</b>.")})
    assert run.code == 0, run.stderr
    public = tmp_path / "public"
    html = (public / "jobs" / "evil" / "index.html").read_text(encoding="utf-8")
    [block] = soup(public / "jobs" / "evil" / "index.html").select('script[type="application/ld+json"]')
    assert "<" not in block.string  # so no "</script>" or "<!--" can end or bend the block
    data = json.loads(block.string)
    assert (data["title"], data["hiringOrganization"]["name"]) == (EVIL_TITLE, EVIL_COMPANY)
    assert html.count("<script") == html.count("</script>") == len(soup(public / "jobs" / "evil" / "index.html")("script"))
    atom = ET.fromstring((public / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = atom.find("a:entry", ns)
    assert entry.find("a:title", ns).text == f"{EVIL_TITLE} at {EVIL_COMPANY}"
    assert [c.get("term") for c in entry.findall("a:category", ns)] == [EVIL_TAG, "]]><x>"]
    assert entry.find("a:content", ns).text == "<p>Plain <b>bold</b>.</p>"  # sanitised HTML, as escaped text
    item = json.loads((public / "feed.json").read_text())["items"][0]
    assert (item["title"], item["authors"], item["tags"]) == (
        f"{EVIL_TITLE} at {EVIL_COMPANY}", [{"name": EVIL_COMPANY}], [EVIL_TAG, "]]><x>"])


# --- YAML ----------------------------------------------------------------------------------


def test_python_yaml_tags_are_refused_and_never_run(site, tmp_path):
    marker = tmp_path / "pwned"
    run = site({"jobs/job.md": HEAD + f"x: !!python/object/apply:os.mkdir ['{marker.as_posix()}']\n---\nBody\n"})
    assert run.code == 1
    assert run.errors == ["content/jobs/job.md: front matter: invalid YAML (line 5): could not determine a "
                          "constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.mkdir'"]
    assert not marker.exists()


ALIAS_BOMB = "".join(
    f"{k}: &{k} [{', '.join(['*' + p] * 9) if p else ', '.join(['lol'] * 9)}]\n"
    for p, k in zip(["", "a", "b", "c", "d", "e", "f", "g"], "abcdefgh"))


@pytest.mark.parametrize("front, expected", [
    (ALIAS_BOMB, "front matter: expands to more than 50,000 values (a YAML alias bomb?); refused"),
    ("x: &a [*a]\n", "front matter: nests lists or mappings more than 32 levels deep; refused"),
    ("x: " + "[" * 40 + "]" * 40 + "\n", "front matter: nests lists or mappings more than 32 levels deep; refused"),
    ("x: '" + "a" * 300_000 + "'\n", "front matter: is 300,050 characters; the limit is 256,000"),
    ("salary: {min: " + "9" * 5000 + ", currency: EUR}\n", "front matter: has a number with more than 38 digits; refused"),
    ("salary: {min: 0x" + "f" * 5000 + ", currency: EUR}\n", "front matter: has a number with more than 38 digits; refused"),
], ids=["alias-bomb", "recursive-alias", "deep-nesting", "huge-front-matter", "huge-int", "huge-hex"])
def test_yaml_bombs_and_huge_front_matter_are_refused(site, front, expected):
    started = time.perf_counter()
    run = site({"jobs/job.md": HEAD + front + "---\nBody\n"})
    assert (run.code, run.errors) == (1, [f"content/jobs/job.md: {expected}"])
    assert time.perf_counter() - started < 5


def test_file_size_limit_is_configurable(site):
    big = HEAD + "---\n" + "word " * 400 + "\n"
    run = site({"jobs/big.md": big, "jobs/small.md": posting("Small")}, "max_file_bytes: 1000\n")
    assert (run.code, run.errors) == (1, [
        f"content/jobs/big.md: file is {len(big):,} bytes; the limit is 1,000 "
        "(shorten it or raise max_file_bytes in site.yaml)"])


@pytest.mark.parametrize("text, expected", [
    ("---\n- a\n- b\n---\nBody\n", "front matter: must be a mapping of `field: value` lines, not a list"),
    ("---\njust words\n---\nBody\n", "front matter: must be a mapping of `field: value` lines, not a single text value"),
    (HEAD + "1: one\n---\nBody\n", "front matter: field name 1 is not text "
                                   "(field names are words such as title; put unusual ones in quotes)"),
    (HEAD + "Body but the front matter never closes\n",
     "front matter: is not closed (end the YAML fields with a `---` line)"),
    ("Just a body, no front matter\n",
     "no front matter found (start the file with a `---` line, the YAML fields, then another `---` line)"),
    (HEAD + "salary: {min: 1\n---\nBody\n",
     "front matter: invalid YAML (line 6): did not find expected ',' or '}'"),
    (HEAD + "salary: {min: 1e309, currency: EUR, period: year}\n---\nBody\n",
     "salary.min: '1e309' must be a number (write 60000, not \"60k\" or \"60,000\")"),  # YAML 1.1 reads 1e309 as text
    (HEAD + "salary: {min: 1.0e+309, currency: EUR, period: year}\n---\nBody\n", "salary.min: must be a finite number"),
    (HEAD + "\ttabbed: x\n---\nBody\n",
     "front matter: invalid YAML (line 5): found a tab character that violates indentation"),
])
def test_malformed_front_matter_gets_one_clear_error(site, text, expected):
    run = site({"jobs/job.md": text})
    assert (run.code, run.errors) == (1, [f"content/jobs/job.md: {expected}"])
    assert "Traceback" not in run.stderr


# --- Encodings -----------------------------------------------------------------------------


def test_utf8_bom_and_crlf_line_endings_work(site, tmp_path):
    head = HEAD + "location: Berlin, Germany\n"
    text = (head.replace("A Job", "Café Ünïcode") + "---\nFirst paragraph.\n\nSecond one.\n").replace("\n", "\r\n")
    run = site({"jobs/bom.md": b"\xef\xbb\xbf" + text.encode("utf-8"), "jobs/cr.md": head.replace("\n", "\r") + "---\rOld Mac.\r"})
    assert (run.code, run.errors, run.warnings) == (0, [], [])
    job = page(tmp_path, "bom")
    assert job.h1.get_text() == "Café Ünïcode"
    assert [p.get_text() for p in job.select(".description p")] == ["First paragraph.", "Second one."]
    assert page(tmp_path, "cr").select_one(".description p").get_text() == "Old Mac."


@pytest.mark.parametrize("data, expected", [
    ((HEAD + "---\nCafé “quoted”\n").encode("cp1252"),
     "is not valid UTF-8 (byte 0xe9 on line 6) (re-save the file as UTF-8 (it looks like Windows-1252 or Latin-1))"),
    ((HEAD + "---\nBody\n").encode("utf-16"), "is UTF-16 text, not UTF-8 (re-save the file as UTF-8)"),
    ((HEAD + "---\nBody\n").encode("utf-32"), "is UTF-32 text, not UTF-8 (re-save the file as UTF-8)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
     "contains NUL bytes: a binary file (or UTF-16 text), not a UTF-8 posting (postings are UTF-8 text files)"),
    ((HEAD + "---\nBody\n").encode() + b"\x00",
     "contains NUL bytes: a binary file (or UTF-16 text), not a UTF-8 posting (postings are UTF-8 text files)"),
    (b"", "file is empty (write a posting with front matter, or delete the file)"),
    (b" \r\n\n\t", "file is empty (write a posting with front matter, or delete the file)"),
])
def test_undecodable_binary_and_empty_files_are_named(site, data, expected):
    run = site({"jobs/job.md": data, "jobs/good.md": posting("Good")})
    assert (run.code, run.errors) == (1, [f"content/jobs/job.md: {expected}"])
    assert "Traceback" not in run.stderr


# --- Slugs and paths -----------------------------------------------------------------------


@pytest.mark.parametrize("slug, built", [("../../etc", "etc"), ("/abs/path", "abs-path"), ("..", "posting-"),
                                         ("a/../../../b", "a-b"), ("C:\\Windows", "c-windows")])
def test_slug_override_never_leaves_the_output_folder(site, tmp_path, slug, built):
    run = site({"jobs/job.md": posting(slug=slug)})
    assert run.code == 0, run.stderr
    if built == "posting-":  # nothing sluggable is left: a stable hash-based slug
        [built] = [p.name for p in (tmp_path / "public" / "jobs").iterdir()]
        assert re.fullmatch(r"posting-[0-9a-f]{8}", built)
    assert run.warnings == [f"content/jobs/job.md: slug: {slug!r} is not a plain URL slug; using {built!r} "
                            "(slugs are lower-case letters, digits and hyphens)"]
    assert page(tmp_path, built).h1.get_text() == "A Job"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["content", "public"]
    assert leftovers(tmp_path) == []


def test_titles_and_file_names_that_slugify_to_nothing_get_a_valid_slug(site, tmp_path):
    run = site({"jobs/🚀🚀.md": posting("🚀", tags=["🔥", "+++"]), "jobs/---.md": posting("!!!")})
    assert run.code == 0, run.stderr
    jobs = sorted(p.name for p in (tmp_path / "public" / "jobs").iterdir())
    assert len(jobs) == 2 and all(re.fullmatch(r"posting-[0-9a-f]{8}", j) for j in jobs)
    tags = sorted(p.name for p in (tmp_path / "public" / "tags").iterdir() if p.is_dir())
    assert len(tags) == 2 and all(re.fullmatch(r"tag-[0-9a-f]{8}|plus-plus-plus", t) for t in tags), tags


def test_two_postings_with_one_slug_are_an_error_naming_both(site):
    run = site({"jobs/first.md": posting("One", slug="same"), "jobs/same.md": posting("Two"),
                "jobs/sub/Same.md": posting("Three")})
    assert run.code == 1
    assert run.errors == [
        "content/jobs/same.md: slug: posting slug 'same' is already used by content/jobs/first.md "
        "(rename one file or set a different `slug:`)",
        "content/jobs/sub/Same.md: slug: posting slug 'same' is already used by content/jobs/first.md "
        "(rename one file or set a different `slug:`)"]


def test_symlinks_out_of_content_are_reported_not_followed(scratch_site, tmp_path, capsys):
    secret = tmp_path / "secret.md"
    secret.write_text(posting("Secret"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text(posting("Linked folder"))
    content = scratch_site({"jobs/good.md": posting("Good"), "shared/inside.md": posting("Inside")})
    os.symlink(secret, content / "jobs" / "leak.md")
    os.symlink(elsewhere, content / "jobs" / "linked")
    os.symlink(content / "shared" / "inside.md", content / "jobs" / "inside.md")
    os.symlink("loop.md", content / "jobs" / "loop.md")
    os.symlink("missing.md", content / "jobs" / "dangling.md")
    run = build(capsys, content, tmp_path / "public")
    assert run.code == 1
    assert run.errors == [
        "content/jobs/linked: is a symbolic link to a folder; not followed "
        "(move the postings into content/jobs/ instead of linking them)",
        "content/jobs/dangling.md: is a broken or looping symbolic link (replace it with the posting file)",
        "content/jobs/leak.md: is a symbolic link to a file outside the content folder; not followed "
        "(copy the file into content/jobs/ instead of linking it)",
        "content/jobs/loop.md: is a broken or looping symbolic link (replace it with the posting file)"]
    os.remove(content / "jobs" / "linked")
    for name in ("leak.md", "loop.md", "dangling.md"):
        os.remove(content / "jobs" / name)
    run = build(capsys, content, tmp_path / "public")
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "public" / "jobs").iterdir()) == ["good", "inside"]


def test_a_missing_content_folder_is_an_error_not_an_empty_board(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = build(capsys, Path("contnet"), tmp_path / "public")
    assert (run.code, run.errors) == (1, ["contnet: content folder not found "
                                          "(pass the folder that holds jobs/ with --content)"])
    assert not (tmp_path / "public").exists()


def test_fifos_are_reported_not_read(scratch_site, tmp_path, capsys):
    content = scratch_site({"jobs/good.md": posting("Good")})
    os.mkfifo(content / "jobs" / "pipe.md")  # reading it would block the build forever
    run = build(capsys, content, tmp_path / "public")
    assert (run.code, run.errors) == (1, ["content/jobs/pipe.md: is not a regular file; not read"])


def test_an_output_folder_that_is_a_file_is_refused(scratch_site, tmp_path, capsys):
    content = scratch_site({"jobs/good.md": posting("Good")})
    (tmp_path / "public").write_text("keep me")
    run = build(capsys, content, tmp_path / "public")
    assert (run.code, run.errors[-1]) == (1, f"the output folder {(tmp_path / 'public').as_posix()!r} is a file, not a folder")
    assert (tmp_path / "public").read_text() == "keep me"


def test_output_paths_are_fenced_in(tmp_path):
    for url in ("/../x/", "/a/../../x/", "/..", "/a\\..\\..\\x"):
        with pytest.raises(ValueError, match="escapes the output folder"):
            urls.output_path(url)
    for rel in ("../x.html", "/etc/passwd", "a/../../x", "", "a\x00b"):
        with pytest.raises(SiteGenError, match="refusing to write outside the output folder"):
            safe_join(tmp_path, rel)


def test_two_outputs_for_one_file_fail_and_keep_the_previous_site(tmp_path):
    out = tmp_path / "public"
    write_tree([Output("index.html", "old")], out)
    with pytest.raises(SiteGenError, match="two pages of the site claim the same file 'jobs/x/index.html'"):
        write_tree([Output("jobs/x/index.html", "a"), Output("jobs/x/index.html", "b")], out)
    assert tree(out) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


@pytest.mark.parametrize("out, reason", [
    ("content", "is or contains 'CONTENT'"),
    ("content/public", "is inside 'CONTENT'"),
    (".", "is or contains 'CONTENT'"),
])
def test_output_folder_may_not_swallow_the_content(scratch_site, tmp_path, capsys, monkeypatch, out, reason):
    content = scratch_site({"jobs/good.md": posting("Good")})
    monkeypatch.chdir(tmp_path / "content" if out == "." else tmp_path)
    before = tree(content)
    run = build(capsys, content, Path(out))
    shown = Path(out).as_posix()
    label = reason.replace("'CONTENT'", "the current folder" if out == "." else repr(content.as_posix()))
    assert (run.code, run.stderr.strip()) == (1, (
        f"error: refusing to use {shown!r} as the output folder: it is replaced on every build, and it "
        f"{label}; choose a separate folder such as public"))
    assert tree(content) == before


# --- Values --------------------------------------------------------------------------------


@pytest.mark.parametrize("fields, expected", [
    ({"date": "2025-02-30"}, "date: '2025-02-30' is not a real date (day is out of range for month)"),
    ({"date": "0000-01-01"}, "date: '0000-01-01' is not a real date (year 0 is out of range)"),
    ({"date": "1066-10-14"}, "date: '1066-10-14' is not a plausible date (years 1970 to 2999)"),
    ({"valid_through": "2025-13-01"}, "valid_through: '2025-13-01' is not a real date (month must be in 1..12)"),
    ({"date": "next week"}, "date: 'next week' is not a date (use YYYY-MM-DD)"),
    ({"salary": {"min": 90000, "max": 50000, "currency": "EUR", "period": "year"}},
     "salary.min: 90000 is above salary.max 50000"),
    ({"salary": {"min": -10, "currency": "EUR", "period": "year"}}, "salary.min: -10 is negative"),
    ({"salary": {"min": float("inf"), "currency": "EUR", "period": "year"}}, "salary.min: must be a finite number"),
    ({"salary": {"max": 10**30, "currency": "EUR", "period": "hour"}},
     "salary.max: 1e+30 is implausibly large (the limit is 1e+12)"),
    ({"salary": {"min": "lots", "currency": "EUR", "period": "year"}},
     "salary.min: 'lots' must be a number (write 60000, not \"60k\" or \"60,000\")"),
    ({"salary": {"min": 1, "currency": "EURO", "period": "year"}},
     "salary.currency: 'EURO' is not a three-letter ISO 4217 code (e.g. USD, EUR, GBP)"),
    ({"salary": {"min": 1, "currency": "EUR", "period": "fortnight"}},
     "salary.period: 'fortnight' is not one of hour, day, week, month, year"),
    ({"remote": "sometimes"}, "remote: 'sometimes' is not one of no, yes, hybrid"),
    ({"employment_type": "gig"},
     "employment_type: 'gig' is not one of full-time, part-time, contract, internship, temporary"),
    ({"title": ["a", "b"]}, "title: must be text, not a list"),
    ({"title": "x" * 10_000}, "title: is 10,000 characters long; the limit is 300"),
    ({"title": float("nan")}, "title: must be text, not float"),
    ({"company": True}, "company: must be text, not true/false"),
    ({"tags": [["nested"]]}, "tags: each entry must be text, not a list"),
    ({"tags": [f"t{i}" for i in range(1001)]}, "tags: has 1,001 entries; the limit is 1,000"),
    ({"draft": "maybe"}, "draft: 'maybe' must be true or false"),
    ({"remote": "x" * 5000}, "remote: '" + "x" * 58 + "… is not one of no, yes, hybrid"),
    ({"redirect_from": ["/../etc/"]},
     "redirect_from: '/../etc/' is not a site path (old paths start with /, e.g. /about/careers/)"),
])
def test_impossible_values_are_errors_naming_the_field(site, fields, expected):
    run = site({"jobs/job.md": posting(**fields)})
    assert (run.code, run.errors) == (1, [f"content/jobs/job.md: {expected}"])


def test_invisible_and_control_characters_are_removed_from_titles_and_tags(site, tmp_path):
    title = "Sen\u200bior \u202eDev\u202c\u2066 Ops\u2069\x07\u00ad"
    run = site({"jobs/job.md": posting(title, "Ac\ufeffme", tags=["Py\u200dthon", "\u202egO"])})
    assert run.code == 0, run.stderr
    job = page(tmp_path, "job")
    assert job.h1.get_text() == "Senior Dev Ops"
    assert [a.get_text() for a in job.select(".posting-tags a")] == ["Python", "gO"]
    assert [a["href"] for a in job.select(".posting-tags a")] == ["/tags/python/", "/tags/go/"]
    entry = json.loads((tmp_path / "public" / "search" / "s" / "0.json").read_text())[0]
    assert (entry["t"], entry["c"]) == ("Senior Dev Ops", "Acme")


def test_huge_description_and_hundreds_of_tags_build_quickly(site, tmp_path):
    para = "Lorem ipsum *dolor* sit amet, [link](https://example.com) `code` consectetur. " * 12 + "\n\n"
    body = para * (5_000_000 // len(para))
    started = time.perf_counter()
    run = site({"jobs/big.md": posting("Big", body=body),
                "jobs/tags.md": posting("Tags", tags=[f"tag {i}" for i in range(500)])})
    seconds = time.perf_counter() - started
    assert run.code == 0, run.stderr
    assert seconds < 20, f"build took {seconds:.1f}s"
    assert len(list((tmp_path / "public" / "tags").iterdir())) == 501
    html = (tmp_path / "public" / "jobs" / "big" / "index.html").read_text(encoding="utf-8")
    assert html.count("<p>Lorem ipsum <em>dolor</em>") == body.count("Lorem ipsum *dolor*") // 12  # nothing lost


@pytest.mark.parametrize("body", ["> " * 5000 + "deep", "<div>" * 20000, "<span>" * 20000 + "<p>x" * 20000],
                         ids=["quotes", "divs", "spans-and-paragraphs"])
def test_deeply_nested_descriptions_are_refused_fast(site, body):
    started = time.perf_counter()
    run = site({"jobs/job.md": posting(body=body)})
    assert (run.code, run.errors) == (1, [
        "content/jobs/job.md: description: nests HTML elements more than 100 levels deep "
        "(lists, quotes or tags); refused"])
    assert time.perf_counter() - started < 5


def test_summary_never_contains_a_cut_tag():
    html = "<p>" + '<a href="https://example.com/a/very/long/path">x</a> ' * 80 + "</p>"
    text = markup.html_to_text(html, 200)
    assert "<" not in text and ">" not in text and text.startswith("x x x")


# --- Policy --------------------------------------------------------------------------------


def test_every_problem_is_reported_then_exit_1_and_public_is_kept(site, scratch_site, tmp_path, capsys):
    good = site({"jobs/good.md": posting("Good")})
    assert good.code == 0
    before = tree(tmp_path / "public")
    content = tmp_path / "content"
    (content / "jobs" / "empty.md").write_bytes(b"")
    (content / "jobs" / "bad.md").write_text(posting("Bad", date="2025-02-30", remote="sometimes"))
    (content / "jobs" / "dup.md").write_text(posting("Dup", slug="good"))
    (content / "jobs" / "good.md").write_text(posting("Good, edited"))
    run = build(capsys, content, tmp_path / "public")
    assert run.code == 1
    assert run.errors == [
        "content/jobs/bad.md: date: '2025-02-30' is not a real date (day is out of range for month)",
        "content/jobs/bad.md: remote: 'sometimes' is not one of no, yes, hybrid",
        "content/jobs/empty.md: file is empty (write a posting with front matter, or delete the file)",
        "content/jobs/good.md: slug: posting slug 'good' is already used by content/jobs/dup.md "
        "(rename one file or set a different `slug:`)",
    ]
    assert run.stderr.splitlines()[-1] == FAILED.format(4)
    assert tree(tmp_path / "public") == before
    assert leftovers(tmp_path) == []


def test_files_that_are_not_built_get_a_warning(site, tmp_path):
    run = site({"jobs/good.md": posting("Good"), "jobs/old.markdown": posting("Old"), "jobs/LOUD.MD": posting("Loud"),
                "jobs/notes.txt": "notes", "jobs/.hidden.md": posting("Hidden"), "jobs/.DS_Store": b"\x00",
                "jobs/good.md~": posting("Backup"), "stray.md": posting("Stray"), "drafts/later.md": posting("L"),
                "images/logo.png": b"\x89PNG"})
    assert (run.code, run.errors) == (0, [])
    assert run.warnings == [
        "content/drafts/later.md: ignored: postings must be inside content/jobs/ "
        "(rename or move it to content/jobs/later.md to publish it)",
        "content/jobs/.hidden.md: ignored: hidden files (starting with a dot) are not postings "
        "(rename or move it to content/jobs/hidden.md to publish it)",
        "content/jobs/LOUD.MD: ignored: only files ending in .md (lower case) are postings "
        "(rename or move it to content/jobs/LOUD.md to publish it)",
        "content/jobs/notes.txt: ignored: only files ending in .md (lower case) are postings "
        "(rename or move it to content/jobs/notes.md to publish it)",
        "content/jobs/old.markdown: ignored: only files ending in .md (lower case) are postings "
        "(rename or move it to content/jobs/old.md to publish it)",
        "content/stray.md: ignored: postings must be inside content/jobs/ "
        "(rename or move it to content/jobs/stray.md to publish it)",
    ]
    assert sorted(p.name for p in (tmp_path / "public" / "jobs").iterdir()) == ["good"]


def test_misspelt_field_names_get_a_warning(site):
    run = site({"jobs/job.md": HEAD + "location: Berlin, Germany\nSalary: {min: 1, currency: EUR}\nvalid through: 2025-09-01\n---\nBody\n"})
    assert run.code == 0
    assert run.warnings == [
        "content/jobs/job.md: Salary: is not a field; did you mean salary? "
        "(field names are lower case; the value is kept only in extra)",
        "content/jobs/job.md: valid through: is not a field; did you mean valid_through? "
        "(field names are lower case; the value is kept only in extra)"]


@pytest.mark.parametrize("case", sorted(p.name for p in (FIXTURES / "invalid").iterdir()))
def test_invalid_fixture_sites_fail_with_their_messages(case, tmp_path):
    """Each tests/fixtures/invalid/<case>/ site fails with exactly the lines in its expected.txt (real CLI)."""
    folder = FIXTURES / "invalid" / case
    result = run_build("--content", "content", "--out", str(tmp_path / "public"), "--now", "2025-03-15", cwd=folder)
    expected = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == expected
    assert not (tmp_path / "public").exists()


def test_find_ignored_skips_nothing_that_looks_like_a_posting(tmp_path):
    (tmp_path / "content" / "jobs").mkdir(parents=True)
    (tmp_path / "content" / "jobs" / "x.Md").write_text("x")
    assert [p.path for p in load.find_ignored(tmp_path / "content")] == ["content/jobs/x.Md"]
