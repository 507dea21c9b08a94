"""Issue 13: do our SSDA903 rules find what Data to Insight's csc-validator-be-903 finds?

Runs both on the same 903 returns with the same collection year (default 2025-26, their rule pack
lac2025_26) and prints, per rule, the (file, child) findings of each and whether the sets are
equal. The files: Data to Insight's test data (the samples folder holds its tests/fake_data CSV
tables and fake_903.xml), the five years of cs-demand-model tables, a 903 exported from the
demonstration council (give it with --demo, made by `manage.py export_ssda903`), and a return built
from our rule tests (returns/tests/ssda903_rule_cases.py: for every rule a child that breaks it and
the nearest child that does not). With --year 2027 (their pack lac2026_27) a second return built
from the deprivation of liberty rules' tests is added (returns/tests/ssda903_liberty_cases.py).

Last year's return is given to both tools where there is one (their 503 rules and ours compare
with it): the cs-demand-model tables of the year before, and for our rule cases the last-year
return they describe (ssda903_rule_cases.previous_tables()).

csc-validator-be-903 has a venv of its own, var/d2i/903 (D2I_903_VENV names another), made by
scripts/d2i_validators.sh at the version in requirements-d2i-903.txt (make test and bench/run.sh run it).

    LOS_INSECURE_LOCAL=1 .venv/bin/python bench/agreement_903.py [--demo EXPORT.zip] [--year 2026] [--detail]
        [--alone] [--markdown]

With --alone the rules that differ are run again in Data to Insight's tool, each alone on a fresh copy of
the return: their rules share the tables and some change them in place (365 fills every blank DEC with
31 March), so a rule run after them can find what it would not alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "data" / "samples"
D2I = Path(os.environ.get("D2I_903_VENV") or ROOT / "var" / "d2i" / "903") / "bin" / "python"
RUNNER = Path(__file__).resolve().parent / "_903val_findings.py"
LA = "E09000027"  # the council's own code, which both tools' postcode rules read
DUMP = Path(__file__).resolve().parent / "_903_postcodes.py"
MISSING = {"", "nan", "None", "<NA>", "NaN"}


def theirs(csvs: list[Path], year: int, previous: list[Path] | None = None, alone: list[str] | None = None) -> dict:
    """Their findings; with `alone`, only those rules, each run alone on a fresh copy of the return."""
    ruleset = f"lac{year - 1}_{year % 100:02d}"
    env = dict(os.environ, LOS_PREVIOUS=os.pathsep.join(map(str, previous or [])))
    if alone:
        env.update(LOS_ALONE="1", LOS_RULES=",".join(alone))
    out = subprocess.run(
        [str(D2I), str(RUNNER), ruleset, str(year), LA, *map(str, csvs)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    data = json.loads(out.stdout)
    data["findings"] = {("" if c in MISSING else c.upper(), r) for c, r, _table in data["findings"]}
    return data


def postcodes(files: list[Path]) -> Path:
    """The postcodes their tool knows for these files, as an ONSPD-layout CSV that ours reads: both
    tools' postcode rules (392c, 169, 503G, ...; decision 0057) then derive from the same postcodes."""
    out = Path(tempfile.mkstemp(suffix=".csv")[1])
    said = subprocess.run([str(D2I), str(DUMP), str(out), *map(str, files)], capture_output=True, text=True, check=True)
    print(f"Postcodes given to both tools: {said.stdout.strip()}")
    return out


def ours(packed: Path, year: int, previous: Path | None = None, directory: Path | None = None) -> dict:
    from returns.ssda903.postcodes import Directory
    from returns.ssda903.validation import check_903

    start = time.perf_counter()
    given = Directory.from_file(directory, LA) if directory else None
    findings, _meta = check_903(packed, year=year, previous=previous, postcodes=given)
    # Child IDs upper case: their reader capitalises every text of the file (F197a is their F197A).
    return {"findings": {(f.child.upper(), f.rule) for f in findings}, "seconds": time.perf_counter() - start}


# Last year's files of a return, by the return's name (filled by returns()).
PREVIOUS: dict[str, list[Path]] = {}


