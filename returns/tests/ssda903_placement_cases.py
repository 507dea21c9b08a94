"""For each DfE SSDA903 rule of returns/ssda903/rules/placement.py: a child that breaks it and the nearest child
that does not, from the DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds its cases
(collection 2025-26, the same plain child), and merged into its CASES."""

from __future__ import annotations

from returns.tests.ssda903_rule_cases import CLOSED, MISSING, case, two

OC3 = {"IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"}
# Looked after continuously through 2025-26: in care from 1 April 2024, still in care.
ALL_YEAR = [{"DECOM": "01/04/2024"}]


def protected(status: str, until: str) -> list[dict]:
    """Two episodes under a short-term legal status, one following on from the other: 1 to 3 May 2025,
    then (a change of placement) 3 May to `until`, when care ends."""
    return [
        {"LS": status, "DEC": "03/05/2025", "REC": "X1", "REASON_PLACE_CHANGE": "CARPL"},
        {"DECOM": "03/05/2025", "RNE": "P", "LS": status, "PLACE": "U2", "DEC": until, "REC": "E13"},
    ]


BREAK = {"DEC": "03/05/2025", "REC": "E13"}  # a short break, ended


def respite(until: str) -> list[dict]:
    """Two respite (V3) episodes: 1 May to 10 June 2025 (40 days), then 1 July to `until`."""
    return [
        {"LS": "V3", "DEC": "10/06/2025", "REC": "E13"},
        {"DECOM": "01/07/2025", "LS": "V3", "DEC": until, "REC": "E13"},
    ]


def holidays(times: int) -> list[dict]:
    """Foster care (U1) from 1 May 2025, with a week's temporary placement (T3, the carers' holiday) from
    the 1st of each month from June, back to the same placement after each; still in care."""
    ended = {"REC": "X1"}  # a new episode follows; no reason for a change to or from a temporary placement
    episodes = [{"DEC": "01/06/2025", **ended}]
    for month in range(6, 6 + times):
        episodes.append(
            {
                "DECOM": f"01/{month:02d}/2025",
                "RNE": "P",
                "PLACE": "T3",
                "PLACE_PROVIDER": "",
                "DEC": f"08/{month:02d}/2025",
                **ended,
            }
        )
        episodes.append({"DECOM": f"08/{month:02d}/2025", "RNE": "P", "DEC": f"01/{month + 1:02d}/2025", **ended})
    episodes[-1] = {"DECOM": episodes[-1]["DECOM"], "RNE": "P"}
    return episodes


