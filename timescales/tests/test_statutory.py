"""Issue 14, point 2: clocks that follow the statutory texts, each pinned on hand-worked cases.

Bank holidays from gov.uk/bank-holidays; the texts are cited in docs/decisions/0022."""

import datetime as dt
from types import SimpleNamespace as Row
from zoneinfo import ZoneInfo

from timescales.calendar import WorkingCalendar
from timescales.models import Status
from timescales.rules import Context, evaluate

from .helpers import D, assessment, ctx, episode, facts, missing, only, plan, referral, s47, visit

LONDON = ZoneInfo("Europe/London")
CHRISTMAS_CLOSURE = frozenset({D(2024, 12, 27), D(2024, 12, 30), D(2024, 12, 31)})


def clocks(f, today, rule, context=None):
    return only(evaluate(f, context or ctx(today)), rule)


def with_closures(today):
    c = ctx(today)
    return Context(c.rules, WorkingCalendar(closures=CHRISTMAS_CLOSURE), today)


class TestClosureDays:
    """A council's own closure days never move a statutory deadline; they move a local one."""

    def test_an_assessment_is_due_on_the_same_day_whatever_the_council_closes(self):
        # 45 working days from Monday 2 December 2024 is Thursday 6 February 2025 (test_rules);
        # the council closing 27, 30 and 31 December would make it Tuesday 11 February.
        f = facts(referrals=[referral(date=D(2024, 12, 2))], assessments=[assessment(authorised=D(2025, 2, 7))])
        [c] = clocks(f, D(2025, 3, 1), "assessment", with_closures(D(2025, 3, 1)))
        assert (c.due, c.status) == (D(2025, 2, 6), Status.LATE)

    def test_a_local_rule_counts_the_closure_days(self):
        # cp_visit, 10 working days from Friday 20 December 2024. Working days: 23, 24, 27, 30,
        # 31 December, 2, 3, 6, 7, 8 January (25, 26 December and 1 January are bank holidays):
        # Wednesday 8 January. Closed 27, 30, 31 December: 23, 24, 2, 3, 6, 7, 8, 9, 10, 13:
        # Monday 13 January.
        f = facts(cp_plans=[plan(D(2024, 12, 20))])
        [national] = clocks(f, D(2024, 12, 21), "cp_visit")
        [local] = clocks(f, D(2024, 12, 21), "cp_visit", with_closures(D(2024, 12, 21)))
        assert (national.due, local.due) == (D(2025, 1, 8), D(2025, 1, 13))


def short_break(start, end):
    return episode(start, end, rne="S", reason_ceased="E13", legal_status="V3", placement="U4")


class TestShortBreaks:
    """CPPCR reg. 48: first review and first visit within 3 months of the first short break,
    then at most every 6 months; no placement plan, health assessment, PEP or reg. 28(2) visits."""

    def test_reg_48_replaces_the_looked_after_regime(self):
        f = facts(
            birth_date=D(2012, 5, 1),  # school age: a looked-after child would get a PEP clock
            episodes=[short_break(D(2023, 11, 30), D(2023, 12, 2)), short_break(D(2024, 1, 5), D(2024, 1, 7))],
            cla_reviews=[D(2024, 2, 29)],
            visits=[visit(D(2024, 1, 6), kind="cla")],
        )
        today = D(2024, 4, 1)
        every = {c.rule for c in evaluate(f, ctx(today))}
        assert every == {
            "care_plan",
            "short_break_review_first",
            "short_break_review_later",
            "short_break_visit_first",
            "short_break_visit",
        }
        # 30 November 2023 + 3 months is 29 February 2024 (a leap year): the review that day is in time.
        first, later = clocks(f, today, "short_break_review_first") + clocks(f, today, "short_break_review_later")
        assert (first.start, first.due, first.status) == (D(2023, 11, 30), D(2024, 2, 29), Status.IN_TIME)
        assert (later.start, later.due, later.status) == (D(2024, 2, 29), D(2024, 8, 29), Status.DUE)
        [visit_first] = clocks(f, today, "short_break_visit_first")
        assert (visit_first.due, visit_first.completed, visit_first.status) == (
            D(2024, 2, 29),
            D(2024, 1, 6),
            Status.IN_TIME,
        )
        [visit_next] = clocks(f, today, "short_break_visit")
        assert (visit_next.start, visit_next.due) == (D(2024, 1, 6), D(2024, 7, 6))

    def test_the_series_runs_on_between_breaks_and_ends_after_a_year_without_one(self):
        f = facts(
            episodes=[short_break(D(2022, 1, 7), D(2022, 1, 9)), short_break(D(2023, 3, 3), D(2023, 3, 5))],
        )
        # 7 January 2022 to 3 March 2023 is more than a year: two series, the first over on 9 January
        # 2022, before its first review was due (7 April 2022): stopped, not missed.
        first, second = clocks(f, D(2023, 3, 10), "short_break_review_first")
        assert (first.start, first.status) == (D(2022, 1, 7), Status.STOPPED)
        assert (second.start, second.due, second.status) == (D(2023, 3, 3), D(2023, 6, 3), Status.DUE)

    def test_a_full_care_episode_keeps_the_full_regime(self):
        f = facts(episodes=[episode(D(2024, 3, 4), legal_status="V2")])
        assert clocks(f, D(2024, 3, 5), "cla_review_first")
        assert not clocks(f, D(2024, 3, 5), "short_break_review_first")