def returns(demo: list[Path], cases: bool, collection_year: int = 2026) -> list[tuple[str, list[Path]]]:
    """(name, files) for each return: the CSV tables of one return, or one XML file."""
    out = [
        ("d2i-fake-data", sorted((SAMPLES / "ssda903").glob("*.csv"))),
        ("d2i-fake_903.xml", [SAMPLES / "ssda903" / "fake_903.xml"]),
    ]
    multi = SAMPLES / "realworld" / "ssda903_multi_year"
    for year in sorted({p.name[:4] for p in multi.glob("*.csv")}):
        out.append((f"demand-model-{year}", sorted(multi.glob(f"{year}-*.csv"))))
        before = sorted(multi.glob(f"{int(year) - 1}-*.csv"))
        if before:
            PREVIOUS[f"demand-model-{year}"] = before
    folder = Path(tempfile.mkdtemp(prefix="agreement903-"))
    for export in demo:
        target = folder / export.stem
        target.mkdir()
        with zipfile.ZipFile(export) as archive:
            archive.extractall(target)
        out.append((export.name, sorted(target.glob("*.csv"))))
    if cases:
        from returns.tests.ssda903_rule_cases import agreement_tables

        target = folder / "rule-cases"
        target.mkdir()
        for name, text in agreement_tables().items():
            (target / name).write_text(text)
        out.append(("our-rule-cases", sorted(target.glob("*.csv"))))
        from returns.tests.ssda903_rule_cases import previous_tables

        last = folder / "rule-cases-last-year"
        last.mkdir()
        for name, text in previous_tables().items():
            (last / name).write_text(text)
        PREVIOUS["our-rule-cases"] = sorted(last.glob("*.csv"))
        # The same last-year and social worker cases alone: their 503 rules fail on a return holding a
        # child with no valid DECOM (the case of rule 141), so on our-rule-cases they find nothing.
        from returns.ssda903.reader import TABLES
        from returns.tests.ssda903_lastyear_cases import LASTYEAR_CASES
        from returns.tests.ssda903_rule_cases import csv_text, tables

        alone = folder / "lastyear-cases"
        alone.mkdir()
        for name, rows in tables(LASTYEAR_CASES).items():
            if rows and name in TABLES:
                (alone / TABLES[name].file).write_text(csv_text(name, rows))
        out.append(("our-lastyear-cases", sorted(alone.glob("*.csv"))))
        PREVIOUS["our-lastyear-cases"] = PREVIOUS["our-rule-cases"]
        # The postcode rules' cases (decision 0057), with their last year's return.
        from returns.tests.ssda903_postcode_cases import POSTCODE_CASES

        for where in ("postcode-cases", "postcode-cases-last"):
            (folder / where).mkdir()
        for name, rows in tables(POSTCODE_CASES).items():
            if rows and name in TABLES:
                (folder / "postcode-cases" / TABLES[name].file).write_text(csv_text(name, rows))
        for name, text in previous_tables(POSTCODE_CASES).items():
            (folder / "postcode-cases-last" / name).write_text(text)
        out.append(("our-postcode-cases", sorted((folder / "postcode-cases").glob("*.csv"))))
        PREVIOUS["our-postcode-cases"] = sorted((folder / "postcode-cases-last").glob("*.csv"))
    if collection_year >= 2027:  # their test data with the one-row DoLo table their repository and our samples hold
        dolo = SAMPLES / "realworld" / "ssda903_2026_27" / "DoLo.csv"
        out.append(("d2i-fake-data+DoLo", [*sorted((SAMPLES / "ssda903").glob("*.csv")), dolo]))
    if cases and collection_year >= 2027:  # the DoLo table and its rules are 2026-27's
        from returns.ssda903.reader import TABLES
        from returns.tests.ssda903_liberty_cases import LIBERTY_CASES
        from returns.tests.ssda903_rule_cases import csv_text, tables

        target = folder / "dolo-cases"
        target.mkdir()
        for name, rows in tables(LIBERTY_CASES).items():
            if rows:
                (target / TABLES[name].file).write_text(csv_text(name, rows))
        out.append(("our-dolo-cases", sorted(target.glob("*.csv"))))
    return out


def pack(files: list[Path]) -> Path:
    """Ours takes a return as the upload is stored: one XML file, or the tables in one zip.
    Their tool is given each file with its own name, so the tables are renamed to the
    specification's names in the zip only when the name does not already say which it is."""
    if len(files) == 1 and files[0].suffix.lower() == ".xml":
        return files[0]
    packed = Path(tempfile.mkstemp(suffix=".zip")[1])
    with zipfile.ZipFile(packed, "w") as archive:
        for p in files:
            archive.write(p, p.name)
    return packed


