"""Issue 17 point 5: the SSDA903 import at national scale, its time and its memory as the file grows.

The files are those of bench_903_rules.py: the large demonstration council's 903 export, its
children copied under new CHILD ids and UPNs to each size (England has about 100,000 looked-after
children in a year). Each size is imported with `manage.py import_return --kind ssda903 --commit`
into a new, migrated SQLite database, in a fresh process whose wall time and peak memory (its
own, from wait4) are reported, --runs times; the median and range are printed with the load.
There is no other tool that loads a 903 into a register to compare with, so this benchmark has
goals only: under 60 s and under 500 MB at 100,000 children, memory flat as the file grows.

    .venv/bin/python bench/bench_903_import.py [--export var/bench/demo903-2026.zip]
        [--sizes 25000,50000,100000] [--runs 1] [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
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


def fresh_database(kind: str, name: str) -> str:
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
    subprocess.run(migrate, cwd=common.ROOT, env=common.env(url), check=True)
    return url


def import_once(url: str, packed: Path) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user and system) and peak memory (MB) of the import process alone, and
    its last line. The CPU time is given because the wall time of a shared machine says as much about
    the other work on it as about the import."""
    cmd = [common.PY, "manage.py", "import_return", str(packed), "--kind", "ssda903", "--commit", "--no-progress"]
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=common.ROOT, env=common.env(url), stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        lines = [line.strip() for line in out.read().splitlines() if line.strip()]
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"import exited {os.waitstatus_to_exitcode(status)}: {lines[-5:]}")
    held = next((line for line in lines if "held back" in line), "")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, held or (lines[-1] if lines else "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--export", type=Path, default=common.OUT / "demo903-2026.zip")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--sizes", default="25000,50000,100000")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if not args.export.exists():
        bench_903_rules.export_demo(args.export, args.year)
    print(f"Machine: {common.machine()}; database {args.database}")
    tables = bench_903_rules.read_export(args.export)
    folder = Path(tempfile.mkdtemp(prefix="bench903import-", dir=common.OUT))
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        _target, counts = bench_903_rules.scaled(tables, size, folder)
        packed = folder / f"903-{size}.zip"
        episodes = next((n for name, n in counts.items() if "episode" in name.lower()), 0)
        walls, cpus, mems, loads = [], [], [], []
        for i in range(args.runs):
            url = fresh_database(args.database, f"bench_903_import_{size}")
            loads.append(os.getloadavg()[0])
            wall, cpu, mem, said = import_once(url, packed)
            walls.append(wall)
            cpus.append(cpu)
            mems.append(mem)
            loads[-1] = max(loads[-1], os.getloadavg()[0])
            print(
                f"{size:,} children, run {i + 1}: {wall:.1f} s, CPU {cpu:.1f} s, {mem:.0f} MB "
                f"(load {loads[-1]:.1f}, the higher of before and after) {said}"
            )
        rows.append((size, episodes, walls, cpus, mems, loads))
    print("\n| children | episodes | import median (range) | CPU time median | peak memory median | load |")
    print("|---:|---:|---|---:|---:|---|")
    for size, episodes, walls, cpus, mems, loads in rows:
        print(
            f"| {size:,} | {episodes:,} | {statistics.median(walls):.1f} s ({min(walls):.1f}-{max(walls):.1f}) | "
            f"{statistics.median(cpus):.1f} s | {statistics.median(mems):.0f} MB | {min(loads):.1f}-{max(loads):.1f} |"
        )


if __name__ == "__main__":
    main()