class TestVisitsWithAParent:
    """CPPCR reg. 28(4) and (5) for placement type P1 (with a parent): interim care order (C1):
    weekly until the first review, then every 4 weeks; care order (C2): within a week of the
    order, then every 6 weeks."""

    def test_interim_care_order_weekly_until_the_first_review_then_every_4_weeks(self):
        f = facts(
            episodes=[episode(D(2024, 3, 4), legal_status="C1", placement="P1")],
            cla_reviews=[D(2024, 3, 28)],
            visits=[visit(d, kind="cla") for d in (D(2024, 3, 8), D(2024, 3, 14), D(2024, 3, 22), D(2024, 3, 29))],
        )
        today = D(2024, 4, 20)
        got = [(c.rule, c.start, c.due, c.status) for c in evaluate(f, ctx(today)) if c.rule.startswith("cla_visit")]
        assert got == [
            ("cla_visit_first", D(2024, 3, 4), D(2024, 3, 11), Status.IN_TIME),
            ("cla_visit_weekly", D(2024, 3, 8), D(2024, 3, 15), Status.IN_TIME),
            ("cla_visit_weekly", D(2024, 3, 14), D(2024, 3, 21), Status.LATE),  # seen on the 22nd
            ("cla_visit_weekly", D(2024, 3, 22), D(2024, 3, 29), Status.IN_TIME),  # before the review
            ("cla_visit_4_weeks", D(2024, 3, 29), D(2024, 4, 26), Status.DUE),
        ]

    def test_care_order_made_at_home_restarts_the_visits_within_a_week_then_6_weekly(self):
        f = facts(
            episodes=[
                episode(D(2024, 3, 4), D(2024, 5, 1), legal_status="C1", placement="P1", reason_ceased="X1"),
                episode(D(2024, 5, 1), rne="L", legal_status="C2", placement="P1", long_term=True),
            ],
            cla_reviews=[D(2024, 3, 28)],
            visits=[visit(D(2024, 4, 26), kind="cla"), visit(D(2024, 5, 7), kind="cla")],
        )
        today = D(2025, 6, 1)
        after_order = [
            (c.rule, c.start, c.due) for c in clocks(f, today, "cla_visit_first") if c.start >= D(2024, 5, 1)
        ]
        assert after_order == [("cla_visit_first", D(2024, 5, 1), D(2024, 5, 8))]
        [six_weekly] = clocks(f, today, "cla_visit")
        assert (six_weekly.start, six_weekly.due) == (D(2024, 5, 7), D(2024, 6, 18))
        assert not clocks(f, today, "cla_visit_long_term")  # reg. 28(5) has no 3-monthly step
        # one placement (the legal status changed, the child stayed): one placement plan
        assert [c.start for c in clocks(f, today, "placement_plan")] == [D(2024, 3, 4)]

    def test_placed_with_a_parent_before_assessment_weekly_until_the_first_review_then_every_6_weeks(self):
        # Reg. 28(3), recorded by hand (reg. 19): a P1 placement under a care order would otherwise be 28(5).
        f = facts(
            episodes=[episode(D(2024, 3, 4), legal_status="C2", placement="P1", regulation="reg19")],
            cla_reviews=[D(2024, 3, 28)],
            visits=[visit(d, kind="cla") for d in (D(2024, 3, 8), D(2024, 3, 15), D(2024, 3, 22), D(2024, 3, 29))],
        )
        today = D(2024, 4, 20)
        got = [(c.rule, c.start, c.due, c.status) for c in evaluate(f, ctx(today)) if c.rule.startswith("cla_visit")]
        assert got == [
            ("cla_visit_first", D(2024, 3, 4), D(2024, 3, 11), Status.IN_TIME),
            ("cla_visit_weekly", D(2024, 3, 8), D(2024, 3, 15), Status.IN_TIME),
            ("cla_visit_weekly", D(2024, 3, 15), D(2024, 3, 22), Status.IN_TIME),
            ("cla_visit_weekly", D(2024, 3, 22), D(2024, 3, 29), Status.IN_TIME),  # seen the day after the review
            ("cla_visit", D(2024, 3, 29), D(2024, 5, 10), Status.DUE),  # 6 weeks after the review
        ]

    def test_a_temporarily_approved_connected_person_is_visited_as_under_an_interim_care_order(self):
        # Reg. 28(4) where reg. 24 applies: a U1 foster placement would otherwise be 28(2) (6-weekly).
        f = facts(
            episodes=[episode(D(2024, 3, 4), legal_status="C2", placement="U1", regulation="reg24")],
            cla_reviews=[D(2024, 3, 28)],
            visits=[visit(d, kind="cla") for d in (D(2024, 3, 8), D(2024, 3, 29))],
        )
        today = D(2024, 4, 20)
        got = [(c.rule, c.start, c.due, c.status) for c in evaluate(f, ctx(today)) if c.rule.startswith("cla_visit")]
        assert got == [
            ("cla_visit_first", D(2024, 3, 4), D(2024, 3, 11), Status.IN_TIME),
            ("cla_visit_weekly", D(2024, 3, 8), D(2024, 3, 15), Status.LATE),  # next seen on the 29th
            ("cla_visit_4_weeks", D(2024, 3, 29), D(2024, 4, 26), Status.DUE),
        ]

    def test_recording_reg_24_mid_placement_is_one_placement_with_one_plan(self):
        # The regime comes from the placement as recorded; changing it restarts no placement plan.
        f = facts(episodes=[episode(D(2024, 3, 4), placement="U1", regulation="reg24")], visits=[])
        assert [c.start for c in clocks(f, D(2024, 3, 20), "placement_plan")] == [D(2024, 3, 4)]

    def test_foster_care_under_a_care_order_keeps_reg_28_2(self):
        f = facts(episodes=[episode(D(2024, 3, 4), legal_status="C2", placement="U4")], visits=[])
        assert [c.rule for c in evaluate(f, ctx(D(2024, 3, 20))) if c.rule.startswith("cla_visit")] == [
            "cla_visit_first"
        ]


