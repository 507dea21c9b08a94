"""The CIN census XML as columnar tables in a DuckDB database, for the rules to query.

The file is read once (lxml iterparse, no entities, no DTD, no network) and every value is
kept as the text the file holds, whether or not it is valid against the schema: the DfE's
rules judge the content, and a file that fails the schema still gets its content checked
(as Data to Insight's validator does). Dates are cast with TRY_CAST, so a malformed date is
NULL to the rules (the schema check reports it). Row numbers link the tables; `path` is the
element's XML path, for the finding's location.
"""

from __future__ import annotations

import csv
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
_CHILD_IDS = CHILD_FIELDS[1:-1]  # the child's columns after LAchildID, before Ethnicity


def is_date_field(name: str) -> bool:
    """Whether a census element holds a date (by the DfE's names)."""
    return "Date" in name or name == "InitialCPCtarget"


class _Columns:
    """Rows for one table, written as CSV to a file in the staging folder while the file streams past
    (the csv module's C writer, about a tenth of what handing Python lists to DuckDB cost), then read
    by DuckDB's CSV reader in `load`, so that memory stays flat whatever the file's size.

    An empty CSV field is read as NULL: the readers below give None, never '', for an empty value,
    except the assessment factor's code (`_FROM_EMPTY`), which is never None and is read back as ''."""

    def __init__(self, links: tuple[str, ...], values: tuple[str, ...], path: Path) -> None:
        self.names = (*links, "LAchildID", "path", *(v for v in values if v != "LAchildID"))
        self.path = path
        self._file = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed by close())
        self._write = self.write = csv.writer(self._file, lineterminator="\n").writerow  # write: a row in order

    def add(self, row: dict) -> None:
        self._write(map(row.get, self.names))

    def close(self) -> None:
        self._file.close()


# Columns whose empty text is '' (not NULL) to the rules: the reader below keeps it so.
_FROM_EMPTY = {("factor", "AssessmentFactors")}


def _leaves(el) -> dict:
    return {node.tag: (node.text or "").strip() or None for node in el if len(node) == 0}


