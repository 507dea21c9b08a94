"""Issue 17 point 3: the full recompute of a demonstration council's timescales, this
checkout's code against earlier commits, alternated (A B C A B C ...) on the same database.

    .venv/bin/python bench/bench_recompute.py [--size large] [--databases sqlite,postgresql]
        [--refs before-made-up-referral=a19f5e9^,before-fix=c52f57b] [--rounds 3]
        [--same-as before-fix] [--sqlite-url URL] [--postgres-url URL]

Each earlier commit is checked out once into a git worktree under /tmp (nothing in this
checkout changes). Every run is a new process that sets Django up and then times
`timescales.services.recompute_all` as of --as-of (the nightly job's work, without the
interpreter's start), on the same database, which keeps the schema this checkout's
migrations made. Each run prints its wall time, the CPU time it used (this process and, on a
local PostgreSQL, the server process serving it; other jobs on a shared machine stretch the
wall time, not this) and the load average when it starts; the summary gives the median and
range per variant. After each run a digest of every stored obligation and
drift flag (without ids) is taken: --same-as names variants whose results must equal this
checkout's (a refactoring must not change a single row); the others may differ where the
rules changed since.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

CURRENT = "this checkout"


def child(code: str, url: str, as_of: str) -> None:
    """One run, in its own process, with the code in `code`."""
    import datetime as dt

    os.chdir(code)
    os.environ.update(common.env(url))
    sys.path.insert(0, code)  # not common.setup_django, which puts this checkout first
    import django

    django.setup()
    from django.db import models

    import timescales
    from timescales.models import DriftFlag, Obligation, RecomputeRun
    from timescales.services import recompute_all

    if not any(f.name == "coverage" for f in RecomputeRun._meta.get_fields()):
        # Code older than the column (timescales 0004) cannot write a RecomputeRun on today's schema.
        models.JSONField(default=dict, blank=True).contribute_to_class(RecomputeRun, "coverage")
    from django.db import connection

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    load = os.getloadavg()
    cpu = _cpu(backend)
    started = time.perf_counter()
    counts = recompute_all(dt.date.fromisoformat(as_of))
    seconds = time.perf_counter() - started
    cpu = _cpu(backend) - cpu
    digest = hashlib.sha256()
    columns = ("child_id", "rule__code", "clock_start", "due_date", "due_at", "completed_on", "status", "team_id")
    for row in sorted(map(repr, Obligation.objects.values_list(*columns, "worker_id", "computed_on"))):
        digest.update(row.encode())
    for row in sorted(map(repr, DriftFlag.objects.values_list("child_id", "kind", "since", "detail", "team_id"))):
        digest.update(row.encode())
    assert Path(timescales.__file__).is_relative_to(code), f"{timescales.__file__} is not from {code}"
    result = {**counts, "seconds": seconds, "cpu": cpu, "load": load, "digest": digest.hexdigest()[:16]}
    print("RESULT " + json.dumps(result))


def _cpu(backend: int | None) -> float:
    """CPU seconds used so far by this process and, on a local PostgreSQL, by the server process
    serving its connection (/proc): the work done, which other jobs on the machine do not stretch."""
    used = time.process_time()
    if backend is not None:
        try:
            fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
            used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        except OSError:
            return float("nan")  # a server on another machine
    return used


def worktree(ref: str, make: bool = True) -> tuple[str, str]:
    """A checkout of `ref` under /tmp (made once), and the commit it is."""
    commit = subprocess.check_output(["git", "rev-parse", "--short", ref], cwd=common.ROOT, text=True).strip()
    if not make:
        return "", commit
    path = Path(tempfile.gettempdir()) / f"los-bench-{commit}"
    if not (path / "manage.py").exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), commit], cwd=common.ROOT, check=True)
    return str(path), commit


def run(code: str, url: str, as_of: str) -> dict:
    out = subprocess.run(
        [common.PY, __file__, "--child", code, "--url", url, "--as-of", as_of],
        cwd=code,
        env=common.env(url),
        capture_output=True,
        text=True,
    )
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        print(out.stdout[-2000:], out.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"the run of {code} failed")
    return json.loads(line[7:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="large")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--refs", default="before-made-up-referral=a19f5e9^", help="name=git ref, comma-separated")
    parser.add_argument("--same-as", default="", help="names of variants whose rows must equal this checkout's")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--as-of", default="2026-10-31", help="the day timescales are computed for")
    parser.add_argument("--sqlite-url")
    parser.add_argument("--postgres-url")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.as_of)
        return

    variants: list[tuple[str, str, str]] = [(CURRENT, str(common.ROOT), "")]
    for item in filter(None, args.refs.split(",")):
        name, ref = item.split("=", 1)
        path, commit = worktree(ref)
        variants.append((name, path, commit))
    same = set(filter(None, args.same_as.split(",")))
    print(f"Recompute of the {args.size} council as of {args.as_of}, {common.today()}; {common.machine()}")
    head = worktree("HEAD", make=False)[1]
    for name, _, commit in variants:
        print(f"  {name}: {commit or f'the working tree at {head} (with any uncommitted change)'}")
    failed = False
    for kind in args.databases.split(","):
        url = {"sqlite": args.sqlite_url, "postgresql": args.postgres_url}.get(kind)
        if not url:
            url = common.database_url(kind, f"bench_{args.size}")
            common.ensure_council(url, args.size)
        print(f"\n{kind} ({url.rsplit('/', 1)[-1]}):")
        results: dict[str, list[dict]] = {name: [] for name, _, _ in variants}
        for n in range(args.rounds):
            for name, code, _ in variants:
                r = run(code, url, args.as_of)
                results[name].append(r)
                print(
                    f"  round {n + 1} {name:>26}: {r['seconds']:6.2f} s (CPU {r['cpu']:5.2f} s)  "
                    f"load {r['load'][0]:.1f}  {r['children']} children, {r['obligations']} obligations, "
                    f"digest {r['digest']}",
                    flush=True,
                )
        mine = results[CURRENT][0]["digest"]
        for name, _, _ in variants:
            times = [r["seconds"] for r in results[name]]
            cpus = [r["cpu"] for r in results[name]]
            loads = [r["load"][0] for r in results[name]]
            digests = {r["digest"] for r in results[name]}
            verdict = "same rows" if digests == {mine} else "other rows"
            if name in same and digests != {mine}:
                verdict, failed = "DIFFERENT ROWS (must be the same)", True
            print(
                f"  {name:>26}: median {statistics.median(times):6.2f} s, range {min(times):.2f}-{max(times):.2f} s; "
                f"CPU median {statistics.median(cpus):.2f} s, range {min(cpus):.2f}-{max(cpus):.2f} s; "
                f"load {min(loads):.1f}-{max(loads):.1f} ({len(times)} runs; {verdict})"
            )
        current = statistics.median(r["seconds"] for r in results[CURRENT])
        print(f"  goal < 10 s: {'met' if current < 10 else 'NOT met'} (median of this checkout)")
    if failed:
        raise SystemExit("a variant that must give the same rows did not")


if __name__ == "__main__":
    main()
