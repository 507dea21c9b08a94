"""Issue 4 and issue 17 benchmark: import and check a CIN census of about 10,000 children
(against Data to Insight's csc-validator-be-cin on the same file) and an England-sized census:
seconds, CPU seconds and peak memory, with the machine's load.

The files are built by bench/_cin_england.py from the large demonstration council's own CIN
export (every part of the journey: referrals, assessments and their factors, CIN plans,
section 47 enquiries, initial and review conferences, CP plans), each child copied with a new
LAchildID and a new valid, unique UPN, to 10,000 children and to England's 503,000; cached in
var/bench. Our import is `manage.py import_return FILE --commit` in a fresh process against a
freshly migrated database: it streams the file once, validating every child against the DfE
schema, runs the DfE rules, and writes in one transaction. csc-validator-be-cin only validates
(it parses the file and runs its rules; it has no register to load), so for the 10,000 children
our check-only path is timed too, as the like-for-like figure: `manage.py validate_return FILE
--kind cin --output /dev/null` in a fresh process against an empty migrated database (reads and
schema-checks the file, matches it in a dry run that is rolled back, runs the DfE rules, writes
the findings as JSON).

Issue 17 asks for alternation: where a real alternative exists (csc-validator-be-cin, for the
10,000 children) it alternates with ours; for the England-sized import there is none, so
`--previous DIR` alternates with our previous version (a checkout of an earlier commit, e.g.
`git archive <commit> | tar -x -C DIR`, with .venv linked), named as such. Each pair runs
`--rounds` times (A B A B ...); medians and ranges of wall seconds, CPU seconds (user + system
of the measured process and its children; on PostgreSQL the server's work is not in them) and
peak RSS are printed, with the load average at each run's start and end, and the ratios of the
medians, wall and CPU (on a shared machine the CPU ratio is the one to trust).

csc-validator-be-cin has a venv of its own, var/d2i/cin (D2I_VENV names another), made by
scripts/d2i_validators.sh if missing, at the version in requirements-d2i-cin.txt. `--name` prefixes the databases
(SQLite files under var/bench, or PostgreSQL databases), so that runs beside each other do not
share them.

    .venv/bin/python bench/bench_cin_import.py [--children 10000] [--england 503000] [--skip-england]
        [--skip-cinval] [--skip-check] [--database sqlite|postgresql] [--name cin_bench] [--previous DIR]
        [--rounds 3] [--england-rounds 1]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cin_england import england_file  # noqa: E402
from common import OUT, ROOT, database_url, env, machine  # noqa: E402

CINVAL_VENV = Path(os.environ.get("D2I_VENV") or ROOT / "var" / "d2i" / "cin")
MEASURE = """
import json, os, resource, subprocess, sys, time
load = os.getloadavg()[0]
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": r.returncode, "seconds": time.perf_counter() - t, "cpu": u.ru_utime + u.ru_stime,
    "peak_mib": u.ru_maxrss / 1024, "load": [load, os.getloadavg()[0]],
    "out": r.stdout[-3000:], "err": r.stderr[-3000:]}))
