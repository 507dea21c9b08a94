"""Run the DfE's SSDA903 rules on a return: read it once into tables, then one SQL query per rule."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from returns.cin.reader import collection_label
from returns.rules import fuse
from returns.rules.base import Finding, RuleSet
from returns.rules.spill import MEMORY_LIMIT, bounded
from returns.ssda903 import ofsted as ofsted_register
from returns.ssda903 import postcodes as postcode_directory
from returns.ssda903.reader import codes_for, lists_year
from returns.ssda903.rules import care as ssda903_care
from returns.ssda903.rules import ceased as ssda903_ceased
from returns.ssda903.rules import child as ssda903_child
from returns.ssda903.rules import episode as ssda903_episode
from returns.ssda903.rules import header as ssda903_header
from returns.ssda903.rules import history as ssda903_history
from returns.ssda903.rules import lastyear as ssda903_lastyear
from returns.ssda903.rules import liberty as ssda903_liberty
from returns.ssda903.rules import ofsted as ssda903_ofsted
from returns.ssda903.rules import permanence as ssda903_permanence
from returns.ssda903.rules import placement as ssda903_placement
from returns.ssda903.rules import postcode as ssda903_postcode
from returns.ssda903.rules import social_worker as ssda903_social_worker
from returns.ssda903.rules import uasc as ssda903_uasc
from returns.ssda903.rules.common import SHARED
from returns.ssda903.tables import (
    STRICT_DATE_MACRO,
    UnreadableReturn,
    finish,
    has_short_years,
    stage,
    staged_decom_year,
)

SSDA903_RULES = RuleSet("ssda903")
SSDA903_RULES.add(
    *ssda903_header.RULES,
    *ssda903_episode.RULES,
    *ssda903_care.RULES,
    *ssda903_ceased.RULES,
    *ssda903_liberty.RULES,
    *ssda903_permanence.RULES,
    *ssda903_placement.RULES,
    *ssda903_child.RULES,
    *ssda903_social_worker.RULES,
    *ssda903_lastyear.RULES,
    *ssda903_history.RULES,
    *ssda903_uasc.RULES,
    *ssda903_postcode.RULES,
    *ssda903_ofsted.RULES,
)

# Last year's return: a path, or a function of the collection year that finds one (or None).
Previous = str | Path | Callable[[int], Path | None] | None
# The ONS Postcode Directory, or a function that finds the installed one (or None).
Postcodes = postcode_directory.Directory | Callable[[], postcode_directory.Directory | None] | None
# Ofsted's register of providers, or a function that finds the installed one (or None).
Ofsted = ofsted_register.Register | Callable[[], ofsted_register.Register | None] | None


def check_903(
    path: str | Path,
    year: int | None = None,
    codes: tuple[str, ...] | None = None,
    previous: Previous = None,
    postcodes: Postcodes = None,
    ofsted: Ofsted = None,
) -> tuple[list[Finding], dict]:
    """All findings of the year's rules on one 903 return (CSV tables in a zip, one table, or the
    XML), and what the run knew: {"collection_year", "rules", "notes", "previous"}. `year` is the
    collection's end year (2026 for 2025-26); by default that of the latest episode start, as the
    importer tells it. `previous` is last year's return (or a function of the year that finds it):
    the rules that compare with last year (lastyear.py) run only when it is given and readable;
    otherwise meta["previous"]["note"] says that they were not checked and why. `postcodes` is the
    ONS Postcode Directory (or a function that finds the installed one): the rules on the
    placement's local authority, location and distance (392a, 392c, 169, ...) run only when it is
    given; otherwise meta["postcodes"]["note"] says which were not checked and why. `ofsted` is
    Ofsted's register of providers (or a function that finds the installed one): the rules on the
    placement's URN (1008, 219, ...) run only when it is given; otherwise meta["ofsted"]["note"]
    says which were not checked. Raises UnreadableReturn."""
    with checking_903(path, year, codes, previous, postcodes, ofsted) as (findings, meta):
        return list(findings), meta


@contextmanager
def checking_903(
    path: str | Path,
    year: int | None = None,
    codes: tuple[str, ...] | None = None,
    previous: Previous = None,
    postcodes: Postcodes = None,
    ofsted: Ofsted = None,
) -> Iterator[tuple[Iterator[Finding], dict]]:
    """check_903's findings as a stream, read from the rules' database a batch at a time while it is open,
    with what the run knew (known before the first rule runs). The import adds them to its problems as
    they come, which keep at most 50,000: a list of every finding grew with the file (decision 0061)."""
    with tempfile.TemporaryDirectory(prefix="rules903-") as spill:
        # In memory up to the limit, then spilled to the folder: no file to log and checkpoint each
        # staged table into. One thread: most of a check is ~240 small queries, whose set-up a second
        # thread only adds to (decision 0065).
        con = bounded(Path(spill), in_memory=True, threads=1)
        try:
            rules, meta = _prepare(con, path, year, codes, previous, Path(spill), postcodes, ofsted)
            yield _findings(con, rules), meta
        finally:
            con.close()


FETCH = 5000  # findings fetched from DuckDB at a time


def _findings(con: duckdb.DuckDBPyConnection, rules: list) -> Iterator[Finding]:
    """The rules' findings, the rules over the same rows run as one query (returns/rules/fuse.py)."""
    for group in fuse.groups(rules):
        yield from _group_findings(con, group)


