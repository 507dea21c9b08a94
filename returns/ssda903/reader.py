"""Reading the SSDA903 looked-after children return: its CSV tables (a zip, or one file)
or its XML form, checked against the column and code specifications of the file's
collection year, and gathered into one record per child.

The CSV tables are read row by row with the csv module, straight out of the zip; the
XML is read with lxml.iterparse (no entities, no DTD, no network; any DOCTYPE or ENTITY
is refused before parsing) and each <CHILD> is dropped after use. The tables are separate
files and a child's rows are spread over all of them, so each checked row is kept on disk
(returns/ssda903/store.py) until every table is read, and the children are then handed to
the importer one at a time, with the checks across their tables: memory stays flat however
many children the file has (decision 0042).

The collection year (the year in which the collection ends on 31 March) is that of
the latest episode start (DECOM) in the file: every return has episodes starting in
its year, and DEC may be wrongly after the year end. See docs/decisions/0009-ssda903.md.
"""

import codecs
import contextlib
import csv
import datetime as dt
import functools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from returns import limits
from returns.cin.reader import collection_label
from returns.formats import (
    encoding_advice,
    namespace_advice,
    not_a_header_advice,
    other_separator,
    unnamed_columns,
    wrong_kind,
    xml_syntax,
)
from returns.limits import quoted, shown
from returns.problems import ProblemLog
from returns.spool import fewer_collections
from returns.ssda903.store import BAD, ChildStore

# -- code lists by collection year -------------------------------------------------------
# The lists below are those of the 2022-23 specification, which apply to every year up to
# 2023-24; CHANGES gives what each later year replaced. Sources: DfE SSDA903 guidance as
# encoded in data-to-insight/csc-validator-be-903 (lac_validator/rules/lac2022_23/rule_101,
# 103, 120, 143-146, 149, SW13STG1 and the OC3 ACCOM rule; lac2024_25/rule_101, rule_146;
# lac2025_26/rule_146), and docs/register-mapping.md.
BASE_CODES: dict[str, frozenset[str]] = {
    "SEX": frozenset({"1", "2"}),
    "ETHNIC": frozenset(
        "WBRI WIRI WOTH WIRT WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE OOTH REFU NOBT".split()
    ),
    "RNE": frozenset("S P L T U B".split()),
    "LS": frozenset("C1 C2 D1 E1 V2 V3 V4 J1 J2 J3 L1 L2 L3".split()),
    "CIN": frozenset("N1 N2 N3 N4 N5 N6 N7 N8".split()),
    "PLACE": frozenset("A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1".split()),
    "PLACE_PROVIDER": frozenset("PR0 PR1 PR2 PR3 PR4 PR5".split()),
    "REC": frozenset("E11 E12 E2 E3 E4A E4B E13 E41 E45 E46 E47 E48 E5 E6 E7 E8 E9 E14 E15 E16 E17 X1".split()),
    "REASON_PLACE_CHANGE": frozenset(
        "CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER".split()
    ),
    "REVIEW_CODE": frozenset("PN0 PN1 PN2 PN3 PN4 PN5 PN6 PN7".split()),
    "SDQ_REASON": frozenset("SDQ1 SDQ2 SDQ3 SDQ4 SDQ5".split()),
    "IN_TOUCH": frozenset("YES NO DIED REFU NREQ RHOM".split()),
    "ACTIV": frozenset("F1 F2 F3 F4 F5 P1 P2 P3 P4 P5 G4 G5 G6".split()),
    "ACCOM": frozenset(
        "B1 B2 C1 C2 D1 D2 E1 E2 G1 G2 H1 H2 K1 K2 R1 R2 S2 T1 T2 U1 U2 V1 V2 W1 W2 X2 Y1 Y2 Z1 Z2 0".split()
    ),
    "SEX_ADOPTR": frozenset("MM FF MF M1 F1".split()),
    "LS_ADOPTR": frozenset("L0 L11 L12 L2 L3 L4".split()),
    "REASON_PLACED_CEASED": frozenset("RD1 RD2 RD3 RD4".split()),
    "PREV_PERM": frozenset("P1 P2 P3 P4 Z1".split()),
    "MISSING": frozenset("M A".split()),
    "SW_REASON": frozenset("MANAGE FCONTA LEFTRL ORGRST TSPROC ABSENC CHCHAN PCCHAN SWDIED OTHERS".split()),
}
CHANGES: dict[int, dict[str, frozenset[str]]] = {
    # 2024-25: SEX becomes M/F/U (lac2024_25/rule_101); K3 (residential, registered
    # with Ofsted as supported accommodation) joins the placement types (lac2024_25/rule_146).
    2025: {"SEX": frozenset({"M", "F", "U"}), "PLACE": BASE_CODES["PLACE"] | {"K3"}},
    # 2025-26: H5, P2 and Z1 leave the placement types and Z11-Z14 join (lac2025_26/rule_146).
    2026: {
        "PLACE": (BASE_CODES["PLACE"] | {"K3", "Z11", "Z12", "Z13", "Z14"}) - {"H5", "P2", "Z1"},
    },
}
FIRST_LISTED, LAST_YEAR = 2023, 2027  # code lists as listed from 2022-23; files up to 2026-27 read
OLD_TO_SEX = {"1": "M", "2": "F"}
SEX_TO_OLD = {"M": "1", "F": "2"}


def uses_mfu(year: int) -> bool:
    """From 2024-25 the 903 sends SEX as M/F/U instead of 1/2."""
    return year >= 2025


def lists_year(year: int) -> int:
    """The collection year whose code lists `codes_for(year)` applies: the latest change at or before
    `year`, or the first year listed (2022-23) for older returns. Messages name this year, not the return's."""
    return max([FIRST_LISTED, *(since for since in CHANGES if since <= year)])


def codes_for(year: int) -> dict[str, frozenset[str]]:
    lists = dict(BASE_CODES)
    for since in sorted(CHANGES):
        if year >= since:
            lists.update(CHANGES[since])
    return lists


# -- the tables -------------------------------------------------------------------------
@dataclass(frozen=True)
class Col:
    name: str
    attr: str | None  # the register attribute it fills; None: checked only (DOB, SEX repeated)
    kind: str  # id, date, code, flag, int, text, dob, sex, upn
    required: bool = False
    max_len: int = 0


@dataclass(frozen=True)
class Table:
    name: str  # as the DfE names it
    file: str  # the file name Line of Sight writes
    columns: tuple[Col, ...]
    aliases: tuple[str, ...] = ()
    since: int = 0  # the first collection year (ending 31 March) whose specification has the table

    def in_year(self, year: int) -> bool:
        return year >= self.since

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name, attr, kind, required=False, max_len=0):
    return Col(name, attr, kind, required, max_len)


