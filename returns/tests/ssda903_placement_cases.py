"""For each DfE SSDA903 rule of returns/rules/ssda903_placement.py: a child that breaks it and the nearest child
that does not, from the DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds its cases
(collection 2025-26, the same plain child), and merged into its CASES."""

from __future__ import annotations

from .ssda903_rule_cases import CLOSED, MISSING, case

OC3 = {"IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"}
# Looked after continuously through 2025-26: in care from 1 April 2024, still in care.
ALL_YEAR = [{"DECOM": "01/04/2024"}]

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
}
