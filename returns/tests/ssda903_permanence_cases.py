"""For each DfE SSDA903 rule of returns/rules/ssda903_permanence.py: a child that breaks it and the nearest child
that does not, from the DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds its cases
(collection 2025-26, the same plain child), and merged into its CASES."""

from __future__ import annotations

from .ssda903_rule_cases import case

OC3 = {"IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"}
AD1 = {
    "DATE_INT": "01/06/2025",
    "DATE_MATCH": "01/08/2025",
    "FOSTER_CARE": "0",
    "NB_ADOPTR": "2",
    "SEX_ADOPTR": "MF",
    "LS_ADOPTR": "L0",
}
PLACED = {"DATE_PLACED": "01/06/2025"}
LEFT = {"DEC": "01/06/2025", "REC": "E4A"}  # the plain episode, ended on 1 June 2025 (returned home)

# code -> (breaks it, does not)
PERMANENCE_CASES: dict[str, tuple[dict, dict]] = {
    "1003": (
        case(PlacedAdoption=[{"DATE_PLACED": "30/04/2025"}]),  # the day before care began (1 May 2025)
        case(PlacedAdoption=[{"DATE_PLACED": "01/05/2025"}]),
    ),
    "1007": (
        case({"DOB": "01/05/2008"}, episodes=[LEFT], OC3=[OC3]),  # in care on the 17th birthday, 1 May 2025
        case({"DOB": "30/04/2008"}, episodes=[LEFT], OC3=[OC3]),  # 17 the day before care began
    ),
    "1011": (
        case(episodes=[{**LEFT, "REC": "E3"}], OC3=[OC3]),  # care transferred to another council
        case(episodes=[LEFT], OC3=[OC3]),
    ),
    "1014": (
        case(episodes=[{"DECOM": "01/05/2023", "DEC": "31/03/2025", "REC": "E4A"}], UASC=[{}], OC3=[OC3]),
        case(episodes=[{"DECOM": "01/05/2023", "DEC": "01/04/2025", "REC": "E4A"}], UASC=[{}], OC3=[OC3]),
    ),
    "1016": (
        case({"DOB": "01/06/2008"}, episodes=[LEFT], OC3=[OC3]),  # left care on the 17th birthday
        case({"DOB": "01/06/2008"}, episodes=[{**LEFT, "DEC": "31/05/2025"}], OC3=[OC3]),  # the day before
    ),
    "112": (case(AD1=[{**AD1, "DATE_INT": "2025-06-01"}]), case(AD1=[AD1])),
    "113": (case(AD1=[{**AD1, "DATE_MATCH": "2025-08-01"}]), case(AD1=[AD1])),
    "114": (case(AD1=[{**AD1, "FOSTER_CARE": "2"}]), case(AD1=[{**AD1, "FOSTER_CARE": "1"}])),
    "115": (case(PlacedAdoption=[{"DATE_PLACED": "2025-06-01"}]), case(PlacedAdoption=[PLACED])),
    "116": (
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "2025-07-01", "REASON_PLACED_CEASED": "RD1"}]),
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "01/07/2025", "REASON_PLACED_CEASED": "RD1"}]),
    ),
    "117": (
        case(episodes=[LEFT], PlacedAdoption=[{"DATE_PLACED": "02/06/2025"}]),  # the day after care ended
        case(episodes=[LEFT], PlacedAdoption=[PLACED]),  # the day it ended
    ),
    "118": (
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "30/04/2025", "REASON_PLACED_CEASED": "RD1"}]),
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "01/05/2025", "REASON_PLACED_CEASED": "RD1"}]),
    ),
    "119": (
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "01/07/2025"}]),
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "01/07/2025", "REASON_PLACED_CEASED": "RD2"}]),
    ),
    "120": (
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "01/07/2025", "REASON_PLACED_CEASED": "RD5"}]),
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "01/07/2025", "REASON_PLACED_CEASED": "RD4"}]),
    ),
}
