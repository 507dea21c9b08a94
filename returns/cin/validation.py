"""Run the DfE's CIN census rules on a file: read it once into tables, then one SQL query per rule."""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
from lxml import etree

from returns.cin import schemas as cin_schemas
from returns.cin.reader import SCHEMA_DIR, SCHEMA_YEARS, collection_label
from returns.cin.rules import child as cin_child
from returns.cin.rules import episode as cin_episode
from returns.cin.rules import work as cin_work
from returns.cin.tables import UnreadableReturn, census, load, read_tables
from returns.rules.base import Finding, RuleSet
from returns.rules.spill import bounded

CIN_RULES = RuleSet("cin")
CIN_RULES.add(*cin_child.RULES, *cin_episode.RULES, *cin_work.RULES)

XS = "{http://www.w3.org/2001/XMLSchema}"
# The code lists the rules check against, by the name of their type in the DfE schema.
CODE_LISTS = (
    "sex",
    "ethnicity",
    "disability",
    "referralsource",
    "categoryofabuse",
    "primaryneedcode",
    "reasonforclosure",
    "assessmentfactors",
    "unknownupn",
)


@functools.cache
def code_lists(year: int) -> dict[str, tuple[str, ...]]:
    """The code lists of the bundled DfE schema serving the collection (the latest one for a later year)."""
    schema_year = max((y for y in SCHEMA_YEARS if y <= year), default=SCHEMA_YEARS[0])
    return _lists((SCHEMA_DIR / f"CIN_schema_{schema_year}.xsd").read_bytes())


