#!/usr/bin/env python3
"""Benchmark: load the demonstration council into a fresh database (issue 2).

    .venv/bin/python bench/bench_load.py [--sizes standard,large] [--databases sqlite,postgresql]
        [--seed 2015] [--rounds 3]

For each database and size: create an empty database (SQLite: a temporary file;
PostgreSQL: a new database on the server whose URL scripts/local_postgres.sh
prints, or BENCH_POSTGRES_URL), migrate it, run `manage.py generate_demo` in a
subprocess, and report the rows in each table, the seconds taken (wall, and the
CPU time of the generate_demo process) and the machine's load. The databases are
dropped afterwards unless --keep is given. --markdown prints the summary as a
Markdown table for bench/RESULTS.md.

No other tool loads a demonstration council, so there is no alternative to compare
with: the runs alternate the databases instead (SQLite, PostgreSQL, SQLite, ...),
--rounds times (default 3), and the summary gives the median and the range of each
(database, size), as issue 17 asks of every benchmark.
"""

import argparse
import datetime
import os
import platform
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ROW = re.compile(r"^(\w+\.\w+)\s+([\d,]+)\s+([\d.]+)$")


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    return {
        "date": datetime.date.today().isoformat(),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def postgres_admin_url() -> str:
    url = os.environ.get("BENCH_POSTGRES_URL", "")
    if url:
        return url
    script = ROOT / "scripts" / "local_postgres.sh"
    if not script.exists():
        sys.exit("No PostgreSQL: set BENCH_POSTGRES_URL or provide scripts/local_postgres.sh")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.run([str(script)], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def manage(url: str, *args: str) -> tuple[float, float, str]:
    """Run manage.py in a subprocess: its wall seconds, its CPU seconds and its output."""
    env = dict(os.environ, DATABASE_URL=url, LOS_INSECURE_LOCAL="1")
    cpu_before = child_cpu()
    started = time.perf_counter()
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return seconds, child_cpu() - cpu_before, done.stdout


def run(database: str, size: str, seed: int, keep: bool, pg_admin: str | None) -> dict:
    cleanup = None
    if database == "sqlite":
        tmp = tempfile.mkdtemp(prefix="los-bench-")
        path = Path(tmp) / f"{size}.sqlite3"
        url = f"sqlite:///{path}"

        def cleanup() -> None:
            for p in Path(tmp).iterdir():
                p.unlink()
            Path(tmp).rmdir()

        def db_bytes() -> int:
            return sum(p.stat().st_size for p in Path(tmp).iterdir())
    else:
        import psycopg

        assert pg_admin
        name = f"los_bench_{size}_{os.getpid()}"
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = with_database(pg_admin, name)

        def cleanup() -> None:
            with psycopg.connect(pg_admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

        def db_bytes() -> int:
            with psycopg.connect(url) as conn:
                row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
                return int(row[0]) if row else 0

    try:
        migrate_s, _, _ = manage(url, "migrate", "--noinput", "-v0")
        load_before = os.getloadavg()[0]
        generate_s, generate_cpu, out = manage(
            url, "generate_demo", "--size", size, "--seed", str(seed), "--no-progress", "--skip-checks"
        )
        rows = {}
        for line in out.splitlines():
            m = ROW.match(line.strip())
            if m:
                rows[m.group(1)] = (int(m.group(2).replace(",", "")), float(m.group(3)))
        built = re.search(r"built in ([\d.]+) s", out)
        result = {
            "database": database,
            "size": size,
            "migrate_s": migrate_s,
            "generate_s": generate_s,
            "generate_cpu": generate_cpu,
            "load": (load_before, os.getloadavg()[0]),
            "build_s": float(built.group(1)) if built else None,
            "rows": rows,
            "bytes": db_bytes(),
            "url": url if keep else "",
        }
        if database == "postgresql":
            import psycopg

            with psycopg.connect(url) as conn:
                version = conn.execute("SHOW server_version").fetchone()
                result["server"] = str(version[0]).split()[0] if version else "?"
        return result
    finally:
        if not keep:
            cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="standard,large")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--rounds", type=int, default=3, help="alternated rounds (median and range reported)")
    parser.add_argument("--keep", action="store_true", help="keep the databases and print their URLs")
    parser.add_argument("--markdown", action="store_true", help="print the summary as Markdown")
    args = parser.parse_args()
    sizes = [s for s in args.sizes.split(",") if s]
    databases = [d for d in args.databases.split(",") if d]
    for d in databases:
        if d not in ("sqlite", "postgresql"):
            parser.error(f"unknown database {d!r}")
    pg_admin = postgres_admin_url() if "postgresql" in databases else None
    info = machine()
    print(f"# {info['date']}: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, Python {info['python']}")
    results = []
    for round_no in range(1, args.rounds + 1):
        for database, size in [(d, s) for s in sizes for d in databases]:
            print(f"\n## round {round_no}: {database}, {size} (seed {args.seed})", flush=True)
            r = run(database, size, args.seed, args.keep, pg_admin)
            results.append(r)
            width = max(len(k) for k in r["rows"])
            for label, (n, s) in r["rows"].items():
                print(f"{label.ljust(width)}  {n:>9,}  {s:>7.2f} s")
            total = sum(n for n, _ in r["rows"].values())
            print(f"{'total'.ljust(width)}  {total:>9,}")
            print(
                f"migrate {r['migrate_s']:.1f} s; generate_demo {r['generate_s']:.1f} s wall, "
                f"{r['generate_cpu']:.1f} s CPU (building in memory {r['build_s']:.1f} s); "
                f"load {r['load'][0]:.1f}-{r['load'][1]:.1f}; database {r['bytes'] / 1e6:.0f} MB"
                + (f"; PostgreSQL {r['server']}" if "server" in r else f"; SQLite {info['sqlite']}")
            )
            if r["url"]:
                print(f"kept: {r['url']}")
    summary = summarise(results, databases, sizes)
    print("\n## summary: median (range) over the alternated rounds")
    for line in summary:
        print(
            f"{line['database']:<10} {line['size']:<8} generate_demo {line['wall']} s wall, {line['cpu']} s CPU; "
            f"load {line['load']}; {line['rows']:,} rows, {line['children']:,} children"
        )
    if args.markdown:
        print("\n| database | size | rows | children | generate_demo wall | CPU | load |")
        print("|---|---|---:|---:|---:|---:|---|")
        for line in summary:
            print(
                f"| {line['database']} | {line['size']} | {line['rows']:,} | {line['children']:,} | "
                f"{line['wall']} s | {line['cpu']} s | {line['load']} |"
            )


def spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.1f}"
    return f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})"


def summarise(results: list[dict], databases: list[str], sizes: list[str]) -> list[dict]:
    lines = []
    for size in sizes:
        for database in databases:
            runs = [r for r in results if r["database"] == database and r["size"] == size]
            loads = [x for r in runs for x in r["load"]]
            server = runs[0].get("server")
            lines.append(
                {
                    "database": database + (f" {server}" if server else ""),
                    "size": size,
                    "rows": sum(n for n, _ in runs[-1]["rows"].values()),
                    "children": runs[-1]["rows"].get("children.Child", (0, 0))[0],
                    "wall": spread([r["generate_s"] for r in runs]),
                    "cpu": spread([r["generate_cpu"] for r in runs]),
                    "load": f"{min(loads):.1f}-{max(loads):.1f}",
                }
            )
    return lines


if __name__ == "__main__":
    main()
