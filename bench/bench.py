#!/usr/bin/env python3
"""Benchmark site_gen against Hugo on the same corpus and machine, alternating runs; print a Markdown table.

    python bench/bench.py --sizes 1000 10000 --runs 5 [--include-100k]

Every timed build writes into a fresh, never-used output folder (a RAM disk when available); all outputs are
deleted only after every run, because deleting a big tree just before a run slows that run's writes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (DEFAULT_SHARED, REPO, Run, count_files, cpu_pressure_total,  # noqa: E402
                     default_work_dir, ensure_corpus, make_hugo_site, measure, median, ram_disk,
                     tree_digest)

NOW = "2025-06-01"
TARGETS = {"cold": (0.5, 0.25), "filled": (None, 0.25), "rebuild": (0.1, None)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes (postings)")
    p.add_argument("--runs", type=int, default=5, help="timed runs per tool and size (default 5)")
    p.add_argument("--include-100k", action="store_true", help="also run 100,000 postings (--runs-100k times)")
    p.add_argument("--runs-100k", type=int, default=1, help="runs at 100,000 postings (default 1)")
    p.add_argument("--warmup", type=int, default=1,
                   help="untimed runs per tool before timing, to warm the page cache (default 1; 0 at 100k)")
    p.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                   help="shared bench folder with gen_corpus.py and hugo/ (default: ../shared/bench from the repo)")
    p.add_argument("--work", type=Path, default=default_work_dir(),
                   help="scratch folder for corpora and the Hugo site copies (kept between invocations)")
    p.add_argument("--out-root", type=Path, default=None,
                   help="where build outputs go (default: /dev/shm up to 20,000 postings, else --work)")
    p.add_argument("--hugo", default="hugo", help="Hugo executable (default: hugo on PATH)")
    p.add_argument("--no-hugo", action="store_true", help="measure site_gen only (no ratios)")
    p.add_argument("--no-filled", action="store_true",
                   help="skip the second cold build, into a fresh, empty --cache-dir that it fills (the rebuild then "
                        "fills its cache untimed)")
    p.add_argument("--first-build", action="store_true",
                   help="give each site_gen cold build an empty user cache folder (XDG_CACHE_HOME), as on a machine's "
                        "first build: the gazetteer's tables are built, not loaded")
    p.add_argument("--no-rebuild", action="store_true", help="skip the nothing-changed rebuild")
    p.add_argument("--timeout", type=float, default=3600, help="kill a run after this many seconds")
    p.add_argument("--mem-limit-mb", type=float, default=20000, help="kill a run whose process tree exceeds this")
    p.add_argument("--nice", type=int, default=0,
                   help="run every measured build at this niceness (negative needs root; use on a busy shared box)")
    p.add_argument("--pss", action="store_true",
                   help="also sample each tree's summed PSS every 100 ms (costs the measured builds 2-3%% of wall time)")
    p.add_argument("--json", type=Path, help="also write every raw run to this JSON file")
    p.add_argument("--from-json", type=Path, help="print the table of an earlier --json file instead of running")
    p.add_argument("--keep", action="store_true", help="keep the output folders (for inspection)")
    return p.parse_args(argv)


def cache_flags() -> dict[str, str]:
    """Find the build's cache options, if it has grown any, from its own --help."""
    text = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--help"],
                          capture_output=True, text=True, cwd=REPO).stdout
    folder = re.search(r"(--cache(?:-dir)?)[ =][A-Z_]+", text)
    return {"cache_dir": folder.group(1) if folder else "", "no_cache": "--no-cache" if "--no-cache" in text else ""}


def site_gen_cmd(corpus: Path, out: Path, cache: Path, flags: dict[str, str], cold: bool, no_cache: bool) -> list[str]:
    """The build command: a cold build gets a fresh, empty cache folder (or --no-cache when asked or all there is)."""
    cmd = [sys.executable, str(REPO / "build.py"), "build", "--content", str(corpus), "--out", str(out),
           "--now", NOW, "--quiet"]
    if cold and flags["no_cache"] and (no_cache or not flags["cache_dir"]):
        cmd.append(flags["no_cache"])
    elif flags["cache_dir"]:
        cmd += [flags["cache_dir"], str(cache)]
    return cmd


