"""Each indicator pinned on hand-worked cases. The expected numbers are worked
out by hand in the comments, not by running the code; the financial year is
2024-25 (1 April 2024 to 31 March 2025) unless a test says otherwise."""

import datetime as dt

import pytest

from children import models as m
from children.tests.factories import ChildFactory, ReferralFactory
from exploitation.models import CohortEntry
from indicators import engine, facts, periods
from indicators.library import LIBRARY
from indicators.models import Population
from organisation.tests.factories import TeamFactory, WorkerFactory

pytestmark = pytest.mark.django_db

D = dt.date
FY = periods.financial_year(2024)


def value(code, period=FY, by="council"):
    f = facts.load()
    return engine.compute(f, LIBRARY[code], period, by, engine.population_table())


def council(code, period=FY):
    return value(code, period)["council"]


def referral(child, day, **kw):
    return ReferralFactory(child=child, referral_date=day, **kw)


def plan(child, start, end=None, cats="NEG"):
    r = referral(child, start - dt.timedelta(days=30))
    codes = cats.split(",") if cats else []
    initial = codes[0] if len(codes) == 1 else "MUL"
    return m.ChildProtectionPlan.objects.create(
        referral=r, child=child, start_date=start, end_date=end, categories=cats, initial_category=initial
    )


def episode(child, start, end=None, rne="S", place="U1", ls="C2"):
    return m.LookedAfterEpisode.objects.create(
        child=child, start_date=start, end_date=end, reason_new_episode=rne, placement_type=place, legal_status=ls
    )


# --- referrals --------------------------------------------------------------------


def test_re_referrals_exactly_12_months_and_leap_years():
    a, b, c, d = (ChildFactory() for _ in range(4))
    referral(a, D(2023, 5, 5))
    referral(a, D(2024, 5, 5))  # exactly 12 months later: a re-referral (inclusive)
    referral(b, D(2024, 2, 29))
    referral(b, D(2025, 2, 28))  # 29 Feb 2024 + 12 months = 28 Feb 2025: a re-referral
    referral(c, D(2024, 2, 29))
    referral(c, D(2025, 3, 1))  # one day past: not a re-referral
    referral(d, D(2024, 6, 10))  # first referral
    v = council("RE-REF")
    # In 2024-25: a 5 May, b 28 Feb, c 1 Mar, d 10 Jun = 4 referrals; 2 re-referrals = 50%.
    assert (v.numerator, v.denominator, v.value) == (2, 4, 50.0)
    may = council("RE-REF", periods.month(2024, 5))
    assert (may.numerator, may.denominator) == (1, 1)
    assert council("REFERRALS").value == 4
    # 2023-24 holds a 5 May 2023, b and c 29 Feb 2024: none is a re-referral.
    assert council("RE-REF", periods.financial_year(2023)).numerator == 0


def test_re_referral_counts_the_previous_referral_not_the_first():
    a = ChildFactory()
    referral(a, D(2023, 1, 10))
    referral(a, D(2023, 12, 1))  # within 12 months of January 2023
    referral(a, D(2024, 11, 30))  # within 12 months of 1 Dec 2023 (not of the first)
    v = council("RE-REF")
    assert (v.numerator, v.denominator) == (1, 1)


def test_referral_rate_uses_the_population_table():
    Population.objects.create(year=2024, age_band="all", sex="U", count=20_000)
    for _ in range(3):
        referral(ChildFactory(), D(2024, 7, 1))
    # 3 / 20,000 x 10,000 = 1.5
    assert council("REF-RATE").value == pytest.approx(1.5)


def test_population_falls_back_to_latest_earlier_year():
    Population.objects.create(year=2022, age_band="all", sex="U", count=10_000)
    Population.objects.create(year=2023, age_band="all", sex="U", count=40_000)
    referral(ChildFactory(), D(2024, 7, 1))
    assert council("REF-RATE").value == pytest.approx(0.25)  # 2023 estimate: 1 / 40,000 x 10,000


def test_cse_referrals_and_referrals_going_on_to_assessment():
    child = ChildFactory()
    r1 = referral(child, D(2024, 4, 2), cse_concern=True)
    referral(child, D(2024, 4, 20))
    m.Assessment.objects.create(referral=r1, start_date=D(2024, 4, 3))
    assert council("REF-CSE").value == 1
    assert council("N9").value == 1


