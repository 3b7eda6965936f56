"""The parse stage's process pool: every chunk's results, in order, whoever made them; failures reported."""

from __future__ import annotations

import os
import time

import pytest

from site_gen import parse_pool
from site_gen.errors import SiteGenError
from site_gen.progress import Silent


PARENT = os.getpid()


class Counting(Silent):
    def __init__(self):
        self.done = 0

    def advance(self, steps: int = 1) -> None:
        self.done += steps


def squares(chunk: list[int]) -> list[tuple[int, int]]:
    return [(n, n * n) for n in chunk]


def squares_by(chunk: list[int]) -> list[tuple[int, int, bool]]:
    time.sleep(0.002)  # slow enough that every process gets chunks
    return [(n, n * n, os.getpid() == PARENT) for n in chunk]


@pytest.mark.parametrize("workers", [2, 3])
def test_results_come_back_in_chunk_order_and_the_bar_counts_every_item(workers):
    chunks = [list(range(start, start + 7)) for start in range(0, 700, 7)]
    progress = Counting()
    results = parse_pool.run_chunks(chunks, squares_by, workers, progress)
    assert [[(n, square) for n, square, _ in chunk] for chunk in results] == [squares(chunk) for chunk in chunks]
    makers = {by_parent for chunk in results for _, _, by_parent in chunk}
    assert makers == {True, False}  # the build process and a forked one both made some
    assert progress.done == sum(map(len, chunks))


def test_without_room_for_files_the_results_come_through_the_pipe(monkeypatch):
    made = []

    def mkdtemp(**kwargs):
        made.append(os.path.join(str(kwargs.get("dir") or "/tmp"), "site-gen-parse-gone"))
        return made[0]  # never created: every write in a forked process fails

    monkeypatch.setattr(parse_pool.tempfile, "mkdtemp", mkdtemp)
    chunks = [[n] * 50 for n in range(40)]
    assert parse_pool.run_chunks(chunks, squares, 2, Counting()) == [squares(chunk) for chunk in chunks]
    assert not os.path.exists(made[0])


def failing(chunk: list[int]) -> list[int]:
    time.sleep(0.002)  # slow enough that the forked process gets chunks too
    if os.getpid() != PARENT:
        raise ValueError(f"chunk {chunk} failed in a forked process")
    return chunk


def dying(chunk: list[int]) -> list[int]:
    time.sleep(0.002)
    if os.getpid() != PARENT:
        os._exit(9)  # as if killed for lack of memory
    return chunk


def test_an_error_in_a_forked_process_fails_the_run_with_that_error():
    with pytest.raises(ValueError, match=r"chunk \[\d+\] failed in a forked process"):
        parse_pool.run_chunks([[n] for n in range(200)], failing, 2, Counting())


def test_a_forked_process_that_dies_is_reported_and_its_files_are_removed(tmp_path, monkeypatch):
    folder = tmp_path / "hand-off"

    def mkdtemp(**kwargs):
        folder.mkdir()
        return str(folder)

    monkeypatch.setattr(parse_pool.tempfile, "mkdtemp", mkdtemp)
    with pytest.raises(SiteGenError, match="a parse process stopped unexpectedly"):
        parse_pool.run_chunks([[n] for n in range(200)], dying, 2, Counting())
    assert not folder.exists()


def test_meanwhile_runs_once_in_the_build_process_while_the_others_parse():
    chunks = [list(range(start, start + 5)) for start in range(0, 200, 5)]
    seen = []

    def meanwhile():
        time.sleep(0.05)  # the forked process parses chunks in the meantime
        seen.append(os.getpid())

    results = parse_pool.run_chunks(chunks, squares_by, 2, Silent(), meanwhile)
    assert seen == [PARENT]
    assert [[(n, square) for n, square, _ in chunk] for chunk in results] == [squares(chunk) for chunk in chunks]
    by_parent = [made for chunk in results for _, _, made in chunk]
    assert not all(by_parent)  # the other process parsed while this one was busy


def test_a_failing_gazetteer_load_is_left_for_planning_to_report(monkeypatch):
    from site_gen import geo, pipeline

    def broken():
        raise OSError("no tables")

    monkeypatch.setattr(geo, "gazetteer", broken)
    pipeline._prepare_render()  # no exception here: planning calls geo.gazetteer() again and reports it
