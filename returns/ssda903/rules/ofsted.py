"""SSDA903 rules that check the placement's Ofsted URN against Ofsted's register of providers: that
the URN is registered (1008), and that what the return says of the placement agrees with what Ofsted
lists for it: the placement type (219), postcode (221), provider (224), and the provider's closing
date (227, 228); and, with the ONS Postcode Directory too (decision 0057), that the provider's local
authority agrees with the placing authority for own provision (229) and with the placement's for
supported accommodation (241).

They read `providers`: the installed register's providers for the return's URNs
(returns/ssda903/ofsted.py `stage`), which returns/ssda903/validation.py stages only when a register
is installed; without one they are not run and the run says so once. A URN of XXXXXXX (none
applies) is never looked up. See docs/validation-rules-903-ofsted.md."""

from dataclasses import replace

from returns.rules.base import Rule
from returns.ssda903.rules.common import error

FROM_2024_25 = (2025, 2026, 2027)
FROM_2025_26 = (2026, 2027)
UNTIL_2024_25 = (2023, 2024, 2025)
# The placement's URN as the register holds them; each rule reads only the episodes that give one.
GIVEN = "URN IS NOT NULL AND upper(trim(URN)) <> 'XXXXXXX'"
SAME = "p.URN = upper(trim(e.URN))"
OWN = "p.la = (SELECT council FROM council)"  # the provider is in the council's area
# Placements 229 leaves out from 2025-26: supported accommodation, with parents, independent living,
# residential employment, temporary placements and the Z11-Z14 "other" placements.
NO_PROVIDER_LA = "('K3', 'P1', 'P3', 'R1', 'R2', 'R5', 'T0', 'T1', 'T2', 'T3', 'T4', 'Z11', 'Z12', 'Z13', 'Z14')"


def _rule(code: str, message: str, fields: tuple[str, ...], where: str, years=None, placed=False) -> Rule:
    """`placed`: the rule also reads the provider's local authority (`p.la`), or the placement's
    (`PL_LA` of `placed`), derived from the postcodes, so needs the ONS Postcode Directory too."""
    sql = f"SELECT CHILD, location FROM {'placed' if placed else 'episodes'} e WHERE {GIVEN} AND {where}"
    rule = error(code, message, fields, sql) if years is None else error(code, message, fields, sql, years)
    return replace(rule, needs_ofsted=True, needs_postcodes=placed)


def _none_listed(condition: str) -> str:
    """No provider of the URN in the register satisfies `condition` (so an unregistered URN too)."""
    return f"NOT EXISTS (SELECT 1 FROM providers p WHERE {SAME} AND {condition})"


def _closed(condition: str) -> str:
    """A provider of the URN closed, and `condition` holds of its closing date `p.closed`."""
    return f"EXISTS (SELECT 1 FROM providers p WHERE {SAME} AND p.closed IS NOT NULL AND {condition})"


def _postcode_rule(places: tuple[str, ...], years: tuple[int, ...]) -> Rule:
    """221, one version per list of placements it reads."""
    return _rule(
        "221",
        "The Ofsted Unique reference number (URN) provided for the child's placement does not match the "
        "placement postcode provided.",
        ("PL_POST",),
        f"coalesce(LS, '') NOT IN ('V3', 'V4') AND PLACE IN ({', '.join(repr(p) for p in places)}) "
        "AND PL_POST IS NOT NULL AND " + _none_listed("p.postcode = upper(replace(e.PL_POST, ' ', ''))"),
        years,
    )


def _provider_la_rule(placements: str, years: tuple[int, ...]) -> Rule:
    """229, one version per set of placements it reads (`placements`, a condition on the episode)."""
    return _rule(
        "229",
        "Placement provider does not match between the placing authority and the local authority code of "
        "the provider. [NOTE: The provider's LA code is inferred from the its postcode, and may "
        "be inaccurate in some cases.]",
        ("URN", "PLACE_PROVIDER"),
        f"{placements} AND ("
        f"(PLACE_PROVIDER = 'PR1' AND {_none_listed(OWN)}) OR (PLACE_PROVIDER = 'PR2' AND NOT {_none_listed(OWN)}))",
        years,
        placed=True,
    )


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
    # 221's placements changed with the code lists: 2022-23 K1, K2, R3, S1; 2023-24 H5 as well; from 2024-25
    # K3 (supported accommodation, which replaced H5) instead (Data to Insight's lac2022_23, lac2023_24, lac2024_25).
    _postcode_rule(("K1", "K2", "R3", "S1"), (2023,)),
    _postcode_rule(("H5", "K1", "K2", "R3", "S1"), (2024,)),
    _postcode_rule(("K1", "K2", "K3", "R3", "S1"), FROM_2024_25),
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
    # 229 until 2024-25 read every placement with a URN; from 2025-26 it leaves out NO_PROVIDER_LA
    # (Data to Insight's lac2022_23 and lac2025_26).
    _provider_la_rule("true", UNTIL_2024_25),
    _provider_la_rule(f"coalesce(PLACE, '') NOT IN {NO_PROVIDER_LA}", FROM_2025_26),
    _rule(
        "241",
        "LA of placement is not an LA the provider has premises.",
        ("URN",),
        "PLACE = 'K3' AND " + _none_listed("p.la = e.PL_LA"),
        FROM_2025_26,
        placed=True,
    ),
]
