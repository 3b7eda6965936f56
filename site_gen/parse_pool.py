"""Run the parse stage on every core: the build process parses too, beside one forked process per extra core.

A process pool made the build process a third, mostly idle process on two cores: it fed the
workers, then unpickled all their results while they still ran. Here it takes chunks like the
others, so half the postings are never pickled at all.
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import traceback
from multiprocessing import get_context
from typing import Any, Callable

from .errors import SiteGenError
from .progress import Progress


def run_chunks(chunks: list[list], work: Callable[[list], list], workers: int, progress: Progress,
               meanwhile: Callable[[], Any] | None = None) -> list[list]:
    """Return ``[work(chunk) for chunk in chunks]``, made in this process and ``workers - 1`` forked ones.

    ``meanwhile`` runs in this process once the others have started: work the build needs next,
    done while they parse instead of after, with a core idle.

    Each process takes the next chunk from a shared counter until none is left. A forked process
    writes each chunk's results to a file in memory (``/dev/shm``) and sends a short note: results
    sent through the pipe (megabytes) would block it until this process, busy with its own
    chunks, read them. Where the file cannot be written, the results go through the pipe.
    """
    ctx = get_context("fork")
    lock, counter = ctx.Lock(), ctx.RawValue("q", 0)
    folder = tempfile.mkdtemp(prefix="site-gen-parse-", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
    results: list[Any] = [None] * len(chunks)
    children: list[list] = []  # [process, pipe end, finished]

    def collect(wait: bool) -> None:
        for child in children:
            process, receive = child[0], child[1]
            while not child[2] and (wait or receive.poll()):
                try:
                    kind, index, payload = receive.recv()
                except EOFError:
                    process.join()
                    raise SiteGenError(f"a parse process stopped unexpectedly (exit code {process.exitcode}; "
                                       "killed for lack of memory?); the output folder was left unchanged") from None
                if kind == "error":
                    raise payload
                if kind == "done":
                    child[2] = True
                    continue
                results[index] = payload if kind == "data" else _take(os.path.join(folder, str(index)))
                progress.advance(len(chunks[index]))

    try:
        for _ in range(workers - 1):
            receive, send = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_child, args=(send, counter, lock, chunks, work, folder), daemon=True)
            process.start()
            send.close()
            children.append([process, receive, False])
        if meanwhile is not None:
            meanwhile()
        while (index := _next(counter, lock, len(chunks))) is not None:
            results[index] = work(chunks[index])
            progress.advance(len(chunks[index]))
            collect(wait=False)
        collect(wait=True)
        for process, _, _ in children:
            process.join()
    finally:
        for process, _, _ in children:
            if process.is_alive():
                process.terminate()
                process.join()
        shutil.rmtree(folder, ignore_errors=True)
    return results


def _next(counter, lock, total: int) -> int | None:
    with lock:
        index = counter.value
        counter.value = index + 1
    return index if index < total else None


def _take(name: str) -> Any:
    with open(name, "rb") as fh:
        value = pickle.load(fh)
    os.unlink(name)
    return value


def _child(conn, counter, lock, chunks: list[list], work: Callable[[list], list], folder: str) -> None:
    """Body of a forked parse process: hand back each chunk's results, then "done" (or what stopped it)."""
    try:
        while (index := _next(counter, lock, len(chunks))) is not None:
            parsed = work(chunks[index])
            try:
                with open(os.path.join(folder, str(index)), "wb") as fh:
                    pickle.dump(parsed, fh, protocol=pickle.HIGHEST_PROTOCOL)
            except OSError:  # no room in /dev/shm: through the pipe, then
                conn.send(("data", index, parsed))
            else:
                conn.send(("file", index, None))
        conn.send(("done", -1, None))
    except BaseException as exc:  # noqa: BLE001 - re-raised by the parent, which fails the build
        try:
            conn.send(("error", -1, exc))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled
            conn.send(("error", -1, RuntimeError(f"a parse process failed:\n{traceback.format_exc()}")))
    finally:
        conn.close()
