"""The national indicators follow the DfE's definitions (issue 14, decision 0021), pinned on
hand-worked cases. Expected numbers are worked out by hand in the comments; the year is
2024-25 (1 April 2024 to 31 March 2025) unless a test says otherwise."""

import datetime as dt
from decimal import Decimal

import pytest

from children import models as m
from children.tests.factories import ChildFactory
from indicators import engine, facts, periods
from indicators.library import LIBRARY
from indicators.models import Population, Target

from .test_library import council, episode, plan

pytestmark = pytest.mark.django_db

D = dt.date
UTC = dt.UTC


def test_second_plan_counts_plans_before_the_registers_history():
    census, first, held, recent = (ChildFactory() for _ in range(4))
    # census: one plan in the register, returned with NumberOfPreviousCPP = 2: a second plan.
    m.ChildProtectionPlan.objects.filter(pk=plan(census, D(2024, 6, 1)).pk).update(number_of_previous_plans=2)
    # first: NumberOfPreviousCPP = 0 and nothing earlier: a first plan.
    m.ChildProtectionPlan.objects.filter(pk=plan(first, D(2024, 7, 1)).pk).update(number_of_previous_plans=0)
    # held: the census count is missing (NULL) but the register holds a plan from 2019: second.
    plan(held, D(2019, 1, 1), D(2019, 9, 1))
    plan(held, D(2024, 8, 1))
    # recent: earlier plan ended 1 Jan 2024, within 2 years of 1 Sep 2024.
    plan(recent, D(2023, 6, 1), D(2024, 1, 1))
    plan(recent, D(2024, 9, 1))
    ever, two = council("CPP-2ND"), council("CPP-2ND-2Y")
    assert (ever.numerator, ever.denominator) == (3, 4)  # census, held, recent
    # Within 2 years needs dates, which NumberOfPreviousCPP does not give: only recent.
    assert (two.numerator, two.denominator) == (1, 4)


def test_short_breaks_are_not_looked_after():
    Population.objects.create(year=2024, age_band="all", sex="U", count=10_000)
    only, both, ended, plain = (ChildFactory() for _ in range(4))
    # only: an agreed series of short breaks (V3), open at 31 March: never looked after here.
    episode(only, D(2024, 1, 1), ls="V3")
    # both: short breaks (V4) to 1 June 2024, then a care order from the same day (an L episode).
    episode(both, D(2024, 1, 1), D(2024, 6, 1), ls="V4")
    episode(both, D(2024, 6, 1), rne="L", ls="C2")
    # ended: in care to 1 Feb 2025, then short breaks open at 31 March: not looked after at 31 March.
    episode(ended, D(2024, 1, 1), D(2025, 2, 1))
    episode(ended, D(2025, 2, 10), ls="V3")
    episode(plain, D(2024, 1, 1))
    assert council("CLA").value == 2  # both, plain
    assert council("CLA-RATE").value == pytest.approx(2.0)  # 2 / 10,000 x 10,000
    # Missing: only's incident (on a short break) and both's first (on a short break, 10 May) are not
    # counted; both's of 1 July (on the care order) is.
    for child, day in ((only, D(2024, 5, 10)), (both, D(2024, 5, 10)), (both, D(2024, 7, 1))):
        m.MissingEpisode.objects.create(child=child, kind="M", started_at=dt.datetime.combine(day, dt.time(12), UTC))
    v = council("CLA-MISS")
    assert (v.numerator, v.denominator) == (1, 3)  # looked after in the year: both, ended, plain
    assert council("CLA-MISS-N").value == 1
    # Stability: both's period of care begins on 1 June with the care order (its short breaks are left
    # out), so 1 placement, as plain's 1: neither has 3; only is not in the denominator.
    v = council("CLA-STAB-S")
    assert (v.numerator, v.denominator) == (0, 2)
    rows = engine.rows_for(facts.load(), LIBRARY["CLA-STAB-S"], periods.financial_year(2024))
    assert sorted(r.value for r in rows) == [1.0, 1.0]