def test_a_referral_made_up_by_the_annex_a_import_is_not_counted_but_what_it_holds_is():
    """Annex A Lists 4, 5 and 7 name no referral: when a child has none, the import makes one up
    on the event's date (Referral.placeholder). It is not a referral; its assessment and plan are."""
    a, b, c = (ChildFactory() for _ in range(3))
    # a: made up on 25 Nov 2024; its assessment started Monday 2 Dec and was authorised on
    # Thursday 6 Feb 2025, 45 working days later; a CP plan from 2 Dec hangs from it, open.
    held_a = referral(a, D(2024, 11, 25), placeholder=True)
    m.Assessment.objects.create(referral=held_a, start_date=D(2024, 12, 2), authorisation_date=D(2025, 2, 6))
    m.ChildProtectionPlan.objects.create(
        referral=held_a, child=a, start_date=D(2024, 12, 2), categories="NEG", initial_category="NEG"
    )
    # b: the same dates under a real referral of 25 Nov: 50 working days from the referral
    # (26-29 Nov and 2 Dec are the 5 before the assessment started).
    real_b = referral(b, D(2024, 11, 25))
    m.Assessment.objects.create(referral=real_b, start_date=D(2024, 12, 2), authorisation_date=D(2025, 2, 6))
    # c: made up on 3 Jun 2024 for an assessment (authorised 1 Jul), then really referred on 1 Oct 2024.
    held_c = referral(c, D(2024, 6, 3), placeholder=True)
    m.Assessment.objects.create(referral=held_c, start_date=D(2024, 6, 3), authorisation_date=D(2024, 7, 1))
    referral(c, D(2024, 10, 1))
    # Referrals in 2024-25: b 25 Nov and c 1 Oct. Neither is a re-referral: c's made-up referral
    # of 3 June is no previous referral. Of the two, b's went on to an assessment.
    assert council("REFERRALS").value == 2
    v = council("RE-REF")
    assert (v.numerator, v.denominator) == (0, 2)
    assert council("N9").value == 1
    # Assessments completed: all three, each within 45 working days of its own start (N14).
    v = council("N14")
    assert (v.numerator, v.denominator) == (3, 3)
    # From the referral: b is late (50 days); a and c, whose referral is not known, count from their start.
    v = council("ASMT-45-REF")
    assert (v.numerator, v.denominator) == (2, 3)
    assert council("CPP").value == 1  # a's plan, open at 31 March 2025


# --- assessments and conferences ---------------------------------------------------------


def test_assessments_within_45_working_days():
    """N14 counts from the assessment's actual start (the DfE's national measure, decision 0013);
    ASMT-45-REF from the referral (the Working Together timescale)."""
    child = ChildFactory()
    # Referral Monday 3 June 2024. Working days after it: 4-7 Jun (4), 10-14 (9), 17-21 (14), 24-28 (19),
    # 1-5 Jul (24), 8-12 (29), 15-19 (34), 22-26 (39), 29-31 Jul (42), 1-2 Aug (44), Monday 5 Aug = 45.
    r = referral(child, D(2024, 6, 3))
    # Started on the referral day: 45 working days to 5 Aug from both dates -> within on both.
    m.Assessment.objects.create(referral=r, start_date=D(2024, 6, 3), authorisation_date=D(2024, 8, 5))
    # Started Tuesday 4 June, authorised Tuesday 6 Aug: 46 from the referral (late), 45 from its start (in time).
    m.Assessment.objects.create(referral=r, start_date=D(2024, 6, 4), authorisation_date=D(2024, 8, 6))
    # Started 3 June, authorised 6 Aug: 46 working days from both -> late on both.
    m.Assessment.objects.create(referral=r, start_date=D(2024, 6, 3), authorisation_date=D(2024, 8, 6))
    m.Assessment.objects.create(referral=r, start_date=D(2024, 6, 4))  # not completed: not counted
    # A second assessment in the same episode, started Monday 2 Sep and authorised the same day:
    # 0 working days from its start (in time), 65 from the June referral (late).
    m.Assessment.objects.create(referral=r, start_date=D(2024, 9, 2), authorisation_date=D(2024, 9, 2))
    # Over Christmas: referral and start Friday 20 Dec 2024; 23, 24, 27, 30, 31 Dec, 2, 3 Jan = 7 working days
    # (25, 26 Dec and 1 Jan are bank holidays) -> authorised Friday 3 Jan 2025 = 7: within on both.
    r2 = referral(child, D(2024, 12, 20))
    m.Assessment.objects.create(referral=r2, start_date=D(2024, 12, 20), authorisation_date=D(2025, 1, 3))
    v = council("N14")
    # From the start: 45 yes, 45 yes, 46 no, 0 yes, 7 yes = 4 of 5.
    assert (v.numerator, v.denominator) == (4, 5)
    assert v.display(LIBRARY["N14"]) == "4 (80%)"
    # From the referral: 45 yes, 46 no, 46 no, 65 no, 7 yes = 2 of 5.
    ref = council("ASMT-45-REF")
    assert (ref.numerator, ref.denominator) == (2, 5)
    august = council("N14", periods.month(2024, 8))
    assert (august.numerator, august.denominator) == (2, 3)
    f = facts.load()
    days = sorted(r.value for r in engine.drill(f, LIBRARY["N14"], FY))
    assert days == [0.0, 7.0, 45.0, 45.0, 46.0]


