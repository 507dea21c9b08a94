"""For each DfE SSDA903 rule of returns/ssda903/rules/ofsted.py (the placement's Ofsted URN against
Ofsted's register of providers): a child that breaks it and the nearest child that does not, from
the DfE's wording. Built as returns/tests/ssda903_rule_cases.py builds its cases (collection 2025-26,
the same plain child), but kept apart from its CASES: these rules run only with Ofsted's lists,
here the two made by hand in Ofsted's layout (returns/tests/data/ofsted_*.xlsx):

- 2000001 a children's home (K2), provider PR3 or PR4, at TW9 2BB, open;
- 2000002 a children's home (K2), PR4, at RG1 1AA, closed 30 June 2025;
- 3000001 a residential family centre (R3), PR4, at SW1A 1AA, open;
- 3000002 a secure children's home (K1), PR2, at CB2 1TN, deregistered 31 December 2024.

229 and 241 read the provider's local authority from its postcode, with the ONS Postcode Directory
of returns/tests/ssda903_postcode_cases.py (the council E09000027, whose area holds TW9 2BB)."""

from __future__ import annotations

from pathlib import Path

from returns.tests.ssda903_rule_cases import CLOSED, case

DATA = Path(__file__).parent / "data"
LISTS = (DATA / "ofsted_childrens_homes.xlsx", DATA / "ofsted_social_care_providers.xlsx")

# Placed from 1 May 2025 in the open children's home, as Ofsted lists it.
HOME = {"PLACE": "K2", "PLACE_PROVIDER": "PR3", "URN": "2000001", "PL_POST": "TW9 2BB"}
CLOSING = {**HOME, "URN": "2000002", "PLACE_PROVIDER": "PR4", "PL_POST": "RG1 1AA"}  # closed 30/06/2025


def placed(**episode) -> dict:
    return case(episodes=[{**HOME, **episode}])


OFSTED_CASES: dict[str, tuple[dict, dict]] = {
    "1008": (placed(URN="9999999"), placed(URN="XXXXXXX")),  # XXXXXXX: no URN applies
    "219": (placed(PLACE="K1"), placed(URN="3000001", PLACE="R3", PLACE_PROVIDER="PR4", PL_POST="SW1A 1AA")),
    "221": (placed(PL_POST="TW9 1AA"), placed(PL_POST="tw92bb")),  # compared upper case, without spaces
    "224": (placed(PLACE_PROVIDER="PR1"), placed(PLACE_PROVIDER="PR4")),  # PR3/PR4: either
    "227": (
        case(episodes=[{**CLOSING, "DECOM": "30/06/2025"}]),  # started the day it closed
        case(episodes=[{**CLOSING, "DECOM": "29/06/2025"}]),
    ),
    "228": (  # open at 31 March: after it closed; ended the day it closed
        case(episodes=[CLOSING]),
        case(episodes=[{**CLOSING, **CLOSED, "DEC": "30/06/2025"}]),
    ),
    "229": (  # own provision (PR1) with a provider in Westminster; in the council's area
        placed(URN="3000001", PLACE="R3", PLACE_PROVIDER="PR1", PL_POST="SW1A 1AA"),
        placed(PLACE_PROVIDER="PR1"),
    ),
    "241": (placed(PLACE="K3", PL_POST="SW1A 1AA"), placed(PLACE="K3")),  # supported accommodation
}
