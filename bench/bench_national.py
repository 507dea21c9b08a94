"""Issue 5 benchmark, part 2: the national indicators on an England-sized
synthetic dataset with DuckDB (indicators/national.py).

1. Cross-check: the DuckDB engine and the Django indicator library give the same
   numbers on the demonstration council (--check-url, optional).
2. Generate five financial years of England-sized records to Parquet (once;
   kept in var/bench/england/): about 2 million children, 650,000 referrals a
   year, 530,000 assessments, 200,000 section 47 enquiries, 70,000 plans a year,
   looked-after episodes for about 84,000 children in care at any time, and
   missing episodes.
3. Compute every national indicator for the five years from the Parquet files,
   each time in a fresh process, alternated (A B A B, --rounds rounds, issue 17
   point 1) with our own baseline: the same queries with DuckDB on one thread.
   No tool outside this project computes these indicators from pooled records
   (an analyst would write the same aggregations in pandas or SQL), so the
   baseline says what DuckDB's second thread buys, and the goal is absolute
   (under 2 minutes, under 4 GB, on this 2-core machine). Each run prints its
   wall time, CPU time (user + system, all threads), peak memory and the load
   average; then the median and range of each side.

    .venv/bin/python bench/bench_national.py [--check-url DATABASE_URL] [--regenerate] [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from _warm import timed  # noqa: E402

FOLDER = common.OUT / "england"
YEARS = [2020, 2021, 2022, 2023, 2024]
CHILDREN = 2_000_000
REFERRALS_PER_YEAR = 650_000
COUNCILS = 153


def generate(folder: Path) -> dict[str, int]:
    """Synthetic, reproducible (hash-based) records in the layout national.py reads."""
    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET threads = 2; SET memory_limit = '3GB'; SET preserve_insertion_order = false")
    first = f"DATE '{YEARS[0]}-04-01'"
    span = (len(YEARS)) * 365
    n_ref = REFERRALS_PER_YEAR * len(YEARS)
    steps = {
        "children": f"""SELECT i AS child, CAST(i % {COUNCILS} AS INTEGER) AS la,
                CAST({first} - INTERVAL 1 DAY * (hash(i, 'dob') % (18 * 365)) + INTERVAL 1 DAY * (hash(i, 'y') % {span})
                     AS DATE) AS birth_date,
                hash(i, 'fca') % 50 = 0 AS fca
            FROM range({CHILDREN}) t(i)""",
        # A child is referred again with probability ~1 in 4 (hash-chosen child ids repeat).
        "referrals": f"""SELECT hash(i, 'c') % {CHILDREN} AS child,
                CAST({first} + INTERVAL 1 DAY * (hash(i, 'd') % {span}) AS DATE) AS referral_date
            FROM range({n_ref}) t(i)""",
        "assessments": """SELECT child, referral_date,
                CAST(referral_date + INTERVAL 1 DAY * (hash(child, referral_date, 'as') % 6) AS DATE) AS start_date,
                CASE WHEN hash(child, referral_date) % 10 < 9
                     THEN CAST(referral_date + INTERVAL 1 DAY * (5 + hash(child, referral_date, 'a') % 80) AS DATE)
                END AS authorisation_date
            FROM read_parquet('{folder}/referrals.parquet') WHERE hash(child, referral_date, 'assess') % 100 < 82""",
        "section47": """SELECT child,
                CAST(referral_date + INTERVAL 1 DAY * (hash(child, referral_date, 's') % 10) AS DATE) AS start_date,
                CASE WHEN hash(child, referral_date, 'i') % 10 < 4 THEN CAST(referral_date + INTERVAL 1 DAY *
                    (5 + hash(child, referral_date, 'id') % 30) AS DATE) END AS icpc_date
            FROM read_parquet('{folder}/referrals.parquet') WHERE hash(child, referral_date, 's47') % 100 < 31""",
        "cp_plans": """SELECT row_number() OVER () AS id, child, icpc_date AS start_date,
                CASE WHEN hash(child, icpc_date, 'e') % 10 < 8 THEN CAST(icpc_date + INTERVAL 1 DAY *
                    (60 + hash(child, icpc_date, 'len') % 900) AS DATE) END AS end_date,
                CAST(hash(child, icpc_date, 'prev') % 100 < 4 AS INTEGER) AS previous
            FROM read_parquet('{folder}/section47.parquet') WHERE icpc_date IS NOT NULL
                AND hash(child, icpc_date, 'plan') % 100 < 88""",
        "episodes": f"""WITH starts AS (
                SELECT hash(i, 'cla') % {CHILDREN} AS child,
                       CAST({first} - INTERVAL 3 YEAR + INTERVAL 1 DAY * (hash(i, 'cs') % ({span} + 3 * 365))
                            AS DATE) AS s,
                       CAST(1 + hash(i, 'n') % 4 AS BIGINT) AS n, CAST(200 + hash(i, 'len') % 1500 AS BIGINT) AS len
                FROM range(260000) t(i)),
              parts AS (SELECT child, s, n, len, unnest(range(n)) AS k FROM starts)
            SELECT row_number() OVER () AS id, child,
                CAST(s + INTERVAL 1 DAY * (len * k // n) AS DATE) AS start_date,
                CASE WHEN k < n - 1 OR hash(child, s, 'open') % 3 > 0
                     THEN CAST(s + INTERVAL 1 DAY * (len * (k + 1) // n) AS DATE) END AS end_date,
                CASE WHEN k = 0 THEN 'S' WHEN hash(child, s, k) % 5 = 0 THEN 'L' ELSE 'P' END AS rne,
                ['U1', 'U4', 'U5', 'U6', 'K2', 'R1', 'A4'][CAST(1 + hash(child, s, k, 'p') % 7 AS BIGINT)]
                    AS placement_type,
                CASE WHEN hash(child, s, 'ls') % 50 = 0 THEN 'V3' ELSE 'C2' END AS legal_status
            FROM parts""",
        "missing": """SELECT child, CAST(start_date + INTERVAL 1 DAY * (hash(id, 'm') % 200) AS DATE) AS start_day,
                CASE WHEN hash(id, 'k') % 4 = 0 THEN 'A' ELSE 'M' END AS kind
            FROM read_parquet('{folder}/episodes.parquet') WHERE hash(id, 'miss') % 100 < 45""",
        "population": f"""SELECT y AS year, CAST(12000000 AS BIGINT) AS count
            FROM range({YEARS[0]}, {YEARS[-1] + 1}) t(y)""",
    }
    counts = {}
    for name, sql in steps.items():
        target = folder / f"{name}.parquet"
        con.execute(f"COPY ({sql.format(folder=folder)}) TO '{target}' (FORMAT PARQUET)")
        row = con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()
        counts[name] = row[0] if row else 0
    return counts


def stale(folder: Path) -> bool:
    """No files yet, or files in an older layout (assessments without start_date, which N14 counts from;
    episodes without legal_status or plans without previous, decision 0021)."""
    if not (folder / "population.parquet").exists():
        return True
    import duckdb

    def columns(name: str) -> set[str]:
        cols = duckdb.connect().execute(f"DESCRIBE SELECT * FROM read_parquet('{folder / (name + '.parquet')}')")
        return {row[0] for row in cols.fetchall()}

    return (
        "start_date" not in columns("assessments")
        or "legal_status" not in columns("episodes")
        or "previous" not in columns("cp_plans")
    )


def run_national(folder: Path, threads: int) -> dict:
    common.setup_django(common.database_url("sqlite", "bench_national_settings"))
    import duckdb

    from indicators import national

    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}; SET memory_limit = '3GB'")
    national.attach_parquet(con, folder)
    result = national.compute(con, YEARS)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    referrals = {fy: result[fy]["REFERRALS"][0] for fy in YEARS}
    return {
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_kb / 1024),
        "indicators": len(result[YEARS[0]]),
        "referrals": referrals,
        "sample": {code: round(v[2], 1) if v[2] is not None else None for code, v in result[YEARS[-1]].items()},
    }


def cross_check(url: str) -> str:
    common.setup_django(url)
    import duckdb

    from indicators import engine, facts, national, periods
    from indicators.library import LIBRARY

    f = facts.load()
    con = duckdb.connect()
    national.from_facts(con, f)
    pops = engine.population_table()
    for year in pops:
        con.execute("INSERT INTO population VALUES (?, ?)", [year, engine.population_for(pops, dt.date(year, 6, 1))])
    fys = sorted({periods.fy_of(r.referral_date) for r in f.referrals})
    got = national.compute(con, fys)
    checked = differences = 0
    for fy in fys:
        for code, (num, den, _) in got[fy].items():
            v = engine.council_value(f, LIBRARY[code], periods.financial_year(fy), pops)
            checked += 1
            differences += (num, den if LIBRARY[code].measure == "percent" else num) != (
                v.numerator,
                v.denominator if LIBRARY[code].measure == "percent" else v.numerator,
            )
    return f"{checked} indicator-years compared, {differences} differences"


def span(xs: list[float], unit: str = "s", digits: int = 2) -> str:
    return f"{statistics.median(xs):.{digits}f} {unit} ({min(xs):.{digits}f}-{max(xs):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check-url")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "check":
        print(cross_check(args.check_url))
        return
    if args.step == "compute":
        print(json.dumps(run_national(FOLDER, args.threads)))
        return
    print(f"National indicators benchmark (DuckDB), {common.today()}, {common.machine()}")
    if args.check_url:
        out = (
            subprocess.run(
                [common.PY, __file__, "--step", "check", "--check-url", args.check_url],
                cwd=common.ROOT,
                env=common.env(args.check_url),
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        print(f"cross-check on the demonstration council, DuckDB against the indicator library: {out}")
    if args.regenerate or stale(FOLDER):
        started = time.perf_counter()
        counts = generate(FOLDER)
        print(
            f"generated in {time.perf_counter() - started:.0f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )
    sides = {"ours (2 threads)": 2, "our own baseline (1 thread)": 1}
    runs: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name in sides}
    for n in range(args.rounds):  # A B A B, each run a fresh process (start and imports included)
        for name, threads in sides.items():
            load = os.getloadavg()[0]
            cmd = [common.PY, __file__, "--step", "compute", "--threads", str(threads)]
            wall, cpu, mem, r = timed(cmd, {**os.environ, "PYTHONPATH": str(common.ROOT)})
            runs[name].append((r["seconds"], cpu, mem, load))
            print(
                f"  round {n + 1} {name}: compute {r['seconds']:.2f} s (process {wall:.2f} s wall, "
                f"CPU {cpu:.2f} s), peak {mem:.0f} MB, load {load:.1f}",
                flush=True,
            )
    for name, rs in runs.items():
        print(
            f"  {name}: compute median {span([x[0] for x in rs])}, process CPU {span([x[1] for x in rs])}, "
            f"peak {span([x[2] for x in rs], 'MB', 0)}, load {min(x[3] for x in rs):.1f}-{max(x[3] for x in rs):.1f}"
        )
    ours, base = runs["ours (2 threads)"], runs["our own baseline (1 thread)"]
    seconds, peak = statistics.median(x[0] for x in ours), statistics.median(x[2] for x in ours)
    print(
        f"England-sized, {len(YEARS)} years: {r['indicators']} national indicators x {len(YEARS)} years, median "
        f"{seconds:.2f} s, peak {peak:,.0f} MB (goal under 120 s and 4,096 MB: "
        f"{'met' if seconds < 120 and peak < 4096 else 'NOT met'}); one thread / two: "
        f"{statistics.median(x[0] for x in base) / seconds:.2f}x wall, "
        f"{statistics.median(x[1] for x in base) / statistics.median(x[1] for x in ours):.2f}x CPU"
    )
    print(f"referrals per year: {r['referrals']}; {YEARS[-1]}-{(YEARS[-1] + 1) % 100:02d} values: {r['sample']}")


if __name__ == "__main__":
    main()
