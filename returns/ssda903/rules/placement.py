"""SSDA903 rules on the episodes alone: placements, legal statuses and their combinations with the
child's age and the collection year (those not in ssda903_episode, ssda903_care and ssda903_ceased).

What each rule checks is the DfE's condition as Data to Insight's csc-validator-be-903 encodes it
(the latest rule pack that holds it); where the pack's list changed with the year's codes (Z1 split
into Z11 to Z14 from 2025-26), the rule follows the year's list."""

from returns.rules.base import Rule
from returns.ssda903.rules.common import codes, error, in_list, invalid_code, invalid_date

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

# Each child's episodes in the order they began (an episode without a valid start last, as Data to
# Insight sorts them), with the previous one's reason for placement change (rule 226).
_BY_START = """SELECT *, lag(REASON_PLACE_CHANGE) OVER (PARTITION BY CHILD ORDER BY d(DECOM) NULLS LAST, row_no)
    AS prev_reason FROM episodes"""

FOSTER_OR_ADOPTION = codes(("A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"))


def _order_lasted(code: str, message: str, status: str, days: int) -> Rule:
    """The child's unbroken run of episodes under this short-term legal status (each beginning the day
    the one before ended) lasts more than `days` days from its first start to its last end, an open
    episode counted to 31 March."""
    return error(
        code,
        message,
        ("DECOM", "LS", "DEC"),
        f"""WITH s AS (SELECT CHILD, location, row_no, decom_d, coalesce(dec_d, k.end_date) AS until,
            lag(coalesce(dec_d, k.end_date)) OVER (PARTITION BY CHILD ORDER BY decom_d, row_no) AS before
            FROM ep, collection k WHERE LS = '{status}'),
        r AS (SELECT *, sum(CASE WHEN before = decom_d THEN 0 ELSE 1 END)
            OVER (PARTITION BY CHILD ORDER BY decom_d, row_no ROWS UNBOUNDED PRECEDING) AS run FROM s)
        SELECT CHILD, location FROM r
        QUALIFY max(until) OVER (PARTITION BY CHILD, run) - min(decom_d) OVER (PARTITION BY CHILD, run) > {days}""",
    )


def _order_total(code: str, message: str, status: str, days: int) -> Rule:
    """The child's episodes under this short-term legal status that overlap or follow on from one
    another (each beginning by the day the one before ended) add up to more than `days` days. An open
    episode counts to 31 March; one whose end is not a date adds nothing, as in Data to Insight."""
    until = "CASE WHEN DEC IS NULL THEN k.end_date ELSE dec_d END"
    return error(
        code,
        message,
        ("LS", "DECOM", "DEC"),
        f"""WITH s AS (SELECT CHILD, location, row_no, decom_d, {until} AS until,
            lag({until}) OVER (PARTITION BY CHILD ORDER BY decom_d, row_no) AS before
            FROM ep, collection k WHERE LS = '{status}'),
        r AS (SELECT *, sum(CASE WHEN decom_d > before THEN 1 ELSE 0 END)
            OVER (PARTITION BY CHILD ORDER BY decom_d, row_no ROWS UNBOUNDED PRECEDING) AS run FROM s)
        SELECT CHILD, location FROM r QUALIFY sum(until - decom_d) OVER (PARTITION BY CHILD, run) > {days}""",
    )


# Every reason episode ceased but X1: the child ceased to be looked after (rule 432).
CEASED = codes(
    ("E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E41", "E45", "E46", "E47", "E48", "E4A", "E4B")
    + ("E5", "E6", "E7", "E8", "E9")
)

