"""Issue 16 point 7: the recompute of the children an import touched against the full recompute.

On the large demonstration council (generated once, kept in var/bench), 1,000 children with open cases
(a fixed random sample) are recomputed through `timescales.services.recompute(today, ids)`, alternately
with the full recompute (`recompute(today, None)`), --runs times each (A B A B ...), in one process.
Prints each run's wall time and CPU time (this process and, on a local PostgreSQL, the server process serving
it: the work done, which other jobs on a shared machine do not stretch), the medians, the ranges, the load
average and the ratio. Goal: under 2 s for 1,000. On PostgreSQL the full recompute's time includes the VACUUM
it runs once committed (decision 0044).

    .venv/bin/python bench/bench_incremental.py [--database sqlite|postgresql] [--children 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def cpu_meter() -> Callable[[], float]:
    """CPU seconds used so far by this process and, on a local PostgreSQL, by the server process serving its
    connection (read from /proc; NaN for a server elsewhere)."""
    from django.db import connection

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]

    def used() -> float:
        seconds = time.process_time()
        if backend is not None:
            try:
                fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return float("nan")
            seconds += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        return seconds

    return used


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--children", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or common.database_url(args.database, "bench_large")
    common.ensure_council(url, "large")
    common.setup_django(url)
    import datetime as dt

    from timescales.services import children_to_compute, recompute

    today = dt.date.today()
    recompute(today, None)  # a full run first, so that both start from computed rows
    open_ids = sorted(children_to_compute(today).values_list("pk", flat=True))
    sample = random.Random(2015).sample(open_ids, min(args.children, len(open_ids)))
    print(f"Machine: {common.machine()}; {args.database}; {len(open_ids):,} children with open cases")
    cpu = cpu_meter()
    subset, full, loads, subset_cpu, full_cpu = [], [], [], [], []
    for i in range(args.runs):
        loads.append(os.getloadavg()[0])
        for times, cpus, ids in ((subset, subset_cpu, sample), (full, full_cpu, None)):
            used, start = cpu(), time.perf_counter()
            recompute(today, ids)
            times.append(time.perf_counter() - start)
            cpus.append(cpu() - used)
        print(
            f"run {i + 1}: {len(sample):,} touched {subset[-1]:.2f} s (CPU {subset_cpu[-1]:.2f} s); "
            f"full {full[-1]:.2f} s (CPU {full_cpu[-1]:.2f} s) (load {loads[-1]:.1f})",
            flush=True,
        )
    a, b = statistics.median(subset), statistics.median(full)
    print(
        f"median: touched {a:.2f} s ({min(subset):.2f}-{max(subset):.2f}), CPU {statistics.median(subset_cpu):.2f} s; "
        f"full {b:.2f} s ({min(full):.2f}-{max(full):.2f}), CPU {statistics.median(full_cpu):.2f} s; "
        f"the touched recompute takes {a / b:.0%} of the full one; load {min(loads):.1f}-{max(loads):.1f}"
    )


if __name__ == "__main__":
    main()
