"""For each DfE SSDA903 rule of returns/ssda903/rules/permanence.py: a child that breaks it and the nearest child
that does not, from the DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds its cases
(collection 2025-26, the same plain child), and merged into its CASES."""

from __future__ import annotations

from returns.tests.ssda903_rule_cases import case

OC3 = {"IN_TOUCH": "YES", "ACTIV": "F1", "ACCOM": "B1"}
AD1 = {
    "DATE_INT": "01/06/2025",
    "DATE_MATCH": "01/08/2025",
    "FOSTER_CARE": "0",
    "NB_ADOPTR": "2",
    "SEX_ADOPTR": "MF",
    "LS_ADOPTR": "L11",  # a married couple of a man and a woman
}
PLACED = {"DATE_PLACED": "01/06/2025"}
HEALTH = {"IMMUNISATIONS": "1", "TEETH_CHECK": "1", "HEALTH_ASSESSMENT": "1", "SUBSTANCE_MISUSE": "0"}
# Looked after continuously from 1 March 2025 (before the year began), still at 31 March 2026.
CONTINUOUS = {"DECOM": "01/03/2025"}
# Placed for adoption (A4) from 1 May 2025, adopted on 1 June 2025.
ADOPTED = {"PLACE": "A4", "LS": "E1", "DEC": "01/06/2025", "REC": "E11"}
# A decision to place for adoption (1 April 2025) reversed on 15 April 2025.
REVERSED = {"DATE_PLACED": "01/04/2025", "DATE_PLACED_CEASED": "15/04/2025", "REASON_PLACED_CEASED": "RD1"}
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
    "132": (case(OC3=[{**OC3, "ACTIV": "F3"}]), case(OC3=[{**OC3, "ACTIV": "G6"}])),  # F3 is no longer a code
    "134": (case(AD1=[AD1], OC3=[OC3]), case(AD1=[AD1])),
    "151": (case(AD1=[{**AD1, "LS_ADOPTR": ""}]), case(AD1=[AD1])),
    "153": (case(OC3=[{**OC3, "ACCOM": ""}]), case(OC3=[OC3])),
    "159": (
        case(OC2=[{**HEALTH, "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0"}]),
        case(OC2=[{**HEALTH, "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "0", "INTERVENTION_OFFERED": "1"}]),
    ),
    "165": (case({"MOTHER": "2"}), case({"MOTHER": "0"})),  # 0 or 1
    "175": (case(AD1=[{**AD1, "NB_ADOPTR": "3"}]), case(AD1=[{**AD1, "NB_ADOPTR": "1"}])),
    "176": (case(AD1=[{**AD1, "SEX_ADOPTR": "FM"}]), case(AD1=[{**AD1, "SEX_ADOPTR": "FF"}])),
    "177": (case(AD1=[{**AD1, "LS_ADOPTR": "L5"}]), case(AD1=[{**AD1, "LS_ADOPTR": "L4"}])),
    "180": (case(OC2=[{**HEALTH, "SDQ_SCORE": "41"}]), case(OC2=[{**HEALTH, "SDQ_SCORE": "40"}])),
    "181": (case(OC2=[{**HEALTH, "HEALTH_CHECK": "2"}]), case(OC2=[HEALTH])),
    "182": (case(OC2=[{"CONVICTED": "0"}]), case(OC2=[{**HEALTH, "CONVICTED": "0"}])),
    "184": (
        case(PlacedAdoption=[{"DATE_PLACED": "31/12/2009"}]),  # the day before the child was born
        case(PlacedAdoption=[{"DATE_PLACED": "01/01/2010"}]),
    ),
    "186": (
        case({"DOB": "01/04/2021"}, episodes=[CONTINUOUS], OC2=[HEALTH]),  # 4 on 1 April 2025
        case({"DOB": "02/04/2021"}, episodes=[CONTINUOUS], OC2=[HEALTH]),  # 4 the day after
    ),
    "188": (
        case({"DOB": "01/04/2022"}, OC2=[{**HEALTH, "SDQ_REASON": "SDQ1"}]),  # 3 on 31 March 2026
        case({"DOB": "31/03/2022"}, OC2=[{**HEALTH, "SDQ_REASON": "SDQ1"}]),  # 4 that day
    ),
    "189": (
        case({"DOB": "31/03/2008"}, OC2=[{**HEALTH, "SDQ_SCORE": "12"}]),  # 17 the day before 1 April 2025
        case({"DOB": "01/04/2008"}, OC2=[{**HEALTH, "SDQ_SCORE": "12"}]),  # 17 that day
    ),
    "192": (
        case(OC2=[{**HEALTH, "SUBSTANCE_MISUSE": "1"}]),
        case(OC2=[{**HEALTH, "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "1"}]),
    ),
    "193": (
        case(OC2=[{**HEALTH, "INTERVENTION_OFFERED": "1"}]),  # no substance misuse problem
        case(OC2=[{**HEALTH, "SUBSTANCE_MISUSE": "1", "INTERVENTION_RECEIVED": "1"}]),
    ),
    "196": (case(OC2=[{**HEALTH, "SDQ_REASON": "SDQ6"}]), case(OC2=[{**HEALTH, "SDQ_REASON": "SDQ5"}])),
    "197a": (
        case(OC2=[{**HEALTH, "SDQ_SCORE": "12", "SDQ_REASON": "SDQ1"}]),
        case(OC2=[{**HEALTH, "SDQ_SCORE": "12"}]),
    ),
    "215": (case(OC3=[OC3], OC2=[HEALTH]), case(OC3=[OC3], OC2=[{"SDQ_REASON": "SDQ1"}])),
    "3001": (
        case({"DOB": "01/04/2008"}, OC3=[{**OC3, "ACCOM": "Z1"}]),  # 17 on 1 April 2025
        case({"DOB": "31/03/2008"}, OC3=[{**OC3, "ACCOM": "Z1"}]),  # 17 the day before the year
    ),
    "331": (
        case(episodes=[ADOPTED], AD1=[{**AD1, "DATE_INT": "01/04/2025", "DATE_MATCH": "02/05/2025"}]),
        case(episodes=[ADOPTED], AD1=[{**AD1, "DATE_INT": "01/04/2025", "DATE_MATCH": "01/05/2025"}]),
    ),
    "333": (
        case(AD1=[{**AD1, "DATE_INT": "02/08/2025"}]),  # the day after the match (1 August 2025)
        case(AD1=[{**AD1, "DATE_INT": "01/08/2025"}]),
    ),
    "334": (
        case(AD1=[{**AD1, "DATE_INT": "30/04/2025"}]),  # the day before care began (1 May 2025)
        case(AD1=[{**AD1, "DATE_INT": "01/05/2025"}]),
    ),
    "335": (
        case(episodes=[{**ADOPTED, "PLACE": "A3"}], AD1=[{**AD1, "FOSTER_CARE": "0"}]),
        case(episodes=[{**ADOPTED, "PLACE": "A3"}], AD1=[{**AD1, "FOSTER_CARE": "1"}]),
    ),
    "344": (
        case(OC3=[{"IN_TOUCH": "DIED", "ACTIV": "0", "ACCOM": ""}]),
        case(OC3=[{"IN_TOUCH": "DIED", "ACTIV": "0", "ACCOM": "0"}]),
    ),
    "345": (case(OC3=[{**OC3, "ACCOM": "0"}]), case(OC3=[OC3])),
    "347": (
        case({"DOB": "02/04/2007"}, OC3=[{**OC3, "ACCOM": "T1"}]),  # 17 on 1 April 2025
        case({"DOB": "01/04/2007"}, OC3=[{**OC3, "ACCOM": "T1"}]),  # 18 that day
    ),
    "391": (
        case({"DOB": "01/04/2009"}, OC3=[OC3]),  # 16 on 31 March 2026
        case({"DOB": "31/03/2009"}, OC3=[OC3]),  # 17 that day
    ),
    "511": (case(AD1=[{**AD1, "SEX_ADOPTR": "M1"}]), case(AD1=[AD1])),
    "514": (
        case(AD1=[{**AD1, "LS_ADOPTR": "L0"}]),  # a single adopter given as a couple (MF)
        case(AD1=[{**AD1, "LS_ADOPTR": "L0", "NB_ADOPTR": "1", "SEX_ADOPTR": "F1"}]),
    ),
    "517": (case(AD1=[{**AD1, "LS_ADOPTR": "L3", "SEX_ADOPTR": "MM"}]), case(AD1=[{**AD1, "LS_ADOPTR": "L3"}])),
    "518": (case(AD1=[{**AD1, "LS_ADOPTR": "L4"}]), case(AD1=[{**AD1, "LS_ADOPTR": "L4", "SEX_ADOPTR": "FF"}])),
    "519": (
        case(AD1=[{**AD1, "LS_ADOPTR": "L2", "NB_ADOPTR": "1", "SEX_ADOPTR": "F1"}]),
        case(AD1=[{**AD1, "LS_ADOPTR": "L2", "SEX_ADOPTR": "FF"}]),
    ),
    "520": (case(AD1=[{**AD1, "SEX_ADOPTR": "FF"}]), case(AD1=[AD1])),
    "521": (
        case(episodes=[{"PLACE": "A4", "LS": "E1"}], AD1=[{**AD1, "DATE_INT": "02/05/2025"}]),  # after the placement
        case(episodes=[{"PLACE": "A4", "LS": "E1"}], AD1=[{**AD1, "DATE_INT": "01/05/2025"}]),  # the same day
    ),
    "522": (
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "31/05/2025", "REASON_PLACED_CEASED": "RD1"}]),
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "01/06/2025", "REASON_PLACED_CEASED": "RD1"}]),
    ),
    "523": (
        case(PlacedAdoption=[PLACED], AD1=[{**AD1, "DATE_INT": "31/05/2025"}]),
        case(PlacedAdoption=[PLACED], AD1=[AD1]),  # both 1 June 2025
    ),
    "524": (case(AD1=[{**AD1, "LS_ADOPTR": "L12"}]), case(AD1=[{**AD1, "LS_ADOPTR": "L12", "SEX_ADOPTR": "MM"}])),
    "525": (
        case(PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "01/07/2025", "REASON_PLACED_CEASED": "RD1"}], AD1=[AD1]),
        case(PlacedAdoption=[PLACED], AD1=[AD1]),
    ),
    "543": (
        case({"DOB": "31/03/2016"}, episodes=[CONTINUOUS], OC2=[HEALTH]),  # 10 on 31 March 2026
        case({"DOB": "01/04/2016"}, episodes=[CONTINUOUS], OC2=[HEALTH]),  # 9
    ),
    "544": (
        case(OC2=[{**HEALTH, "CONVICTED": "1", "IMMUNISATIONS": ""}]),
        case(OC2=[{**HEALTH, "CONVICTED": "1"}]),
    ),
    "545": (
        case({"DOB": "01/04/2021"}, episodes=[CONTINUOUS], OC2=[HEALTH]),  # 4 on 31 March 2026
        case({"DOB": "31/03/2021"}, episodes=[CONTINUOUS], OC2=[HEALTH]),  # 5 that day
    ),
    "546": (
        case({"DOB": "31/03/2021"}, episodes=[CONTINUOUS], OC2=[{**HEALTH, "HEALTH_CHECK": "1"}]),  # 5
        case({"DOB": "01/04/2021"}, episodes=[CONTINUOUS], OC2=[{**HEALTH, "HEALTH_CHECK": "1"}]),  # 4
    ),
    "547": (
        case(OC2=[{**HEALTH, "HEALTH_CHECK": "1", "TEETH_CHECK": ""}]),
        case(OC2=[{**HEALTH, "HEALTH_CHECK": "1"}]),
    ),
    "552": (
        case(episodes=[{"PLACE": "A4", "LS": "E1"}], PlacedAdoption=[{"DATE_PLACED": "02/05/2025"}]),
        case(episodes=[{"PLACE": "A4", "LS": "E1"}], PlacedAdoption=[{"DATE_PLACED": "01/05/2025"}]),
    ),
    "553": (case(episodes=[{"LS": "E1"}]), case(episodes=[{"LS": "E1"}], PlacedAdoption=[PLACED])),
    "554": (
        case(episodes=[{"LS": "E1"}], PlacedAdoption=[{"DATE_PLACED": "02/05/2025"}]),  # after the order
        case(episodes=[{"LS": "E1"}], PlacedAdoption=[{"DATE_PLACED": "01/05/2025"}]),
    ),
    "557": (
        case(episodes=[{**LEFT, "PLACE": "A4", "LS": "E1"}]),  # left care (E4A), not adopted, no decision row
        case(
            episodes=[{**LEFT, "PLACE": "A4", "LS": "E1"}],
            PlacedAdoption=[{**PLACED, "DATE_PLACED_CEASED": "01/06/2025", "REASON_PLACED_CEASED": "RD1"}],
        ),
    ),
    "558": (
        case(episodes=[ADOPTED], PlacedAdoption=[REVERSED, {**REVERSED, "DATE_PLACED": "20/04/2025"}]),
        case(episodes=[ADOPTED], PlacedAdoption=[REVERSED, {"DATE_PLACED": "20/04/2025"}]),
    ),
    "563": (
        case(PlacedAdoption=[{**REVERSED, "DATE_PLACED": ""}]),
        case(PlacedAdoption=[REVERSED]),
    ),
    "579": (
        case(PlacedAdoption=[{"DATE_PLACED": "01/04/2025"}, {"DATE_PLACED": "01/05/2025"}]),  # the first still open
        case(PlacedAdoption=[{**REVERSED, "DATE_PLACED_CEASED": "01/05/2025"}, {"DATE_PLACED": "01/05/2025"}]),
    ),
    "582": (
        case(episodes=[ADOPTED], AD1=[{**AD1, "DATE_INT": "01/04/2025", "DATE_MATCH": "01/06/2025"}]),
        case(episodes=[ADOPTED], AD1=[{**AD1, "DATE_INT": "01/04/2025", "DATE_MATCH": "31/05/2025"}]),
    ),
    "583": (
        case(PlacedAdoption=[{"DATE_PLACED": "01/04/2025"}, {"DATE_PLACED": "01/05/2025"}]),
        case(PlacedAdoption=[REVERSED, {"DATE_PLACED": "01/05/2025"}]),
    ),
    "601": (
        case(episodes=[ADOPTED], AD1=[{**AD1, "DATE_INT": "01/04/2025", "DATE_MATCH": "01/05/2025", "NB_ADOPTR": ""}]),
        case(episodes=[ADOPTED], AD1=[{**AD1, "DATE_INT": "01/04/2025", "DATE_MATCH": "01/05/2025"}]),
    ),
    "602": (case(AD1=[AD1]), case(episodes=[ADOPTED], AD1=[AD1])),  # not adopted in the year / adopted
    "628": (
        case({"DOB": "01/01/2006", "MOTHER": "0"}, episodes=[], OC3=[OC3]),  # a care leaver not looked after
        case({"DOB": "01/01/2006", "MOTHER": ""}, episodes=[], OC3=[OC3]),
    ),
    "EPI": (case(episodes=[]), case(episodes=[], OC3=[OC3])),
}
