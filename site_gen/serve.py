"""Local preview: build into a temporary folder, serve it, rebuild on every edit, reload the browser.

The preview never touches the deploy folder (MkDocs ``serve`` does the same), and the
live-reload script is injected into responses by the server, so it is never written to disk.
Rebuilds go through the same pipeline as ``build`` with an in-memory cache, so an edited
posting re-renders its page and the listings that show it, not the whole board.
"""

from __future__ import annotations

import dataclasses
import html
import mimetypes
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from . import load, render, validate
from .cache import BuildCache
from .config import SiteConfig, load_config
from .errors import ContentError, Problem, SiteGenError
from .model import is_closed
from .pipeline import BuildResult, build
from .write import write_changes


@dataclass
class Preview:
    """The preview's state: where the site is built and the last build's error, if any."""

    content_dir: str
    overrides: dict
    root: Path
    cache: BuildCache = field(default_factory=lambda: BuildCache(None))
    error: str | None = None
    log: Callable[[str], None] = print
    last: BuildResult | None = None  #: the last successful build (for instant single-page updates)
    mtimes: dict[str, int] = field(default_factory=dict)  #: posting file -> mtime at the last look
    lock: threading.Lock = field(default_factory=threading.Lock)  #: one build at a time
    state_lock: threading.Lock = field(default_factory=threading.Lock)
    worker: threading.Thread | None = None  #: the background rebuild, while it runs
    again: bool = False  #: an edit arrived during the background rebuild
    watching: bool = False  #: a file watcher reports changes under jobs/ (else every poll walks the files)
    dirty: threading.Event = field(default_factory=threading.Event)  #: the watcher saw a change
    stop_watching: threading.Event = field(default_factory=threading.Event)
    last_walk: float = 0.0  #: time.monotonic() of the last walk over the posting files
    reported: set[str] = field(default_factory=set)  #: paths the watcher reported since the last look
    reported_lock: threading.Lock = field(default_factory=threading.Lock)
    wake: Callable[[], None] | None = None  #: asks the server's loop to look now (set by ``serve``)

    def config(self) -> SiteConfig:
        return replace(load_config(self.content_dir, **self.overrides), out_dir=str(self.root), drafts=True)

    def changed_postings(self) -> list[str]:
        """Posting files added, changed or removed since the last look (cheap: one stat per file)."""
        now: dict[str, int] = {}
        for dirpath, _, files in os.walk(Path(self.content_dir) / "jobs"):
            for name in files:
                if name.endswith(".md"):
                    path = os.path.join(dirpath, name)
                    try:
                        now[path] = os.stat(path).st_mtime_ns
                    except OSError:
                        pass
        changed = [p for p in now.keys() | self.mtimes.keys() if now.get(p) != self.mtimes.get(p)]
        self.mtimes = now
        return changed

    def changed_among(self, reported: set[str]) -> list[str] | None:
        """Like ``changed_postings``, for the files the watcher named only; None when a walk is needed.

        Stats a handful of files instead of every posting (~40 ms at 10,000). Anything but a
        Markdown file under jobs/ (a folder renamed, say) asks for the walk.
        """
        jobs = str(Path(self.content_dir) / "jobs")
        jobs_abs = os.path.abspath(jobs)
        changed = []
        for reported_path in sorted(reported):
            relative = os.path.relpath(os.path.abspath(reported_path), jobs_abs)
            if relative.startswith("..") or not relative.endswith(".md"):
                return None
            path = os.path.join(jobs, relative)
            try:
                mtime: int | None = os.stat(path).st_mtime_ns
            except FileNotFoundError:
                mtime = None
            except OSError:
                return None
            if mtime != self.mtimes.get(path):
                changed.append(path)
                if mtime is None:
                    self.mtimes.pop(path, None)
                else:
                    self.mtimes[path] = mtime
        return changed

    def quick_update(self, changed: list[str]) -> bool:
        """Re-render just the edited posting's page at once; the full rebuild follows.

        Only for one edited posting that keeps its slug and validates; anything else waits for
        the full rebuild, which is always what decides the final state.
        """
        if self.last is None or self.error is not None or len(changed) != 1 or not os.path.isfile(changed[0]):
            return False
        config = self.config()
        source = load.read_source(Path(changed[0]), config.max_file_bytes, Path(config.content_dir).parent)
        if isinstance(source, Problem):
            return False
        posting, problems, _ = validate.validate(source, config)
        site = self.last.site
        old = next((p for p in site.pages if p.source == source.path), None) if site else None
        if posting is None or problems or old is None or old.slug != posting.slug:
            return False
        posting = dataclasses.replace(posting, closed=is_closed(posting.valid_through, config.now))
        output = render.render_posting(site, self.last.static_urls, posting)
        write_changes([output], self.root, {}, {})
        return True

    def rebuild(self) -> None:
        """Build again; on failure keep the last good site on disk and remember the error to show."""
        started = time.perf_counter()
        try:
            result = build(self.config(), report=self.log, cache=self.cache, in_place=True)
        except ContentError as exc:
            self.error = "\n".join(str(p) for p in exc.problems)
            self.log(f"Build failed ({len(exc.problems)} problem(s)); the browser shows them:\n{self.error}")
            return
        except SiteGenError as exc:
            self.error = str(exc)
            self.log(f"Build failed: {exc}")
            return
        self.error = None
        if result.site is not None:
            self.last = result
        self.log(f"{result.summary_line()} [preview, {time.perf_counter() - started:.2f}s]")

    def on_change(self) -> None:
        """Watcher callback for settings, templates and static files: rebuild (livereload then reloads)."""
        with self.lock:
            self.rebuild()

    def watch_postings(self) -> bool:
        """Start a thread that sets ``dirty`` when anything under jobs/ changes (inotify on Linux).

        Without it every poll stats every posting file: at 10,000 postings the idle preview
        kept 45% of a CPU busy. Returns False (and polling goes on as before) when the folder
        cannot be watched.
        """
        try:
            import watchfiles
        except ImportError:
            return False
        jobs = Path(self.content_dir) / "jobs"
        if not jobs.is_dir():
            return False

        def run() -> None:
            try:
                for changes in watchfiles.watch(jobs, watch_filter=None, debounce=50, step=5, rust_timeout=500,
                                                stop_event=self.stop_watching, raise_interrupt=False):
                    with self.reported_lock:
                        self.reported.update(path for _, path in changes)
                    self.dirty.set()
                    if self.wake is not None:
                        self.wake()  # look now rather than at the next 100 ms poll
            except Exception:  # noqa: BLE001 - e.g. out of inotify watches: fall back to walking
                pass
            self.watching = False
            self.dirty.set()

        self.watching = True
        threading.Thread(target=run, name="site-gen-watch", daemon=True).start()
        return True

    def poll_postings(self) -> None:
        """Check the posting files (every 100 ms): show an edited posting at once, then rebuild the rest.

        The browser is told to reload as soon as the edited page is written; the full rebuild
        starts a moment later in a thread, so the reloaded page is served without waiting for it.
        With a file watcher the files are walked only after it reports a change (and every
        ``SAFETY_WALK`` seconds in case it missed one).
        """
        from livereload.handlers import LiveReloadHandler
        from tornado import ioloop

        due = time.monotonic() - self.last_walk >= SAFETY_WALK
        if self.watching and not self.dirty.is_set() and not due:
            return
        self.dirty.clear()
        with self.reported_lock:
            reported, self.reported = self.reported, set()
        changed = self.changed_among(reported) if self.watching and reported and not due else None
        if changed is None:
            self.last_walk = time.monotonic()
            changed = self.changed_postings()
        if not changed:
            return
        loop = ioloop.IOLoop.current()
        if self.quick_update(changed):
            self.log("Updated the edited posting's page; rebuilding the pages that list it")
            LiveReloadHandler.reload_waiters()
            done = lambda: loop.add_callback(LiveReloadHandler.reload_waiters)  # noqa: E731
            loop.call_later(QUICK_RELOAD_GRACE, lambda: self.rebuild_in_background(done))
        else:
            with self.lock:
                self.rebuild()
            LiveReloadHandler.reload_waiters()

    def rebuild_in_background(self, done: Callable[[], None]) -> None:
        """Rebuild in a thread, so the server keeps answering (the reloaded page) meanwhile.

        Edits arriving during a rebuild cause one more rebuild when it ends; ``done`` runs
        after the last one (it asks the browsers to reload again).
        """
        with self.state_lock:
            if self.worker is not None and self.worker.is_alive():
                self.again = True
                return
            self.again = False

            def work() -> None:
                while True:
                    with self.lock:
                        self.rebuild()
                    with self.state_lock:
                        if not self.again:
                            self.worker = None
                            break
                        self.again = False
                done()

            self.worker = threading.Thread(target=work, name="preview-rebuild", daemon=True)
            self.worker.start()

    def wsgi(self, environ: dict, start_response) -> Iterable[bytes]:
        """Serve the built files, or the error page while the content is broken."""
        path = environ.get("PATH_INFO", "/")
        target = self._resolve(path)
        is_page = target is None or target.suffix == ".html"
        if self.error is not None and is_page:
            return self._respond(start_response, "500 Internal Server Error", "text/html; charset=utf-8",
                                 error_page(self.error))
        if target is None:
            missing = self.root / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"<html><head></head><body>Not found</body></html>"
            return self._respond(start_response, "404 Not Found", "text/html; charset=utf-8", body)
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/json", "application/xml", "image/svg+xml"):
            ctype += "; charset=utf-8"
        return self._respond(start_response, "200 OK", ctype, target.read_bytes())

    def _resolve(self, url_path: str) -> Path | None:
        relative = os.path.normpath(url_path.lstrip("/")) if url_path.strip("/") else ""
        if relative.startswith("..") or os.path.isabs(relative):
            return None
        candidate = self.root / relative
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    @staticmethod
    def _respond(start_response, status: str, ctype: str, body: bytes) -> list[bytes]:
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(body))),
                                ("Cache-Control", "no-store")])
        return [body]


