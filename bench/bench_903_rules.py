"""Issue 13 point 8: how fast our SSDA903 DfE rules check a return, against Data to Insight's
csc-validator-be-903 on the same files and the same rules.

The files are built from the large demonstration council's own 903 export (every table of the
return, codes valid for the year: `manage.py export_ssda903`), scaled by copying its children under
new CHILD ids to 2,500, 10,000 and 40,000 children, and to a national-sized return of 100,000
children. Each size is checked by ours and theirs alternately (A B A B ...), each in a fresh
process (start included), --runs times; the medians, the ranges, the peak memory of each process
and the load average are printed. Both run only the rules both implement (our codes for the year
that run without last year's return, a postcode directory or Ofsted's lists, none of which the
benchmark gives, limited to those in their rule pack; theirs get the list through LOS_RULES).

Warm (--modes cold,warm, the default): as our rules run in production inside a long-lived process
(the upload preview, the task worker), and Data to Insight's validator is used as a long-lived
application, each tool also has one long-lived process (each in its own venv, bench/_warm.py) that
imports everything once, checks the first file once untimed, and then checks each file it is sent;
its runs alternate with the other tool's (A B A B) and with the cold runs. Wall and CPU time are
the check's own, measured inside that process.

Their validator takes minutes at the largest sizes; --theirs-max limits the sizes it runs on (ours
runs on every size). CPU time (user + system of the process and its threads) is printed beside the
wall time: on a shared machine it is what the work cost. Without --export the large demonstration council is
generated (once) and exported.

csc-validator-be-903 has a venv of its own, var/d2i/903 (D2I_903_VENV names another), made by
scripts/d2i_validators.sh at the version in requirements-d2i-903.txt (make test and bench/run.sh run it).

    .venv/bin/python bench/bench_903_rules.py [--export var/bench/demo903-2026.zip] [--year 2026]
        [--sizes export,2500,10000,40000,100000] [--runs 3] [--theirs-max 100000] [--modes cold,warm]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
from _warm import Tool, Worker, rounds, warm_up  # noqa: E402

HERE = Path(__file__).resolve().parent
D2I = Path(os.environ.get("D2I_903_VENV") or common.ROOT / "var" / "d2i" / "903") / "bin" / "python"
LA = "E09000027"


def read_export(path: Path) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: list(csv.DictReader(io.TextIOWrapper(archive.open(name), encoding="utf-8-sig")))
            for name in archive.namelist()
            if name.lower().endswith(".csv")
        }


UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def renewed_upn(upn: str, k: int) -> str:
    """Copy k's UPN: the 3-digit LA code part replaced by 100 + k and the check letter worked
    out again (weights 2-13, modulo 23, as the DfE's UPN guidance), so no two children share one
    and each is still a valid UPN. A UPN that is not letter + 12 digits is kept as it is."""
    body = upn[1:]
    if len(upn) != 13 or not body.isdigit():
        return upn
    body = f"{100 + k:03d}{body[3:]}"
    return UPN_LETTERS[sum(int(c) * w for c, w in zip(body, range(2, 14), strict=True)) % 23] + body


def scaled(tables: dict[str, list[dict[str, str]]], size: int, folder: Path) -> tuple[Path, dict[str, int]]:
    """The return with its children copied under new ids until it holds `size` children: copy k
    of child C is "C" for k = 0 and "<k>C" after (an id stays a string of digits and letters, as a
    council's are), with a UPN of its own. The last copy takes only as many children as are still
    needed."""
    children = sorted({r["CHILD"] for rows in tables.values() for r in rows if r.get("CHILD")})
    out: dict[str, list[dict[str, str]]] = {name: [] for name in tables}
    copies, left = divmod(size, len(children))
    for k in range(copies + (1 if left else 0)):
        keep = set(children if k < copies else children[:left])
        for name, rows in tables.items():
            for row in rows:
                if row.get("CHILD") in keep:
                    copy = {**row, "CHILD": row["CHILD"] if k == 0 else f"{k}{row['CHILD']}"}
                    if k and row.get("UPN"):
                        copy["UPN"] = renewed_upn(row["UPN"], k)
                    out[name].append(copy)
    target = folder / f"903-{size}"
    target.mkdir(parents=True, exist_ok=True)
    files = []
    for name, rows in out.items():
        path = target / name
        with path.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(tables[name][0].keys()) if tables[name] else ["CHILD"])
            writer.writeheader()
            writer.writerows(rows)
        files.append(path)
    packed = folder / f"903-{size}.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.name)
    counts = {name: len(rows) for name, rows in out.items()}
    return target, counts


def export_demo(target: Path, year: int) -> None:
    """The large demonstration council (made once, kept in var/bench) exported as a 903 return."""
    url = common.database_url("sqlite", "bench_large")
    common.ensure_council(url, "large")
    subprocess.run(
        [common.PY, "manage.py", "export_ssda903", str(target), "--year", str(year)],
        cwd=common.ROOT,
        env=common.env(url),
        check=True,
    )


def with_bytecode(env: dict[str, str]) -> dict[str, str]:
    """Our processes keep their compiled bytecode between runs (in var/bench/pycache), as a deployed
    application does and as Data to Insight's validator does from its site-packages. Without it, when
    PYTHONDONTWRITEBYTECODE is set (scripts/test.sh and some shells set it), each cold run of ours
    compiled about 105 of our modules afresh: 0.12 s of CPU of a ~1.3 s cold check (7 Dec 2026)."""
    env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(common.OUT / "pycache")}


def our_codes(year: int) -> list[str]:
    common.setup_django(os.environ.get("DATABASE_URL", "sqlite:///:memory:"))
    from returns.ssda903.validation import SSDA903_RULES

    # Those that need last year's return, the postcode directory or Ofsted's lists are skipped without
    # them (the benchmark gives none), so they are left out of both tools' lists.
    rules = SSDA903_RULES.for_year(year)
    return sorted(r.code for r in rules if not (r.needs_previous or r.needs_postcodes or r.needs_ofsted))


def their_codes(year: int) -> set[str]:
    ruleset = f"lac{year - 1}_{year % 100:02d}"
    module = f"lac_validator.rules.{ruleset}"
    code = f"import importlib;print(','.join(map(str, importlib.import_module('{module}').registry)))"
    return set(subprocess.check_output([str(D2I), "-c", code], text=True).strip().split(","))


def describe(label: str, walls: list[float], cpus: list[float], mems: list[float] | None = None) -> str:
    memory = f", peak memory median {statistics.median(mems):.0f} MB" if mems else ""
    return (
        f"{label}: median {statistics.median(walls):.2f} s (range {min(walls):.2f}-{max(walls):.2f}), "
        f"CPU median {statistics.median(cpus):.2f} s ({min(cpus):.2f}-{max(cpus):.2f}){memory}"
    )


@dataclass
class Timings:
    """One tool's runs at one size in one mode."""

    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    mems: list[float] = field(default_factory=list)

    def add(self, wall: float, cpu: float, mem: float | None = None) -> None:
        self.walls.append(wall)
        self.cpus.append(cpu)
        if mem is not None:
            self.mems.append(mem)


@dataclass
class Size:
    children: int
    episodes: int
    ours: dict[str, Timings] = field(default_factory=lambda: {"cold": Timings(), "warm": Timings()})
    theirs: dict[str, Timings] = field(default_factory=lambda: {"cold": Timings(), "warm": Timings()})
    loads: list[float] = field(default_factory=list)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--export", type=Path, default=common.OUT / "demo903-2026.zip", help="the demonstration council's 903 export"
    )
    parser.add_argument("--year", type=int, default=2026, help="collection year (ending 31 March)")
    parser.add_argument(
        "--sizes", default="export,2500,10000,40000,100000", help="children; 'export': the export as it is"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--theirs-max", type=int, default=100000, help="largest size to run their validator on")
    parser.add_argument(
        "--modes",
        default="cold,warm",
        help="cold: each check a fresh process, start included; warm: one long-lived process per tool (bench/_warm.py)",
    )
    args = parser.parse_args()
    modes = args.modes.split(",")

    if not args.export.exists():
        export_demo(args.export, args.year)
    codes = our_codes(args.year)
    shared = sorted(set(codes) & their_codes(args.year))
    print(f"Machine: {common.machine()}")
    label = f"{args.year - 1}-{args.year % 100:02d}"
    print(f"Rules: {len(codes)} of ours for {label} that run without last year's return, a postcode directory or")
    print(f"Ofsted's lists; {len(shared)} of them also in theirs, timed. Modes: {', '.join(modes)}.")
    tables = read_export(args.export)
    base_children = len({r["CHILD"] for rows in tables.values() for r in rows if r.get("CHILD")})
    sizes = ", ".join(f"{n} {len(r)}" for n, r in tables.items())
    print(f"Base: {args.export.name}, {base_children} children, {sizes}")
    folder = Path(tempfile.mkdtemp(prefix="bench903-", dir=common.OUT))
    env_ours = with_bytecode(common.env(os.environ.get("DATABASE_URL", f"sqlite:///{folder / 'unused.sqlite3'}")))
    env_theirs = {**os.environ, "LOS_RULES": ",".join(shared)}
    ruleset = f"lac{args.year - 1}_{args.year % 100:02d}"
    workers = {}
    if "warm" in modes:
        # One process per tool for the whole benchmark, each in its own Python, imports done once.
        workers["ours"] = Worker([common.PY, str(HERE / "_ours.py"), "903", "--serve"], env_ours)
        if D2I.exists():
            workers["theirs"] = Worker([str(D2I), str(HERE / "_903val_findings.py"), "--serve"], env_theirs)
    results = []
    warmed = False
    for size in (base_children if s == "export" else int(s) for s in args.sizes.split(",")):
        target, counts = scaled(tables, size, folder)
        packed = folder / f"903-{size}.zip"
        csvs = sorted(str(p) for p in target.glob("*.csv"))
        episodes = next((n for name, n in counts.items() if "episode" in name.lower()), 0)
        mb = packed.stat().st_size / 1e6
        print(f"\n{size:,} children ({episodes:,} episodes; zip {mb:.1f} MB)")
        tools = {
            "ours": Tool(
                [common.PY, str(HERE / "_ours.py"), "903"],
                env_ours,
                [str(args.year), str(packed), ",".join(shared)],
                workers.get("ours"),
            )
        }
        if size <= args.theirs_max and D2I.exists():
            tools["theirs"] = Tool(
                [str(D2I), str(HERE / "_903val_findings.py")],
                env_theirs,
                [ruleset, str(args.year), LA, *csvs],
                workers.get("theirs"),
            )
        if not warmed:
            # One untimed cold check first, which writes our bytecode cache (with_bytecode).
            subprocess.run([*tools["ours"].cmd, *tools["ours"].args], env=env_ours, check=True, capture_output=True)
            warm_up(tools)
            warmed = True
        row = Size(size, episodes)
        rounds(row, args.runs, modes, tools)
        for mode in modes:
            ours, theirs = row.ours[mode], row.theirs[mode]
            print(f"  {mode}: " + describe("ours", ours.walls, ours.cpus, ours.mems))
            if theirs.walls:
                print(f"  {mode}: " + describe("Data to Insight", theirs.walls, theirs.cpus, theirs.mems))
                wall_ratio = statistics.median(theirs.walls) / statistics.median(ours.walls)
                cpu_ratio = statistics.median(theirs.cpus) / statistics.median(ours.cpus)
                print(f"  {mode}: ratio of medians {wall_ratio:.1f}x wall, {cpu_ratio:.1f}x CPU")
        results.append(row)
    for worker in workers.values():
        worker.close()
    print_table(results, modes)


def print_table(results: list[Size], modes: list[str]) -> None:
    def span(xs: list[float]) -> str:
        return f"{statistics.median(xs):.2f} s ({min(xs):.2f}-{max(xs):.2f})" if xs else "not run"

    def cpu(xs: list[float]) -> str:
        return f"{statistics.median(xs):.2f} s" if xs else "-"

    def ratio(a: list[float], b: list[float]) -> str:
        return f"{statistics.median(b) / statistics.median(a):.1f}x" if a and b else "-"

    print(
        "\n| children | episodes | mode | ours wall median (range) | ours CPU | Data to Insight wall median (range) "
        "| their CPU | ratio wall | ratio CPU | load |"
    )
    print("|---:|---:|---|---|---:|---|---:|---:|---:|---|")
    for row in results:
        for mode in modes:
            o, t = row.ours[mode], row.theirs[mode]
            episodes = f"{row.episodes:,}" if row.episodes else "-"
            print(
                f"| {row.children:,} | {episodes} | {mode} | {span(o.walls)} | {cpu(o.cpus)} | {span(t.walls)} "
                f"| {cpu(t.cpus)} | {ratio(o.walls, t.walls)} | {ratio(o.cpus, t.cpus)} "
                f"| {min(row.loads):.1f}-{max(row.loads):.1f} |"
            )


if __name__ == "__main__":
    main()