def test_assessment_rate_is_cumulative_from_april():
    Population.objects.create(year=2024, age_band="all", sex="U", count=10_000)
    r = referral(ChildFactory(), D(2024, 3, 1))
    m.Assessment.objects.create(referral=r, start_date=D(2024, 3, 1), authorisation_date=D(2024, 3, 20))  # 2023-24
    m.Assessment.objects.create(referral=r, start_date=D(2024, 4, 1), authorisation_date=D(2024, 4, 10))
    m.Assessment.objects.create(referral=r, start_date=D(2024, 5, 1), authorisation_date=D(2024, 5, 10))
    # April: 1 -> 1.0; May (April + May): 2 -> 2.0; June: still 2.0.
    assert council("N7", periods.month(2024, 4)).value == pytest.approx(1.0)
    assert council("N7", periods.month(2024, 5)).value == pytest.approx(2.0)
    assert council("N7", periods.month(2024, 6)).value == pytest.approx(2.0)


def test_icpc_within_15_working_days():
    child = ChildFactory()
    r = referral(child, D(2024, 8, 30))
    # S47 Monday 2 Sep 2024: 3-6 Sep (4), 9-13 (9), 16-20 (14), Monday 23 Sep = 15.
    m.Section47Enquiry.objects.create(referral=r, start_date=D(2024, 9, 2), icpc_date=D(2024, 9, 23))
    m.Section47Enquiry.objects.create(referral=r, start_date=D(2024, 9, 2), icpc_date=D(2024, 9, 24))
    m.Section47Enquiry.objects.create(referral=r, start_date=D(2024, 9, 10), icpc_date=D(2024, 9, 9))  # before: out
    m.Section47Enquiry.objects.create(referral=r, start_date=D(2024, 9, 2))  # no ICPC yet
    v = council("ICPC-15")
    assert (v.numerator, v.denominator, v.value) == (1, 2, 50.0)


# --- child protection --------------------------------------------------------------------------


def test_plan_ending_on_31_march_and_children_turning_18():
    Population.objects.create(year=2024, age_band="all", sex="U", count=10_000)
    plan(ChildFactory(), D(2024, 4, 1), D(2025, 3, 31))  # ends on 31 March: not on a plan at 31 March
    plan(ChildFactory(), D(2025, 1, 1))  # open: counted
    plan(ChildFactory(birth_date=D(2007, 3, 31)), D(2024, 6, 1))  # 18 on 31 March 2025: not counted
    plan(ChildFactory(birth_date=D(2007, 4, 1)), D(2024, 6, 1))  # 17 until 1 April: counted
    assert council("CPP").value == 2
    assert council("N19").value == pytest.approx(2.0)  # 2 / 10,000 x 10,000
    # 30 March 2025 is within the first plan: at the end of February 2025, 4 children.
    assert council("CPP", periods.month(2025, 2)).value == 4


def test_child_with_two_plans_in_the_year():
    child = ChildFactory()
    plan(child, D(2024, 4, 1), D(2024, 6, 10))
    plan(child, D(2024, 9, 1))
    assert council("CPP-NEW").value == 2  # two plans started
    v = council("CPP-2ND")
    assert (v.numerator, v.denominator) == (1, 2)  # the second is a second plan
    assert council("CPP", periods.month(2024, 9)).value == 1
    assert council("CPP", periods.month(2024, 7)).value == 0