CHILD = _c("CHILD", None, "id", True)
DOB = _c("DOB", None, "dob")
FLAGS = (
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "Header",
            "header.csv",
            (
                CHILD,
                _c("SEX", "sex", "sex", True),
                _c("DOB", "birth_date", "date", True),
                _c("ETHNIC", "ethnicity", "code", True),
                _c("UPN", "upn", "upn"),
                _c("MOTHER", "is_mother", "flag"),
                _c("MC_DOB", "mother_birth_date", "date"),
            ),
        ),
        Table(
            "Episodes",
            "episodes.csv",
            (
                CHILD,
                _c("DECOM", "start_date", "date", True),
                _c("RNE", "reason_new_episode", "code", True),
                _c("LS", "legal_status", "code", True),
                _c("CIN", "cin_category", "code", True),
                _c("PLACE", "placement_type", "code", True, 3),
                _c("PLACE_PROVIDER", "placement_provider", "code"),
                _c("DEC", "end_date", "date"),
                _c("REC", "reason_ceased", "code"),
                _c("REASON_PLACE_CHANGE", "reason_place_change", "code"),
                _c("HOME_POST", "home_postcode", "text", max_len=8),
                _c("PL_POST", "placement_postcode", "text", max_len=8),
                _c("URN", "urn", "text", max_len=8),
            ),
        ),
        Table(
            "Reviews",
            "reviews.csv",
            (CHILD, DOB, _c("REVIEW", "review_date", "date", True), _c("REVIEW_CODE", "participation", "code")),
        ),
        Table("UASC", "uasc.csv", (CHILD, _c("SEX", None, "sex"), DOB, _c("DUC", "date_ceased", "date"))),
        Table(
            "OC2",
            "oc2.csv",
            (
                CHILD,
                DOB,
                _c("SDQ_SCORE", "sdq_score", "int"),
                _c("SDQ_REASON", "sdq_reason", "code"),
                *(_c(name, name.lower(), "flag") for name in FLAGS),
            ),
        ),
        Table(
            "OC3",
            "oc3.csv",
            (
                CHILD,
                DOB,
                _c("IN_TOUCH", "in_touch", "code", True),
                _c("ACTIV", "activity", "code"),
                _c("ACCOM", "accommodation", "code"),
            ),
        ),
        Table(
            "AD1",
            "ad1.csv",
            (
                CHILD,
                DOB,
                _c("DATE_INT", "decision_date", "date"),
                _c("DATE_MATCH", "match_date", "date"),
                _c("FOSTER_CARE", "foster_carer_adoption", "flag"),
                _c("NB_ADOPTR", "number_of_adopters", "int"),
                _c("SEX_ADOPTR", "sex_of_adopters", "code"),
                _c("LS_ADOPTR", "legal_status_of_adopters", "code"),
            ),
        ),
        Table(
            "PlacedAdoption",
            "placed_for_adoption.csv",
            (
                CHILD,
                DOB,
                _c("DATE_PLACED", "date_placed", "date", True),
                _c("DATE_PLACED_CEASED", "date_ceased", "date"),
                _c("REASON_PLACED_CEASED", "reason_ceased", "code"),
            ),
            aliases=("placedadoption", "placedforadoption", "placed"),
        ),
        Table(
            "PrevPerm",
            "previous_permanence.csv",
            (
                CHILD,
                DOB,
                _c("PREV_PERM", "previous_permanence", "code"),
                _c("LA_PERM", "la_code", "text", max_len=3),
                _c("DATE_PERM", "date_raw", "text", max_len=10),
            ),
            aliases=("prevperm", "previouspermanence"),
        ),
        Table(
            "Missing",
            "missing.csv",
            (
                CHILD,
                DOB,
                _c("MISSING", "kind", "code", True),
                _c("MIS_START", "started_at", "date", True),
                _c("MIS_END", "returned_at", "date"),
            ),
        ),
        Table(
            "SWEpisodes",
            "sw_episodes.csv",
            (
                CHILD,
                DOB,
                _c("SW_ID", "staff_id", "text", True, 20),
                _c("SW_DECOM", "start_date", "date", True),
                _c("SW_DEC", "end_date", "date"),
                _c("SW_REASON", "change_reason", "code"),
            ),
            aliases=("swepisodes", "swepisode", "socialworkerepisodes"),
        ),
        # Deprivation of liberty, new in 2026-27 (DfE SSDA903 2026-27 specification; the columns as in
        # Data to Insight's csc-validator-be-903 config and test data): a period in which the child's
        # liberty was deprived by an order of the court. In an earlier year's folder it is named and skipped.
        Table(
            "DoLo",
            "dolo.csv",
            (CHILD, DOB, _c("DOLO_START", "start_date", "date", True), _c("DOLO_END", "end_date", "date")),
            aliases=("dolo", "deprivationofliberty", "deprivationsofliberty"),
            since=2027,
        ),
    )
}
REQUIRED_TABLES = ("Header", "Episodes")


@functools.cache  # asked for each row read: the model's field does not change while the process runs
def child_id_limit() -> int:
    from children.models import Child

    return limits.max_length(Child, "la_child_id")


# The specification's column names (all capitals, words joined by _) by their letters and digits alone: no two
# are the same that way, so "Place Provider" or "place-provider" is read as PLACE_PROVIDER.
_SPEC_NAMES = {re.sub(r"[^A-Z0-9]", "", name): name for table in TABLES.values() for name in table.names}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def table_for_name(file_name: str) -> Table | None:
    stem = _norm(Path(file_name).stem)
    for table in TABLES.values():
        if stem in {_norm(table.name), _norm(Path(table.file).stem), *table.aliases}:
            return table
    return None


def table_for_columns(columns: list[str]) -> Table | None:
    """The table with the most columns all present (pooling tools add columns such as LA and YEAR)."""
    given = set(columns)
    fits = [table for table in TABLES.values() if set(table.names) <= given]
    return max(fits, key=lambda table: len(table.names), default=None)


def fitted(row: list[str], width: int) -> list[str] | None:
    """A data row as wide as its header row: as it is, or without blank cells past the header's last column
    (a spreadsheet pads rows so); None when it has too few cells or a value past the last column."""
    if len(row) == width:
        return row
    if len(row) > width and not any(cell.strip() for cell in row[width:]):
        return row[:width]
    return None


def header_names(columns: list[str]) -> list[str]:
    """A table's header row as the importer and the rules read it: each name stripped, and a 903 column
    written otherwise (child, Child, Place Provider) read as the specification's (CHILD, PLACE_PROVIDER)."""
    return [_SPEC_NAMES.get(re.sub(r"[^A-Z0-9]", "", c.upper()), c.strip()) for c in columns]


def repeats_header(row: list[str], columns: list[str]) -> bool:
    """A data row that is the table's header row again, as when two exports are joined into one file (read
    as header_names reads the first): not a record, whatever case or spacing it writes the names in. Called
    on every row of a return, so its first cell is compared alone first (a million rows at national size)."""
    if not row or not columns or _lead(columns[0]) not in row[0].upper() or header_names(row[:1]) != columns[:1]:
        return False
    return header_names(row) == columns


@functools.cache
def _lead(name: str) -> str:
    """The first two letters or digits of a column's name, upper case: a cell that reads as the name holds them
    (header_names drops only what is not a letter or digit), so a cell without them is no header, cheaply."""
    return re.sub(r"[^A-Z0-9]", "", name.upper())[:2]


# Tables that real 903 folders carry but Line of Sight does not read yet: named when skipped (none now:
# the deprivation of liberty table, DoLo, is read from 2026-27 and named when skipped before).
KNOWN_OTHER_TABLES: dict[str, str] = {}
TABLE_TITLES = {"DoLo": "the deprivation of liberty table"}


def tables_for(year: int) -> dict[str, Table]:
    """The tables of the year's specification (DoLo from 2026-27)."""
    return {name: table for name, table in TABLES.items() if table.in_year(year)}


YEAR_PREFIX = re.compile(r"^(20\d\d)\D")


def _year_in(path: str) -> str | None:
    """A year that starts the file's name or one of its folders' (2019-episodes.csv, 2019/episodes.csv)."""
    for part in reversed(Path(path).parts):
        found = YEAR_PREFIX.match(part + "/")
        if found:
            return found.group(1)
    return None


