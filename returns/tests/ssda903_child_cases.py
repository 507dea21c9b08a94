"""For each DfE SSDA903 rule of returns/rules/ssda903_child.py: a child that breaks it and the nearest child
that does not, from the DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds its cases
(collection 2025-26, the same plain child), and merged into its CASES."""

from __future__ import annotations

from .ssda903_rule_cases import MISSING, case

# Looked after since 1 May 2024 and still: looked after continuously for the 12 months to 31 March 2026.
SINCE_2024 = [{"DECOM": "01/05/2024"}]
OC2_FULL = {
    "CONVICTED": "0",
    "HEALTH_CHECK": "1",
    "IMMUNISATIONS": "1",
    "TEETH_CHECK": "1",
    "HEALTH_ASSESSMENT": "1",
    "SUBSTANCE_MISUSE": "0",
    "INTERVENTION_RECEIVED": "",
    "INTERVENTION_OFFERED": "",
}

# code -> (breaks it, does not)
CHILD_RECORDS_CASES: dict[str, tuple[dict, dict]] = {
    "1004": (case(Missing=[{**MISSING, "MIS_START": "31/06/2025"}]), case(Missing=[{**MISSING, "MIS_END": ""}])),
    "1005": (case(Missing=[{**MISSING, "MIS_END": "2025-06-02"}]), case(Missing=[{**MISSING, "MIS_END": ""}])),
    "1006": (case(Missing=[{**MISSING, "MISSING": "X"}]), case(Missing=[{**MISSING, "MISSING": "a"}])),
    "174": (
        case({"SEX": "M", "MC_DOB": "01/01/2025"}),
        case({"SEX": "U", "MC_DOB": "01/01/2025"}),  # not recorded as male
    ),
    "185": (  # care began the day after the year began, so not 12 months at 31 March; the nearest began that day
        case(episodes=[{"DECOM": "02/04/2025"}], OC2=[{"SDQ_SCORE": "10"}]),
        case(episodes=[{"DECOM": "01/04/2025"}], OC2=[{"SDQ_SCORE": "10"}]),
    ),
    "198": (  # care ceased on 30 March; the nearest ceased on 31 March, still looked after at 31 March
        case(episodes=[{"DECOM": "01/05/2024", "DEC": "30/03/2026", "REC": "E13"}], OC2=[{"SDQ_REASON": "SDQ1"}]),
        case(episodes=[{"DECOM": "01/05/2024", "DEC": "31/03/2026", "REC": "E13"}], OC2=[{"SDQ_REASON": "SDQ1"}]),
    ),
    "190": (  # respite care (V3) is not looked after continuously
        case(episodes=[{"DECOM": "01/05/2024", "LS": "V3", "PLACE": "U3"}], OC2=[OC2_FULL]),
        case(episodes=SINCE_2024, OC2=[OC2_FULL]),
    ),
    "187": (
        case(episodes=SINCE_2024, AD1=[{"DATE_INT": "01/02/2026"}]),
        case(episodes=[{"DECOM": "02/04/2025"}], AD1=[{"DATE_INT": "01/02/2026"}]),
    ),
    "191": (
        case(episodes=SINCE_2024, OC2=[{**OC2_FULL, "TEETH_CHECK": ""}]),
        case(episodes=SINCE_2024, OC2=[OC2_FULL]),
    ),
    "209": (  # of school age: 4 by 31 August 2024
        case({"UPN": "UN1", "DOB": "31/08/2020"}),
        case({"UPN": "UN1", "DOB": "01/09/2020"}),
    ),
}
