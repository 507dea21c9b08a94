"""SSDA903 rules that check the placement's Ofsted URN against Ofsted's register of providers: that
the URN is registered (1008), and that what the return says of the placement agrees with what Ofsted
lists for it: the placement type (219), postcode (221), provider (224), and the provider's closing
date (227, 228).

They read `providers`: the installed register's providers for the return's URNs
(returns/ssda903/ofsted.py `stage`), which returns/ssda903/validation.py stages only when a register
is installed; without one they are not run and the run says so once. A URN of XXXXXXX (none
applies) is never looked up. See docs/validation-rules-903-ofsted.md."""

from dataclasses import replace

from returns.rules.base import Rule
from returns.ssda903.rules.common import error

FROM_2024_25 = (2025, 2026, 2027)
# The placement's URN as the register holds them; each rule reads only the episodes that give one.
GIVEN = "URN IS NOT NULL AND upper(trim(URN)) <> 'XXXXXXX'"
SAME = "p.URN = upper(trim(e.URN))"


def _rule(code: str, message: str, fields: tuple[str, ...], where: str, years=None) -> Rule:
    sql = f"SELECT CHILD, location FROM episodes e WHERE {GIVEN} AND {where}"
    rule = error(code, message, fields, sql) if years is None else error(code, message, fields, sql, years)
    return replace(rule, needs_ofsted=True)


def _none_listed(condition: str) -> str:
    """No provider of the URN in the register satisfies `condition` (so an unregistered URN too)."""
    return f"NOT EXISTS (SELECT 1 FROM providers p WHERE {SAME} AND {condition})"


def _closed(condition: str) -> str:
    """A provider of the URN closed, and `condition` holds of its closing date `p.closed`."""
    return f"EXISTS (SELECT 1 FROM providers p WHERE {SAME} AND p.closed IS NOT NULL AND {condition})"


RULES = [
    _rule(
        "1008",
        "Ofsted Unique Reference Number (URN) is not valid.",
        ("URN",),
        _none_listed("true"),
    ),
    _rule(
        "219",
        "The Ofsted Unique reference number (URN) provided for the child's placement does not match the "
        "placement type recorded.",
        ("URN", "PLACE"),
        _none_listed("list_contains(p.place_codes, e.PLACE)"),
    ),
    _rule(
        "221",
        "The Ofsted Unique reference number (URN) provided for the child's placement does not match the "
        "placement postcode provided.",
        ("PL_POST",),
        "coalesce(LS, '') NOT IN ('V3', 'V4') AND PLACE IN ('K1', 'K2', 'K3', 'R3', 'S1') AND PL_POST IS NOT NULL AND "
        + _none_listed("p.postcode = upper(replace(e.PL_POST, ' ', ''))"),
        FROM_2024_25,
    ),
    _rule(
        "224",
        "The Ofsted Unique reference number (URN) provided for the child's placement does not match the "
        "placement provider recorded.",
        ("PLACE_PROVIDER",),
        _none_listed("list_contains(p.provider_codes, e.PLACE_PROVIDER)"),
    ),
    _rule(
        "227",
        "Ofsted Unique reference number (URN) is not valid for the episode start date.",
        ("URN", "DECOM"),
        _closed("d(e.DECOM) >= p.closed"),
    ),
    _rule(
        "228",
        "Ofsted Unique reference number (URN) is not valid for the episode end date "
        "[NOTE: may give false positives on open episodes at providers who close during the year]",
        ("URN", "DEC"),
        _closed("coalesce(d(e.DEC), (SELECT end_date FROM collection)) > p.closed"),
    ),
]
