"""The SSDA903 return as tables in an in-memory DuckDB, for the DfE's 903 rules to query.

The CSV tables (a zip, a folder packed as a zip, or one table) are recognised by name or
columns exactly as the importer recognises them (returns/ssda903/reader.py); the XML form is
flattened into the same tables. Every value is kept as the text the file holds (blank is
NULL), whether or not the importer's format checks accept it: the DfE's rules judge the
content. Dates are read with the macro `d(text)` (dd/mm/yyyy; anything else is NULL), so a
malformed date is missing to the rules (rules 102, 141, ... report it). Each row keeps its
`location` ("episodes.csv row 17" or "EXPSSDA903/CHILD[3]/EPISODE[2]") for the finding.

A CSV table is read by DuckDB's own CSV reader straight into its table (`stage`): a national
return (100,000 children) is read in well under a second instead of seconds of Python rows, and
its memory stays in DuckDB's columns. DuckDB drops empty lines and refuses rows of the wrong
length, where Python's reader counts them in the row numbers and the importer skips them, so a
file with either is read by the Python reader instead: the rows and their locations are the
same whichever reads them (tested).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import mmap
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import IO

import duckdb
from lxml import etree

from returns.ssda903.reader import (
    DATE_RE,
    HEADER_BLOCKS,
    TABLES,
    _kind_of,
    fitted,
    header_names,
    repeats_header,
    table_for_columns,
    table_for_name,
)


class UnreadableReturn(Exception):
    """The file is not a readable 903 return (not CSV tables or 903 XML, a DOCTYPE, no episodes)."""


# Not a DfE table: the XML header's UASC status beside DUC, one row per child (empty for CSV tables,
# whose UASC status is the UASC table itself).
UASC_STATUS = "uasc_status"


def sql_name(table: str) -> str:
    """The DuckDB table of a 903 table: Header -> header, PlacedAdoption -> placedadoption."""
    return table.lower()


Rows = dict[str, list[dict]]


def read_tables(path: str | Path) -> Rows:
    """Each 903 table's rows (column -> text or None, plus 'location'), by the DfE's table name."""
    path = Path(path)
    form = _kind_of(path)
    if form == "xml":
        return _xml(path)
    rows: Rows = {name: [] for name in TABLES}
    if form == "zip":
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                base = Path(info.filename).name
                if info.is_dir() or base.startswith((".", "__MACOSX")) or not base.lower().endswith(".csv"):
                    continue
                with archive.open(info) as raw:
                    _csv(base, codecs.iterdecode(raw, "utf-8-sig"), rows)
    else:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            _csv(path.name, handle, rows)
    return rows


def _csv(base: str, lines, rows: Rows) -> None:
    try:
        reader = csv.reader(lines)
        columns = header_names(next(reader, []))
        table = table_for_name(base) or table_for_columns(columns)
        if table is None or rows[table.name]:
            return  # not a 903 table, or given twice (the importer reports both)
        wanted = [c for c in table.names if c in columns]
        at = {c: columns.index(c) for c in wanted}
        out = rows[table.name]
        for line, row in enumerate(reader, start=2):
            cut = fitted(row, len(columns))
            if not any(cell.strip() for cell in row) or cut is None or repeats_header(cut, columns):
                continue  # a blank line; a row of the wrong length is the importer's error; the header again
            cells = {c: (cut[i].strip() or None) for c, i in at.items()}
            cells["location"] = f"{base} row {line}"
            out.append(cells)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableReturn(f"{base}: not UTF-8 CSV text ({exc}).") from None


def _text(node) -> str | None:
    return (node.text or "").strip() or None


def _xml(path: Path) -> Rows:
    """EXPSSDA903/CHILD: HEADER (the header's fields, UASC, OC3 and AD1 fields, and the blocks
    AREVIEW, AMISSING, AD_PLACED, PERMANENCE, OC2), then EPISODE (PL is the placement)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnreadableReturn(f"{path.name}: the file declares a DOCTYPE or entities; it was not read.")
    rows: Rows = {name: [] for name in TABLES}
    events = etree.iterparse(str(path), events=("end",), tag="CHILD", resolve_entities=False, no_network=True)
    try:
        for index, (_e, el) in enumerate(events, start=1):
            where = f"EXPSSDA903/CHILD[{index}]"
            header = el.find("HEADER")
            flat = {n.tag: _text(n) for n in header if len(n) == 0} if header is not None else {}
            child = flat.get("CHILDID")
            flat["CHILD"] = child
            base = {"CHILD": child, "DOB": flat.get("DOB")}

            def add(table: str, cells: dict, location: str) -> None:
                rows[table].append({**{c: cells.get(c) for c in TABLES[table].names}, "location": location})

            add("Header", flat, f"{where}/HEADER")
            # The header's UASC status item, which only the XML form has (rules 105 and 303).
            rows.setdefault(UASC_STATUS, []).append(
                {"CHILD": child, "UASC": flat.get("UASC"), "DUC": flat.get("DUC"), "location": f"{where}/HEADER"}
            )
            if flat.get("UASC") == "1" or flat.get("DUC"):
                add("UASC", flat, f"{where}/HEADER/DUC")
            if flat.get("IN_TOUCH") or flat.get("ACTIV") or flat.get("ACCOM"):
                add("OC3", flat, f"{where}/HEADER/IN_TOUCH")
            if any(flat.get(c) for c in TABLES["AD1"].names if c not in ("CHILD", "DOB")):
                add("AD1", flat, f"{where}/HEADER/DATE_INT")
            counts: dict[str, int] = {}
            for node in header if header is not None else ():
                table = HEADER_BLOCKS.get(node.tag)
                if table is None or len(node) == 0:
                    continue
                counts[node.tag] = counts.get(node.tag, 0) + 1
                add(
                    table, {**base, **{s.tag: _text(s) for s in node}}, f"{where}/HEADER/{node.tag}[{counts[node.tag]}]"
                )
            for i, ep in enumerate(el.iterfind("EPISODE"), start=1):
                cells = {s.tag: _text(s) for s in ep}
                cells["PLACE"] = cells.pop("PL", cells.get("PLACE"))
                add("Episodes", {**cells, "CHILD": child}, f"{where}/EPISODE[{i}]")
            el.clear()
    except etree.XMLSyntaxError as exc:
        raise UnreadableReturn(f"{path.name}: not well-formed XML (line {exc.lineno}): {exc.msg}") from None
    return rows