def test_overlapping_plans_count_the_child_once():
    child = ChildFactory()
    plan(child, D(2024, 4, 1))
    plan(child, D(2024, 5, 1))
    assert council("CPP").value == 1


def test_second_plan_ever_and_within_two_years():
    a, b, c = ChildFactory(), ChildFactory(), ChildFactory()
    plan(a, D(2015, 1, 1), D(2015, 6, 1))
    plan(a, D(2024, 9, 1))  # earlier plan nine years ago: second ever, not within 2 years
    plan(b, D(2021, 5, 1), D(2022, 9, 1))
    plan(b, D(2024, 9, 1))  # earlier plan ended exactly 2 years before: within 2 years (inclusive)
    plan(c, D(2021, 5, 1), D(2022, 8, 31))
    plan(c, D(2024, 9, 1))  # ended 2 years and a day before: not within 2 years
    ever, two = council("CPP-2ND"), council("CPP-2ND-2Y")
    assert (ever.numerator, ever.denominator) == (3, 3)
    assert (two.numerator, two.denominator) == (1, 3)


def test_plans_lasting_two_years():
    plan(ChildFactory(), D(2023, 3, 31), D(2025, 3, 31))  # exactly 2 years, ends 31 March: counted, long
    plan(ChildFactory(), D(2023, 4, 1), D(2025, 3, 31))  # a day short of 2 years
    plan(ChildFactory(), D(2024, 1, 1), D(2025, 4, 1))  # ends in 2025-26: not in the year
    v = council("CPP-2YR")
    assert (v.numerator, v.denominator) == (1, 2)
    # Leap year: 29 Feb 2020 + 2 years = 28 Feb 2022 (DOMAIN.md: the month's last day).
    plan(ChildFactory(), D(2020, 2, 29), D(2022, 2, 28))
    v = council("CPP-2YR", periods.financial_year(2021))
    assert (v.numerator, v.denominator) == (1, 1)


def test_bme_and_disability_of_children_on_a_plan():
    plan(ChildFactory(ethnicity="BAFR"), D(2024, 5, 1))
    plan(ChildFactory(ethnicity="WBRI"), D(2024, 5, 1))
    plan(ChildFactory(ethnicity="", birth_date=None, expected_birth_date=D(2025, 6, 1)), D(2025, 1, 1))  # unborn
    disabled = ChildFactory(ethnicity="MWBC")
    m.Disability.objects.create(child=disabled, code="AUT")
    plan(disabled, D(2024, 5, 1))
    none = ChildFactory()
    m.Disability.objects.create(child=none, code="NONE")
    plan(none, D(2024, 5, 1))
    v = council("CPP-BME")
    # born children on a plan: BAFR, WBRI, MWBC, WBRI(none) = 4; BME: BAFR, MWBC = 2.
    assert (v.numerator, v.denominator) == (2, 4)
    assert council("CPP-DIS").value == 1
    assert council("CPP").value == 5


def test_figure_12_category_combinations():
    for cats in ("EMO", "NEG", "EMO,NEG", "", "EMO,PHY,SAB", "PHY,SAB"):
        plan(ChildFactory(), D(2024, 7, 1), cats=cats)
    # 6 plans. EMO 1, NEG 1, NEG+EMO 1, SAB+PHY 1; MUL with no combination and EMO+PHY+SAB: multiple = 2.
    assert council("CAT-EMO").numerator == 1
    assert council("CAT-NEG-EMO").numerator == 1
    assert council("CAT-SAB-PHY").numerator == 1
    assert council("CAT-MUL").numerator == 2
    assert council("CAT-PHY").numerator == 0
    assert council("CAT-EMO").denominator == 6
    total = sum(council(code).numerator for code in LIBRARY if code.startswith("CAT-"))
    assert total == 6  # the twelve rows add up to the plans started