class TestCareAndPlacementPlans:
    def test_care_plan_within_10_and_placement_plan_within_5_working_days(self):
        # Placed on Thursday 28 March 2024: Good Friday (29th) and Easter Monday (1 April) are
        # bank holidays. 5 working days: 2, 3, 4, 5, 8 April; 10: then 9, 10, 11, 12, 15 April.
        f = facts(episodes=[episode(D(2024, 3, 28))])
        [care] = clocks(f, D(2024, 4, 1), "care_plan")
        [placement] = clocks(f, D(2024, 4, 1), "placement_plan")
        assert (care.due, placement.due) == (D(2024, 4, 15), D(2024, 4, 8))


class TestReturnHomeInterview:
    def test_the_interview_held_stops_the_clock_and_the_offer_is_its_own_measure(self):
        returned = dt.datetime(2025, 1, 10, 22, 30, tzinfo=LONDON)
        ep = missing(
            returned,
            offered_at=dt.datetime(2025, 1, 11, 10, 0, tzinfo=LONDON),
            accepted=True,
            held_at=dt.datetime(2025, 1, 14, 9, 0, tzinfo=LONDON),
        )
        f = facts(missing=[ep])
        [held] = clocks(f, D(2025, 1, 20), "rhi")
        [offered] = clocks(f, D(2025, 1, 20), "rhi_offered")
        # 72 hours from 22:30 on Friday 10 January end at 22:30 on Monday 13 January.
        assert held.due_at == dt.datetime(2025, 1, 13, 22, 30, tzinfo=LONDON)
        assert (held.status, held.completed) == (Status.LATE, D(2025, 1, 14))
        assert (offered.status, offered.completed) == (Status.IN_TIME, D(2025, 1, 11))

    def test_offered_but_not_yet_held_is_overdue_once_72_hours_pass(self):
        returned = dt.datetime(2025, 1, 10, 22, 30, tzinfo=LONDON)
        f = facts(missing=[missing(returned, offered_at=returned + dt.timedelta(hours=1))])
        assert clocks(f, D(2025, 1, 14), "rhi")[0].status == Status.OVERDUE
        assert clocks(f, D(2025, 1, 14), "rhi_offered")[0].status == Status.IN_TIME

    def test_a_declined_interview_has_no_clock_to_hold_it(self):
        returned = dt.datetime(2025, 1, 10, 22, 30, tzinfo=LONDON)
        f = facts(missing=[missing(returned, offered_at=returned + dt.timedelta(hours=1), accepted=False)])
        assert not clocks(f, D(2025, 1, 20), "rhi")
        assert clocks(f, D(2025, 1, 20), "rhi_offered")[0].status == Status.IN_TIME

    def test_offered_on_an_unknown_day_is_not_recorded_not_overdue(self):
        # Annex A List 8 says whether an interview was offered, not when.
        f = facts(missing=[missing(dt.datetime(2025, 1, 10, 22, 30, tzinfo=LONDON), offered=True)])
        assert clocks(f, D(2025, 2, 1), "rhi_offered")[0].status == Status.UNRECORDED


