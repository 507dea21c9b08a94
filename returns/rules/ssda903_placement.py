"""SSDA903 rules on the episodes alone: placements, legal statuses and their combinations with the
child's age and the collection year (those not in ssda903_episode, ssda903_care and ssda903_ceased).

What each rule checks is the DfE's condition as Data to Insight's csc-validator-be-903 encodes it
(the latest rule pack that holds it); where the pack's list changed with the year's codes (Z1 split
into Z11 to Z14 from 2025-26), the rule follows the year's list."""

from .base import Rule
from .ssda903_common import codes, error, in_list, invalid_code, invalid_date

TEMPORARY = codes(("T0", "T1", "T2", "T3", "T4"))
# The placement types Z11 to Z14 (from 2025-26; Z1 before), counted only in a year whose list holds them.
NEW_Z = f"(PLACE IN {codes(('Z11', 'Z12', 'Z13', 'Z14'))} AND {in_list('PLACE', 'PLACE')})"

# The children looked after continuously through the collection year, as the DfE defines it (a child
# with an episode in the year none of whose episodes starts a period of care after 1 April, ends one
# before 31 March, or is respite, V3 or V4, in the year). Used by the SDQ rules on OC2.
CONTINUOUSLY_LOOKED_AFTER = """SELECT e.CHILD FROM episodes e, collection k GROUP BY e.CHILD
    HAVING bool_or(coalesce(d(e.DECOM) <= k.end_date AND (d(e.DEC) >= k.start_date OR d(e.DEC) IS NULL), false))
    AND NOT bool_or(
        coalesce(e.RNE = 'S' AND d(e.DECOM) > k.start_date AND d(e.DECOM) <= k.end_date, false)
        OR coalesce(e.REC IS DISTINCT FROM 'X1' AND d(e.DEC) >= k.start_date AND d(e.DEC) < k.end_date, false)
        OR coalesce(e.LS IN ('V3', 'V4') AND d(e.DECOM) <= k.end_date
                    AND (d(e.DEC) >= k.start_date OR d(e.DEC) IS NULL), false))"""

# The tables that are only for children with an episode this year (rule 1012).
_EPISODE_TABLES = ("placedadoption", "missing", "reviews", "ad1", "prevperm", "oc2")

RULES: list[Rule] = [
    invalid_code("1009", "Reason for placement change is not a valid code.", "episodes", "REASON_PLACE_CHANGE"),
    error(
        "1012",
        "No other data should be returned for OC3 children who had no episodes in the current year",
        ("CHILD",),
        # A blank child id counts as an id (a row without one matches an episode without one).
        "SELECT t.CHILD, t.location FROM ("
        + " UNION ALL ".join(f"SELECT CHILD, location FROM {t}" for t in _EPISODE_TABLES)
        + ") t WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD IS NOT DISTINCT FROM t.CHILD)",
    ),
    invalid_date("147", "Date episode ceased is not a valid date.", "episodes", "DEC"),
    error(
        "157",
        "Child is aged 4 years or over at the beginning of the year or 16 years or under at the end of the year and "
        "Strengths and Difficulties Questionnaire (SDQ) 1 has been recorded as the reason for no Strengths and "
        "Difficulties Questionnaire (SDQ) score.",
        ("SDQ_REASON", "DOB"),
        # 4 by 1 April and not yet past the 16th birthday on 31 March (16 that day counts), looked after
        # continuously: SDQ1 (no score: the child is too young or too old) cannot be the reason.
        f"""SELECT o.CHILD, o.location FROM oc2 o, collection k
        WHERE o.CHILD IN ({CONTINUOUSLY_LOOKED_AFTER}) AND o.SDQ_SCORE IS NULL AND o.SDQ_REASON = 'SDQ1'
        AND d(o.DOB) + INTERVAL 4 YEAR <= k.start_date AND d(o.DOB) + INTERVAL 16 YEAR >= k.end_date""",
    ),
    error(
        "178",
        "Placement provider code is not a valid code.",
        ("PLACE_PROVIDER",),
        # Not in the list, or given for a placement that has no provider: T0 to T4 and Z1 until 2024-25;
        # from 2025-26 the DfE's list is T0 to T3 and Z11 to Z14 (T4 left out; rule 213 covers it).
        f"""SELECT CHILD, location FROM episodes, collection k WHERE PLACE_PROVIDER IS NOT NULL
        AND (NOT {in_list("PLACE_PROVIDER", "PLACE_PROVIDER")} OR coalesce(CASE WHEN year(k.end_date) < 2026
            THEN PLACE IN ('T0', 'T1', 'T2', 'T3', 'T4', 'Z1')
            ELSE PLACE IN ('T0', 'T1', 'T2', 'T3', 'Z11', 'Z12', 'Z13', 'Z14') END, false))""",
    ),
    error(
        "197B",
        "SDQ score or reason for no SDQ should be reported for 4- or 17-year-olds.",
        ("SDQ_REASON", "DOB"),
        # Looked after continuously, and the 4th or the 17th birthday in the collection year.
        f"""SELECT o.CHILD, o.location FROM oc2 o, collection k
        WHERE o.CHILD IN ({CONTINUOUSLY_LOOKED_AFTER}) AND o.SDQ_SCORE IS NULL AND o.SDQ_REASON IS NULL
        AND (d(o.DOB) + INTERVAL 4 YEAR BETWEEN k.start_date AND k.end_date
             OR d(o.DOB) + INTERVAL 17 YEAR BETWEEN k.start_date AND k.end_date)""",
    ),
    error(
        "213",
        "Placement provider information not required.",
        ("PLACE_PROVIDER",),
        f"""SELECT CHILD, location FROM episodes WHERE PLACE_PROVIDER IS NOT NULL
        AND (PLACE IN {TEMPORARY} OR {NEW_Z})""",
    ),
    error(
        "214",
        "Placement location information not required.",
        ("PL_POST", "URN"),
        "SELECT CHILD, location FROM episodes WHERE LS IN ('V3', 'V4') AND (PL_POST IS NOT NULL OR URN IS NOT NULL)",
    ),
]
