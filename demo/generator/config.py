"""Sizes of demonstration council and the yearly volumes they follow.

`standard` is one Bromley: seed 001 section 4.1 (Figures 10-15) and DOMAIN.md
section 5. `large` is three times Bromley with three localities; `small` is a
twentieth of Bromley for tests."""

from dataclasses import dataclass, field
from datetime import date

from organisation.models import TeamType

# A fixed default so that a seed alone reproduces the same council. Override with --end-date.
DEFAULT_END_DATE = date(2026, 10, 31)
DEFAULT_YEARS = 3

# Yearly volumes for one Bromley (seed 001, 2014-15).
CONTACTS_PER_YEAR = 10_400  # Figure 10: 10,421 contacts
REFERRALS_PER_YEAR = 2_300  # Figure 10: 2,256 referrals
RE_REFERRAL_SHARE = 0.14  # Figure 10: 14% re-referrals within 12 months
ASSESSED_SHARE = 0.78  # Figure 10: 1,797 of 2,256 referrals went on to assessment
CSE_REFERRALS_PER_YEAR = 36  # Figure 10
MASE_NEW_PER_YEAR = 44  # Figure 15
UASC_PER_YEAR = 10
PRIVATE_FOSTERING_PER_YEAR = 6
CP_PLANS_AT_YEAR_END = 220  # Figure 11: 218
CHILDREN_LOOKED_AFTER = 280  # Figure 13: 276
CIN_PLANS_OPEN = 430
CARE_LEAVERS_PER_YEAR = 34

# Bromley's monthly pattern, April to March (Figure 10), used as seasonal weights.
CONTACT_SEASON = (830, 895, 865, 1075, 731, 840, 873, 897, 759, 799, 799, 1058)
REFERRAL_SEASON = (193, 210, 221, 200, 154, 153, 192, 203, 148, 159, 164, 259)

STANDARD_TEAMS: dict[str, int] = {
    TeamType.FRONT_DOOR: 1,
    TeamType.ASSESSMENT: 3,
    TeamType.CIN_CP: 4,
    TeamType.LOOKED_AFTER: 2,
    TeamType.LEAVING_CARE: 1,
    TeamType.ADOPTION: 1,
    TeamType.EXPLOITATION: 1,
}


@dataclass(frozen=True)
class Size:
    name: str
    scale: float  # volumes as a multiple of one Bromley
    localities: tuple[str, ...]  # team name prefixes; children belong to one locality
    teams: dict[str, int] = field(default_factory=dict)  # teams of each type per locality
    workers: tuple[int, int] = (8, 12)  # posts per team, including its manager
    population_under_18: int = 0
    population_0_19: int = 0


SIZES = {
    "small": Size(
        "small", 0.05, ("",), {t: 1 for t in STANDARD_TEAMS}, (4, 6), population_under_18=3_450, population_0_19=3_850
    ),
    "standard": Size("standard", 1.0, ("",), dict(STANDARD_TEAMS), population_under_18=69_000, population_0_19=77_000),
    "large": Size(
        "large",
        3.0,
        ("North", "Central", "South"),
        dict(STANDARD_TEAMS),
        population_under_18=207_000,
        population_0_19=231_000,
    ),
}

# The denominator for rates per 10,000 children (N7, N19 in Figure 10 and 11). Bromley's
# under-18 population is about 69,000 (218 plans at a rate of 31.7 per 10,000) and about
# 77,000 aged 0-19. No table holds it yet: indicators read it from here.
POPULATION_UNDER_18 = {name: size.population_under_18 for name, size in SIZES.items()}
POPULATION_0_19 = {name: size.population_0_19 for name, size in SIZES.items()}