def checked(run: Run, what: str) -> Run:
    """Say loudly when a run failed, so a failure never hides inside a median."""
    if run.returncode != 0 or run.killed:
        print(f"!! {what} failed (exit {run.returncode}{', ' + run.killed if run.killed else ''}):\n"
              f"{run.stderr_tail}", file=sys.stderr)
    return run


def bench_size(size: int, runs: int, warmup: int, args, flags: dict[str, str],
               session: Path) -> dict[str, list[Run] | dict]:
    """Alternate Hugo cold, site_gen cold (--no-cache), site_gen cold into an empty cache folder and
    site_gen rebuild ``runs`` times at one corpus size."""
    corpus = ensure_corpus(args.shared, size, args.work, log=lambda m: print(m, file=sys.stderr))
    hugo_site = None if args.no_hugo else make_hugo_site(args.shared, corpus, args.work)
    out = session / f"n{size}"
    out.mkdir(parents=True)
    limits = {"timeout": args.timeout, "mem_limit_mb": args.mem_limit_mb, "nice": args.nice, "pss": args.pss}
    results: dict = {"hugo": [], "cold": [], "filled": [], "rebuild": [], "files": {}, "rebuild_identical": None}
    filled = flags["cache_dir"] and flags["no_cache"] and not args.no_filled
    for i in range(-warmup, runs):
        tag = f"warm{-i}" if i < 0 else f"run{i}"
        if hugo_site:
            h = checked(measure([args.hugo, "--quiet", "--destination", str(out / f"hugo-{tag}")],
                                cwd=hugo_site, **limits), f"hugo {size} {tag}")
            if i >= 0:
                results["hugo"].append(h)
        sg_out, cache = out / f"site-gen-{tag}", out / f"cache-{tag}"
        env = None
        if args.first_build:  # an empty user cache folder: no saved gazetteer, a new signing key
            env = {**os.environ, "XDG_CACHE_HOME": str(out / f"user-cache-{tag}")}
        c = checked(measure(site_gen_cmd(corpus, out / f"site-gen-nc-{tag}", cache, flags, True, True), cwd=REPO,
                            env=env, **limits), f"site_gen cold {size} {tag}")
        if i >= 0:
            results["cold"].append(c)
        if filled:  # a first build with the cache on (the default): it also works out and saves page keys
            f = checked(measure(site_gen_cmd(corpus, sg_out, cache, flags, True, False), cwd=REPO, env=env, **limits),
                        f"site_gen cold, empty cache folder {size} {tag}")
            if i >= 0:
                results["filled"].append(f)
        if not args.no_rebuild and i >= 0:
            if not filled and flags["cache_dir"]:  # no build has filled the cache: fill it, untimed
                measure(site_gen_cmd(corpus, sg_out, cache, flags, False, False), cwd=REPO, env=env, **limits)
            before = tree_digest(out / f"site-gen-nc-{tag}") if i == 0 else ""  # untimed: the --no-cache site?
            r = checked(measure(site_gen_cmd(corpus, sg_out, cache, flags, False, False), cwd=REPO, env=env,
                                **limits), f"site_gen rebuild {size} {tag}")
            results["rebuild"].append(r)
            if i == 0:
                results["rebuild_identical"] = before == tree_digest(sg_out)
        if i >= 0:
            print(f"  {size:>7,} {tag}: " + "  ".join(
                f"{name} {lst[-1].wall:.2f}s/{lst[-1].tree_peak_mb:.0f}MB"
                for name, lst in results.items() if isinstance(lst, list) and lst), file=sys.stderr)
    if runs:  # count what the first successful runs wrote, to show both tools built a whole site
        hugo_ok = bool(results["hugo"]) and not (results["hugo"][0].returncode or results["hugo"][0].killed)
        results["files"] = {"hugo": count_files(out / "hugo-run0") if hugo_ok else 0,
                            "site_gen": count_files(out / "site-gen-nc-run0")}
    return results


def _count(n: int | None) -> str:
    return f"{n:,}" if n else "n/a"


def _ok(runs: list[Run]) -> list[Run]:
    return [r for r in runs if r.returncode == 0 and not r.killed]