def error_page(message: str) -> bytes:
    """A plain page listing the build's problems; the injected script reloads it once they are fixed."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in message.splitlines())
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build error</title></head>"
        "<body style=\"font-family:system-ui,sans-serif;margin:2rem;line-height:1.5\">"
        "<h1>The board did not build</h1><p>Fix these problems and save; this page reloads by itself.</p>"
        f"<ul class=\"build-errors\">{items}</ul></body></html>"
    ).encode()


#: Seconds between the instant single-page update and the start of the full rebuild.
QUICK_RELOAD_GRACE = 0.3
#: With a file watcher, the posting files are still walked this often, in case it missed an event.
SAFETY_WALK = 3.0


def watched_paths(config: SiteConfig) -> list[str]:
    """Files and folders livereload watches: settings, company profiles, templates, static, themes.

    Posting files are polled by ``Preview.poll_postings`` instead (one cheap stat each), so an
    edit can be shown before the full rebuild. Paths that do not exist yet are watched too:
    creating templates/ later must be picked up.
    """
    project = Path(config.project_dir)
    content = Path(config.content_dir)
    return [str(content / "site.yaml"), str(content / "skills.yaml"), str(content / "companies")] + [
        str(project / sub) for sub in ("templates", "static", "themes")]


def serve(content_dir: str, overrides: dict, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Build, serve on ``host:port`` and rebuild on change until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado import ioloop

    root = Path(tempfile.mkdtemp(prefix="site-gen-preview-"))
    preview = Preview(content_dir, overrides, root / "site",
                      log=lambda line: print(line, file=sys.stderr, flush=True))
    preview.changed_postings()
    preview.watch_postings()
    preview.rebuild()
    server = Server(app=preview.wsgi)
    for path in watched_paths(preview.config()):
        server.watch(path, preview.on_change)
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # reload on every successful save, not at most every 3 s
    # Poll for changes every 100 ms (livereload's own poll runs every 800 ms).
    loop = ioloop.IOLoop.current()
    loop.add_callback(lambda: ioloop.PeriodicCallback(LiveReloadHandler.poll_tasks, 100).start())
    loop.add_callback(lambda: ioloop.PeriodicCallback(preview.poll_postings, 100).start())
    preview.wake = lambda: loop.add_callback(preview.poll_postings)  # (add_callback is safe from any thread)
    print(f"Serving the preview on http://{host}:{port}/ (drafts shown; Ctrl+C stops)", file=sys.stderr, flush=True)
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    finally:
        preview.stop_watching.set()
        shutil.rmtree(root, ignore_errors=True)
    return 0