def read_tables(path: str | Path, folder: Path) -> tuple[dict, dict[str, _Columns]]:
    """The header (field -> text) and every table, written to CSV files in `folder` as the file is
    read: `load` then types them into DuckDB."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnreadableReturn(f"{Path(path).name}: the file declares a DOCTYPE or entities; it was not read.")
    rows = RulesRows(folder)
    events = etree.iterparse(
        str(path), events=("end",), tag=("Header", "Child"), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        for _event, el in events:
            if el.tag == "Header":
                rows.add_header(el)
                continue
            rows.add_child(el)
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise UnreadableReturn(f"{Path(path).name}: not well-formed XML (line {exc.lineno}): {exc.msg}") from None
    finally:
        rows.close()
    if not rows.header.get("ReferenceDate") and not rows.counters["child"]:
        raise UnreadableReturn(f"{Path(path).name}: no CIN census <Header> or <Child> found; is it a CIN census?")
    return rows.header, rows.tables


class RulesRows:
    """The rules' tables written as a file is read, one child at a time: from the child's element
    (`add_child`, as read_tables reads), or from the values the census reader has taken out of it
    already (`start_child` ... `end_child`, decision 0073), which must be the same rows: the text of
    each leaf element, stripped, empty as None (`_leaves`)."""

    def __init__(self, folder: Path) -> None:
        self.tables = {name: _Columns(*spec, folder / f"{name}.csv") for name, spec in TABLES.items()}
        self.header: dict = {}
        self.counters = dict.fromkeys(("child", "cin", "assessment", "plan", "s47", "cpp"), 0)
        self._child = self._cin = 0  # the current child's and referral's row numbers
        self._la: str | None = None

    def add_header(self, el) -> None:
        for part in el:
            self.header.update(_leaves(part))

    def add_child(self, el) -> None:
        """A child read from its element."""
        self.counters["child"] += 1
        _child(el, self.counters, self.tables)

    # -- from the reader's values: each dict is tag -> stripped text (None when the element has none),
    # the elements of a child the schema has passed, so every one of them that is not a block is a leaf.
    # Rows are written as tuples in the columns' order (_Columns.names). Empty text is written as it is:
    # the CSV writer writes '' as it writes None (an empty field), which `load` reads as NULL.
    def start_child(self, ids: dict) -> None:
        self.counters["child"] += 1
        self._child = self.counters["child"]
        self._la = ids.get("LAchildID")

    def end_child(self, path: str, ids: dict, ethnicity: str | None, disabilities: list) -> None:
        n, la = self._child, self._la
        if disabilities:
            where, write = f"{path}/ChildCharacteristics/Disabilities", self.tables["disability"].write
            for code in disabilities:
                write((n, la, where, code))
        if ethnicity is None:  # no <Ethnicity> in the characteristics
            ethnicity = ids.get("Ethnicity")
        self.tables["child"].write((n, la, path, *map(ids.get, _CHILD_IDS), ethnicity))

    def start_cin(self) -> None:
        self.counters["cin"] += 1
        self._cin = self.counters["cin"]

    def cin(self, path: str, values: dict) -> None:
        self.tables["cin"].write((self._child, self._cin, self._la, path, *map(values.get, CIN_FIELDS)))

    def assessment(self, path: str, values: dict, factors: list) -> None:
        self.counters["assessment"] += 1
        n, c, a, la = self._child, self._cin, self.counters["assessment"], self._la
        self.tables["assessment"].write((n, c, a, la, path, *map(values.get, ASSESSMENT_FIELDS)))
        if factors:
            where, write = f"{path}/FactorsIdentifiedAtAssessment", self.tables["factor"].write
            for code in factors:
                write((n, c, a, la, where, code))

    def cin_plan(self, path: str, values: dict) -> None:
        self.counters["plan"] += 1
        row = (self._child, self._cin, self.counters["plan"], self._la, path, *map(values.get, PLAN_FIELDS))
        self.tables["cin_plan"].write(row)

    def section47(self, path: str, values: dict) -> None:
        self.counters["s47"] += 1
        row = (self._child, self._cin, self.counters["s47"], self._la, path, *map(values.get, S47_FIELDS))
        self.tables["s47"].write(row)

    def cp_plan(self, path: str, values: dict, reviews: list) -> None:
        self.counters["cpp"] += 1
        n, c, k, la = self._child, self._cin, self.counters["cpp"], self._la
        self.tables["cpp"].write((n, c, k, la, path, *map(values.get, CPP_FIELDS)))
        if reviews:
            where, write = f"{path}/Reviews", self.tables["review"].write
            for date in reviews:
                write((n, c, k, la, where, date))

    def close(self) -> None:
        for columns in self.tables.values():
            columns.close()


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


def _typed(name: str, from_empty: bool = False) -> str:
    """The column as the rules see it: dates as DATE, yes/no as BOOLEAN (NULL when missing or not 0/1/true/false)."""
    if from_empty:
        return f"coalesce({name}, '') AS {name}"
    if name in YES_NO:
        return (
            f"CASE WHEN lower({name}) IN ('1', 'true') THEN true WHEN lower({name}) IN ('0', 'false') THEN false END "
            f"AS {name}, {name} AS {name}_text"
        )
    if is_date_field(name):
        return f"TRY_CAST({name} AS DATE) AS {name}, {name} AS {name}_text"
    return name


def load(con: duckdb.DuckDBPyConnection, tables: dict[str, _Columns], keep: bool = False) -> None:
    """Each table into the connection, typed, from the CSV file read_tables wrote (in the file's order);
    the file removed then, unless `keep`."""
    for name, columns in tables.items():
        names = columns.names
        typed = ", ".join(_typed(n, (name, n) in _FROM_EMPTY) for n in names)
        types = ", ".join(f"'{n}': '{_sql_type(n)}'" for n in names)
        con.execute(
            f"CREATE TABLE {name} AS SELECT {typed} FROM read_csv('{_quoted(columns.path)}', columns = {{{types}}}, "
            "header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', nullstr = '')"
        )
        if not keep:
            columns.path.unlink()


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


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
