"""SSDA903 rules on the child's other records: the header, UASC, missing, reviews and previous
permanence (PrevPerm), alone or with the episodes."""

from .base import Rule
from .ssda903_common import error, invalid_date

# The children looked after continuously for the 12 months to 31 March, as the DfE defines it
# (903 validation rules, "continuously looked after") and Data to Insight applies it: some
# episode in the year, and none that starts a period of care after 1 April (RNE S), ends one
# in the year (a DEC from 1 April to 30 March whose REC is not X1, a blank REC included) or is
# respite (V3, V4) in the year.
_IN_YEAR = "d(DECOM) <= k.end_date AND (d(DEC) >= k.start_date OR d(DEC) IS NULL)"
CONTINUOUS = f"""(SELECT CHILD FROM episodes, collection k GROUP BY CHILD
    HAVING coalesce(bool_or({_IN_YEAR}), false) AND NOT coalesce(bool_or(
        (RNE = 'S' AND d(DECOM) > k.start_date AND d(DECOM) <= k.end_date)
        OR (REC IS DISTINCT FROM 'X1' AND d(DEC) >= k.start_date AND d(DEC) < k.end_date)
        OR (LS IN ('V3', 'V4') AND {_IN_YEAR})), false))"""

# SEX is 1/2 until 2023-24 and M/F/U from 2024-25 (returns/ssda903.py, uses_mfu).
MALE = "CASE WHEN year(k.end_date) >= 2025 THEN 'M' ELSE '1' END"
FEMALE = "CASE WHEN year(k.end_date) >= 2025 THEN 'F' ELSE '2' END"

OC2_12_MONTHS = (
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)
OC3_ITEMS = ("IN_TOUCH", "ACTIV", "ACCOM")
AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")


def _any_given(columns) -> str:
    return "(" + " OR ".join(f"{c} IS NOT NULL" for c in columns) + ")"


def _oc2_not_continuous(code: str, message: str, columns: tuple[str, ...]) -> Rule:
    """An OC2 item given for a child not looked after continuously for 12 months at 31 March."""
    return error(
        code,
        message,
        columns,
        f"SELECT CHILD, location FROM oc2 WHERE {_any_given(columns)} AND CHILD NOT IN {CONTINUOUS}",
    )


RULES: list[Rule] = [
    invalid_date(
        "1004",
        "The start date of the missing episode or episode that the child was away from placement without "
        "authorisation is not a valid date.",
        "missing",
        "MIS_START",
        blank_ok=False,
    ),
    invalid_date(
        "1005",
        "The end date of the missing episode or episode that the child was away from placement without "
        "authorisation is not a valid date.",
        "missing",
        "MIS_END",
    ),
    error(
        "1006",
        "Missing type invalid.",
        ("MISSING",),
        # M or A in any case (Data to Insight reads codes in capitals; 564 reads them so too); blank is 565's.
        "SELECT CHILD, location FROM missing WHERE upper(MISSING) NOT IN ('M', 'A')",
    ),
    error(
        "174",
        "Mother's child date of birth is recorded but sex shows that the child is a male.",
        ("SEX", "MC_DOB"),
        f"SELECT CHILD, location FROM header, collection k WHERE upper(SEX) = {MALE} AND MC_DOB IS NOT NULL",
    ),
    _oc2_not_continuous(
        "185",
        "Child has not been looked after continuously for at least 12 months at 31 March but a Strengths and "
        "Difficulties (SDQ) score has been completed.",
        ("SDQ_SCORE",),
    ),
    _oc2_not_continuous(
        "198",
        "Child has not been looked after continuously for at least 12 months at 31 March but a reason for no "
        "Strengths and Difficulties (SDQ) score has been completed.",
        ("SDQ_REASON",),
    ),
    _oc2_not_continuous(
        "190",
        "Child has not been looked after continuously for at least 12 months at 31 March but one or more data "
        "items relating to children looked after for 12 months have been completed.",
        OC2_12_MONTHS,
    ),
    error(
        "187",
        "Child cannot be looked after continuously for 12 months at 31 March (OC2) and have any of adoption or "
        "care leavers returns completed.",
        (*AD1_ITEMS, *OC3_ITEMS),
        f"""SELECT CHILD, location FROM oc3 WHERE {_any_given(OC3_ITEMS)} AND CHILD IN {CONTINUOUS}
        UNION ALL
        SELECT CHILD, location FROM ad1 WHERE {_any_given(AD1_ITEMS)} AND CHILD IN {CONTINUOUS}""",
    ),
    error(
        "191",
        "Child has been looked after continuously for at least 12 months at 31 March but one or more data items "
        "relating to children looked after for 12 months have been left blank.",
        ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "CHILD"),
        # A blank item in the child's OC2 row, or no OC2 row at all (at the child's first episode); only
        # when the return has the OC2 table, as 551 asks for its table.
        f"""SELECT CHILD, location FROM oc2 WHERE CHILD IN {CONTINUOUS}
            AND (IMMUNISATIONS IS NULL OR TEETH_CHECK IS NULL OR HEALTH_ASSESSMENT IS NULL OR SUBSTANCE_MISUSE IS NULL)
        UNION ALL
        SELECT CHILD, location FROM ep WHERE seq = 1 AND CHILD IN {CONTINUOUS}
            AND EXISTS (SELECT 1 FROM given WHERE name = 'OC2') AND CHILD NOT IN (SELECT CHILD FROM oc2)""",
    ),
    error(
        "209",
        "Child looked after is of school age and should not have an unknown Unique Pupil Number (UPN) code of UN1.",
        ("UPN", "DOB"),
        # Of school age: 4 by 31 August of the year before the collection year began (31 August 2024 for 2025-26).
        """SELECT CHILD, location FROM header, collection k
        WHERE UPN = 'UN1' AND d(DOB) + INTERVAL 4 YEAR <= make_date(year(k.start_date) - 1, 8, 31)""",
    ),
]
