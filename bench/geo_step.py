#!/usr/bin/env python3
"""Run one build and report the CPU time and memory of its geography step (README, "Speed, and the saved gazetteer").

    python3 bench/geo_step.py build --content CORPUS --out OUT --now 2025-06-01 --no-cache --quiet

Prints one JSON line on stderr: the step's CPU and wall seconds, the parent's RSS (MB) before
and after it, and the parent's CPU time and peak RSS for the whole build. Delete the saved
gazetteer first (README, "Speed, and the saved gazetteer") to measure a machine's first build.
"""

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import site_gen.geo_site as geo_site  # noqa: E402
from site_gen import cli  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS"))


def main() -> int:
    stats: dict = {}
    step = geo_site.add_geography

    def timed(*args, **kwargs):
        rss, cpu, wall = rss_mb(), time.process_time(), time.perf_counter()
        result = step(*args, **kwargs)
        stats.update(geo_cpu=round(time.process_time() - cpu, 3), geo_wall=round(time.perf_counter() - wall, 3),
                     rss_before=round(rss), rss_after=round(rss_mb()))
        return result

    geo_site.add_geography = timed
    cpu = time.process_time()
    code = cli.main(sys.argv[1:])
    stats.update(exit=code, build_cpu_parent=round(time.process_time() - cpu, 2),
                 peak_rss_parent=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    print(json.dumps(stats, sort_keys=True), file=sys.stderr)
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
