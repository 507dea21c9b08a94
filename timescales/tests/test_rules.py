"""Each timescale rule pinned on hand-worked cases (bank holidays from gov.uk/bank-holidays).

Working days are counted after the clock start: day 1 is the next working day."""

import datetime as dt
from types import SimpleNamespace as Row
from zoneinfo import ZoneInfo

from timescales.models import Status
from timescales.rules import evaluate

from .helpers import D, assessment, ctx, episode, facts, missing, only, plan, referral, s47, visit

LONDON = ZoneInfo("Europe/London")


def clocks(f, today, rule, **amounts):
    return only(evaluate(f, ctx(today, **amounts)), rule)


class TestReferralDecision:
    def test_friday_referral_is_due_on_monday(self):
        [c] = clocks(
            facts(referrals=[referral(date=D(2024, 3, 8), decision=D(2024, 3, 11))]), D(2024, 4, 1), "referral_decision"
        )
        assert (c.due, c.status) == (D(2024, 3, 11), Status.IN_TIME)

    def test_christmas_eve_referral_is_due_on_the_27th(self):
        [c] = clocks(
            facts(referrals=[referral(date=D(2024, 12, 24), decision=D(2024, 12, 30))]),
            D(2025, 1, 6),
            "referral_decision",
        )
        assert (c.due, c.status) == (D(2024, 12, 27), Status.LATE)

    def test_open_referral_without_a_decision_is_overdue_the_day_after_it_was_due(self):
        f = facts(referrals=[referral(date=D(2024, 3, 8))])
        assert clocks(f, D(2024, 3, 11), "referral_decision")[0].status == Status.DUE_SOON
        assert clocks(f, D(2024, 3, 12), "referral_decision")[0].status == Status.OVERDUE


class TestAssessment:
    # 45 working days from Monday 2 December 2024 (25, 26 December and 1 January
    # are bank holidays) is Thursday 6 February 2025.
    def test_due_date_across_christmas_and_new_year(self):
        f = facts(referrals=[referral(date=D(2024, 12, 2))], assessments=[assessment(authorised=D(2025, 2, 6))])
        [c] = clocks(f, D(2025, 3, 1), "assessment")
        assert (c.start, c.due, c.status) == (D(2024, 12, 2), D(2025, 2, 6), Status.IN_TIME)

    def test_a_day_later_is_late(self):
        f = facts(referrals=[referral(date=D(2024, 12, 2))], assessments=[assessment(authorised=D(2025, 2, 7))])
        assert clocks(f, D(2025, 3, 1), "assessment")[0].status == Status.LATE

    def test_open_assessment_due_soon_then_overdue(self):
        f = facts(referrals=[referral(date=D(2024, 12, 2))], assessments=[assessment(start=D(2024, 12, 3))])
        assert clocks(f, D(2025, 1, 20), "assessment")[0].status == Status.DUE
        assert clocks(f, D(2025, 1, 30), "assessment")[0].status == Status.DUE_SOON
        assert clocks(f, D(2025, 2, 7), "assessment")[0].status == Status.OVERDUE

    def test_case_closure_stops_a_running_clock(self):
        f = facts(referrals=[referral(date=D(2024, 12, 2), closed=D(2025, 1, 10))], assessments=[assessment()])
        assert clocks(f, D(2025, 3, 1), "assessment")[0].status == Status.STOPPED

    def test_closure_after_the_due_date_without_authorisation_counts_as_missed(self):
        f = facts(referrals=[referral(date=D(2024, 12, 2), closed=D(2025, 2, 20))], assessments=[assessment()])
        assert clocks(f, D(2025, 3, 1), "assessment")[0].status == Status.LATE

    def test_a_second_assessment_in_the_episode_runs_from_its_own_start(self):
        f = facts(
            referrals=[referral(date=D(2024, 1, 8))],
            assessments=[
                assessment(start=D(2024, 1, 8), authorised=D(2024, 2, 1)),
                assessment(start=D(2024, 6, 3), authorised=None),
            ],
        )
        first, second = clocks(f, D(2024, 6, 4), "assessment")
        assert first.start == D(2024, 1, 8) and second.start == D(2024, 6, 3)


