"""The CIN census XML as columnar tables in an in-memory DuckDB, for the rules to query.

The file is read once (lxml iterparse, no entities, no DTD, no network) and every value is
kept as the text the file holds, whether or not it is valid against the schema: the DfE's
rules judge the content, and a file that fails the schema still gets its content checked
(as Data to Insight's validator does). Dates are cast with TRY_CAST, so a malformed date is
NULL to the rules (the schema check reports it). Row numbers link the tables; `path` is the
element's XML path, for the finding's location.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from lxml import etree


class UnreadableReturn(Exception):
    """The file is not a readable CIN census (not XML, a DOCTYPE, no header)."""


HEADER_FIELDS = ("Collection", "Year", "ReferenceDate", "SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo")
CHILD_FIELDS = (
    "LAchildID",
    "UPN",
    "FormerUPN",
    "UPNunknown",
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    "GenderCurrent",
    "Sex",
    "PersonDeathDate",
    "Ethnicity",
)
CIN_FIELDS = (
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "ReferralNFA",
)
ASSESSMENT_FIELDS = ("AssessmentActualStartDate", "AssessmentInternalReviewDate", "AssessmentAuthorisationDate")
PLAN_FIELDS = ("CINPlanStartDate", "CINPlanEndDate")
S47_FIELDS = ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired")
CPP_FIELDS = ("CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP")

# table -> (link columns, value columns)
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "child": (("child_row",), CHILD_FIELDS),
    "disability": (("child_row",), ("Disability",)),
    "cin": (("child_row", "cin_row"), CIN_FIELDS),
    "assessment": (("child_row", "cin_row", "assessment_row"), ASSESSMENT_FIELDS),
    "factor": (("child_row", "cin_row", "assessment_row"), ("AssessmentFactors",)),
    "cin_plan": (("child_row", "cin_row", "plan_row"), PLAN_FIELDS),
    "s47": (("child_row", "cin_row", "s47_row"), S47_FIELDS),
    "cpp": (("child_row", "cin_row", "cpp_row"), CPP_FIELDS),
    "review": (("child_row", "cin_row", "cpp_row"), ("CPPreviewDate",)),
}
YES_NO = ("ReferralNFA", "ICPCnotRequired")


def _is_date(name: str) -> bool:
    return "Date" in name or name == "InitialCPCtarget"


class _Columns:
    """Rows for one table, kept as tuples while the file streams past (one C-level map per row)
    and handed to DuckDB a chunk at a time, so that memory stays flat whatever the file's size."""

    def __init__(self, links: tuple[str, ...], values: tuple[str, ...]) -> None:
        self.names = (*links, "LAchildID", "path", *(v for v in values if v != "LAchildID"))
        self.rows: list[tuple] = []

    def add(self, row: dict) -> None:
        self.rows.append(tuple(map(row.get, self.names)))

    @property
    def cols(self) -> dict[str, list]:
        """The rows waiting, by column."""
        if not self.rows:
            return {n: [] for n in self.names}
        return {n: list(c) for n, c in zip(self.names, zip(*self.rows, strict=True), strict=True)}


def _leaves(el) -> dict:
    return {node.tag: (node.text or "").strip() or None for node in el if len(node) == 0}


CHUNK = 20_000  # children read between two hand-overs to DuckDB


