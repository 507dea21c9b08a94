"""For each DfE SSDA903 rule of returns/ssda903/rules/lastyear.py (against last year's return)
and social_worker.py (SW*): a child that breaks it and the nearest child that does not, from the
DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds its cases (collection 2025-26,
the same plain child: looked after from 1 May 2025, foster care U1 with PR1, legal status C2, N1)
and merged into its CASES.

`Episodes_last`, `PlacedAdoption_last`, `Missing_last`, `OC3_last` and `UASC_last` rows are the
child's rows in last year's return (2024-25), and `Header_last` what last year's header says
differently from this year's; ssda903_rule_cases.previous_tables() writes them as a return of its
own. `SWEpisodes` rows are this year's social worker episodes."""

from __future__ import annotations

from returns.tests.ssda903_permanence_cases import OC3
from returns.tests.ssda903_rule_cases import CLOSED, EPISODE, MISSING, case, two

# Last year's episode, still open at 31 March 2025, with the plain child's codes.
LAST = {**EPISODE, "DECOM": "01/05/2024"}
ENDED = {"DEC": "31/03/2025", "REC": "E13"}  # last year's episode ended on the last day of last year
TEEN_CARE = {**LAST, "DECOM": "01/12/2024", "DEC": "01/03/2025", "REC": "E13"}  # 90 days, after the 16th birthday


def carried(last: dict | list[dict], **first) -> dict:
    """The plain child whose first episode this year has `first`, and last year's episodes."""
    rows = last if isinstance(last, list) else [last]
    return case(episodes=[first], Episodes_last=[{**LAST, **row} for row in rows])


def headers(now: dict, last: dict) -> dict:
    """The plain child whose header says `now` this year and `last` in last year's return."""
    return case(now, Header_last=[last])


def placed(now: dict, *last: dict) -> dict:
    """The plain child with this year's decision to place for adoption `now` and last year's `last`."""
    return case(PlacedAdoption=[now], PlacedAdoption_last=list(last))


DECIDED = {"DATE_PLACED": "01/03/2025"}  # decided last year
CHANGED = {**DECIDED, "DATE_PLACED_CEASED": "15/03/2025", "REASON_PLACED_CEASED": "RD1"}  # and changed last year


# A social worker since the child came into care, still allocated.
SW = {"SW_ID": "SW1234", "SW_DECOM": "01/05/2025", "SW_DEC": "", "SW_REASON": "FCONTA"}


def workers(*rows: dict, **episode) -> dict:
    return case(episodes=[episode], SWEpisodes=[{**SW, **row} for row in rows])


def handover(second: str, reason: str = "MANAGE", first_end: str = "01/06/2025") -> dict:
    """A first social worker from 1 May 2025 to `first_end`, a second from `second`."""
    return workers({"SW_DEC": first_end}, {"SW_DECOM": second, "SW_REASON": reason})


