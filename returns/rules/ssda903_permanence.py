"""SSDA903 rules on the permanence tables: OC2 (children looked after 12 months at 31 March), OC3
(care leavers), AD1 (adoption) and PlacedAdoption (decisions to place for adoption), alone or with
the header and the episodes."""

from .base import Rule
from .ssda903_common import error, invalid_date

# Any of the care leaver items (OC3) given, and any of the adoption items (AD1).
OC3_GIVEN = "(IN_TOUCH IS NOT NULL OR ACTIV IS NOT NULL OR ACCOM IS NOT NULL)"
AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
AD1_GIVEN = "(" + " OR ".join(f"{c} IS NOT NULL" for c in AD1_ITEMS) + ")"
# The child's latest episode by start (the DfE's "current" or "final" episode).
LATEST = "(SELECT * FROM ep WHERE seq = episodes)"


def _some_not_all(code: str, message: str, table: str, items: tuple[str, ...]) -> Rule:
    """Some of the items given but not all (they must all be coded or all left blank)."""
    some = " OR ".join(f"{c} IS NOT NULL" for c in items)
    every = " AND ".join(f"{c} IS NOT NULL" for c in items)
    return error(code, message, items, f"SELECT CHILD, location FROM {table} WHERE ({some}) AND NOT ({every})")


