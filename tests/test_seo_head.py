"""The seo_head partial: canonical link, feed links, Open Graph, Twitter card and JSON-LD."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
import pytest
from bs4 import BeautifulSoup

from seo_helpers import CONFIG, posting
from site_gen.jsonld import posting_script

TEMPLATES = Path(__file__).resolve().parent.parent / "site_gen" / "themes" / "default" / "templates"


@pytest.fixture(scope="module")
def env():
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                     undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.globals["job_posting_json_ld"] = lambda p: posting_script(p, CONFIG)
    return environment


def head(env, page, **context):
    html = env.get_template("partials/seo_head.html").render(page=page, site=CONFIG, **context)
    return BeautifulSoup(f"<head>{html}</head>", "html.parser")


def meta(soup, key):
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag and tag["content"]


def test_index_page_has_canonical_feeds_and_website_tags(env):
    soup = head(env, {"title": "Elixir Jobs", "description": "Open positions & more", "canonical": "https://jobs.example.org/",
                      "feeds": [("Atom", "https://jobs.example.org/feed.xml", "application/atom+xml"),
                                ("JSON", "https://jobs.example.org/feed.json", "application/feed+json")]})
    assert soup.find("link", rel="canonical")["href"] == "https://jobs.example.org/"
    feeds = {link["type"]: link["href"] for link in soup.find_all("link", rel="alternate")}
    assert feeds == {"application/atom+xml": "https://jobs.example.org/feed.xml",
                     "application/feed+json": "https://jobs.example.org/feed.json"}
    assert meta(soup, "og:type") == "website" and meta(soup, "og:site_name") == "Elixir Jobs"
    assert meta(soup, "og:description") == "Open positions & more"
    assert meta(soup, "twitter:card") == "summary"
    assert soup.find("script") is None


def test_posting_page_has_article_tags_and_parseable_json_ld(env):
    p = posting(title='Dev "</script><script>alert(1)</script>', locations=("Berlin, Germany",), tags=("elixir",))
    soup = head(env, {"title": p.title, "description": p.summary, "canonical": "https://jobs.example.org/jobs/x/"},
                posting=p)
    assert meta(soup, "og:type") == "article" and meta(soup, "og:title") == p.title
    assert meta(soup, "twitter:title") == p.title and meta(soup, "og:url") == "https://jobs.example.org/jobs/x/"
    assert meta(soup, "article:tag") == "elixir"
    scripts = soup.find_all("script")
    assert len(scripts) == 1 and json.loads(scripts[0].string)["title"] == p.title
    assert soup.find("meta", attrs={"name": "robots"}) is None


def test_empty_description_falls_back_to_the_site_description(env):
    soup = head(env, {"title": "t", "description": "", "canonical": "https://x/"})
    assert meta(soup, "og:description") == CONFIG.description == meta(soup, "twitter:description")


def test_closed_posting_page_has_no_json_ld(env):
    soup = head(env, {"title": "t", "description": "d", "canonical": "https://x/"},
                posting=posting(locations=("Berlin, Germany",), closed=True))
    assert soup.find("script") is None and meta(soup, "og:type") == "article"


def test_draft_preview_is_not_indexed(env):
    soup = head(env, {"title": "t", "description": "d", "canonical": "https://x/"}, posting=posting(draft=True))
    assert meta(soup, "robots") == "noindex"