class TestInitialConference:
    # 15 working days from Thursday 14 March 2024, over Easter (29 March, 1 April): Monday 8 April.
    def test_within_15_working_days_across_easter(self):
        [c] = clocks(
            facts(referrals=[referral()], section47s=[s47(D(2024, 3, 14), icpc=D(2024, 4, 8))]), D(2024, 5, 1), "icpc"
        )
        assert (c.due, c.status) == (D(2024, 4, 8), Status.IN_TIME)

    def test_the_next_day_is_late(self):
        [c] = clocks(
            facts(referrals=[referral()], section47s=[s47(D(2024, 3, 14), icpc=D(2024, 4, 9))]), D(2024, 5, 1), "icpc"
        )
        assert c.status == Status.LATE

    def test_no_clock_when_no_conference_is_needed(self):
        assert not clocks(
            facts(referrals=[referral()], section47s=[s47(D(2024, 3, 14), not_required=True)]), D(2024, 5, 1), "icpc"
        )


class TestChildProtectionPlan:
    def test_first_review_within_three_months_lands_on_a_leap_day(self):
        f = facts(cp_plans=[plan(D(2023, 11, 30))])
        [c] = clocks(f, D(2024, 1, 1), "cp_review_first")
        assert c.due == D(2024, 2, 29)

    def test_reviews_chain_three_then_six_months(self):
        f = facts(cp_plans=[plan(D(2023, 8, 31))], cp_reviews=[Row(plan_id=1, conference_date=D(2023, 11, 29))])
        c = evaluate(f, ctx(D(2024, 1, 1)))
        (first,) = only(c, "cp_review_first")
        (later,) = only(c, "cp_review_later")
        assert (first.due, first.status) == (D(2023, 11, 30), Status.IN_TIME)
        assert (later.start, later.due, later.status) == (D(2023, 11, 29), D(2024, 5, 29), Status.DUE)

    def test_first_core_group_within_10_working_days(self):
        f = facts(cp_plans=[plan(D(2024, 12, 16))], core_groups=[Row(plan_id=1, meeting_date=D(2025, 1, 2))])
        [c] = clocks(f, D(2025, 2, 1), "core_group_first")
        assert (c.due, c.status) == (D(2025, 1, 2), Status.IN_TIME)

    def test_visits_every_10_working_days_and_a_local_change_applies(self):
        # 10 working days from Monday 16 December 2024: Thursday 2 January 2025.
        f = facts(cp_plans=[plan(D(2024, 12, 16))], visits=[visit(D(2024, 12, 30))])
        first, second = clocks(f, D(2025, 1, 6), "cp_visit")
        assert (first.due, first.status) == (D(2025, 1, 2), Status.IN_TIME)
        assert (second.start, second.due, second.status) == (D(2024, 12, 30), D(2025, 1, 14), Status.DUE)
        # A council that visits every 15 working days: due 21 January instead.
        assert clocks(f, D(2025, 1, 6), "cp_visit", cp_visit=15)[1].due == D(2025, 1, 21)

    def test_plan_ending_stops_the_visit_clock(self):
        f = facts(cp_plans=[plan(D(2024, 12, 16), end=D(2024, 12, 20))])
        [c] = clocks(f, D(2025, 3, 1), "cp_visit")
        assert c.status == Status.STOPPED


