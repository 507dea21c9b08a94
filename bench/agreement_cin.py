"""Issue 13: do our CIN census rules find what Data to Insight's csc-validator-be-cin finds?

Runs both on the same files (our samples and Data to Insight's fake data, which the samples
folder holds, and one file of our rule test cases: a failing and a passing child for each
rule, from returns/tests/cin_rule_cases.py) with the 2025-26 rules, and prints, per rule, the
(child, rule) findings of each
and whether the sets are equal. Return-level rules (no child) are compared by whether they fire.

csc-validator-be-cin has a venv of its own, var/d2i/cin (D2I_VENV names another), made by
scripts/d2i_validators.sh at the version in requirements-d2i-cin.txt (make test and bench/run.sh run it).

    LOS_INSECURE_LOCAL=1 .venv/bin/python bench/agreement_cin.py [FILES...] [--detail] [--markdown] [--speed FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "data" / "samples" / "cin_census"
D2I = Path(os.environ.get("D2I_VENV") or ROOT / "var" / "d2i" / "cin") / "bin" / "python"
RUNNER = Path(__file__).resolve().parent / "_cinval_findings.py"
RULESET, YEAR = "cin2025_26", 2026
MISSING = {"", "nan", "None", "<NA>", "NaN"}


def theirs(path: Path) -> dict:
    out = subprocess.run([str(D2I), str(RUNNER), str(path), RULESET], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    data["findings"] = {("" if c in MISSING else c, r) for c, r in data["findings"]}
    return data


def ours(path: Path) -> dict:
    from returns.cin.validation import check_cin

    start = time.perf_counter()
    findings, _meta = check_cin(path, year=YEAR)
    seconds = time.perf_counter() - start
    pairs = {(f.child, f.rule) for f in findings if f.child}
    # Findings on the whole return, and on a child without an LAchildID (8500), have no child.
    return_level = sorted(
        {f.rule for f in findings if not f.child and f.location.startswith("Message/") and "Child[" not in f.location}
    )
    pairs |= {("", f.rule) for f in findings if not f.child and "Child[" in f.location}
    return {"findings": pairs, "return_level": return_level, "seconds": seconds}


def compare(files: list[Path], detail: bool, markdown: bool = False) -> int:
    from returns.cin.validation import CIN_RULES

    kinds = {r.code: r.kind for r in CIN_RULES.for_year(YEAR)}
    codes = sorted(kinds)
    ours_by, theirs_by = defaultdict(set), defaultdict(set)
    for path in files:
        a, b = ours(path), theirs(path)
        for child, rule in a["findings"]:
            ours_by[rule].add((path.name, child))
        for child, rule in b["findings"]:
            theirs_by[rule].add((path.name, child))
        for rule in a["return_level"]:
            ours_by[rule].add((path.name, "(return)"))
        for rule in b["return_level"]:
            theirs_by[rule].add((path.name, "(return)"))
        if b.get("crashed"):
            print(f"{path.name}: Data to Insight rules that crashed: {b['crashed']}")
    agree = differ = 0
    print(f"{'rule':8} {'ours':>6} {'theirs':>6} {'both':>6}  agreement")
    for code in sorted(set(codes) | set(theirs_by), key=lambda c: (len(c.rstrip("Q")), c)):
        a, b = ours_by.get(code, set()), theirs_by.get(code, set())
        same = a == b
        agree += same
        differ += not same
        mark = "equal" if same else "DIFFER"
        if code not in codes:
            mark = "not implemented"
        print(f"{code:8} {len(a):6} {len(b):6} {len(a & b):6}  {mark}{'' if a or b else ' (neither finds any)'}")
        if detail and not same:
            print(f"         only ours: {sorted(a - b)[:6]}\n         only theirs: {sorted(b - a)[:6]}")
    print(f"\n{len(codes)} rules implemented; {agree} agree on these files, {differ} differ.")
    if markdown:
        print("\n| rule | kind | ours | Data to Insight | both | agreement |\n|---|---|---|---|---|---|")
        for code in sorted(codes, key=lambda c: (len(c.rstrip("Q")), c)):
            a, b = ours_by.get(code, set()), theirs_by.get(code, set())
            same = "equal" if a == b else "**differs**"
            print(f"| {code} | {kinds[code]} | {len(a)} | {len(b)} | {len(a & b)} | {same} |")
    return differ


def speed(path: Path, runs: int) -> None:
    """One run of each, alternately; the median of `runs`."""
    mine, others = [], []
    for _ in range(runs):
        start = time.perf_counter()
        ours(path)
        mine.append(time.perf_counter() - start)
        start = time.perf_counter()
        data = theirs(path)
        others.append(time.perf_counter() - start)
        print(f"  ours {mine[-1]:.2f} s; Data to Insight {others[-1]:.2f} s wall ({data['seconds']:.2f} s validating)")
    print(
        f"median of {runs}: ours {statistics.median(mine):.2f} s, Data to Insight {statistics.median(others):.2f} s "
        f"({statistics.median(others) / statistics.median(mine):.1f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--detail", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="also print the per-rule table in Markdown, with kinds")
    parser.add_argument("--speed", type=Path, help="a large file to time both tools on")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if args.speed:
        speed(args.speed, args.runs)
        return
    files = args.files or sorted(SAMPLES.glob("*.xml")) + sorted((SAMPLES / "validator_cases").glob("*.xml"))
    if not args.files:
        # Our test cases (a failing and a passing child per rule) as one more census file.
        from returns.tests.cin_rule_cases import agreement_files

        folder = Path(tempfile.mkdtemp())
        for name, text in agreement_files().items():
            (folder / name).write_text(text)
            files.append(folder / name)
    compare(files, args.detail, args.markdown)


if __name__ == "__main__":
    main()
