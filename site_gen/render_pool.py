"""Render a planned site's pages on every core: the build process and one forked process per extra core.

FINISH (the search index, feeds and sitemaps) is the build process's; the other tasks are runs
of pages ``(start, end)``. ``work(task)`` returns what it wrote as ``(made, count, warnings)``;
the forked processes inherit everything it needs (nothing is pickled on the way in).
"""

from __future__ import annotations

import gc
import traceback
from multiprocessing import get_context
from typing import Callable

from .errors import Problem, SiteGenError
from .progress import Progress

#: The task that makes the search index, feeds and sitemaps (the build process's, first).
FINISH = (-1, -1)
#: Fewest pages a process takes at once near the end (a few ms of work: the processes finish together).
MIN_PAGES = 24
#: A process takes this share of the pages left per process (guided self-scheduling): big runs
#: first, smaller ones as the pages run out, so neither process waits long for the other's last run.
GUIDE = 16

Work = Callable[[tuple[int, int]], "tuple[list[tuple[str, str]], int, list[Problem]]"]


def run(workers: int, pages: int, work: Work, progress: Progress) -> list[tuple[tuple[int, int], list, int, list]]:
    """Run ``work(FINISH)`` here, and ``work((start, end))`` for runs of ``pages`` here and in ``workers - 1`` forked processes.

    The parent works too instead of waiting: one process fewer holds a copy of the planned site.
    Results come back sorted: FINISH first, then the runs in page order.
    """
    ctx = get_context("fork")
    lock, counter = ctx.Lock(), ctx.RawArray("q", [0, 0, pages])  # front, files written, back
    children = []
    gc.freeze()  # keep the children from copying the whole heap while collecting garbage
    try:
        for _ in range(workers - 1):
            receive, send = ctx.Pipe(duplex=False)
            child = ctx.Process(target=_worker, args=(send, counter, lock, workers, work), daemon=True)
            child.start()
            send.close()
            children.append((child, receive))
        results = _take_tasks(counter, lock, workers, work, progress)
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


def _take_tasks(counter, lock, workers: int, work: Work, progress: Progress | None = None
                ) -> list[tuple[tuple[int, int], list, int, list]]:
    """Take runs of pages shared by every render process until none is left.

    ``counter`` holds the next page from the front, the number of files written so far and the
    end of the pages not yet taken from the back. The parent (the one with ``progress``) makes
    FINISH, then takes runs from the back; the forked processes take them from the front. The
    caller orders the pages so that they meet where a page's work is its own: each job card is
    rendered once per process that shows it (see ``pipeline._render_into``).
    """
    results = []
    parent = progress is not None
    if parent:
        results.append((FINISH, *work(FINISH)))
    while True:
        with lock:
            front, back = counter[0], counter[2]
            if front >= back:
                return results
            size = max(MIN_PAGES, (back - front) // (GUIDE * workers))
            if parent:
                task = (max(front, back - size), back)
                counter[2] = task[0]
            else:
                task = (front, min(back, front + size))
                counter[0] = task[1]
        made, rendered, warnings = work(task)
        results.append((task, made, rendered, warnings))
        with lock:
            counter[1] += len(made)
        if parent:
            progress.update(counter[1])


def _worker(conn, counter, lock, workers: int, work: Work) -> None:
    """Body of a forked render process: send back what it wrote, or the traceback that stopped it."""
    try:
        conn.send(("ok", _take_tasks(counter, lock, workers, work)))
    except BaseException as exc:  # noqa: BLE001 - re-raised by the parent, which fails the build
        try:
            conn.send(("error", exc))  # e.g. an OSError: reported as "cannot write the output folder"
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            conn.send(("error", RuntimeError(f"a render process failed:\n{traceback.format_exc()}")))
    finally:
        conn.close()