# code -> (breaks it, does not)
PLACEMENT_CASES: dict[str, tuple[dict, dict]] = {
    "1009": (
        case(episodes=[{**CLOSED, "REASON_PLACE_CHANGE": "CUSTODY"}]),
        case(episodes=[{**CLOSED, "REASON_PLACE_CHANGE": "CUSTOD"}]),
    ),
    "1012": (  # no episode: missing-episode data is not for the child, care leaver data is
        case(episodes=[], Missing=[MISSING]),
        case(episodes=[], OC3=[OC3]),
    ),
    "147": (
        case(episodes=[{"DEC": "31/06/2025", "REC": "E13"}]),
        case(episodes=[{"DEC": "30/06/2025", "REC": "E13"}]),
    ),
    "157": (
        case({"DOB": "31/03/2010"}, episodes=ALL_YEAR, OC2=[{"SDQ_REASON": "SDQ1"}]),  # 16 on 31 March 2026
        case({"DOB": "30/03/2010"}, episodes=ALL_YEAR, OC2=[{"SDQ_REASON": "SDQ1"}]),  # 16 the day before
    ),
    "178": (
        case(episodes=[{"PLACE": "T3", "RNE": "P"}]),  # a temporary placement has no provider
        case(episodes=[{"PLACE": "T3", "RNE": "P", "PLACE_PROVIDER": ""}]),
    ),
    "197B": (
        case({"DOB": "31/03/2009"}, episodes=ALL_YEAR, OC2=[{"HEALTH_CHECK": "1"}]),  # 17 on 31 March 2026
        case({"DOB": "01/04/2009"}, episodes=ALL_YEAR, OC2=[{"HEALTH_CHECK": "1"}]),  # 17 on 1 April 2026
    ),
    "213": (
        case(episodes=[{"PLACE": "Z13", "PLACE_PROVIDER": "PR2"}]),
        case(episodes=[{"PLACE": "Z13", "PLACE_PROVIDER": ""}]),
    ),
    "214": (
        case(episodes=[{"LS": "V4", "URN": "SC123456"}]),
        case(episodes=[{"LS": "V2", "URN": "SC123456"}]),
    ),
    "226": (  # the episode before the temporary placement gives a reason
        case(episodes=two(CLOSED, {"PLACE": "T1"})),
        case(episodes=two({**CLOSED, "REASON_PLACE_CHANGE": ""}, {"PLACE": "T1"})),
    ),
    "233": (case(episodes=[{"REASON_PLACE_CHANGE": "CARPL"}]), case(episodes=[CLOSED])),
    "242": (case(episodes=[{"PLACE": "K2", "URN": "XXXXXXX"}]), case(episodes=[{"PLACE": "U6", "URN": "XXXXXXX"}])),
    "336": (
        case(episodes=two({**CLOSED, "PLACE": "K2"}, {"PLACE": "A5", "LS": "E1"})),
        case(episodes=two({**CLOSED, "PLACE": "U3"}, {"PLACE": "A5", "LS": "E1"})),
    ),
    "357": (
        case(episodes=[{"RNE": "P"}]),  # the first episode begins in the year
        case(episodes=[{"DECOM": "31/03/2025", "RNE": "P"}]),  # it may continue a period from before
    ),
    "361": (  # police protection over two episodes: 1 to 5 May is 4 days
        case(episodes=protected("L1", "05/05/2025")),
        case(episodes=protected("L1", "04/05/2025")),  # 72 hours
    ),
    "362": (case(episodes=protected("L2", "23/05/2025")), case(episodes=protected("L2", "22/05/2025"))),
    "363": (case(episodes=protected("L3", "09/05/2025")), case(episodes=protected("L3", "08/05/2025"))),
    "364": (case(episodes=protected("J2", "23/05/2025")), case(episodes=protected("J2", "22/05/2025"))),
    "365": (
        case(episodes=[{"LS": "V3", "DEC": "19/05/2025", "REC": "E13"}]),  # 18 days
        case(episodes=[{"LS": "V3", "DEC": "18/05/2025", "REC": "E13"}]),
    ),
    "366": (
        case(episodes=[{"LS": "V3", "RNE": "P", "DEC": "03/05/2025", "REC": "E13"}]),
        case(episodes=[{"LS": "V3", "RNE": "S", "DEC": "03/05/2025", "REC": "E13"}]),
    ),
    "367": (  # two respite breaks of 40 and 36 days
        case(episodes=respite("06/08/2025")),
        case(episodes=respite("05/08/2025")),  # 75 days in all
    ),
    "377": (case(episodes=holidays(3)), case(episodes=holidays(2))),
    "383": (  # back from a temporary placement (T3) to another placement type
        case(episodes=[*holidays(1)[:2], {"DECOM": "08/06/2025", "RNE": "P", "PLACE": "U2"}]),
        case(episodes=holidays(1)),
    ),
    "388": (case(episodes=[CLOSED]), case(episodes=two(CLOSED, {}))),
    "392d": (
        case(episodes=[{"PLACE": "U1", "HOME_POST": "AB1 2CD", "PL_POST": "AB1 2CD"}]),
        case(episodes=[{"PLACE": "P1", "HOME_POST": "AB1 2CD", "PL_POST": "AB1 2CD"}]),
    ),
    "398": (
        case(episodes=[{"LS": "V4", "HOME_POST": "AB1 2CD"}]),
        case(episodes=[{"LS": "C2", "HOME_POST": "AB1 2CD"}]),
    ),
    "426": (
        case(episodes=[{"LS": "V3", **BREAK}, {"DECOM": "01/06/2025", "LS": "V4", **BREAK, "DEC": "03/06/2025"}]),
        case(episodes=[{"LS": "V3", **BREAK}, {"DECOM": "01/06/2025", "LS": "V3", **BREAK, "DEC": "03/06/2025"}]),
    ),
    "432": (  # care ended on 1 June; the next episode begins the day after
        case(episodes=two({**CLOSED, "REC": "E13"}, {"DECOM": "02/06/2025", "RNE": "P"})),
        case(episodes=two({**CLOSED, "REC": "E13"}, {"DECOM": "02/06/2025", "RNE": "S"})),
    ),
    "433": (case(episodes=two(CLOSED, {"DECOM": "02/06/2025"})), case(episodes=two(CLOSED, {}))),
    "435": (  # a change of placement (P) to the same placement
        case(episodes=two(CLOSED, {"PLACE": "U1"})),
        case(episodes=two(CLOSED, {"PLACE": "U2"})),
    ),
    "437": (  # the child died on 1 June 2025, and an episode follows
        case(episodes=two({**CLOSED, "REC": "E2"}, {"RNE": "S"})),
        case(episodes=two({**CLOSED, "REC": "E13"}, {"RNE": "S", "DECOM": "02/06/2025"})),
    ),
    "446": (
        case({"DOB": "01/01/2005"}, episodes=[{"DECOM": "30/11/2005", "LS": "E1", "PLACE": "A6"}]),
        case({"DOB": "01/01/2005"}, episodes=[{"DECOM": "01/12/2005", "LS": "E1", "PLACE": "A6"}]),
    ),
    "504": (  # a change of placement that continues the period of care
        case(episodes=two(CLOSED, {"PLACE": "U2", "CIN": "N2"})),
        case(episodes=two(CLOSED, {"PLACE": "U2"})),
    ),
    "516": (
        case(episodes=[{"PLACE": "K2", "DEC": "01/06/2025", "REC": "E45"}]),
        case(episodes=[{"PLACE": "U6", "DEC": "01/06/2025", "REC": "E45"}]),
    ),
    "526": (
        case(episodes=[{"PLACE": "K2", "PLACE_PROVIDER": ""}]),
        case(episodes=[{"PLACE": "Z14", "PLACE_PROVIDER": ""}]),
    ),
}
