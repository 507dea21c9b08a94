"""What counts as an open case: the caseload and timescales denominators."""

import datetime as dt

import pytest

from children.models import Child, PathwayPlan
from children.selectors import open_case
from children.tests.factories import ChildFactory, LookedAfterEpisodeFactory, ReferralFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 31)


def open_ids(**kwargs):
    return set(Child.objects.filter(open_case(TODAY, **kwargs)).values_list("pk", flat=True))


def test_open_referral_open_episode_and_care_leaver_under_21():
    referral = ReferralFactory(referral_date=dt.date(2025, 1, 6)).child
    closed = ReferralFactory(referral_date=dt.date(2024, 1, 6), closure_date=dt.date(2025, 1, 10)).child
    looked_after = LookedAfterEpisodeFactory(start_date=dt.date(2024, 5, 1)).child
    leaver = ChildFactory(birth_date=dt.date(2005, 4, 1))  # 19
    PathwayPlan.objects.create(child=leaver, plan_date=dt.date(2024, 10, 1))
    too_old = ChildFactory(birth_date=dt.date(2004, 3, 31))  # 21 today
    PathwayPlan.objects.create(child=too_old, plan_date=dt.date(2024, 10, 1))
    assert open_ids() == {referral.pk, looked_after.pk, leaver.pk}
    assert closed.pk in open_ids(closed_since=dt.date(2025, 1, 1))


def test_a_referral_closed_after_the_day_asked_about_was_open_on_that_day():
    child = ReferralFactory(referral_date=dt.date(2025, 1, 6), closure_date=dt.date(2025, 6, 1)).child
    assert child.pk in open_ids()


def test_a_made_up_referral_is_no_open_case_but_the_open_work_it_holds_is():
    """Annex A makes a referral up (placeholder) to hold an assessment, section 47 or plan; it never closes."""
    from children.models import Section47Enquiry
    from children.tests.factories import AssessmentFactory, ChildProtectionPlanFactory

    def held(day):
        return ReferralFactory(referral_date=day, placeholder=True)

    finished = held(dt.date(2024, 6, 3))
    AssessmentFactory(referral=finished, start_date=dt.date(2024, 6, 3), authorisation_date=dt.date(2024, 7, 1))
    assessing = held(dt.date(2025, 3, 3))
    AssessmentFactory(referral=assessing, start_date=dt.date(2025, 3, 3))  # not authorised by 31 March
    on_plan = held(dt.date(2024, 11, 1))
    ChildProtectionPlanFactory(referral=on_plan, start_date=dt.date(2024, 11, 1))
    plan_ended = held(dt.date(2024, 2, 1))
    ChildProtectionPlanFactory(referral=plan_ended, start_date=dt.date(2024, 2, 1), end_date=dt.date(2025, 1, 15))
    awaiting_icpc = held(dt.date(2025, 3, 20))
    Section47Enquiry.objects.create(referral=awaiting_icpc, start_date=dt.date(2025, 3, 20))
    icpc_held = held(dt.date(2025, 2, 3))
    Section47Enquiry.objects.create(referral=icpc_held, start_date=dt.date(2025, 2, 3), icpc_date=dt.date(2025, 2, 20))
    nothing = held(dt.date(2025, 1, 6))  # holds nothing (its event was moved away)
    assert open_ids() == {assessing.child_id, on_plan.child_id, awaiting_icpc.child_id}
    # closed since 1 January 2025: the plan ended 15 January and the conference of 20 February count too
    assert open_ids(closed_since=dt.date(2025, 1, 1)) == {
        assessing.child_id,
        on_plan.child_id,
        awaiting_icpc.child_id,
        plan_ended.child_id,
        icpc_held.child_id,
    }
    assert nothing.child_id not in open_ids(closed_since=dt.date(2020, 1, 1))
    assert finished.child_id in open_ids(closed_since=dt.date(2024, 7, 1))