def read_tables(path: str | Path, con: duckdb.DuckDBPyConnection | None = None) -> tuple[dict, dict[str, _Columns]]:
    """The header (field -> text) and the columns of every table. With `con`, the rows are loaded into
    its text tables (raw_<table>) every CHUNK children as the file is read, and the columns returned
    are empty: `load` then types them."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnreadableReturn(f"{Path(path).name}: the file declares a DOCTYPE or entities; it was not read.")
    tables = {name: _Columns(*spec) for name, spec in TABLES.items()}
    if con is not None:
        for name, columns in tables.items():
            con.execute(f"CREATE TABLE raw_{name} ({', '.join(f'{n} {_sql_type(n)}' for n in columns.names)})")
    header: dict = {}
    counters = dict.fromkeys(("child", "cin", "assessment", "plan", "s47", "cpp"), 0)
    events = etree.iterparse(
        str(path), events=("end",), tag=("Header", "Child"), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        for _event, el in events:
            if el.tag == "Header":
                for part in el:
                    header.update(_leaves(part))
                continue
            counters["child"] += 1
            _child(el, counters, tables)
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
            if con is not None and counters["child"] % CHUNK == 0:
                _append(con, tables)
    except etree.XMLSyntaxError as exc:
        raise UnreadableReturn(f"{Path(path).name}: not well-formed XML (line {exc.lineno}): {exc.msg}") from None
    if not header.get("ReferenceDate") and not counters["child"]:
        raise UnreadableReturn(f"{Path(path).name}: no CIN census <Header> or <Child> found; is it a CIN census?")
    if con is not None:
        _append(con, tables)
    return header, tables


def _append(con: duckdb.DuckDBPyConnection, tables: dict[str, _Columns]) -> None:
    """The rows waiting into the text tables, one statement per table (columns zipped with unnest)."""
    for name, columns in tables.items():
        if not columns.rows:
            continue
        names = columns.names
        raw = ", ".join(f"unnest(${i + 1}::{_sql_type(n)}[])" for i, n in enumerate(names))
        cols = columns.cols
        con.execute(f"INSERT INTO raw_{name} SELECT {raw}", [cols[n] for n in names])
        columns.rows = []


def _child(el, counters: dict, tables: dict[str, _Columns]) -> None:
    n = counters["child"]
    path = f"Message/Children/Child[{n}]"
    row: dict = {"child_row": n, "path": path}
    ids = el.find("ChildIdentifiers")
    if ids is not None:
        row.update(_leaves(ids))
    la = row.get("LAchildID")
    chars = el.find("ChildCharacteristics")
    if chars is not None:
        row.update(_leaves(chars))
        for d in chars.iter("Disability"):
            tables["disability"].add(
                {
                    "child_row": n,
                    "LAchildID": la,
                    "path": f"{path}/ChildCharacteristics/Disabilities",
                    "Disability": (d.text or "").strip() or None,
                }
            )
    tables["child"].add(row)
    for j, cin in enumerate(el.iterchildren("CINdetails"), start=1):
        counters["cin"] += 1
        c = counters["cin"]
        cpath = f"{path}/CINdetails[{j}]"
        link = {"child_row": n, "cin_row": c, "LAchildID": la}
        tables["cin"].add({**link, "path": cpath, **_leaves(cin)})
        _subs(cin, cpath, link, counters, tables)


def _subs(cin, cpath: str, link: dict, counters: dict, tables: dict[str, _Columns]) -> None:
    seen = dict.fromkeys(("Assessments", "CINPlanDates", "Section47", "ChildProtectionPlans"), 0)
    for node in cin:
        tag = node.tag
        if tag not in seen:
            continue
        seen[tag] += 1
        npath = f"{cpath}/{tag}[{seen[tag]}]"
        if tag == "Assessments":
            counters["assessment"] += 1
            a = {**link, "assessment_row": counters["assessment"]}
            tables["assessment"].add({**a, "path": npath, **_leaves(node)})
            for f in node.iter("AssessmentFactors"):
                tables["factor"].add(
                    {**a, "path": f"{npath}/FactorsIdentifiedAtAssessment", "AssessmentFactors": (f.text or "").strip()}
                )
        elif tag == "CINPlanDates":
            counters["plan"] += 1
            tables["cin_plan"].add({**link, "plan_row": counters["plan"], "path": npath, **_leaves(node)})
        elif tag == "Section47":
            counters["s47"] += 1
            tables["s47"].add({**link, "s47_row": counters["s47"], "path": npath, **_leaves(node)})
        else:
            counters["cpp"] += 1
            p = {**link, "cpp_row": counters["cpp"]}
            tables["cpp"].add({**p, "path": npath, **_leaves(node)})
            for r in node.iter("CPPreviewDate"):
                tables["review"].add({**p, "path": f"{npath}/Reviews", "CPPreviewDate": (r.text or "").strip() or None})


def _sql_type(name: str) -> str:
    if name.endswith("_row"):
        return "INTEGER"
    return "VARCHAR"


def _typed(name: str) -> str:
    """The column as the rules see it: dates as DATE, yes/no as BOOLEAN (NULL when missing or not 0/1/true/false)."""
    if name in YES_NO:
        return (
            f"CASE WHEN lower({name}) IN ('1', 'true') THEN true WHEN lower({name}) IN ('0', 'false') THEN false END "
            f"AS {name}, {name} AS {name}_text"
        )
    if _is_date(name):
        return f"TRY_CAST({name} AS DATE) AS {name}, {name} AS {name}_text"
    return name


def load(con: duckdb.DuckDBPyConnection, tables: dict[str, _Columns]) -> None:
    """Each table into the connection, typed: from the text tables read_tables filled (raw_<table>),
    or in one statement from the columns when they were read without a connection."""
    for name, columns in tables.items():
        names = columns.names
        typed = ", ".join(_typed(n) for n in names)
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = $1", [f"raw_{name}"]
        ).fetchone()
        if exists and exists[0]:
            _append(con, tables)
            con.execute(f"CREATE TABLE {name} AS SELECT {typed} FROM raw_{name}")
            con.execute(f"DROP TABLE raw_{name}")
            continue
        raw = ", ".join(f"unnest(${i + 1}::{_sql_type(n)}[]) AS {n}" for i, n in enumerate(names))
        cols = columns.cols
        con.execute(f"CREATE TABLE {name} AS SELECT {typed} FROM (SELECT {raw})", [cols[n] for n in names])


def census(con: duckdb.DuckDBPyConnection, header: dict, reference: dt.date | None, marks: dict) -> None:
    """A one-row table of the census's dates: the reference date (31 March), the start of the
    census year (the day after the previous reference date) and the working-day marks."""
    con.execute(
        "CREATE TABLE header AS SELECT " + ", ".join(f"${i + 1}::VARCHAR AS {f}" for i, f in enumerate(HEADER_FIELDS)),
        [header.get(f) for f in HEADER_FIELDS],
    )
    names = ["ref_date", "start_date", *marks]
    start = None
    if reference is not None:
        start = reference.replace(year=reference.year - 1) + dt.timedelta(days=1)
    values = [reference, start, *marks.values()]
    con.execute(
        "CREATE TABLE census AS SELECT " + ", ".join(f"${i + 1}::DATE AS {n}" for i, n in enumerate(names)), values
    )
