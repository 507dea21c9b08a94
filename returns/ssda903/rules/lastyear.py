"""SSDA903 rules that compare this year's return with last year's. A child still looked after at
31 March carries last year's open episode into this year, so this year's first episode must repeat
its start, reason for new episode, legal status, category of need, placement type, provider and
Ofsted URN (502, 503A-F, 562); a child's sex, date of birth, ethnic origin, UPN and mother status
must agree with last year's header (202-204, 207, 208, 624, 626), a child UASC this year must
have been UASC last year (205D) and the dates UASC ceased must agree with both years' status
(205A-205C); the decision to place for adoption must agree with last year's (559-561, 584); a
missing period open at the end of last year must begin this year's (576); care
leaver data for a child looked after at the end of last year needs this year's episodes (1010); and
a care leaver reported last year as having died cannot be reported otherwise this year (348).

They read last year's tables (`episodes_last`, `header_last`, `placedadoption_last`, `missing_last`,
`oc3_last`, `uasc_last`, `uasc_status_last`), which returns/ssda903/validation.py stages only when
last year's return is held (the previous committed import of the register, or a file given to
validate_return); without it they are not run and the run says so once. See
docs/validation-rules-903-lastyear.md; 503G, 503H and 503J (distance, local authority and location
of the placement, which the DfE derives from the postcodes) are in rules/postcode.py."""

from dataclasses import replace

from returns.rules.base import Rule
from returns.ssda903.rules.common import YEARS, error

# The placement type codes the DfE replaced, and what replaces them, by collection year: a child
# placed under the old code at 31 March may carry on under the new one (503D).
RENAMED_PLACEMENTS = {
    2024: ("'H5'", "('K3')"),
    2025: ("'H5'", "('K3')"),
    2026: ("'Z1'", "('Z11', 'Z12', 'Z13', 'Z14')"),
}

# Each child's first episode this year (by start, as `ep` orders them) beside its latest episode of
# last year (the latest start; the first listed of equals), when that one had not ended (no valid DEC).
CARRIED = """SELECT f.CHILD, f.location, f.{c} AS now, l.{c} AS was, year(k.end_date) AS year
    FROM ep f
    JOIN (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY d(DECOM) DESC, row_no) AS r
          FROM episodes_last WHERE d(DECOM) IS NOT NULL) l ON l.CHILD = f.CHILD AND l.r = 1,
    collection k
    WHERE f.seq = 1 AND d(l.DEC) IS NULL"""


def _same(code: str, column: str, what: str, fullstop: str = ".") -> Rule:
    message = f"The {what} in the first episode does not match open episode at end of last year{fullstop}"
    sql = f"SELECT CHILD, location FROM ({CARRIED.format(c=column)}) WHERE now IS DISTINCT FROM was"
    if column == "PLACE":
        renamed = " OR ".join(
            f"(year = {year} AND was = {old} AND now IN {new})" for year, (old, new) in RENAMED_PLACEMENTS.items()
        )
        sql += f" AND NOT ({renamed})"
    return replace(error(code, message, (column,), sql), needs_previous=True)


def _last_year(code: str, message: str, fields: tuple[str, ...], sql: str, years: tuple[int, ...] = YEARS) -> Rule:
    return replace(error(code, message, fields, sql, years), needs_previous=True)


def _header_differs(code: str, message: str, column: str, differs: str) -> Rule:
    """This year's header of a child who has one last year too, where `differs` (over h and l) holds."""
    sql = f"""SELECT h.CHILD, h.location FROM header h WHERE EXISTS
        (SELECT 1 FROM header_last l WHERE l.CHILD = h.CHILD AND ({differs}))"""
    return _last_year(code, message, (column,), sql)


UN_CODES = "('UN1', 'UN2', 'UN3', 'UN4', 'UN5')"
# 208: a UPN may change from UN1 or none to UN2-UN5, and from an unknown code or none to a UPN;
# any other change (both blank is 442's concern) is a contradiction.
_NOW, _WAS = "upper(h.UPN)", "upper(l.UPN)"
_UPN_CHANGED = f"""{_NOW} IS DISTINCT FROM {_WAS}
    AND NOT (coalesce({_WAS}, 'UN1') = 'UN1' AND coalesce({_NOW}, '') IN ('UN2', 'UN3', 'UN4', 'UN5'))
    AND NOT (coalesce({_WAS}, 'UN1') IN {UN_CODES} AND {_NOW} IS NOT NULL AND {_NOW} NOT IN {UN_CODES})"""


