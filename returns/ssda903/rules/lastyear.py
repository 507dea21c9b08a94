"""SSDA903 rules that compare this year's return with last year's (503A-F): a child still looked
after at 31 March carries last year's open episode into this year, so this year's first episode
must repeat its reason for new episode, legal status, category of need, placement type, provider
and Ofsted URN.

They read `episodes_last`, last year's episodes, which returns/ssda903/validation.py stages only
when last year's return is held (the previous committed import of the register, or a file given to
validate_return); without it they are not run and the run says so once. See
docs/validation-rules-903-lastyear.md, where 503G, 503H and 503J (distance, local authority and
location of the placement, which Data to Insight derives from the postcodes) are explained."""

from dataclasses import replace

from returns.rules.base import Rule
from returns.ssda903.rules.common import error

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


RULES = [
    _same("503A", "RNE", "reason for new episode"),
    _same("503B", "LS", "legal status"),
    _same("503C", "CIN", "category of need"),
    _same("503D", "PLACE", "placement type", fullstop=""),  # the DfE's 2024-25 wording has no full stop
    _same("503E", "PLACE_PROVIDER", "placement provider"),
    _same("503F", "URN", "Ofsted URN"),
]
