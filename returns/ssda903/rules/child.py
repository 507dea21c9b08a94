"""SSDA903 rules on the child's other records: the header, UASC, missing, reviews and previous
permanence (PrevPerm), alone or with the episodes."""

from returns.rules.base import Rule
from returns.ssda903.reader import FLAGS as OC2_COLUMNS
from returns.ssda903.rules.common import codes, error, invalid_code, invalid_date, query, shared

# The children looked after continuously for the 12 months to 31 March, as the DfE defines it
# (903 validation rules, "continuously looked after") and Data to Insight applies it: some
# episode in the year, and none that starts a period of care after 1 April (RNE S), ends one
# in the year (a DEC from 1 April to 30 March whose REC is not X1, a blank REC included) or is
# respite (V3, V4) in the year.
_IN_YEAR = "d(DECOM) <= k.end_date AND (d(DEC) >= k.start_date OR d(DEC) IS NULL)"
_CONTINUOUS = f"""SELECT CHILD FROM episodes, collection k GROUP BY CHILD
    HAVING coalesce(bool_or({_IN_YEAR}), false) AND NOT coalesce(bool_or(
        (RNE = 'S' AND d(DECOM) > k.start_date AND d(DECOM) <= k.end_date)
        OR (REC IS DISTINCT FROM 'X1' AND d(DEC) >= k.start_date AND d(DEC) < k.end_date)
        OR (LS IN ('V3', 'V4') AND {_IN_YEAR})), false)"""
CONTINUOUS = f"(SELECT CHILD FROM {shared('continuous', _CONTINUOUS)})"

# SEX is 1/2 until 2023-24 and M/F/U from 2024-25 (returns/ssda903/reader.py, uses_mfu).
MALE = "CASE WHEN year(k.end_date) >= 2025 THEN 'M' ELSE '1' END"
FEMALE = "CASE WHEN year(k.end_date) >= 2025 THEN 'F' ELSE '2' END"

# Each child's periods of care (start, end), as Data to Insight builds them for 577 and 578: the episodes
# with a valid DECOM in order; an episode starting after the previous one ended begins a new period,
# which ends with its last episode's DEC (none while that episode is open).
_PERIODS = """SELECT DISTINCT CHILD, period,
        first_value(decom_d) OVER p AS poc_start, last_value(dec_d) OVER p AS poc_end
    FROM (SELECT CHILD, seq, decom_d, dec_d,
        sum(CASE WHEN seq = 1 OR decom_d > prev_dec THEN 1 ELSE 0 END) OVER (PARTITION BY CHILD ORDER BY seq) AS period
        FROM ep)
    WINDOW p AS (PARTITION BY CHILD, period ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)"""
PERIODS = shared("periods", _PERIODS)


def _outside_every_period(outside: str) -> str:
    """The missing rows (m) of a child with periods of care, for each of which `outside` (over m and poc) holds."""
    return f"""SELECT m.CHILD, m.location FROM missing m WHERE m.CHILD IN (SELECT CHILD FROM ep)
        AND NOT EXISTS (SELECT 1 FROM {PERIODS} poc WHERE poc.CHILD = m.CHILD AND NOT ({outside}))"""


# The local authorities' three-digit DfE numbers (and 999), and the codes for outside England, that
# LA_PERM may hold (the DfE's list, as Data to Insight's 633 holds it).
LA_NUMBERS = """
800 889 822 301 304 303 330 825 837 302 846 370 350 890 867 380 305 801 351 873 823 895 896 381 909 202 908 331 306
841 830 831 878 371 835 332 840 307 308 811 881 845 390 916 203 876 850 311 204 884 312 205 313 805 919 310 309 420
921 206 207 886 810 382 314 340 888 208 856 383 855 209 925 341 201 821 352 806 887 826 315 929 812 391 926 892 813
802 928 891 392 316 815 353 931 879 836 851 874 807 354 317 870 318 372 857 333 935 343 803 373 342 893 356 355 871
394 334 933 882 936 861 852 319 860 808 393 866 210 357 894 883 880 358 211 937 869 320 359 865 384 335 336 212 868
872 885 344 877 213 938 816 999 WAL SCO NUK NIR""".split()

