"""For each DfE SSDA903 rule of returns/rules/ssda903_placement.py: a child that breaks it and the nearest child
that does not, from the DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds its cases
(collection 2025-26, the same plain child), and merged into its CASES."""

from __future__ import annotations

from .ssda903_rule_cases import CLOSED, MISSING, case, two

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
}
