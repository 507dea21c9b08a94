"""SSDA903 rules on the permanence tables: OC2 (children looked after 12 months at 31 March), OC3
(care leavers), AD1 (adoption) and PlacedAdoption (decisions to place for adoption), alone or with
the header and the episodes."""

from returns.rules.base import WARNING, Rule
from returns.ssda903.reader import FLAGS as OC2_COLUMNS
from returns.ssda903.rules.child import CONTINUOUS, FEMALE, MALE
from returns.ssda903.rules.common import SOURCE, YEARS, codes, error, invalid_code, invalid_date

# Any of the care leaver items (OC3) given, and any of the adoption items (AD1).
OC3_GIVEN = "(IN_TOUCH IS NOT NULL OR ACTIV IS NOT NULL OR ACCOM IS NOT NULL)"
AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")
AD1_GIVEN = "(" + " OR ".join(f"{c} IS NOT NULL" for c in AD1_ITEMS) + ")"
OC2_FLAGS = OC2_COLUMNS  # the OC2 items, as the 903 reader lists them
HEALTH_ITEMS = ("IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE")
# The activity codes of rule 132 (the DfE's list: F3 and P3 are no longer codes, 0 is one).
ACTIV_CODES = "('F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5', 'G4', 'G5', 'G6', '0')"
SDQ_GIVEN = "(SDQ_SCORE IS NOT NULL OR SDQ_REASON IS NOT NULL)"
PLACED_FOR_ADOPTION = "('A3', 'A4', 'A5', 'A6')"
# Rules that look for a child's missing PlacedAdoption row hold only when the table was given.
PLACED_GIVEN = "EXISTS (SELECT 1 FROM given WHERE name = 'PlacedAdoption')"
# The child's latest episode by start (the DfE's "current" or "final" episode).
LATEST = "(SELECT * FROM ep WHERE seq = episodes)"


def _adopters(code: str, message: str, status: str, sexes: tuple[str, ...]) -> Rule:
    """The adopters' legal status `status` with a SEX_ADOPTR (a blank one too) other than `sexes`."""
    return error(
        code,
        message,
        ("LS_ADOPTR", "SEX_ADOPTR"),
        f"SELECT CHILD, location FROM ad1 WHERE LS_ADOPTR = '{status}' "
        f"AND coalesce(SEX_ADOPTR NOT IN {codes(sexes)}, true)",
    )


def _health_items(code: str, message: str, item: str) -> Rule:
    """`item` is 1 but one of immunisations, teeth check, health assessment or substance misuse is blank."""
    return error(
        code,
        message,
        (item, *HEALTH_ITEMS),
        f"SELECT CHILD, location FROM oc2 WHERE {item} = '1' AND ("
        + " OR ".join(f"{c} IS NULL" for c in HEALTH_ITEMS)
        + ")",
    )