def _fmt_ratio(value: float | None, target: float | None) -> str:
    if value is None:
        return "–"
    if target is None:
        return f"{value:.2f}x"
    return f"{value:.2f}x ({'meets' if value <= target else 'misses'} ≤{target}x)"


def table(all_results: dict[int, dict], rebuild_label: str) -> str:
    """Render medians and ratios as one Markdown table."""
    lines = ["| postings | tool | runs | median wall s (min–max) | CPU s | ms / posting | peak MB "
             "| biggest process MB | PSS peak MB | wall vs Hugo cold | memory vs Hugo | CPU vs Hugo |",
             "|---:|---|---:|---|---:|---:|---:|---:|---:|---|---|---:|"]
    for size, res in all_results.items():
        hugo = _ok(res["hugo"])
        h_wall = median([r.wall for r in hugo]) if hugo else None
        h_mem = median([r.biggest_mb for r in hugo]) if hugo else None
        h_cpu = median([r.cpu for r in hugo]) if hugo else None
        rows = [("Hugo (cold)", res["hugo"], None), ("site_gen cold (--no-cache)", res["cold"], "cold"),
                ("site_gen cold, empty --cache-dir (fills it)", res.get("filled", []), "filled"),
                (rebuild_label, res["rebuild"], "rebuild")]
        for name, runs, kind in rows:
            if not runs:
                continue
            good = _ok(runs)
            failed = len(runs) - len(good)
            if not good:
                why = runs[0].killed or f"exit {runs[0].returncode}"
                lines.append(f"| {size:,} | {name} | 0 of {len(runs)} | failed ({why}) after {runs[0].wall:.0f} s "
                             f"| {runs[0].cpu:.2f} | | >{runs[0].tree_peak_mb:.0f} | | | | | |")
                continue
            walls = [r.wall for r in good]
            wall, peak, big = median(walls), median([r.tree_peak_mb for r in good]), median([r.biggest_mb for r in good])
            t_wall, t_mem = TARGETS.get(kind, (None, None))
            wall_ratio = _fmt_ratio(wall / h_wall, t_wall) if h_wall and kind else "–"
            paired = [r.wall / h.wall for r, h in zip(runs, res["hugo"]) if _ok([r, h]) == [r, h]]
            if paired and kind and len(paired) > 1:  # neighbours share the machine's load: a steadier ratio
                wall_ratio += f"; paired {median(paired):.2f}x"
            mem_ratio = _fmt_ratio(peak / h_mem, t_mem) if h_mem and kind in ("cold", "filled") else "–"
            note = f" ({failed} failed)" if failed else ""
            cpu = median([r.cpu for r in good])
            pss = median([r.tree_pss_mb for r in good])
            pss_text = f"{pss:.0f}" if pss else "–"
            cpu_ratio = f"{cpu / h_cpu:.2f}x" if h_cpu and kind else "–"
            lines.append(f"| {size:,} | {name} | {len(good)}{note} | {wall:.2f} ({min(walls):.2f}–{max(walls):.2f}) "
                         f"| {cpu:.2f} | {1000 * wall / size:.2f} | {peak:.0f} | {big:.0f} | {pss_text} | {wall_ratio} | {mem_ratio} | {cpu_ratio} |")
    return "\n".join(lines)


def scale_lines(all_results: dict[int, dict]) -> str:
    """Show growth between sizes: linear cost means time ratio ≈ size ratio."""
    sizes = [s for s in all_results if _ok(all_results[s]["cold"])]
    out = []
    for a, b in zip(sizes, sizes[1:]):
        ta = median([r.wall for r in _ok(all_results[a]["cold"])])
        tb = median([r.wall for r in _ok(all_results[b]["cold"])])
        ma = median([r.tree_peak_mb for r in _ok(all_results[a]["cold"])])
        mb = median([r.tree_peak_mb for r in _ok(all_results[b]["cold"])])
        out.append(f"- site_gen cold {a:,} → {b:,} postings ({b / a:.0f}x): wall {tb / ta:.1f}x, peak memory {mb / ma:.1f}x")
    return "\n".join(out)


