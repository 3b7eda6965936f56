"""Netlify's _redirects and _headers files, and netlify.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from seo_helpers import CONFIG, posting
from site_gen.netlify import CSP, IMMUTABLE, REVALIDATE, headers, redirect_problem, redirects

ROOT = Path(__file__).resolve().parent.parent


def rules(text):
    """Parse a _headers file into {path: {header: value}} (values of repeated rules combined)."""
    parsed, current = {}, None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith((" ", "\t")):
            current = parsed.setdefault(line.strip(), {})
        else:
            name, value = line.strip().split(":", 1)
            current[name] = value.strip()
    return parsed


def test_redirect_from_paths_redirect_permanently_to_the_posting():
    text, warnings = redirects([posting("back-end-developer", redirect_from=("/post/jobs", "/about/careers/"))])
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == ["/post/jobs /jobs/back-end-developer/ 301", "/about/careers/ /jobs/back-end-developer/ 301"]
    assert warnings == []


@pytest.mark.parametrize("bad", ["http://evil.example/", "//evil.example/x", "old/job", "/a b",
                                 "/a\n/ /evil 200", "/x?id=1", "/x/*", "/x/:id", "/../etc", "", "/a\\b"])
def test_values_that_are_not_site_paths_are_skipped_with_a_warning(bad):
    text, problems = redirects([posting("job", redirect_from=(bad, "/fine/"))])
    warnings = [str(p) for p in problems]
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == ["/fine/ /jobs/job/ 301"]
    assert len(warnings) == 1 and warnings[0].startswith("content/jobs/job.md: redirect_from:")
    assert redirect_problem(bad)


def test_non_ascii_paths_are_percent_encoded():
    text, warnings = redirects([posting("job", redirect_from=("/stellen/köln/",))])
    assert "/stellen/k%C3%B6ln/ /jobs/job/ 301" in text and warnings == []


def test_a_path_claimed_twice_or_shadowed_by_a_page_is_skipped_with_a_warning():
    text, problems = redirects(
        [posting("b", redirect_from=("/old/",)), posting("a", redirect_from=("/old", "/jobs/a/", "/tags/go/"))],
        existing=["/tags/go/", "/jobs/a/", "/jobs/b/"])
    warnings = [str(p) for p in problems]
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert lines == ["/old /jobs/a/ 301"]
    assert len(warnings) == 3
    assert any("already redirects" in w and "content/jobs/b.md" in w for w in warnings)
    assert any("own URL" in w for w in warnings) and any("never fire" in w for w in warnings)


def test_headers_set_the_content_security_policy_on_every_path():
    parsed = rules(headers(CONFIG))
    policy = parsed["/*"]["Content-Security-Policy"]
    assert policy == CSP
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert parsed["/*"]["X-Content-Type-Options"] == "nosniff"
    assert parsed["/*"]["Referrer-Policy"]


OUTPUTS = ["index.html", "404.html", "feed.xml", "feed.json", "sitemap.xml", "robots.txt", "_redirects",
           "jobs/a/index.html", "tags/go/index.html", "static/app.1a2b3c4d.css", "static/search.0f0f0f0f.js"]


def test_fingerprinted_static_files_are_immutable_and_pages_revalidate_without_overlap():
    parsed = rules(headers(CONFIG, OUTPUTS))
    cache = {path: h["Cache-Control"] for path, h in parsed.items() if "Cache-Control" in h}
    assert cache["/static/*"] == IMMUTABLE
    for path in ("/", "/jobs/*", "/tags/*", "/feed.xml", "/404.html"):
        assert cache[path] == REVALIDATE
    assert "/*" not in cache  # Netlify would combine it with the /static/* value
    assert "/_redirects" not in cache
    assert parsed["/feed.xml"]["Content-Type"].startswith("application/atom+xml")
    assert parsed["/feed.json"]["Content-Type"].startswith("application/feed+json")


def test_unhashed_static_files_are_not_cached_forever():
    parsed = rules(headers(CONFIG, OUTPUTS + ["static/logo.png"]))
    assert "/static/*" not in parsed
    assert parsed["/static/app.1a2b3c4d.css"]["Cache-Control"] == IMMUTABLE
    assert parsed["/static/logo.png"]["Cache-Control"] == REVALIDATE


def test_netlify_toml_builds_with_python_311_into_public():
    config = tomllib.loads((ROOT / "netlify.toml").read_text())
    assert config["build"]["publish"] == "public"
    assert "build.py" in config["build"]["command"]
    assert config["build"]["command"] in (ROOT / "README.md").read_text()  # the README's install-and-build line
    assert config["build"]["environment"]["PYTHON_VERSION"] == "3.11"
