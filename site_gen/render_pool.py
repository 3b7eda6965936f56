"""Render a planned site's pages on every core: the build process and one forked process per extra core.

Task 0 (the search index, feeds and sitemaps) is the build process's; tasks 1.. are shares of
pages. ``work(task)`` returns what it wrote as ``(made, count, warnings)``; the forked processes
inherit everything it needs (nothing is pickled on the way in).
"""

from __future__ import annotations

import gc
import traceback
from multiprocessing import get_context
from typing import Callable

from .errors import Problem, SiteGenError
from .progress import Progress

Work = Callable[[int], "tuple[list[tuple[str, str]], int, list[Problem]]"]


def run(workers: int, tasks: int, work: Work, progress: Progress) -> list[tuple[int, list, int, list]]:
    """Run ``tasks`` in this process and ``workers - 1`` forked ones, each taking the next task when free.

    The parent works too instead of waiting: one process fewer holds a copy of the planned site.
    """
    ctx = get_context("fork")
    lock, counter = ctx.Lock(), ctx.RawArray("q", [1, 0, tasks - 1])  # task 0 is the parent's
    children = []
    gc.freeze()  # keep the children from copying the whole heap while collecting garbage
    try:
        for _ in range(workers - 1):
            receive, send = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_worker, args=(send, counter, lock, tasks, work), daemon=True)
            child.start()
            send.close()
            children.append((child, receive))
        results = _take_tasks(counter, lock, tasks, work, progress)
        for child, receive in children:
            try:
                status, payload = receive.recv()
            except EOFError:
                child.join()
                raise SiteGenError(f"a render process stopped unexpectedly (exit code {child.exitcode}; "
                                   "killed for lack of memory?); the output folder was left unchanged") from None
            if status != "ok":
                raise payload
            results.extend(payload)
            child.join()
    finally:
        gc.unfreeze()
        for child, _ in children:
            if child.is_alive():
                child.terminate()
                child.join()
    return sorted(results, key=lambda r: r[0])


def _take_tasks(counter, lock, tasks: int, work: Work, progress: Progress | None = None) -> list[tuple[int, list, int, list]]:
    """Take tasks shared by every render process until none is left.

    ``counter`` holds the next task from the front, the number of files written so far and the
    next task from the back. The parent (the one with ``progress``) makes task 0, then takes
    shares from the back (listing pages); the forked processes take them from the front (posting
    pages). Each job card is rendered once per process that shows it, so meeting in the middle,
    instead of both taking the next share, keeps a card from being rendered in both (~0.5 CPU s
    at 10,000 postings).
    """
    results = []
    parent = progress is not None
    if parent:
        results.append((0, *work(0)))
    while True:
        with lock:
            front, back = counter[0], counter[2]
            if front > back:
                return results
            if parent:
                task, counter[2] = back, back - 1
            else:
                task, counter[0] = front, front + 1
        made, rendered, warnings = work(task)
        results.append((task, made, rendered, warnings))
        with lock:
            counter[1] += len(made)
        if parent:
            progress.update(counter[1])


def _worker(conn, counter, lock, tasks: int, work: Work) -> None:
    """Body of a forked render process: send back what it wrote, or the traceback that stopped it."""
    try:
        conn.send(("ok", _take_tasks(counter, lock, tasks, work)))
    except BaseException as exc:  # noqa: BLE001 - re-raised by the parent, which fails the build
        try:
            conn.send(("error", exc))  # e.g. an OSError: reported as "cannot write the output folder"
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            conn.send(("error", RuntimeError(f"a render process failed:\n{traceback.format_exc()}")))
    finally:
        conn.close()