def _uasc_status(header: str, uasc: str, item: str) -> str:
    """Each child's UASC status ('1', '0' or the item as given) in a return: the XML header's UASC item
    when the return is XML (`item` has rows), else whether the child has a row in the UASC table, when
    that table has rows (Data to Insight's reader adds the status to the header so); no rows when
    neither tells."""
    return f"""(SELECT CHILD, UASC AS status FROM {item}
        UNION ALL SELECT CHILD, CASE WHEN CHILD IN (SELECT CHILD FROM {uasc}) THEN '1' ELSE '0' END FROM {header}
        WHERE NOT EXISTS (SELECT 1 FROM {item}) AND EXISTS (SELECT 1 FROM {uasc}))"""


UASC_NOW = _uasc_status("header", "uasc", "uasc_status")
UASC_LAST = _uasc_status("header_last", "uasc_last", "uasc_status_last")


RULES = [
    _same("503A", "RNE", "reason for new episode"),
    _same("503B", "LS", "legal status"),
    _same("503C", "CIN", "category of need"),
    _same("503D", "PLACE", "placement type", fullstop=""),  # the DfE's 2024-25 wording has no full stop
    _same("503E", "PLACE_PROVIDER", "placement provider"),
    _same("503F", "URN", "Ofsted URN"),
    _last_year(
        "502",
        "Last year's record ended with an open episode. The date on which that episode started does not match "
        "the start date of the first episode on this year’s record.",
        ("DECOM",),
        # Every episode of last year left open (no DEC at all), not only the latest, against this year's first.
        """SELECT f.CHILD, f.location FROM ep f WHERE f.seq = 1 AND EXISTS (SELECT 1 FROM episodes_last l
            WHERE l.CHILD = f.CHILD AND l.DEC IS NULL AND d(l.DECOM) IS DISTINCT FROM f.decom_d)""",
    ),
    _last_year(
        "562",
        "Episode commenced before the start of the current collection year but there is a missing continuous "
        "episode in the previous year.",
        ("DECOM",),
        # The child's first episode, when it began before 1 April, must be last year's latest (by start).
        """SELECT f.CHILD, f.location FROM ep f, collection k WHERE f.seq = 1 AND f.decom_d < k.start_date
            AND f.decom_d IS DISTINCT FROM (SELECT max(d(l.DECOM)) FROM episodes_last l WHERE l.CHILD = f.CHILD)""",
    ),
    _header_differs(
        "202",
        "The gender code conflicts with the gender already recorded for this child.",
        "SEX",
        "upper(h.SEX) IS DISTINCT FROM upper(l.SEX)",
    ),
    _header_differs(
        "203",
        "Date of birth disagrees with the date of birth already recorded for this child.",
        "DOB",
        "d(h.DOB) IS DISTINCT FROM d(l.DOB)",  # two dates that cannot be read agree
    ),
    _header_differs(
        "204",
        "Ethnic origin code disagrees with the ethnic origin already recorded for this child.",
        "ETHNIC",
        "upper(h.ETHNIC) IS DISTINCT FROM upper(l.ETHNIC)",
    ),
    _header_differs(
        "207",
        "Mother status for the current year disagrees with the mother status already recorded for this child.",
        "MOTHER",
        # Once recorded as a mother, always one; only a child with episodes this year.
        "l.MOTHER = '1' AND h.MOTHER IS DISTINCT FROM '1' AND h.CHILD IN (SELECT CHILD FROM episodes)",
    ),
    _header_differs(
        "208",
        "Unique Pupil Number (UPN) for the current year disagrees with the Unique Pupil Number (UPN) already "
        "recorded for this child.",
        "UPN",
        _UPN_CHANGED,
    ),
    _header_differs(
        "624",
        "Date of birth of the first child contradicts the date of birth of the first child previously recorded.",
        "MC_DOB",
        "l.MC_DOB IS NOT NULL AND d(h.MC_DOB) IS DISTINCT FROM d(l.MC_DOB)",
    ),
    _header_differs(
        "626",
        "Child was reported as a mother but the date of birth of the first child is before the current year "
        "which contradicts with the mother status recorded last year.",
        "MOTHER",
        """h.MOTHER = '1' AND l.MOTHER = '0'
            AND d(h.MC_DOB) < (SELECT start_date FROM collection)""",
    ),
    _last_year(
        "559",
        "Date of decision that a child should be placed for adoption was not in the current year but the date of "
        "the decision that the child should be placed for adoption was not completed in a previous return.",
        ("DATE_PLACED",),
        # A decision before 1 April that last year's return does not hold with a date.
        """SELECT p.CHILD, p.location FROM placedadoption p, collection k WHERE d(p.DATE_PLACED) < k.start_date
            AND coalesce((SELECT bool_or(d(l.DATE_PLACED) IS NULL) FROM placedadoption_last l
                WHERE l.CHILD = p.CHILD), true)""",
    ),
    _last_year(
        "560",
        "Date of decision that the child should be placed for adoption this year is different from that recorded "
        "last year but the decision to place the child for adoption did not change.",
        ("DATE_PLACED", "DATE_PLACED_CEASED"),
        """SELECT p.CHILD, p.location FROM placedadoption p WHERE EXISTS (SELECT 1 FROM placedadoption_last l
            WHERE l.CHILD = p.CHILD AND d(l.DATE_PLACED) IS NOT NULL AND l.DATE_PLACED_CEASED IS NULL
            AND d(p.DATE_PLACED) IS DISTINCT FROM d(l.DATE_PLACED))""",
    ),
    _last_year(
        "561",
        "Date of the decision that the child should be placed for adoption this year is the same as that recorded "
        "last year but records show that the decision changed, and the child should no longer be placed for "
        "adoption last year.",
        ("DATE_PLACED",),
        """SELECT p.CHILD, p.location FROM placedadoption p WHERE EXISTS (SELECT 1 FROM placedadoption_last l
            WHERE l.CHILD = p.CHILD AND d(p.DATE_PLACED) = d(l.DATE_PLACED)
            AND (l.DATE_PLACED_CEASED IS NOT NULL OR l.REASON_PLACED_CEASED IS NOT NULL))""",
    ),
    _last_year(
        "584",
        "Date of decision that the child should be placed for adoption this year is different from that recorded "
        "last year, but the decision to placed the child for adoption changed and the child should no longer be "
        "placed for adoption.",
        ("DATE_PLACED",),
        # Last year's decision ceased (a date or a reason): a decision this year must be a new, later one.
        """SELECT p.CHILD, p.location FROM placedadoption p WHERE EXISTS (SELECT 1 FROM placedadoption_last l
            WHERE l.CHILD = p.CHILD AND (l.DATE_PLACED_CEASED IS NOT NULL OR l.REASON_PLACED_CEASED IS NOT NULL)
            AND coalesce(d(p.DATE_PLACED) <= d(l.DATE_PLACED), d(p.DATE_PLACED) IS NULL))""",
    ),
    _last_year(
        "576",
        "There is an open missing/away from placement without authorisation period in last year’s return and "
        "there is no corresponding period recorded at the start of this year.",
        ("CHILD",),
        # This year's first missing period (by start; undated ones last) against each of last year's left open.
        """SELECT m.CHILD, m.location FROM (SELECT *, row_number() OVER (PARTITION BY CHILD
                ORDER BY d(MIS_START) NULLS LAST, row_no) AS r FROM missing) m
            WHERE m.r = 1 AND EXISTS (SELECT 1 FROM missing_last l WHERE l.CHILD = m.CHILD AND l.MIS_END IS NULL
                AND d(l.MIS_START) IS NOT NULL AND d(l.MIS_START) IS DISTINCT FROM d(m.MIS_START))""",
    ),
    _last_year(
        "1010",
        "This child has no episodes loaded for current year even though there was an open episode of care at the "
        "end of the previous year, and care leaver data has been entered.",
        ("IN_TOUCH", "ACTIV", "ACCOM"),
        # Care leaver data for a child with no episode this year whose latest episode last year was left open.
        """SELECT o.CHILD, o.location FROM oc3 o WHERE o.CHILD NOT IN (SELECT CHILD FROM episodes)
            AND o.CHILD IN (SELECT CHILD FROM (SELECT CHILD, DEC, row_number() OVER (PARTITION BY CHILD
                ORDER BY d(DECOM) DESC, row_no DESC) AS r FROM episodes_last WHERE d(DECOM) IS NOT NULL)
                WHERE r = 1 AND DEC IS NULL)""",
    ),
    _last_year(
        "348",
        "Care leaver has previously been reported as having died.",
        ("IN_TOUCH",),
        """SELECT o.CHILD, o.location FROM oc3 o WHERE upper(o.IN_TOUCH) IS DISTINCT FROM 'DIED'
            AND EXISTS (SELECT 1 FROM oc3_last l WHERE l.CHILD = o.CHILD AND upper(l.IN_TOUCH) = 'DIED')""",
        years=(2026, 2027),  # new in 2025-26
    ),
    _last_year(
        "205D",
        "Child identified as UASC this year but not identified as UASC status provided for the child last year.",
        ("UASC", "CHILD"),
        # A child in both years' headers, UASC this year and not last year (when both years tell a status).
        f"""SELECT h.CHILD, h.location FROM header h JOIN {UASC_NOW} n ON n.CHILD = h.CHILD
            WHERE n.status = '1' AND h.CHILD IN (SELECT CHILD FROM header_last) AND EXISTS (SELECT 1 FROM {UASC_LAST})
            AND NOT EXISTS (SELECT 1 FROM {UASC_LAST} l WHERE l.CHILD = h.CHILD AND l.status = '1')""",
    ),
    # 205A-205C read only the DfE's messages (its conditions could not be found): each year's UASC status
    # as 205D reads it, and the DUC of each year's UASC row (in the XML form the header's DUC).
    _last_year(
        "205A",
        "Child identified as UASC last year is no longer UASC this year, but date UASC ceased in both years does "
        "not support this.",
        ("CHILD", "UASC"),
        # No longer UASC, so the status ceased last year: last year's DUC must be a date in last year, and
        # this year's blank. Unlike Data to Insight's, found in CSV tables too (no UASC row this year). Only
        # for a child looked after this year: a care leaver's UASC row is not wanted (1014).
        f"""SELECT h.CHILD, h.location FROM header h JOIN {UASC_NOW} n ON n.CHILD = h.CHILD, collection k
            WHERE n.status IS DISTINCT FROM '1' AND h.CHILD IN (SELECT CHILD FROM episodes)
            AND EXISTS (SELECT 1 FROM {UASC_LAST} l WHERE l.CHILD = h.CHILD AND l.status = '1')
            AND (EXISTS (SELECT 1 FROM uasc u WHERE u.CHILD = h.CHILD AND u.DUC IS NOT NULL)
                OR NOT EXISTS (SELECT 1 FROM uasc_last u WHERE u.CHILD = h.CHILD
                    AND d(u.DUC) BETWEEN k.start_date - INTERVAL 1 YEAR AND k.start_date - INTERVAL 1 DAY))""",
    ),
    _last_year(
        "205B",
        "Child previously identified as UASC is also UASC this year, but date UASC ceased in both years does not "
        "support this.",
        ("DUC", "UASC"),
        # UASC in both years, but last year's DUC says the status ceased before this year began. A blank DUC,
        # or one that is not the 18th birthday, is not found (Data to Insight finds both).
        f"""SELECT h.CHILD, h.location FROM header h JOIN {UASC_NOW} n ON n.CHILD = h.CHILD, collection k
            WHERE n.status = '1'
            AND EXISTS (SELECT 1 FROM {UASC_LAST} l WHERE l.CHILD = h.CHILD AND l.status = '1')
            AND EXISTS (SELECT 1 FROM uasc_last u WHERE u.CHILD = h.CHILD AND d(u.DUC) < k.start_date)""",
    ),
    _last_year(
        "205C",
        "Child not identified as UASC either this year or last year but date UASC ceased has been provided.",
        ("DUC", "UASC"),
        # UASC in neither year (a child not in last year's return was not UASC there), with a DUC in either.
        # In CSV tables a DUC is in a UASC row, which is the status: found only in the XML form.
        f"""SELECT h.CHILD, h.location FROM header h JOIN {UASC_NOW} n ON n.CHILD = h.CHILD
            WHERE n.status IS DISTINCT FROM '1'
            AND NOT EXISTS (SELECT 1 FROM {UASC_LAST} l WHERE l.CHILD = h.CHILD AND l.status = '1')
            AND (EXISTS (SELECT 1 FROM uasc u WHERE u.CHILD = h.CHILD AND u.DUC IS NOT NULL)
                OR EXISTS (SELECT 1 FROM uasc_last u WHERE u.CHILD = h.CHILD AND u.DUC IS NOT NULL))""",
    ),
]