# DATE_PERM: dd/mm/yyyy, where an unknown day or month may be ZZ (and year ZZZZ). A known date, or the
# latest the unknown part allows (ZZ/06/2020 is 30 June, ZZ/ZZ/2020 and dd/ZZ/2020 December 2020);
# NULL when it is not such a date. A year ZZZZ is valid and gives no date to compare (`perm_year_unknown`).
_PARTS = "string_split(DATE_PERM, '/')"
_DAY, _MONTH, _YEAR = (f"{_PARTS}[{i}]" for i in (1, 2, 3))
PERM_DATE = f"""CASE WHEN len({_PARTS}) <> 3 THEN NULL
    WHEN {_MONTH} = 'ZZ' THEN d(CASE WHEN {_DAY} = 'ZZ' THEN '31' ELSE {_DAY} END || '/12/' || {_YEAR})
    WHEN {_DAY} = 'ZZ' THEN last_day(d('01/' || {_MONTH} || '/' || {_YEAR}))
    ELSE d(DATE_PERM) END"""
PERM_VALID = f"""(len({_PARTS}) = 3 AND {_YEAR} = 'ZZZZ'
    AND d(CASE WHEN {_DAY} = 'ZZ' THEN '01' ELSE {_DAY} END || '/'
        || CASE WHEN {_MONTH} = 'ZZ' THEN '01' ELSE {_MONTH} END || '/2000') IS NOT NULL)
    OR ({PERM_DATE}) IS NOT NULL"""

