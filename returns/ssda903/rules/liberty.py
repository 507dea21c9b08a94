"""SSDA903 rules on the deprivation of liberty table (DoLo: CHILD, DOB, DOLO_START, DOLO_END), new in
2026-27: the dates themselves, the collection year, overlaps, the child's care and the placement.

Sources (docs/decisions/0040-deprivation-of-liberty.md): the DfE's 2026-27 rules 700-710 as Data to
Insight's csc-validator-be-903 encodes them (rule pack lac2026_27): their codes, what each checks and
the meaning of its message. The DfE's spreadsheet could not be read here, so the messages below are
our own words for the DfE's, and the kinds are inferred from the wording (709's "unexpected" is a
query's). Not implemented: 706 (an open DoLo in last year's return must start this year's), which
needs last year's return. "DoLO" in the DfE's messages is read as "deprivation of liberty order"."""

from returns.rules.base import ERROR, QUERY, Rule

YEARS = (2027,)  # the table is in the specification from 2026-27
SOURCE = (
    "DfE SSDA903 2026-27 validation rules (deprivation of liberty); codes and conditions as in Data to "
    "Insight's csc-validator-be-903 (lac2026_27), messages in our words"
)


def _rule(code: str, kind: str, message: str, fields: tuple[str, ...], sql: str) -> Rule:
    return Rule(code, kind, message, fields, sql, YEARS, SOURCE)


# The DoLo rows with their dates read, and each child's DoLo before it in the order of its end (an open
# one counted at its start) then its start: the "previous DoLO" of rule 705.
_ORDERED = """SELECT *, lag(end_d) OVER w AS prev_end, lag(row_no) OVER w AS prev_row
    FROM (SELECT *, d(DOLO_START) AS start_d, d(DOLO_END) AS end_d FROM dolo)
    WINDOW w AS (PARTITION BY CHILD ORDER BY coalesce(end_d, start_d) NULLS LAST, start_d NULLS LAST, row_no)"""

# A DoLo with both dates, against each episode of the child's that overlaps it (an open episode
# runs on); the placement rules 709 and 710 look at those episodes only.
_OVERLAPPING = """SELECT DISTINCT o.CHILD, o.location FROM dolo o JOIN episodes e USING (CHILD)
    WHERE d(o.DOLO_START) IS NOT NULL AND d(o.DOLO_END) IS NOT NULL AND d(e.DECOM) IS NOT NULL
    AND d(o.DOLO_START) <= coalesce(d(e.DEC), DATE '9999-12-31') AND d(o.DOLO_END) >= d(e.DECOM)"""

RULES = [
    _rule(
        "700",
        ERROR,
        "The deprivation of liberty order's start date (DOLO_START) is missing or not a valid date.",
        ("DOLO_START",),
        "SELECT CHILD, location FROM dolo WHERE d(DOLO_START) IS NULL",
    ),
    _rule(
        "701",
        ERROR,
        "The deprivation of liberty order's end date (DOLO_END) is given but is not a valid date.",
        ("DOLO_END",),
        "SELECT CHILD, location FROM dolo WHERE DOLO_END IS NOT NULL AND d(DOLO_END) IS NULL",
    ),
    _rule(
        "702",
        ERROR,
        "The deprivation of liberty order ends before it starts.",
        ("DOLO_START", "DOLO_END"),
        # Ending on the day it starts counts too, as Data to Insight checks it (to be confirmed with the DfE).
        "SELECT CHILD, location FROM dolo WHERE d(DOLO_END) <= d(DOLO_START)",
    ),
    _rule(
        "703",
        ERROR,
        "The deprivation of liberty order starts after the end of the collection year.",
        ("DOLO_START",),
        "SELECT CHILD, location FROM dolo, collection k WHERE d(DOLO_START) > k.end_date",
    ),
    _rule(
        "704",
        ERROR,
        "The deprivation of liberty order's end date falls outside the collection year (before its start or "
        "after its end).",
        ("DOLO_END",),
        "SELECT CHILD, location FROM dolo, collection k WHERE d(DOLO_END) < k.start_date OR d(DOLO_END) > k.end_date",
    ),
    _rule(
        "705",
        ERROR,
        "A deprivation of liberty order starts while the child's previous one is still open.",
        ("DOLO_START", "DOLO_END"),
        f"""SELECT CHILD, location FROM ({_ORDERED})
        WHERE prev_row IS NOT NULL AND (prev_end IS NULL OR start_d < prev_end)""",
    ),
    _rule(
        "707",
        ERROR,
        "The child has ceased to be looked after, but a deprivation of liberty order has no end date.",
        ("DOLO_END",),
        # Ceased: the child's latest episode (by DECOM) has ended. An open DoLo with a valid start only.
        """SELECT o.CHILD, o.location FROM dolo o JOIN ep USING (CHILD)
        WHERE ep.seq = ep.episodes AND ep.dec_d IS NOT NULL AND o.DOLO_END IS NULL AND d(o.DOLO_START) IS NOT NULL""",
    ),
    _rule(
        "708",
        ERROR,
        "The deprivation of liberty order starts on or before the child's date of birth.",
        ("DOLO_START",),
        "SELECT CHILD, location FROM dolo WHERE d(DOLO_START) <= d(DOB)",
    ),
    _rule(
        "709",
        QUERY,
        "The child has a deprivation of liberty order during a placement of a type not expected with one "
        "(expected: K2, Z12 or Z13).",
        ("DOLO_START", "PLACE"),
        f"SELECT CHILD, location FROM ({_OVERLAPPING} AND coalesce(e.PLACE NOT IN ('K2', 'Z12', 'Z13'), true))",
    ),
    _rule(
        "710",
        ERROR,
        "A child with a deprivation of liberty order cannot be placed in a secure children's home (K1), with "
        "parents (P1), in a young offender institution or prison (R5) or in supported accommodation (K3).",
        ("DOLO_START", "PLACE"),
        f"SELECT CHILD, location FROM ({_OVERLAPPING} AND e.PLACE IN ('K1', 'P1', 'R5', 'K3'))",
    ),
]
