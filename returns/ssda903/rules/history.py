"""SSDA903 rules on the child's history, which the DfE reads from every return it holds: no postcodes
for a child who is not and was not UASC (392b), episodes after an adoption from care (199), care
leaver information for a child who died in care (1000), who was not a relevant or former relevant
child (1001) or who has no episode of care at all (1002).

We hold this year's return and, when the register has it, last year's (`episodes_last`, `header_last`,
`uasc_last`, `uasc_status_last`; returns/ssda903/validation.py). 392b, 199 and 1000 run on this year's
return alone when last year's is not held (they then miss what only last year's says) and the run says
so; 1001 and 1002 need last year's, as without it nearly every care leaver would be found. The DfE's
"two previous returns" (392b) and earlier years are not held. Data to Insight's messages add
"[NOTE: ...]" about what their tool loads; ours leave that out. Their kind is "error" for want of the
DfE's class (not found: docs/validation-rules-903-lastyear.md, "Sources searched"). See that page and
decision 0062."""

from dataclasses import replace

from returns.rules.base import Rule
from returns.ssda903.rules.common import error

SHORT_BREAK = "coalesce(LS, '') IN ('V3', 'V4')"
ADOPTED = "upper(REC) IN ('E11', 'E12')"
# UASC this year or last year: a row in the UASC table (CSV) or UASC 1 in the XML header.
WAS_UASC = """CHILD IN (SELECT CHILD FROM uasc UNION SELECT CHILD FROM uasc_status WHERE UASC = '1'
    UNION SELECT CHILD FROM uasc_last UNION SELECT CHILD FROM uasc_status_last WHERE UASC = '1')"""

# Each child's episodes of both years with a valid start, one row per start (the open episode of last
# year is this year's first: the one with an end is kept), the latest one's missing end read as 31 March.
BOTH_YEARS = """(SELECT CHILD, LS, REC, decom_d, latest,
        CASE WHEN dec_d IS NULL AND latest THEN (SELECT end_date FROM collection) ELSE dec_d END AS dec_d
    FROM (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY decom_d DESC) = 1 AS latest
        FROM (SELECT *, row_number() OVER (PARTITION BY CHILD, decom_d ORDER BY dec_d NULLS LAST, now DESC) AS r
            FROM (SELECT CHILD, LS, REC, d(DECOM) AS decom_d, d(DEC) AS dec_d, true AS now FROM episodes
                UNION ALL SELECT CHILD, LS, REC, d(DECOM), d(DEC), false FROM episodes_last)
            WHERE decom_d IS NOT NULL)
        WHERE r = 1))"""

# 1001: days looked after (short breaks aside) since the 14th and since the 16th birthday, and whether
# the latest episode ended in adoption, for each child under 20 at 31 March (two years of returns
# cannot show the care of an older one).
CARE_AS_TEEN = f"""SELECT e.CHILD,
        sum(greatest(date_diff('day', greatest(e.decom_d, d(h.DOB) + INTERVAL 14 YEAR), e.dec_d), 0)) AS after_14,
        sum(greatest(date_diff('day', greatest(e.decom_d, d(h.DOB) + INTERVAL 16 YEAR), e.dec_d), 0)) AS after_16
    FROM {BOTH_YEARS} e JOIN header h ON h.CHILD = e.CHILD
    WHERE NOT {SHORT_BREAK} GROUP BY e.CHILD"""


def _with_last(code: str, message: str, fields: tuple[str, ...], sql: str, needs: bool = False) -> Rule:
    rule = error(code, message, fields, sql)
    return replace(rule, needs_previous=True) if needs else replace(rule, reads_previous=True)


RULES = [
    _with_last(
        "392b",
        "Child is looked after but no postcodes are recorded.",
        ("HOME_POST", "PL_POST"),
        # Short breaks aside, both postcodes, unless the child is UASC or was last year (the year before
        # last, which the DfE reads too, is not held: such a child is found).
        f"""SELECT CHILD, location FROM episodes WHERE NOT {SHORT_BREAK} AND (HOME_POST IS NULL OR PL_POST IS NULL)
            AND NOT {WAS_UASC}""",
    ),
    _with_last(
        "199",
        "Episode information shows child has been previously adopted from care.",
        ("CHILD",),
        # An episode that began after one (this year's or last year's) that ended in adoption.
        f"""SELECT e.CHILD, e.location FROM ep e WHERE EXISTS (SELECT 1 FROM
            (SELECT CHILD, d(DECOM) AS decom_d FROM episodes WHERE {ADOPTED}
             UNION ALL SELECT CHILD, d(DECOM) FROM episodes_last WHERE {ADOPTED}) a
            WHERE a.CHILD = e.CHILD AND a.decom_d < e.decom_d)""",
    ),
    _with_last(
        "1000",
        "This child is recorded as having died in care and therefore should not have the care leaver information "
        "completed.",
        ("IN_TOUCH", "ACTIV", "ACCOM"),
        """SELECT o.CHILD, o.location FROM oc3 o WHERE o.CHILD IN
            (SELECT CHILD FROM episodes WHERE upper(REC) = 'E2'
             UNION SELECT CHILD FROM episodes_last WHERE upper(REC) = 'E2')""",
    ),
    _with_last(
        "1001",
        "The episodes recorded for this young person suggest they are not a relevant or a former relevant child "
        "and therefore should not have care leaver information completed.",
        ("IN_TOUCH", "ACTIV", "ACCOM"),
        # Not looked after for 13 weeks (91 days) since the 14th birthday, some of it after the 16th; or the
        # latest episode ended in adoption.
        f"""SELECT o.CHILD, o.location FROM oc3 o JOIN header h ON h.CHILD = o.CHILD CROSS JOIN collection k
            LEFT JOIN ({CARE_AS_TEEN}) c ON c.CHILD = o.CHILD
            WHERE d(h.DOB) + INTERVAL 20 YEAR > k.end_date
            AND (coalesce(c.after_14, 0) < 91 OR coalesce(c.after_16, 0) < 1
                OR o.CHILD IN (SELECT CHILD FROM {BOTH_YEARS} WHERE latest AND {ADOPTED}))""",
        needs=True,
    ),
    _with_last(
        "1002",
        "This child has no previous episodes of care, therefore should not have care leaver information recorded.",
        ("IN_TOUCH", "ACTIV", "ACCOM"),
        """SELECT o.CHILD, o.location FROM oc3 o WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = o.CHILD)
            AND NOT EXISTS (SELECT 1 FROM episodes_last l WHERE l.CHILD = o.CHILD)""",
        needs=True,
    ),
]
