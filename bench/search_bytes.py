#!/usr/bin/env python3
"""Measure the bytes a one-word search downloads: our split index vs Pagefind, same built site.

Usage (from the repository root):

    python3 gen_corpus.py 10000 /tmp/corpus          # the shared corpus generator
    python3 bench/search_bytes.py /tmp/corpus --work /tmp/search-bench

It builds the board from ``CONTENT`` (a folder with ``jobs/*.md``), runs Pagefind on the built
posting pages (``pip install 'pagefind[bin]'``), serves the folder on 127.0.0.1 and, in a fresh
headless Chromium per query, runs each query both ways, showing the same number of results
(``--shown``). Every response except the page's own HTML is counted, split into index data and
code (JS, wasm, CSS); "gzip" is what a host that compresses responses would send (Pagefind's
files are compressed already, so they stay as they are).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from site_gen.config import load_config  # noqa: E402
from site_gen.pipeline import build  # noqa: E402
from site_gen.static_server import serve_folder  # noqa: E402

QUERIES = ("python", "react", "berlin", "kubernetes")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PAGEFIND_PAGE = """<!doctype html><meta charset="utf-8"><title>Pagefind bench</title>
<script type="module">
const pagefind = await import("/pagefind/pagefind.js");
window.pfSearch = async (q, shown) => {
  const found = await pagefind.search(q);
  const data = await Promise.all(found.results.slice(0, shown).map(r => r.data()));
  return {count: found.results.length, titles: data.map(d => d.meta.title)};
};
window.pfReady = true;
</script>"""


def build_site(content: Path, out: Path, now: dt.date) -> None:
    """Build the board, then let Pagefind index the posting pages of the same output."""
    config = load_config(content, out_dir=str(out), now=now)
    print(build(config, report=lambda line: None).summary_line())
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(out), "--glob", "jobs/**/*.html", "--quiet"],
                   check=True)
    (out / "pagefind-bench.html").write_text(PAGEFIND_PAGE, encoding="utf-8")


def is_code(url: str) -> bool:
    """Tell code (JS, wasm, CSS) from index data."""
    path = url.split("?", 1)[0]
    return path.endswith((".js", ".css", ".pagefind")) and "/fragment/" not in path and "/index/" not in path


def tally(responses, page_url: str) -> dict[str, int]:
    """Sum response bodies, raw and gzip-compressed, split into data and code; skip the page itself."""
    totals = dict.fromkeys(("data", "code", "data_gz", "code_gz", "requests"), 0)
    for response in responses:
        if response.url == page_url or response.status != 200:
            continue
        body = response.body()
        kind = "code" if is_code(response.url) else "data"
        squeezed = body if body[:2] == b"\x1f\x8b" else gzip.compress(body, 9)
        totals[kind] += len(body)
        totals[kind + "_gz"] += min(len(body), len(squeezed))
        totals["requests"] += 1
    return totals


@contextmanager
def recorded(browser, url: str):
    """Open ``url`` in a new page that records every response; yield (page, responses); close it after."""
    page = browser.new_page()
    responses: list = []
    page.on("response", lambda response: responses.append(response))  # Playwright tags the handler: no bound method
    try:
        page.goto(url)
        yield page, responses
    finally:
        page.close()


def measure_ours(browser, root_url: str, query: str, shown: int) -> dict:
    """Open the search page, type the query, wait for results and for the network to settle."""
    url = f"{root_url}/search/"
    with recorded(browser, url) as (page, responses):
        page.wait_for_selector("#search-results li")
        page.wait_for_load_state("networkidle")
        started = time.perf_counter()
        page.fill("#q", query)
        page.wait_for_function("document.getElementById('search-status').textContent.includes('match')", polling=5)
        elapsed = time.perf_counter() - started
        page.wait_for_load_state("networkidle")
        titles = page.locator("#search-results .job-title").all_inner_texts()[:shown]
        count = page.locator("#search-status").inner_text()
        return {"tally": tally(responses, url), "count": count, "titles": titles, "ms": round(elapsed * 1000)}


def measure_ours_direct(browser, root_url: str, query: str) -> dict:
    """Open ``/search/?q=query`` directly (a shared link, the header form): no browse page first."""
    url = f"{root_url}/search/?q={query}"
    with recorded(browser, url) as (page, responses):
        page.wait_for_function("document.getElementById('search-status').textContent.includes('match')")
        page.wait_for_load_state("networkidle")
        return {"tally": tally(responses, url)}


def measure_pagefind(browser, root_url: str, query: str, shown: int) -> dict:
    """Run the same query through Pagefind's JS API and load the data of the results shown."""
    url = f"{root_url}/pagefind-bench.html"
    with recorded(browser, url) as (page, responses):
        page.wait_for_function("window.pfReady === true")
        started = time.perf_counter()
        result = page.evaluate("([q, n]) => window.pfSearch(q, n)", [query, shown])
        elapsed = time.perf_counter() - started
        page.wait_for_load_state("networkidle")
        return {"tally": tally(responses, url), "count": result["count"], "titles": result["titles"],
                "ms": round(elapsed * 1000)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("content", type=Path, help="folder holding jobs/*.md (e.g. gen_corpus.py output)")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder for the built site (replaced)")
    parser.add_argument("--now", type=dt.date.fromisoformat, default=dt.date(2025, 1, 1),
                        help="build date; the default keeps every synthetic posting open")
    parser.add_argument("--shown", type=int, default=10, help="results whose summaries are loaded (default 10)")
    parser.add_argument("--queries", nargs="+", default=list(QUERIES))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--skip-build", action="store_true", help="reuse the site already in --work")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    out = args.work / "site"
    if not args.skip_build:
        shutil.rmtree(out, ignore_errors=True)
        build_site(args.content, out, args.now)
    rows = []
    with serve_folder(out) as root_url, sync_playwright() as p:
        for query in args.queries:
            row = {"query": query}
            for name, measure in (("ours", lambda b: measure_ours(b, root_url, query, args.shown)),
                                  ("ours_direct", lambda b: measure_ours_direct(b, root_url, query)),
                                  ("pagefind", lambda b: measure_pagefind(b, root_url, query, args.shown))):
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                try:
                    row[name] = measure(browser)
                finally:
                    browser.close()
            rows.append(row)
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, sort_keys=True), encoding="utf-8")
    return 0


def kb(n: int) -> str:
    return f"{n / 1024:,.1f}"


def print_table(rows: list[dict]) -> None:
    """Print KiB per query: index data alone and with code, raw and gzip, and request counts."""
    print("| query | engine | data KiB | data+code KiB | data gz | data+code gz | requests | ms to results |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        for name in ("ours", "ours_direct", "pagefind"):
            t = row[name]["tally"]
            print(f"| {row['query']} | {name} | {kb(t['data'])} | {kb(t['data'] + t['code'])} | "
                  f"{kb(t['data_gz'])} | {kb(t['data_gz'] + t['code_gz'])} | {t['requests']} | "
                  f"{row[name].get('ms', '')} |")


if __name__ == "__main__":
    sys.exit(main())
