"""Issue 4 benchmark: import and check a CIN census of about 10,000 children and
compare with Data to Insight's csc-validator-be-cin on the same file, in the same
run; then an England-sized census (500,000 children): seconds and peak memory.

The files are the sample fake_CIN_data.xml (332 children) scaled with new child
IDs and UPNs (and its true/false flags written as the schema's 1/0). Our side is
`manage.py import_return FILE --commit` in a fresh process against a freshly
migrated SQLite database: it streams the file once, validating every child
against the DfE schema and writing in one transaction that is rolled back if
any error is found.

csc-validator-be-cin is installed in a throwaway venv (default /tmp/cinval-venv,
created if missing; never in requirements). Its dependencies need numpy<2.

    .venv/bin/python bench/bench_cin_import.py [--children 10000] [--england 500000] [--skip-england]
        [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import OUT, PY, ROOT, database_url, env, machine  # noqa: E402

SAMPLE = ROOT / "returns" / "tests" / "data" / "fake_CIN_data.xml"
CINVAL_VENV = Path(os.environ.get("CINVAL_VENV", "/tmp/cinval-venv"))
MEASURE = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], capture_output=True, text=True)
print(json.dumps({"rc": r.returncode, "seconds": time.perf_counter() - t,
    "peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "out": r.stdout[-3000:], "err": r.stderr[-3000:]}))
"""


def scaled_file(children: int, path: Path) -> int:
    """Write a census of about `children` children by repeating the sample's children with new IDs."""
    text = SAMPLE.read_text()
    head, rest = text.split("<Children>", 1)
    body = rest.rsplit("</Children>", 1)[0]
    blocks = re.findall(r"<Child>.*?</Child>", body, flags=re.S)
    blocks = [b.replace(">true<", ">1<").replace(">false<", ">0<") for b in blocks]
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(head + "<Children>\n")
        while n < children:
            for block in blocks:
                if n >= children:
                    break
                n += 1
                block = re.sub(r"<LAchildID>[^<]*</LAchildID>", f"<LAchildID>BENCH{n:09d}</LAchildID>", block)
                block = re.sub(r"<UPN>[^<]*</UPN>", f"<UPN>A{n:012d}</UPN>", block)
                out.write("    " + block + "\n")
        out.write("  </Children>\n</Message>\n")
    return n


def measure(cmd: list[str], extra_env: dict | None = None) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=extra_env or os.environ.copy()
    )
    data = json.loads(result.stdout)
    if data["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd[:3])} failed:\n{data['out']}\n{data['err']}")
    return data


def fresh_database(kind: str, name: str) -> dict:
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
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=e, check=True)
    return e


def ours(path: Path, name: str, database: str = "sqlite") -> dict:
    e = fresh_database(database, name)
    cmd = [PY, str(ROOT / "manage.py"), "import_return", str(path), "--commit", "--no-progress", "--problems", "5"]
    return measure(cmd, e)


def ensure_cinval() -> Path:
    python = CINVAL_VENV / "bin" / "python"
    if not python.exists():
        # The interpreter our venv was made from (sys.executable is the venv's own).
        base = getattr(sys, "_base_executable", None) or "python3"
        subprocess.run([base, "-m", "venv", str(CINVAL_VENV)], check=True)
    if subprocess.run([python, "-c", "import cin_validator, pandas"], capture_output=True).returncode:
        subprocess.run([python, "-m", "pip", "install", "-q", "csc-validator-be-cin", "numpy<2"], check=True)
    return python


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--england", type=int, default=500_000)
    parser.add_argument("--skip-england", action="store_true")
    parser.add_argument("--ruleset", default="cin2022_23", help="csc-validator-be-cin ruleset (the sample is 2021-22)")
    parser.add_argument(
        "--database", choices=["sqlite", "postgresql"], default="sqlite", help="where Line of Sight imports"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"Machine: {machine()}")

    small = OUT / "cin_10k.xml"
    n = scaled_file(args.children, small)
    print(f"CIN census: {n:,} children, {small.stat().st_size / 1e6:.1f} MB")
    mine = ours(small, "cin_bench_10k", args.database)
    print(
        f"Line of Sight import_return --commit ({args.database}): {mine['seconds']:.1f} s, "
        f"peak RSS {mine['peak_mib']:.0f} MiB"
    )
    print("  " + " | ".join(line for line in mine["out"].splitlines() if "children" in line)[:300])
    cinval = measure([str(ensure_cinval()), str(ROOT / "bench" / "_cinval_runner.py"), str(small), args.ruleset])
    print(f"csc-validator-be-cin ({args.ruleset}): {cinval['seconds']:.1f} s, peak RSS {cinval['peak_mib']:.0f} MiB")
    print(f"  {cinval['out'].strip()}")
    ratio = cinval["seconds"] / mine["seconds"]
    print(f"Ratio: Line of Sight is {ratio:.1f} times faster (goal: at least 20)")

    if not args.skip_england:
        big = OUT / "cin_england.xml"
        t = time.perf_counter()
        n = scaled_file(args.england, big)
        size = big.stat().st_size / 1e6
        print(f"England-sized census: {n:,} children, {size:.0f} MB (written in {time.perf_counter() - t:.0f} s)")
        eng = ours(big, "cin_bench_england", args.database)
        print(
            f"Line of Sight import_return --commit ({args.database}): {eng['seconds']:.0f} s (goal under 180), "
            f"peak RSS {eng['peak_mib']:.0f} MiB (goal under 2048)"
        )
        big.unlink()


if __name__ == "__main__":
    main()
