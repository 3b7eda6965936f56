"""The search page in a real headless Chromium, against built boards served on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect, sync_playwright

from search_helpers import serve, site_wide_headers
from site_gen import search_index
from site_gen.config import load_config
from site_gen.pipeline import build

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = Path(__file__).resolve().parent / "fixtures" / "site" / "content"
NOW = dt.date(2025, 3, 15)

#: Postings added to the fixture board to exercise search (accents, ranking, hostile text).
EXTRA = {
    "zurich.md": """---
title: Android Lead
company: Crème Brûlée AG
date: 2025-03-05
location: Zürich, Switzerland
remote: "no"
employment_type: full-time
salary: {min: 120000, currency: CHF, period: year}
tags: [Kotlin]
apply: https://creme.example/apply
---
Native apps for our bakeries.
""",
    "kotlin-text.md": """---
title: Mobile Developer
company: Appy
date: 2025-03-14
location: London, UK
employment_type: part-time
apply: https://appy.example/apply
---
We write our apps in Kotlin and Swift.
""",
    "hostile.md": """---
title: 'Hacker <img src=x onerror="window.__xss=1"> Role'
company: '<script>window.__xss=2</script>Evil Corp'
date: 2025-03-03
tags: ['<b>security</b>']
apply: https://evil.example/apply
---
Hello <script>window.__xss=3</script> and <img src=x onerror="window.__xss=4">.