def staged_decom_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """latest_decom_year on the staged episodes."""
    return latest_decom_year(
        {"Episodes": [{"DECOM": v} for (v,) in con.execute("SELECT DECOM FROM episodes").fetchall()]}
    )


def latest_decom_year(rows: Rows) -> int | None:
    """The collection year (ending 31 March) of the latest episode start, as the importer tells it."""
    latest = None
    for row in rows["Episodes"]:
        found = DATE_RE.match(row.get("DECOM") or "")
        if not found:
            continue
        day, month, year = (int(x) for x in found.groups())
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        latest = date if latest is None or date > latest else latest
    if latest is None:
        return None
    return latest.year + (1 if latest.month >= 4 else 0)


def load(con: duckdb.DuckDBPyConnection, rows: Rows, year: int) -> None:
    """The tables from rows read in Python (every value VARCHAR, a missing table empty), then
    what `finish` adds."""
    for name in TABLES:
        _table_from_rows(con, name, rows.get(name, []))
    _uasc_status(con, rows.get(UASC_STATUS, []))
    finish(con, year)


def _uasc_status(con: duckdb.DuckDBPyConnection, data: list[dict]) -> None:
    names = ["CHILD", "UASC", "DUC", "location"]
    cols = ", ".join(f'unnest(${i + 1}::VARCHAR[]) AS "{n}"' for i, n in enumerate(names))
    con.execute(f"CREATE TABLE {UASC_STATUS} AS SELECT {cols}", [[r.get(n) for r in data] for n in names])


