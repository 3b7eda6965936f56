"""The Content-Security-Policy from _headers, enforced by a real browser on built pages."""

from __future__ import annotations

import pytest
from playwright import sync_api as playwright

from search_helpers import serve, site_wide_headers

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WATCH = ("window.__violations = [];"
         "document.addEventListener('securitypolicyviolation',"
         " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")


@pytest.fixture
def served(sample_site):
    with serve(sample_site, site_wide_headers(sample_site)) as base:
        yield base


def test_pages_load_under_the_csp_with_styles_and_json_ld_intact(served):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(WATCH)
            for url in ("/", "/jobs/back-end-developer/", "/tags/elixir/", "/search/"):
                response = page.goto(served + url)
                assert "script-src 'self'" in response.headers["content-security-policy"]
                assert page.evaluate("window.__violations") == [], url
                assert page.evaluate("document.styleSheets.length") >= 1
            page.goto(served + "/jobs/back-end-developer/")
            data = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
            assert data["@type"] == "JobPosting"
            # The policy is really enforced: an injected inline script is blocked and reported.
            page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.pwned = 1';"
                          " document.head.appendChild(s); }")
            assert page.evaluate("window.pwned") is None
            assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
        finally:
            browser.close()
