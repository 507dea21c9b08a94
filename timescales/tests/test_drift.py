"""Drift rules pinned on hand-worked cases."""

import datetime as dt
from types import SimpleNamespace as Row
from zoneinfo import ZoneInfo

from timescales.drift import evaluate
from timescales.models import DriftKind

from .helpers import D, episode, facts, plan, referral

LONDON = ZoneInfo("Europe/London")


def kinds(f, today):
    return {d.kind: d for d in evaluate(f, today)}


def test_cp_plan_from_a_leap_day_drifts_on_28_february_next_year():
    f = facts(cp_plans=[plan(D(2024, 2, 29))])
    assert DriftKind.CP_12_MONTHS not in kinds(f, D(2025, 2, 27))
    assert kinds(f, D(2025, 2, 28))[DriftKind.CP_12_MONTHS].since == D(2025, 2, 28)


def test_ended_plan_does_not_drift():
    assert DriftKind.CP_12_MONTHS not in kinds(facts(cp_plans=[plan(D(2023, 1, 1), end=D(2024, 3, 1))]), D(2024, 6, 1))


def test_second_plan_by_history_or_by_the_census_count():
    two = facts(cp_plans=[plan(D(2021, 1, 1), end=D(2021, 9, 1)), plan(D(2024, 1, 1), id=2)])
    assert DriftKind.SECOND_PLAN in kinds(two, D(2024, 2, 1))
    counted = facts(cp_plans=[plan(D(2024, 1, 1), previous=1)])
    assert DriftKind.SECOND_PLAN in kinds(counted, D(2024, 2, 1))
    assert DriftKind.SECOND_PLAN not in kinds(facts(cp_plans=[plan(D(2024, 1, 1))]), D(2024, 2, 1))


def test_child_in_need_open_12_months_without_a_review():
    f = facts(
        referrals=[referral(date=D(2023, 5, 10))],
        cin_plans=[Row(referral_id=1, last_review_date=None, start_date=D(2023, 6, 1), end_date=None)],
    )
    assert DriftKind.CIN_12_MONTHS not in kinds(f, D(2024, 5, 9))
    assert DriftKind.CIN_12_MONTHS in kinds(f, D(2024, 5, 10))
    f.cin_plans[0].last_review_date = D(2024, 4, 1)
    assert DriftKind.CIN_12_MONTHS not in kinds(f, D(2024, 5, 10))


def test_proceedings_past_26_weeks():
    # Issued Monday 1 April 2024: the 26 weeks beginning that day end on Sunday 29 September.
    f = facts(proceedings=[Row(id=1, issued_date=D(2024, 4, 1), concluded_date=None)])
    assert DriftKind.PROCEEDINGS_26_WEEKS not in kinds(f, D(2024, 9, 29))
    assert DriftKind.PROCEEDINGS_26_WEEKS in kinds(f, D(2024, 9, 30))
    f.extensions = [Row(proceedings_id=1, granted_on=D(2024, 9, 20), weeks=8)]
    [flag] = [d for d in evaluate(f, D(2024, 10, 1)) if d.kind == DriftKind.PROCEEDINGS_26_WEEKS]
    assert (flag.since, flag.detail) == (D(2024, 9, 30), "issued 01/04/2024, extended by the court 8 weeks (s. 32(5))")


def test_permanence_without_plan_b_while_looked_after():
    f = facts(
        episodes=[episode(D(2023, 1, 1))],
        permanence_plans=[Row(decided_date=D(2023, 3, 1), contingency=" ", achieved_date=None)],
    )
    assert DriftKind.NO_PLAN_B in kinds(f, D(2024, 1, 1))
    f.permanence_plans[0].contingency = "Special guardianship with aunt"
    assert DriftKind.NO_PLAN_B not in kinds(f, D(2024, 1, 1))


def test_three_missing_episodes_in_90_days():
    def ep(day):
        return Row(started_at=dt.datetime(day.year, day.month, day.day, 23, tzinfo=LONDON))

    f = facts(missing=[ep(D(2024, 1, 5)), ep(D(2024, 2, 10)), ep(D(2024, 4, 3))])
    # 5 January to 3 April is 90 days inclusive.
    assert kinds(f, D(2024, 4, 3))[DriftKind.REPEAT_MISSING].since == D(2024, 4, 3)
    assert DriftKind.REPEAT_MISSING not in kinds(f, D(2024, 4, 4))


def test_re_referral_within_3_months_of_closure_or_step_down():
    closed = facts(
        referrals=[referral(id=1, date=D(2023, 6, 1), closed=D(2024, 1, 10)), referral(id=2, date=D(2024, 4, 10))]
    )
    assert DriftKind.QUICK_RE_REFERRAL in kinds(closed, D(2024, 5, 1))
    later = facts(
        referrals=[referral(id=1, date=D(2023, 6, 1), closed=D(2024, 1, 10)), referral(id=2, date=D(2024, 4, 11))]
    )
    assert DriftKind.QUICK_RE_REFERRAL not in kinds(later, D(2024, 5, 1))
    stepped_down = facts(
        referrals=[referral(id=2, date=D(2024, 2, 1))], cp_plans=[plan(D(2023, 5, 1), end=D(2024, 1, 15))]
    )
    assert DriftKind.QUICK_RE_REFERRAL in kinds(stepped_down, D(2024, 3, 1))


def test_open_case_without_a_worker():
    f = facts(referrals=[referral(date=D(2024, 1, 8))])
    f.worker_id = None
    assert DriftKind.UNALLOCATED in kinds(f, D(2024, 2, 1))
    f.worker_id = 7
    assert DriftKind.UNALLOCATED not in kinds(f, D(2024, 2, 1))


def test_a_made_up_referral_is_not_a_case_open_12_months_nor_a_re_referral():
    # Made up on 10 May 2023 (Annex A) and never closed: it would drift on 10 May 2024 if real.
    f = facts(referrals=[referral(date=D(2023, 5, 10), placeholder=True)])
    assert DriftKind.CIN_12_MONTHS not in kinds(f, D(2024, 6, 1))
    # ... and made up 3 months to the day after a closure, it is no quick re-referral (a real one is).
    f = facts(
        referrals=[
            referral(id=1, date=D(2023, 6, 1), closed=D(2024, 1, 10)),
            referral(id=2, date=D(2024, 4, 10), placeholder=True),
        ]
    )
    assert DriftKind.QUICK_RE_REFERRAL not in kinds(f, D(2024, 5, 1))
    f.referrals[1].placeholder = False
    assert DriftKind.QUICK_RE_REFERRAL in kinds(f, D(2024, 5, 1))


def test_unallocated_counts_the_open_work_a_made_up_referral_holds_not_the_referral():
    held = referral(date=D(2024, 1, 8), placeholder=True)
    done = Row(id=10, referral_id=1, start_date=D(2024, 1, 8), authorisation_date=D(2024, 1, 20))
    f = facts(referrals=[held], assessments=[done])
    f.worker_id = None
    assert DriftKind.UNALLOCATED not in kinds(f, D(2024, 2, 1))  # its only work is finished
    f.cp_plans = [plan(D(2024, 1, 25))]  # a plan from 25 January hangs from it, not ended
    assert kinds(f, D(2024, 2, 1))[DriftKind.UNALLOCATED].since == D(2024, 1, 25)
    f.cp_plans = [plan(D(2024, 1, 25), end=D(2024, 1, 31))]
    assert DriftKind.UNALLOCATED not in kinds(f, D(2024, 2, 1))