OC2_12_MONTHS = OC2_COLUMNS  # the OC2 items, as the 903 reader lists them
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
    query(
        "231",
        "We expect that unaccompanied asylum seeking children are generally older young people. Please check the date "
        "of birth is correct. If the date of birth is correct then please provide details in a bypass request.",
        ("DOB", "UASC_STATUS"),
        # UASC status 1: the child has a UASC row (in the XML form, UASC 1 or a DUC; the staged header has no
        # UASC item). Under 11 at the end of the collection year.
        """SELECT h.CHILD, h.location FROM header h, collection k
        WHERE d(h.DOB) > k.end_date - INTERVAL 11 YEAR AND h.CHILD IN (SELECT CHILD FROM uasc)""",
        years=(2025, 2026, 2027),
    ),
    query(
        "232",
        "Sex of the child/young person has been reported as unknown.",
        ("SEX",),
        "SELECT CHILD, location FROM header WHERE upper(SEX) = 'U'",
        years=(2025, 2026, 2027),
    ),
    error(
        "234",
        "A child aged under 10 can not change placement due to being admitted to custody",
        ("REASON_PLACE_CHANGE", "DOB"),
        # The previous episode ended for CUSTOD and this one began before the child's 10th birthday.
        """SELECT e.CHILD, e.location FROM (SELECT CHILD, location, decom_d,
            lag(REASON_PLACE_CHANGE) OVER (PARTITION BY CHILD ORDER BY decom_d, row_no) AS prev_reason FROM ep) e
        JOIN header h USING (CHILD)
        WHERE e.prev_reason = 'CUSTOD' AND e.decom_d < d(h.DOB) + INTERVAL 10 YEAR""",
        years=(2026, 2027),
    ),
    error(
        "301",
        "Date of birth falls after the year ended.",
        ("DOB",),
        "SELECT CHILD, location FROM header, collection k WHERE d(DOB) > k.end_date",
    ),
    error(
        "304",
        "Date unaccompanied asylum-seeking child (UASC) status ceased must be on or before the 18th birthday of a "
        "child.",
        ("DUC",),
        "SELECT CHILD, location FROM uasc WHERE d(DUC) > d(DOB) + INTERVAL 18 YEAR",
    ),
    error(
        "352",
        "Child who started to be looked after was aged 18 or over.",
        ("DECOM", "RNE"),
        """SELECT e.CHILD, e.location FROM episodes e JOIN header h USING (CHILD)
        WHERE upper(e.RNE) = 'S' AND d(h.DOB) + INTERVAL 18 YEAR <= d(e.DECOM)""",
    ),
    error(
        "359",
        "Child being looked after following 18th birthday must be accommodated under section 20(5) of the Children "
        "Act 1989 in a community home.",
        ("DEC", "LS", "PLACE"),
        # 18 before 31 March, still looked after (an open episode) and not V2 in K2.
        """SELECT e.CHILD, e.location FROM episodes e JOIN header h USING (CHILD), collection k
        WHERE d(h.DOB) + INTERVAL 18 YEAR < k.end_date AND e.DEC IS NULL
        AND NOT (coalesce(e.LS = 'V2', false) AND coalesce(e.PLACE = 'K2', false))""",
    ),
    error(
        "371",
        "Child in supported accomodation not subject to children’s homes regulations should be at least 16.",
        ("DECOM", "PLACE"),
        # K3 from 2024-25 (before it, H5 at 14, then 16, under another message: not implemented).
        """SELECT e.CHILD, e.location FROM episodes e JOIN header h USING (CHILD)
        WHERE e.PLACE = 'K3' AND d(e.DECOM) < d(h.DOB) + INTERVAL 16 YEAR""",
        years=(2025, 2026, 2027),
    ),
    error(
        "376",
        "Temporary placements coded as being due to holiday of usual foster carer(s) cannot exceed three weeks.",
        ("DECOM", "PLACE"),
        "SELECT CHILD, location FROM episodes WHERE PLACE = 'T3' AND d(DEC) > d(DECOM) + INTERVAL 21 DAY",
    ),
    error(
        "386",
        "Reason episode ceased is adopted but child has reached age 18.",
        ("REC",),
        """SELECT e.CHILD, e.location FROM episodes e JOIN header h USING (CHILD)
        WHERE upper(e.REC) IN ('E11', 'E12') AND d(h.DOB) + INTERVAL 18 YEAR <= d(e.DEC)""",
    ),
    error(
        "387",
        "Reason episode ceased is child moved into independent living arrangement, but the child is aged under 14.",
        ("REC",),
        # Not 14 by the day care ceased; as 389, a child whose age cannot be told (no valid DOB) is not shown 14.
        """SELECT e.CHILD, e.location FROM episodes e LEFT JOIN header h USING (CHILD)
        WHERE upper(e.REC) IN ('E5', 'E6') AND d(e.DEC) IS NOT NULL
        AND NOT coalesce(d(h.DOB) + INTERVAL 14 YEAR <= d(e.DEC), false)""",
    ),
    error(
        "393",
        "Child is looked after but mother field is not completed.",
        ("MOTHER",),
        # A girl with an episode that is not respite (V3, V4; a blank legal status is not respite).
        f"""SELECT h.CHILD, h.location FROM header h, collection k
        WHERE upper(h.SEX) = {FEMALE} AND h.MOTHER IS NULL
        AND h.CHILD IN (SELECT CHILD FROM episodes WHERE coalesce(upper(LS) NOT IN ('V3', 'V4'), true))""",
    ),
    error(
        "399",
        "Mother field, review field or participation field are completed but child is looked after under legal "
        "status V3 or V4.",
        ("MOTHER", "LS", "REVIEW", "REVIEW_CODE"),
        # Only a child whose every episode is respite (V3 or V4).
        """WITH respite AS (SELECT CHILD FROM episodes GROUP BY CHILD
            HAVING bool_and(coalesce(upper(LS) IN ('V3', 'V4'), false)))
        SELECT CHILD, location FROM header WHERE MOTHER IS NOT NULL AND CHILD IN (SELECT CHILD FROM respite)
        UNION ALL
        SELECT CHILD, location FROM reviews WHERE (REVIEW IS NOT NULL OR REVIEW_CODE IS NOT NULL)
            AND CHILD IN (SELECT CHILD FROM respite)""",
    ),
    error(
        "407",
        "Reason episode ceased is Special Guardianship Order, but child has reached age 18.",
        ("DEC", "DOB", "REC"),
        # After the 18th birthday (an order made on the birthday passes, as in Data to Insight).
        """SELECT e.CHILD, e.location FROM episodes e JOIN header h USING (CHILD)
        WHERE e.REC IN ('E45', 'E46', 'E47', 'E48') AND d(e.DEC) > d(h.DOB) + INTERVAL 18 YEAR""",
    ),
    error(
        "440",
        "Participation method indicates child was under 4 years old at the time of the review, but date of birth "
        "and review date indicates the child was 4 years old or over.",
        ("DOB", "REVIEW", "REVIEW_CODE"),
        # PN0 after the 4th birthday (on it, both PN0 and the others pass: 441).
        "SELECT CHILD, location FROM reviews WHERE REVIEW_CODE = 'PN0' AND d(REVIEW) > d(DOB) + INTERVAL 4 YEAR",
    ),
    error(
        "442",
        "Unique Pupil Number (UPN) field is not completed.",
        ("UPN",),
        """SELECT CHILD, location FROM header WHERE UPN IS NULL
        AND CHILD IN (SELECT CHILD FROM episodes WHERE coalesce(upper(LS) NOT IN ('V3', 'V4'), true))""",
    ),
    error(
        "210",
        "Children looked after for more than a week at 31 March should not have an unknown Unique Pupil Number "
        "(UPN) code of UN4.",
        ("UPN", "DECOM"),
        # The DfE's condition, as Data to Insight applies it: with UN4, no episode may start on or after
        # 24 March (docs/validation-rules-903-child.md on why it reads against the message).
        """SELECT CHILD, location FROM header WHERE upper(UPN) = 'UN4' AND CHILD IN
            (SELECT CHILD FROM ep, collection k WHERE decom_d >= make_date(year(k.end_date), 3, 24))""",
    ),
    error(
        "444",
        "Duplicate UPN has been reported",
        ("UPN",),
        # A UPN other than the unknown codes UN1-UN5, on more than one child's header.
        """SELECT CHILD, location FROM (SELECT CHILD, location, count(*) OVER (PARTITION BY upper(UPN)) AS n
            FROM header WHERE UPN IS NOT NULL AND upper(UPN) NOT IN ('UN1', 'UN2', 'UN3', 'UN4', 'UN5'))
        WHERE n > 1""",
        years=(2026, 2027),
    ),
    error(
        "566",
        "The date that the child's episode of being missing or away from placement without authorisation ended has "
        "been completed but whether the child was missing or away without authorisation has not been completed.",
        ("MISSING", "MIS_END"),
        "SELECT CHILD, location FROM missing WHERE MISSING IS NULL AND MIS_END IS NOT NULL",
    ),
    error(
        "567",
        "The date that the missing episode or episode that the child was away from placement without authorisation "
        "ended is before the date that it started.",
        ("MIS_START", "MIS_END"),
        "SELECT CHILD, location FROM missing WHERE d(MIS_END) < d(MIS_START)",
    ),
    error(
        "571",
        "The date that the child ceased to be missing or away from placement without authorisation is before the "
        "start or after the end of the collection year.",
        ("MIS_END",),
        "SELECT CHILD, location FROM missing, collection k WHERE d(MIS_END) NOT BETWEEN k.start_date AND k.end_date",
    ),
    error(
        "574",
        "A new missing/away from placement without authorisation period cannot start when the previous missing/away "
        "from placement without authorisation period is still open. Missing/away from placement without "
        "authorisation periods should also not overlap.",
        ("MIS_START", "MIS_END"),
        # The child's periods in order of their end (an open one by its start); one that follows a period
        # with no end, or starts before the previous one ended, is found.
        """SELECT CHILD, location FROM (SELECT CHILD, location, d(MIS_START) AS s,
            lag(d(MIS_END)) OVER w AS prev_end, row_number() OVER w AS n FROM missing
            WINDOW w AS (PARTITION BY CHILD ORDER BY coalesce(d(MIS_END), d(MIS_START)) NULLS LAST,
                d(MIS_START) NULLS LAST, row_no))
        WHERE n > 1 AND (prev_end IS NULL OR s < prev_end)""",
    ),
    error(
        "575",
        "If the placement from which the child goes missing/away from placement without authorisation ends, the "
        "missing/away from placement without authorisation period in the missing module must also have an end date.",
        ("MIS_END",),
        """SELECT m.CHILD, m.location FROM missing m WHERE m.MIS_END IS NULL AND EXISTS (SELECT 1 FROM episodes e
            WHERE e.CHILD = m.CHILD AND d(m.MIS_START) BETWEEN d(e.DECOM) AND d(e.DEC))""",
    ),
    error(
        "577",
        "Child ceased to be looked after but there is a missing/away from placement without authorisation period "
        "without an end date.",
        ("MIS_END",),
        # As Data to Insight reads the DfE: a period outside each of the child's periods of care: open after
        # care ended, open from before care began, or ended after or before it.
        _outside_every_period(
            """(d(m.MIS_END) IS NULL AND poc.poc_end IS NOT NULL)
            OR (d(m.MIS_END) IS NULL AND d(m.MIS_START) < poc.poc_start)
            OR coalesce(d(m.MIS_END) > poc.poc_end, false) OR coalesce(d(m.MIS_END) < poc.poc_start, false)"""
        )
        + " AND d(m.MIS_START) IS NOT NULL",
    ),
    error(
        "578",
        "The date that the child started to be missing is after the child ceased to be looked after.",
        ("MIS_START",),
        # Outside each of the child's periods of care (before it began, or after it ended).
        _outside_every_period(
            "coalesce(d(m.MIS_START) < poc.poc_start, false) OR coalesce(d(m.MIS_START) > poc.poc_end, false)"
        ),
    ),
    error(
        "580",
        "Child is missing when cease being looked after but reason episode ceased not ‘E8’.",
        ("REC",),
        # The missing period ended on the 18th birthday, the day the episode ceased.
        """SELECT e.CHILD, e.location FROM episodes e JOIN missing m USING (CHILD)
        WHERE d(e.DEC) = d(m.MIS_END) AND d(m.MIS_END) = d(m.DOB) + INTERVAL 18 YEAR
        AND e.REC IS DISTINCT FROM 'E8'""",
    ),
    error(
        "581",
        "Child is missing but has not yet started to be looked after.",
        ("MIS_START",),
        # A start that no episode of the child holds (an open episode holds every day from its start); a
        # start that is not a date is held by none.
        """SELECT m.CHILD, m.location FROM missing m WHERE m.CHILD IN (SELECT CHILD FROM episodes)
        AND NOT EXISTS (SELECT 1 FROM episodes e WHERE e.CHILD = m.CHILD AND d(m.MIS_START) >= d(e.DECOM)
            AND (d(m.MIS_START) <= d(e.DEC) OR d(e.DEC) IS NULL))""",
    ),
    error(
        "586",
        "Dates of missing periods are before child’s date of birth.",
        ("MIS_START",),
        "SELECT CHILD, location FROM missing WHERE d(MIS_START) <= d(DOB)",
    ),
    error(
        "607",
        "Child ceased to be looked after in the year, but mother field has not been completed.",
        ("DEC", "REC", "MOTHER", "LS", "SEX"),
        # A girl whose care ended in the year (a REC other than X1), not from respite (V3, V4).
        f"""SELECT e.CHILD, e.location FROM episodes e JOIN header h USING (CHILD), collection k
        WHERE d(e.DEC) BETWEEN k.start_date AND k.end_date AND e.REC IS NOT NULL AND e.REC <> 'X1'
        AND coalesce(e.LS NOT IN ('V3', 'V4'), true) AND upper(h.SEX) = {FEMALE} AND h.MOTHER IS NULL""",
    ),
    error(
        "611",
        "Date of birth field is blank, but child is a mother.",
        ("MOTHER", "MC_DOB"),
        "SELECT CHILD, location FROM header WHERE MOTHER = '1' AND MC_DOB IS NULL",
    ),
    error(
        "612",
        "Date of birth field has been completed but mother field indicates child is not a mother.",
        ("SEX", "MOTHER", "MC_DOB"),
        f"""SELECT CHILD, location FROM header, collection k
        WHERE coalesce(MOTHER = '0', true) AND upper(SEX) = {FEMALE} AND MC_DOB IS NOT NULL""",
    ),
    error(
        "620",
        "Child has been recorded as a mother, but date of birth shows that the mother is under 11 years of age.",
        ("DOB", "MOTHER"),
        # Under 11 at the start of the collection year.
        """SELECT CHILD, location FROM header, collection k
        WHERE MOTHER = '1' AND d(DOB) + INTERVAL 11 YEAR > k.start_date""",
    ),
    error(
        "621",
        "Mother’s field has been completed but date of birth shows that the mother is younger than her child.",
        ("DOB", "MC_DOB"),
        # The child's child born on or before the child (or the child's DOB unknown, as Data to Insight reads it).
        "SELECT CHILD, location FROM header WHERE d(MC_DOB) IS NOT NULL AND NOT coalesce(d(MC_DOB) > d(DOB), false)",
    ),
    error(
        "625",
        "Date of birth of the first child is beyond the end of this reporting year or the date the child ceased to be "
        "looked after.",
        ("MC_DOB", "DEC"),
        # After 31 March, or after the end of the child's latest episode when it has ended.
        """SELECT h.CHILD, h.location FROM header h, collection k WHERE d(h.MC_DOB) > k.end_date
            OR d(h.MC_DOB) > (SELECT dec_d FROM ep WHERE ep.CHILD = h.CHILD AND seq = episodes)""",
    ),
    error(
        "630",
        "Information on previous permanence option should be returned.",
        ("RNE",),
        # A period of care that began in the year (RNE S): the child needs a PrevPerm row with PREV_PERM, and
        # LA_PERM and DATE_PERM unless it is Z1; only when the return has the PrevPerm table.
        """SELECT e.CHILD, e.location FROM episodes e, collection k
        WHERE e.RNE = 'S' AND d(e.DECOM) >= k.start_date AND EXISTS (SELECT 1 FROM given WHERE name = 'PrevPerm')
        AND (e.CHILD NOT IN (SELECT CHILD FROM prevperm) OR EXISTS (SELECT 1 FROM prevperm p WHERE p.CHILD = e.CHILD
            AND (p.PREV_PERM IS NULL OR (p.PREV_PERM <> 'Z1' AND (p.LA_PERM IS NULL OR p.DATE_PERM IS NULL)))))""",
    ),
    invalid_code("631", "Previous permanence option not a valid value.", "prevperm", "PREV_PERM"),
    error(
        "632",
        "Date of previous permanence order not a valid value.",
        ("DATE_PERM", "DECOM"),
        # Not a date (ZZ allowed for an unknown day or month), or not before the child's first episode began.
        f"""SELECT p.CHILD, p.location FROM prevperm p JOIN ep ON ep.CHILD = p.CHILD AND ep.seq = 1
        WHERE p.DATE_PERM IS NOT NULL AND (NOT coalesce({PERM_VALID}, false) OR ({PERM_DATE}) >= ep.decom_d)""",
    ),
    error(
        "633",
        "Local authority code where previous permanence option was arranged is not a valid value.",
        ("LA_PERM",),
        f"SELECT CHILD, location FROM prevperm WHERE LA_PERM IS NOT NULL AND LA_PERM NOT IN {codes(LA_NUMBERS)}",
    ),
    error(
        "634",
        "There are entries for previous permanence options, but child has not started to be looked after from 1 "
        "April 2016 onwards.",
        ("LA_PERM", "PREV_PERM", "DATE_PERM", "DECOM"),
        # The DfE's date, 1 April 2016, not the collection year's start (see the doc).
        """SELECT p.CHILD, p.location FROM prevperm p
        WHERE (p.PREV_PERM IS NOT NULL OR p.LA_PERM IS NOT NULL OR p.DATE_PERM IS NOT NULL)
        AND (SELECT max(decom_d) FROM ep WHERE ep.CHILD = p.CHILD) < DATE '2016-04-01'""",
    ),
    error(
        "635",
        "There are entries for date of order and local authority code where previous permanence option was "
        "arranged but previous permanence code is Z1",
        ("LA_PERM", "DATE_PERM", "PREV_PERM"),
        """SELECT CHILD, location FROM prevperm
        WHERE (LA_PERM IS NOT NULL OR DATE_PERM IS NOT NULL) AND PREV_PERM = 'Z1'""",
    ),
]
