"""Issue 3 benchmark: recompute every open case's timescales on a demonstration
council (set-based, against child-by-child in the same run), then load the
director's line-of-sight page with 20 concurrent signed-in users (wrk, loopback).

    .venv/bin/python bench/bench_oversight.py [--size large] [--databases sqlite,postgresql] [--seconds 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def measure(url: str, as_of: dt.date, seconds: int, users: int) -> dict:
    common.setup_django(url)
    from accounts.models import Role, Scope, User
    from timescales.services import compute_one_by_one, recompute_all

    started = time.perf_counter()
    counts = recompute_all(as_of)
    bulk = time.perf_counter() - started
    started = time.perf_counter()
    naive_counts = compute_one_by_one(as_of)
    naive = time.perf_counter() - started
    assert naive_counts == counts, (naive_counts, counts)

    directors = [
        User.objects.update_or_create(
            username=f"bench.director.{n}", defaults={"role": Role.DIRECTOR, "scope": Scope.COUNCIL}
        )[0]
        for n in range(users)
    ]
    cookies = common.sessions_for(directors)
    with common.server(url) as base:
        request = urllib.request.Request(f"{base}/oversight/", headers={"Cookie": f"sessionid={cookies[0]}"})
        page = urllib.request.urlopen(request, timeout=30).read().decode()
        assert "Line of sight" in page and 'id="line-of-sight"' in page, "the director's page did not render"
        figures = common.load(f"{base}/oversight/", cookies, seconds=seconds, connections=users)
    return {"counts": counts, "recompute_s": bulk, "one_by_one_s": naive, "load": figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="large")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--as-of", default="2026-10-31", help="the day timescales are computed for")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(measure(args.child, dt.date.fromisoformat(args.as_of), args.seconds, args.users)))
        return
    print(f"Timescales and line of sight, {args.size} council, {common.today()}; {common.machine()}")
    for kind in args.databases.split(","):
        url = common.database_url(kind, f"bench_{args.size}")
        common.ensure_council(url, args.size)
        out = subprocess.run(
            [
                common.PY,
                __file__,
                "--child",
                url,
                "--as-of",
                args.as_of,
                "--seconds",
                str(args.seconds),
                "--users",
                str(args.users),
            ],
            cwd=common.ROOT,
            env=common.env(url),
            capture_output=True,
            text=True,
        )
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if line is None:
            print(out.stdout[-2000:], out.stderr[-4000:], file=sys.stderr)
            raise SystemExit(f"{kind}: the benchmark failed")
        r = json.loads(line[7:])
        c, lo = r["counts"], r["load"]
        print(
            f"\n{kind}: {c['children']} children computed, {c['obligations']} obligations, "
            f"{c['drift_flags']} drift flags"
        )
        print(f"  recompute every case, set-based: {r['recompute_s']:.2f} s (goal < 10 s)")
        print(
            f"  the same, child by child:        {r['one_by_one_s']:.2f} s  "
            f"(ratio {r['one_by_one_s'] / r['recompute_s']:.1f}x)"
        )
        print(
            f"  director's page, {args.users} users, {lo['seconds']:.0f} s: {lo['requests']:.0f} requests, "
            f"p50 {lo['p50_ms']:.0f} ms, p95 {lo['p95_ms']:.0f} ms (goal < 300 ms), p99 {lo['p99_ms']:.0f} ms, "
            f"errors {lo['errors']:.0f}, non-2xx {lo['non2xx']:.0f}"
        )


if __name__ == "__main__":
    main()