def _group_findings(con: duckdb.DuckDBPyConnection, group: fuse.Group) -> Iterator[Finding]:
    try:
        result = con.execute(group.sql)
    except duckdb.Error:
        if not group.fused:
            raise
        # A fused query DuckDB will not run (one rule's condition fails on this return): each rule
        # alone, so that the others' findings stand and the failing one fails as it would alone.
        for alone in group.alone():
            yield from _group_findings(con, alone)
        return
    while batch := result.fetchmany(FETCH):
        for child, location, *which in batch:  # a fused query adds the index of the rule that found the row
            rule = group.rules[which[0] if which else 0]
            yield Finding(rule.code, child or "", rule.kind, list(rule.fields), location or "", rule.message)


def _prepare(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    year: int | None,
    codes: tuple[str, ...] | None,
    previous: Previous = None,
    spill: Path | None = None,
    postcodes: Postcodes = None,
    ofsted: Ofsted = None,
) -> tuple[list, dict]:
    """Stage the return (and what its rules read besides) in `con`: the rules to run, and the meta."""
    may_be_short = stage(con, path)
    if year is None:
        year = staged_decom_year(con)
        if year is None:
            raise UnreadableReturn(f"{Path(path).name}: no episode has a valid DECOM; give --year.")
    rules = [r for r in SSDA903_RULES.for_year(year) if codes is None or r.code in codes]
    notes = []
    if rules and lists_year(year) != year:
        notes.append(
            f"The 903 code lists of {collection_label(lists_year(year))} were applied to this "
            f"{collection_label(year)} return (the latest change to them up to that year)."
        )
    finish(con, year, short_years=None if may_be_short else False)
    register = ofsted() if callable(ofsted) else ofsted
    rules, listed = _without_ofsted(rules, register)  # first: 229 and 241 need both, said once
    directory = postcodes() if callable(postcodes) else postcodes
    rules, placed = _without_postcodes(rules, directory)
    if register is not None and any(r.needs_ofsted for r in rules):
        with_la = any(r.needs_ofsted and r.needs_postcodes for r in rules)
        ofsted_register.stage(con, register, directory if with_la else None)
    rules, last = _last_year(con, rules, year, previous, spill)
    if directory is not None and any(r.needs_postcodes for r in rules):
        _derive_placements(con, directory)
    lists = codes_for(year)
    con.execute(
        "CREATE TABLE codelist AS SELECT unnest($1::VARCHAR[]) AS list, unnest($2::VARCHAR[]) AS code",
        [[n for n, vs in lists.items() for _ in vs], [v for vs in lists.values() for v in vs]],
    )
    _shared(con, rules)
    meta = {"collection_year": year, "rules": [r.code for r in rules], "notes": notes, "previous": last}
    return rules, {**meta, "postcodes": placed, "ofsted": listed}


def _shared(con: duckdb.DuckDBPyConnection, rules: list) -> None:
    """The tables of the queries several rules repeat (common.SHARED) that the rules to run read:
    each worked out once, not once a rule."""
    for table, sql in SHARED.items():
        if any(table in rule.sql for rule in rules):
            con.execute(f"CREATE TABLE {table} AS {sql}")


def _without_ofsted(rules: list, register: ofsted_register.Register | None) -> tuple[list, dict]:
    """Leave out the rules that read Ofsted's register of providers when none is given, with one
    note saying which and why."""
    wanted = [r.code for r in rules if r.needs_ofsted]
    if not wanted:
        return rules, {"checked": [], "note": ""}
    if register is not None:
        return rules, {"checked": wanted, "note": "", "source": register.source}
    note = (
        f"Rules {', '.join(wanted)} check the placement's Ofsted URN against Ofsted's register of providers; "
        "they were skipped because no Ofsted provider lists are installed (an administrator installs them "
        "with manage.py install_ofsted_providers)."
    )
    return [r for r in rules if not r.needs_ofsted], {"checked": [], "note": note}


def _without_postcodes(rules: list, directory: postcode_directory.Directory | None) -> tuple[list, dict]:
    """Leave out the rules that read the items derived from the postcodes when there is no
    directory to derive them with, with one note saying which and why."""
    wanted = [r.code for r in rules if r.needs_postcodes]
    if not wanted:
        return rules, {"checked": [], "note": ""}
    if directory is not None:
        return rules, {"checked": wanted, "note": "", "source": directory.source, "council": directory.council}
    note = (
        f"Rules {', '.join(wanted)} check the placement's local authority, location and distance, which the DfE "
        "derives from HOME_POST and PL_POST; they were skipped because no ONS Postcode Directory is "
        "installed (an administrator installs one with manage.py install_postcodes)."
    )
    return [r for r in rules if not r.needs_postcodes], {"checked": [], "note": note}