# -- records ----------------------------------------------------------------------------
@dataclass(slots=True)
class Rec:
    path: str  # "episodes.csv row 17" or "EXPSSDA903/CHILD[3]/EPISODE[2]"
    values: dict
    dob: dt.date | None = None  # the DOB (or SEX) the row repeats, checked against the header
    sex: str | None = None
    file: str = ""


@dataclass(slots=True)
class Child903:
    la_child_id: str
    header: Rec | None = None
    tables: dict[str, list[Rec]] = field(default_factory=dict)
    path: str = ""
    bad: bool = False  # a row of the child's was rejected: the child is not imported (the file has errors)
    header_seen: bool = False
    seen_in: dict[str, dict] = field(default_factory=dict)  # table -> where the child was first seen in it

    def rows(self, table: str) -> list[Rec]:
        return self.tables.get(table, [])


# dd/mm/yyyy, and d/m/yyyy as some tools write it (read alike by the DfE rules' staging and by Data to Insight's
# validator; the importer says so once, decision 0026)
DATE_RE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
SHORT_YEAR_RE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{2}\s*$")
WHOLE_RE = re.compile(r"^(\d{1,6})(?:\.0+)?$")
UPN_UNKNOWN = re.compile(r"^UN[1-7]$")
DATES_KEPT = 50_000  # distinct dates remembered by a reader (about 4 MB at most), not one per row

# Where a problem's fix belongs, said at the end of its message (issue 13 point 5g): a child's record is corrected
# in the case management system, the file's form in the file or its export.
FIX_RECORD = "Correct it in the case management system and export the return again."
FIX_EITHER = "Correct whichever is wrong in the case management system and export the return again."
FIX_CSV = "Save it again as 'CSV (comma delimited)' or export it again; nothing in the records needs correcting."


class _Checker:
    """Converts and checks one row's cells against its table's columns, reporting each problem."""

    def __init__(self, log: ProblemLog, year: int) -> None:
        self.log = log
        self.year = year
        self.codes = codes_for(year)
        self.label = collection_label(lists_year(year))  # the lists applied, which may be older than the return
        self._dates: dict[str, dt.date] = {}  # valid dates read so far: a return repeats the same days many times
        self._unpadded = False  # a date without its leading zeros was seen (said once)

    def row(self, table: Table, cells: dict[str, str], where: dict) -> Rec | None:
        values: dict[str, Any] = {}
        rec = Rec(where["location"], values, file=where.get("file", ""))
        ok = True
        for col in table.columns:
            raw = (cells.get(col.name) or "").strip()
            if col.kind == "id":
                continue
            if not raw:
                if col.required:
                    self.log.error(
                        "903.required",
                        f"{table.name} {col.name} is blank; the specification requires it. Record it in the case "
                        "management system and export the return again.",
                        **where,
                        field=col.name,
                    )
                    ok = False
                if col.attr:
                    values[col.attr] = None if col.kind in ("date", "flag", "int") else ""
                continue
            try:
                value = self._value(table, col, raw, where)
            except ValueError:
                ok = False
                continue
            if col.kind == "dob":
                rec.dob = value
            elif col.attr is None and col.kind == "sex":
                rec.sex = value
            elif col.kind == "upn":
                if UPN_UNKNOWN.match(raw):
                    values["upn"], values["upn_unknown"] = "", raw
                else:
                    values["upn"], values["upn_unknown"] = raw, ""
            elif col.attr:
                values[col.attr] = value
        if table.name == "Header":
            values.setdefault("upn_unknown", "")
        return rec if ok else None

    def _value(self, table: Table, col: Col, raw: str, where: dict):
        kind = col.kind
        if kind in ("date", "dob"):
            return self.date(raw, table, col, where)
        if kind == "sex":
            return self.sex(raw, col, where)
        if kind == "code":
            allowed = self.codes[col.name]
            if raw not in allowed:
                self.log.error(
                    "903.code",
                    f"{col.name} '{shown(raw)}' is not in the {self.label} code list for {col.name}: "
                    f"{', '.join(sorted(allowed))}. {FIX_RECORD}",
                    **where,
                    field=col.name,
                )
                raise ValueError
            if col.max_len and len(raw) > col.max_len:
                self.log.error(
                    "903.register-limit",
                    f"{col.name} '{shown(raw)}' is a valid {self.label} code, but the register's column holds "
                    f"only {col.max_len} characters, so it cannot be stored yet. Nothing to correct in the record: "
                    "Line of Sight needs an update to hold it; tell the support team.",
                    **where,
                    field=col.name,
                )
                raise ValueError
            return raw
        if kind == "flag":
            if raw in ("0", "0.0"):
                return False
            if raw in ("1", "1.0"):
                return True
            self.log.error(
                "903.flag", f"{col.name} is '{shown(raw)}'; it must be 0 or 1. {FIX_RECORD}", **where, field=col.name
            )
            raise ValueError
        if kind == "int":
            found = WHOLE_RE.match(raw)  # "14", or "14.0" as a spreadsheet writes it
            if not found or int(found.group(1)) > 32767:
                self.log.error(
                    "903.number",
                    f"{col.name} is '{shown(raw)}'; it must be a whole number. {FIX_RECORD}",
                    **where,
                    field=col.name,
                )
                raise ValueError
            return int(found.group(1))
        # text, upn
        limit = col.max_len or (13 if kind == "upn" else 0)
        if limit and len(raw) > limit and not (kind == "upn" and UPN_UNKNOWN.match(raw)):
            self.log.error(
                "903.length",
                f"{col.name} '{shown(raw)}' is longer than {limit} characters, the most allowed. {FIX_RECORD}",
                **where,
                field=col.name,
            )
            raise ValueError
        return raw

    def date(self, raw: str, table: Table, col: Col, where: dict) -> dt.date:
        known = self._dates.get(raw)
        if known is not None:
            return known
        found = DATE_RE.match(raw)
        if not found:
            short = SHORT_YEAR_RE.match(raw)  # a spreadsheet's dd/mm/yy: the form, not the record, is wrong
            self.log.error(
                "903.date-format",
                f"{col.name} '{shown(raw)}' is not a date in the form dd/mm/yyyy. "
                + (
                    "Its year has two digits, as a spreadsheet formatting dates dd/mm/yy writes them: correct the "
                    "date format in the export (or the column's format before saving as CSV)."
                    if short
                    else FIX_RECORD
                ),
                **where,
                field=col.name,
            )
            raise ValueError
        if not self._unpadded and (len(found.group(1)) < 2 or len(found.group(2)) < 2):
            self._unpadded = True
            self.log.warning(
                "903.date-unpadded",
                f"{col.name} '{shown(raw)}' is written without leading zeros; it and every such date were read as "
                "day/month/year. The specification writes dd/mm/yyyy (01/04/2025): nothing to correct unless the "
                "DfE's upload refuses them; then correct the date format in the export.",
                file=where.get("file", ""),
                location=where["location"],  # the first such date: the warning is the file's, not this child's
                field=col.name,
            )
        day, month, year = (int(x) for x in found.groups())
        try:
            day_read = dt.date(year, month, day)
        except ValueError:
            self.log.error(
                "903.date-impossible",
                f"{col.name} '{shown(raw)}' is not a real date. {FIX_RECORD}",
                **where,
                field=col.name,
            )
            raise
        if len(self._dates) < DATES_KEPT:
            self._dates[raw] = day_read
        return day_read

    def sex(self, raw: str, col: Col, where: dict) -> str:
        """The register's M/F/U. The other era's code (1/2 up to 2023-24, M/F/U from 2024-25) means one
        sex without doubt, so it is read with a warning, as the CIN census reader does (decision 0026)."""
        allowed = self.codes["SEX"]
        mfu = uses_mfu(self.year)
        if raw in allowed:
            return raw if mfu else OLD_TO_SEX[raw]
        other = OLD_TO_SEX.get(raw) if mfu else (raw if raw in SEX_TO_OLD else None)
        lists = f"the {self.label} code list for SEX is {', '.join(sorted(allowed))}"
        era = "M/F/U from 2024-25" if mfu else "1/2 until 2023-24"
        if other is not None:
            self.log.warning(
                "903.sex-code",
                f"{col.name} '{raw}' is the other years' code; {lists} ({era}). Read as {other}. The DfE "
                "rejects it: correct the code in the case management system's 903 export.",
                **where,
                field=col.name,
            )
            return other
        self.log.error(
            "903.code",
            f"{col.name} '{shown(raw)}' is not in the {self.label} code list for SEX: {', '.join(sorted(allowed))}"
            f" ({era}). {FIX_RECORD}",
            **where,
            field=col.name,
        )
        raise ValueError


