"""For each DfE deprivation of liberty rule (SSDA903 2026-27, table DoLo): a child that breaks it and
the nearest child that does not, from the DfE's wording (collection 2026-27: 1 April 2026 to 31 March
2027). Built as returns/tests/ssda903_rule_cases.py builds the other rules' cases, from the same plain
child (a girl born 1 January 2010), here looked after from 1 May 2026 in foster care (U1)."""

from __future__ import annotations

from returns.tests.ssda903_rule_cases import case

YEAR = 2027
EPISODE = {"DECOM": "01/05/2026"}
DOLO = {"DOLO_START": "01/06/2026", "DOLO_END": "01/07/2026"}


def held(*dolos: dict, place: str = "U1", **episode) -> dict:
    """A child looked after from 1 May 2026 in `place`, with these deprivations of liberty."""
    return case(episodes=[{**EPISODE, "PLACE": place, **episode}], DoLo=[{**DOLO, **d} for d in dolos])


# code -> (breaks it, does not)
LIBERTY_CASES: dict[str, tuple[dict, dict]] = {
    "700": (held({"DOLO_START": "31/06/2026"}, place="K2"), held({"DOLO_START": "30/06/2026"}, place="K2")),
    "701": (held({"DOLO_END": "2026-07-01"}, place="K2"), held({"DOLO_END": ""}, place="K2")),
    "702": (held({"DOLO_END": "31/05/2026"}, place="K2"), held({"DOLO_END": "02/06/2026"}, place="K2")),
    "703": (held({"DOLO_START": "01/04/2027", "DOLO_END": ""}), held({"DOLO_START": "31/03/2027", "DOLO_END": ""})),
    "704": (
        held({"DOLO_START": "01/03/2026", "DOLO_END": "31/03/2026"}, place="K2"),
        held({"DOLO_START": "01/03/2026", "DOLO_END": "01/04/2026"}, place="K2"),
    ),
    "705": (  # the second starts while the first runs on; the nearest: it starts the day the first ends
        held({"DOLO_END": "01/08/2026"}, {"DOLO_START": "01/07/2026", "DOLO_END": ""}, place="K2"),
        held({"DOLO_END": "01/07/2026"}, {"DOLO_START": "01/07/2026", "DOLO_END": ""}, place="K2"),
    ),
    "707": (
        held({"DOLO_END": ""}, place="K2", DEC="01/09/2026", REC="E13"),
        held({"DOLO_END": "01/09/2026"}, place="K2", DEC="01/09/2026", REC="E13"),
    ),
    "708": (
        held({"DOLO_START": "01/01/2010", "DOLO_END": ""}, place="K2"),
        held({"DOLO_START": "02/01/2010", "DOLO_END": ""}, place="K2"),
    ),
    "709": (held({}, place="U1"), held({}, place="K2")),
    "710": (held({}, place="K1"), held({}, place="Z12")),
}
