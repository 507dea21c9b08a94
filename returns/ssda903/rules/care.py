"""SSDA903 rules on the period of care: ages and lengths of placements, temporary placements,
respite, the reason for a new episode against what changed, and the outcomes tables (UASC, OC2,
OC3) and reviews."""

from returns.rules.base import Rule
from returns.ssda903.rules.common import codes, error

TEMPORARY = codes(("T0", "T1", "T2", "T3", "T4"))
RESPITE = "('V3', 'V4')"


def _at_least(code: str, message: str, place: str, years: int) -> Rule:
    """The child must be at least `years` old when an episode with this placement begins."""
    return error(
        code,
        message,
        ("DECOM", "PLACE"),
        f"""SELECT e.CHILD, e.location FROM episodes e JOIN header h USING (CHILD)
        WHERE e.PLACE = '{place}' AND d(e.DECOM) < d(h.DOB) + INTERVAL {years} YEAR""",
    )


def _at_most_days(code: str, message: str, place: str, days: int) -> Rule:
    """An ended episode with this placement lasts at most `days` days."""
    return error(
        code,
        message,
        ("DECOM", "PLACE"),
        f"SELECT CHILD, location FROM episodes WHERE PLACE = '{place}' AND d(DEC) > d(DECOM) + INTERVAL {days} DAY",
    )


# The placement of an episode, compared with the previous episode's: a blank is a value like any other.
_SAME_PLACEMENT = """coalesce(PLACE, '') = coalesce(prev_place, '')
    AND coalesce(PL_POST, '') = coalesce(prev_pl_post, '')
    AND coalesce(URN, '') = coalesce(prev_urn, '')
    AND coalesce(PLACE_PROVIDER, '') = coalesce(prev_provider, '')"""

RULES = [
    _at_least("372", "Child in youth custody or prison should be at least 10.", "R5", 10),
    _at_least("373", "Child placed in a school should be at least 4 years old.", "S1", 4),
    _at_least("374", "Child in residential employment should be at least 14 years old.", "P3", 14),
    _at_most_days("375", "Hospitalisation coded as a temporary placement exceeds six weeks.", "T1", 42),
    _at_most_days(
        "379", "Temporary placements for unspecified reason (placement code T4) cannot exceed seven days.", "T4", 7
    ),
    error(
        "378",
        "A child who is placed with parent(s) cannot be looked after under a single period of accommodation under "
        "Section 20 of the Children Act 1989.",
        ("LS", "PLACE"),
        "SELECT CHILD, location FROM episodes WHERE PLACE = 'P1' AND LS = 'V2'",
    ),
    error(
        "380",
        "A period of care cannot start with a temporary placement.",
        ("PLACE", "RNE"),
        f"SELECT CHILD, location FROM episodes WHERE PLACE IN {TEMPORARY} AND coalesce(RNE NOT IN ('P', 'B'), true)",
    ),
    error(
        "381",
        "A period of care cannot end with a temporary placement.",
        ("PLACE", "REC"),
        f"SELECT CHILD, location FROM episodes WHERE PLACE IN {TEMPORARY} AND REC <> 'X1'",
    ),
    error(
        "382",
        "A child receiving respite care cannot be in a temporary placement.",
        ("LS", "PLACE"),
        f"SELECT CHILD, location FROM episodes WHERE LS IN {RESPITE} AND PLACE IN {TEMPORARY}",
    ),
    error(
        "384",
        "A child receiving respite care cannot be in a long-term foster placement",
        ("LS", "PLACE"),
        f"SELECT CHILD, location FROM episodes WHERE LS IN {RESPITE} AND PLACE IN ('U1', 'U4')",
    ),
    error(
        "431",
        "The reason for new episode is started to be looked after, but the previous episode ended on the same day.",
        ("DECOM", "RNE"),
        "SELECT CHILD, location FROM ep WHERE RNE = 'S' AND decom_d <= prev_dec",
    ),
    error(
        "434",
        "Reason for new episode is that child's legal status has changed but not the placement, but this is not "
        "reflected in the episode data.",
        ("LS", "PLACE", "PLACE_PROVIDER", "PL_POST", "RNE", "URN"),
        f"""SELECT CHILD, location FROM ep WHERE seq > 1 AND RNE = 'L'
        AND (coalesce(LS = prev_ls, false) OR NOT ({_SAME_PLACEMENT}))""",
    ),
    error(
        "436",
        "Reason for new episode is that both child’s placement and legal status have changed, but this is not "
        "reflected in the episode data.",
        ("LS", "PLACE", "PLACE_PROVIDER", "PL_POST", "RNE", "URN"),
        f"""SELECT CHILD, location FROM ep WHERE seq > 1 AND RNE IN ('U', 'B')
        AND (coalesce(LS, '') = coalesce(prev_ls, '') OR ({_SAME_PLACEMENT}))""",
    ),
    error(
        "104",
        "Date for Unaccompanied Asylum-Seeking Children (UASC) status ceased is not a valid date.",
        ("DUC",),
        "SELECT CHILD, location FROM uasc, collection k "
        "WHERE DUC IS NOT NULL AND coalesce(d(DUC) < k.start_date, true)",
    ),
    error(
        "158",
        "If a child has been recorded as receiving an intervention for their substance misuse problem, then the "
        "additional item on whether an intervention was offered should be left blank.",
        ("INTERVENTION_OFFERED", "INTERVENTION_RECEIVED"),
        "SELECT CHILD, location FROM oc2 WHERE INTERVENTION_RECEIVED = '1' AND INTERVENTION_OFFERED IS NOT NULL",
    ),
    error(
        "441",
        "Participation method indicates child was 4 years old or over at the time of the review, but the date of "
        "birth and review date indicates the child was under 4 years old.",
        ("DOB", "REVIEW", "REVIEW_CODE"),
        """SELECT CHILD, location FROM reviews WHERE REVIEW_CODE IN ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7')
        AND d(REVIEW) < d(DOB) + INTERVAL 4 YEAR""",
    ),
    error(
        "131",
        "Data entry for being in touch after leaving care is invalid.",
        ("IN_TOUCH",),
        "SELECT CHILD, location FROM oc3 WHERE NOT coalesce(IN_TOUCH IN (SELECT code FROM codelist "
        "WHERE list = 'IN_TOUCH'), false)",
    ),
    error(
        "133",
        "Data entry for accommodation after leaving care is invalid. If reporting on a childs accommodation after "
        "leaving care the data entry must be valid",
        ("ACCOM",),
        "SELECT CHILD, location FROM oc3 WHERE NOT coalesce(ACCOM IN (SELECT code FROM codelist "
        "WHERE list = 'ACCOM'), false)",
    ),
]
