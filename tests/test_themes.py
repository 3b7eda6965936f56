"""Themes, one-file overrides and the owner's settings, checked on built boards."""

from __future__ import annotations

import re

from conftest import FIXTURES, NOW, ROOT, posting, run_build, soup
from site_gen.formatting import contrast, minify_css
from theme_helpers import build_board, fixture_boards, is_local, local_file, page_assets, sample_boards  # noqa: F401

JOBS = {
    "jobs/alpha.md": posting("Alpha Engineer", tags=["python"], location="Berlin", remote="yes",
                             salary={"min": 50000, "max": 60000, "currency": "EUR", "period": "year"},
                             apply="https://alpha.example/apply"),
    "jobs/beta.md": posting("Beta Designer", company="Beta", tags=["python", "figma"]),
}


def stylesheet_text(public, page_file) -> str:
    """All CSS the page links to, concatenated."""
    page = soup(page_file)
    return "".join(local_file(public, "/", link["href"]).read_text(encoding="utf-8")
                   for link in page.select('link[rel="stylesheet"]'))


def build(scratch_site, tmp_path, files=JOBS, site_yaml=None, *args):
    content = scratch_site(files, site_yaml)
    return build_board(content, tmp_path / "public", NOW, *args)


def test_compact_theme_replaces_the_list_layout_and_keeps_the_rest(fixture_boards):
    default, compact = fixture_boards["default"], fixture_boards["compact"]
    home_d, home_c = soup(default / "index.html"), soup(compact / "index.html")
    # compact's own listing and card: a table head and one column per fact
    assert home_c.select_one(".job-table-head") is not None and home_d.select_one(".job-table-head") is None
    cards = home_c.select(".job-list .job-card")
    assert cards and all(len(c.select(".col-role, .col-where, .col-type, .col-salary, .job-date")) == 5 for c in cards)
    assert "USD 50 – 70 an hour" in [c.get_text(" ", strip=True) for c in home_c.select(".col-salary")]
    assert ".job-table-head{" in stylesheet_text(compact, compact / "index.html")
    assert ".job-table-head{" not in stylesheet_text(default, default / "index.html")
    # templates compact does not override come from the default theme
    post = soup(compact / "jobs" / "elixir-dev" / "index.html")
    assert post.select_one(".posting-facts") is not None and post.select_one(".apply-button") is not None
    assert soup(compact / "tags" / "index.html").select(".term-list li")
    assert soup(compact / "404.html").h1.get_text() == "Page not found"


def test_theme_is_picked_in_site_yaml(scratch_site, tmp_path):
    public = build(scratch_site, tmp_path, JOBS, "title: Board\ntheme: compact\n")
    assert soup(public / "index.html").select_one(".job-table-head") is not None


def test_unknown_theme_is_a_clear_error(scratch_site, tmp_path):
    content = scratch_site(JOBS, "theme: fancy\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "public"), "--now", NOW.isoformat())
    assert result.returncode == 1
    assert re.search(r"site\.yaml: theme: no theme named 'fancy'.*available: compact, default", result.stderr)
    assert "Traceback" not in result.stderr and not (tmp_path / "public").exists()


def test_one_template_and_one_static_file_override_the_theme(scratch_site, tmp_path):
    (tmp_path / "templates" / "partials").mkdir(parents=True)
    (tmp_path / "templates" / "partials" / "job_card.html").write_text(
        '<li class="job-card my-card"><a class="job-title" href="{{ job.url }}">{{ job.title }}</a> by {{ job.company }}</li>\n')
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "style.css").write_text("/* my own style */\nbody { color: #000; }\n")
    for theme in ("default", "compact"):
        public = build(scratch_site, tmp_path, JOBS, f"theme: {theme}\n")
        home = soup(public / "index.html")
        cards = home.select(".job-list .my-card")
        assert [c.get_text(" ", strip=True) for c in cards] == ["Alpha Engineer by Acme", "Beta Designer by Beta"]
        assert stylesheet_text(public, public / "index.html").startswith("body{color:#000}")
        # the rest of the theme is untouched
        post = soup(public / "jobs" / "alpha" / "index.html")
        assert post.select_one(".posting-facts") and post.select_one(".skip-link")
        assert post.select(".related .my-card")


def test_a_theme_in_the_project_folder_falls_back_to_the_default(scratch_site, tmp_path):
    theme = tmp_path / "themes" / "plain" / "templates"
    theme.mkdir(parents=True)
    (theme / "listing.html").write_text('{% extends "base.html" %}{% block content %}<h1>{{ heading }}</h1>'
                                        '<ol class="job-list plain">{% for job in postings %}<li>{{ job.title }}</li>'
                                        '{% endfor %}</ol>{% endblock %}\n')
    public = build(scratch_site, tmp_path, JOBS, "theme: plain\n")
    assert [li.get_text() for li in soup(public / "index.html").select("ol.plain li")] == ["Alpha Engineer", "Beta Designer"]
    assert soup(public / "jobs" / "beta" / "index.html").select_one(".posting-company").get_text() == "Beta"


def test_theme_flag_overrides_site_yaml(scratch_site, tmp_path):
    public = build(scratch_site, tmp_path, JOBS, "theme: compact\n", "--theme", "default")
    assert soup(public / "index.html").select_one(".job-table-head") is None


