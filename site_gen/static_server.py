"""Serve a built folder as plain files on 127.0.0.1 at a free port, for as long as a ``with`` lasts.

This is how a browser sees the deployed board (no live reload, optionally with the headers Netlify
would send): the browser tests, the screenshots script and the search benchmark all look at the
site through it. The preview (``serve.py``) is the server for people.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, no log line per request, plus the headers given to ``serve_folder``."""

    extra_headers: Mapping[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:  # noqa: D102 - keep the console clean
        pass


@contextmanager
def serve_folder(root: Path | str, headers: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve ``root``; yield its base URL (``http://127.0.0.1:PORT``); stop the server on exit."""
    handler_class = type("Handler", (_QuietHandler,), {"extra_headers": dict(headers or {})})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler_class, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
