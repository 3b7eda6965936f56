#!/usr/bin/env python3
"""Measure how soon an edited posting is served by the preview server (``build.py serve``) at 10,000 postings.

    python bench/serve_latency.py [--size 10000] [--edits 5] [--browser]

Starts serve on a free 127.0.0.1 port against a fresh copy of the corpus, waits until the posting's page
answers, then ``--edits`` times writes a new title into one posting and polls that posting's URL over HTTP
until the new title appears. Reports each latency (save -> served) and the median; the target is 300 ms.
With ``--browser`` a headless Chromium tab shows the page instead, and the clock stops when live reload has
put the new title on screen: what a user sees, including the reload request's wait.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import MB, REPO, _members, _tree_rss, corpus_options, ensure_corpus, median  # noqa: E402

sys.path.insert(0, str(REPO))
from site_gen.urls import slugify  # noqa: E402

NOW = "2025-06-01"
TARGET_MS = 300


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus_options(p, 10000)
    p.add_argument("--edits", type=int, default=5, help="edits to time (default 5)")
    p.add_argument("--start-timeout", type=float, default=900, help="seconds to wait for serve to answer")
    p.add_argument("--edit-timeout", type=float, default=60, help="seconds to wait for one edit to show")
    p.add_argument("--pause", type=float, default=15.0,
                   help="seconds between edits, so each starts after the last background rebuild (default 15)")
    p.add_argument("--poll", type=float, default=0.005, help="seconds between polls (default 5 ms)")
    p.add_argument("--browser", action="store_true",
                   help="watch the page in headless Chromium (Playwright, live reload) instead of polling HTTP")
    p.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium for --browser (default: Debian's)")
    return p.parse_args(argv)


def free_port() -> int:
    """Ask the OS for a free port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_options() -> str | None:
    """Return serve's --help text, or None when this build has no serve command yet."""
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--help"],
                          capture_output=True, text=True, cwd=REPO)
    return done.stdout if done.returncode == 0 and "--port" in done.stdout else None


def serve_cmd(help_text: str, content: Path, out: Path, port: int) -> list[str]:
    """Build the serve command from the options serve actually offers."""
    cmd = [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)]
    for flag, value in (("--content", content), ("--out", out), ("--now", NOW), ("--host", "127.0.0.1"),
                        ("--bind", "127.0.0.1")):
        if re.search(rf"{flag}\b", help_text):
            cmd += [flag, str(value)]
    for flag in ("--no-browser", "--no-open", "--quiet"):
        if re.search(rf"{flag}\b", help_text):
            cmd.append(flag)
    return cmd


