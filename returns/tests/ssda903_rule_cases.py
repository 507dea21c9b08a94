"""For each DfE SSDA903 rule Line of Sight implements: a child that breaks it and the nearest
child that does not, from the DfE's wording (collection 2025-26: 1 April 2025 to 31 March 2026).
Used by test_ssda903_rules.py and, as one return, by bench/agreement_903.py.

A case is (header changes, episodes, other tables' rows); every child starts from a plain one:
a girl born 1 January 2010, looked after from 1 May 2025 under a care order in foster care."""

from __future__ import annotations

import csv
import io

from returns.ssda903.reader import TABLES

YEAR = 2026
HEADER = {"SEX": "F", "DOB": "01/01/2010", "ETHNIC": "WBRI", "UPN": "A123456789012", "MOTHER": "0", "MC_DOB": ""}
EPISODE = {
    "DECOM": "01/05/2025",
    "RNE": "S",
    "LS": "C2",
    "CIN": "N1",
    "PLACE": "U1",
    "PLACE_PROVIDER": "PR1",
    "DEC": "",
    "REC": "",
    "REASON_PLACE_CHANGE": "",
    "HOME_POST": "",
    "PL_POST": "",
    "URN": "",
}
CLOSED = {"DEC": "01/06/2025", "REC": "X1", "REASON_PLACE_CHANGE": "CARPL"}
REVIEW = {"REVIEW": "01/06/2025", "REVIEW_CODE": "PN1"}
MISSING = {"MISSING": "M", "MIS_START": "01/06/2025", "MIS_END": "02/06/2025"}


def case(header=None, episodes=None, **tables) -> dict:
    return {"header": header or {}, "episodes": episodes if episodes is not None else [{}], "tables": tables}


def two(first: dict, second: dict) -> list[dict]:
    """Two episodes: the first from 1 May 2025, the second from 1 June 2025 (a change of placement)."""
    return [first, {"DECOM": "01/06/2025", "RNE": "P", **second}]