def _table_from_rows(con: duckdb.DuckDBPyConnection, name: str, data: list[dict]) -> None:
    names = [*TABLES[name].names, "location"]
    cols = ", ".join(f'unnest(${i + 1}::VARCHAR[]) AS "{n}"' for i, n in enumerate(names))
    con.execute(
        f"CREATE TABLE {sql_name(name)} AS SELECT row_number() OVER () AS row_no, * FROM (SELECT {cols})",
        [[r.get(n) for r in data] for n in names],
    )


def stage(con: duckdb.DuckDBPyConnection, path: str | Path) -> bool:
    """The return's tables in `con`, as `load` makes them from `read_tables`, but each CSV table
    read by DuckDB itself when it can be (see the module's docstring). The XML form is read in
    Python. Returns whether a date may have a year of two or three digits (False: none has; for
    finish's short_years)."""
    path = Path(path)
    form = _kind_of(path)
    if form == "xml":
        rows = _xml(path)
        for name in TABLES:
            _table_from_rows(con, name, rows[name])
        _uasc_status(con, rows.get(UASC_STATUS, []))
        return _short_in_rows(rows)
    filled: set[str] = set()
    made: set[str] = set()  # the tables made so far (asking DuckDB's catalog costs a query each)
    short = False
    for base, data in _csv_members(path, form):
        short = _stage_csv(con, base, data, filled, made, zipped=form == "zip") or short
    for name in TABLES:
        if name not in made:
            _table_from_rows(con, name, [])
    return short


def _csv_members(path: Path, form: str) -> Iterator[tuple[str, _Copy]]:
    if form != "zip":
        with path.open("rb") as lone, _Copy(lone) as copy:
            yield path.name, copy
        return
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            base = Path(info.filename).name
            if info.is_dir() or base.startswith((".", "__MACOSX")) or not base.lower().endswith(".csv"):
                continue
            with archive.open(info) as source, _Copy(source) as copy:
                yield base, copy