Type `<script>window.__xss=5</script>` to win.
""",
}
NEWEST_FIRST = ["kotlin-text", "python-remote", "elixir-dev", "zurich", "hostile", "go-berlin", "intern"]


@pytest.fixture(scope="module")
def board(tmp_path_factory) -> Path:
    """The fixture board plus the postings above, built once."""
    work = tmp_path_factory.mktemp("search-board")
    content = work / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    for name, text in EXTRA.items():
        (content / "jobs" / name).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        # Tiny shards, so that every test here also walks prefixes split over several files,
        # which only happens on boards of thousands of postings with the real budget.
        patch.setattr(search_index, "SHARD_BUDGET", 10)
        build(load_config(content, out_dir=str(work / "public"), now=NOW), report=lambda line: None)
    return work / "public"


@pytest.fixture(scope="module")
def site_url(board):
    with serve(board) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, errors


def slugs_shown(page) -> list[str]:
    return page.locator("#search-results .job-title a").evaluate_all(
        "links => links.map(a => a.getAttribute('href').split('/')[2])")


def expect_results(page, expected: list[str]) -> None:
    """Wait until the result list shows exactly these postings, in this order."""
    try:
        page.wait_for_function(
            """expected => {
                 const got = [...document.querySelectorAll('#search-results .job-title a')]
                   .map(a => a.getAttribute('href').split('/')[2]);
                 return document.getElementById('search-status').textContent !== 'Loading search…'
                   && JSON.stringify(got) === JSON.stringify(expected);
               }""", arg=expected, timeout=5000)
    except PlaywrightTimeout:
        raise AssertionError(f"results {slugs_shown(page)} != expected {expected}") from None


def open_search(page, site_url: str, query: str = "") -> None:
    page.goto(f"{site_url}/search/{query}")
    page.wait_for_function("document.getElementById('search-status').textContent !== 'Loading search…'")


def type_query(page, text: str) -> None:
    page.fill("#q", text)


def status(page) -> str:
    return page.locator("#search-status").inner_text()


def check(page, group: str, value: str) -> None:
    """Tick a filter value, opening its disclosure first if it is closed."""
    details = page.locator(f"#filter-groups details[data-filter='{group}']")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    details.locator(f"input[value='{value}']").check()


def url_params(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_empty_query_lists_every_open_posting_newest_first(page, site_url):
    open_search(page, site_url)
    expect_results(page, NEWEST_FIRST)
    assert status(page) == "7 jobs open, newest first."
    first = page.locator("#search-results .job-card").first
    assert first.locator(".job-company").inner_text() == "Appy"
    assert first.locator("time").get_attribute("datetime") == "2025-03-14"


def test_typing_a_prefix_finds_the_posting(page, site_url):
    open_search(page, site_url)
    type_query(page, "elix")
    expect_results(page, ["elixir-dev"])
    card = page.locator("#search-results .job-card").first
    assert card.locator(".job-title a").get_attribute("href") == "/jobs/elixir-dev/"
    assert card.locator(".badge-hybrid").inner_text() == "Hybrid"
    assert card.locator(".fact-salary").inner_text() == "EUR 60,000 – 80,000 a year"
    assert card.locator(".tag").all_inner_texts() == ["Elixir", "PostgreSQL"]
    assert status(page) == "1 job matches “elix”."


def test_the_board_index_is_split_finely(board):
    keys = json.loads((board / "search" / "manifest.json").read_text())["shards"].split(" ")
    assert "py" not in keys and any(k.startswith("pyt") for k in keys) and sum(len(k) >= 3 for k in keys) > 10


def test_two_letters_find_words_in_longer_shards(page, site_url):
    open_search(page, site_url)
    type_query(page, "py")  # "python" lives in a longer shard than "py"
    expect_results(page, ["python-remote", "go-berlin", "intern"])


def test_one_typo_and_a_swap_of_the_first_letters_are_forgiven(page, site_url):
    open_search(page, site_url)
    type_query(page, "pyhton")
    expect_results(page, ["python-remote", "go-berlin", "intern"])
    type_query(page, "ypthon")
    expect_results(page, ["python-remote", "go-berlin", "intern"])


def test_case_and_accents_are_ignored(page, site_url):
    open_search(page, site_url)
    type_query(page, "ZURICH")
    expect_results(page, ["zurich"])
    type_query(page, "creme brulee")
    expect_results(page, ["zurich"])


def test_title_and_tag_matches_rank_above_description_matches(page, site_url):
    open_search(page, site_url)
    type_query(page, "kotlin")  # the description match is newer, the tag match still comes first
    expect_results(page, ["zurich", "kotlin-text"])


def test_more_words_narrow_the_results(page, site_url):
    open_search(page, site_url)
    type_query(page, "python")
    expect_results(page, ["python-remote", "go-berlin", "intern"])
    type_query(page, "python remote")
    expect_results(page, ["python-remote"])


def test_a_query_without_results_says_so(page, site_url):
    open_search(page, site_url)
    type_query(page, "xylophone")
    expect_results(page, [])
    assert status(page).startswith("No jobs match “xylophone”")


def test_each_filter_narrows_the_results(page, site_url):
    open_search(page, site_url)
    check(page, "remote", "yes")
    expect_results(page, ["python-remote"])
    page.click("#clear-filters")
    expect_results(page, NEWEST_FIRST)
    check(page, "type", "internship")
    expect_results(page, ["intern"])
    page.click("#clear-filters")
    check(page, "tag", "python")
    expect_results(page, ["python-remote", "go-berlin", "intern"])
    page.click("#clear-filters")
    check(page, "location", "switzerland/zurich")
    expect_results(page, ["zurich"])
    page.click("#clear-filters")
    check(page, "remote_from", "africa")
    expect_results(page, ["python-remote"])
    page.click("#clear-filters")
    check(page, "currency", "eur")
    expect_results(page, ["elixir-dev"])


def test_values_of_one_filter_or_and_different_filters_and(page, site_url):
    open_search(page, site_url)
    check(page, "location", "germany/berlin")
    expect_results(page, ["elixir-dev", "go-berlin", "intern"])
    check(page, "location", "switzerland/zurich")
    expect_results(page, ["elixir-dev", "zurich", "go-berlin", "intern"])
    check(page, "type", "full-time")
    expect_results(page, ["elixir-dev", "zurich"])
    assert url_params(page) == {"location": ["germany/berlin", "switzerland/zurich"], "type": ["full-time"]}


def test_berlin_or_remote_and_places_follow_the_hierarchy(page, site_url):
    open_search(page, site_url, "?location=germany/berlin&location=remote")
    expect_results(page, ["python-remote", "elixir-dev", "go-berlin", "intern"])
    labels = page.locator("#filter-groups details[data-filter='location'] label").all_inner_texts()
    assert [t for t in labels if t.startswith("Berlin")] == ["Berlin, Germany (3)"]  # "Berlin" and "Berlin, Germany" are one
    assert {"Germany (3)", "Europe (5)", "Remote (1)"} <= set(labels)
    row = "#filter-groups details[data-filter='location'] li:has(input[value='{}'])"
    indent = [page.locator(row.format(v)).evaluate("li => parseFloat(getComputedStyle(li).paddingLeft)")
              for v in ("europe", "germany", "germany/berlin")]
    assert indent[0] < indent[1] < indent[2]  # the tree shows: Europe > Germany > Berlin
    open_search(page, site_url, "?location=germany")
    expect_results(page, ["elixir-dev", "go-berlin", "intern"])
    open_search(page, site_url, "?location=europe")
    expect_results(page, ["kotlin-text", "elixir-dev", "zurich", "go-berlin", "intern"])
    type_query(page, "germany")
    expect_results(page, ["elixir-dev", "go-berlin", "intern"])


def test_remote_from_a_country_includes_postings_open_to_its_continent(page, site_url):
    open_search(page, site_url, "?remote_from=africa")
    expect_results(page, ["python-remote"])
    assert page.locator("input[name='remote_from'][value='africa']").is_checked()
    open_search(page, site_url, "?remote_from=europe")
    expect_results(page, [])


def test_minimum_salary_compares_annual_amounts(page, site_url):
    open_search(page, site_url)
    page.fill("#salary-min", "100000")
    page.press("#salary-min", "Enter")
    # USD 50 an hour is 104,000 a year: above the minimum, although "50" < "100000" as text.
    expect_results(page, ["python-remote", "zurich"])
    page.fill("#salary-min", "130000")
    page.press("#salary-min", "Enter")
    # 50 to 70 an hour reaches 145,600 a year: a job that can pay the minimum is shown.
    expect_results(page, ["python-remote"])


def test_filter_counts_follow_the_current_results(page, site_url):
    open_search(page, site_url)
    type_query(page, "python")
    expect_results(page, ["python-remote", "go-berlin", "intern"])

    def count(group, value):
        label = page.locator(f"#filter-groups input[name='{group}'][value='{value}'] + label")
        return label.locator(".filter-count").inner_text()

    page.wait_for_function("document.querySelector(\"input[name='type'][value='internship'] + label\")"
                           "?.textContent.includes('(1)')")
    assert count("type", "internship") == "(1)" and count("type", "contract") == "(1)"
    assert not page.locator("input[name='type'][value='part-time']").is_visible()  # no python part-time job
    check(page, "tag", "python")
    page.wait_for_function("document.querySelector(\"input[name='tag'][value='python'] + label\")"
                           "?.textContent.includes('(3)')")


def test_url_parameters_round_trip(page, site_url):
    open_search(page, site_url, "?q=python&remote=yes")
    expect_results(page, ["python-remote"])
    assert page.input_value("#q") == "python"
    assert page.locator("input[name='remote'][value='yes']").is_checked()
    page.locator("input[name='remote'][value='yes']").uncheck()
    expect_results(page, ["python-remote", "go-berlin", "intern"])
    assert url_params(page) == {"q": ["python"]}
    page.go_back()
    expect_results(page, ["python-remote"])
    assert page.locator("input[name='remote'][value='yes']").is_checked()
    open_search(page, site_url, "?tag=elixir&salary=70000")
    expect_results(page, ["elixir-dev"])  # 60,000 to 80,000 reaches 70,000
    open_search(page, site_url, "?tag=elixir&salary=90000")
    expect_results(page, [])  # elixir-dev pays 80,000 at most
    assert page.input_value("#salary-min") == "90000"


def test_typing_makes_one_history_entry_and_back_returns(page, site_url):
    open_search(page, site_url)
    page.locator("#q").press_sequentially("elixir", delay=30)
    expect_results(page, ["elixir-dev"])
    assert url_params(page) == {"q": ["elixir"]}
    page.go_back()
    expect_results(page, NEWEST_FIRST)
    assert page.input_value("#q") == ""


def test_header_search_form_leads_to_results(page, site_url):
    page.goto(site_url + "/")
    page.fill("#header-q", "golang")
    page.press("#header-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=golang$"))
    expect_results(page, ["python-remote", "go-berlin"])  # site.yaml aliases golang to the tag Go


def test_browser_and_builder_split_words_the_same_way(page, site_url):
    from site_gen.search_codec import tokenise

    samples = ["Zürich ZÜRICH", "Senior C++/C# dev, .NET & Node.js", "São Paulo — ﬁnance_team",
               "naïve café 東京 Ελλάδα", "½ x² İstanbul Straße", "e\u0301cole", "react-native/vue3", "C#/F# .net"]
    open_search(page, site_url)
    assert page.evaluate("s => s.map(t => window.jobSearch.tokenise(t))", samples) == [tokenise(t) for t in samples]


def test_hostile_text_is_shown_as_text_never_run(page, site_url):
    open_search(page, site_url)
    type_query(page, "hacker")
    expect_results(page, ["hostile"])
    card = page.locator("#search-results .job-card")
    assert card.locator(".job-title").inner_text() == 'Hacker <img src=x onerror="window.__xss=1"> Role'
    assert "<script>" in card.locator(".job-company").inner_text()
    assert card.locator("script, img, b").count() == 0
    assert page.evaluate("window.__xss") is None


def test_keyboard_alone_can_search_and_filter(page, site_url):
    open_search(page, site_url)
    page.focus("#q")
    page.keyboard.type("python")
    expect_results(page, ["python-remote", "go-berlin", "intern"])
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-remote-0":
            break
    else:
        raise AssertionError("Tab never reached the first filter")
    page.keyboard.press("Space")
    expect_results(page, ["python-remote"])
    page.focus("#search-results .job-title a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/jobs/python-remote/$"))


def test_inputs_are_labelled_and_the_count_is_announced(page, site_url):
    open_search(page, site_url)
    page.locator("#filter-groups details summary").nth(2).click()  # open the location filter
    page.wait_for_selector("input[name='location']")
    unlabelled = page.evaluate("""[...document.querySelectorAll('#search-app input')]
        .filter(i => !i.labels.length || !i.labels[0].textContent.trim()).map(i => i.id)""")
    assert unlabelled == []
    live = page.locator("#search-status")
    assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"


def test_on_a_phone_the_filters_start_closed_and_results_show(browser, site_url):
    context = browser.new_context(viewport={"width": 400, "height": 800})
    try:
        tab = context.new_page()
        open_search(tab, site_url, "?q=python&tag=python")
        expect_results(tab, ["python-remote", "go-berlin", "intern"])
        opened = tab.locator("#filter-groups details[open]").evaluate_all("d => d.map(x => x.dataset.filter)")
        assert opened == ["tag"]  # only the filter in use
        tab.locator("details[data-filter='remote'] summary").click()
        tab.locator("input[name='remote'][value='yes']").check()
        expect_results(tab, ["python-remote"])
    finally:
        context.close()


def test_a_missing_index_is_reported_not_hidden(page, site_url):
    page.route("**/search/t/**", lambda route: route.fulfill(status=404, body="gone"))
    open_search(page, site_url)
    expect_results(page, NEWEST_FIRST)  # browsing needs no term shards
    type_query(page, "python")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('unavailable')")
    assert "404" in status(page)


def test_without_javascript_the_page_says_so_and_links_to_indexes(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{site_url}/search/")
        notice = tab.locator(".notice")
        assert "needs JavaScript" in notice.inner_text()
        assert notice.locator("a[href='/tags/']").count() == 1
        assert notice.locator("a[href='/locations/']").count() == 1
        assert not tab.locator("#search-app").is_visible()
    finally:
        context.close()


def test_search_script_is_served_only_on_the_search_page(board):
    def scripts(path: Path) -> list[str]:
        html = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        return [s["src"] for s in html.select("script[src]")]

    assert any(re.fullmatch(r"/static/search\.[0-9a-f]{10}\.js", s) for s in scripts(board / "search" / "index.html"))
    for other in ("index.html", "jobs/elixir-dev/index.html", "tags/index.html"):
        assert not any("search" in s for s in scripts(board / other))


def test_search_runs_under_the_sites_content_security_policy(browser, board):
    headers = site_wide_headers(board)
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    context = browser.new_context()
    try:
        with serve(board, headers) as url:
            tab = context.new_page()
            tab.add_init_script("window.__violations = []; document.addEventListener('securitypolicyviolation',"
                                " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
            # Only locator waits here: wait_for_function would need eval, which the policy forbids.
            tab.goto(f"{url}/search/?q=python")
            links = tab.locator("#search-results .job-title a")
            expect(links).to_have_count(3)
            check(tab, "tag", "python")
            expect(tab.locator("#search-status")).to_have_text("3 jobs match “python” with these filters.")
            assert [a.split("/")[2] for a in links.evaluate_all("l => l.map(a => a.getAttribute('href'))")] == \
                ["python-remote", "go-berlin", "intern"]
            assert tab.evaluate("window.__violations") == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def many_url(tmp_path_factory):
    """A board of 23 similar postings, one a day, for paging through results."""
    work = tmp_path_factory.mktemp("many-board")
    jobs = work / "content" / "jobs"
    jobs.mkdir(parents=True)
    for n in range(1, 24):
        jobs.joinpath(f"job-{n:02d}.md").write_text(
            f"---\ntitle: Rust Engineer {n}\ncompany: Crab {n}\ndate: 2025-01-{n:02d}\n"
            f"apply: https://crab.example/{n}\n---\nSystems work.\n", encoding="utf-8")
    build(load_config(work / "content", out_dir=str(work / "public"), now=NOW), report=lambda line: None)
    with serve(work / "public") as url:
        yield url


def test_show_more_adds_the_next_results_and_moves_focus_to_them(page, many_url):
    open_search(page, many_url, "?q=rust")
    expect_results(page, [f"job-{n:02d}" for n in range(23, 13, -1)])
    assert status(page) == "23 jobs match “rust”."
    page.click("#search-more")
    expect_results(page, [f"job-{n:02d}" for n in range(23, 3, -1)])
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/jobs/job-13/"
    page.click("#search-more")
    expect_results(page, [f"job-{n:02d}" for n in range(23, 0, -1)])
    assert not page.locator("#search-more").is_visible()


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory):
    """The sample board shipped in content/, built and served."""
    out = tmp_path_factory.mktemp("sample-board") / "public"
    build(load_config(ROOT / "content", out_dir=str(out), now=dt.date(2026, 11, 22)), report=lambda line: None)
    with serve(out) as url:
        yield url


def test_sample_board_finds_every_elixir_posting(page, sample_url):
    texts = {p.stem: p.read_text(encoding="utf-8").lower() for p in (ROOT / "content" / "jobs").glob("*.md")}
    open_search(page, sample_url)
    total = int(status(page).split()[0])
    type_query(page, "elix")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('elix')")
    shown = set(slugs_shown(page))
    assert shown and len(shown) < total
    assert all("elixir" in texts[slug] for slug in shown)
    assert len(shown) == sum("elixir" in text for text in texts.values())


def test_sample_board_search_finds_what_the_location_pages_list(page, sample_url):
    for slug in ("germany", "europe"):
        page.goto(f"{sample_url}/locations/{slug}/")
        listed = {a.split("/")[-2] for a in page.locator(".job-card .job-title a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))")}
        assert listed
        open_search(page, sample_url, f"?location={slug}")
        page.wait_for_function("document.getElementById('search-status').textContent.includes('match')")
        assert set(slugs_shown(page)) == listed
        open_search(page, sample_url, f"?q={slug}")
        page.wait_for_function(f"document.getElementById('search-status').textContent.includes('{slug}')")
        assert listed <= set(slugs_shown(page))
