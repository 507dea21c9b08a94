"""Issue 5 benchmark, part 1, alternated (issue 17 point 1): the full indicator dataset (every
indicator, each month of a financial year and the year to date, every team) computed set-based
(the register read once), against our own baseline, the naive way (each indicator, month and
team as its own queries), A B A B for --rounds rounds, on SQLite and PostgreSQL.

The baseline is measured in full, never extrapolated: each round computes every cell (each
indicator, the 12 months and the year to date) of the teams it covers (--naive-teams, default
every team) and checks that each equals the set-based one. It costs about 10 s of CPU a team on
the small council (7 teams, about 5,500 cells) and grows with the council, so the default is the
small council, where a full round takes a few minutes; on the large one (where the < 5 s goal
applies) give --naive-teams to cover a few teams in full. The output says how many cells each
side computed; when the baseline covers fewer, the ratio is a lower bound.

Each side runs in this process, Django set up once; its wall time, CPU time (this process and,
on a local PostgreSQL, the server process serving it) and the load average are printed per
round, then the median and range of each side.

    .venv/bin/python bench/bench_indicators.py [--size small] [--databases sqlite,postgresql]
        [--fy 2025] [--rounds 3] [--naive-teams N] [--sqlite-url URL] [--postgres-url URL]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from bench_recompute import _cpu  # noqa: E402


def set_based(fy: int) -> tuple[dict, int]:
    """Ours: the register read once, every cell from it."""
    import datetime as dt

    from indicators import engine, facts

    f = facts.load(since=dt.date(fy, 4, 1))  # what the year's months need (referral and plan history kept)
    return engine.dataset(f, fy, "team"), len(f.children)


def naive(fy: int, teams: list[int], grid: dict) -> tuple[int, int]:
    """Our own baseline: each indicator, month and team read and computed on its own. Returns
    the cells computed and how many differ from the set-based grid."""
    from django.db.models import Q

    from indicators import engine, facts, periods
    from indicators.library import LIBRARY

    months = periods.months_of_year(fy)
    done = differences = 0
    for team in teams:
        for p in [*months, periods.year_to_date(months[-1].end)]:  # the periods engine.dataset computes
            for code, ind in LIBRARY.items():
                window = engine.effective(ind, p)
                held = Q(involvements__team_id=team, involvements__start_date__lte=window.end) & (
                    Q(involvements__end_date__isnull=True) | Q(involvements__end_date__gte=window.start)
                )
                mine = facts.load(ind.tables, child_filter=held | Q(team_id=team))
                value = engine.compute(mine, ind, p, "team", direct=True).get(team)
                expected = grid[code][p.label].get(team)
                got = (value.numerator, value.denominator) if value else (0, 0)
                want = (expected.numerator, expected.denominator) if expected else (0, 0)
                differences += got != want
                done += 1
    return done, differences


def timed(work, backend: int | None) -> tuple[float, float, float, object]:
    load = os.getloadavg()[0]
    cpu, started = _cpu(backend), time.perf_counter()
    result = work()
    return time.perf_counter() - started, _cpu(backend) - cpu, load, result


def measure(url: str, fy: int, rounds: int, naive_teams: int) -> dict:
    common.setup_django(url)
    from django.db import connection

    from organisation.models import Team

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    teams = sorted(Team.objects.values_list("pk", flat=True))
    covered = teams[:naive_teams] if naive_teams else teams
    ours: list[tuple[float, float, float]] = []
    theirs: list[tuple[float, float, float]] = []
    for n in range(rounds):  # A B A B: ours, then the baseline, each round
        wall, cpu, load, (grid, children) = timed(lambda: set_based(fy), backend)
        ours.append((wall, cpu, load))
        cells = len(teams) * sum(len(per) for per in grid.values())  # every team, indicator and period
        wall, cpu, load, (done, differences) = timed(lambda: naive(fy, covered, grid), backend)  # noqa: B023
        theirs.append((wall, cpu, load))
        print(
            f"  round {n + 1}: set-based {ours[-1][0]:.2f} s (CPU {ours[-1][1]:.2f}) load {ours[-1][2]:.1f}, "
            f"{cells} cells; naive {wall:.1f} s (CPU {cpu:.1f}) load {load:.1f}, {done} cells, "
            f"{differences} differences",
            file=sys.stderr,
            flush=True,
        )
    names = dict(Team.objects.values_list("pk", "name"))
    cells_out = sorted(
        (code, label, names.get(team, str(team)), v.numerator, v.denominator)
        for code, per in grid.items()
        for label, split in per.items()
        for team, v in split.items()
    )
    return {
        "children": children,
        "teams": len(teams),
        "naive_teams": len(covered),
        "cells": cells,
        "naive_cells": done,
        "differences": differences,
        "ours": ours,
        "theirs": theirs,
        "digest": hashlib.sha1(repr(cells_out).encode()).hexdigest()[:12],
    }


def span(xs: list[float], unit: str = "s") -> str:
    return f"{statistics.median(xs):.2f} {unit} ({min(xs):.2f}-{max(xs):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="small")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--fy", type=int, default=2025, help="financial year (2025 = 2025-26)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--naive-teams", type=int, default=0, help="teams the baseline covers in full (0: all)")
    parser.add_argument("--sqlite-url")
    parser.add_argument("--postgres-url")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.fy, args.rounds, args.naive_teams)))
        return
    print(f"Indicator dataset, set-based against our own naive baseline, {common.today()}, {common.machine()}")
    digests = {}
    for kind in args.databases.split(","):
        url = (args.sqlite_url if kind == "sqlite" else args.postgres_url) or common.database_url(
            kind, f"bench_indicators_{args.size}"
        )
        common.ensure_council(url, args.size)
        print(f"{kind} ({args.size} council), {args.rounds} rounds, A B A B:", flush=True)
        cmd = [common.PY, __file__, "--one", url, "--fy", str(args.fy), "--rounds", str(args.rounds)]
        out = subprocess.run(
            [*cmd, "--naive-teams", str(args.naive_teams)],
            cwd=common.ROOT,
            env=common.env(url),
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        digests[kind] = r["digest"]
        ours, theirs = r["ours"], r["theirs"]
        loads = [x[2] for x in ours + theirs]
        goal = "the goal (under 5 s) is set for the large council"
        if args.size == "large":
            goal = f"goal under 5 s: {'met' if statistics.median(x[0] for x in ours) < 5 else 'NOT met'}"
        wall_ratio = statistics.median(x[0] for x in theirs) / statistics.median(x[0] for x in ours)
        cpu_ratio = statistics.median(x[1] for x in theirs) / statistics.median(x[1] for x in ours)
        print(
            f"  {r['children']:,} children, {r['teams']} teams; set-based: every cell ({r['cells']:,}), "
            f"median {span([x[0] for x in ours])}, CPU {span([x[1] for x in ours])}; {goal}\n"
            f"  our own naive baseline, measured in full over {r['naive_cells']:,} cells ({r['naive_teams']} of "
            f"{r['teams']} teams, every indicator and period), {r['differences']} differences from the set-based: "
            f"median {span([x[0] for x in theirs])}, CPU {span([x[1] for x in theirs])}\n"
            f"  ratio of medians {wall_ratio:.0f}x wall, {cpu_ratio:.0f}x CPU"
            + ("" if r["naive_cells"] == r["cells"] else " (the baseline computed fewer cells: a lower bound)")
            + f"; load {min(loads):.1f}-{max(loads):.1f}; dataset digest {r['digest']}"
        )
    if len(digests) > 1:
        same = len(set(digests.values())) == 1
        print(f"same dataset on {' and '.join(digests)}: {'yes' if same else 'NO'} (digest of every cell by team name)")


if __name__ == "__main__":
    main()