def fetch(url: str) -> tuple[int, str]:
    """GET a URL without caches; return (status, body), status 0 when nothing answers."""
    request = urllib.request.Request(url, headers={"Cache-Control": "no-cache", "Pragma": "no-cache"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def wait_until(predicate, timeout: float, poll: float, server: subprocess.Popen) -> float | None:
    """Poll until predicate() is true; return when (perf_counter) or None on timeout / server exit."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():
            return time.perf_counter()
        if server.poll() is not None:
            return None
        time.sleep(poll)
    return None


def set_title(path: Path, title: str) -> None:
    """Rewrite the front matter's title line in place, as an editor saving the file would."""
    text = path.read_text(encoding="utf-8")
    new = re.sub(r"(?m)^title:.*$", f"title: {title}", text, count=1)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(new)


class MemoryWatch(threading.Thread):
    """Sample the server's process-tree RSS every 100 ms, to report its peak alongside the latency."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil
        self.proc, self.peak, self.stop = psutil.Process(pid), 0, threading.Event()

    def run(self) -> None:
        members: list = []
        tick = 0
        while not self.stop.wait(0.1):
            if tick % 10 == 0:  # rescanning /proc for workers is the costly part: once a second
                members = _members(self.proc)
            self.peak = max(self.peak, _tree_rss(self.proc, members)[0])
            tick += 1


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class BrowserProbe:
    """A headless Chromium tab on the posting's page: sees the new title only after live reload shows it."""

    def __init__(self, url: str, chromium: str):
        from playwright.sync_api import sync_playwright
        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        self.page = self.browser.new_page()
        self.page.goto(url)
        self.page.wait_for_timeout(1000)  # let the live-reload script connect its WebSocket

    def shows(self, token: str) -> bool:
        try:  # the page may be mid-reload: its old context is gone, try again at the next poll
            return bool(self.page.evaluate("t => document.documentElement.innerText.includes(t)", token))
        except Exception:  # noqa: BLE001 - Playwright raises several error types during navigation
            return False

    def close(self) -> None:
        self.browser.close()
        self.pw.stop()


def idle_cpu_percent(pid: int, seconds: float) -> float:
    """CPU the server's process tree burns while nothing changes (file watching by polling costs CPU)."""
    import psutil

    def used() -> float:
        total = 0.0
        for p in _members(psutil.Process(pid)):
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass
        return total

    before = used()
    time.sleep(seconds)
    return 100 * (used() - before) / seconds


def pick_posting(content: Path) -> Path:
    """Take a posting from the middle of the sorted list: deterministic, and not a special first or last."""
    paths = sorted((content / "jobs").glob("*.md"))
    return paths[len(paths) // 2]


def run(args: argparse.Namespace) -> int:
    help_text = serve_options()
    if help_text is None:
        print("This build has no `build.py serve --port N` yet; nothing to measure.", file=sys.stderr)
        return 2
    corpus = ensure_corpus(args.shared, args.size, args.work, log=lambda m: print(m, file=sys.stderr))
    scratch = Path(tempfile.mkdtemp(prefix="serve-latency-", dir=args.work))
    content = scratch / "content"
    shutil.copytree(corpus, content, ignore=shutil.ignore_patterns(".complete"))
    posting = pick_posting(content)
    port = free_port()
    url = f"http://127.0.0.1:{port}/jobs/{slugify(posting.stem, 'posting')}/"
    cmd = serve_cmd(help_text, content, scratch / "public", port)
    print(f"$ {' '.join(cmd)}\nwatching {url}", file=sys.stderr)
    log = open(scratch / "serve.log", "wb")
    started = time.perf_counter()
    server = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    watch = MemoryWatch(server.pid)
    watch.start()
    latencies: list[float] = []
    probe: BrowserProbe | None = None
    try:
        ready = wait_until(lambda: fetch(url)[0] == 200, args.start_timeout, 0.1, server)
        if ready is None:
            print(f"serve did not answer {url} (see {scratch / 'serve.log'})", file=sys.stderr)
            return 1
        print(f"serve answered after {ready - started:.1f}s", file=sys.stderr)
        if args.browser:
            probe = BrowserProbe(url, args.chromium)
            shows = probe.shows
        else:
            shows = lambda token: token in fetch(url)[1]  # noqa: E731
        idle = idle_cpu_percent(server.pid, args.pause)
        print(f"serve idles at {idle:.0f}% of one CPU (watching {args.size:,} postings)", file=sys.stderr)
        for i in range(args.edits):
            token = f"Latency probe {i} {os.getpid()} {time.time_ns() % 10**9}"
            saved = time.perf_counter()
            set_title(posting, token)
            saved_done = time.perf_counter()
            seen = wait_until(lambda: shows(token), args.edit_timeout, args.poll, server)
            if seen is None:
                print(f"edit {i + 1}: new title not served within {args.edit_timeout:.0f}s", file=sys.stderr)
                return 1
            latencies.append(1000 * (seen - saved_done))
            print(f"edit {i + 1}: {latencies[-1]:.0f} ms (write took {1000 * (saved_done - saved):.1f} ms)",
                  file=sys.stderr)
            time.sleep(args.pause)
    finally:
        if probe is not None:
            probe.close()
        watch.stop.set()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()
    mid = median(latencies)
    how = "in Chromium via live reload" if args.browser else "over HTTP"
    idle_note = f"; idle CPU {idle:.0f}%"
    print(f"\nserve at {args.size:,} postings ({how}): startup until the page answers {ready - started:.1f}s; "
          f"edit -> served latency over {len(latencies)} edits: median {mid:.0f} ms "
          f"(min {min(latencies):.0f}, max {max(latencies):.0f}); target ≤{TARGET_MS} ms: "
          f"{'meets' if mid <= TARGET_MS else 'misses'}; server tree peak RSS {watch.peak / MB:.0f} MB{idle_note}")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
