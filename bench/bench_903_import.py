"""Issue 17 point 5: the SSDA903 import at national scale, its time and its memory as the file grows.

The files are those of bench_903_rules.py: the large demonstration council's 903 export, its
children copied under new CHILD ids and UPNs to each size (England has about 100,000 looked-after
children in a year). Each size is imported with `manage.py import_return --kind ssda903 --commit`
into a new, migrated SQLite database, in a fresh process whose wall time and peak memory (its
own, from wait4; see common.reset_peak_memory) are reported,
--runs times; the median and range are printed with the load.
There is no other tool that loads a 903 into a register to compare with, so this benchmark has
goals only: under 60 s and under 500 MB at 100,000 children, memory flat as the file grows.

--before DIR compares with other code: DIR is a checkout of it (for example
`git worktree add --detach /tmp/before <commit>`), whose manage.py migrates and imports on the
alternate runs (this code, then DIR's, A B A B, --runs times each). After every run a digest of
what the import committed (the children and their 903 rows, the provenance, the problems, the
held-back children and the run's outcome, in primary key order) is printed: the same digest
says that both committed the same.

    .venv/bin/python bench/bench_903_import.py [--export var/bench/demo903-2026.zip]
        [--sizes 25000,50000,100000] [--runs 1] [--database sqlite|postgresql] [--before DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_903_rules  # noqa: E402
import common  # noqa: E402

# What an import commits, for the digest: the 903's tables in the register, and the run's outcome.
COMMITTED = (
    "children_child",
    "children_lookedafterepisode",
    "children_lookedafterreview",
    "children_outcomesreturn",
    "children_careleavercontact",
    "children_unaccompaniedasylumseeker",
    "children_adoptionmilestone",
    "children_previouspermanence",
    "children_missingepisode",
    "children_deprivationofliberty",
    "children_involvement",
    "returns_sourcerecord",
    "returns_heldbackchild",
)
PROBLEM = "severity, rule, file_name, child_id, location, field, message"
RUN = "status, errors, warnings, records, summary, children_committed, children_held_back, message"


def digest(url: str) -> str:
    """A digest of every row the import committed, in primary key order (the same code on the same
    database gives the same digest), except the DfE rules' findings among the problems, which count by rule:
    a rule's findings come in the order DuckDB gives them, which can differ from one run to the next, and
    so, once the problems reach their limit (50,000), do the findings kept."""
    queries = [f"SELECT * FROM {table} ORDER BY id" for table in COMMITTED]
    queries.append(f"SELECT {PROBLEM} FROM returns_problem WHERE message NOT LIKE 'DfE %' ORDER BY id")
    queries.append("SELECT rule, count(*) FROM returns_problem WHERE message LIKE 'DfE %' GROUP BY rule ORDER BY rule")
    queries.append(f"SELECT {RUN} FROM returns_importrun ORDER BY id")
    seen = hashlib.sha256()
    if url.startswith("sqlite:///"):
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            for query in queries:
                for row in conn.execute(query):
                    seen.update(repr(row).encode())
        finally:
            conn.close()
    else:
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as pg:
            for query in queries:
                for row in pg.execute(query):
                    seen.update(repr(row).encode())
    return seen.hexdigest()[:16]


def fresh_database(kind: str, name: str, root: Path = common.ROOT) -> str:
    if kind == "sqlite":
        path = common.OUT / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = common.database_url("postgresql", name)
        server, db = url.rsplit("/", 1)
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{db}"')
    migrate = [common.PY, "manage.py", "migrate", "--noinput", "-v0"]
    subprocess.run(migrate, cwd=root, env=common.env(url), check=True)
    return url


def import_once(url: str, packed: Path, root: Path = common.ROOT) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user and system) and peak memory (MB) of the import process alone, and
    its last line. The CPU time is given because the wall time of a shared machine says as much about
    the other work on it as about the import."""
    cmd = [common.PY, "manage.py", "import_return", str(packed), "--kind", "ssda903", "--commit", "--no-progress"]
    floor = common.reset_peak_memory()  # the child's peak is counted from at least this (see there)
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=root, env=common.env(url), stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        lines = [line.strip() for line in out.read().splitlines() if line.strip()]
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"import exited {os.waitstatus_to_exitcode(status)}: {lines[-5:]}")
    held = next((line for line in lines if "held back" in line), "")
    said = f"(benchmark's own process {floor:.0f} MB) {held or (lines[-1] if lines else '')}"
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, said


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--export", type=Path, default=common.OUT / "demo903-2026.zip")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--sizes", default="25000,50000,100000")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"])
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare with, run alternately")
    args = parser.parse_args()
    if not args.export.exists():
        bench_903_rules.export_demo(args.export, args.year)
    codes = [("now", common.ROOT)] + ([("before", args.before.resolve())] if args.before else [])
    print(f"Machine: {common.machine()}; database {args.database}; code: {', '.join(f'{n} {r}' for n, r in codes)}")
    tables = bench_903_rules.read_export(args.export)
    common.OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="bench903import-", dir=common.OUT))
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        _target, counts = bench_903_rules.scaled(tables, size, folder)
        packed = folder / f"903-{size}.zip"
        episodes = next((n for name, n in counts.items() if "episode" in name.lower()), 0)
        runs: dict[str, dict[str, list]] = {name: {"wall": [], "cpu": [], "mem": [], "load": []} for name, _r in codes}
        for i in range(args.runs):
            for name, root in codes:  # A B A B: this code, then the other, each run
                url = fresh_database(args.database, f"bench_903_import_{size}", root)
                load = os.getloadavg()[0]
                wall, cpu, mem, said = import_once(url, packed, root)
                load = max(load, os.getloadavg()[0])
                for key, value in (("wall", wall), ("cpu", cpu), ("mem", mem), ("load", load)):
                    runs[name][key].append(value)
                print(
                    f"{size:,} children, {name}, run {i + 1}: {wall:.1f} s, CPU {cpu:.1f} s, {mem:.0f} MB "
                    f"(load {load:.1f}, the higher of before and after) digest {digest(url)} {said}",
                    flush=True,
                )
        for name, _root in codes:
            rows.append((size, episodes, name, runs[name]))
    print("\n| children | episodes | code | import median (range) | CPU median (range) | peak memory median | load |")
    print("|---:|---:|---|---|---|---:|---|")
    for size, episodes, name, got in rows:
        walls, cpus, mems, loads = got["wall"], got["cpu"], got["mem"], got["load"]
        took = f"{statistics.median(walls):.1f} s ({min(walls):.1f}-{max(walls):.1f})"
        work = f"{statistics.median(cpus):.1f} s ({min(cpus):.1f}-{max(cpus):.1f})"
        memory = f"{statistics.median(mems):.0f} MB"
        print(f"| {size:,} | {episodes:,} | {name} | {took} | {work} | {memory} | {min(loads):.1f}-{max(loads):.1f} |")


if __name__ == "__main__":
    main()