@functools.lru_cache(maxsize=16)
def _lists(content: bytes) -> dict[str, tuple[str, ...]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    doc = etree.fromstring(content, parser)
    lists = {}
    for simple in doc.iter(f"{XS}simpleType"):
        name = (simple.get("name") or "").removesuffix("type")
        if name in CODE_LISTS:
            lists[name] = tuple(e.get("value") for e in simple.iter(f"{XS}enumeration"))
    return lists


def working_day_marks(reference: dt.date | None) -> dict[str, dt.date | None]:
    """The dates the working-day rules compare with: the reference date minus 45 and 15 working days
    (8670Q, 8675Q) and the start of the census year minus 1 working day (8569Q)."""
    if reference is None:
        return {"ref_minus_45wd": None, "ref_minus_15wd": None, "start_minus_1wd": None}
    start = reference.replace(year=reference.year - 1) + dt.timedelta(days=1)
    return {
        "ref_minus_45wd": working_days_before(reference, 45),
        "ref_minus_15wd": working_days_before(reference, 15),
        "start_minus_1wd": working_days_before(start, 1),
    }


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The Nth working day before day (day itself never counts), England's bank holidays excluded."""
    from timescales.calendar import NATIONAL

    while n:
        day -= dt.timedelta(days=1)
        n -= NATIONAL.is_working_day(day)
    return day


def reference_date(header: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat((header.get("ReferenceDate") or "").strip())
    except ValueError:
        return None


def check_cin(
    path: str | Path,
    year: int | None = None,
    codes: tuple[str, ...] | None = None,
    installed: bool = False,
    read: tuple[dict, dict] | None = None,
) -> tuple[list[Finding], dict]:
    """All findings of the year's rules on one CIN census file, and what the run knew:
    {"collection_year", "rules", "notes"}. `year` is the collection's end year (2026 for
    2025-26); by default the year of the file's reference date. With `installed` the code lists
    come from the schema the file is checked against (returns/cin/schemas.py: one an administrator
    installed, else the bundled one; it reads the database), else from the bundled schemas.
    `read`: the header and tables already written as the file was read (CinReader.rules_tables), kept for
    another run of the rules; by default the file is read here. Raises UnreadableReturn."""
    return _check_file(path, year, codes, installed, None, read)


def started_check_cin(
    path: str | Path, year: int, installed: bool = False, read: tuple[dict, dict] | None = None
) -> Callable[[], tuple[list[Finding], dict]]:
    """check_cin(path, year=year, installed=installed) begun now in a thread of its own; call what it
    returns to wait for its result (or its exception, raised then, as check_cin would have raised it).

    The import runs the rules while it matches and writes the children (decision 0060): their own
    reading of the file and DuckDB's queries overlap the writing (DuckDB and the database drivers
    release the GIL), on a machine's second core. The code lists are read here, in the caller's thread,
    as they may come from the caller's database connection (and transaction); the thread reads only
    the file and its own DuckDB database."""
    try:
        lists = code_lists_for(year, installed)
    except Exception as exc:  # raised when the result is asked for, where check_cin would have raised it
        failed = exc

        def failure() -> tuple[list[Finding], dict]:
            raise failed

        return failure
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cin-rules")
    future = pool.submit(_check_file, path, year, None, installed, lists, read)
    pool.shutdown(wait=False)  # the thread ends with its one task
    return future.result


def code_lists_for(year: int, installed: bool) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The code lists the year's rules check against, and the notes saying where they come from."""
    notes = []
    source = cin_schemas.source_for(year) if installed else None
    if source is not None:
        lists = _lists(source.content)
        if not source.dfe:
            notes.append(
                f"Code lists for {collection_label(year)} taken from {source.base} "
                "(the DfE's schema for the year is not installed)."
            )
    else:
        lists = code_lists(year)
    if source is None and year > max(SCHEMA_YEARS):
        notes.append(
            f"Code lists for {collection_label(year)} taken from the {collection_label(max(SCHEMA_YEARS))} DfE schema "
            "(the DfE's schema for the year is not installed)."
        )
    return lists, notes


def _check_file(
    path: str | Path,
    year: int | None,
    codes: tuple[str, ...] | None,
    installed: bool,
    lists: tuple[dict[str, tuple[str, ...]], list[str]] | None,
    read: tuple[dict, dict] | None = None,
) -> tuple[list[Finding], dict]:
    with tempfile.TemporaryDirectory(prefix="rulescin-") as spill:
        con = bounded(Path(spill))
        try:
            return _check_cin(con, Path(spill), path, year, codes, installed, lists, read)
        finally:
            con.close()


def _check_cin(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    path: str | Path,
    year: int | None,
    codes: tuple[str, ...] | None,
    installed: bool,
    lists_and_notes: tuple[dict[str, tuple[str, ...]], list[str]] | None,
    read: tuple[dict, dict] | None = None,
) -> tuple[list[Finding], dict]:
    header, tables = read if read is not None else read_tables(path, folder)
    ref = reference_date(header)
    if year is None:
        if ref is None:
            raise UnreadableReturn(f"{Path(path).name}: the header's ReferenceDate is not a date; give --year.")
        year = ref.year if ref.month <= 3 else ref.year + 1
    rules = [r for r in CIN_RULES.for_year(year) if codes is None or r.code in codes]
    lists, notes = lists_and_notes if lists_and_notes is not None else code_lists_for(year, installed)
    load(con, tables, keep=read is not None)  # the reader's tables serve each attempt at the writing
    # The rules measure the census year from the reference date the file gives (as the DfE's do);
    # rule 100 checks that date against the collection being validated.
    census(con, header, ref, {"collection_end": dt.date(year, 3, 31), **working_day_marks(ref)})
    names = [n for n, values in lists.items() for _ in values]
    values = [v for vs in lists.values() for v in vs]
    con.execute(
        "CREATE TABLE codelist AS SELECT unnest($1::VARCHAR[]) AS list, unnest($2::VARCHAR[]) AS code",
        [names, values],
    )
    findings = []
    for rule in rules:
        for child, location in con.execute(rule.sql).fetchall():
            findings.append(Finding(rule.code, child or "", rule.kind, list(rule.fields), location or "", rule.message))
    return findings, {"collection_year": year, "rules": [r.code for r in rules], "notes": list(notes)}