def test_same_carers_is_not_a_move_in_either_stability_measure():
    three, two = ChildFactory(), ChildFactory()
    # three: held U1 on 1 April 2024 (1); T 1 Jun and U 1 Aug keep the carers; P 1 Oct (2); B 1 Dec (3).
    for start, end, rne, place in (
        (D(2024, 1, 1), D(2024, 6, 1), "S", "U1"),
        (D(2024, 6, 1), D(2024, 8, 1), "T", "U4"),
        (D(2024, 8, 1), D(2024, 10, 1), "U", "U5"),
        (D(2024, 10, 1), D(2024, 12, 1), "P", "U1"),
        (D(2024, 12, 1), None, "B", "U2"),
    ):
        episode(three, start, end, rne=rne, place=place)
    # two: held (1); P 1 Jul (2); T 1 Sep and U 1 Nov with the same carers: 2, not 4.
    for start, end, rne, place in (
        (D(2024, 1, 1), D(2024, 7, 1), "S", "U1"),
        (D(2024, 7, 1), D(2024, 9, 1), "P", "U2"),
        (D(2024, 9, 1), D(2024, 11, 1), "T", "U3"),
        (D(2024, 11, 1), None, "U", "U6"),
    ):
        episode(two, start, end, rne=rne, place=place)
    v = council("CLA-STAB-S")
    assert (v.numerator, v.denominator) == (1, 2)
    rows = engine.rows_for(facts.load(), LIBRARY["CLA-STAB-S"], periods.financial_year(2024))
    assert sorted(r.value for r in rows) == [2.0, 3.0]


def test_long_term_stability_is_the_same_carer():
    # On 31 March 2025: in care since on or before 30 Sep 2022, with the carer since on or before 31 Mar 2023.
    same, moved, edge = (ChildFactory(birth_date=D(2012, 1, 1)) for _ in range(3))
    # same: with these carers since 1 Mar 2023; T (1 Jun 2024) and U (1 Sep 2024) keep them: counted.
    episode(same, D(2022, 1, 1), D(2023, 3, 1))
    episode(same, D(2023, 3, 1), D(2024, 6, 1), rne="P", place="U2")
    episode(same, D(2024, 6, 1), D(2024, 9, 1), rne="T", place="U5")
    episode(same, D(2024, 9, 1), rne="U", place="U6", ls="C1")
    # moved: a new carer with a new legal status (B) on 1 Apr 2023, a day short of 2 years.
    episode(moved, D(2022, 1, 1), D(2023, 4, 1))
    episode(moved, D(2023, 4, 1), rne="B", place="U3", ls="C1")
    # edge: in care from 30 Sep 2022, exactly 2.5 years; L on 31 Mar 2023 is not a new placement.
    episode(edge, D(2022, 9, 30), D(2023, 3, 31))
    episode(edge, D(2023, 3, 31), rne="L", ls="C1")
    v = engine.compute(facts.load(), LIBRARY["CLA-STAB-L"], periods.month(2025, 3))["council"]
    assert (v.numerator, v.denominator) == (2, 3)  # same and edge


def test_missing_and_away_are_separate_indicators():
    child, other = ChildFactory(), ChildFactory()
    episode(child, D(2024, 1, 1))
    episode(other, D(2024, 1, 1))
    at = dt.datetime(2024, 6, 3, 20, tzinfo=UTC)
    for kind, days in (("M", 0), ("M", 20), ("A", 40)):
        m.MissingEpisode.objects.create(child=child, kind=kind, started_at=at + dt.timedelta(days=days))
    m.MissingEpisode.objects.create(child=other, kind="A", started_at=at)
    miss, away = council("CLA-MISS"), council("CLA-AWAY")
    assert (miss.numerator, miss.denominator) == (1, 2)
    assert (away.numerator, away.denominator) == (2, 2)
    assert (council("CLA-MISS-N").value, council("CLA-AWAY-N").value) == (2, 2)


def leaver(born, in_touch, activ, accom, **kw):
    child = ChildFactory(birth_date=born)
    m.CareLeaverContact.objects.create(
        child=child, year_ending=D(2025, 3, 31), in_touch=in_touch, activity=activ, accommodation=accom, **kw
    )
    return child