def _order_without_decision(code: str, message: str, status: str, years: tuple[int, ...]) -> Rule:
    """An episode under the order (legal status `status`) for a child with no PlacedAdoption row, or a
    decision no longer to place for adoption while an episode under the order is still open."""
    return error(
        code,
        message,
        ("CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
        f"""SELECT e.CHILD, e.location FROM episodes e WHERE e.LS = '{status}' AND {PLACED_GIVEN}
            AND NOT EXISTS (SELECT 1 FROM placedadoption p WHERE p.CHILD = e.CHILD)
        UNION ALL
        SELECT p.CHILD, p.location FROM placedadoption p
        WHERE (p.DATE_PLACED_CEASED IS NOT NULL OR p.REASON_PLACED_CEASED IS NOT NULL)
            AND EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = p.CHILD AND e.LS = '{status}' AND e.DEC IS NULL)""",
        years,
    )


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
    error(
        "132",
        "Data entry for activity after leaving care is invalid.",
        ("ACTIV",),
        f"SELECT CHILD, location FROM oc3 WHERE NOT coalesce(ACTIV IN {ACTIV_CODES}, false)",
    ),
    error(
        "134",
        "Data on adoption should not be entered for the OC3 cohort.",
        ("IN_TOUCH", "ACTIV", "ACCOM", *AD1_ITEMS),
        f"""SELECT a.CHILD, a.location FROM ad1 a WHERE {AD1_GIVEN}
        AND EXISTS (SELECT 1 FROM oc3 o WHERE o.CHILD = a.CHILD AND {OC3_GIVEN})""",
    ),
    _some_not_all("151", "All data items relating to a childs adoption must be coded or left blank.", "ad1", AD1_ITEMS),
    _some_not_all(
        "153",
        "All data items relating to a child's activity or accommodation after leaving care must be coded or left "
        "blank.",
        "oc3",
        ("IN_TOUCH", "ACTIV", "ACCOM"),
    ),
    error(
        "159",
        "If a child has been recorded as not receiving an intervention for their substance misuse problem, then the "
        "additional item on whether an intervention was offered should be completed as well.",
        ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
        """SELECT CHILD, location FROM oc2
        WHERE SUBSTANCE_MISUSE = '1' AND INTERVENTION_RECEIVED = '0' AND INTERVENTION_OFFERED IS NULL""",
    ),
    error(
        "165",
        "Data entry for mother status is invalid.",
        ("MOTHER", "SEX", "ACTIV", "ACCOM", "IN_TOUCH", "DECOM"),
        # Among children with an episode that is not a short break (V3, V4): MOTHER not 0 or 1; given for a
        # boy; blank for a girl looked after in the year; or given for a girl not looked after in the year
        # who has care leaver information. Boy and girl in the year's codes (1/2, M/F from 2024-25); Data to
        # Insight reads 1/2 in every year (see docs/validation-rules-903-permanence.md).
        f"""SELECT h.CHILD, h.location FROM header h CROSS JOIN collection kk JOIN (
            SELECT CHILD, coalesce(bool_or(d(DECOM) <= k.end_date AND coalesce(d(DEC), k.end_date) >= k.start_date),
                false) AS in_year
            FROM episodes, collection k WHERE LS IS NULL OR upper(LS) NOT IN ('V3', 'V4') GROUP BY CHILD
        ) e USING (CHILD)
        WHERE (h.MOTHER IS NOT NULL AND h.MOTHER NOT IN ('0', '1'))
            OR (h.MOTHER IS NOT NULL AND upper(h.SEX) = {MALE.replace("k.", "kk.")})
            OR (h.MOTHER IS NULL AND upper(h.SEX) = {FEMALE.replace("k.", "kk.")} AND e.in_year)
            OR (h.MOTHER IS NOT NULL AND upper(h.SEX) = {FEMALE.replace("k.", "kk.")} AND NOT e.in_year
                AND EXISTS (SELECT 1 FROM oc3 o WHERE o.CHILD = h.CHILD AND {OC3_GIVEN}))""",
    ),
    error(
        "175",
        "The number of adopter(s) code is not a valid code.",
        ("NB_ADOPTR",),
        "SELECT CHILD, location FROM ad1 WHERE NB_ADOPTR NOT IN ('1', '2')",
    ),
    invalid_code(
        "176", "The gender of adopter(s) at the date of adoption code is not a valid code.", "ad1", "SEX_ADOPTR"
    ),
    invalid_code("177", "The legal status of adopter(s) code is not a valid code.", "ad1", "LS_ADOPTR"),
    error(
        "180",
        "Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.",
        ("SDQ_SCORE",),
        # A whole number from 0 to 40 ("12.0" is one).
        """SELECT CHILD, location FROM oc2 WHERE SDQ_SCORE IS NOT NULL AND NOT coalesce(
            TRY_CAST(SDQ_SCORE AS DOUBLE) IN (SELECT unnest(range(0, 41))::DOUBLE), false)""",
    ),
    error(
        "181",
        "Data items relating to children looked after continuously for 12 months should be completed with a 0 or 1.",
        OC2_FLAGS,
        "SELECT CHILD, location FROM oc2 WHERE " + " OR ".join(f"{c} NOT IN ('0', '1')" for c in OC2_FLAGS),
    ),
    error(
        "182",
        "Data entries on immunisations, teeth checks, health assessments and substance misuse problem identified "
        "should be completed or all OC2 fields should be left blank.",
        (*OC2_FLAGS[2:6], *OC2_FLAGS[:2], *OC2_FLAGS[6:]),
        """SELECT CHILD, location FROM oc2
        WHERE (IMMUNISATIONS IS NULL OR TEETH_CHECK IS NULL OR HEALTH_ASSESSMENT IS NULL OR SUBSTANCE_MISUSE IS NULL)
        AND (CONVICTED IS NOT NULL OR HEALTH_CHECK IS NOT NULL OR INTERVENTION_RECEIVED IS NOT NULL
            OR INTERVENTION_OFFERED IS NOT NULL)""",
    ),
    error(
        "184",
        "Date of decision that a child should be placed for adoption is before the child was born.",
        ("DATE_PLACED", "DOB"),
        "SELECT CHILD, location FROM placedadoption WHERE d(DATE_PLACED) < d(DOB)",
    ),
    error(
        "186",
        "Children aged 4 or over at the start of the year and children aged under 17 at the end of the year and "
        "who have been looked after for at least 12 months continuously should have a Strengths and Difficulties "
        "(SDQ) score completed.",
        ("SDQ_SCORE",),
        f"""SELECT CHILD, location FROM oc2, collection k WHERE NOT {SDQ_GIVEN}
        AND d(DOB) + INTERVAL 4 YEAR <= k.start_date AND d(DOB) + INTERVAL 17 YEAR > k.end_date
        AND CHILD IN {CONTINUOUS}""",
    ),
    error(
        "188",
        "Child is aged under 4 years at the end of the year, but a Strengths and Difficulties (SDQ) score or a "
        "reason for no SDQ score has been completed.",
        ("SDQ_SCORE", "SDQ_REASON"),
        f"SELECT CHILD, location FROM oc2, collection k WHERE {SDQ_GIVEN} AND d(DOB) + INTERVAL 4 YEAR > k.end_date",
    ),
    error(
        "189",
        "Child is aged 17 years or over at the beginning of the year, but an Strengths and Difficulties (SDQ) score "
        "or a reason for no Strengths and Difficulties (SDQ) score has been completed.",
        ("DOB", "SDQ_SCORE", "SDQ_REASON"),
        f"SELECT CHILD, location FROM oc2, collection k WHERE {SDQ_GIVEN} AND d(DOB) + INTERVAL 17 YEAR < k.start_date",
    ),
    error(
        "192",
        "Child has been identified as having a substance misuse problem but the additional item on whether an "
        "intervention was received has been left blank.",
        ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"),
        "SELECT CHILD, location FROM oc2 WHERE SUBSTANCE_MISUSE = '1' AND INTERVENTION_RECEIVED IS NULL",
    ),
    error(
        "193",
        "Child not identified as having a substance misuse problem but at least one of the two additional items on "
        "whether an intervention were offered and received have been completed.",
        ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
        """SELECT CHILD, location FROM oc2 WHERE coalesce(SUBSTANCE_MISUSE = '0', true)
        AND (INTERVENTION_RECEIVED IS NOT NULL OR INTERVENTION_OFFERED IS NOT NULL)""",
    ),
    invalid_code("196", "Strengths and Difficulties (SDQ) reason is not a valid code.", "oc2", "SDQ_REASON"),
    error(
        "197a",
        "Reason for no Strengths and Difficulties (SDQ) score is not required if Strengths and Difficulties "
        "Questionnaire score is filled in.",
        ("SDQ_SCORE", "SDQ_REASON"),
        "SELECT CHILD, location FROM oc2 WHERE SDQ_SCORE IS NOT NULL AND SDQ_REASON IS NOT NULL",
    ),
    error(
        "215",
        "Child has care leaver information but one or more data items relating to children looked after for 12 "
        "months have been completed.",
        ("IN_TOUCH", "ACTIV", "ACCOM", *OC2_FLAGS),
        f"""SELECT o.CHILD, o.location FROM oc3 o WHERE {OC3_GIVEN} AND EXISTS (SELECT 1 FROM oc2 t
            WHERE t.CHILD = o.CHILD AND ({" OR ".join(f"t.{c} IS NOT NULL" for c in OC2_FLAGS)}))""",
    ),
    error(
        "3001",
        "Where care leavers information is being returned for a young person around their 17th birthday, the "
        "accommodation cannot be with their former foster carer(s).",
        ("ACCOM", "DOB"),
        # 17 in the collection year (the header's DOB) and living with former foster carers (Z1, Z2).
        """SELECT o.CHILD, o.location FROM oc3 o JOIN header h USING (CHILD), collection k
        WHERE upper(o.ACCOM) IN ('Z1', 'Z2')
        AND d(h.DOB) + INTERVAL 17 YEAR BETWEEN k.start_date AND k.end_date""",
    ),
    error(
        "331",
        "Date of matching child and adopter(s) should be the same as, or prior to, the date of placement of adoption.",
        ("DATE_MATCH", "DECOM", "REC"),
        # The placement of adoption: the start of an episode that ended in adoption (E11, E12).
        """SELECT a.CHILD, a.location FROM ad1 a JOIN episodes e USING (CHILD)
        WHERE e.REC IN ('E11', 'E12') AND d(a.DATE_MATCH) > d(e.DECOM)""",
    ),
    error(
        "333",
        "Date should be placed for adoption must be on or prior to the date of matching child with adopter(s).",
        ("DATE_INT",),
        # With a date of matching, the date of the decision must be given and not after it.
        "SELECT CHILD, location FROM ad1 WHERE d(DATE_MATCH) IS NOT NULL "
        "AND coalesce(d(DATE_INT) > d(DATE_MATCH), true)",
    ),
    error(
        "334",
        "Date child started to be looked after in latest period of care must be on or prior to the date should be "
        "placed for adoption.",
        ("DATE_INT", "DECOM", "RNE"),
        # The latest period of care began with the latest episode whose reason for new episode is S.
        """SELECT a.CHILD, a.location FROM ad1 a
        JOIN (SELECT CHILD, max(decom_d) AS started FROM ep WHERE RNE = 'S' GROUP BY CHILD) s USING (CHILD)
        WHERE d(a.DATE_INT) < s.started""",
    ),
    error(
        "335",
        "The current foster value (0) suggests that child is not adopted by current foster carer, but last placement "
        "is A2, A3, or A5. Or the current foster value (1) suggests that child is adopted by current foster carer, "
        "but last placement is A1, A4 or A6.",
        ("PLACE", "FOSTER_CARE"),
        # An episode that ended in adoption (E1, E11, E12) in a placement that contradicts FOSTER_CARE.
        """SELECT a.CHILD, a.location FROM ad1 a JOIN episodes e USING (CHILD) WHERE e.REC IN ('E1', 'E11', 'E12')
        AND ((e.PLACE IN ('A2', 'A3', 'A5') AND a.FOSTER_CARE = '0')
            OR (e.PLACE IN ('A1', 'A4', 'A6') AND a.FOSTER_CARE = '1'))""",
    ),
    error(
        "344",
        "The record shows the young person has died or returned home to live with parent(s) or someone with "
        "parental responsibility for a continuous period of 6 months or more, but activity and/or accommodation on "
        "leaving care have been completed.",
        ("IN_TOUCH", "ACTIV", "ACCOM"),
        # Both must then be 0 (a blank is not 0).
        """SELECT CHILD, location FROM oc3 WHERE IN_TOUCH IN ('DIED', 'RHOM')
        AND (ACTIV IS DISTINCT FROM '0' OR ACCOM IS DISTINCT FROM '0')""",
    ),
    error(
        "345",
        "The data collection record shows the local authority is in touch with this young person, but activity "
        "and/or accommodation data items are zero.",
        ("IN_TOUCH", "ACTIV", "ACCOM"),
        "SELECT CHILD, location FROM oc3 WHERE IN_TOUCH = 'YES' AND (ACTIV = '0' OR ACCOM = '0')",
    ),
    error(
        "347",
        "Care leavers aged under 18 years, can not be accommodated in a Foyer.",
        ("ACCOM", "DOB"),
        # A Foyer is accommodation T (T1 suitable, T2 not); the age is at the start of the collection year.
        """SELECT CHILD, location FROM oc3, collection k
        WHERE ACCOM IN ('T1', 'T2') AND d(DOB) + INTERVAL 18 YEAR > k.start_date""",
        years=(2024, 2025, 2026, 2027),
    ),
    error(
        "391",
        "Young person was not 17, 18, 19, 20 or 21 during the current collection year.",
        ("DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
        # Under 17 at 31 March with care leaver information.
        f"SELECT CHILD, location FROM oc3, collection k WHERE {OC3_GIVEN} AND d(DOB) + INTERVAL 17 YEAR > k.end_date",
    ),
    error(
        "511",
        "If reporting that the number of person(s) adopting the looked after child is two adopters then the code "
        "should only be MM, FF or MF. MM = the adopting couple are both males; FF = the adopting couple are both "
        "females; MF = The adopting couple are male and female.",
        ("NB_ADOPTR", "SEX_ADOPTR"),
        "SELECT CHILD, location FROM ad1 WHERE NB_ADOPTR = '2' AND SEX_ADOPTR IN ('M1', 'F1')",
    ),
    _adopters(
        "514",
        "Data entry on the legal status of adopters shows a single adopter but data entry for the numbers of "
        "adopters shows it as a couple.",
        "L0",
        ("M1", "F1"),
    ),
    _adopters(
        "517",
        "If reporting legal status of adopters is L3 then the genders of adopters should be coded as MF. MF = the "
        "adopting couple are male and female.",
        "L3",
        ("MF",),
    ),
    _adopters(
        "518",
        "If reporting legal status of adopters is L4 then the genders of adopters should be coded as MM or FF. MM = "
        "the adopting couple are both males. FF = the adopting couple are both females.",
        "L4",
        ("MM", "FF"),
    ),
    _adopters(
        "519",
        "Data entered on the legal status of adopters shows civil partnership couple, but data entered on genders "
        "of adopters does not show it as a couple.",
        "L2",
        ("MM", "FF", "MF"),
    ),
    _adopters(
        "520",
        "Data entry on the legal status of adopters shows different gender married couple but data entry on "
        "genders of adopters shows it as a same gender couple.",
        "L11",
        ("MF",),
    ),
    error(
        "521",
        "Date of local authority's decision (LA) that adoption is in the best interests of the child (date should "
        "be placed) must be on or prior to the date the child is placed for adoption.",
        ("PLACE", "DECOM", "DATE_INT"),
        # Placed for adoption: an episode in placement A3 to A6, which began before the decision.
        """SELECT a.CHILD, a.location FROM ad1 a JOIN episodes e USING (CHILD)
        WHERE e.PLACE IN ('A3', 'A4', 'A5', 'A6') AND d(a.DATE_INT) > d(e.DECOM)""",
    ),
    error(
        "522",
        "Date of decision that the child should be placed for adoption must be on or before the date that a child "
        "should no longer be placed for adoption.",
        ("DATE_PLACED", "DATE_PLACED_CEASED"),
        "SELECT CHILD, location FROM placedadoption WHERE d(DATE_PLACED_CEASED) < d(DATE_PLACED)",
    ),
    error(
        "523",
        "Date of decision that the child should be placed for adoption should be the same date as the decision that "
        "adoption is in the best interest (date should be placed).",
        ("DATE_PLACED", "DATE_INT"),
        """SELECT p.CHILD, p.location FROM placedadoption p JOIN ad1 a USING (CHILD)
        WHERE d(p.DATE_PLACED) <> d(a.DATE_INT)""",
    ),
    _adopters(
        "524",
        "If reporting legal status of adopters is L12 then the genders of adopters should be coded as MM or FF. MM = "
        "the adopting couple are both males. FF = the adopting couple are both females",
        "L12",
        ("MM", "FF"),
    ),
    error(
        "525",
        "A child for whom the decision to be placed for adoption has been reversed cannot be adopted during the year.",
        ("DATE_PLACED_CEASED", *AD1_ITEMS),
        f"""SELECT p.CHILD, p.location FROM placedadoption p WHERE p.DATE_PLACED_CEASED IS NOT NULL
        AND EXISTS (SELECT 1 FROM ad1 a WHERE a.CHILD = p.CHILD AND {AD1_GIVEN})""",
    ),
    error(
        "543",
        "Child is aged 10 or over at 31 March and has been looked after continuously for 12 months yet conviction "
        "information has not been completed.",
        ("DOB", "CONVICTED"),
        # 10 on 31 March itself counts (the DfE: DOB at least 10 years before the end of the year).
        f"""SELECT CHILD, location FROM oc2, collection k WHERE CONVICTED IS NULL
        AND d(DOB) + INTERVAL 10 YEAR <= k.end_date AND CHILD IN {CONTINUOUS}""",
    ),
    _health_items(
        "544",
        "Any child who has conviction information completed must also have immunisation, teeth check, health "
        "assessment and substance misuse problem identified fields completed.",
        "CONVICTED",
    ),
    error(
        "545",
        "Child is aged under 5 at 31 March and has been looked after continuously for 12 months yet health "
        "promotion information has not been completed.",
        ("DOB", "HEALTH_CHECK"),
        f"""SELECT CHILD, location FROM oc2, collection k WHERE HEALTH_CHECK IS NULL
        AND d(DOB) + INTERVAL 5 YEAR > k.end_date AND CHILD IN {CONTINUOUS}""",
    ),
    error(
        "546",
        "Children aged 5 or over at 31 March should not have health promotion information completed.",
        ("DOB", "HEALTH_CHECK"),
        f"""SELECT CHILD, location FROM oc2, collection k WHERE HEALTH_CHECK IS NOT NULL
        AND d(DOB) + INTERVAL 5 YEAR <= k.end_date AND CHILD IN {CONTINUOUS}""",
    ),
    _health_items(
        "547",
        "Any child who has health promotion information completed must also have immunisation, teeth check, health "
        "assessment and substance misuse problem identified fields completed.",
        "HEALTH_CHECK",
    ),
    error(
        "552",
        "Date of Decision to place a child for adoption should be on or prior to the date that the child was placed "
        "for adoption.",
        ("DATE_PLACED", "DECOM"),
        # The child's first episode placed for adoption began before the latest decision to place.
        f"""SELECT e.CHILD, e.location FROM ep e
        JOIN (SELECT CHILD, max(d(DATE_PLACED)) AS decided FROM placedadoption GROUP BY CHILD) p USING (CHILD)
        WHERE e.PLACE IN {PLACED_FOR_ADOPTION} AND e.decom_d < p.decided
        QUALIFY row_number() OVER (PARTITION BY e.CHILD ORDER BY e.decom_d, e.row_no) = 1""",
    ),
    _order_without_decision(
        "553",
        "Placement order has been granted but there is no date of decision that the child should be placed for "
        "adoption.",
        "E1",
        YEARS,
    ),
    error(
        "554",
        "Date of decision that the child should be placed for adoption should be on or prior to the date that the "
        "placement order was granted.",
        ("DATE_PLACED", "DECOM", "LS"),
        # The placement order was granted when the child's first episode with legal status E1 began.
        """SELECT p.CHILD, p.location FROM placedadoption p
        JOIN (SELECT CHILD, min(decom_d) AS granted FROM ep WHERE LS = 'E1' GROUP BY CHILD) e USING (CHILD)
        WHERE d(p.DATE_PLACED) > e.granted""",
    ),
    error(
        "557",
        "Child for whom the decision was made that they should be placed for adoption has left care but was not "
        "adopted and information on the decision that they should no longer be placed for adoption items has not "
        "been completed.",
        ("DATE_PLACED_CEASED", "REASON_PLACED_CEASED", "PLACE", "LS", "REC"),
        # Placed for adoption or under a placement order (a freeing order, D1, too until 2023-24), and the
        # episode ended otherwise than by adoption or a change of placement; the child has no decision row,
        # or one without the date and reason it ceased.
        f"""SELECT e.CHILD, e.location FROM episodes e, collection k WHERE {PLACED_GIVEN}
        AND (e.PLACE IN {PLACED_FOR_ADOPTION} OR e.LS = 'E1' OR (e.LS = 'D1' AND year(k.end_date) <= 2024))
        AND e.REC NOT IN ('E11', 'E12', 'X1')
        AND (NOT EXISTS (SELECT 1 FROM placedadoption p WHERE p.CHILD = e.CHILD)
            OR EXISTS (SELECT 1 FROM placedadoption p WHERE p.CHILD = e.CHILD
                AND (p.DATE_PLACED_CEASED IS NULL OR p.REASON_PLACED_CEASED IS NULL)))""",
    ),
    error(
        "558",
        "If a child has been adopted, then the decision to place them for adoption has not been disrupted and the "
        "date of the decision that a child should no longer be placed for adoption should be left blank.",
        ("DATE_PLACED_CEASED", "REC"),
        # An adopted child (REC E11, E12) with more than one decision, every one of them ceased.
        """SELECT e.CHILD, e.location FROM episodes e JOIN (SELECT CHILD FROM placedadoption GROUP BY CHILD
            HAVING count(*) > 1 AND bool_and(DATE_PLACED_CEASED IS NOT NULL)) p USING (CHILD)
        WHERE e.REC IN ('E11', 'E12')""",
    ),
    error(
        "563",
        "The child should no longer be placed for adoption but the date of the decision that the child should be "
        "placed for adoption is blank",
        ("DATE_PLACED", "REASON_PLACED_CEASED", "DATE_PLACED_CEASED"),
        """SELECT CHILD, location FROM placedadoption
        WHERE REASON_PLACED_CEASED IS NOT NULL AND DATE_PLACED_CEASED IS NOT NULL AND DATE_PLACED IS NULL""",
    ),
    error(
        "579",
        "A new decision that the child should be placed for adoption this year cannot start when the previous "
        "decision is still open. Decisions to place the child for adoption should also not overlap. The date of any "
        "new decision to place the child for adoption must not be before the date placed ceased of previous "
        "decisions.",
        ("DATE_PLACED", "DATE_PLACED_CEASED"),
        # Each decision after the child's previous one by DATE_PLACED (one without a date last).
        """SELECT CHILD, location FROM (SELECT *, row_number() OVER w AS n,
            lag(d(DATE_PLACED_CEASED)) OVER w AS prev_ceased FROM placedadoption
            WINDOW w AS (PARTITION BY CHILD ORDER BY d(DATE_PLACED) NULLS LAST, row_no))
        WHERE n > 1 AND (prev_ceased IS NULL OR d(DATE_PLACED) < prev_ceased)""",
    ),
    error(
        "582",
        "Child is showing as ceasing to be looked after due to adoption, but the date of adoption is the same as the "
        "date reported for being matched with adopters. In most circumstances we expect the date the child is "
        "matched with adopters to be before the date of adoption.",
        ("DEC", "DATE_MATCH"),
        """SELECT e.CHILD, e.location FROM episodes e WHERE e.REC IN ('E11', 'E12')
        AND EXISTS (SELECT 1 FROM ad1 a WHERE a.CHILD = e.CHILD AND d(a.DATE_MATCH) = d(e.DEC))""",
    ),
    error(
        "583",
        "More than one date the child should be placed for adoption has been reported, but an earlier decision has "
        "not been revoked. Check that both dates are required and add in the date the earlier decision was revoked. "
        "Note this may be in a previous year.",
        ("DATE_PLACED", "DATE_PLACED_CEASED"),
        # Every decision but the child's latest (by DATE_PLACED) must have ceased.
        """SELECT CHILD, location FROM placedadoption WHERE DATE_PLACED_CEASED IS NULL
        QUALIFY row_number() OVER (PARTITION BY CHILD ORDER BY d(DATE_PLACED) DESC NULLS LAST, row_no) > 1""",
    ),
    error(
        "601",
        "The additional fields relating to adoption have not been completed although the episode data shows that "
        "the child was adopted during the year.",
        ("REC", *AD1_ITEMS),
        """SELECT a.CHILD, a.location FROM ad1 a WHERE ("""
        + " OR ".join(f"a.{c} IS NULL" for c in AD1_ITEMS)
        + """)
        AND EXISTS (SELECT 1 FROM episodes e, collection k WHERE e.CHILD = a.CHILD AND e.REC IN ('E11', 'E12')
            AND d(e.DEC) BETWEEN k.start_date AND k.end_date)""",
    ),
    error(
        "602",
        "The episode data submitted for this child does not show that he/she was adopted during the year.",
        ("CHILD",),
        f"""SELECT a.CHILD, a.location FROM ad1 a WHERE {AD1_GIVEN}
        AND NOT EXISTS (SELECT 1 FROM episodes e, collection k WHERE e.CHILD = a.CHILD AND e.REC IN ('E11', 'E12')
            AND d(e.DEC) BETWEEN k.start_date AND k.end_date)""",
    ),
    error(
        "628",
        "Motherhood details are not required for care leavers who have not been looked after during the year.",
        ("MOTHER",),
        # A care leaver with no episode in the return.
        f"""SELECT h.CHILD, h.location FROM header h WHERE h.MOTHER IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = h.CHILD)
        AND EXISTS (SELECT 1 FROM oc3 o WHERE o.CHILD = h.CHILD AND {OC3_GIVEN})""",
    ),
    Rule(
        "EPI",
        WARNING,
        "Episodes need to be loaded for this child before further validation is possible",
        ("CHILD",),
        # A child in the header with neither episodes nor a care leaver row.
        """SELECT h.CHILD, h.location FROM header h WHERE NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = h.CHILD)
        AND NOT EXISTS (SELECT 1 FROM oc3 o WHERE o.CHILD = h.CHILD)""",
        YEARS,
        SOURCE,
    ),
]
