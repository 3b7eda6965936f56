"""Shared fixtures: a fixed build date, scratch sites in tmp_path, and built boards."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import subprocess
import tempfile
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# Builds keep a signing key (and the gazetteer's index) in the user's cache folder: tests use their own.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="site-gen-test-cache-")
atexit.register(shutil.rmtree, os.environ["XDG_CACHE_HOME"], True)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = dt.date(2025, 3, 15)
SAMPLE_NOW = dt.date(2026, 11, 22)


def run_build(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``python build.py ARGS`` the way a user does and capture what it prints."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=300)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listed_titles(page: BeautifulSoup) -> list[str]:
    """Titles of the job cards on one listing page, in order."""
    return [a.get_text(strip=True) for a in page.select(".job-list .job-title a")]


def all_listing_titles(public: Path, base: str) -> list[str]:
    """Follow the pagination of a listing from ``base`` and collect every title in order."""
    titles, url = [], base
    while url:
        page = soup(public / url.strip("/") / "index.html")
        titles += listed_titles(page)
        nxt = page.select_one('.pagination a[rel="next"]')
        url = nxt["href"] if nxt else None
    return titles


@pytest.fixture
def now() -> dt.date:
    return NOW


@pytest.fixture
def scratch_site(tmp_path):
    """Make a content folder from ``{relative path: text}`` and return its path."""

    def make(files: dict[str, str | bytes], site_yaml: str | None = None) -> Path:
        content = tmp_path / "content"
        (content / "jobs").mkdir(parents=True, exist_ok=True)
        if site_yaml is not None:
            (content / "site.yaml").write_text(site_yaml, encoding="utf-8")
        for rel, text in files.items():
            path = content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return content

    return make


def posting(title="A Job", company="Acme", date="2025-03-01", body="Description.", **fields) -> str:
    """Text of a posting file with the given front-matter fields."""
    import yaml

    meta = {"title": title, "company": company, "date": date, **fields}
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n" + body + "\n"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The small fixture board (tests/fixtures/site), built once with a fixed date."""
    out = tmp_path_factory.mktemp("fixture") / "public"
    result = run_build("--content", str(FIXTURES / "site" / "content"), "--out", str(out), "--now", NOW.isoformat(),
                       "--no-cache")  # never a cache folder inside tests/fixtures
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample board shipped in content/, built once."""
    out = tmp_path_factory.mktemp("sample") / "public"
    result = run_build("--content", str(ROOT / "content"), "--out", str(out), "--now", SAMPLE_NOW.isoformat(),
                       "--no-cache")
    assert result.returncode == 0, result.stderr
    return out
