"""For each DfE SSDA903 rule of returns/ssda903/rules/child.py: a child that breaks it and the nearest child
that does not, from the DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds its cases
(collection 2025-26, the same plain child), and merged into its CASES."""

from __future__ import annotations

from returns.tests.ssda903_rule_cases import CLOSED, MISSING, case, two

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

# F444's UPN, given also to P174 (a case whose UPN does not matter to its rule), so that it is reported twice.
DUPLICATE_UPN = "B000000000444"
PERM = {"PREV_PERM": "P1", "LA_PERM": "800", "DATE_PERM": "01/02/2020"}
MOTHER = {"MOTHER": "1", "MC_DOB": "01/01/2025"}
REVIEWED = {"REVIEW": "01/06/2025", "REVIEW_CODE": "PN0"}

# code -> (breaks it, does not)
CHILD_RECORDS_CASES: dict[str, tuple[dict, dict]] = {
    "1004": (case(Missing=[{**MISSING, "MIS_START": "31/06/2025"}]), case(Missing=[{**MISSING, "MIS_END": ""}])),
    "1005": (case(Missing=[{**MISSING, "MIS_END": "2025-06-02"}]), case(Missing=[{**MISSING, "MIS_END": ""}])),
    "1006": (case(Missing=[{**MISSING, "MISSING": "X"}]), case(Missing=[{**MISSING, "MISSING": "a"}])),
    "174": (
        case({"SEX": "M", "MC_DOB": "01/01/2025"}),
        case({"SEX": "U", "MC_DOB": "01/01/2025", "UPN": DUPLICATE_UPN}),  # not recorded as male; see 444
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
    "231": (  # under 11 on 31 March 2026
        case({"DOB": "01/04/2015"}, episodes=[{"DECOM": "01/05/2025"}], UASC=[{"DUC": ""}]),
        case({"DOB": "31/03/2015"}, episodes=[{"DECOM": "01/05/2025"}], UASC=[{"DUC": ""}]),
    ),
    "232": (case({"SEX": "U"}), case({"SEX": "M"})),
    "234": (  # moved into custody on 1 June 2025: a day before the 10th birthday, and on it
        case({"DOB": "02/06/2015"}, episodes=two({**CLOSED, "REASON_PLACE_CHANGE": "CUSTOD"}, {"PLACE": "R5"})),
        case({"DOB": "01/06/2015"}, episodes=two({**CLOSED, "REASON_PLACE_CHANGE": "CUSTOD"}, {"PLACE": "R5"})),
    ),
    "301": (
        case({"DOB": "01/04/2026"}, episodes=[{"DECOM": "01/04/2026"}]),
        case({"DOB": "31/03/2026"}, episodes=[{"DECOM": "31/03/2026"}]),
    ),
    "304": (  # 18 on 1 June 2025
        case({"DOB": "01/06/2007"}, UASC=[{"DUC": "02/06/2025"}]),
        case({"DOB": "01/06/2007"}, UASC=[{"DUC": "01/06/2025"}]),
    ),
    "352": (  # care began on the 18th birthday; the nearest, the day before it
        case({"DOB": "01/05/2007"}),
        case({"DOB": "02/05/2007"}),
    ),
    "359": (  # 18 on 30 March 2026, still looked after under C2 in foster care; the nearest, 18 on 31 March
        case({"DOB": "30/03/2008"}),
        case({"DOB": "31/03/2008"}),
    ),
    "371": (  # 16 the day after the placement began, and on that day
        case({"DOB": "02/05/2009"}, episodes=[{"PLACE": "K3"}]),
        case({"DOB": "01/05/2009"}, episodes=[{"PLACE": "K3"}]),
    ),
    "376": (  # 22 days, and three weeks
        case(episodes=[{**CLOSED, "PLACE": "T3", "DEC": "23/05/2025"}]),
        case(episodes=[{**CLOSED, "PLACE": "T3", "DEC": "22/05/2025"}]),
    ),
    "386": (  # adopted on the 18th birthday; the nearest, the day before it
        case({"DOB": "01/06/2007"}, episodes=[{"PLACE": "A4", "DEC": "01/06/2025", "REC": "E11"}]),
        case({"DOB": "02/06/2007"}, episodes=[{"PLACE": "A4", "DEC": "01/06/2025", "REC": "E11"}]),
    ),
    "387": (  # independent living the day before the 14th birthday, and on it
        case({"DOB": "02/06/2011"}, episodes=[{"DEC": "01/06/2025", "REC": "E5"}]),
        case({"DOB": "01/06/2011"}, episodes=[{"DEC": "01/06/2025", "REC": "E5"}]),
    ),
    "393": (case({"MOTHER": ""}), case({"MOTHER": "0"})),
    "399": (  # respite only
        case({"MOTHER": "0"}, episodes=[{"LS": "V3", "PLACE": "U3"}]),
        case({"MOTHER": ""}, episodes=[{"LS": "V3", "PLACE": "U3"}]),
    ),
    "407": (  # a special guardianship order the day after the 18th birthday, and on it
        case({"DOB": "31/05/2007"}, episodes=[{"DEC": "01/06/2025", "REC": "E45"}]),
        case({"DOB": "01/06/2007"}, episodes=[{"DEC": "01/06/2025", "REC": "E45"}]),
    ),
    "440": (  # PN0 (under 4) at a review the day after the 4th birthday, and on it
        case({"DOB": "31/05/2021"}, Reviews=[REVIEWED]),
        case({"DOB": "01/06/2021"}, Reviews=[REVIEWED]),
    ),
    "442": (  # no UPN; the nearest is in respite care only
        case({"UPN": ""}),
        case({"UPN": ""}, episodes=[{"LS": "V4", "PLACE": "U3"}]),
    ),
    "210": (  # UN4 with an episode from 24 March (the DfE's condition), and from the day before
        case({"UPN": "UN4"}, episodes=[{"DECOM": "24/03/2026"}]),
        case({"UPN": "UN4"}, episodes=[{"DECOM": "23/03/2026"}]),
    ),
    "444": (case({"UPN": DUPLICATE_UPN}), case({"UPN": "UN3"})),  # UN3 is also P168's: the unknown codes may repeat
    "566": (
        case(Missing=[{**MISSING, "MISSING": ""}]),
        case(Missing=[{**MISSING, "MISSING": "", "MIS_END": ""}]),
    ),
    "567": (
        case(Missing=[{**MISSING, "MIS_START": "02/06/2025", "MIS_END": "01/06/2025"}]),
        case(Missing=[{**MISSING, "MIS_START": "02/06/2025", "MIS_END": "02/06/2025"}]),
    ),
    "571": (
        case(Missing=[{**MISSING, "MIS_START": "01/03/2025", "MIS_END": "31/03/2025"}]),
        case(Missing=[{**MISSING, "MIS_START": "01/03/2025", "MIS_END": "01/04/2025"}]),
    ),
    "574": (  # the second period starts before the first ended; the nearest, on the day it ended
        case(Missing=[{**MISSING, "MIS_END": "05/06/2025"}, {**MISSING, "MIS_START": "04/06/2025", "MIS_END": ""}]),
        case(Missing=[{**MISSING, "MIS_END": "05/06/2025"}, {**MISSING, "MIS_START": "05/06/2025", "MIS_END": ""}]),
    ),
    "575": (  # missing from the first placement, which ended on 1 June; the nearest from the second, still open
        case(episodes=two(CLOSED, {}), Missing=[{**MISSING, "MIS_END": ""}]),
        case(episodes=two(CLOSED, {}), Missing=[{**MISSING, "MIS_START": "02/06/2025", "MIS_END": ""}]),
    ),
    "577": (  # care ended on 1 July with the child still missing; the nearest came back on 2 June
        case(episodes=[{"DEC": "01/07/2025", "REC": "E13"}], Missing=[{**MISSING, "MIS_END": ""}]),
        case(episodes=[{"DEC": "01/07/2025", "REC": "E13"}], Missing=[MISSING]),
    ),
    "578": (  # care ended on 1 June; missing from the next day, and from that day
        case(
            episodes=[{"DEC": "01/06/2025", "REC": "E13"}],
            Missing=[{**MISSING, "MIS_START": "02/06/2025", "MIS_END": "03/06/2025"}],
        ),
        case(
            episodes=[{"DEC": "01/06/2025", "REC": "E13"}],
            Missing=[{**MISSING, "MIS_START": "01/06/2025", "MIS_END": "01/06/2025"}],
        ),
    ),
    "580": (  # missing until the 18th birthday, the day care ceased
        case(
            {"DOB": "01/06/2007"},
            episodes=[{"DEC": "01/06/2025", "REC": "E13"}],
            Missing=[{**MISSING, "MIS_START": "25/05/2025", "MIS_END": "01/06/2025"}],
        ),
        case(
            {"DOB": "01/06/2007"},
            episodes=[{"DEC": "01/06/2025", "REC": "E8"}],
            Missing=[{**MISSING, "MIS_START": "25/05/2025", "MIS_END": "01/06/2025"}],
        ),
    ),
    "581": (  # missing the day before care began, and on that day
        case(Missing=[{**MISSING, "MIS_START": "30/04/2025", "MIS_END": "02/05/2025"}]),
        case(Missing=[{**MISSING, "MIS_START": "01/05/2025", "MIS_END": "02/05/2025"}]),
    ),
    "586": (  # looked after from birth; missing on the day of birth, and the day after
        case({"DOB": "01/05/2025"}, Missing=[{**MISSING, "MIS_START": "01/05/2025", "MIS_END": "03/05/2025"}]),
        case({"DOB": "01/05/2025"}, Missing=[{**MISSING, "MIS_START": "02/05/2025", "MIS_END": "03/05/2025"}]),
    ),
    "607": (  # care ended on the first day of the year; the nearest, the day before it
        case({"MOTHER": ""}, episodes=[{"DECOM": "01/05/2024", "DEC": "01/04/2025", "REC": "E13"}]),
        case({"MOTHER": ""}, episodes=[{"DECOM": "01/05/2024", "DEC": "31/03/2025", "REC": "E13"}]),
    ),
    "611": (case({"MOTHER": "1"}), case(MOTHER)),
    "612": (case({**MOTHER, "MOTHER": "0"}), case(MOTHER)),
    "620": (  # 11 the day after the year began, and on that day
        case({**MOTHER, "DOB": "02/04/2014"}),
        case({**MOTHER, "DOB": "01/04/2014"}),
    ),
    "621": (case({**MOTHER, "MC_DOB": "01/01/2010"}), case({**MOTHER, "MC_DOB": "02/01/2010"})),
    "625": (  # the child's child born the day after care ended, and on that day
        case({**MOTHER, "MC_DOB": "02/06/2025"}, episodes=[{"DEC": "01/06/2025", "REC": "E13"}]),
        case({**MOTHER, "MC_DOB": "01/06/2025"}, episodes=[{"DEC": "01/06/2025", "REC": "E13"}]),
    ),
    "630": (  # care began in the year: a previous permanence other than Z1 needs its authority and date
        case(PrevPerm=[{**PERM, "LA_PERM": ""}]),
        case(PrevPerm=[{"PREV_PERM": "Z1"}]),
    ),
    "631": (case(PrevPerm=[{**PERM, "PREV_PERM": "P9"}]), case(PrevPerm=[{**PERM, "PREV_PERM": "P4"}])),
    "632": (  # an unknown day is the month's last: 31 May 2025 is not before care began on 1 May 2025
        case(PrevPerm=[{**PERM, "DATE_PERM": "ZZ/05/2025"}]),
        case(PrevPerm=[{**PERM, "DATE_PERM": "ZZ/04/2025"}]),
    ),
    "633": (case(PrevPerm=[{**PERM, "LA_PERM": "123"}]), case(PrevPerm=[{**PERM, "LA_PERM": "NIR"}])),
    "634": (  # looked after since the day before 1 April 2016, and since that day
        case(episodes=[{"DECOM": "31/03/2016"}], PrevPerm=[PERM]),
        case(episodes=[{"DECOM": "01/04/2016"}], PrevPerm=[PERM]),
    ),
    "635": (
        case(PrevPerm=[{"PREV_PERM": "Z1", "LA_PERM": "800"}]),
        case(PrevPerm=[{"PREV_PERM": "P1", "LA_PERM": "800"}]),
    ),
}