def compare(
    year: int, demo: list[Path], detail: bool, cases: bool, alone: bool = False, markdown: bool = False
) -> None:
    from returns.ssda903.validation import SSDA903_RULES

    kinds = {r.code: r.kind for r in SSDA903_RULES.for_year(year)}
    codes = sorted(kinds)
    ours_by, theirs_by = defaultdict(set), defaultdict(set)
    failed: set[str] = set()
    registry: set[str] = set()
    given = returns(demo, cases, year)
    directory = postcodes(sorted({p for _n, files in given for p in files} | {p for v in PREVIOUS.values() for p in v}))
    for name, files in given:
        last = PREVIOUS.get(name)
        a, b = ours(pack(files), year, pack(last) if last else None, directory), theirs(files, year, last)
        failed |= set(b["failed"])
        registry |= set(b["rules"])
        for child, rule in a["findings"]:
            ours_by[rule].add((name, child))
        for child, rule in b["findings"]:
            theirs_by[rule].add((name, child))
        print(
            f"{name}: ours {len(a['findings'])} (child, rule) findings in {a['seconds']:.2f} s; "
            f"Data to Insight {len(b['findings'])} in {b['seconds']:.2f} s"
        )
    if failed:
        print(f"Data to Insight rules that crashed on some file: {sorted(failed)}")
    agree = differ = 0
    print(f"\n{'rule':8} {'ours':>6} {'theirs':>6} {'both':>6}  agreement")
    for code in codes:
        a, b = ours_by.get(code, set()), theirs_by.get(code, set())
        same = a == b
        agree += same
        differ += not same
        print(
            f"{code:8} {len(a):6} {len(b):6} {len(a & b):6}  {'equal' if same else 'DIFFER'}"
            f"{'' if a or b else ' (neither finds any)'}"
        )
        if detail and not same:
            print(f"         only ours: {sorted(a - b)[:6]}\n         only theirs: {sorted(b - a)[:6]}")
    print(f"\n{len(codes)} rules implemented; {agree} agree on these files, {differ} differ.")
    if alone:
        differing = [c for c in codes if ours_by.get(c, set()) != theirs_by.get(c, set())]
        alone_by, alone_failed = defaultdict(set), set()
        for name, files in returns(demo, cases, year):
            b = theirs(files, year, PREVIOUS.get(name), alone=differing)
            alone_failed |= set(b["failed"])
            for child, rule in b["findings"]:
                alone_by[rule].add((name, child))
        print("\nThe differing rules again, each of theirs run alone on a fresh copy of every return:")
        print(f"{'rule':8} {'ours':>6} {'alone':>6} {'both':>6}  agreement")
        for code in differing:
            a, b = ours_by.get(code, set()), alone_by.get(code, set())
            crashed = " (theirs crashed on some file)" if code in alone_failed else ""
            print(f"{code:8} {len(a):6} {len(b):6} {len(a & b):6}  {'equal' if a == b else 'DIFFER'}{crashed}")
            if detail and a != b:
                print(f"         only ours: {sorted(a - b)[:6]}\n         only theirs: {sorted(b - a)[:6]}")
    if markdown:
        print("\n| rule | kind | ours | Data to Insight | both | agreement |\n|---|---|---|---|---|---|")
        for code in codes:
            a, b = ours_by.get(code, set()), theirs_by.get(code, set())
            same = "equal" if a == b else "**differs**"
            print(f"| {code} | {kinds[code]} | {len(a)} | {len(b)} | {len(a & b)} | {same} |")
    missing = " ".join(sorted(registry - set(codes)))
    print(f"\nData to Insight's rules ({len(registry)}) that we do not implement: {missing}")
    rest = sorted(set(theirs_by) - set(codes), key=lambda c: -len(theirs_by[c]))
    print(
        "Not implemented, by Data to Insight's findings on these files: "
        + ", ".join(f"{c} ({len(theirs_by[c])})" for c in rest)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--demo", nargs="*", type=Path, default=[], help="903 exports (zip) of the demonstration council"
    )
    parser.add_argument("--year", type=int, default=2026, help="collection year (ending 31 March) for both tools")
    parser.add_argument("--detail", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="also print the per-rule table in Markdown, with kinds")
    parser.add_argument(
        "--alone", action="store_true", help="run each differing rule of theirs again alone on a fresh copy"
    )
    parser.add_argument("--no-cases", action="store_true", help="leave out the file built from our rule tests")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    compare(args.year, args.demo, args.detail, not args.no_cases, args.alone, args.markdown)


if __name__ == "__main__":
    main()
