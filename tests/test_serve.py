"""The preview server: live rebuilds, the error page, and no live-reload script in deployable output."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, ROOT, run_build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_for(url: str, predicate, timeout: float = 10.0) -> tuple[int, str]:
    """Poll ``url`` until ``predicate(status, body)`` holds; fail with the last response otherwise."""
    deadline = time.monotonic() + timeout
    last = (0, "")
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if predicate(*last):
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {url}; last response {last[0]}: {last[1][:300]}")


@pytest.fixture
def preview(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "site" / "content", site / "content")
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "--now",
                             "2025-03-15"], cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", lambda status, body: status == 200)
        yield site, base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def h1(body: str) -> str:
    return BeautifulSoup(body, "html.parser").h1.get_text(strip=True)


def test_edit_shows_up_and_errors_show_then_clear(preview):
    site, base = preview
    status, body = fetch(base + "/jobs/elixir-dev/")
    assert status == 200 and h1(body) == "Elixir Developer"
    assert "livereload.js" in body  # injected by the server

    job = site / "content" / "jobs" / "elixir-dev.md"
    original = job.read_text()
    started = time.monotonic()
    job.write_text(original.replace("title: Elixir Developer", "title: Elixir Wizard"))
    wait_for(base + "/jobs/elixir-dev/", lambda s, b: s == 200 and h1(b) == "Elixir Wizard", timeout=5)
    assert time.monotonic() - started < 5
    # The listings that show it are rebuilt too.
    wait_for(base + "/tags/elixir/", lambda s, b: "Elixir Wizard" in b, timeout=5)

    job.write_text(original.replace("salary: {min: 60000", "salary: {min: lots"))
    status, body = wait_for(base + "/jobs/elixir-dev/", lambda s, b: s == 500, timeout=5)
    errors = BeautifulSoup(body, "html.parser").select(".build-errors li")
    assert [e.get_text() for e in errors] == ["content/jobs/elixir-dev.md: salary.min: 'lots' must be a number "
                                              "(write 60000, not \"60k\" or \"60,000\")"]
    assert "livereload.js" in body  # so the page reloads once fixed

    job.write_text(original)
    wait_for(base + "/jobs/elixir-dev/", lambda s, b: s == 200 and h1(b) == "Elixir Developer", timeout=5)


def test_preview_shows_drafts_with_badge(preview):
    _, base = preview
    status, body = fetch(base + "/jobs/draft-job/")
    assert status == 200
    assert "Draft" in BeautifulSoup(body, "html.parser").select_one(".badge-draft").get_text()


def test_unknown_page_is_404(preview):
    _, base = preview
    status, body = fetch(base + "/no/such/page/")
    assert status == 404 and h1(body) == "Page not found"


def test_deployable_output_never_contains_live_reload(tmp_path):
    out = tmp_path / "public"
    result = run_build("--content", str(FIXTURES / "site" / "content"), "--out", str(out), "--now", "2025-03-15",
                       "--drafts", "--no-cache")
    assert result.returncode == 0, result.stderr
    for path in out.rglob("*"):
        if path.is_file():
            assert b"livereload" not in path.read_bytes(), path


def test_idle_preview_leaves_the_posting_files_alone_until_one_changes(tmp_path, monkeypatch):
    """A file watcher says when to look: polling 10,000 files every 100 ms kept 45% of a CPU busy."""
    import datetime as dt

    from livereload.handlers import LiveReloadHandler

    from site_gen import serve

    monkeypatch.setattr(LiveReloadHandler, "reload_waiters", classmethod(lambda cls: None))  # no browser here

    shutil.copytree(FIXTURES / "site" / "content", tmp_path / "content")
    preview = serve.Preview(str(tmp_path / "content"), {"now": dt.date(2025, 3, 15)}, tmp_path / "root",
                            log=lambda line: None)
    preview.changed_postings()
    assert preview.watch_postings()
    walks = []
    real = preview.changed_postings
    preview.changed_postings = lambda: walks.append(1) or real()
    try:
        preview.last_walk = time.monotonic()
        time.sleep(0.3)
        for _ in range(10):
            preview.poll_postings()
        assert walks == []  # nothing changed: no walk over the files

        job = tmp_path / "content" / "jobs" / "elixir-dev.md"
        saved = time.monotonic()
        job.write_text(job.read_text().replace("title: Elixir Developer", "title: Elixir Wizard"))
        assert preview.dirty.wait(2)
        assert time.monotonic() - saved < 1
        preview.poll_postings()
        assert walks == []  # the watcher named the file: only it is looked at, not every posting
        page = (tmp_path / "root" / "jobs" / "elixir-dev" / "index.html").read_text()
        assert "Elixir Wizard" in page

        new = tmp_path / "content" / "jobs" / "new-job.md"  # a new posting reaches the site too
        new.write_text(job.read_text().replace("title: Elixir Wizard", "title: Brand New Role"))
        assert preview.dirty.wait(2)
        preview.poll_postings()
        assert walks == []
        assert "Brand New Role" in (tmp_path / "root" / "jobs" / "new-job" / "index.html").read_text()
        preview.last_walk -= serve.SAFETY_WALK  # the safety walk still runs every few seconds
        preview.poll_postings()
        assert walks == [1]
    finally:
        preview.stop_watching.set()
