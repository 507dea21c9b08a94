"""Issue 16 point 7: the recompute of the children an import touched against the full recompute.

On the large demonstration council (generated once, kept in var/bench), 1,000 children with open cases
(a fixed random sample) are recomputed through `timescales.services.recompute(today, ids)`, alternately
with the full recompute (`recompute(today, None)`), --runs times each (A B A B ...), in one process.
Prints each run, the medians, the ranges, the load average and the ratio. Goal: under 2 s for 1,000.

    .venv/bin/python bench/bench_incremental.py [--database sqlite|postgresql] [--children 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


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
    subset, full, loads = [], [], []
    for i in range(args.runs):
        loads.append(os.getloadavg()[0])
        start = time.perf_counter()
        recompute(today, sample)
        subset.append(time.perf_counter() - start)
        start = time.perf_counter()
        recompute(today, None)
        full.append(time.perf_counter() - start)
        print(f"run {i + 1}: {len(sample):,} touched {subset[-1]:.2f} s; full {full[-1]:.2f} s (load {loads[-1]:.1f})")
    a, b = statistics.median(subset), statistics.median(full)
    print(
        f"median: touched {a:.2f} s ({min(subset):.2f}-{max(subset):.2f}), full {b:.2f} s "
        f"({min(full):.2f}-{max(full):.2f}); the touched recompute takes {a / b:.0%} of the full one; "
        f"load {min(loads):.1f}-{max(loads):.1f}"
    )


if __name__ == "__main__":
    main()