def test_figure_12_every_row_by_hand():
    """Each of the twelve rows on its own count; the order categories are recorded in does not matter."""
    recorded = {
        "EMO": 3,
        "NEG": 2,
        "EMO,NEG": 1,  # Neglect and Emotional abuse, recorded the other way round
        "PHY": 1,
        "NEG,PHY": 1,
        "PHY,EMO": 2,
        "NEG,EMO,PHY": 1,
        "SAB": 2,
        "NEG,SAB": 1,
        "SAB,EMO": 1,
        "PHY,SAB": 1,
        "SAB,EMO,NEG": 1,  # not a named combination: Multiple
        "": 1,  # returned as MUL with no combination: Multiple
    }
    for cats, n in recorded.items():
        for _ in range(n):
            plan(ChildFactory(), D(2024, 10, 1), cats=cats)
    plan(ChildFactory(), D(2024, 3, 31), cats="EMO")  # started in 2023-24: not in the year
    expected = {
        "CAT-EMO": 3,
        "CAT-NEG": 2,
        "CAT-NEG-EMO": 1,
        "CAT-PHY": 1,
        "CAT-PHY-NEG": 1,
        "CAT-PHY-EMO": 2,
        "CAT-PHY-EMO-NEG": 1,
        "CAT-SAB": 2,
        "CAT-SAB-NEG": 1,
        "CAT-SAB-EMO": 1,
        "CAT-SAB-PHY": 1,
        "CAT-MUL": 2,
    }
    got = {code: council(code) for code in expected}
    assert {code: v.numerator for code, v in got.items()} == expected
    assert {v.denominator for v in got.values()} == {18}  # 18 plans started in 2024-25
    assert got["CAT-EMO"].display(LIBRARY["CAT-EMO"]) == "3 (17%)"  # 3 / 18 = 16.7%


# --- children in need, looked after -----------------------------------------------------------------


def test_cin_plans_open_at_the_end_of_the_period():
    r = referral(ChildFactory(), D(2024, 4, 1))
    m.ChildInNeedPlan.objects.create(referral=r, start_date=D(2024, 5, 1), end_date=D(2025, 3, 31))
    r2 = referral(ChildFactory(), D(2024, 4, 1))
    m.ChildInNeedPlan.objects.create(referral=r2, start_date=D(2024, 5, 1))
    assert council("CIN-PLAN").value == 1


def test_looked_after_snapshot_sen_bme_and_rate():
    Population.objects.create(year=2024, age_band="all", sex="U", count=5_000)
    episode(ChildFactory(sen=True, ethnicity="AIND"), D(2024, 1, 1))
    episode(ChildFactory(), D(2024, 1, 1), D(2025, 3, 31))  # ceased 31 March: not looked after then
    episode(ChildFactory(), D(2024, 6, 1))
    assert council("CLA").value == 2
    assert council("CLA-RATE").value == pytest.approx(4.0)  # 2 / 5,000 x 10,000
    sen, bme = council("CLA-SEN"), council("CLA-BME")
    assert (sen.numerator, sen.denominator, bme.numerator) == (1, 2, 1)


def test_short_term_placement_stability():
    three = ChildFactory()
    episode(three, D(2024, 1, 1), D(2024, 6, 1))  # held on 1 April 2024: placement 1
    episode(three, D(2024, 6, 1), D(2024, 11, 1), rne="P", place="U2")  # 2
    episode(three, D(2024, 11, 1), rne="P", place="U3")  # 3
    two = ChildFactory()
    episode(two, D(2024, 6, 1), D(2024, 12, 1))  # 1 (new period of care)
    episode(two, D(2024, 12, 1), D(2025, 1, 1), rne="L", place="U2")  # legal status only: not a move
    episode(two, D(2025, 1, 1), rne="P", place="U3")  # 2
    fca = ChildFactory()
    m.AdoptionMilestone.objects.create(child=fca, foster_carer_adoption=True)
    episode(fca, D(2024, 5, 1), D(2024, 9, 1), place="U4")  # 1
    episode(fca, D(2024, 9, 1), D(2025, 2, 1), rne="P", place="A4")  # adoption with the same carer: not a move
    episode(fca, D(2025, 2, 1), rne="P", place="A5")  # 2
    v = council("CLA-STAB-S")
    assert (v.numerator, v.denominator) == (1, 3)


def test_long_term_placement_stability():
    at = D(2025, 3, 31)  # 2.5 years before: 30 Sep 2022; 2 years before: 31 Mar 2023
    stable = ChildFactory(birth_date=D(2012, 1, 1))
    episode(stable, D(2022, 1, 1), D(2023, 3, 1))
    episode(stable, D(2023, 3, 1), rne="P", place="U2")  # same placement 2 years and a month: yes
    moved = ChildFactory(birth_date=D(2012, 1, 1))
    episode(moved, D(2022, 1, 1), D(2023, 6, 1))
    episode(moved, D(2023, 6, 1), rne="P", place="U2")  # placement 22 months: no
    episode(ChildFactory(birth_date=D(2012, 1, 1)), D(2023, 1, 1))  # in care 2.25 years: not in the cohort
    episode(ChildFactory(birth_date=D(2009, 3, 31)), D(2020, 1, 1))  # 16 on 31 March 2025: not in the cohort
    adopted = ChildFactory(birth_date=D(2020, 1, 1))
    episode(adopted, D(2022, 5, 1), D(2024, 10, 1), place="U1")
    episode(adopted, D(2024, 10, 1), rne="P", place="A4")  # placed for adoption: U1 + A4 = from May 2022
    v = engine.compute(facts.load(), LIBRARY["CLA-STAB-L"], periods.month(at.year, at.month))["council"]
    assert (v.numerator, v.denominator) == (2, 3)


