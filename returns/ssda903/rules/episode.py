"""SSDA903 rules on the episodes: codes, dates, the order of a child's episodes, and placement
combinations (RNE, LS, PLACE, PLACE_PROVIDER, REC)."""

from returns.rules.base import Rule
from returns.ssda903.rules.common import codes, error, invalid_code, invalid_date, query

TEMPORARY = codes(("T0", "T1", "T2", "T3", "T4"))


def _place_provider(code: str, message: str, places: tuple[str, ...], provider: str) -> Rule:
    return error(
        code,
        message,
        ("PLACE", "PLACE_PROVIDER"),
        f"SELECT CHILD, location FROM episodes WHERE PLACE IN {codes(places)} AND PLACE_PROVIDER = '{provider}'",
    )


RULES = [
    invalid_date("141", "Date episode began is not a valid date.", "episodes", "DECOM"),
    invalid_code("143", "The reason for new episode code is not a valid code.", "episodes", "RNE"),
    invalid_code("144", "The legal status code is not a valid code.", "episodes", "LS"),
    invalid_code("145", "Category of need code is not a valid code.", "episodes", "CIN"),
    invalid_code("146", "Placement type code is not a valid code.", "episodes", "PLACE"),
    invalid_code("149", "Reason episode ceased code is not valid.", "episodes", "REC"),
    error(
        "142",
        "A new episode has started, but the previous episode has not ended.",
        ("DEC", "REC"),
        "SELECT CHILD, location FROM ep WHERE seq < episodes AND (dec_d IS NULL OR REC IS NULL)",
    ),
    error(
        "148",
        "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
        ("DEC", "REC"),
        "SELECT CHILD, location FROM episodes WHERE (DEC IS NULL) <> (REC IS NULL)",
    ),
    error(
        "302",
        "First episode starts before child was born.",
        ("DECOM", "DOB"),
        "SELECT ep.CHILD, ep.location FROM ep JOIN header h USING (CHILD) WHERE ep.seq = 1 AND ep.decom_d < d(h.DOB)",
    ),
    error(
        "353",
        "No episode submitted can start before 14 October 1991.",
        ("DECOM",),
        "SELECT CHILD, location FROM episodes WHERE d(DECOM) < DATE '1991-10-14'",
    ),
    error(
        "354",
        "Date episode began must be on or before the end of the current collection year.",
        ("DECOM",),
        "SELECT CHILD, location FROM episodes, collection k WHERE d(DECOM) > k.end_date",
    ),
    query(
        "355",
        "Episode appears to have lasted for less than 24 hours",
        ("DEC", "DECOM"),
        "SELECT CHILD, location FROM episodes WHERE DECOM = DEC",
    ),
    error(
        "356",
        "The date the episode ceased is before the date the same episode started.",
        ("DECOM",),
        "SELECT CHILD, location FROM episodes WHERE d(DEC) < d(DECOM)",
    ),
    error(
        "385",
        "Date episode ceased must be on or before the end of the current collection year.",
        ("DEC",),
        "SELECT CHILD, location FROM episodes, collection k WHERE d(DEC) > k.end_date",
    ),
    error(
        "358",
        "Child with this legal status should not be under 10.",
        ("DECOM", "DOB", "LS"),
        """SELECT e.CHILD, e.location FROM episodes e JOIN header h USING (CHILD)
        WHERE e.LS IN ('J1', 'J2', 'J3') AND d(h.DOB) + INTERVAL 10 YEAR >= d(e.DECOM)""",
    ),
    error(
        "408",
        "Child is placed for adoption with a placement order, but no placement order has been recorded.",
        ("PLACE", "LS"),
        "SELECT CHILD, location FROM episodes WHERE PLACE IN ('A5', 'A6') AND LS IS DISTINCT FROM 'E1'",
    ),
    error(
        "501",
        "A new episode has started before the end date of the previous episode.",
        ("DECOM", "DEC"),
        "SELECT CHILD, location FROM ep WHERE decom_d < prev_dec",
    ),
    _place_provider(
        "527",
        "A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.",
        ("P1", "R2", "R5"),
        "PR1",
    ),
    _place_provider(
        "528",
        "A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.",
        ("P1", "R2", "R5"),
        "PR2",
    ),
    _place_provider(
        "529",
        "Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as "
        "these placements cannot be provided by other public organisations.",
        ("A3", "A4", "A5", "A6", "K1", "K2", "P1", "U1", "U2", "U3", "U4", "U5", "U6"),
        "PR3",
    ),
    _place_provider("530", "A placement provider code of PR4 cannot be associated with placement P1.", ("P1",), "PR4"),
    _place_provider("531", "A placement provider code of PR5 cannot be associated with placements P1.", ("P1",), "PR5"),
    error(
        "550",
        "A placement provider code of PR0 can only be associated with placement P1.",
        ("PLACE", "PLACE_PROVIDER"),
        "SELECT CHILD, location FROM episodes WHERE PLACE_PROVIDER = 'PR0' AND PLACE IS DISTINCT FROM 'P1'",
    ),
    error(
        "551",
        "Child has been placed for adoption but there is no date of the decision that the child should be placed "
        "for adoption.",
        ("DATE_PLACED", "PLACE"),
        # Only when the placed-for-adoption table was given: without it the rule cannot tell.
        """SELECT e.CHILD, e.location FROM episodes e WHERE e.PLACE IN ('A3', 'A4', 'A5', 'A6')
        AND EXISTS (SELECT 1 FROM given WHERE name = 'PlacedAdoption')
        AND (NOT EXISTS (SELECT 1 FROM placedadoption p WHERE p.CHILD = e.CHILD)
             OR EXISTS (SELECT 1 FROM placedadoption p WHERE p.CHILD = e.CHILD AND p.DATE_PLACED IS NULL))""",
    ),
    error(
        "222",
        "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
        ("URN",),
        """SELECT CHILD, location FROM episodes WHERE URN IS NOT NULL AND URN <> 'XXXXXXX' AND PLACE IN
        ('P1', 'P3', 'R1', 'R2', 'R5', 'T0', 'T1', 'T2', 'T3', 'T4', 'Z11', 'Z12', 'Z13', 'Z14')""",
        years=(2026, 2027),
    ),
    error(
        "225",
        "Reason for placement change must be recorded.",
        ("REASON_PLACE_CHANGE",),
        f"""SELECT CHILD, location FROM ep WHERE seq < episodes AND REC = 'X1' AND REASON_PLACE_CHANGE IS NULL
        AND coalesce(PLACE NOT IN {TEMPORARY}, true)
        AND next_rne IN ('P', 'B', 'T', 'U') AND coalesce(next_place NOT IN {TEMPORARY}, true)""",
    ),
]