def _derive_placements(con: duckdb.DuckDBPyConnection, directory: postcode_directory.Directory) -> None:
    """`placed` (and `placed_last` when last year's return is staged): the episodes with PL_LA,
    PL_LOCATION and PL_DISTANCE derived from the directory (returns/ssda903/postcodes.py)."""
    last = bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'episodes_last'").fetchone()[0])  # type: ignore[index]
    tables = ["episodes", "episodes_last"] if last else ["episodes"]
    postcode_directory.stage(con, directory, tables)
    for table in tables:
        postcode_directory.derive(con, directory.council, table, table.replace("episodes", "placed"))


def _last_year(
    con: duckdb.DuckDBPyConnection, rules: list, year: int, previous: Previous, spill: Path | None
) -> tuple[list, dict]:
    """Stage last year's return (`episodes_last`, `header_last`, `placedadoption_last`, `missing_last`,
    `oc3_last`, `uasc_last`, `uasc_status_last`) when the year's rules need it and it can be had;
    otherwise leave those rules out, with one note saying which and why. The rules that only read it
    when held (`reads_previous`: 392b, 199, 1000) then run on this year's return alone, over empty
    `*_last` tables, and the note says so."""
    wanted = [r.code for r in rules if r.needs_previous]
    reading = [r.code for r in rules if r.reads_previous]
    if not wanted and not reading:
        return rules, {"checked": [], "note": ""}
    found = previous(year) if callable(previous) else previous
    label = collection_label(year - 1)
    why = f"no SSDA903 return for {label} is held (import and commit last year's return, or give it with --previous)"
    if found is not None and spill is not None:
        try:
            _stage_previous(con, Path(found), spill)
            return rules, {"checked": wanted + reading, "note": "", "source": Path(found).name, "year": year - 1}
        except Exception as exc:  # whatever is wrong with last year's file must not stop this year's checks
            why = f"last year's return ({Path(found).name}, {label}) could not be read ({exc})"
    notes = []
    if wanted:
        notes.append(
            f"Rules {', '.join(wanted)} compare this return with last year's (its episodes, headers, UASC status, "
            f"decisions to place for adoption, missing periods and care leavers); they were not checked because {why}."
        )
    if reading:
        _empty_previous(con)
        notes.append(
            f"Rules {', '.join(reading)} were checked on this return alone (they also read last year's episodes "
            f"and UASC status, to find an earlier adoption, death in care or UASC status): {why}."
        )
    return [r for r in rules if not r.needs_previous], {"checked": [], "note": " ".join(notes), "year": year - 1}


def _empty_previous(con: duckdb.DuckDBPyConnection) -> None:
    """Last year's tables with no rows, for the rules that read them when they are held."""
    for name in ("episodes", "header", "placedadoption", "missing", "oc3", "uasc", "uasc_status"):
        con.execute(f"CREATE TABLE {name}_last AS SELECT * FROM {name} LIMIT 0")


def _stage_previous(con: duckdb.DuckDBPyConnection, found: Path, spill: Path) -> None:
    """Last year's return read as this year's is, in a database of its own, then copied into this
    one's `episodes_last`, `header_last`, `placedadoption_last`, `missing_last`, `oc3_last`,
    `uasc_last` (the names Data to Insight's rules read too) and `uasc_status_last` (the XML form's UASC
    status item; empty for CSV tables)."""
    if not found.is_file():
        raise OSError("no such file")
    db = spill / "previous.duckdb"
    other = duckdb.connect(str(db), config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(spill)})
    try:
        may_be_short = stage(other, found)
        if not other.execute("SELECT count(*) FROM episodes").fetchone()[0]:  # type: ignore[index]
            raise UnreadableReturn("it holds no 903 episodes")
    finally:
        other.close()
    con.execute(f"ATTACH '{db}' AS previous (READ_ONLY)")
    try:
        for name in ("episodes", "header", "placedadoption", "missing", "oc3", "uasc"):
            con.execute(f"CREATE TABLE {name}_last AS SELECT * FROM previous.{name}")
        xml = "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'previous' AND table_name = 'uasc_status'"
        if con.execute(xml).fetchone()[0]:  # type: ignore[index]
            con.execute("CREATE TABLE uasc_status_last AS SELECT * FROM previous.uasc_status")
        else:  # CSV tables: no UASC status item
            con.execute("CREATE TABLE uasc_status_last (CHILD VARCHAR, UASC VARCHAR, DUC VARCHAR, location VARCHAR)")
        if may_be_short and has_short_years(con, "_last"):  # d() reads last year's dates as this year's
            con.execute(STRICT_DATE_MACRO)
    finally:
        con.execute("DETACH previous")