OWNER = """title: Rust Jobs
logo: logo.svg
accent_color: "#ffcc00"
nav:
  - {title: About, url: /about/}
  - {title: Blog, url: "https://blog.example.org/"}
footer_text: Run by the Rust community since 2019.
post_job_url: mailto:jobs@example.org
"""


def test_owner_settings_show_on_every_page_in_both_themes(scratch_site, tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"/>')
    for theme in ("default", "compact"):
        public = build(scratch_site, tmp_path, JOBS, OWNER, "--theme", theme)
        for page_file in (public / "index.html", public / "jobs" / "alpha" / "index.html", public / "404.html"):
            page = soup(page_file)
            logo = page.select_one("header .brand img")
            assert logo["alt"] == "" and logo["width"] and logo["height"]
            assert local_file(public, "/", logo["src"]).read_bytes().startswith(b"<svg")
            assert page.select_one("header .brand").get_text(strip=True) == "Rust Jobs"
            nav = {a.get_text(): a["href"] for a in page.select('nav[aria-label="Main"] a')}
            assert nav["About"] == "/about/" and nav["Blog"] == "https://blog.example.org/"
            assert page.select_one("header a.post-job")["href"] == "mailto:jobs@example.org"
            assert "Run by the Rust community since 2019." in page.select_one("footer").get_text()
        css = stylesheet_text(public, public / "index.html")
        assert "--accent:#ffcc00" in css


def test_logo_may_be_a_url_and_post_job_link_is_optional(scratch_site, tmp_path):
    public = build(scratch_site, tmp_path, JOBS, "logo: https://cdn.example.org/logo.png\n")
    page = soup(public / "index.html")
    assert page.select_one(".brand img")["src"] == "https://cdn.example.org/logo.png"
    assert page.select_one(".post-job") is None and "Post a job" not in page.get_text()


def test_accent_colour_keeps_text_readable(scratch_site, tmp_path):
    """A pale accent would make white button text and links unreadable: the build adjusts them."""
    public = build(scratch_site, tmp_path, JOBS, 'accent_color: "#ffcc00"\n')
    css = stylesheet_text(public, public / "index.html")
    settings = css[css.index("--accent:#ffcc00"):]
    light = re.search(r"--on-accent:(#\w+);--link:(#\w+)", settings)
    dark = re.search(r"prefers-color-scheme: dark\)\{:root\{--link:(#\w+)", settings)
    assert contrast(light.group(1), "#ffcc00") >= 4.5
    assert contrast(light.group(2), "#ffffff") >= 4.5 and contrast(dark.group(1), "#12151a") >= 4.5


def test_bad_accent_colour_names_the_setting(scratch_site, tmp_path):
    content = scratch_site(JOBS, "accent_color: blue-ish\n")
    result = run_build("--content", str(content), "--out", str(tmp_path / "public"), "--now", NOW.isoformat())
    assert result.returncode == 1 and "site.yaml: accent_color: 'blue-ish' is not a colour" in result.stderr


def test_pages_load_nothing_from_other_sites_and_images_have_sizes(fixture_boards):
    for theme, public in fixture_boards.items():
        for page_file in public.rglob("*.html"):
            page_url = "/" + page_file.relative_to(public).as_posix().removesuffix("index.html")
            for url in page_assets(page_file, public):
                assert is_local(url), f"{theme}: {page_file.relative_to(public)} loads {url}"
                assert local_file(public, page_url, url).is_file(), f"{theme}: {url} is missing"
            for img in soup(page_file).select("img"):
                assert img.get("width") and img.get("height"), f"{theme}: image without size in {page_file}"
        for css in (public / "static").glob("*.css"):
            text = css.read_text(encoding="utf-8")
            assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text), f"{css.name} loads a remote file"


def test_a_posting_page_weighs_under_30_kb_with_everything_it_loads(sample_boards):
    for theme, public in sample_boards.items():
        for page_file in (public / "jobs").glob("*/index.html"):
            page_url = "/" + page_file.parent.relative_to(public).as_posix() + "/"
            files = [page_file] + [local_file(public, page_url, url) for url in page_assets(page_file, public)]
            total = sum(f.stat().st_size for f in files)
            assert total < 30 * 1024, f"{theme}: {page_url} weighs {total} bytes: " + \
                ", ".join(f"{f.name}={f.stat().st_size}" for f in files)


def test_sample_board_builds_in_every_bundled_theme(sample_boards):
    for theme, public in sample_boards.items():
        assert len(soup(public / "index.html").select(".job-list .job-card")) == 5, theme


def test_root_and_fixture_have_no_project_overrides():
    """The sample board and the fixtures use the bundled themes as they are.

    The project's templates/ and static/ folders exist (that is where overrides go) but hold
    no file of their own yet.
    """
    for folder in (ROOT, FIXTURES / "site"):
        for sub in ("templates", "static"):
            files = [p for p in (folder / sub).rglob("*") if p.is_file() and not p.name.startswith(".")]
            assert files == [], files


def test_stylesheets_are_served_minified_with_the_same_rules():
    css = """/* comment */
@media (max-width: 640px) {
  .a > .b, .c::before { content: " · "; margin: 0 auto ; }
}
"""
    assert minify_css(css) == '@media (max-width: 640px){.a>.b,.c::before{content:" · ";margin:0 auto}}\n'
