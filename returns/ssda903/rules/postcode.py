"""SSDA903 rules on the items the DfE derives from the postcodes: the local authority (PL_LA), the
location (PL_LOCATION, in or out of the council's area) and the distance (PL_DISTANCE) of the
placement, and whether HOME_POST and PL_POST are postcodes at all.

They read `placed` (and, for those that compare with last year, `placed_last`): the episodes with
those items derived from the installed ONS Postcode Directory (returns/ssda903/postcodes.py
`derive`), which returns/ssda903/validation.py stages only when a directory is installed; without
one they are not run and the run says so once. See docs/validation-rules-903-postcodes.md."""

from dataclasses import replace

from returns.rules.base import Rule
from returns.ssda903.rules.common import error

SHORT_BREAK = "coalesce(LS, '') IN ('V3', 'V4')"
# Unaccompanied asylum-seeking children, as the return says: in the UASC table (CSV), or UASC 1 in
# the XML header. Last year's and the year before's status are not held (see the doc).
UASC = "CHILD IN (SELECT CHILD FROM uasc UNION SELECT CHILD FROM uasc_status WHERE UASC = '1')"
OUTSIDE_ENGLAND = "('CON', 'NIR', 'SCO', 'WAL', 'NUK')"
FROM_2025_26 = (2026, 2027)
# Placements that need no Ofsted URN (218, from 2025-26): placed with parents, independent living,
# residential employment, temporary placements, and the Z11-Z14 "other" placements.
URN_NOT_NEEDED = "('P1', 'P3', 'R1', 'R2', 'R5', 'T0', 'T1', 'T2', 'T3', 'T4', 'Z11', 'Z12', 'Z13', 'Z14')"
# Foster and adoption placements and supported accommodation (K3), which 1015 leaves out from 2025-26.
FOSTERED_OR_ADOPTED = "('A3', 'A4', 'A5', 'A6', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'K3')"

# Each child's first episode this year (by start, as `ep` orders them) beside its latest episode of
# last year (the latest start; the first listed of equals), both with their derived items.
CARRIED = """SELECT f.CHILD, f.location FROM placed f JOIN ep ON ep.row_no = f.row_no AND ep.seq = 1
    JOIN (SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY d(DECOM) DESC, row_no) AS r
          FROM placed_last WHERE d(DECOM) IS NOT NULL) l ON l.CHILD = f.CHILD AND l.r = 1
    WHERE {where}"""
DISTANCE_DIFFERS = (
    "(abs(f.PL_DISTANCE - l.PL_DISTANCE) >= 0.2 OR (l.PL_DISTANCE IS NULL AND f.PL_DISTANCE IS NOT NULL))"
)


def _rule(code: str, message: str, fields: tuple[str, ...], where: str, years=None, last: bool = False) -> Rule:
    sql = CARRIED.format(where=where) if last else f"SELECT CHILD, location FROM placed WHERE {where}"
    rule = error(code, message, fields, sql) if years is None else error(code, message, fields, sql, years)
    return replace(rule, needs_postcodes=True, needs_previous=last)


RULES = [
    _rule(
        "392c",
        "Postcode(s) provided are invalid.",
        ("HOME_POST", "PL_POST"),
        "(HOME_POST IS NOT NULL AND NOT home_found) OR (PL_POST IS NOT NULL AND NOT pl_found)",
    ),
    _rule(
        "169",
        "Local Authority (LA) of placement is not valid or is missing. Please check a valid postcode has been entered.",
        ("PL_LA",),
        f"NOT {SHORT_BREAK} AND PL_LA IS NULL",
    ),
    _rule(
        "179",
        "Placement location code is not a valid code.",
        ("PL_LOCATION",),
        f"NOT {SHORT_BREAK} AND PL_LOCATION IS NULL",
    ),
    _rule(
        "420",
        "LA of placement completed but child is looked after under legal status V3 or V4.",
        ("PL_LA",),
        f"{SHORT_BREAK} AND PL_LA IS NOT NULL",
    ),
    _rule(
        "392a",
        "Child is looked after but no distance is recorded. [NOTE: This check may result in false positives for "
        "children formerly UASC]",
        ("PL_DISTANCE",),
        f"NOT {UASC} AND NOT {SHORT_BREAK} AND PL_DISTANCE IS NULL",
    ),
    _rule(
        "406",
        "Child is Unaccompanied Asylum-Seeking Child (UASC) or was formerly UASC. Distance should be blank. "
        "[NOTE: This check will result in false negatives for children formerly UASC not identified as such in "
        "loaded data]",
        ("PL_DISTANCE",),
        f"{UASC} AND PL_DISTANCE IS NOT NULL",
    ),
    _rule(
        "454",
        "Placement distance from home is over 350 miles. [NOTE: This check will result in false positives for "
        "children formerly UASC not identified as such in loaded data]",
        ("PL_DISTANCE",),
        "PL_DISTANCE > 350 AND PL_DISTANCE <> 999.9",
        FROM_2025_26,
    ),
    _rule(
        "243",
        "Only placements with providers registered with Ofsted should have a URN reported.",
        ("URN",),
        f"PL_LA IN {OUTSIDE_ENGLAND} AND URN IS NOT NULL",
        FROM_2025_26,
    ),
    _rule(
        "218",
        "Ofsted Unique reference number (URN) is required.",
        ("URN",),
        f"URN IS NULL AND coalesce(PLACE, '') NOT IN {URN_NOT_NEEDED} AND coalesce(PL_LA, '') NOT IN {OUTSIDE_ENGLAND}"
        " AND (DEC IS NULL OR d(DEC) >= (SELECT start_date FROM collection))",
        FROM_2025_26,
    ),
    _rule(
        "1015",
        "Placement provider is own provision but child not placed in own LA.",
        ("PL_LA",),
        f"PLACE_PROVIDER = 'PR1' AND LS IS NOT NULL AND NOT {SHORT_BREAK} AND PLACE IS NOT NULL"
        f" AND PLACE NOT IN {FOSTERED_OR_ADOPTED} AND PL_LA IS DISTINCT FROM (SELECT council FROM council)",
        FROM_2025_26,
    ),
    _rule(
        "503G",
        "The distance in first episode does not match open episode at end of last year.",
        ("PL_DISTANCE",),
        f"d(l.DEC) IS NULL AND {DISTANCE_DIFFERS}",
        last=True,
    ),
    _rule(
        "503H",
        "The placement LA in first episode does not match open episode at end of last year.",
        ("PL_LA",),
        "d(l.DEC) IS NULL AND f.PL_LA IS DISTINCT FROM l.PL_LA",
        last=True,
    ),
    _rule(
        "503J",
        "The placement location in first episode does not match open episode at end of last year.",
        ("PL_LOCATION",),
        "d(l.DEC) IS NULL AND f.PL_LOCATION IS DISTINCT FROM l.PL_LOCATION",
        last=True,
    ),
    _rule(
        "452",
        "Contradiction between local authority of placement code in the last episode of the previous year and in "
        "the first episode of the current year.",
        ("PL_LA",),
        "l.DEC IS NULL AND f.RNE = l.RNE AND f.PL_LA IS DISTINCT FROM l.PL_LA",
        last=True,
    ),
    _rule(
        "453",
        "Contradiction between placement distance in the last episode of the previous year and in the first "
        "episode of the current year.",
        ("PL_DISTANCE",),
        f"d(l.DEC) IS NULL AND f.RNE = l.RNE AND {DISTANCE_DIFFERS}",
        last=True,
    ),
]
