"""Shared by the theme, accessibility and HTML-validity tests: boards built in each theme, a
local web server and one headless Chromium (Debian's, never a downloaded one)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

import search_helpers
from conftest import FIXTURES, NOW, ROOT, SAMPLE_NOW, run_build

THEMES = ("default", "compact")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_board(content: Path, out: Path, now, *args: str) -> Path:
    """Build ``content`` into ``out`` like a user does; fail the test with the build's stderr."""
    result = run_build("--content", str(content), "--out", str(out), "--now", now.isoformat(), "--no-cache", *args)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def fixture_boards(tmp_path_factory) -> dict[str, Path]:
    """The fixture board (drafts included, so the draft badge is checked too) in every theme."""
    root = tmp_path_factory.mktemp("themed-fixture")
    return {theme: build_board(FIXTURES / "site" / "content", root / theme, NOW, "--theme", theme, "--drafts")
            for theme in THEMES}


@pytest.fixture(scope="session")
def sample_boards(tmp_path_factory) -> dict[str, Path]:
    """The sample board of content/ in every theme."""
    root = tmp_path_factory.mktemp("themed-sample")
    return {theme: build_board(ROOT / "content", root / theme, SAMPLE_NOW, "--theme", theme) for theme in THEMES}


serve = search_helpers.serve  # one local test server for every browser test


@contextmanager
def chromium():
    """One headless Debian Chromium for a test module."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install -y chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def page_assets(html_file: Path, public: Path) -> list[str]:
    """Every file a browser fetches to show the page: stylesheets, icons, scripts, images."""
    page = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    urls = [link["href"] for link in page.select("link[href]")
            if {"stylesheet", "icon", "preload", "modulepreload"} & set(link.get("rel", []))]
    urls += [tag["src"] for tag in page.select("script[src], img[src], source[src], iframe[src]")]
    return urls


def is_local(url: str) -> bool:
    """True for a URL served by the board itself (no scheme or host)."""
    parts = urlparse(url)
    return not parts.scheme and not parts.netloc


def local_file(public: Path, page_url: str, url: str) -> Path:
    """The built file a same-site URL points at."""
    path = urlparse(urljoin(page_url, url)).path
    target = public / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target