PIECE = 1 << 20  # bytes copied at a time
# What makes a table's cells need trimming (_Copy.untrimmed): a quote (a cell may then hold a comma or a line end),
# a space other than " " and the line ends (str.strip() takes each; those beyond ASCII are found as not ASCII), or
# a " " next to a comma or a line end.
_SPACED = (b'"', b"\t", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f", b" ,", b", ", b" \n", b"\n ", b" \r")


class _Copy:
    """A CSV table copied a piece at a time, without a leading BOM, to a temporary file that DuckDB reads,
    with what `_stage_csv` asks of it: its first line, and whether its line ends are plain ("\n" or "\r\n"
    throughout, no blank line, whatever ends the file). The table was held whole, twice, while it was
    staged: about 20 MB at 100,000 children, more for a larger file (decision 0066)."""

    def __init__(self, source: IO[bytes]) -> None:
        self.file = tempfile.NamedTemporaryFile(suffix=".csv")  # noqa: SIM115 (closed by __exit__)
        self.name = self.file.name
        newline = blank = False
        cr = crlf = 0
        spaced = False  # a quote, a byte not ASCII, an ASCII space but " ", or " " next to a comma or line end
        tail = b""  # the line ends at the end of what was read so far: part of the body only if more follows
        last = b""  # the body's last two bytes, for a pattern across two pieces
        start = source.read(max(PIECE, len(codecs.BOM_UTF8))).removeprefix(codecs.BOM_UTF8)
        for piece in itertools.chain([start], iter(lambda: source.read(PIECE), b"")):
            self.file.write(piece)
            held = tail + piece
            body = held.rstrip(b"\r\n")
            tail = held[len(body) :]
            seen = last + body
            newline = newline or b"\n" in body
            blank = blank or b"\n\n" in seen or b"\n\r\n" in seen
            cr += body.count(b"\r")
            crlf += (last[-1:] + body).count(b"\r\n")
            spaced = spaced or not piece.isascii() or any(mark in seen for mark in _SPACED)
            last = seen[-2:]
        self.file.flush()
        self.plain = newline and not blank and cr == crlf
        # Whether no cell can need trimming (see _untrimmed): with no quote, a cell ends at a comma or a line end.
        self.untrimmed = not (spaced or start.startswith(b" ") or last.endswith(b" "))
        self.file.seek(0)
        line = self.file.readline()
        self.first = line[:-1] if line.endswith(b"\n") else line

    def lines(self, base: str, zipped: bool) -> Iterable[str]:
        """The table's lines as the importer reads them: a zip's table line by line on "\n", a lone file
        in universal newlines."""
        self.file.seek(0)
        if zipped:
            return codecs.iterdecode(self.file, "utf-8")
        return io.StringIO(_decoded(base, self.file.read()), newline="")

    def __enter__(self) -> _Copy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    # Not duckdb_tables(), which costs about ten times as much.
    try:
        con.execute(f"SELECT 1 FROM {table} LIMIT 0")
    except duckdb.CatalogException:
        return False
    return True


def _decoded(base: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableReturn(f"{base}: not UTF-8 CSV text ({exc}).") from None


def _stage_csv(
    con: duckdb.DuckDBPyConnection, base: str, copy: _Copy, filled: set[str], made: set[str], zipped: bool
) -> bool:
    """One CSV table into its DuckDB table, or nothing when it is not a 903 table or its table
    already has rows (as `_csv`). `made` holds the tables made so far, and gets this one. Returns
    whether a date in it may have a short year (as `stage`)."""
    try:
        first = copy.first.decode("utf-8")
        columns = header_names(next(csv.reader([first]), []))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableReturn(f"{base}: not UTF-8 CSV text ({exc}).") from None
    table = table_for_name(base) or table_for_columns(columns)
    if table is None or table.name in filled:
        return False
    if table.name in made:  # an earlier file of this table had no rows
        con.execute(f"DROP TABLE {sql_name(table.name)}")
    made.add(table.name)
    plain = copy.plain and not _header_again(copy, columns)
    count = _duckdb_csv(con, base, copy.name, columns, table.name, _untrimmed(copy)) if plain else None
    short = count is not None and _short_year_bytes(copy)
    if count is None:
        rows: Rows = {name: [] for name in TABLES}
        _csv(base, copy.lines(base, zipped), rows)
        _table_from_rows(con, table.name, rows[table.name])
        count = len(rows[table.name])
        short = _short_in_rows(rows)
    if count:
        filled.add(table.name)
    return short


def _duckdb_csv(
    con: duckdb.DuckDBPyConnection, base: str, copied: str, columns: list[str], name: str, untrimmed: bool = False
) -> int | None:
    """DuckDB reads the file with every field text, no type guessing, and refuses a row of the
    wrong length (then None: the Python reader takes it). A row whose cells are all blank is
    dropped, as `_csv` drops it; its line still counts in the row numbers. Returns the rows staged.
    `untrimmed`: no cell of the file can start or end with a space (_untrimmed), so none is trimmed."""
    raw = [f"c{i}" for i in range(len(columns))]
    spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in raw) + "}"
    # Each cell trimmed, blank as NULL; trim (slow with a set of characters) only runs on a cell
    # that is empty or starts or ends with one of them. An empty cell with no quotes is NULL already.
    trimmed = ", ".join(
        f"{c} AS t{c}"
        if untrimmed
        else f"CASE WHEN regexp_matches({c}, {_EDGE}) THEN NULLIF(trim({c}, {_SPACE}), '') ELSE {c} END AS t{c}"
        for c in raw
    )
    at = {c: columns.index(c) for c in TABLES[name].names if c in columns}
    cells = ", ".join(f'tc{at[c]} AS "{c}"' if c in at else f'NULL::VARCHAR AS "{c}"' for c in TABLES[name].names)
    location = base.replace("'", "''")
    try:
        con.execute(
            f"""CREATE TEMP TABLE raw_csv AS SELECT * FROM read_csv(?, header = false, skip = 1,
                auto_detect = false, columns = {spec}, delim = ',', quote = '"', escape = '"',
                strict_mode = true, null_padding = false, all_varchar = true, encoding = 'utf-8')""",
            [copied],
        )
    except duckdb.Error:
        return None
    try:
        # rowid is the row's place in the file; + 2 for the header and counting from 1, as `_csv`.
        made = con.execute(
            f"""CREATE TABLE {sql_name(name)} AS SELECT row_number() OVER (ORDER BY rowid) AS row_no, {cells},
                '{location} row ' || (rowid + 2) AS location
            FROM (SELECT rowid, {trimmed} FROM raw_csv)
            WHERE coalesce({", ".join("t" + c for c in raw)}) IS NOT NULL
            ORDER BY rowid"""
        ).fetchone()
    finally:
        con.execute("DROP TABLE raw_csv")
    return made[0] if made else 0


def _untrimmed(copy: _Copy) -> bool:
    """Whether no cell of a copied CSV table can need trimming, as the copy found (_SPACED). Then the cells are
    staged as DuckDB reads them: the expressions that trim each column cost DuckDB about 25 ms of a council's 11
    tables whatever their rows (7 Dec 2026); the test, made as the table is copied, well under 1 ms. Only a
    pre-filter: a table it refuses is trimmed cell by cell, as before."""
    return copy.untrimmed


def _header_again(copy: _Copy, columns: list[str]) -> bool:
    """Whether a row may repeat the header row, which the Python reader then skips as the importer does
    (repeats_header): a line whose CHILD cell reads as the name CHILD (any case, spaces, quotes). A search of the
    copied bytes: a query on the staged cells cost DuckDB about 1 ms a table, 3% of a council's check. Only a
    pre-filter (a value CHILD in that column sends the table to the Python reader too), so it may be loose; the
    code CHILD of REASON_PLACE_CHANGE is in another column."""
    if "CHILD" not in columns or not os.path.getsize(copy.name):
        return False
    with open(copy.name, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as held:
        after = held.find(b"\n")
        return after >= 0 and _child_cell(columns.index("CHILD")).search(held, after) is not None


@cache
def _child_cell(index: int) -> re.Pattern[bytes]:
    """A line start ("\\n"), `index` cells, then a cell that header_names reads as CHILD: C, H, I, L, D with
    anything but letters and digits around them."""
    gap = rb"[^a-zA-Z0-9,\n]*"
    name = gap.join(rb"[%b%b]" % (c, c.lower()) for c in (b"C", b"H", b"I", b"L", b"D"))
    return re.compile(rb"\n(?:[^,\n]*,){%d}" % index + gap + name + gap + rb"(?:,|\r?\n|\r?$)")


# What Python's str.strip() takes off a cell (every character str.isspace() holds: the separators \x1c-\x1f,
# \x85, the Unicode spaces), for DuckDB's trim, which takes only spaces by default.
_WHITESPACE = "".join(chr(i) for i in range(0x3001) if chr(i).isspace())
_SPACE = f"'{_WHITESPACE}'"
# A cell that is empty or starts or ends with one of them (RE2, each character by its code point).
_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _WHITESPACE) + "]"
_EDGE = f"'^$|^{_CLASS}|{_CLASS}$'"


# d(text): a dd/mm/yyyy (or d/m/yyyy) date, NULL for anything else. DuckDB's %Y also reads a year of two or
# three digits ('01/07/24' as the year 24), which the importer and Data to Insight's validator (pandas) refuse;
# the check for it costs about a tenth of the rules' time, so it is made only when a date column holds such a
# value (has_short_years), as a spreadsheet formatting dates dd/mm/yy writes them.
DATE_MACRO = "CREATE OR REPLACE MACRO d(x) AS CAST(TRY_STRPTIME(x, '%d/%m/%Y') AS DATE)"
STRICT_DATE_MACRO = (
    "CREATE OR REPLACE MACRO d(x) AS CASE WHEN NOT (x LIKE '%/__' OR x LIKE '%/___') "
    "THEN CAST(TRY_STRPTIME(x, '%d/%m/%Y') AS DATE) END"
)


# A cell ending in a slash and a year of two or three digits (not followed by a digit, nor by the slash after a
# day or month): in a table's bytes, and in a value read in Python.
_SHORT_YEAR_BYTES = re.compile(rb"/[0-9]{2,3}(?![0-9/])")
_SHORT_YEAR = re.compile(r"/[0-9]{2,3}\s*$")


def _short_year_bytes(copy: _Copy) -> bool:
    """Whether a copied CSV table may hold a date with a short year: a search of its bytes (a query on the
    staged tables costs a council's check 6 ms; this, well under one). Loose: any such text counts."""
    if not os.path.getsize(copy.name):
        return False
    with open(copy.name, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as held:
        return _SHORT_YEAR_BYTES.search(held) is not None


def _short_in_rows(rows: Rows) -> bool:
    """Whether a date column of rows read in Python holds a value with a short year."""
    for name, data in rows.items():
        table = TABLES.get(name)
        dates = [c.name for c in table.columns if c.kind in ("date", "dob")] if table else ["DUC"]
        if any(_SHORT_YEAR.search(row.get(c) or "") for row in data for c in dates):
            return True
    return False


def has_short_years(con: duckdb.DuckDBPyConnection, suffix: str = "") -> bool:
    """Whether a date column of the staged tables (or of last year's, `suffix` "_last") holds a value ending in
    a year of two or three digits."""
    checks = []
    for table in TABLES.values():
        dates = [c.name for c in table.columns if c.kind in ("date", "dob")]
        name = sql_name(table.name) + suffix
        if dates and (not suffix or _exists(con, name)):  # this year's tables are all made by then
            short = " OR ".join(f"\"{c}\" LIKE '%/__' OR \"{c}\" LIKE '%/___'" for c in dates)
            checks.append(f"EXISTS (SELECT 1 FROM {name} WHERE {short})")
    found = con.execute("SELECT " + (" OR ".join(checks) or "false")).fetchone()
    return bool(found and found[0])


def finish(con: duckdb.DuckDBPyConnection, year: int, short_years: bool | None = None) -> None:
    """The date macro `d`, the one-row `collection` (start 1 April, end 31 March), `given` (the
    tables the return has rows in) and `ep`: the episodes with a valid DECOM, with their
    dates (decom_d, dec_d) and each child's previous and next episode by DECOM (the DfE's
    "previous episode"). `ep` is a table, made once: more than 30 rules read it, and as a view its
    window was worked out again for each of them (half the rules' time on a national return)."""
    # short_years: False when staging found no date with a short year; None when it was not said (ask the tables)
    con.execute(DATE_MACRO)
    if short_years is not False and has_short_years(con):
        con.execute(STRICT_DATE_MACRO)
    if not _exists(con, UASC_STATUS):  # CSV tables: no UASC status item
        _uasc_status(con, [])
    # One query for every table's "has rows", not one each.
    has_rows = con.execute(
        "SELECT " + ", ".join(f"EXISTS (SELECT 1 FROM {sql_name(name)})" for name in TABLES)
    ).fetchone()
    given = [name for name, has in zip(TABLES, has_rows or (), strict=True) if has]
    con.execute("CREATE TABLE given AS SELECT unnest($1::VARCHAR[]) AS name", [given])
    con.execute(
        "CREATE TABLE collection AS SELECT $1::DATE AS start_date, $2::DATE AS end_date",
        [dt.date(year - 1, 4, 1), dt.date(year, 3, 31)],
    )
    con.execute(
        """CREATE TABLE ep AS SELECT *,
            lag(decom_d) OVER w AS prev_decom, lag(dec_d) OVER w AS prev_dec, lag(REC) OVER w AS prev_rec,
            lag(PLACE) OVER w AS prev_place, lag(LS) OVER w AS prev_ls, lag(PL_POST) OVER w AS prev_pl_post,
            lag(URN) OVER w AS prev_urn, lag(PLACE_PROVIDER) OVER w AS prev_provider,
            lead(decom_d) OVER w AS next_decom, lead(RNE) OVER w AS next_rne, lead(PLACE) OVER w AS next_place,
            row_number() OVER w AS seq, count(*) OVER (PARTITION BY CHILD) AS episodes
        FROM (SELECT *, d(DECOM) AS decom_d, d(DEC) AS dec_d FROM episodes WHERE d(DECOM) IS NOT NULL)
        WINDOW w AS (PARTITION BY CHILD ORDER BY decom_d, row_no)
        ORDER BY row_no"""
    )