def test_missing_incidents_of_looked_after_children():
    tz = dt.UTC
    cla, other, home = ChildFactory(), ChildFactory(), ChildFactory()
    episode(cla, D(2024, 1, 1))
    episode(other, D(2024, 1, 1))
    start = dt.datetime(2024, 5, 10, 18, 0, tzinfo=tz)
    m.MissingEpisode.objects.create(child=cla, kind="M", started_at=start, returned_at=start + dt.timedelta(hours=30))
    m.MissingEpisode.objects.create(child=cla, kind="A", started_at=start + dt.timedelta(days=5))
    m.MissingEpisode.objects.create(
        child=cla, kind="M", started_at=start + dt.timedelta(days=9), returned_at=start + dt.timedelta(days=9, hours=24)
    )
    m.MissingEpisode.objects.create(child=home, kind="M", started_at=start)  # not looked after: not counted
    v = council("CLA-MISS")
    assert (v.numerator, v.denominator) == (1, 2)
    assert council("CLA-MISS-N").value == 2  # the two M incidents; the A one is CLA-AWAY's
    v = council("CLA-AWAY")
    assert (v.numerator, v.denominator) == (1, 2)
    assert council("CLA-AWAY-N").value == 1
    assert council("CLA-MISS24").value == 1  # 30 hours: yes; A: not missing; exactly 24 hours: not more


def test_court_applications_in_the_last_six_months_and_proceedings_issued():
    young, old, early = ChildFactory(birth_date=D(2014, 1, 1)), ChildFactory(birth_date=D(2008, 1, 1)), ChildFactory()
    m.CareProceedings.objects.create(child=young, issued_date=D(2024, 10, 1))
    m.CareProceedings.objects.create(child=young, issued_date=D(2024, 11, 1))  # same child: once
    m.CareProceedings.objects.create(child=old, issued_date=D(2024, 12, 1))  # 17: not under 17
    m.CareProceedings.objects.create(child=early, issued_date=D(2024, 9, 30))  # 30 Sep + 6 months = 30 Mar: out
    at_march = periods.month(2025, 3)
    assert council("N22", at_march).value == 1
    assert council("PROC-ISSUED").value == 4
    assert council("PROC-ISSUED", periods.month(2024, 10)).value == 1


def test_new_mase_cases():
    child = ChildFactory()
    CohortEntry.objects.create(child=child, identified_date=D(2024, 6, 1), concerns="cse,missing")
    CohortEntry.objects.create(child=child, identified_date=D(2024, 6, 2), concerns="cce")
    CohortEntry.objects.create(child=child, identified_date=D(2024, 6, 3), concerns="cse", referred_to_mase=False)
    assert council("MASE-NEW").value == 1


def test_care_leavers():
    for in_touch, activ, accom in (("YES", "F1", "B1"), ("NO", "G4", "U2"), ("DIED", "", "")):
        m.CareLeaverContact.objects.create(
            child=ChildFactory(birth_date=D(2006, 1, 1)),  # 19 in 2024-25: in the 17 to 21 cohort
            year_ending=D(2025, 3, 31),
            in_touch=in_touch,
            activity=activ,
            accommodation=accom,
        )
    for code in ("CL-TOUCH", "CL-EET", "CL-ACCOM"):
        v = council(code)
        assert (v.numerator, v.denominator) == (1, 2), code


