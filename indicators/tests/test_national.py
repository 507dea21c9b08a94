"""The DuckDB engine for pooled data gives the library's numbers on the same records."""

import datetime as dt

import duckdb
import pytest

from children import models as m
from children.tests.factories import ChildFactory, ReferralFactory
from indicators import engine, facts, national, periods
from indicators.library import LIBRARY
from indicators.models import Population

pytestmark = pytest.mark.django_db
D = dt.date
CODES = ("REFERRALS", "RE-REF", "REF-RATE", "N14", "ICPC-15", "CPP-2YR", "CPP-2ND", "CPP", "N19", "CLA", "CLA-RATE")
CODES += ("CLA-STAB-S", "CLA-MISS")


def build():
    Population.objects.create(year=2024, age_band="all", sex="U", count=10_000)
    a, b, c = ChildFactory(), ChildFactory(birth_date=D(2007, 3, 31)), ChildFactory(birth_date=D(2008, 2, 29))
    for child, days in ((a, (D(2023, 5, 5), D(2024, 5, 5))), (b, (D(2024, 2, 29), D(2025, 2, 28)))):
        for day in days:
            ReferralFactory(child=child, referral_date=day)
    ReferralFactory(child=c, referral_date=D(2024, 2, 29))
    r = ReferralFactory(child=c, referral_date=D(2025, 3, 1))
    r0 = ReferralFactory(child=a, referral_date=D(2024, 6, 3))
    m.Assessment.objects.create(referral=r0, start_date=D(2024, 6, 3), authorisation_date=D(2024, 8, 5))
    m.Assessment.objects.create(referral=r0, start_date=D(2024, 6, 3), authorisation_date=D(2024, 8, 6))
    # Started a day after the referral: 45 working days from its start (N14 counts it), 46 from the referral.
    m.Assessment.objects.create(referral=r0, start_date=D(2024, 6, 4), authorisation_date=D(2024, 8, 6))
    m.Section47Enquiry.objects.create(referral=r0, start_date=D(2024, 9, 2), icpc_date=D(2024, 9, 23))
    m.Section47Enquiry.objects.create(referral=r0, start_date=D(2024, 9, 2), icpc_date=D(2024, 9, 24))
    m.Section47Enquiry.objects.create(referral=r0, start_date=D(2024, 9, 10), icpc_date=D(2024, 9, 9))
    for child, start, end in (
        (a, D(2023, 3, 31), D(2025, 3, 31)),
        (a, D(2025, 4, 1), None),
        (b, D(2024, 6, 1), None),
        (c, D(2024, 4, 1), D(2024, 6, 10)),
        (c, D(2024, 9, 1), None),
    ):
        m.ChildProtectionPlan.objects.create(
            referral=r, child=child, start_date=start, end_date=end, initial_category="NEG"
        )
    fca = ChildFactory()
    m.AdoptionMilestone.objects.create(child=fca, foster_carer_adoption=True)
    for child, start, end, rne, place in (
        (a, D(2024, 1, 1), D(2024, 6, 1), "S", "U1"),
        (a, D(2024, 6, 1), D(2024, 11, 1), "P", "U2"),
        (a, D(2024, 11, 1), None, "P", "U3"),
        (fca, D(2024, 5, 1), D(2024, 9, 1), "S", "U4"),
        (fca, D(2024, 9, 1), D(2025, 2, 1), "P", "A4"),
        (fca, D(2025, 2, 1), None, "P", "A5"),
        (c, D(2024, 1, 1), D(2025, 3, 31), "S", "U1"),
    ):
        m.LookedAfterEpisode.objects.create(
            child=child, start_date=start, end_date=end, reason_new_episode=rne, placement_type=place, legal_status="C2"
        )
    m.MissingEpisode.objects.create(child=a, kind="M", started_at=dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC))
    m.MissingEpisode.objects.create(child=b, kind="M", started_at=dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC))


def test_duckdb_engine_matches_the_library():
    build()
    f = facts.load()
    con = duckdb.connect()
    national.from_facts(con, f)
    con.execute("INSERT INTO population VALUES (2024, 10000)")
    got = national.compute(con, [2023, 2024])
    pops = engine.population_table()
    checked = 0
    for fy in (2023, 2024):
        for code in CODES:
            v = engine.council_value(f, LIBRARY[code], periods.financial_year(fy), pops)
            num, den, value = got[fy][code]
            assert num == v.numerator, (fy, code, num, v.numerator)
            if LIBRARY[code].measure == "percent":
                assert den == v.denominator, (fy, code, den, v.denominator)
            assert value == pytest.approx(v.value) if v.value is not None else value in (None, 0.0), (fy, code)
            checked += 1
    assert checked == 26
    # The hand-worked values themselves: 2024-25 referrals a 5 May, a 3 Jun, b 28 Feb, c 1 Mar;
    # re-referrals a 5 May (exactly 12 months), a 3 Jun (a month after 5 May), b 28 Feb (leap year) = 3 of 4.
    assert got[2024]["RE-REF"][:2] == (3, 4)
    assert got[2024]["N14"][:2] == (2, 3)  # 45 and 45 (from its start) in time, 46 late
    assert got[2024]["ICPC-15"][:2] == (1, 2)