# The placement of an episode is that of the previous one: type, postcode, URN and provider.
SAME_PLACEMENT = """PLACE IS NOT DISTINCT FROM prev_place AND PL_POST IS NOT DISTINCT FROM prev_pl_post
    AND URN IS NOT DISTINCT FROM prev_urn AND PLACE_PROVIDER IS NOT DISTINCT FROM prev_provider"""

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
    error(
        "226",
        "Reason for placement change is not required for temporary placements.",
        ("REASON_PLACE_CHANGE", "PLACE"),
        # Neither the temporary placement nor the episode before it (whose end began it) gives a reason.
        f"""SELECT CHILD, location FROM ({_BY_START}) WHERE PLACE IN {TEMPORARY}
        AND (REASON_PLACE_CHANGE IS NOT NULL OR prev_reason IS NOT NULL)""",
    ),
    error(
        "233",
        "Reason for placement change is not required when the episode has not ceased.",
        ("REASON_PLACE_CHANGE",),
        "SELECT CHILD, location FROM episodes WHERE DEC IS NULL AND REASON_PLACE_CHANGE IS NOT NULL",
        years=(2026, 2027),
    ),
    error(
        "242",
        "URN = 'XXXXXXX' can only be used for regional adoption agencies",
        ("URN",),
        f"""SELECT CHILD, location FROM episodes WHERE URN = 'XXXXXXX'
        AND coalesce(PLACE NOT IN {FOSTER_OR_ADOPTION}, true)""",
        years=(2026, 2027),
    ),
    error(
        "336",
        "Child does not have a foster placement immediately prior to being placed for adoption.",
        ("PLACE",),
        # The DfE's condition: placed for adoption with the current foster carers (A3 or A5), so the
        # episode before must be a foster or adoption placement. (Data to Insight checks A3 and A4.)
        f"""SELECT CHILD, location FROM ep WHERE seq > 1 AND PLACE IN ('A3', 'A5')
        AND coalesce(prev_place NOT IN {FOSTER_OR_ADOPTION}, true)""",
    ),
    error(
        "357",
        "If this is the first episode ever for this child, reason for new episode must be S.  Check whether there "
        "is an episode immediately preceding this one, which has been left out.  If not the reason for new episode "
        "code must be amended to S.",
        ("RNE",),
        # The child's first episode in the return, when it began this year (an earlier one may continue
        # a period of care from before the return's episodes).
        """SELECT CHILD, location FROM ep, collection k WHERE seq = 1 AND decom_d >= k.start_date
        AND RNE IS DISTINCT FROM 'S'""",
    ),
    _order_lasted(
        "361",
        "Police protection legal status lasted longer than maximum 72 hours allowed in the Children Act 1989.",
        "L1",
        3,
    ),
    _order_lasted("362", "Emergency protection order (EPO) lasted longer than 21 days", "L2", 21),
    _order_total(
        "363", "Child assessment order (CAO) lasted longer than 7 days allowed in the Children Act 1989.", "L3", 7
    ),
    _order_total(
        "364",
        "Sections 41-46 of Police and Criminal Evidence (PACE; 1984) severely limits the time a child can be "
        "detained in custody in Local Authority (LA) accommodation.",
        "J2",
        21,
    ),
    error(
        "365",
        "Any individual short- term respite placement must not exceed 17 days.",
        ("LS", "DECOM", "DEC"),
        """SELECT CHILD, location FROM episodes, collection k
        WHERE LS = 'V3' AND coalesce(d(DEC), k.end_date) > d(DECOM) + INTERVAL 17 DAY""",
    ),
    error(
        "366",
        "A child cannot change placement during the course of an individual short-term respite break.",
        ("RNE",),
        "SELECT CHILD, location FROM episodes WHERE LS = 'V3' AND RNE IS DISTINCT FROM 'S'",
    ),
    error(
        "367",
        "The maximum amount of respite care allowable is 75 days in any 12-month period.",
        ("LS", "DECOM", "DEC"),
        # The days of respite (V3) within the collection year, over all the child's respite episodes.
        """WITH v AS (SELECT CHILD, location,
            CASE WHEN DEC IS NULL OR d(DEC) > k.end_date THEN k.end_date ELSE d(DEC) END
            - CASE WHEN d(DECOM) < k.start_date THEN k.start_date ELSE d(DECOM) END AS days
            FROM episodes, collection k WHERE LS = 'V3')
        SELECT CHILD, location FROM v WHERE days > 0 QUALIFY sum(days) OVER (PARTITION BY CHILD) > 75""",
    ),
    error(
        "377",
        "Only two temporary placements coded as being due to holiday of usual foster carer(s) are allowed in any "
        "12- month period.",
        ("PLACE",),
        # Counted over the return's episodes (the collection year).
        "SELECT CHILD, location FROM episodes WHERE PLACE = 'T3' QUALIFY count(*) OVER (PARTITION BY CHILD) > 2",
    ),
    error(
        "383",
        "A child in a temporary placement must subsequently return to his/her normal placement.",
        ("PLACE", "RNE", "PL_POST"),
        # After a temporary placement the child returns (RNE P) to the placement before it: the same
        # type, and from 2025-26 the same postcode (a blank postcode on both is the same).
        f"""SELECT CHILD, location FROM (SELECT *, lag(PLACE, 2) OVER w AS place_2,
            lag(PL_POST, 2) OVER w AS post_2, lag(row_no, 2) OVER w AS row_2
            FROM ep WINDOW w AS (PARTITION BY CHILD ORDER BY decom_d, row_no)), collection k
        WHERE row_2 IS NOT NULL AND prev_place IN {TEMPORARY}
        AND (RNE IS DISTINCT FROM 'P' OR PLACE IS DISTINCT FROM place_2
             OR (year(k.end_date) >= 2026 AND PL_POST IS DISTINCT FROM post_2))""",
    ),
    error(
        "388",
        "Reason episode ceased is coded new episode begins, but there is no continuation episode.",
        ("REC",),
        # X1 (a new episode begins) on an episode the next does not start the day it ended, or on the
        # child's last episode; or another reason on one whose next episode starts the day it ended.
        """SELECT CHILD, location FROM (SELECT *, d(DEC) AS ended,
            lead(d(DECOM)) OVER w AS next_start, lead(row_no) OVER w AS next_row
            FROM episodes WINDOW w AS (PARTITION BY CHILD ORDER BY d(DECOM) NULLS FIRST, row_no))
        WHERE ended IS NOT NULL AND (
            (next_row IS NULL AND REC = 'X1')
            OR (REC = 'X1' AND ended <> next_start)
            OR (REC IS NOT NULL AND REC <> 'X1' AND ended = next_start))""",
    ),
    error(
        "392d",
        "Home and placement postcodes should not be same unless the placement type is P1.",
        ("HOME_POST", "PL_POST", "PLACE"),
        "SELECT CHILD, location FROM episodes WHERE HOME_POST = PL_POST AND PLACE IS DISTINCT FROM 'P1'",
    ),
    error(
        "398",
        "Distance field completed but child looked after under legal status V3 or V4.",
        ("LS", "HOME_POST", "PL_POST"),
        # The distance is worked out from the two postcodes: neither is given for respite.
        "SELECT CHILD, location FROM episodes WHERE LS IN ('V3', 'V4') AND (HOME_POST IS NOT NULL "
        "OR PL_POST IS NOT NULL)",
    ),
    error(
        "426",
        "A child receiving respite care cannot be recorded under a legal status of V3 and V4 in the same year.",
        ("LS",),
        """SELECT CHILD, location FROM episodes WHERE LS IN ('V3', 'V4')
        QUALIFY count(DISTINCT LS) OVER (PARTITION BY CHILD) = 2""",
    ),
    error(
        "432",
        "The child ceased to be looked after at the end of the previous episode but the reason for the new episode "
        "is not started to be looked after.",
        ("RNE",),
        f"""SELECT CHILD, location FROM ep WHERE prev_rec IN {CEASED} AND RNE IS DISTINCT FROM 'S'""",
    ),
    error(
        "433",
        "The reason for new episode suggests that this is a continuation episode, but the episode does not start "
        "on the same day as the last episode finished.",
        ("RNE", "DECOM"),
        """SELECT CHILD, location FROM ep WHERE seq > 1 AND upper(RNE) IN ('P', 'L', 'T', 'U', 'B')
        AND (prev_dec IS NULL OR prev_dec <> decom_d)""",
    ),
    error(
        "435",
        "Reason for new episode is that child’s placement has changed but not the legal status, but this is not "
        "reflected in the episode data recorded.",
        ("LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"),
        # A change of placement only (P, or T: a temporary one): the legal status is the same and the
        # placement (type, postcode, URN or provider) is not; a blank is a value like any other.
        f"""SELECT CHILD, location FROM ep WHERE seq > 1 AND RNE IN ('P', 'T')
        AND (LS IS DISTINCT FROM prev_ls OR ({SAME_PLACEMENT}))""",
    ),
    error(
        "437",
        "Reason episode ceased is child has died or is aged 18 or over but there are further episodes.",
        ("REC",),
        # Any episode of the child's after it (one whose start is not a date comes last).
        """SELECT CHILD, location FROM (SELECT *, lead(row_no) OVER (PARTITION BY CHILD
            ORDER BY d(DECOM) NULLS LAST, row_no) AS next_row FROM episodes)
        WHERE d(DECOM) IS NOT NULL AND upper(REC) IN ('E2', 'E15') AND next_row IS NOT NULL""",
    ),
    error(
        "446",
        "E1 is not a valid code for episodes starting before December 2005.",
        ("LS", "DECOM"),
        "SELECT CHILD, location FROM episodes WHERE LS = 'E1' AND d(DECOM) < DATE '2005-12-01'",
    ),
    error(
        "504",
        "The category of need code differs from that reported at start of current period of being looked after",
        ("CIN",),
        # Each episode that continues the one before (X1, starting the day it ended) keeps its category.
        """SELECT CHILD, location FROM (SELECT *, lag(CIN) OVER (PARTITION BY CHILD ORDER BY decom_d, row_no)
            AS prev_cin FROM ep)
        WHERE prev_rec = 'X1' AND prev_dec = decom_d AND CIN IS DISTINCT FROM prev_cin""",
    ),
    error(
        "516",
        "The episode data submitted for this child does not show that he/she was with their former foster "
        "carer(s) during the year.If the code in the reason episode ceased is E45 or E46 the child must have a "
        "placement code of U1 to U6.",
        ("REC", "PLACE"),
        """SELECT CHILD, location FROM episodes WHERE REC IN ('E45', 'E46')
        AND coalesce(PLACE NOT IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6'), true)""",
    ),
    error(
        "526",
        "Child is missing a placement provider code for at least one episode.",
        ("PLACE", "PLACE_PROVIDER"),
        # Every placement but the temporary ones and Z1 (until 2024-25) or Z11 to Z14 (from 2025-26) has one.
        f"""SELECT CHILD, location FROM episodes, collection k WHERE PLACE_PROVIDER IS NULL
        AND NOT coalesce(PLACE IN {TEMPORARY} OR CASE WHEN year(k.end_date) < 2026 THEN PLACE = 'Z1'
            ELSE PLACE IN ('Z11', 'Z12', 'Z13', 'Z14') END, false)""",
    ),
]