class TestCareProceedings:
    """26 weeks beginning with the day of issue: the issue day is day 1, the last is issue + 181."""

    def test_leap_and_common_years(self):
        leap = facts(proceedings=[Row(id=1, issued_date=D(2024, 1, 1), concluded_date=D(2024, 6, 30))])
        common = facts(proceedings=[Row(id=1, issued_date=D(2023, 1, 1), concluded_date=D(2023, 7, 2))])
        [a] = clocks(leap, D(2024, 12, 1), "proceedings")
        [b] = clocks(common, D(2023, 12, 1), "proceedings")
        assert (a.due, a.status) == (D(2024, 6, 30), Status.IN_TIME)
        assert (b.due, b.status) == (D(2023, 7, 1), Status.LATE)

    def test_extensions_under_s_32_5_move_the_deadline(self):
        # Issued 1 April 2024: last day 29 September; extended 8 weeks (24 November) and then 4
        # more (22 December); concluded on 20 December: in time.
        f = facts(
            proceedings=[Row(id=7, issued_date=D(2024, 4, 1), concluded_date=D(2024, 12, 20))],
            extensions=[
                Row(proceedings_id=7, granted_on=D(2024, 9, 20), weeks=8),
                Row(proceedings_id=7, granted_on=D(2024, 11, 20), weeks=4),
                Row(proceedings_id=8, granted_on=D(2024, 11, 20), weeks=8),  # another child's case
            ],
        )
        [c] = clocks(f, D(2025, 1, 10), "proceedings")
        assert (c.due, c.status) == (D(2024, 12, 22), Status.IN_TIME)


class TestLaterEventsSettleEarlierClocks:
    """Issue 14 point 3: a referral whose journey the record shows went on (section 47, plan)
    has no decision clock running, and no assessment overdue that the source never held."""

    def test_a_plan_two_years_on_with_no_assessment_in_the_source(self):
        f = facts(
            referrals=[referral(date=D(2022, 6, 6))],
            section47s=[s47(D(2022, 7, 1))],
            cp_plans=[plan(D(2022, 7, 20))],
        )
        today = D(2024, 6, 1)
        assert not clocks(f, today, "referral_decision")
        [a] = clocks(f, today, "assessment")
        assert a.status == Status.UNRECORDED
        # The plan starts at the ICPC: 15 working days from Friday 1 July 2022 is Friday 22 July.
        [icpc] = clocks(f, today, "icpc")
        assert (icpc.due, icpc.completed, icpc.status) == (D(2022, 7, 22), D(2022, 7, 20), Status.IN_TIME)

    def test_a_strategy_discussion_settles_the_decision(self):
        f = facts(
            referrals=[referral(date=D(2024, 3, 8))],
            strategies=[Row(referral_id=1, discussion_date=D(2024, 3, 9))],
        )
        assert not clocks(f, D(2024, 5, 1), "referral_decision")
        assert clocks(f, D(2024, 5, 1), "assessment")[0].status == Status.UNRECORDED

    def test_nothing_later_leaves_both_clocks_running(self):
        f = facts(referrals=[referral(date=D(2024, 3, 8))])
        assert clocks(f, D(2024, 6, 1), "referral_decision")[0].status == Status.OVERDUE
        assert clocks(f, D(2024, 6, 1), "assessment")[0].status == Status.OVERDUE