def test_care_leavers_by_age_with_the_dfe_exclusions():
    leaver(D(2007, 6, 1), "YES", "F1", "B1")  # 17
    leaver(D(2006, 5, 1), "NO", "G4", "U2")  # 18
    leaver(D(2005, 9, 1), "YES", "P1", "U1")  # 19
    # 21: born 1 April 2003, 21 on 1 April 2024, the first day of the year; seen the next day.
    m.CareLeaverContact.objects.create(
        child=ChildFactory(birth_date=D(2003, 4, 1)), contact_date=D(2024, 4, 2), in_touch="YES", activity="G5"
    )
    leaver(D(2002, 10, 1), "YES", "F2", "B1")  # 22, asked for support
    leaver(D(2005, 1, 1), "DIED", "", "")  # 20: died, left out
    leaver(D(2006, 1, 1), "RHOM", "", "")  # 19: returned home, left out
    short = leaver(D(2005, 2, 1), "YES", "F1", "B1")  # 20, whose care was only short breaks: left out
    episode(short, D(2019, 1, 1), D(2021, 1, 1), ls="V3")
    mixed = leaver(D(2004, 12, 1), "NO", "G1", "U2")  # 20, short breaks then a care order: counted
    episode(mixed, D(2019, 1, 1), D(2020, 1, 1), ls="V3")
    episode(mixed, D(2020, 1, 1), D(2021, 1, 1), ls="C2")
    expect = {
        # code: (in touch, EET, suitable accommodation, cohort)
        "-17": (1, 1, 1, 2),  # 17 (yes, F1, B1) and 18 (no, G4, U2)
        "-19": (2, 1, 1, 3),  # 19 (yes, P1, U1), 21 (yes, G5, none), mixed (no, G1, U2)
        "-22": (1, 1, 1, 1),
        "": (3, 2, 2, 5),  # 17 to 21
    }
    for suffix, (touch, eet, accom, cohort) in expect.items():
        got = [council(code + suffix) for code in ("CL-TOUCH", "CL-EET", "CL-ACCOM")]
        assert [(v.numerator, v.denominator) for v in got] == [(touch, cohort), (eet, cohort), (accom, cohort)], suffix


def adopted(order, entered=None, placed=None, po=None, match=None):
    child = ChildFactory(birth_date=D(2019, 1, 1))
    if placed:
        m.PlacedForAdoption.objects.create(child=child, date_placed=placed)
    m.AdoptionMilestone.objects.create(
        child=child, entered_care_date=entered, placement_order_date=po, match_date=match, adoption_order_date=order
    )
    return child


def test_adoption_over_three_years_of_orders():
    # 2024-25 takes adoption orders from 1 April 2022 to 31 March 2025.
    # first: ordered on the window's first day. A1 1 Jan 2021 to 1 Nov 2021 = 304 days
    # (31+28+31+30+31+30+31+31+30+31); matched before the placement order: A2 0 days.
    adopted(D(2022, 4, 1), D(2021, 1, 1), D(2021, 11, 1), D(2021, 6, 1), D(2021, 5, 1))
    # before: ordered the day before the window: out.
    adopted(D(2022, 3, 31), D(2020, 1, 1), D(2020, 6, 1), D(2020, 2, 1), D(2020, 3, 1))
    # leap: A1 1 Jan 2024 to 1 Mar 2024 = 60 days (31 + 29); A2 1 Feb to 29 Feb 2024 = 28 days.
    adopted(D(2025, 3, 31), D(2024, 1, 1), D(2024, 3, 1), D(2024, 2, 1), D(2024, 2, 29))
    # unplaced: never placed for adoption before the order: in neither A1 nor A2.
    adopted(D(2024, 6, 1), D(2022, 1, 1), None, D(2023, 6, 1), D(2023, 7, 1))
    # late: placed on the day of the order: not placed before it, so out of A2 (A1 counts it: 0 days).
    adopted(D(2023, 5, 1), D(2023, 5, 1), D(2023, 5, 1), D(2023, 1, 1), D(2023, 3, 1))
    a1, a2, a10 = council("A1"), council("A2"), council("A10")
    assert (a1.denominator, a1.value) == (3, pytest.approx((304 + 60 + 0) / 3))
    assert (a2.denominator, a2.value) == (2, 14)  # (0 + 28) / 2
    assert a10.value == a1.value  # no foster-carer adoptions
    # The thresholds are the targets when the council sets none, judged on these 3-year averages.
    assert engine.target_for("A1", 2024) == 426 and engine.target_for("A2", 2024) == 121
    assert engine.target_for("A10", 2024) == 426
    Target.objects.create(indicator="A2", year=2024, value=Decimal(100))
    assert engine.target_for("A2", 2024) == 100
    # A month is measured over the 3 years to its last day: April 2022 to March 2025 for March 2025,
    # May 2022 to April 2025 for April 2025 (first drops out).
    assert council("A1", periods.month(2025, 3)).denominator == 3
    assert council("A1", periods.month(2025, 4)).denominator == 2