class TestLookedAfter:
    # 20 working days from Monday 2 December 2024: Thursday 2 January 2025.
    def test_reviews_20_working_days_then_3_months_then_6_months(self):
        f = facts(episodes=[episode(D(2024, 12, 2))], cla_reviews=[D(2025, 1, 2), D(2025, 4, 1)])
        first, second, later = evaluate(f, ctx(D(2025, 5, 1)))[:3]
        assert (first.rule, first.due, first.status) == ("cla_review_first", D(2025, 1, 2), Status.IN_TIME)
        assert (second.rule, second.due, second.status) == ("cla_review_second", D(2025, 4, 2), Status.IN_TIME)
        assert (later.rule, later.start, later.due) == ("cla_review_later", D(2025, 4, 1), D(2025, 10, 1))

    def test_several_episodes_make_one_period_of_care_and_a_new_period_restarts_the_clock(self):
        f = facts(
            episodes=[
                episode(D(2023, 1, 9), D(2023, 3, 1), reason_ceased="X1"),
                episode(D(2023, 3, 1), D(2023, 6, 30), rne="P", reason_ceased="E11"),
                episode(D(2024, 2, 5), None),
            ],
            cla_reviews=[D(2023, 2, 1), D(2023, 5, 2)],
        )
        firsts = clocks(f, D(2024, 2, 6), "cla_review_first")
        assert [c.start for c in firsts] == [D(2023, 1, 9), D(2024, 2, 5)]
        assert firsts[1].due == D(2024, 3, 4) and firsts[1].status == Status.DUE
        # The first period's 6-monthly clock stopped when the child left care.
        assert clocks(f, D(2024, 2, 6), "cla_review_later")[0].status == Status.STOPPED

    def test_first_visit_within_a_week_of_each_placement(self):
        f = facts(
            episodes=[episode(D(2024, 5, 1), D(2024, 6, 3), reason_ceased="X1"), episode(D(2024, 6, 3), rne="P")],
            visits=[visit(D(2024, 5, 8), "cla"), visit(D(2024, 6, 11), "cla")],
        )
        firsts = clocks(f, D(2024, 6, 20), "cla_visit_first")
        assert [(c.due, c.status) for c in firsts] == [(D(2024, 5, 8), Status.IN_TIME), (D(2024, 6, 10), Status.LATE)]

    def test_long_term_placement_visits_every_3_months_after_its_first_year(self):
        f = facts(
            episodes=[episode(D(2022, 1, 10), long_term=True)],
            visits=[visit(D(2022, 1, 12), "cla"), visit(D(2023, 1, 20), "cla")],
        )
        after = only(evaluate(f, ctx(D(2023, 2, 1))), "cla_visit_long_term")
        assert [(c.start, c.due) for c in after] == [(D(2023, 1, 20), D(2023, 4, 20))]

    def test_review_health_assessments_six_monthly_until_five(self):
        f = facts(
            birth_date=D(2020, 6, 1),
            episodes=[episode(D(2024, 2, 1))],
            health_assessments=[D(2024, 3, 1), D(2024, 9, 1), D(2025, 3, 1)],
        )
        c = evaluate(f, ctx(D(2025, 4, 1)))
        rha = [(x.rule, x.due) for x in c if x.rule.startswith("rha")]
        assert rha == [("rha_under_5", D(2024, 9, 1)), ("rha_under_5", D(2025, 3, 1)), ("rha", D(2026, 3, 1))]


class TestMissingAndCourt:
    def test_return_home_interview_within_72_hours_across_the_clocks_going_forward(self):
        returned = dt.datetime(2025, 3, 29, 22, 0, tzinfo=LONDON)  # Saturday night, GMT
        ep = missing(returned, held_at=dt.datetime(2025, 4, 1, 22, 30, tzinfo=LONDON))
        [c] = clocks(facts(missing=[ep]), D(2025, 4, 5), "rhi")
        # 72 elapsed hours end at 23:00 BST on Tuesday 1 April: 22:30 is in time.
        assert c.due_at == dt.datetime(2025, 4, 1, 23, 0, tzinfo=LONDON)
        assert c.status == Status.IN_TIME

    def test_return_home_interview_not_yet_held(self):
        ep = missing(dt.datetime(2024, 6, 7, 20, 0, tzinfo=LONDON))
        assert clocks(facts(missing=[ep]), D(2024, 6, 9), "rhi")[0].status == Status.DUE_SOON
        assert clocks(facts(missing=[ep]), D(2024, 6, 11), "rhi")[0].status == Status.OVERDUE

    def test_care_proceedings_within_26_weeks_beginning_with_the_day_of_issue(self):
        # Issued Monday 1 April 2024 (day 1): the 26th week ends on Sunday 29 September.
        f = facts(proceedings=[Row(id=1, issued_date=D(2024, 4, 1), concluded_date=D(2024, 9, 30))])
        [c] = clocks(f, D(2024, 12, 1), "proceedings")
        assert (c.due, c.status) == (D(2024, 9, 29), Status.LATE)


