"""SSDA903 rules on how an episode began or ceased (adoption, adult social care, staying with the
carers at 18), the child's age (351) and the convictions item of OC2."""

from returns.ssda903.rules.common import error

RULES = [
    error(
        "217",
        "Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a "
        "reason for new episode of S, T or U.",
        ("DECOM", "PLACE", "RNE"),
        # For episodes beginning on or after 1 April 2015, when the rule came in.
        """SELECT CHILD, location FROM episodes WHERE PLACE IN ('A3', 'A5') AND d(DECOM) >= DATE '2015-04-01'
        AND coalesce(RNE NOT IN ('S', 'T', 'U'), true)""",
    ),
    error(
        "389",
        "Reason episode ceased is that child transferred to care of adult social care services, but child is aged "
        "under 16.",
        ("REC",),
        # Not 16 by the day the episode ceased (an episode without a valid DEC or DOB cannot show it).
        """SELECT e.CHILD, e.location FROM episodes e LEFT JOIN header h USING (CHILD)
        WHERE upper(e.REC) = 'E7' AND NOT coalesce(d(h.DOB) + INTERVAL 16 YEAR <= d(e.DEC), false)""",
    ),
    error(
        "390",
        "Reason episode ceased is adopted but child has not been previously placed for adoption.",
        ("PLACE", "REC"),
        """SELECT CHILD, location FROM episodes WHERE REC IN ('E11', 'E12')
        AND coalesce(PLACE NOT IN ('A3', 'A4', 'A5', 'A6'), true)""",
    ),
    error(
        "542",
        "A child aged under 10 at 31 March should not have conviction information completed.",
        ("CONVICTED",),
        """SELECT CHILD, location FROM oc2, collection k
        WHERE CONVICTED IS NOT NULL AND d(DOB) + INTERVAL 10 YEAR > k.end_date""",
    ),
    error(
        "460",
        "Reason episode ceased is that child stayed with current carers at age 18 (or above), but child is aged "
        "under 18.",
        ("DEC", "REC"),
        """SELECT e.CHILD, e.location FROM episodes e JOIN header h USING (CHILD)
        WHERE e.REC = 'E17' AND d(h.DOB) + INTERVAL 18 YEAR > d(e.DEC)""",
    ),
    error(
        "351",
        "Child was over 25 at the start of the current collection year.",
        ("DOB",),
        "SELECT CHILD, location FROM header, collection k WHERE d(DOB) + INTERVAL 25 YEAR < k.start_date",
    ),
]