LASTYEAR_CASES: dict[str, tuple[dict, dict]] = {
    "503A": (carried({"RNE": "P"}), carried({"RNE": "P", **ENDED})),  # an ended episode is not carried on
    "503B": (  # last year's latest episode is the one compared, not an earlier one
        carried([{"LS": "C1"}]),
        carried([{"LS": "C1", "DEC": "01/06/2024", "REC": "X1"}, {"DECOM": "01/06/2024", "RNE": "P"}], RNE="P"),
    ),
    "503C": (carried({}, CIN=""), carried({"CIN": ""}, CIN="")),  # blank against N1; blank against blank
    "503D": (  # Z1 became Z11-Z14 in 2025-26 (allowed); H5 became K3 in 2024-25 (allowed then only)
        carried({"PLACE": "H5"}, PLACE="K3"),
        carried({"PLACE": "Z1"}, PLACE="Z12"),
    ),
    "503E": (  # the first episode this year is compared, not a later one
        case(episodes=two({**CLOSED, "PLACE_PROVIDER": "PR2"}, {}), Episodes_last=[LAST]),
        case(episodes=two(CLOSED, {"PLACE_PROVIDER": "PR2"}), Episodes_last=[LAST]),
    ),
    "503F": (carried({"URN": "1234567"}), carried({"URN": "1234567"}, URN="1234567")),
    "502": (carried({}, DECOM="02/05/2024"), carried({}, DECOM="01/05/2024")),  # the open episode's start
    "562": (  # a first episode from before 1 April that last year's return does not end with
        case(episodes=[{"DECOM": "01/05/2024"}]),
        carried({}, DECOM="01/05/2024"),
    ),
    "202": (headers({"SEX": "F"}, {"SEX": "M"}), headers({"SEX": "F"}, {"SEX": "f"})),
    "203": (headers({}, {"DOB": "02/01/2010"}), headers({}, {"DOB": "01/01/2010"})),
    "204": (headers({"ETHNIC": "WBRI"}, {"ETHNIC": "WIRI"}), headers({"ETHNIC": "WBRI"}, {"ETHNIC": "wbri"})),
    "207": (  # once a mother, always one; becoming one is no contradiction
        headers({"MOTHER": "0"}, {"MOTHER": "1"}),
        headers({"MOTHER": "1", "MC_DOB": "01/02/2025"}, {"MOTHER": "0"}),
    ),
    "208": (  # an unknown code may change from UN1, not from another
        headers({"UPN": "UN3"}, {"UPN": "UN2"}),
        headers({"UPN": "UN3"}, {"UPN": "UN1"}),
    ),
    "624": (  # the first child's date of birth, recorded last year, cannot change
        headers({"MOTHER": "1", "MC_DOB": "01/02/2025"}, {"MC_DOB": "02/02/2025"}),
        headers({"MOTHER": "1", "MC_DOB": "01/02/2025"}, {"MC_DOB": "01/02/2025"}),
    ),
    "626": (  # not a mother last year, but the first child was born before 1 April; or on it
        headers({"MOTHER": "1", "MC_DOB": "31/03/2025"}, {"MOTHER": "0", "MC_DOB": ""}),
        headers({"MOTHER": "1", "MC_DOB": "01/04/2025"}, {"MOTHER": "0", "MC_DOB": ""}),
    ),
    "205D": (  # UASC this year (a row in the UASC table), in last year's return but not UASC there
        case(UASC=[{"DUC": ""}], Header_last=[{}]),
        case(UASC=[{"DUC": ""}], UASC_last=[{"DUC": ""}]),
    ),
    "205A": (  # UASC last year, no UASC row this year: last year's DUC must say it ceased last year
        case(UASC_last=[{"DUC": "01/06/2025"}]),  # ceasing in June 2025: still UASC this year
        case(UASC_last=[{"DUC": "31/03/2025"}]),
    ),
    "205B": (  # UASC in both years: last year's DUC cannot say it ceased before this year
        case(UASC=[{"DUC": ""}], UASC_last=[{"DUC": "31/03/2025"}]),
        case(UASC=[{"DUC": ""}], UASC_last=[{"DUC": "01/04/2025"}]),
    ),
    "559": (  # a decision before 1 April that last year's return does not hold; one on 1 April
        placed({"DATE_PLACED": "31/03/2025"}),
        placed({"DATE_PLACED": "01/04/2025"}),
    ),
    "560": (placed({"DATE_PLACED": "02/03/2025"}, DECIDED), placed({"DATE_PLACED": "02/03/2025"}, CHANGED)),
    "561": (placed(DECIDED, CHANGED), placed(DECIDED, DECIDED)),
    "584": (  # last year's decision changed: a decision this year must be later than it
        placed(DECIDED, CHANGED),
        placed({"DATE_PLACED": "02/03/2025"}, CHANGED),
    ),
    "576": (  # a missing period open at the end of last year must be this year's first
        case(Missing=[MISSING], Missing_last=[{**MISSING, "MIS_START": "30/03/2025", "MIS_END": ""}]),
        case(
            Missing=[{**MISSING, "MIS_START": "30/03/2025", "MIS_END": "02/04/2025"}, MISSING],
            Missing_last=[{**MISSING, "MIS_START": "30/03/2025", "MIS_END": ""}],
        ),
    ),
    "1010": (  # care leaver data, no episode this year, and last year's latest episode open; or ended
        case(episodes=[], OC3=[OC3], Episodes_last=[LAST]),
        case(episodes=[], OC3=[OC3], Episodes_last=[{**LAST, **ENDED}]),
    ),
    "348": (  # reported as having died last year; the nearest: died this year too
        case(episodes=[], OC3=[OC3], OC3_last=[{**OC3, "IN_TOUCH": "DIED"}]),
        case(episodes=[], OC3=[{**OC3, "IN_TOUCH": "Died"}], OC3_last=[{**OC3, "IN_TOUCH": "DIED"}]),
    ),
    "SW02STG1": (workers({"SW_ID": "SW1"}), workers({"SW_ID": "XX12"})),  # at least 4 characters from 2025-26
    "SW04STG1": (workers({"SW_DECOM": "2025-05-01"}), workers({"SW_DECOM": ""})),
    "SW05STG1": (workers({"SW_DEC": "31/02/2026"}), workers({"SW_DEC": "28/02/2026"})),
    "SW06STG2": (workers({"SW_DECOM": "01/04/2026"}), workers({"SW_DECOM": "31/03/2026"})),
    "SW07STG2": (  # the reporting period opens on 1 April of the previous year
        workers({"SW_DECOM": "01/01/2024", "SW_DEC": "31/03/2024"}),
        workers({"SW_DECOM": "01/01/2024", "SW_DEC": "01/04/2024"}),
    ),
    "SW08STG2": (handover("01/06/2025", first_end=""), handover("01/06/2025")),
    "SW09STG2": (workers({"SW_DEC": "03/05/2025"}), workers({"SW_DEC": "04/05/2025"})),  # 2 days; 3 days
    "SW10STG2": (handover("09/06/2025"), handover("08/06/2025")),  # 8 days after the previous ended; 7
    "SW10aSTG2": (handover("24/05/2025"), handover("25/05/2025")),  # 8 days before; 7
    "SW10bSTG2": (handover("01/06/2025", "FCONTA"), handover("02/06/2025", "FCONTA")),
    "SW11bSTG2": (workers({"SW_DEC": "26/03/2026"}), workers({"SW_DEC": "25/03/2026"})),  # 5 days before 31 March; 6
    # Looked after on 31 March with no social worker reported; one from before care began is reported, as asked.
    "SW12STG2": (workers(), workers({"SW_DECOM": "30/04/2025"})),
    "SW13STG1": (
        workers({"SW_DECOM": "01/04/2023", "SW_REASON": ""}),  # required from 1 April 2023
        workers({"SW_DECOM": "31/03/2023", "SW_REASON": ""}),
    ),
    "SW17STG2": (  # the latest episode (by start) is the one that must be open
        workers({"SW_DEC": "01/03/2026"}),
        workers({"SW_DECOM": "01/03/2026"}, {"SW_DEC": "01/03/2026"}),
    ),
    "SW18STG2": (workers({"SW_DEC": "01/05/2025"}), workers({"SW_DEC": "02/05/2025"})),  # the same day is not after
    "SW19STG2": (workers({}, {"SW_DEC": "01/06/2025"}), workers({"SW_DEC": "01/06/2025"}, {"SW_DECOM": "01/06/2025"})),
    # The child's history (rules/history.py): this year's return and last year's.
    "392b": (  # a postcode missing; the nearest: both missing, but the child was UASC last year
        case(episodes=[{"HOME_POST": "TW9 2BB"}]),
        case(UASC_last=[{"DUC": ""}]),
    ),
    "199": (  # an episode after last year's adoption; the nearest: the adoption is the latest episode
        case(Episodes_last=[{**LAST, "DEC": "01/06/2024", "REC": "E12"}]),
        case(episodes=[{"DEC": "01/06/2025", "REC": "E11"}]),
    ),
    "1000": (  # care leaver information for a child who died in care last year; or went home
        case(episodes=[], OC3=[OC3], Episodes_last=[{**LAST, "DEC": "01/06/2024", "REC": "E2"}]),
        case(episodes=[], OC3=[OC3], Episodes_last=[{**LAST, "DEC": "01/06/2024", "REC": "E4A"}]),
    ),
    "1001": (  # 17 on 1 June 2025: looked after 90 days since the 14th birthday, not 13 weeks; or 91
        case({"DOB": "01/06/2008"}, episodes=[], OC3=[OC3], Episodes_last=[TEEN_CARE]),
        case({"DOB": "01/06/2008"}, episodes=[], OC3=[OC3], Episodes_last=[{**TEEN_CARE, "DEC": "02/03/2025"}]),
    ),
    "1002": (  # care leaver information with no episode in either year; or one last year
        case(episodes=[], OC3=[OC3]),
        case(episodes=[], OC3=[OC3], Episodes_last=[{**LAST, **ENDED}]),
    ),
}


# The rules on the XML form's UASC status item (105, 303): the header items each child's XML header
# adds (returns/tests/test_ssda903_lastyear.py writes them as XML; the CSV tables have no such item).
XML_CASES: dict[str, tuple[dict, dict]] = {
    "105": ({"UASC": ""}, {"UASC": "0"}),  # not completed; the nearest: coded 0
    "303": ({"UASC": "0", "DUC": "01/06/2025"}, {"UASC": "1", "DUC": "01/06/2025"}),
}

# The XML form's header items this year and last year (code -> ((now, last) breaks it, (now, last) does not)):
# 205C cannot be broken in CSV tables, where a DUC is in a UASC row and the row is the status.
XML_LASTYEAR_CASES: dict[str, tuple[tuple[dict, dict], tuple[dict, dict]]] = {
    "205C": (  # UASC in neither year, a DUC last year; the nearest: UASC last year, ceased then
        ({"UASC": "0"}, {"UASC": "0", "DUC": "01/06/2024"}),
        ({"UASC": "0"}, {"UASC": "1", "DUC": "01/06/2024"}),
    ),
}