def test_adoption_a1_a2_a10():
    child = ChildFactory(birth_date=D(2021, 1, 1))
    episode(child, D(2023, 1, 1), D(2023, 3, 1), place="U1")
    episode(child, D(2023, 3, 1), D(2024, 1, 1), rne="P", place="U4")  # with the future adopters as foster carers
    episode(child, D(2024, 1, 1), D(2024, 6, 1), rne="P", place="A4")
    m.PlacedForAdoption.objects.create(child=child, date_placed=D(2024, 1, 1))
    m.AdoptionMilestone.objects.create(
        child=child,
        placement_order_date=D(2023, 6, 1),
        match_date=D(2023, 10, 1),
        foster_carer_adoption=True,
        adoption_order_date=D(2024, 6, 1),
    )
    assert council("A1").value == 365  # 1 Jan 2023 to 1 Jan 2024
    assert council("A2").value == 122  # 1 Jun to 1 Oct 2023: 29 + 31 + 31 + 30 + 1
    assert council("A10").value == 59  # 1 Jan to 1 Mar 2023


# --- levels and breakdowns -------------------------------------------------------------------------------


def test_team_and_worker_are_those_holding_the_case_on_the_day():
    north, south = TeamFactory(), TeamFactory()
    w1, w2 = WorkerFactory(team=north), WorkerFactory(team=south)
    child = ChildFactory(team=south, worker=w2)  # current holder
    m.Involvement.objects.create(child=child, team=north, worker=w1, start_date=D(2024, 1, 1), end_date=D(2024, 5, 31))
    m.Involvement.objects.create(child=child, team=south, worker=w2, start_date=D(2024, 6, 1))
    referral(child, D(2024, 5, 10))
    referral(child, D(2024, 7, 10))
    unheld = ChildFactory(team=north)  # no involvement: falls back to Child.team
    referral(unheld, D(2024, 8, 1))
    by_team = {k: v.value for k, v in value("REFERRALS", by="team").items()}
    assert by_team == {north.pk: 2, south.pk: 1}
    by_worker = {k: v.value for k, v in value("REFERRALS", by="worker").items()}
    assert by_worker == {w1.pk: 1, w2.pk: 1, None: 1}
    by_service = {k: v.value for k, v in value("REFERRALS", by="service").items()}
    assert by_service == {north.service_id: 2, south.service_id: 1}


def test_breakdowns_by_age_sex_ethnicity_disability():
    Population.objects.create(year=2024, age_band="10-15", sex="U", count=1_000)
    Population.objects.create(year=2024, age_band="1-4", sex="U", count=2_000)
    a = ChildFactory(birth_date=D(2012, 4, 1), sex="M", ethnicity="BCRB")  # 12 on 31 March 2025
    b = ChildFactory(birth_date=D(2022, 1, 1), sex="F", ethnicity="WBRI")  # 3
    c = ChildFactory(birth_date=D(2022, 1, 1), sex="F", ethnicity="")  # 3
    m.Disability.objects.create(child=c, code="LD")
    for child in (a, b, c):
        plan(child, D(2024, 5, 1))
    ages = {k: v.value for k, v in value("CPP", by="age").items()}
    assert ages == {"10-15": 1, "1-4": 2}
    rates = {k: v.value for k, v in value("N19", by="age").items()}
    assert rates == {"10-15": pytest.approx(10.0), "1-4": pytest.approx(10.0)}  # 1/1,000 and 2/2,000 x 10,000
    assert {k: v.value for k, v in value("CPP", by="sex").items()} == {"M": 1, "F": 2}
    eth = {k: v.value for k, v in value("CPP", by="ethnicity").items()}
    assert eth == {"Black or Black British": 1, "White": 1, "Not known": 1}
    dis = {k: v.value for k, v in value("CPP", by="disability").items()}
    assert dis == {"Disabled": 1, "Not disabled": 2}


def test_every_number_is_the_count_of_its_drill_down():
    child = ChildFactory()
    referral(child, D(2024, 5, 1))
    referral(child, D(2024, 9, 1))  # re-referral
    f = facts.load()
    ind = LIBRARY["RE-REF"]
    rows = engine.drill(f, ind, FY, part="numerator")
    assert [r.day for r in rows] == [D(2024, 9, 1)]
    assert len(engine.drill(f, ind, FY)) == engine.compute(f, ind, FY)["council"].denominator