class TestSupervision:
    def test_supervision_every_four_weeks_from_allocation(self):
        f = facts(
            involvements=[Row(start_date=D(2024, 1, 8), end_date=None, worker_id=1)], supervisions=[D(2024, 2, 1)]
        )
        first, second = clocks(f, D(2024, 2, 20), "supervision")
        assert (first.due, first.status) == (D(2024, 2, 5), Status.IN_TIME)
        assert (second.start, second.due, second.status) == (D(2024, 2, 1), D(2024, 2, 29), Status.DUE)

    def test_a_change_of_worker_restarts_the_supervision_clock(self):
        f = facts(
            involvements=[
                Row(start_date=D(2024, 1, 8), end_date=D(2024, 3, 1), worker_id=1),
                Row(start_date=D(2024, 3, 1), end_date=None, worker_id=2),
            ],
            supervisions=[D(2024, 2, 1)],
        )
        [c] = clocks(f, D(2024, 3, 5), "supervision")
        assert (c.start, c.due) == (D(2024, 3, 1), D(2024, 3, 29))


class TestMadeUpReferral:
    """A referral the Annex A import made up to hold an event (placeholder) has no clock of its
    own; what hangs from it keeps the clocks that do not start from the referral date."""

    def test_no_decision_clock_and_no_waiting_assessment_clock(self):
        f = facts(referrals=[referral(date=D(2024, 3, 14), placeholder=True)], section47s=[s47(D(2024, 3, 14))])
        assert not clocks(f, D(2024, 5, 1), "referral_decision")
        assert not clocks(f, D(2024, 5, 1), "assessment")
        # the same referral, real and with nothing under it: due the next working day, and an
        # assessment waiting for it (with the section 47 under it, see test_journey.py)
        f.referrals, f.section47s = [referral(date=D(2024, 3, 14))], []
        assert clocks(f, D(2024, 5, 1), "referral_decision")[0].status == Status.OVERDUE
        assert clocks(f, D(2024, 5, 1), "assessment")[0].start == D(2024, 3, 14)

    def test_its_section_47_keeps_its_conference_clock(self):
        # 15 working days from Thursday 14 March 2024 across Easter is Monday 8 April (TestInitialConference).
        f = facts(
            referrals=[referral(date=D(2024, 3, 14), placeholder=True)],
            section47s=[s47(D(2024, 3, 14), icpc=D(2024, 4, 8))],
        )
        [c] = clocks(f, D(2024, 5, 1), "icpc")
        assert (c.start, c.due, c.status) == (D(2024, 3, 14), D(2024, 4, 8), Status.IN_TIME)

    def test_its_assessment_runs_from_its_own_start(self):
        # The referral was made up on 25 November 2024 for an earlier event; the assessment started
        # on Monday 2 December and was authorised on 6 February 2025, 45 working days later: in time.
        f = facts(
            referrals=[referral(date=D(2024, 11, 25), placeholder=True)],
            assessments=[assessment(start=D(2024, 12, 2), authorised=D(2025, 2, 6))],
        )
        [c] = clocks(f, D(2025, 3, 1), "assessment")
        assert (c.start, c.due, c.status) == (D(2024, 12, 2), D(2025, 2, 6), Status.IN_TIME)
        # Had 25 November been a real referral, 45 working days from it end on Thursday 30 January
        # (26-29 Nov, 2 Dec ... 24 Dec, 27, 30, 31 Dec, 2 Jan ... 30 Jan; 25, 26 Dec and 1 Jan are
        # bank holidays): late.
        f.referrals = [referral(date=D(2024, 11, 25))]
        [c] = clocks(f, D(2025, 3, 1), "assessment")
        assert (c.start, c.due, c.status) == (D(2024, 11, 25), D(2025, 1, 30), Status.LATE)
