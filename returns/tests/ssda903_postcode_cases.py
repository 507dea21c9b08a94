"""For each DfE SSDA903 rule of returns/ssda903/rules/postcode.py (the placement's local authority,
location and distance, derived from HOME_POST and PL_POST): a child that breaks it and the nearest
child that does not, from the DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds
its cases (collection 2025-26, the same plain child), but kept apart from its CASES: these rules run
only with a postcode directory, here returns/tests/data/onspd_subset.csv (made by hand in the ONSPD
2025 column layout; the council is E09000027, whose area holds TW9 1AA and TW9 2BB).

Distances in the subset: TW9 1AA to TW9 2BB 0.2 miles, to SW1A 1AA 7.5; TR1 1AA to CF10 1AA 117.3,
to KW1 4AA 570.4."""

from __future__ import annotations

from pathlib import Path

from returns.tests.ssda903_rule_cases import EPISODE, case

DIRECTORY = Path(__file__).parent / "data" / "onspd_subset.csv"
COUNCIL = "E09000027"

# At home in the council's area, placed in it a fifth of a mile away.
NEAR = {"HOME_POST": "TW9 1AA", "PL_POST": "TW9 2BB"}
LAST = {**EPISODE, **NEAR, "DECOM": "01/05/2024"}  # last year's episode, still open at 31 March 2025
UASC = [{"SEX": "F", "DUC": ""}]  # the child is in the UASC table


def placed(**episode) -> dict:
    return case(episodes=[{**NEAR, **episode}])


def carried(last: dict, **first) -> dict:
    """The plain child whose first episode this year has `first`, after last year's open `last`."""
    return case(episodes=[{**NEAR, **first}], Episodes_last=[{**LAST, **last}])


POSTCODE_CASES: dict[str, tuple[dict, dict]] = {
    "392c": (placed(PL_POST="ZZ9 9ZZ"), placed(PL_POST="tw92bb")),  # compared upper case, without spaces
    "169": (placed(PL_POST=""), placed(PL_POST="", LS="V3")),  # short breaks have no LA of placement
    "179": (placed(PL_POST="ZZ9 9ZZ"), placed(PL_POST="CF10 1AA")),  # Wales: OUT
    "420": (placed(LS="V3"), placed(LS="V3", PL_POST="")),
    "392a": (placed(HOME_POST=""), case(episodes=[{**NEAR, "HOME_POST": ""}], UASC=UASC)),
    "406": (case(episodes=[NEAR], UASC=UASC), case(episodes=[{**NEAR, "HOME_POST": ""}], UASC=UASC)),
    "454": (
        placed(HOME_POST="TR1 1AA", PL_POST="KW1 4AA"),
        placed(HOME_POST="TR1 1AA", PL_POST="CF10 1AA"),
    ),
    "243": (placed(PL_POST="CF10 1AA", URN="1234567"), placed(PL_POST="CF10 1AA")),
    "218": (placed(PLACE="K2"), placed(PLACE="K2", PL_POST="CF10 1AA")),  # not needed outside England
    "1015": (  # own provision (PR1) in a children's home outside the council's area; inside it
        placed(PLACE="K2", PL_POST="SW1A 1AA", URN="1234567"),
        placed(PLACE="K2", URN="1234567"),
    ),
    "503G": (carried({}, PL_POST="SW1A 1AA"), carried({"PL_POST": "SW1A 1AA"}, PL_POST="SW1A1AA")),
    "503H": (  # Cambridge's LA is its county, Cambridgeshire (E10000003)
        carried({"PL_POST": "CB2 1TN"}, PL_POST="RG1 1AA"),
        carried({"PL_POST": "CB2 1TN"}, PL_POST="CB2 1TN"),
    ),
    "503J": (  # IN to OUT; OUT to OUT elsewhere
        carried({}, PL_POST="SW1A 1AA"),
        carried({"PL_POST": "SW1A 1AA"}, PL_POST="CB2 1TN"),
    ),
    "452": (  # only when the reason for new episode is the same
        carried({"PL_POST": "CB2 1TN"}, PL_POST="RG1 1AA"),
        carried({"PL_POST": "CB2 1TN"}, PL_POST="RG1 1AA", RNE="P"),
    ),
    "453": (
        carried({}, PL_POST="SW1A 1AA"),
        carried({}, PL_POST="SW1A 1AA", RNE="P"),
    ),
}