"""


def measure(cmd: list[str], extra_env: dict | None = None, cwd: Path | None = None, ok: tuple = (0,)) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd],
        capture_output=True,
        text=True,
        env=extra_env or os.environ.copy(),
        cwd=cwd,
    )
    data = json.loads(result.stdout)
    if data["rc"] not in ok:
        raise SystemExit(f"{' '.join(cmd[:3])} failed:\n{data['out']}\n{data['err']}")
    return data


def fresh_database(kind: str, name: str, code: Path = ROOT) -> dict:
    """An empty, migrated database: a new SQLite file, or a PostgreSQL database dropped and made again."""
    if kind == "sqlite":
        db = OUT / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    else:
        import psycopg

        url = database_url("postgresql", name)
        server = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    e = env(url)
    python = str(code / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=code, env=e, check=True)
    return e


def ours(path: Path, name: str, database: str = "sqlite", code: Path = ROOT) -> dict:
    """One import by the code in `code` (this checkout, or our previous version) into a fresh database."""
    e = fresh_database(database, name, code)
    python = str(code / ".venv" / "bin" / "python")
    cmd = [python, str(code / "manage.py"), "import_return", str(path), "--commit", "--no-progress", "--problems", "0"]
    return measure(cmd, e, cwd=code)


def check_only(path: Path, name: str, database: str = "sqlite") -> dict:
    """Our check without loading (validate_return), against an empty database as the import has.
    Exit status 1 means the file has DfE errors, which is a result, not a failure."""
    e = fresh_database(database, name)
    cmd = [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "manage.py"), "validate_return", str(path)]
    return measure([*cmd, "--kind", "cin", "--output", os.devnull], e, cwd=ROOT, ok=(0, 1))


def ensure_cinval() -> Path:
    python = CINVAL_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([str(ROOT / "scripts" / "d2i_validators.sh")], check=True)
    return python


def line(label: str, runs: list[dict]) -> str:
    """Median and range of wall seconds, CPU seconds and peak memory, with the load average seen."""

    def spread(key: str, fmt: str) -> str:
        values = [r[key] for r in runs]
        if len(values) == 1:
            return format(values[0], fmt)
        return f"{format(statistics.median(values), fmt)} ({format(min(values), fmt)}-{format(max(values), fmt)})"

    loads = [x for r in runs for x in r["load"]]
    return (
        f"{label}: {spread('seconds', '.1f')} s wall, {spread('cpu', '.1f')} s CPU, "
        f"peak {spread('peak_mib', '.0f')} MiB; load {min(loads):.1f}-{max(loads):.1f}; {len(runs)} run(s)"
    )


def alternate(
    path: Path, name: str, database: str, previous: Path | None, rounds: int, cinval: list | None, check: bool = False
) -> dict:
    """Ours against the alternative (our previous version, or csc-validator-be-cin), A B A B ...;
    with `check`, our check-only path runs in each round too."""
    runs: dict[str, list[dict]] = {"ours": [], "previous": [], "check": [], "cinval": []}
    for i in range(rounds):
        if previous is not None:
            runs["previous"].append(ours(path, f"{name}_prev", database, previous))
            print("  " + line(f"round {i + 1}, our previous version", runs["previous"][-1:]), flush=True)
        runs["ours"].append(ours(path, name, database))
        print("  " + line(f"round {i + 1}, ours", runs["ours"][-1:]), flush=True)
        if check:
            runs["check"].append(check_only(path, f"{name}_check", database))
            print("  " + line(f"round {i + 1}, ours, check only", runs["check"][-1:]), flush=True)
        if cinval is not None:
            runs["cinval"].append(measure(cinval))
            print("  " + line(f"round {i + 1}, csc-validator-be-cin", runs["cinval"][-1:]), flush=True)
    labels = (
        ("ours, import", "ours"),
        ("our previous version", "previous"),
        ("ours, check only", "check"),
        ("csc-validator-be-cin", "cinval"),
    )
    for label, key in labels:
        if runs[key]:
            print(line(f"{label} ({database if key != 'cinval' else 'no database'})", runs[key]))
    summary = runs["ours"][-1:]
    if summary:
        print("  " + " | ".join(x for x in summary[0]["out"].splitlines() if "children" in x)[:300])
    # What each checker found, so that the work compared can be seen to be comparable.
    if runs["check"]:
        print("  ours, check only: " + " | ".join(x for x in runs["check"][-1]["err"].splitlines() if "finding" in x))
    if runs["cinval"]:
        print("  csc-validator-be-cin: " + runs["cinval"][-1]["out"].strip()[-200:])
    for mine, other in (("ours", "previous"), ("ours", "cinval"), ("check", "cinval")):
        if runs[other] and runs[mine]:
            print(f"  ratio of medians, {other} / {mine}: {ratio(runs[other], runs[mine])}")
    return runs


def ratio(theirs: list[dict], mine: list[dict]) -> str:
    """Wall and CPU ratios of the medians."""

    def median(runs: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return (
        f"{median(theirs, 'seconds') / median(mine, 'seconds'):.2f} wall, "
        f"{median(theirs, 'cpu') / median(mine, 'cpu'):.2f} CPU"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--england", type=int, default=503_000)
    parser.add_argument("--skip-england", action="store_true")
    parser.add_argument("--skip-cinval", action="store_true")
    parser.add_argument("--skip-check", action="store_true", help="do not time validate_return at 10,000")
    parser.add_argument("--name", default="cin_bench", help="prefix of the benchmark's databases")
    parser.add_argument("--ruleset", default="cin2025_26", help="csc-validator-be-cin ruleset (the file is 2025-26)")
    parser.add_argument("--year", type=int, default=2026, help="collection year of the demonstration export")
    parser.add_argument(
        "--database", choices=["sqlite", "postgresql"], default="sqlite", help="where Line of Sight imports"
    )
    parser.add_argument("--previous", type=Path, help="a checkout of our previous version to alternate with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--england-rounds", type=int, default=1)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"Machine: {machine()}; load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    small, n = england_file(args.year, args.children)
    print(f"CIN census from the demonstration council: {n:,} children, {small.stat().st_size / 1e6:.1f} MB")
    cinval = None
    if not args.skip_cinval:
        runner = ROOT / "bench" / "_cinval_runner.py"
        cinval = [str(ensure_cinval()), str(runner), str(small), args.ruleset]
    alternate(small, f"{args.name}_small", args.database, args.previous, args.rounds, cinval, not args.skip_check)

    if not args.skip_england:
        big, n = england_file(args.year, args.england)
        print(f"England-sized census: {n:,} children, {big.stat().st_size / 1e6:.0f} MB (goal: under 120 s on SQLite, ")
        print("  under 180 s on PostgreSQL, under 500 MB)")
        alternate(big, f"{args.name}_england", args.database, args.previous, args.england_rounds, None)


if __name__ == "__main__":
    main()
