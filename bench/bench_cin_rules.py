"""Issue 13 point 8: how fast our CIN census DfE rules check a census, against Data to Insight's
csc-validator-be-cin on the same files and the same rules (the 2025-26 rules: 109 of ours, the 109
of their `cin2025_26` pack).

The files are the large demonstration council's CIN census, scaled by copying its children to 2,500,
10,000 and 40,000 children (bench/_cin_england.py, cached under var/bench). As bench_903_rules.py
does for the 903, each size is checked by both tools alternately (A B A B), --runs times, in two
modes: cold, each check a fresh process whose time includes its start (ours: Python, Django,
DuckDB; theirs: Python, pandas); warm, one long-lived process per tool (each in its own venv,
bench/_warm.py) that imports everything once, checks the first file once untimed, then checks each
file it is sent. Wall and CPU (user + system, all threads) medians and the load average are printed.

csc-validator-be-cin has a venv of its own, var/d2i/cin (D2I_VENV names another), made by
scripts/d2i_validators.sh at the version in requirements-d2i-cin.txt (make test and bench/run.sh run it).

    .venv/bin/python bench/bench_cin_rules.py [--sizes 2500,10000,40000] [--runs 3]
        [--theirs-max 40000] [--modes cold,warm]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from _cin_england import england_file  # noqa: E402
from _warm import Tool, Worker, rounds, warm_up  # noqa: E402
from bench_903_rules import Size, describe, print_table  # noqa: E402

HERE = Path(__file__).resolve().parent
D2I = Path(os.environ.get("D2I_VENV") or common.ROOT / "var" / "d2i" / "cin") / "bin" / "python"
YEAR, RULESET = 2026, "cin2025_26"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2500,10000,40000", help="children")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--theirs-max", type=int, default=40000, help="largest size to run their validator on")
    parser.add_argument("--modes", default="cold,warm")
    args = parser.parse_args()
    modes = args.modes.split(",")
    print(f"Machine: {common.machine()}")
    env_ours = common.env(os.environ.get("DATABASE_URL", "sqlite:///:memory:"))
    workers = {}
    if "warm" in modes:
        workers["ours"] = Worker([common.PY, str(HERE / "_ours.py"), "cin", "--serve"], env_ours)
        if D2I.exists():
            workers["theirs"] = Worker([str(D2I), str(HERE / "_cinval_findings.py"), "--serve"], dict(os.environ))
    results = []
    warmed = False
    for size in (int(s) for s in args.sizes.split(",")):
        path, children = england_file(YEAR, size)
        print(f"\n{children:,} children ({path.name}, {path.stat().st_size / 1e6:.1f} MB)")
        tools = {
            "ours": Tool(
                [common.PY, str(HERE / "_ours.py"), "cin"], env_ours, [str(YEAR), str(path)], workers.get("ours")
            )
        }
        if size <= args.theirs_max and D2I.exists():
            tools["theirs"] = Tool(
                [str(D2I), str(HERE / "_cinval_findings.py")],
                dict(os.environ),
                [str(path), RULESET],
                workers.get("theirs"),
            )
        if not warmed:
            warm_up(tools)  # as in bench_903_rules.py
            warmed = True
        row = Size(children, 0)
        rounds(row, args.runs, modes, tools)
        for mode in modes:
            ours, theirs = row.ours[mode], row.theirs[mode]
            print(f"  {mode}: " + describe("ours", ours.walls, ours.cpus, ours.mems))
            if theirs.walls:
                print(f"  {mode}: " + describe("Data to Insight", theirs.walls, theirs.cpus, theirs.mems))
        results.append(row)
    for worker in workers.values():
        worker.close()
    print_table(results, modes)


if __name__ == "__main__":
    main()