# -- the reader -------------------------------------------------------------------------
def _kind_of(path: str | Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(512)
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return "xml" if stripped.startswith(b"<") else "csv"


class Ssda903Reader:
    """Iterate the children of an SSDA903 return (CSV tables in a zip, one CSV table, or the XML).
    After iteration `header`, `collection_year` and `count` are set, and problems are in `log`.

    A write reads the file to the end before it writes, then goes over the children again (returns/spool.py):
    `read_to_end` reads it, keeping its rows on disk, and `replay` hands the children over again from them,
    rather than the Spool pickling every child a second time (decision 0053); `close` lets the rows go."""

    def __init__(
        self, source: str | Path, log: ProblemLog, file_name: str = "", progress=None, year: int | None = None
    ) -> None:
        self.source = Path(source)
        # The collection the return is checked as when one is given (validate_return --year): its code lists
        # and tables, as the DfE's rules use that year too. By default the year of the latest DECOM.
        self.given_year = year
        self.log = log
        self.file_name = file_name or self.source.name
        self.progress = progress
        self.header: dict = {}
        self.collection_year: Any = None
        self.count = 0
        self.fatal = False
        self.size = self.source.stat().st_size if self.source.exists() else 0
        self._kept: ChildStore | None = None  # the rows read_to_end kept, for replay
        self._bad: set[str] = set()  # the children the checks found bad, for replay
        # Rows of the wrong length: (the CHILD the row gives, message, where), reported once every table is read,
        # when it is known whether that child has rows of its own (_rows_of_the_wrong_length).
        self.unfitted: list[tuple[str, str, dict]] = []

    def __iter__(self) -> Iterator[Child903]:
        return self._read(keep=False)

    def read_to_end(self) -> int:
        """Read the whole return now, reporting its problems as iterating does, and keep its rows for
        `replay`. The number of children read."""
        with fewer_collections():
            return sum(1 for _child in self._read(keep=True))

    def replay(self) -> Iterator[Child903]:
        """The children again, as read_to_end handed them on, from the rows it kept; nothing is reported again."""
        if self._kept is None:
            return
        for la_id, events in self._kept.children():
            child = _replay(la_id, events)
            child.bad = la_id in self._bad
            yield child

    def close(self) -> None:
        if self._kept is not None:
            self._kept.close()
            self._kept = None

    def _read(self, keep: bool) -> Iterator[Child903]:
        if other := wrong_kind(self.source, "ssda903"):
            self.log.error("file.wrong-kind", other)
            self.fatal = True
            return
        form = _kind_of(self.source)
        self.header["form"] = form
        self.unfitted = []
        store = ChildStore()  # the rows on disk until every table is read (decision 0042)
        try:
            yield from self._children(form, store)
        finally:
            if keep:
                self._kept = store
            else:
                store.close()

    def _children(self, form: str, store: ChildStore) -> Iterator[Child903]:
        try:
            if form != "zip":
                limits.check_size(self.source, self.file_name, limits.get("ssda903_unpacked"))
            if form == "xml":
                ok = _XmlSource(self).read(store)
            else:
                ok = _CsvSource(self, form).read(store)
        except zipfile.BadZipFile as exc:
            self.log.error(
                "903.zip",
                f"The zip file cannot be read: {exc}. Make the zip again (or export the return again) and upload "
                "it; nothing in the records needs correcting.",
            )
            self.fatal = True
            return
        except limits.TooBig as exc:
            self.log.error("903.too-big", exc.message)
            self.fatal = True
            return
        store.flush()
        self._rows_of_the_wrong_length(store)
        if not ok:
            self.fatal = True
            return
        self.count = store.count
        if self.progress:
            self.progress(self.size, self.count)
        for la_id, events in store.children():
            child = _replay(la_id, events)
            _cross_check(la_id, child, self.log)
            if child.bad:
                self._bad.add(la_id)
            yield child

    def _rows_of_the_wrong_length(self, store: ChildStore) -> None:
        """Each row that could not be read whole is an error of the child it names (its CHILD cell where the header
        puts it: a comma out of place moves only the cells after it, and CHILD comes first in every 903 table),
        who is then held back, when that child has other rows in the return; else the row names no one we can
        be sure of (a line broken inside the CHILD cell gives part of an ID), and the error refuses the file."""
        for whose, message, where in self.unfitted:
            if whose and store.has(whose):
                message += f" It is a row of CHILD {quoted(whose)}, who is held back whole."
                where = {**where, "child_id": whose}
            message += " Correct the row in the file or export the table again."
            self.log.error("903.row-length", message, **where)

    def start_year(self, latest_decom: dt.date | None, where: dict, unread: tuple[str, str] | None = None) -> bool:
        """Set the collection year from the latest DECOM (or the year given); False when it cannot be read.
        `unread`: the first DECOM not in the form dd/mm/yyyy and where it is ("row 2", "line 40"), to show what
        the file holds instead."""
        if self.given_year:
            return self._given_year(self.given_year, latest_decom, where)
        if latest_decom is None:
            seen = " Check that the export holds the episodes with their start dates (DECOM), and export it again."
            if unread:
                seen = (
                    f" The first is '{shown(unread[0])}' ({unread[1]}); the 903 writes dates as dd/mm/yyyy "
                    "(31/03/2026). Correct the dates in the export."
                )
            self.log.error(
                "903.year",
                f"No episode has a valid DECOM, so the collection year (and its code lists) cannot be told.{seen}",
                **where,
            )
            return False
        year = latest_decom.year + (1 if latest_decom.month >= 4 else 0)
        self.collection_year = year
        self.header["collection_year"] = collection_label(year)
        self.header["latest_decom"] = latest_decom.isoformat()
        if year > LAST_YEAR:
            self.log.error(
                "903.year",
                f"The latest episode starts on {latest_decom:%d/%m/%Y}, in collection {collection_label(year)}; "
                f"Line of Sight reads 903 returns up to {collection_label(LAST_YEAR)}. If that date is wrong, correct "
                "it in the case management system and export the return again.",
                **where,
            )
            return False
        if year < FIRST_LISTED:
            self.log.warning(
                "903.year-codes",
                f"The latest episode starts on {latest_decom:%d/%m/%Y}: collection {collection_label(year)}. "
                f"Code lists before {collection_label(FIRST_LISTED)} are not installed; the file is checked "
                f"against the {collection_label(FIRST_LISTED)} lists.",
                **where,
            )
        return True

    def _given_year(self, year: int, latest_decom: dt.date | None, where: dict) -> bool:
        self.collection_year = year
        self.header["collection_year"] = collection_label(year)
        if latest_decom is not None:
            self.header["latest_decom"] = latest_decom.isoformat()
        if year > LAST_YEAR:
            self.log.error(
                "903.year",
                f"Line of Sight reads 903 returns up to {collection_label(LAST_YEAR)}. Give a collection year up to "
                f"{collection_label(LAST_YEAR)}; nothing in the file needs correcting.",
                **where,
            )
            return False
        if year < FIRST_LISTED:
            self.log.warning(
                "903.year-codes",
                f"Code lists before {collection_label(FIRST_LISTED)} are not installed; the file is checked "
                f"as collection {collection_label(year)} against the {collection_label(FIRST_LISTED)} lists.",
                **where,
            )
        return True


def _replay(la_id: str, events: list[tuple]) -> Child903:
    """The child as its rows were read (ChildStore events, in the order read)."""
    child = Child903(la_id)
    for table, location, file, row in events:
        if table == BAD:
            child.bad = True
            continue
        child.seen_in.setdefault(table, {"location": location, "file": file})
        rec = None if row is None else Rec(location, row[0], row[1], row[2], file)
        if table == "Header":
            child.header_seen, child.header, child.path = True, rec, location
        elif rec is not None:
            child.tables.setdefault(table, []).append(rec)
        if rec is None:
            child.bad = True
    return child


class _CsvSource:
    def __init__(self, reader: Ssda903Reader, form: str) -> None:
        self.r = reader
        self.form = form
        self.log = reader.log
        self._unread_decom: tuple[str, str] | None = None  # the first DECOM not in the form dd/mm/yyyy, and where

    def _members(self, archive) -> list[tuple[str, Any]]:
        if archive is None:
            return [(self.r.file_name, None)]
        return [
            (info.filename, info)
            for info in archive.infolist()
            if not info.is_dir() and not Path(info.filename).name.startswith((".", "__MACOSX"))
        ]

    @contextlib.contextmanager
    def _open(self, archive, info):
        """The table's lines as text (UTF-8, strict), none longer than the limit for a line."""
        raw = archive.open(info) if archive is not None else open(self.r.source, "rb")  # noqa: SIM115
        name = Path(info.filename).name if info is not None else self.r.file_name
        with raw:
            yield codecs.iterdecode(limits.bounded_lines(raw, name), "utf-8-sig")

    def read(self, store: ChildStore) -> bool:
        archive = zipfile.ZipFile(self.r.source) if self.form == "zip" else None
        try:
            return self._read(archive, store)
        finally:
            if archive is not None:
                archive.close()

    def _read(self, archive, store: ChildStore) -> bool:
        found: dict[str, tuple[str, Any]] = {}
        ok = True
        if archive is not None:
            limits.check_zip(archive, self.r.file_name, limits.get("ssda903_unpacked"))
        for name, info in self._members(archive):
            base = Path(name).name
            if not base.lower().endswith(".csv"):
                self.log.warning(
                    "903.table-unknown",
                    f"{base} was skipped: it is not a CSV file, and the 903 tables are CSV files with a header row. "
                    "Nothing to correct if it is not part of the return.",
                    file=base,
                )
                continue
            table = table_for_name(base) or self._by_columns(archive, info)
            if isinstance(table, UnicodeDecodeError):
                self.log.warning(
                    "903.table-unknown",
                    f"{base} was skipped: it is not UTF-8 text, so which 903 table it is could not be told from its "
                    "header row. " + encoding_advice(table),
                    file=base,
                )
                continue
            if table is None:
                other = KNOWN_OTHER_TABLES.get(_norm(Path(base).stem))
                self.log.warning(
                    "903.table-unknown",
                    f"{base} was skipped: "
                    + (
                        f"it is {other}, which Line of Sight does not import yet."
                        if other
                        else f"it is not one of the 903 tables ({', '.join(TABLES)}) by its name or its columns. "
                        "If it is one of them, rename the file or its columns to the specification's names."
                    ),
                    file=base,
                )
                continue
            if table.name in found:
                self.log.error("903.table-twice", self._twice(name, found[table.name][0], table), file=base)
                ok = False
                continue
            found[table.name] = (name, info)
        for required in REQUIRED_TABLES:
            if required not in found:
                self.log.error(
                    "903.table-missing",
                    f"The {required} table ({TABLES[required].file}) is missing; a 903 return always has it. Add it to "
                    "the upload (export it again if need be); nothing in the records needs correcting.",
                    file=TABLES[required].file,
                )
                ok = False
        if not ok:
            return False
        # The columns of every table first: a renamed column is reported as such, whatever it is.
        for table in TABLES.values():
            if table.name in found and not table.since:  # a newer table's columns once the year is known
                name, info = found[table.name]
                try:
                    with self._open(archive, info) as handle:
                        columns = [c.strip() for c in next(csv.reader(handle), [])]
                except (UnicodeDecodeError, csv.Error) as exc:
                    self._unreadable(Path(name).name, exc, 1)
                    ok = False
                    continue
                ok = self._columns(Path(name).name, table, columns) and ok
        if not ok:
            return False
        # Pass 1: the latest DECOM gives the collection year (and so the code lists).
        ep_name, ep_info = found["Episodes"]
        latest = self._latest_decom(archive, ep_info)
        if latest is False:
            return False
        if not self.r.start_year(latest, {"file": Path(ep_name).name}, self._unread_decom):
            return False
        if not self._newer_tables(archive, found):
            return False
        checker = _Checker(self.log, self.r.collection_year)
        unreadable = False
        done = 0
        for table in TABLES.values():
            if table.name not in found:
                continue
            name, info = found[table.name]
            if not self._table(archive, info, Path(name).name, table, checker, store):
                unreadable = True
            if self.r.progress:  # bytes of the stored file read so far, roughly: table by table
                done += info.compress_size if info is not None else self.r.size
                store.flush()
                self.r.progress(min(done, self.r.size), store.count)
        self.r.header["tables"] = sorted(found)
        return not unreadable

    def _newer_tables(self, archive, found: dict) -> bool:
        """A table that joined the specification after the return's year (DoLo before 2026-27) is named
        and skipped with a warning, as a table not in the specification is; in its years its columns are
        checked as the others' are. False when its columns are wrong."""
        year, ok = self.r.collection_year, True
        for table in TABLES.values():
            if not table.since or table.name not in found:
                continue
            name, info = found[table.name]
            base = Path(name).name
            if not table.in_year(year):
                del found[table.name]
                self.log.warning(
                    "903.table-unknown",
                    f"{base} was skipped: it is {TABLE_TITLES.get(table.name, 'the ' + table.name + ' table')}, "
                    f"which the 903 specification has from {collection_label(table.since)}, and this return is "
                    f"{collection_label(year)} (by its latest episode start). Nothing to correct unless the "
                    "return is of a later year.",
                    file=base,
                )
                continue
            try:
                with self._open(archive, info) as handle:
                    columns = [c.strip() for c in next(csv.reader(handle), [])]
            except (UnicodeDecodeError, csv.Error) as exc:
                self._unreadable(base, exc, 1)
                ok = False
                continue
            ok = self._columns(base, table, columns) and ok
        return ok

    @staticmethod
    def _twice(name: str, other: str, table: Table) -> str:
        """Two files of one table: of two years when their names or folders say so (2019-episodes.csv, 2020/...)."""
        a, b = Path(name), Path(other)
        if a.name == b.name:  # the same file name in two folders: the folders tell them apart
            a_said, b_said = name, other
        else:
            a_said, b_said = a.name, b.name
        years = [_year_in(n) for n in (name, other)]
        if all(years) and years[0] != years[1]:
            return (
                f"{a_said} and {b_said} are both the {table.name} table, of different years "
                f"({' and '.join(sorted(y for y in years if y))}): a 903 return is one year's tables. Upload each "
                "year's tables on its own, oldest first; nothing in the records needs correcting."
            )
        return f"{a_said} and {b_said} are both the {table.name} table; remove one and upload again."

    def _by_columns(self, archive, info) -> Table | UnicodeDecodeError | None:
        """The table a file's header row names, or why the row could not be read (not UTF-8)."""
        try:
            with self._open(archive, info) as handle:
                first = next(csv.reader(handle), [])
        except UnicodeDecodeError as exc:
            return exc
        except csv.Error:
            return None
        return table_for_columns(header_names(first))

    def _latest_decom(self, archive, info):
        latest = None
        self._unread_decom = None
        try:
            with self._open(archive, info) as handle:
                rows = csv.reader(handle)
                columns = header_names(next(rows, []))
                if "DECOM" not in columns:
                    return None
                at = columns.index("DECOM")
                for line, row in enumerate(rows, start=2):
                    found = DATE_RE.match(row[at]) if len(row) > at else None
                    if not found:
                        if self._unread_decom is None and len(row) > at and row[at].strip():
                            self._unread_decom = (row[at].strip(), f"row {line}")
                        continue
                    day, month, year = (int(x) for x in found.groups())
                    try:
                        date = dt.date(year, month, day)
                    except ValueError:
                        continue
                    latest = date if latest is None or date > latest else latest
        except UnicodeDecodeError as exc:
            self._unreadable(Path(info.filename).name if info is not None else self.r.file_name, exc)
            return False
        except csv.Error as exc:
            self.log.error(
                "903.csv", f"The episodes table is not a well-formed CSV file: {exc}. {FIX_CSV}", file="episodes.csv"
            )
            return False
        return latest

    def _table(self, archive, info, base: str, table: Table, checker: _Checker, store: ChildStore) -> bool:
        try:
            line = 1
            with self._open(archive, info) as handle:
                rows = csv.reader(handle)
                columns = header_names(next(rows, []))
                width = len(columns)
                for line, row in enumerate(rows, start=2):
                    if not any(cell.strip() for cell in row):
                        continue
                    where = {"file": base, "location": f"{base} row {line}"}
                    cut = fitted(row, width)
                    if cut is None:  # reported once every table is read (_rows_of_the_wrong_length)
                        said = (
                            " (a value past the last column: a comma in a value not in quotes?)."
                            if len(row) > width
                            else " (cells missing at the end, or a line broken in two?)."
                        )
                        message = f"Row {line} has {len(row)} cells; the header row has {width}{said}"
                        self.r.unfitted.append((_whose(row, columns), message, where))
                        continue
                    if repeats_header(cut, columns):
                        self.log.warning(
                            "903.header-repeated",
                            f"{base} row {line} repeats the header row (as when two exports are joined into one "
                            "file); it was skipped. Nothing to correct unless the rows below it are another "
                            "year's or a copy: a table holds one year's return, each child once.",
                            **where,
                        )
                        continue
                    cells = dict(zip(columns, cut, strict=True))
                    la_id = cells["CHILD"].strip()
                    if not la_id:
                        self.log.error(
                            "903.child-id",
                            f"{table.name} row {line} has no CHILD. Record the child's ID in the case management "
                            "system and export the return again.",
                            field="CHILD",
                            **where,
                        )
                        continue
                    if _overlong_id(la_id, "CHILD", where, self.log):
                        continue
                    where["child_id"] = la_id
                    _add(table, checker.row(table, cells, where), la_id, store, where, self.log)
        except UnicodeDecodeError as exc:
            self._unreadable(base, exc, line + 1)
            return False
        except csv.Error as exc:
            self.log.error("903.csv", f"{base} is not a well-formed CSV file: {exc}. {FIX_CSV}", file=base)
            return False
        return True

    def _unreadable(self, base: str, exc: Exception, line: int | None = None) -> None:
        """A table that is not UTF-8 text (or not CSV): where, and what to do. Spreadsheet programs often save
        CSV as Windows-1252 ("ANSI"), where a character such as é is one byte UTF-8 does not allow."""
        where = {"file": base, "location": f"{base} row {line}"} if line else {"file": base}
        if isinstance(exc, UnicodeDecodeError):
            byte = exc.object[exc.start : exc.start + 1].hex() if isinstance(exc.object, bytes) else "?"
            at = f"row {line}, " if line else ""
            self.log.error(
                "903.encoding",
                f"{base} is not UTF-8 text ({at}character {exc.start + 1}: byte 0x{byte}), so it was not read. "
                + encoding_advice(exc),
                **where,
            )
        else:
            self.log.error("903.csv", f"{base} is not a well-formed CSV file: {exc}. {FIX_CSV}", **where)

    def _columns(self, base: str, table: Table, given: list[str]) -> bool:
        if said := other_separator(given):
            self.log.error(
                "903.csv",
                f"{base} ({table.name}) has its columns separated by {said}, not commas, so none of them could be "
                "read. Save it again as 'CSV (comma delimited)' or export it again.",
                file=base,
                location=f"{base} row 1",
            )
            return False
        columns = header_names(given)
        expected = table.names
        missing = [c for c in expected if c not in columns]
        extra = [c for c in columns if c and c not in expected]
        twice = sorted({c for c in columns if c and columns.count(c) > 1})
        if len(missing) == len(expected):  # not one column found: the first line is not the header row
            has = ", ".join(shown(c) for c in given[:6] if c.strip()) + (", ..." if len(given) > 6 else "")
            self.log.error(
                "903.column-missing",
                f"{base} ({table.name}) has none of the specification's columns ({', '.join(expected[:4])}, ...) in "
                f"its first line, which holds: {has or 'nothing'}. {not_a_header_advice(given)}",
                file=base,
                location=f"{base} row 1",
                field=expected[0],
            )
            return False
        self._header_warnings(base, table, given, columns)
        for name in missing:
            self.log.error(
                "903.column-missing",
                f"{base} ({table.name}) has no column {name}"
                + (f"; it has {', '.join(extra)}, which the specification does not name (renamed?)" if extra else "")
                + ". Add the column (or give it the specification's name) in the file or the export; nothing in the "
                "records needs correcting.",
                file=base,
                location=f"{base} row 1",
                field=name,
            )
        if extra and not missing:
            self.log.warning(
                "903.column-unexpected",
                f"{base} ({table.name}) has {'columns' if len(extra) > 1 else 'a column'} {', '.join(extra)} "
                "that the specification does not name; "
                f"{'they were' if len(extra) > 1 else 'it was'} ignored. Nothing to correct unless "
                f"{'one is' if len(extra) > 1 else 'it is'} a 903 column under another name.",
                file=base,
                location=f"{base} row 1",
                field=", ".join(extra)[:80],
            )
        for name in twice:
            self.log.error(
                "903.column-twice",
                f"{base} has the column {name} twice. Remove one in the file or export the table again.",
                file=base,
                location=f"{base} row 1",
            )
        return not (missing or twice)

    def _header_warnings(self, base: str, table: Table, given: list[str], columns: list[str]) -> None:
        """Columns named in another case, and columns with no name (a spreadsheet's empty columns at the end):
        read as the specification's, and ignored, each with a warning."""
        cased = [(g.strip(), c) for g, c in zip(given, columns, strict=True) if g.strip() != c]
        if cased:
            shown_ = ", ".join(f"{g} as {c}" for g, c in cased[:6]) + (", ..." if len(cased) > 6 else "")
            self.log.warning(
                "903.column-case",
                f"{base} ({table.name}) names {len(cased)} column{'s' if len(cased) > 1 else ''} otherwise than "
                f"the specification (case, spaces or punctuation); read {shown_}. Nothing to correct here; if the "
                "DfE's upload refuses the file, correct the names in the export.",
                file=base,
                location=f"{base} row 1",
            )
        if unnamed := unnamed_columns(columns):
            self.log.warning(
                "903.column-unnamed",
                f"{base} ({table.name}) has {unnamed}, ignored: a spreadsheet often saves empty columns at the end. "
                "Nothing to correct.",
                file=base,
                location=f"{base} row 1",
            )


def _whose(row: list[str], columns: list[str]) -> str:
    """The CHILD a row of the wrong length gives where the header puts it, if the row reaches it and the ID is one
    the register can hold; else ""."""
    at = columns.index("CHILD") if "CHILD" in columns else len(row)
    la_id = row[at].strip() if at < len(row) else ""
    return la_id if len(la_id) <= child_id_limit() else ""


def _overlong_id(la_id: str, field: str, where: dict, log: ProblemLog) -> bool:
    """A child ID longer than the register holds: reported by its length (the value is not
    shown), and the record is not read."""
    limit = child_id_limit()
    if len(la_id) <= limit:
        return False
    where["child_id"] = la_id[:limit]  # the start of it, as a Problem holds it: enough to find the record
    log.error(
        "903.child-id",
        f"{field} is {len(la_id):,} characters long, more than the {limit} the register holds; "
        f"the value is not shown and the record was not read. {FIX_RECORD}",
        field=field,
        **where,
    )
    return True


def _add(table: Table, rec: Rec | None, la_id: str, store: ChildStore, where: dict, log: ProblemLog) -> None:
    """The row (None: rejected, and the child with it) into the store; a second Header row for a child is an error."""
    if table.name == "Header":
        first = store.first_header(la_id, where["location"])
        if first is not None:
            log.error(
                "903.duplicate-child",
                f"CHILD {la_id} has more than one Header record (also {first}). {FIX_RECORD}",
                field="CHILD",
                **where,
            )
            store.mark_bad(la_id)
            return
    store.add(la_id, table.name, where["location"], where.get("file", ""), rec)


HEADER_LEAVES = {
    "CHILDID",
    "UPN",
    "SEX",
    "DOB",
    "ETHNIC",
    "UASC",
    "DUC",
    "MOTHER",
    "MC_DOB",
    "IN_TOUCH",
    "ACTIV",
    "ACCOM",
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
}
HEADER_BLOCKS = {
    "AREVIEW": "Reviews",
    "AMISSING": "Missing",
    "AD_PLACED": "PlacedAdoption",
    "PERMANENCE": "PrevPerm",
    "OC2": "OC2",
}
EPISODE_LEAVES = (set(TABLES["Episodes"].names) - {"CHILD", "PLACE"}) | {"PL"}


class _XmlSource:
    """EXPSSDA903/CHILD: HEADER (CHILDID, UPN, SEX, DOB, ETHNIC, UASC, DUC, AREVIEW*, MOTHER,
    MC_DOB, PERMANENCE, OC2, AMISSING*, AD_PLACED*, the OC3 and AD1 fields), then EPISODE*."""

    def __init__(self, reader: Ssda903Reader) -> None:
        self.r = reader
        self.log = reader.log

    def _events(self, tags):
        return etree.iterparse(
            str(self.r.source),
            events=("end",),
            tag=tags,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
        )

    def _safe(self) -> bool:
        with open(self.r.source, "rb") as handle:
            head = handle.read(4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            self.log.error(
                "xml.doctype",
                "The file declares a DOCTYPE or entities. 903 files never do, and entities can be used "
                "to attack the parser (an 'entity bomb'), so the file was not read. Export the file again without "
                "them; nothing in the records needs correcting.",
                location="line 1",
            )
            return False
        return True

    def _syntax(self, exc) -> None:
        self.log.error(
            "xml.syntax",
            f"{xml_syntax(exc.msg)} Export the file again and upload it; nothing in the records needs correcting.",
            location=f"line {exc.lineno or '?'}",
        )

    def read(self, store: ChildStore) -> bool:
        if not self._safe():
            return False
        latest = None
        try:
            with open(self.r.source, "rb") as handle:
                root = next(
                    etree.iterparse(handle, events=("start",), resolve_entities=False, no_network=True, load_dtd=False)
                )[1]
            name = etree.QName(root)
            if root.tag != "EXPSSDA903":
                said = (
                    namespace_advice(name.namespace, "EXPSSDA903", "903") + "; nothing in the records needs correcting."
                    if name.localname == "EXPSSDA903" and name.namespace
                    else f"The file's root element is <{root.tag}>; a 903 XML file's is <EXPSSDA903>. Is it another "
                    "return? Upload the 903 file; nothing in the records needs correcting."
                )
                self.log.error(
                    "903.xml-root",
                    said,
                    location=f"line {root.sourceline}",
                )
                return False
            unread = None  # the first DECOM not in the form dd/mm/yyyy, to show what the file holds instead
            for _e, el in self._events(("DECOM",)):
                found = DATE_RE.match(el.text or "")
                if not found and unread is None and (el.text or "").strip():
                    unread = ((el.text or "").strip(), f"line {el.sourceline}")
                if found:
                    day, month, year = (int(x) for x in found.groups())
                    try:
                        date = dt.date(year, month, day)
                    except ValueError:
                        date = None
                    if date and (latest is None or date > latest):
                        latest = date
                el.clear()
        except etree.XMLSyntaxError as exc:
            self._syntax(exc)
            return False
        if not self.r.start_year(latest, {"location": "EXPSSDA903/CHILD/EPISODE/DECOM"}, unread):
            return False
        checker = _Checker(self.log, self.r.collection_year)
        index = 0
        try:
            for _e, el in self._events(("CHILD",)):
                index += 1
                self._child(el, index, checker, store)
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            self._syntax(exc)
            return False
        if index == 0:
            self.log.error("903.children", "The file has no <CHILD> records. Check the export and export it again.")
            return False
        return True

    def _child(self, el, index: int, checker: _Checker, store: ChildStore) -> None:
        path = f"EXPSSDA903/CHILD[{index}]"
        head = el.find("HEADER")
        la_id = ((head.findtext("CHILDID") if head is not None else "") or "").strip()
        where = {"location": f"{path} (line {el.sourceline})", "child_id": la_id}
        if head is None or not la_id:
            self.log.error(
                "903.child-id",
                "The child has no HEADER/CHILDID. Record the child's ID in the case management system and export "
                "the return again.",
                field="CHILDID",
                **where,
            )
            return
        if _overlong_id(la_id, "CHILDID", where, self.log):
            return
        self._elements(el, {"HEADER", "EPISODE"}, path, la_id, store)
        self._elements(head, HEADER_LEAVES | set(HEADER_BLOCKS), f"{path}/HEADER", la_id, store)
        flat = {node.tag: (node.text or "").strip() for node in head if len(node) == 0}
        flat["CHILD"] = la_id
        dob = flat.get("DOB", "")
        hwhere = {"location": f"{path}/HEADER", "child_id": la_id}
        _add(TABLES["Header"], checker.row(TABLES["Header"], flat, hwhere), la_id, store, hwhere, self.log)
        if flat.get("UASC") == "1" or flat.get("DUC"):
            self._row("UASC", {**flat}, f"{path}/HEADER/DUC", la_id, checker, store)
        if flat.get("IN_TOUCH") or flat.get("ACTIV") or flat.get("ACCOM"):
            self._row("OC3", flat, f"{path}/HEADER/IN_TOUCH", la_id, checker, store)
        if any(flat.get(c) for c in ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")):
            self._row("AD1", flat, f"{path}/HEADER/DATE_INT", la_id, checker, store)
        counts: dict[str, int] = {}
        for node in head:
            if len(node) == 0:
                continue
            tag = node.tag
            counts[tag] = counts.get(tag, 0) + 1
            table = HEADER_BLOCKS.get(tag)
            if table is None:
                continue  # reported by _elements
            block = f"{path}/HEADER/{tag}[{counts[tag]}]"
            self._elements(node, set(TABLES[table].names) - {"CHILD", "DOB"}, block, la_id, store)
            cells = {sub.tag: (sub.text or "").strip() for sub in node}
            cells["CHILD"], cells["DOB"] = la_id, dob
            self._row(table, cells, block, la_id, checker, store)
        for i, ep in enumerate(el.iterfind("EPISODE"), 1):
            self._elements(ep, EPISODE_LEAVES, f"{path}/EPISODE[{i}]", la_id, store)
            cells = {sub.tag: (sub.text or "").strip() for sub in ep}
            cells["PLACE"] = cells.pop("PL", cells.get("PLACE", ""))
            cells["CHILD"] = la_id
            self._row("Episodes", cells, f"{path}/EPISODE[{i}]", la_id, checker, store)

    def _elements(self, node, allowed: set[str], path: str, la_id: str, store: ChildStore) -> None:
        """An element the 903 XML does not have (misspelt, or from another return) is an error: it would be lost."""
        for sub in node:
            if not isinstance(sub.tag, str) or sub.tag in allowed:
                continue
            self.log.error(
                "903.xml-element",
                f"<{shown(sub.tag)}> is not an element of <{node.tag}> in the 903 XML "
                f"(it holds {', '.join(sorted(allowed))}), so it cannot be read. Correct its name in the file or "
                "export the return again.",
                child_id=la_id,
                location=f"{path}/{sub.tag} (line {sub.sourceline})",
                field=sub.tag,
            )
            store.mark_bad(la_id)

    def _row(self, name: str, cells: dict, location: str, la_id: str, checker: _Checker, store: ChildStore) -> None:
        where = {"location": location, "child_id": la_id}
        table = TABLES[name]
        _add(table, checker.row(table, cells, where), la_id, store, where, self.log)


# -- checks across tables ---------------------------------------------------------------
def _cross_check(la_id: str, child: Child903, log: ProblemLog) -> None:
    """The checks across one child's tables, once all of them are read."""
    if not child.header_seen:
        first = next(iter(child.seen_in.values()), {})
        log.error(
            "903.no-header",
            f"CHILD {la_id} is in {', '.join(child.seen_in)} but has no Header row. {FIX_EITHER}",
            child_id=la_id,
            location=first.get("location", ""),
            file=first.get("file", ""),
            field="CHILD",
        )
        child.bad = True
        return
    header = child.header
    if header is None:
        return
    birth, sex = header.values.get("birth_date"), header.values.get("sex")
    for name, rows in child.tables.items():
        for rec in rows:
            where = {"child_id": la_id, "location": rec.path, "file": rec.file}
            if rec.dob is not None and birth is not None and rec.dob != birth:
                log.error(
                    "903.dob-differs",
                    f"{name} gives DOB {rec.dob:%d/%m/%Y}; the Header gives {birth:%d/%m/%Y}. {FIX_EITHER}",
                    field="DOB",
                    **where,
                )
                child.bad = True
            if rec.sex is not None and sex and rec.sex != sex:
                log.error(
                    "903.sex-differs",
                    f"{name} gives SEX {rec.sex}; the Header gives {sex}. {FIX_EITHER}",
                    field="SEX",
                    **where,
                )
                child.bad = True
    _episode_checks(child, log)
    for name, key, col in (
        ("Reviews", "review_date", "REVIEW"),
        ("Missing", "started_at", "MIS_START"),
        ("PlacedAdoption", "date_placed", "DATE_PLACED"),
        ("DoLo", "start_date", "DOLO_START"),
    ):
        _duplicates(child, name, key, col, log)
    seen_sw: dict[tuple, str] = {}
    for rec in child.rows("SWEpisodes"):
        sw_key = (rec.values["staff_id"], rec.values["start_date"])
        if sw_key in seen_sw:
            log.error(
                "903.duplicate-row",
                f"SWEpisodes: two rows for CHILD {la_id} with SW_ID {sw_key[0]} from {sw_key[1]:%d/%m/%Y} "
                f"(also {seen_sw[sw_key]}). {FIX_RECORD}",
                child_id=la_id,
                location=rec.path,
                file=rec.file,
                field="SW_DECOM",
            )
            child.bad = True
        seen_sw.setdefault(sw_key, rec.path)
    for name in ("UASC", "OC2", "OC3", "AD1", "PrevPerm"):
        rows = child.rows(name)
        if len(rows) > 1:
            log.error(
                "903.duplicate-row",
                f"CHILD {la_id} has {len(rows)} {name} rows (also {rows[0].path}); there can be only one. {FIX_RECORD}",
                child_id=la_id,
                location=rows[1].path,
                file=rows[1].file,
            )
            child.bad = True


def _duplicates(child: Child903, name: str, key: str, col: str, log: ProblemLog) -> None:
    seen: dict = {}
    for rec in child.rows(name):
        value = rec.values.get(key)
        if value in seen:
            log.error(
                "903.duplicate-row",
                f"{name}: two rows for CHILD {child.la_child_id} on {value:%d/%m/%Y} (also {seen[value]}). "
                f"{FIX_RECORD}",
                child_id=child.la_child_id,
                location=rec.path,
                file=rec.file,
                field=col,
            )
            child.bad = True
        seen[value] = rec.path


def _episode_checks(child: Child903, log: ProblemLog) -> None:
    episodes = sorted(child.rows("Episodes"), key=lambda r: r.values["start_date"])
    for rec in episodes:
        start, end = rec.values["start_date"], rec.values.get("end_date")
        if end is not None and end < start:
            log.error(
                "903.dec-before-decom",
                f"The episode ends (DEC {end:%d/%m/%Y}) before it starts (DECOM {start:%d/%m/%Y}). {FIX_EITHER}",
                child_id=child.la_child_id,
                location=rec.path,
                file=rec.file,
                field="DEC",
            )
            child.bad = True
    for before, after in zip(episodes, episodes[1:], strict=False):
        b_start, b_end = before.values["start_date"], before.values.get("end_date")
        a_start = after.values["start_date"]
        if a_start == b_start:
            log.error(
                "903.duplicate-episode",
                f"Two episodes start on {a_start:%d/%m/%Y} (also {before.path}). {FIX_EITHER}",
                child_id=child.la_child_id,
                location=after.path,
                file=after.file,
                field="DECOM",
            )
            child.bad = True
        elif b_end is None or b_end > a_start:
            ends = "is still open" if b_end is None else f"ends on {b_end:%d/%m/%Y}"
            log.error(
                "903.episode-overlap",
                f"The episode starting {a_start:%d/%m/%Y} overlaps the one starting {b_start:%d/%m/%Y} "
                f"({before.path}), which {ends}. {FIX_EITHER}",
                child_id=child.la_child_id,
                location=after.path,
                file=after.file,
                field="DECOM",
            )
            child.bad = True


def is_bad(child: Child903) -> bool:
    return child.bad