def test_library_is_complete_and_documented():
    national = {"REF-RATE", "RE-REF", "N14", "ICPC-15", "CPP-2YR", "CPP-2ND", "N19", "CLA-RATE", "CLA-STAB-S"}
    national |= {"CLA-STAB-L", "CLA-MISS", "CL-TOUCH", "CL-EET", "CL-ACCOM", "A1", "A2", "A10"}
    local = {"CONTACTS", "REFERRALS", "REF-CSE", "N9", "N7", "CPP", "CPP-BME", "CPP-DIS", "CLA", "CLA-SEN"}
    local |= {"CLA-BME", "CLA-MISS24", "MASE-NEW", "N22", "PROC-ISSUED"}
    assert national | local <= set(LIBRARY)
    assert len([c for c in LIBRARY if c.startswith("CAT-")]) == 12
    for ind in LIBRARY.values():
        assert ind.name and ind.definition and ind.source and ind.unit, ind.code
        assert ind.polarity in ("higher", "lower", "neutral")


def test_missing_episode_day_is_the_london_day():
    from zoneinfo import ZoneInfo

    child = ChildFactory()
    episode(child, D(2024, 1, 1))
    # 00:00 on 1 June 2024 in London is 23:00 UTC on 31 May: it is a June episode.
    start = dt.datetime(2024, 6, 1, 0, 0, tzinfo=ZoneInfo("Europe/London"))
    m.MissingEpisode.objects.create(child=child, kind="M", started_at=start)
    assert council("CLA-MISS-N", periods.month(2024, 6)).value == 1
    assert council("CLA-MISS-N", periods.month(2024, 5)).value == 0


def test_sliced_rows_equal_rows_computed_period_by_period():
    """The engine computes date-only indicators once and slices them by month;
    each month computed on its own must give the same rows."""
    east = TeamFactory()
    for i in range(6):
        child = ChildFactory(team=east, birth_date=D(2010 + i, 3, 1), ethnicity=("WBRI", "BAFR")[i % 2])
        r = referral(child, D(2024, 4 + i, 3))
        referral(child, D(2024, 6 + i, 20))
        m.Assessment.objects.create(referral=r, start_date=r.referral_date, authorisation_date=D(2024, 7 + i, 1))
        s47 = m.Section47Enquiry.objects.create(referral=r, start_date=D(2024, 5 + i, 1), icpc_date=D(2024, 5 + i, 15))
        assert s47.pk
        plan(child, D(2024, 5 + i, 16), D(2025, 1, 10) if i % 2 else None, cats=("EMO", "NEG,PHY")[i % 2])
        episode(child, D(2023, 1 + i, 1))
        m.CareProceedings.objects.create(child=child, issued_date=D(2024, 7 + i, 1))
    f = facts.load()
    for code, ind in LIBRARY.items():
        for p in [*periods.months_of_year(2024), FY]:
            sliced = engine.rows_for(f, ind, p)
            direct = engine.rows_for(f, ind, p, direct=True)
            assert sorted(sliced) == sorted(direct), (code, p.label)


def test_docs_list_every_indicator():
    from pathlib import Path

    from indicators.management.commands.write_indicator_docs import rewrite

    text = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text()
    assert rewrite(text) == text, "docs/indicators.md is out of date: run manage.py write_indicator_docs"


def test_reading_from_a_day_gives_the_same_numbers_from_that_day():
    team = TeamFactory()
    child = ChildFactory(team=team)
    m.Involvement.objects.create(child=child, team=team, start_date=D(2022, 1, 1), end_date=D(2023, 12, 31))
    m.Involvement.objects.create(child=child, team=TeamFactory(), start_date=D(2024, 1, 1))
    m.Contact.objects.create(child=child, contact_date=D(2023, 5, 1))
    m.Contact.objects.create(child=child, contact_date=D(2024, 5, 1))
    referral(child, D(2023, 6, 1))
    referral(child, D(2024, 5, 2))  # a re-referral: the 2023 referral is still read
    episode(child, D(2024, 1, 1))
    m.MissingEpisode.objects.create(child=child, kind="M", started_at=dt.datetime(2024, 4, 1, 0, 30, tzinfo=dt.UTC))
    full, windowed = facts.load(), facts.load(since=D(2024, 4, 1))
    assert len(windowed.contacts) == 1 and len(full.contacts) == 2
    for code in LIBRARY:
        for p in [*periods.months_of_year(2024), FY]:
            for by in ("council", "team"):
                a = engine.compute(full, LIBRARY[code], p, by)
                b = engine.compute(windowed, LIBRARY[code], p, by)
                assert {k: (v.numerator, v.denominator) for k, v in a.items()} == {
                    k: (v.numerator, v.denominator) for k, v in b.items()
                }, (code, p.label, by)