RULES: list[Rule] = [
    error(
        "1003",
        "Date of LA's decision that a child should be placed for adoption is before the child started to be "
        "looked after.",
        ("DATE_PLACED", "DECOM", "RNE"),
        # The child started to be looked after: the earliest episode whose reason for new episode is S.
        """SELECT p.CHILD, p.location FROM placedadoption p
        JOIN (SELECT CHILD, min(decom_d) AS started FROM ep WHERE RNE = 'S' GROUP BY CHILD) s USING (CHILD)
        WHERE d(p.DATE_PLACED) < s.started""",
    ),
    error(
        "1007",
        "Care leaver information is not required for 17- or 18-year olds who are still looked after [on their "
        "17th or 18th birthday.]",
        ("IN_TOUCH", "ACTIV", "ACCOM"),
        # 17 or 18 at 31 March, and an episode that began by the last birthday before then and had not ended
        # by it (still open counts: the DfE's "current episode DEC not provided"; Data to Insight needs a DEC).
        f"""SELECT o.CHILD, o.location FROM (
            SELECT *, CASE WHEN d(DOB) + to_years(year(k.end_date) - year(d(DOB))) > k.end_date
                THEN d(DOB) + to_years(year(k.end_date) - year(d(DOB)) - 1)
                ELSE d(DOB) + to_years(year(k.end_date) - year(d(DOB))) END AS birthday
            FROM oc3, collection k WHERE {OC3_GIVEN}
              AND d(DOB) + INTERVAL 17 YEAR <= k.end_date AND d(DOB) + INTERVAL 19 YEAR > k.end_date
        ) o
        WHERE EXISTS (SELECT 1 FROM ep WHERE ep.CHILD = o.CHILD AND ep.decom_d <= o.birthday
            AND (ep.dec_d > o.birthday OR ep.dec_d IS NULL))""",
    ),
    error(
        "1011",
        "This child is recorded as having his/her care transferred to another local authority for the final "
        "episode and therefore should not have the care leaver information completed.",
        ("IN_TOUCH", "ACTIV", "ACCOM"),
        f"""SELECT o.CHILD, o.location FROM oc3 o JOIN {LATEST} e USING (CHILD) WHERE e.REC = 'E3' AND {OC3_GIVEN}""",
    ),
    error(
        "1014",
        "UASC information is not required for care leavers",
        ("ACTIV", "ACCOM", "IN_TOUCH", "DUC"),
        # A child with UASC information and care leaver information but no episode open in the year.
        f"""SELECT o.CHILD, o.location FROM oc3 o WHERE {OC3_GIVEN}
        AND EXISTS (SELECT 1 FROM uasc u WHERE u.CHILD = o.CHILD)
        AND EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = o.CHILD)
        AND NOT EXISTS (SELECT 1 FROM episodes e, collection k WHERE e.CHILD = o.CHILD
            AND d(e.DECOM) <= k.end_date AND (d(e.DEC) >= k.start_date OR e.DEC IS NULL))""",
    ),
    error(
        "1016",
        "Care leaver information is not required for 17- or 18-year olds who cease to be looked after, after "
        "their birthday.",
        ("IN_TOUCH", "ACTIV", "ACCOM"),
        # 17 at 31 March and an episode ended on or after the 17th birthday; or 18 and on or after the 18th.
        f"""SELECT o.CHILD, o.location FROM oc3 o, collection k WHERE {OC3_GIVEN}
        AND EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = o.CHILD AND (
            (d(o.DOB) + INTERVAL 17 YEAR <= k.end_date AND d(o.DOB) + INTERVAL 18 YEAR > k.end_date
             AND d(e.DEC) >= d(o.DOB) + INTERVAL 17 YEAR)
            OR (d(o.DOB) + INTERVAL 18 YEAR <= k.end_date AND d(o.DOB) + INTERVAL 19 YEAR > k.end_date
             AND d(e.DEC) >= d(o.DOB) + INTERVAL 18 YEAR)))""",
        years=(2024, 2025, 2026, 2027),
    ),
    invalid_date("112", "Date should be placed for adoption is not a valid date.", "ad1", "DATE_INT"),
    invalid_date("113", "Date matching child and adopter(s) is not a valid date.", "ad1", "DATE_MATCH"),
    error(
        "114",
        "Data entry to record the status of former carer(s) of an adopted child is invalid.",
        ("FOSTER_CARE",),
        "SELECT CHILD, location FROM ad1 WHERE FOSTER_CARE NOT IN ('0', '1')",
    ),
    invalid_date(
        "115",
        "Date of Local Authority's (LA) decision that a child should be placed for adoption is not a valid date.",
        "placedadoption",
        "DATE_PLACED",
    ),
    invalid_date(
        "116",
        "Date of Local Authority's (LA) decision that a child should no longer be placed for adoption is not a "
        "valid date.",
        "placedadoption",
        "DATE_PLACED_CEASED",
    ),
    error(
        "117",
        "Date of decision that a child should/should no longer be placed for adoption is beyond the current "
        "collection year or after the child ceased to be looked after.",
        ("DATE_PLACED_CEASED", "DATE_PLACED", "DEC", "REC", "DECOM"),
        # Ceased to be looked after: the end of the latest episode that was not a change of placement (X1).
        """SELECT p.CHILD, p.location FROM placedadoption p, collection k,
            (SELECT CHILD, arg_max(dec_d, (decom_d, row_no)) AS ceased FROM ep
             WHERE REC IS DISTINCT FROM 'X1' GROUP BY CHILD) e
        WHERE e.CHILD = p.CHILD AND (d(p.DATE_PLACED) > k.end_date OR d(p.DATE_PLACED) > e.ceased
            OR d(p.DATE_PLACED_CEASED) > k.end_date OR d(p.DATE_PLACED_CEASED) > e.ceased)""",
    ),
    error(
        "118",
        "Date of decision that a child should no longer be placed for adoption is before the current collection "
        "year or before the date the child started to be looked after.",
        ("DATE_PLACED_CEASED", "DECOM", "LS"),
        # Started to be looked after: the earliest episode whose legal status is not short breaks (V3, V4).
        """SELECT p.CHILD, p.location FROM placedadoption p, collection k,
            (SELECT CHILD, min(decom_d) AS started FROM ep WHERE LS IS NULL OR LS NOT IN ('V3', 'V4')
             GROUP BY CHILD) e
        WHERE e.CHILD = p.CHILD AND (d(p.DATE_PLACED_CEASED) < e.started OR d(p.DATE_PLACED_CEASED) < k.start_date)""",
    ),
    error(
        "119",
        "If the decision is made that a child should no longer be placed for adoption, then the date of this "
        "decision and the reason why this decision was made must be completed.",
        ("REASON_PLACED_CEASED", "DATE_PLACED_CEASED"),
        "SELECT CHILD, location FROM placedadoption "
        "WHERE (DATE_PLACED_CEASED IS NULL) <> (REASON_PLACED_CEASED IS NULL)",
    ),
    error(
        "120",
        "The reason for the reversal of the decision that the child should be placed for adoption code is not valid.",
        ("REASON_PLACED_CEASED",),
        "SELECT CHILD, location FROM placedadoption WHERE REASON_PLACED_CEASED NOT IN ('RD1', 'RD2', 'RD3', 'RD4')",
    ),
]
