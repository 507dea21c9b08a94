"""Issue 17 point 4 benchmark: the director's line-of-sight page and a team's page, 20 concurrent signed-in
users (wrk, loopback), p95 against the 300 ms goal.

Two servers run side by side, both pinned to one core (bench/page_load.py): ours, with the pages' render cache
(timescales/pagecache.py), and our own baseline, the same code with the cache off
(LOS_LINE_OF_SIGHT_PAGE_CACHE=0: every request reads the counts and renders the page). The load generator is
pinned to the other core. Each page alternates baseline and ours (A B A B ...) for --rounds rounds in one run;
the medians and ranges of p95 are reported with the machine's load average. Before the load the benchmark
checks that both servers serve the same body and counts each page's queries in process.

The recompute that fills the pages is bench_recompute.py's; this one recomputes only a database that was
never computed.

    .venv/bin/python bench/bench_oversight.py [--size large] [--databases postgresql,sqlite] [--seconds 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import page_load  # noqa: E402

GOAL_MS = 300
ARMS = {"uncached": {"LOS_LINE_OF_SIGHT_PAGE_CACHE": "0"}, "cached": {"LOS_LINE_OF_SIGHT_PAGE_CACHE": "1"}}


def fetch(url: str, cookie: str) -> str:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    return urllib.request.urlopen(request, timeout=30).read().decode()


def main_content(html: str) -> str:
    start, end = html.index("<main"), html.index("</main>")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html[start:end])


def alone(url: str, cookie: str, n: int = 40) -> float:
    """95th percentile of one user's requests one after another: the page's own cost, without queueing."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fetch(url, cookie)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)[int(0.95 * n) - 1]


def query_counts(pages: dict[str, tuple[str, Any]]) -> dict[str, dict[str, int]]:
    """Database queries per request in this process: built from the database (cache off), and from the cache."""
    import os

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, dict[str, int]] = {}
    for name, (path, user) in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        counts[name] = {}
        for arm, env in ARMS.items():
            os.environ.update(env)
            cache.clear()
            client.get(path)  # fills the cache when it is on
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counts[name][arm] = len(queries)
    os.environ.pop("LOS_LINE_OF_SIGHT_PAGE_CACHE", None)
    return counts


def measure(url: str, as_of: dt.date, seconds: int, users: int, rounds: int, before: str | None = None) -> dict:
    common.setup_django(url)
    from django.db.models import Count

    from accounts.models import Role, Scope, User
    from organisation.models import Team
    from timescales.models import RecomputeRun
    from timescales.services import recompute_all

    if not RecomputeRun.objects.exists():
        recompute_all(as_of)
    team = Team.objects.annotate(n=Count("workers")).order_by("-n", "pk").first()
    assert team is not None, "the benchmark needs a council with teams"
    directors = [
        User.objects.update_or_create(
            username=f"bench.director.{n}", defaults={"role": Role.DIRECTOR, "scope": Scope.COUNCIL}
        )[0]
        for n in range(users)
    ]
    managers = [
        User.objects.update_or_create(
            username=f"bench.manager.{n}",
            defaults={"role": Role.TEAM_MANAGER, "scope": Scope.TEAM, "team": team, "service": team.service},
        )[0]
        for n in range(users)
    ]
    pages = {"director": ("/oversight/", directors), "team": (f"/oversight/team/{team.pk}/", managers)}
    results: dict[str, Any] = {
        "teams": Team.objects.count(),
        "team_workers": team.n,  # type: ignore[attr-defined]
        "queries": query_counts({name: (path, people[0]) for name, (path, people) in pages.items()}),
        "pages": {},
    }
    with contextlib.ExitStack() as stack:
        bases = {arm: stack.enter_context(page_load.server(url, common.free_port(), env)) for arm, env in ARMS.items()}
        arms = list(ARMS)
        if before:  # the code before the render cache, served from another tree: a before-and-after, run once
            bases["before"] = stack.enter_context(page_load.server(url, common.free_port(), {}, tree=Path(before)))
            arms.insert(1, "before")
        for name, (path, people) in pages.items():
            cookies = common.sessions_for(people)
            bodies = {arm: main_content(fetch(bases[arm] + path, cookies[0])) for arm in ARMS}
            assert 'id="line-of-sight"' in bodies["uncached"] or 'id="team-workers"' in bodies["uncached"], name
            assert bodies["cached"] == bodies["uncached"], f"{name}: the cached page differs"
            assert main_content(fetch(bases["cached"] + path, cookies[0])) == bodies["uncached"], name
            runs: dict[str, list[dict[str, float]]] = {arm: [] for arm in arms}
            single = {arm: alone(bases[arm] + path, cookies[0]) for arm in arms}
            for _ in range(rounds):
                for arm in arms:  # A B A B: the baseline, (the code before,) then ours, in each round
                    runs[arm].append(page_load.load(bases[arm] + path, cookies, seconds=seconds, connections=users))
            results["pages"][name] = {"runs": runs, "alone_p95_ms": single}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="large")
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--as-of", default="2026-10-31", help="the day timescales are computed for, if never computed")
    parser.add_argument("--sqlite-url", help="an existing SQLite database instead of var/bench/bench_SIZE.sqlite3")
    parser.add_argument("--postgres-url", help="an existing PostgreSQL database instead of bench_SIZE")
    parser.add_argument("--before", help="a tree of the code before the render cache (git archive), as a third arm")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        r = measure(args.child, dt.date.fromisoformat(args.as_of), args.seconds, args.users, args.rounds, args.before)
        print("RESULT " + json.dumps(r))
        return
    print(f"Line-of-sight pages, {args.size} council, {common.today()}; {page_load.machine_note()}")
    for kind in args.databases.split(","):
        given = args.sqlite_url if kind == "sqlite" else args.postgres_url
        url = given or common.database_url(kind, f"bench_{args.size}")
        common.ensure_council(url, args.size)
        argv = [common.PY, __file__, "--child", url, "--as-of", args.as_of, "--seconds", str(args.seconds)]
        argv += ["--users", str(args.users), "--rounds", str(args.rounds)]
        argv += ["--before", args.before] if args.before else []
        out = subprocess.run(argv, cwd=common.ROOT, env=common.env(url), capture_output=True, text=True)
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if line is None:
            print(out.stdout[-2000:], out.stderr[-4000:], file=sys.stderr)
            raise SystemExit(f"{kind}: the benchmark failed")
        r = json.loads(line[7:])
        print(f"\n{kind}: {r['teams']} teams; the team page's team has {r['team_workers']} workers")
        for name, page in r["pages"].items():
            q = r["queries"][name]
            print(f"  {name}: {q['uncached']} queries built, {q['cached']} from the cache")
            figures = {arm: page_load.summary(runs) for arm, runs in page["runs"].items()}
            for arm, s in figures.items():
                label = {
                    "cached": "ours (cached)",
                    "uncached": "baseline (cache off, ours)",
                    "before": "before (table cached, rendered each time)",
                }[arm]
                single = page["alone_p95_ms"][arm]
                print(f"    {page_load.describe(label, s, GOAL_MS)}; one user alone p95 {single:.0f} ms")
            ratio = figures["uncached"]["median"] / max(figures["cached"]["median"], 0.1)
            rounds = f"{args.rounds} rounds of {args.seconds} s, alternated"
            print(f"    p95 median baseline / ours: {ratio:.1f}x ({rounds})")


if __name__ == "__main__":
    main()