def load_note(started: float, pressure0: float | None) -> str:
    """Say how busy the machine was: other work on a shared box inflates wall times for both tools."""
    pressure1 = cpu_pressure_total()
    busy = "" if pressure0 is None or pressure1 is None else \
        f"; tasks waited for a CPU {100 * (pressure1 - pressure0) / (time.time() - started):.0f}% of the time (PSI)"
    return f"load average at the end {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs{busy}"


def header(flags: dict[str, str], args) -> str:
    """Say what was measured where, so a table can be trusted later."""
    commit = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h %s"],
                            capture_output=True, text=True).stdout.strip()
    hugo = "not run" if args.no_hugo else subprocess.run([args.hugo, "version"], capture_output=True,
                                                         text=True).stdout.split(" BuildDate")[0]
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    return (f"site_gen {commit}; {hugo}; Python {platform.python_version()}; {os.cpu_count()} CPUs, "
            f"{mem_gb:.0f} GB RAM; cache options: {' '.join(v for v in flags.values() if v) or 'none'}"
            f"{'; cold = first build on the machine (empty user cache folder)' if getattr(args, 'first_build', False) else ''}")


def from_json(path: Path) -> dict[int, dict]:
    """Load the raw runs an earlier invocation saved with --json."""
    raw = json.loads(path.read_text())
    return {int(size): {k: ([Run(**r) for r in v] if isinstance(v, list) else v) for k, v in res.items()}
            for size, res in raw.items()}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        results = from_json(args.from_json)
        print(table(results, "site_gen rebuild"), scale_lines(results), sep="\n\n")
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    flags = cache_flags()
    rebuild_label = ("site_gen rebuild (warm cache, same out)" if flags["cache_dir"]
                     else "site_gen rebuild (plain 2nd build, no cache option)")
    sizes = list(dict.fromkeys(args.sizes + ([100_000] if args.include_100k else [])))
    sessions: list[Path] = []
    all_results: dict[int, dict] = {}
    started, pressure0 = time.time(), cpu_pressure_total()
    try:
        for size in sizes:
            big = size > 20_000
            root = args.out_root or (args.work if big or ram_disk() is None else ram_disk())
            session = root / f"site-gen-bench-out-{os.getpid()}"
            sessions.append(session)
            runs = args.runs_100k if size >= 100_000 else args.runs
            warmup = 0 if big and args.warmup == 1 else args.warmup
            print(f"== {size:,} postings: {runs} runs, {warmup} warm-up, outputs under {session}", file=sys.stderr)
            all_results[size] = bench_size(size, runs, warmup, args, flags, session)
    finally:
        if not args.keep:
            for session in sessions:
                shutil.rmtree(session, ignore_errors=True)
    print(f"\n{header(flags, args)}; {load_note(started, pressure0)}\n")
    print(table(all_results, rebuild_label))
    print()
    print(scale_lines(all_results))
    files = "; ".join(f"{s:,}: Hugo {_count(r['files'].get('hugo'))} files, site_gen {_count(r['files'].get('site_gen'))}"
                      for s, r in all_results.items() if r["files"])
    same = "; ".join(f"{s:,}: {'yes' if r['rebuild_identical'] else 'NO'}" for s, r in all_results.items()
                     if r.get("rebuild_identical") is not None)
    print(f"\nOutput files per build — {files}. Rebuild output byte-identical to the cold build's (run 1) — "
          f"{same or 'not checked'}. Total bench time {time.time() - started:.0f}s.")
    print("Peak MB = peak of the sum of RSS over the whole process tree, sampled every 20 ms (shared pages of "
          "forked workers count once per process, so it over-states); biggest process MB = kernel max RSS "
          "(what `/usr/bin/time -f %M` prints); paired = median of run i / Hugo run i; PSS peak = peak of the tree's summed PSS (each shared page split "
          "between its sharers), sampled every 100 ms with --pss only (–: not sampled; the sampling slows the timed builds). Memory ratio: site_gen tree RSS-sum peak / Hugo max RSS.")
    if args.json:
        raw = {str(s): {k: ([vars(r) for r in v] if isinstance(v, list) else v) for k, v in r.items()}
               for s, r in all_results.items()}
        args.json.write_text(json.dumps(raw, indent=1, sort_keys=True))
    failed = any(r.returncode or r.killed for res in all_results.values()
                 for k in ("hugo", "cold", "filled", "rebuild") for r in res.get(k, []))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