# code -> (breaks it, does not)
CASES: dict[str, tuple[dict, dict]] = {
    "101": (case({"SEX": "2"}), case({"SEX": "U"})),  # M, F or U from 2024-25
    "102": (case({"DOB": "2010-01-01"}), case({"DOB": "31/12/2009"})),
    "103": (case({"ETHNIC": "WXYZ"}), case({"ETHNIC": "WIRI"})),
    "168": (case({"UPN": "I123456789012"}), case({"UPN": "UN3"})),  # I, O and S are not check letters
    "171": (case({"MOTHER": "1", "MC_DOB": "30/02/2024"}), case({"MOTHER": "1", "MC_DOB": "28/02/2024"})),
    "166": (case(Reviews=[{**REVIEW, "REVIEW": "2025-06-01"}]), case(Reviews=[REVIEW])),
    "167": (case(Reviews=[{**REVIEW, "REVIEW_CODE": "PN9"}]), case(Reviews=[{**REVIEW, "REVIEW_CODE": "PN0"}])),
    "564": (case(Missing=[{**MISSING, "MIS_START": ""}]), case(Missing=[MISSING])),
    "565": (case(Missing=[{**MISSING, "MISSING": ""}]), case(Missing=[{**MISSING, "MISSING": "A"}])),
    "570": (
        case(Missing=[{**MISSING, "MIS_START": "01/04/2026", "MIS_END": ""}]),
        case(Missing=[{**MISSING, "MIS_START": "31/03/2026", "MIS_END": ""}]),
    ),
    "141": (case(episodes=[{"DECOM": "2025-05-01"}]), case(episodes=[{"DECOM": "1/5/2025"}])),
    "143": (case(episodes=[{"RNE": "X"}]), case(episodes=[{"RNE": "B"}])),
    "144": (case(episodes=[{"LS": "C3"}]), case(episodes=[{"LS": "C1"}])),
    "145": (case(episodes=[{"CIN": "N9"}]), case(episodes=[{"CIN": "N8"}])),
    "146": (case(episodes=[{"PLACE": "H5"}]), case(episodes=[{"PLACE": "K3"}])),  # H5 withdrawn in 2025-26
    "149": (case(episodes=[{**CLOSED, "REC": "E99"}]), case(episodes=[{**CLOSED, "REC": "E13"}])),
    "142": (case(episodes=two({}, {})), case(episodes=two(CLOSED, {}))),
    "148": (case(episodes=[{"DEC": "01/06/2025"}]), case(episodes=[{"DEC": "01/06/2025", "REC": "E13"}])),
    "302": (
        case({"DOB": "02/05/2025"}, episodes=[{}]),
        case({"DOB": "01/05/2025"}, episodes=[{}]),  # looked after from the day of birth
    ),
    "353": (
        case({"DOB": "01/01/1990"}, episodes=[{"DECOM": "13/10/1991"}]),
        case({"DOB": "01/01/1990"}, episodes=[{"DECOM": "14/10/1991"}]),
    ),
    "354": (case(episodes=[{"DECOM": "01/04/2026"}]), case(episodes=[{"DECOM": "31/03/2026"}])),
    "355": (
        case(episodes=[{"DEC": "01/05/2025", "REC": "E13"}]),
        case(episodes=[{"DEC": "02/05/2025", "REC": "E13"}]),
    ),
    "356": (
        case(episodes=[{"DEC": "30/04/2025", "REC": "E13"}]),
        case(episodes=[{"DEC": "02/05/2025", "REC": "E13"}]),
    ),
    "385": (
        case(episodes=[{"DEC": "01/04/2026", "REC": "E13"}]),
        case(episodes=[{"DEC": "31/03/2026", "REC": "E13"}]),
    ),
    "358": (
        case({"DOB": "02/05/2015"}, episodes=[{"LS": "J2"}]),  # 9 on 1 May 2025
        case({"DOB": "30/04/2015"}, episodes=[{"LS": "J2"}]),  # 10
    ),
    "408": (case(episodes=[{"PLACE": "A5", "LS": "C2"}]), case(episodes=[{"PLACE": "A5", "LS": "E1"}])),
    "501": (
        case(episodes=two({**CLOSED, "DEC": "02/06/2025"}, {})),
        case(episodes=two(CLOSED, {})),  # the next episode may start on the day the previous one ends
    ),
    "527": (case(episodes=[{"PLACE": "R2"}]), case(episodes=[{"PLACE": "R1"}])),
    "528": (
        case(episodes=[{"PLACE": "R5", "PLACE_PROVIDER": "PR2"}]),
        case(episodes=[{"PLACE": "R1", "PLACE_PROVIDER": "PR2"}]),
    ),
    "529": (
        case(episodes=[{"PLACE": "K1", "PLACE_PROVIDER": "PR3"}]),
        case(episodes=[{"PLACE": "R1", "PLACE_PROVIDER": "PR3"}]),
    ),
    "530": (
        case(episodes=[{"PLACE": "P1", "PLACE_PROVIDER": "PR4"}]),
        case(episodes=[{"PLACE": "U4", "PLACE_PROVIDER": "PR4"}]),
    ),
    "531": (
        case(episodes=[{"PLACE": "P1", "PLACE_PROVIDER": "PR5"}]),
        case(episodes=[{"PLACE": "U4", "PLACE_PROVIDER": "PR5"}]),
    ),
    "550": (
        case(episodes=[{"PLACE": "U1", "PLACE_PROVIDER": "PR0"}]),
        case(episodes=[{"PLACE": "P1", "PLACE_PROVIDER": "PR0"}]),
    ),
    "551": (
        case(episodes=[{"PLACE": "A3"}]),
        case(episodes=[{"PLACE": "A3"}], PlacedAdoption=[{"DATE_PLACED": "01/04/2025"}]),
    ),
    "222": (
        case(episodes=[{"PLACE": "R1", "URN": "1234567"}]),
        case(episodes=[{"PLACE": "R1", "URN": "XXXXXXX"}]),
    ),
    "225": (
        case(episodes=two({**CLOSED, "REASON_PLACE_CHANGE": ""}, {"PLACE": "U2"})),
        case(episodes=two(CLOSED, {"PLACE": "U2"})),
    ),
    "372": (
        case({"DOB": "02/05/2015"}, episodes=[{"PLACE": "R5"}]),  # 9 when the episode began
        case({"DOB": "01/05/2015"}, episodes=[{"PLACE": "R5"}]),  # 10 that day
    ),
    "373": (
        case({"DOB": "02/05/2021"}, episodes=[{"PLACE": "S1"}]),
        case({"DOB": "01/05/2021"}, episodes=[{"PLACE": "S1"}]),
    ),
    "374": (
        case({"DOB": "02/05/2011"}, episodes=[{"PLACE": "P3"}]),
        case({"DOB": "01/05/2011"}, episodes=[{"PLACE": "P3"}]),
    ),
    "375": (
        case(episodes=[{**CLOSED, "PLACE": "T1", "DEC": "13/06/2025"}]),  # 43 days
        case(episodes=[{**CLOSED, "PLACE": "T1", "DEC": "12/06/2025"}]),  # six weeks
    ),
    "379": (
        case(episodes=[{**CLOSED, "PLACE": "T4", "DEC": "09/05/2025"}]),
        case(episodes=[{**CLOSED, "PLACE": "T4", "DEC": "08/05/2025"}]),
    ),
    "378": (case(episodes=[{"PLACE": "P1", "LS": "V2"}]), case(episodes=[{"PLACE": "P1", "LS": "C2"}])),
    "380": (case(episodes=[{"PLACE": "T2", "RNE": "S"}]), case(episodes=[{"PLACE": "T2", "RNE": "P"}])),
    "381": (
        case(episodes=[{"PLACE": "T2", "RNE": "P", "DEC": "05/05/2025", "REC": "E13"}]),
        case(episodes=[{"PLACE": "T2", "RNE": "P", "DEC": "05/05/2025", "REC": "X1"}]),
    ),
    "382": (case(episodes=[{"LS": "V3", "PLACE": "T0"}]), case(episodes=[{"LS": "V3", "PLACE": "U3"}])),
    "384": (case(episodes=[{"LS": "V4", "PLACE": "U4"}]), case(episodes=[{"LS": "V4", "PLACE": "U3"}])),
    "431": (
        case(episodes=two({**CLOSED, "REC": "E13"}, {"RNE": "S"})),
        case(episodes=two({**CLOSED, "REC": "E13"}, {"RNE": "S", "DECOM": "02/06/2025"})),
    ),
    "434": (
        case(episodes=two(CLOSED, {"RNE": "L"})),  # the legal status did not change
        case(episodes=two(CLOSED, {"RNE": "L", "LS": "C1"})),
    ),
    "436": (
        case(episodes=two(CLOSED, {"RNE": "U", "LS": "C1"})),  # the placement did not change
        case(episodes=two(CLOSED, {"RNE": "U", "LS": "C1", "PLACE": "U2"})),
    ),
    "104": (case(UASC=[{"DUC": "31/03/2025"}]), case(UASC=[{"DUC": "01/04/2025"}])),
    "158": (
        case(OC2=[{"SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "1", "INTERVENTION_OFFERED": "0"}]),
        case(OC2=[{"SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "1", "INTERVENTION_OFFERED": ""}]),
    ),
    "441": (
        case({"DOB": "02/06/2021"}, Reviews=[REVIEW]),  # PN1 at 3
        case({"DOB": "01/06/2021"}, Reviews=[REVIEW]),  # at 4
    ),
    "131": (
        case(OC3=[{"IN_TOUCH": "MAYBE", "ACTIV": "F1", "ACCOM": "B1"}]),
        case(OC3=[{"IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"}]),
    ),
    "133": (
        case(OC3=[{"IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "Q9"}]),
        case(OC3=[{"IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "Z2"}]),
    ),
    "217": (case(episodes=[{"PLACE": "A3", "RNE": "P"}]), case(episodes=[{"PLACE": "A3", "RNE": "T"}])),
    "389": (
        case({"DOB": "02/06/2009"}, episodes=[{"DEC": "01/06/2025", "REC": "E7"}]),  # 15 when care ceased
        case({"DOB": "01/06/2009"}, episodes=[{"DEC": "01/06/2025", "REC": "E7"}]),  # 16 that day
    ),
    "390": (
        case(episodes=[{"PLACE": "U1", "DEC": "01/06/2025", "REC": "E11"}]),
        case(episodes=[{"PLACE": "A4", "DEC": "01/06/2025", "REC": "E11"}]),
    ),
    "542": (
        case({"DOB": "01/04/2016"}, OC2=[{"CONVICTED": "0"}]),  # 9 on 31 March 2026
        case({"DOB": "31/03/2016"}, OC2=[{"CONVICTED": "0"}]),  # 10
    ),
    "460": (
        case({"DOB": "02/06/2007"}, episodes=[{"DEC": "01/06/2025", "REC": "E17"}]),  # 17
        case({"DOB": "01/06/2007"}, episodes=[{"DEC": "01/06/2025", "REC": "E17"}]),  # 18 that day
    ),
    "351": (
        case({"DOB": "31/03/2000"}, episodes=[{"DECOM": "01/05/2018"}]),  # 25 before 1 April 2025
        case({"DOB": "01/04/2000"}, episodes=[{"DECOM": "01/05/2018"}]),  # 25 on that day
    ),
}


# The cases of the other rule modules, each in its own file (they use case() and two() above).
from returns.tests.ssda903_child_cases import CHILD_RECORDS_CASES  # noqa: E402
from returns.tests.ssda903_lastyear_cases import LASTYEAR_CASES, XML_CASES, XML_LASTYEAR_CASES  # noqa: E402, F401
from returns.tests.ssda903_permanence_cases import PERMANENCE_CASES  # noqa: E402
from returns.tests.ssda903_placement_cases import PLACEMENT_CASES  # noqa: E402

for _more in (CHILD_RECORDS_CASES, PERMANENCE_CASES, PLACEMENT_CASES, LASTYEAR_CASES):
    if set(_more) & set(CASES):
        raise ValueError(f"rule cases given twice: {sorted(set(_more) & set(CASES))}")
    CASES.update(_more)


def child_id(code: str, breaks: bool) -> str:
    return f"{'F' if breaks else 'P'}{code}"


def tables(cases: dict[str, tuple[dict, dict]] | None = None) -> dict[str, list[dict]]:
    """The rows of every table, by the DfE's table name, for one return holding every case (and, as
    "Episodes_last", the cases' episodes in last year's return: previous_tables())."""
    out: dict[str, list[dict]] = {name: [] for name in TABLES}
    for n, (code, pair) in enumerate((cases or CASES).items()):
        for breaks, spec in zip((True, False), pair, strict=True):
            child = child_id(code, breaks)
            upn = f"A{n * 2 + breaks:012d}"  # each child its own UPN (a UPN given twice is an error)
            head = {**HEADER, "UPN": upn, **spec["header"], "CHILD": child}
            out["Header"].append(head)
            for ep in spec["episodes"]:
                out["Episodes"].append({**EPISODE, **ep, "CHILD": child})
            for name, rows in spec["tables"].items():
                out.setdefault(name, [])
                out[name] += [{"CHILD": child, "DOB": head["DOB"], **row} for row in rows]
    return out


def csv_text(name: str, rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = TABLES[name].names
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def agreement_tables() -> dict[str, str]:
    """The return's CSV files (file name -> text); a table with no rows is left out."""
    return {TABLES[name].file: csv_text(name, rows) for name, rows in tables().items() if rows and name in TABLES}


def previous_tables(cases: dict[str, tuple[dict, dict]] | None = None) -> dict[str, str]:
    """Last year's return for the cases that give last year's rows (Episodes_last, Header_last,
    PlacedAdoption_last, Missing_last, OC3_last, UASC_last): those rows, and the header rows of their children
    (this year's, with what Header_last changes); {} when no case gives any."""
    rows = tables(cases)
    names = ("Header", "Episodes", "PlacedAdoption", "Missing", "OC3", "UASC")
    last = {name: rows.get(f"{name}_last", []) for name in names}
    children = {r["CHILD"] for table in last.values() for r in table}
    if not children:
        return {}
    changed = {r["CHILD"]: r for r in last["Header"]}
    last["Header"] = [{**r, **changed.get(r["CHILD"], {})} for r in rows["Header"] if r["CHILD"] in children]
    return {TABLES[name].file: csv_text(name, table) for name, table in last.items() if table}
