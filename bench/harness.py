"""Shared benchmark plumbing: locate things, make corpora and Hugo sites, run a command and measure it."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SHARED = REPO.parent / "shared" / "bench"
SAMPLE_SECONDS = 0.02
REFRESH_EVERY = 10
PSS_EVERY = 5
MB = 1024 * 1024


@dataclass
class Run:
    """One measured process run: wall time, memory, exit status."""

    wall: float
    tree_peak_mb: float      # peak of the SUM of RSS over the process tree, sampled every 20 ms
    biggest_mb: float        # max RSS of the biggest single process (kernel ru_maxrss, exact)
    returncode: int
    cpu: float = 0.0         # user + system CPU seconds of the process and the children it waited for
    tree_pss_mb: float = 0.0  # peak of the sum of PSS (shared pages split between sharers), every 100 ms; 0: not sampled
    killed: str = ""         # why the harness stopped it early, if it did
    stderr_tail: str = ""


def default_work_dir() -> Path:
    """Keep corpora between invocations so a 100k corpus is generated once."""
    return Path(tempfile.gettempdir()) / "site-gen-bench"


def ram_disk() -> Path | None:
    """Prefer a RAM disk for outputs so disk write-back does not blur the timings."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else None


def ensure_corpus(shared: Path, size: int, root: Path, log=print) -> Path:
    """Generate (once) the deterministic corpus of ``size`` postings; return the content folder."""
    folder = root / f"corpus-{size}"
    marker = folder / ".complete"
    if marker.exists() and len(list((folder / "jobs").glob("*.md"))) == size:
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    log(f"generating the {size:,}-posting corpus in {folder} ...")
    started = time.perf_counter()
    subprocess.run([sys.executable, str(shared / "gen_corpus.py"), str(size), str(folder)], check=True)
    marker.write_text("ok\n")
    log(f"  done in {time.perf_counter() - started:.1f}s")
    return folder


def make_hugo_site(shared: Path, corpus: Path, root: Path) -> Path:
    """Copy the shared Hugo site to scratch and put the corpus's postings into content/jobs/."""
    site = root / f"hugo-site-{corpus.name}"
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(shared / "hugo", site)
    for path in [site, *site.rglob("*")]:  # the shared folder is read-only; the copy must be writable
        path.chmod(path.stat().st_mode | 0o200)
    jobs = site / "content" / "jobs"
    jobs.mkdir(parents=True)
    for md in (corpus / "jobs").glob("*.md"):
        shutil.copyfile(md, jobs / md.name)
    return site


def _tree_rss(proc: psutil.Process, members: list[psutil.Process] | None = None) -> tuple[int, int]:
    """Return (sum of RSS, largest single RSS) over a process and its descendants (or the given members)."""
    total = biggest = 0
    if members is None:
        members = _members(proc)
    for p in members:
        try:
            rss = p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        total += rss
        biggest = max(biggest, rss)
    return total, biggest


def _tree_pss(members: list[psutil.Process]) -> int:
    """Sum of PSS over the given processes: forked workers' shared pages are counted once in total."""
    total = 0
    for p in members:
        try:
            with open(f"/proc/{p.pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def _members(proc: psutil.Process) -> list[psutil.Process]:
    """List a process and all its descendants (scans /proc, so callers refresh it sparingly)."""
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def measure(cmd: list[str], cwd: Path | None = None, timeout: float = 3600.0,
            mem_limit_mb: float = 20_000.0, env: dict | None = None, nice: int = 0, pss: bool = False) -> Run:
    """Run ``cmd`` to completion, timing the whole process and sampling its tree's memory.

    ``pss``: also sample the tree's summed PSS every 100 ms. Off unless asked for: the kernel walks
    every page table of the tree for it (``smaps_rollup``), which took ~0.24 CPU s of this process
    during a 10,000-posting site_gen build and made the build measured 2-3% slower (wall, median
    and best of four each), against ~0.09 CPU s for the RSS samples alone.
    """
    err = tempfile.TemporaryFile()
    started = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env,
                             start_new_session=True, preexec_fn=(lambda: os.nice(nice)) if nice else None)
    proc = psutil.Process(child.pid)
    tree_peak = biggest_sampled = pss_peak = 0
    killed = ""
    members: list[psutil.Process] = []
    for tick in itertools.count():
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            wall = time.perf_counter() - started
            break
        if tick % REFRESH_EVERY == 0:  # finding new workers scans /proc: every 200 ms, not every sample
            members = _members(proc)
        total, biggest = _tree_rss(proc, members)
        if pss and tick % PSS_EVERY == 0:
            pss_peak = max(pss_peak, _tree_pss(members))
        tree_peak, biggest_sampled = max(tree_peak, total), max(biggest_sampled, biggest)
        if not killed and tree_peak / MB > mem_limit_mb:
            killed = f"memory above {mem_limit_mb:.0f} MB"
        elif not killed and time.perf_counter() - started > timeout:
            killed = f"longer than {timeout:.0f}s"
        if killed:
            os.killpg(child.pid, 9)
        time.sleep(SAMPLE_SECONDS)
    child.returncode = os.waitstatus_to_exitcode(status)  # we reaped it; stop Popen from trying again
    err.seek(0)
    tail = err.read().decode("utf-8", "replace")[-2000:]
    err.close()
    # ru_maxrss (KiB on Linux) covers the child and every descendant it waited for: the biggest one.
    biggest = max(usage.ru_maxrss * 1024, biggest_sampled)
    return Run(wall, max(tree_peak, biggest) / MB, biggest / MB, child.returncode,
               usage.ru_utime + usage.ru_stime, pss_peak / MB, killed, tail)


def cpu_pressure_total() -> float | None:
    """Seconds some task spent waiting for a CPU, system-wide (Linux PSI); None when unavailable."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return None
    return int(first.rsplit("total=", 1)[1]) / 1e6


def count_files(folder: Path) -> int:
    """Count files in an output folder, to check both tools actually wrote a site."""
    return sum(len(files) for _, _, files in os.walk(folder))


def tree_digest(folder: Path) -> str:
    """Hash every file's path and bytes, to check that a rebuild wrote the same site as the cold build."""
    import hashlib
    total = hashlib.sha256()
    for dirpath, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(dirpath, name)
            total.update(path.relative_to(folder).as_posix().encode() + b"\0")
            total.update(hashlib.sha256(path.read_bytes()).digest())
    return total.hexdigest()


def median(values: list[float]) -> float:
    """Median without importing statistics' float quirks into the table."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def corpus_options(parser, size: int) -> None:
    """Add ``--size``, ``--shared`` and ``--work``: the synthetic corpus a script runs on, and where corpora live."""
    parser.add_argument("--size", type=int, default=size, help=f"corpus size (default {size})")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared bench folder (gen_corpus.py)")
    parser.add_argument("--work", type=Path, default=default_work_dir(), help="scratch folder (corpora are kept)")
