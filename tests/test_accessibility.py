"""Accessibility of every page type, in both themes, light and dark, in headless Chromium.

axe-core (bundled by the axe-playwright-python package) must find no serious or critical
violation; keyboard users get a skip link, visible focus and labelled landmarks.
"""

from __future__ import annotations

import pytest

from theme_helpers import THEMES, chromium, fixture_boards, serve  # noqa: F401

#: One page of every type the board builds (the fixture board has 2 postings per page).
PAGES = {
    "home": "/",
    "home page 2": "/page/2/",
    "posting": "/jobs/elixir-dev/",
    "closed posting": "/jobs/old-job/",
    "draft posting": "/jobs/draft-job/",
    "tag index": "/tags/",
    "tag": "/tags/go/",
    "location index": "/locations/",
    "location": "/locations/germany/berlin/",
    "continent": "/locations/europe/",  # issue 9: place hierarchy, remote areas, salary-sorted copies
    "remote area": "/remote/africa/",
    "salary sorted": "/salary/",
    "company index": "/companies/",
    "company": "/companies/acme/",
    "remote": "/remote/",
    "search": "/search/",
    "search results": "/search/?q=python",
    "404": "/404.html",
}


@pytest.fixture(scope="module")
def servers(fixture_boards):
    """Base URL of each theme's board."""
    with serve(fixture_boards["default"]) as default, serve(fixture_boards["compact"]) as compact:
        yield {"default": default, "compact": compact}


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def pages(browser):
    """One tab per colour scheme, reused by every test of the module."""
    tabs = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 800})
        tabs[scheme] = context.new_page()
    yield tabs
    for tab in tabs.values():
        tab.context.close()


def axe_problems(page) -> list[str]:
    """Serious and critical axe-core violations on the loaded page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("theme", THEMES)
def test_no_serious_axe_violations(servers, pages, theme, scheme):
    tab = pages[scheme]
    problems = {}
    for name, path in PAGES.items():
        response = tab.goto(servers[theme] + path)
        assert response.ok, f"{path}: HTTP {response.status}"
        found = axe_problems(tab)
        if found:
            problems[name] = found
    assert not problems, f"{theme}/{scheme}: {problems}"


@pytest.mark.parametrize("theme", THEMES)
def test_landmarks_language_and_skip_link(servers, pages, theme):
    tab = pages["light"]
    for path in PAGES.values():
        tab.goto(servers[theme] + path)
        assert tab.get_attribute("html", "lang") == "en"
        assert tab.locator("main#main").count() == 1
        assert tab.get_by_role("banner").count() == 1 and tab.get_by_role("contentinfo").count() == 1
        assert tab.get_by_role("navigation", name="Main").count() == 1
        assert tab.locator("h1").count() == 1, path
    tab.goto(servers[theme] + "/jobs/elixir-dev/")
    tab.keyboard.press("Tab")
    skip = tab.locator(":focus")
    assert skip.get_attribute("class") == "skip-link" and skip.inner_text() == "Skip to content"
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 20, "skip link is not visible when focused"
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.closest('main') !== null"), "Tab after skipping should land in main"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("theme", THEMES)
def test_keyboard_focus_is_visible(servers, pages, theme, scheme):
    """Every focusable element of a page shows an outline or ring when reached with Tab."""
    tab = pages[scheme]
    tab.goto(servers[theme] + "/jobs/elixir-dev/")
    seen = 0
    for _ in range(40):
        tab.keyboard.press("Tab")
        style = tab.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return {tag: e.tagName, text: (e.innerText || e.id || '').slice(0, 30),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                    ring: s.boxShadow !== 'none'}; }""")
        if style["tag"] == "BODY":
            break
        assert style["outline"] or style["ring"], f"{theme}/{scheme}: no visible focus on {style}"
        seen += 1
    assert seen >= 10
