"""Checks that the benchmark measures what it says: run with ``python -m pytest bench``."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402
from harness import measure, median, tree_digest  # noqa: E402

POOL = textwrap.dedent("""
    import multiprocessing as mp, time
    def work(_):
        block = bytearray({mb} * 1024 * 1024)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(0.6)
    if __name__ == "__main__":
        with mp.get_context("fork").Pool({workers}) as pool:
            pool.map(work, range({workers}))
""")


def script(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "job.py"
    path.write_text(text)
    return [sys.executable, str(path)]


def test_memory_is_summed_over_the_process_tree(tmp_path):
    run = measure(script(tmp_path, POOL.format(mb=120, workers=3)), pss=True)
    assert run.returncode == 0 and not run.killed
    assert 120 <= run.biggest_mb < 240           # one worker's block, not the sum
    assert run.tree_peak_mb >= 3 * 120           # all three workers at once
    assert run.tree_pss_mb >= 3 * 100
    assert run.cpu > 0 and run.wall >= 0.6


def test_a_run_above_the_memory_limit_is_killed_and_reported(tmp_path):
    run = measure(script(tmp_path, POOL.format(mb=300, workers=1).replace("0.6", "30")), mem_limit_mb=150)
    assert run.killed.startswith("memory above 150")
    assert run.returncode != 0 and run.wall < 25


def test_failures_keep_their_exit_code_and_message(tmp_path):
    run = measure(script(tmp_path, "import sys; print('boom', file=sys.stderr); sys.exit(3)"))
    assert run.returncode == 3 and "boom" in run.stderr_tail


def test_tree_digest_sees_a_single_changed_byte(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name / "jobs").mkdir(parents=True)
        (tmp_path / name / "jobs" / "x.html").write_text("<h1>x</h1>")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    (tmp_path / "b" / "jobs" / "x.html").write_text("<h1>y</h1>")
    assert tree_digest(tmp_path / "a") != tree_digest(tmp_path / "b")


@pytest.mark.parametrize("cold, no_cache, expected", [
    (True, False, ["--cache-dir", "K"]),
    (False, False, ["--cache-dir", "K"]),
    (True, True, ["--no-cache"]),
])
def test_cold_builds_get_an_empty_cache_and_rebuilds_reuse_it(cold, no_cache, expected):
    flags = {"cache_dir": "--cache-dir", "no_cache": "--no-cache"}
    cmd = bench.site_gen_cmd(Path("C"), Path("O"), Path("K"), flags, cold, no_cache)
    assert cmd[-len(expected):] == expected and "--now" in cmd


def test_the_build_without_cache_options_gets_none():
    cmd = bench.site_gen_cmd(Path("C"), Path("O"), Path("K"), {"cache_dir": "", "no_cache": ""}, True, False)
    assert cmd[-1] == "--quiet"


def test_median_of_even_and_odd_counts():
    assert median([3, 1, 2]) == 2 and median([4, 1, 3, 2]) == 2.5


def test_pss_is_sampled_only_when_asked_for(tmp_path):
    """Reading smaps_rollup makes the kernel walk the tree's page tables: the timed runs go without it."""
    run = measure(script(tmp_path, POOL.format(mb=50, workers=1)))
    assert run.returncode == 0 and run.tree_pss_mb == 0 and run.tree_peak_mb >= 50
