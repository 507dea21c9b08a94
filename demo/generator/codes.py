"""Code lists with the weights the generator draws from.

Codes are the DfE's (CIN census, SSDA903) as the register stores them; see
docs/register-mapping.md. Weights are plausible shares for an outer London
borough, anchored where seed 001 (Bromley 2014-15, section 4.1) gives a figure."""

import itertools
import random
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed table of values and weights, drawn from with one random number."""

    def __init__(self, table: dict[T, float]) -> None:
        self.values = list(table)
        self.cum = list(itertools.accumulate(table.values()))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cum)[0]


# Ethnicity of children known to social care: about 35% black and minority ethnic
# (seed 001 Figures 11 and 13: 35-42% of children on a plan or in care).
ETHNICITY = Weighted(
    {
        "WBRI": 52.0,
        "WIRI": 0.6,
        "WIRT": 0.5,
        "WOTH": 5.0,
        "WROM": 0.4,
        "MWBC": 6.0,
        "MWBA": 2.2,
        "MWAS": 2.0,
        "MOTH": 4.0,
        "AIND": 1.5,
        "APKN": 0.6,
        "ABAN": 0.5,
        "AOTH": 2.0,
        "BCRB": 4.0,
        "BAFR": 7.0,
        "BOTH": 3.0,
        "CHNE": 0.3,
        "OOTH": 2.0,
        "REFU": 0.4,
        "NOBT": 2.0,
    }
)
ETHNICITY_UASC = Weighted({"BAFR": 40, "AOTH": 28, "OOTH": 22, "WOTH": 10})

# CIN ReferralSource. Police are the largest source nationally (about 29%).
REFERRAL_SOURCE = Weighted(
    {
        "1A": 5,
        "1B": 1,
        "1C": 1,
        "1D": 1,
        "2A": 17,
        "2B": 2,
        "3A": 3,
        "3B": 4,
        "3C": 1,
        "3D": 2,
        "3E": 4,
        "3F": 3,
        "4": 2,
        "5A": 3,
        "5B": 4,
        "5C": 4,
        "6": 29,
        "7": 4,
        "8": 6,
        "9": 1,
        "10": 3,
    }
)
REFERRAL_SOURCE_INFANT = Weighted({"3B": 30, "3D": 10, "3E": 10, "3F": 10, "6": 25, "1A": 5, "5C": 5, "8": 5})

PRIMARY_NEED = Weighted({"N1": 57, "N2": 7, "N3": 3, "N4": 11, "N5": 15, "N6": 3, "N7": 0.5, "N8": 1.5, "N9": 2})

# Figure 12 (children becoming subject to a plan, 2014-15), as sorted code combinations.
CATEGORY_COMBINATIONS = Weighted(
    {
        "EMO": 46.0,
        "NEG": 46.0,
        "EMO,NEG": 1.0,
        "PHY": 1.0,
        "NEG,PHY": 0.3,
        "EMO,PHY": 3.7,
        "EMO,NEG,PHY": 0.5,
        "SAB": 2.3,
        "NEG,SAB": 0.5,
        "EMO,SAB": 0.2,
        "PHY,SAB": 0.1,
    }
)

# CIN AssessmentFactors: (code, probability, minimum age). The child's own factors
# apply to older children. 11A is child sexual exploitation; 6A is the child's
# physical disability or illness.
FACTORS = (
    ("3B", 0.33, 0),
    ("4B", 0.30, 0),
    ("17A", 0.22, 0),
    ("16A", 0.20, 0),
    ("2B", 0.16, 0),
    ("1B", 0.14, 0),
    ("3A", 0.10, 0),
    ("18C", 0.08, 0),
    ("20", 0.07, 0),
    ("4A", 0.14, 10),
    ("14A", 0.07, 10),
    ("15A", 0.07, 11),
    ("10A", 0.05, 11),
    ("2A", 0.05, 12),
    ("13A", 0.025, 12),
    ("24A", 0.025, 12),
    ("19C", 0.04, 0),
    ("18B", 0.02, 8),
    ("5A", 0.04, 3),
    ("6A", 0.03, 0),
    ("6B", 0.04, 0),
    ("5B", 0.03, 0),
    ("7A", 0.02, 8),
    ("1A", 0.02, 12),
    ("12A", 0.006, 10),
    ("22A", 0.002, 0),
    ("23A", 0.004, 0),
    ("4C", 0.03, 0),
    ("3C", 0.02, 0),
    ("2C", 0.02, 0),
    ("1C", 0.02, 0),
)

DISABILITY = Weighted(
    {
        "AUT": 30,
        "LD": 25,
        "COMM": 12,
        "BEH": 10,
        "MOB": 7,
        "PC": 4,
        "HAND": 2,
        "HEAR": 3,
        "VIS": 2,
        "CON": 2,
        "INC": 1,
        "DDA": 2,
    }
)

CONTACT_OUTCOME = Weighted(
    {
        "No further action": 33,
        "Information and advice given": 24,
        "Signposted to universal services": 12,
        "Early help": 19,
        "Passed to another local authority": 2,
        "Police notification logged": 10,
    }
)

# Why a case passed to another worker: the 903's SW_REASON codes, never FCONTA (first contact), which is the
# reason of a case's first worker only (the DfE's SW10b refuses it for an episode following another).
REALLOCATION_REASON = Weighted({"MANAGE": 35, "ABSENC": 12, "ORGRST": 10, "CHCHAN": 20, "OTHERS": 15})

REVIEW_PARTICIPATION = Weighted({"PN1": 50, "PN2": 8, "PN3": 5, "PN4": 15, "PN5": 9, "PN6": 8, "PN7": 5})

PLACE_CHANGE_REASON = Weighted(
    {
        "CARPL": 38,
        "CREQB": 15,
        "CREQO": 8,
        "CHILD": 8,
        "LAREQ": 9,
        "STAND": 3,
        "ALLEG": 3,
        "CLOSE": 4,
        "APPRR": 2,
        "OTHER": 10,
    }
)

RETURN_HOME_REASON = Weighted({"E4A": 70, "E4B": 10, "E13": 20})
AGE_18_REASON = Weighted({"E17": 22, "E5": 48, "E6": 12, "E8": 18})
OTHER_EXIT_REASON = Weighted({"E3": 30, "E8": 40, "E16": 8, "E9": 8, "E7": 4, "E2": 1})

OC3_IN_TOUCH = Weighted({"YES": 88, "NO": 6, "REFU": 3, "NREQ": 2, "RHOM": 1})
OC3_ACTIVITY = Weighted(
    {"F1": 5, "P1": 1, "F2": 24, "P2": 6, "F4": 14, "P4": 8, "F5": 6, "P5": 4, "G4": 8, "G5": 18, "G6": 6}
)
OC3_ACCOMMODATION = Weighted(
    {"U": 30, "D": 16, "Z": 12, "E": 8, "B": 10, "K": 6, "T": 5, "R": 4, "S": 2, "V": 2, "X": 2, "Y": 3}
)

COHORT_REFERRER = Weighted(
    {"police": 40, "social_care": 24, "education": 14, "health": 8, "youth_offending": 9, "voluntary": 5}
)
